#!/bin/sh
# test-gtkdoc-warnings.sh BUILDDIR: the reference manual builds without a
# single gtk-doc warning (a property with no blurb, a `name()` with no
# link...). meson's gnome.gtkdoc() has no fatal-warnings switch, so this
# reruns the manual's own build command, as build.ninja has it, and fails
# on any `warning:` it prints. TAP.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
builddir=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tap.sh"
out=$(mktemp)
trap 'rm -f "$out" "$out.left"' EXIT

command=$(ninja -C "$builddir" -t commands docs/reference/torchlog-decl.txt | tail -n 1)
case $command in
  *"--internal gtkdoc"*) ok "the manual's build command is found in build.ninja" ;;
  *) not_ok "the manual's build command is found in build.ninja" "got: $command"; tap_done; exit 1 ;;
esac
(cd "$builddir" && eval "$command") >"$out" 2>&1
check_status "the manual builds" $?
# The one warning not ours: JsonNode in prototypes cannot be linked, as
# json-glib ships no gtk-doc index (Debian's is gi-docgen HTML). It is the
# only exception, by exact text.
grep 'warning' "$out" |
  grep -v 'warning: no link for: "JsonNode" -> (<span class="type">JsonNode</span>)\.$' >"$out.left"
n_warnings=$(grep -c . "$out.left")
if [ "$n_warnings" -eq 0 ]; then
  ok "gtk-doc prints no warning"
else
  not_ok "gtk-doc prints no warning" "$n_warnings warnings:" "$(head -n 40 "$out.left")"
fi
tap_done
