# overrides-dir.py PREFIX: prints where the PyGObject overrides go.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# For the interpreter's own prefix (/usr) that is PyGObject's overrides
# folder. Under another prefix it is the site folder this interpreter
# searches there (Debian: /usr/local/lib/python3.X/dist-packages), else the
# standard lib/python3.X/site-packages; PyGObject extends gi.overrides over
# every `gi/overrides` folder on sys.path.
import os
import sys

prefix = os.path.normpath(sys.argv[1])
if prefix == os.path.normpath(sys.base_prefix):
    import gi
    print(gi._overridesdir)
    sys.exit(0)
for entry in sys.path:
    if entry.startswith(prefix + os.sep) and \
            os.path.basename(entry) in ('site-packages', 'dist-packages'):
        print(os.path.join(entry, 'gi', 'overrides'))
        sys.exit(0)
print(os.path.join(prefix, 'lib', 'python%d.%d' % sys.version_info[:2],
                   'site-packages', 'gi', 'overrides'))
