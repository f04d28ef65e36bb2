#!/usr/bin/python3
# check-readme.py: the README's tour stays true. Its C and Python examples
# must be excerpts, line for line, of the guide's examples (which
# test-examples and test-guide-examples build and run); its first code
# block must be the set-up commands; the files and folders it links to must
# exist. Prints TAP.
#
# Usage: check-readme.py SOURCE_ROOT
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import glob
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import tap  # noqa: E402  (tests/tap.py)

root = sys.argv[1]
readme = open(os.path.join(root, 'README.md'), encoding='utf-8').read()
examples = {path: open(path, encoding='utf-8').read()
            for path in glob.glob(os.path.join(root, 'docs', 'reference', 'examples', '*'))}
blocks = re.findall(r'^```(\w*)\n(.*?)^```', readme, re.M | re.S)
results = []

first = blocks[0] if blocks else ('', '')
results.append(('the README starts with the set-up commands',
                [] if first[0] == 'sh' and './scripts/demo.sh' in first[1] and
                './scripts/test.sh' in first[1] and readme.index('```') < readme.find('\n## ')
                else ['the first code block is not the demo.sh/test.sh commands']))

for language, suffixes in (('c', ('.c',)), ('python', ('.py',))):
    code = [body for lang, body in blocks if lang == language]
    problems = [] if code else ['no ```%s example' % language]
    for body in code:
        if not any(body in text for path, text in examples.items() if path.endswith(suffixes)):
            problems.append('a ```%s block is not an excerpt of docs/reference/examples/*%s'
                            % (language, suffixes[0]))
    results.append(('the %s example is a tested example of the guide' % language, problems))

links = re.findall(r'\]\(([^)#:]+)\)', readme)
results.append(('every file the README links to exists',
                ['%s does not exist' % link for link in links
                 if not os.path.exists(os.path.join(root, link))]))

sys.exit(tap.report(results))
