/* tl-settings-state.c: what a program bound to GSettings tells
 * `torchlog apps` about itself
 *
 * The settings show what an operator stored, not what a program runs: a
 * rejected value stays stored while the previous configuration runs on,
 * TORCH_LOGS wins over a stored value at start-up, and the program's own
 * set_logs() calls never reach the settings. So each bound program keeps a
 * small key file, `$XDG_RUNTIME_DIR/torchlog/apps/APP-ID.PID`, rewritten
 * (atomically, by rename) whenever its configuration changes or a value is
 * rejected, and removed when it unbinds. Nobody polls: the program writes
 * it as a side effect of applying a change, and `torchlog apps` reads the
 * folder when asked. `XDG_RUNTIME_DIR` is private to the user and emptied
 * at logout, as such files should be.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tl-settings-state-private.h"
#include "tl-environment-private.h"
#include "tl-i18n-private.h"

char *
tl_settings_state_dir (void)
{
  return g_build_filename (g_get_user_runtime_dir (), "torchlog", "apps", NULL);
}

char *
tl_settings_state_file (const char *app_id)
{
  g_autofree char *dir = tl_settings_state_dir ();
  g_autofree char *name = g_strdup_printf ("%s.%ld", app_id, (long) getpid ());

  /* A foreign settings path (tl_registry_bind_settings() with any path)
   * is used as the id; a file name cannot hold its slashes. */
  g_strdelimit (name, "/", '_');
  return g_build_filename (dir, name, NULL);
}

/* Field 22 of /proc/self/stat, the start time in clock ticks since boot:
 * with the pid it names this process, even after the pid is reused. */
static char *
start_time (void)
{
  g_autofree char *stat = NULL;
  const char *p;
  int field = 2;

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL))
    return NULL;
  /* The command name (field 2) may hold spaces and parentheses. */
  p = strrchr (stat, ')');
  if (p == NULL)
    return NULL;
  while (*p != '\0' && field < 22)
    if (*p++ == ' ')
      field++;
  return g_strndup (p, strcspn (p, " "));
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
append_item (GString *out, const char *prefix, const char *name)
{
  if (out->len > 0)
    g_string_append_c (out, ',');
  g_string_append (out, prefix);
  g_string_append (out, name);
}

static const char *
level_prefix (TlLevel level)
{
  if (level <= TL_LEVEL_DEBUG)
    return "+";
  if (level <= TL_LEVEL_INFO)
    return "";
  return "-";
}

/* The logs whose level is not the default (WARNING) with torch's prefixes
 * ("all" when every log has the same one), then the enabled artifacts,
 * sorted, so that two processes running the same configuration show the
 * same text. A level above ERROR (set_logs() can set CRITICAL) shows as
 * `-name`, the nearest that TORCH_LOGS can say. */
char *
tl_settings_state_effective (TlRegistry *registry)
{
  GListModel *components = tl_registry_get_components (registry);
  GListModel *artifacts = tl_registry_get_artifacts (registry);
  g_autoptr(GPtrArray) logs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) enabled = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);
  guint n = g_list_model_get_n_items (components);
  TlLevel common = TL_LEVEL_NOTSET;
  gboolean all_same = n > 1;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TlComponent) component = g_list_model_get_item (components, i);
      TlLevel level = tl_component_get_level (component);

      if (i == 0)
        common = level;
      else if (level != common)
        all_same = FALSE;
      if (level != TL_LEVEL_WARNING)
        g_ptr_array_add (logs, g_strconcat (level_prefix (level),
                                            tl_component_get_name (component), NULL));
    }
  if (all_same && common != TL_LEVEL_WARNING)
    append_item (out, level_prefix (common), "all");
  else
    {
      g_ptr_array_sort (logs, compare_strings);
      for (guint i = 0; i < logs->len; i++)
        append_item (out, "", logs->pdata[i]);
    }

  for (guint i = 0; i < g_list_model_get_n_items (artifacts); i++)
    {
      g_autoptr(TlArtifact) artifact = g_list_model_get_item (artifacts, i);

      if (tl_artifact_get_enabled (artifact))
        g_ptr_array_add (enabled, g_strdup (tl_artifact_get_name (artifact)));
    }
  g_ptr_array_sort (enabled, compare_strings);
  for (guint i = 0; i < enabled->len; i++)
    append_item (out, "", enabled->pdata[i]);
  return g_string_free (out, FALSE);
}

static void
set_optional (GKeyFile *key_file, const char *key, const char *value)
{
  if (value != NULL)
    g_key_file_set_string (key_file, TL_SETTINGS_STATE_GROUP, key, value);
}

void
tl_settings_state_write (const char            *file,
                         TlRegistry            *registry,
                         const TlSettingsState *state)
{
  static gsize warned;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (file);
  g_autofree char *effective = tl_settings_state_effective (registry);
  g_autofree char *started = start_time ();
  g_autofree char *data = NULL;
  const char *environment = tl_environment_logs (tl_registry_get_env_var (registry));
  gsize length;

  g_key_file_set_string (key_file, TL_SETTINGS_STATE_GROUP, "app-id", state->app_id);
  g_key_file_set_int64 (key_file, TL_SETTINGS_STATE_GROUP, "pid", getpid ());
  set_optional (key_file, "start-time", started);
  set_optional (key_file, "program", g_get_prgname ());
  set_optional (key_file, "path", state->path);
  set_optional (key_file, "environment", environment);
  set_optional (key_file, "stored", state->stored_logs);
  g_key_file_set_string (key_file, TL_SETTINGS_STATE_GROUP, "effective", effective);
  set_optional (key_file, "rejected", state->rejected_logs);
  set_optional (key_file, "rejected-reason", state->rejected_reason);
  set_optional (key_file, "rejected-format", state->rejected_format);
  set_optional (key_file, "output-file", state->applied_file);
  set_optional (key_file, "format", state->applied_format);
  set_optional (key_file, "problem", state->problem);
  g_key_file_set_int64 (key_file, TL_SETTINGS_STATE_GROUP, "updated", g_get_real_time ());
  data = g_key_file_to_data (key_file, &length, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    g_set_error (&error, G_FILE_ERROR, g_file_error_from_errno (errno),
                 "%s: %s", dir, g_strerror (errno));
  else
    g_file_set_contents_full (file, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error);
  /* `torchlog apps` then misses this program; logging goes on. */
  if (error != NULL && g_once_init_enter (&warned))
    {
      g_message (_("torchlog: cannot publish this program’s state for “torchlog apps”: %s"),
                 error->message);
      g_once_init_leave (&warned, 1);
    }
}

void
tl_settings_state_remove (const char *file)
{
  g_unlink (file);
}
