/* tl-thread-state-private.h: TlThreadState, the scratch space and caches
 * of one thread
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <string.h>
#include <glib.h>

G_BEGIN_DECLS

/* Everything in it belongs to the one thread that made it; see
 * tl-thread-state.c for the rules, fork() included. */
typedef struct _TlThreadState TlThreadState;

struct _TlThreadState {
  GString    *line;            /* the line(s) being formatted */
  GString    *message;         /* a message formatted from the macros */
  GString    *name;            /* a logger name built for an artifact */
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
  gpointer    writer_cache;    /* the writer's plan and decisions (tl-writer.c) */
  GDestroyNotify writer_cache_free;  /* frees it with the state */
  gboolean    busy;            /* between enter and leave */
  gboolean    temporary;       /* made for a nested record; freed on leave */
  /* The storage @line, @message and @name point to, so that the state is
   * one block from malloc() (see tl-thread-state.c). */
  GString     strings[3];
};

/* The calling thread's state, for its caches only. */
TlThreadState *tl_thread_state          (void);
/* The calling thread's state, or a temporary one if a record is already
 * being formatted in this thread; the scratch strings are free to use
 * until tl_thread_state_leave(). */
TlThreadState *tl_thread_state_enter    (void);
void           tl_thread_state_leave    (TlThreadState  *state);
/* "MMDD HH:MM:SS" for @time_us, formatted once per second per thread. */
const char    *tl_thread_state_date     (TlThreadState  *state,
                                         gint64          time_us);
/* This process's id, without a system call per line. */
int            tl_thread_state_get_pid  (void);

/* Writes @pid's text into @state; for tl_thread_state_pid_text(). */
void           tl_thread_state_update_pid (TlThreadState *state,
                                           int            pid);

/* The process id in decimal, written once per process per thread. */
static inline const char *
tl_thread_state_pid_text (TlThreadState *state,
                          gsize         *len)
{
  int pid = tl_thread_state_get_pid ();

  if (G_UNLIKELY (state->pid != pid))
    tl_thread_state_update_pid (state, pid);
  *len = state->pid_len;
  return state->pid_text;
}

/* The text kept for the call site at @file and @line (whose text never
 * changes at that address), or NULL. */
static inline const char *
tl_thread_state_site (TlThreadState *state,
                      const char    *file,
                      const char    *line,
                      gsize         *len)
{
  if (file == NULL || file != state->site_file || line != state->site_line)
    return NULL;
  *len = state->site_len;
  return state->site_text;
}

/* Keeps @text for the call site at @file and @line, in place of the last
 * one; @file NULL, or a text too long to keep, forgets it. */
void           tl_thread_state_keep_site (TlThreadState *state,
                                          const char    *file,
                                          const char    *line,
                                          const char    *text,
                                          gsize          len);

/* In the child of fork(): called by tl-fork.c only. */
void tl_thread_state_fork_child (void);

G_END_DECLS
