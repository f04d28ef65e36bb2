#!/bin/sh
# test-i18n-tool.sh: TAP tests of the `torchlog` command in Chinese and,
# with no translation active, in torch's exact English.
#
# Usage: test-i18n-tool.sh PATH-TO-torchlog LOCALEDIR
#
# LOCALEDIR is the build tree's po/ folder, where Meson builds
# zh_CN/LC_MESSAGES/torchlog.mo; TORCHLOG_LOCALEDIR points the command at it.
#
# Chinese is selected with LANGUAGE=zh_CN over the C.UTF-8 locale, which
# every Debian system has: glibc honours LANGUAGE for any locale but "C"
# itself, so no zh_CN locale needs to be generated.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

TORCHLOG=${1:?usage: test-i18n-tool.sh PATH-TO-torchlog LOCALEDIR}
LOCALEDIR=${2:?usage: test-i18n-tool.sh PATH-TO-torchlog LOCALEDIR}
SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
DATA="$SRCDIR/data/tool"

TORCHLOG_LOCALEDIR=$LOCALEDIR
export TORCHLOG_LOCALEDIR
unset LANG LC_MESSAGES TORCH_LOGS TORCH_LOGS_OUT TORCH_LOGS_FORMAT TORCH_LOGS_TRACE_ID_FILTER \
  TORCH_LOGS_RANKS RANK TORCH_TRACE TORCH_DTRACE TORCHLOG_JOURNAL

TMP=$(mktemp -d "${TMPDIR:-/tmp}/test-i18n-tool.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT

# shellcheck source=tests/tap.sh
. "$SRCDIR/tap.sh"
# A failed check shows what the command printed.
TAP_OUT="$TMP/out"
TAP_ERR="$TMP/err"

# zh ARGS... / en ARGS... / c ARGS...: runs torchlog in Chinese, in
# English with a UTF-8 locale, or in the plain C locale (where glibc
# ignores LANGUAGE); stdout in $TMP/out, stderr in $TMP/err, the exit
# status in $status. VAR=value words before the arguments extend the
# environment.
run_in () {
  language=$1
  locale=$2
  shift 2
  (
    LC_ALL=$locale
    export LC_ALL
    if [ -n "$language" ]; then
      LANGUAGE=$language
      export LANGUAGE
    else
      unset LANGUAGE
    fi
    while [ $# -gt 0 ]; do
      case $1 in
        *=*) export "${1?}"; shift ;;
        *) break ;;
      esac
    done
    exec "$TORCHLOG" "$@"
  ) >"$TMP/out" 2>"$TMP/err"
  status=$?
}
zh () { run_in zh_CN C.UTF-8 "$@"; }
en () { run_in "" C.UTF-8 "$@"; }
c () { run_in "" C "$@"; }

status_is () { [ "$status" -eq "$1" ]; }
# Fixed strings: the texts hold brackets and dots.
out_has () { grep -q -F -e "$1" "$TMP/out"; }
err_has () { grep -q -F -e "$1" "$TMP/err"; }
out_lacks () { ! grep -q -F -e "$1" "$TMP/out"; }
err_lacks () { ! grep -q -F -e "$1" "$TMP/err"; }

if [ ! -f "$LOCALEDIR/zh_CN/LC_MESSAGES/torchlog.mo" ]; then
  not_ok "the zh_CN catalog is built" "missing: $LOCALEDIR/zh_CN/LC_MESSAGES/torchlog.mo"
fi

# ---- Chinese -----------------------------------------------------------

zh help
check "zh: help exits 0" status_is 0
check "zh: help heading" out_has "TORCH_LOGS 信息"
check "zh: help examples" out_has "  TORCH_LOGS=\"aot_graphs\" 将启用 aot_graphs 产物"
check "zh: help list heading" out_has "可见的已注册名称（使用 TORCH_LOGS='+help' 查看完整列表）"
check "zh: help artifact description" out_has "打印每个已编译的 Dynamo 帧的守卫。"
check "zh: help keeps torch's names" out_has "  TORCH_LOGS=\"+dynamo,aot\" 将 TorchDynamo 的日志级别设置为"
check "zh: help has no English prose" out_lacks "will set the log level"

zh help --all
check "zh: help --all list heading" out_has "所有已注册的名称"

zh --help
check "zh: --help exits 0" status_is 0
check "zh: --help usage" out_has "用法："
check "zh: --help usage line" out_has "  torchlog 命令 [选项…] [参数…]"
check "zh: --help lists the verbs" out_has "  explain   显示一个 TORCH_LOGS 字符串设置了什么"
check "zh: --help footer" out_has "使用“torchlog 命令 --help”获取某个命令的帮助。"
check "zh: --help has no English" out_lacks "Commands:"

zh
check "zh: no verb: usage error (exit 2)" status_is 2
check "zh: no verb: usage on stderr" err_has "命令："

