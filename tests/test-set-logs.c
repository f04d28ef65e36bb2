/* test-set-logs.c: torch's set_logs() (spec §3), the precedence of the
 * environment variable (§3.1), and the test facts of spec §8 that apply to
 * C, each checked the way torch's harness does (§7.8): once with the
 * settings string in the environment and once through set_logs().
 *
 * Each test names the facts it covers. Expectations come from the spec or
 * from the C decisions of issue 2, never from the library's behaviour.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <torchlog/torchlog.h>

#include "tl-test-util.h"

/* ---- helpers -------------------------------------------------------- */

/* The variable fresh registries read instead of TORCH_LOGS, so tests do
 * not depend on the caller's environment. */
#define TEST_ENV_VAR "TL_TEST_SET_LOGS_LOGS"

static const char * const dynamo_qnames[] = {
  "torch._dynamo", "torch.fx.experimental.symbolic_shapes",
  "torch.fx.experimental.sym_node", "torch.fx.experimental.recording",
};

static TlRegistry *
new_registry (void)
{
  TlRegistry *registry = tl_registry_new ();

  tl_registry_add_pytorch_registrations (registry);
  tl_registry_set_env_var (registry, TEST_ENV_VAR);
  return registry;
}

static guint
n_enabled_artifacts (TlRegistry *registry)
{
  GListModel *artifacts = tl_registry_get_artifacts (registry);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (artifacts); i++)
    {
      g_autoptr(TlArtifact) artifact = g_list_model_get_item (artifacts, i);
      n += tl_artifact_get_enabled (artifact);
    }
  return n;
}

/* set_logs() through the va_list entry point; must succeed. */
static void
set_logs_ok (TlRegistry *registry,
             const char *first_name,
             ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;
  gboolean ok;

  va_start (args, first_name);
  ok = tl_registry_set_logs_valist (registry, &error, first_name, args);
  va_end (args);
  g_assert_no_error (error);
  g_assert_true (ok);
}

/* set_logs() through the a{sv} entry point, from GVariant text. */
static gboolean
set_logs_text (TlRegistry  *registry,
               const char  *text,
               GError     **error)
{
  g_autoptr(GVariant) settings = g_variant_ref_sink (g_variant_new_parsed (text));

  return tl_registry_set_logs_variant (registry, settings, error);
}

static void
set_logs_text_ok (TlRegistry *registry,
                  const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (set_logs_text (registry, text, &error));
  g_assert_no_error (error);
}

static void
set_logs_text_fails (TlRegistry *registry,
                     const char *text,
                     int         code,
                     const char *message)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (set_logs_text (registry, text, &error));
  g_assert_error (error, TL_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

/* Sets or unsets an environment variable and gives back the old value. */
typedef struct {
  const char *name;
  char       *old_value;
} SavedEnv;

static void
env_set (SavedEnv   *saved,
         const char *name,
         const char *value)
{
  saved->name = name;
  saved->old_value = g_strdup (g_getenv (name));
  if (value != NULL)
    g_setenv (name, value, TRUE);
  else
    g_unsetenv (name);
}

static void
env_restore (SavedEnv *saved)
{
  if (saved->old_value != NULL)
    g_setenv (saved->name, saved->old_value, TRUE);
  else
    g_unsetenv (saved->name);
  g_clear_pointer (&saved->old_value, g_free);
}

/* Hands one record to the registry's writer, as tl_debug() and friends do
 * (the GLib level carries torch's level). */
static void
write_record (TlRegistry *registry,
              const char *domain,
              TlLevel     level,
              const char *message)
{
  const GLogField fields[] = {
    { "GLIB_DOMAIN", domain, -1 },
    { "MESSAGE", message, -1 },
    { "PRIORITY", tl_level_to_priority (level), -1 },
    { "CODE_FILE", "tests/test-set-logs.c", -1 },
    { "CODE_LINE", "410", -1 },
    { "CODE_FUNC", "test_fn", -1 },
  };

  /* Only torchlog's domains here: GLib's own writer would make a warning
   * fatal under G_DEBUG=fatal-warnings. */
  g_assert_true (tl_registry_write (registry, tl_level_to_glib (level), fields,
                                    G_N_ELEMENTS (fields)) == G_LOG_WRITER_HANDLED);
}

/* Non-empty lines of @text. */
static GPtrArray *
text_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *kept = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (kept, g_strdup (lines[i]));
  return kept;
}

/* torch's glog prefix (§5.1), captured: 1 rank, 2 letter, 3 artifact
 * marker, 4 message. */
#define GLOG_LINE \
  "^(\\[rank\\d+\\]:)?([VIWEC])\\d{4} \\d{2}:\\d{2}:\\d{2}\\.\\d{6} \\d+ [^ ]+:\\d+\\]" \
  "(?: \\[[^]_][^]]*\\])?( \\[__\\w+\\])? (.*)$"

