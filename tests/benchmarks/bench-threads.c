/* bench-threads.c: two threads logging enabled lines at once
 *
 * torchlog with TORCH_LOGS_OUT a file and stderr on /dev/null: one thread
 * logs N lines, then two threads log N lines each, repetitions
 * alternating. The two-thread run must not be slower in total (lines per
 * second at least those of one thread), and the file must hold every line
 * whole: each thread's lines complete and in order, none torn or mixed.
 * A lost or torn line fails the benchmark; a slow run is only reported.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define TL_LOG_DOMAIN "bench"
#include <torchlog/torchlog.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bench-common.h"

typedef struct {
  int    index;
  gint64 n;
} Job;

static gint start_flag;

static gpointer
log_lines (gpointer data)
{
  Job *job = data;

  while (!g_atomic_int_get (&start_flag))
    ;
  for (gint64 i = 0; i < job->n; i++)
    {
      tl_debug ("value t%d %ld of a line long enough to be realistic", job->index, (long) i);
      BENCH_BARRIER ();
    }
  return NULL;
}

/* Lines per second with @threads threads logging @n lines each. */
static double
run (TlRegistry *registry, const char *path, int threads, gint64 n)
{
  GThread *thread[2];
  Job jobs[2];
  g_autoptr(GError) error = NULL;
  double start, end;

  g_unlink (path);
  if (!tl_registry_set_output_file (registry, path, &error))
    g_error ("%s", error->message);
  g_atomic_int_set (&start_flag, FALSE);
  for (int t = 0; t < threads; t++)
    {
      jobs[t] = (Job) { t, n };
      thread[t] = g_thread_new ("bench", log_lines, &jobs[t]);
    }
  start = bench_now_ns ();
  g_atomic_int_set (&start_flag, TRUE);
  for (int t = 0; t < threads; t++)
    g_thread_join (thread[t]);
  tl_registry_flush (registry);
  end = bench_now_ns ();
  return threads * n / ((end - start) / 1e9);
}

/* Every line whole and every thread's lines complete and in order. */
static gboolean
check_file (const char *path, int threads, gint64 n)
{
  g_autofree char *text = NULL;
  gsize len;
  gint64 next[2] = { 0, 0 };
  gint64 lines = 0;
  char *p, *end;

  if (!g_file_get_contents (path, &text, &len, NULL))
    return FALSE;
  p = text;
  end = text + len;
  while (p < end)
    {
      char *nl = memchr (p, '\n', end - p);
      char *m;
      int t;
      long i;

      if (nl == NULL)
        {
          printf ("torn last line: %.*s\n", (int) (end - p), p);
          return FALSE;
        }
      *nl = '\0';
      m = strstr (p, "] value t");
      if (p[0] != 'V' || m == NULL ||
          sscanf (m, "] value t%d %ld of a line long enough to be realistic", &t, &i) != 2 ||
          !g_str_has_suffix (p, " of a line long enough to be realistic") ||
          t < 0 || t >= threads || i != next[t])
        {
          printf ("torn, mixed or lost line %" G_GINT64_FORMAT ": %s\n", lines + 1, p);
          return FALSE;
        }
      next[t]++;
      lines++;
      p = nl + 1;
    }
  for (int t = 0; t < threads; t++)
    if (next[t] != n)
      {
        printf ("thread %d: %" G_GINT64_FORMAT " lines of %" G_GINT64_FORMAT "\n", t, next[t], n);
        return FALSE;
      }
  return TRUE;
}

int
main (int argc, char **argv)
{
  BenchOptions options;
  TlRegistry *registry;
  const char *domains[] = { "bench", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) one = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) two = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *path = NULL;
  gboolean whole = TRUE;
  double a, b;
  int saved_stderr, null_fd, reps;
  gint64 n;

  bench_init (&argc, &argv, &options);
  g_unsetenv ("TORCH_LOGS_OUT");
  g_unsetenv ("TORCH_LOGS_FORMAT");
  g_setenv ("TORCH_LOGS", "+bench", TRUE);
  registry = tl_registry_get_default ();
  tl_registry_register_log (registry, "bench", domains, "the benchmark's component");
  tl_registry_install_writer (registry);
  if (!tl_registry_init_logs (registry, &error))
    g_error ("%s", error->message);

  path = bench_tmpfile ("threads.log");
  reps = bench_reps (&options, 7);
  n = bench_iters (&options, 400 * 1000);

  /* stderr on /dev/null while the threads log. */
  fflush (stderr);
  saved_stderr = dup (STDERR_FILENO);
  null_fd = open ("/dev/null", O_WRONLY);
  dup2 (null_fd, STDERR_FILENO);
  close (null_fd);
  for (int r = 0; r < reps; r++)
    {
      bench_add_sample (one, run (registry, path, 1, 2 * n));
      if (!check_file (path, 1, 2 * n))
        whole = FALSE;
      bench_add_sample (two, run (registry, path, 2, n));
      if (!check_file (path, 2, n))
        whole = FALSE;
    }
  tl_registry_set_output_file (registry, NULL, NULL);
  dup2 (saved_stderr, STDERR_FILENO);
  close (saved_stderr);
  g_unlink (path);

  a = bench_median (two);
  b = bench_median (one);
  /* As ns per line of the whole process, so that lower is better. */
  bench_report ("threads", "2 threads, enabled lines, ns per line (total throughput)", 1e9 / a,
                "torchlog 1 thread", 1e9 / b, "ns", "no torn or lost line; throughput >= 1 thread",
                whole && a >= b);
  bench_note ("threads-whole", "2 threads: every line whole, none lost (lines checked)",
              whole ? 2.0 * n * reps * 2 : 0, "lines", "all", whole);
  return whole ? 0 : 1;
}
