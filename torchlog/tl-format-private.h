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

/* Appends @text with control characters and invalid UTF-8 escaped, so a
 * message cannot drive the terminal that displays it. Newlines and tabs
 * are kept. */
void        tl_escape_append     (GString         *out,
                                  const char      *text,
                                  gssize           len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlFormat, tl_format_free)

G_END_DECLS
