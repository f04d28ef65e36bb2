#!/bin/sh
# test-doc-linkchecker.sh: Debian's `linkchecker` crawls the built manual
# from index.html through file:// URLs and must find no broken internal
# link, image or style sheet. Web links and the other gtk-doc manuals
# (GLib's, linked by absolute path) are not followed; check-doc-links.py
# checks the anchors and those manuals. TAP output.
#
# Usage: test-doc-linkchecker.sh HTML_DIR
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
html_dir=$1
if ! command -v linkchecker >/dev/null; then
  echo "not ok 1 - linkchecker is installed (scripts/ensure-packages.sh test)"
  echo "1..1"
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# linkchecker run as root drops to `nobody`: give it a copy it can read.
cp -R "$html_dir" "$tmp/html"
chmod -R a+rX "$tmp"

linkchecker --no-status --no-robots --recursion-level=-1 --threads=2 \
  --ignore-url='^https?:' --ignore-url='^mailto:' \
  --ignore-url='^file:///usr/' --ignore-url='^file://.*/gtk-doc/html/' \
  "file://$tmp/html/index.html" >"$tmp/out.txt" 2>&1
status=$?
sed -n '/^URL\|^Parent\|^Result\|^That.s it/p' "$tmp/out.txt" | sed 's/^/# /'
checked=$(sed -n 's/^That.s it\. \([0-9]*\) links.*/\1/p' "$tmp/out.txt")
pages=$(ls "$tmp/html"/*.html | wc -l)
# Every page must have been reached (the count also has images and CSS).
if [ "$status" -eq 0 ] && [ "${checked:-0}" -ge "$pages" ] &&
   grep -q ' 0 errors found' "$tmp/out.txt"; then
  echo "ok 1 - linkchecker: ${checked} URLs checked ($pages pages), no broken internal link"
else
  echo "not ok 1 - linkchecker: exit status $status, ${checked:-no} links checked"
  status=1
fi
echo "1..1"
exit $status
