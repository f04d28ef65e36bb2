/* test-faults.c: output faults never crash the program nor lose stderr
 *
 * TORCH_LOGS_OUT that cannot be opened (a parent that is a file, no
 * permission, /proc, a directory), that fails on write (/dev/full, a pipe
 * whose reader is gone), that is removed mid-run; stderr closed or a
 * closed pipe (no death by SIGPIPE); EINTR and partial writes on a pipe
 * with a slow reader while signals arrive. In every case: no crash, at
 * most ONE warning, naming the path and the error; the records still go
 * to stderr; every line that is written is written whole.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "reliability-util.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

/* ---- helpers -------------------------------------------------------- */

/* Runs tl_registry_init_logs() with TORCH_LOGS_OUT=@path on an `app`
 * registry, logs @n records, flushes; returns stderr. */
static char *
run_with_output (const char *path, guint n)
{
  g_autoptr(TlRegistry) registry = app_registry_new ();
  g_autoptr(GError) error = NULL;
  StderrCapture capture;
  gsize len;

  g_setenv ("TORCH_LOGS_OUT", path, TRUE);
  stderr_capture_begin (&capture);
  /* TORCH_LOGS is unset: the +app of set-up is kept. */
  g_assert_true (tl_registry_init_logs (registry, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *message = g_strdup_printf ("fault record %u", i);
      write_record (registry, G_LOG_LEVEL_INFO, "app", message, -1);
    }
  tl_registry_flush (registry);
  g_clear_object (&registry);
  g_unsetenv ("TORCH_LOGS_OUT");
  return stderr_capture_end (&capture, &len);
}

/* One warning naming @path and @error_text, and every record on stderr. */
static void
assert_one_warning (const char *err, const char *path, const char *error_text, guint n)
{
  g_autofree char *warning = NULL;

  g_test_message ("stderr: %.300s", err);
  g_assert_cmpuint (count_lines_with (err, path), ==, 1);
  warning = line_with (err, path);
  g_test_message ("the warning: %s", warning);
  if (error_text != NULL)
    g_assert_nonnull (strstr (warning, error_text));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *message = g_strdup_printf ("] fault record %u\n", i);
      g_assert_cmpuint (count_occurrences (err, message), ==, 1);
    }
}

/* ---- opening -------------------------------------------------------- */

static void
check_unopenable (const char *path, int expected_errno)
{
  g_autofree char *err = run_with_output (path, 20);
  g_autoptr(TlRegistry) registry = app_registry_new ();
  g_autoptr(GError) error = NULL;

  assert_one_warning (err, path, expected_errno ? g_strerror (expected_errno) : NULL, 20);

  /* From code: a GError naming the path and the error, outputs kept. */
  g_assert_false (tl_registry_set_output_file (registry, path, &error));
  g_assert_error (error, TL_ERROR, TL_ERROR_OUTPUT);
  g_assert_nonnull (strstr (error->message, path));
  if (expected_errno)
    g_assert_nonnull (strstr (error->message, g_strerror (expected_errno)));
}

static void
test_open_parent_is_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("torchlog-faults-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "regular", NULL);
  g_autofree char *path = g_build_filename (file, "out.log", NULL);

  /* Fails even for root: a path below a regular file. */
  g_assert_true (g_file_set_contents (file, "", 0, NULL));
  check_unopenable (path, ENOTDIR);
  g_unlink (file);
  g_rmdir (dir);
}

static void
test_open_proc (void)
{
  /* Nobody, root included, creates files in /proc. */
  check_unopenable ("/proc/self/torchlog-out.log", 0);
}

static void
test_open_directory (void)
{
  g_autofree char *dir = g_dir_make_tmp ("torchlog-faults-XXXXXX", NULL);

  check_unopenable (dir, EISDIR);
  g_rmdir (dir);
}

