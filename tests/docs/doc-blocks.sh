# doc-blocks.sh: the code blocks of the documents, for the tests that run
# them as written; sourced (POSIX sh), not run.
#
#   block FILE LANG N     the Nth ```LANG block of a Markdown FILE
#   screen FILE N         the Nth <screen> of a DocBook FILE, entities
#                         (&lt; &gt; &amp;) decoded
#
# SPDX-License-Identifier: LGPL-2.1-or-later

block () {
  awk -v lang="$2" -v want="$3" '
    $0 == "```" lang { n++; if (n == want) { on = 1; next } }
    on && $0 == "```" { exit }
    on { print }' "$1"
}

screen () {
  awk -v want="$2" '
    /<screen>/ { n++; if (n == want) { on = 1; sub(/.*<screen>/, ""); if ($0 == "") next } }
    on && /<\/screen>/ { sub(/<\/screen>.*/, ""); if ($0 != "") print; exit }
    on { gsub(/&lt;/, "<"); gsub(/&gt;/, ">"); gsub(/&amp;/, "\\&"); print }' "$1"
}
