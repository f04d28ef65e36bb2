#!/bin/sh
# The manual's C examples (docs/reference/examples) are built by Meson and
# run here, so the guide cannot rot. TAP output.
# Usage: test-examples.sh HELLO SET_LOGS MIGRATE_GLIB
set -u
hello=$1 set_logs=$2 migrate=$3
n=0 failed=0
check () {  # check DESCRIPTION STATUS
  n=$((n + 1))
  if [ "$2" -eq 0 ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; failed=1; fi
}
has () { printf '%s\n' "$1" | grep -Eq -- "$2"; }
lacks () { ! has "$@"; }
prefix='^[VIWEC][0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} [0-9]+ [^ ]+:[0-9]+\]'

out=$(env -u TORCH_LOGS "$hello" 2>&1)
has "$out" "$prefix shown by default\$"; check "hello: warning shown by default" $?
lacks "$out" "tracing forward"; check "hello: debug hidden by default" $?
out=$(TORCH_LOGS=+dynamo "$hello" 2>&1)
has "$out" "^V.* tracing forward\$"; check "hello: +dynamo shows debug" $?
has "$out" "^V.* \[__guards\]   x.size\(\)\[0\] == 4\$"; check "hello: +dynamo shows guards, every line prefixed" $?
out=$(TORCH_LOGS=guards "$hello" 2>&1)
lacks "$out" "compiled 1 frames"; check "hello: guards alone leaves dynamo at WARNING" $?
has "$out" "\[__guards\] GUARDS:"; check "hello: guards enabled by name" $?

out=$(env -u TORCH_LOGS "$set_logs" 2>&1)
has "$out" "^V.* dynamo is at DEBUG\$"; check "set-logs: dynamo=DEBUG" $?
has "$out" "\[__graph_code\]     return x \+ 1\$"; check "set-logs: graph_code=True" $?
out=$(TORCH_LOGS=-dynamo "$set_logs" 2>&1)
has "$out" "^W.*Using TORCH_LOGS environment variable for log settings, ignoring call to set_logs\$"; check "set-logs: TORCH_LOGS wins and warns" $?
lacks "$out" "dynamo is at DEBUG"; check "set-logs: ignored while TORCH_LOGS is set" $?

out=$(env -u TORCH_LOGS "$migrate" 2>&1)
has "$out" "$prefix retrying in 2 s\$"; check "migrate-glib: g_log warning in torch format" $?
lacks "$out" "connecting"; check "migrate-glib: g_log debug hidden by default" $?
out=$(TORCH_LOGS=+network "$migrate" 2>&1)
has "$out" "^V.* connecting to example.org\$"; check "migrate-glib: +network shows g_log debug" $?

echo "1..$n"
exit $failed
