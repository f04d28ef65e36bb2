#!/bin/sh
# The README's first command: install what is missing, build, run `torchlog demo`.
# Honours the caller's TORCH_LOGS (and TORCH_LOGS_OUT, TORCH_LOGS_FORMAT);
# without it the demo picks a default and says which.
set -eu
cd "$(dirname "$0")/.."
scripts/ensure-packages.sh build
builddir=_build-demo
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" -Dtests=false >/dev/null
fi
ninja -C "$builddir" >/dev/null
exec "$builddir/tools/torchlog" demo "$@"
