/* tl-settings.c: a registry bound to GSettings, so an operator can
 * change a running program's logging from outside it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <pthread.h>

#include <string.h>

#include "tl-registry-private.h"
#include "tl-settings.h"
#include "tl-environment-private.h"
#include "tl-format-private.h"
#include "tl-i18n-private.h"
#include "tl-settings-state-private.h"

/**
 * SECTION:tl-settings
 * @title: Runtime control
 * @short_description: changing a running program's logging with GSettings
 *
 * A program binds its #TlRegistry to torchlog's relocatable GSettings
 * schema, `org.gnome.Torchlog`, at a path derived from its application id:
 *
 * |[<!-- language="C" -->
 * tl_registry_add_pytorch_registrations (registry);
 * tl_registry_init_logs (registry, NULL);
 * if (!tl_registry_bind_settings_for_app (registry, "org.example.App", &error))
 *   g_printerr ("No runtime control: %s\n", error->message);
 * ]|
 *
 * From then on an operator raises and lowers its verbosity while it runs,
 * from another process, with the desktop's own tools:
 *
 * |[
 * torchlog set --app org.example.App '+dynamo,guards'
 * gsettings set org.gnome.Torchlog:/org/gnome/torchlog/apps/org/example/App/ logs '+dynamo,guards'
 * torchlog reset --app org.example.App
 * ]|
 *
 * # The path rule
 *
 * An application id `A.B.C` binds the schema at
 * `/org/gnome/torchlog/apps/A/B/C/`: #TL_SETTINGS_PATH_PREFIX followed by
 * the id with every `.` replaced by `/`, and a final `/`, as GApplication
 * turns an id into an object path (other characters are kept). The id
 * must be valid for g_application_id_is_valid().
 *
 * # Keys
 *
 * - `logs`: a `TORCH_LOGS` string, empty by default.
 * - `output-file`: a file every line is appended to as well (`TORCH_LOGS_OUT`).
 * - `format`: `short`, `basic`, `torch` or a `%(field)s` format (`TORCH_LOGS_FORMAT`).
 * - `registrations`: written by the program: its logs and artifacts in the
 *   registration-file format, so that the `torchlog` command can check a
 *   value against the program's own names before writing it.
 *
 * # Layers and precedence
 *
 * The registry's configuration has two layers. The program's layer is what
 * `TORCH_LOGS` or tl_registry_set_logs() configured, with torch's rule that
 * `TORCH_LOGS` wins over tl_registry_set_logs(). The operator's layer is the `logs`
 * key, laid over it: a log the key names gets the key's level (for all of
 * its domains and every domain below them), an artifact it names is
 * enabled as well, and everything else keeps the program's configuration.
 *
 * - At start-up (when the settings are bound) `TORCH_LOGS` wins over a
 *   stored value of the key: the value is not applied. Likewise
 *   `TORCH_LOGS_OUT` over `output-file` and `TORCH_LOGS_FORMAT` over
 *   `format`. Without the environment variable a stored value applies.
 * - A change of the key after start-up is an operator's explicit action
 *   and applies even when `TORCH_LOGS` was set.
 * - Setting the key back to empty removes the operator's layer: the
 *   program is back to what `TORCH_LOGS` or tl_registry_set_logs()
 *   configured, including any tl_registry_set_logs() call made since.
 *   `torchlog reset` and `gsettings reset` remove the stored value, so the
 *   key returns to its
 *   default: empty, unless an administrator set a fleet default (a dconf
 *   system database or a schema override), which then applies as the
 *   operator's layer. See the operators' guide.
 *
 * A value that does not parse is reported by one g_warning() holding the
 * parser's error (torch's `ValueError` text, a long value cut to its first
 * 200 characters and its size) and is ignored: the previous configuration
 * stays. The same value written again after a valid one is reported
 * again. The key is never written back by the program.
 *
 * # What runs, and sessions without a bus
 *
 * A bound program publishes what it applies (and the last value it
 * rejected) in `$XDG_RUNTIME_DIR/torchlog/apps/`, for `torchlog apps` and
 * `torchlog get --effective`. With the dconf backend, changes travel over
 * the D-Bus session bus: tl_registry_bind_settings_for_app() fails with
 * %G_IO_ERROR_NOT_CONNECTED when there is none (tl_settings_check_backend()).
 *
 * # Threads
 *
 * GSettings delivers changes in the thread-default main context of the
 * thread that bound the settings, so that context must be iterated (a
 * program's main loop). The new configuration is then swapped in under the
 * registry's lock in one step, so every logging thread sees either the old
 * or the new one, never a mix, and #TlRegistry::changed is emitted.
 */

