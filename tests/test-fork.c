/* test-fork.c: a child forked while other threads log can log at once
 *
 * Four threads log continuously through the macros (the default registry,
 * its call-site caches, the writer and the buffered TORCH_LOGS_OUT) while
 * the main thread forks children. Each child logs immediately, also
 * reconfigures and logs again, flushes and exits; it must finish within a
 * few seconds (a lock inherited held would hang it forever). Then every
 * line of the file must be present exactly once: the parent's lines were
 * not written twice by a child that inherited them in a buffer, and each
 * child's lines carry the child's own pid.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define TL_LOG_DOMAIN "forktest"
#include "reliability-util.h"

#include <signal.h>
#include <sys/wait.h>

#define N_THREADS 4
#define N_FORKS 40
#define CHILD_LINES 30   /* 10 at once, 10 after reconfiguring, 10 from a thread */

/* Each thread logs at most this many lines per fork, so that the file
 * stays small however slowly the children run (valgrind, a loaded
 * machine), while every fork still happens in the middle of logging. */
#define LINES_PER_FORK 2000

static gint stop_logging;
static gint forks_started;
static guint thread_lines[N_THREADS];


static gpointer
logging_thread (gpointer data)
{
  guint t = GPOINTER_TO_UINT (data);
  guint i;

  for (i = 0; !g_atomic_int_get (&stop_logging); i++)
    {
      while (i >= (guint) (g_atomic_int_get (&forks_started) + 1) * LINES_PER_FORK &&
             !g_atomic_int_get (&stop_logging))
        g_thread_yield ();
      ASAN_LOGGING_BEGIN ();
      tl_info ("parent thread %u line %u", t, i);
      if (i % 64 == 0)
        tl_debug ("parent thread %u debug %u", t, i);   /* off: the fast path */
      ASAN_LOGGING_END ();
    }
  thread_lines[t] = i;
  return NULL;
}

static guint child_index;

static gpointer
child_thread (gpointer data)
{
  for (guint i = 20; i < CHILD_LINES; i++)
    tl_warning ("child %u pid %d line %u", child_index, (int) getpid (), i);
  return NULL;
}

static void
child_main (guint index)
{
  TlRegistry *registry = tl_registry_get_default ();
  g_autoptr(GError) error = NULL;
  int pid = (int) getpid ();

  /* At once, from the thread that forked. */
  child_index = index;
  for (guint i = 0; i < 10; i++)
    tl_info ("child %u pid %d line %u", index, pid, i);
  /* Reconfiguring takes the registry's lock exclusively. */
  if (!tl_registry_parse_logs (registry, "+forktest", &error))
    _exit (3);
  for (guint i = 10; i < 20; i++)
    tl_debug ("child %u pid %d line %u", index, pid, i);
  /* From a new thread of the child as well. ThreadSanitizer cannot follow
   * a thread started after a multi-threaded fork (it aborts on a reused
   * thread id), and GCC 12's AddressSanitizer starts one by allocating,
   * from an allocator whose locks another parent thread (torchlog's
   * flusher, say) may have held at the fork; under them the same lines
   * come from the forking thread. */
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
  child_thread (NULL);
#else
  g_thread_join (g_thread_new ("child-thread", child_thread, NULL));
#endif
  tl_registry_flush (registry);   /* as torchlog asks before execve() */
  child_exit (FALSE);
}

static void
test_fork_while_logging (void)
{
  TlRegistry *registry = tl_registry_get_default ();
  const char * const domains[] = { "forktest", NULL };
  g_autofree char *dir = g_dir_make_tmp ("torchlog-fork-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.log", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GThread *threads[N_THREADS];
  pid_t children[N_FORKS];
  guint total = 0;
  gsize len;

  tl_registry_register_log (registry, "forktest", domains, "The fork test.");
  tl_registry_install_writer (registry);
  g_assert_true (tl_registry_parse_logs (registry, "forktest", &error));
  g_assert_no_error (error);
  g_assert_true (tl_registry_set_output_file (registry, path, &error));
  g_assert_no_error (error);

  /* The lines go to the file; stderr would only flood the test log. */
  stderr_silence_begin ();

  ASAN_FORK_LOCK_INIT ();
  for (guint t = 0; t < N_THREADS; t++)
    threads[t] = g_thread_new ("logger", logging_thread, GUINT_TO_POINTER (t));
  for (guint f = 0; f < N_FORKS; f++)
    {
      g_usleep (2000);
      ASAN_FORK_BEGIN ();
      g_atomic_int_inc (&forks_started);
      children[f] = fork ();
      if (children[f] == 0)
        child_main (f);
      ASAN_FORK_END ();
      g_assert_cmpint (children[f], >=, 0);
    }
  for (guint f = 0; f < N_FORKS; f++)
    {
      int status = wait_child (children[f], 20);
      if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
        g_error ("child %u ended with status %d", f, status);
    }
  g_atomic_int_set (&stop_logging, 1);
  for (guint t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);
  tl_registry_flush (registry);

  stderr_silence_end ();

  /* One pass over the file: each line once; the children's with their
   * own pid in the prefix. */
  text = read_whole_file (path, &len);
  {
    guint8 *parent_seen[N_THREADS];
    guint8 child_seen[N_FORKS][CHILD_LINES] = { { 0 } };
    char *line = text;

    for (guint t = 0; t < N_THREADS; t++)
      parent_seen[t] = g_malloc0 (thread_lines[t] + 1);
    while (line < text + len)
      {
        char *end = strchr (line, '\n');
        const char *body;
        guint a, b;
        int pid;

        g_assert_nonnull (end);
        *end = '\0';
        body = strstr (line, "] ");
        g_assert_nonnull (body);
        if (sscanf (body, "] parent thread %u line %u", &a, &b) == 2)
          {
            g_assert_cmpuint (a, <, N_THREADS);
            g_assert_cmpuint (b, <, thread_lines[a]);
            if (parent_seen[a][b]++ != 0)
              g_error ("parent line %u of thread %u written twice", b, a);
          }
        else if (sscanf (body, "] child %u pid %d line %u", &a, &pid, &b) == 3)
          {
            g_autofree char *pid_field = g_strdup_printf (" %d ", (int) children[a]);

            g_assert_cmpuint (a, <, N_FORKS);
            g_assert_cmpuint (b, <, CHILD_LINES);
            g_assert_cmpint (pid, ==, children[a]);
            if (child_seen[a][b]++ != 0)
              g_error ("child %u's line %u written twice", a, b);
            /* The prefix (before "] ") names the child's pid. */
            *(char *) body = '\0';
            if (strstr (line, pid_field) == NULL)
              g_error ("child %u's line has the pid of another process: %s", a, line);
          }
        else if (!g_str_has_prefix (body, "] parent thread "))
          g_error ("unexpected line: %s", line);
        line = end + 1;
      }
    for (guint t = 0; t < N_THREADS; t++)
      {
        for (guint i = 0; i < thread_lines[t]; i++)
          if (parent_seen[t][i] != 1)
            g_error ("parent line %u of thread %u missing", i, t);
        total += thread_lines[t];
        g_free (parent_seen[t]);
      }
    for (guint f = 0; f < N_FORKS; f++)
      for (guint i = 0; i < CHILD_LINES; i++)
        if (child_seen[f][i] != 1)
          g_error ("child %u's line %u missing", f, i);
  }
  g_test_message ("%u forks while %u threads logged %u lines", N_FORKS, N_THREADS, total);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fork/while-logging", test_fork_while_logging);
  return g_test_run ();
}
