/* test-registry.c: TlLevel, TlComponent, TlArtifact and TlRegistry as
 * GObjects; PyTorch's registrations; registration files; open
 * registration
 *
 * Expectations come from torch_logging_spec.md (§1, §2.6, §4.5) and
 * issue 2, not from the implementation.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <torchlog/torchlog.h>

#define DATA(name) (TORCHLOG_TESTS_DATA "/" name)

/* ---- helpers --------------------------------------------------------- */

typedef struct {
  guint changed;
  guint component_added;
  guint artifact_added;
  GPtrArray *added_names;
} RegistrySignals;

static void
on_changed (TlRegistry *registry, gpointer data)
{
  RegistrySignals *s = data;
  s->changed++;
}

static void
on_component_added (TlRegistry *registry, TlComponent *component, gpointer data)
{
  RegistrySignals *s = data;

  g_assert_true (TL_IS_COMPONENT (component));
  s->component_added++;
  g_ptr_array_add (s->added_names, g_strdup (tl_component_get_name (component)));
}

static void
on_artifact_added (TlRegistry *registry, TlArtifact *artifact, gpointer data)
{
  RegistrySignals *s = data;

  g_assert_true (TL_IS_ARTIFACT (artifact));
  s->artifact_added++;
  g_ptr_array_add (s->added_names, g_strdup (tl_artifact_get_name (artifact)));
}

static void
signals_connect (TlRegistry *registry, RegistrySignals *s)
{
  memset (s, 0, sizeof *s);
  s->added_names = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (registry, "changed", G_CALLBACK (on_changed), s);
  g_signal_connect (registry, "component-added", G_CALLBACK (on_component_added), s);
  g_signal_connect (registry, "artifact-added", G_CALLBACK (on_artifact_added), s);
}

static void
signals_disconnect (TlRegistry *registry, RegistrySignals *s)
{
  g_signal_handlers_disconnect_by_data (registry, s);
  g_ptr_array_unref (s->added_names);
}

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer data)
{
  (*(guint *) data)++;
}

static gulong
watch (gpointer object, const char *signal, guint *counter)
{
  *counter = 0;
  return g_signal_connect (object, signal, G_CALLBACK (count_notify), counter);
}

/* A small registry whose logs do not share domains, so that "really
 * changed" is unambiguous. */
static TlRegistry *
small_registry (void)
{
  TlRegistry *registry = tl_registry_new ();
  const char *alpha[] = { "app.alpha", NULL };
  const char *beta[] = { "app.beta", "app.beta2", NULL };
  const char *gamma[] = { "app.gamma", NULL };

  tl_registry_register_log (registry, "alpha", alpha, "Alpha.");
  tl_registry_register_log (registry, "beta", beta, "Beta.");
  tl_registry_register_log (registry, "gamma", gamma, "Gamma.");
  tl_registry_register_artifact (registry, "art1", "First.", TL_ARTIFACT_FLAGS_NONE, NULL);
  tl_registry_register_artifact (registry, "art2", "Second.", TL_ARTIFACT_FLAGS_OFF_BY_DEFAULT, NULL);
  return registry;
}

/* ---- TlLevel --------------------------------------------------------- */

static void
test_level_values (void)
{
  g_assert_cmpint (TL_LEVEL_NOTSET, ==, 0);
  g_assert_cmpint (TL_LEVEL_DEBUG, ==, 10);
  g_assert_cmpint (TL_LEVEL_INFO, ==, 20);
  g_assert_cmpint (TL_LEVEL_WARNING, ==, 30);
  g_assert_cmpint (TL_LEVEL_ERROR, ==, 40);
  g_assert_cmpint (TL_LEVEL_CRITICAL, ==, 50);

  /* torch's valid level values are exactly 50,40,30,20,10,0. */
  for (int value = -5; value <= 60; value++)
    g_assert_cmpint (tl_level_is_valid (value), ==, value >= 0 && value <= 50 && value % 10 == 0);

  g_assert_cmpstr (tl_level_to_name (TL_LEVEL_DEBUG), ==, "DEBUG");
  g_assert_cmpstr (tl_level_to_name (TL_LEVEL_INFO), ==, "INFO");
  g_assert_cmpstr (tl_level_to_name (TL_LEVEL_WARNING), ==, "WARNING");
  g_assert_cmpstr (tl_level_to_name (TL_LEVEL_ERROR), ==, "ERROR");
  g_assert_cmpstr (tl_level_to_name (TL_LEVEL_CRITICAL), ==, "CRITICAL");
  g_assert_cmpstr (tl_level_to_name (TL_LEVEL_NOTSET), ==, "NOTSET");

  /* glog letters, spec §5.1: DEBUG is V ("verbose"). */
  g_assert_cmpint (tl_level_to_letter (TL_LEVEL_DEBUG), ==, 'V');
  g_assert_cmpint (tl_level_to_letter (TL_LEVEL_INFO), ==, 'I');
  g_assert_cmpint (tl_level_to_letter (TL_LEVEL_WARNING), ==, 'W');
  g_assert_cmpint (tl_level_to_letter (TL_LEVEL_ERROR), ==, 'E');
  g_assert_cmpint (tl_level_to_letter (TL_LEVEL_CRITICAL), ==, 'C');
}

static void
test_level_enum_type (void)
{
  static const struct { int value; const char *nick; } expected[] = {
    { 0, "notset" }, { 10, "debug" }, { 20, "info" },
    { 30, "warning" }, { 40, "error" }, { 50, "critical" },
  };
  GType type = TL_TYPE_LEVEL;
  g_autoptr(GEnumClass) klass = NULL;

  g_assert_true (G_TYPE_IS_ENUM (type));
  g_assert_cmpstr (g_type_name (type), ==, "TlLevel");
  klass = g_type_class_ref (type);
  g_assert_cmpuint (klass->n_values, ==, G_N_ELEMENTS (expected));
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      GEnumValue *value = g_enum_get_value (klass, expected[i].value);

      g_assert_nonnull (value);
      g_assert_cmpstr (value->value_nick, ==, expected[i].nick);
      g_assert_true (g_enum_get_value_by_nick (klass, expected[i].nick) == value);
    }
  g_assert_null (g_enum_get_value (klass, 15));

  /* The artifact flags are a registered flags type. */
  g_assert_true (G_TYPE_IS_FLAGS (TL_TYPE_ARTIFACT_FLAGS));
}

/* ---- TlComponent and TlArtifact properties ---------------------------- */

static void
test_component_properties (void)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  const char *domains[] = { "myapp.parser", "myapp.lexer", NULL };
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;
  g_auto(GStrv) got_domains = NULL;
  g_auto(GStrv) dup = NULL;
  TlLevel level;
  TlComponent *component, *solo;
  guint notify_level;
  RegistrySignals s;

  component = tl_registry_register_log (registry, "parser", domains, "The parser.");
  g_assert_true (TL_IS_COMPONENT (component));
  g_assert_true (tl_registry_lookup_component (registry, "parser") == component);

  g_object_get (component, "name", &name, "description", &description,
                "domains", &got_domains, "level", &level, NULL);
  g_assert_cmpstr (name, ==, "parser");
  g_assert_cmpstr (description, ==, "The parser.");
  g_assert_cmpstrv (got_domains, domains);
  g_assert_cmpint (level, ==, TL_LEVEL_WARNING);   /* every component defaults to WARNING */

  dup = tl_component_dup_domains (component);
  g_assert_cmpstrv (dup, domains);
  g_assert_cmpstr (tl_component_get_name (component), ==, "parser");
  g_assert_cmpstr (tl_component_get_description (component), ==, "The parser.");

  /* Without domains, a log covers its own name (register_log(M, M)). */
  solo = tl_registry_register_log (registry, "solo.mod", NULL, NULL);
  {
    g_auto(GStrv) solo_domains = tl_component_dup_domains (solo);
    const char *expected[] = { "solo.mod", NULL };
    g_assert_cmpstrv (solo_domains, expected);
  }

  /* Writing "level" configures the component's domains. */
  signals_connect (registry, &s);
  watch (component, "notify::level", &notify_level);
  g_object_set (component, "level", TL_LEVEL_DEBUG, NULL);
  g_assert_cmpint (tl_component_get_level (component), ==, TL_LEVEL_DEBUG);
  g_assert_cmpint (tl_registry_get_effective_level (registry, "myapp.parser"), ==, TL_LEVEL_DEBUG);
  g_assert_cmpint (tl_registry_get_effective_level (registry, "myapp.lexer.sub"), ==, TL_LEVEL_DEBUG);
  g_assert_cmpuint (notify_level, ==, 1);
  g_assert_cmpuint (s.changed, ==, 1);
  g_assert_true (tl_registry_should_emit (registry, "myapp.parser", NULL, TL_LEVEL_DEBUG));

  /* Setting the same level again changes nothing observable. */
  tl_component_set_level (component, TL_LEVEL_DEBUG);
  g_assert_cmpuint (notify_level, ==, 1);

  tl_component_set_level (component, TL_LEVEL_ERROR);
  g_assert_cmpuint (notify_level, ==, 2);
  g_assert_false (tl_registry_should_emit (registry, "myapp.parser", NULL, TL_LEVEL_WARNING));
  g_assert_true (tl_registry_should_emit (registry, "myapp.parser", NULL, TL_LEVEL_ERROR));

  g_signal_handlers_disconnect_by_data (component, &notify_level);
  signals_disconnect (registry, &s);
}

