#!/bin/sh
# test-doc-browser.sh: the built manual opens in a real browser. Headless
# Chromium (Debian's `chromium`) loads the index, a guide chapter and a
# reference page; each must load, render its content and log nothing to the
# console (no script error, no failed resource the page reports). The index
# is also rendered to a PNG. TAP output.
#
# Usage: test-doc-browser.sh HTML_DIR
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
html_dir=$(cd "$1" && pwd)
browser=$(command -v chromium || command -v chromium-browser || true)
# shellcheck source=tests/tap.sh
. "$(dirname "$0")/../tap.sh"
if [ -z "$browser" ]; then
  echo "not ok 1 - chromium is installed (scripts/ensure-packages.sh test)"
  echo "1..1"
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run_browser () {  # run_browser OUTPUT_OPTION PAGE
  # A fresh profile each time, nothing that would reach the network.
  rm -rf "$tmp/profile"
  timeout 90 "$browser" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --disable-default-apps --disable-extensions \
    --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 \
    --window-size=1280,1024 "$1" "file://$html_dir/$2"
}

for spec in "index.html|torchlog Reference Manual|User guide" \
            "guide-grammar.html|TORCH_LOGS|Components and artifacts" \
            "TlRegistry.html|tl_registry_new|The “changed” signal"; do
  page=${spec%%|*}
  rest=${spec#*|}
  first=${rest%%|*}
  second=${rest#*|}
  run_browser --dump-dom "$page" >"$tmp/dom.html" 2>"$tmp/log.txt"
  check_status "$page: the browser loads it" $?
  grep -q "<body" "$tmp/dom.html" && grep -qF "$first" "$tmp/dom.html" &&
    grep -qF "$second" "$tmp/dom.html"
  check_status "$page: the rendered page shows “$first” and “$second”" $?
  # Chromium logs every console message as INFO:CONSOLE or ERROR:CONSOLE.
  if grep -E ':CONSOLE|Uncaught|Not allowed to load|net::ERR_' "$tmp/log.txt" >"$tmp/console.txt"; then
    sed 's/^/# /' "$tmp/console.txt"
    check_status "$page: no console message or load error" 1
  else
    check_status "$page: no console message or load error" 0
  fi
done

(cd "$tmp" && run_browser --screenshot index.html >/dev/null 2>&1)
size=$(wc -c <"$tmp/screenshot.png" 2>/dev/null || echo 0)
echo "# screenshot of index.html: $size bytes"
[ "$size" -gt 10000 ]
check_status "index.html renders to a non-empty screenshot" $?

tap_done