static void
test_open_no_permission (void)
{
  g_autofree char *dir = g_dir_make_tmp ("torchlog-faults-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.log", NULL);

  g_assert_cmpint (g_chmod (dir, 0555), ==, 0);
  /* Root ignores permissions: the check runs as `nobody` in a child. */
  if (g_test_subprocess ())
    {
      if (geteuid () == 0)
        {
          g_assert_cmpint (setgid (65534), ==, 0);
          g_assert_cmpint (setuid (65534), ==, 0);
        }
      check_unopenable (g_getenv ("TORCHLOG_TEST_PATH"), EACCES);
      return;
    }
  g_setenv ("TORCHLOG_TEST_PATH", path, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("TORCHLOG_TEST_PATH");
  g_chmod (dir, 0755);
  g_rmdir (dir);
  g_test_trap_assert_passed ();
}

/* ---- writing ------------------------------------------------------- */

static void
test_write_dev_full (void)
{
  g_autofree char *err = run_with_output ("/dev/full", 2000);

  assert_one_warning (err, "/dev/full", g_strerror (ENOSPC), 2000);
}

static void
test_write_closed_pipe_file (void)
{
  g_autoptr(TlRegistry) registry = app_registry_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *err = NULL;
  StderrCapture capture;
  int fds[2];
  gsize len;

  /* A pipe as TORCH_LOGS_OUT, whose reader goes away: EPIPE, and SIGPIPE
   * must not kill the program (the test would die here). */
  g_assert_cmpint (pipe (fds), ==, 0);
  path = g_strdup_printf ("/proc/self/fd/%d", fds[1]);
  g_assert_true (tl_registry_set_output_file (registry, path, &error));
  g_assert_no_error (error);
  close (fds[0]);
  close (fds[1]);

  stderr_capture_begin (&capture);
  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *message = g_strdup_printf ("fault record %u", i);
      write_record (registry, G_LOG_LEVEL_INFO, "app", message, -1);
    }
  tl_registry_flush (registry);
  g_clear_object (&registry);
  err = stderr_capture_end (&capture, &len);
  assert_one_warning (err, path, g_strerror (EPIPE), 500);
}

static void
test_open_fifo_without_reader (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *err = run_with_output (g_getenv ("TORCHLOG_TEST_PATH"), 20);

      /* No hang waiting for a reader that may never come, and a warning. */
      assert_one_warning (err, g_getenv ("TORCHLOG_TEST_PATH"), NULL, 20);
      return;
    }
  {
    g_autofree char *dir = g_dir_make_tmp ("torchlog-faults-XXXXXX", NULL);
    g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);

    g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
    g_setenv ("TORCHLOG_TEST_PATH", fifo, TRUE);
    g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_unsetenv ("TORCHLOG_TEST_PATH");
    g_unlink (fifo);
    g_rmdir (dir);
    g_test_trap_assert_passed ();
  }
}

