/* torchlog-settings.c: the operator's verbs of `torchlog`: list, get, set,
 * reset and monitor, on a running program's GSettings
 *
 * A program that called tl_registry_bind_settings_for_app() is controlled
 * through torchlog's schema at the path of its application id; these verbs
 * are a friendlier `gsettings` for it: `set` checks a value against the
 * program's own names (published in the `registrations` key) before writing
 * it, so a typo is refused with torch's error text instead of reaching the
 * program.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <glib-unix.h>

#include "torchlog-tool-private.h"

static const char *const output_keys[] = { "output-file", "format", NULL };

static char *opt_app;
static gboolean opt_new;

/* ---- shared --------------------------------------------------------- */

static const char *
path_rule_description (void)
{
  return _("APP-ID is the application id the program bound its settings with, e.g.\n"
           "“org.example.App”; its settings live at\n"
           "/org/gnome/torchlog/apps/org/example/App/ (dots become slashes).");
}

/* Opens @app_id's settings; NULL (with the error printed and @status set)
 * for a missing or invalid id or a missing schema. */
static GSettings *
open_app_settings (const TorchlogToolVerb *verb, const char *app_id, int *status)
{
  g_autoptr(GError) error = NULL;
  GSettings *settings;

  if (app_id == NULL)
    {
      *status = torchlog_tool_usage_error (verb, _("Missing --app APP-ID"));
      return NULL;
    }
  settings = tl_settings_new_for_app (app_id, &error);
  if (settings == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
        *status = torchlog_tool_usage_error (verb, "%s", error->message);
      else
        {
          torchlog_tool_print_error ("%s", error->message);
          *status = TORCHLOG_TOOL_EXIT_FAILURE;
        }
    }
  return settings;
}

/* Whether @app_id names a program torchlog knows: one that published its
 * registrations or a state file, or whose settings hold a value (written
 * with `set --new`, or a per-application default of the administrator's).
 * Every other id is most likely misspelled: writing there would change
 * nothing that runs. */
static gboolean
app_is_known (GSettings *settings, const char *app_id)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GPtrArray) states = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (gsize i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) user = g_settings_get_user_value (settings, keys[i]);
      g_autoptr(GVariant) current = g_settings_get_default_value (settings, keys[i]);
      g_autoptr(GSettingsSchemaKey) key = g_settings_schema_get_key (schema, keys[i]);
      g_autoptr(GVariant) schema_default = g_settings_schema_key_get_default_value (key);

      if (user != NULL || (current != NULL && !g_variant_equal (current, schema_default)))
        return TRUE;
    }
  states = torchlog_tool_app_states_load (app_id);
  return states->len > 0;
}

/* Refuses an id torchlog does not know (see app_is_known()), unless
 * @create. */
static gboolean
check_known (GSettings *settings, const char *app_id, gboolean create, int *status)
{
  if (create || app_is_known (settings, app_id))
    return TRUE;
  /* TRANSLATORS: %s is an application id; "torchlog apps" and "--new" are
   * literal */
  torchlog_tool_print_error (_("No program with the application id “%s” has bound its "
                               "settings (is it misspelled? “torchlog apps” lists the "
                               "programs); use “torchlog set --new” to prepare the "
                               "settings of a program that has not run yet"), app_id);
  *status = TORCHLOG_TOOL_EXIT_FAILURE;
  return FALSE;
}

/* Refuses to write when nothing written could reach the program: no
 * session bus for dconf. */
static gboolean
check_backend (GSettings *settings, int *status)
{
  g_autoptr(GError) error = NULL;

  if (tl_settings_check_backend (settings, &error))
    return TRUE;
  /* TRANSLATORS: %s explains what is missing */
  torchlog_tool_print_error (_("Nothing was written. %s"), error->message);
  *status = TORCHLOG_TOOL_EXIT_FAILURE;
  return FALSE;
}

/* Refuses a key the administrator locked; GSettings would accept the
 * write and drop it silently. */
static gboolean
check_writable (GSettings *settings, const char *key, const char *app_id, int *status)
{
  if (g_settings_is_writable (settings, key))
    return TRUE;
  /* TRANSLATORS: %s are a settings key such as "logs" and an application id */
  torchlog_tool_print_error (_("The key “%s” of %s is locked by the administrator "
                               "(not writable); nothing was written"), key, app_id);
  *status = TORCHLOG_TOOL_EXIT_FAILURE;
  return FALSE;
}

