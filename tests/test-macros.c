/* test-macros.c: tl_debug() … tl_critical(), tl_log() and tl_artifact()
 *
 * The level check comes first (no argument evaluated when a record is
 * off), call-site caches follow every configuration change, and enabled
 * records carry the structured fields issue 2 lists. Expectations come
 * from issue 2 and torch_logging_spec.md §4.4.
 *
 * The main process installs a capturing writer, so it can inspect every
 * field of torchlog's records; children (tl-test-child.h) check GLib's
 * default writer.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* TL_LOG_DOMAIN is left undefined: it must default to G_LOG_DOMAIN. */
#define G_LOG_DOMAIN "macrotest.core"

#include <string.h>

#include <torchlog/torchlog.h>

#include "tl-test-child.h"

/* ---- the capturing writer ---------------------------------------------- */

typedef struct {
  GLogLevelFlags log_level;
  GHashTable    *fields;   /* key → value (text) */
} Captured;

static GPtrArray *captured;   /* Captured */
static GMutex captured_lock;

static void
captured_free (gpointer data)
{
  Captured *record = data;

  g_hash_table_unref (record->fields);
  g_free (record);
}

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  Captured *record;
  gboolean is_torchlog = FALSE;

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "TORCHLOG_COMPONENT"))
      is_torchlog = TRUE;
  /* Anything else (GLib's own criticals, failed assertions) keeps its
   * normal treatment. */
  if (!is_torchlog)
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  record = g_new0 (Captured, 1);
  record->log_level = log_level;
  record->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (gsize i = 0; i < n_fields; i++)
    {
      gsize length = fields[i].length < 0 ? strlen (fields[i].value) : (gsize) fields[i].length;
      g_hash_table_replace (record->fields, g_strdup (fields[i].key),
                            g_strndup (fields[i].value, length));
    }
  g_mutex_lock (&captured_lock);
  g_ptr_array_add (captured, record);
  g_mutex_unlock (&captured_lock);
  return G_LOG_WRITER_HANDLED;
}

static void
captured_reset (void)
{
  g_mutex_lock (&captured_lock);
  g_ptr_array_set_size (captured, 0);
  g_mutex_unlock (&captured_lock);
}

static const char *
field (guint index, const char *key)
{
  Captured *record;

  g_assert_cmpuint (index, <, captured->len);
  record = g_ptr_array_index (captured, index);
  return g_hash_table_lookup (record->fields, key);
}

/* ---- set-up ------------------------------------------------------------- */

static guint evaluations;

/* A log argument with a side effect: counts its evaluations. */
static int
bump (void)
{
  return (int) ++evaluations;
}

static TlRegistry *
registry (void)
{
  return tl_registry_get_default ();
}

static void
configure (const char *settings)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tl_registry_parse_logs (registry (), settings, &error));
  g_assert_no_error (error);
}

/* ---- tests --------------------------------------------------------------- */

static void
test_default_domain (void)
{
  configure ("macrotest");
  captured_reset ();
  tl_info ("hello %s", "world");
  g_assert_cmpuint (captured->len, ==, 1);
  g_assert_cmpstr (field (0, "GLIB_DOMAIN"), ==, "macrotest.core");
  g_assert_cmpstr (field (0, "MESSAGE"), ==, "hello world");
}

#undef TL_LOG_DOMAIN
#define TL_LOG_DOMAIN "macrotest.other"
static void
log_from_other_domain (void)
{
  tl_warning ("from the other domain");
}
#undef TL_LOG_DOMAIN
#define TL_LOG_DOMAIN G_LOG_DOMAIN

static void
test_explicit_domain (void)
{
  configure ("macrotest");
  captured_reset ();
  log_from_other_domain ();
  g_assert_cmpuint (captured->len, ==, 1);
  g_assert_cmpstr (field (0, "GLIB_DOMAIN"), ==, "macrotest.other");
  g_assert_cmpstr (field (0, "TORCHLOG_COMPONENT"), ==, "macrotest");
}

