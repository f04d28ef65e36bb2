#!/bin/sh
# Installs the Debian packages a task needs, only when some are missing.
# Usage: scripts/ensure-packages.sh GROUP...   (groups: build, test, bench)
# Sourced lists keep the README's two commands short and in one place.
set -eu

build_packages="meson ninja-build pkg-config gcc libc6-dev libglib2.0-dev libglib2.0-dev-bin \
gobject-introspection libgirepository1.0-dev libjson-glib-dev gettext"
# The peers the benchmarks measure torchlog against (scripts/bench.sh), and
# what they need; `test` includes them, as CI runs the benchmarks briefly.
bench_packages="$build_packages g++ libgstreamer1.0-dev libspdlog-dev gnuplot-nox valgrind python3-gi"
# libglib2.0-data: GLib's own catalogs, so `torchlog VERB --help` is Chinese
# throughout with LANGUAGE=zh_CN (tests/i18n).
test_packages="$build_packages $bench_packages python3-gi gjs valac dbus dconf-service dconf-cli dconf-gsettings-backend \
valgrind clang libclang-rt-14-dev gtk-doc-tools xsltproc docbook-xsl docbook-xml libglib2.0-doc chromium linkchecker \
libglib2.0-data gdb time systemd systemd-journal-remote iproute2 util-linux"

wanted=""
for group in "$@"; do
  case "$group" in
    build) wanted="$wanted $build_packages" ;;
    test)  wanted="$wanted $test_packages" ;;
    bench) wanted="$wanted $bench_packages" ;;
    *) echo "ensure-packages: unknown group '$group'" >&2; exit 2 ;;
  esac
done

missing=""
for pkg in $wanted; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  case "$status" in
    *" installed") ;;
    *) missing="$missing $pkg" ;;
  esac
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "ensure-packages: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
