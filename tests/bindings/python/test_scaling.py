#!/usr/bin/python3
# test_scaling.py: set_logs(modules=…) through the logging bridge costs
# time linear in the names given (issue 13, item 2).
#
# The bridge used to read every component and every Python logger again
# on each `component-added`: 1,000 new module names took 2 s, 4,000 took
# 44 s, 10⁶ never finished. Now a new component costs its own domains and
# the loggers below them, and a `changed` the loggers the bridge set.
#
# Linearity is checked without a clock, which a loaded machine makes
# flaky: the work done is counted, as the calls that sys.setprofile()
# sees (Python functions and built-ins such as isinstance() or a dict
# lookup method) while set_logs() runs. That count is the same on any
# machine under any load; for n and 4n names it must grow by at most 5×
# (linear is 4×, the old quadratic bridge 16×). The calls the bridge
# makes into the registry are counted too. The time is printed, and
# measured as a ratio by the benchmarks. With --million (the `stress`
# suite), 250,000 and 10⁶ names, each in a process of its own, for the
# same count and peak memory.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import logging
import resource
import subprocess
import sys
import time
import unittest

import taptest
from taptest import Torchlog

DEBUG = logging.DEBUG
_serial = [0]


def fresh_names(n, prefix):
    """`n` module names nobody used before in this process."""
    _serial[0] += 1
    return ['%s%d_%d.mod%d' % (prefix, _serial[0], i, i) for i in range(n)]


class CallCounter:
    """Counts the calls sys.setprofile() reports while it is active."""

    def __init__(self):
        self.calls = 0

    def _profile(self, frame, event, arg):
        if event in ('call', 'c_call'):
            self.calls += 1

    def __enter__(self):
        sys.setprofile(self._profile)
        return self

    def __exit__(self, *exc):
        sys.setprofile(None)


def counted_set_logs(n, with_loggers):
    """(calls, seconds) of set_logs(modules=…) of `n` new names on a fresh
    registry with a bridge attached; with `with_loggers`, half of the
    names already have a Python logger below them (as modules that did
    `logging.getLogger(__name__)` at import), which the bridge must find
    and configure."""
    registry = Torchlog.Registry.new()
    registry.add_pytorch_registrations()
    previous = Torchlog.LoggingBridge.active()
    if previous is not None:
        previous.detach()
    bridge = registry.attach_logging()
    try:
        names = fresh_names(n, 'scale')
        loggers = []
        if with_loggers:
            loggers = [logging.getLogger(name + '.impl') for name in names[::2]]
        modules = dict.fromkeys(names, DEBUG)
        start = time.process_time()
        with CallCounter() as counter:
            registry.set_logs(modules=modules)
        elapsed = time.process_time() - start
        # Correct, not only linear: every logger below a name follows it.
        for logger in loggers:
            if logger.getEffectiveLevel() != DEBUG:
                raise AssertionError('%s: level %d' % (logger.name, logger.getEffectiveLevel()))
        return counter.calls, elapsed
    finally:
        bridge.detach()


class Linear(unittest.TestCase):
    def check_linear(self, with_loggers):
        n = 2000
        counted_set_logs(50, with_loggers)    # warm up: GType, caches
        small, small_seconds = counted_set_logs(n, with_loggers)
        large, large_seconds = counted_set_logs(4 * n, with_loggers)
        print('# set_logs(modules=…) through the bridge%s: %d names %d calls (%.1f ms), '
              '%d names %d calls (%.1f ms), ratio %.2f'
              % (' (with loggers)' if with_loggers else '', n, small, small_seconds * 1e3,
                 4 * n, large, large_seconds * 1e3, large / small), flush=True)
        self.assertGreater(small, n)          # the counter saw the bridge's work
        self.assertLessEqual(large, 5 * small)

    def test_new_modules_linear(self):
        self.check_linear(with_loggers=False)

    def test_new_modules_with_loggers_linear(self):
        self.check_linear(with_loggers=True)

    def test_changed_costs_the_bridged_loggers_once(self):
        # A `changed` recomputes each bridged logger once, whatever the
        # number of registered names: count the registry queries.
        registry = Torchlog.Registry.new()
        registry.add_pytorch_registrations()
        previous = Torchlog.LoggingBridge.active()
        if previous is not None:
            previous.detach()
        bridge = registry.attach_logging()
        try:
            names = fresh_names(2000, 'count')
            for name in names[:10]:
                logging.getLogger(name)
            calls = []
            level_for = bridge.level_for
            bridge.level_for = lambda name: calls.append(name) or level_for(name)
            registry.set_logs(modules=dict.fromkeys(names, DEBUG))
            # The ten loggers: once when their component is added, once on
            # `changed`; nothing for the 1,990 names without a logger.
            self.assertEqual(len(calls), 20,
                             '%d calls for %d loggers' % (len(calls), len(set(calls))))
            self.assertEqual(len(set(calls)), 10)
            for name in names[10:]:
                self.assertNotIn(name, logging.Logger.manager.loggerDict)
        finally:
            bridge.detach()


# ---- 10⁶ names, in processes of their own (--million) --------------------

def child(n):
    """Run in a child process: set_logs(modules=…) of `n` new names on the
    default registry (PyTorch's names, the bridge attached), as a program
    would; prints seconds and the peak RSS growth in bytes."""
    Torchlog.set_logs()          # the default registry, set up and bridged
    names = ['million%d.mod' % i for i in range(n)]
    modules = dict.fromkeys(names, DEBUG)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    start = time.process_time()
    with CallCounter() as counter:
        Torchlog.set_logs(modules=modules)
    elapsed = time.process_time() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    registry = Torchlog.Registry.get_default()
    assert int(registry.get_effective_level(names[-1] + '.x')) == DEBUG
    print(json.dumps({'n': n, 'calls': counter.calls, 'seconds': elapsed, 'bytes': peak - before}))


def run_child(n):
    output = subprocess.run([sys.executable, __file__, '--child', str(n)], check=True,
                            stdout=subprocess.PIPE, universal_newlines=True).stdout
    return json.loads(output.splitlines()[-1])


class Million(unittest.TestCase):
    def test_million_names_linear(self):
        small, large = run_child(250000), run_child(1000000)
        print('# 250,000 names: %d calls, %.1f s, %.0f MB; 10^6 names: %d calls, %.1f s, %.0f MB'
              % (small['calls'], small['seconds'], small['bytes'] / 1e6,
                 large['calls'], large['seconds'], large['bytes'] / 1e6), flush=True)
        self.assertGreater(small['calls'], 250000)
        self.assertLessEqual(large['calls'], 5 * small['calls'])
        self.assertLessEqual(large['bytes'], 6 * small['bytes'])


if __name__ == '__main__':
    if '--child' in sys.argv:
        child(int(sys.argv[sys.argv.index('--child') + 1]))
    elif '--million' in sys.argv:
        sys.argv.remove('--million')
        del Linear
        taptest.main()
    else:
        del Million
        taptest.main()
