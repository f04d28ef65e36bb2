/* test-fork-ops.c: fork() during every public operation; the child logs
 * at once
 *
 * One thread runs every kind of operation in a loop: parse_logs(),
 * set_logs(), a GSettings change applied by the binding, registering a
 * log, moving TORCH_LOGS_OUT, a trace record, a flush. Two threads log.
 * The main thread forks children meanwhile, at whatever point the
 * operations thread has reached; each child at once logs, reconfigures,
 * writes a trace record, flushes and exits. A child that inherited a lock
 * held by one of the parent's other threads would hang: each must finish
 * (wait_child() only gives up, failing, after a minute).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define TL_LOG_DOMAIN "forkops"
#include "reliability-util.h"

#define N_FORKS 60

static gint stop;
static gint operations;   /* rounds of operations done so far */
static char *out_paths[2];

static gpointer
logging_thread (gpointer data)
{
  for (guint i = 0; !g_atomic_int_get (&stop); i++)
    {
      tl_info ("parent line %u", i);
      tl_debug ("parent debug %u", i);
    }
  return NULL;
}

static char *
trace_payload (gpointer user_data)
{
  return g_strdup ("payload line\n");
}

static gpointer
operations_thread (gpointer data)
{
  TlRegistry *registry = tl_registry_get_default ();
  GMainContext *context = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  GSettings *settings;

  /* The binding applies changes in the context it was made in: this one. */
  g_main_context_push_thread_default (context);
  g_assert_true (tl_registry_bind_settings_for_app (registry, "org.example.ForkOps", &error));
  g_assert_no_error (error);
  settings = tl_registry_get_settings (registry);

  for (guint i = 0; !g_atomic_int_get (&stop); i++)
    {
      g_autofree char *name = g_strdup_printf ("forkops.extra%u", i % 50);
      const char *domains[] = { name, NULL };

      g_assert_true (tl_registry_parse_logs (registry, i % 2 ? "+forkops" : "forkops,+dynamo", &error));
      g_assert_true (tl_registry_set_logs (registry, &error, "forkops", TL_LEVEL_INFO,
                                           "graph_code", i % 2, NULL));
      g_settings_set_string (settings, "logs", i % 2 ? "+forkops" : "");
      while (g_main_context_iteration (context, FALSE))
        ;
      tl_registry_register_log (registry, name, domains, NULL);
      g_assert_true (tl_registry_set_output_file (registry, out_paths[i % 2], &error));
      tl_trace_structured ("fork_ops", NULL, trace_payload, NULL);
      tl_registry_flush (registry);
      g_atomic_int_inc (&operations);
    }

  tl_registry_unbind_settings (registry);
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
  return NULL;
}

static void
child_main (guint index)
{
  TlRegistry *registry = tl_registry_get_default ();
  g_autoptr(GError) error = NULL;

  tl_info ("child %u at once", index);
  if (!tl_registry_parse_logs (registry, "+forkops", &error))
    _exit (3);
  if (!tl_registry_set_logs (registry, &error, "forkops", TL_LEVEL_DEBUG, NULL))
    _exit (4);
  tl_debug ("child %u reconfigured", index);
  tl_trace_structured ("fork_child", NULL, trace_payload, NULL);
  tl_registry_flush (registry);
  /* As in test-fork.c: execve() rather than _exit() keeps valgrind from
   * checking the child for the parent's vanished threads' memory. */
  execl ("/bin/true", "true", (char *) NULL);
  _exit (0);
}

static void
test_fork_during_operations (void)
{
  TlRegistry *registry = tl_registry_get_default ();
  const char * const domains[] = { "forkops", NULL };
  g_autofree char *dir = g_dir_make_tmp ("torchlog-fork-ops-XXXXXX", NULL);
  g_autofree char *trace_dir = g_build_filename (dir, "trace", NULL);
  g_autoptr(GError) error = NULL;
  GThread *loggers[2], *operator;
  int saved_stderr, devnull;

  out_paths[0] = g_build_filename (dir, "a.log", NULL);
  out_paths[1] = g_build_filename (dir, "b.log", NULL);
  /* Read once, at the first trace record. */
  g_setenv ("TORCH_TRACE", trace_dir, TRUE);
  tl_registry_add_pytorch_registrations (registry);
  tl_registry_register_log (registry, "forkops", domains, "The fork test.");
  tl_registry_install_writer (registry);

  /* Lines go to the files; stderr would only flood the test log. */
  saved_stderr = dup (STDERR_FILENO);
  devnull = open ("/dev/null", O_WRONLY);
  dup2 (devnull, STDERR_FILENO);
  close (devnull);

  operator = g_thread_new ("operations", operations_thread, NULL);
  for (guint t = 0; t < G_N_ELEMENTS (loggers); t++)
    loggers[t] = g_thread_new ("logger", logging_thread, NULL);

  for (guint f = 0; f < N_FORKS; f++)
    {
      int seen = g_atomic_int_get (&operations);
      pid_t pid;
      int status;

      /* Fork at a different point of the operations each time: wait for
       * the operations thread to have moved on since the last fork. */
      while (g_atomic_int_get (&operations) == seen)
        g_thread_yield ();
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        child_main (f);
      status = wait_child (pid, 60);
      if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
        g_error ("child %u ended with status %d", f, status);
    }

  g_atomic_int_set (&stop, 1);
  g_thread_join (operator);
  for (guint t = 0; t < G_N_ELEMENTS (loggers); t++)
    g_thread_join (loggers[t]);
  tl_registry_flush (registry);
  dup2 (saved_stderr, STDERR_FILENO);
  close (saved_stderr);

  g_assert_cmpint (g_atomic_int_get (&operations), >=, N_FORKS);
  g_free (out_paths[0]);
  g_free (out_paths[1]);
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_SCHEMA_DIR", TL_TEST_SCHEMA_DIR, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fork/during-every-operation", test_fork_during_operations);
  return g_test_run ();
}
