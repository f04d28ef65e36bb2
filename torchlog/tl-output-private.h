/* tl-output-private.h: TlOutput, where formatted lines go (stderr and
 * the TORCH_LOGS_OUT file)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tl-format-private.h"
#include "tl-thread-state-private.h"

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* A file lines are appended to (TORCH_LOGS_OUT), with its buffer. Shared
 * by the copies and overlays of an output, so that lines keep their order
 * when an output is replaced; see tl-output.c for the flushing rules. */
typedef struct _TlFile TlFile;

/* The outputs of a registry, replaced whole when they change so that a
 * writer thread can keep using the one it took. */
typedef struct _TlOutput TlOutput;

struct _TlOutput {
  gatomicrefcount ref;
  TlFile    *file;             /* TORCH_LOGS_OUT, or NULL */
  char      *file_path;        /* its path, or NULL */
  TlFormat  *format;           /* TORCH_LOGS_FORMAT, or NULL for torch's */
  char     **trace_id_filter;  /* bracketed ids, or NULL for no filter */
  gboolean   sets_format;      /* as an overlay: @format (NULL: torch's) replaces */
};

TlOutput   *tl_output_new        (void);
TlOutput   *tl_output_copy       (const TlOutput  *output);
TlOutput   *tl_output_ref        (TlOutput        *output);
/* Dropping a reference flushes the file, so an output that was replaced
 * does not keep lines back. */
void        tl_output_unref      (TlOutput        *output);
gboolean    tl_output_open_file  (TlOutput        *output,
                                  const char      *path,
                                  GError         **error);
gboolean    tl_output_keeps_trace_id (const TlOutput *output,
                                      const char     *trace_id);
TlOutput   *tl_output_overlay    (const TlOutput  *base,
                                  const TlOutput  *over);
/* Writes whole lines: to stderr at once, to the file through its buffer. */
void        tl_output_write      (TlOutput        *output,
                                  const char      *text,
                                  gsize            len);
/* The same, for a caller that has the thread's state and the time. */
void        tl_output_write_line (TlOutput        *output,
                                  TlThreadState   *state,
                                  gint64           now_us,
                                  const char      *text,
                                  gsize            len);
/* Writes to the file only, not stderr (records sent to the journal). */
void        tl_output_write_file (TlOutput        *output,
                                  const char      *text,
                                  gsize            len);
/* Writes the file's buffered lines out now. */
void        tl_output_flush      (TlOutput        *output);
/* Flushes every file of every output; before a fatal record, at exit. */
void        tl_output_flush_all  (void);

void        tl_output_write_stderr (const char   *text,
                                    gsize         len);
/* torchlog's own warning on stderr, escaped: they quote what users and
 * environments gave (a path, RANK, TORCH_LOGS), which must not drive the
 * terminal. */
void        tl_output_warn         (const char   *text);

/* Appending to an output file (TORCH_LOGS_OUT, the trace file): whole
 * lines or nothing, with SIGPIPE and SIGXFSZ kept from killing the
 * program, and one warning per failing streak. The owner of the file
 * serializes the calls (its lock guards the struct). */
typedef struct {
  int       fd;          /* opened O_APPEND */
  gboolean  guard;       /* block SIGPIPE and SIGXFSZ around the write */
  gboolean  keep_lines;  /* after a failure, keep the lines written whole;
                          * FALSE: take back all the write added */
  gboolean  torn;        /* a fragment could not be taken back: the next
                          * write starts with a newline */
  gboolean  failing;     /* warned about a failure: no warning until the
                          * file took a buffer's worth again */
  gsize     recovered;   /* bytes written since the streak's last failure */
} TlOutputAppend;

/* Writes @text (whole lines). Returns 0 or the errno of the failure; sets
 * *@report when the failure starts a failing streak, which the caller
 * reports, once. */
int         tl_output_append     (TlOutputAppend  *append,
                                  const char      *text,
                                  gsize            len,
                                  gboolean        *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlOutput, tl_output_unref)

/* fork(): called by tl-fork.c only, which documents the lock order. */
void tl_output_fork_prepare (void);
void tl_output_fork_parent (void);
void tl_output_fork_child (void);

G_END_DECLS
