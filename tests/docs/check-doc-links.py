#!/usr/bin/python3
# check-doc-links.py: every link of the built HTML manual resolves.
#
# For each page of the manual: every href and src that stays inside the
# manual must name an existing file, and its #fragment an id or name in that
# file; links to other gtk-doc manuals (GLib, GObject, Gio: absolute file
# paths, or ../glib/… once installed side by side) must name an existing page
# of that manual when it is installed. Every page must be reachable from
# index.html. Web links are not fetched. Prints TAP.
#
# Usage: check-doc-links.py HTML_DIR [GTK_DOC_HTML_ROOT]
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import html.parser
import os
import sys
import urllib.parse

html_dir = os.path.realpath(sys.argv[1])
gtk_doc_root = sys.argv[2] if len(sys.argv) > 2 else '/usr/share/gtk-doc/html'

# gtk-doc links "Since: 0.1" to the id of the index's inner <indexdiv>,
# which its stylesheet does not render as an anchor (the page is right).
UNRENDERED_INDEX_ANCHORS = ('api-index-',)


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.anchors = set()
        self.links = []   # (attribute, url, line)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ('id',) or (name == 'name' and tag == 'a'):
                self.anchors.add(value)
            if (name == 'href' and tag in ('a', 'link', 'area')) or \
               (name == 'src' and tag in ('img', 'script', 'iframe')):
                self.links.append((name, value, self.getpos()[0]))


pages = {}


def parse(path):
    if path not in pages:
        page = Page()
        with open(path, encoding='utf-8', errors='replace') as f:
            page.feed(f.read())
        pages[path] = page
    return pages[path]


results = []
internal = external = 0
broken, cross_broken = [], []
local_pages = sorted(os.path.join(html_dir, f) for f in os.listdir(html_dir) if f.endswith('.html'))
reached = {os.path.join(html_dir, 'index.html')}
todo = [os.path.join(html_dir, 'index.html')]
while todo:
    source = todo.pop()
    for attribute, url, line in parse(source).links:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme in ('http', 'https', 'mailto', 'ftp'):
            continue
        if parts.scheme not in ('', 'file'):
            broken.append('%s:%d: unexpected link %s' % (os.path.basename(source), line, url))
            continue
        target_path = urllib.parse.unquote(parts.path)
        if target_path == '':
            target = source
        elif os.path.isabs(target_path):
            target = os.path.normpath(target_path)
        else:
            target = os.path.normpath(os.path.join(os.path.dirname(source), target_path))
        inside = os.path.commonpath([target, html_dir]) == html_dir
        where = '%s:%d' % (os.path.basename(source), line)
        if not inside:
            # Another manual: ../glib/x.html once installed beside GLib's,
            # or an absolute path to it.
            external += 1
            if not os.path.isabs(target_path):
                target = os.path.normpath(os.path.join(gtk_doc_root, 'torchlog', target_path))
            if not os.path.isfile(target):
                cross_broken.append('%s: %s: no such page' % (where, url))
            elif parts.fragment and target.endswith('.html') and \
                    parts.fragment not in parse(target).anchors:
                cross_broken.append('%s: %s: no anchor #%s' % (where, url, parts.fragment))
            continue
        internal += 1
        if not os.path.isfile(target):
            broken.append('%s: %s: no such file' % (where, url))
            continue
        if target.endswith('.html'):
            page = parse(target)
            if target not in reached:
                reached.add(target)
                todo.append(target)
            fragment = urllib.parse.unquote(parts.fragment)
            if fragment and fragment not in page.anchors and \
                    not (os.path.basename(target).startswith(UNRENDERED_INDEX_ANCHORS) and
                         fragment.startswith(UNRENDERED_INDEX_ANCHORS)):
                broken.append('%s: %s: no anchor #%s in %s'
                              % (where, url, fragment, os.path.basename(target)))

print('# %d pages, %d internal links, %d links to other gtk-doc manuals'
      % (len(local_pages), internal, external))
results.append(('every internal link and anchor resolves', broken))
results.append(('every link to the GLib, GObject and Gio manuals resolves', cross_broken))
results.append(('every page is reachable from index.html',
                ['%s is not linked from the manual' % os.path.basename(p)
                 for p in local_pages if p not in reached]))
results.append(('the manual has its index, guide and reference pages',
                ['%s is missing' % name for name in
                 ('index.html', 'api-index-full.html', 'guide.html', 'reference.html')
                 if os.path.join(html_dir, name) not in local_pages]))

failed = 0
for number, (description, problems) in enumerate(results, 1):
    if problems:
        failed += 1
        print('not ok %d - %s' % (number, description))
        for problem in problems[:50]:
            print('#   ' + problem)
        if len(problems) > 50:
            print('#   … and %d more' % (len(problems) - 50))
    else:
        print('ok %d - %s' % (number, description))
print('1..%d' % len(results))
sys.exit(1 if failed else 0)
