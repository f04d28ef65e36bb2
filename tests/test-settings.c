/* test-settings.c: a registry bound to GSettings (memory or keyfile backend)
 *
 * The operator is simulated by a second GSettings object at the same path,
 * as `gsettings set` would be in another process; the live test with the
 * real dconf service is test-settings-live.sh.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define TL_LOG_DOMAIN "torch._dynamo"
#include <torchlog/torchlog.h>

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>

#include "tl-test-util.h"

#define APP_ID "org.example.TestApp"
#define ENV_VAR "TL_TEST_SETTINGS_LOGS"

/* ---- helpers -------------------------------------------------------- */

static TlRegistry *
new_registry (void)
{
  TlRegistry *registry = tl_registry_new ();

  tl_registry_add_pytorch_registrations (registry);
  /* A variable of our own, so tests can "start" a program with it set. */
  tl_registry_set_env_var (registry, ENV_VAR);
  g_unsetenv (ENV_VAR);
  return registry;
}

/* A fresh application id per test, so stored values never leak between
 * tests (the keyfile backend keeps them for the whole run). */
static char *
unique_app_id (void)
{
  static int counter;

  return g_strdup_printf (APP_ID "%d", ++counter);
}

static GSettings *
operator_settings (const char *app_id)
{
  g_autoptr(GError) error = NULL;
  GSettings *settings = tl_settings_new_for_app (app_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (settings);
  return settings;
}

typedef struct {
  gboolean seen;
} Flag;

static void
on_key_changed (GSettings *settings, const char *key, gpointer user_data)
{
  ((Flag *) user_data)->seen = TRUE;
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until @flag is set or two seconds pass. */
static void
wait_for (Flag *flag)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (2000, on_timeout, &timed_out);

  while (!flag->seen && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_true (flag->seen);
  /* Let any other handler of the same change run too. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Writes @key as an operator would and waits until the program's bound
 * settings have reported it (the binding's handler runs first). */
static void
operator_set (TlRegistry *registry, GSettings *op, const char *key, const char *value)
{
  GSettings *bound = tl_registry_get_settings (registry);
  g_autofree char *signal = g_strconcat ("changed::", key, NULL);
  g_autofree char *current = g_settings_get_string (bound, key);
  Flag flag = { FALSE };
  gulong id;

  /* Writing the same value may not be reported by every backend. */
  g_assert_cmpstr (current, !=, value);
  id = g_signal_connect (bound, signal, G_CALLBACK (on_key_changed), &flag);
  g_assert_true (g_settings_set_string (op, key, value));
  wait_for (&flag);
  g_signal_handler_disconnect (bound, id);
}

static void
count_changed (TlRegistry *registry, gpointer user_data)
{
  (*(int *) user_data)++;
}

static TlLevel
level_of (TlRegistry *registry, const char *domain)
{
  return tl_registry_get_effective_level (registry, domain);
}

/* ---- the path rule -------------------------------------------------- */

static void
test_path_rule (void)
{
  g_autofree char *path = tl_settings_path_for_app_id ("org.example.App");
  g_autofree char *dashed = tl_settings_path_for_app_id ("org.example.My-App_2");

  g_assert_cmpstr (path, ==, "/org/gnome/torchlog/apps/org/example/App/");
  g_assert_true (g_str_has_prefix (path, TL_SETTINGS_PATH_PREFIX));
  g_assert_cmpstr (dashed, ==, "/org/gnome/torchlog/apps/org/example/My-App_2/");
  g_assert_null (tl_settings_path_for_app_id ("not an id"));
  g_assert_null (tl_settings_path_for_app_id ("noperiod"));
  g_assert_null (tl_settings_path_for_app_id (""));
}

static void
test_new_for_app_invalid_id (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlRegistry) registry = new_registry ();

  g_assert_null (tl_settings_new_for_app ("bad id", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (tl_registry_bind_settings_for_app (registry, "..", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (tl_registry_get_settings (registry));
}

static void
test_settings_at_path (void)
{
  g_autofree char *app_id = unique_app_id ();
  g_autofree char *expected = tl_settings_path_for_app_id (app_id);
  g_autoptr(GSettings) settings = operator_settings (app_id);
  g_autofree char *path = NULL;
  g_autofree char *schema_id = NULL;

  g_object_get (settings, "path", &path, "schema-id", &schema_id, NULL);
  g_assert_cmpstr (path, ==, expected);
  g_assert_cmpstr (schema_id, ==, TL_SETTINGS_SCHEMA_ID);
}

/* ---- registrations -------------------------------------------------- */

static void
test_registrations_round_trip (void)
{
  g_autoptr(TlRegistry) registry = new_registry ();
  g_autoptr(TlRegistry) copy = tl_registry_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  const char *domains[] = { "myapp.parser", "myapp.lexer", NULL };
  TlArtifact *tokens;

  tl_registry_register_log (registry, "parser", domains, "The parser.");
  tl_registry_register_artifact (registry, "tokens", "Every token.",
                                 TL_ARTIFACT_FLAGS_VISIBLE | TL_ARTIFACT_FLAGS_OFF_BY_DEFAULT,
                                 "%(message)s");
  text = tl_registry_dup_registrations (registry);
  g_assert_true (tl_registry_load_registrations_from_data (copy, text, -1, &error));
  g_assert_no_error (error);

  g_assert_nonnull (tl_registry_lookup_component (copy, "dynamo"));
  g_assert_nonnull (tl_registry_lookup_component (copy, "parser"));
  g_assert_cmpstr (tl_component_get_description (tl_registry_lookup_component (copy, "parser")),
                   ==, "The parser.");
  tokens = tl_registry_lookup_artifact (copy, "tokens");
  g_assert_nonnull (tokens);
  g_assert_true (tl_artifact_get_visible (tokens));
  g_assert_true (tl_artifact_get_off_by_default (tokens));
  g_assert_cmpstr (tl_artifact_get_log_format (tokens), ==, "%(message)s");
  g_assert_false (tl_artifact_get_visible (tl_registry_lookup_artifact (copy, "graph")));
  g_assert_cmpuint (g_list_model_get_n_items (tl_registry_get_artifacts (copy)), ==,
                    g_list_model_get_n_items (tl_registry_get_artifacts (registry)));

  /* Stable: the same registrations give the same text. */
  again = tl_registry_dup_registrations (copy);
  g_assert_cmpstr (again, ==, text);
}

static void
test_bind_publishes_registrations (void)
{
  g_autofree char *app_id = unique_app_id ();
  g_autoptr(TlRegistry) registry = new_registry ();
  g_autoptr(GSettings) op = operator_settings (app_id);
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *expected = NULL;
  Flag flag = { FALSE };
  gulong id;

  g_assert_true (tl_registry_bind_settings_for_app (registry, app_id, &error));
  g_assert_no_error (error);
  stored = g_settings_get_string (op, "registrations");
  expected = tl_registry_dup_registrations (registry);
  g_assert_cmpstr (stored, ==, expected);

  /* A log registered later is published too, from the main context. */
  id = g_signal_connect (tl_registry_get_settings (registry), "changed::registrations",
                         G_CALLBACK (on_key_changed), &flag);
  tl_registry_register_log (registry, "latecomer", NULL, NULL);
  wait_for (&flag);
  g_signal_handler_disconnect (tl_registry_get_settings (registry), id);
  g_free (stored);
  stored = g_settings_get_string (op, "registrations");
  g_assert_nonnull (strstr (stored, "[log latecomer]"));
}

/* ---- start-up precedence -------------------------------------------- */

static void
test_stored_value_applies_at_start (void)
{
  g_autofree char *app_id = unique_app_id ();
  g_autoptr(TlRegistry) registry = new_registry ();
  g_autoptr(GSettings) op = operator_settings (app_id);
  g_autoptr(GError) error = NULL;

  g_settings_set_string (op, "logs", "+dynamo,guards");
  g_assert_true (tl_registry_init_logs (registry, &error));
  g_assert_true (tl_registry_bind_settings_for_app (registry, app_id, &error));
  g_assert_cmpint (level_of (registry, "torch._dynamo"), ==, TL_LEVEL_DEBUG);
  g_assert_true (tl_test_artifact_enabled (registry, "guards"));
}

static void
test_env_wins_at_start (void)
{
  g_autofree char *app_id = unique_app_id ();
  g_autoptr(TlRegistry) registry = new_registry ();
  g_autoptr(GSettings) op = operator_settings (app_id);
  g_autoptr(GError) error = NULL;
  g_autofree char *still = NULL;

  g_settings_set_string (op, "logs", "+dynamo,guards");
  g_setenv (ENV_VAR, "aot", TRUE);
  g_assert_true (tl_registry_init_logs (registry, &error));
  g_assert_true (tl_registry_bind_settings_for_app (registry, app_id, &error));
  g_unsetenv (ENV_VAR);

  g_assert_cmpint (level_of (registry, "torch._functorch.aot_autograd"), ==, TL_LEVEL_INFO);
  g_assert_cmpint (level_of (registry, "torch._dynamo"), ==, TL_LEVEL_WARNING);
  g_assert_false (tl_test_artifact_enabled (registry, "guards"));
  /* Ignored, not erased. */
  still = g_settings_get_string (op, "logs");
  g_assert_cmpstr (still, ==, "+dynamo,guards");
}

static void
test_env_wins_over_set_logs (void)
{
  g_autoptr(TlRegistry) registry = new_registry ();
  g_autoptr(GError) error = NULL;

  /* torch's rule, which the operator's layer keeps: set_logs() under
   * TORCH_LOGS only warns. */
  g_setenv (ENV_VAR, "aot", TRUE);
  g_assert_true (tl_registry_init_logs (registry, &error));
  g_assert_true (tl_registry_set_logs (registry, &error, "dynamo", TL_LEVEL_DEBUG, NULL));
  g_unsetenv (ENV_VAR);
  g_assert_cmpint (level_of (registry, "torch._dynamo"), ==, TL_LEVEL_WARNING);
  g_assert_cmpint (level_of (registry, "torch._functorch.aot_autograd"), ==, TL_LEVEL_INFO);
}

/* ---- live changes --------------------------------------------------- */

static void
test_change_applies_and_emits_changed (void)
{
  g_autofree char *app_id = unique_app_id ();
  g_autoptr(TlRegistry) registry = new_registry ();
  g_autoptr(GSettings) op = operator_settings (app_id);
  g_autoptr(GError) error = NULL;
  int changed = 0;

  g_assert_true (tl_registry_bind_settings_for_app (registry, app_id, &error));
  g_signal_connect (registry, "changed", G_CALLBACK (count_changed), &changed);
  g_assert_false (tl_registry_should_emit (registry, "torch._dynamo", NULL, TL_LEVEL_DEBUG));

  operator_set (registry, op, "logs", "+dynamo,guards");
  g_assert_cmpint (changed, ==, 1);
  g_assert_cmpint (level_of (registry, "torch._dynamo"), ==, TL_LEVEL_DEBUG);
  g_assert_cmpint (tl_component_get_level (tl_registry_lookup_component (registry, "dynamo")),
                   ==, TL_LEVEL_DEBUG);
  g_assert_true (tl_registry_should_emit (registry, "torch._dynamo", NULL, TL_LEVEL_DEBUG));
  g_assert_true (tl_test_artifact_enabled (registry, "guards"));

  operator_set (registry, op, "logs", "-dynamo");
  g_assert_cmpint (changed, ==, 2);
  g_assert_cmpint (level_of (registry, "torch._dynamo"), ==, TL_LEVEL_ERROR);
  g_assert_false (tl_test_artifact_enabled (registry, "guards"));
}

static void
test_change_applies_over_env (void)
{
  g_autofree char *app_id = unique_app_id ();
  g_autoptr(TlRegistry) registry = new_registry ();
  g_autoptr(GSettings) op = operator_settings (app_id);
  g_autoptr(GError) error = NULL;

  g_setenv (ENV_VAR, "aot", TRUE);
  g_assert_true (tl_registry_init_logs (registry, &error));
  g_assert_true (tl_registry_bind_settings_for_app (registry, app_id, &error));

  operator_set (registry, op, "logs", "+dynamo");
  g_assert_cmpint (level_of (registry, "torch._dynamo"), ==, TL_LEVEL_DEBUG);
  /* Laid over TORCH_LOGS, not replacing it. */
  g_assert_cmpint (level_of (registry, "torch._functorch.aot_autograd"), ==, TL_LEVEL_INFO);

  operator_set (registry, op, "logs", "-aot");
  g_assert_cmpint (level_of (registry, "torch._functorch.aot_autograd"), ==, TL_LEVEL_ERROR);
  g_assert_cmpint (level_of (registry, "torch._dynamo"), ==, TL_LEVEL_WARNING);

  /* Reset: back to what TORCH_LOGS configured. */
  operator_set (registry, op, "logs", "");
  g_assert_cmpint (level_of (registry, "torch._functorch.aot_autograd"), ==, TL_LEVEL_INFO);
  g_assert_cmpint (level_of (registry, "torch._dynamo"), ==, TL_LEVEL_WARNING);
  g_unsetenv (ENV_VAR);
}

static void
test_reset_returns_to_set_logs (void)
{
  g_autofree char *app_id = unique_app_id ();
  g_autoptr(TlRegistry) registry = new_registry ();
  g_autoptr(GSettings) op = operator_settings (app_id);
  g_autoptr(GError) error = NULL;
  Flag flag = { FALSE };
  gulong id;
  int changed = 0;

  g_assert_true (tl_registry_set_logs (registry, &error, "aot", TL_LEVEL_INFO,
                                       "graph_breaks", TRUE, NULL));
  g_assert_true (tl_registry_bind_settings_for_app (registry, app_id, &error));
  g_signal_connect (registry, "changed", G_CALLBACK (count_changed), &changed);

  operator_set (registry, op, "logs", "+dynamo");
  g_assert_cmpint (level_of (registry, "torch._dynamo"), ==, TL_LEVEL_DEBUG);
  g_assert_cmpint (level_of (registry, "torch._functorch.aot_autograd"), ==, TL_LEVEL_INFO);
  g_assert_true (tl_test_artifact_enabled (registry, "graph_breaks"));

  /* The program changes its mind while the operator's layer is on: its
   * new configuration goes under the layer. */
  g_assert_true (tl_registry_set_logs (registry, &error, "inductor", TL_LEVEL_INFO, NULL));
  g_assert_cmpint (level_of (registry, "torch._dynamo"), ==, TL_LEVEL_DEBUG);
  g_assert_cmpint (level_of (registry, "torch._inductor"), ==, TL_LEVEL_INFO);
  g_assert_cmpint (level_of (registry, "torch._functorch.aot_autograd"), ==, TL_LEVEL_WARNING);
  g_assert_false (tl_test_artifact_enabled (registry, "graph_breaks"));

  /* gsettings reset: back to the program's latest set_logs(). */
  id = g_signal_connect (tl_registry_get_settings (registry), "changed::logs",
                         G_CALLBACK (on_key_changed), &flag);
  g_settings_reset (op, "logs");
  wait_for (&flag);
  g_signal_handler_disconnect (tl_registry_get_settings (registry), id);
  g_assert_cmpint (level_of (registry, "torch._dynamo"), ==, TL_LEVEL_WARNING);
  g_assert_cmpint (level_of (registry, "torch._inductor"), ==, TL_LEVEL_INFO);
  g_assert_cmpint (changed, ==, 3);
}

static void
test_override_reaches_below (void)
{
  g_autofree char *app_id = unique_app_id ();
  g_autoptr(TlRegistry) registry = new_registry ();
  g_autoptr(GSettings) op = operator_settings (app_id);
  g_autoptr(GError) error = NULL;

  /* The program configured a child log of dynamo quietly. */
  g_assert_true (tl_registry_parse_logs (registry, "-torch._dynamo.output_graph,aot", &error));
  g_assert_no_error (error);
  g_assert_cmpint (level_of (registry, "torch._dynamo.output_graph"), ==, TL_LEVEL_ERROR);
  g_assert_true (tl_registry_bind_settings_for_app (registry, app_id, &error));

  /* `+dynamo` from the operator raises all of dynamo. */
  operator_set (registry, op, "logs", "+dynamo");
  g_assert_cmpint (level_of (registry, "torch._dynamo.output_graph"), ==, TL_LEVEL_DEBUG);
  g_assert_cmpint (level_of (registry, "torch._functorch.aot_autograd"), ==, TL_LEVEL_INFO);

  operator_set (registry, op, "logs", "");
  g_assert_cmpint (level_of (registry, "torch._dynamo.output_graph"), ==, TL_LEVEL_ERROR);
}

static void
test_invalid_value_keeps_previous (void)
{
  g_autofree char *app_id = unique_app_id ();
  g_autoptr(TlRegistry) registry = new_registry ();
  g_autoptr(GSettings) op = operator_settings (app_id);
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  int changed = 0;

  g_assert_true (tl_registry_bind_settings_for_app (registry, app_id, &error));
  operator_set (registry, op, "logs", "+dynamo");
  g_signal_connect (registry, "changed", G_CALLBACK (count_changed), &changed);

  g_test_expect_message ("Torchlog", G_LOG_LEVEL_WARNING,
                         /* ASCII quotes when the console is not UTF-8 (issue 16) */
                         "*key ?logs?*Invalid log settings: dynamo,bogus, must be a comma "
                         "separated list of fully*For more info on various settings, try "
                         "TORCH_LOGS=\"help\"*Valid settings:*");
  operator_set (registry, op, "logs", "dynamo, bogus");
  g_test_assert_expected_messages ();
  g_assert_cmpint (changed, ==, 0);
  g_assert_cmpint (level_of (registry, "torch._dynamo"), ==, TL_LEVEL_DEBUG);
  /* Never rewritten behind the operator's back. */
  stored = g_settings_get_string (op, "logs");
  g_assert_cmpstr (stored, ==, "dynamo, bogus");

  g_test_expect_message ("Torchlog", G_LOG_LEVEL_WARNING, "*Invalid log settings: dynamo ,aot,*");
  operator_set (registry, op, "logs", "dynamo ,aot");
  g_test_assert_expected_messages ();
  g_assert_cmpint (changed, ==, 0);

  /* A valid value after garbage applies normally. */
  operator_set (registry, op, "logs", "aot");
  g_assert_cmpint (changed, ==, 1);
  g_assert_cmpint (level_of (registry, "torch._dynamo"), ==, TL_LEVEL_WARNING);
  g_assert_cmpint (level_of (registry, "torch._functorch.aot_autograd"), ==, TL_LEVEL_INFO);
}

static void
write_probe (TlRegistry *registry, const char *message)
{
  const GLogField fields[] = {
    { "GLIB_DOMAIN", "torch._dynamo", -1 },
    { "PRIORITY", "4", -1 },
    { "MESSAGE", message, -1 },
    { "CODE_FILE", "test-settings.c", -1 },
    { "CODE_LINE", "1", -1 },
    { "TORCHLOG_COMPONENT", "dynamo", -1 },
  };

  tl_registry_write (registry, G_LOG_LEVEL_WARNING, fields, G_N_ELEMENTS (fields));
  /* File output is buffered. */
  tl_registry_flush (registry);
}

static char *
read_file (const char *path)
{
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

static void
test_output_file_and_format (void)
{
  g_autofree char *app_id = unique_app_id ();
  g_autoptr(TlRegistry) registry = new_registry ();
  g_autoptr(GSettings) op = operator_settings (app_id);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tl-settings-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "out.log", NULL);
  g_autofree char *bad = g_build_filename (dir, "missing", "out.log", NULL);
  g_autofree char *contents = NULL;

  g_assert_no_error (error);
  g_assert_true (tl_registry_bind_settings_for_app (registry, app_id, &error));

  operator_set (registry, op, "output-file", path);
  operator_set (registry, op, "format", "%(levelname)s|%(name)s|%(message)s");
  write_probe (registry, "first");
  contents = read_file (path);
  g_assert_cmpstr (contents, ==, "WARNING|torch._dynamo|first\n");

  operator_set (registry, op, "format", "short");
  write_probe (registry, "second");
  g_free (contents);
  contents = read_file (path);
  g_assert_true (g_str_has_suffix (contents, "\nWARNING:torch._dynamo:second\n"));

  /* torch's own lines, by name. */
  operator_set (registry, op, "format", "torch");
  write_probe (registry, "third");
  g_free (contents);
  contents = read_file (path);
  g_assert_true (g_str_has_suffix (contents, "test-settings.c:1] third\n"));
  g_assert_nonnull (strstr (contents, "\nW"));

  /* An unusable format or file: one warning each, the outputs stay. */
  g_test_expect_message ("Torchlog", G_LOG_LEVEL_WARNING, "*key ?format?*");
  operator_set (registry, op, "format", "no fields here");
  g_test_assert_expected_messages ();
  g_test_expect_message ("Torchlog", G_LOG_LEVEL_WARNING, "*key ?output-file?*");
  operator_set (registry, op, "output-file", bad);
  g_test_assert_expected_messages ();
  write_probe (registry, "fourth");
  g_free (contents);
  contents = read_file (path);
  g_assert_true (g_str_has_suffix (contents, "test-settings.c:1] fourth\n"));

  /* Reset both: the program's outputs (stderr only) again. */
  operator_set (registry, op, "format", "");
  operator_set (registry, op, "output-file", "");
  write_probe (registry, "fifth");
  g_free (contents);
  contents = read_file (path);
  g_assert_null (strstr (contents, "fifth"));

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_unbind_removes_layer (void)
{
  g_autofree char *app_id = unique_app_id ();
  g_autoptr(TlRegistry) registry = new_registry ();
  g_autoptr(GSettings) op = operator_settings (app_id);
  g_autoptr(GError) error = NULL;

  g_assert_true (tl_registry_parse_logs (registry, "aot", &error));
  g_assert_true (tl_registry_bind_settings_for_app (registry, app_id, &error));
  operator_set (registry, op, "logs", "+dynamo");
  g_assert_cmpint (level_of (registry, "torch._dynamo"), ==, TL_LEVEL_DEBUG);

  tl_registry_unbind_settings (registry);
  g_assert_null (tl_registry_get_settings (registry));
  g_assert_cmpint (level_of (registry, "torch._dynamo"), ==, TL_LEVEL_WARNING);
  g_assert_cmpint (level_of (registry, "torch._functorch.aot_autograd"), ==, TL_LEVEL_INFO);

  /* No longer listening. */
  g_settings_set_string (op, "logs", "-aot");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (level_of (registry, "torch._functorch.aot_autograd"), ==, TL_LEVEL_INFO);
  tl_registry_unbind_settings (registry);
}

static void
test_registry_finalized_while_bound (void)
{
  g_autofree char *app_id = unique_app_id ();
  g_autoptr(GSettings) op = operator_settings (app_id);
  TlRegistry *registry = new_registry ();
  g_autoptr(GError) error = NULL;

  g_assert_true (tl_registry_bind_settings_for_app (registry, app_id, &error));
  g_object_add_weak_pointer (G_OBJECT (registry), (gpointer *) &registry);
  g_object_unref (registry);
  g_assert_null (registry);
  /* A change arriving afterwards must reach no one. */
  g_settings_set_string (op, "logs", "+dynamo");
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* ---- every thread --------------------------------------------------- */

#define N_THREADS 4

static int phase;            /* 0: before, 1: raised, 2: reset; -1: stop */
static int probes_seen;      /* records the writer saw from the threads */
static int threads_done;     /* threads that finished the current phase */

static GLogWriterOutput
counting_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && g_str_has_prefix (fields[i].value, "probe"))
      {
        g_atomic_int_inc (&probes_seen);
        return G_LOG_WRITER_HANDLED;
      }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* One call site shared by every thread, so its cached decision must be
 * dropped for all of them when the configuration changes. */
static void
probe (int thread)
{
  tl_debug ("probe from thread %d", thread);
}

static gpointer
worker (gpointer data)
{
  int thread = GPOINTER_TO_INT (data);
  int done_phase = -2;

  for (;;)
    {
      int now = g_atomic_int_get (&phase);

      if (now == -1)
        return NULL;
      if (now != done_phase)
        {
          probe (thread);
          done_phase = now;
          g_atomic_int_inc (&threads_done);
        }
      g_usleep (1000);
    }
}

static void
wait_threads (void)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;

  while (g_atomic_int_get (&threads_done) < N_THREADS)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (1000);
    }
  g_atomic_int_set (&threads_done, 0);
}

static void
test_every_thread_sees_change (void)
{
  g_autofree char *app_id = unique_app_id ();
  TlRegistry *registry = tl_registry_get_default ();
  g_autoptr(GSettings) op = operator_settings (app_id);
  g_autoptr(GError) error = NULL;
  GThread *threads[N_THREADS];

  if (tl_registry_lookup_component (registry, "dynamo") == NULL)
    tl_registry_add_pytorch_registrations (registry);
  g_assert_true (tl_registry_bind_settings_for_app (registry, app_id, &error));

  for (int i = 0; i < N_THREADS; i++)
    threads[i] = g_thread_new ("probe", worker, GINT_TO_POINTER (i));
  wait_threads ();
  g_assert_cmpint (g_atomic_int_get (&probes_seen), ==, 0);

  operator_set (registry, op, "logs", "+dynamo");
  g_atomic_int_set (&phase, 1);
  wait_threads ();
  g_assert_cmpint (g_atomic_int_get (&probes_seen), ==, N_THREADS);

  operator_set (registry, op, "logs", "");
  g_atomic_int_set (&phase, 2);
  wait_threads ();
  g_assert_cmpint (g_atomic_int_get (&probes_seen), ==, N_THREADS);

  g_atomic_int_set (&phase, -1);
  for (int i = 0; i < N_THREADS; i++)
    g_thread_join (threads[i]);
  tl_registry_unbind_settings (registry);
}

/* ---- main ----------------------------------------------------------- */

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config_home = NULL;
  const char *backend = g_getenv ("GSETTINGS_BACKEND");
  int result;

  /* A private configuration folder for the keyfile backend, made before
   * GLib caches the user's folders. */
  config_home = g_dir_make_tmp ("tl-test-settings-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);

  g_log_set_writer_func (counting_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  /* The suite sets these; without them GSettings would use the user's. */
  g_assert_nonnull (g_getenv ("GSETTINGS_SCHEMA_DIR"));
  g_assert_true (g_strcmp0 (backend, "memory") == 0 || g_strcmp0 (backend, "keyfile") == 0);

  g_test_add_func ("/settings/path-rule", test_path_rule);
  g_test_add_func ("/settings/new-for-app/invalid-id", test_new_for_app_invalid_id);
  g_test_add_func ("/settings/new-for-app/schema-and-path", test_settings_at_path);
  g_test_add_func ("/settings/registrations/round-trip", test_registrations_round_trip);
  g_test_add_func ("/settings/bind/publishes-registrations", test_bind_publishes_registrations);
  g_test_add_func ("/settings/start/stored-value-applies", test_stored_value_applies_at_start);
  g_test_add_func ("/settings/start/env-wins-over-stored-value", test_env_wins_at_start);
  g_test_add_func ("/settings/start/env-wins-over-set-logs", test_env_wins_over_set_logs);
  g_test_add_func ("/settings/live/change-applies-and-emits-changed",
                   test_change_applies_and_emits_changed);
  g_test_add_func ("/settings/live/change-applies-over-env", test_change_applies_over_env);
  g_test_add_func ("/settings/live/reset-returns-to-set-logs", test_reset_returns_to_set_logs);
  g_test_add_func ("/settings/live/override-reaches-below", test_override_reaches_below);
  g_test_add_func ("/settings/live/invalid-value-keeps-previous", test_invalid_value_keeps_previous);
  g_test_add_func ("/settings/live/output-file-and-format", test_output_file_and_format);
  g_test_add_func ("/settings/unbind/removes-layer", test_unbind_removes_layer);
  g_test_add_func ("/settings/unbind/registry-finalized", test_registry_finalized_while_bound);
  g_test_add_func ("/settings/threads/every-thread-sees-change", test_every_thread_sees_change);

  result = g_test_run ();
  remove_tree (config_home);
  return result;
}
