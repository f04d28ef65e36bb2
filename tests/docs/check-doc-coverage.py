#!/usr/bin/python3
# check-doc-coverage.py: the reference manual documents the whole public API.
#
# gtkdoc-check (the `torchlog-doc-check` test) fails on undocumented,
# incomplete, unused and undeclared symbols. This test adds what it does not
# look at: a `Since:` tag on every documented symbol, property and signal, a
# description for every enum value, property and signal, a section with a
# short and a long description for every public header, and every symbol the
# shared library exports present in the manual's index (so an exported symbol
# declared in a header gtk-doc does not scan cannot hide). Prints TAP and the
# coverage figures.
#
# Usage: check-doc-coverage.py DOC_BUILD_DIR SOURCE_DIR LIBRARY
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import glob
import html
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import tap  # noqa: E402  (tests/tap.py)

doc_dir, source_dir, library = sys.argv[1:4]
module = 'torchlog'
results = []


def check(description, problems):
    results.append((description, problems))


def read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


def text_of(fragment):
    return html.unescape(re.sub(r'<[^>]+>', '', fragment)).strip()


# 1. gtk-doc's own report: 100 %, nothing undocumented or incomplete.
report = read(os.path.join(doc_dir, module + '-undocumented.txt'))
figures = {}
for key, pattern in [('percent', r'^(\d+)% symbol docs coverage'),
                     ('documented', r'^(\d+) symbols documented'),
                     ('incomplete', r'^(\d+) symbols incomplete'),
                     ('undocumented', r'^(\d+) not documented')]:
    m = re.search(pattern, report, re.M)
    figures[key] = int(m.group(1)) if m else None
print('# coverage: %s%%, %s symbols documented, %s incomplete, %s not documented'
      % (figures['percent'], figures['documented'], figures['incomplete'], figures['undocumented']))
problems = []
if figures['percent'] != 100 or figures['undocumented'] != 0 or figures['incomplete'] != 0:
    problems.append('gtk-doc reports:\n' + report.strip())
check('gtk-doc coverage is 100%, 0 incomplete, 0 undocumented', problems)

for kind in ['unused', 'undeclared']:
    lines = [line for line in read(os.path.join(doc_dir, '%s-%s.txt' % (module, kind))).splitlines()
             if line.strip()]
    check('no %s documentation entries' % kind, ['%s: %s' % (kind, line) for line in lines])

# 2. Every public header has a section with a title, short and long description.
headers = sorted(os.path.basename(h)[:-2] for h in glob.glob(os.path.join(source_dir, '*.h'))
                 if not h.endswith('-private.h') and os.path.basename(h) != 'torchlog.h')
headers += sorted(os.path.basename(h)[:-5] for h in glob.glob(os.path.join(source_dir, '*.h.in')))
sections = {}
for path in glob.glob(os.path.join(doc_dir, 'xml', '*.xml')):
    name = os.path.basename(path)[:-4]
    if name.startswith('api-index') or name in ('annotation-glossary', 'tree_index', 'object_index'):
        continue
    sections[name] = read(path)
problems = []
for header in headers:
    content = sections.get(header)
    if content is None:
        problems.append('%s.h has no section in the manual' % header)
        continue
    purpose = re.search(r'<refpurpose>(.*?)</refpurpose>', content, re.S)
    if not purpose or not text_of(purpose.group(1)):
        problems.append('%s: no short description (SECTION: @short_description)' % header)
    desc = re.search(r'<refsect1 id="[^"]*\.description" role="desc">(.*?)</refsect1>', content, re.S)
    body = re.sub(r'<title[^>]*>.*?</title>', '', desc.group(1), flags=re.S) if desc else ''
    if not text_of(body):
        problems.append('%s: no long description (SECTION: body)' % header)
check('each of the %d public headers has a section with short and long descriptions'
      % len(headers), problems)

main_xml = read(os.path.join(doc_dir, module + '-docs.xml'))
check('every section is included in %s-docs.xml' % module,
      ['xml/%s.xml is not included' % name for name in sorted(sections)
       if 'xml/%s.xml' % name not in main_xml])