/* The command line of a verb that takes --app and no argument (get, reset,
 * monitor): the program's settings, or NULL with the error printed and
 * @status set. */
static GSettings *
parse_app_verb (const TorchlogToolVerb *verb,
                const GOptionEntry     *entries,
                const char             *description,
                int                     argc,
                char                  **argv,
                int                    *status)
{
  g_auto(GStrv) args = torchlog_tool_parse_args_full (verb, entries, description, argc, argv, status);

  if (args == NULL)
    return NULL;
  if (args[1] != NULL)
    {
      /* TRANSLATORS: %s is an argument the user gave */
      *status = torchlog_tool_usage_error (verb, _("Unexpected argument “%s”"), args[1]);
      return NULL;
    }
  return open_app_settings (verb, opt_app, status);
}

/* A registry with the program's own registrations, as it published them,
 * or PyTorch's when it has not (yet) run with these settings. */
static TlRegistry *
app_registry_new (GSettings *settings, const char *app_id, gboolean *published)
{
  g_autofree char *text = g_settings_get_string (settings, "registrations");
  g_autoptr(GError) error = NULL;
  TlRegistry *registry;

  if (text[0] != '\0')
    {
      registry = tl_registry_new ();
      if (tl_registry_load_registrations_from_data (registry, text, -1, &error))
        {
          *published = TRUE;
          return registry;
        }
      g_object_unref (registry);
      /* TRANSLATORS: %s is an application id, then an error message */
      torchlog_tool_print_error (_("The registrations %s published are unreadable (%s); "
                                   "using PyTorch’s"), app_id, error->message);
    }
  *published = FALSE;
  return torchlog_tool_pytorch_registry_new ();
}

static void
note_unpublished (const char *app_id)
{
  /* TRANSLATORS: %s is an application id */
  g_autofree char *note = g_strdup_printf (_("Note: %s has not published its registrations "
                                             "(has it run with runtime control?); checking "
                                             "against PyTorch’s names."), app_id);
  g_printerr ("%s\n", note);
}

/* Checks @settings as TORCH_LOGS would be checked in the program. Prints
 * torch's error (or the help) and returns FALSE if it cannot be used. */
static gboolean
validate_logs (TlRegistry *registry, const char *settings, int *status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (settings[0] == '\0' || tl_registry_parse_logs (registry, settings, &error))
    return TRUE;

  if (g_error_matches (error, TL_ERROR, TL_ERROR_HELP))
    {
      /* `help` is not a setting but a question: answer it, write nothing.
       * The names and descriptions are the program's, as it published
       * them: escaped. */
      torchlog_tool_write_escaped (stdout, error->message);
      *status = TORCHLOG_TOOL_EXIT_OK;
      return FALSE;
    }
  text = g_strdup_printf ("ValueError: %s\n", error->message);
  torchlog_tool_write_escaped (stderr, text);
  *status = TORCHLOG_TOOL_EXIT_FAILURE;
  return FALSE;
}

static gboolean
validate_format (const char *format, int *status)
{
  g_autoptr(TlRegistry) scratch = NULL;
  g_autoptr(GError) error = NULL;

  if (format[0] == '\0' || g_str_equal (format, "torch"))
    return TRUE;
  scratch = tl_registry_new ();
  if (tl_registry_set_format (scratch, format, &error))
    return TRUE;
  /* TRANSLATORS: %s is an error message */
  torchlog_tool_print_error (_("Invalid --format: %s"), error->message);
  *status = TORCHLOG_TOOL_EXIT_FAILURE;
  return FALSE;
}

static gboolean
write_key (GSettings *settings, const char *key, const char *value, int *status)
{
  if (!g_settings_set_string (settings, key, value))
    {
      /* TRANSLATORS: %s is a settings key such as "logs" */
      torchlog_tool_print_error (_("The key “%s” is not writable"), key);
      *status = TORCHLOG_TOOL_EXIT_FAILURE;
      return FALSE;
    }
  return TRUE;
}

/* After g_settings_sync(): whether @key holds @value. A write the backend
 * failed to commit (dconf's service could not be reached) is reverted
 * by then, and was only reported on stderr by dconf. */
