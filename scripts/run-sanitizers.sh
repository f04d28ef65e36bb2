#!/bin/sh
# Runs the whole test suite again under the sanitizers and valgrind:
#   1. a build with -Db_sanitize=address,undefined: every `meson test` test,
#      the `stress` suite included; any ASan, LSan or UBSan report fails;
#   2. the plain build's tests under valgrind --leak-check=full
#      --error-exitcode=1 with GLib's suppressions: our test programs, then
#      the script tests with valgrind following into our programs (the
#      heavy `stress` suite is left to 1 and 3: 800,000 lines under
#      valgrind take too long);
#   3. a -fsanitize=thread build: the thread tests (suite `threads`, and any
#      test named *thread*, *stress* or *fork*), heavy stress included.
# Exclusions, and why:
#   - tests in the suites listed in $SANITIZER_EXCLUDED_SUITES (default:
#     the Python, gjs and Vala binding tests, `bindings python gjs vala`)
#     are skipped under ASan and TSan: the interpreter is not instrumented,
#     the sanitizer runtime would have to be LD_PRELOADed into python3/gjs,
#     and their own allocations are then reported as leaks. Under valgrind
#     they are skipped too: valgrind follows only our own executables (the
#     wrapper would otherwise check python3 and gjs themselves).
#   - the `outside-builds` suite (test-meson-consumer's outside Meson
#     projects built against torchlog uninstalled, installed and as a
#     subproject; test-doc-screens, which compiles the manual's C examples
#     with `cc` as a reader does) is left out of every stage: programs
#     built without the sanitizer cannot load a sanitized library, and
#     these tests check the build and the documents, which the plain run
#     covers.
#   - under valgrind, the `live` suite (programs changed from outside
#     within a deadline of about a second) and $VALGRIND_EXCLUDED_TESTS
#     (default test-tool-settings, whose `monitor` check has the same kind
#     of deadline) are skipped: valgrind's slowdown breaks the deadlines,
#     not the code. Shells' own leaks are suppressed (tests/valgrind.supp).
# Usage: scripts/run-sanitizers.sh [asan] [valgrind] [tsan]   (default: all)
#   TORCHLOG_SAN_PREFIX   build directory prefix (default _build-san)
set -eu
cd "$(dirname "$0")/.."

parts=${*:-"asan valgrind tsan"}
prefix=${TORCHLOG_SAN_PREFIX:-_build-san}
excluded_suites=${SANITIZER_EXCLUDED_SUITES:-"bindings python gjs vala outside-builds"}
valgrind_excluded_tests=${VALGRIND_EXCLUDED_TESTS:-"test-tool-settings"}
common_options="-Dtests=true -Dintrospection=disabled -Dvapi=disabled -Dgtk_doc=false -Dbenchmarks=false"
started=$(date +%s)
# The hostile-input test keeps its growth-ratio check but drops its
# absolute time bound under these slow tools.
export TORCHLOG_SLOW_TOOL=1
export G_SLICE=always-malloc
export G_DEBUG=gc-friendly
unset TORCH_LOGS TORCH_LOGS_OUT TORCH_LOGS_FORMAT TORCH_LOGS_TRACE_ID_FILTER || true

want () {
  case " $parts " in *" $1 "*) return 0 ;; *) return 1 ;; esac
}

say () {
  echo
  echo "=== sanitizers: $1 ($(( $(date +%s) - started )) s elapsed) ==="
}