static void
test_artifact_properties (void)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  const char *domains[] = { "myapp", NULL };
  g_autofree char *name = NULL, *description = NULL, *log_format = NULL;
  gboolean visible, off_by_default, enabled;
  TlArtifact *artifact, *plain;
  guint notify_enabled;
  RegistrySignals s;

  tl_registry_register_log (registry, "app", domains, NULL);
  artifact = tl_registry_register_artifact (registry, "tokens", "Prints tokens.",
                                            TL_ARTIFACT_FLAGS_VISIBLE | TL_ARTIFACT_FLAGS_OFF_BY_DEFAULT,
                                            "%(message)s");
  plain = tl_registry_register_artifact (registry, "plain", NULL, TL_ARTIFACT_FLAGS_NONE, NULL);
  g_assert_true (tl_registry_lookup_artifact (registry, "tokens") == artifact);

  g_object_get (artifact, "name", &name, "description", &description,
                "visible", &visible, "off-by-default", &off_by_default,
                "log-format", &log_format, "enabled", &enabled, NULL);
  g_assert_cmpstr (name, ==, "tokens");
  g_assert_cmpstr (description, ==, "Prints tokens.");
  g_assert_true (visible);
  g_assert_true (off_by_default);
  g_assert_cmpstr (log_format, ==, "%(message)s");
  g_assert_false (enabled);

  g_assert_false (tl_artifact_get_visible (plain));
  g_assert_false (tl_artifact_get_off_by_default (plain));
  g_assert_null (tl_artifact_get_log_format (plain));   /* nullable: torch's None */
  g_assert_cmpstr (tl_artifact_get_description (plain), ==, "");

  /* Off by default: not shown even at DEBUG, until enabled. */
  g_assert_true (tl_registry_parse_logs (registry, "+app", NULL));
  g_assert_false (tl_registry_should_emit (registry, "myapp.x", "tokens", TL_LEVEL_DEBUG));

  signals_connect (registry, &s);
  watch (artifact, "notify::enabled", &notify_enabled);
  g_object_set (artifact, "enabled", TRUE, NULL);
  g_assert_true (tl_artifact_get_enabled (artifact));
  g_assert_cmpuint (notify_enabled, ==, 1);
  g_assert_cmpuint (s.changed, ==, 1);
  g_assert_true (tl_registry_should_emit (registry, "myapp.x", "tokens", TL_LEVEL_DEBUG));
  /* Setting the artifact kept the rest of the configuration. */
  g_assert_cmpint (tl_registry_get_effective_level (registry, "myapp"), ==, TL_LEVEL_DEBUG);

  tl_artifact_set_enabled (artifact, TRUE);
  g_assert_cmpuint (notify_enabled, ==, 1);
  tl_artifact_set_enabled (artifact, FALSE);
  g_assert_cmpuint (notify_enabled, ==, 2);
  g_assert_false (tl_registry_should_emit (registry, "myapp.x", "tokens", TL_LEVEL_CRITICAL));

  g_signal_handlers_disconnect_by_data (artifact, &notify_enabled);
  signals_disconnect (registry, &s);
}

/* torch's register_log overwrites; register_artifact overwrites the
 * description and format, and only adds flags (spec §1.3, §1.4). */
static void
test_reregistration (void)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  const char *first[] = { "a.one", "a.two", NULL };
  const char *second[] = { "a.three", NULL };
  TlComponent *component, *again;
  TlArtifact *artifact, *art_again;
  g_auto(GStrv) domains = NULL;
  RegistrySignals s;
  guint notify_domains;

  signals_connect (registry, &s);
  component = tl_registry_register_log (registry, "a", first, "First.");
  g_assert_cmpuint (s.component_added, ==, 1);
  watch (component, "notify::domains", &notify_domains);
  again = tl_registry_register_log (registry, "a", second, "Second.");
  g_assert_true (again == component);
  g_assert_cmpuint (s.component_added, ==, 1);   /* not a new component */
  g_assert_cmpuint (notify_domains, ==, 1);
  domains = tl_component_dup_domains (component);
  g_assert_cmpstrv (domains, second);
  g_assert_cmpstr (tl_component_get_description (component), ==, "Second.");
  /* The old domains are no longer the log's. */
  g_assert_true (tl_registry_parse_logs (registry, "+a", NULL));
  g_assert_cmpint (tl_registry_get_effective_level (registry, "a.three"), ==, TL_LEVEL_DEBUG);
  g_assert_cmpint (tl_registry_get_effective_level (registry, "a.one"), ==, TL_LEVEL_WARNING);
  g_signal_handlers_disconnect_by_data (component, &notify_domains);

  artifact = tl_registry_register_artifact (registry, "art", "Old.",
                                            TL_ARTIFACT_FLAGS_VISIBLE, "%(message)s");
  g_assert_cmpuint (s.artifact_added, ==, 1);
  art_again = tl_registry_register_artifact (registry, "art", "New.",
                                             TL_ARTIFACT_FLAGS_OFF_BY_DEFAULT, NULL);
  g_assert_true (art_again == artifact);
  g_assert_cmpuint (s.artifact_added, ==, 1);
  g_assert_cmpstr (tl_artifact_get_description (artifact), ==, "New.");
  g_assert_true (tl_artifact_get_visible (artifact));          /* sets only grow */
  g_assert_true (tl_artifact_get_off_by_default (artifact));
  signals_disconnect (registry, &s);
}

/* ---- TlRegistry signals and list models -------------------------------- */

typedef struct {
  guint calls;
  guint last_position, last_removed, last_added;
} ItemsChanged;

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, gpointer data)
{
  ItemsChanged *ic = data;

  ic->calls++;
  ic->last_position = position;
  ic->last_removed = removed;
  ic->last_added = added;
}

