#!/bin/sh
# Builds every libFuzzer harness of tests/fuzz with clang, ASan and UBSan
# (the library itself instrumented for coverage) and runs each one for a
# bounded time, starting from its seed corpus. Fails on a crash, a leak,
# a timeout (one input taking over 10 s), an out-of-memory or a property
# check; prints executions and coverage (cov/ft) per harness.
#
# Usage: scripts/run-fuzzers.sh [SECONDS_PER_HARNESS]   (default 60)
#        scripts/run-fuzzers.sh --minutes N            (long runs, outside CI)
#        scripts/run-fuzzers.sh --runs N               (each harness until N inputs ran)
#   TORCHLOG_FUZZ_BUILDDIR  build directory (default _build-fuzz, or
#                           _build-fuzz-lsan with the leak sanitizer)
#   TORCHLOG_FUZZ_JOBS      parallel harnesses (default: number of CPUs)
#   TORCHLOG_FUZZ_HARNESSES the harnesses to run, by name (default: all)
#   TORCHLOG_FUZZ_MAX_LEN   longest input in bytes (default 65536; long
#                           runs use 4096 to keep the rate up as inputs grow)
#   TORCHLOG_FUZZ_SANITIZER address (default: ASan+UBSan) or leak
#                           (LeakSanitizer alone, for long runs: faster,
#                           but it misses out-of-bounds accesses that do
#                           not crash and undefined behaviour, so CI and
#                           short runs use address; clang 14 cannot link
#                           LSan and UBSan together)
# Reproduce a failure: $BUILDDIR/tests/fuzz/fuzz-NAME -close_fd_mask=0 CRASHFILE
set -eu
cd "$(dirname "$0")/.."

runs=-1
case "${1:-}" in
  --minutes)
    [ -n "${2:-}" ] || { echo "usage: $0 [SECONDS | --minutes N | --runs N]" >&2; exit 2; }
    seconds=$(( $2 * 60 )) ;;
  --runs)
    [ -n "${2:-}" ] || { echo "usage: $0 [SECONDS | --minutes N | --runs N]" >&2; exit 2; }
    # No time limit: each harness stops after N executions.
    seconds=0
    runs=$2 ;;
  *) seconds=${1:-60} ;;
esac
sanitizer=${TORCHLOG_FUZZ_SANITIZER:-address}
case "$sanitizer" in
  address)
    default_builddir=_build-fuzz
    b_sanitize=address,undefined ;;
  leak)
    default_builddir=_build-fuzz-lsan
    b_sanitize=leak ;;
  *) echo "TORCHLOG_FUZZ_SANITIZER must be address or leak, not “$sanitizer”" >&2; exit 2 ;;
esac
builddir=${TORCHLOG_FUZZ_BUILDDIR:-$default_builddir}
jobs=${TORCHLOG_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
max_len=${TORCHLOG_FUZZ_MAX_LEN:-65536}
case "$max_len" in
  ''|*[!0-9]*) echo "TORCHLOG_FUZZ_MAX_LEN must be a number of bytes, not “$max_len”" >&2; exit 2 ;;
esac

if [ ! -f "$builddir/build.ninja" ]; then
  CC=clang meson setup "$builddir" \
    -Dtests=true -Dfuzzing=true -Dintrospection=disabled \
    -Dvapi=disabled -Dgtk_doc=false -Dbenchmarks=false \
    -Dbuildtype=debugoptimized \
    -Db_sanitize="$b_sanitize" -Db_lundef=false \
    -Dc_args="-fsanitize=fuzzer-no-link -fno-sanitize-recover=all -fno-omit-frame-pointer"
fi

# Only the harnesses (and the library): the rest of the tree is tested by
# the other stages.
harnesses=${TORCHLOG_FUZZ_HARNESSES:-$(cd tests/fuzz && ls fuzz-*.c | sed 's/\.c$//')}
for h in $harnesses; do
  [ -f "tests/fuzz/$h.c" ] || { echo "no harness tests/fuzz/$h.c" >&2; exit 2; }
done
targets=""
for h in $harnesses; do
  targets="$targets tests/fuzz/$h"
done
# shellcheck disable=SC2086
ninja -C "$builddir" $targets

export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1"
export LSAN_OPTIONS="detect_leaks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export G_SLICE=always-malloc
export G_DEBUG=gc-friendly
unset TORCH_LOGS TORCH_LOGS_OUT TORCH_LOGS_FORMAT TORCH_LOGS_TRACE_ID_FILTER || true

logdir="$builddir/fuzz-logs"
mkdir -p "$logdir"

run_one () {
  name=$1
  corpus="$builddir/fuzz-corpus/$name"
  artifacts="$builddir/fuzz-artifacts/$name/"
  dict=""
  mkdir -p "$corpus" "$artifacts"
  [ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
  # -close_fd_mask=2: the library's stderr lines go nowhere; libFuzzer and
  # the sanitizers keep a copy of the real stderr for their reports.
  # shellcheck disable=SC2086
  "$builddir/tests/fuzz/$name" \
    -max_total_time="$seconds" -runs="$runs" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
    -close_fd_mask=2 -print_final_stats=1 -artifact_prefix="$artifacts" $dict \
    "$corpus" "tests/fuzz/corpus/$name" >"$logdir/$name.log" 2>&1
}

# In batches of $jobs harnesses, each batch for $seconds.
status=0
failed=""
batch=""
count=0
flush () {
  for entry in $batch; do
    pid=${entry%%:*}
    name=${entry#*:}
    if ! wait "$pid"; then
      failed="$failed $name"
      status=1
    fi
  done
  batch=""
  count=0
}
for h in $harnesses; do
  if [ "$runs" -ge 0 ]; then
    echo "fuzzing $h for $runs executions"
  else
    echo "fuzzing $h for ${seconds} s"
  fi
  run_one "$h" &
  batch="$batch $!:$h"
  count=$((count + 1))
  [ "$count" -ge "$jobs" ] && flush
done
flush

echo
printf '%-22s %12s %8s %8s %8s %8s  %s\n' harness executions exec/s cov ft corpus result
for h in $harnesses; do
  log="$logdir/$h.log"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
  cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
  ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
  corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
  case " $failed " in
    *" $h "*) result=FAILED ;;
    *) result=ok ;;
  esac
  printf '%-22s %12s %8s %8s %8s %8s  %s\n' "$h" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result"
done

for h in $failed; do
  echo
  echo "=== $h failed; last lines of $logdir/$h.log ==="
  tail -n 60 "$logdir/$h.log"
  ls "$builddir/fuzz-artifacts/$h/" 2>/dev/null | sed 's/^/reproducer: /'
done
exit $status