# 3. Since tags and descriptions on every symbol, property, signal, enum value.
n_symbols = 0
since_problems, desc_problems, member_problems = [], [], []
for name, content in sorted(sections.items()):
    for m in re.finditer(r'<refsect2 id="([^"]+)" role="([a-z_]+)"[^>]*>(.*?)</refsect2>',
                         content, re.S):
        ident, role, body = m.groups()
        n_symbols += 1
        if not re.search(r'<para role="since">Since: ', body):
            since_problems.append('%s: %s %s has no Since: tag' % (name, role, ident))
        if role in ('property', 'signal', 'child_property', 'style_property'):
            paras = [text_of(p) for p in re.findall(r'<para>(.*?)</para>', body, re.S)]
            paras = [p for p in paras if p and not re.match(
                r'^(Owner|Flags|Default value|Allowed values|Since):', p)]
            if not paras:
                desc_problems.append('%s: %s %s has no description' % (name, role, ident))
        for member, description in re.findall(
                r'<entry role="enum_member_name"><para id="[^"]*">([^<]+)</para></entry>\s*'
                r'<entry role="enum_member_description">(.*?)</entry>', body, re.S):
            if not text_of(description):
                member_problems.append('%s: enum value %s has no description' % (name, member))
print('# %d documented entries (functions, macros, types, properties, signals) in %d API sections'
      % (n_symbols, len([name for name in sections if name in headers])))
check('every symbol, property and signal has a Since: tag', since_problems)
check('every property and signal has a description', desc_problems)
check('every enum value has a description', member_problems)

# 4. Every symbol the library exports is in the manual's index (except the
# GType functions, which gtk-doc files under the Standard subsection).
index = read(os.path.join(doc_dir, 'xml', 'api-index-full.xml'))
indexed = set(text_of(m) for m in re.findall(r'<indexterm[^>]*><primary[^>]*>(.*?)</primary>', index))
indexed |= set(re.findall(r'<link linkend="[^"]*">([A-Za-z_][A-Za-z0-9_]*)</link>', index))
nm = subprocess.run(['nm', '-D', '--defined-only', library], capture_output=True, text=True,
                    check=True).stdout
exported = sorted(set(line.split()[-1] for line in nm.splitlines()
                      if len(line.split()) == 3 and line.split()[1] in 'TDBRV'))
exported = [s for s in exported if not s.startswith('_')]
missing = [s for s in exported if s not in indexed and not s.endswith('_get_type')]
print('# %d exported symbols, %d of them GType functions' % (
    len(exported), len([s for s in exported if s.endswith('_get_type')])))
check('every exported symbol of %s is in the index' % os.path.basename(library),
      ['%s is exported but not in the manual' % s for s in missing])

# 5. Every doc comment in the sources documents something the manual shows:
# a comment gtk-doc cannot attach (a misspelt name, a macro its scanner
# skips) is lost silently otherwise.
ids = set()
for content in sections.values():
    ids |= set(re.findall(r' id="([^"]+)"', content))
lost = []
n_comments = 0
for path in sorted(glob.glob(os.path.join(source_dir, '*.[ch]')) +
                   glob.glob(os.path.join(source_dir, '*.h.in'))):
    # Private headers are not API (the `torchlog` command lives in tools/).
    if os.path.basename(path).endswith('-private.h'):
        continue
    for name in re.findall(r'^/\*\*\s*\n\s*\* ([A-Za-z_][\w:-]*):', read(path), re.M):
        if name == 'SECTION':
            continue
        n_comments += 1
        if '::' in name:        # Type::signal
            wanted = name.replace('::', '-')
        elif ':' in name:       # Type:property
            wanted = name.replace(':', '--')
        else:
            wanted = None
        if wanted is not None:
            found = wanted in ids
        else:
            found = name in indexed
        if not found:
            lost.append('%s: the doc comment of %s is not in the manual' % (os.path.basename(path), name))
print('# %d doc comments in the sources' % n_comments)
check('every doc comment in the sources appears in the manual', lost)

sys.exit(tap.report(results))
