#!/usr/bin/python3
# check-pot.py: xgettext, run as `meson compile torchlog-pot` runs it (the
# i18n module's glib preset over po/POTFILES.in), extracts every text a
# person reads: torch's help and error texts, PyTorch's descriptions, and
# the `torchlog` command's verb summaries and option descriptions, without
# a warning. Prints TAP.
#
# Usage: check-pot.py SOURCE_ROOT BUILD_ROOT TORCHLOG_COMMAND
#
# BUILD_ROOT holds the generated files POTFILES.in lists (po/pytorch.ini.h);
# xgettext looks there after the source root, as the torchlog-pot target does.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import ast
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import tap  # noqa: E402  (tests/tap.py)

root, build_root, tool = os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2]), sys.argv[3]

try:
    from mesonbuild.modules.i18n import PRESET_ARGS
    preset = PRESET_ARGS['glib']
except ImportError:   # not the interpreter Meson runs on: the same keywords
    preset = ['--from-code=UTF-8', '--add-comments', '--keyword=_', '--keyword=N_',
              '--keyword=C_:1c,2', '--keyword=NC_:1c,2', '--flag=N_:1:pass-c-format']

results = []


def check(description, problems):
    results.append((description, problems))


with tempfile.TemporaryDirectory() as tmp:
    pot = os.path.join(tmp, 'torchlog.pot')
    run = subprocess.run(['xgettext', '--package-name=torchlog', '-p', tmp,
                          '-f', os.path.join(root, 'po', 'POTFILES.in'), '-D', root,
                          '-k_', '-o', pot] + preset + ['--directory=' + build_root],
                         capture_output=True, text=True)
    check('xgettext runs without error or warning',
          ([] if run.returncode == 0 else ['exit status %d' % run.returncode]) +
          [line for line in run.stderr.splitlines() if line.strip()])
    text = open(pot, encoding='utf-8').read() if os.path.exists(pot) else ''

# The msgids, with their string continuations joined.
msgids = set()
for m in re.finditer(r'^msgid ((?:"(?:[^"\\]|\\.)*"\n)+)', text, re.M):
    msgids.add(''.join(ast.literal_eval(part) for part in m.group(1).split('\n') if part))
msgids.discard('')
print('# %d messages extracted' % len(msgids))


def expect(description, needles):
    check(description, ['no msgid %r' % n for n in needles if n not in msgids])


expect('torch\'s help text and its headings', [
    next((m for m in msgids if m.startswith('\nTORCH_LOGS Info\n\nExamples:\n')), '\nTORCH_LOGS Info…'),
    'All registered names',
    "Visible registered names (use TORCH_LOGS='+help' for full list)",
])
expect('torch\'s errors and warnings', [
    '\nInvalid log settings: %s, must be a comma separated list of fully\n'
    'qualified module names, registered log names or registered artifact names.\n'
    'For more info on various settings, try TORCH_LOGS="help"\nValid settings:\n',
    'Unrecognized log or artifact name passed to set_logs: %s',
    'Unrecognized log level for log %s: %s, valid level values are: 50,40,30,20,10,0',
    'Expected bool to enable artifact %s, received %s',
    'Using TORCH_LOGS environment variable for log settings, ignoring call to set_logs',
    "Artifact name: '%s' not registered,please call register_artifact('%s') "
    'in torch._logging.registrations.',
])
expect('PyTorch\'s artifact and log descriptions', [
    'This prints the guards for every compiled Dynamo frame. It does not tell you where the '
    'guards come from.',
    'The log level for the TorchDynamo component.',
])

# The command: every verb's summary and every option's description, as
# --help prints them, must be a msgid (the English output is the msgid).
env = dict(os.environ, LANGUAGE='C', LC_ALL='C.UTF-8')
top = subprocess.run([tool, '--help'], capture_output=True, text=True, env=env).stdout
verbs = re.findall(r'^  ([a-z][a-z-]*)\s{2,}(\S.*)$', top, re.M)
needles = [summary for _, summary in verbs]
for verb, _ in verbs:
    out = subprocess.run([tool, verb, '--help'], capture_output=True, text=True, env=env).stdout
    options = out.split('Application Options:', 1)
    if len(options) == 2:
        block = options[1].split('\n\n', 1)[0]
        needles += re.findall(r'^  (?:-\w, )?--\S+\s{2,}(\S.*)$', block, re.M)
print('# the command: %d verbs, %d summaries and option descriptions' % (len(verbs), len(needles)))
check('the command lists its verbs', [] if len(verbs) >= 4 else ['only %d verbs in --help' % len(verbs)])
expect('the command\'s verb summaries and option descriptions', needles)

sys.exit(tap.report(results))
