/* test-stress.c: many threads log while the configuration changes under
 * them; nothing enabled is lost, duplicated or torn, nothing deadlocks
 *
 * /stress/threads-reconfigure: 8 threads (--threads=N) each log --lines=N
 * enabled lines (10,000 in the everyday suite, 100,000 in the `stress`
 * suite) through the macros of the default registry, into TORCH_LOGS_OUT,
 * while another thread reconfigures about 1,000 times a second:
 * tl_registry_parse_logs(), tl_registry_set_logs_variant(),
 * tl_registry_set_logs(), the `logs` key of a bound GSettings (memory
 * backend), and now and then a new format, a new rank and the same file
 * opened again. Every
 * configuration keeps the lines enabled, so afterwards every line must be
 * in the file exactly once, whole, and the same on stderr. A watchdog
 * fails the test if it does not end in bounded time.
 *
 * The others log from inside a `changed` handler, a `notify` handler and
 * an application writer wrapping torchlog's, while threads log and
 * reconfigure: they must not deadlock.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define TL_LOG_DOMAIN "stress"
#include "reliability-util.h"

static guint n_threads = 8;
static guint lines_per_thread = 10000;

/* ---- watchdog ------------------------------------------------------- */

/* An atomic flag polled every 10 ms rather than a GCond: GLib's mutexes
 * are futexes ThreadSanitizer cannot see, so a GCond here would be
 * reported as a race under the thread sanitizer run. */
static gint watchdog_done;

static gpointer
watchdog (gpointer data)
{
  const char *what = data;
  gint64 deadline = g_get_monotonic_time () + (gint64) (60 + lines_per_thread / 250) * G_USEC_PER_SEC;

  while (!g_atomic_int_get (&watchdog_done))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_printerr ("DEADLOCK? %s has not finished in time\n", what);
          abort ();
        }
      g_usleep (10000);
    }
  return NULL;
}

static GThread *
watchdog_start (const char *what)
{
  g_atomic_int_set (&watchdog_done, 0);
  return g_thread_new ("watchdog", watchdog, (gpointer) what);
}

static void
watchdog_stop (GThread *thread)
{
  g_atomic_int_set (&watchdog_done, 1);
  g_thread_join (thread);
}

/* ---- the default registry, set up once ------------------------------ */

static char *out_dir;
static char *out_path;

/* An application writer around torchlog's: a record whose message starts
 * with "reenter" makes it log again from inside, on this thread. */
static GLogWriterOutput
app_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
        g_str_has_prefix (fields[i].value, "reenter"))
      {
        tl_warning ("logged from inside the writer");
        tl_registry_write_record (tl_registry_get_default (), "stress", TL_LEVEL_WARNING,
                                  "written from inside the writer", NULL, 0, NULL);
      }
  return tl_log_writer (log_level, fields, n_fields, NULL);
}

static void
setup_default_registry (void)
{
  TlRegistry *registry = tl_registry_get_default ();
  const char * const domains[] = { "stress", NULL };
  const char * const other[] = { "other", NULL };
  g_autoptr(GError) error = NULL;

  tl_registry_register_log (registry, "stress", domains, "The stress test.");
  tl_registry_register_log (registry, "other", other, "Another log.");
  tl_registry_register_artifact (registry, "stressart", "An artifact.", 0, NULL);
  /* The application's writer chains torchlog's. */
  g_log_set_writer_func (app_writer, NULL, NULL);
  out_dir = g_dir_make_tmp ("torchlog-stress-XXXXXX", NULL);
  out_path = g_build_filename (out_dir, "out.log", NULL);
}

/* ---- the lines ------------------------------------------------------ */

/* The payload of line @i of thread @t: checkable without a table. */
static void
payload (guint t, guint i, char out[33])
{
  guint32 h = (t + 1) * 2654435761u ^ (i * 40503u);

  for (int k = 0; k < 32; k++)
    {
      h = h * 1103515245u + 12345u;
      out[k] = 'a' + (h >> 16) % 26;
    }
  out[32] = '\0';
}

static gint stop_reconfiguring;

static gpointer
logging_thread (gpointer data)
{
  guint t = GPOINTER_TO_UINT (data);
  char body[33];

  for (guint i = 0; i < lines_per_thread; i++)
    {
      payload (t, i, body);
      /* Odd threads log the artifact: enabled, or following the level. */
      if (t % 2)
        tl_artifact ("stressart", TL_LEVEL_INFO, "@@T%u L%u %s@@", t, i, body);
      else
        tl_info ("@@T%u L%u %s@@", t, i, body);
      if (i % 16 == 0)
        tl_debug ("a debug line that may or may not be on");
    }
  return NULL;
}

