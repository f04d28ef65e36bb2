/* fuzz-registrations.c: libFuzzer harness for registration key files
 * (tl_registry_load_registrations_from_data)
 *
 * Checks: a failure is TL_ERROR_REGISTRATION_FILE and registers nothing
 * (the file is checked whole first); a success registers only safe
 * names; help texts can be built; tl_registry_dup_registrations() (what
 * the GSettings binding publishes) loads back; a record of every artifact just
 * registered prints escaped lines through the artifact's own format.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_glib ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(TlRegistry) registry = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *components, *artifacts;
  gboolean ok;

  fuzz_ignore_quark_table ();
  registry = tl_registry_new ();

  /* Not NUL-terminated on purpose: the length must be honoured. */
  ok = tl_registry_load_registrations_from_data (registry, (const char *) data, size, &error);
  components = tl_registry_get_components (registry);
  artifacts = tl_registry_get_artifacts (registry);

  if (!ok)
    {
      FUZZ_CHECK (error != NULL, "failure without a GError");
      FUZZ_CHECK (g_error_matches (error, TL_ERROR, TL_ERROR_REGISTRATION_FILE),
                  "unexpected error %s:%d: %s", g_quark_to_string (error->domain),
                  error->code, error->message);
      FUZZ_CHECK (g_list_model_get_n_items (components) == 0 &&
                  g_list_model_get_n_items (artifacts) == 0,
                  "a refused file registered something");
      return 0;
    }
  FUZZ_CHECK (error == NULL, "success with a GError");
  fuzz_check_registry_names (registry);

  g_free (tl_registry_help_message (registry, FALSE));
  g_free (tl_registry_help_message (registry, TRUE));

  /* What a bound program publishes in the `registrations` key (for the
   * torchlog command) loads back to the same registrations. */
  {
    g_autofree char *published = tl_registry_dup_registrations (registry);
    g_autoptr(TlRegistry) copy = tl_registry_new ();
    g_autoptr(GError) copy_error = NULL;

    FUZZ_CHECK (tl_registry_load_registrations_from_data (copy, published, -1, &copy_error),
                "published registrations do not load back: %s\n%s",
                copy_error->message, published);
    FUZZ_CHECK (g_list_model_get_n_items (tl_registry_get_components (copy)) ==
                g_list_model_get_n_items (components) &&
                g_list_model_get_n_items (tl_registry_get_artifacts (copy)) ==
                g_list_model_get_n_items (artifacts),
                "published registrations load back different:\n%s", published);
  }

  /* Everything at DEBUG, the first 16 artifacts on; then a record of
   * the first log's first domain and one of each of those artifacts. */
  if (g_list_model_get_n_items (components) > 0)
    {
      g_autoptr(TlComponent) first = g_list_model_get_item (components, 0);
      g_auto(GStrv) domains = tl_component_dup_domains (first);
      g_autoptr(GString) settings = g_string_new ("+all");
      g_autoptr(GError) parse_error = NULL;

      for (guint i = 0; i < g_list_model_get_n_items (artifacts) && i < 16; i++)
        {
          g_autoptr(TlArtifact) artifact = g_list_model_get_item (artifacts, i);
          g_string_append_printf (settings, ",%s", tl_artifact_get_name (artifact));
        }
      FUZZ_CHECK (tl_registry_parse_logs (registry, settings->str, &parse_error),
                  "“%s” refused: %s", settings->str, parse_error->message);

      /* WARNING passes whatever level the items gave the domain. */
      fuzz_capture_attach (registry);
      fuzz_write_record (registry, G_LOG_LEVEL_WARNING, domains[0], NULL, "plain \x1b[2J", -1);
      {
        g_autoptr(GBytes) printed = fuzz_capture_take (registry);
        gsize len;
        const char *text = g_bytes_get_data (printed, &len);

        FUZZ_CHECK (len > 0, "a WARNING of domain “%s” was not printed", domains[0]);
        fuzz_check_printable (text, len, "a printed line");
      }
      for (guint i = 0; i < g_list_model_get_n_items (artifacts) && i < 16; i++)
        {
          g_autoptr(TlArtifact) artifact = g_list_model_get_item (artifacts, i);
          fuzz_write_record (registry, G_LOG_LEVEL_DEBUG, domains[0],
                             tl_artifact_get_name (artifact), "art\x9b" "1m\n", -1);
        }
      {
        g_autoptr(GBytes) printed = fuzz_capture_take (registry);
        gsize len;
        const char *text = g_bytes_get_data (printed, &len);

        fuzz_check_printable (text, len, "the printed lines");
      }
    }
  return 0;
}
