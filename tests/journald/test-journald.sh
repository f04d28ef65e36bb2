#!/bin/sh
# test-journald.sh SRCDIR TORCHLOG: torchlog's journal sink against the
# real systemd-journald (issue 17): the manual's recipe (journal.xml,
# <programlisting role="journal-one">), run as written. TAP.
#
# Re-runs itself in a private mount namespace (unshare -m) with tmpfs on
# /run and /var/log/journal, so the journald it starts is the only one its
# programs can reach and the host's journal is never written; `torchlog`
# is TORCHLOG (the build's, first in PATH). The block's command runs as
# written (`torchlog demo` as rank 3), then each of its journalctl lines,
# as written, reading the namespace's journal (journal-query.sh checks
# what each selects). Nothing of the block is substituted.
# Needs root (CI runs as root), systemd and util-linux.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
srcdir=$1
torchlog=$2
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
. "$here/../docs/doc-blocks.sh"
. "$here/journal-query.sh"
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

listing "$srcdir/docs/reference/guide/journal.xml" journal-one >/run/recipe
grep -v '^journalctl ' /run/recipe >/run/commands
grep '^journalctl ' /run/recipe >/run/queries
[ -s /run/commands ] && [ -s /run/queries ]
check_status "journal.xml's journal-one block: a command and journalctl lines" $?
PATH=$(dirname "$torchlog"):$PATH
export PATH
sh /run/commands >/run/demo.out 2>/run/demo.err
status=$?
TAP_OUT=/run/demo.out TAP_ERR=/run/demo.err check \
  "\$ $(cat /run/commands): every record to the journal, none on stderr" \
  test "$status" -eq 0 -a ! -s /run/demo.err
# --sync returns once journald has written everything sent before it;
# --flush moves it from /run/log/journal to $journal_dir (both wait).
journalctl --sync >/dev/null 2>&1 && journalctl --flush >/dev/null 2>&1
check_status "journalctl --sync --flush" $?

while IFS= read -r line; do check_query "$line"; done </run/queries

# Beyond the page: what the demo logged is what the queries found.
q () { journalctl -D "$journal_dir" --no-pager -o cat "$@" 2>/dev/null; }
q TORCHLOG_COMPONENT=dynamo | grep -q 'Step 1: torchdynamo start tracing forward'
check_status "dynamo's records include its first step" $?
q TORCHLOG_ARTIFACT=guards | grep -q 'GUARDS:'
check_status "the guards artifact's records include the guards" $?
# _COMM is journald's own (trusted) field: every record of the process.
n_all=$(q _COMM=torchlog | grep -c .)
n_rank3=$(q TORCHLOG_RANK=3 | grep -c .)
[ "$n_all" -gt 0 ] && [ "$n_rank3" -eq "$n_all" ]
check_status "all $n_all records of the demo carry TORCHLOG_RANK=3 (got $n_rank3)" $?

tap_done