static void
test_registry_added_signals_and_models (void)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  GListModel *components = tl_registry_get_components (registry);
  GListModel *artifacts = tl_registry_get_artifacts (registry);
  ItemsChanged comp_changes = { 0 }, art_changes = { 0 };
  const char *domains[] = { "x.one", NULL };
  RegistrySignals s;

  g_assert_true (G_IS_LIST_MODEL (components));
  g_assert_true (G_IS_LIST_MODEL (artifacts));
  g_assert_true (g_list_model_get_item_type (components) == TL_TYPE_COMPONENT);
  g_assert_true (g_list_model_get_item_type (artifacts) == TL_TYPE_ARTIFACT);
  g_assert_cmpuint (g_list_model_get_n_items (components), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (artifacts), ==, 0);

  signals_connect (registry, &s);
  g_signal_connect (components, "items-changed", G_CALLBACK (on_items_changed), &comp_changes);
  g_signal_connect (artifacts, "items-changed", G_CALLBACK (on_items_changed), &art_changes);

  tl_registry_register_log (registry, "one", domains, NULL);
  g_assert_cmpuint (s.component_added, ==, 1);
  g_assert_cmpuint (comp_changes.calls, ==, 1);
  g_assert_cmpuint (comp_changes.last_position, ==, 0);
  g_assert_cmpuint (comp_changes.last_removed, ==, 0);
  g_assert_cmpuint (comp_changes.last_added, ==, 1);

  tl_registry_register_log (registry, "two", NULL, NULL);
  g_assert_cmpuint (s.component_added, ==, 2);
  g_assert_cmpuint (comp_changes.calls, ==, 2);
  g_assert_cmpuint (comp_changes.last_position, ==, 1);

  /* Re-registering adds nothing. */
  tl_registry_register_log (registry, "one", NULL, NULL);
  g_assert_cmpuint (s.component_added, ==, 2);
  g_assert_cmpuint (comp_changes.calls, ==, 2);

  tl_registry_register_artifact (registry, "zeta", NULL, 0, NULL);
  tl_registry_register_artifact (registry, "alpha", NULL, 0, NULL);
  tl_registry_register_artifact (registry, "zeta", "again", 0, NULL);
  g_assert_cmpuint (s.artifact_added, ==, 2);
  g_assert_cmpuint (art_changes.calls, ==, 2);
  g_assert_cmpuint (s.component_added, ==, 2);
  /* Registration alone is not a configuration. */
  g_assert_cmpuint (s.changed, ==, 0);

  /* The models list objects in registration order. */
  g_assert_cmpuint (g_list_model_get_n_items (components), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (artifacts), ==, 2);
  {
    g_autoptr(TlComponent) c0 = g_list_model_get_item (components, 0);
    g_autoptr(TlComponent) c1 = g_list_model_get_item (components, 1);
    g_autoptr(TlArtifact) a0 = g_list_model_get_item (artifacts, 0);
    g_autoptr(TlArtifact) a1 = g_list_model_get_item (artifacts, 1);

    g_assert_cmpstr (tl_component_get_name (c0), ==, "one");
    g_assert_cmpstr (tl_component_get_name (c1), ==, "two");
    g_assert_cmpstr (tl_artifact_get_name (a0), ==, "zeta");
    g_assert_cmpstr (tl_artifact_get_name (a1), ==, "alpha");
    g_assert_true (c0 == tl_registry_lookup_component (registry, "one"));
  }
  g_assert_cmpstr (g_ptr_array_index (s.added_names, 0), ==, "one");
  g_assert_cmpstr (g_ptr_array_index (s.added_names, 1), ==, "two");
  g_assert_cmpstr (g_ptr_array_index (s.added_names, 2), ==, "zeta");
  g_assert_cmpstr (g_ptr_array_index (s.added_names, 3), ==, "alpha");

  g_signal_handlers_disconnect_by_data (components, &comp_changes);
  g_signal_handlers_disconnect_by_data (artifacts, &art_changes);
  signals_disconnect (registry, &s);
}

