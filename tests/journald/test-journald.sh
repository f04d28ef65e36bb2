#!/bin/sh
# test-journald.sh TORCHLOG: torchlog's journal sink against the real
# systemd-journald (issue 17). TAP.
#
# Re-runs itself in a private mount namespace (unshare -m) with tmpfs on
# /run and /var/log/journal, so the journald it starts is the only one its
# programs can reach and the host's journal is never written. It logs
# with `torchlog demo` as rank 3 and queries the journal files with
# `journalctl -D`, as an operator would:
#   journalctl TORCHLOG_COMPONENT=dynamo, TORCHLOG_RANK=3.
# Needs root (CI runs as root), systemd and util-linux.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
torchlog=$1
here=$(cd "$(dirname "$0")" && pwd)

if [ "${TL_JOURNALD_INSIDE:-}" != 1 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "1..1"
    echo "not ok 1 - needs root for unshare -m and systemd-journald (CI runs as root)"
    exit 1
  fi
  exec env TL_JOURNALD_INSIDE=1 unshare -m --propagation private sh "$0" "$@"
fi

. "$here/../tap.sh"
journald=/lib/systemd/systemd-journald
journal_dir=/var/log/journal

mount -t tmpfs tmpfs /run && mkdir -p "$journal_dir" && mount -t tmpfs tmpfs "$journal_dir"
check_status "private /run and $journal_dir (tmpfs)" $?
mkdir -p /run/systemd/journal
"$journald" >/run/journald.log 2>&1 &
journald_pid=$!
trap 'kill $journald_pid 2>/dev/null; wait $journald_pid 2>/dev/null' EXIT
# journald is ready when its socket exists (it creates it before serving);
# bounded, in case it fails to start.
i=0
while [ ! -S /run/systemd/journal/socket ] && kill -0 $journald_pid 2>/dev/null && [ $i -lt 1000 ]; do
  i=$((i + 1)); sleep 0.01
done
[ -S /run/systemd/journal/socket ]
check_status "systemd-journald runs in the namespace" $?

TORCHLOG_JOURNAL=always RANK=3 TORCH_LOGS=+dynamo,guards "$torchlog" demo >/run/demo.out 2>/run/demo.err
check_status "torchlog demo logs (TORCHLOG_JOURNAL=always, RANK=3)" $?
# --sync returns once journald has written everything sent before it;
# --flush moves it from /run/log/journal to $journal_dir (both wait).
journalctl --sync >/dev/null 2>&1 && journalctl --flush >/dev/null 2>&1
check_status "journalctl --sync --flush" $?
[ ! -s /run/demo.err ]
check_status "nothing on stderr: every record went to the journal" $?

q () { journalctl -D "$journal_dir" --no-pager -o cat "$@" 2>/dev/null; }
dynamo=$(q TORCHLOG_COMPONENT=dynamo)
printf '%s\n' "$dynamo" | grep -q 'Step 1: torchdynamo start tracing forward'
check_status "journalctl TORCHLOG_COMPONENT=dynamo selects dynamo's records" $?
q TORCHLOG_ARTIFACT=guards | grep -q 'GUARDS:'
check_status "journalctl TORCHLOG_ARTIFACT=guards selects the artifact" $?
# _COMM is journald's own (trusted) field: every record of the process.
n_all=$(q _COMM=torchlog | grep -c .)
n_rank3=$(q TORCHLOG_RANK=3 | grep -c .)
[ "$n_all" -gt 0 ] && [ "$n_rank3" -eq "$n_all" ]
check_status "journalctl TORCHLOG_RANK=3 selects all $n_all records of rank 3 (got $n_rank3)" $?
[ "$(q TORCHLOG_RANK=5 | grep -c .)" -eq 0 ]
check_status "journalctl TORCHLOG_RANK=5 selects none" $?

tap_done
