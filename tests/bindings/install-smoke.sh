#!/bin/sh
# install-smoke.sh BUILDDIR PREFIX LIBDIR DATADIR OVERRIDESDIR SMOKE.vala
#
# Installs the build into a scratch DESTDIR and runs one smoke test per
# language that sees only the installed files: the typelib and GIR, the
# PyGObject overrides, the vapi and .deps, the headers and torchlog-1.pc.
# A missing or misplaced install rule makes it fail. Prints TAP.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u

builddir=$1 prefix=$2 libdir=$3 datadir=$4 overridesdir=$5 smoke_vala=$6
stage=$(mktemp -d "${TMPDIR:-/tmp}/torchlog-install.XXXXXX")
trap 'rm -rf "$stage"' EXIT INT TERM

echo "TAP version 13"
echo "1..5"

n=0
report() {  # report STATUS DESCRIPTION [LOG]
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then
    echo "ok $n - $2"
  else
    echo "not ok $n - $2"
    [ -n "${3:-}" ] && [ -f "$3" ] && sed 's/^/# /' "$3"
  fi
}

log=$stage/log
meson install -C "$builddir" --no-rebuild --destdir "$stage/root" --quiet >"$log" 2>&1
report $? "meson install --destdir" "$log"

root=$stage/root
typelibdir=$root$libdir/girepository-1.0
ok=0
for f in "$typelibdir/Torchlog-1.0.typelib" "$root$datadir/gir-1.0/Torchlog-1.0.gir" \
         "$root$datadir/vala/vapi/torchlog-1.vapi" "$root$datadir/vala/vapi/torchlog-1.deps" \
         "$root$overridesdir/Torchlog.py" "$root$libdir/pkgconfig/torchlog-1.pc"; do
  if [ ! -f "$f" ]; then
    echo "missing: $f" >>"$stage/missing"
    ok=1
  fi
done
report $ok "GIR, typelib, vapi, deps, overrides and .pc are installed" "$stage/missing"

# Only the staged files: no build folder on any search path.
export GI_TYPELIB_PATH="$typelibdir" LD_LIBRARY_PATH="$root$libdir"
unset PYTHONPATH

# Python: the staged overrides folder goes first on gi.overrides.__path__.
/usr/bin/python3 - "$root$overridesdir" >"$log" 2>&1 <<'PY'
import sys, logging, os
import gi
import gi.overrides
gi.overrides.__path__.insert(0, sys.argv[1])
gi.require_version('Torchlog', '1.0')
from gi.repository import Torchlog
module = sys.modules['gi.overrides.Torchlog']
assert os.path.dirname(module.__file__) == sys.argv[1], module.__file__
Torchlog.set_logs(dynamo=logging.DEBUG, graph_code=True)
registry = Torchlog.Registry.get_default()
assert registry.get_effective_level('torch._dynamo') == logging.DEBUG
try:
    Torchlog.set_logs(aot_graphs=5)
except ValueError as e:
    assert str(e) == 'Expected bool to enable artifact aot_graphs, received 5', str(e)
else:
    raise AssertionError('no ValueError')
PY
report $? "python: installed overrides and typelib" "$log"

gjs -c "
imports.gi.versions.Torchlog = '1.0';
const Torchlog = imports.gi.Torchlog;
const registry = Torchlog.Registry.new();
registry.add_pytorch_registrations();
const settings = {dynamo: 10, graph_code: true};
registry.set_logs(Object.keys(settings), Object.values(settings));
if (registry.get_effective_level('torch._dynamo') !== Torchlog.Level.DEBUG)
    imports.system.exit(1);
" >"$log" 2>&1
report $? "gjs: installed typelib" "$log"

# Vala: the staged vapi (with its .deps) and pkg-config file, its prefix
# moved into the stage (a sysroot would move glib's paths too).
mkdir -p "$stage/pkgconfig"
sed "s|^prefix=.*|prefix=$root$prefix|" "$root$libdir/pkgconfig/torchlog-1.pc" \
  >"$stage/pkgconfig/torchlog-1.pc"
export PKG_CONFIG_PATH="$stage/pkgconfig"
valac --fatal-warnings --vapidir="$root$datadir/vala/vapi" --pkg torchlog-1 \
  -d "$stage" -o smoke "$smoke_vala" >"$log" 2>&1 && "$stage/smoke" >>"$log" 2>&1
report $? "vala: installed vapi, headers and pkg-config file" "$log"
