#!/bin/bash
# test-doc-operators.sh SRCDIR BUILDDIR SETTINGS-DEMO TORCHLOG: the
# recipes and transcripts of docs/reference/guide/operators.xml, taken
# from the page and run as written, with the real dconf service on a
# private session bus (tests/private-session.sh). TAP.
#
#   <screen role="apps">         `torchlog apps`, `torchlog get --effective`,
#                                 run by transcript.sh while SETTINGS-DEMO
#                                 runs as org.example.App, after the test
#                                 wrote the screen's own stored value
#                                 (`effective:`) and then its rejected one
#                                 (`last rejected:`) with gsettings
#   <programlisting role="fleet-db">, "fleet-override", "fleet-lock"
#                                 run with sh -e below a scratch ROOT, as
#                                 the page says to on a test machine: ROOT
#                                 before /etc/dconf and
#                                 /usr/share/glib-2.0/schemas,
#                                 file-db:ROOT/etc/dconf/db/ for system-db:,
#                                 `dconf update ROOT/etc/dconf/db`; a recipe
#                                 still naming /etc or /usr after that is
#                                 not run (the test runs as root on CI)
#   <screen role="locked">       after the lock, by transcript.sh
#
# Each recipe's effect is then checked on a program started afterwards,
# with the value the recipe writes.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
srcdir=$1
builddir=$2
demo=$3
torchlog=$4
here=$(cd "$(dirname "$0")" && pwd)
bail () { echo "Bail out! $1"; exit 1; }
. "$here/../tap.sh"
. "$here/../private-session.sh"
. "$here/../wait-for.sh"
. "$here/doc-blocks.sh"
. "$here/transcript.sh"
ensure_settings_packages
page=$srcdir/docs/reference/guide/operators.xml

trap end_private_session EXIT
unset G_DEBUG TORCH_LOGS TORCH_LOGS_OUT TORCH_LOGS_FORMAT
scratch=$tmp root=$tmp/root
schemas=$root/usr/share/glib-2.0/schemas
mkdir -p "$scratch/work" "$schemas"
cp "$srcdir/torchlog/org.gnome.Torchlog.gschema.xml" "$schemas/"
glib-compile-schemas "$schemas" || bail "glib-compile-schemas"
export GSETTINGS_BACKEND=dconf GSETTINGS_SCHEMA_DIR=$schemas \
  DCONF_PROFILE=$root/etc/dconf/profile/user
start_private_bus || bail "dbus-daemon did not start"

# recipe ROLE: runs the page's <programlisting role="ROLE"> below $root.
recipe () {
  listing "$page" "$1" | sed -e "s|/etc/dconf|$root&|g" \
    -e "s|/usr/share/glib-2.0/schemas|$root&|g" \
    -e "s|system-db:|file-db:$root/etc/dconf/db/|g" \
    -e "s|^dconf update\$|dconf update $root/etc/dconf/db|" >"$tmp/$1.sh"
  if [ ! -s "$tmp/$1.sh" ]; then
    not_ok "operators.xml: a recipe with role=\"$1\""
  elif grep -Eq '^dconf update *$' "$tmp/$1.sh" ||
       sed "s|$root[^[:space:]'\"]*||g" "$tmp/$1.sh" | grep -Eq '(^|[^[:alnum:]_.])/(etc|usr)/'; then
    not_ok "operators.xml: the $1 recipe runs below a scratch root" \
      "not run: it still names the machine's /etc or /usr:" "$(cat "$tmp/$1.sh")"
  else
    (cd "$scratch/work" && sh -e "$tmp/$1.sh") >"$tmp/$1.out" 2>&1
    check_status "operators.xml: the $1 recipe runs below a scratch root" $?
  fi
}
# start APP-ID: runs SETTINGS-DEMO bound to APP-ID, stderr in $tmp/APP-ID.err
start () {
  "$demo" "$1" 60 >"$tmp/$1.out" 2>"$tmp/$1.err" &
  pids="$pids $!"
  wait_for "$tmp/$1.out" ready || bail "settings-demo $1 did not start: $(cat "$tmp/$1.err")"
}
# effective APP-ID VALUE: the check that APP-ID runs VALUE.
effective () {
  got=$("$torchlog" get --effective --app "$1" 2>&1)
  if [ "$got" = "$2" ]; then ok "$1 runs '$2'"; else not_ok "$1 runs '$2'" "got: $got"; fi
}
# written ROLE: the value of the logs key a recipe writes.
written () { listing "$page" "$1" | sed -n "s/^logs='\(.*\)'\$/\1/p"; }

# (a) The application's default, from the fleet database.
recipe fleet-db
start org.example.App
effective org.example.App "$(written fleet-db)"

# What the program really runs: the screen's stored value, then its
# rejected one, until the program has published the rejection.
apps=$(screen "$page" apps)
good=$(printf '%s\n' "$apps" | sed -n "s/^  effective: *'\(.*\)'\$/\1/p")
bad=$(printf '%s\n' "$apps" | sed -n "s/^  last rejected: *'\(.*\)'\$/\1/p")
key=org.gnome.Torchlog:/org/gnome/torchlog/apps/org/example/App/
gsettings set "$key" logs "'$good'"
wait_for "$tmp/org.example.App.err" 'tick [0-9]+ debug' || not_ok "the program applies '$good'"
gsettings set "$key" logs "'$bad'"
wait_for "$tmp/org.example.App.err" "Invalid log settings" || not_ok "the program rejects '$bad'"
tries=0
until "$torchlog" apps | grep -q 'last rejected' || [ $tries -ge 150 ]; do
  sleep 0.02; tries=$((tries + 1))
done
transcript "$page" apps

# (b) Every application's default, from a vendor override.
recipe fleet-override
start org.example.Other
effective org.example.Other "$(written fleet-override)"

# (c) A lock.
recipe fleet-lock
transcript "$page" locked

tap_done
