# private-session.sh: sourced by tests and benchmarks that need the real
# dconf service: a temporary folder ($tmp) holding XDG_CONFIG_HOME,
# XDG_RUNTIME_DIR and XDG_CACHE_HOME, and a private D-Bus session bus
# (dbus-daemon whose service folder activates ca.desrt.dconf, so the real
# dconf-service starts on demand). The user's settings and the machine's
# /etc are never touched.
#
# Defines: tmp, bus_pid, pids, start_private_bus, stop_private_bus,
# end_private_session, ensure_settings_packages. The caller sets its own
# EXIT trap and calls stop_private_bus and `rm -rf "$tmp"` from it, or
# end_private_session, which also stops the programs whose ids the caller
# added to $pids.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

# Installs what the real service needs, as scripts/ensure-packages.sh does;
# never skips. Needs a `bail` function.
ensure_settings_packages () {
  local need="" pair cmd pkg sudo=""
  for pair in dbus-daemon:dbus dconf:dconf-cli /usr/libexec/dconf-service:dconf-service \
              gsettings:libglib2.0-bin glib-compile-schemas:libglib2.0-bin; do
    cmd=${pair%%:*} pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || need="$need $pkg"
  done
  ls /usr/lib/*/gio/modules/libdconfsettings.so >/dev/null 2>&1 || need="$need dconf-gsettings-backend"
  [ -z "$need" ] && return 0
  echo "# installing$need"
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      $sudo apt-get install -y -qq --no-install-recommends $need; } >&2 ||
    bail "cannot install$need"
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tl-session-XXXXXX") || { echo "Bail out! mktemp"; exit 1; }
bus_pid=""
export XDG_CONFIG_HOME="$tmp/config" XDG_RUNTIME_DIR="$tmp/run" XDG_CACHE_HOME="$tmp/cache"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset DISPLAY WAYLAND_DISPLAY

# Starts the bus and exports DBUS_SESSION_BUS_ADDRESS. The socket gets a
# random name in $XDG_RUNTIME_DIR, never `bus`, so that unsetting the
# variable really leaves a program without a bus.
start_private_bus () {
  cat >"$tmp/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$XDG_RUNTIME_DIR</listen>
  <servicedir>/usr/share/dbus-1/services</servicedir>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
  dbus-daemon --config-file="$tmp/bus.conf" --fork \
    --print-address=3 --print-pid=4 3>"$tmp/bus.address" 4>"$tmp/bus.pid" || return 1
  bus_pid=$(cat "$tmp/bus.pid")
  DBUS_SESSION_BUS_ADDRESS=$(head -n 1 "$tmp/bus.address")
  export DBUS_SESSION_BUS_ADDRESS
}

stop_private_bus () {
  [ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null
  bus_pid=""
}

pids=""
end_private_session () {
  local pid
  for pid in $pids; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  stop_private_bus
  rm -rf "$tmp"
}
