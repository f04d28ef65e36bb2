# transcript.sh: runs a <screen> of the manual as written and checks its
# output; sourced (POSIX sh) after tap.sh and doc-blocks.sh, not run.
#
#   transcript FILE N|ROLE   every `$ ` line of the block (screen, else
#                            listing) is run, in one shell inside `meson
#                            devenv -C $builddir` (so `torchlog` is the
#                            build's), from the folder $scratch/work; one
#                            TAP point per command
#
# A command passes when its output (stdout and stderr) is the lines the
# manual prints under it, and its status 0 unless the next line is
# `echo $?`. In the manual's lines, `…` stands for any text within a line
# and, alone on a line, for the rest of the output (one line or more); a
# glog prefix (`I1123 14:02:11.123456 4242 `) matches any time and pid.
# `torchlog monitor` runs until stopped: the test makes the change it
# prints (`torchlog set --app APP aot`).
#
# The caller sets scratch and builddir, and creates $scratch/work.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

# matches EXPECTED ACTUAL: whether the file ACTUAL is what EXPECTED shows.
matches () {
  glog='s/^(\[rank[0-9]+\]:)?[IWEVD][0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} +[0-9]+ /\1GLOG /'
  sed -E "$glog" "$1" >"$1.glog"
  sed -E "$glog" "$2" | awk -v expected="$1.glog" '
    function glob(p, s,   parts, k, i, at) {
      if (!index(p, "…")) return p == s
      k = split(p, parts, "…")
      if (substr(s, 1, length(parts[1])) != parts[1]) return 0
      s = substr(s, length(parts[1]) + 1)
      for (i = 2; i < k; i++) {
        at = index(s, parts[i]); if (!at) return 0
        s = substr(s, at + length(parts[i]))
      }
      return length(s) >= length(parts[k]) &&
             substr(s, length(s) - length(parts[k]) + 1) == parts[k]
    }
    BEGIN { while ((getline line <expected) > 0) want[++m] = line }
    rest { next }
    { n++ }
    want[n] == "…" { rest = 1; next }
    n > m || !glob(want[n], $0) { bad = 1; exit }
    END { exit bad || (!rest && n < m) }'
}

# transcript FILE N|ROLE: runs the block and checks each command.
transcript () {
  dir=$scratch/$(basename "$1" .xml).$2
  mkdir -p "$dir"
  { screen "$1" "$2"; [ -n "$(screen "$1" "$2")" ] || listing "$1" "$2"; } |
    awk -v d="$dir" '
      /^\$ / { n++; print substr($0, 3) >(d "/cmd." n); printf "" >(d "/exp." n); next }
      n { print >(d "/exp." n) }
      END { print n + 0 >(d "/count") }'
  count=$(cat "$dir/count")
  [ "$count" -gt 0 ]; check_status "$(basename "$1") block $2 has commands" $?
  printf 'cd %s || exit 1\n' "$scratch/work" >"$dir/script"
  i=1
  while [ "$i" -le "$count" ]; do
    cmd=$(cat "$dir/cmd.$i")
    case "$cmd" in
      *"torchlog monitor "*)
        # It runs until stopped, and prints nothing until it is watching:
        # the test makes the change and waits for the line (an event), and
        # while nothing comes (the monitor not watching yet) resets and
        # makes the change again; the monitor appends (>>), so a reset's
        # line caught on the way can be cut off safely.
        app=$(printf '%s\n' "$cmd" | sed -n 's/.*--app \([^ ]*\).*/\1/p')
        out=$dir/out.$i
        printf '%s >>%s 2>&1 &\nm=$!; n=0\n' "$cmd" "$out"
        printf 'while :; do\n  torchlog set --app %s aot >/dev/null 2>&1\n' "$app"
        printf '  t=0; while [ ! -s %s ] && [ $t -lt 20 ]; do sleep 0.1; t=$((t + 1)); done\n' "$out"
        printf '  [ -s %s ] || [ $n -ge 60 ] && break; n=$((n + 1))\n' "$out"
        printf '  torchlog reset --app %s >/dev/null 2>&1; sleep 0.5; : >%s\ndone\n' "$app" "$out"
        printf 'kill $m; wait $m; echo 0 >%s\n' "$dir/status.$i" ;;
      *) printf '%s >%s 2>&1\ns=$?; echo $s >%s; (exit $s)\n' \
           "$cmd" "$dir/out.$i" "$dir/status.$i" ;;
    esac >>"$dir/script"
    i=$((i + 1))
  done
  env -u PYTHONPATH -u GI_TYPELIB_PATH -u LD_LIBRARY_PATH \
    meson devenv -C "$builddir" sh "$dir/script" >/dev/null 2>&1
  i=1
  while [ "$i" -le "$count" ]; do
    cmd=$(cat "$dir/cmd.$i")
    next=$(cat "$dir/cmd.$((i + 1))" 2>/dev/null)
    status=$(cat "$dir/status.$i" 2>/dev/null || echo none)
    if matches "$dir/exp.$i" "$dir/out.$i" &&
       { [ "$status" = 0 ] || [ "$next" = 'echo $?' ]; }; then
      ok "$(basename "$1"): \$ $cmd"
    else
      not_ok "$(basename "$1"): \$ $cmd" "status $status" "expected:" \
        "$(cat "$dir/exp.$i")" "got:" "$(head -c 2000 "$dir/out.$i" 2>/dev/null)"
    fi
    i=$((i + 1))
  done
}