/* `changed` after every applied configuration; nothing on failure. */
static void
test_registry_changed_signal (void)
{
  g_autoptr(TlRegistry) registry = small_registry ();
  g_autoptr(GError) error = NULL;
  GVariantDict dict;
  RegistrySignals s;

  signals_connect (registry, &s);

  g_assert_true (tl_registry_parse_logs (registry, "+alpha", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (s.changed, ==, 1);

  /* The same configuration again is still an applied configuration. */
  g_assert_true (tl_registry_parse_logs (registry, "+alpha", NULL));
  g_assert_cmpuint (s.changed, ==, 2);

  g_assert_true (tl_registry_set_logs (registry, &error, "beta", TL_LEVEL_INFO, "art1", TRUE, NULL));
  g_assert_no_error (error);
  g_assert_cmpuint (s.changed, ==, 3);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "gamma", "i", TL_LEVEL_ERROR);
  g_variant_dict_insert (&dict, "art2", "b", TRUE);
  g_assert_true (tl_registry_set_logs_variant (registry, g_variant_dict_end (&dict), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (s.changed, ==, 4);

  /* An empty settings string is a (default) configuration too. */
  g_assert_true (tl_registry_parse_logs (registry, "", &error));
  g_assert_cmpuint (s.changed, ==, 5);

  /* Failures change nothing and emit nothing. */
  g_assert_false (tl_registry_parse_logs (registry, "bogus", &error));
  g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_SETTINGS);
  g_clear_error (&error);
  g_assert_false (tl_registry_parse_logs (registry, "alpha ,beta", &error));
  g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_SETTINGS);
  g_clear_error (&error);
  g_assert_false (tl_registry_set_logs (registry, &error, "art1", 5, NULL));
  g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_false (tl_registry_set_logs (registry, &error, "nonexistent_mod", TL_LEVEL_DEBUG, NULL));
  g_assert_error (error, TL_ERROR, TL_ERROR_UNKNOWN_NAME);
  g_clear_error (&error);
  g_assert_cmpuint (s.changed, ==, 5);

  signals_disconnect (registry, &s);
}

/* init_logs applies a configuration: `changed` too. Run with the
 * registry's own variable name so the test does not depend on the
 * caller's TORCH_LOGS. */
static void
test_registry_changed_on_init_logs (void)
{
  g_autoptr(TlRegistry) registry = small_registry ();
  g_autoptr(GError) error = NULL;
  g_autofree char *env_var = NULL;
  RegistrySignals s;
  guint notify_env;

  watch (registry, "notify::env-var", &notify_env);
  g_object_set (registry, "env-var", "H2_TEST_REGISTRY_LOGS", NULL);
  g_assert_cmpuint (notify_env, ==, 1);
  g_object_get (registry, "env-var", &env_var, NULL);
  g_assert_cmpstr (env_var, ==, "H2_TEST_REGISTRY_LOGS");
  g_assert_cmpstr (tl_registry_get_env_var (registry), ==, "H2_TEST_REGISTRY_LOGS");

  signals_connect (registry, &s);
  g_setenv ("H2_TEST_REGISTRY_LOGS", "-gamma,art1", TRUE);
  g_assert_true (tl_registry_init_logs (registry, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (s.changed, ==, 1);
  g_assert_cmpint (tl_registry_get_effective_level (registry, "app.gamma"), ==, TL_LEVEL_ERROR);
  g_assert_true (tl_artifact_get_enabled (tl_registry_lookup_artifact (registry, "art1")));
  g_unsetenv ("H2_TEST_REGISTRY_LOGS");
  signals_disconnect (registry, &s);
  g_signal_handlers_disconnect_by_data (registry, &notify_env);
}

typedef struct {
  guint level[3];
  guint enabled[2];
  guint changed;
  /* Set by the `changed` handler: the notifications came first. */
  guint level_notifies_seen_by_changed;
} NotifyCounts;

static void
on_changed_check_order (TlRegistry *registry, gpointer data)
{
  NotifyCounts *counts = data;

  counts->changed++;
  counts->level_notifies_seen_by_changed = counts->level[0] + counts->level[1] + counts->level[2];
}

/* `notify::level` / `notify::enabled` only on objects that really changed. */
static void
test_registry_notify_only_real_changes (void)
{
  g_autoptr(TlRegistry) registry = small_registry ();
  const char *names[] = { "alpha", "beta", "gamma" };
  const char *arts[] = { "art1", "art2" };
  TlComponent *components[3];
  TlArtifact *artifacts[2];
  NotifyCounts n = { 0 };

  for (int i = 0; i < 3; i++)
    {
      components[i] = tl_registry_lookup_component (registry, names[i]);
      watch (components[i], "notify::level", &n.level[i]);
    }
  for (int i = 0; i < 2; i++)
    {
      artifacts[i] = tl_registry_lookup_artifact (registry, arts[i]);
      watch (artifacts[i], "notify::enabled", &n.enabled[i]);
    }
  g_signal_connect (registry, "changed", G_CALLBACK (on_changed_check_order), &n);

  g_assert_true (tl_registry_parse_logs (registry, "+alpha,art1", NULL));
  g_assert_cmpuint (n.level[0], ==, 1);
  g_assert_cmpuint (n.level[1], ==, 0);
  g_assert_cmpuint (n.level[2], ==, 0);
  g_assert_cmpuint (n.enabled[0], ==, 1);
  g_assert_cmpuint (n.enabled[1], ==, 0);
  g_assert_cmpuint (n.changed, ==, 1);
  g_assert_cmpuint (n.level_notifies_seen_by_changed, ==, 1);
  g_assert_cmpint (tl_component_get_level (components[0]), ==, TL_LEVEL_DEBUG);
  g_assert_cmpint (tl_component_get_level (components[1]), ==, TL_LEVEL_WARNING);

  /* Nothing really changed: `changed` only. */
  g_assert_true (tl_registry_parse_logs (registry, "art1,+alpha", NULL));
  g_assert_cmpuint (n.level[0], ==, 1);
  g_assert_cmpuint (n.enabled[0], ==, 1);
  g_assert_cmpuint (n.changed, ==, 2);

  /* A complete configuration: alpha falls back to WARNING, art1 off. */
  g_assert_true (tl_registry_parse_logs (registry, "-beta,art2", NULL));
  g_assert_cmpuint (n.level[0], ==, 2);
  g_assert_cmpuint (n.level[1], ==, 1);
  g_assert_cmpuint (n.level[2], ==, 0);
  g_assert_cmpuint (n.enabled[0], ==, 2);
  g_assert_cmpuint (n.enabled[1], ==, 1);
  g_assert_cmpint (tl_component_get_level (components[0]), ==, TL_LEVEL_WARNING);
  g_assert_cmpint (tl_component_get_level (components[1]), ==, TL_LEVEL_ERROR);
  g_assert_false (tl_artifact_get_enabled (artifacts[0]));
  g_assert_true (tl_artifact_get_enabled (artifacts[1]));

  /* set_logs resets too (spec §3.3). */
  g_assert_true (tl_registry_set_logs (registry, NULL, "gamma", TL_LEVEL_INFO, NULL));
  g_assert_cmpuint (n.level[0], ==, 2);
  g_assert_cmpuint (n.level[1], ==, 2);
  g_assert_cmpuint (n.level[2], ==, 1);
  g_assert_cmpuint (n.enabled[1], ==, 2);
  g_assert_cmpuint (n.changed, ==, 4);

  /* A failed configuration notifies nothing. */
  g_assert_false (tl_registry_parse_logs (registry, "+alpha,nope", NULL));
  g_assert_cmpuint (n.level[0], ==, 2);
  g_assert_cmpuint (n.changed, ==, 4);

  for (int i = 0; i < 3; i++)
    g_signal_handlers_disconnect_by_data (components[i], &n.level[i]);
  for (int i = 0; i < 2; i++)
    g_signal_handlers_disconnect_by_data (artifacts[i], &n.enabled[i]);
  g_signal_handlers_disconnect_by_data (registry, &n);
}

static void
test_registry_rank_property (void)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  guint notify_rank;
  int rank;

  g_assert_cmpint (tl_registry_get_rank (registry), ==, -1);
  watch (registry, "notify::rank", &notify_rank);
  g_object_set (registry, "rank", 3, NULL);
  g_object_get (registry, "rank", &rank, NULL);
  g_assert_cmpint (rank, ==, 3);
  g_assert_cmpuint (notify_rank, ==, 1);
  tl_registry_set_rank (registry, 3);
  g_assert_cmpuint (notify_rank, ==, 1);
  tl_registry_set_rank (registry, -1);
  g_assert_cmpuint (notify_rank, ==, 2);
  g_signal_handlers_disconnect_by_data (registry, &notify_rank);
}

/* Each registry has its own registrations, open registrations and
 * configuration. */
static void
test_registry_independent (void)
{
  g_autoptr(TlRegistry) a = tl_registry_new ();
  g_autoptr(TlRegistry) b = tl_registry_new ();
  RegistrySignals sa, sb;

  g_assert_true (a != b);
  g_assert_true (tl_registry_get_default () == tl_registry_get_default ());
  g_assert_true (tl_registry_get_default () != a);

  signals_connect (a, &sa);
  signals_connect (b, &sb);

  tl_registry_add_pytorch_registrations (a);
  g_assert_nonnull (tl_registry_lookup_component (a, "dynamo"));
  g_assert_null (tl_registry_lookup_component (b, "dynamo"));
  g_assert_null (tl_registry_lookup_artifact (b, "guards"));
  g_assert_cmpuint (g_list_model_get_n_items (tl_registry_get_components (b)), ==, 0);
  g_assert_cmpuint (sb.component_added + sb.artifact_added, ==, 0);

  tl_registry_add_pytorch_registrations (b);
  g_assert_true (tl_registry_lookup_component (a, "dynamo") != tl_registry_lookup_component (b, "dynamo"));

  g_assert_true (tl_registry_parse_logs (a, "+dynamo,guards,some.random.module", NULL));
  g_assert_cmpuint (sa.changed, ==, 1);
  g_assert_cmpuint (sb.changed, ==, 0);
  g_assert_cmpint (tl_registry_get_effective_level (a, "torch._dynamo"), ==, TL_LEVEL_DEBUG);
  g_assert_cmpint (tl_registry_get_effective_level (b, "torch._dynamo"), ==, TL_LEVEL_WARNING);
  g_assert_true (tl_artifact_get_enabled (tl_registry_lookup_artifact (a, "guards")));
  g_assert_false (tl_artifact_get_enabled (tl_registry_lookup_artifact (b, "guards")));

  /* The open registration happened in `a` only. */
  g_assert_nonnull (tl_registry_lookup_component (a, "some.random.module"));
  g_assert_null (tl_registry_lookup_component (b, "some.random.module"));
  g_assert_false (tl_registry_should_emit (b, "some.random.module", NULL, TL_LEVEL_CRITICAL));

  /* Neither touched the default registry. */
  g_assert_null (tl_registry_lookup_component (tl_registry_get_default (), "some.random.module"));

  signals_disconnect (a, &sa);
  signals_disconnect (b, &sb);
}

/* ---- PyTorch's registrations (spec §1.6, §1.7) ---------------------------- */

#define DYNAMIC "torch.fx.experimental.symbolic_shapes", "torch.fx.experimental.sym_node", \
                "torch.fx.experimental.recording"

static const struct {
  const char *name;
  const char *domains[16];
} pytorch_logs[] = {
  { "async_compile", { "torch._inductor.async_compile", "torch._inductor.compile_worker.tracked_process_pool" } },
  { "cache", { "torch._inductor.remote_cache", "torch._inductor.fb.remote_cache" } },
  { "dynamo", { "torch._dynamo", DYNAMIC } },
  { "fake_tensor", { "torch._subclasses.fake_tensor" } },
  { "aot", { "torch._functorch.aot_autograd", "torch._functorch._aot_autograd" } },
  { "autograd", { "torch.autograd" } },
  { "inductor", { "torch._inductor", "torch._inductor.cudagraph_trees" } },
  { "flex_gemm", { "torch._inductor.kernel.flex_gemm.debug" } },
  { "dynamic", { DYNAMIC } },
  { "torch", { "torch" } },
  { "distributed", { "torch.distributed", "torch._dynamo.backends.distributed", "torch.nn.parallel.distributed" } },
  { "c10d", { "torch.distributed.distributed_c10d", "torch.distributed.rendezvous" } },
  { "ddp", { "torch.nn.parallel.distributed", "torch._dynamo.backends.distributed" } },
  { "pp", { "torch.distributed.pipelining" } },
  { "fsdp", { "torch.distributed.fsdp", "torch.distributed._composable.fsdp" } },
  { "dtensor", { "torch.distributed._tensor", "torch.distributed.tensor" } },
  { "native_dsl", { "torch._native" } },
  { "export", { "torch._dynamo", "torch.export", "torch.export.dynamic_shapes", DYNAMIC,
                "torch._export.converter", "torch._export.non_strict_utils",
                "torch._export.serde.serialize", "torch.fx.experimental.proxy_tensor" } },
};

/* The component descriptions of the TORCH_LOGS documentation (seed 001). */
static const struct { const char *name, *description; } pytorch_log_descriptions[] = {
  { "aot", "The log level for the AOTAutograd component." },
  { "async_compile", "The log level for Inductor async compile workers." },
  { "autograd", "The log level for autograd." },
  { "c10d", "The log level for c10d communication operations in PyTorch Distributed." },
  { "cache", "The log level for Inductor cache components." },
  { "ddp", "The log level for DistributedDataParallel components." },
  { "distributed", "The log level for PyTorch Distributed components." },
  { "dtensor", "The log level for DTensor components." },
  { "dynamic", "The log level for dynamic shapes." },
  { "dynamo", "The log level for the TorchDynamo component." },
  { "export", "The log level for export." },
  { "fake_tensor", "The log level for FakeTensor." },
  { "fsdp", "The log level for FullyShardedDataParallel components." },
  { "inductor", "The log level for the TorchInductor component." },
  { "pp", "The log level for distributed pipelining." },
  { "torch", "The log level for the top-level torch component." },
};

#define VIS TL_ARTIFACT_FLAGS_VISIBLE
#define OFF TL_ARTIFACT_FLAGS_OFF_BY_DEFAULT

/* Spec §1.7, in registration order. */
static const struct {
  const char *name;
  TlArtifactFlags flags;
  const char *description;
} pytorch_artifacts[] = {
  { "cudagraphs", 0, "Logs information from wrapping inductor generated code with cudagraphs." },
  { "native_dsl_compile", OFF, "Emits a log line and a tlparse record per torch._native DSL compile-cache call (compiles and cache hits). Off by default: this fires on every op call." },
  { "guards", VIS, "This prints the guards for every compiled Dynamo frame. It does not tell you where the guards come from." },
  { "verbose_guards", OFF, "" },
  { "bytecode", OFF, "Prints the original and modified bytecode from Dynamo. Mostly useful if you're debugging our bytecode generation in Dynamo." },
  /* This one really ends with a space. */
  { "graph", 0, "Prints the dynamo traced graph (prior to AOTDispatch) in a table. If you prefer python code use `graph_code` instead. " },
  { "graph_code", 0, "Like `graph`, but gives you the Python code instead." },
  { "graph_code_verbose", 0, "Verbose FX pass logs, e.g. from tensorify_python_scalars and runtime_assert." },
  { "graph_sizes", 0, "Prints the sizes of all FX nodes in the dynamo graph." },
  { "trace_source", 0, "As we execute bytecode, prints the file name / line number we are processing and the actual source code. Useful with `bytecode`" },
  { "trace_call", 0, "Like trace_source, but it will give you the per-expression blow-by-blow if your Python is recent enough." },
  { "trace_bytecode", 0, "As we trace bytecode, prints the instruction and the current stack." },
  { "aot_graphs", VIS, "Prints the FX forward and backward graph generated by AOTDispatch, after partitioning. Useful to understand what's being given to Inductor" },
  { "aot_joint_graph", 0, "Print FX joint graph from AOTAutograd, prior to partitioning. Useful for debugging partitioning" },
  { "aot_graphs_effects", VIS, "Prints the FX forward and backward graph generated by AOTDispatch, useful for debugging effects processing." },
  { "pre_grad_graphs", 0, "Prints the FX graph before inductor pre grad passes. Useful to understand what's being given to Inductor before grad passes" },
  { "post_grad_graphs", 0, "Prints the FX graph generated by post grad passes. Useful to understand what's being given to Inductor after post grad passes" },
  { "ir_pre_fusion", OFF, "Prints the IR before inductor fusion passes." },
  { "ir_post_fusion", OFF, "Prints the IR after inductor fusion passes." },
  { "compiled_autograd", VIS, "Prints various logs in compiled_autograd, including but not limited to the graphs. Useful for debugging compiled_autograd." },
  { "compiled_autograd_verbose", OFF, "Will affect performance. Prints compiled_autograd logs with C++ info e.g. autograd node -> fx node mapping" },
  { "ddp_graphs", 0, "Only relevant for compiling DDP. DDP splits into multiple graphs to trigger comms early. This will print each individual graph here." },
  { "recompiles", VIS, "Prints the reason why we recompiled a graph. Very, very useful." },
  { "recompiles_verbose", VIS | OFF, "Prints all guard checks that fail during a recompilation. At runtime, Dynamo will stop at the first failed check for each failing guard. So not all logged failing checks are actually ran by Dynamo." },
  { "graph_breaks", VIS, "Prints whenever Dynamo decides that it needs to graph break (i.e. create a new graph). Useful for debugging why torch.compile has poor performance" },
  { "side_effects", VIS, "Prints all side effects that Dynamo codegenerates, including mutations to variables, attributes, cells, and globals. Useful for debugging side effect handling" },
  { "not_implemented", 0, "Prints log messages whenever we return NotImplemented in a multi-dispatch, letting you trace through each object we attempted to dispatch to" },
  { "output_code", VIS | OFF, "Prints the code that Inductor generates (either Triton or C++)" },
  { "kernel_code", VIS | OFF, "Prints the code that Inductor generates (on a per-kernel basis)" },
  { "schedule", OFF, "Inductor scheduler information. Useful if working on Inductor fusion algo" },
  { "perf_hints", OFF, "" },
  { "compute_dependencies", OFF, "" },
  { "fusion", OFF, "Detailed Inductor fusion decisions. More detailed than 'schedule'" },
  { "loop_ordering", OFF, "Logs related to loop ordering" },
  { "loop_tiling", OFF, "Logs related to loop ordering" },
  { "auto_chunker", OFF, "Logs related to the auto chunker" },
  { "overlap", OFF, "Detailed Inductor compute/comm overlap decisions" },
  { "overlap_scheduling", OFF, "Detailed Inductor overlap scheduling pass information" },
  { "partitioned_scatter", OFF, "Inductor partitioned scatter pass decisions and memory accounting" },
  { "sym_node", OFF, "Logs extra info for various SymNode operations" },
  { "trace_shape_events", OFF, "Logs traces for every ShapeEnv operation that we record for replay" },
  { "cudagraph_static_inputs", OFF, "Logs static inputs handling in dynamo, AOT, and cudagraphs" },
  { "benchmarking", OFF, "Detailed Inductor benchmarking information." },
  { "incremental", OFF, "Incremental autotuning logs." },
  { "node_runtime_estimation", OFF, "Node runtime estimation for compile-time optimization decisions." },
  { "autotuning", OFF, "Autotuning choice logs, such as kernel source, perf, and tuning parameters." },
  { "autotuning_inputs", OFF, "Per-kernel input tensor shapes/dtypes/strides logged during autotuning." },
  { "graph_region_expansion", OFF, "Logs detailed steps of the duplicate graph region tracker expansion algorithm" },
  { "inductor_metrics", OFF, "Logs Inductor metrics, such as num_bytes, nodes_num_elem, node_runtimes" },
  { "hierarchical_compile", OFF, "Logs debug info for hierarchical compilation" },
  { "annotation", OFF, "Logs detailed steps of the creating annotation on graph nodes" },
  /* torch: register_artifact("custom_format_test_artifact", "Testing only", log_format="") */
  { "custom_format_test_artifact", 0, "Testing only" },
  { "caching", OFF, "Detailed Inductor caching information." },
};

static void
test_pytorch_components (void)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  GListModel *model;
  RegistrySignals s;

  signals_connect (registry, &s);
  tl_registry_add_pytorch_registrations (registry);
  model = tl_registry_get_components (registry);

  g_assert_cmpuint (G_N_ELEMENTS (pytorch_logs), ==, 18);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, G_N_ELEMENTS (pytorch_logs));
  g_assert_cmpuint (s.component_added, ==, G_N_ELEMENTS (pytorch_logs));

  for (gsize i = 0; i < G_N_ELEMENTS (pytorch_logs); i++)
    {
      TlComponent *component = tl_registry_lookup_component (registry, pytorch_logs[i].name);
      g_auto(GStrv) domains = NULL;

      g_test_message ("log %s", pytorch_logs[i].name);
      g_assert_nonnull (component);
      domains = tl_component_dup_domains (component);
      /* Exactly these qualified names, in this order. */
      g_assert_cmpstrv (domains, pytorch_logs[i].domains);
      g_assert_cmpint (tl_component_get_level (component), ==, TL_LEVEL_WARNING);
      /* Every log has a description (help texts and UIs show it). */
      g_assert_cmpstr (tl_component_get_description (component), !=, "");
    }

  /* The model lists them in registration order, as spec §1.6 does,
   * except that torch interleaves two artifacts, which does not matter. */
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TlComponent) component = g_list_model_get_item (model, i);
      g_assert_cmpstr (tl_component_get_name (component), ==, pytorch_logs[i].name);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (pytorch_log_descriptions); i++)
    {
      TlComponent *component = tl_registry_lookup_component (registry, pytorch_log_descriptions[i].name);
      g_assert_cmpstr (tl_component_get_description (component), ==, pytorch_log_descriptions[i].description);
    }

  /* History: onnx is gone from the newest snapshot. */
  g_assert_null (tl_registry_lookup_component (registry, "onnx"));
  g_assert_null (tl_registry_lookup_component (registry, "all"));   /* `all` is a spelling of torch */

  signals_disconnect (registry, &s);
}

