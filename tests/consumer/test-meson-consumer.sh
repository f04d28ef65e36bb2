#!/bin/sh
# test-meson-consumer.sh SRCDIR BUILDDIR PYTHON: torchlog as a meson user
# meets it (issue 17), TAP. The project's meson.build and wrap file are
# the README's own ```meson and ```ini blocks, taken from README.md.
#   1. the uninstalled .pc file (meson-uninstalled/): `#include
#      <torchlog/torchlog.h>` compiles and the program runs;
#   2. a subproject through the wrap file of the manual
#      (project/subprojects/torchlog.wrap) and dependency(..., fallback:),
#      which needs meson.override_dependency();
#   3. Python inside `meson devenv`: the overrides (Torchlog.set_logs) and
#      the typelib are found without any hand-set variable.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tap.sh"
srcdir=$1
builddir=$2
python=$3

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
TAP_OUT=$scratch/out
TAP_ERR=$scratch/err
# quiet COMMAND...: runs COMMAND with its output in $TAP_OUT and $TAP_ERR,
# which `check` shows when it fails.
quiet () { "$@" >"$TAP_OUT" 2>"$TAP_ERR"; }

# readme_block LANG: the README's first ```LANG block.
readme_block () {
  awk -v lang="$1" '$0 == "```" lang { on = 1; next } on && $0 == "```" { exit } on { print }' \
    "$srcdir/README.md"
}
make_project () {
  mkdir -p "$1/subprojects"
  cp "$here/project/hello.c" "$1/"
  readme_block meson >"$1/meson.build"
  readme_block ini >"$1/subprojects/torchlog.wrap"
}
[ -s "$here/project/hello.c" ] && [ -n "$(readme_block meson)" ] && [ -n "$(readme_block ini)" ]
check_status "the README has the meson.build and wrap blocks" $?

# 1. Against the uninstalled library, through pkg-config.
make_project "$scratch/uninstalled"
rm -rf "$scratch/uninstalled/subprojects"
check "uninstalled .pc: meson setup finds torchlog-1" quiet \
  env PKG_CONFIG_PATH="$builddir/meson-uninstalled" \
  meson setup "$scratch/uninstalled/_build" "$scratch/uninstalled"
check "uninstalled .pc: #include <torchlog/torchlog.h> compiles" quiet \
  meson compile -C "$scratch/uninstalled/_build"
LD_LIBRARY_PATH="$builddir/torchlog" "$scratch/uninstalled/_build/hello" >"$TAP_OUT" 2>"$TAP_ERR"
grep -q '^hello: torchlog [0-9.]*, component hello$' "$TAP_OUT"
check_status "uninstalled .pc: the program runs against the built library" $?

# 1b. Installed: `meson install` into a scratch DESTDIR; pkg-config reads
# the installed torchlog-1.pc, with its prefix moved under DESTDIR.
destdir=$scratch/destdir
check "installed: meson install into a DESTDIR" quiet \
  meson install -C "$builddir" --destdir "$destdir" --no-rebuild
pcdir=$scratch/pkgconfig
mkdir -p "$pcdir"
sed "s|^prefix=|prefix=$destdir|" "$(find "$destdir" -name torchlog-1.pc | head -n 1)" >"$pcdir/torchlog-1.pc"
make_project "$scratch/installed"
rm -rf "$scratch/installed/subprojects"
check "installed: dependency('torchlog-1') finds the installed .pc" quiet \
  env PKG_CONFIG_PATH="$pcdir" \
  meson setup "$scratch/installed/_build" "$scratch/installed"
check "installed: builds against the installed headers" quiet \
  meson compile -C "$scratch/installed/_build"
LD_LIBRARY_PATH=$(dirname "$(find "$destdir" -name 'libtorchlog-1.so.0' | head -n 1)") \
  "$scratch/installed/_build/hello" >"$TAP_OUT" 2>"$TAP_ERR"
grep -q '^hello: torchlog [0-9.]*, component hello$' "$TAP_OUT"
check_status "installed: the program runs against the installed library" $?

# 2. As a subproject: the wrap file of the manual, its folder being this
# source tree (meson uses a present folder and does not download).
make_project "$scratch/sub"
ln -s "$srcdir" "$scratch/sub/subprojects/torchlog"
check "subproject: dependency('torchlog-1', fallback: 'torchlog') configures" quiet \
  env PKG_CONFIG_PATH= meson setup --force-fallback-for=torchlog-1 \
  -Dtorchlog:tests=false -Dtorchlog:introspection=disabled -Dtorchlog:gtk_doc=false \
  -Dtorchlog:man=disabled -Dtorchlog:vapi=disabled \
  "$scratch/sub/_build" "$scratch/sub"
check "subproject: builds" quiet \
  nice -n 5 meson compile -C "$scratch/sub/_build" hello
"$scratch/sub/_build/hello" >"$TAP_OUT" 2>"$TAP_ERR"
grep -q '^hello: torchlog [0-9.]*, component hello$' "$TAP_OUT"
check_status "subproject: the program runs" $?

# 3. meson devenv, with the variables of the test harness removed.
env -u PYTHONPATH -u GI_TYPELIB_PATH -u LD_LIBRARY_PATH -u GSETTINGS_SCHEMA_DIR \
  meson devenv -C "$builddir" "$python" -c '
import gi, logging
gi.require_version("Torchlog", "1.0")
from gi.repository import Torchlog
Torchlog.set_logs(dynamo=logging.INFO)
print("devenv", Torchlog.Registry.get_default().lookup_component("dynamo").get_level().value_nick)
' >"$TAP_OUT" 2>"$TAP_ERR"
grep -q '^devenv info$' "$TAP_OUT"
check_status "meson devenv: Python finds the overrides and Torchlog.set_logs works" $?

tap_done