/* What TORCH_LOGS_FORMAT's named styles stand for (as in tl-registry.c),
 * plus `torch`, which only a layer over another format needs. */
#define TORCH_FORMAT_NAME "torch"

typedef struct {
  GSettings    *settings;
  GMainContext *context;        /* where GSettings signals arrive */
  gulong        changed_id;
  gulong        added_ids[2];   /* component-added, artifact-added */
  char         *logs;           /* the applied "logs", NULL: none */
  char         *file;           /* the applied "output-file", NULL: none */
  char         *format;         /* the applied "format", NULL: none */
  char         *rejected_logs;  /* the last invalid "logs", warned about once */
  char         *rejected_reason; /* why it was rejected (torch's text) */
  char         *rejected_format;
  GSource      *publish_source; /* pending write of "registrations" */
  char         *app_id;         /* the id, or the path when it is foreign */
  char         *state_file;     /* what `torchlog apps` reads */
  char         *problem;        /* why live changes cannot arrive, or NULL */
  gulong        registry_changed_id;
  GSource      *state_source;   /* pending rewrite of the state file */
} Binding;

/* Guards the binding's lookup from other threads (registrations can
 * happen in any thread) and its publish_source. */
/* A POSIX mutex, which ThreadSanitizer can see (GLib 2.74's GMutex is a
 * raw futex, so the binding's fields it guards looked unguarded). */
static pthread_mutex_t binding_lock = PTHREAD_MUTEX_INITIALIZER;

static GQuark
binding_quark (void)
{
  /* Looked up again by a thread that races the first: no GOnce, see
   * tl-fork.c. */
  static GQuark quark;
  GQuark found = (GQuark) g_atomic_int_get (&quark);

  if (found == 0)
    {
      found = g_quark_from_static_string ("tl-settings-binding");
      g_atomic_int_set (&quark, found);
    }
  return found;
}

/* Frees what the binding owns and never touches the registry: it also runs
 * when the registry is finalized. */
static void
binding_free (gpointer data)
{
  Binding *binding = data;

  g_signal_handler_disconnect (binding->settings, binding->changed_id);
  if (binding->publish_source != NULL)
    {
      g_source_destroy (binding->publish_source);
      g_source_unref (binding->publish_source);
    }
  if (binding->state_source != NULL)
    {
      g_source_destroy (binding->state_source);
      g_source_unref (binding->state_source);
    }
  /* The program no longer listens: `torchlog apps` must not list it. */
  if (binding->state_file != NULL)
    tl_settings_state_remove (binding->state_file);
  g_free (binding->state_file);
  g_free (binding->app_id);
  g_free (binding->problem);
  g_free (binding->rejected_reason);
  g_object_unref (binding->settings);
  g_main_context_unref (binding->context);
  g_free (binding->logs);
  g_free (binding->file);
  g_free (binding->format);
  g_free (binding->rejected_logs);
  g_free (binding->rejected_format);
  g_free (binding);
}

static char *
settings_path (GSettings *settings)
{
  char *path = NULL;

  g_object_get (settings, "path", &path, NULL);
  return path;
}

/* @text as tl_escape_append() shows it: a value anyone who can write the
 * settings chose must not drive the terminal of whoever reads the
 * warning, whichever GLib writer prints it. */
static char *
escaped (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  tl_escape_append (out, text, -1);
  return g_string_free (out, FALSE);
}

/* The longest part of a rejected value a warning echoes: a value of any
 * size can be stored, and a warning of hundreds of kilobytes buries the
 * rest of the program's output. */
#define SHOWN_VALUE_MAX 200

/* Whether the console can show typographic quotes and "…": a program that
 * never called setlocale() runs in the C locale, where GLib's writer would
 * turn them into "?". */
static gboolean
console_is_utf8 (void)
{
  const char *charset = NULL;

  return g_get_console_charset (&charset);
}

