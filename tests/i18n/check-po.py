#!/usr/bin/python3
# check-po.py: every translation in po/ is complete, valid and up to date
# with the sources. Prints TAP.
#
# For each language of po/LINGUAS:
#   - `msgfmt --check` accepts the catalog (format strings, header, the
#     newlines a msgid starts and ends with) without a warning;
#   - no message is untranslated or fuzzy;
#   - the template regenerated from the sources (xgettext with the keywords
#     of Meson's `glib` preset, over po/POTFILES.in and every C file under
#     torchlog/ and tools/) has no msgid the catalog lacks, so a new or
#     changed string fails here until it is translated
#     (`meson compile torchlog-update-po`, then translate);
#   - what a user types stays literal in the translation: environment
#     variables, options, torch's dotted and underscored names, %(key)s
#     format keys, `code`.
#
# Usage: check-po.py SOURCE_ROOT BUILD_ROOT
#
# BUILD_ROOT holds the generated files POTFILES.in lists (po/pytorch.ini.h,
# PyTorch's descriptions); xgettext looks there after the source root.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import ast
import glob
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import tap  # noqa: E402  (tests/tap.py)

root = os.path.realpath(sys.argv[1])
build_root = os.path.realpath(sys.argv[2])
po_dir = os.path.join(root, 'po')

try:
    from mesonbuild.modules.i18n import PRESET_ARGS
    PRESET = PRESET_ARGS['glib']
except ImportError:
    # Meson's own list (mesonbuild/modules/i18n.py), for an interpreter
    # that cannot import Meson.
    PRESET = [
        '--from-code=UTF-8', '--add-comments',
        '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
        '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
        '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
        '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
        '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
        '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
        '--flag=g_markup_printf_escaped:1:c-format', '--flag=g_log:3:c-format',
        '--flag=g_print:1:c-format', '--flag=g_printerr:1:c-format', '--flag=g_printf:1:c-format',
        '--flag=g_fprintf:2:c-format', '--flag=g_sprintf:2:c-format', '--flag=g_snprintf:3:c-format',
    ]


def parse_po(path):
    """The entries of a PO file: dicts with msgctxt, msgid, msgstr (a
    list, for plurals), flags and obsolete."""
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and 'msgid' in entry:
            entries.append(entry)

    with open(path, encoding='utf-8') as f:
        for raw in f:
            line = raw.rstrip('\n')
            if not line.strip():
                finish()
                entry, field = None, None
                continue
            if entry is None:
                entry = {'flags': set(), 'obsolete': False, 'msgctxt': None, 'msgstr': []}
            if line.startswith('#~'):
                entry['obsolete'] = True
                line = line[2:].lstrip()
                if not line:
                    continue
            if line.startswith('#,'):
                entry['flags'] |= {flag.strip() for flag in line[2:].split(',')}
                continue
            if line.startswith('#'):
                continue
            match = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
            if match:
                field = match.group(1)
                value = ast.literal_eval(match.group(2))
                if field.startswith('msgstr'):
                    entry['msgstr'].append(value)
                else:
                    entry[field] = value
            elif line.startswith('"') and field is not None:
                value = ast.literal_eval(line)
                if field.startswith('msgstr'):
                    entry['msgstr'][-1] += value
                else:
                    entry[field] += value
    finish()
    return entries


def key(entry):
    return (entry['msgctxt'], entry['msgid'])


def short(text, length=70):
    text = text.replace('\n', '\\n')
    return text if len(text) <= length else text[:length] + '…'


results = []


def check(description, problems):
    results.append((description, problems))


# ---- the template, regenerated from the sources -----------------------

listed = []
with open(os.path.join(po_dir, 'POTFILES.in'), encoding='utf-8') as f:
    for line in f:
        line = line.strip()
        if line and not line.startswith('#'):
            listed.append(line)
# Every C file of the library and the command too: a file that gained
# strings but is missing from POTFILES.in still has them checked here.
sources = list(listed)
for path in sorted(glob.glob(os.path.join(root, 'torchlog', '**', '*.[ch]'), recursive=True) +
                   glob.glob(os.path.join(root, 'tools', '**', '*.[ch]'), recursive=True)):
    relpath = os.path.relpath(path, root)
    if relpath not in sources:
        sources.append(relpath)