/* The message part of a glog line, or NULL if @line is not one. */
static char *
glog_message (const char *line,
              char      **marker)
{
  g_autoptr(GRegex) regex = g_regex_new (GLOG_LINE, 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  if (!g_regex_match (regex, line, 0, &match))
    return NULL;
  if (marker != NULL)
    *marker = g_match_info_fetch (match, 3);
  return g_match_info_fetch (match, 4);
}

/* ---- both forms, as torch's make_logging_test (§7.8) ----------------- */

typedef void (*CheckFunc) (TlRegistry *registry);

/* Runs @check on a registry configured by @env through the environment
 * and init_logs(), then on one configured by @variant through set_logs().
 * Either may be NULL. */
static void
both_forms (const char *env,
            const char *variant,
            CheckFunc   check)
{
  if (env != NULL)
    {
      g_autoptr(TlRegistry) registry = new_registry ();
      g_autoptr(GError) error = NULL;
      SavedEnv saved;

      g_test_message ("%s=\"%s\"", TEST_ENV_VAR, env);
      env_set (&saved, TEST_ENV_VAR, env);
      g_assert_true (tl_registry_init_logs (registry, &error));
      g_assert_no_error (error);
      env_restore (&saved);
      check (registry);
    }
  if (variant != NULL)
    {
      g_autoptr(TlRegistry) registry = new_registry ();
      SavedEnv saved;

      g_test_message ("set_logs (%s)", variant);
      env_set (&saved, TEST_ENV_VAR, NULL);
      set_logs_text_ok (registry, variant);
      env_restore (&saved);
      check (registry);
    }
}

static void
assert_every_qname (TlRegistry *registry,
                    gboolean  (*is_special) (const char *qname),
                    TlLevel     special_level,
                    TlLevel     other_level)
{
  GListModel *components = tl_registry_get_components (registry);

  for (guint i = 0; i < g_list_model_get_n_items (components); i++)
    {
      g_autoptr(TlComponent) component = g_list_model_get_item (components, i);
      g_auto(GStrv) domains = tl_component_dup_domains (component);

      for (gsize d = 0; domains[d] != NULL; d++)
        assert_level (registry, domains[d],
                      is_special != NULL && is_special (domains[d]) ? special_level : other_level);
    }
}

/* ---- §3.3 the algorithm --------------------------------------------- */

static void
test_reset_each_call (void)
{
  /* Fact 21 and §3.3 step 1: each call is a complete specification. */
  g_autoptr(TlRegistry) registry = new_registry ();

  set_logs_ok (registry, "guards", TRUE, "inductor", TL_LEVEL_DEBUG, NULL);
  g_assert_true (tl_test_artifact_enabled (registry, "guards"));
  assert_level (registry, "torch._inductor", TL_LEVEL_DEBUG);

  set_logs_ok (registry, "dynamo", TL_LEVEL_INFO, NULL);
  g_assert_false (tl_test_artifact_enabled (registry, "guards"));
  g_assert_cmpuint (n_enabled_artifacts (registry), ==, 0);
  assert_level (registry, "torch._dynamo", TL_LEVEL_INFO);
  assert_level (registry, "torch._inductor", TL_LEVEL_WARNING);

  /* No pairs at all: back to the defaults. */
  set_logs_ok (registry, NULL);
  assert_level (registry, "torch._dynamo", TL_LEVEL_WARNING);
  set_logs_text_ok (registry, "@a{sv} {}");
  assert_level (registry, "torch", TL_LEVEL_WARNING);
}

static void
test_varargs (void)
{
  /* The C form: ints, TRUE/FALSE for artifacts, NULL-terminated. */
  g_autoptr(TlRegistry) registry = new_registry ();
  g_autoptr(GError) error = NULL;

  g_assert_true (tl_registry_set_logs (registry, &error,
                                       "dynamo", TL_LEVEL_DEBUG,
                                       "aot", TL_LEVEL_INFO,
                                       "graph_code", TRUE,
                                       "bytecode", FALSE,
                                       NULL));
  g_assert_no_error (error);
  for (gsize q = 0; q < G_N_ELEMENTS (dynamo_qnames); q++)
    assert_level (registry, dynamo_qnames[q], TL_LEVEL_DEBUG);
  assert_level (registry, "torch._functorch.aot_autograd", TL_LEVEL_INFO);
  assert_level (registry, "torch._inductor", TL_LEVEL_WARNING);
  g_assert_true (tl_test_artifact_enabled (registry, "graph_code"));
  g_assert_false (tl_test_artifact_enabled (registry, "bytecode"));
  g_assert_cmpuint (n_enabled_artifacts (registry), ==, 1);
  g_assert_cmpint (tl_component_get_level (tl_registry_lookup_component (registry, "dynamo")),
                   ==, TL_LEVEL_DEBUG);
}

static void
test_variant (void)
{
  /* The a{sv} form: `b` for artifacts, integers for levels. */
  g_autoptr(TlRegistry) registry = new_registry ();

  set_logs_text_ok (registry,
                    "{'dynamo': <int32 10>, 'inductor': <int64 40>, 'aot': <uint32 20>,"
                    " 'guards': <true>, 'graph': <false>}");
  assert_level (registry, "torch._dynamo", TL_LEVEL_DEBUG);
  assert_level (registry, "torch._inductor", TL_LEVEL_ERROR);
  assert_level (registry, "torch._functorch._aot_autograd", TL_LEVEL_INFO);
  g_assert_true (tl_test_artifact_enabled (registry, "guards"));
  g_assert_false (tl_test_artifact_enabled (registry, "graph"));
}

static void
test_variant_none_skipped (void)
{
  /* §3.3: None means "not mentioned"; in a{sv} it is a `mv` holding
   * nothing. False, unlike None, is a value. */
  g_autoptr(TlRegistry) registry = new_registry ();

  set_logs_text_ok (registry, "{'dynamo': <@mv nothing>, 'aot': <int32 20>,"
                              " 'guards': <@mv nothing>}");
  assert_level (registry, "torch._dynamo", TL_LEVEL_WARNING);
  assert_level (registry, "torch._functorch.aot_autograd", TL_LEVEL_INFO);
  g_assert_false (tl_test_artifact_enabled (registry, "guards"));
}

static void
test_order_given (void)
{
  /* Fact 8, and issue 2's decision that pairs apply in the order given
   * (torch applies its fixed keyword order, §3.3, in which dynamo comes
   * before dynamic and export after both). */
  g_autoptr(TlRegistry) registry = new_registry ();

  /* set_logs(dynamo=DEBUG, export=INFO) → torch._dynamo is INFO. */
  set_logs_ok (registry, "dynamo", TL_LEVEL_DEBUG, "export", TL_LEVEL_INFO, NULL);
  assert_level (registry, "torch._dynamo", TL_LEVEL_INFO);
  assert_level (registry, "torch.fx.experimental.symbolic_shapes", TL_LEVEL_INFO);
  assert_level (registry, "torch.export", TL_LEVEL_INFO);

  /* set_logs(dynamic=INFO, dynamo=DEBUG), in torch's order: dynamo, then
   * dynamic → torch._dynamo DEBUG, symbolic_shapes INFO. */
  set_logs_ok (registry, "dynamo", TL_LEVEL_DEBUG, "dynamic", TL_LEVEL_INFO, NULL);
  assert_level (registry, "torch._dynamo", TL_LEVEL_DEBUG);
  assert_level (registry, "torch.fx.experimental.symbolic_shapes", TL_LEVEL_INFO);

  /* The other order is a different request in C. */
  set_logs_ok (registry, "dynamic", TL_LEVEL_INFO, "dynamo", TL_LEVEL_DEBUG, NULL);
  assert_level (registry, "torch.fx.experimental.symbolic_shapes", TL_LEVEL_DEBUG);

  /* The a{sv} form keeps the dictionary's order too. */
  set_logs_text_ok (registry, "{'export': <10>, 'dynamo': <40>}");
  assert_level (registry, "torch._dynamo", TL_LEVEL_ERROR);
  assert_level (registry, "torch.export", TL_LEVEL_DEBUG);
  set_logs_text_ok (registry, "{'dynamo': <40>, 'export': <10>}");
  assert_level (registry, "torch._dynamo", TL_LEVEL_DEBUG);
}

static gboolean
is_dynamo_qname_or_below (const char *qname)
{
  for (gsize q = 0; q < G_N_ELEMENTS (dynamo_qnames); q++)
    {
      gsize len = strlen (dynamo_qnames[q]);

      if (strncmp (qname, dynamo_qnames[q], len) == 0 &&
          (qname[len] == '\0' || qname[len] == '.'))
        return TRUE;
    }
  return FALSE;
}

static void
check_all_debug_dynamo_info (TlRegistry *registry)
{
  assert_every_qname (registry, is_dynamo_qname_or_below, TL_LEVEL_INFO, TL_LEVEL_DEBUG);
  assert_level (registry, "torch", TL_LEVEL_DEBUG);
}

static void
test_all (void)
{
  /* Fact 6 (test_all): set_logs(all=DEBUG, dynamo=INFO). */
  both_forms ("+all,dynamo", "{'all': <10>, 'dynamo': <20>}", check_all_debug_dynamo_info);
  both_forms (NULL, "{'dynamo': <20>, 'all': <10>}", check_all_debug_dynamo_info);
}

static void
test_modules_names (void)
{
  /* §3.2 modules=: aliases without a keyword, artifacts without one, and
   * all accepted as plain keys. */
  g_autoptr(TlRegistry) registry = new_registry ();

  set_logs_ok (registry,
               "fake_tensor", TL_LEVEL_DEBUG,
               "cache", TL_LEVEL_INFO,
               "pp", TL_LEVEL_ERROR,
               "native_dsl", TL_LEVEL_CRITICAL,
               "async_compile", TL_LEVEL_DEBUG,
               "flex_gemm", TL_LEVEL_INFO,
               "loop_ordering", TRUE,
               "custom_format_test_artifact", TRUE,
               "torch", TL_LEVEL_ERROR,
               NULL);
  assert_level (registry, "torch._subclasses.fake_tensor", TL_LEVEL_DEBUG);
  assert_level (registry, "torch._inductor.remote_cache", TL_LEVEL_INFO);
  assert_level (registry, "torch._inductor.fb.remote_cache", TL_LEVEL_INFO);
  assert_level (registry, "torch.distributed.pipelining", TL_LEVEL_ERROR);
  assert_level (registry, "torch._native", TL_LEVEL_CRITICAL);
  assert_level (registry, "torch._inductor.compile_worker.tracked_process_pool", TL_LEVEL_DEBUG);
  assert_level (registry, "torch._inductor.kernel.flex_gemm.debug", TL_LEVEL_INFO);
  assert_level (registry, "torch", TL_LEVEL_ERROR);
  assert_level (registry, "torch._dynamo", TL_LEVEL_ERROR);
  g_assert_true (tl_test_artifact_enabled (registry, "loop_ordering"));
  g_assert_true (tl_test_artifact_enabled (registry, "custom_format_test_artifact"));
}

static void
test_artifact_checked_first (void)
{
  /* §3.3: in set_logs the artifact check comes first (unlike TORCH_LOGS,
   * where the alias wins). */
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  const char *domains[] = { "app.both", NULL };
  g_autoptr(GError) error = NULL;

  tl_registry_set_env_var (registry, TEST_ENV_VAR);
  tl_registry_register_log (registry, "both", domains, NULL);
  tl_registry_register_artifact (registry, "both", "", TL_ARTIFACT_FLAGS_NONE, NULL);

  set_logs_ok (registry, "both", TRUE, NULL);
  g_assert_true (tl_artifact_get_enabled (tl_registry_lookup_artifact (registry, "both")));
  assert_level (registry, "app.both", TL_LEVEL_WARNING);

  g_assert_false (tl_registry_set_logs (registry, &error, "both", TL_LEVEL_DEBUG, NULL));
  g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==, "Expected bool to enable artifact both, received 10");
}

