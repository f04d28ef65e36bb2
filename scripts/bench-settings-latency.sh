#!/bin/bash
# bench-settings-latency.sh: how long a live change takes to reach a
# running program, with the real dconf service on a private session bus.
#
# Usage: scripts/bench-settings-latency.sh [BUILD-DIR] [ROUNDS]
#
# settings-demo (tests/settings-demo.c) logs a DEBUG, INFO, WARNING and
# ERROR line every 0.5 ms, each stamped with its creation time
# (TORCH_LOGS_FORMAT='%(created)f …'). Each round lowers dynamo to ERROR,
# then raises it to DEBUG and measures from the moment the writing command
# returned to the creation time of the first DEBUG line after it. The peer,
# measured in the same run the same way, is `gsettings set`; the report
# gives both medians and their ratio. A benchmark, not a test: it prints
# figures and fails only if the program never changes. The issue's target
# is a median under 10 ms for `torchlog set`.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/_build}
rounds=${2:-30}
app=org.example.Latency
schema="org.gnome.Torchlog:/org/gnome/torchlog/apps/org/example/Latency/"
bail () { echo "bench-settings-latency: $1" >&2; exit 1; }
[ -x "$build/tests/settings-demo" ] && [ -x "$build/tools/torchlog" ] ||
  bail "build $build first (settings-demo and torchlog)"

# shellcheck source=tests/private-session.sh
. "$root/tests/private-session.sh"
ensure_settings_packages
demo_pid=""
trap 'kill $demo_pid 2>/dev/null; wait $demo_pid 2>/dev/null; stop_private_bus; rm -rf "$tmp"' EXIT
unset G_DEBUG TORCH_LOGS TORCH_LOGS_OUT
export GSETTINGS_BACKEND=dconf GSETTINGS_SCHEMA_DIR="$build/torchlog"
start_private_bus || bail "dbus-daemon did not start"

out="$tmp/demo.err"
SETTINGS_DEMO_INTERVAL_US=500 TORCH_LOGS_FORMAT='%(created)f %(levelname)s %(message)s' \
  "$build/tests/settings-demo" "$app" 600 >"$tmp/demo.out" 2>"$out" &
demo_pid=$!
for _ in $(seq 100); do grep -q ready "$tmp/demo.out" 2>/dev/null && break; sleep 0.05; done
grep -q ready "$tmp/demo.out" || bail "settings-demo did not start: $(cat "$out")"

now () { date +%s.%N; }
# measure WRITER: one round; prints the latency in ms.
measure () {
  local writer=$1 mark ts t0 line start
  if [ "$writer" = torchlog ]; then "$build/tools/torchlog" set --app "$app" -- -dynamo
  else gsettings set "$schema" logs -dynamo; fi
  sleep 0.1
  mark=$(stat -c %s "$out")
  ts=$(now)
  if [ "$writer" = torchlog ]; then "$build/tools/torchlog" set --app "$app" +dynamo
  else gsettings set "$schema" logs +dynamo; fi
  t0=$(now)
  start=$(date +%s)
  while :; do
    line=$(tail -c +"$((mark + 1))" "$out" | grep -m 1 ' DEBUG tick ')
    [ -n "$line" ] && break
    [ $(($(date +%s) - start)) -gt 5 ] && bail "$writer: the change never arrived"
    sleep 0.005
  done
  awk -v ts="$ts" -v t0="$t0" -v c="${line%% *}" \
    'BEGIN { printf "%.3f %.3f\n", (c - t0) * 1000, (c - ts) * 1000 }'
}
median () { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: >"$tmp/torchlog.ms"; : >"$tmp/gsettings.ms"
for _ in $(seq "$rounds"); do
  measure torchlog >>"$tmp/torchlog.ms"
  measure gsettings >>"$tmp/gsettings.ms"
  # Keep the output file small.
  : >"$out"
done
# A negative time: the program changed before the command had exited (the
# write reaches it while the command is still closing down).
t=$(cut -d' ' -f1 "$tmp/torchlog.ms" | median)
g=$(cut -d' ' -f1 "$tmp/gsettings.ms" | median)
ts=$(cut -d' ' -f2 "$tmp/torchlog.ms" | median)
gs=$(cut -d' ' -f2 "$tmp/gsettings.ms" | median)
tmax=$(cut -d' ' -f1 "$tmp/torchlog.ms" | sort -g | tail -1)
echo "rounds: $rounds (a DEBUG line every 0.5 ms)"
echo "torchlog set returned → first DEBUG line: median $t ms (max $tmax)"
echo "gsettings set returned → first DEBUG line: median $g ms"
echo "torchlog set started → first DEBUG line: median $ts ms"
echo "gsettings set started → first DEBUG line: median $gs ms"
awk -v t="$ts" -v g="$gs" 'BEGIN { if (g > 0) printf "ratio torchlog/gsettings (from start): %.2f\n", t / g }'
awk -v t="$t" 'BEGIN { print (t < 10) ? "target (median after return < 10 ms): met" : "target (median after return < 10 ms): NOT met" }'