static void
test_pytorch_artifacts (void)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  GListModel *model;
  guint off = 0, visible = 0;

  tl_registry_add_pytorch_registrations (registry);
  model = tl_registry_get_artifacts (registry);

  g_assert_cmpuint (G_N_ELEMENTS (pytorch_artifacts), ==, 53);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 53);

  for (gsize i = 0; i < G_N_ELEMENTS (pytorch_artifacts); i++)
    {
      TlArtifact *artifact = tl_registry_lookup_artifact (registry, pytorch_artifacts[i].name);
      g_autoptr(TlArtifact) listed = g_list_model_get_item (model, i);

      g_test_message ("artifact %s", pytorch_artifacts[i].name);
      g_assert_nonnull (artifact);
      g_assert_true (listed == artifact);   /* registration order */
      g_assert_cmpint (tl_artifact_get_visible (artifact), ==,
                       (pytorch_artifacts[i].flags & VIS) != 0);
      g_assert_cmpint (tl_artifact_get_off_by_default (artifact), ==,
                       (pytorch_artifacts[i].flags & OFF) != 0);
      g_assert_cmpstr (tl_artifact_get_description (artifact), ==, pytorch_artifacts[i].description);
      g_assert_false (tl_artifact_get_enabled (artifact));
      if (g_str_equal (pytorch_artifacts[i].name, "custom_format_test_artifact"))
        g_assert_cmpstr (tl_artifact_get_log_format (artifact), ==, "");   /* bare message */
      else
        g_assert_null (tl_artifact_get_log_format (artifact));
      off += tl_artifact_get_off_by_default (artifact);
      visible += tl_artifact_get_visible (artifact);
    }
  g_assert_cmpuint (off, ==, 32);
  g_assert_cmpuint (visible, ==, 10);

  g_assert_null (tl_registry_lookup_artifact (registry, "onnx_diagnostics"));
  g_assert_null (tl_registry_lookup_artifact (registry, "joint_graph_passes"));
}