# Tests of build $1 to run: not in an excluded suite; with $2=exe, only
# tests whose command is one of the build tree's executables; with $2 a
# regular expression, only tests whose name or suites match it.
select_tests () {
  meson introspect --tests "$1" | /usr/bin/python3 -c '
import json, os, re, sys
build = os.path.realpath(sys.argv[1])
excluded = set(sys.argv[2].split())
mode = sys.argv[3]
valgrind_excluded = set(sys.argv[4].split())
for test in json.load(sys.stdin):
    suites = set(s.split(":")[-1] for s in test["suite"])
    if suites & excluded:
        continue
    if mode in ("exe", "script"):
        cmd = os.path.realpath(test["cmd"][0])
        with open(cmd, "rb") as f:
            ours = cmd.startswith(build + os.sep) and f.read(4) == b"\x7fELF"
        if ours != (mode == "exe"):
            continue
        # A test run by an interpreter checks no program of ours.
        if os.path.basename(cmd).startswith(("python", "gjs")):
            continue
        if suites & {"stress", "live"} or test["name"] in valgrind_excluded:
            continue
    elif mode != "all":
        if not re.search(mode, " ".join([test["name"]] + sorted(suites))):
            continue
    print(test["name"])
' "$1" "$excluded_suites" "$2" "$valgrind_excluded_tests"
}

setup () {
  dir=$1
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    # shellcheck disable=SC2086
    meson setup "$dir" $common_options "$@"
  fi
  ninja -C "$dir"
}

status=0
# What failed, stage by stage: printed again at the end, because CI shows
# only the tail of a long log.
failures=""

# The tests of build $1 that did not pass, from meson's newest JSON test log.
failed_tests () {
  log=$(ls -t "$1"/meson-logs/testlog*.json 2>/dev/null | head -n 1)
  [ -n "$log" ] || return 0
  /usr/bin/python3 -c '
import json, sys
for line in open(sys.argv[1]):
    test = json.loads(line)
    if test["result"] not in ("OK", "SKIP", "EXPECTEDFAIL"):
        print("%s (%s)" % (test["name"].split(" / ")[-1], test["result"]))
' "$log"
}
# Records that stage $1 (build $2) failed, with its failed tests.
stage_failed () {
  status=1
  failures="$failures
  $1: $(failed_tests "$2" | tr '\n' ' ')"
}

# Every report goes to a file as well as nowhere else: several tests point
# stderr at /dev/null or a pipe, which would otherwise swallow it. Each
# stage prints the reports its tests left and fails on any.
reports=$(mktemp -d /tmp/torchlog-sanitizer-reports-XXXXXX)
trap 'rm -rf "$reports"' EXIT
# What marks a real report in each tool's files: valgrind also logs its
# own notes (an unhandled system call, a program ending on a signal it
# was meant to), which --error-exitcode already judges.
report_pattern () {
  case "$1" in
    valgrind) echo '^==[0-9]+== (Invalid|Conditional jump|Use of uninitialised|Syscall param|Mismatched free|Source and destination overlap|.* are definitely lost)' ;;
    *) echo 'ERROR: |runtime error|WARNING: ThreadSanitizer' ;;
  esac
}
# A sanitizer report does not say which process wrote it, and one
# environment serves every test. So each test runs through a wrapper that
# appends a log_path of its own to the options in variables $2...: reports
# are then named $1.TEST.PID, TEST being the test's program or script,
# and the programs a test runs (e.g. the torchlog tool run by
# test-report.py) inherit it. A later log_path overrides the earlier one.
make_wrapper () {
  wrapper=$reports/wrap-$1.sh
  {
    echo '#!/bin/sh'
    echo 'test=$(basename -- "$1")'
    echo 'case $test in python*|gjs*|sh|bash|dash) [ $# -lt 2 ] || test=$(basename -- "$2") ;; esac'
    tool=$1
    shift
    for var in "$@"; do
      echo "$var=\"\${$var:+\$$var:}log_path=$reports/$tool.\$test\"; export $var"
    done
    echo 'exec "$@"'
  } > "$wrapper"
  chmod +x "$wrapper"
  echo "$wrapper"
}
show_reports () {
  found=0
  pattern=$(report_pattern "$1")
  for report in "$reports"/"$1".*; do
    [ -s "$report" ] || continue
    name=${report##*/}
    name=${name#"$1".}
    case $name in
      *.*) echo "--- $report: test ${name%.*}, pid ${name##*.}" ;;
      *) echo "--- $report" ;;
    esac
    cat "$report"
    grep -Eq "$pattern" "$report" && found=1
  done
  rm -f "$reports"/"$1".*
  if [ $found = 1 ]; then
    echo "sanitizers: $1 reported errors (above)"
    status=1
    failures="$failures
  $1: reports (above)"
  fi
}