/* @message (taken) with ASCII quotes and dots when the console cannot
 * show typographic ones. */
static char *
console_text (char *message)
{
  static const char *const pairs[][2] = {
    { "“", "\"" }, { "”", "\"" }, { "‘", "'" }, { "’", "'" }, { "…", "..." },
  };
  GString *text;

  if (console_is_utf8 ())
    return message;
  text = g_string_new (message);
  g_free (message);
  for (gsize i = 0; i < G_N_ELEMENTS (pairs); i++)
    g_string_replace (text, pairs[i][0], pairs[i][1], 0);
  return g_string_free (text, FALSE);
}

/* @value escaped, and cut after SHOWN_VALUE_MAX characters with its size
 * said, for messages. */
static char *
shown_value (const char *value)
{
  g_autofree char *shown = escaped (value);
  g_autofree char *start = NULL;
  g_autofree char *size = NULL;
  const char *end;

  if (g_utf8_strlen (shown, -1) <= SHOWN_VALUE_MAX)
    return g_steal_pointer (&shown);
  end = g_utf8_offset_to_pointer (shown, SHOWN_VALUE_MAX);
  start = g_strndup (shown, end - shown);
  size = g_strdup_printf ("%" G_GSIZE_FORMAT, strlen (value));
  /* TRANSLATORS: the start of a long value, then its size in bytes, e.g.
   * "dynamo,aot,…… (102400 bytes)" */
  return g_strdup_printf (_("%s… (%s bytes)"), start, size);
}

/* The text of @error for messages: torch's text starts and ends with a
 * newline, which a GLib message does not need, and quotes the value,
 * which is cut as shown_value() cuts it. */
static char *
shown_reason (const char *value, const GError *error)
{
  g_autofree char *text = g_strstrip (g_strdup (error->message));
  g_autofree char *escaped_text = escaped (text);
  g_autofree char *escaped_value = escaped (value);
  g_autofree char *short_value = shown_value (value);
  GString *out = g_string_new (escaped_text);

  if (escaped_value[0] != '\0' && !g_str_equal (escaped_value, short_value))
    g_string_replace (out, escaped_value, short_value, 0);
  return g_string_free (out, FALSE);
}

/* The one warning a rejected value gets; a long value is cut wherever it
 * is quoted. The value, the path and the error are escaped. */
static void
warn_rejected (Binding *binding, const char *key, const char *value, const GError *error)
{
  g_autofree char *path = settings_path (binding->settings);
  g_autofree char *shown_path = escaped (path);
  g_autofree char *reason = shown_reason (value, error);
  g_autofree char *short_value = shown_value (value);
  g_autofree char *message = NULL;

  message = g_strdup_printf (_("Ignoring “%s” of key “%s” at %s; keeping the previous "
                               "configuration:\n%s"),
                             short_value, key, shown_path, reason);
  message = console_text (message);
  g_warning ("%s", message);
}

static const char *
nonempty_or_null (const char *value)
{
  return value != NULL && value[0] != '\0' ? value : NULL;
}

static void
apply_logs (TlRegistry *registry, Binding *binding)
{
  g_autofree char *value = g_settings_get_string (binding->settings, "logs");
  g_autoptr(GError) error = NULL;
  TlConfig *config;

  /* The value that applies now is back (A, then the invalid B, then A):
   * B is forgotten, so that B written again is warned about again. */
  if (g_strcmp0 (nonempty_or_null (value), binding->logs) == 0)
    {
      g_clear_pointer (&binding->rejected_logs, g_free);
      g_clear_pointer (&binding->rejected_reason, g_free);
      return;
    }
  /* A backend may report one write twice (the keyfile's file monitor
   * does): a rejected value is warned about once. */
  if (g_strcmp0 (value, binding->rejected_logs) == 0)
    return;
  g_clear_pointer (&binding->rejected_logs, g_free);
  g_clear_pointer (&binding->rejected_reason, g_free);

  if (value[0] == '\0')
    {
      tl_registry_set_override (registry, NULL);
      g_clear_pointer (&binding->logs, g_free);
      return;
    }

  config = tl_registry_resolve_logs (registry, value, &error);
  if (config == NULL)
    {
      warn_rejected (binding, "logs", value, error);
      binding->rejected_reason = shown_reason (value, error);
      binding->rejected_logs = g_steal_pointer (&value);
      return;
    }
  tl_registry_set_override (registry, config);
  g_free (binding->logs);
  binding->logs = g_steal_pointer (&value);
}