/* Every configuration here keeps INFO of `stress` and the artifact on.
 * The GSettings changes are an operator's layer over the others; the
 * binding lives in this thread, with its own main context, where the
 * key's changes are delivered. */
static gpointer
reconfigure_thread (gpointer data)
{
  TlRegistry *registry = tl_registry_get_default ();
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSettings) settings = NULL;
  guint *changes = data;
  gint64 start = g_get_monotonic_time ();

  g_main_context_push_thread_default (context);
  settings = g_settings_new_with_path (TL_SETTINGS_SCHEMA_ID, "/org/gnome/torchlog/apps/stress/");
  g_settings_set_string (settings, "logs", "");
  tl_registry_bind_settings (registry, settings);

  for (guint n = 0; !g_atomic_int_get (&stop_reconfiguring); n++)
    {
      /* 1,000 changes a second: the n-th is due at start + n ms; when
       * behind (the loggers have the CPUs), no sleep until caught up. */
      gint64 due = start + (gint64) n * 1000;
      gint64 now = g_get_monotonic_time ();
      g_autoptr(GError) error = NULL;

      switch (n % 5)
        {
        case 0:
          tl_registry_parse_logs (registry, "+stress,-other", &error);
          break;
        case 1:
          tl_registry_parse_logs (registry, "stress,stressart,+other,some.module", &error);
          break;
        case 2:
          {
            g_autoptr(GVariant) dict =
              g_variant_ref_sink (g_variant_new_parsed ("{'stress': <10>, 'stressart': <true>, "
                                                        "'other': <40>}"));
            tl_registry_set_logs_variant (registry, dict, &error);
          }
          break;
        case 3:
          tl_registry_set_logs (registry, &error, "stress", TL_LEVEL_INFO,
                                "some.module.child", TL_LEVEL_DEBUG, NULL);
          break;
        case 4:
          /* Set, or back to empty (the other layers alone). */
          g_settings_set_string (settings, "logs", n % 10 == 4 ? "+stress,stressart,other.module" : "");
          while (g_main_context_iteration (context, FALSE))
            ;
          break;
        }
      g_assert_no_error (error);
      if (n % 10 == 5)
        g_assert_true (tl_registry_set_format (registry, n % 20 == 5 ? NULL :
                                               "%(levelname)s %(name)s %(message)s", NULL));
      if (n % 25 == 7)
        tl_registry_set_rank (registry, n % 50 == 7 ? 3 : -1);
      if (n % 100 == 42)
        g_assert_true (tl_registry_set_output_file (registry, out_path, NULL));
      g_atomic_int_inc ((gint *) changes);
      if (due > now)
        g_usleep (due - now);
    }
  tl_registry_unbind_settings (registry);
  g_main_context_pop_thread_default (context);
  return NULL;
}

/* Checks that @text holds every line of every thread exactly once, whole,
 * and nothing else. */
static void
verify_lines (char *text, gsize len, const char *what)
{
  guint8 *seen = g_malloc0 ((gsize) n_threads * lines_per_thread);
  char *line = text;
  guint other_lines = 0;

  while (line < text + len)
    {
      char *end = memchr (line, '\n', text + len - line);
      char *start, *body;
      char expected[33];
      guint t, i;

      if (end == NULL)
        g_error ("%s: the last line is cut: “%.100s”", what, line);
      *end = '\0';
      start = strstr (line, "@@T");
      if (start == NULL)
        {
          /* A debug line, when a configuration had them on. */
          if (strstr (line, "a debug line that may or may not be on") == NULL)
            g_error ("%s: unexpected line “%.200s”", what, line);
          other_lines++;
          line = end + 1;
          continue;
        }
      if (sscanf (start, "@@T%u L%u ", &t, &i) != 2 || t >= n_threads || i >= lines_per_thread)
        g_error ("%s: torn line “%.200s”", what, line);
      payload (t, i, expected);
      body = strchr (strchr (start, ' ') + 1, ' ') + 1;
      if (strlen (body) != 34 || strncmp (body, expected, 32) != 0 || strcmp (body + 32, "@@") != 0 ||
          strstr (start + 3, "@@T") != NULL)
        g_error ("%s: torn line “%.200s”", what, line);
      if (seen[(gsize) t * lines_per_thread + i]++)
        g_error ("%s: line %u of thread %u written twice", what, i, t);
      line = end + 1;
    }
  for (gsize k = 0; k < (gsize) n_threads * lines_per_thread; k++)
    if (seen[k] != 1)
      g_error ("%s: line %u of thread %u missing", what,
               (guint) (k % lines_per_thread), (guint) (k / lines_per_thread));
  g_test_message ("%s: %u lines verified (and %u debug lines)", what,
                  n_threads * lines_per_thread, other_lines);
  g_free (seen);
}

