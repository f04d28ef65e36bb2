#!/bin/sh
# The manual's C examples (docs/reference/examples) are built by Meson and
# run here, so the guide cannot rot. TAP output.
# Usage: test-examples.sh HELLO SET_LOGS MIGRATE_GLIB
set -u
hello=$1 set_logs=$2 migrate=$3
# shellcheck source=tests/tap.sh
. "$(dirname "$0")/tap.sh"
prefix='^[VIWEC][0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} [0-9]+ [^ ]+:[0-9]+\]'

out=$(env -u TORCH_LOGS "$hello" 2>&1)
has "$out" "$prefix shown by default\$"; check_status "hello: warning shown by default" $?
lacks "$out" "tracing forward"; check_status "hello: debug hidden by default" $?
out=$(TORCH_LOGS=+dynamo "$hello" 2>&1)
has "$out" "^V.* tracing forward\$"; check_status "hello: +dynamo shows debug" $?
has "$out" "^V.* \[__guards\]   x.size\(\)\[0\] == 4\$"; check_status "hello: +dynamo shows guards, every line prefixed" $?
out=$(TORCH_LOGS=guards "$hello" 2>&1)
lacks "$out" "compiled 1 frames"; check_status "hello: guards alone leaves dynamo at WARNING" $?
has "$out" "\[__guards\] GUARDS:"; check_status "hello: guards enabled by name" $?

out=$(env -u TORCH_LOGS "$set_logs" 2>&1)
has "$out" "^V.* dynamo is at DEBUG\$"; check_status "set-logs: dynamo=DEBUG" $?
has "$out" "\[__graph_code\]     return x \+ 1\$"; check_status "set-logs: graph_code=True" $?
out=$(TORCH_LOGS=-dynamo "$set_logs" 2>&1)
has "$out" "^W.*Using TORCH_LOGS environment variable for log settings, ignoring call to set_logs\$"; check_status "set-logs: TORCH_LOGS wins and warns" $?
lacks "$out" "dynamo is at DEBUG"; check_status "set-logs: ignored while TORCH_LOGS is set" $?

out=$(env -u TORCH_LOGS "$migrate" 2>&1)
has "$out" "$prefix retrying in 2 s\$"; check_status "migrate-glib: g_warning in torch format" $?
has "$out" " [^ ]*migrate-glib\.c:[0-9]+\] retrying"; check_status "migrate-glib: G_LOG_USE_STRUCTURED gives the record its file and line" $?
lacks "$out" "connecting"; check_status "migrate-glib: g_log debug hidden by default" $?
out=$(TORCH_LOGS=+network "$migrate" 2>&1)
has "$out" "^V.* connecting to example.org\$"; check_status "migrate-glib: +network shows g_log debug" $?

tap_done