static void
test_notset (void)
{
  /* Fact 18: False (0) is NOTSET: the qnames inherit from torch. */
  g_autoptr(TlRegistry) registry = new_registry ();

  set_logs_ok (registry, "all", TL_LEVEL_DEBUG, "dynamo", TL_LEVEL_NOTSET, NULL);
  assert_level (registry, "torch._dynamo", TL_LEVEL_DEBUG);
  set_logs_text_ok (registry, "{'all': <40>, 'dynamo': <false>}");
  assert_level (registry, "torch._dynamo", TL_LEVEL_ERROR);
  set_logs_text_ok (registry, "{'dynamo': <false>}");
  assert_level (registry, "torch._dynamo", TL_LEVEL_WARNING);
}

/* ---- the ValueError texts (facts 17, 18, 19) ------------------------ */

static void
test_error_artifact_not_bool (void)
{
  /* Fact 17 (test_invalid_artifact_flag), and `guards=1` of §3.3. */
  g_autoptr(TlRegistry) registry = new_registry ();
  g_autoptr(GError) error = NULL;

  g_assert_false (tl_registry_set_logs (registry, &error, "aot_graphs", 5, NULL));
  g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==, "Expected bool to enable artifact aot_graphs, received 5");

  set_logs_text_fails (registry, "{'aot_graphs': <5>}", TL_ERROR_INVALID_VALUE,
                       "Expected bool to enable artifact aot_graphs, received 5");
  /* An int is not a bool in a{sv}, even 1 and 0. */
  set_logs_text_fails (registry, "{'guards': <1>}", TL_ERROR_INVALID_VALUE,
                       "Expected bool to enable artifact guards, received 1");
  set_logs_text_fails (registry, "{'guards': <0>}", TL_ERROR_INVALID_VALUE,
                       "Expected bool to enable artifact guards, received 0");
  set_logs_text_fails (registry, "{'guards': <'True'>}", TL_ERROR_INVALID_VALUE,
                       "Expected bool to enable artifact guards, received True");
}

static void
test_error_bad_level (void)
{
  /* Fact 18. */
  g_autoptr(TlRegistry) registry = new_registry ();
  g_autoptr(GError) error = NULL;

  g_assert_false (tl_registry_set_logs (registry, &error, "dynamo", 15, NULL));
  g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==,
                   "Unrecognized log level for log dynamo: 15, valid level values are: "
                   "50,40,30,20,10,0");
  g_clear_error (&error);

  set_logs_text_fails (registry, "{'dynamo': <15>}", TL_ERROR_INVALID_VALUE,
                       "Unrecognized log level for log dynamo: 15, valid level values are: "
                       "50,40,30,20,10,0");
  set_logs_text_fails (registry, "{'dynamo': <true>}", TL_ERROR_INVALID_VALUE,
                       "Unrecognized log level for log dynamo: True, valid level values are: "
                       "50,40,30,20,10,0");
  set_logs_text_fails (registry, "{'inductor': <'DEBUG'>}", TL_ERROR_INVALID_VALUE,
                       "Unrecognized log level for log inductor: DEBUG, valid level values are: "
                       "50,40,30,20,10,0");
  set_logs_text_fails (registry, "{'aot': <-10>}", TL_ERROR_INVALID_VALUE,
                       "Unrecognized log level for log aot: -10, valid level values are: "
                       "50,40,30,20,10,0");

  /* `all` is torch's `torch` log: set_logs(all=15) reports `torch`. */
  g_assert_false (tl_registry_set_logs (registry, &error, "all", 15, NULL));
  g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==,
                   "Unrecognized log level for log torch: 15, valid level values are: "
                   "50,40,30,20,10,0");
  g_clear_error (&error);

  /* A known child log is validated as a log (§3.3). */
  set_logs_ok (registry, "torch.utils", TL_LEVEL_INFO, NULL);
  g_assert_true (tl_registry_is_child_log (registry, "torch.utils"));
  g_assert_false (tl_registry_set_logs (registry, &error, "torch.utils", 15, NULL));
  g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==,
                   "Unrecognized log level for log torch.utils: 15, valid level values are: "
                   "50,40,30,20,10,0");
  g_clear_error (&error);

  /* C decision (torch skips this the first time, a [quirk]): a new module
   * name's level is checked too. */
  g_assert_false (tl_registry_set_logs (registry, &error, "pkg.mod", 15, NULL));
  g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==,
                   "Unrecognized log level for log pkg.mod: 15, valid level values are: "
                   "50,40,30,20,10,0");
  g_assert_null (tl_registry_lookup_component (registry, "pkg.mod"));
}