static void
test_off_evaluates_nothing (void)
{
  configure ("-macrotest");   /* ERROR */
  captured_reset ();
  evaluations = 0;

  tl_debug ("%d", bump ());
  tl_info ("%d", bump ());
  tl_warning ("%d", bump ());
  tl_log (TL_LEVEL_INFO, "%d", bump ());
  tl_artifact ("macroart", TL_LEVEL_WARNING, "%d", bump ());   /* follows the level */
  tl_artifact ("offart", TL_LEVEL_CRITICAL, "%d", bump ());    /* off by default */
  tl_artifact ("unregistered_artifact_name", TL_LEVEL_DEBUG, "%d", bump ());
  g_assert_cmpuint (evaluations, ==, 0);
  g_assert_cmpuint (captured->len, ==, 0);

  /* The default configuration: WARNING lets nothing lower through. */
  configure ("");
  tl_debug ("%d", bump ());
  tl_info ("%d", bump ());
  tl_artifact ("macroart", TL_LEVEL_INFO, "%d", bump ());
  g_assert_cmpuint (evaluations, ==, 0);
  g_assert_cmpuint (captured->len, ==, 0);

  /* Enabled records evaluate their arguments exactly once. */
  configure ("-macrotest");
  tl_error ("%d", bump ());
  tl_critical ("%d", bump ());
  g_assert_cmpuint (evaluations, ==, 2);
  g_assert_cmpuint (captured->len, ==, 2);
  g_assert_cmpstr (field (0, "MESSAGE"), ==, "1");
  g_assert_cmpstr (field (1, "MESSAGE"), ==, "2");
}

/* One call site, many configurations: its cached decision must follow
 * every change, whichever way it was made. */
static void
site (void)
{
  tl_info ("site %d", bump ());
}

static void
artifact_site (void)
{
  tl_artifact ("offart", TL_LEVEL_DEBUG, "artifact site %d", bump ());
}

#undef TL_LOG_DOMAIN
#define TL_LOG_DOMAIN "latecomer.mod"
static void
late_site (void)
{
  tl_info ("late site %d", bump ());
}
#undef TL_LOG_DOMAIN
#define TL_LOG_DOMAIN "openreg.pkg.sub"
static void
open_site (void)
{
  tl_debug ("open site %d", bump ());
}
#undef TL_LOG_DOMAIN
#define TL_LOG_DOMAIN G_LOG_DOMAIN

static void
assert_site (void (*func) (void), gboolean enabled)
{
  guint before = evaluations;
  guint records = captured->len;

  func ();
  g_assert_cmpuint (evaluations, ==, before + (enabled ? 1 : 0));
  g_assert_cmpuint (captured->len, ==, records + (enabled ? 1 : 0));
}

static void
test_cache_follows_configuration (void)
{
  TlComponent *component = tl_registry_lookup_component (registry (), "macrotest");
  TlArtifact *artifact = tl_registry_lookup_artifact (registry (), "offart");
  g_autoptr(GError) error = NULL;
  g_autoptr(TlRegistry) other = tl_registry_new ();
  GVariantDict dict;

  captured_reset ();
  evaluations = 0;

  configure ("-macrotest");
  assert_site (site, FALSE);
  assert_site (site, FALSE);
  configure ("macrotest");
  assert_site (site, TRUE);
  assert_site (site, TRUE);
  configure ("-macrotest");
  assert_site (site, FALSE);

  /* set_logs */
  g_assert_true (tl_registry_set_logs (registry (), &error, "macrotest", TL_LEVEL_DEBUG, NULL));
  g_assert_no_error (error);
  assert_site (site, TRUE);
  g_assert_true (tl_registry_set_logs (registry (), &error, "macrotest", TL_LEVEL_WARNING, NULL));
  assert_site (site, FALSE);

  /* the component's level property */
  tl_component_set_level (component, TL_LEVEL_INFO);
  assert_site (site, TRUE);
  g_object_set (component, "level", TL_LEVEL_ERROR, NULL);
  assert_site (site, FALSE);

  /* set_logs with a variant */
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "macrotest", "i", TL_LEVEL_INFO);
  g_assert_true (tl_registry_set_logs_variant (registry (), g_variant_dict_end (&dict), &error));
  g_assert_no_error (error);
  assert_site (site, TRUE);

  /* Configuring another registry does not touch the macros' one. */
  tl_registry_add_pytorch_registrations (other);
  {
    const char *domains[] = { "macrotest", NULL };
    tl_registry_register_log (other, "macrotest", domains, NULL);
  }
  g_assert_true (tl_registry_parse_logs (other, "-macrotest", NULL));
  assert_site (site, TRUE);

  /* An off-by-default artifact, through its enabled property. */
  configure ("+macrotest");
  assert_site (artifact_site, FALSE);
  g_object_set (artifact, "enabled", TRUE, NULL);
  assert_site (artifact_site, TRUE);
  configure ("+macrotest");
  assert_site (artifact_site, FALSE);
  configure ("offart");
  assert_site (artifact_site, TRUE);
  assert_site (site, FALSE);

  /* A domain nobody registered yet: registering it and naming it turns
   * the cached site on. */
  assert_site (late_site, FALSE);
  {
    const char *domains[] = { "latecomer", NULL };
    tl_registry_register_log (registry (), "late", domains, NULL);
  }
  assert_site (late_site, FALSE);   /* registered, at the default WARNING */
  configure ("late");
  assert_site (late_site, TRUE);

  /* Open registration of a module name. */
  assert_site (open_site, FALSE);
  configure ("+openreg.pkg");
  assert_site (open_site, TRUE);
  configure ("openreg.pkg");
  assert_site (open_site, FALSE);
}

