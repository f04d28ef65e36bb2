#!/bin/sh
# test-doc-vala.sh SRCDIR BUILDDIR: bindings/README.md's Vala example,
# taken from the file, saved as the `example.vala` the document names and
# built and run by the document's own ```sh commands (`meson devenv -C
# _build -w . valac …`), in a scratch folder where `_build` is this build
# folder. The installed form (`valac --pkg torchlog-1 example.vala`) needs
# an installed torchlog and is not run. TAP.
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
doc=$srcdir/bindings/README.md

block "$doc" vala 1 >"$scratch/example.vala"
[ -s "$scratch/example.vala" ]; check_status "bindings/README.md has a Vala example" $?
block "$doc" sh 1 >"$scratch/commands.sh"
grep -q '^meson devenv -C _build .*valac .*--pkg torchlog-1 .*example.vala$' "$scratch/commands.sh"
check_status "bindings/README.md says how to build it against a build folder" $?

ln -s "$builddir" "$scratch/_build"
(cd "$scratch" && env -u PKG_CONFIG_PATH -u LD_LIBRARY_PATH -u TORCH_LOGS \
   sh -eu commands.sh >"$TAP_OUT" 2>"$TAP_ERR")
check "bindings/README.md's Vala commands build and run the example" test $? -eq 0
[ -x "$scratch/example" ]; check_status "valac made ./example" $?
check "the Vala example prints changed, once" test "$(grep -cx changed "$TAP_OUT")" -eq 1

tap_done