/* Builds the operator's outputs from @file and @format (either may be
 * NULL); NULL with @error if one cannot be used. */
static TlOutput *
build_output_override (const char *file, const char *format, GError **error)
{
  g_autoptr(TlOutput) output = tl_output_new ();

  if (file != NULL && !tl_output_open_file (output, file, error))
    return NULL;
  if (format != NULL)
    {
      output->sets_format = TRUE;
      if (!g_str_equal (format, TORCH_FORMAT_NAME))
        {
          output->format = tl_format_new (tl_format_expand_name (format), error);
          if (output->format == NULL)
            return NULL;
        }
    }
  return g_steal_pointer (&output);
}

/* Applies the current value of @key ("output-file" or "format"), the
 * other part staying as applied. */
static void
apply_output (TlRegistry *registry, Binding *binding, const char *key)
{
  gboolean is_file = g_str_equal (key, "output-file");
  g_autofree char *value = g_settings_get_string (binding->settings, key);
  const char *wanted = nonempty_or_null (value);
  const char *file = is_file ? wanted : binding->file;
  const char *format = is_file ? binding->format : wanted;
  g_autoptr(GError) error = NULL;
  TlOutput *override;

  if (g_strcmp0 (wanted, is_file ? binding->file : binding->format) == 0)
    {
      /* As for "logs": a rejected format written again is warned again. */
      if (!is_file)
        g_clear_pointer (&binding->rejected_format, g_free);
      return;
    }
  /* As for "logs"; a file is tried again, its folder may exist now. */
  if (!is_file && g_strcmp0 (value, binding->rejected_format) == 0)
    return;
  g_clear_pointer (&binding->rejected_format, g_free);

  override = build_output_override (file, format, &error);
  if (override == NULL)
    {
      warn_rejected (binding, key, value, error);
      if (!is_file && g_error_matches (error, TL_ERROR, TL_ERROR_INVALID_FORMAT))
        binding->rejected_format = g_steal_pointer (&value);
      return;
    }
  if (file == NULL && format == NULL)
    {
      tl_output_unref (override);
      override = NULL;
    }
  tl_registry_set_output_override (registry, override);

  if (is_file)
    {
      g_free (binding->file);
      binding->file = g_strdup (wanted);
    }
  else
    {
      g_free (binding->format);
      binding->format = g_strdup (wanted);
    }
}

static void bind_settings (TlRegistry *self, GSettings *settings, gboolean checked);

/* Rewrites the file `torchlog apps` reads; in the binding's context. */
static void
write_state (TlRegistry *registry, Binding *binding)
{
  g_autofree char *stored = g_settings_get_string (binding->settings, "logs");
  g_autofree char *path = settings_path (binding->settings);
  TlSettingsState state = {
    .app_id = binding->app_id,
    .path = path,
    .stored_logs = stored,
    .rejected_logs = binding->rejected_logs,
    .rejected_reason = binding->rejected_reason,
    .rejected_format = binding->rejected_format,
    .applied_file = binding->file,
    .applied_format = binding->format,
    .problem = binding->problem,
  };

  tl_settings_state_write (binding->state_file, registry, &state);
}

static void
on_settings_changed (GSettings  *settings,
                     const char *key,
                     gpointer    user_data)
{
  TlRegistry *registry = user_data;
  Binding *binding = g_object_get_qdata (G_OBJECT (registry), binding_quark ());

  if (binding == NULL || binding->settings != settings || key == NULL)
    return;
  if (g_str_equal (key, "logs"))
    apply_logs (registry, binding);
  else if (g_str_equal (key, "output-file") || g_str_equal (key, "format"))
    apply_output (registry, binding, key);
  else
    return;
  /* At once, rejected or applied, so that `torchlog apps` run right
   * after the change shows its outcome. */
  write_state (registry, binding);
}

/**
 * tl_registry_dup_registrations:
 * @self: a #TlRegistry
 *
 * Describes every registered log and artifact in the registration-file
 * format that tl_registry_load_registrations_from_data() reads, sorted by
 * kind and name, so that equal registries give equal texts. Open-registered
 * module names are included as logs.
 *
 * Returns: (transfer full): the key-file text
 *
 * Since: 0.1
 */