static void
test_fields (void)
{
  static const struct { TlLevel level; const char *priority; } levels[] = {
    { TL_LEVEL_DEBUG, "7" }, { TL_LEVEL_INFO, "6" }, { TL_LEVEL_WARNING, "4" },
    { TL_LEVEL_ERROR, "3" }, { TL_LEVEL_CRITICAL, "2" },
  };
  g_autofree char *long_text = g_strnfill (5000, 'x');
  g_autofree char *line_debug = NULL, *line_artifact = NULL;
  int line;

  configure ("+macrotest");
  captured_reset ();

  tl_debug ("d %s=%d", "x", 5); line = __LINE__;
  line_debug = g_strdup_printf ("%d", line);
  tl_info ("i");
  tl_warning ("w");
  tl_error ("e");
  tl_critical ("c");
  tl_artifact ("macroart", TL_LEVEL_WARNING, "a %d", 7); line = __LINE__;
  line_artifact = g_strdup_printf ("%d", line);
  tl_info ("%s", long_text);

  g_assert_cmpuint (captured->len, ==, 7);
  for (guint i = 0; i < 5; i++)
    {
      Captured *record = g_ptr_array_index (captured, i);

      g_assert_cmpstr (field (i, "GLIB_DOMAIN"), ==, "macrotest.core");
      g_assert_cmpstr (field (i, "PRIORITY"), ==, levels[i].priority);
      g_assert_cmpstr (field (i, "CODE_FILE"), ==, __FILE__);
      g_assert_cmpstr (field (i, "CODE_FUNC"), ==, G_STRFUNC);
      g_assert_nonnull (field (i, "CODE_LINE"));
      g_assert_cmpstr (field (i, "TORCHLOG_COMPONENT"), ==, "macrotest");
      /* Not an artifact record. */
      g_assert_true (field (i, "TORCHLOG_ARTIFACT") == NULL || field (i, "TORCHLOG_ARTIFACT")[0] == '\0');
      /* With another writer than torchlog's, GLib's default one must
       * neither drop (DEBUG, INFO) nor abort (ERROR, fatal masks). */
      g_assert_cmpint (record->log_level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO | G_LOG_LEVEL_ERROR), ==, 0);
    }
  g_assert_cmpstr (field (0, "MESSAGE"), ==, "d x=5");
  g_assert_cmpstr (field (0, "CODE_LINE"), ==, line_debug);
  g_assert_cmpstr (field (4, "MESSAGE"), ==, "c");

  /* The artifact record names its artifact. */
  g_assert_cmpstr (field (5, "TORCHLOG_ARTIFACT"), ==, "macroart");
  g_assert_cmpstr (field (5, "TORCHLOG_COMPONENT"), ==, "macrotest");
  g_assert_true (g_str_equal (field (5, "GLIB_DOMAIN"), "macrotest.core") ||
                 g_str_equal (field (5, "GLIB_DOMAIN"), "macrotest.core.__macroart"));
  g_assert_cmpstr (field (5, "PRIORITY"), ==, "4");
  g_assert_cmpstr (field (5, "MESSAGE"), ==, "a 7");
  g_assert_cmpstr (field (5, "CODE_LINE"), ==, line_artifact);
  g_assert_cmpstr (field (5, "CODE_FUNC"), ==, G_STRFUNC);

  /* Long messages are not cut. */
  g_assert_cmpstr (field (6, "MESSAGE"), ==, long_text);
}