/* The PyTorch set behaves as torch's: aliases share qualified names,
 * `all` is `torch`, flags decide artifact output. */
static void
test_pytorch_semantics (void)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  RegistrySignals s;

  tl_registry_add_pytorch_registrations (registry);

  /* Registering the set again adds nothing. */
  signals_connect (registry, &s);
  tl_registry_add_pytorch_registrations (registry);
  g_assert_cmpuint (s.component_added + s.artifact_added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (tl_registry_get_components (registry)), ==, 18);
  g_assert_cmpuint (g_list_model_get_n_items (tl_registry_get_artifacts (registry)), ==, 53);
  signals_disconnect (registry, &s);

  /* `+dynamo,export` → torch._dynamo and the DYNAMIC loggers are INFO. */
  g_assert_true (tl_registry_parse_logs (registry, "+dynamo,export", NULL));
  g_assert_cmpint (tl_registry_get_effective_level (registry, "torch._dynamo"), ==, TL_LEVEL_INFO);
  g_assert_cmpint (tl_registry_get_effective_level (registry, "torch.fx.experimental.sym_node"), ==, TL_LEVEL_INFO);
  g_assert_cmpint (tl_component_get_level (tl_registry_lookup_component (registry, "dynamo")), ==, TL_LEVEL_INFO);

  /* `all` is `torch`. */
  g_assert_true (tl_registry_parse_logs (registry, "+all,-dynamo", NULL));
  g_assert_cmpint (tl_registry_get_effective_level (registry, "torch"), ==, TL_LEVEL_DEBUG);
  g_assert_cmpint (tl_registry_get_effective_level (registry, "torch._inductor"), ==, TL_LEVEL_DEBUG);
  g_assert_cmpint (tl_registry_get_effective_level (registry, "torch._dynamo.guards"), ==, TL_LEVEL_ERROR);
  g_assert_cmpint (tl_component_get_level (tl_registry_lookup_component (registry, "torch")), ==, TL_LEVEL_DEBUG);

  /* Off-by-default artifacts need naming: +dynamo hides bytecode,
   * shows guards. */
  g_assert_true (tl_registry_parse_logs (registry, "+dynamo", NULL));
  g_assert_true (tl_registry_should_emit (registry, "torch._dynamo.guards", "guards", TL_LEVEL_DEBUG));
  g_assert_false (tl_registry_should_emit (registry, "torch._dynamo.convert_frame", "bytecode", TL_LEVEL_DEBUG));
  g_assert_false (tl_registry_should_emit (registry, "torch._dynamo.convert_frame", "bytecode", TL_LEVEL_CRITICAL));
  g_assert_true (tl_registry_parse_logs (registry, "bytecode", NULL));
  g_assert_true (tl_registry_should_emit (registry, "torch._dynamo.convert_frame", "bytecode", TL_LEVEL_DEBUG));
}

/* ---- getArtifactLogger (spec §1.5) -------------------------------------- */

static void
test_artifact_logger (void)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *logger = NULL;
  char *missing;

  tl_registry_add_pytorch_registrations (registry);

  logger = tl_registry_get_artifact_logger (registry, "torch._dynamo.guards", "guards", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (logger, ==, "torch._dynamo.guards.__guards");

  /* The artifact logger obeys the configuration at once. */
  g_assert_true (tl_registry_parse_logs (registry, "guards", NULL));
  g_assert_true (tl_registry_should_emit (registry, logger, NULL, TL_LEVEL_DEBUG));
  g_assert_cmpint (tl_registry_get_effective_level (registry, logger), ==, TL_LEVEL_DEBUG);
  g_assert_cmpint (tl_registry_get_effective_level (registry, "torch._dynamo.guards"), ==, TL_LEVEL_WARNING);

  missing = tl_registry_get_artifact_logger (registry, "torch._dynamo", "foo", &error);
  g_assert_null (missing);
  g_assert_error (error, TL_ERROR, TL_ERROR_ARTIFACT_NOT_REGISTERED);
  /* torch's text, byte for byte: note no space after the comma. */
  g_assert_cmpstr (error->message, ==,
                   "Artifact name: 'foo' not registered,please call register_artifact('foo') "
                   "in torch._logging.registrations.");
}