char *
tl_registry_dup_registrations (TlRegistry *self)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(TlNames) registered = NULL;
  g_autoptr(GPtrArray) names = NULL;

  g_return_val_if_fail (TL_IS_REGISTRY (self), NULL);

  registered = tl_registry_dup_names (self);
  names = tl_names_sorted_logs (registered);
  for (guint i = 0; i < names->len; i++)
    {
      TlComponent *component = tl_names_lookup_log (registered, names->pdata[i]);
      const char * const *domains = tl_component_peek_domains (component);
      const char *description = tl_component_get_description (component);
      g_autofree char *group = g_strconcat ("log ", names->pdata[i], NULL);

      g_key_file_set_string_list (key_file, group, "domains", domains, g_strv_length ((char **) domains));
      if (description != NULL && description[0] != '\0')
        g_key_file_set_string (key_file, group, "description", description);
    }

  g_ptr_array_unref (names);
  names = tl_names_sorted_artifacts (registered);
  for (guint i = 0; i < names->len; i++)
    {
      TlArtifact *artifact = tl_names_lookup_artifact (registered, names->pdata[i]);
      const char *description = tl_artifact_get_description (artifact);
      const char *log_format = tl_artifact_get_log_format (artifact);
      g_autofree char *group = g_strconcat ("artifact ", names->pdata[i], NULL);

      /* An empty group still names the artifact. */
      g_key_file_set_string (key_file, group, "description", description ? description : "");
      if (tl_artifact_get_visible (artifact))
        g_key_file_set_boolean (key_file, group, "visible", TRUE);
      if (tl_artifact_get_off_by_default (artifact))
        g_key_file_set_boolean (key_file, group, "off-by-default", TRUE);
      if (log_format != NULL)
        g_key_file_set_string (key_file, group, "log-format", log_format);
    }

  return g_key_file_to_data (key_file, NULL, NULL);
}

/* Writes "registrations" if it differs, so that a program started again
 * and again does not write at every start. */
static void
publish_registrations (TlRegistry *registry, Binding *binding)
{
  g_autofree char *text = tl_registry_dup_registrations (registry);
  g_autofree char *stored = g_settings_get_string (binding->settings, "registrations");

  if (!g_str_equal (text, stored) && g_settings_is_writable (binding->settings, "registrations"))
    g_settings_set_string (binding->settings, "registrations", text);
}

