/* test-fork-ops.c: fork() during every public operation; the child logs
 * at once
 *
 * One thread runs every kind of operation in a loop: parse_logs(),
 * set_logs(), a GSettings change applied by the binding, registering a
 * log, moving TORCH_LOGS_OUT, a trace record, a flush. Two threads log.
 * The main thread forks children meanwhile, at whatever point the
 * operations thread has reached; each child at once logs through the
 * macros and through tl_registry_write_record(), writes a trace record,
 * flushes and exits. A child that inherited a lock held by one of the
 * parent's other threads would hang: each must finish (wait_child() only
 * gives up, failing, after a minute).
 *
 * What a child may call is the contract of the "Fork" section of
 * TlRegistry's documentation: logging, tracing and flushing, whatever the
 * parent's other threads were doing. Reconfiguring emits GObject signals,
 * whose lock GLib does not hand over to a child; test-fork.c checks it in
 * the case where it is safe (the parent's other threads only log).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define TL_LOG_DOMAIN "forkops"
#include "reliability-util.h"

#define N_FORKS 60

/* As in test-fork.c: a bounded number of lines per fork keeps the files
 * small however slowly the children run. */
#define LINES_PER_FORK 2000

static gint stop;
static gint operations;   /* rounds of operations done so far */
static gint forks_started;
static char *out_paths[2];

static gpointer
logging_thread (gpointer data)
{
  for (guint i = 0; !g_atomic_int_get (&stop); i++)
    {
      while (i >= (guint) (g_atomic_int_get (&forks_started) + 1) * LINES_PER_FORK &&
             !g_atomic_int_get (&stop))
        g_thread_yield ();
      ASAN_LOGGING_BEGIN ();
      tl_info ("parent line %u", i);
      tl_debug ("parent debug %u", i);
      ASAN_LOGGING_END ();
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
      g_autofree char *name = NULL;
      const char *domains[] = { NULL, NULL };

      ASAN_LOGGING_BEGIN ();
      domains[0] = name = g_strdup_printf ("forkops.extra%u", i % 50);
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
      ASAN_LOGGING_END ();
      g_atomic_int_inc (&operations);
    }

  tl_registry_unbind_settings (registry);
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
  return NULL;
}

static void
remove_trace_dir (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);
      g_unlink (file);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

static void
child_main (guint index)
{
  TlRegistry *registry = tl_registry_get_default ();

  tl_info ("child %u at once", index);
  tl_debug ("child %u debug", index);
  tl_registry_write_record (registry, "forkops.child", TL_LEVEL_WARNING, "from the child",
                            __FILE__, __LINE__, G_STRFUNC);
  tl_trace_structured ("fork_child", NULL, trace_payload, NULL);
  tl_registry_flush (registry);
  child_exit (FALSE);
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

  out_paths[0] = g_build_filename (dir, "a.log", NULL);
  out_paths[1] = g_build_filename (dir, "b.log", NULL);
  /* Read once, at the first trace record. */
  g_setenv ("TORCH_TRACE", trace_dir, TRUE);
  tl_registry_add_pytorch_registrations (registry);
  tl_registry_register_log (registry, "forkops", domains, "The fork test.");
  tl_registry_install_writer (registry);

  /* Lines go to the files; stderr would only flood the test log. */
  stderr_silence_begin ();

  ASAN_FORK_LOCK_INIT ();
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
      g_atomic_int_inc (&forks_started);
      ASAN_FORK_BEGIN ();
      pid = fork ();
      if (pid == 0)
        child_main (f);
      ASAN_FORK_END ();
      g_assert_cmpint (pid, >=, 0);
      status = wait_child (pid, 60);
      if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
        g_error ("child %u ended with status %d", f, status);
    }

  g_atomic_int_set (&stop, 1);
  g_thread_join (operator);
  for (guint t = 0; t < G_N_ELEMENTS (loggers); t++)
    g_thread_join (loggers[t]);
  tl_registry_flush (registry);
  stderr_silence_end ();

  g_assert_cmpint (g_atomic_int_get (&operations), >=, N_FORKS);
  for (guint i = 0; i < G_N_ELEMENTS (out_paths); i++)
    {
      g_unlink (out_paths[i]);
      g_free (out_paths[i]);
    }
  remove_trace_dir (trace_dir);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  /* GLib 2.74's GSlice keeps locks of its own that a child of a threaded
   * fork() can inherit held (GLib 2.76 and later use malloc(), whose
   * locks glibc hands over); the child here allocates GObjects (the trace
   * record's JSON), so this program runs as GLib 2.76 would. */
  if (g_strcmp0 (g_getenv ("G_SLICE"), "always-malloc") != 0)
    {
      g_setenv ("G_SLICE", "always-malloc", TRUE);
      execv ("/proc/self/exe", argv);
      g_error ("execv: %s", g_strerror (errno));
    }
  g_setenv ("GSETTINGS_SCHEMA_DIR", TL_TEST_SCHEMA_DIR, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fork/during-every-operation", test_fork_during_operations);
  return g_test_run ();
}