/* ---- registration files ---------------------------------------------------- */

static void
test_registration_file (void)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  g_autoptr(GError) error = NULL;
  const char *parser_domains[] = { "myapp.parser", "myapp.lexer", NULL };
  const char *solo_domains[] = { "solo", NULL };
  TlComponent *parser, *solo;
  TlArtifact *tokens, *packets, *bare;
  RegistrySignals s;

  signals_connect (registry, &s);
  g_assert_true (tl_registry_load_registrations (registry, DATA ("registrations-app.ini"), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (s.component_added, ==, 3);
  g_assert_cmpuint (s.artifact_added, ==, 3);
  /* In the order of the file's groups. */
  g_assert_cmpstr (g_ptr_array_index (s.added_names, 0), ==, "parser");
  g_assert_cmpstr (g_ptr_array_index (s.added_names, 1), ==, "net");
  g_assert_cmpstr (g_ptr_array_index (s.added_names, 2), ==, "solo");

  parser = tl_registry_lookup_component (registry, "parser");
  g_assert_nonnull (parser);
  {
    g_auto(GStrv) domains = tl_component_dup_domains (parser);
    g_assert_cmpstrv (domains, parser_domains);
  }
  g_assert_cmpstr (tl_component_get_description (parser), ==, "The log level for the parser.");
  solo = tl_registry_lookup_component (registry, "solo");
  {
    g_auto(GStrv) domains = tl_component_dup_domains (solo);
    g_assert_cmpstrv (domains, solo_domains);
  }

  tokens = tl_registry_lookup_artifact (registry, "tokens");
  packets = tl_registry_lookup_artifact (registry, "packets");
  bare = tl_registry_lookup_artifact (registry, "bare");
  g_assert_true (tl_artifact_get_visible (tokens));
  g_assert_false (tl_artifact_get_off_by_default (tokens));
  g_assert_null (tl_artifact_get_log_format (tokens));
  g_assert_false (tl_artifact_get_visible (packets));
  g_assert_true (tl_artifact_get_off_by_default (packets));
  g_assert_cmpstr (tl_artifact_get_log_format (packets), ==, "%(name)s| %(message)s");
  g_assert_cmpstr (tl_artifact_get_log_format (bare), ==, "");
  g_assert_cmpstr (tl_artifact_get_description (packets), ==, "Dumps every packet.");

  /* The registered names work in settings at once. */
  g_assert_true (tl_registry_parse_logs (registry, "+parser,packets", &error));
  g_assert_no_error (error);
  g_assert_cmpint (tl_registry_get_effective_level (registry, "myapp.lexer"), ==, TL_LEVEL_DEBUG);
  g_assert_true (tl_artifact_get_enabled (packets));

  signals_disconnect (registry, &s);
}

static void
test_registration_data (void)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  g_autoptr(GError) error = NULL;
  static const char data[] =
    "[log dynamo]\n"
    "domains=app.dyn;\n"
    "[artifact flag]\n"
    "visible=1\n"        /* GKeyFile booleans: true, false, 1, 0 */
    "off-by-default=0\n";

  tl_registry_add_pytorch_registrations (registry);
  g_assert_true (tl_registry_load_registrations_from_data (registry, data, -1, &error));
  g_assert_no_error (error);
  /* register_log overwrites an earlier log of the same name. */
  {
    g_auto(GStrv) domains = tl_component_dup_domains (tl_registry_lookup_component (registry, "dynamo"));
    const char *expected[] = { "app.dyn", NULL };
    g_assert_cmpstrv (domains, expected);
  }
  g_assert_true (tl_artifact_get_visible (tl_registry_lookup_artifact (registry, "flag")));

  /* A length that cuts the text short is honoured. */
  {
    g_autoptr(TlRegistry) other = tl_registry_new ();
    static const char two[] = "[log first]\ndomains=f;\n[log second]\ndomains=s;\n";

    g_assert_true (tl_registry_load_registrations_from_data (other, two, strlen ("[log first]\ndomains=f;\n"), &error));
    g_assert_no_error (error);
    g_assert_nonnull (tl_registry_lookup_component (other, "first"));
    g_assert_null (tl_registry_lookup_component (other, "second"));
  }
}

static void
assert_file_error (const char *file, int line, const char *also)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *line_text = g_strdup_printf ("line %d", line);
  RegistrySignals s;

  g_test_message ("%s", file);
  signals_connect (registry, &s);
  g_assert_false (tl_registry_load_registrations (registry, file, &error));
  g_assert_error (error, TL_ERROR, TL_ERROR_REGISTRATION_FILE);
  g_test_message ("error: %s", error->message);
  /* The error names the offending line... */
  g_assert_nonnull (strstr (error->message, line_text));
  if (also != NULL)
    g_assert_nonnull (strstr (error->message, also));
  /* ...and nothing of the file was registered. */
  g_assert_cmpuint (s.component_added + s.artifact_added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (tl_registry_get_components (registry)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (tl_registry_get_artifacts (registry)), ==, 0);
  signals_disconnect (registry, &s);
}

static void
test_registration_file_errors (void)
{
  /* The second [log parser] is at line 7. */
  assert_file_error (DATA ("registrations-duplicate-group.ini"), 7, "parser");
  assert_file_error (DATA ("registrations-empty-name.ini"), 4, NULL);
  assert_file_error (DATA ("registrations-long-name.ini"), 4, NULL);
  /* Keys are checked, so a typo does not pass silently. */
  assert_file_error (DATA ("registrations-unknown-key.ini"), 6, "visibel");
  assert_file_error (DATA ("registrations-bad-boolean.ini"), 7, "off-by-default");
}

static void
test_registration_data_errors (void)
{
  static const struct { const char *data; int line; } cases[] = {
    { "[log parser]\ndomains=;\n", 2 },                 /* a log needs domains */
    { "[component parser]\ndomains=a;\n", 1 },          /* unknown kind */
    { "[parser]\ndomains=a;\n", 1 },                    /* no kind */
    { "[log ok]\ndomains=a;\n\n[log bad name]\ndomains=b;\n", 4 },
    { "[log ok]\ndomains=a;\n[log bad]\ndomains=a b;\n", 4 },
    { "[artifact a]\nvisible=yes\n", 2 },
    { "[artifact a]\nlog-format=%(nosuchfield)s\n", 2 },
    { "[log l]\ndomains=x;\nvisible=true\n", 3 },        /* artifact key in a log */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TlRegistry) registry = tl_registry_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *line_text = g_strdup_printf ("line %d", cases[i].line);

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, cases[i].data);
      g_assert_false (tl_registry_load_registrations_from_data (registry, cases[i].data, -1, &error));
      g_assert_error (error, TL_ERROR, TL_ERROR_REGISTRATION_FILE);
      g_test_message ("error: %s", error->message);
      g_assert_nonnull (strstr (error->message, line_text));
      g_assert_cmpuint (g_list_model_get_n_items (tl_registry_get_components (registry)), ==, 0);
      g_assert_cmpuint (g_list_model_get_n_items (tl_registry_get_artifacts (registry)), ==, 0);
    }

  /* Not a key file at all, and a file that does not exist. */
  {
    g_autoptr(TlRegistry) registry = tl_registry_new ();
    g_autoptr(GError) error = NULL;

    g_assert_false (tl_registry_load_registrations_from_data (registry, "this is not a key file\n", -1, &error));
    g_assert_error (error, TL_ERROR, TL_ERROR_REGISTRATION_FILE);
    g_clear_error (&error);
    g_assert_false (tl_registry_load_registrations (registry, DATA ("no-such-file.ini"), &error));
    g_assert_nonnull (error);
  }
}

/* ---- open registration (spec §2.6, §4.5) ------------------------------------- */

