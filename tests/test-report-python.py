#!/usr/bin/python3
# test-report-python.py: Torchlog.report(), `torchlog report` from Python
# through the uninstalled typelib and the overrides (issue 18).
#
# Usage: test-report-python.py DATA_DIR TYPELIB_DIR   (prints TAP)
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import subprocess
import sys
import tempfile

DATA, BUILD = sys.argv[1], sys.argv[2]
OVERRIDES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bindings", "python")
CODE = (
    "import sys, gi\n"
    "gi.require_version('Torchlog', '1.0')\n"
    "from gi.repository import Torchlog, GLib\n"
    "print(Torchlog.report(sys.argv[1] + '/multi_rank_logs', sys.argv[2] + '/job'))\n"
    "try:\n"
    "    Torchlog.report(sys.argv[1] + '/simple_corrupted_json.log', sys.argv[2] + '/c', strict=True)\n"
    "except GLib.Error as e:\n"
    "    print('raised', e.domain, e.code)\n")

env = dict(os.environ, GI_TYPELIB_PATH=BUILD, LD_LIBRARY_PATH=BUILD, PYTHONPATH=OVERRIDES)
with tempfile.TemporaryDirectory() as out:
    proc = subprocess.run(["/usr/bin/python3", "-c", CODE, DATA, out], env=env,
                          capture_output=True, text=True)
    results = [
        ("Torchlog.report() returns the counts per rank",
         "rank 1: ok: 808" in proc.stdout and os.path.exists(os.path.join(out, "job/rank_3/index.html"))),
        ("strict=True raises a G_IO_ERROR_INVALID_DATA GLib.Error",
         "raised g-io-error-quark 35" in proc.stdout),
    ]

print(f"1..{len(results)}")
for i, (name, ok) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
    if not ok:
        for line in (proc.stdout + proc.stderr).splitlines()[:20]:
            print(f"# {line}")
sys.exit(0 if all(ok for _, ok in results) else 1)
