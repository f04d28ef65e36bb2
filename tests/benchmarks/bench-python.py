#!/usr/bin/python3
# bench-python.py: Python's logging, plain and through torchlog's bridge
#
# Run with Debian's /usr/bin/python3 (the one with PyGObject), against the
# uninstalled typelib and overrides (GI_TYPELIB_PATH, LD_LIBRARY_PATH,
# PYTHONPATH as the binding tests set them). Cases, repetitions
# alternating, medians:
#  - a disabled logger.debug(): plain `logging` against a logger under a
#    registered domain with the bridge attached (target: <= 1.0x plain);
#  - an enabled logger.debug() to a file: plain `logging` with a
#    FileHandler in torch's format against the bridge, whose records torchlog
#    prints to TORCH_LOGS_OUT (stderr on /dev/null) (target: <= 0.5x plain).
# Prints each case like the C benchmarks and appends RESULT lines to
# $TORCHLOG_BENCH_RESULTS. TORCHLOG_BENCH_QUICK=1 or --quick: short run.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import logging
import os
import statistics
import sys
import tempfile
import time

QUICK = '--quick' in sys.argv or os.environ.get('TORCHLOG_BENCH_QUICK', '0') not in ('', '0')
REPS = 3 if QUICK else 9
N_DISABLED = 20000 if QUICK else 400000
N_ENABLED = 2000 if QUICK else 40000
VALUE = 'abc'


def per_call(logger, n):
    debug = logger.debug
    start = time.perf_counter_ns()
    for i in range(n):
        debug('value %s %d', VALUE, i)
    return (time.perf_counter_ns() - start) / n


def fmt(value, unit):
    if value >= 100 or value == 0:
        return '%.0f %s' % (value, unit)
    if value >= 10:
        return '%.1f %s' % (value, unit)
    return '%.2f %s' % (value, unit)


def report(case_id, what, mine, peer, theirs, unit, target=None, met=False):
    ratio = mine / theirs if theirs else 0.0
    print('%s: torchlog %s, %s %s, ratio X/Y = %.3f   [target %s: %s]'
          % (what, fmt(mine, unit), peer, fmt(theirs, unit), ratio,
             target or 'none', ('met' if met else 'MISSED') if target else '-'),
          flush=True)
    path = os.environ.get('TORCHLOG_BENCH_RESULTS')
    if path:
        with open(path, 'a') as results:
            results.write('RESULT\t%s\t%s\t%.4f\t%s\t%.4f\t%s\t%.4f\t%s\t%s\n'
                          % (case_id, what, mine, peer, theirs, unit, ratio, target or '',
                             ('met' if met else 'MISSED') if target else ''))


def note(case_id, what, value, unit):
    print('%s: %s   [target none: -]' % (what, fmt(value, unit)), flush=True)
    path = os.environ.get('TORCHLOG_BENCH_RESULTS')
    if path:
        with open(path, 'a') as results:
            results.write('NOTE\t%s\t%s\t%.4f\t%s\t\t\n' % (case_id, what, value, unit))


def count_child(kind, n):
    """--count KIND N: a process for valgrind to count: the setup of
    main(), then N disabled logger.debug() calls on the plain or the
    bridged logger."""
    import gi
    gi.require_version('Torchlog', '1.0')
    from gi.repository import Torchlog
    plain = logging.getLogger('plain.bench.sub')
    plain.setLevel(logging.WARNING)
    registry = Torchlog.Registry.new()
    registry.add_pytorch_registrations()
    registry.parse_logs('')
    registry.attach_logging()
    bridged = logging.getLogger('torch._dynamo.bench')
    logger = bridged if kind == 'bridged' else plain
    debug = logger.debug
    for i in range(n):
        debug('value %s %d', VALUE, i)
    return 0


