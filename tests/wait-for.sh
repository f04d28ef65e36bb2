# wait-for.sh: waiting for a program's output instead of sleeping; sourced
# (bash), not run.
#
#   wait_for FILE PATTERN [COUNT]   until FILE has COUNT lines matching the
#                                   ERE PATTERN (default 1)
#
# The limit only bounds a failure (a line that never comes): 20 s, on a
# loaded machine, and 120 s under valgrind or a sanitizer
# (TORCHLOG_SLOW_TOOL), where a program takes seconds to start. A check
# that passes returns as soon as the line is there.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

now_ms () { date +%s%3N; }

wait_for () {
  local start limit=20000
  start=$(now_ms)
  [ -n "${TORCHLOG_SLOW_TOOL:-}" ] && limit=120000
  until [ "$(grep -c -E -- "$2" "$1" 2>/dev/null)" -ge "${3:-1}" ]; do
    [ $(($(now_ms) - start)) -gt "$limit" ] && return 1
    sleep 0.02
  done
}
