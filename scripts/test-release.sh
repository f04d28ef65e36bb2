#!/bin/sh
# The release check (GNOME's release routine; stage 6 of scripts/test.sh):
# `meson dist` makes the tarball from the committed tree, unpacks it,
# configures, builds and runs its whole `meson test` on its own (meson
# dist does that unless --no-tests), and this script then checks the
# tarball: named after the version, with the sources and without build
# output. Slow (the whole suite once more), hence not in `meson test`.
# Usage: scripts/test-release.sh [BUILDDIR]   (default: _build-release)
set -eu
cd "$(dirname "$0")/.."
builddir=${1:-_build-release}

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" -Dtests=true
fi
meson dist -C "$builddir" --formats xztar
version=$(meson introspect --projectinfo "$builddir" |
  /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["version"])')
tarball=$builddir/meson-dist/torchlog-$version.tar.xz
test -f "$tarball" || { echo "test-release: no $tarball" >&2; exit 1; }
list=$(tar -tJf "$tarball")
for file in meson.build meson_options.txt README.md torchlog/torchlog.h po/zh_CN.po \
    bindings/vala/torchlog-1-custom.vala docs/torchlog.1.xml tests/consumer/project/hello.c; do
  printf '%s\n' "$list" | grep -qx "torchlog-$version/$file" ||
    { echo "test-release: $file is not in the tarball" >&2; exit 1; }
done
if printf '%s\n' "$list" | grep -E '/_build|\.o$|\.so|\.gmo$|\.typelib$'; then
  echo "test-release: build output in the tarball (above)" >&2
  exit 1
fi
echo "test-release: $tarball builds and passes its own test suite"
