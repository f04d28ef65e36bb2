#!/bin/sh
# The README's third command: install what is missing, build torchlog in
# release mode with the benchmarks, run them (`meson test --benchmark`),
# each against its peers (GStreamer, spdlog, GLib, Python's logging)
# measured in the same run, and print a table of medians and ratios.
#   scripts/bench.sh           full run (a few minutes); also writes
#                              docs/benchmarks.md and docs/benchmarks.svg
#   scripts/bench.sh --quick   short run (under a minute), what CI runs to
#                              show the benchmarks still build and run;
#                              times are not judged and docs/ is left alone
set -eu
cd "$(dirname "$0")/.."

quick=0
case "${1:-}" in
  --quick) quick=1 ;;
  "") ;;
  *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
esac

scripts/ensure-packages.sh build bench

builddir=_build-bench
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" --buildtype=release -Dtests=false -Dbenchmarks=true >/dev/null
fi
ninja -C "$builddir" >/dev/null

results=$(mktemp /tmp/torchlog-bench-XXXXXX.tsv)
trap 'rm -f "$results"' EXIT
export TORCHLOG_BENCH_RESULTS="$results"
if [ $quick = 1 ]; then
  export TORCHLOG_BENCH_QUICK=1
else
  unset TORCHLOG_BENCH_QUICK
fi

# One at a time: two benchmarks at once would measure each other.
meson test -C "$builddir" --benchmark --num-processes 1 --verbose --print-errorlogs \
  --no-rebuild

# torchlog report on tlparse's 22.5 MB of inputs (issue 18): MB/s.
echo
/usr/bin/python3 scripts/bench-report-speed.py "$builddir/tools/torchlog" $([ $quick = 1 ] && echo --quick)

echo
if [ $quick = 1 ]; then
  /usr/bin/python3 scripts/bench-report.py "$results"
else
  /usr/bin/python3 scripts/bench-report.py "$results" --write docs/benchmarks.md \
    --chart docs/benchmarks.svg --builddir "$builddir"
  echo
  echo "wrote docs/benchmarks.md and docs/benchmarks.svg"
fi
