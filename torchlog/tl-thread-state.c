/* tl-thread-state.c: the scratch space and caches of one thread
 *
 * Formatting a line needs a few growing strings and some caches (the
 * date of the current second, the pid's text, the last call site's
 * "path:line]", the writer's plan and decisions). Each thread keeps its own in a
 * TlThreadState, so that a line allocates nothing and takes no lock once
 * the thread has logged a few.
 *
 * One owner. A state belongs to exactly one thread, the one that made
 * it: it is made on that thread's first use (a GPrivate), only that
 * thread reads or writes it, and GPrivate's destructor frees it when that
 * thread exits. No other thread is ever handed a pointer to it: there is
 * no list of states, no pool, and no free list, so a state (or a string
 * of it) is never reused by another thread. A record logged while one is
 * being formatted in the same thread gets a temporary state, owned by
 * that record alone and freed when it is done.
 *
 * Every byte of a state, its strings' headers included, comes from
 * malloc() and goes back with free(). GLib 2.74's g_string_new() takes
 * the header from GSlice, whose slabs and magazines pass chunks from
 * thread to thread under locks that ThreadSanitizer cannot see, so one
 * thread's string looks like memory another thread wrote; malloc() is
 * what the sanitizers and the C library's fork handling follow.
 *
 * fork(). The child has only the thread that called fork(), and that
 * thread keeps its own state as it was, busy or not: it goes on from the
 * same point of its stack, and leaves any record it was in as it would
 * have in the parent. The states of the threads that do not exist in the
 * child are never touched again, by the child or for it: their
 * destructors never run there (the threads never exit), and nothing else
 * knows them. They are leaked in the child, not reused. What depends on
 * the process rather than the thread (the pid) is kept outside the
 * states and forgotten in the child by a fork handler; each state then
 * notices the new pid.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tl-local-time-private.h"
#include "tl-thread-state-private.h"

/* A thread's scratch strings are given back once a huge record grew them. */
#define TL_SCRATCH_MAX       (64 * 1024)

static void
scratch_init (GString *string, gsize size)
{
  string->str = g_malloc (size);
  string->str[0] = '\0';
  string->len = 0;
  string->allocated_len = size;
}

/* The strings live inside the state, so they are freed as the state's
 * part, never with g_string_free(), which would hand their headers to
 * GSlice. */
static void
scratch_clear (GString *string)
{
  g_free (string->str);
  string->str = NULL;
}

static TlThreadState *
thread_state_new (void)
{
  TlThreadState *state = g_new0 (TlThreadState, 1);

  state->line = &state->strings[0];
  state->message = &state->strings[1];
  state->name = &state->strings[2];
  scratch_init (state->line, 256);
  scratch_init (state->message, 256);
  scratch_init (state->name, 64);
  state->date_second = -1;
  return state;
}

static void
thread_state_free (gpointer data)
{
  TlThreadState *state = data;

  if (state->writer_cache_free != NULL)
    state->writer_cache_free (state->writer_cache);
  scratch_clear (state->line);
  scratch_clear (state->message);
  scratch_clear (state->name);
  g_free (state);
}

static GPrivate thread_state_key = G_PRIVATE_INIT (thread_state_free);

TlThreadState *
tl_thread_state (void)
{
  TlThreadState *state = g_private_get (&thread_state_key);

  if (G_UNLIKELY (state == NULL))
    {
      state = thread_state_new ();
      g_private_set (&thread_state_key, state);
    }
  return state;
}

/* The state is used by one record at a time: a record logged while
 * another is being formatted in the same thread (a GLib warning from
 * inside torchlog, say) gets a temporary one. */
TlThreadState *
tl_thread_state_enter (void)
{
  TlThreadState *state = tl_thread_state ();

  if (G_UNLIKELY (state->busy))
    {
      TlThreadState *temporary = thread_state_new ();

      temporary->temporary = TRUE;
      temporary->busy = TRUE;
      return temporary;
    }
  state->busy = TRUE;
  return state;
}

static void
trim_scratch (GString *string)
{
  if (G_UNLIKELY (string->allocated_len > TL_SCRATCH_MAX))
    {
      scratch_clear (string);
      scratch_init (string, 256);
    }
}

void
tl_thread_state_leave (TlThreadState *state)
{
  if (G_UNLIKELY (state->temporary))
    {
      thread_state_free (state);
      return;
    }
  trim_scratch (state->line);
  trim_scratch (state->message);
  trim_scratch (state->name);
  state->busy = FALSE;
}

const char *
tl_thread_state_date (TlThreadState *state,
                      gint64         time_us)
{
  gint64 second = time_us / G_USEC_PER_SEC;

  if (G_UNLIKELY (second != state->date_second))
    {
      struct tm tm;

      /* Local time, as Python's logging uses. */
      if (!tl_local_time (second, &tm))
        memset (&tm, 0, sizeof tm);
      g_snprintf (state->date, sizeof state->date, "%02d%02d %02d:%02d:%02d",
                  (tm.tm_mon + 1) % 100, tm.tm_mday % 100,
                  tm.tm_hour % 100, tm.tm_min % 100, tm.tm_sec % 100);
      state->date_second = second;
    }
  return state->date;
}

void
tl_thread_state_keep_site (TlThreadState *state,
                           const char    *file,
                           const char    *line,
                           const char    *text,
                           gsize          len)
{
  if (file == NULL || len > sizeof state->site_text)
    {
      state->site_file = NULL;
      return;
    }
  state->site_file = file;
  state->site_line = line;
  state->site_len = len;
  memcpy (state->site_text, text, len);
}

/* ---- the process id ------------------------------------------------ */

static gint cached_pid;

/* In the child of fork(), where the cached value is the parent's
 * (tl-fork.c's handler is installed when the library is loaded, before
 * any value is kept). */
void
tl_thread_state_fork_child (void)
{
  g_atomic_int_set (&cached_pid, 0);
}

int
tl_thread_state_get_pid (void)
{
  int pid = g_atomic_int_get (&cached_pid);

  if (G_UNLIKELY (pid == 0))
    {
      pid = getpid ();
      g_atomic_int_set (&cached_pid, pid);
    }
  return pid;
}

void
tl_thread_state_update_pid (TlThreadState *state,
                            int            pid)
{
  int len = g_snprintf (state->pid_text, sizeof state->pid_text, "%d", pid);

  state->pid = pid;
  state->pid_len = MIN ((gsize) MAX (len, 0), sizeof state->pid_text - 1);
}
