/* tl-registrations.c: declarative registration files (GKeyFile) and
 * PyTorch's own set, compiled in as a GResource
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tl-registry-private.h"
#include "tl-resources.h"
#include "tl-i18n-private.h"

/* Longest name or domain a registration file may hold; longer ones are
 * almost certainly a mistake and would only bloat every help text. */
#define MAX_NAME_LENGTH 256

static gboolean
file_error (GError **error, gsize line, const char *group, const char *message)
{
  /* An over-long group name is the error itself; quoting all of it
   * (100 KB, say) would bury the line number. GKeyFile does not check
   * that group names are UTF-8; the message must be. */
  g_autofree char *shown = g_utf8_make_valid (group, -1);

  /* (g_utf8_substring() would read past the end of a shorter string.) */
  if (g_utf8_strlen (shown, -1) > 64)
    {
      GString *cut = g_string_new_len (shown, g_utf8_offset_to_pointer (shown, 64) - shown);

      g_string_append (cut, "…");
      g_free (shown);
      shown = g_string_free (cut, FALSE);
    }

  g_set_error (error, TL_ERROR, TL_ERROR_REGISTRATION_FILE,
               _("Registration file, group [%s] (line %lu): %s"),
               shown, (gulong) line, message);
  return FALSE;
}

/* GKeyFile neither reports line numbers nor complains about a group
 * that appears twice (it merges them); scan the text for the group's
 * header lines so errors can point at them. Returns the first header's
 * line and, in @count, how many headers there are; @again gets the
 * second header's line, where a duplicate is reported. */
static gsize
group_line (const char *data, gsize length, const char *group, guint *count, gsize *again)
{
  g_autofree char *header = g_strdup_printf ("[%s]", group);
  gsize header_len = strlen (header);
  gsize line = 1, first = 0;

  *count = 0;
  *again = 0;
  for (const char *p = data; p < data + length; p++)
    {
      if ((p == data || p[-1] == '\n') &&
          (gsize) (data + length - p) >= header_len &&
          strncmp (p, header, header_len) == 0)
        {
          if (first == 0)
            first = line;
          else if (*again == 0)
            *again = line;
          (*count)++;
        }
      if (*p == '\n')
        line++;
    }
  return first;
}

/* The line of @key in the group whose header is at @group_line, so an
 * error about a value points at the value; @group_line if not found. */
static gsize
key_line (const char *data, gsize length, gsize group_line, const char *key)
{
  gsize key_len = strlen (key);
  const char *p = data, *end = data + length;
  gsize line = 1;

  while (p < end && line <= group_line)
    if (*p++ == '\n')
      line++;
  while (p < end && *p != '[')
    {
      const char *q = p;

      while (q < end && (*q == ' ' || *q == '\t'))
        q++;
      if ((gsize) (end - q) > key_len && strncmp (q, key, key_len) == 0)
        {
          q += key_len;
          while (q < end && (*q == ' ' || *q == '\t'))
            q++;
          if (q < end && (*q == '=' || *q == '['))
            return line;
        }
      while (p < end && *p != '\n')
        p++;
      if (p < end)
        p++;
      line++;
    }
  return group_line;
}

static gboolean
key_is_known (const char *kind, const char *key)
{
  static const char * const log_keys[] = { "domains", "description", NULL };
  static const char * const artifact_keys[] = {
    "description", "visible", "off-by-default", "log-format", NULL
  };
  g_autofree char *base = g_strdup (key);
  char *locale = strchr (base, '[');

  /* Translated descriptions (`description[fr]`) are fine. */
  if (locale != NULL)
    {
      *locale = '\0';
      return g_str_equal (base, "description");
    }
  return g_strv_contains (g_str_equal (kind, "log") ? log_keys : artifact_keys, base);
}