static void
test_error_unknown_name (void)
{
  /* Fact 19; an undotted unknown name is not a module in C (issue 2). */
  g_autoptr(TlRegistry) registry = new_registry ();
  g_autoptr(GError) error = NULL;

  g_assert_false (tl_registry_set_logs (registry, &error, "nonexistent_mod", 10, NULL));
  g_assert_error (error, TL_ERROR, TL_ERROR_UNKNOWN_NAME);
  g_assert_cmpstr (error->message, ==,
                   "Unrecognized log or artifact name passed to set_logs: nonexistent_mod");
  set_logs_text_fails (registry, "{'nonexistent_mod': <10>}", TL_ERROR_UNKNOWN_NAME,
                       "Unrecognized log or artifact name passed to set_logs: nonexistent_mod");
  set_logs_text_fails (registry, "{'Dynamo': <10>}", TL_ERROR_UNKNOWN_NAME,
                       "Unrecognized log or artifact name passed to set_logs: Dynamo");
  set_logs_text_fails (registry, "{'help': <true>}", TL_ERROR_UNKNOWN_NAME,
                       "Unrecognized log or artifact name passed to set_logs: help");
}

static void
test_error_changes_nothing (void)
{
  /* C decision: a failed call changes nothing (torch has already cleared
   * its state by then, a [quirk]). */
  g_autoptr(TlRegistry) registry = new_registry ();
  g_autoptr(GError) error = NULL;
  guint n_components = g_list_model_get_n_items (tl_registry_get_components (registry));

  set_logs_ok (registry, "dynamo", TL_LEVEL_DEBUG, "guards", TRUE, NULL);
  g_assert_false (tl_registry_set_logs (registry, &error,
                                        "aot", TL_LEVEL_INFO,
                                        "graph", TRUE,
                                        "new.module", TL_LEVEL_INFO,
                                        "inductor", 15,
                                        NULL));
  g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_VALUE);
  assert_level (registry, "torch._dynamo", TL_LEVEL_DEBUG);
  assert_level (registry, "torch._functorch.aot_autograd", TL_LEVEL_WARNING);
  g_assert_true (tl_test_artifact_enabled (registry, "guards"));
  g_assert_false (tl_test_artifact_enabled (registry, "graph"));
  g_assert_null (tl_registry_lookup_component (registry, "new.module"));
  g_assert_cmpuint (g_list_model_get_n_items (tl_registry_get_components (registry)),
                    ==, n_components);
}

/* ---- open registration through set_logs (§3.3, §2.6) ---------------- */

static void
test_open_registration (void)
{
  /* The docs' example (§3.4) and fact 24. */
  g_autoptr(TlRegistry) registry = new_registry ();
  TlComponent *component;

  set_logs_ok (registry, "dynamo", TL_LEVEL_DEBUG, "graph_code", TRUE, NULL);
  set_logs_ok (registry, "unregistered.module.name", TL_LEVEL_DEBUG, NULL);
  component = tl_registry_lookup_component (registry, "unregistered.module.name");
  g_assert_nonnull (component);
  assert_level (registry, "unregistered.module.name", TL_LEVEL_DEBUG);
  assert_level (registry, "unregistered.module.name.child", TL_LEVEL_DEBUG);
  assert_level (registry, "torch._dynamo", TL_LEVEL_WARNING);
  g_assert_false (tl_test_artifact_enabled (registry, "graph_code"));

  /* Now a log: a later call names it like any other. */
  set_logs_ok (registry, "unregistered.module.name", TL_LEVEL_ERROR, NULL);
  assert_level (registry, "unregistered.module.name", TL_LEVEL_ERROR);
  g_assert_true (tl_registry_lookup_component (registry, "unregistered.module.name") == component);

  set_logs_ok (registry, "torch.utils", TL_LEVEL_INFO, NULL);
  g_assert_true (tl_registry_is_child_log (registry, "torch.utils"));
  g_assert_null (tl_registry_lookup_component (registry, "torch.utils"));
  assert_level (registry, "torch.utils", TL_LEVEL_INFO);
  assert_level (registry, "unregistered.module.name", TL_LEVEL_WARNING);
}

static void
test_directory_based (void)
{
  /* Issue 2: a module name's level overwrites what earlier pairs set for
   * the registered names below it; later pairs win. */
  g_autoptr(TlRegistry) registry = new_registry ();

  set_logs_ok (registry, "inductor", TL_LEVEL_DEBUG, "torch._inductor", TL_LEVEL_INFO, NULL);
  assert_level (registry, "torch._inductor.cudagraph_trees", TL_LEVEL_INFO);
  set_logs_ok (registry, "torch._inductor", TL_LEVEL_INFO, "inductor", TL_LEVEL_DEBUG, NULL);
  assert_level (registry, "torch._inductor.cudagraph_trees", TL_LEVEL_DEBUG);
  set_logs_ok (registry, "flex_gemm", TL_LEVEL_DEBUG, "torch._inductor", TL_LEVEL_ERROR, NULL);
  assert_level (registry, "torch._inductor.kernel.flex_gemm.debug", TL_LEVEL_ERROR);
}

/* ---- §3.1 precedence of the environment variable (fact 20) ----------- */

static guint
count_ignoring_warnings (const char *output)
{
  g_autoptr(GPtrArray) lines = text_lines (output);
  guint n = 0;

  for (guint i = 0; i < lines->len; i++)
    {
      g_autofree char *marker = NULL;
      g_autofree char *message = glog_message (g_ptr_array_index (lines, i), &marker);

      g_assert_nonnull (message);
      g_assert_true (g_str_has_prefix ((const char *) g_ptr_array_index (lines, i), "W"));
      if (g_strcmp0 (message, "Using TORCH_LOGS environment variable for log settings, "
                              "ignoring call to set_logs") == 0)
        n++;
    }
  return n;
}