static gboolean
check_written (GSettings *settings, const char *key, const char *value, int *status)
{
  g_autofree char *stored = g_settings_get_string (settings, key);

  if (g_str_equal (stored, value))
    return TRUE;
  /* TRANSLATORS: %s is a settings key such as "logs" */
  torchlog_tool_print_error (_("The key “%s” could not be written (the settings backend "
                               "refused it; see above)"), key);
  *status = TORCHLOG_TOOL_EXIT_FAILURE;
  return FALSE;
}

/* ---- list ----------------------------------------------------------- */

static gboolean opt_names;

static const GOptionEntry list_entries[] = {
  { "app", 'a', 0, G_OPTION_ARG_STRING, &opt_app,
    N_("Show the program’s own logs and artifacts, at the levels its settings set"),
    N_("APP-ID") },
  { "names", 0, 0, G_OPTION_ARG_NONE, &opt_names,
    N_("Print only the names SETTINGS may use, one per line"), NULL },
  G_OPTION_ENTRY_NULL
};

static int
compare_components (gconstpointer a, gconstpointer b)
{
  return strcmp (tl_component_get_name (*(TlComponent **) a),
                 tl_component_get_name (*(TlComponent **) b));
}

static int
compare_artifacts (gconstpointer a, gconstpointer b)
{
  return strcmp (tl_artifact_get_name (*(TlArtifact **) a),
                 tl_artifact_get_name (*(TlArtifact **) b));
}

static GPtrArray *
sorted_items (GListModel *model, GCompareFunc compare)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (items, g_list_model_get_item (model, i));
  g_ptr_array_sort (items, compare);
  return items;
}

static void
print_listing (TlRegistry *registry)
{
  g_autoptr(GPtrArray) components =
    sorted_items (tl_registry_get_components (registry), compare_components);
  g_autoptr(GPtrArray) artifacts =
    sorted_items (tl_registry_get_artifacts (registry), compare_artifacts);
  GString *out = g_string_new (NULL);

  if (opt_names)
    {
      g_string_append (out, "all\n");
      for (guint i = 0; i < components->len; i++)
        g_string_append_printf (out, "%s\n", tl_component_get_name (components->pdata[i]));
      for (guint i = 0; i < artifacts->len; i++)
        g_string_append_printf (out, "%s\n", tl_artifact_get_name (artifacts->pdata[i]));
      torchlog_tool_write_escaped (stdout, out->str);
      g_string_free (out, TRUE);
      return;
    }

  g_string_append_printf (out, "%s\n", _("Logs (+NAME: DEBUG, NAME: INFO, -NAME: ERROR):"));
  for (guint i = 0; i < components->len; i++)
    {
      TlComponent *component = components->pdata[i];
      const char *description = tl_component_get_description (component);

      g_string_append_printf (out, "  %-20s %-8s %s\n", tl_component_get_name (component),
                              tl_level_to_name (tl_component_get_level (component)),
                              description && *description ? _(description) : "");
    }
  g_string_append_printf (out, "\n%s\n", _("Artifacts (NAME enables; * off by default):"));
  for (guint i = 0; i < artifacts->len; i++)
    {
      TlArtifact *artifact = artifacts->pdata[i];
      const char *description = tl_artifact_get_description (artifact);

      g_string_append_printf (out, "  %-30s %-3s %s %s\n", tl_artifact_get_name (artifact),
                              tl_artifact_get_enabled (artifact) ? _("on") : _("off"),
                              tl_artifact_get_off_by_default (artifact) ? "*" : " ",
                              description && *description ? _(description) : "");
    }
  /* A program's published names and descriptions: escaped. */
  torchlog_tool_write_escaped (stdout, out->str);
  g_string_free (out, TRUE);
}