static void
test_threads_reconfigure (void)
{
  TlRegistry *registry = tl_registry_get_default ();
  g_autofree GThread **threads = g_new0 (GThread *, n_threads);
  GThread *reconfigurer, *dog;
  g_autoptr(GError) error = NULL;
  g_autofree char *file_text = NULL;
  g_autofree char *err_text = NULL;
  StderrCapture capture;
  guint changes = 0;
  gint64 start, elapsed;
  gsize file_len, err_len;

  g_assert_true (tl_registry_parse_logs (registry, "stress", &error));
  g_assert_true (tl_registry_set_output_file (registry, out_path, &error));
  g_assert_no_error (error);

  dog = watchdog_start ("/stress/threads-reconfigure");
  stderr_capture_begin (&capture);
  start = g_get_monotonic_time ();
  g_atomic_int_set (&stop_reconfiguring, 0);
  reconfigurer = g_thread_new ("reconfigure", reconfigure_thread, &changes);
  for (guint t = 0; t < n_threads; t++)
    threads[t] = g_thread_new ("logger", logging_thread, GUINT_TO_POINTER (t));
  for (guint t = 0; t < n_threads; t++)
    g_thread_join (threads[t]);
  g_atomic_int_set (&stop_reconfiguring, 1);
  g_thread_join (reconfigurer);
  tl_registry_flush (registry);
  elapsed = g_get_monotonic_time () - start;
  /* Later tests must not write into the file checked here. */
  g_assert_true (tl_registry_set_output_file (registry, NULL, NULL));
  err_text = stderr_capture_end (&capture, &err_len);
  watchdog_stop (dog);

  g_test_message ("%u threads × %u lines in %.2f s while the configuration changed %u times "
                  "(%.0f changes/s)", n_threads, lines_per_thread, elapsed / 1e6, changes,
                  changes / (elapsed / 1e6));
  g_assert_cmpuint (changes, >, 0);

  file_text = read_whole_file (out_path, &file_len);
  verify_lines (file_text, file_len, "TORCH_LOGS_OUT");
  verify_lines (err_text, err_len, "stderr");
  g_unlink (out_path);
}

/* ---- logging from inside handlers ----------------------------------- */

/* Handlers run in whichever thread made the change. */
static gint handler_calls;
static _Thread_local guint handler_depth;

static void
on_changed (TlRegistry *registry, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  g_atomic_int_inc (&handler_calls);
  tl_warning ("logged from inside a changed handler");
  tl_registry_write_record (registry, "stress", TL_LEVEL_WARNING, "written from a changed handler",
                            NULL, 0, NULL);
  /* Reconfiguring from inside the handler, once: signals are emitted
   * with no lock held. */
  if (handler_depth++ == 0)
    tl_registry_parse_logs (registry, "+stress", &error);
  handler_depth--;
  g_assert_no_error (error);
}

static void
on_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  g_atomic_int_inc (&handler_calls);
  tl_warning ("logged from inside a notify::%s handler", pspec->name);
  if (TL_IS_COMPONENT (object))
    (void) tl_component_get_level (TL_COMPONENT (object));
  else
    (void) tl_artifact_get_enabled (TL_ARTIFACT (object));
}

static gpointer
background_logger (gpointer data)
{
  while (!g_atomic_int_get (&stop_reconfiguring))
    {
      tl_info ("background line");
      tl_artifact ("stressart", TL_LEVEL_INFO, "background artifact line");
    }
  return NULL;
}

/* Calls @body (registry, i) for i = 0, 1, … at least 200 times and
 * until the other thread has made 200 changes, while two threads log and
 * that thread reconfigures. */
