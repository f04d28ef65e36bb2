#!/usr/bin/python3
# bench-trace.py: one structured trace record with a 10 KB payload
#
# In the same run: torch's own algorithm in Python (torch/_logging/
# _internal.py trace_structured() and TorchLogsFormatter: json.dumps of the
# record, hashlib.md5 of the whole payload, the glog prefix, the payload
# lines each after "\n\t", a logging.FileHandler that flushes every record)
# against torchlog from Python (Torchlog.trace_structured() through the
# overrides) and from C (bench-trace-c, $TORCHLOG_BENCH_TRACE_C). The
# payload is ~60-byte lines of generated code. Targets (issue 14): C at
# least 20x faster than torch's algorithm, Python through torchlog 3x.
# Prints each case like the other benchmarks and appends RESULT lines to
# $TORCHLOG_BENCH_RESULTS. TORCHLOG_BENCH_QUICK=1 or --quick: short run.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import hashlib
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time

QUICK = '--quick' in sys.argv or os.environ.get('TORCHLOG_BENCH_QUICK', '0') not in ('', '0')
REPS = 3 if QUICK else 7
N = 200 if QUICK else 3000


def payload_text():
    lines = []
    size = 0
    i = 0
    while size < 10 * 1024:
        line = "    buf%d = torch.ops.aten.mm.default(arg%d_1, arg%d_2)" % (i, i, i + 1)
        lines.append(line)
        size += len(line) + 1
        i += 1
    return "\n".join(lines) + "\n"


PAYLOAD = payload_text()
METADATA = {"filename": "/tmp/torchinductor/xy/cxyz.py", "graph_id": 7}


class TorchTraceFormatter(logging.Formatter):
    """TorchLogsFormatter(trace=True): the glog prefix, json.dumps of the
    record, the payload lines."""

    def format(self, record):
        record.asctime = self.formatTime(record, "%m%d %H:%M:%S")
        prefix = (f"V{record.asctime}.{int(record.msecs * 1000):06d} {record.process} "
                  f"{os.path.relpath(record.pathname)}:{record.lineno}]")
        r = f"{prefix} {json.dumps(record.metadata)}"
        if record.payload is not None:
            r += "".join(f"\n\t{l}" for l in record.payload.split("\n"))
        return r


def torch_trace_structured(log, name, metadata_fn, payload_fn):
    """torch's trace_structured() for a record with a string payload and a
    compile id (no stack), with its overhead accounting."""
    if log.handlers:
        start_time = time.time_ns()
        record = {}
        record[name] = metadata_fn()
        record["frame_id"] = 0
        record["frame_compile_id"] = 0
        record["attempt"] = 0
        payload = payload_fn()
        h = hashlib.md5(usedforsecurity=False)
        h.update(payload.encode("utf-8"))
        record["has_payload"] = h.hexdigest()
        log.debug("", extra={"metadata": record, "payload": payload}, stacklevel=2)
        _overhead[0] += (time.time_ns() - start_time) / 1e9


_overhead = [0.0]


def bench_torch(directory):
    log = logging.getLogger("bench.__trace")
    log.propagate = False
    log.setLevel(logging.DEBUG)
    handler = logging.FileHandler(os.path.join(directory, "torch_trace.log"))
    handler.setFormatter(TorchTraceFormatter())
    log.addHandler(handler)
    md = lambda: METADATA  # noqa: E731
    pl = lambda: PAYLOAD  # noqa: E731
    start = time.perf_counter_ns()
    for _ in range(N):
        torch_trace_structured(log, "inductor_output_code", md, pl)
    elapsed = (time.perf_counter_ns() - start) / N
    log.removeHandler(handler)
    handler.close()
    return elapsed


def bench_torchlog_python(Torchlog, compile_id):
    md = lambda: METADATA  # noqa: E731
    pl = lambda: PAYLOAD  # noqa: E731
    trace = Torchlog.trace_structured
    start = time.perf_counter_ns()
    for _ in range(N):
        trace("inductor_output_code", md, payload_fn=pl, compile_id=compile_id)
    return (time.perf_counter_ns() - start) / N


def bench_torchlog_c():
    exe = os.environ.get('TORCHLOG_BENCH_TRACE_C')
    out = subprocess.run([exe, str(N), '1'], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def report(case_id, what, mine, peer, theirs, target, wanted):
    ratio = mine / theirs
    met = theirs / mine >= wanted
    print('%s: torchlog %.0f ns, %s %.0f ns, ratio X/Y = %.3f   [target %s: %s]'
          % (what, mine, peer, theirs, ratio, target, 'met' if met else 'MISSED'), flush=True)
    path = os.environ.get('TORCHLOG_BENCH_RESULTS')
    if path:
        with open(path, 'a') as results:
            results.write('RESULT\t%s\t%s\t%.4f\t%s\t%.4f\t%s\t%.4f\t%s\t%s\n'
                          % (case_id, what, mine, peer, theirs, 'ns', ratio, target,
                             'met' if met else 'MISSED'))


def main():
    import gi
    gi.require_version('Torchlog', '1.0')
    from gi.repository import Torchlog

    torch_times, py_times, c_times = [], [], []
    with tempfile.TemporaryDirectory() as directory:
        Torchlog.trace_set_directory(directory)
        compile_id = Torchlog.CompileId(0, 0)
        for _ in range(REPS):
            torch_times.append(bench_torch(directory))
            py_times.append(bench_torchlog_python(Torchlog, compile_id))
            c_times.append(bench_torchlog_c())
        Torchlog.trace_set_directory(None)
    torch_ns = statistics.median(torch_times)
    report('trace-10k-c', 'structured record, 10 KB payload, C',
           statistics.median(c_times), "torch's algorithm (Python)", torch_ns,
           '>= 20x faster', 20)
    report('trace-10k-python', 'structured record, 10 KB payload, Python overrides',
           statistics.median(py_times), "torch's algorithm (Python)", torch_ns,
           '>= 3x faster', 3)
    return 0


if __name__ == '__main__':
    sys.exit(main())
