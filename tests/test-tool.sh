#!/bin/sh
# test-tool.sh: TAP tests of the `torchlog` command (help, explain, demo).
#
# Usage: test-tool.sh PATH-TO-torchlog
#
# The expected help texts in data/tool/ were generated from the spec's
# tables (§1.6, §1.7) and layout (§2.8), not from torchlog's output; see
# data/tool/README.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

TORCHLOG=${1:?usage: test-tool.sh PATH-TO-torchlog}
SRCDIR=$(cd "$(dirname "$0")" && pwd)
DATA="$SRCDIR/data/tool"

# English, whatever the caller's locale; UTF-8 so that GLib prints its
# quotes as they are.
LC_ALL=C.UTF-8
LANGUAGE=
export LC_ALL LANGUAGE
unset TORCH_LOGS TORCH_LOGS_OUT TORCH_LOGS_FORMAT TORCH_LOGS_TRACE_ID_FILTER

TMP=$(mktemp -d "${TMPDIR:-/tmp}/test-tool.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT

# shellcheck source=tests/tap.sh
. "$SRCDIR/tap.sh"

# run [VAR=value...] -- ARGS...: runs torchlog with ARGS in an environment
# extended by the assignments; stdout in $TMP/out, stderr in $TMP/err, the
# exit status in $status.
run () {
  (
    while [ "$1" != "--" ]; do
      export "${1?}"
      shift
    done
    shift
    exec "$TORCHLOG" "$@"
  ) >"$TMP/out" 2>"$TMP/err"
  status=$?
}

status_is () { [ "$status" -eq "$1" ]; }
out_has () { grep -q -e "$1" "$TMP/out"; }
err_has () { grep -q -e "$1" "$TMP/err"; }
err_lacks () { ! grep -q -e "$1" "$TMP/err"; }
out_empty () { [ ! -s "$TMP/out" ]; }
err_empty () { [ ! -s "$TMP/err" ]; }
count_in_err () { grep -c -e "$1" "$TMP/err"; }
# The glog prefix of spec §5.1 without rank: level letter,
# MMDD HH:MM:SS.ffffff, pid, file:line], trace id, artifact marker, then a
# space.
GLOG='^[VIWEC][0-9]\{4\} [0-9]\{2\}:[0-9]\{2\}:[0-9]\{2\}\.[0-9]\{6\} [0-9]\{1,\} [^ ]\{1,\}:[0-9]\{1,\}\]\( \[[0-9]\{1,\}/[0-9]\{1,\}\]\)\{0,1\}\( \[__[a-z_]\{1,\}\]\)\{0,1\} '
every_err_line_is_glog () { ! grep -v -e "$GLOG" "$TMP/err" | grep -q .; }
err_lines_at_most () { [ "$(wc -l <"$TMP/err")" -le "$1" ]; }
# The records without their time and pid, to compare two runs.
strip_prefix () { sed 's/^\([VIWEC]\)[0-9]\{4\} [0-9:.]\{15\} [0-9]\{1,\} /\1 /' "$1"; }

# torch's invalid-settings text (spec §2.7) as the tool prints it, built
# from the expected full help: `all`, the aliases and every artifact,
# sorted as one list.
valid_settings () {
  sed -n '/^All registered names$/,$p' "$DATA/help-all.txt" | tail -n +2 |
    awk '{ print $1 }' | LC_ALL=C sort | paste -sd, - | sed 's/,/, /g'
}
VALID_SETTINGS=$(valid_settings)
expected_error () {
  printf 'ValueError: \nInvalid log settings: %s, must be a comma separated list of fully\nqualified module names, registered log names or registered artifact names.\nFor more info on various settings, try TORCH_LOGS="help"\nValid settings:\n%s\n\n' \
    "$1" "$VALID_SETTINGS"
}
# Whether FILE starts with the bytes of EXPECTED-FILE.
starts_with () {
  size=$(wc -c <"$2")
  head -c "$size" "$1" | cmp -s - "$2"
}

# ---- the command and its usage ----------------------------------------

run -- ; # no verb
check "no verb: usage error (exit 2)" status_is 2
check "no verb: usage on stderr lists the verbs" \
  sh -c "grep -q '^Usage:' '$TMP/err' && grep -q '^  help ' '$TMP/err' && grep -q '^  explain ' '$TMP/err' && grep -q '^  demo ' '$TMP/err'"
check "no verb: nothing on stdout" out_empty

run -- --help
check "--help: exit 0" status_is 0
check "--help: usage on stdout lists the verbs" \
  sh -c "grep -q '^Usage:' '$TMP/out' && grep -q '^  help ' '$TMP/out' && grep -q '^  explain ' '$TMP/out' && grep -q '^  demo ' '$TMP/out'"

run -- --version
check "--version: exit 0 and a version" \
  sh -c "[ $status -eq 0 ] && grep -q '^torchlog [0-9]*\.[0-9]*\.[0-9]*$' '$TMP/out'"

run -- frobnicate
check "unknown verb: exit 2" status_is 2
check "unknown verb: named on stderr" err_has "frobnicate"

run -- --frobnicate
check "unknown option before the verb: exit 2" status_is 2

for verb in help explain demo; do
  run -- "$verb" --help
  check "$verb --help: exit 0" status_is 0
  check "$verb --help: usage line names the verb" out_has "^  torchlog $verb "
  check "$verb --help: nothing on stderr" err_empty
  run -- "$verb" -h
  check "$verb -h: same as --help" sh -c "[ $status -eq 0 ] && grep -q '^  torchlog $verb ' '$TMP/out'"
  run -- "$verb" --no-such-option
  check "$verb --no-such-option: usage error (exit 2)" status_is 2
  check "$verb --no-such-option: named on stderr" err_has "no-such-option"
done

run -- explain --help
check "explain --help: SETTINGS in the usage line" out_has "^  torchlog explain \[OPTION…\] SETTINGS"
run -- help --help
check "help --help: documents --all" out_has "--all"
run -- demo --help
check "demo --help: shows the simulated program" out_has "def forward(x):"

# ---- help --------------------------------------------------------------

run -- help
check "help: exit 0" status_is 0
check "help: byte-identical to torch's help text (spec 2.8)" cmp -s "$TMP/out" "$DATA/help.txt"
check "help: nothing on stderr" err_empty

run -- help --all
check "help --all: exit 0" status_is 0
check "help --all: byte-identical to torch's +help text" cmp -s "$TMP/out" "$DATA/help-all.txt"

run -- help -a
check "help -a: same as --all" cmp -s "$TMP/out" "$DATA/help-all.txt"

run -- help extra
check "help with an argument: usage error (exit 2)" status_is 2

# ---- explain -----------------------------------------------------------

run -- explain "+dynamo,aot,guards,-inductor"
check "explain valid: exit 0" status_is 0
check "explain valid: dynamo DEBUG set by +dynamo" out_has '^  dynamo  *DEBUG  *set by "+dynamo"$'
check "explain valid: aot INFO set by aot" out_has '^  aot  *INFO  *set by "aot"$'
check "explain valid: inductor ERROR set by -inductor" out_has '^  inductor  *ERROR  *set by "-inductor"$'
check "explain valid: a log below inductor inherits it" out_has '^  async_compile  *ERROR  *set by "-inductor"$'
check "explain valid: torch at its default" out_has '^  torch  *WARNING  *(default)$'
check "explain valid: guards enabled by guards" out_has '^  guards  *set by "guards"$'
check "explain valid: graph_code not listed" sh -c "! grep -q 'graph_code' '$TMP/out'"
check "explain valid: nothing on stderr" err_empty

run -- explain "-dynamo"
check "explain -dynamo: a leading - is a setting, not an option" \
  sh -c "[ $status -eq 0 ] && grep -q '^  dynamo  *ERROR  *set by \"-dynamo\"$' '$TMP/out'"

run -- explain -- "-torch._dynamo"
check "explain -- -torch._dynamo: after --, module names work" \
  sh -c "[ $status -eq 0 ] && grep -q '^  dynamo  *ERROR  *set by \"-torch._dynamo\"$' '$TMP/out'"

run -- explain "+dynamo,dynamic"
check "explain +dynamo,dynamic: the shared domains end at INFO" \
  out_has '^    torch\.fx\.experimental\.symbolic_shapes  *INFO  *set by "dynamic"$'
check "explain +dynamo,dynamic: torch._dynamo stays DEBUG" out_has '^  dynamo  *DEBUG  *set by "+dynamo"$'

run -- explain "+all,-dynamo"
check "explain +all,-dynamo: inductor DEBUG through all" out_has '^  inductor  *DEBUG  *set by "+all"$'
check "explain +all,-dynamo: dynamo ERROR" out_has '^  dynamo  *ERROR  *set by "-dynamo"$'

run -- explain "torch._dynamo.output_graph"
check "explain module name: listed with its level" \
  out_has '^  torch\._dynamo\.output_graph  *INFO  *set by "torch\._dynamo\.output_graph"$'

run -- explain "+guards,-recompiles"
check "explain +guards,-recompiles: the prefix does not disable an artifact" \
  sh -c "grep -q '^  guards  *set by \"+guards\"$' '$TMP/out' && grep -q '^  recompiles  *set by \"-recompiles\"$' '$TMP/out'"

run -- explain "dynamo, bogus"
check "explain invalid: exit 1" status_is 1
check "explain invalid: nothing on stdout" out_empty
expected_error "dynamo,bogus" >"$TMP/expected"
check "explain invalid: torch's error text, whitespace removed (spec 2.7)" cmp -s "$TMP/err" "$TMP/expected"

run -- explain "dynamo ,aot"
expected_error "dynamo ,aot" >"$TMP/expected"
check "explain regex failure: torch's error text with the original string" \
  sh -c "[ $status -eq 1 ] && cmp -s '$TMP/err' '$TMP/expected'"

run -- explain "Dynamo"
check "explain Dynamo: names are case-sensitive (exit 1)" status_is 1

run -- explain "help"
check "explain help: the help text, exit 0" sh -c "[ $status -eq 0 ] && cmp -s '$TMP/out' '$DATA/help.txt'"
run -- explain "+help"
check "explain +help: the full help text" cmp -s "$TMP/out" "$DATA/help-all.txt"
run -- explain "-help"
check "explain -help: invalid (spec 2.2)" status_is 1

run -- explain
check "explain without SETTINGS: usage error (exit 2)" status_is 2
check "explain without SETTINGS: says what is missing" err_has "SETTINGS"
run -- explain dynamo aot
check "explain with two arguments: usage error (exit 2)" status_is 2

# ---- demo --------------------------------------------------------------

run -- demo
check "demo default: exit 0" status_is 0
check "demo default: nothing on stdout" out_empty
check "demo default: at most 60 lines" err_lines_at_most 60
check "demo default: one note naming the default and how to change it" \
  sh -c "head -n 1 '$TMP/err' | grep -q 'TORCH_LOGS=\"dynamo,guards,graph_code\"' && [ \$(grep -c 'is not set' '$TMP/err') -eq 1 ]"
tail -n +2 "$TMP/err" >"$TMP/records"
cp "$TMP/err" "$TMP/default-err"
check "demo default: every other line in torch's format" \
  sh -c "! grep -v -e '$GLOG' '$TMP/records' | grep -q ."
check "demo default: step lines" err_has "^I.*\] \[0/0\] Step 1: torchdynamo start tracing forward /tmp/demo.py:4$"
check "demo default: each compilation under its trace id" \
  sh -c "grep -q '\] \[0/1\] Step 1: ' '$TMP/err' && grep -q '^W.*\] \[0/2\] torch._dynamo hit' '$TMP/err' && grep -q '\] \[1/0\] Step 1: torchdynamo start tracing report' '$TMP/err'"
check "demo default: compiler step" err_has "\] Step 2: calling compiler function inductor$"
check "demo default: multi-line graph code, every line prefixed" \
  sh -c "[ \$(grep -c '^V.* \[__graph_code\] ' '$TMP/err') -ge 16 ] && grep -q '\[__graph_code\]         return (add,)$' '$TMP/err'"
check "demo default: guards listing" err_has "\[__guards\] TREE_GUARD_MANAGER:$"
check "demo default: dynamic shapes at INFO" err_has "^I.*\] create_symbol s77 = 16 "
check "demo default: the recompile-limit warning" err_has "^W.*\] torch._dynamo hit config.recompile_limit (2)$"
check "demo default: no DEBUG record outside enabled artifacts" \
  sh -c "! grep '^V' '$TMP/err' | grep -v -e '\] \[__graph_code\] ' -e '\] \[__guards\] ' | grep -q ."
check "demo default: off-by-default artifacts stay off" \
  sh -c "! grep -q -e '\[__bytecode\]' -e '\[__output_code\]' -e '\[__schedule\]' '$TMP/err'"
check "demo default: artifacts not asked for stay off" \
  sh -c "! grep -q -e '\[__recompiles\]' -e '\[__graph_breaks\]' -e '\[__aot_graphs\]' '$TMP/err'"
check "demo default: inductor at WARNING prints no step" err_lacks "torchinductor"

run TORCH_LOGS= -- demo
check "demo with an empty TORCH_LOGS: same as unset" \
  sh -c "[ $status -eq 0 ] && grep -q 'is not set' '$TMP/err'"
strip_prefix "$TMP/err" >"$TMP/run2"
strip_prefix "$TMP/default-err" >"$TMP/run1"
check "demo: deterministic apart from times and pids" cmp -s "$TMP/run1" "$TMP/run2"

run TORCH_LOGS=+dynamo,graph_code -- demo
check "demo +dynamo,graph_code: exit 0" status_is 0
check "demo +dynamo,graph_code: no note" err_lacks "is not set"
check "demo +dynamo,graph_code: every line in torch's format" every_err_line_is_glog
check "demo +dynamo,graph_code: DEBUG records of dynamo" err_has "^V.*\] RETURN_VALUE triggered compile$"
check "demo +dynamo,graph_code: DEBUG shows artifacts that are on by default" \
  sh -c "grep -q '\[__guards\] GUARDS:' '$TMP/err' && grep -q '\[__recompiles\] Recompiling function forward' '$TMP/err' && grep -q '\[__graph_breaks\] Graph break in user code' '$TMP/err' && grep -q '\[__trace_source\] TRACE starts_line' '$TMP/err'"
check "demo +dynamo,graph_code: the symbolic_shapes log is part of dynamo" err_has "^V.*\] produce_guards$"
check "demo +dynamo,graph_code: off-by-default bytecode stays off (spec 8.32)" err_lacks "\[__bytecode\]"
check "demo +dynamo,graph_code: inductor and aot stay quiet" \
  sh -c "! grep -q -e 'torchinductor' -e '\[__aot_graphs\]' -e '\[__output_code\]' '$TMP/err'"

run TORCH_LOGS=+dynamo TORCH_LOGS_TRACE_ID_FILTER=" [0/1] ," -- demo
check "demo TORCH_LOGS_TRACE_ID_FILTER: only that compilation's records" \
  sh -c "[ $status -eq 0 ] && grep -q '\] \[0/1\] ' '$TMP/err' && ! grep -v '\] \[0/1\] ' '$TMP/err' | grep -q ."

run TORCH_LOGS=+inductor -- demo
check "demo +inductor: inductor steps" err_has "^I.*\] Step 3: torchinductor compiling FORWARDS graph 0$"
check "demo +inductor: the step keeps its number on recompile" err_has "\] Step 3: torchinductor done compiling FORWARDS graph 1$"
check "demo +inductor: inductor DEBUG records" err_has "^V.*\] Force channels last inputs"
check "demo +inductor: output_code is off by default" err_lacks "\[__output_code\]"
check "demo +inductor: dynamo stays at WARNING" err_lacks "torchdynamo"

run TORCH_LOGS=output_code,bytecode -- demo
check "demo output_code,bytecode: the code Inductor generates" \
  sh -c "grep -q '\[__output_code\] Output code: $' '$TMP/err' && grep -q '\[__output_code\] def call(args):$' '$TMP/err'"
check "demo output_code,bytecode: original and modified bytecode (2 records per compile)" \
  sh -c "[ \$(grep -c '\[__bytecode\] ORIGINAL BYTECODE forward' '$TMP/err') -eq 2 ] && [ \$(grep -c '\[__bytecode\] MODIFIED BYTECODE forward' '$TMP/err') -eq 2 ]"
check "demo output_code,bytecode: no component record" \
  sh -c "! grep '^[VI]' '$TMP/err' | grep -v -e '\[__output_code\]' -e '\[__bytecode\]' | grep -q ."

run TORCH_LOGS=help -- demo
check "demo TORCH_LOGS=help: exit 0" status_is 0
check "demo TORCH_LOGS=help: prints torch's help first" starts_with "$TMP/err" "$DATA/help.txt"
tail -c +"$(($(wc -c <"$DATA/help.txt") + 1))" "$TMP/err" >"$TMP/rest"
check "demo TORCH_LOGS=help: then runs with the defaults (WARNING only)" \
  sh -c "grep -q '^W.*hit config.recompile_limit' '$TMP/rest' && ! grep -q '^[VI]' '$TMP/rest' && ! grep -q 'is not set' '$TMP/rest'"

run TORCH_LOGS=+help -- demo
check "demo TORCH_LOGS=+help: prints the full help first" \
  sh -c "[ $status -eq 0 ] && { size=\$(wc -c <'$DATA/help-all.txt'); head -c \$size '$TMP/err' | cmp -s - '$DATA/help-all.txt'; }"

run TORCH_LOGS="dynamo,bogus" -- demo
expected_error "dynamo,bogus" >"$TMP/expected"
check "demo invalid TORCH_LOGS: exit 0" status_is 0
check "demo invalid TORCH_LOGS: torch's error text first" starts_with "$TMP/err" "$TMP/expected"
check "demo invalid TORCH_LOGS: the error is printed once" \
  sh -c "[ \$(grep -c 'Invalid log settings' '$TMP/err') -eq 1 ] && [ \$(grep -c 'ValueError' '$TMP/err') -eq 1 ]"
tail -c +"$(($(wc -c <"$TMP/expected") + 1))" "$TMP/err" >"$TMP/rest"
check "demo invalid TORCH_LOGS: the defaults are kept (WARNING records only)" \
  sh -c "grep -q '^W.*hit config.recompile_limit' '$TMP/rest' && ! grep -q '^[VI]' '$TMP/rest' && ! grep -q 'dynamo,guards,graph_code' '$TMP/rest'"

run TORCH_LOGS=+dynamo,guards TORCH_LOGS_OUT="$TMP/logs-out.txt" -- demo
check "demo TORCH_LOGS_OUT: exit 0" status_is 0
check "demo TORCH_LOGS_OUT: the file is not empty" test -s "$TMP/logs-out.txt"
check "demo TORCH_LOGS_OUT: the file equals stderr byte for byte" cmp -s "$TMP/err" "$TMP/logs-out.txt"

run TORCH_LOGS=dynamo TORCH_LOGS_FORMAT=short -- demo
check "demo TORCH_LOGS_FORMAT=short: level, logger name and message" \
  err_has "^INFO:torch\._dynamo\.convert_frame:Step 1: torchdynamo start tracing forward /tmp/demo.py:4$"
check "demo TORCH_LOGS_FORMAT=short: symbolic_shapes logs under its own name" \
  err_has "^INFO:torch\.fx\.experimental\.symbolic_shapes:create_symbol s77"

run TORCH_LOGS=+all -- demo
check "demo +all: exit 0" status_is 0
check "demo +all: every line in torch's format" every_err_line_is_glog
check "demo +all: all three phases" \
  sh -c "grep -q '\] Step 1: ' '$TMP/err' && grep -q '\] Step 2: ' '$TMP/err' && grep -q '\] Step 3: ' '$TMP/err' && grep -q 'aot_config id: 0' '$TMP/err'"
check "demo +all: off-by-default artifacts still off" err_lacks "\[__output_code\]"

run -- demo extra
check "demo with an argument: usage error (exit 2)" status_is 2

# ---- what the command echoes is escaped (issue 13) ----------------------

# An OSC sequence setting the terminal's title, a right-to-left override
# and a literal \x1b; and how the command shows them, as the library
# escapes what it prints.
HOSTILE=$(printf '\033]0;pwned\007\342\200\256\\x1b')
SHOWN='\x1b]0;pwned\x07\u202e\\x1b'
RAW_ESC=$(printf '\033')
RAW_BEL=$(printf '\007')
RAW_RLO=$(printf '\342\200\256')
# Neither stdout nor stderr holds a hostile byte, and stderr shows it
# escaped.
echoed_escaped () {
  ! LC_ALL=C grep -q -F -e "$RAW_ESC" -e "$RAW_BEL" -e "$RAW_RLO" "$TMP/out" "$TMP/err" &&
    grep -q -F -- "$SHOWN" "$TMP/err"
}

run -- "$HOSTILE"
check "unknown verb with hostile bytes: exit 2" status_is 2
check "unknown verb: echoed escaped" echoed_escaped
run -- "--$HOSTILE"
check "unknown option before the verb: echoed escaped" echoed_escaped
for verb in help demo; do
  run -- "$verb" "$HOSTILE"
  check "$verb with a hostile argument: usage error (exit 2)" status_is 2
  check "$verb with a hostile argument: echoed escaped" echoed_escaped
done
run -- explain dynamo "$HOSTILE"
check "explain with a hostile second argument: echoed escaped" echoed_escaped
run -- explain "--$HOSTILE"
check "explain with a hostile option: echoed escaped" echoed_escaped
run -- explain "dynamo,$HOSTILE"
check "explain hostile SETTINGS: exit 1" status_is 1
check "explain hostile SETTINGS: torch's error quotes it escaped" \
  sh -c "grep -q -F -- 'Invalid log settings: dynamo,$SHOWN, must be' '$TMP/err'"
check "explain hostile SETTINGS: no raw control" echoed_escaped
run -- explain "dynamo,a\\b"
check "explain: a backslash in SETTINGS is doubled" \
  sh -c "grep -q -F -- 'Invalid log settings: dynamo,a\\\\b, must be' '$TMP/err'"
for verb in list get reset monitor; do
  run -- "$verb" --app org.example.App "$HOSTILE"
  check "$verb with a hostile argument: usage error (exit 2)" status_is 2
  check "$verb with a hostile argument: echoed escaped" echoed_escaped
done
run -- set --app org.example.App dynamo "$HOSTILE"
check "set with a hostile second argument: usage error (exit 2)" status_is 2
check "set with a hostile second argument: echoed escaped" echoed_escaped
run -- set --app "org.example.$HOSTILE" dynamo
check "set with a hostile application id: usage error (exit 2)" status_is 2
check "set with a hostile application id: echoed escaped" echoed_escaped

tap_done