int
torchlog_tool_list (const TorchlogToolVerb *verb,
                    int                     argc,
                    char                  **argv)
{
  g_autoptr(TlRegistry) registry = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *description = NULL;
  g_autofree char *logs = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(GError) error = NULL;
  gboolean published;
  int status;

  description = g_strdup_printf ("%s\n\n%s",
                                 _("Without --app: PyTorch’s logs and artifacts, at the levels "
                                   "the TORCH_LOGS\nenvironment variable sets. With --app: the "
                                   "program’s, at the levels its\n“logs” key sets over its "
                                   "defaults (the program’s own TORCH_LOGS is not known\nhere)."),
                                 path_rule_description ());
  args = torchlog_tool_parse_args_full (verb, list_entries, description, argc, argv, &status);
  if (args == NULL)
    return status;
  if (args[1] != NULL)
    /* TRANSLATORS: %s is an argument the user gave */
    return torchlog_tool_usage_error (verb, _("Unexpected argument “%s”"), args[1]);

  if (opt_app == NULL)
    {
      registry = torchlog_tool_pytorch_registry_new ();
      /* An invalid TORCH_LOGS is printed by init_logs, as torch does. */
      if (!tl_registry_init_logs (registry, &error))
        return TORCHLOG_TOOL_EXIT_FAILURE;
      print_listing (registry);
      return TORCHLOG_TOOL_EXIT_OK;
    }

  settings = open_app_settings (verb, opt_app, &status);
  if (settings == NULL)
    return status;
  registry = app_registry_new (settings, opt_app, &published);
  if (!published && !opt_names)
    note_unpublished (opt_app);
  logs = g_settings_get_string (settings, "logs");
  if (!tl_registry_parse_logs (registry, logs, &error))
    {
      /* The program ignores such a value too; show its defaults. */
      /* TRANSLATORS: %s is the stored value */
      torchlog_tool_print_error (_("The stored value “%s” is invalid; the program ignores it"), logs);
    }
  print_listing (registry);
  return TORCHLOG_TOOL_EXIT_OK;
}

/* ---- get ------------------------------------------------------------ */

static gboolean opt_all;
static gboolean opt_effective;

static const GOptionEntry get_entries[] = {
  { "app", 'a', 0, G_OPTION_ARG_STRING, &opt_app,
    N_("The program’s application id"), N_("APP-ID") },
  { "all", 0, 0, G_OPTION_ARG_NONE, &opt_all,
    N_("Also print the output file and the format, as KEY=VALUE lines"), NULL },
  { "effective", 'e', 0, G_OPTION_ARG_NONE, &opt_effective,
    N_("Print the configuration the running program applies now, as a TORCH_LOGS "
       "string (one line per running process)"), NULL },
  G_OPTION_ENTRY_NULL
};

/* `get --effective`: what the running programs of @app_id published. */
static int
print_effective (const char *app_id)
{
  g_autoptr(GPtrArray) states = torchlog_tool_app_states_load (app_id);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < states->len; i++)
    {
      TorchlogToolAppState *state = states->pdata[i];

      if (state->running)
        g_string_append_printf (out, "%s\n", state->effective ? state->effective : "");
    }
  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      /* TRANSLATORS: %s is an application id */
      torchlog_tool_print_error (_("No program with the application id “%s” is running "
                                   "(“torchlog apps” lists the programs)"), app_id);
      return TORCHLOG_TOOL_EXIT_FAILURE;
    }
  torchlog_tool_write_escaped (stdout, out->str);
  g_string_free (out, TRUE);
  return TORCHLOG_TOOL_EXIT_OK;
}

int
torchlog_tool_get (const TorchlogToolVerb *verb,
                   int                     argc,
                   char                  **argv)
{
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *logs = NULL;
  GString *out;
  int status;

  settings = parse_app_verb (verb, get_entries,
                             _("Prints the program’s “logs” setting (empty: the program’s own "
                               "configuration).\nThe stored value is not always what runs: "
                               "an invalid value is ignored,\nand TORCH_LOGS wins over it at "
                               "start-up. --effective prints what runs."), argc, argv, &status);
  if (settings == NULL)
    return status;
  if (opt_effective)
    return print_effective (opt_app);
  if (!check_known (settings, opt_app, FALSE, &status))
    return status;

  out = g_string_new (NULL);
  logs = g_settings_get_string (settings, "logs");
  if (!opt_all)
    g_string_append_printf (out, "%s\n", logs);
  else
    {
      g_string_append_printf (out, "logs=%s\n", logs);
      for (gsize i = 0; output_keys[i] != NULL; i++)
        {
          g_autofree char *value = g_settings_get_string (settings, output_keys[i]);
          g_string_append_printf (out, "%s=%s\n", output_keys[i], value);
        }
    }
  /* Anyone who can write the settings chose these values: escaped. A
   * value holding a newline would also look like another key's line. */
  torchlog_tool_write_escaped (stdout, out->str);
  g_string_free (out, TRUE);
  return TORCHLOG_TOOL_EXIT_OK;
}