static gboolean
publish_in_context (gpointer user_data)
{
  g_autoptr(TlRegistry) registry = g_weak_ref_get (user_data);
  Binding *binding = NULL;

  if (registry == NULL)
    return G_SOURCE_REMOVE;

  pthread_mutex_lock (&binding_lock);
  binding = g_object_get_qdata (G_OBJECT (registry), binding_quark ());
  if (binding != NULL && binding->publish_source != NULL)
    g_clear_pointer (&binding->publish_source, g_source_unref);
  pthread_mutex_unlock (&binding_lock);

  if (binding != NULL)
    publish_registrations (registry, binding);
  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* A registration may come from any thread: the key is written later, in
 * the binding's context, once for a burst of registrations. */
static void
on_registry_added (TlRegistry *registry,
                   GObject    *object,
                   gpointer    user_data)
{
  Binding *binding;

  pthread_mutex_lock (&binding_lock);
  binding = g_object_get_qdata (G_OBJECT (registry), binding_quark ());
  if (binding != NULL && binding->publish_source == NULL)
    {
      GWeakRef *ref = g_new0 (GWeakRef, 1);

      g_weak_ref_init (ref, registry);
      binding->publish_source = g_idle_source_new ();
      g_source_set_static_name (binding->publish_source, "[torchlog] publish registrations");
      g_source_set_callback (binding->publish_source, publish_in_context, ref, weak_ref_free);
      g_source_attach (binding->publish_source, binding->context);
    }
  pthread_mutex_unlock (&binding_lock);
}

static gboolean
state_in_context (gpointer user_data)
{
  g_autoptr(TlRegistry) registry = g_weak_ref_get (user_data);
  Binding *binding = NULL;

  if (registry == NULL)
    return G_SOURCE_REMOVE;

  pthread_mutex_lock (&binding_lock);
  binding = g_object_get_qdata (G_OBJECT (registry), binding_quark ());
  if (binding != NULL && binding->state_source != NULL)
    g_clear_pointer (&binding->state_source, g_source_unref);
  pthread_mutex_unlock (&binding_lock);

  if (binding != NULL)
    write_state (registry, binding);
  return G_SOURCE_REMOVE;
}

/* The configuration changed, maybe by the program itself (set_logs() in
 * any thread): the state file is rewritten in the binding's context,
 * where the binding's fields are changed. */
static void
on_registry_changed (TlRegistry *registry,
                     gpointer    user_data)
{
  Binding *binding;

  pthread_mutex_lock (&binding_lock);
  binding = g_object_get_qdata (G_OBJECT (registry), binding_quark ());
  if (binding != NULL && binding->state_source == NULL)
    {
      GWeakRef *ref = g_new0 (GWeakRef, 1);

      g_weak_ref_init (ref, registry);
      binding->state_source = g_idle_source_new ();
      g_source_set_static_name (binding->state_source, "[torchlog] publish state");
      g_source_set_callback (binding->state_source, state_in_context, ref, weak_ref_free);
      g_source_attach (binding->state_source, binding->context);
    }
  pthread_mutex_unlock (&binding_lock);
}

/* The id `torchlog apps` shows: the application id the path was derived
 * from, or the path itself when it follows no id. */
static char *
app_id_for_path (const char *path)
{
  gsize prefix = strlen (TL_SETTINGS_PATH_PREFIX);
  g_autofree char *id = NULL;

  if (path == NULL || !g_str_has_prefix (path, TL_SETTINGS_PATH_PREFIX) ||
      !g_str_has_suffix (path, "/") || strlen (path) <= prefix + 1)
    return g_strdup (path ? path : "");
  id = g_strndup (path + prefix, strlen (path) - prefix - 1);
  g_strdelimit (id, "/", '.');
  if (!g_application_id_is_valid (id))
    return g_strdup (path);
  return g_steal_pointer (&id);
}

/**
 * tl_settings_check_backend:
 * @settings: a #GSettings
 * @error: return location for a #GError
 *
 * Checks that changes of @settings can travel between processes. With the
 * dconf backend (the desktop's default) they travel over the D-Bus session
 * bus: without one (an ssh login, cron, a system service), reading works
 * but no change arrives and writes fail. This function finds that out
 * before anything is bound or written. Other backends pass.
 *
 * Returns: %FALSE with %G_IO_ERROR_NOT_CONNECTED and a message saying what
 *   is missing and what to do, when no session bus is reachable
 *
 * Since: 0.1
 */
gboolean
tl_settings_check_backend (GSettings  *settings,
                           GError    **error)
{
  g_autoptr(GSettingsBackend) backend = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *address = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_object_get (settings, "backend", &backend, NULL);
  if (backend == NULL || !g_str_equal (G_OBJECT_TYPE_NAME (backend), "DConfSettingsBackend"))
    return TRUE;

  /* dconf opens a connection of its own: a private one here, closed at
   * once, so that the shared connection (which exits the process when the
   * bus goes away) is left alone. */
  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &local_error);
  if (address != NULL)
    connection = g_dbus_connection_new_for_address_sync (address,
                                                         G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                         G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                         NULL, NULL, &local_error);
  if (connection == NULL)
    {
      g_autofree char *reason = g_strstrip (g_strdup (local_error->message));

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                   /* TRANSLATORS: %s is GLib's reason, e.g. "Cannot autolaunch
                    * D-Bus without X11 $DISPLAY" */
                   _("No D-Bus session bus (%s): with the dconf settings backend, runtime "
                     "control needs one. Run the program in a desktop session or under "
                     "“dbus-run-session”, set DBUS_SESSION_BUS_ADDRESS, or choose "
                     "GSETTINGS_BACKEND=keyfile."), reason);
      return FALSE;
    }
  g_dbus_connection_close_sync (connection, NULL, NULL);
  return TRUE;
}

static gboolean
schema_is_torchlogs (GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  return schema != NULL &&
         g_settings_schema_has_key (schema, "logs") &&
         g_settings_schema_has_key (schema, "output-file") &&
         g_settings_schema_has_key (schema, "format") &&
         g_settings_schema_has_key (schema, "registrations");
}

