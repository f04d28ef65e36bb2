/* tl-record-private.h: TlRecord, what the formatter and the outputs know
 * of one record
 *
 * A plain struct with no functions of its own: the writer fills one per
 * record, on its stack, and everything after it only reads it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include "tl-level.h"

G_BEGIN_DECLS

/* Fields a builder does not know are left zero, which every reader takes
 * as "none": build records with a designated initialiser. */
typedef struct {
  TlLevel     level;
  const char *logger_name;   /* the domain, or `domain.__artifact` */
  const char *artifact;      /* NULL for component records */
  const char *message;
  gssize      message_len;   /* -1: NUL-terminated */
  const char *file;
  const char *line;
  const char *func;
  gint64      time_us;       /* g_get_real_time () */
  int         rank;          /* < 0: no rank */
  const char *trace_id;      /* NULL: no compile context */
  gboolean    static_site;   /* @file and @line are a call site's literals,
                              * whose text never changes at that address */
  const char *component;     /* the owning log's name, "" if none; set by the writer */
  const GLogField *fields;   /* the record's GLib fields, NULL for the macros' records */
  gsize       n_fields;
} TlRecord;

G_END_DECLS
