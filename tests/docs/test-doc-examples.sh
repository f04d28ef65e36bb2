#!/bin/sh
# test-doc-examples.sh SRCDIR BUILDDIR: the C, Python and JavaScript
# examples of README.md and bindings/README.md, taken from the files
# themselves and run as the documents say (the README's ```sh block 4 for
# its C example, saved as hello.c; `python3 file.py`, `gjs -m file.js`),
# inside `meson devenv` as a reader of the README's Meson section would,
# pkg-config pointed at the build's meson-uninstalled folder as that
# section says. TAP.
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

mkdir "$scratch/c" && block "$srcdir/README.md" c 1 >"$scratch/c/hello.c"
block "$srcdir/README.md" sh 4 >"$scratch/c/commands"
grep -q '^cc hello.c ' "$scratch/c/commands"
check_status "README.md's C example and its commands (\`\`\`sh 4)" $?
# What each command shows, beyond status 0.
expect () {
  case $1 in
    'cc '*) [ -x "$scratch/c/a.out" ] ;;
    'TORCH_LOGS=+dynamo '*) grep -q 'tracing forward' "$TAP_ERR" ;;
    'TORCH_LOGS=guards '*) grep -q 'GUARDS:' "$TAP_ERR" ;;
    'TORCH_LOGS=help '*) grep -q 'Visible registered names' "$TAP_ERR" "$TAP_OUT" ;;
    *) false ;;   # a command this test does not know yet
  esac
}
export PKG_CONFIG_PATH="$builddir/meson-uninstalled"
while IFS= read -r line; do
  run_doc "README.md: \$ $line" sh -c "cd '$scratch/c' && $line"
  expect "$line"; check_status "README.md: \$ $line shows what it is for" $?
done <"$scratch/c/commands"

tap_done