static void
test_open_registration_new_log (void)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  RegistrySignals s;
  TlComponent *component;

  tl_registry_add_pytorch_registrations (registry);
  signals_connect (registry, &s);

  /* A dotted name with no registered ancestor becomes a log of its own. */
  g_assert_true (tl_registry_parse_logs (registry, "+some.random.module,schedule", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (s.component_added, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (s.added_names, 0), ==, "some.random.module");
  component = tl_registry_lookup_component (registry, "some.random.module");
  g_assert_nonnull (component);
  {
    g_auto(GStrv) domains = tl_component_dup_domains (component);
    const char *expected[] = { "some.random.module", NULL };
    g_assert_cmpstrv (domains, expected);
  }
  g_assert_cmpint (tl_component_get_level (component), ==, TL_LEVEL_DEBUG);
  g_assert_false (tl_registry_is_child_log (registry, "some.random.module"));
  g_assert_cmpint (tl_registry_get_effective_level (registry, "some.random.module.leaf"), ==, TL_LEVEL_DEBUG);
  g_assert_true (tl_registry_should_emit (registry, "some.random.module.leaf", NULL, TL_LEVEL_DEBUG));
  /* `all` does not reach outside torch (spec §4.3). */
  g_assert_true (tl_registry_parse_logs (registry, "-all", NULL));
  g_assert_cmpint (tl_registry_get_effective_level (registry, "some.random.module"), ==, TL_LEVEL_WARNING);
  g_assert_true (tl_registry_should_emit (registry, "some.random.module", NULL, TL_LEVEL_WARNING));
  /* Its parent is still nobody's. */
  g_assert_false (tl_registry_should_emit (registry, "some.random", NULL, TL_LEVEL_CRITICAL));

  /* Once registered it stays: it is listed among the valid settings... */
  g_assert_false (tl_registry_parse_logs (registry, "bogus", &error));
  g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_SETTINGS);
  g_assert_nonnull (strstr (error->message, ", some.random.module, "));
  g_clear_error (&error);
  /* ...and in the help, among the aliases. */
  message = tl_registry_help_message (registry, FALSE);
  g_assert_nonnull (strstr (message, "\n  some.random.module\n"));

  /* Naming it again registers nothing new. */
  g_assert_true (tl_registry_parse_logs (registry, "some.random.module", NULL));
  g_assert_cmpuint (s.component_added, ==, 1);

  /* An undotted unknown name is a typo, not a module. */
  g_assert_false (tl_registry_parse_logs (registry, "dynamoo", &error));
  g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_SETTINGS);
  g_clear_error (&error);
  g_assert_cmpuint (s.component_added, ==, 1);

  signals_disconnect (registry, &s);
}

static void
test_open_registration_child (void)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  g_autoptr(GError) error = NULL;
  RegistrySignals s;

  tl_registry_add_pytorch_registrations (registry);
  signals_connect (registry, &s);

  /* A name below a registered log is a child: no new component. */
  g_assert_true (tl_registry_parse_logs (registry, "torch.utils,+torch._dynamo.output_graph", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (s.component_added, ==, 0);
  g_assert_true (tl_registry_is_child_log (registry, "torch.utils"));
  g_assert_true (tl_registry_is_child_log (registry, "torch._dynamo.output_graph"));
  g_assert_null (tl_registry_lookup_component (registry, "torch.utils"));
  g_assert_cmpint (tl_registry_get_effective_level (registry, "torch.utils"), ==, TL_LEVEL_INFO);
  g_assert_cmpint (tl_registry_get_effective_level (registry, "torch.utils.data"), ==, TL_LEVEL_INFO);
  g_assert_cmpint (tl_registry_get_effective_level (registry, "torch._dynamo.output_graph"), ==, TL_LEVEL_DEBUG);
  g_assert_cmpint (tl_registry_get_effective_level (registry, "torch._dynamo"), ==, TL_LEVEL_WARNING);
  g_assert_cmpint (tl_registry_get_effective_level (registry, "torch"), ==, TL_LEVEL_WARNING);
  g_assert_true (tl_registry_should_emit (registry, "torch.utils", NULL, TL_LEVEL_INFO));
  g_assert_false (tl_registry_should_emit (registry, "torch.utils", NULL, TL_LEVEL_DEBUG));

  /* A registered qualified name that is not an alias is accepted. */
  g_assert_true (tl_registry_parse_logs (registry, "+torch._inductor.cudagraph_trees", &error));
  g_assert_no_error (error);
  g_assert_cmpint (tl_registry_get_effective_level (registry, "torch._inductor.cudagraph_trees"), ==, TL_LEVEL_DEBUG);
  g_assert_cmpint (tl_registry_get_effective_level (registry, "torch._inductor"), ==, TL_LEVEL_WARNING);
  g_assert_cmpuint (s.component_added, ==, 0);

  /* Directory-based logging: a module's level reaches the registered
   * names below it, overwriting what came earlier in the same string. */
  g_assert_true (tl_registry_parse_logs (registry, "+flex_gemm,-torch._inductor", &error));
  g_assert_no_error (error);
  g_assert_cmpint (tl_registry_get_effective_level (registry, "torch._inductor.kernel.flex_gemm.debug"), ==, TL_LEVEL_ERROR);

  /* Through set_logs' modules= names too. */
  g_assert_true (tl_registry_set_logs (registry, &error, "torch.utils", TL_LEVEL_DEBUG,
                                       "unregistered.module.name", TL_LEVEL_DEBUG, NULL));
  g_assert_no_error (error);
  g_assert_cmpint (tl_registry_get_effective_level (registry, "torch.utils"), ==, TL_LEVEL_DEBUG);
  g_assert_nonnull (tl_registry_lookup_component (registry, "unregistered.module.name"));
  g_assert_cmpuint (s.component_added, ==, 1);

  signals_disconnect (registry, &s);
}

/* A failed configuration registers nothing, even its valid names. */
static void
test_open_registration_failed_parse (void)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  g_autoptr(GError) error = NULL;
  RegistrySignals s;

  tl_registry_add_pytorch_registrations (registry);
  signals_connect (registry, &s);
  g_assert_false (tl_registry_parse_logs (registry, "other.pkg,bogus", &error));
  g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_SETTINGS);
  g_assert_null (tl_registry_lookup_component (registry, "other.pkg"));
  g_assert_cmpuint (s.component_added, ==, 0);
  g_assert_cmpuint (s.changed, ==, 0);
  signals_disconnect (registry, &s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/level/values", test_level_values);
  g_test_add_func ("/level/enum-type", test_level_enum_type);
  g_test_add_func ("/component/properties", test_component_properties);
  g_test_add_func ("/artifact/properties", test_artifact_properties);
  g_test_add_func ("/registry/reregistration-overwrites", test_reregistration);
  g_test_add_func ("/registry/added-signals-and-list-models", test_registry_added_signals_and_models);
  g_test_add_func ("/registry/changed-after-every-configuration", test_registry_changed_signal);
  g_test_add_func ("/registry/changed-on-init-logs", test_registry_changed_on_init_logs);
  g_test_add_func ("/registry/notify-only-real-changes", test_registry_notify_only_real_changes);
  g_test_add_func ("/registry/rank-property", test_registry_rank_property);
  g_test_add_func ("/registry/independent", test_registry_independent);
  g_test_add_func ("/pytorch/components", test_pytorch_components);
  g_test_add_func ("/pytorch/artifacts", test_pytorch_artifacts);
  g_test_add_func ("/pytorch/semantics", test_pytorch_semantics);
  g_test_add_func ("/pytorch/artifact-logger", test_artifact_logger);
  g_test_add_func ("/registrations/file", test_registration_file);
  g_test_add_func ("/registrations/data", test_registration_data);
  g_test_add_func ("/registrations/file-errors", test_registration_file_errors);
  g_test_add_func ("/registrations/data-errors", test_registration_data_errors);
  g_test_add_func ("/open-registration/new-log", test_open_registration_new_log);
  g_test_add_func ("/open-registration/child", test_open_registration_child);
  g_test_add_func ("/open-registration/failed-parse-registers-nothing", test_open_registration_failed_parse);

  return g_test_run ();
}
