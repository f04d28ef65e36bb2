# journal-query.sh: runs a journalctl line of the manual (journal.xml) as
# written and checks what it selects; sourced (POSIX sh) after tap.sh,
# not run.
#
#   check_query LINE   one TAP point: LINE (a `# ` comment allowed) exits 0
#                      and prints records; with `-o json` appended, it
#                      selects exactly the entries of the whole journal (LINE
#                      without its FIELD=VALUE matches) that have every
#                      FIELD=VALUE of LINE, and at least one.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

check_query () {
  query=$(printf '%s\n' "$1" | sed 's/[[:space:]]*#.*//')
  matches=$(printf '%s\n' "$query" | tr -s ' ' '\n' | grep -E '^[A-Z_][A-Z0-9_]*=')
  whole=$(printf '%s\n' "$query" | sed -E 's/ [A-Z_][A-Z0-9_]*=[^ ]*//g')
  shown=$(sh -c "$query" 2>&1)
  status=$?
  # A record's first line starts in column one; a message's further lines
  # are indented, and journalctl's own notes start with `-- `.
  n_shown=$(printf '%s\n' "$shown" | grep -c '^[^ -]')
  n_selected=$(sh -c "$query -o json" 2>/dev/null | grep -c .)
  n_having=$(sh -c "$whole -o json" 2>/dev/null | awk -v matches="$matches" '
    BEGIN { k = split(matches, m, "\n") }
    { for (i = 1; i <= k; i++) {
        eq = index(m[i], "=")
        if (!index($0, "\"" substr(m[i], 1, eq - 1) "\":\"" substr(m[i], eq + 1) "\"")) next
      }
      n++ }
    END { print n + 0 }')
  if [ "$status" -eq 0 ] && [ "$n_selected" -gt 0 ] && [ "$n_shown" -eq "$n_selected" ] &&
     [ "$n_selected" -eq "$n_having" ]; then
    ok "\$ $query: the $n_selected records with $(echo $matches)"
  else
    not_ok "\$ $query" "status $status; $n_shown records shown, $n_selected selected" \
      "($query -o json), $n_having in the journal ($whole) have $(echo $matches)" \
      "output:" "$(printf '%s\n' "$shown" | head -c 2000)"
  fi
}
