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
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tl-settings-state-private.h"
#include "tl-environment-private.h"
#include "tl-i18n-private.h"
#include "tl-registry-private.h"

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

/* The configuration applies now, as the settings items that decide it:
 * what a TORCH_LOGS string holding them would configure. */
char *
tl_settings_state_effective (TlRegistry *registry)
{
  return tl_registry_dup_effective_logs (registry);
}

static void
set_optional (GKeyFile *key_file, const char *key, const char *value)
{
  if (value != NULL)
    g_key_file_set_string (key_file, TL_SETTINGS_STATE_GROUP, key, value);
}

/* Atomic (a reader sees the old file or the new one, by rename) but not
 * durable: the file describes a running process and lives in a folder
 * emptied at logout, so it is never fsync()ed. g_file_set_contents_full()
 * with G_FILE_SET_CONTENTS_CONSISTENT syncs the file and its folder at
 * every change, which cost a bound program two disk flushes per settings
 * change where XDG_RUNTIME_DIR is on a disk. */
static void
replace_without_sync (const char *file, const char *data, gsize length, GError **error)
{
  g_autofree char *temporary = g_strconcat (file, ".XXXXXX", NULL);
  int fd = g_mkstemp_full (temporary, O_WRONLY | O_CLOEXEC, 0600);
  gsize written = 0;
  int saved_errno = 0;

  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s: %s", temporary, g_strerror (saved_errno));
      return;
    }
  while (written < length && saved_errno == 0)
    {
      ssize_t n = write (fd, data + written, length - written);

      if (n >= 0)
        written += (gsize) n;
      else if (errno != EINTR)
        saved_errno = errno;
    }
  if (close (fd) != 0 && saved_errno == 0)
    saved_errno = errno;
  if (saved_errno == 0 && g_rename (temporary, file) != 0)
    saved_errno = errno;
  if (saved_errno != 0)
    {
      g_unlink (temporary);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s: %s", file, g_strerror (saved_errno));
    }
}

void
tl_settings_state_write (const char            *file,
                         TlRegistry            *registry,
                         const TlSettingsState *state)
{
  static gint warned;   /* an atomic flag, not a GOnce: see tl-fork.c */
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
    replace_without_sync (file, data, length, &error);
  /* `torchlog apps` then misses this program; logging goes on. */
  if (error != NULL && g_atomic_int_compare_and_exchange (&warned, 0, 1))
    g_message (_("torchlog: cannot publish this program’s state for “torchlog apps”: %s"),
               error->message);
}

void
tl_settings_state_remove (const char *file)
{
  g_unlink (file);
}
