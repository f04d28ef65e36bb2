#!/usr/bin/python3
# test_trace_structured.py: torch's structured trace API from Python
#
# trace_structured(), dtrace_structured(), trace_structured_artifact(),
# get_structured_logging_overhead() and dump_file() called as torch's own
# code calls them, in child processes with TORCH_TRACE set (tracing reads
# it once per process); every file is read by tlparse-check.py, tlparse's
# exact rules.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import glob
import json
import os
import subprocess
import sys
import tempfile
import unittest

import taptest

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKER = os.path.join(HERE, '..', '..', 'tlparse-check.py')

CHILD = r'''
import linecache, sys, warnings
sys.path.insert(0, %(here)r)
import taptest
from gi.repository import Torchlog
T = Torchlog
calls = []
def md():
    calls.append('md')
    return {"backend_compile_time_s": float('nan'), "start_time": float('inf'), "co_name": "f"}
T.trace_structured("compilation_metrics", md)
ctx = T.compile_context_push(T.CompileId(3, 1))
assert T.get_structured_logging_overhead() is None
T.trace_structured("inductor_output_code", lambda: {"filename": "/tmp/x.py"},
                   payload_fn=lambda: "def f():\r\r\n    return 1\r\n\x00end")
T.trace_structured("graph", payload_fn=lambda: [1, {"a": float('nan')}])
T.trace_structured("metrics", payload_fn=lambda: {"x": {1, 2}})
T.trace_structured_artifact("fx_graph_cache_miss", "json", lambda: {"key": "k"})
T.trace_structured("no_overhead", record_logging_overhead=False)
overhead = T.get_structured_logging_overhead()
assert overhead is not None and overhead > 0, overhead
ctx.pop()
T.trace_structured("explicit", compile_id=T.CompileId(0, 0), suppress_context=False)
T.trace_structured("quiet", suppress_context=True, expect_trace_id=False)
T.dtrace_structured("verbose_only", lambda: {"v": 1})
linecache.cache["<eval_with_key>.7"] = (10, None, ["def forward(x):\n", "    return x\n"], "<eval_with_key>.7")
T.dump_file("<eval_with_key>.7")
T.dump_file("<eval_with_key>.7")
T.dump_file("not_generated.py")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    T.trace_structured("has_payload")
    T.trace_structured_artifact("x", "base64", lambda: "x")
    T.trace_structured("chromium_event", payload_fn=lambda: "not json")
print("warnings=%%d" %% len(caught))
try:
    T.trace_structured("frame_id")
except AssertionError:
    print("assert=1")
print("calls=%%d" %% len(calls))
'''


def run_child(env_extra):
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ)
        env.update({k: v for k, v in env_extra.items()})
        for k, v in list(env.items()):
            if v == '':
                del env[k]
        env['TORCH_TRACE'] = d
        out = subprocess.run(['/usr/bin/python3', '-c', CHILD % {'here': HERE}], env=env,
                             capture_output=True, text=True, check=False)
        files = sorted(glob.glob(os.path.join(d, 'dedicated_log_torch_trace_*.log')))
        results = []
        for path in files:
            check = subprocess.run(['/usr/bin/python3', CHECKER, '--summary', path],
                                   capture_output=True, text=True, check=False)
            with open(path, 'rb') as f:
                raw = f.read()
            results.append((check.returncode, check.stderr, json.loads(check.stdout or '{}'), raw))
        return out, results


class TraceStructured(unittest.TestCase):
    def check_run(self, rank):
        out, results = run_child({'RANK': rank, 'TORCH_DTRACE': ''})
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn('warnings=3', out.stdout)
        self.assertIn('assert=1', out.stdout)
        self.assertIn('calls=1', out.stdout)
        self.assertEqual(len(results), 1)
        code, errors, summary, raw = results[0]
        self.assertEqual(code, 0, errors)
        events = summary['events']
        for name in ('compilation_metrics', 'inductor_output_code', 'graph', 'metrics',
                     'no_overhead', 'explicit', 'quiet', 'dump_file'):
            self.assertEqual(events.get(name), 1, (name, events))
        self.assertEqual(events.get('artifact'), 2)   # the version and the cache miss
        self.assertNotIn('verbose_only', events)
        self.assertNotIn(b'NaN', raw)
        self.assertIn(b'"frame_id": 3, "frame_compile_id": 1, "attempt": 0', raw)
        return summary

    def test_ranked(self):
        summary = self.check_run('5')
        self.assertEqual(summary['ranks'], [5])

    def test_unranked(self):
        summary = self.check_run('')
        self.assertEqual(summary['ranks'], [])

    def test_off_runs_no_callbacks(self):
        code = ("import sys; sys.path.insert(0, %r); import taptest\n"
                "from gi.repository import Torchlog as T\n"
                "def boom(): raise RuntimeError('called')\n"
                "T.trace_structured('x', boom, payload_fn=boom)\n"
                "T.dtrace_structured('x', boom, payload_fn=boom)\n"
                "print(T.get_structured_logging_overhead())\n" % HERE)
        env = {k: v for k, v in os.environ.items() if k not in ('TORCH_TRACE', 'TORCH_DTRACE')}
        out = subprocess.run(['/usr/bin/python3', '-c', code], env=env, capture_output=True,
                             text=True, check=False)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout.strip(), 'None')


if __name__ == '__main__':
    taptest.main()