static gboolean
name_is_valid (const char *name)
{
  gsize len = strlen (name);

  /* GKeyFile lets invalid UTF-8 through in group names and values;
   * g_utf8_next_char() would then step over the terminating NUL. */
  if (len == 0 || len > MAX_NAME_LENGTH || !g_utf8_validate (name, len, NULL))
    return FALSE;
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c != '_' && c != '.' && !g_unichar_isalnum (c))
        return FALSE;
    }
  return TRUE;
}

typedef struct {
  char           *kind;     /* "log" or "artifact" */
  char           *name;
  char          **domains;
  char           *description;
  TlArtifactFlags flags;
  char           *log_format;
} Entry;

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  g_free (entry->kind);
  g_free (entry->name);
  g_strfreev (entry->domains);
  g_free (entry->description);
  g_free (entry->log_format);
}

/* The escapes GKeyFile understands: \s \n \t \r \\ and, in lists, \;. */
static gboolean
escapes_are_valid (const char *raw)
{
  for (const char *p = raw; *p != '\0'; p++)
    if (*p == '\\')
      {
        p++;
        if (*p == '\0' || strchr ("sntr\\;", *p) == NULL)
          return FALSE;
      }
  return TRUE;
}

static gboolean
read_entry (GKeyFile *key_file, const char *group, const char *data, gsize length,
            gsize line, Entry *entry, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) keys = NULL;
  const char *space = strchr (group, ' ');

  if (space == NULL)
    return file_error (error, line, group, _("group names are “log NAME” or “artifact NAME”"));
  entry->kind = g_strndup (group, space - group);
  entry->name = g_strdup (space + 1);
  if (!g_str_equal (entry->kind, "log") && !g_str_equal (entry->kind, "artifact"))
    return file_error (error, line, group, _("group names are “log NAME” or “artifact NAME”"));
  if (!name_is_valid (entry->name))
    return file_error (error, line, group,
                       _("the name must be 1 to 256 letters, digits, “_” or “.”"));
  /* TORCH_LOGS and set_logs() read `all` as every log, and TORCH_LOGS
   * reads `help` as a question: a log or an artifact of either name could
   * never be selected. (`+help` and the like are not names at all.) */
  if (g_str_equal (entry->name, "all") || g_str_equal (entry->name, "help"))
    {
      g_autofree char *message =
        /* TRANSLATORS: %s is "all" or "help", which must not be translated */
        g_strdup_printf (_("“%s” is reserved: TORCH_LOGS reads “all” as every log and "
                           "“help” as a request for the help text, so no setting could "
                           "select it"), entry->name);
      return file_error (error, line, group, message);
    }

  /* A misspelt key would otherwise be ignored silently. */
  keys = g_key_file_get_keys (key_file, group, NULL, NULL);
  for (gsize i = 0; keys != NULL && keys[i] != NULL; i++)
    if (!key_is_known (entry->kind, keys[i]))
      {
        /* Whole sentences for the translators, one per kind of group. */
        g_autofree char *message =
          g_strdup_printf (g_str_equal (entry->kind, "log")
                           /* TRANSLATORS: %s is a key of a registration file */
                           ? _("unknown key “%s” in a log group")
                           /* TRANSLATORS: %s is a key of a registration file */
                           : _("unknown key “%s” in an artifact group"),
                           keys[i]);
        return file_error (error, key_line (data, length, line, keys[i]), group, message);
      }

  /* GKeyFile sets its GError again for each further bad escape in one
   * value, which GLib reports as a bug (a warning, fatal under
   * G_DEBUG=fatal-warnings): check the escapes before it unescapes. */
  for (gsize i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_autofree char *raw = g_key_file_get_value (key_file, group, keys[i], NULL);

      if (raw != NULL && !escapes_are_valid (raw))
        {
          g_autofree char *message =
            /* TRANSLATORS: %s is a key of a registration file */
            g_strdup_printf (_("the value of “%s” has an invalid escape sequence"), keys[i]);
          return file_error (error, key_line (data, length, line, keys[i]), group, message);
        }
    }

  entry->description = g_key_file_get_string (key_file, group, "description", &local_error);
  /* Present but not UTF-8, or with a bad escape (which gives a string
   * and an error): not silently dropped. */
  if (local_error != NULL && !g_error_matches (local_error, G_KEY_FILE_ERROR,
                                               G_KEY_FILE_ERROR_KEY_NOT_FOUND))
    return file_error (error, key_line (data, length, line, "description"), group,
                       local_error->message);
  g_clear_error (&local_error);

  if (g_str_equal (entry->kind, "log"))
    {
      gsize domains_line = key_line (data, length, line, "domains");

      /* Without the key, a log covers its own name, as
       * tl_registry_register_log() with no domains does. */
      if (!g_key_file_has_key (key_file, group, "domains", NULL))
        {
          entry->domains = g_new0 (char *, 2);
          entry->domains[0] = g_strdup (entry->name);
          return TRUE;
        }
      entry->domains = g_key_file_get_string_list (key_file, group, "domains", NULL, &local_error);
      if (entry->domains == NULL || entry->domains[0] == NULL)
        return file_error (error, domains_line, group, _("a log needs a non-empty “domains” list"));
      for (gsize i = 0; entry->domains[i] != NULL; i++)
        if (!name_is_valid (entry->domains[i]))
          return file_error (error, domains_line, group, _("each domain must be 1 to 256 letters, "
                               "digits, “_” or “.”"));
      return TRUE;
    }

  if (g_key_file_has_key (key_file, group, "visible", NULL))
    {
      gboolean visible = g_key_file_get_boolean (key_file, group, "visible", &local_error);
      if (local_error != NULL)
        return file_error (error, key_line (data, length, line, "visible"), group,
                           _("“visible” must be true or false"));
      if (visible)
        entry->flags |= TL_ARTIFACT_FLAGS_VISIBLE;
    }
  if (g_key_file_has_key (key_file, group, "off-by-default", NULL))
    {
      gboolean off = g_key_file_get_boolean (key_file, group, "off-by-default", &local_error);
      if (local_error != NULL)
        return file_error (error, key_line (data, length, line, "off-by-default"), group,
                           _("“off-by-default” must be true or false"));
      if (off)
        entry->flags |= TL_ARTIFACT_FLAGS_OFF_BY_DEFAULT;
    }
  if (g_key_file_has_key (key_file, group, "log-format", NULL))
    {
      g_autoptr(TlFormat) format = NULL;

      /* A value that is not UTF-8 gives NULL, one with a bad escape a
       * string and an error too: check the error. */
      entry->log_format = g_key_file_get_string (key_file, group, "log-format", &local_error);
      if (local_error != NULL)
        return file_error (error, key_line (data, length, line, "log-format"), group,
                           local_error->message);
      format = tl_format_new (entry->log_format[0] ? entry->log_format : "%(message)s",
                              &local_error);
      if (format == NULL)
        return file_error (error, key_line (data, length, line, "log-format"), group,
                           local_error->message);
    }
  return TRUE;
}