static void
test_env_precedence (void)
{
  /* Fact 20: with TORCH_LOGS set, set_logs() prints one WARNING line in
   * torch's format and changes nothing, on every ignored call as torch
   * does (issue 15). */
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  g_autoptr(TlRegistry) other = tl_registry_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  TlTestStderr capture;
  SavedEnv saved;

  tl_registry_add_pytorch_registrations (registry);
  tl_registry_add_pytorch_registrations (other);
  g_assert_cmpstr (tl_registry_get_env_var (registry), ==, "TORCH_LOGS");

  env_set (&saved, "TORCH_LOGS", NULL);
  set_logs_ok (registry, "dynamo", TL_LEVEL_INFO, "guards", TRUE, NULL);
  g_setenv ("TORCH_LOGS", "aot", TRUE);

  tl_test_stderr_begin (&capture);
  g_assert_true (tl_registry_set_logs (registry, &error, "dynamo", TL_LEVEL_DEBUG, NULL));
  g_assert_true (tl_registry_set_logs (registry, &error, "inductor", TL_LEVEL_DEBUG, NULL));
  g_assert_true (set_logs_text (registry, "{'aot': <10>}", &error));
  /* Even a call that would fail is only ignored. */
  g_assert_true (tl_registry_set_logs (registry, &error, "bogus", 15, NULL));
  g_assert_true (tl_registry_set_logs (other, &error, "dynamo", TL_LEVEL_DEBUG, NULL));
  output = tl_test_stderr_end (&capture);
  env_restore (&saved);

  g_assert_no_error (error);
  g_assert_cmpuint (count_ignoring_warnings (output), ==, 5);
  assert_level (registry, "torch._dynamo", TL_LEVEL_INFO);
  assert_level (registry, "torch._inductor", TL_LEVEL_WARNING);
  assert_level (registry, "torch._functorch.aot_autograd", TL_LEVEL_WARNING);
  g_assert_true (tl_test_artifact_enabled (registry, "guards"));
  assert_level (other, "torch._dynamo", TL_LEVEL_WARNING);
}

static void
test_env_precedence_custom_var (void)
{
  /* The variable is the registry's env-var property. */
  g_autoptr(TlRegistry) registry = new_registry ();
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  TlTestStderr capture;
  SavedEnv saved;

  env_set (&saved, TEST_ENV_VAR, "+inductor");
  tl_test_stderr_begin (&capture);
  g_assert_true (tl_registry_set_logs (registry, &error, "dynamo", TL_LEVEL_DEBUG, NULL));
  output = tl_test_stderr_end (&capture);
  g_assert_no_error (error);
  g_assert_cmpuint (count_ignoring_warnings (output), ==, 1);
  assert_level (registry, "torch._dynamo", TL_LEVEL_WARNING);

  /* init_logs() reads it: the environment decides. */
  g_assert_true (tl_registry_init_logs (registry, &error));
  g_assert_no_error (error);
  assert_level (registry, "torch._inductor", TL_LEVEL_DEBUG);
  env_restore (&saved);
}

static void
test_env_empty_is_unset (void)
{
  /* Issue 2: an empty variable means unset, so set_logs() applies and
   * says nothing. */
  g_autoptr(TlRegistry) registry = new_registry ();
  g_autofree char *output = NULL;
  TlTestStderr capture;
  SavedEnv saved;

  env_set (&saved, TEST_ENV_VAR, "");
  tl_test_stderr_begin (&capture);
  set_logs_ok (registry, "dynamo", TL_LEVEL_DEBUG, NULL);
  output = tl_test_stderr_end (&capture);
  env_restore (&saved);
  g_assert_cmpstr (output, ==, "");
  assert_level (registry, "torch._dynamo", TL_LEVEL_DEBUG);
}

static void
test_init_keeps_set_logs (void)
{
  /* §3.3 step 3 and §2.1: with the variable unset, init_logs() applies
   * what set_logs() configured. */
  g_autoptr(TlRegistry) registry = new_registry ();
  g_autoptr(GError) error = NULL;
  SavedEnv saved;

  env_set (&saved, TEST_ENV_VAR, NULL);
  set_logs_ok (registry, "aot", TL_LEVEL_DEBUG, "recompiles", TRUE, NULL);
  g_assert_true (tl_registry_init_logs (registry, &error));
  g_assert_no_error (error);
  env_restore (&saved);
  assert_level (registry, "torch._functorch.aot_autograd", TL_LEVEL_DEBUG);
  g_assert_true (tl_test_artifact_enabled (registry, "recompiles"));
}

/* ---- spec §8 facts, both forms --------------------------------------- */

static void
check_fact1 (TlRegistry *registry)
{
  assert_every_qname (registry, NULL, TL_LEVEL_WARNING, TL_LEVEL_WARNING);
  assert_level (registry, "torch", TL_LEVEL_WARNING);
  assert_emit (registry, "torch._dynamo", NULL, TL_LEVEL_WARNING, TRUE);
  assert_emit (registry, "torch._dynamo", NULL, TL_LEVEL_INFO, FALSE);
  assert_emit (registry, "torch._dynamo", NULL, TL_LEVEL_DEBUG, FALSE);
  g_assert_cmpuint (n_enabled_artifacts (registry), ==, 0);
}

static void
test_fact1_defaults (void)
{
  /* Fact 1 (and 11: "" is unset in C). */
  g_autoptr(TlRegistry) registry = new_registry ();
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autofree char *message = NULL;
  TlTestStderr capture;
  SavedEnv saved;

  both_forms ("", "@a{sv} {}", check_fact1);

  /* A WARNING on torch._dynamo prints one glog line beginning `W`; DEBUG
   * and INFO print nothing. */
  env_set (&saved, TEST_ENV_VAR, NULL);
  g_assert_true (tl_registry_init_logs (registry, &error));
  env_restore (&saved);
  tl_test_stderr_begin (&capture);
  write_record (registry, "torch._dynamo", TL_LEVEL_DEBUG, "debug");
  write_record (registry, "torch._dynamo", TL_LEVEL_INFO, "info");
  write_record (registry, "torch._dynamo", TL_LEVEL_WARNING, "warn");
  output = tl_test_stderr_end (&capture);
  lines = text_lines (output);
  g_assert_cmpuint (lines->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (lines, 0), "W"));
  message = glog_message (g_ptr_array_index (lines, 0), NULL);
  g_assert_cmpstr (message, ==, "warn");
}

static void
check_fact2 (TlRegistry *registry)
{
  for (gsize q = 0; q < G_N_ELEMENTS (dynamo_qnames); q++)
    assert_level (registry, dynamo_qnames[q], TL_LEVEL_DEBUG);
  assert_level (registry, "torch._functorch.aot_autograd", TL_LEVEL_INFO);
  assert_level (registry, "torch._inductor", TL_LEVEL_WARNING);
}

static void
check_fact3 (TlRegistry *registry)
{
  for (gsize q = 0; q < G_N_ELEMENTS (dynamo_qnames); q++)
    assert_level (registry, dynamo_qnames[q], TL_LEVEL_ERROR);
  assert_level (registry, "torch._inductor", TL_LEVEL_DEBUG);
  assert_level (registry, "torch._inductor.cudagraph_trees", TL_LEVEL_DEBUG);
}

static void
check_fact4 (TlRegistry *registry)
{
  assert_level (registry, "torch", TL_LEVEL_INFO);
  assert_every_qname (registry, NULL, TL_LEVEL_INFO, TL_LEVEL_INFO);
  assert_level (registry, "torch.some.unregistered.module", TL_LEVEL_INFO);
  assert_level (registry, "somepkg", TL_LEVEL_WARNING);
  assert_emit (registry, "somepkg", NULL, TL_LEVEL_INFO, FALSE);
}