with tempfile.TemporaryDirectory() as tmp:
    files = os.path.join(tmp, 'files')
    with open(files, 'w', encoding='utf-8') as f:
        f.write('\n'.join(s for s in sources
                           if any(os.path.isfile(os.path.join(top, s)) for top in (root, build_root)))
                + '\n')
    pot = os.path.join(tmp, 'torchlog.pot')
    run = subprocess.run(['xgettext', '--package-name=torchlog', '-f', files, '-D', root,
                          '-D', build_root, '-k_', '-o', pot] + PRESET,
                         capture_output=True, text=True)
    check('xgettext extracts the template from the sources',
          ([] if run.returncode == 0 else ['xgettext exit status %d' % run.returncode]) +
          ['xgettext: ' + line for line in run.stderr.splitlines() if line.strip()])
    template = [e for e in parse_po(pot) if e['msgid']] if os.path.exists(pot) else []
print('# %d messages in the sources' % len(template))
check('the sources have translatable messages',
      [] if len(template) >= 50 else ['only %d messages extracted' % len(template)])

# ---- each language ----------------------------------------------------

languages = []
with open(os.path.join(po_dir, 'LINGUAS'), encoding='utf-8') as f:
    for line in f:
        line = line.split('#', 1)[0]
        languages += line.split()
check('po/LINGUAS lists zh_CN', [] if 'zh_CN' in languages else ['LINGUAS: %r' % languages])

# A user types these exactly as they are written, whatever the language.
LITERALS = re.compile(r'''
    (?<![\w.])(?:TORCH|TORCHLOG)_[A-Z_]+     # environment variables
  | (?<![\w-])--[a-z][a-z-]*                 # options
  | %\([a-z_]+\)s                            # format keys
  | `[^`]+`                                  # code
  | (?<![\w.])[A-Za-z]\w*(?:\.\w+)+\(?       # dotted names: torch.compile, logging.DEBUG
  | (?<![\w.])[a-z]\w*_\w+(?:\(\))?          # underscored names: set_logs, aot_graphs
''', re.X)
# Prose that the patterns would take for names.
NOT_LITERALS = {'e.g', 'i.e'}

for language in languages:
    po = os.path.join(po_dir, language + '.po')
    if not os.path.isfile(po):
        check('%s: po/%s.po exists' % (language, language), ['missing: ' + po])
        continue

    run = subprocess.run(['msgfmt', '--check', '--check-accelerators', '--statistics',
                          '-o', os.devnull, po], capture_output=True, text=True)
    statistics = [line for line in run.stderr.splitlines() if 'translated message' in line]
    warnings = [line for line in run.stderr.splitlines() if line not in statistics and line.strip()]
    print('# %s: %s' % (language, ' '.join(statistics)))
    check('%s: msgfmt --check accepts the catalog' % language,
          ([] if run.returncode == 0 else ['msgfmt exit status %d' % run.returncode]) + warnings)
    check('%s: msgfmt counts no fuzzy or untranslated message' % language,
          [line for line in statistics if 'fuzzy' in line or 'untranslated' in line])

    entries = [e for e in parse_po(po) if not e['obsolete']]
    header = [e for e in entries if e['msgid'] == '' and e['msgctxt'] is None]
    messages = [e for e in entries if e['msgid'] != '' or e['msgctxt'] is not None]
    check('%s: the header names the language and UTF-8' % language,
          [] if header and 'Language: %s\n' % language in header[0]['msgstr'][0]
          and 'charset=UTF-8' in header[0]['msgstr'][0] else ['header: %r' % header[:1]])
    check('%s: no fuzzy message' % language,
          ['fuzzy: ' + short(e['msgid']) for e in messages if 'fuzzy' in e['flags']])
    check('%s: no untranslated message' % language,
          ['untranslated: ' + short(e['msgid']) for e in messages
           if not e['msgstr'] or any(s == '' for s in e['msgstr'])])

    translated = {key(e) for e in messages
                  if 'fuzzy' not in e['flags'] and e['msgstr'] and all(e['msgstr'])}
    missing = [e for e in template if key(e) not in translated]
    check('%s: every message of the sources is translated (the catalog is up to date)' % language,
          ['not in po/%s.po: %s' % (language, short(e['msgid'])) for e in missing] +
          (['run `meson compile -C BUILDDIR torchlog-update-po` and translate the new messages']
           if missing else []))
    print('# %s: %d of %d messages of the sources translated'
          % (language, len(template) - len(missing), len(template)))

    lost = []
    for e in messages:
        if not e['msgstr'] or not all(e['msgstr']):
            continue
        literals = {m.group(0) for m in LITERALS.finditer(e['msgid'])} - NOT_LITERALS
        for literal in sorted(literals):
            if literal not in e['msgstr'][0]:
                lost.append('%r lost in: %s' % (literal, short(e['msgid'])))
    check('%s: names, options, variables and format keys stay literal' % language, lost)

sys.exit(tap.report(results))
