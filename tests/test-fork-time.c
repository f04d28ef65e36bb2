/* test-fork-time.c: no fork() falls inside torchlog's localtime_r()
 *
 * glibc's localtime_r() holds a process-wide lock that fork() does not
 * reset: a child forked while a logging thread was converting a time hung
 * in its first log line (test-fork, 1 run in 32 on a loaded machine).
 *
 * This test makes that window wide and watches it. It interposes its own
 * localtime_r() (the library's calls resolve to the program's definition
 * first), which counts the threads inside and yields the CPU many times
 * before converting. Four threads log with a %(asctime)s format, so every
 * line converts a time, while the main thread forks. A fork handler the
 * test installs after the library's reads the count in the child: it must
 * be zero, as torchlog takes its time lock before fork(). Without that
 * lock nearly every fork lands inside the window.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define TL_LOG_DOMAIN "forktime"
#include "reliability-util.h"

#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>

#define N_THREADS 4
#define N_FORKS 200

static gint inside;          /* threads inside localtime_r() now */
static gint conversions;     /* calls so far */
static gint inside_at_fork;  /* in the child: the count it inherited */
static gint stop_logging;

struct tm *
localtime_r (const time_t *timep, struct tm *result)
{
  typedef struct tm *(*LocaltimeR) (const time_t *, struct tm *);
  static gpointer real_symbol;
  LocaltimeR real;
  struct tm *tm;

  if (g_atomic_pointer_get (&real_symbol) == NULL)
    g_atomic_pointer_set (&real_symbol, dlsym (RTLD_NEXT, "localtime_r"));
  real = (LocaltimeR) g_atomic_pointer_get (&real_symbol);
  g_atomic_int_inc (&inside);
  g_atomic_int_inc (&conversions);
  for (int i = 0; i < 50; i++)
    sched_yield ();
  tm = real (timep, result);
  g_atomic_int_add (&inside, -1);
  return tm;
}

static void
read_count_in_child (void)
{
  inside_at_fork = g_atomic_int_get (&inside);
}

static gpointer
logging_thread (gpointer data)
{
  while (!g_atomic_int_get (&stop_logging))
    {
      ASAN_LOGGING_BEGIN ();   /* see reliability-util.h */
      tl_info ("thread %u", GPOINTER_TO_UINT (data));
      ASAN_LOGGING_END ();
    }
  return NULL;
}

static void
test_no_fork_inside_localtime (void)
{
  TlRegistry *registry = tl_registry_get_default ();
  const char * const domains[] = { "forktime", NULL };
  g_autofree char *dir = g_dir_make_tmp ("torchlog-fork-time-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.log", NULL);
  g_autoptr(GError) error = NULL;
  GThread *threads[N_THREADS];
  guint failures = 0;

  tl_registry_register_log (registry, "forktime", domains, "The fork-time test.");
  tl_registry_install_writer (registry);
  g_assert_true (tl_registry_parse_logs (registry, "forktime", &error));
  g_assert_true (tl_registry_set_output_file (registry, path, &error));
  g_assert_true (tl_registry_set_format (registry, "%(asctime)s %(message)s", &error));
  g_assert_no_error (error);
  /* After the library's handlers: its prepare runs before theirs and its
   * child handler after theirs. */
  g_assert_cmpint (pthread_atfork (NULL, NULL, read_count_in_child), ==, 0);

  /* The lines go to the file too; on stderr they would only flood the
   * test log (sanitizer runs write their reports to log_path files). */
  stderr_silence_begin ();

  ASAN_FORK_LOCK_INIT ();
  for (guint t = 0; t < N_THREADS; t++)
    threads[t] = g_thread_new ("logger", logging_thread, GUINT_TO_POINTER (t));
  /* Every thread converts before the first fork, so the window is open. */
  while (g_atomic_int_get (&conversions) < 4 * N_THREADS)
    g_thread_yield ();
  for (guint f = 0; f < N_FORKS; f++)
    {
      pid_t pid;
      int status;

      ASAN_FORK_BEGIN ();
      pid = fork ();
      if (pid == 0)
        {
          if (inside_at_fork == 0)
            {
              tl_info ("child %u", f);   /* converts a time in the child */
              tl_registry_flush (registry);
            }
          child_exit (inside_at_fork != 0);
        }
      ASAN_FORK_END ();
      g_assert_cmpint (pid, >, 0);
      status = wait_child (pid, 60);
      g_assert_true (WIFEXITED (status));
      if (WEXITSTATUS (status) == 1)
        failures++;
      else
        g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    }
  g_atomic_int_set (&stop_logging, 1);
  for (guint t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);
  tl_registry_flush (registry);
  stderr_silence_end ();
  g_test_message ("%d conversions; %u of %d forks fell inside localtime_r()",
                  g_atomic_int_get (&conversions), failures, N_FORKS);
  g_assert_cmpuint (failures, ==, 0);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fork/not-inside-localtime", test_no_fork_inside_localtime);
  return g_test_run ();
}