static void
test_write_file_removed (void)
{
  g_autofree char *dir = g_dir_make_tmp ("torchlog-faults-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.log", NULL);
  g_autoptr(TlRegistry) registry = app_registry_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  StderrCapture capture;
  gsize len;

  stderr_capture_begin (&capture);
  g_assert_true (tl_registry_set_output_file (registry, path, &error));
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *message = g_strdup_printf ("fault record %u", i);

      if (i == 100)
        {
          tl_registry_flush (registry);
          g_assert_cmpint (g_unlink (path), ==, 0);
        }
      if (i == 200)
        g_assert_cmpint (g_rmdir (dir), ==, 0);
      write_record (registry, G_LOG_LEVEL_INFO, "app", message, -1);
    }
  tl_registry_flush (registry);
  g_clear_object (&registry);
  err = stderr_capture_end (&capture, &len);
  /* Nothing lost on stderr, and no crash. */
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *message = g_strdup_printf ("] fault record %u\n", i);
      g_assert_cmpuint (count_occurrences (err, message), ==, 1);
    }
  /* If the file was created again, it holds whole lines only. */
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *text = read_whole_file (path, &len);
      g_assert_true (len == 0 || text[len - 1] == '\n');
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_stderr_closed (void)
{
  if (g_test_subprocess ())
    {
      const char *path = g_getenv ("TORCHLOG_TEST_PATH");
      g_autoptr(TlRegistry) registry = app_registry_new ();
      g_autofree char *text = NULL;
      gsize len;

      /* With fd 2 free, the next open() gets it: the library must not
       * take its file for stderr and write every line twice. */
      close (STDERR_FILENO);
      g_setenv ("TORCH_LOGS_OUT", path, TRUE);
      g_assert_true (tl_registry_init_logs (registry, NULL));
      for (guint i = 0; i < 100; i++)
        {
          g_autofree char *message = g_strdup_printf ("fault record %u", i);
          write_record (registry, G_LOG_LEVEL_INFO, "app", message, -1);
        }
      tl_registry_flush (registry);
      text = read_whole_file (path, &len);
      for (guint i = 0; i < 100; i++)
        {
          g_autofree char *message = g_strdup_printf ("] fault record %u\n", i);
          if (count_occurrences (text, message) != 1)
            {
              g_printerr ("record %u found %" G_GSIZE_FORMAT " times\n", i,
                          count_occurrences (text, message));
              exit (1);
            }
        }
      return;
    }
  {
    g_autofree char *dir = g_dir_make_tmp ("torchlog-faults-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "out.log", NULL);

    g_setenv ("TORCHLOG_TEST_PATH", path, TRUE);
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_unsetenv ("TORCHLOG_TEST_PATH");
    g_unlink (path);
    g_rmdir (dir);
    g_test_trap_assert_passed ();
  }
}

static void
test_stderr_closed_pipe (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(TlRegistry) registry = app_registry_new ();
      int fds[2];

      /* stderr a pipe nobody reads any more, SIGPIPE at its default
       * (terminate): torchlog must neither die nor stop logging. */
      signal (SIGPIPE, SIG_DFL);
      g_assert_cmpint (pipe (fds), ==, 0);
      g_assert_cmpint (dup2 (fds[1], STDERR_FILENO), ==, STDERR_FILENO);
      close (fds[0]);
      close (fds[1]);
      for (guint i = 0; i < 1000; i++)
        write_record (registry, G_LOG_LEVEL_WARNING, "app", "into a closed pipe", -1);
      tl_registry_flush (registry);
      /* And SIGPIPE is back at what the program had. */
      {
        struct sigaction action;
        sigset_t blocked;
        g_assert_cmpint (sigaction (SIGPIPE, NULL, &action), ==, 0);
        g_assert_true (action.sa_handler == SIG_DFL);
        g_assert_cmpint (pthread_sigmask (SIG_BLOCK, NULL, &blocked), ==, 0);
        g_assert_false (sigismember (&blocked, SIGPIPE));
      }
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* ---- EINTR and partial writes -------------------------------------- */

typedef struct {
  int         fd;
  GString    *received;
  const char *until;     /* stop once the data ends with this */
} SlowReader;

/* Reads in small bites with pauses, so that the writer's pipe is full and
 * its write() returns partial counts and EINTR. */
static gpointer
slow_reader (gpointer data)
{
  SlowReader *reader = data;
  char buffer[4096];

  for (guint round = 0;; round++)
    {
      ssize_t got = read (reader->fd, buffer, round % 4 == 0 ? 700 : sizeof buffer);

      if (got == 0)
        break;
      if (got < 0)
        {
          g_assert_cmpint (errno, ==, EINTR);
          continue;
        }
      g_string_append_len (reader->received, buffer, got);
      /* Not EOF: a thread may keep the output it last used (and so the
       * file) open until it logs again. */
      if (g_str_has_suffix (reader->received->str, reader->until))
        break;
      if (round % 8 == 0)
        g_usleep (200);
    }
  return NULL;
}

static volatile sig_atomic_t alarms;

static void
on_alarm (int signo)
{
  alarms++;
}

/* Records of 100 KB and more (larger than a pipe's buffer), each one a
 * line `… record N: xxx…x end N`. */
static char *
big_message (guint i)
{
  gsize size = 100000 + (i * 7919) % 50000;
  g_autofree char *fill = g_strnfill (size, 'a' + i % 26);

  return g_strdup_printf ("record %u: %s end %u", i, fill, i);
}

static void
check_received (const char *text, guint n)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint next = 0;

  for (gsize l = 0; lines[l] != NULL; l++)
    {
      g_autofree char *expected = NULL;
      const char *body;

      if (lines[l][0] == '\0')
        continue;
      body = strstr (lines[l], "] record ");
      if (body == NULL)
        continue;   /* a warning of torchlog's own, if any */
      g_assert_cmpuint (next, <, n);
      expected = big_message (next);
      /* Whole, and in order. */
      g_assert_cmpstr (body + 2, ==, expected);
      next++;
    }
  g_assert_cmpuint (next, ==, n);
}

/* Fires SIGALRM every 500 µs at the process, without SA_RESTART: a
 * blocked write() returns EINTR or a partial count. */
static void
start_alarms (void)
{
  struct sigaction action = { 0 };
  struct itimerval timer = { { 0, 500 }, { 0, 500 } };

  action.sa_handler = on_alarm;
  sigemptyset (&action.sa_mask);
  action.sa_flags = 0;
  g_assert_cmpint (sigaction (SIGALRM, &action, NULL), ==, 0);
  g_assert_cmpint (setitimer (ITIMER_REAL, &timer, NULL), ==, 0);
}

static void
stop_alarms (void)
{
  struct itimerval timer = { { 0, 0 }, { 0, 0 } };

  setitimer (ITIMER_REAL, &timer, NULL);
  /* Ignored from now on: valgrind may still deliver a late SIGALRM, and
   * the default action would end the test. */
  signal (SIGALRM, SIG_IGN);
}

/* The reader thread must not take the signals: they are for the writer. */
static GThread *
start_reader (SlowReader *reader)
{
  sigset_t alarm_set, old;
  GThread *thread;

  sigemptyset (&alarm_set);
  sigaddset (&alarm_set, SIGALRM);
  pthread_sigmask (SIG_BLOCK, &alarm_set, &old);
  thread = g_thread_new ("slow-reader", slow_reader, reader);
  pthread_sigmask (SIG_SETMASK, &old, NULL);
  return thread;
}

static void
test_eintr_partial_stderr (void)
{
  const guint n = 60;
  g_autoptr(TlRegistry) registry = app_registry_new ();
  g_autofree char *last = g_strdup_printf (" end %u\n", n - 1);
  SlowReader reader = { -1, g_string_new (NULL), last };
  GThread *thread;
  int fds[2], saved;

  g_assert_cmpint (pipe (fds), ==, 0);
  reader.fd = fds[0];
  thread = start_reader (&reader);
  saved = dup (STDERR_FILENO);
  g_assert_cmpint (dup2 (fds[1], STDERR_FILENO), ==, STDERR_FILENO);
  close (fds[1]);

  alarms = 0;
  start_alarms ();
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *message = big_message (i);
      write_record (registry, G_LOG_LEVEL_INFO, "app", message, -1);
    }
  tl_registry_flush (registry);
  stop_alarms ();

  dup2 (saved, STDERR_FILENO);
  close (saved);
  g_thread_join (thread);
  close (fds[0]);
  g_test_message ("%d signals during %u records (%" G_GSIZE_FORMAT " bytes)",
                  (int) alarms, n, reader.received->len);
  g_assert_cmpint (alarms, >, 0);
  check_received (reader.received->str, n);
  g_string_free (reader.received, TRUE);
}

