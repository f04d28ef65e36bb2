# taptest.py: runs a module's unittest cases and reports them as TAP, the
# protocol meson's test() uses for every torchlog suite.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Importing it also makes sure the uninstalled overrides are the ones in
# use: the source tree's `bindings/python` is put first on
# gi.overrides.__path__, so an installed Torchlog.py cannot shadow it, and
# the test fails if another copy was loaded.
import os
import sys
import unittest

import gi

gi.require_version('Torchlog', '1.0')

_expected = os.environ.get('TORCHLOG_OVERRIDES_DIR')
if _expected:
    import gi.overrides
    gi.overrides.__path__.insert(0, _expected)

from gi.repository import Torchlog  # noqa: E402

__all__ = ['Torchlog', 'check_overrides', 'main']


def check_overrides():
    """The overrides module in use, checked against TORCHLOG_OVERRIDES_DIR."""
    module = sys.modules.get('gi.overrides.Torchlog')
    if module is None:
        raise AssertionError('the Torchlog overrides were not loaded')
    if _expected and os.path.dirname(os.path.realpath(module.__file__)) != os.path.realpath(_expected):
        raise AssertionError('loaded %s, expected the copy in %s' % (module.__file__, _expected))
    return module


class _TapResult(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.number = 0

    def _line(self, ok, test, note=''):
        self.number += 1
        name = test.id().split('.', 1)[-1]
        print('%s %d - %s%s' % ('ok' if ok else 'not ok', self.number, name, note), flush=True)

    def addSuccess(self, test):
        super().addSuccess(test)
        self._line(True, test)

    def _report(self, test, err):
        self._line(False, test)
        for line in self._exc_info_to_string(err, test).splitlines():
            print('# ' + line, flush=True)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._report(test, err)

    def addError(self, test, err):
        super().addError(test, err)
        self._report(test, err)

    def addSkip(self, test, reason):
        # A skipped test is a failure here: the suites must never skip.
        super().addSkip(test, reason)
        self._line(False, test, ' # skipped: ' + reason)
        self.failures.append((test, reason))


def main(module_name='__main__'):
    check_overrides()
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[module_name])
    print('TAP version 13')
    print('1..%d' % suite.countTestCases(), flush=True)
    result = _TapResult()
    suite.run(result)
    sys.exit(0 if result.wasSuccessful() and not result.failures else 1)
