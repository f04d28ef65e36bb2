#!/bin/sh
# test-journal-fleet.sh SRCDIR TORCHLOG: an 8-rank job on 4 simulated
# machines, each with its own systemd-journald, shipping to one central
# systemd-journal-remote, where journalctl selects one rank's or one
# component's records from the whole job (issue 17). TAP.
#
# The commands are the manual's, taken from journal.xml and run as
# written: the central systemd-journal-remote (role="fleet-centre"), each
# machine's systemd-journal-upload (role="fleet-upload") and the queries
# at the centre (role="fleet-queries", checked by journal-query.sh). The
# ranks run the one-machine recipe's command (role="journal-one", its
# first line) with RANK=3 changed to each machine's two ranks, the one
# change the page implies (machine M runs ranks 2M-2 and 2M-1, so rank 3
# is on machine2, as the page's last query has it); `torchlog` is TORCHLOG.
# The test machine provides what the page assumes: the addresses, the
# hostnames and /var/log/journal/remote (Debian's package creates it).
#
# A machine is a network namespace (ip netns, a veth pair to the host:
# 10.231.N.2 inside, 10.231.N.1 on the host side) plus a private mount
# namespace (tmpfs /run and /var/log/journal, its own journald) and its
# own hostname (unshare -u). The test itself runs in a private network
# namespace too (unshare -n: the "host" side), so its fixed addresses
# never meet the host's or another run's. The central journal-remote listens on
# 10.231.1.1:19532 only, in the test's own private mount namespace (so
# /var/log/journal/remote is a tmpfs); each machine runs
# systemd-journal-upload to it. Needs root.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
srcdir=$1
torchlog=$2
here=$(cd "$(dirname "$0")" && pwd)

if [ "${TL_FLEET_INSIDE:-}" != 1 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "1..1"
    echo "not ok 1 - needs root for network namespaces and journald (CI runs as root)"
    exit 1
  fi
  exec env TL_FLEET_INSIDE=1 unshare -m -n --propagation private sh "$0" "$@"
fi
. "$here/../tap.sh"
. "$here/../docs/doc-blocks.sh"
. "$here/journal-query.sh"

machines="1 2 3 4"
tag=tl$$
central=/var/log/journal/remote
mount -t tmpfs tmpfs /run && mkdir -p /var/log/journal && mount -t tmpfs tmpfs /var/log/journal
check_status "private /run and /var/log/journal" $?
mkdir -p "$central"
page=$srcdir/docs/reference/guide/journal.xml
centre=$(listing "$page" fleet-centre)
upload=$(listing "$page" fleet-upload)
listing "$page" fleet-queries >/run/queries
ranks=$(listing "$page" journal-one | head -n 1)
case $ranks in *" RANK=3 "*) rank_ok=0 ;; *) rank_ok=1 ;; esac
[ -n "$centre" ] && [ -n "$upload" ] && [ -s /run/queries ] && [ "$rank_ok" -eq 0 ]
check_status "journal.xml's fleet blocks, and a rank's command with RANK=3" $?
PATH=$(dirname "$torchlog"):$PATH
export PATH

cleanup () {
  [ -n "${remote_pid:-}" ] && kill "$remote_pid" 2>/dev/null
  for m in $machines; do ip netns del "$tag-m$m" 2>/dev/null; done
}
trap cleanup EXIT

setup_ok=0
ip link set lo up || setup_ok=1
for m in $machines; do
  ip netns add "$tag-m$m" &&
  ip link add "$tag-h$m" type veth peer name eth0 netns "$tag-m$m" &&
  ip addr add "10.231.$m.1/24" dev "$tag-h$m" && ip link set "$tag-h$m" up &&
  ip -n "$tag-m$m" addr add "10.231.$m.2/24" dev eth0 &&
  ip -n "$tag-m$m" link set eth0 up && ip -n "$tag-m$m" link set lo up &&
  ip -n "$tag-m$m" route add default via "10.231.$m.1" || setup_ok=1
done
check_status "4 machines: network namespaces with a veth to the host" $setup_ok

sh -c "exec $centre" >/run/remote.log 2>&1 &
remote_pid=$!
i=0
until ss -ltn 2>/dev/null | grep -q '10.231.1.1:19532'; do
  i=$((i + 1)); [ $i -gt 500 ] && break; kill -0 $remote_pid 2>/dev/null || break; sleep 0.01
done
TAP_ERR=/run/remote.log check "\$ $(echo $centre): listens on 10.231.1.1:19532" \
  sh -c "ss -ltn | grep -q '10.231.1.1:19532'"

# machine M runs ranks 2M-2 and 2M-1, then ships its journal.
machine_script='
m=$1 ranks=$2 upload=$3
mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /var/log/journal || exit 1
mkdir -p /run/systemd/journal
# ip netns exec mounts a fresh /sys for the namespace, without the cgroup
# file system journald needs to start.
mountpoint -q /sys/fs/cgroup || mount -t cgroup2 cgroup2 /sys/fs/cgroup || exit 5
hostname "machine$m"
/lib/systemd/systemd-journald >/dev/null 2>&1 &
journald=$!
trap "kill $journald" EXIT
i=0
while [ ! -S /run/systemd/journal/socket ] && [ $i -lt 1000 ]; do i=$((i + 1)); sleep 0.01; done
for rank in $((2 * m - 2)) $((2 * m - 1)); do
  sh -c "$(printf "%s\n" "$ranks" | sed "s/ RANK=3 / RANK=$rank /")" >/dev/null 2>&1 || exit 2
done
journalctl --sync && journalctl --flush || exit 3
sh -c "$upload" >/dev/null 2>&1 || exit 4
'
for m in $machines; do
  ip netns exec "$tag-m$m" unshare -m -u --propagation private \
    sh -c "$machine_script" machine "$m" "$ranks" "$upload"
  check_status "machine $m: journald, ranks $((2 * m - 2)) and $((2 * m - 1)), \$ $upload" $?
done

# The page's queries, at the centre, as written.
while IFS= read -r line; do check_query "$line"; done </run/queries

# Beyond the page: the whole job reached the centre.
q () { journalctl -D "$central" --no-pager -o cat "$@" 2>/dev/null; }
n_files=$(ls "$central" | grep -c '^remote-10\.231\.[1-4]\.2\.journal$')
[ "$n_files" -eq 4 ]
check_status "the centre holds one journal per machine ($n_files)" $?
all_ranks_ok=0
for rank in 0 1 2 3 4 5 6 7; do
  [ "$(q TORCHLOG_RANK=$rank | grep -c .)" -gt 0 ] || all_ranks_ok=1
done
check_status "journalctl TORCHLOG_RANK=R at the centre finds each of the 8 ranks" $all_ranks_ok
n_rank3=$(q TORCHLOG_RANK=3 | grep -c .)
n_rank3_m2=$(q TORCHLOG_RANK=3 _HOSTNAME=machine2 | grep -c .)
[ "$n_rank3" -gt 0 ] && [ "$n_rank3" -eq "$n_rank3_m2" ]
check_status "rank 3's $n_rank3 records all come from machine2" $?
n_comm=$(q _COMM=torchlog | grep -c .)
[ "$n_comm" -eq $((8 * n_rank3)) ]
check_status "the whole job is 8 times rank 3's records ($n_comm)" $?
q TORCHLOG_COMPONENT=dynamo | grep -q 'Step 1: torchdynamo start tracing forward'
check_status "journalctl TORCHLOG_COMPONENT=dynamo selects dynamo's records from the job" $?

tap_done