static void
check_fact5 (TlRegistry *registry)
{
  assert_level (registry, "torch", TL_LEVEL_DEBUG);
  for (gsize q = 0; q < G_N_ELEMENTS (dynamo_qnames); q++)
    assert_level (registry, dynamo_qnames[q], TL_LEVEL_ERROR);
  assert_level (registry, "torch._inductor", TL_LEVEL_DEBUG);
}

static void
check_fact7 (TlRegistry *registry)
{
  assert_level (registry, "torch._dynamo", TL_LEVEL_INFO);
  assert_level (registry, "torch.fx.experimental.symbolic_shapes", TL_LEVEL_INFO);
}

static void
check_fact9 (TlRegistry *registry)
{
  assert_level (registry, "torch._dynamo", TL_LEVEL_DEBUG);
}

static void
check_fact10 (TlRegistry *registry)
{
  g_assert_true (tl_test_artifact_enabled (registry, "guards"));
  g_assert_cmpuint (n_enabled_artifacts (registry), ==, 1);
  assert_every_qname (registry, NULL, TL_LEVEL_WARNING, TL_LEVEL_WARNING);
}

static void
check_fact16_info (TlRegistry *registry)
{
  assert_level (registry, "torch._inductor.kernel.flex_gemm.debug", TL_LEVEL_INFO);
  assert_level (registry, "torch._inductor", TL_LEVEL_WARNING);
  g_assert_cmpuint (n_enabled_artifacts (registry), ==, 0);
}

static void
check_fact16_debug (TlRegistry *registry)
{
  assert_level (registry, "torch._inductor.kernel.flex_gemm.debug", TL_LEVEL_DEBUG);
}

static void
test_facts_levels (void)
{
  both_forms ("+dynamo,aot", "{'dynamo': <10>, 'aot': <20>}", check_fact2);     /* fact 2 */
  both_forms ("-dynamo,+inductor", "{'dynamo': <40>, 'inductor': <10>}",
              check_fact3);                                                     /* fact 3 */
  both_forms ("all", "{'all': <20>}", check_fact4);                             /* fact 4 */
  both_forms ("+all,-dynamo", "{'all': <10>, 'dynamo': <40>}", check_fact5);    /* fact 5 */
  both_forms ("-dynamo,+all", NULL, check_fact5);                               /* fact 5 */
  both_forms ("+dynamo,export", "{'dynamo': <10>, 'export': <20>}", check_fact7); /* 7, 8 */
  both_forms ("dynamo,dynamo,+dynamo", "{'dynamo': <20>, 'dynamo': <10>}",
              check_fact9);                                                     /* fact 9 */
  both_forms ("guards", "{'guards': <true>}", check_fact10);                    /* fact 10 */
  both_forms ("+guards", NULL, check_fact10);                                   /* fact 10 */
  both_forms ("-guards", NULL, check_fact10);                                   /* fact 10 */
  both_forms ("flex_gemm", "{'flex_gemm': <20>}", check_fact16_info);           /* fact 16 */
  both_forms ("+flex_gemm", "{'flex_gemm': <10>}", check_fact16_debug);         /* fact 16 */
}

/* Facts 22 to 25: how many lines a record makes. */

static guint
count_lines_for (TlRegistry *registry,
                 const char *domain,
                 TlLevel     level,
                 const char *message)
{
  g_autofree char *output = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  TlTestStderr capture;
  guint n = 0;

  tl_test_stderr_begin (&capture);
  write_record (registry, domain, level, message);
  output = tl_test_stderr_end (&capture);
  lines = text_lines (output);
  for (guint i = 0; i < lines->len; i++)
    {
      g_autofree char *text = glog_message (g_ptr_array_index (lines, i), NULL);

      g_assert_cmpstr (text, ==, message);
      n++;
    }
  return n;
}

static void
check_fact22 (TlRegistry *registry)
{
  g_assert_cmpuint (count_lines_for (registry, "torch._dynamo.output_graph", TL_LEVEL_INFO, "hi"),
                    ==, 1);
  g_assert_cmpuint (count_lines_for (registry, "torch._dynamo", TL_LEVEL_INFO, "hi"), ==, 0);
}

static void
check_fact23 (TlRegistry *registry)
{
  g_assert_cmpuint (count_lines_for (registry, "torch.utils", TL_LEVEL_INFO, "hi"), ==, 1);
  g_assert_cmpuint (count_lines_for (registry, "torch.utils", TL_LEVEL_DEBUG, "hi"), ==, 0);
}

static void
check_fact25 (TlRegistry *registry)
{
  g_assert_cmpuint (count_lines_for (registry, "torch._logging", TL_LEVEL_INFO, "hi"), ==, 1);
  g_assert_cmpuint (count_lines_for (registry, "torch._logging._internal", TL_LEVEL_INFO, "hi"),
                    ==, 1);
}

static void
check_fact26 (TlRegistry *registry)
{
  g_assert_nonnull (tl_registry_lookup_component (registry, "somepkg.core"));
  assert_level (registry, "somepkg.core.sub", TL_LEVEL_DEBUG);
  g_assert_cmpuint (count_lines_for (registry, "somepkg.core.sub", TL_LEVEL_DEBUG, "hi"), ==, 1);
}

static void
test_facts_open_registration (void)
{
  both_forms ("torch._dynamo.output_graph", "{'torch._dynamo.output_graph': <20>}",
              check_fact22);                                                    /* fact 22 */
  both_forms ("torch.utils", "{'torch.utils': <20>}", check_fact23);           /* 23, 24 */
  both_forms ("torch._logging", "{'torch._logging': <20>}", check_fact25);     /* fact 25 */
  /* Fact 26, with a dotted name: C never opens an undotted one. */
  both_forms ("+somepkg.core", "{'somepkg.core': <10>}", check_fact26);       /* fact 26 */
}

/* Facts 32 to 35 and 40: artifacts against component levels. */

static void
check_fact32 (TlRegistry *registry)
{
  assert_emit (registry, "torch._dynamo.convert_frame.__bytecode", NULL, TL_LEVEL_DEBUG, FALSE);
  assert_emit (registry, "torch._dynamo.output_graph.__output_code", NULL, TL_LEVEL_DEBUG, FALSE);
  assert_emit (registry, "torch._dynamo.guards.__guards", NULL, TL_LEVEL_DEBUG, TRUE);
  g_assert_cmpuint (count_lines_for (registry, "torch._dynamo.convert_frame.__bytecode",
                                     TL_LEVEL_DEBUG, "b"), ==, 0);
}

static void
check_fact33 (TlRegistry *registry)
{
  assert_emit (registry, "torch._inductor.select_algorithm.__autotuning_inputs", NULL,
               TL_LEVEL_DEBUG, FALSE);
  assert_emit (registry, "torch._inductor.select_algorithm", "autotuning_inputs",
               TL_LEVEL_DEBUG, FALSE);
}

