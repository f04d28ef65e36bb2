#!/bin/bash
# test-settings-operator.sh: runtime control as an operator relies on it
# (issue 16), with the real dconf service on a private session bus, a
# temporary DCONF_PROFILE whose fleet database is compiled with
# `dconf update` into a temporary folder, and a temporary schema folder;
# never the machine's /etc or the user's settings.
#
# Usage: test-settings-operator.sh SETTINGS-DEMO TORCHLOG SCHEMA-XML [SETTINGS-DEMO-PY]
# (the Python program needs GI_TYPELIB_PATH and LD_LIBRARY_PATH set to the
# uninstalled library).
# Output is TAP. Missing packages are installed; the test never skips.
set -u

demo=${1:?settings-demo}
torchlog=${2:?torchlog}
schema_xml=${3:?schema}
demo_py=${4:-$(dirname "$0")/settings-demo.py}
app=org.example.OpA
app_b=org.example.OpB
schema="org.gnome.Torchlog:/org/gnome/torchlog/apps/org/example/OpA/"
dpath=/org/gnome/torchlog/apps/org/example/OpA/

# shellcheck source=tests/tap.sh
. "$(dirname "$0")/tap.sh"
bail () { echo "Bail out! $1"; exit 1; }
# shellcheck source=tests/private-session.sh
. "$(dirname "$0")/private-session.sh"
ensure_settings_packages

trap end_private_session EXIT
unset G_DEBUG TORCH_LOGS TORCH_LOGS_OUT TORCH_LOGS_FORMAT
export GSETTINGS_BACKEND=dconf

# The schema in a folder of our own, so that a vendor override can be
# added; the fleet database and the profile that reads it.
mkdir -p "$tmp/schemas" "$tmp/db/fleet.d/locks"
cp "$schema_xml" "$tmp/schemas/"
glib-compile-schemas "$tmp/schemas" || bail "glib-compile-schemas"
export GSETTINGS_SCHEMA_DIR="$tmp/schemas"
printf 'user-db:user\nfile-db:%s/db/fleet\n' "$tmp" >"$tmp/profile"
export DCONF_PROFILE="$tmp/profile"
dconf update "$tmp/db" || bail "dconf update"
start_private_bus || bail "dbus-daemon did not start"
ok "private session bus, fleet database $tmp/db/fleet"

# shellcheck source=tests/wait-for.sh
. "$(dirname "$0")/wait-for.sh"
# start NAME APP-ID [ENV...]: runs settings-demo, output in $tmp/NAME.err
start () {
  local name=$1 id=$2; shift 2
  : >"$tmp/$name.out"; : >"$tmp/$name.err"
  env "$@" "$demo" "$id" 30 >"$tmp/$name.out" 2>"$tmp/$name.err" &
  eval "pid_$name=$!"; pids="$pids $!"
  wait_for "$tmp/$name.out" ready || bail "settings-demo $name did not start: $(cat "$tmp/$name.err")"
  wait_for "$tmp/$name.err" 'tick 1 error' || bail "settings-demo $name prints no ticks"
}
stop () { local p; eval "p=\$pid_$1"; kill "$p"; wait "$p" 2>/dev/null; }
apps_field () { # apps_field PID FIELD: a field of `torchlog apps` for PID
  "$torchlog" apps | awk -v pid="$1" -v f="$2:" '
    /^[^ ]/ { mine = 0 } $1 == "pid:" { mine = ($2 == pid) }
    mine && $1 == f { sub(/^ *[^ ]+ +/, ""); print; exit }'
}

# ---- 1. a bad value that comes back is warned about again ------------------

start a "$app"
gsettings set "$schema" logs '+dynamo'
wait_for "$tmp/a.err" 'tick [0-9]+ debug' || not_ok "good value applied"
for round in 1 2; do
  gsettings set "$schema" logs 'dynamo,,+'
  check "bad value, round $round: warned" wait_for "$tmp/a.err" 'Invalid log settings: dynamo,,\+' "$round"
  gsettings set "$schema" logs '+dynamo'
  sleep 0.2
done
check "good, bad, good, bad: exactly two warnings" \
  test "$(grep -c 'Invalid log settings' "$tmp/a.err")" -eq 2
# The same with dconf itself, repeated.
dconf write "${dpath}logs" "'aot,,'"
dconf write "${dpath}logs" "'+dynamo'"
dconf write "${dpath}logs" "'aot,,'"
check "dconf write, bad twice around a good one: two more warnings" \
  wait_for "$tmp/a.err" 'Invalid log settings: aot,,' 2

# ---- 5. what the program really runs -------------------------------------

check "apps: the program is listed as running" \
  sh -c "'$torchlog' apps | grep -q '$pid_a (running)'"