static void
run_with_background (const char *name, void (*body) (TlRegistry *registry, guint i))
{
  TlRegistry *registry = tl_registry_get_default ();
  GThread *loggers[2], *reconfigurer, *dog;
  StderrCapture capture;
  g_autofree char *err_text = NULL;
  guint changes = 0;
  gsize len;

  dog = watchdog_start (name);
  stderr_capture_begin (&capture);
  g_atomic_int_set (&stop_reconfiguring, 0);
  for (guint i = 0; i < G_N_ELEMENTS (loggers); i++)
    loggers[i] = g_thread_new ("logger", background_logger, NULL);
  reconfigurer = g_thread_new ("reconfigure", reconfigure_thread, &changes);
  for (guint i = 0; i < 200 || g_atomic_int_get ((gint *) &changes) < 200; i++)
    body (registry, i);
  g_atomic_int_set (&stop_reconfiguring, 1);
  g_thread_join (reconfigurer);
  for (guint i = 0; i < G_N_ELEMENTS (loggers); i++)
    g_thread_join (loggers[i]);
  tl_registry_flush (registry);
  err_text = stderr_capture_end (&capture, &len);
  watchdog_stop (dog);
  g_test_message ("%s: %d handler calls, %u changes by another thread", name,
                  g_atomic_int_get (&handler_calls), changes);
  g_assert_cmpint (g_atomic_int_get (&handler_calls), >, 0);
}

static void
changed_body (TlRegistry *registry, guint i)
{
  g_autoptr(GError) error = NULL;

  tl_registry_parse_logs (registry, i % 2 ? "stress" : "+stress,other", &error);
  g_assert_no_error (error);
  tl_info ("main thread line %u", i);
}

static void
test_changed_handler (void)
{
  TlRegistry *registry = tl_registry_get_default ();
  gulong id = g_signal_connect (registry, "changed", G_CALLBACK (on_changed), NULL);

  g_atomic_int_set (&handler_calls, 0);
  run_with_background ("/stress/changed-handler", changed_body);
  g_signal_handler_disconnect (registry, id);
}

static void
notify_body (TlRegistry *registry, guint i)
{
  TlComponent *component = tl_registry_lookup_component (registry, "stress");

  tl_component_set_level (component, i % 2 ? TL_LEVEL_DEBUG : TL_LEVEL_INFO);
  tl_info ("main thread line %u", i);
}

static void
test_notify_handler (void)
{
  TlRegistry *registry = tl_registry_get_default ();
  TlComponent *component = tl_registry_lookup_component (registry, "stress");
  TlArtifact *artifact = tl_registry_lookup_artifact (registry, "stressart");
  gulong id = g_signal_connect (component, "notify", G_CALLBACK (on_notify), NULL);
  gulong id2 = g_signal_connect (artifact, "notify", G_CALLBACK (on_notify), NULL);

  g_atomic_int_set (&handler_calls, 0);
  run_with_background ("/stress/notify-handler", notify_body);
  g_signal_handler_disconnect (component, id);
  g_signal_handler_disconnect (artifact, id2);
}

static void
writer_body (TlRegistry *registry, guint i)
{
  tl_warning ("reenter %u", i);
  tl_info ("main thread line %u", i);
  g_atomic_int_inc (&handler_calls);
}

static void
test_writer_reentry (void)
{
  /* app_writer, set up in main(), is the process's writer. */
  g_atomic_int_set (&handler_calls, 0);
  run_with_background ("/stress/writer-reentry", writer_body);
}

int
main (int argc, char **argv)
{
  int kept = 1;

  /* --lines=N before GTest sees the arguments. */
  for (int i = 1; i < argc; i++)
    {
      if (g_str_has_prefix (argv[i], "--lines="))
        lines_per_thread = (guint) g_ascii_strtoull (argv[i] + 8, NULL, 10);
      else if (g_str_has_prefix (argv[i], "--threads="))
        n_threads = (guint) g_ascii_strtoull (argv[i] + 10, NULL, 10);
      else
        argv[kept++] = argv[i];
    }
  argc = kept;
  argv[argc] = NULL;
  g_assert_cmpuint (lines_per_thread, >, 0);
  g_assert_cmpuint (n_threads, >, 0);

  /* Before any thread: the schema of the build tree, in memory. */
  g_setenv ("GSETTINGS_SCHEMA_DIR", TL_TEST_SCHEMA_DIR, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  g_test_init (&argc, &argv, NULL);
  setup_default_registry ();

  g_test_add_func ("/stress/threads-reconfigure", test_threads_reconfigure);
  g_test_add_func ("/stress/changed-handler", test_changed_handler);
  g_test_add_func ("/stress/notify-handler", test_notify_handler);
  g_test_add_func ("/stress/writer-reentry", test_writer_reentry);

  {
    int status = g_test_run ();
    g_free (out_path);
    g_rmdir (out_dir);
    g_free (out_dir);
    return status;
  }
}
