/* test-step.c: the step logger and progress bar, tl_warning_once() and
 * TlLazyString
 *
 * Spec §7.6 and the seed on torch/_dynamo/logging.py: a process-wide step
 * counter from 1, taken when a step logger is made, and `Step N: msg`
 * records with the caller's location; §7.7: a progress bar, off by
 * default, on terminals only. §7.2: warning_once per (domain, message).
 * §7.3: LazyString, evaluated at each use and only when printed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define TL_LOG_DOMAIN "myapp.test"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <torchlog/torchlog.h>

#include "tl-test-child.h"

static TlRegistry *
setup_default (void)
{
  static gsize done;
  TlRegistry *registry = tl_registry_get_default ();

  if (g_once_init_enter (&done))
    {
      const char * const domains[] = { "myapp", NULL };

      tl_registry_register_log (registry, "myapp", domains, NULL);
      tl_registry_install_writer (registry);
      g_once_init_leave (&done, 1);
    }
  g_assert_true (tl_registry_parse_logs (registry, "+myapp", NULL));
  return registry;
}

/* ---- children --------------------------------------------------------------- */

static void
child_first_step (void)
{
  g_autoptr(TlStepLogger) first = NULL;
  g_autoptr(TlStepLogger) second = NULL;

  setup_default ();
  first = tl_step_logger_new ("myapp.dynamo");
  second = tl_step_logger_new ("myapp.inductor");
  tl_step_log (first, TL_LEVEL_INFO, "torchdynamo start tracing %s", "f");
  tl_step_log (second, TL_LEVEL_INFO, "calling compiler function");
}

static void
child_progress (void)
{
  const char *domains[] = { "myapp.a", "myapp.b", "myapp.c" };

  setup_default ();
  if (g_getenv ("TL_TEST_PROGRESS") != NULL)
    tl_progress_enable (NULL, 3);
  for (gsize i = 0; i < G_N_ELEMENTS (domains); i++)
    {
      g_autoptr(TlStepLogger) logger = tl_step_logger_new (domains[i]);
      (void) logger;
    }
}

static const TlTestChildFunc children[] = {
  { "first-step", child_first_step },
  { "progress", child_progress },
  { NULL, NULL },
};

/* Runs the child "progress" with stderr on a pseudo-terminal; returns what
 * the terminal received. */
static char *
run_on_terminal (gboolean enable)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) child = NULL;
  GString *received = g_string_new (NULL);
  int master, slave;

  master = posix_openpt (O_RDWR | O_NOCTTY);
  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  slave = open (ptsname (master), O_RDWR | O_NOCTTY);
  g_assert_cmpint (slave, >=, 0);

  g_subprocess_launcher_take_stderr_fd (launcher, slave);
  if (enable)
    g_subprocess_launcher_setenv (launcher, "TL_TEST_PROGRESS", "1", TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "TL_TEST_PROGRESS");
  child = g_subprocess_launcher_spawn (launcher, &error, self, "--child", "progress", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (child, NULL, &error));
  g_assert_no_error (error);
  /* Our copy of the terminal was taken by the launcher: once the child is
   * gone, reading ends with EIO. */
  g_clear_object (&launcher);
  for (;;)
    {
      char buf[512];
      gssize n = read (master, buf, sizeof buf);

      if (n > 0)
        g_string_append_len (received, buf, n);
      else if (n < 0 && errno == EINTR)
        continue;
      else
        break;
    }
  close (master);
  return g_string_free (received, FALSE);
}

/* ---- step logger ------------------------------------------------------------ */

static void
test_step_numbers_start_at_one (void)
{
  TlTestChild child;
  g_auto(GStrv) lines = NULL;

  tl_test_child_run (&child, "first-step", NULL);
  g_assert_true (child.exited && child.exit_code == 0);
  lines = tl_test_split_lines (child.err);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_true (g_str_has_suffix (lines[0], "] Step 1: torchdynamo start tracing f"));
  g_assert_true (g_str_has_suffix (lines[1], "] Step 2: calling compiler function"));
  /* The location is the caller's, as torch's stacklevel=2 makes it. */
  g_assert_nonnull (strstr (lines[0], " tests/test-step.c:"));
  tl_test_child_clear (&child);
}

