#!/bin/bash
# test-tool-escape.sh: the `torchlog` command escapes what it echoes of a
# program's stored settings (issue 13): a value anyone could write with
# `gsettings set` must not drive the operator's terminal when `get`,
# `list`, `set` or `monitor` print it. test-tool.sh covers the command's
# own arguments. Usage: test-tool-escape.sh TORCHLOG.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
torchlog=${1:?torchlog}
app=org.example.ToolEscape
path=/org/gnome/torchlog/apps/org/example/ToolEscape/
schema="org.gnome.Torchlog:$path"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-tool-escape.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
export XDG_CONFIG_HOME="$tmp/config" GSETTINGS_BACKEND=keyfile LC_ALL=C.UTF-8 LANGUAGE=
unset TORCH_LOGS
# shellcheck source=tests/tap.sh
. "$(dirname "$0")/tap.sh"
cd "$tmp" || exit 1

# An OSC sequence setting the terminal's title, a right-to-left override
# and a literal \x1b; and how the command must show them.
hostile=$(printf '\033]0;pwned\007\342\200\256\\x1b')
shown='\x1b]0;pwned\x07\u202e\\x1b'
ESC=$(printf '\033')
BEL=$(printf '\007')
RLO=$(printf '\342\200\256')

run () {
  local expected=$1 status; shift
  "$torchlog" "$@" >"$tmp/out" 2>"$tmp/err"
  status=$?
  check "torchlog $(printf '%s ' "$@" | LC_ALL=C tr -c '[:print:]' '?')exits $expected" \
    test "$status" -eq "$expected"
}
# raw_free FILE: none of the hostile bytes reached FILE.
raw_free () { ! LC_ALL=C grep -q -F -e "$ESC" -e "$BEL" -e "$RLO" "$1"; }
shows () { grep -q -F -- "$2" "$1"; }

# get: the stored values, escaped.
gsettings set "$schema" logs "dynamo,$hostile"
gsettings set "$schema" output-file "/tmp/$hostile.log"
run 0 get --app "$app"
check "get: no raw control on stdout" raw_free "$tmp/out"
check "get: the stored value shown escaped" shows "$tmp/out" "dynamo,$shown"
run 0 get --app "$app" --all
check "get --all: no raw control on stdout" raw_free "$tmp/out"
check "get --all: the output file shown escaped" shows "$tmp/out" "output-file=/tmp/$shown.log"

# list: the stored value is invalid, and said so, escaped.
run 0 list --app "$app"
check "list: no raw control on stderr" raw_free "$tmp/err"
# shellcheck disable=SC1111 # the quotes torchlog prints
check "list: the invalid stored value quoted escaped" shows "$tmp/err" "“dynamo,$shown”"

# The program's published descriptions, as list and set's help print them
# (GKeyFile writes a backslash \\).
in_keyfile=${hostile//\\/\\\\}
printf -v regs '%s\n' '[log myapp]' 'domains=myapp;' "description=The app $in_keyfile." '' \
  '[artifact frames]' "description=Frames $in_keyfile." 'visible=true'
gsettings set "$schema" registrations "$regs"
gsettings set "$schema" logs ''
run 0 list --app "$app"
check "list: no raw control in the descriptions" raw_free "$tmp/out"
check "list: the log's description escaped" shows "$tmp/out" "The app $shown."
check "list: the artifact's description escaped" shows "$tmp/out" "Frames $shown."
run 0 set --app "$app" help
check "set help: no raw control in the program's help" raw_free "$tmp/out"

# set: torch's error quotes the value given, escaped.
run 1 set --app "$app" "myapp,$hostile"
check "set invalid: no raw control on stderr" raw_free "$tmp/err"
check "set invalid: torch's error quotes it escaped" shows "$tmp/err" "Invalid log settings: myapp,$shown, must be"
run 1 set --app "$app" --format "$hostile"
check "set --format: no raw control on stderr" raw_free "$tmp/err"
check "set --format: the format quoted escaped" shows "$tmp/err" "$shown"

# monitor: a change made by someone else, escaped (then shell-quoted).
"$torchlog" monitor --app "$app" >"$tmp/monitor" 2>&1 &
pid=$!
# The monitor says nothing when it is ready: change the key until it has
# reported the change (slow under valgrind or on a loaded machine), for
# at most a minute.
for _ in $(seq 600); do
  gsettings set "$schema" logs "aot,$hostile"
  sleep 0.1
  grep -q "^logs: 'aot," "$tmp/monitor" && break
  gsettings set "$schema" logs ""
done
kill -TERM "$pid"
wait "$pid"
check "monitor: no raw control" raw_free "$tmp/monitor"
check "monitor: the change shown escaped" shows "$tmp/monitor" "logs: 'aot,$shown'"

tap_done
