#!/bin/bash
# test-completion.sh: the bash completion of torchlog, driven the way bash
# drives it (COMP_WORDS, COMP_CWORD, then COMPREPLY), against the built
# command. Usage: test-completion.sh COMPLETION-FILE TORCHLOG. Output is TAP.
set -u
completion=${1:?completion file}
torchlog=${2:?torchlog}
localedir=${3:?locale dir (the built torchlog.mo)}

# shellcheck source=/dev/null
. "$completion" || { echo "Bail out! cannot source $completion"; exit 1; }

n=0
failed=0

# complete EXPECTED WORD...: the last WORD is the one being completed;
# EXPECTED must be among the candidates (or, with =, be all of them).
complete_test () {
  local expected=$1 exact=0 reply
  shift
  case $expected in =*) exact=1; expected=${expected#=} ;; esac
  COMP_WORDS=("$torchlog" "$@")
  COMP_CWORD=$#
  COMPREPLY=()
  _torchlog
  reply=" ${COMPREPLY[*]} "
  n=$((n + 1))
  if { [ $exact -eq 1 ] && [ "$reply" = " $expected " ]; } ||
     { [ $exact -eq 0 ] && [[ $reply == *" $expected "* ]]; }; then
    echo "ok $n - torchlog $* → $expected"
  else
    echo "not ok $n - torchlog $* → $expected (got:$reply)"
    failed=1
  fi
}

complete_test set ""
complete_test monitor ""
complete_test list ""
complete_test explain ""
complete_test =reset res
complete_test --help --he
complete_test --app set --a
complete_test --output-file set --app org.example.App --out
complete_test --names list --na
complete_test +dynamo set +dyna
complete_test "=+dynamic +dynamo" set +dynam
complete_test =-dynamo set -- -dynamo
complete_test =dynamo,guards set dynamo,guar
complete_test +dynamo,aot_graphs set +dynamo,aot_gr
complete_test =+dynamo,aot_graphs_effects set +dynamo,aot_graphs_e
# A sign belongs to logs: no `-aot_graphs_effects`, `+inductor_metrics`.
complete_test "=" set +dynamo,-aot_graphs_e
complete_test "=+inductor" set +inductor
complete_test "=inductor inductor_metrics" set inductor
complete_test =short set --format sh
complete_test =graph_breaks explain graph_br

# The verbs do not depend on the language of --help (glibc honours
# LANGUAGE in C.UTF-8, so no zh_CN locale is needed).
zh () { TORCHLOG_LOCALEDIR=$localedir LANGUAGE=zh_CN LC_ALL=C.UTF-8 "$@"; }
zh "$torchlog" --help | grep -q '^命令' ||
  echo "Bail out! torchlog --help is not in Chinese under LANGUAGE=zh_CN"
zh complete_test set ""
zh complete_test =explain expl
zh complete_test --names list --na

# --app=ID: as one word, and as bash splits it at `=` (COMP_WORDBREAKS).
# The ids come from dconf; a stand-in gives one here.
_torchlog_app_ids () { echo org.example.App; }
complete_test =--app=org.example.App set --app=org.ex
complete_test =org.example.App set --app = org.ex
complete_test =org.example.App set --app org.ex

echo "1..$n"
exit $failed