zh explain --help
check "zh: explain --help exits 0" status_is 0
check "zh: explain --help summary" out_has "显示一个 TORCH_LOGS 字符串设置了什么：每个组件的级别和每个已启用的产物"
check "zh: explain --help keeps SETTINGS" out_has "torchlog explain [选项…] SETTINGS"
# GOptionContext's own headings come from GLib's catalog (libglib2.0-data).
check "zh: explain --help GLib's headings" sh -c "grep -q '^用法：$' '$TMP/out' && grep -q '^帮助选项：$' '$TMP/out'"

zh help --help
check "zh: help --help option description" out_has "列出所有产物，而不仅是可见的产物（同 TORCH_LOGS=\"+help\"）"

zh set --help
check "zh: set --help option descriptions" out_has "同时将每一行追加到 FILE"
check "zh: set --help description" out_has "以 TORCH_LOGS 语法设置运行中程序的日志设置"
check "zh: set --help APP-ID rule" out_has "APP-ID 是程序绑定其设置时所用的应用程序 ID"

zh demo --help
check "zh: demo --help description" out_has "本演示模拟 torch.compile 为下面这个程序（/tmp/demo.py）输出的日志："

zh explain bogus
check "zh: explain bogus exits 1" status_is 1
check "zh: explain bogus: torch's ValueError, translated" \
  err_has "无效的日志设置：bogus，必须是以逗号分隔的列表，其中各项为完全限定的"
check "zh: explain bogus: keeps TORCH_LOGS=\"help\"" err_has "有关各种设置的更多信息，请尝试 TORCH_LOGS=\"help\""
check "zh: explain bogus: the ValueError tag stays" err_has "ValueError: "
check "zh: explain bogus: no English prose" err_lacks "Invalid log settings"

zh explain "+dynamo,guards"
check "zh: explain output" sh -c "grep -q '^组件：$' '$TMP/out' && grep -q '由“+dynamo”设置' '$TMP/out' && grep -q '^已启用的产物：$' '$TMP/out'"

zh explain a b
check "zh: usage error text" err_has "意外的参数“b”；如果 SETTINGS 含有空格，请用引号将其括起来"
check "zh: usage error hint" err_has "请尝试执行“torchlog explain --help”来获取更多信息。"

zh frobnicate
check "zh: unknown command" err_has "torchlog: 未知命令“frobnicate”"

zh list
check "zh: list headings" sh -c "grep -q '^组件（+NAME：DEBUG，NAME：INFO，-NAME：ERROR）：$' '$TMP/out' && grep -q '^产物（NAME 表示启用；\* 表示默认关闭）：$' '$TMP/out'"
check "zh: list log description" out_has "TorchDynamo 组件的日志级别。"

zh TORCH_LOGS=help demo
check "zh: TORCH_LOGS=help in a program: exit 0" status_is 0
check "zh: TORCH_LOGS=help in a program speaks Chinese" \
  sh -c "grep -q '^TORCH_LOGS 信息$' '$TMP/err' && grep -q '^示例：$' '$TMP/err'"

zh TORCH_LOGS=bogus demo
check "zh: TORCH_LOGS=bogus in a program: translated ValueError" err_has "ValueError: "
check "zh: TORCH_LOGS=bogus in a program: translated text" err_has "无效的日志设置：bogus，"

zh TORCH_LOGS=dynamo TORCH_LOGS_FORMAT=%\(bogus\)s demo
check "zh: a bad TORCH_LOGS_FORMAT is reported in Chinese" \
  err_has "torchlog: TORCH_LOGS_FORMAT: 记录中找不到格式化字段：“bogus”；改用 torch 的默认格式"

# ---- no translation active: torch's English, byte for byte ------------

for mode in en c; do
  $mode help
  check "$mode: help byte-identical to torch's" cmp -s "$TMP/out" "$DATA/help.txt"
  $mode help --all
  check "$mode: help --all byte-identical to torch's" cmp -s "$TMP/out" "$DATA/help-all.txt"
  $mode TORCH_LOGS=help demo
  check "$mode: TORCH_LOGS=help in a program is torch's text" \
    sh -c "head -c \$(wc -c <'$DATA/help.txt') '$TMP/err' | cmp -s - '$DATA/help.txt'"
done

# torch's ValueError, as spec §2.7 words it.
printf 'ValueError: \nInvalid log settings: bogus, must be a comma separated list of fully\nqualified module names, registered log names or registered artifact names.\nFor more info on various settings, try TORCH_LOGS="help"\nValid settings:\n' \
  >"$TMP/expected-error"
for mode in en c; do
  $mode explain bogus
  check "$mode: explain bogus starts with torch's ValueError" \
    sh -c "head -c \$(wc -c <'$TMP/expected-error') '$TMP/err' | cmp -s - '$TMP/expected-error'"
done

en --help
check "en: --help is English" sh -c "grep -q '^Usage:$' '$TMP/out' && grep -q '^Commands:$' '$TMP/out' && ! grep -q '用法' '$TMP/out'"
en explain a b
check "en: usage error is English" err_has "Unexpected argument “b”; quote SETTINGS if it contains spaces"

# glibc ignores LANGUAGE in the C locale: still torch's English.
run_in zh_CN C help
check "LANGUAGE=zh_CN with LC_ALL=C: help stays torch's English" cmp -s "$TMP/out" "$DATA/help.txt"

tap_done
