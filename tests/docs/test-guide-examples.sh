#!/bin/sh
# test-guide-examples.sh: the user guide's examples (docs/reference/examples)
# for set_logs() in Python, JavaScript and Vala, structured traces and live
# changes, run as a reader would run them, so the guide cannot rot. The C
# examples of the first chapters are run by tests/test-examples.sh. TAP.
#
# Usage: test-guide-examples.sh KEY=VALUE...
#   examples=DIR     docs/reference/examples
#   python=PATH      /usr/bin/python3 (with PyGObject), or "" when missing
#   gjs=PATH         gjs, or ""
#   vala=PATH        the built set-logs.vala, or ""
#   trace=PATH       the built trace.c
#   live=PATH        the built live-changes.c
#   torchlog=PATH    the torchlog command
#   tlparse=PATH     tests/tlparse-check.py
# The environment gives GI_TYPELIB_PATH, PYTHONPATH, GSETTINGS_SCHEMA_DIR…
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
examples= python= gjs= vala= trace= live= torchlog= tlparse=
for arg in "$@"; do
  case "$arg" in
    examples=*|python=*|gjs=*|vala=*|trace=*|live=*|torchlog=*|tlparse=*)
      eval "${arg%%=*}=\${arg#*=}" ;;
    *) echo "Bail out! unknown argument $arg"; exit 1 ;;
  esac
done

# shellcheck source=tests/tap.sh
. "$(dirname "$0")/../tap.sh"
prefix='[VIWEC][0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} [0-9]+ [^ ]+:[0-9]+\]'
bad_level='^Unrecognized log level for log dynamo: verbose, valid level values are: 50,40,30,20,10,0$'
ignored='^W.*Using TORCH_LOGS environment variable for log settings, ignoring call to set_logs$'

tmp=$(mktemp -d)
live_pid=""
cleanup () { [ -n "$live_pid" ] && kill "$live_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
# The examples' warnings must not abort them.
unset G_DEBUG TORCH_LOGS TORCH_LOGS_OUT TORCH_LOGS_FORMAT TORCH_TRACE RANK

# ---- set_logs in three languages -------------------------------------------

set_logs_case () {  # set_logs_case NAME COMMAND...
  name=$1; shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  check_status "$name: runs" $?
  out=$(cat "$tmp/out") err=$(cat "$tmp/err")
  has "$err" "^$prefix dynamo is at DEBUG\$"
  check_status "$name: dynamo=DEBUG shows a debug record" $?
  has "$err" "^V.* \[__graph_code\] def forward\(self, x\):\$" &&
    has "$err" "^V.* \[__graph_code\]     return x \+ 1\$"
  check_status "$name: graph_code=True shows the artifact, every line prefixed" $?
  has "$out" "$bad_level"
  check_status "$name: a bad level is torch's ValueError text" $?
  TORCH_LOGS=-dynamo "$@" >"$tmp/out" 2>"$tmp/err"
  err=$(cat "$tmp/err")
  has "$err" "$ignored" && lacks "$err" "dynamo is at DEBUG"
  check_status "$name: TORCH_LOGS wins over set_logs, with torch's warning" $?
}

# As for tests/bindings, a language the build is configured without (no
# introspection, no PyGObject or gjs, -Dvapi=disabled) is not tested here;
# CI builds with all of them.
if [ -n "$python" ]; then
  set_logs_case "set-logs.py" "$python" "$examples/set-logs.py"
else
  echo "# set-logs.py not run: no introspection or no PyGObject for /usr/bin/python3"
fi
if [ -n "$gjs" ]; then
  set_logs_case "set-logs.js" "$gjs" -m "$examples/set-logs.js"
else
  echo "# set-logs.js not run: no introspection or no gjs"
fi
if [ -n "$vala" ]; then
  set_logs_case "set-logs.vala" "$vala"
else
  echo "# set-logs.vala not built: -Dvapi=disabled or no valac"
fi

# ---- the registration file of "Components and artifacts" ---------------------

if [ -n "$python" ]; then
  "$python" - "$examples/registrations.ini" >"$tmp/out" 2>&1 <<'PY'
import sys
import gi
gi.require_version('Torchlog', '1.0')
from gi.repository import Torchlog
registry = Torchlog.Registry.new()
registry.load_registrations(sys.argv[1])
network = registry.lookup_component('network')
assert list(network.dup_domains()) == ['myapp.network', 'myapp.http'], network.dup_domains()
assert registry.lookup_component('storage') is not None
assert registry.lookup_artifact('requests').get_visible()
assert registry.lookup_artifact('sql').get_off_by_default()
registry.parse_logs('+network')
assert registry.should_emit('myapp.http', 'requests', Torchlog.Level.DEBUG)
assert not registry.should_emit('myapp.http', 'sql', Torchlog.Level.DEBUG)
registry.parse_logs('+network,sql')
assert registry.should_emit('myapp.http', 'sql', Torchlog.Level.DEBUG)
PY
  status=$?
  sed 's/^/# /' "$tmp/out"
  check_status "registrations.ini: loads, with the components and artifact rules it describes" $status
fi

# ---- structured trace ---------------------------------------------------------

out=$(TORCH_LOGS=dynamo "$trace" 2>"$tmp/err")
err=$(cat "$tmp/err")
has "$err" '^I[0-9]{4} [0-9:.]+ [0-9]+ ([^ ]*/)?trace\.c:[0-9]+\] \[0/0\] compiling forward$'
check_status "trace.c: the compile context tags the text record [0/0]" $?
[ -z "$out" ]
check_status "trace.c: no trace without TORCH_TRACE" $?

out=$(TORCH_TRACE="$tmp/trace" "$trace" 2>/dev/null)
file=${out#tlparse }
[ -n "$out" ] && [ -f "$file" ] && case "$file" in "$tmp/trace/"*) true ;; *) false ;; esac
check_status "trace.c: TORCH_TRACE=DIR writes a trace file there and prints its path" $?
grep -q '{"dynamo_output_graph": {"nodes": 3}, "frame_id": 0, "frame_compile_id": 0, "attempt": 0, "has_payload": "[0-9a-f]\{32\}"}' "$file" 2>/dev/null &&
  grep -q "$(printf '^\t    return x \\* 2$')" "$file"
