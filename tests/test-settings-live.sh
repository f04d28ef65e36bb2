#!/bin/bash
# test-settings-live.sh: a running program's logging changed from other
# processes, through GSettings, with the real components.
#
# Usage: test-settings-live.sh dconf|keyfile SETTINGS-DEMO TORCHLOG
#
# dconf:   a private D-Bus session bus (dbus-daemon with a configuration
#          whose service folder activates ca.desrt.dconf) and the real
#          dconf-service, with XDG_CONFIG_HOME and XDG_RUNTIME_DIR in a
#          temporary folder so the user's settings are never touched.
# keyfile: GLib's keyfile backend in the same temporary folder.
#
# settings-demo logs one line per level (and a `guards` artifact line)
# every 50 ms from a worker thread. The test changes its settings with
# `gsettings` and with `torchlog set`, and checks that its output changes
# within one second, and changes back on reset. Output is TAP.
#
# Missing packages are installed (as scripts/ensure-packages.sh does);
# the test never skips.
set -u

backend=${1:?backend}
demo=${2:?settings-demo}
torchlog=${3:?torchlog}
app=org.example.LiveTest
schema="org.gnome.Torchlog:/org/gnome/torchlog/apps/org/example/LiveTest/"

# shellcheck source=tests/tap.sh
. "$(dirname "$0")/tap.sh"
bail () { echo "Bail out! $1"; exit 1; }

# ---- packages ------------------------------------------------------------

