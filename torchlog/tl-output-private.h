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
  gboolean    static_site;   /* @file and @line are a call site's literals,
                              * whose text never changes at that address */
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

/* Appends @format formatted with @args, as vsnprintf() does, without its
 * cost for the common conversions. Returns whether all it appended is
 * printable ASCII (no escaping, no newline). */
gboolean    tl_string_append_vprintf (GString     *out,
                                      const char  *format,
                                      va_list      args) G_GNUC_PRINTF (2, 0);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlFormat, tl_format_free)

/* A file lines are appended to (TORCH_LOGS_OUT), with its buffer. Shared
 * by the copies and overlays of an output, so that lines keep their order
 * when an output is replaced; see tl-output.c for the flushing rules. */
typedef struct _TlSink TlSink;

/* The outputs of a registry, replaced whole when they change so that a
 * writer thread can keep using the one it took. */
typedef struct {
  gatomicrefcount ref;
  TlSink    *file;             /* TORCH_LOGS_OUT, or NULL */
  char      *file_path;        /* its path, or NULL */
  TlFormat  *format;           /* TORCH_LOGS_FORMAT, or NULL for torch's */
  char     **trace_id_filter;  /* bracketed ids, or NULL for no filter */
  gboolean   sets_format;      /* as an overlay: @format (NULL: torch's) replaces */
} TlOutput;

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
typedef struct _TlThreadState TlThreadState;
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

/* Scratch space of one thread, so that formatting a line allocates
 * nothing once the thread has logged a few lines. */
typedef struct {
  const void *key;             /* a call site standing for the domain, or NULL */
  const void *registry;        /* the registry the entry is for */
  guint       generation;      /* its generation then */
  guint       hash;
  gboolean    registered;      /* has a registered ancestor */
  guint       threshold;       /* for records without TORCHLOG_ARTIFACT */
  gsize       module_len;      /* > 0: the domain is `module.__artifact` */
  const TlFormat *artifact_format;  /* that artifact's own format */
  char        domain[48];      /* NUL-terminated; longer ones are not cached */
} TlDecision;

#define TL_N_DECISIONS 32

struct _TlThreadState {
  GString    *line;            /* the line(s) being formatted */
  GString    *message;         /* a message formatted from the macros */
  GString    *name;            /* a logger name built for an artifact */
  const void *output_owner;    /* the registry @output was taken from */
  TlOutput   *output;          /* a reference on it, reused while current */
  int         pid;             /* the process @pid_text was written for */
  char        pid_text[12];
  gsize       pid_len;
  const char *site_file;       /* the last call site's file and line */
  const char *site_line;
  char        site_text[96];   /* "path:line]" for it */
  gsize       site_len;
  gint64      date_second;     /* the second @date stands for, or -1 */
  char        date[16];        /* "MMDD HH:MM:SS", local time */
  gint64      stderr_checked;  /* when stderr's type was last probed */
  guint       stderr_writes;   /* writes since then */
  int         stderr_mode;     /* what it was then; see tl-output.c */
  TlDecision  decisions[TL_N_DECISIONS];  /* the writer's cache */
  gboolean    busy;            /* between enter and leave */
  gboolean    temporary;       /* made for a nested record; freed on leave */
};

/* The calling thread's state, for its caches only. */
TlThreadState *tl_thread_state          (void);
/* The calling thread's state, or a temporary one if a record is already
 * being formatted in this thread; the scratch strings are free to use
 * until tl_thread_state_leave(). */
TlThreadState *tl_thread_state_enter    (void);
void           tl_thread_state_leave    (TlThreadState  *state);
/* The output @current points to (the registry's, read under @lock when
 * it changed), kept referenced by the thread until it changes again. */
TlOutput      *tl_thread_state_output   (TlThreadState  *state,
                                         const void     *registry,
                                         TlOutput      **current,
                                         GRWLock        *lock);
/* "MMDD HH:MM:SS" for @time_us, formatted once per second per thread. */
const char    *tl_thread_state_date     (TlThreadState  *state,
                                         gint64          time_us);
/* This process's id, without a system call per line. */
int            tl_output_get_pid        (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlOutput, tl_output_unref)

G_END_DECLS
