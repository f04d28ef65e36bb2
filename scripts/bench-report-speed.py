#!/usr/bin/python3
# bench-report-speed.py: how fast `torchlog report` reads tlparse's inputs
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs `torchlog report` on every trace of tests/data/tlparse (22.5 MB of
# real PyTorch traces: each file alone, as tlparse's tests do), one after
# the other, and prints the total wall time, MB/s, and the peak memory
# (largest maxrss of a run) against the largest input file. The peer,
# measured in the same run on the same files, is `md5sum` (reading and
# hashing every byte once): the ratio says how far from I/O-bound it is.
#
# Usage: bench-report-speed.py TORCHLOG [--quick]   (--quick: simple.log only)

import os
import subprocess
import sys
import tempfile
import time

tool = sys.argv[1]
quick = "--quick" in sys.argv[2:]
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "tlparse")
files = sorted(os.path.join(d, f) for d, _, names in os.walk(root) for f in names
               if f.endswith((".log", ".txt")))
if quick:
    files = [os.path.join(root, "simple.log")]
total = sum(os.path.getsize(f) for f in files)
largest = max(os.path.getsize(f) for f in files)


def run(argv):
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss * 1024


def measure(make_argv):
    peak = 0
    start = time.perf_counter()
    for i, f in enumerate(files):
        code, rss = run(make_argv(f, i))
        if code != 0:
            sys.exit(f"{make_argv(f, i)} failed with {code}")
        peak = max(peak, rss)
    return time.perf_counter() - start, peak


with tempfile.TemporaryDirectory() as out:
    best = None
    for _ in range(1 if quick else 3):
        t, peak = measure(lambda f, i: [tool, "report", "--no-progress", f, "-o", os.path.join(out, str(i))])
        best = (t, peak) if best is None or t < best[0] else best
peer = min(measure(lambda f, i: ["md5sum", f])[0] for _ in range(1 if quick else 3))
t, peak = best
print(f"torchlog report: {len(files)} files, {total / 1e6:.1f} MB in {t:.2f} s = {total / 1e6 / t:.1f} MB/s")
print(f"peak memory {peak / 1e6:.1f} MB = {peak / largest:.2f} x the largest input ({largest / 1e6:.1f} MB)")
print(f"peer md5sum on the same files: {peer:.2f} s; report / md5sum = {t / peer:.1f}x")