static void
test_step_logger (void)
{
  TlRegistry *registry = setup_default ();
  g_autoptr(TlCapture) capture = tl_capture_new (registry);
  g_autoptr(TlStepLogger) dynamo = tl_step_logger_new ("myapp.dynamo");
  g_autoptr(TlStepLogger) inductor = tl_step_logger_new ("myapp.inductor");
  g_autoptr(TlStepLogger) ignored = tl_step_logger_new ("myapp.ignored");
  g_autoptr(TlCapturedRecord) record = NULL;
  g_autofree char *expected = NULL;
  guint step = tl_step_logger_get_step (dynamo);
  int line;

  tl_capture_set_quiet (capture, TRUE);
  /* Each new logger takes the next number, when it is made. */
  g_assert_cmpuint (tl_step_logger_get_step (inductor), ==, step + 1);
  g_assert_cmpuint (tl_step_logger_get_step (ignored), ==, step + 2);
  g_assert_cmpstr (tl_step_logger_get_domain (inductor), ==, "myapp.inductor");

  line = __LINE__ + 1;
  tl_step_log (dynamo, TL_LEVEL_INFO, "start tracing %s", "fn");
  tl_step_log (inductor, TL_LEVEL_DEBUG, "compiling FORWARDS graph %d", 0);
  /* A logger keeps its number. */
  tl_step_log (dynamo, TL_LEVEL_INFO, "done");
  tl_step_logger_log_message (inductor, TL_LEVEL_WARNING, "binding.py", 7, NULL, "from a binding");

  g_assert_cmpuint (tl_capture_get_n_records (capture), ==, 4);
  record = tl_capture_get_record (capture, 0);
  expected = g_strdup_printf ("Step %u: start tracing fn", step);
  g_assert_cmpstr (tl_captured_record_get_message (record), ==, expected);
  g_assert_cmpstr (tl_captured_record_get_logger (record), ==, "myapp.dynamo");
  g_assert_cmpint (tl_captured_record_get_line (record), ==, line);
  g_assert_cmpstr (tl_captured_record_get_file (record), ==, __FILE__);
  g_clear_pointer (&record, tl_captured_record_unref);
  g_clear_pointer (&expected, g_free);

  record = tl_capture_get_record (capture, 1);
  expected = g_strdup_printf ("Step %u: compiling FORWARDS graph 0", step + 1);
  g_assert_cmpstr (tl_captured_record_get_message (record), ==, expected);
  g_assert_cmpint (tl_captured_record_get_level (record), ==, TL_LEVEL_DEBUG);
  g_clear_pointer (&record, tl_captured_record_unref);
  g_clear_pointer (&expected, g_free);

  record = tl_capture_get_record (capture, 2);
  expected = g_strdup_printf ("Step %u: done", step);
  g_assert_cmpstr (tl_captured_record_get_message (record), ==, expected);
  g_clear_pointer (&record, tl_captured_record_unref);
  g_clear_pointer (&expected, g_free);

  record = tl_capture_get_record (capture, 3);
  expected = g_strdup_printf ("Step %u: from a binding", step + 1);
  g_assert_cmpstr (tl_captured_record_get_message (record), ==, expected);
  g_assert_cmpint (tl_captured_record_get_line (record), ==, 7);

  /* Off: not formatted, not captured. */
  g_assert_true (tl_registry_parse_logs (registry, "myapp", NULL));
  tl_step_log (dynamo, TL_LEVEL_DEBUG, "hidden");
  g_assert_cmpuint (tl_capture_get_n_records (capture), ==, 4);
}

static gpointer
make_loggers (gpointer data)
{
  guint *steps = data;

  for (int i = 0; i < 100; i++)
    {
      TlStepLogger *logger = tl_step_logger_new ("myapp.threads");

      steps[i] = tl_step_logger_get_step (logger);
      tl_step_logger_unref (logger);
    }
  return NULL;
}

static void
test_step_numbers_threads (void)
{
  guint steps[4][100];
  GThread *threads[4];
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  for (int i = 0; i < 4; i++)
    threads[i] = g_thread_new ("steps", make_loggers, steps[i]);
  for (int i = 0; i < 4; i++)
    g_thread_join (threads[i]);
  /* Every number taken exactly once. */
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 100; j++)
      g_assert_true (g_hash_table_add (seen, GUINT_TO_POINTER (steps[i][j])));
  g_assert_cmpuint (g_hash_table_size (seen), ==, 400);
}

static void
test_progress_bar (void)
{
  g_autofree char *shown = run_on_terminal (TRUE);
  g_autofree char *hidden = run_on_terminal (FALSE);
  TlTestChild child;

  g_test_message ("terminal received: %s", shown);
  g_assert_nonnull (strstr (shown, "\rtorch.compile():   0%|          | 0/3\033[K"));
  g_assert_nonnull (strstr (shown, "\rtorch.compile():  33%|###       | 1/3 [myapp.a]\033[K"));
  g_assert_nonnull (strstr (shown, "\rtorch.compile():  66%|######    | 2/3 [myapp.b]\033[K"));
  g_assert_nonnull (strstr (shown, "\rtorch.compile(): 100%|##########| 3/3 [myapp.c]\033[K"));

  /* Off by default, as in torch. */
  g_assert_cmpstr (hidden, ==, "");

  /* Never on a pipe, even when enabled. */
  tl_test_child_run (&child, "progress", "TL_TEST_PROGRESS", "1", NULL);
  g_assert_true (child.exited && child.exit_code == 0);
  g_assert_cmpstr (child.err, ==, "");
  tl_test_child_clear (&child);

  g_assert_false (tl_progress_is_enabled ());
  tl_progress_enable ("work", 2);
  g_assert_true (tl_progress_is_enabled ());
  tl_progress_disable ();
  g_assert_false (tl_progress_is_enabled ());
}

