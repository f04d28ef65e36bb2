# wait-for.sh: waiting for a program's output instead of sleeping; sourced
# (bash), not run.
#
#   wait_for FILE PATTERN [COUNT]   until FILE has COUNT lines matching the
#                                   ERE PATTERN (default 1), for at most 3 s
#
# SPDX-License-Identifier: LGPL-2.1-or-later

now_ms () { date +%s%3N; }

wait_for () {
  local start; start=$(now_ms)
  until [ "$(grep -c -E -- "$2" "$1" 2>/dev/null)" -ge "${3:-1}" ]; do
    [ $(($(now_ms) - start)) -gt 3000 ] && return 1
    sleep 0.02
  done
}
