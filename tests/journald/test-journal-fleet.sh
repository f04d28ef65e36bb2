#!/bin/sh
# test-journal-fleet.sh TORCHLOG: an 8-rank job on 4 simulated machines,
# each with its own systemd-journald, shipping to one central
# systemd-journal-remote, where journalctl selects one rank's or one
# component's records from the whole job (issue 17; the recipe of the
# manual's "A fleet of machines" section). TAP.
#
# A machine is a network namespace (ip netns, a veth pair to the host:
# 10.231.N.2 inside, 10.231.N.1 on the host side) plus a private mount
# namespace (tmpfs /run and /var/log/journal, its own journald) and its
# own hostname (unshare -u). The central journal-remote listens on
# 10.231.1.1:19532 only, in the test's own private mount namespace; each
# machine runs systemd-journal-upload to it. Needs root.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
torchlog=$1
here=$(cd "$(dirname "$0")" && pwd)

if [ "${TL_FLEET_INSIDE:-}" != 1 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "1..1"
    echo "not ok 1 - needs root for network namespaces and journald (CI runs as root)"
    exit 1
  fi
  exec env TL_FLEET_INSIDE=1 unshare -m --propagation private sh "$0" "$@"
fi
. "$here/../tap.sh"

machines="1 2 3 4"
tag=tl$$
central=/run/central
mount -t tmpfs tmpfs /run && mkdir -p /var/log/journal && mount -t tmpfs tmpfs /var/log/journal
check_status "private /run and /var/log/journal" $?
mkdir -p "$central"

cleanup () {
  [ -n "${remote_pid:-}" ] && kill "$remote_pid" 2>/dev/null
  for m in $machines; do ip netns del "$tag-m$m" 2>/dev/null; done
}
trap cleanup EXIT

setup_ok=0
for m in $machines; do
  ip netns add "$tag-m$m" &&
  ip link add "$tag-h$m" type veth peer name eth0 netns "$tag-m$m" &&
  ip addr add "10.231.$m.1/24" dev "$tag-h$m" && ip link set "$tag-h$m" up &&
  ip -n "$tag-m$m" addr add "10.231.$m.2/24" dev eth0 &&
  ip -n "$tag-m$m" link set eth0 up && ip -n "$tag-m$m" link set lo up &&
  ip -n "$tag-m$m" route add default via "10.231.$m.1" || setup_ok=1
done
check_status "4 machines: network namespaces with a veth to the host" $setup_ok

/lib/systemd/systemd-journal-remote --listen-http=10.231.1.1:19532 \
  --output="$central/" --split-mode=host >/run/remote.log 2>&1 &
remote_pid=$!
i=0
until ss -ltn 2>/dev/null | grep -q '10.231.1.1:19532'; do
  i=$((i + 1)); [ $i -gt 500 ] && break; kill -0 $remote_pid 2>/dev/null || break; sleep 0.01
done
ss -ltn | grep -q '10.231.1.1:19532'
check_status "the central systemd-journal-remote listens on 10.231.1.1:19532" $?

# machine M runs ranks 2M-2 and 2M-1, then ships its journal.
machine_script='
m=$1 torchlog=$2
mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /var/log/journal || exit 1
mkdir -p /run/systemd/journal
# ip netns exec mounts a fresh /sys for the namespace, without the cgroup
# file system journald needs to start.
mountpoint -q /sys/fs/cgroup || mount -t cgroup2 cgroup2 /sys/fs/cgroup || exit 5
hostname "machine$m"
/lib/systemd/systemd-journald >/dev/null 2>&1 &
journald=$!
i=0
while [ ! -S /run/systemd/journal/socket ] && [ $i -lt 1000 ]; do i=$((i + 1)); sleep 0.01; done
for rank in $((2 * m - 2)) $((2 * m - 1)); do
  TORCHLOG_JOURNAL=always RANK=$rank TORCH_LOGS=+dynamo,guards "$torchlog" demo >/dev/null 2>&1 || exit 2
done
journalctl --sync && journalctl --flush || exit 3
/usr/lib/systemd/systemd-journal-upload --url=http://10.231.1.1:19532 \
  -D /var/log/journal --follow=no >/dev/null 2>&1 || exit 4
kill $journald
'
for m in $machines; do
  ip netns exec "$tag-m$m" unshare -m -u --propagation private \
    sh -c "$machine_script" machine "$m" "$torchlog"
  check_status "machine $m: journald, ranks $((2 * m - 2)) and $((2 * m - 1)), upload" $?
done

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
n_dynamo_r5=$(q TORCHLOG_COMPONENT=dynamo TORCHLOG_RANK=5 | grep -c .)
[ "$n_dynamo_r5" -gt 0 ] && [ "$n_dynamo_r5" -le "$n_rank3" ]
check_status "one component of one rank: TORCHLOG_COMPONENT=dynamo TORCHLOG_RANK=5" $?

tap_done
