/* tl-help.c: texts for people, from the registered names: torch's
 * `help` text and invalid-settings error, byte for byte, and the
 * explanation of a configuration
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tl-help-private.h"
#include "tl-i18n-private.h"

/* The width torch pads artifact names to in the help. */
#define HELP_NAME_WIDTH 30

/* @pending_logs (nullable): names the failed parse would have registered
 * as logs, listed as torch lists them. */
static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  /* strcmp on UTF-8 orders by code point, as Python's sorted() does. */
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char *
tl_help_invalid_settings (const TlNames   *names_in,
                          const char      *settings,
                          const GPtrArray *pending_logs)
{
  g_autoptr(GPtrArray) logs = tl_names_sorted_logs (names_in);
  g_autoptr(GPtrArray) artifacts = tl_names_sorted_artifacts (names_in);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GString *message = g_string_new (NULL);

  /* `all`, every alias and every artifact, sorted as one list. */
  g_ptr_array_add (names, (gpointer) "all");
  g_ptr_array_extend (names, logs, NULL, NULL);
  g_ptr_array_extend (names, artifacts, NULL, NULL);
  for (guint i = 0; pending_logs != NULL && i < pending_logs->len; i++)
    g_ptr_array_add (names, g_ptr_array_index (pending_logs, i));
  g_ptr_array_sort (names, compare_strings);

  g_string_append_printf (message,
                          /* Translators: torch's ValueError text. Keep the
                           * line breaks: the list of valid names follows
                           * "Valid settings:" on the next line. */
                          _("\nInvalid log settings: %s, must be a comma separated list of fully\n"
                            "qualified module names, registered log names or registered artifact names.\n"
                            "For more info on various settings, try TORCH_LOGS=\"help\"\n"
                            "Valid settings:\n"),
                          settings);
  for (guint i = 0; i < names->len; i++)
    {
      if (i > 0)
        g_string_append (message, ", ");
      g_string_append (message, g_ptr_array_index (names, i));
    }
  g_string_append_c (message, '\n');
  return g_string_free (message, FALSE);
}

char *
tl_help_message (const TlNames *names,
                 gboolean       verbose)
{
  g_autoptr(GPtrArray) aliases = tl_names_sorted_logs (names);
  g_autoptr(GPtrArray) artifacts = tl_names_sorted_artifacts (names);
  GString *help = g_string_new (NULL);

  g_string_append (help,
    /* Translators: torch's TORCH_LOGS=help text. Translate the prose
     * only: the TORCH_LOGS values, logging.DEBUG and the like, the
     * %(...)s keys and the file name are what the user types. */
    /* xgettext:no-c-format */
    _("\n"
    "TORCH_LOGS Info\n"
    "\n"
    "Examples:\n"
    "  TORCH_LOGS=\"+dynamo,aot\" will set the log level of TorchDynamo to\n"
    "  logging.DEBUG and AOT to logging.INFO\n"
    "\n"
    "  TORCH_LOGS=\"-dynamo,+inductor\" will set the log level of TorchDynamo to\n"
    "  logging.ERROR and TorchInductor to logging.DEBUG\n"
    "\n"
    "  TORCH_LOGS=\"aot_graphs\" will enable the aot_graphs artifact\n"
    "\n"
    "  TORCH_LOGS=\"+dynamo,schedule\" will enable set the log level of TorchDynamo\n"
    "  to logging.DEBUG and enable the schedule artifact\n"
    "\n"
    "  TORCH_LOGS=\"+some.random.module,schedule\" will set the log level of\n"
    "  some.random.module to logging.DEBUG and enable the schedule artifact\n"
    "\n"
    "  TORCH_LOGS=\"+torch._functorch._aot_autograd\" will set the log level of\n"
    "  torch._functorch._aot_autograd and all its submodules to logging.DEBUG\n"
    "  (directory-based logging)\n"
    "\n"
    "  TORCH_LOGS_FORMAT=\"%(levelname)s: %(message)s\" or any provided format\n"
    "  string will set the output format\n"
    "  Valid keys are \"levelname\", \"message\", \"pathname\", \"levelno\", \"lineno\",\n"
    "  \"filename\" and \"name\".\n"
    "\n"
    "  TORCH_LOGS_OUT=/tmp/output.txt will output the logs to /tmp/output.txt as\n"
    "  well. This is useful when the output is long.\n"
    "\n"
    "\n"));

  g_string_append (help, verbose
                   ? _("All registered names")
                   : _("Visible registered names (use TORCH_LOGS='+help' for full list)"));
  g_string_append (help, "\n  all\n");
  for (guint i = 0; i < aliases->len; i++)
    g_string_append_printf (help, "  %s\n", (const char *) g_ptr_array_index (aliases, i));

  for (guint i = 0; i < artifacts->len; i++)
    {
      const char *name = g_ptr_array_index (artifacts, i);
      TlArtifact *artifact = tl_names_lookup_artifact (names, name);
      const char *description = tl_artifact_get_description (artifact);

      if (!verbose && !tl_artifact_get_visible (artifact))
        continue;

      /* PyTorch's descriptions are in the catalog (registrations/
       * pytorch.ini.h); "" would fetch the catalog's header. */
      if (description != NULL && description[0] != '\0')
        description = _(description);
      /* Python's str.ljust(30): pads, never cuts a longer name. */
      g_string_append_printf (help, "  %-*s\t%s\n", HELP_NAME_WIDTH, name, description);
    }
  return g_string_free (help, FALSE);
}

