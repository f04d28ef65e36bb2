/* test-fork-once.c: a child forked during a one-time initialisation can log
 *
 * GLib's g_once_init_enter() keeps the locations being initialised in a
 * global list that fork() does not reset: a child forked while another
 * thread was creating the default registry (its first log call) waited in
 * its own first log call for that thread, which it does not have, forever
 * (test-fork, once in a few hundred runs on a loaded machine, where a
 * logging thread started late).
 *
 * Here the window is held open and the fork lands in it every time. The
 * test interposes its own g_getenv() (the library's calls resolve to the
 * program's definition first): when the default registry, being created
 * by the first log call of another thread, reads RANK, that thread says
 * so and waits until the main thread has forked. The child then logs and
 * reads the default registry at once; it must finish, and its line must
 * reach the file. Everything waits on events, never on a guess of time.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define TL_LOG_DOMAIN "forkonce"
#include "reliability-util.h"

#include <dlfcn.h>
#include <pthread.h>

/* POSIX, which ThreadSanitizer sees (GLib 2.74's GMutex is a raw futex). */
static pthread_mutex_t window_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t  window_cond = PTHREAD_COND_INITIALIZER;
static gboolean holding;   /* the other thread is inside the initialisation */
static gboolean forked;    /* the main thread has forked: let it go on */
static pid_t parent_pid;

const gchar *
g_getenv (const gchar *variable)
{
  typedef const gchar *(*GetenvFunc) (const gchar *);
  static gpointer real_symbol;
  GetenvFunc real;

  if (g_atomic_pointer_get (&real_symbol) == NULL)
    g_atomic_pointer_set (&real_symbol, dlsym (RTLD_NEXT, "g_getenv"));
  real = (GetenvFunc) g_atomic_pointer_get (&real_symbol);

  /* Only in the parent, only the first time the registry reads RANK. */
  if (strcmp (variable, "RANK") == 0 && parent_pid != 0 && getpid () == parent_pid)
    {
      pthread_mutex_lock (&window_lock);
      if (!holding && !forked)
        {
          holding = TRUE;
          pthread_cond_broadcast (&window_cond);
          while (!forked)
            pthread_cond_wait (&window_cond, &window_lock);
        }
      pthread_mutex_unlock (&window_lock);
    }
  return real (variable);
}

static gpointer
first_logger (gpointer unused)
{
  /* The first log call of the process: it creates the default registry
   * (pthread_once) and finds its plan slot (pthread_once). */
  tl_info ("parent's first line");
  return NULL;
}

static void
test_fork_during_default_registry_creation (void)
{
  g_autofree char *dir = g_dir_make_tmp ("torchlog-fork-once-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "child.log", NULL);
  g_autofree char *text = NULL;
  GThread *thread;
  pid_t pid;
  int status;
  gsize len;

  parent_pid = getpid ();
  thread = g_thread_new ("first-logger", first_logger, NULL);
  pthread_mutex_lock (&window_lock);
  while (!holding)
    pthread_cond_wait (&window_cond, &window_lock);
  pthread_mutex_unlock (&window_lock);

  pid = fork ();
  if (pid == 0)
    {
      const char * const domains[] = { "forkonce", NULL };
      g_autoptr(GError) error = NULL;
      TlRegistry *registry = tl_registry_get_default ();

      if (registry == NULL)
        _exit (3);
      tl_registry_register_log (registry, "forkonce", domains, "The fork test.");
      tl_registry_install_writer (registry);
      if (
          !tl_registry_parse_logs (registry, "forkonce", &error) ||
          !tl_registry_set_output_file (registry, path, &error))
        _exit (3);
      tl_info ("child's line");
      tl_registry_flush (registry);
      child_exit (FALSE);
    }
  g_assert_cmpint (pid, >, 0);

  pthread_mutex_lock (&window_lock);
  forked = TRUE;
  pthread_cond_broadcast (&window_cond);
  pthread_mutex_unlock (&window_lock);
  g_thread_join (thread);

  status = wait_child (pid, 20);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  text = read_whole_file (path, &len);
  g_assert_nonnull (strstr (text, "] child's line\n"));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fork/during-default-registry-creation",
                   test_fork_during_default_registry_creation);
  return g_test_run ();
}
