/* reliability-util.h: helpers shared by the reliability tests
 * (test-hostile, test-faults, test-stress, test-fork)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <signal.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <torchlog/torchlog.h>

/* stderr swapped for a file while a test runs, so what torchlog writes
 * there can be checked (and does not flood the test log). */
typedef struct {
  int   saved_fd;
  char *path;
} StderrCapture;

static inline void
stderr_capture_begin (StderrCapture *capture)
{
  int fd;

  capture->path = g_build_filename (g_get_tmp_dir (), "torchlog-stderr-XXXXXX", NULL);
  fd = g_mkstemp (capture->path);
  g_assert_cmpint (fd, >=, 0);
  capture->saved_fd = dup (STDERR_FILENO);
  g_assert_cmpint (capture->saved_fd, >=, 0);
  g_assert_cmpint (dup2 (fd, STDERR_FILENO), ==, STDERR_FILENO);
  close (fd);
}

/* Restores stderr; returns what was written to it meanwhile. */
static inline char *
stderr_capture_end (StderrCapture *capture, gsize *length)
{
  char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (dup2 (capture->saved_fd, STDERR_FILENO), ==, STDERR_FILENO);
  close (capture->saved_fd);
  g_file_get_contents (capture->path, &contents, length, &error);
  g_assert_no_error (error);
  g_unlink (capture->path);
  g_free (capture->path);
  return contents;
}

/* The test's own stderr while stderr_silence_begin() points fd 2 at
 * /dev/null: what must be seen even then (a hung child's stacks) is
 * written here. */
static int test_stderr_fd = STDERR_FILENO;

/* Points stderr at /dev/null while threads log copiously; the children
 * forked meanwhile keep it, so tests write their sanitizer reports to
 * log_path files. */
static inline void
stderr_silence_begin (void)
{
  int devnull = open ("/dev/null", O_WRONLY | O_CLOEXEC);

  g_assert_cmpint (devnull, >=, 0);
  test_stderr_fd = dup (STDERR_FILENO);
  g_assert_cmpint (test_stderr_fd, >=, 0);
  g_assert_cmpint (dup2 (devnull, STDERR_FILENO), ==, STDERR_FILENO);
  close (devnull);
}

static inline void
stderr_silence_end (void)
{
  g_assert_cmpint (dup2 (test_stderr_fd, STDERR_FILENO), ==, STDERR_FILENO);
  close (test_stderr_fd);
  test_stderr_fd = STDERR_FILENO;
}

/* Ends a forked child (which has flushed) with status 0, or 1 if
 * @failed. By execve() of /bin/true or /bin/false rather than _exit():
 * valgrind would otherwise run its leak check in the child, where the
 * buffers of the parent's vanished threads are unreachable by nature, and
 * turn the status into its error code. */
static inline void G_GNUC_NORETURN
child_exit (gboolean failed)
{
  if (failed)
    execl ("/bin/false", "false", (char *) NULL);
  else
    execl ("/bin/true", "true", (char *) NULL);
  _exit (failed ? 1 : 0);
}