/* One line of tl_registry_explain(): a name, its effective level and
 * what set it. */
static void
append_explained_level (GString              *text,
                        int                   indent,
                        int                   width,
                        const char           *name,
                        TlLevel               level,
                        const TlLevelSetting *source)
{
  g_string_append_printf (text, "%*s%-*s %-8s ", indent, "", width, name,
                          tl_level_to_name (level));
  if (source != NULL)
    /* TRANSLATORS: %s is the TORCH_LOGS item (e.g. "+dynamo") or the
     * tl_registry_set_logs() name that set a level or enabled an artifact */
    g_string_append_printf (text, _("set by \"%s\""), source->source);
  else
    g_string_append (text, _("(default)"));
  g_string_append_c (text, '\n');
}

char *
tl_help_explain (const TlNames  *names,
                 const TlConfig *config)
{
  g_autoptr(GPtrArray) components = tl_names_sorted_logs (names);
  g_autoptr(GPtrArray) artifacts = g_ptr_array_new ();
  g_autoptr(GPtrArray) modules = g_ptr_array_new ();
  GString *text = g_string_new (NULL);
  const TlLevelSetting *root;
  GHashTableIter iter;
  gpointer key;

  g_string_append_printf (text, "%s\n", _("Components:"));
  /* `all` in a registry without a `torch` log. */
  root = g_hash_table_lookup (config->levels, TL_ROOT_QNAME);
  if (root != NULL)
    append_explained_level (text, 2, 20, "all", root->level, root);
  for (guint i = 0; i < components->len; i++)
    {
      TlComponent *component = tl_names_lookup_log (names, g_ptr_array_index (components, i));
      const char * const *domains = tl_component_peek_domains (component);
      const TlLevelSetting *first_source, *source;
      TlLevel first_level, level;

      first_level = tl_config_effective_level (config, domains[0], &first_source);
      append_explained_level (text, 2, 20, tl_component_get_name (component),
                              first_level, first_source);
      /* Aliases share domains (`export` includes `torch._dynamo`), so a
       * log's domains can end at different levels. */
      for (gsize d = 1; domains[d] != NULL; d++)
        {
          level = tl_config_effective_level (config, domains[d], &source);
          if (level != first_level ||
              (source == NULL) != (first_source == NULL) ||
              (source != NULL && !g_str_equal (source->source, first_source->source)))
            append_explained_level (text, 4, 38, domains[d], level, source);
        }
    }

  /* Levels set on names that are no log's domain: child logs and the
   * modules below them. */
  g_hash_table_iter_init (&iter, config->levels);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (((const char *) key)[0] != '\0' && !tl_names_is_log_domain (names, key))
      g_ptr_array_add (modules, key);
  if (modules->len > 0)
    {
      g_ptr_array_sort (modules, compare_strings);
      g_string_append_printf (text, "%s\n", _("Modules:"));
      for (guint i = 0; i < modules->len; i++)
        {
          const TlLevelSetting *source;
          TlLevel level = tl_config_effective_level (config, g_ptr_array_index (modules, i),
                                                              &source);
          append_explained_level (text, 2, 20, g_ptr_array_index (modules, i), level, source);
        }
    }

  g_hash_table_iter_init (&iter, config->artifacts);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (artifacts, key);
  g_ptr_array_sort (artifacts, compare_strings);
  g_string_append_printf (text, "%s\n", _("Enabled artifacts:"));
  if (artifacts->len == 0)
    g_string_append_printf (text, "  %s\n", _("(none)"));
  for (guint i = 0; i < artifacts->len; i++)
    {
      const char *name = g_ptr_array_index (artifacts, i);
      g_string_append_printf (text, "  %-20s ", name);
      g_string_append_printf (text, _("set by \"%s\""),
                              (const char *) g_hash_table_lookup (config->artifacts, name));
      g_string_append_c (text, '\n');
    }
  return g_string_free (text, FALSE);
}

