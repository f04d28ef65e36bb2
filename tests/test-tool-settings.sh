#!/bin/bash
# test-tool-settings.sh: the operator verbs of `torchlog` (list, get, set,
# reset, monitor) as a new operator would use them: their --help, exit
# statuses, validation before writing. The keyfile backend in a temporary
# folder stands for a program's stored settings; test-settings-live.sh
# covers a running program. Usage: test-tool-settings.sh TORCHLOG.
set -u
torchlog=${1:?torchlog}
app=org.example.ToolTest
path=/org/gnome/torchlog/apps/org/example/ToolTest/
schema="org.gnome.Torchlog:$path"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-tool-settings.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
export XDG_CONFIG_HOME="$tmp/config" GSETTINGS_BACKEND=keyfile
unset TORCH_LOGS
# shellcheck source=tests/tap.sh
. "$(dirname "$0")/tap.sh"
cd "$tmp" || exit 1

# run EXPECTED-STATUS ARGS...: runs torchlog, keeps stdout/stderr in
# $tmp/out and $tmp/err, and checks the exit status.
run () {
  local expected=$1 status; shift
  "$torchlog" "$@" >"$tmp/out" 2>"$tmp/err"
  status=$?
  check "torchlog $* exits $expected" test "$status" -eq "$expected"
}
# file_has out|err STRING: whether torchlog printed STRING there.
file_has () { grep -q -F -- "$2" "$tmp/$1"; }
stored () { gsettings get "$schema" "$1"; }

# --help on every verb.
for verb in list get set reset monitor; do
  run 0 "$verb" --help
  check "$verb --help shows its usage and --app" sh -c "grep -q 'torchlog $verb' '$tmp/out' && grep -q -e '--app' '$tmp/out'"
done
run 0 set --help
check "set --help explains the path rule" file_has out "/org/gnome/torchlog/apps/org/example/App/"
check "set --help explains the levels" file_has out "+NAME sets a log to DEBUG"
run 0 --help
for verb in list get set reset monitor; do
  check "torchlog --help lists $verb" grep -q "^  $verb " "$tmp/out"
done

# The command line: usage errors are exit status 2.
run 2 get
check "a missing --app is named" file_has err "--app"
run 2 set --app "not an id" dynamo
check "an invalid application id is named" file_has err "not a valid application id"
run 2 set --app "$app"
run 2 set --app "$app" dynamo aot
run 2 get --app "$app" --bogus
run 2 monitor --app "$app" extra

# An application id no program has used is refused as a likely typo
# (issue 16); --new prepares the settings of a program not run yet.
run 1 set --app "$app" dynamo
check "an unknown id is refused with a hint" file_has err "torchlog set --new"
check "nothing was written for the unknown id" test "$(stored logs)" = "''"
run 1 get --app "$app"
run 0 set --new --app "$app" ''

# Checked before writing: a typo is torch's error, exit 1, nothing written.
run 1 set --app "$app" 'dynamo,gaurds'
check "the typo gets torch's text" file_has err "Invalid log settings: dynamo,gaurds, must be a comma separated list of fully"
check "the typo gets the valid names" file_has err "Valid settings:"
check "the note says PyTorch's names were used" file_has err "has not published its registrations"
check "nothing was written" test "$(stored logs)" = "''"
run 1 set --app "$app" 'dynamo ,aot'
check "whitespace before a comma is refused" file_has err "Invalid log settings: dynamo ,aot, must be"
run 1 set --app "$app" --format 'no fields' dynamo
check "a bad format refuses the whole command" test "$(stored logs)" = "''"
run 0 set --app "$app" help
check "help prints torch's help" file_has out "TORCH_LOGS Info"
check "help writes nothing" test "$(stored logs)" = "''"

# Valid values are written; get reads them back.
run 0 set --app "$app" '+dynamo,guards'
check "gsettings sees the value" test "$(stored logs)" = "'+dynamo,guards'"
run 0 get --app "$app"
check "get prints it" test "$(cat "$tmp/out")" = "+dynamo,guards"
run 0 set --app "$app" -dynamo
check "a leading - is a setting, not an option" test "$(stored logs)" = "'-dynamo'"
run 0 set --app "$app" --output-file rel/out.log --format short
check "a relative output file is stored absolute" test "$(stored output-file)" = "'$tmp/rel/out.log'"
check "the format is stored" test "$(stored format)" = "'short'"
run 0 get --app "$app" --all
check "get --all prints every key" test "$(cat "$tmp/out")" = "$(printf 'logs=-dynamo\noutput-file=%s\nformat=short' "$tmp/rel/out.log")"

# reset: logs only, or everything.
run 0 reset --app "$app"
check "reset empties logs" test "$(stored logs)" = "''"
check "reset keeps the outputs" test "$(stored format)" = "'short'"
run 0 reset --app "$app" --all
check "reset --all empties the outputs" test "$(stored format)$(stored output-file)" = "''''"

# The program's own names, once it has published them.
printf -v regs '%s\n' '[log myapp]' 'domains=myapp;myapp.io;' 'description=The app.' '' \
  '[artifact frames]' 'description=Every frame.' 'off-by-default=true'
gsettings set "$schema" registrations "$regs"
run 0 set --app "$app" '+myapp,frames'
check "the program's own names are accepted" test "$(stored logs)" = "'+myapp,frames'"
check "no note once published" sh -c "! grep -q 'has not published' '$tmp/err'"
run 1 set --app "$app" dynamo
check "names the program lacks are refused" file_has err "Valid settings:
all, frames, myapp"
run 0 list --app "$app"
check "list --app shows the program's log at its level" grep -q -E "^  myapp +DEBUG +The app\.$" "$tmp/out"
check "list --app shows the enabled artifact" grep -q -E "^  frames +on +\* Every frame\.$" "$tmp/out"
run 0 list --app "$app" --names
check "list --names prints the names" test "$(cat "$tmp/out")" = "$(printf 'all\nmyapp\nframes')"

# Without --app: PyTorch's names, at TORCH_LOGS's levels.
TORCH_LOGS=+dynamo run 0 list
check "list shows dynamo at DEBUG under TORCH_LOGS=+dynamo" grep -q -E "^  dynamo +DEBUG " "$tmp/out"
check "list shows artifacts with descriptions" grep -q -E "^  recompiles +off +Prints the reason" "$tmp/out"

# monitor prints changes made by others, and stops on SIGTERM with 0.
"$torchlog" monitor --app "$app" >"$tmp/monitor" 2>&1 &
pid=$!
# The monitor says nothing when it is ready: change the key until it has
# reported the change, for at most a minute.
for _ in $(seq 600); do
  gsettings set "$schema" logs 'aot'
  sleep 0.1
  grep -q "^logs: 'aot'$" "$tmp/monitor" && break
  gsettings set "$schema" logs ''
done
check "monitor prints the change" grep -q "^logs: 'aot'$" "$tmp/monitor"
kill -TERM "$pid"
wait "$pid"
check "monitor exits 0 when stopped" test $? -eq 0

# No schema installed: an error, not an abort.
mkdir -p "$tmp/empty"
GSETTINGS_SCHEMA_DIR="$tmp/empty" XDG_DATA_DIRS="$tmp/empty" run 1 get --app "$app"
check "a missing schema is reported" file_has err "is not installed"

tap_done