/* ---- warning_once ------------------------------------------------------------ */

static void
warn_twice (int value)
{
  for (int i = 0; i < 2; i++)
    tl_warning_once ("value is %d", value);
}

static void
test_warning_once (void)
{
  TlRegistry *registry = setup_default ();
  g_autoptr(TlCapture) capture = tl_capture_new (registry);

  tl_capture_set_quiet (capture, TRUE);
  warn_twice (1);
  warn_twice (1);
  g_assert_cmpuint (tl_capture_count_matching (capture, "value is 1"), ==, 1);
  /* Other arguments: another message, another warning. */
  warn_twice (2);
  g_assert_cmpuint (tl_capture_count_matching (capture, "value is 2"), ==, 1);

  /* Another domain warns again. */
  g_assert_true (tl_warning_once_full ("myapp.other", "x.py", 3, NULL, "value is 1"));
  g_assert_false (tl_warning_once_full ("myapp.other", "x.py", 3, NULL, "value is 1"));
  g_assert_false (tl_warning_once_full ("myapp.test", "x.py", 3, NULL, "value is 1"));
  g_assert_cmpuint (tl_capture_count_matching (capture, "value is 1"), ==, 2);
  g_assert_cmpuint (tl_capture_get_n_records (capture), ==, 3);

  /* A warning the configuration drops is not remembered. */
  g_assert_true (tl_registry_parse_logs (registry, "-myapp", NULL));
  warn_twice (3);
  g_assert_false (tl_warning_once_full ("myapp.other", NULL, 0, NULL, "dropped"));
  g_assert_cmpuint (tl_capture_get_n_records (capture), ==, 3);
  g_assert_true (tl_registry_parse_logs (registry, "myapp", NULL));
  warn_twice (3);
  g_assert_true (tl_warning_once_full ("myapp.other", NULL, 0, NULL, "dropped"));
  g_assert_cmpuint (tl_capture_count_matching (capture, "value is 3"), ==, 1);
  g_assert_cmpuint (tl_capture_count (capture, NULL, NULL), ==, 5);
  g_assert_cmpuint (tl_capture_count (capture, "myapp", NULL), ==, 5);
}

/* ---- LazyString --------------------------------------------------------------- */

static int lazy_calls;
static int lazy_destroyed;

static char *
expensive_text (gpointer data)
{
  lazy_calls++;
  return g_strdup_printf ("%s #%d", (const char *) data, lazy_calls);
}

static char *
null_text (gpointer data)
{
  return NULL;
}

static void
count_destroy (gpointer data)
{
  lazy_destroyed++;
}

static void
test_lazy_string (void)
{
  TlRegistry *registry = setup_default ();
  g_autoptr(TlCapture) capture = tl_capture_new (registry);
  TlLazyString *lazy = tl_lazy_string_new (expensive_text, "guards", count_destroy);
  g_autoptr(TlLazyString) empty = tl_lazy_string_new (null_text, NULL, NULL);
  g_autofree char *text = NULL;

  tl_capture_set_quiet (capture, TRUE);
  lazy_calls = 0;
  lazy_destroyed = 0;

  /* Not printed: never built. */
  g_assert_true (tl_registry_parse_logs (registry, "myapp", NULL));
  tl_debug ("cache miss: %s", tl_lazy_string_get (lazy));
  g_assert_cmpint (lazy_calls, ==, 0);

  /* Printed: built at each use, no caching. */
  g_assert_true (tl_registry_parse_logs (registry, "+myapp", NULL));
  tl_debug ("cache miss: %s", tl_lazy_string_get (lazy));
  tl_debug ("cache miss: %s", tl_lazy_string_get (lazy));
  g_assert_cmpint (lazy_calls, ==, 2);
  g_assert_cmpuint (tl_capture_count_matching (capture, "cache miss: guards #1"), ==, 1);
  g_assert_cmpuint (tl_capture_count_matching (capture, "cache miss: guards #2"), ==, 1);
  text = tl_lazy_string_to_string (lazy);
  g_assert_cmpstr (text, ==, "guards #3");

  g_assert_cmpstr (tl_lazy_string_get (empty), ==, "");

  tl_lazy_string_ref (lazy);
  tl_lazy_string_unref (lazy);
  g_assert_cmpint (lazy_destroyed, ==, 0);
  tl_lazy_string_unref (lazy);
  g_assert_cmpint (lazy_destroyed, ==, 1);
}

int
main (int argc, char **argv)
{
  int child = tl_test_child_main (argc, argv, children);

  if (child >= 0)
    return child;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/step/numbers-start-at-one", test_step_numbers_start_at_one);
  g_test_add_func ("/step/logger", test_step_logger);
  g_test_add_func ("/step/numbers-threads", test_step_numbers_threads);
  g_test_add_func ("/step/progress-bar", test_progress_bar);
  g_test_add_func ("/warning-once/per-domain-and-message", test_warning_once);
  g_test_add_func ("/lazy-string/evaluated-when-printed", test_lazy_string);
  return g_test_run ();
}
