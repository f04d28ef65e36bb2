/* torchlog-apps.c: `torchlog apps`: the programs bound to GSettings and
 * what each one really runs
 *
 * A bound program keeps a key file in `$XDG_RUNTIME_DIR/torchlog/apps/`
 * (torchlog/tl-settings-state.c), named `APP-ID.PID`, rewritten whenever its
 * configuration changes or it rejects a value. This verb only reads that
 * folder: nothing has to run for it to be current. A file whose process is
 * gone (a crash, or an exit without unbinding) is shown as not running.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "torchlog-tool-private.h"

/* As torchlog/tl-settings-state.c writes them (the library does not export
 * its private helpers). */
#define STATE_GROUP "torchlog app"

void
torchlog_tool_app_state_free (TorchlogToolAppState *state)
{
  g_free (state->app_id);
  g_free (state->program);
  g_free (state->environment);
  g_free (state->stored);
  g_free (state->effective);
  g_free (state->rejected);
  g_free (state->rejected_reason);
  g_free (state->problem);
  g_free (state);
}

/* Field 22 of /proc/PID/stat, the process's start time: a pid reused by
 * another process does not count as the program running. */
static char *
start_time_of (gint64 pid)
{
  g_autofree char *file = g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/stat", pid);
  g_autofree char *stat = NULL;
  const char *p;
  int field = 2;

  if (!g_file_get_contents (file, &stat, NULL, NULL) || (p = strrchr (stat, ')')) == NULL)
    return NULL;
  while (*p != '\0' && field < 22)
    if (*p++ == ' ')
      field++;
  return g_strndup (p, strcspn (p, " "));
}

static gboolean
is_running (gint64 pid, const char *recorded_start)
{
  g_autofree char *started = NULL;

  if (pid <= 0 || pid > G_MAXINT || (kill ((pid_t) pid, 0) != 0 && errno != EPERM))
    return FALSE;
  started = start_time_of (pid);
  return recorded_start == NULL || started == NULL || g_str_equal (started, recorded_start);
}

static char *
get_optional (GKeyFile *key_file, const char *key)
{
  return g_key_file_get_string (key_file, STATE_GROUP, key, NULL);
}

static TorchlogToolAppState *
load_state (const char *file)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *started = NULL;
  TorchlogToolAppState *state;

  if (!g_key_file_load_from_file (key_file, file, G_KEY_FILE_NONE, NULL) ||
      !g_key_file_has_key (key_file, STATE_GROUP, "app-id", NULL))
    return NULL;
  state = g_new0 (TorchlogToolAppState, 1);
  state->app_id = get_optional (key_file, "app-id");
  state->pid = g_key_file_get_int64 (key_file, STATE_GROUP, "pid", NULL);
  state->program = get_optional (key_file, "program");
  state->environment = get_optional (key_file, "environment");
  state->stored = get_optional (key_file, "stored");
  state->effective = get_optional (key_file, "effective");
  state->rejected = get_optional (key_file, "rejected");
  state->rejected_reason = get_optional (key_file, "rejected-reason");
  state->problem = get_optional (key_file, "problem");
  started = get_optional (key_file, "start-time");
  state->running = is_running (state->pid, started);
  return state;
}