/**
 * tl_registry_load_registrations_from_data:
 * @self: a #TlRegistry
 * @data: (array length=length) (element-type guint8): the key file's text
 * @length: the length of @data, or -1 if it is NUL-terminated
 * @error: return location for a #GError
 *
 * Registers the logs and artifacts of a registration file, in the order
 * of its groups:
 *
 * |[
 * [log parser]
 * domains=myapp.parser;myapp.lexer;
 * description=The log level for the parser.
 *
 * [artifact tokens]
 * description=Prints every token.
 * visible=true
 * off-by-default=false
 * log-format=%(message)s
 * ]|
 *
 * A log without `domains` covers its own name. Only the keys shown are
 * accepted, plus translated descriptions (`description[fr]`).
 *
 * The whole file is checked first: on any error (a malformed group, an
 * empty or over-long name, a name no setting could select (`all`,
 * `help`), a name defined twice, an unknown key, a value that is not a
 * boolean) nothing is registered and @error
 * (%TL_ERROR_REGISTRATION_FILE) names the group and the offending line.
 *
 * Returns: %TRUE if every entry was registered
 *
 * Since: 0.1
 */
gboolean
tl_registry_load_registrations_from_data (TlRegistry  *self,
                                          const char  *data,
                                          gssize       length,
                                          GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;
  gsize data_length;

  g_return_val_if_fail (TL_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_array_set_clear_func (entries, entry_clear);
  data_length = length < 0 ? strlen (data) : (gsize) length;
  /* GKeyFile would silently skip what follows a NUL on its line. */
  {
    const char *nul = memchr (data, '\0', data_length);
    if (nul != NULL)
      {
        gsize line = 1;
        for (const char *p = data; p < nul; p++)
          line += *p == '\n';
        g_set_error (error, TL_ERROR, TL_ERROR_REGISTRATION_FILE,
                     _("Registration file (line %lu): contains a NUL byte"), (gulong) line);
        return FALSE;
      }
  }
  if (!g_key_file_load_from_data (key_file, data, data_length, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, TL_ERROR, TL_ERROR_REGISTRATION_FILE,
                   _("Registration file: %s"), local_error->message);
      return FALSE;
    }

  groups = g_key_file_get_groups (key_file, NULL);
  for (gsize i = 0; groups[i] != NULL; i++)
    {
      guint headers;
      gsize again;
      gsize line = group_line (data, data_length, groups[i], &headers, &again);
      Entry entry = { 0 };

      /* A name defined twice in one file is almost certainly a mistake. */
      if (headers > 1)
        return file_error (error, again, groups[i], _("defined twice"));
      g_array_append_val (entries, entry);
      if (!read_entry (key_file, groups[i], data, data_length, line,
                       &g_array_index (entries, Entry, entries->len - 1), error))
        return FALSE;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *entry = &g_array_index (entries, Entry, i);

      if (g_str_equal (entry->kind, "log"))
        tl_registry_register_log (self, entry->name, (const char * const *) entry->domains,
                                  entry->description);
      else
        tl_registry_register_artifact (self, entry->name, entry->description,
                                       entry->flags, entry->log_format);
    }
  return TRUE;
}

/**
 * tl_registry_load_registrations:
 * @self: a #TlRegistry
 * @path: (type filename): a registration file
 * @error: return location for a #GError
 *
 * Reads @path and calls tl_registry_load_registrations_from_data().
 *
 * Returns: %TRUE if every entry was registered
 *
 * Since: 0.1
 */
gboolean
tl_registry_load_registrations (TlRegistry  *self,
                                const char  *path,
                                GError     **error)
{
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (TL_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_get_contents (path, &data, &length, error))
    return FALSE;
  return tl_registry_load_registrations_from_data (self, data, length, error);
}

/**
 * tl_registry_add_pytorch_registrations:
 * @self: a #TlRegistry
 *
 * Registers PyTorch's own logs and artifacts (torch/_logging/
 * _registrations.py, newest): `dynamo`, `aot`, `inductor`, … and
 * `guards`, `graph_code`, `output_code`, … with their domains, flags and
 * descriptions, so programs can speak torch's exact vocabulary.
 *
 * Since: 0.1
 */
void
tl_registry_add_pytorch_registrations (TlRegistry *self)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data;

  g_return_if_fail (TL_IS_REGISTRY (self));

  bytes = g_resource_lookup_data (tl_get_resource (),
                                  "/org/gnome/Torchlog/registrations/pytorch.ini",
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &size);
  if (!tl_registry_load_registrations_from_data (self, data, size, &error))
    g_error (_("torchlog's own PyTorch registrations are broken: %s"), error->message);
}
