/* tl-trace-file-private.h: the trace file, for the record builder
 *
 * tl-trace.c builds the records and uses the file; the file never calls
 * back into it (the dependency is one way: tl-trace.c → tl-trace-file.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "torchlog.h"

G_BEGIN_DECLS

/* The process's one trace file. Everything below but
 * tl_trace_file_enabled(), tl_trace_source_path() and
 * tl_trace_append_prefix() runs with the trace lock held. */
void      tl_trace_file_lock            (void);
void      tl_trace_file_unlock          (void);
/* Cheap: whether a directory is set (TORCH_TRACE, read once, or the API). */
gboolean  tl_trace_file_enabled         (void);
gboolean  tl_trace_file_verbose         (void);
/* Opens the file if this process has none yet (first record, directory
 * change, or a fork since); a new file starts with every interned string.
 * Sets *@opened_path (transfer full) when it opened one. FALSE: no file. */
gboolean  tl_trace_file_ensure_locked   (char      **opened_path);
/* The id of @string, appending its `str` record to @lines when it is new
 * and a file is open (a file opened later gets it at its start). */
int       tl_trace_file_intern_locked   (const char *string,
                                         GString    *lines);
/* Writes @text (whole records) with one write(). */
void      tl_trace_file_write_locked    (const char *text,
                                         gsize       len);
/* TRUE once per file: the caller then writes the version record. */
gboolean  tl_trace_file_take_version_locked (void);

/* The lines of the file. */
/* @file (`__FILE__`) without the build tree's leading `../` and `./`. */
const char *tl_trace_source_path        (const char *file);
/* The glog prefix of a trace line, `V1123 03:28:17.283000 5612 path:12] `. */
void      tl_trace_append_prefix        (GString    *out,
                                         const char *file,
                                         int         line);

/* fork(): called by tl-fork.c only; release serves parent and child. */
void tl_trace_file_fork_prepare (void);
void tl_trace_file_fork_release (void);

G_END_DECLS