/* ---- set ------------------------------------------------------------ */

static char *opt_output_file;
static char *opt_format;

static const GOptionEntry set_entries[] = {
  { "app", 'a', 0, G_OPTION_ARG_STRING, &opt_app,
    N_("The program’s application id"), N_("APP-ID") },
  { "output-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_output_file,
    N_("Also append every line to FILE (\"\" for the program’s own choice)"), N_("FILE") },
  { "format", 0, 0, G_OPTION_ARG_STRING, &opt_format,
    N_("Line format: short, basic, torch or a %(field)s format (\"\" for the program’s)"),
    N_("FORMAT") },
  { "new", 0, 0, G_OPTION_ARG_NONE, &opt_new,
    N_("Write the settings of a program that has not run yet (otherwise an unknown "
       "APP-ID is refused as a likely typo)"), NULL },
  G_OPTION_ENTRY_NULL
};

int
torchlog_tool_set (const TorchlogToolVerb *verb,
                   int                     argc,
                   char                  **argv)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(TlRegistry) registry = NULL;
  g_autofree char *description = NULL;
  g_autofree char *file = NULL;
  g_auto(GStrv) args = NULL;
  const char *logs;
  gboolean published;
  int status;

  description = g_strdup_printf ("%s\n\n%s\n\n%s\n\n%s",
                                 _("Sets the running program’s log settings, in TORCH_LOGS syntax, "
                                   "e.g. “+dynamo,guards”:\n"
                                   "+NAME sets a log to DEBUG, NAME to INFO, -NAME to ERROR, and an "
                                   "artifact\nname enables it. They are laid over the program’s own "
                                   "configuration, even\nwhen it was started with TORCH_LOGS; "
                                   "“torchlog reset” removes them."),
                                 _("SETTINGS is checked against the program’s own names first: "
                                   "an invalid value\nis refused with exit status 1 and nothing "
                                   "is written. So is an unknown APP-ID\n(see --new), a key the "
                                   "administrator locked, and a session without\nthe D-Bus "
                                   "session bus dconf needs."),
                                 _("SETTINGS may start with “-” (“-dynamo”, “-aot”): it is not "
                                   "taken for an\noption. Give option values as separate "
                                   "arguments (“-a APP-ID”), or end the\noptions with “--”."),
                                 path_rule_description ());
  args = torchlog_tool_parse_args_full (verb, set_entries, description, argc, argv, &status);
  if (args == NULL)
    return status;
  if (args[1] != NULL && args[2] != NULL)
    return torchlog_tool_usage_error (verb, _("Unexpected argument “%s”; quote SETTINGS "
                                              "if it contains spaces"), args[2]);
  logs = args[1];
  if (logs == NULL && opt_output_file == NULL && opt_format == NULL)
    return torchlog_tool_usage_error (verb, _("Missing SETTINGS, e.g. “+dynamo,guards”"));

  settings = open_app_settings (verb, opt_app, &status);
  if (settings == NULL)
    return status;

  /* Everything is checked before anything is written. */
  if (!check_backend (settings, &status) ||
      !check_known (settings, opt_app, opt_new, &status) ||
      (logs != NULL && !check_writable (settings, "logs", opt_app, &status)) ||
      (opt_output_file != NULL && !check_writable (settings, "output-file", opt_app, &status)) ||
      (opt_format != NULL && !check_writable (settings, "format", opt_app, &status)))
    return status;
  if (logs != NULL)
    {
      registry = app_registry_new (settings, opt_app, &published);
      if (!published)
        note_unpublished (opt_app);
      if (!validate_logs (registry, logs, &status))
        return status;
    }
  if (opt_format != NULL && !validate_format (opt_format, &status))
    return status;
  /* The program may run elsewhere: a relative path would be relative to
   * its folder, not to the operator's. */
  if (opt_output_file != NULL && opt_output_file[0] != '\0')
    file = g_canonicalize_filename (opt_output_file, NULL);
  else if (opt_output_file != NULL)
    file = g_strdup ("");

  g_settings_delay (settings);
  if ((logs != NULL && !write_key (settings, "logs", logs, &status)) ||
      (file != NULL && !write_key (settings, "output-file", file, &status)) ||
      (opt_format != NULL && !write_key (settings, "format", opt_format, &status)))
    {
      g_settings_revert (settings);
      return status;
    }
  g_settings_apply (settings);
  g_settings_sync ();
  if ((logs != NULL && !check_written (settings, "logs", logs, &status)) ||
      (file != NULL && !check_written (settings, "output-file", file, &status)) ||
      (opt_format != NULL && !check_written (settings, "format", opt_format, &status)))
    return status;
  return TORCHLOG_TOOL_EXIT_OK;
}

