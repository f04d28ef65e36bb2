/* tl-output-private.h: records, formats and the outputs they go to
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include "tl-level.h"

G_BEGIN_DECLS

/* What the formatter needs to know of one record. */
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
} TlRecord;

/* A compiled Python %-style format (`%(levelname)s:%(message)s`). */
typedef struct _TlFormat TlFormat;

TlFormat   *tl_format_new        (const char      *format,
                                  GError         **error);
void        tl_format_free       (TlFormat        *format);
const char *tl_format_get_source (const TlFormat  *format);
void        tl_format_append     (const TlFormat  *format,
                                  const TlRecord  *record,
                                  GString         *out);

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

/* The outputs of a registry, replaced whole when they change so that a
 * writer thread can keep using the one it took. */
typedef struct {
  gatomicrefcount ref;
  int        file_fd;          /* TORCH_LOGS_OUT, or -1 */
  char      *file_path;
  TlFormat  *format;           /* TORCH_LOGS_FORMAT, or NULL for torch's */
  char     **trace_id_filter;  /* bracketed ids, or NULL for no filter */
} TlOutput;

TlOutput   *tl_output_new        (void);
TlOutput   *tl_output_copy       (const TlOutput  *output);
TlOutput   *tl_output_ref        (TlOutput        *output);
void        tl_output_unref      (TlOutput        *output);
gboolean    tl_output_open_file  (TlOutput        *output,
                                  const char      *path,
                                  GError         **error);
gboolean    tl_output_keeps_trace_id (const TlOutput *output,
                                      const char     *trace_id);
void        tl_output_write      (TlOutput        *output,
                                  const char      *text,
                                  gsize            len);

void        tl_output_write_stderr (const char   *text,
                                    gsize         len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlOutput, tl_output_unref)

G_END_DECLS