if want asan; then
  say "ASan + UBSan: every test"
  setup "$prefix-asan" -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args="-fno-omit-frame-pointer -fno-sanitize-recover=all"
  tests=$(select_tests "$prefix-asan" all)
  echo "tests: $(echo $tests | wc -w)"
  # shellcheck disable=SC2086
  # fast_unwind_on_malloc=0: the frame-pointer unwinder stops at
  # GLib's and json-glib's frames (built without frame pointers), so leak
  # reports ended at g_malloc; the slow unwinder gives the whole stack.
  ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:fast_unwind_on_malloc=0:log_path=$reports/asan" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/asan" \
  LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp" \
    meson test -C "$prefix-asan" --print-errorlogs --timeout-multiplier 4 \
      --wrapper "$(make_wrapper asan ASAN_OPTIONS UBSAN_OPTIONS)" $tests || stage_failed "ASan+UBSan tests" "$prefix-asan"
  show_reports asan
fi

if want valgrind; then
  say "valgrind memcheck: every test"
  setup "$prefix-valgrind" -Dbuildtype=debug
  # --errors-for-leak-kinds=definite: GLib keeps type data, interned
  # strings and thread-pool state for the process's lifetime ("possibly
  # lost" only through interior pointers); anything definitely lost is ours.
  memcheck="valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite \
--show-leak-kinds=definite --error-exitcode=1 --num-callers=40 \
--suppressions=/usr/share/glib-2.0/valgrind/glib.supp \
--suppressions=$(pwd)/tests/valgrind.supp --log-file=$reports/valgrind.%p"
  # Our test programs as they are: the children some tests fork and the
  # subprocesses GTest re-executes run without valgrind.
  tests=$(select_tests "$prefix-valgrind" exe)
  echo "test programs: $(echo $tests | wc -w)"
  # shellcheck disable=SC2086
  meson test -C "$prefix-valgrind" --print-errorlogs --timeout-multiplier 20 \
    --wrapper "$memcheck" $tests || stage_failed "valgrind test programs" "$prefix-valgrind"
  # The script tests: valgrind follows them into our programs (the
  # torchlog command, the examples), not into system tools.
  tests=$(select_tests "$prefix-valgrind" script)
  echo "script tests: $(echo $tests | wc -w)"
  # shellcheck disable=SC2086
  [ -z "$tests" ] || meson test -C "$prefix-valgrind" --print-errorlogs --timeout-multiplier 20 \
    --wrapper "$memcheck --trace-children=yes --trace-children-skip=/usr/bin/*,/bin/*,*python*,*gjs*" \
    $tests || stage_failed "valgrind script tests" "$prefix-valgrind"
  show_reports valgrind
fi

if want tsan; then
  say "ThreadSanitizer: the thread tests"
  setup "$prefix-tsan" -Db_sanitize=thread -Db_lundef=false -Dc_args="-fno-omit-frame-pointer"
  tests=$(select_tests "$prefix-tsan" "thread|stress|fork")
  echo "tests: $(echo $tests | wc -w)"
  # shellcheck disable=SC2086
  # die_after_fork=0: test-fork's children log after a multi-threaded
  # fork, which TSan refuses by default.
  TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:die_after_fork=0:suppressions=$(pwd)/tests/tsan.supp:log_path=$reports/tsan" \
    meson test -C "$prefix-tsan" --print-errorlogs --timeout-multiplier 6 $tests || stage_failed "TSan tests" "$prefix-tsan"
  show_reports tsan
fi

say "done, status $status"
[ -z "$failures" ] || echo "failed:$failures"
exit $status
