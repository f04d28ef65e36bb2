#!/usr/bin/python3
# test-report-browser.py: every kind of report page renders in headless
# Chromium with no console error and nothing fetched from the network
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Renders the index, a compile page, failures and restarts, a compilation
# metrics page, an Inductor output code page and a job's landing page with
# `chromium --headless --dump-dom`, Chromium logging to stderr: a console
# message of level error, or any request to the network (the host resolver
# maps every name to nothing), fails the page.
#
# Usage: test-report-browser.py TORCHLOG DATA_DIR [--screenshots DIR]
#   --screenshots DIR  also writes report-index.png and report-compile.png
#                      (docs/reference/images/ holds the committed ones)

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

TOOL, DATA = sys.argv[1], sys.argv[2]
SHOTS = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--screenshots" else None
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
results = []


def chromium(url, *extra):
    profile = tempfile.mkdtemp(prefix="tl-chromium-")
    try:
        return subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0",
             f"--user-data-dir={profile}", *extra, url],
            capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


out = tempfile.mkdtemp(prefix="tl-report-pages-")
subprocess.run([TOOL, "report", os.path.join(DATA, "comp_failure.log"), "-o", f"{out}/fail"], check=True,
               capture_output=True)
subprocess.run([TOOL, "report", os.path.join(DATA, "simple.log"), "-o", f"{out}/simple"], check=True,
               capture_output=True)
subprocess.run([TOOL, "report", os.path.join(DATA, "multi_rank_logs"), "-o", f"{out}/job"], check=True,
               capture_output=True)
pages = {
    "index": f"{out}/simple/index.html",
    "compile page": f"{out}/simple/-_0_0_0/index.html",
    "failures and restarts": f"{out}/fail/failures_and_restarts.html",
    "compilation metrics": glob.glob(f"{out}/simple/-_0_0_0/compilation_metrics_*.html")[0],
    "inductor output code": glob.glob(f"{out}/simple/-_0_0_0/inductor_output_code_*.html")[0],
    "dynamo guards": (glob.glob(f"{out}/*/-_0_0_0/dynamo_guards_*.html") or [f"{out}/simple/index.html"])[0],
    "job landing page": f"{out}/job/index.html",
    "rank page": f"{out}/job/rank_1/index.html",
}
# The detector itself: a page with a console error must be caught.
canary = os.path.join(out, "canary.html")
open(canary, "w").write('<html><body><script>console.error("canary")</script></body></html>')
pages_to_fail = {"canary page with console.error()": canary}
for name, path in pages.items():
    proc = chromium("file://" + path, "--dump-dom")
    errors = [l for l in proc.stderr.splitlines()
              if re.search(r"CONSOLE|Uncaught|ERR_NAME_NOT_RESOLVED|net::ERR", l) and "source: file://" in l
              or "Uncaught" in l]
    results.append((f"{name} renders", proc.returncode == 0 and "</body>" in proc.stdout, proc.stderr[-2000:]))
    results.append((f"{name}: no console errors", not errors, "\n".join(errors)))
    html = open(path, encoding="utf-8").read()
    results.append((f"{name}: no network resource",
                    not re.search(r'<(script|link|img)[^>]+(src|href)="https?:', html), ""))

for name, path in pages_to_fail.items():
    proc = chromium("file://" + path, "--dump-dom")
    results.append((f"{name} is caught", any("CONSOLE" in l and "canary" in l for l in proc.stderr.splitlines()),
                    proc.stderr[-2000:]))

if SHOTS:
    os.makedirs(SHOTS, exist_ok=True)
    for shot, path in (("report-index.png", pages["index"]), ("report-compile.png", pages["compile page"])):
        chromium("file://" + path, f"--screenshot={os.path.join(SHOTS, shot)}", "--window-size=1200,900",
                 "--hide-scrollbars")

shutil.rmtree(out)
print(f"1..{len(results)}")
for i, (name, ok, detail) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
    if not ok:
        for line in str(detail).splitlines()[-10:]:
            print(f"# {line}")
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
