#!/bin/sh
# test-doc-examples.sh SRCDIR BUILDDIR: the Python and JavaScript examples
# of README.md and bindings/README.md, taken from the files themselves and
# run as the documents say (`python3 file.py`, `gjs -m file.js`), inside
# `meson devenv` as a reader of the README's Meson section would. TAP.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
srcdir=$1
builddir=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tap.sh"
. "$here/doc-blocks.sh"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
TAP_OUT=$scratch/out
TAP_ERR=$scratch/err

# run_doc DESCRIPTION COMMAND...: COMMAND inside meson devenv, with the
# variables the test harness sets removed.
run_doc () {
  desc=$1
  shift
  env -u PYTHONPATH -u GI_TYPELIB_PATH -u LD_LIBRARY_PATH -u TORCH_LOGS \
    meson devenv -C "$builddir" "$@" >"$TAP_OUT" 2>"$TAP_ERR"
  status=$?
  if [ $status -eq 0 ]; then ok "$desc"; else
    not_ok "$desc" "status $status" "stdout:" "$(head -c 2000 "$TAP_OUT")" "stderr:" "$(head -c 2000 "$TAP_ERR")"
  fi
}

block "$srcdir/README.md" python 1 >"$scratch/readme.py"
[ -s "$scratch/readme.py" ]; check_status "README.md has a Python example" $?
run_doc "README.md's Python example runs as written" /usr/bin/python3 "$scratch/readme.py"
grep -q 'dynamo is at DEBUG' "$TAP_ERR"; check_status "README.md's Python example logs at DEBUG" $?
grep -q 'verbose' "$TAP_OUT"; check_status "README.md's Python example prints torch's ValueError" $?

block "$srcdir/bindings/README.md" python 1 >"$scratch/bindings.py"
[ -s "$scratch/bindings.py" ]; check_status "bindings/README.md has a Python example" $?
run_doc "bindings/README.md's Python example runs as written" /usr/bin/python3 "$scratch/bindings.py"
grep -q 'printed once' "$TAP_ERR"; check_status "bindings/README.md's Python example: warning_once prints" $?

block "$srcdir/bindings/README.md" js 1 >"$scratch/bindings.js"
[ -s "$scratch/bindings.js" ]; check_status "bindings/README.md has a JavaScript example" $?
# As the README says: an ES module, run with gjs -m.
run_doc "bindings/README.md's JavaScript example runs with gjs -m" gjs -m "$scratch/bindings.js"

tap_done
