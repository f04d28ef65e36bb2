/* tl-format-private.h: TlFormat (TORCH_LOGS_FORMAT), torch's glog line,
 * and the escaping every printed text goes through
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include "tl-record-private.h"

G_BEGIN_DECLS

/* A compiled Python %-style format (`%(levelname)s:%(message)s`). */
typedef struct _TlFormat TlFormat;

TlFormat   *tl_format_new        (const char      *format,
                                  GError         **error);
void        tl_format_free       (TlFormat        *format);
const char *tl_format_get_source (const TlFormat  *format);
/* TORCH_LOGS_FORMAT's two named styles ("short", "basic", as
 * logging.basicConfig's): the format a name stands for, or @format. */
const char *tl_format_expand_name (const char     *format);
void        tl_format_append     (const TlFormat  *format,
                                  const TlRecord  *record,
                                  GString         *out);

/* The prefix of torch's line, up to the space before the message. */
void        tl_format_glog_prefix (const TlRecord *record,
                                   GString        *out);
/* torch's default glog-style line, every line of the message prefixed. */
void        tl_format_glog       (const TlRecord  *record,
                                  GString         *out);

/* Appends @text escaped, so that a message cannot drive the terminal
 * that displays it nor disguise what it says. Newlines and tabs are kept;
 * C0 controls and DEL become `\xNN`, as does each byte that is not
 * UTF-8 (or a NUL in a counted text); C1 controls (U+0080..U+009F), the
 * bidi controls (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F,
 * U+061C), U+2028, U+2029 and U+FEFF become `\uNNNN`; a backslash is
 * doubled, so an escape always starts with a single one. The manual's
 * escaping paragraph (docs/reference/guide/environment.xml) says the
 * same; the torchlog command has its own copy of these rules
 * (tools/torchlog-tool.c). */
void        tl_escape_append     (GString         *out,
                                  const char      *text,
                                  gssize           len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlFormat, tl_format_free)

G_END_DECLS