/**
 * tl_registry_bind_settings:
 * @self: a #TlRegistry
 * @settings: a #GSettings of the `org.gnome.Torchlog` schema (or one
 *   with the same keys)
 *
 * Lets @settings control @self from now on, replacing any earlier
 * binding: the `logs` key becomes the operator's layer over the program's
 * configuration, `output-file` and `format` the operator's outputs. See
 * the section's description for the precedence rules: at start-up the
 * `TORCH_LOGS`, `TORCH_LOGS_OUT` and `TORCH_LOGS_FORMAT` variables win over
 * stored values; later changes always apply; empty values return to the
 * program's own configuration.
 *
 * The program writes its registrations to the `registrations` key (only
 * when they differ from the stored text).
 *
 * Changes are received in the thread-default main context of the calling
 * thread, which must be iterated.
 *
 * Since: 0.1
 */
void
tl_registry_bind_settings (TlRegistry *self,
                           GSettings  *settings)
{
  g_return_if_fail (TL_IS_REGISTRY (self));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (schema_is_torchlogs (settings));

  bind_settings (self, settings, FALSE);
}

/* @checked: tl_settings_check_backend() passed already. */
static void
bind_settings (TlRegistry *self,
               GSettings  *settings,
               gboolean    checked)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  Binding *binding;

  tl_registry_unbind_settings (self);

  binding = g_new0 (Binding, 1);
  binding->settings = g_object_ref (settings);
  binding->context = g_main_context_ref_thread_default ();
  path = settings_path (settings);
  binding->app_id = app_id_for_path (path);
  binding->state_file = tl_settings_state_file (binding->app_id);
  if (!checked && !tl_settings_check_backend (settings, &error))
    {
      /* Bound all the same (stored values can be read), but said once:
       * nothing will arrive. */
      binding->problem = console_text (g_strdup (error->message));
      tl_registry_warn (self, TL_LEVEL_WARNING, binding->problem);
    }
  pthread_mutex_lock (&binding_lock);
  g_object_set_qdata_full (G_OBJECT (self), binding_quark (), binding, binding_free);
  pthread_mutex_unlock (&binding_lock);

  /* Connect before the first read: GSettings only reports changes of
   * keys that were read while a handler was connected. */
  binding->changed_id = g_signal_connect (settings, "changed",
                                          G_CALLBACK (on_settings_changed), self);
  binding->added_ids[0] = g_signal_connect (self, "component-added",
                                            G_CALLBACK (on_registry_added), NULL);
  binding->added_ids[1] = g_signal_connect (self, "artifact-added",
                                            G_CALLBACK (on_registry_added), NULL);
  binding->registry_changed_id = g_signal_connect (self, "changed",
                                                   G_CALLBACK (on_registry_changed), NULL);

  /* Start-up: the environment wins over stored values. The reads still
   * happen, so that later changes are reported. */
  if (tl_environment_logs (tl_registry_get_env_var (self)) != NULL)
    g_free (g_settings_get_string (settings, "logs"));
  else
    apply_logs (self, binding);
  if (tl_environment_logs_out () != NULL)
    g_free (g_settings_get_string (settings, "output-file"));
  else
    apply_output (self, binding, "output-file");
  if (tl_environment_logs_format () != NULL)
    g_free (g_settings_get_string (settings, "format"));
  else
    apply_output (self, binding, "format");

  /* Without a bus the write fails, and dconf says so at every start. */
  if (binding->problem == NULL)
    publish_registrations (self, binding);
  write_state (self, binding);
}

/**
 * tl_registry_unbind_settings:
 * @self: a #TlRegistry
 *
 * Ends the binding made by tl_registry_bind_settings(), if any, and
 * removes the operator's layer: @self is back to the program's own
 * configuration and outputs.
 *
 * Since: 0.1
 */
