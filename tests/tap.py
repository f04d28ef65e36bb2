# tests/tap.py: the TAP report every Python checker of tests/ prints
#
# A checker collects (description, problems) pairs, a check passing when
# its list of problems is empty, and ends with sys.exit(tap.report(results)).
# Each problem's lines are printed as TAP comments under its `not ok`.
#
# SPDX-License-Identifier: LGPL-2.1-or-later


def report(results):
    failed = 0
    for number, (description, problems) in enumerate(results, 1):
        if problems:
            failed += 1
            print('not ok %d - %s' % (number, description))
            for problem in problems:
                for line in str(problem).splitlines() or ['']:
                    print('#   ' + line)
        else:
            print('ok %d - %s' % (number, description))
    print('1..%d' % len(results))
    return 1 if failed else 0