static int
compare_states (gconstpointer a, gconstpointer b)
{
  const TorchlogToolAppState *x = *(TorchlogToolAppState **) a;
  const TorchlogToolAppState *y = *(TorchlogToolAppState **) b;
  int by_id = strcmp (x->app_id, y->app_id);

  if (by_id != 0)
    return by_id;
  return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/**
 * torchlog_tool_app_states_load:
 * @app_id: (nullable): only this application's programs
 *
 * Reads the state files the bound programs published.
 *
 * Returns: (transfer full): the #TorchlogToolAppState of each, sorted by
 *   application id and pid
 */
GPtrArray *
torchlog_tool_app_states_load (const char *app_id)
{
  g_autofree char *dir_name = g_build_filename (g_get_user_runtime_dir (), "torchlog", "apps", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_name, 0, NULL);
  GPtrArray *states = g_ptr_array_new_with_free_func ((GDestroyNotify) torchlog_tool_app_state_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = NULL;
      TorchlogToolAppState *state;

      /* g_file_set_contents() leaves `NAME.XXXXXX` while it writes. */
      if (name[0] == '.' || strchr (name, '.') == NULL)
        continue;
      file = g_build_filename (dir_name, name, NULL);
      state = load_state (file);
      if (state == NULL)
        continue;
      if (app_id != NULL && !g_str_equal (state->app_id, app_id))
        torchlog_tool_app_state_free (state);
      else
        g_ptr_array_add (states, state);
    }
  g_ptr_array_sort (states, compare_states);
  return states;
}

/* ---- apps ----------------------------------------------------------- */

static char *opt_app;
static gboolean opt_ids;
static gboolean opt_running;

static const GOptionEntry apps_entries[] = {
  { "app", 'a', 0, G_OPTION_ARG_STRING, &opt_app,
    N_("Only this application’s programs"), N_("APP-ID") },
  { "running", 0, 0, G_OPTION_ARG_NONE, &opt_running,
    N_("Only the programs that are running"), NULL },
  { "ids", 0, 0, G_OPTION_ARG_NONE, &opt_ids,
    N_("Print only the application ids, one per line"), NULL },
  G_OPTION_ENTRY_NULL
};

static void
append_field (GString *out, const char *label, const char *value)
{
  g_string_append_printf (out, "  %-22s %s\n", label, value);
}

static char *
quoted (const char *value)
{
  return value != NULL ? g_shell_quote (value) : g_strdup (_("(none)"));
}

int
torchlog_tool_apps (const TorchlogToolVerb *verb,
                    int                     argc,
                    char                  **argv)
{
  g_autoptr(GPtrArray) states = NULL;
  g_auto(GStrv) args = NULL;
  GString *out = g_string_new (NULL);
  const char *last_id = NULL;
  int status;

  args = torchlog_tool_parse_args_full (verb, apps_entries,
                                        _("Each program that bound its registry to GSettings "
                                          "publishes its state in\n$XDG_RUNTIME_DIR/torchlog/apps/ "
                                          "whenever its configuration changes: the value\nstored in "
                                          "its settings, the configuration it applies now (“effective”, "
                                          "as\na TORCH_LOGS string) and the last value it rejected, "
                                          "with torch’s reason."),
                                        argc, argv, &status);
  if (args == NULL)
    {
      g_string_free (out, TRUE);
      return status;
    }
  if (args[1] != NULL)
    {
      g_string_free (out, TRUE);
      /* TRANSLATORS: %s is an argument the user gave */
      return torchlog_tool_usage_error (verb, _("Unexpected argument “%s”"), args[1]);
    }

  states = torchlog_tool_app_states_load (opt_app);
  for (guint i = 0; i < states->len; i++)
    {
      TorchlogToolAppState *state = states->pdata[i];
      g_autofree char *stored = NULL, *effective = NULL, *rejected = NULL;

      if (opt_running && !state->running)
        continue;
      if (opt_ids)
        {
          if (last_id == NULL || !g_str_equal (last_id, state->app_id))
            g_string_append_printf (out, "%s\n", state->app_id);
          last_id = state->app_id;
          continue;
        }

      g_string_append_printf (out, "%s\n", state->app_id);
      g_string_append_printf (out, "  %-22s %" G_GINT64_FORMAT " (%s)\n", _("pid:"), state->pid,
                              state->running ? _("running") : _("not running"));
      if (state->program != NULL)
        append_field (out, _("program:"), state->program);
      stored = quoted (state->stored ? state->stored : "");
      append_field (out, _("stored:"), stored);
      effective = quoted (state->effective ? state->effective : "");
      append_field (out, _("effective:"), effective);
      if (state->environment != NULL)
        {
          g_autofree char *environment = quoted (state->environment);
          append_field (out, _("TORCH_LOGS at start:"), environment);
        }
      rejected = quoted (state->rejected);
      append_field (out, _("last rejected:"), rejected);
      if (state->rejected_reason != NULL)
        {
          /* torch's text without its list of every valid name, which
           * `torchlog list --app` shows; continuation lines indented. */
          g_autofree char *reason = g_strdup (state->rejected_reason);
          char *names = strstr (reason, "\nValid settings:");
          g_auto(GStrv) lines = NULL;

          if (names != NULL)
            *names = '\0';
          lines = g_strsplit (reason, "\n", -1);
          append_field (out, _("reason:"), lines[0]);
          for (gsize l = 1; lines[l] != NULL; l++)
            append_field (out, "", lines[l]);
        }
      if (state->problem != NULL)
        append_field (out, _("problem:"), state->problem);
    }

  if (states->len == 0 && !opt_ids)
    g_printerr ("%s\n", _("No program has bound its settings in this session "
                          "(none published a state in $XDG_RUNTIME_DIR/torchlog/apps/)."));
  /* Everything here was written by programs, or by whoever writes their
   * settings: escaped. */
  torchlog_tool_write_escaped (stdout, out->str);
  g_string_free (out, TRUE);
  return TORCHLOG_TOOL_EXIT_OK;
}