need=""
for pair in dbus-daemon:dbus dconf:dconf-cli /usr/libexec/dconf-service:dconf-service \
            gsettings:libglib2.0-bin; do
  cmd=${pair%%:*} pkg=${pair#*:}
  command -v "$cmd" >/dev/null 2>&1 || need="$need $pkg"
done
[ -e /usr/lib/x86_64-linux-gnu/gio/modules/libdconfsettings.so ] ||
  ls /usr/lib/*/gio/modules/libdconfsettings.so >/dev/null 2>&1 || need="$need dconf-gsettings-backend"
if [ -n "$need" ]; then
  echo "# installing$need"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      $sudo apt-get install -y -qq --no-install-recommends $need; } >&2 ||
    bail "cannot install$need"
fi

# ---- a private session ---------------------------------------------------

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tl-live-XXXXXX") || bail "mktemp"
demo_pid="" bus_pid="" monitor_pid=""
cleanup () {
  for pid in $monitor_pid $demo_pid; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  [ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

export XDG_CONFIG_HOME="$tmp/config" XDG_RUNTIME_DIR="$tmp/run" XDG_CACHE_HOME="$tmp/cache"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# The demo's rejected values are warnings, which must not abort it.
unset G_DEBUG TORCH_LOGS TORCH_LOGS_OUT TORCH_LOGS_FORMAT
export GSETTINGS_BACKEND="$backend"

case "$backend" in
  dconf)
    cat >"$tmp/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$tmp/run</listen>
  <servicedir>/usr/share/dbus-1/services</servicedir>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
    dbus-daemon --config-file="$tmp/bus.conf" --fork \
      --print-address=3 --print-pid=4 3>"$tmp/bus.address" 4>"$tmp/bus.pid" ||
      bail "dbus-daemon did not start"
    bus_pid=$(cat "$tmp/bus.pid")
    DBUS_SESSION_BUS_ADDRESS=$(head -n 1 "$tmp/bus.address")
    export DBUS_SESSION_BUS_ADDRESS
    ok "private session bus at $DBUS_SESSION_BUS_ADDRESS"
    ;;
  keyfile)
    unset DBUS_SESSION_BUS_ADDRESS
    ok "keyfile backend in $XDG_CONFIG_HOME"
    ;;
  *) bail "unknown backend $backend" ;;
esac

# ---- helpers -------------------------------------------------------------

out="$tmp/demo.err"

# Output of the demo written since byte offset $1.
since () { tail -c +"$(($1 + 1))" "$out"; }
size () { stat -c %s "$out"; }
now_ms () { date +%s%3N; }

# wait_for OFFSET PATTERN [LIMIT_MS]: waits until a line matching PATTERN
# appears after OFFSET; prints the milliseconds it took.
wait_for () {
  local offset=$1 pattern=$2 limit=${3:-1000} start
  start=$(now_ms)
  while :; do
    if since "$offset" | grep -q -E -- "$pattern"; then
      echo $(($(now_ms) - start)); return 0
    fi
    [ $(($(now_ms) - start)) -gt "$limit" ] && return 1
    sleep 0.02
  done
}

# wait_quiet OFFSET PATTERN: waits until, after OFFSET, at least two tick
# lines were printed after the last line matching PATTERN: the change
# took effect. Prints the milliseconds it took.
wait_quiet () {
  local offset=$1 pattern=$2 limit=${3:-1000} start
  start=$(now_ms)
  while :; do
    if since "$offset" | awk -v p="$pattern" '
        $0 ~ p { after = 0; next }
        / tick [0-9]+ error/ { after++ }
        END { exit !(after >= 2) }'; then
      echo $(($(now_ms) - start)); return 0
    fi
    [ $(($(now_ms) - start)) -gt "$limit" ] && return 1
    sleep 0.02
  done
}

start_demo () {
  # Emptied here, not by the background job's redirections, which could
  # run after the checks below have looked at the previous run's files.
  : >"$out"
  : >"$tmp/demo.out"
  "$demo" "$app" 30 >>"$tmp/demo.out" 2>>"$out" &
  demo_pid=$!
  local i
  for i in $(seq 100); do
    grep -q ready "$tmp/demo.out" 2>/dev/null && break
    sleep 0.05
  done
  grep -q ready "$tmp/demo.out" || bail "settings-demo did not start: $(cat "$out")"
  # Two ticks, so the start-up configuration is visible in the output.
  wait_for 0 'tick 2 error' 2000 >/dev/null || bail "settings-demo prints no ticks"
}

stop_demo () {
  kill "$demo_pid" 2>/dev/null
  wait "$demo_pid" 2>/dev/null
  local status=$?
  demo_pid=""
  return $status
}

timed () {
  # timed WHAT MS: reports a change seen within one second
  if [ -n "$2" ]; then ok "$1 (${2} ms)"; else not_ok "$1 (not within 1 s)"; fi
}

# ---- a program started without TORCH_LOGS --------------------------------

start_demo
check "at start only WARNING and above print" \
  sh -c "! grep -q -E 'tick [0-9]+ (debug|info|guards)' '$out'"
registrations=$(gsettings get "$schema" registrations)
check "the program published its registrations" \
  sh -c "printf '%s' \"\$1\" | grep -q 'log dynamo'" _ "$registrations"

# The bash completion offers the ids of programs with stored settings
# (dconf only: it reads them with `dconf dump`).
if [ "$backend" = dconf ]; then
  # shellcheck source=/dev/null
  . "$TORCHLOG_SOURCE_ROOT/tools/completion/torchlog"
  COMP_WORDS=("$torchlog" get --app org.example.Li) COMP_CWORD=3 COMPREPLY=()
  _torchlog
  check "bash completion of --app offers $app" test "${COMPREPLY[*]}" = "$app"
fi

# gsettings set: raised within a second, from another process.
mark=$(size)
gsettings set "$schema" logs '+dynamo' || not_ok "gsettings set"
timed "gsettings set logs '+dynamo': DEBUG lines appear" "$(wait_for "$mark" 'tick [0-9]+ debug')"

# gsettings reset: back within a second.
mark=$(size)
gsettings reset "$schema" logs
timed "gsettings reset logs: DEBUG lines stop" "$(wait_quiet "$mark" 'tick [0-9]+ (debug|info)')"

# torchlog set: a log and an artifact.
mark=$(size)
"$torchlog" set --app "$app" '+dynamo,guards' 2>"$tmp/set.err"
check "torchlog set exits 0" test $? -eq 0
timed "torchlog set '+dynamo,guards': guards lines appear" \
  "$(wait_for "$mark" '\[__guards\] tick [0-9]+ guards')"
check "torchlog get prints the value" test "$("$torchlog" get --app "$app")" = "+dynamo,guards"

# A typo is refused by torchlog set with torch's text; nothing is written.
"$torchlog" set --app "$app" '+dynamo,gaurds' >"$tmp/typo.out" 2>"$tmp/typo.err"
status=$?
check "torchlog set with a typo exits 1" test $status -eq 1
check "torchlog set with a typo prints torch's error" \
  grep -q "Invalid log settings: +dynamo,gaurds, must be a comma separated list" "$tmp/typo.err"
check "torchlog set with a typo writes nothing" \
  test "$(gsettings get "$schema" logs)" = "'+dynamo,guards'"

# Lowering one log while raised: '-dynamo' keeps only ERROR.
mark=$(size)
"$torchlog" set --app "$app" -- '-dynamo'
timed "torchlog set '-dynamo': WARNING lines stop" "$(wait_quiet "$mark" 'tick [0-9]+ (debug|info|warning|guards)')"

# Garbage written behind torchlog's back: one warning, previous kept.
mark=$(size)
gsettings set "$schema" logs 'dynamo,,+'
timed "garbage in the key: the program warns" "$(wait_for "$mark" 'Invalid log settings: dynamo,,\+')"
sleep 0.3
check "garbage: exactly one warning" test "$(since "$mark" | grep -c 'Invalid log settings')" -eq 1
check "garbage: the previous configuration stays" \
  sh -c "! tail -c +$((mark + 1)) '$out' | grep -q -E 'tick [0-9]+ (debug|info|warning)'"
check "garbage: the key is not rewritten" test "$(gsettings get "$schema" logs)" = "'dynamo,,+'"
check "garbage: the program still runs" kill -0 "$demo_pid"

# Output file and format, live.
mark=$(size)
"$torchlog" set --app "$app" --output-file "$tmp/copy.log" --format 'short' 'dynamo'
timed "torchlog set --format short: lines change format" \
  "$(wait_for "$mark" '^INFO:torch\._dynamo:tick [0-9]+ info')"
sleep 0.2
check "torchlog set --output-file: lines are appended to the file" \
  grep -q -E '^INFO:torch\._dynamo:tick [0-9]+ info' "$tmp/copy.log"

# torchlog reset --all: the program's own configuration and format again.
mark=$(size)
"$torchlog" reset --app "$app" --all
timed "torchlog reset --all: back to torch's format at WARNING" \
  "$(wait_quiet "$mark" '(tick [0-9]+ (debug|info))|^[A-Z]+:torch')"
check "torchlog get --all shows empty values" \
  test "$("$torchlog" get --app "$app" --all)" = "$(printf 'logs=\noutput-file=\nformat=')"

# monitor sees changes made by others.
"$torchlog" monitor --app "$app" >"$tmp/monitor.out" 2>&1 &
monitor_pid=$!
sleep 0.5
gsettings set "$schema" logs 'aot'
start=$(now_ms)
until grep -q "^logs: 'aot'$" "$tmp/monitor.out" || [ $(($(now_ms) - start)) -gt 1000 ]; do sleep 0.02; done
check "torchlog monitor prints the change" grep -q "^logs: 'aot'$" "$tmp/monitor.out"
kill -INT "$monitor_pid"
wait "$monitor_pid"
check "torchlog monitor exits 0 on Ctrl+C" test $? -eq 0
monitor_pid=""

check "the program exits cleanly" stop_demo

# ---- a program started with TORCH_LOGS -----------------------------------

gsettings set "$schema" logs '+dynamo'
TORCH_LOGS=-dynamo
export TORCH_LOGS
start_demo
unset TORCH_LOGS
check "at start TORCH_LOGS wins over the stored key: only ERROR prints" \
  sh -c "! grep -q -E 'tick [0-9]+ (debug|info|warning)' '$out'"

mark=$(size)
"$torchlog" set --app "$app" '+dynamo,guards'
timed "a live change applies over TORCH_LOGS" "$(wait_for "$mark" 'tick [0-9]+ debug')"

mark=$(size)
"$torchlog" reset --app "$app"
timed "reset returns to TORCH_LOGS (ERROR only)" \
  "$(wait_quiet "$mark" 'tick [0-9]+ (debug|info|warning|guards)')"
check "the program exits cleanly" stop_demo

tap_done