check_status "trace.c: the record has the metadata, the compile ids and the payload" $?
/usr/bin/python3 "$tlparse" "$file" >"$tmp/tlparse" 2>&1
status=$?
sed 's/^/# /' "$tmp/tlparse"
check_status "trace.c: tlparse's rules accept the trace file" $status

out=$(TORCH_LOGS=dynamo RANK=2 TORCH_TRACE="$tmp/trace2" "$trace" 2>"$tmp/err")
err=$(cat "$tmp/err")
has "$err" "^\[rank2\]:I.* \[0/0\] compiling forward\$" &&
  case "${out#tlparse }" in *rank_2*) grep -q '"rank": 2' "${out#tlparse }" ;; *) false ;; esac
check_status "trace.c: RANK=2 prefixes the lines and names and fills the trace" $?

# ---- live changes through GSettings --------------------------------------

export GSETTINGS_BACKEND=keyfile XDG_CONFIG_HOME="$tmp/config"
mkdir -p "$XDG_CONFIG_HOME"
"$torchlog" set --new --app org.example.App +dynamo >/dev/null 2>&1
check_status "live-changes.c: torchlog set stores +dynamo" $?
err=$("$live" 3 2>&1)
has "$err" "^$prefix tick 0\$" && has "$err" "^V.* tick 2\$"
check_status "live-changes.c: a stored value applies at start-up" $?
err=$(TORCH_LOGS=dynamo "$live" 3 2>&1)
lacks "$err" "tick"
check_status "live-changes.c: TORCH_LOGS wins over the stored value at start-up" $?
"$torchlog" reset --app org.example.App >/dev/null 2>&1
check_status "live-changes.c: torchlog reset" $?

# A change while it runs: the first ticks are hidden, the last shown.
"$live" 40 >"$tmp/live" 2>&1 &
live_pid=$!
sleep 1
"$torchlog" set --app org.example.App +dynamo >/dev/null 2>&1
wait "$live_pid"
live_pid=""
err=$(cat "$tmp/live")
lacks "$err" "tick 0\$" && has "$err" "^V.* tick 39\$"
check_status "live-changes.c: torchlog set changes the running program" $?

tap_done