def count_instructions():
    """Instructions per disabled call, plain and bridged, by callgrind
    (stable on a loaded machine, unlike a clock): the count of 2N calls
    minus that of N, over N. Nothing without valgrind."""
    import shutil
    import subprocess
    valgrind = shutil.which('valgrind')
    if valgrind is None:
        return
    n = 20000
    per_call = {}
    for kind in ('plain', 'bridged'):
        counts = []
        for calls in (n, 2 * n):
            done = subprocess.run([valgrind, '--tool=callgrind', '--callgrind-out-file=/dev/null',
                                   sys.executable, __file__, '--count', kind, str(calls)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  universal_newlines=True)
            found = [line.split()[-1] for line in done.stderr.splitlines()
                     if 'Collected :' in line]
            if done.returncode != 0 or not found:
                return
            counts.append(int(found[-1]))
        per_call[kind] = (counts[1] - counts[0]) / n
    note('instr-python-plain', 'instructions: Python disabled logger.debug(), plain logging',
         per_call['plain'], 'instructions')
    note('instr-python-bridged', 'instructions: Python disabled logger.debug() through the bridge',
         per_call['bridged'], 'instructions')


def main():
    if '--count' in sys.argv:
        where = sys.argv.index('--count')
        return count_child(sys.argv[where + 1], int(sys.argv[where + 2]))
    for name in ('TORCH_LOGS', 'TORCH_LOGS_OUT', 'TORCH_LOGS_FORMAT'):
        os.environ.pop(name, None)
    try:
        import gi
        gi.require_version('Torchlog', '1.0')
        from gi.repository import Torchlog
    except (ImportError, ValueError) as error:
        Torchlog = None
        print('(torchlog typelib not found: %s; plain logging only)' % error)

    tmp = tempfile.mkdtemp(prefix='torchlog-bench-py-')
    plain_path = os.path.join(tmp, 'plain.log')
    bridge_path = os.path.join(tmp, 'bridge.log')

    plain = logging.getLogger('plain.bench.sub')
    plain.setLevel(logging.WARNING)

    registry = bridge = None
    if Torchlog is not None:
        registry = Torchlog.Registry.new()
        registry.add_pytorch_registrations()
        registry.parse_logs('')
        bridge = registry.attach_logging()
    bridged = logging.getLogger('torch._dynamo.bench')

    # Disabled.
    plain_times, bridge_times = [], []
    per_call(plain, N_DISABLED // 10)
    per_call(bridged, N_DISABLED // 10)
    for _ in range(REPS):
        plain_times.append(per_call(plain, N_DISABLED))
        if bridge is not None:
            bridge_times.append(per_call(bridged, N_DISABLED))
    a = statistics.median(plain_times)
    if bridge is not None:
        b = statistics.median(bridge_times)
        report('python-disabled', 'Python: disabled logger.debug() through the bridge', b,
               'plain Python logging', a, 'ns', '<= 1.0x plain logging', b <= a)
    else:
        note('python-disabled-plain', 'Python: disabled logger.debug(), plain logging', a, 'ns')

    # Enabled, to a file; stderr on /dev/null while the lines are logged.
    handler = logging.FileHandler(plain_path)
    handler.setFormatter(logging.Formatter(
        '%(levelname).1s%(asctime)s.%(msecs)03d %(process)d %(pathname)s:%(lineno)d] %(message)s',
        '%m%d %H:%M:%S'))
    plain.addHandler(handler)
    plain.propagate = False
    plain.setLevel(logging.DEBUG)
    if registry is not None:
        registry.set_output_file(bridge_path)
        registry.parse_logs('+dynamo')
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    os.close(null)
    plain_times, bridge_times = [], []
    try:
        per_call(plain, N_ENABLED // 10)
        if registry is not None:
            per_call(bridged, N_ENABLED // 10)
        for _ in range(REPS):
            plain_times.append(per_call(plain, N_ENABLED))
            if registry is not None:
                start = time.perf_counter_ns()
                t = per_call(bridged, N_ENABLED)
                registry.flush()
                bridge_times.append(t + (time.perf_counter_ns() - start - t * N_ENABLED) / N_ENABLED)
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        handler.close()
        if registry is not None:
            registry.set_output_file(None)
    a = statistics.median(plain_times)
    if registry is not None:
        b = statistics.median(bridge_times)
        report('python-enabled', 'Python: enabled logger.debug() to a file through the bridge', b,
               'plain Python logging FileHandler', a, 'ns', '<= 0.5x plain FileHandler',
               b <= 0.5 * a)
        bridge.detach()
    else:
        note('python-enabled-plain', 'Python: enabled logger.debug(), plain FileHandler', a, 'ns')

    if not QUICK:
        count_instructions()

    for path in (plain_path, bridge_path):
        if os.path.exists(path):
            os.unlink(path)
    os.rmdir(tmp)
    return 0


if __name__ == '__main__':
    sys.exit(main())