void
tl_registry_unbind_settings (TlRegistry *self)
{
  Binding *binding;

  g_return_if_fail (TL_IS_REGISTRY (self));

  pthread_mutex_lock (&binding_lock);
  binding = g_object_steal_qdata (G_OBJECT (self), binding_quark ());
  pthread_mutex_unlock (&binding_lock);
  if (binding == NULL)
    return;

  g_signal_handler_disconnect (self, binding->added_ids[0]);
  g_signal_handler_disconnect (self, binding->added_ids[1]);
  g_signal_handler_disconnect (self, binding->registry_changed_id);
  if (binding->logs != NULL)
    tl_registry_set_override (self, NULL);
  if (binding->file != NULL || binding->format != NULL)
    tl_registry_set_output_override (self, NULL);
  binding_free (binding);
}

/**
 * tl_registry_get_settings:
 * @self: a #TlRegistry
 *
 * Gets the settings @self is bound to.
 *
 * Returns: (transfer none) (nullable): the bound #GSettings, or %NULL
 *
 * Since: 0.1
 */
GSettings *
tl_registry_get_settings (TlRegistry *self)
{
  Binding *binding;

  g_return_val_if_fail (TL_IS_REGISTRY (self), NULL);

  binding = g_object_get_qdata (G_OBJECT (self), binding_quark ());
  return binding ? binding->settings : NULL;
}

/**
 * tl_settings_path_for_app_id:
 * @app_id: an application id, e.g. `org.example.App`
 *
 * The path an application's settings live at: #TL_SETTINGS_PATH_PREFIX,
 * then @app_id with each `.` replaced by `/`, then `/`. For
 * `org.example.App` it is `/org/gnome/torchlog/apps/org/example/App/`.
 *
 * Returns: (transfer full) (nullable): the path, or %NULL if @app_id is
 *   not a valid application id
 *
 * Since: 0.1
 */
char *
tl_settings_path_for_app_id (const char *app_id)
{
  char *path;

  g_return_val_if_fail (app_id != NULL, NULL);

  if (!g_application_id_is_valid (app_id))
    return NULL;
  path = g_strconcat (TL_SETTINGS_PATH_PREFIX, app_id, "/", NULL);
  g_strdelimit (path + strlen (TL_SETTINGS_PATH_PREFIX), ".", '/');
  return path;
}

/**
 * tl_settings_new_for_app:
 * @app_id: an application id, e.g. `org.example.App`
 * @error: return location for a #GError
 *
 * Creates the #GSettings of @app_id: the `org.gnome.Torchlog` schema at
 * tl_settings_path_for_app_id(). Unlike g_settings_new_with_path(), a
 * schema that is not installed is an error, not an abort.
 *
 * Returns: (transfer full) (nullable): the settings, or %NULL with
 *   %G_IO_ERROR_INVALID_ARGUMENT for an invalid id or
 *   %G_IO_ERROR_NOT_FOUND when the schema is not installed
 *
 * Since: 0.1
 */
GSettings *
tl_settings_new_for_app (const char  *app_id,
                         GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source;

  g_return_val_if_fail (app_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = tl_settings_path_for_app_id (app_id);
  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a valid application id"), app_id);
      return NULL;
    }
  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, TL_SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The GSettings schema “%s” is not installed"), TL_SETTINGS_SCHEMA_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, path);
}

/**
 * tl_registry_bind_settings_for_app:
 * @self: a #TlRegistry
 * @app_id: the program's application id, e.g. `org.example.App`
 * @error: return location for a #GError
 *
 * Binds @self to the settings of @app_id (tl_settings_new_for_app()) with
 * tl_registry_bind_settings(). Call it after tl_registry_init_logs() or
 * tl_registry_set_logs() and after registering the program's own logs and
 * artifacts, from the thread whose main loop will run.
 *
 * Returns: %FALSE if @app_id is invalid, the schema is not installed or
 *   changes cannot reach the program (tl_settings_check_backend(): with
 *   the dconf backend, no D-Bus session bus); nothing is bound then
 *
 * Since: 0.1
 */
gboolean
tl_registry_bind_settings_for_app (TlRegistry  *self,
                                   const char  *app_id,
                                   GError     **error)
{
  g_autoptr(GSettings) settings = NULL;

  g_return_val_if_fail (TL_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (app_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  settings = tl_settings_new_for_app (app_id, error);
  if (settings == NULL)
    return FALSE;
  /* Nothing would arrive: the caller says so, once, instead of dconf
   * complaining at every write. */
  if (!tl_settings_check_backend (settings, error))
    return FALSE;
  bind_settings (self, settings, TRUE);
  return TRUE;
}