/* ---- GLib's default writer (children) ---------------------------------------- */

static void
child_default_writer (void)
{
  TlRegistry *reg = tl_registry_get_default ();
  const char *domains[] = { "macrotest", NULL };
  g_autoptr(GError) error = NULL;

  tl_registry_register_log (reg, "macrotest", domains, NULL);
  tl_registry_register_artifact (reg, "offart", NULL, TL_ARTIFACT_FLAGS_OFF_BY_DEFAULT, NULL);
  g_assert_true (tl_registry_init_logs (reg, &error));
  g_assert_no_error (error);
  /* No tl_registry_install_writer(): GLib's default writer. */
  tl_debug ("debug-visible %d", 1);
  tl_info ("info-visible");
  tl_artifact ("offart", TL_LEVEL_DEBUG, "artifact-visible");
  tl_warning ("warning-visible");
  tl_error ("error-visible");
  tl_critical ("critical-visible");
  g_print ("SURVIVED=1\n");
}

static const TlTestChildFunc child_funcs[] = {
  { "default-writer", child_default_writer },
  { NULL, NULL },
};

static void
test_default_writer_does_not_drop (void)
{
  TlTestChild child;

  /* G_MESSAGES_DEBUG unset: GLib would drop DEBUG and INFO records. */
  tl_test_child_run (&child, "default-writer", "TORCH_LOGS", "+macrotest,offart",
                     "G_MESSAGES_DEBUG", NULL,
                     "G_DEBUG", "fatal-warnings,fatal-criticals", NULL);
  g_assert_true (child.exited);
  g_assert_cmpint (child.exit_code, ==, 0);
  g_assert_nonnull (strstr (child.out, "SURVIVED=1"));
  g_assert_nonnull (strstr (child.err, "debug-visible 1"));
  g_assert_nonnull (strstr (child.err, "info-visible"));
  g_assert_nonnull (strstr (child.err, "artifact-visible"));
  g_assert_nonnull (strstr (child.err, "warning-visible"));
  g_assert_nonnull (strstr (child.err, "error-visible"));
  g_assert_nonnull (strstr (child.err, "critical-visible"));
  tl_test_child_clear (&child);

  /* And records the configuration turns off stay off. */
  tl_test_child_run (&child, "default-writer", "TORCH_LOGS", "-macrotest",
                     "G_MESSAGES_DEBUG", "all", NULL);
  g_assert_true (child.exited);
  g_assert_cmpint (child.exit_code, ==, 0);
  g_assert_null (strstr (child.err, "debug-visible"));
  g_assert_null (strstr (child.out, "debug-visible"));
  g_assert_null (strstr (child.err, "info-visible"));
  g_assert_null (strstr (child.out, "info-visible"));
  g_assert_null (strstr (child.err, "artifact-visible"));
  g_assert_null (strstr (child.err, "warning-visible"));
  g_assert_nonnull (strstr (child.err, "error-visible"));
  tl_test_child_clear (&child);
}

int
main (int argc, char **argv)
{
  int child_status = tl_test_child_main (argc, argv, child_funcs);
  const char *domains[] = { "macrotest", NULL };

  if (child_status >= 0)
    return child_status;

  g_test_init (&argc, &argv, NULL);

  captured = g_ptr_array_new_with_free_func (captured_free);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  tl_registry_register_log (registry (), "macrotest", domains, "The test's log.");
  tl_registry_register_artifact (registry (), "macroart", NULL, TL_ARTIFACT_FLAGS_NONE, NULL);
  tl_registry_register_artifact (registry (), "offart", NULL, TL_ARTIFACT_FLAGS_OFF_BY_DEFAULT, NULL);

  g_test_add_func ("/macros/domain/defaults-to-g-log-domain", test_default_domain);
  g_test_add_func ("/macros/domain/explicit", test_explicit_domain);
  g_test_add_func ("/macros/off/evaluates-no-argument", test_off_evaluates_nothing);
  g_test_add_func ("/macros/cache/follows-every-configuration-change", test_cache_follows_configuration);
  g_test_add_func ("/macros/fields", test_fields);
  g_test_add_func ("/macros/default-writer/enabled-records-not-dropped", test_default_writer_does_not_drop);

  return g_test_run ();
}
