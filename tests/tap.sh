# tap.sh: TAP output for the shell tests; sourced (POSIX sh), not run.
#
#   . "$(dirname "$0")/tap.sh"
#   check "DESCRIPTION" COMMAND...      # passes if COMMAND succeeds
#   has "$text" ERE; check_status "DESCRIPTION" $?
#   tap_done                            # the plan; status 1 if any failed
#
# When a check fails, `check` prints the command as a TAP comment, and the
# first 2000 bytes of $TAP_OUT and $TAP_ERR when the caller set those to
# the files holding the checked command's stdout and stderr.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

n=0
failed=0

# ok DESCRIPTION: one passing test point.
ok () {
  n=$((n + 1))
  echo "ok $n - $1"
}

# not_ok DESCRIPTION [COMMENT...]: one failing test point, each line of
# each COMMENT printed after it as a `# ` line (an unprefixed line would
# break meson's TAP parser and hide the failure's reason).
not_ok () {
  n=$((n + 1))
  failed=$((failed + 1))
  echo "not ok $n - $1"
  shift
  for comment in "$@"; do
    printf '%s\n' "$comment" | sed 's/^/# /'
  done
}

# check DESCRIPTION COMMAND...: one test point, passing if COMMAND succeeds.
check () {
  tap_description=$1
  shift
  if "$@"; then
    ok "$tap_description"
  elif [ -n "${TAP_OUT:-}" ] || [ -n "${TAP_ERR:-}" ]; then
    not_ok "$tap_description" "failed: $*" \
      "stdout:" "$(head -c 2000 "${TAP_OUT:-/dev/null}")" \
      "stderr:" "$(head -c 2000 "${TAP_ERR:-/dev/null}")"
  else
    not_ok "$tap_description" "failed: $*"
  fi
}

# check_status DESCRIPTION STATUS: one test point, passing if STATUS is 0.
check_status () {
  if [ "$2" -eq 0 ]; then ok "$1"; else not_ok "$1"; fi
}

# has TEXT ERE / lacks TEXT ERE: whether a line of TEXT matches ERE.
has () { printf '%s\n' "$1" | grep -Eq -- "$2"; }
lacks () { ! has "$@"; }

# tap_done: prints the plan; its status is the test's (0: all passed).
tap_done () {
  echo "1..$n"
  [ "$failed" -eq 0 ]
}
