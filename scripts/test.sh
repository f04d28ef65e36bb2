#!/bin/sh
# The README's second command and what CI runs: install what is missing, then
# build and run every test. Stages, in order (each fails the run on error):
#   1. warnings-as-errors build with every option on, `meson test` (everyday suite)
#   2. the heavy stress suite
#   3. benchmarks in quick mode (they must build and run; figures are printed)
#   4. the suite under ASan+UBSan, under valgrind, thread tests under TSan
#   5. every fuzzing harness for a bounded time
#   6. the release: a `meson dist` tarball that builds and passes its own
#      test suite (scripts/test-release.sh)
# TORCHLOG_TEST_STAGES="1 2" limits the stages for local iteration; CI runs all.
# Then, in a git checkout, the run fails if it changed the source tree: a
# build, a test or a benchmark writes only into its build folder (_build*).
set -eu
cd "$(dirname "$0")/.."

# The source tree's state: git's status (ignored files aside), and what is
# in every file that differs from HEAD or is untracked, so that a
# developer's own uncommitted edits do not fail the check, but a run that
# writes into the tree does, even into a file that was already edited.
tree_state () {
  git status --porcelain --untracked-files=all
  { git diff HEAD --name-only; git ls-files --others --exclude-standard; } |
    while IFS= read -r file; do
      if [ -f "$file" ]; then
        printf '%s  %s\n' "$(git hash-object -- "$file")" "$file"
      fi
    done
}
# On failure, the last line names the stage: CI shows only the tail of
# the log.
current_stage="set-up and build"
finish () {
  rc=$?
  [ -z "$tree_before" ] || rm -f "$tree_before"
  if [ $rc -ne 0 ]; then
    echo
    echo "=== FAILED in $current_stage (exit $rc, $(( $(date +%s) - started )) s elapsed) ==="
  fi
  exit $rc
}
started=$(date +%s)
tree_before=
trap finish EXIT
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  tree_before=$(mktemp "${TMPDIR:-/tmp}/torchlog-tree-XXXXXX")
  tree_state >"$tree_before"
fi

scripts/ensure-packages.sh build test

stages=${TORCHLOG_TEST_STAGES:-"1 2 3 4 5 6"}
builddir=_build-test

stage () {
  current_stage="stage $1 ($2)"
  echo
  echo "=== stage $1: $2 ($(( $(date +%s) - started )) s elapsed) ==="
}

want () {
  case " $stages " in *" $1 "*) return 0 ;; *) return 1 ;; esac
}

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" --werror -Dtests=true -Dintrospection=enabled \
    -Dvapi=enabled -Dgtk_doc=true -Dman=enabled -Dbenchmarks=true
fi
ninja -C "$builddir"

if want 1; then
  stage 1 "meson test"
  meson test -C "$builddir" --print-errorlogs --no-suite stress
fi
if want 2; then
  stage 2 "stress suite"
  meson test -C "$builddir" --print-errorlogs --suite stress
fi
if want 3; then
  stage 3 "benchmarks (quick)"
  scripts/bench.sh --quick
fi
if want 4; then
  stage 4 "sanitizers and valgrind"
  scripts/run-sanitizers.sh
fi
if want 5; then
  stage 5 "fuzzing"
  scripts/run-fuzzers.sh 60
fi
if want 6; then
  stage 6 "release: meson dist"
  scripts/test-release.sh _build-release
fi
if [ -n "$tree_before" ]; then
  stage "end" "the source tree is as it was"
  if ! tree_state | diff -u "$tree_before" - >&2; then
    echo "the run changed the source tree (above: git status, then the files that" >&2
    echo "differ from HEAD with their content hashes; - before, + after); builds," >&2
    echo "tests and benchmarks must write only into their build folders" >&2
    exit 1
  fi
  echo "unchanged"
fi
echo
echo "=== all stages passed in $(( $(date +%s) - started )) s ==="