check "apps: the stored value is the rejected one" test "$(apps_field "$pid_a" stored)" = "'aot,,'"
check "apps: effective is the previous good value" test "$(apps_field "$pid_a" effective)" = "'+dynamo'"
check "apps: the last rejected value" sh -c "'$torchlog' apps | grep -q \"last rejected: *'aot,,'\""
check "apps: the reason is torch's" sh -c "'$torchlog' apps | grep -q 'reason: *Invalid log settings: aot,,'"
# The state file is replaced by rename after each change: only APP-ID.PID
# files, private to the user, and no temporary file left behind.
check "apps: the state file is APP-ID.PID, mode 600" \
  test "$(stat -c '%a %n' "$XDG_RUNTIME_DIR"/torchlog/apps/*)" = "600 $XDG_RUNTIME_DIR/torchlog/apps/$app.$pid_a"
check "get --effective prints what runs" test "$("$torchlog" get --effective --app "$app")" = "+dynamo"
check "get prints what is stored" test "$("$torchlog" get --app "$app")" = "aot,,"
"$torchlog" get --effective --app org.example.Nobody 2>"$tmp/eff.err"
check_status "get --effective of a program not running exits 1" $(( $? != 1 ))

# ---- 2. settings starting with -a ------------------------------------------

for value in -aot -autograd -async_compile; do
  "$torchlog" set --app "$app" "$value" 2>"$tmp/set.err"
  check_status "set --app $app '$value' exits 0" $?
  check "'$value' is stored" test "$(gsettings get "$schema" logs)" = "'$value'"
done
check "set -a APP '-aot' works too" "$torchlog" set -a "$app" -aot
check "set --app APP -- '-aot' works too" "$torchlog" set --app "$app" -- -aot
check "the program runs -aot" wait_for "$tmp/a.err" 'NEVERMATCH|.' # still alive
sleep 0.2
check "effective after -aot" test "$("$torchlog" get --effective --app "$app")" = "-aot"

# ---- 6. a 100 KB bad value; a program without setlocale() --------------------

big=$(head -c 102400 /dev/zero | tr '\0' 'x')
mark=$(stat -c %s "$tmp/a.err")
gsettings set "$schema" logs "$big"
wait_for "$tmp/a.err" 'bytes\)' || not_ok "the long value is warned about"
sleep 0.2
warning=$(tail -c +"$((mark + 1))" "$tmp/a.err" | grep -v ' tick ')
check "a 100 KB value gives a warning under 4 KB" test "${#warning}" -lt 4096
check "the value is cut and its size said" sh -c "printf '%s' \"\$1\" | grep -q '… (102400 bytes)\|\.\.\. (102400 bytes)'" _ "$warning"
# settings-demo never calls setlocale(): the C charset, ASCII quotes.
check "no ? for quotes without setlocale()" sh -c "printf '%s' \"\$1\" | grep -q 'key \"logs\"'" _ "$warning"
check "ASCII dots without setlocale()" sh -c "printf '%s' \"\$1\" | grep -q '\.\.\. (102400 bytes)'" _ "$warning"
gsettings set "$schema" logs '+dynamo'

# ---- 3. set refuses what it cannot do ----------------------------------------

"$torchlog" set --app org.example.OpAA dynamo 2>"$tmp/typo.err"
check_status "a misspelled app id: exit 1" $(( $? != 1 ))
check "a misspelled app id: a clear message" grep -q "No program with the application id" "$tmp/typo.err"
check "set --new writes a program not run yet" "$torchlog" set --new --app "$app_b" aot
( unset DBUS_SESSION_BUS_ADDRESS; "$torchlog" set --app "$app" dynamo ) 2>"$tmp/nobus.err"
check_status "no session bus: set exits 1" $(( $? != 1 ))
check "no session bus: it says so" grep -q "No D-Bus session bus" "$tmp/nobus.err"
check "no session bus: nothing written" test "$(gsettings get "$schema" logs)" = "'+dynamo'"

# ---- 4. a program without a session bus --------------------------------------

( unset DBUS_SESSION_BUS_ADDRESS; exec "$demo" "$app" 1 ) >"$tmp/nb.out" 2>"$tmp/nb.err"
check_status "a program without a bus: binding fails" $(( $? != 1 ))
check "it says once what is missing" test "$(grep -c 'No D-Bus session bus' "$tmp/nb.err")" -eq 1
check "and what to do" grep -q "dbus-run-session" "$tmp/nb.err"
check "dconf does not complain" sh -c "! grep -q 'failed to commit' '$tmp/nb.err'"

# ---- fleet defaults ---------------------------------------------------------

