#!/usr/bin/python3
# check-potfiles.py: po/POTFILES.in lists exactly the files with translatable
# strings, so no message escapes translation.
#
# Fails when a source file under torchlog/, tools/ or bindings/ uses _(),
# N_(), C_() or NC_() (outside comments) and is missing from po/POTFILES.in,
# when a GSettings schema is missing from it, when it lists a file that
# exists neither in the source tree nor (generated) in the build tree or
# holds no translatable string, and when po/pytorch.ini.h (PyTorch's
# descriptions for xgettext) is not the build's output from pytorch.ini or
# is found in the source tree, where generated files do not belong.
# Prints TAP.
#
# Usage: check-potfiles.py SOURCE_ROOT BUILD_ROOT
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import tap  # noqa: E402  (tests/tap.py)

root = os.path.realpath(sys.argv[1])
build_root = os.path.realpath(sys.argv[2])
SCANNED_DIRS = ['torchlog', 'tools', 'bindings']
# Files POTFILES.in lists that the build generates (po/meson.build).
GENERATED = ['po/pytorch.ini.h']
SOURCE_SUFFIXES = ('.c', '.h', '.vala', '.js', '.py')
KEYWORD = re.compile(r'(?<![\w.$])(?:N|C|NC)?_\s*\(')
C_COMMENT = re.compile(r'/\*.*?\*/|//[^\n]*', re.S)
PY_COMMENT = re.compile(r'#[^\n]*')


def read(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        return f.read()


def locate(relpath):
    """A listed file: in the source tree, or generated in the build tree
    (xgettext looks in both, the source root first); None if in neither."""
    for top in (root, build_root):
        if os.path.isfile(os.path.join(top, relpath)):
            return os.path.join(top, relpath)
    return None


def has_translatable(relpath):
    path = locate(relpath)
    if relpath.endswith('.gschema.xml'):
        return '<summary>' in read(path) or '<description>' in read(path)
    text = read(path)
    if relpath.endswith('.py'):
        text = PY_COMMENT.sub('', text)
    else:
        text = C_COMMENT.sub('', text)
    # The macros' own definitions are not uses.
    text = '\n'.join(line for line in text.splitlines()
                     if not line.lstrip().startswith('#define'))
    return KEYWORD.search(text) is not None


listed = []
for line in read(os.path.join(root, 'po', 'POTFILES.in')).splitlines():
    line = line.strip()
    if line and not line.startswith('#'):
        listed.append(line)

wanted = []
for top in SCANNED_DIRS:
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
        dirnames[:] = sorted(d for d in dirnames if d != '__pycache__')
        for name in sorted(filenames):
            relpath = os.path.relpath(os.path.join(dirpath, name), root)
            if name.endswith('.gschema.xml') or name.endswith(SOURCE_SUFFIXES):
                if has_translatable(relpath):
                    wanted.append(relpath)

results = []
print('# %d files with translatable strings, %d listed in po/POTFILES.in' % (len(wanted), len(listed)))
results.append(('every file with _() or N_() (and every schema) is in po/POTFILES.in',
                ['%s has translatable strings but is not in po/POTFILES.in' % f
                 for f in wanted if f not in listed]))
results.append(('every file po/POTFILES.in lists exists (generated ones in the build tree)',
                ['%s is listed but does not exist' % f for f in listed if locate(f) is None]))
results.append(('every listed file has translatable strings',
                ['%s is listed but has no _() or N_()' % f for f in listed
                 if locate(f) is not None and not has_translatable(f)]))
results.append(('po/POTFILES.in lists no file twice',
                ['%s is listed %d times' % (f, listed.count(f))
                 for f in sorted(set(listed)) if listed.count(f) > 1]))

ini = os.path.join(root, 'torchlog', 'registrations', 'pytorch.ini')
header = os.path.join(build_root, 'po', 'pytorch.ini.h')
expected = subprocess.run([sys.executable, os.path.join(root, 'po', 'registration-strings.py'), ini],
                          capture_output=True, text=True, check=True).stdout
current = read(header) if os.path.isfile(header) else ''
results.append(('the build generates po/pytorch.ini.h from pytorch.ini, and lists it',
                ([] if current == expected else
                 ['%s is not registration-strings.py\'s output for pytorch.ini' % header]) +
                ([] if 'po/pytorch.ini.h' in listed else ['po/pytorch.ini.h is not in po/POTFILES.in'])))
results.append(('generated files are not in the source tree',
                ['%s is in the source tree; the build generates it' % f
                 for f in GENERATED + ['torchlog/registrations/pytorch.ini.h']
                 if os.path.exists(os.path.join(root, f))]))

sys.exit(tap.report(results))