static void
test_eintr_partial_file (void)
{
  const guint n = 60;
  g_autofree char *dir = g_dir_make_tmp ("torchlog-faults-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autoptr(TlRegistry) registry = app_registry_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *last = g_strdup_printf (" end %u\n", n - 1);
  SlowReader reader = { -1, g_string_new (NULL), last };
  g_autofree char *err = NULL;
  StderrCapture capture;
  GThread *thread;
  gsize len;

  /* TORCH_LOGS_OUT is a FIFO with a slow reader. */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  reader.fd = open (fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  g_assert_cmpint (reader.fd, >=, 0);
  g_assert_cmpint (fcntl (reader.fd, F_SETFL, 0), ==, 0);
  g_assert_true (tl_registry_set_output_file (registry, fifo, &error));
  g_assert_no_error (error);
  thread = start_reader (&reader);

  stderr_capture_begin (&capture);
  alarms = 0;
  start_alarms ();
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *message = big_message (i);
      write_record (registry, G_LOG_LEVEL_INFO, "app", message, -1);
    }
  tl_registry_flush (registry);
  stop_alarms ();
  g_thread_join (thread);
  g_clear_object (&registry);
  err = stderr_capture_end (&capture, &len);
  close (reader.fd);

  g_test_message ("%d signals during %u records (%" G_GSIZE_FORMAT " bytes)",
                  (int) alarms, n, reader.received->len);
  g_assert_cmpint (alarms, >, 0);
  check_received (reader.received->str, n);
  check_received (err, n);
  g_string_free (reader.received, TRUE);
  g_unlink (fifo);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/faults/open/parent-is-file", test_open_parent_is_file);
  g_test_add_func ("/faults/open/proc", test_open_proc);
  g_test_add_func ("/faults/open/directory", test_open_directory);
  g_test_add_func ("/faults/open/no-permission", test_open_no_permission);
  g_test_add_func ("/faults/open/fifo-without-reader", test_open_fifo_without_reader);
  g_test_add_func ("/faults/write/dev-full", test_write_dev_full);
  g_test_add_func ("/faults/write/closed-pipe-file", test_write_closed_pipe_file);
  g_test_add_func ("/faults/write/file-removed", test_write_file_removed);
  g_test_add_func ("/faults/stderr/closed", test_stderr_closed);
  g_test_add_func ("/faults/stderr/closed-pipe", test_stderr_closed_pipe);
  g_test_add_func ("/faults/eintr-partial/stderr", test_eintr_partial_stderr);
  g_test_add_func ("/faults/eintr-partial/file", test_eintr_partial_file);

  return g_test_run ();
}