/* ---- reset ---------------------------------------------------------- */

static const GOptionEntry reset_entries[] = {
  { "app", 'a', 0, G_OPTION_ARG_STRING, &opt_app,
    N_("The program’s application id"), N_("APP-ID") },
  { "all", 0, 0, G_OPTION_ARG_NONE, &opt_all,
    N_("Also reset the output file and the format"), NULL },
  G_OPTION_ENTRY_NULL
};

int
torchlog_tool_reset (const TorchlogToolVerb *verb,
                     int                     argc,
                     char                  **argv)
{
  g_autoptr(GSettings) settings = NULL;
  int status;

  g_autofree char *fleet = NULL;

  settings = parse_app_verb (verb, reset_entries,
                             _("Removes the value stored for the program: its “logs” setting "
                               "returns to its\ndefault. That is empty unless the administrator "
                               "set a fleet default (see\nthe operators’ guide): empty, the "
                               "program returns at once to what its\nTORCH_LOGS or set_logs() "
                               "configured; otherwise the fleet default applies."),
                             argc, argv, &status);
  if (settings == NULL)
    return status;
  if (!check_backend (settings, &status) ||
      !check_known (settings, opt_app, FALSE, &status) ||
      !check_writable (settings, "logs", opt_app, &status))
    return status;
  if (opt_all)
    for (gsize i = 0; output_keys[i] != NULL; i++)
      if (!check_writable (settings, output_keys[i], opt_app, &status))
        return status;

  g_settings_reset (settings, "logs");
  if (opt_all)
    for (gsize i = 0; output_keys[i] != NULL; i++)
      g_settings_reset (settings, output_keys[i]);
  g_settings_sync ();

  /* Say where the program is now, since it may not be where the user
   * expects. */
  fleet = g_settings_get_string (settings, "logs");
  if (fleet[0] != '\0')
    {
      /* TRANSLATORS: %s is the default value of the "logs" key */
      g_autofree char *note = g_strdup_printf (_("Note: the administrator’s default “%s” "
                                                 "applies now"), fleet);
      torchlog_tool_write_escaped (stderr, note);
      g_printerr ("\n");
    }
  return TORCHLOG_TOOL_EXIT_OK;
}

/* ---- monitor -------------------------------------------------------- */

static const GOptionEntry monitor_entries[] = {
  { "app", 'a', 0, G_OPTION_ARG_STRING, &opt_app,
    N_("The program’s application id"), N_("APP-ID") },
  G_OPTION_ENTRY_NULL
};

static void
on_changed (GSettings  *settings,
            const char *key,
            gpointer    user_data)
{
  g_autofree char *value = g_settings_get_string (settings, key);
  g_autofree char *line = NULL;

  /* The registrations are long and for machines: say they changed. */
  if (g_str_equal (key, "registrations"))
    line = g_strdup_printf ("%s: %s\n", key, _("(updated by the program)"));
  else
    {
      g_autofree char *shown = torchlog_tool_escape (value);
      g_autofree char *quoted = g_shell_quote (shown);
      line = g_strdup_printf ("%s: %s\n", key, quoted);
    }
  torchlog_tool_write_verbatim (stdout, line);
}

static gboolean
on_signal (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
torchlog_tool_monitor (const TorchlogToolVerb *verb,
                       int                     argc,
                       char                  **argv)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_auto(GStrv) keys = NULL;
  int status;

  settings = parse_app_verb (verb, monitor_entries,
                             _("Prints “KEY: VALUE” each time one of the program’s settings "
                               "changes, until\ninterrupted (Ctrl+C)."),
                             argc, argv, &status);
  if (settings == NULL)
    return status;

  loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (settings, "changed", G_CALLBACK (on_changed), NULL);
  /* GSettings reports only keys that were read while connected. */
  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (gsize i = 0; keys[i] != NULL; i++)
    g_variant_unref (g_settings_get_value (settings, keys[i]));

  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);
  return TORCHLOG_TOOL_EXIT_OK;
}
