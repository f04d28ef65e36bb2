# doc-blocks.sh: the code blocks of the documents, for the tests that run
# them as written; sourced (POSIX sh), not run.
#
#   block FILE LANG N     the Nth ```LANG block of a Markdown FILE
#   screen FILE N|ROLE    the Nth <screen> of a DocBook FILE, or the one
#                         with role="ROLE"
#   listing FILE N|ROLE   the same for a <programlisting>
#
# DocBook blocks come with their entities (&lt; &gt; &amp;) decoded.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

block () {
  awk -v lang="$2" -v want="$3" '
    $0 == "```" lang { n++; if (n == want) { on = 1; next } }
    on && $0 == "```" { exit }
    on { print }' "$1"
}

# docbook_block FILE TAG N|ROLE
docbook_block () {
  awk -v tag="$2" -v want="$3" '
    function decode(s) {
      gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&amp;/, "\\&", s); return s
    }
    !on && match($0, "<" tag "( [^>]*)?>") {
      n++
      if (n == want || index(substr($0, RSTART, RLENGTH), "role=\"" want "\"")) {
        on = 1; $0 = substr($0, RSTART + RLENGTH); if ($0 == "") next
      }
    }
    on && index($0, "</" tag ">") {
      sub("</" tag ">.*", ""); if ($0 != "") print decode($0); exit
    }
    on { print decode($0) }' "$1"
}

screen () { docbook_block "$1" screen "$2"; }
listing () { docbook_block "$1" programlisting "$2"; }