stop a
check "a program that unbinds leaves apps" sh -c "! '$torchlog' apps --running | grep -q '^$app\$'"
"$torchlog" reset --app "$app" 2>/dev/null
# (a) per app, in a system database.
printf '[%s]\nlogs=%s\n' "${dpath#/}" "'+dynamo'" | sed 's|/\]|]|' >"$tmp/db/fleet.d/10-torchlog"
dconf update "$tmp/db" || not_ok "dconf update"
start a "$app"
check "(a) the fleet default of the app applies" wait_for "$tmp/a.err" 'tick [0-9]+ debug'
check "(a) apps shows it stored and effective" test "$(apps_field "$pid_a" effective)" = "'+dynamo'"
# 7. reset returns to the fleet default, and says so.
"$torchlog" set --app "$app" -dynamo
"$torchlog" reset --app "$app" 2>"$tmp/reset.err"
check "reset: a note names the fleet default" grep -q "default “+dynamo” applies" "$tmp/reset.err"
sleep 0.3
check "reset: the fleet default runs" test "$("$torchlog" get --effective --app "$app")" = "+dynamo"
# (c) a lock.
echo "${dpath}logs" >"$tmp/db/fleet.d/locks/torchlog"
dconf update "$tmp/db" || not_ok "dconf update"
"$torchlog" set --app "$app" aot 2>"$tmp/lock.err"
check_status "(c) a locked key: set exits 1" $(( $? != 1 ))
check "(c) a locked key: it says so" grep -q "locked by the administrator" "$tmp/lock.err"
"$torchlog" reset --app "$app" 2>/dev/null
check_status "(c) a locked key: reset exits 1" $(( $? != 1 ))
stop a
rm -f "$tmp/db/fleet.d/locks/torchlog" "$tmp/db/fleet.d/10-torchlog"
dconf update "$tmp/db"
# (b) every app: a vendor override of the schema's default.
printf '[org.gnome.Torchlog]\nlogs=%s\n' "'aot'" >"$tmp/schemas/90_fleet.gschema.override"
glib-compile-schemas "$tmp/schemas" || not_ok "glib-compile-schemas with the override"
start b "$app_b"
"$torchlog" reset --app "$app_b" 2>/dev/null
start c org.example.OpC
sleep 0.3
check "(b) the override applies to a program never configured" \
  test "$("$torchlog" get --effective --app org.example.OpC)" = "aot"
stop b; stop c
rm -f "$tmp/schemas/90_fleet.gschema.override"
glib-compile-schemas "$tmp/schemas"

# ---- precedence: an invalid TORCH_LOGS and a stored value --------------------

gsettings set "$schema" logs '+dynamo'
start a "$app" TORCH_LOGS='dynamo,,'
check "invalid TORCH_LOGS: torch's error at start" grep -q "Invalid log settings: dynamo,," "$tmp/a.err"
check "invalid TORCH_LOGS: the stored value is not applied" \
  sh -c "! grep -q -E 'tick [0-9]+ (debug|info)' '$tmp/a.err'"
check "invalid TORCH_LOGS: apps says what runs" test "$(apps_field "$pid_a" effective)" = "''"
"$torchlog" set --app "$app" '+dynamo'
gsettings set "$schema" logs 'dynamo'
check "invalid TORCH_LOGS: a later change applies" wait_for "$tmp/a.err" 'tick [0-9]+ info'
stop a

# ---- a Python program under its own id, next to a C one ----------------------

start a "$app"
: >"$tmp/py.out"; : >"$tmp/py.err"
LC_ALL=C.UTF-8 /usr/bin/python3 "$demo_py" org.example.OpPy 30 >"$tmp/py.out" 2>"$tmp/py.err" &
pid_py=$!; pids="$pids $pid_py"
wait_for "$tmp/py.out" ready || bail "settings-demo.py did not start: $(cat "$tmp/py.err")"
check "apps lists the C and the Python program" \
  test "$("$torchlog" apps --running --ids | tr '\n' ' ')" = "$app org.example.OpPy "
pyschema="org.gnome.Torchlog:/org/gnome/torchlog/apps/org/example/OpPy/"
"$torchlog" set --app org.example.OpPy '+dynamo,guards'
gsettings set "$pyschema" logs 'guards,,'
gsettings set "$pyschema" logs 'guards,,'
check "Python: the bad value is warned about" wait_for "$tmp/py.err" 'Invalid log settings: guards,,'
sleep 0.3
check "Python: once for a repeat" test "$(grep -c 'Invalid log settings' "$tmp/py.err")" -eq 1
# Python calls setlocale(): typographic quotes in a UTF-8 locale.
check "Python: typographic quotes in a UTF-8 locale" grep -q 'key “logs”' "$tmp/py.err"
check "Python: get --effective shows what runs" \
  test "$("$torchlog" get --effective --app org.example.OpPy)" = "+dynamo,guards"
check "the C program is unaffected (its stored dynamo)" test "$("$torchlog" get --effective --app "$app")" = "dynamo"
kill "$pid_py"; wait "$pid_py" 2>/dev/null
stop a

# A program killed without unbinding is shown as not running.
start a "$app"
kill -9 "$pid_a"; wait "$pid_a" 2>/dev/null
check "a killed program: not running" sh -c "'$torchlog' apps | grep -q '$pid_a (not running)'"

tap_done
