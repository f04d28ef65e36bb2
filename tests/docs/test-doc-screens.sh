#!/bin/sh
# test-doc-screens.sh SRCDIR BUILDDIR LIVE: the manual's operator
# transcripts, taken from docs/reference/guide/live-changes.xml: every
# `$ ` line of a <screen> is run as written, in one shell inside `meson
# devenv` (so `torchlog` is the build's), with GLib's keyfile backend in a
# scratch XDG_CONFIG_HOME; its output must be the lines the manual prints
# under it (`…` stands for the rest), and its status 0 unless the next
# line is `echo $?`. LIVE (the chapter's live-changes.c, built) runs once
# first, as the program the operator steers; while `torchlog monitor`
# runs, the test makes the change it prints (`torchlog set … aot`). TAP.
#
# Every shell snippet of README.md, bindings/README.md and the guide, and
# where it is run:
#   README.md ```sh 1 (demo.sh, test.sh)      not run: they install packages
#       and run the whole suite; tests/docs/check-readme.py checks them
#   README.md ```sh 2 (meson setup && meson test)  not run: the whole suite
#   README.md ```sh 3 (TORCH_LOGS=… ./scripts/demo.sh)  not run: demo.sh
#       installs packages and builds _build-demo in the source tree
#   bindings/README.md ```sh 1 (valac, ./example)  test-doc-vala.sh
#   live-changes.xml <screen> 1 (torchlog set/get/reset/monitor)  here
#   live-changes.xml <screen> 2 (gsettings set/reset)  here
#   operators.xml `torchlog apps`, `get --effective`  not run: the output
#       is a running program's (pid 4242); test-settings-operator.sh checks
#       every field with a real dconf and a running program
#   operators.xml /etc/dconf, gschema.override and locks recipes  not run:
#       root on the real /etc and /usr/share; test-settings-operator.sh
#       runs the same recipes with a temporary DCONF_PROFILE and schema dir
#   journal.xml journalctl, systemd-journal-remote/-upload  not run here:
#       root, journald and a network; tests/journald runs the recipe (CI)
#   report.xml `TORCH_TRACE=/tmp/trace ./my-program`, `torchlog report`
#       not run: a placeholder program and a random trace file name;
#       test-report runs torchlog report on real traces
#   trace.xml `TORCH_LOGS=dynamo TORCH_TRACE=/tmp/trace ./trace`, `cat`
#       not run: a random file name in a shared /tmp; test-guide-examples
#       runs trace.c with these variables and checks the same lines
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
srcdir=$1
builddir=$2
live=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tap.sh"
. "$here/doc-blocks.sh"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export GSETTINGS_BACKEND=keyfile XDG_CONFIG_HOME="$scratch/config"
mkdir -p "$XDG_CONFIG_HOME"
unset TORCH_LOGS TORCH_LOGS_OUT TORCH_LOGS_FORMAT G_DEBUG

# matches EXPECTED ACTUAL: ACTUAL is EXPECTED, a `…` line matching the rest.
matches () {
  k=$(grep -nx '…' "$1" | head -n 1 | cut -d: -f1)
  if [ -z "$k" ]; then cmp -s "$1" "$2"; return; fi
  k=$((k - 1))
  [ "$(head -n "$k" "$1")" = "$(head -n "$k" "$2")" ] && [ "$(wc -l <"$2")" -gt "$k" ]
}

# transcript FILE N: runs the Nth <screen> of FILE and checks each command.
transcript () {
  dir=$scratch/$(basename "$1" .xml).$2
  mkdir -p "$dir"
  screen "$1" "$2" | awk -v d="$dir" '
    /^\$ / { n++; print substr($0, 3) >(d "/cmd." n); printf "" >(d "/exp." n); next }
    n { print >(d "/exp." n) }
    END { print n + 0 >(d "/count") }'
  count=$(cat "$dir/count")
  [ "$count" -gt 0 ]; check_status "$(basename "$1") <screen> $2 has commands" $?
  : >"$dir/script"
  i=1
  while [ "$i" -le "$count" ]; do
    cmd=$(cat "$dir/cmd.$i")
    case "$cmd" in
      *"torchlog monitor "*)
        # It runs until stopped, and prints nothing until it is watching:
        # the test makes the change and waits for the line (an event), and
        # while nothing comes (the monitor not watching yet) resets and
        # makes the change again; the monitor appends (>>), so a reset's
        # line caught on the way can be cut off safely.
        app=$(printf '%s\n' "$cmd" | sed -n 's/.*--app \([^ ]*\).*/\1/p')
        out=$dir/out.$i
        printf '%s >>%s 2>&1 &\nm=$!; n=0\n' "$cmd" "$out"
        printf 'while :; do\n  torchlog set --app %s aot >/dev/null 2>&1\n' "$app"
        printf '  t=0; while [ ! -s %s ] && [ $t -lt 20 ]; do sleep 0.1; t=$((t + 1)); done\n' "$out"
        printf '  [ -s %s ] || [ $n -ge 60 ] && break; n=$((n + 1))\n' "$out"
        printf '  torchlog reset --app %s >/dev/null 2>&1; sleep 0.5; : >%s\ndone\n' "$app" "$out"
        printf 'kill $m; wait $m; echo 0 >%s\n' "$dir/status.$i" ;;
      *) printf '%s >%s 2>&1\ns=$?; echo $s >%s; (exit $s)\n' \
           "$cmd" "$dir/out.$i" "$dir/status.$i" ;;
    esac >>"$dir/script"
    i=$((i + 1))
  done
  env -u PYTHONPATH -u GI_TYPELIB_PATH -u LD_LIBRARY_PATH \
    meson devenv -C "$builddir" sh "$dir/script" >/dev/null 2>&1
  i=1
  while [ "$i" -le "$count" ]; do
    cmd=$(cat "$dir/cmd.$i")
    next=$(cat "$dir/cmd.$((i + 1))" 2>/dev/null)
    status=$(cat "$dir/status.$i" 2>/dev/null || echo none)
    if matches "$dir/exp.$i" "$dir/out.$i" &&
       { [ "$status" = 0 ] || [ "$next" = 'echo $?' ]; }; then
      ok "$(basename "$1"): \$ $cmd"
    else
      not_ok "$(basename "$1"): \$ $cmd" "status $status" "expected:" \
        "$(cat "$dir/exp.$i")" "got:" "$(head -c 2000 "$dir/out.$i" 2>/dev/null)"
    fi
    i=$((i + 1))
  done
}

# The program the operator steers has run (it publishes its registrations).
meson devenv -C "$builddir" "$live" 1 >/dev/null 2>&1
check_status "live-changes.c runs once, binding org.example.App" $?

guide=$srcdir/docs/reference/guide
transcript "$guide/live-changes.xml" 1
transcript "$guide/live-changes.xml" 2

tap_done