static void
check_fact33_enabled (TlRegistry *registry)
{
  assert_emit (registry, "torch._inductor.select_algorithm.__autotuning_inputs", NULL,
               TL_LEVEL_DEBUG, TRUE);
}

static void
check_fact34_guards (TlRegistry *registry)
{
  g_autofree char *output = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autofree char *marker = NULL;
  g_autofree char *message = NULL;
  TlTestStderr capture;

  tl_test_stderr_begin (&capture);
  write_record (registry, "torch._dynamo.guards.__guards", TL_LEVEL_DEBUG, "GUARDS:");
  output = tl_test_stderr_end (&capture);
  lines = text_lines (output);
  g_assert_cmpuint (lines->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (lines, 0), "V"));
  message = glog_message (g_ptr_array_index (lines, 0), &marker);
  g_assert_cmpstr (marker, ==, " [__guards]");
  g_assert_cmpstr (message, ==, "GUARDS:");
}

static void
check_fact34_dynamo (TlRegistry *registry)
{
  g_assert_cmpuint (count_lines_for (registry, "torch._dynamo.guards.__guards", TL_LEVEL_DEBUG,
                                     "GUARDS:"), ==, 0);
}

static void
check_fact35_enabled (TlRegistry *registry)
{
  g_assert_cmpuint (count_lines_for (registry, "torch._dynamo.convert_frame.__bytecode",
                                     TL_LEVEL_DEBUG, "bytecode"), ==, 1);
  g_assert_cmpuint (count_lines_for (registry, "torch._inductor.graph.__output_code",
                                     TL_LEVEL_DEBUG, "code"), ==, 1);
}

static void
check_fact35_not_enabled (TlRegistry *registry)
{
  /* torch prints only Python's last-resort bare line for a WARNING here,
   * never a line of its own handler. */
  g_autofree char *output = NULL;
  TlTestStderr capture;

  tl_test_stderr_begin (&capture);
  write_record (registry, "torch._dynamo.convert_frame.__bytecode", TL_LEVEL_WARNING, "bc");
  output = tl_test_stderr_end (&capture);
  g_assert_null (strstr (output, "[__bytecode]"));
  assert_emit (registry, "torch._dynamo.convert_frame.__bytecode", NULL, TL_LEVEL_WARNING, FALSE);
}

static void
check_fact40 (TlRegistry *registry)
{
  assert_emit (registry, "torch._dynamo.symbolic_convert.__graph_breaks", NULL,
               TL_LEVEL_DEBUG, TRUE);
  assert_emit (registry, "torch._dynamo.guards.__recompiles", NULL, TL_LEVEL_DEBUG, TRUE);
  assert_emit (registry, "torch._dynamo.guards.__guards", NULL, TL_LEVEL_DEBUG, TRUE);
  assert_emit (registry, "torch._dynamo.side_effects.__side_effects", NULL, TL_LEVEL_DEBUG, TRUE);
  assert_emit (registry, "torch._dynamo.backends.distributed.__ddp_graphs", NULL,
               TL_LEVEL_DEBUG, TRUE);
  assert_emit (registry, "torch.fx.experimental.symbolic_shapes", NULL, TL_LEVEL_INFO, TRUE);
  assert_emit (registry, "torch._dynamo.convert_frame", NULL, TL_LEVEL_INFO, TRUE);
  assert_emit (registry, "torch._dynamo.convert_frame", NULL, TL_LEVEL_DEBUG, FALSE);
  assert_emit (registry, "torch.distributed.fsdp", NULL, TL_LEVEL_INFO, TRUE);
  assert_emit (registry, "torch._inductor.graph.__output_code", NULL, TL_LEVEL_DEBUG, FALSE);
  g_assert_cmpuint (n_enabled_artifacts (registry), ==, 5);
}

static void
test_facts_artifacts (void)
{
  both_forms ("+dynamo", "{'dynamo': <10>}", check_fact32);                     /* fact 32 */
  both_forms ("+inductor", "{'inductor': <10>}", check_fact33);                 /* fact 33 */
  both_forms ("autotuning_inputs", "{'autotuning_inputs': <true>}",
              check_fact33_enabled);                                            /* fact 33 */
  both_forms ("guards", "{'guards': <true>}", check_fact34_guards);             /* fact 34 */
  both_forms ("dynamo", "{'dynamo': <20>}", check_fact34_dynamo);               /* fact 34 */
  both_forms ("bytecode,output_code", "{'bytecode': <true>, 'output_code': <true>}",
              check_fact35_enabled);                                            /* fact 35 */
  both_forms ("+dynamo", "{'dynamo': <10>}", check_fact35_not_enabled);         /* fact 35 */
  /* Fact 40: DEFAULT_LOGGING (§1.8). */
  both_forms ("dynamo,aot,inductor,fsdp,ddp_graphs,graph_breaks,side_effects,guards,"
              "recompiles,dynamic",
              "{'dynamo': <20>, 'aot': <20>, 'inductor': <20>, 'fsdp': <20>,"
              " 'ddp_graphs': <true>, 'graph_breaks': <true>, 'side_effects': <true>,"
              " 'guards': <true>, 'recompiles': <true>, 'dynamic': <20>}",
              check_fact40);
}

/* Facts 43 to 48: the output of enabled records. */

static char *
capture_records (TlRegistry *registry,
                 const char *first_domain,
                 ...)
{
  TlTestStderr capture;
  va_list args;

  tl_test_stderr_begin (&capture);
  va_start (args, first_domain);
  for (const char *domain = first_domain; domain != NULL; domain = va_arg (args, const char *))
    {
      TlLevel level = va_arg (args, int);
      const char *message = va_arg (args, const char *);

      write_record (registry, domain, level, message);
    }
  va_end (args);
  return tl_test_stderr_end (&capture);
}

static void
check_fact43 (TlRegistry *registry)
{
  g_autofree char *output = capture_records (registry,
    "torch._dynamo", TL_LEVEL_INFO, "test dynamo",
    "torch._dynamo.__custom_format_test_artifact", TL_LEVEL_INFO, "custom format",
    NULL);
  g_autoptr(GPtrArray) lines = text_lines (output);
  g_autofree char *first = NULL;

  g_assert_cmpuint (lines->len, ==, 2);
  first = glog_message (g_ptr_array_index (lines, 0), NULL);
  g_assert_cmpstr (first, ==, "test dynamo");
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "custom format");
}

static void
check_fact44 (TlRegistry *registry)
{
  static const struct {
    const char *message;
    guint       n_lines;
  } cases[] = {
    { "test\ndynamo", 2 },
    { "test\ntest\ndynamo", 3 },
  };

  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree char *output = capture_records (registry,
        "torch._dynamo", TL_LEVEL_INFO, cases[c].message, NULL);
      g_auto(GStrv) expected = g_strsplit (cases[c].message, "\n", -1);
      g_autoptr(GPtrArray) lines = text_lines (output);

      g_assert_cmpuint (lines->len, ==, cases[c].n_lines);
      for (guint i = 0; i < lines->len; i++)
        {
          g_autofree char *message = glog_message (g_ptr_array_index (lines, i), NULL);

          g_assert_true (g_str_has_prefix (g_ptr_array_index (lines, i), "I"));
          g_assert_cmpstr (message, ==, expected[i]);
        }
    }
}