static inline char *
read_whole_file (const char *path, gsize *length)
{
  char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

static inline gsize
count_occurrences (const char *haystack, const char *needle)
{
  gsize n = 0;
  gsize len = strlen (needle);
  const char *cursor = haystack;

  /* No pointer subtraction: GCC 12's -Wdangling-pointer misreads it
   * once this is inlined next to a g_autofree buffer. */
  while ((cursor = strstr (cursor, needle)) != NULL)
    {
      n++;
      cursor += len;
    }
  return n;
}

/* A private registry with one log `app` (domain `app`) at DEBUG. */
static inline TlRegistry *
app_registry_new (void)
{
  const char * const domains[] = { "app", NULL };
  TlRegistry *registry = tl_registry_new ();
  g_autoptr(GError) error = NULL;

  tl_registry_register_log (registry, "app", domains, "The test application.");
  tl_registry_parse_logs (registry, "+app", &error);
  g_assert_no_error (error);
  return registry;
}

/* Hands one record to @registry's writer, as GLib does. A negative
 * @message_len means NUL-terminated. */
static inline void
write_record (TlRegistry     *registry,
              GLogLevelFlags  level,
              const char     *domain,
              const char     *message,
              gssize          message_len)
{
  const GLogField fields[] = {
    { "GLIB_DOMAIN", domain, -1 },
    { "MESSAGE", message, message_len },
    { "CODE_FILE", "reliability.c", -1 },
    { "CODE_LINE", "7", -1 },
    { "CODE_FUNC", "write_record", -1 },
  };

  g_assert_cmpint (tl_registry_write (registry, level, fields, G_N_ELEMENTS (fields)),
                   ==, G_LOG_WRITER_HANDLED);
}

/* Waits up to @seconds for @pid; kills it and fails if it hangs. */
static inline int
wait_child (pid_t pid, int seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  int status;

  for (;;)
    {
      pid_t done = waitpid (pid, &status, WNOHANG);

      if (done == pid)
        return status;
      g_assert_cmpint (done, ==, 0);
      if (g_get_monotonic_time () > deadline)
        {
          /* Say where it waits: the lock it inherited held is named in
           * its stacks (gdb is part of the test packages). On the test's
           * stderr, which meson prints for a failed test (stdout is TAP),
           * even while fd 2 is silenced. */
          g_autofree char *gdb = g_strdup_printf ("gdb -p %d -batch -nx -ex 'thread apply all bt' "
                                                  "</dev/null 2>&1 | sed 's/^/# /' >&%d",
                                                  (int) pid, test_stderr_fd);

          fflush (stdout);
          if (system (gdb) != 0)
            dprintf (test_stderr_fd, "gdb could not read the stacks of child %d\n", (int) pid);
          kill (pid, SIGKILL);
          waitpid (pid, &status, 0);
          dprintf (test_stderr_fd, "child %d still running after %d s: a lock was inherited held\n",
                   (int) pid, seconds);
          g_error ("child %d still running after %d s: a lock was inherited held",
                   (int) pid, seconds);
        }
      g_usleep (1000);
    }
}

/* GCC 12's AddressSanitizer does not hold its allocator's locks across
 * fork(): a child forked while another thread is inside malloc() hangs in
 * its own first malloc(), whatever the program does (newer sanitizer
 * runtimes lock the allocator at fork). Under ASan only, the threads
 * therefore log under a read lock that the forking thread takes for
 * writing, so that no thread is inside malloc() at the fork; the fork
 * tests keep their full strength in the plain, valgrind and TSan runs. */
#if defined(__SANITIZE_ADDRESS__)
#include <pthread.h>
G_GNUC_UNUSED static pthread_rwlock_t asan_fork_lock;
#define ASAN_FORK_LOCK_INIT() G_STMT_START {                                   \
    pthread_rwlockattr_t attr;                                                 \
    pthread_rwlockattr_init (&attr);                                           \
    pthread_rwlockattr_setkind_np (&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP); \
    pthread_rwlock_init (&asan_fork_lock, &attr);                              \
  } G_STMT_END
#define ASAN_LOGGING_BEGIN() pthread_rwlock_rdlock (&asan_fork_lock)
#define ASAN_LOGGING_END() pthread_rwlock_unlock (&asan_fork_lock)
#define ASAN_FORK_BEGIN() pthread_rwlock_wrlock (&asan_fork_lock)
#define ASAN_FORK_END() pthread_rwlock_unlock (&asan_fork_lock)
#else
#define ASAN_FORK_LOCK_INIT()
#define ASAN_LOGGING_BEGIN()
#define ASAN_LOGGING_END()
#define ASAN_FORK_BEGIN()
#define ASAN_FORK_END()
#endif

/* The lines of @text that mention @needle. */
static inline guint
count_lines_with (const char *text, const char *needle)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (gsize i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], needle) != NULL)
      n++;
  return n;
}

/* The one line of @text that mentions @needle. */
static inline char *
line_with (const char *text, const char *needle)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (gsize i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], needle) != NULL)
      return g_strdup (lines[i]);
  return NULL;
}
