#!/usr/bin/python3
# check-manpage.py: the built torchlog(1) matches the command's --help.
#
# Every verb `torchlog --help` lists has an entry in the man page's COMMANDS
# section (and a line in its SYNOPSIS), and the man page documents no verb
# the command lacks; within each verb's entry, every option of
# `torchlog VERB --help` (long and short forms) appears, and no option that
# VERB does not take. --help and --version are documented. Prints TAP.
#
# Usage: check-manpage.py TORCHLOG.1 TORCHLOG_COMMAND
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import tap  # noqa: E402  (tests/tap.py)

man_path, tool = sys.argv[1:3]
env = dict(os.environ, LANGUAGE='C', LC_ALL='C.UTF-8')


def help_of(*args):
    return subprocess.run([tool] + list(args) + ['--help'], capture_output=True,
                          text=True, env=env).stdout


def plain(troff):
    """The man page's text without troff markup, one line per input line."""
    lines = []
    for line in troff.splitlines():
        if line.startswith(('.\\"', "'\\\"")):
            continue
        if line.startswith('.SH '):
            lines.append('\x00' + line[4:].strip('"'))   # a section heading
            continue
        if line.startswith('.PP'):
            lines.append('\x01')   # a new paragraph: an entry's term follows
            continue
        line = re.sub(r'^\.(?:SS|TP|IP|PP|sp|RS|RE|nf|fi|br|HP|\w\w?)\b\s*', '', line)
        line = re.sub(r'\\f[BIRP]|\\f\(\w\w|\\&|\\%|\\:', '', line)
        line = line.replace('\\-', '-').replace('\\(em', '—').replace('\\(en', '–')
        line = line.replace('\\(lq', '"').replace('\\(rq', '"').replace('\\*(Aq', "'")
        lines.append(line.strip('"').strip())
    return '\n'.join(lines)


text = plain(open(man_path, encoding='utf-8').read())
sections = {}
current = None
for line in text.splitlines():
    if line.startswith('\x00'):
        current = line[1:]
        sections[current] = []
    elif current:
        sections[current].append(line)
synopsis = '\n'.join(sections.get('SYNOPSIS', []))
commands = sections.get('COMMANDS', [])

top = help_of()
verbs = re.findall(r'^  ([a-z][a-z-]*)\s{2,}\S', top, re.M)
print('# the command lists %d verbs: %s' % (len(verbs), ' '.join(verbs)))

# The COMMANDS entries start with a term "torchlog VERB …" right after a
# paragraph break (the same words in prose do not).
entries = {}
order = []
after_break = False
for line in commands:
    m = re.match(r'torchlog ([a-z][a-z-]*)\b', line)
    if m and after_break:
        order.append(m.group(1))
        entries[m.group(1)] = []
    elif order:
        entries[order[-1]].append(line)
    after_break = line == '\x01'
synopsis = synopsis.replace('\x01', '')

results = []
results.append(('the command lists its verbs', [] if verbs else ['torchlog --help lists no verb']))
results.append(('every verb has an entry in COMMANDS and a SYNOPSIS line',
                ['%s: no entry in COMMANDS' % v for v in verbs if v not in entries] +
                ['%s: not in SYNOPSIS' % v for v in verbs
                 if not re.search(r'^torchlog %s\b' % re.escape(v), synopsis, re.M)]))
results.append(('the man page documents no verb the command lacks',
                ['%s: in the man page, not in torchlog --help' % v for v in entries if v not in verbs]))

missing, stale, count = [], [], 0
for verb in verbs:
    out = help_of(verb)
    options = set()
    for m in re.finditer(r'^  (?:(-\w), )?(--[\w-]+)', out, re.M):
        options.update(o for o in m.groups() if o)
    options.discard('-h')
    options.discard('--help')
    count += len(options)
    entry = '\n'.join(entries.get(verb, []))
    for option in sorted(options):
        if not re.search(r'(?<![\w-])%s(?![\w-])' % re.escape(option), entry):
            missing.append('%s: %s (in `torchlog %s --help`) is not in its entry' % (verb, option, verb))
    documented = set(re.findall(r'(?<![\w-])(--[a-z][\w-]*)', entry))
    for option in sorted(documented - options - {'--help'}):
        # Mentions of another verb's options in prose are fine only if real.
        if option not in out:
            stale.append('%s: %s is documented but `torchlog %s --help` has no such option'
                         % (verb, option, verb))
print('# %d options over all verbs' % count)
results.append(("every option of each verb's --help is in that verb's entry", missing))
results.append(('no verb entry documents an option the verb lacks', stale))
options_section = '\n'.join(sections.get('OPTIONS', []))
results.append(('--help and --version are documented',
                ['%s is not in OPTIONS' % o for o in ('--help', '--version')
                 if o not in options_section] +
                ([] if subprocess.run([tool, '--version'], capture_output=True, env=env).returncode == 0
                 else ['torchlog --version fails'])))
# The page and the command agree the other way too (issue 17).
top_help = help_of()
results.append(('torchlog --help lists --help and --version, as the page does',
                ['%s is not in torchlog --help' % o for o in ('--help', '--version')
                 if o not in top_help]))
results.append(('FILES names real paths (no $datadir, no @DATADIR@)',
                ['%r in the page' % v for v in ('$datadir', '@DATADIR@') if v in text]))
# In the C locale (ASCII) the typographic quotes of the messages cannot be
# shown: the command writes ASCII ones, never GLib's `?` fallback.
c_env = dict(os.environ, LANGUAGE='', LC_ALL='C')
ascii_bad = []
for args in ([], ['explain'], ['list'], ['set']):
    out = subprocess.run([tool] + args + ['--help'], capture_output=True, env=c_env).stdout
    if b'?' in out.replace(b'-?', b''):
        ascii_bad.append('torchlog %s --help shows ?: %r' % (' '.join(args),
                         [l for l in out.split(b'\n') if b'?' in l][:2]))
    if any(b > 127 for b in out):
        ascii_bad.append('torchlog %s --help is not ASCII in the C locale' % ' '.join(args))
results.append(('C locale: --help in ASCII quotes, no `?`', ascii_bad))

sys.exit(tap.report(results))