static void
check_fact45 (TlRegistry *registry)
{
  g_autofree char *output = NULL;

  tl_registry_set_rank (registry, 0);
  output = capture_records (registry, "torch._dynamo", TL_LEVEL_INFO, "woof", NULL);
  tl_registry_set_rank (registry, -1);
  g_assert_true (g_str_has_prefix (output, "[rank0]:I"));
  g_assert_nonnull (strstr (output, "woof"));
}

static void
test_facts_output (void)
{
  both_forms ("dynamo", "{'dynamo': <20>}", check_fact43);                      /* fact 43 */
  both_forms ("dynamo", "{'dynamo': <20>}", check_fact44);                      /* fact 44 */
  both_forms ("dynamo", "{'dynamo': <20>}", check_fact45);                      /* fact 45 */
}

static void
test_fact46_logs_out (void)
{
  /* Fact 46 (test_logs_out): the file gets what stderr gets. */
  g_autoptr(TlRegistry) registry = new_registry ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *stderr_text = NULL;
  g_autofree char *file_text = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  SavedEnv saved_logs, saved_out;
  int fd;

  fd = g_file_open_tmp ("tl-test-logs-out-XXXXXX", &path, &error);
  g_assert_no_error (error);
  close (fd);

  env_set (&saved_logs, TEST_ENV_VAR, "dynamo");
  env_set (&saved_out, "TORCH_LOGS_OUT", path);
  g_assert_true (tl_registry_init_logs (registry, &error));
  g_assert_no_error (error);
  env_restore (&saved_out);
  env_restore (&saved_logs);

  stderr_text = capture_records (registry,
    "torch._dynamo", TL_LEVEL_INFO, "one",
    "torch._dynamo.guards", TL_LEVEL_WARNING, "two\nlines",
    "torch._dynamo", TL_LEVEL_DEBUG, "not printed",
    NULL);
  tl_registry_flush (registry);
  g_file_get_contents (path, &file_text, NULL, &error);
  g_assert_no_error (error);
  g_unlink (path);

  lines = text_lines (stderr_text);
  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_cmpstr (file_text, ==, stderr_text);
}

static void
test_fact47_format (void)
{
  /* Fact 47: TORCH_LOGS_FORMAT. */
  static const struct {
    const char *format;
    const char *domain;
    const char *message;
    const char *expected;
  } cases[] = {
    { "short", "torch._dynamo.x", "hello\nworld", "DEBUG:torch._dynamo.x:hello\nworld\n" },
    { "basic", "torch._dynamo.x", "hello", "DEBUG:torch._dynamo.x:hello\n" },
    { "%(levelname)s|%(name)s|%(message)s", "torch._dynamo.guards.__guards", "gmsg",
      "DEBUG|torch._dynamo.guards.__guards|gmsg\n" },
  };

  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(TlRegistry) registry = new_registry ();
      g_autoptr(GError) error = NULL;
      g_autofree char *output = NULL;
      SavedEnv saved_logs, saved_format;

      env_set (&saved_logs, TEST_ENV_VAR, "+dynamo,guards");
      env_set (&saved_format, "TORCH_LOGS_FORMAT", cases[c].format);
      g_assert_true (tl_registry_init_logs (registry, &error));
      g_assert_no_error (error);
      env_restore (&saved_format);
      env_restore (&saved_logs);

      output = capture_records (registry, cases[c].domain, TL_LEVEL_DEBUG, cases[c].message, NULL);
      g_assert_cmpstr (output, ==, cases[c].expected);
    }
}

static void
test_fact48_trace_id_filter (void)
{
  /* Fact 48 with the spec's C recommendation (§5.1 step 4): under a
   * filter, a record outside it is dropped, not printed as an empty
   * line. These records have no trace id. */
  g_autoptr(TlRegistry) registry = new_registry ();
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  SavedEnv saved_logs, saved_filter;

  env_set (&saved_logs, TEST_ENV_VAR, "dynamo");
  env_set (&saved_filter, "TORCH_LOGS_TRACE_ID_FILTER", " [0/0] , [1/0_1],");
  g_assert_true (tl_registry_init_logs (registry, &error));
  g_assert_no_error (error);
  env_restore (&saved_filter);
  env_restore (&saved_logs);

  output = capture_records (registry, "torch._dynamo", TL_LEVEL_INFO, "no trace id", NULL);
  g_assert_cmpstr (output, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/set-logs/reset-each-call", test_reset_each_call);
  g_test_add_func ("/set-logs/varargs", test_varargs);
  g_test_add_func ("/set-logs/variant", test_variant);
  g_test_add_func ("/set-logs/variant-none-skipped", test_variant_none_skipped);
  g_test_add_func ("/set-logs/order-given", test_order_given);
  g_test_add_func ("/set-logs/all", test_all);
  g_test_add_func ("/set-logs/modules-names", test_modules_names);
  g_test_add_func ("/set-logs/artifact-checked-first", test_artifact_checked_first);
  g_test_add_func ("/set-logs/notset", test_notset);
  g_test_add_func ("/set-logs/error/artifact-not-bool", test_error_artifact_not_bool);
  g_test_add_func ("/set-logs/error/bad-level", test_error_bad_level);
  g_test_add_func ("/set-logs/error/unknown-name", test_error_unknown_name);
  g_test_add_func ("/set-logs/error/changes-nothing", test_error_changes_nothing);
  g_test_add_func ("/set-logs/open-registration", test_open_registration);
  g_test_add_func ("/set-logs/directory-based", test_directory_based);
  g_test_add_func ("/set-logs/env/precedence", test_env_precedence);
  g_test_add_func ("/set-logs/env/precedence-custom-var", test_env_precedence_custom_var);
  g_test_add_func ("/set-logs/env/empty-is-unset", test_env_empty_is_unset);
  g_test_add_func ("/set-logs/env/init-keeps-set-logs", test_init_keeps_set_logs);
  g_test_add_func ("/set-logs/facts/defaults", test_fact1_defaults);
  g_test_add_func ("/set-logs/facts/levels", test_facts_levels);
  g_test_add_func ("/set-logs/facts/open-registration", test_facts_open_registration);
  g_test_add_func ("/set-logs/facts/artifacts", test_facts_artifacts);
  g_test_add_func ("/set-logs/facts/output", test_facts_output);
  g_test_add_func ("/set-logs/facts/logs-out", test_fact46_logs_out);
  g_test_add_func ("/set-logs/facts/format", test_fact47_format);
  g_test_add_func ("/set-logs/facts/trace-id-filter", test_fact48_trace_id_filter);

  return g_test_run ();
}
