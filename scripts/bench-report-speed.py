#!/usr/bin/python3
# bench-report-speed.py: how fast `torchlog report` reads tlparse's inputs
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs `torchlog report` on every trace of tests/data/tlparse (22.5 MB of
# real PyTorch traces: each file alone, as tlparse's tests do), one after
# the other, and prints the total wall time, MB/s, and the peak memory
# (largest maxrss of a run, and which run) against the largest input file
# (issue 18's target: under 3x), next to `torchlog --version`'s, the floor
# of any run (the libraries mapped). The peer,
# measured in the same run on the same files, is `md5sum` (reading and
# hashing every byte once): the ratio says how far from I/O-bound it is.
#
# Usage: bench-report-speed.py TORCHLOG [--quick]   (--quick: simple.log only)

import os
import shutil
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


GNU_TIME = shutil.which("time", path="/usr/bin:/bin")


def run(argv):
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss * 1024


def peak_rss(argv):
    """The command's own peak RSS. A direct child of Python cannot give it:
    Linux carries into a process's maxrss the resident peak of the address
    space it had before exec(), which for a child of subprocess (vfork) is
    Python's own, 11 MB here. GNU time's child starts from time's small
    process, so what time reports is the command's."""
    if GNU_TIME is None:
        return run(argv)[1]   # an upper bound: see peak_note
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run([GNU_TIME, "-f", "%M", "-o", report.name] + argv,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return int(report.read().split()[-1]) * 1024


def measure(make_argv):
    start = time.perf_counter()
    for i, f in enumerate(files):
        code, _ = run(make_argv(f, i))
        if code != 0:
            sys.exit(f"{make_argv(f, i)} failed with {code}")
    return time.perf_counter() - start


def report_argv(out):
    return lambda f, i: [tool, "report", "--no-progress", f, "-o", os.path.join(out, str(i))]


with tempfile.TemporaryDirectory() as out:
    t = min(measure(report_argv(out)) for _ in range(1 if quick else 3))
    # Memory in a pass of its own, so that time's fork does not count in t.
    peak, peak_file = max((peak_rss(report_argv(out)(f, i)), f) for i, f in enumerate(files))
floor = peak_rss([tool, "--version"])
peer = min(measure(lambda f, i: ["md5sum", f]) for _ in range(1 if quick else 3))
peak_note = "" if GNU_TIME else " (no /usr/bin/time: Python's maxrss, an upper bound, includes Python's own)"
print(f"torchlog report: {len(files)} files, {total / 1e6:.1f} MB in {t:.2f} s = {total / 1e6 / t:.1f} MB/s")
print(f"peak memory {peak / 1e6:.1f} MB = {peak / largest:.2f} x the largest input ({largest / 1e6:.1f} MB), "
      f"target < 3x: {'met' if peak < 3 * largest else 'MISSED'}{peak_note}")
print(f"  largest peak on {os.path.relpath(peak_file, root)}; torchlog --version alone: {floor / 1e6:.1f} MB")
print(f"peer md5sum on the same files: {peer:.2f} s; report / md5sum = {t / peer:.1f}x")
