/* tl-settings-parser.c: the TORCH_LOGS grammar (spec §2) → a TlConfig
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tl-registry-private.h"

/* Python's `\w` on str: letters, digits and numerics of any script, and
 * the underscore. */
static gboolean
is_word_char (gunichar c)
{
  if (c == '_')
    return TRUE;
  if (g_unichar_isalpha (c))
    return TRUE;
  switch (g_unichar_type (c))
    {
    case G_UNICODE_DECIMAL_NUMBER:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Python's `\s` on str, which is str.isspace(): bidi classes WS, B and S
 * plus Zs. g_unichar_isspace() misses \v and U+0085, so list them all. */
static gboolean
is_space_char (gunichar c)
{
  return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) ||
         c == 0x85 || c == 0xa0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
         c == 0x202f || c == 0x205f || c == 0x3000;
}

/* A linear-time equivalent of a full match of torch's
 *   ((\+|-)?[\w\.]+,\s*)*(\+|-)?[\w\.]+?
 * items of an optional sign and word characters or dots, separated by
 * commas, with whitespace allowed only right after a comma. */
gboolean
tl_settings_is_valid (const char *settings)
{
  const char *p = settings;

  if (!g_utf8_validate (settings, -1, NULL))
    return FALSE;

  for (;;)
    {
      gsize name_chars = 0;

      if (*p == '+' || *p == '-')
        p++;
      while (*p != '\0')
        {
          gunichar c = g_utf8_get_char (p);
          if (c != '.' && !is_word_char (c))
            break;
          name_chars++;
          p = g_utf8_next_char (p);
        }
      if (name_chars == 0)
        return FALSE;
      if (*p == '\0')
        return TRUE;
      if (*p != ',')
        return FALSE;
      p++;
      while (*p != '\0' && is_space_char (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
    }
}

#define TL_MAX_MODULE_NAME_LENGTH 256

/* The C stand-in for Python's "is an importable module": a dotted name of
 * non-empty word segments. Undotted unknown names are refused so typos
 * cannot pass silently. */
gboolean
tl_settings_is_module_name (const char *name)
{
  gboolean dotted = FALSE;
  gsize segment = 0;

  /* set_logs() and the GSettings key reach here without the settings
   * grammar: refuse what is not UTF-8 word characters, or a name with
   * escapes would be registered and printed raw in every help text. No
   * module name is longer than a registration file's names may be
   * (256): every lookup walks a name's dotted prefixes, so one 1 MB name
   * of 500,000 segments would otherwise cost 10¹¹ steps. */
  if (strlen (name) > TL_MAX_MODULE_NAME_LENGTH || !g_utf8_validate (name, -1, NULL))
    return FALSE;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (*p == '.')
        {
          if (segment == 0)
            return FALSE;
          dotted = TRUE;
          segment = 0;
        }
      else if (is_word_char (g_utf8_get_char (p)))
        segment++;
      else
        return FALSE;
    }
  return dotted && segment > 0;
}

static char *
strip_whitespace (const char *settings)
{
  GString *out = g_string_new (NULL);

  for (const char *p = settings; *p != '\0'; p = g_utf8_next_char (p))
    if (!is_space_char (g_utf8_get_char (p)))
      g_string_append_len (out, p, g_utf8_next_char (p) - p);
  return g_string_free (out, FALSE);
}

void
tl_settings_set_module_level_locked (TlRegistry *self,
                  TlConfig   *config,
                  const char *module,
                  TlLevel     level,
                  const char *source)
{
  /* Directory-based logging: a module's level reaches every known domain
   * below it (the registry's, resolved by tl_settings_finish_locked()) and
   * every name below it that earlier items set. */
  tl_config_set_level_below (config, module, level, source);
  tl_config_set_level (config, module, level, source);
}

void
tl_settings_finish_locked (TlRegistry *self,
                           TlConfig   *config)
{
  tl_config_resolve (config, self->qnames, self->child_logs);
}

/* Applies one resolved alias: every one of its qualified names gets the
 * level; a later item overwrites an earlier one per name. */
static void
set_alias_level (TlConfig           *config,
                 const char * const *qnames,
                 TlLevel             level,
                 const char         *source)
{
  for (gsize i = 0; qnames[i] != NULL; i++)
    tl_config_set_level (config, qnames[i], level, source);
}

/* The logs that the items before a failing one open-registered. torch
 * registers them as it parses, so its error lists them among the valid
 * settings; here nothing is registered on failure, but the text is the
 * same. */
static GPtrArray *
pending_logs_locked (TlRegistry     *self,
                     const TlConfig *config)
{
  GPtrArray *pending = g_ptr_array_new ();
  g_autoptr(GHashTable) logs = g_hash_table_new (g_str_hash, g_str_equal);

  /* A set and a walk up each name's prefixes: hostile strings carry
   * 100,000 module names. */
  for (guint i = 0; i < config->open_names->len; i++)
    {
      const char *name = g_ptr_array_index (config->open_names, i);
      g_autofree char *prefix = NULL;
      gboolean below_pending = FALSE;

      if (tl_registry_has_registered_ancestor_locked (self, name))
        continue;
      prefix = g_strdup (name);
      for (char *dot = prefix + strlen (prefix); dot != NULL; dot = strrchr (prefix, '.'))
        {
          *dot = '\0';
          if (g_hash_table_contains (logs, prefix))
            {
              below_pending = TRUE;
              break;
            }
        }
      if (!below_pending)
        {
          g_hash_table_add (logs, (gpointer) name);
          g_ptr_array_add (pending, (gpointer) name);
        }
    }
  return pending;
}

/* g_strsplit (settings, ",", -1), with strchr(): g_strsplit() calls
 * strstr() on the rest of the string for each item, which sanitizers'
 * interceptors make quadratic (they measure the whole rest each time). */
static char **
split_items (const char *settings)
{
  GPtrArray *items = g_ptr_array_new ();
  const char *start = settings;

  for (;;)
    {
      const char *comma = strchr (start, ',');

      if (comma == NULL)
        {
          g_ptr_array_add (items, g_strdup (start));
          break;
        }
      g_ptr_array_add (items, g_strndup (start, comma - start));
      start = comma + 1;
    }
  g_ptr_array_add (items, NULL);
  return (char **) g_ptr_array_free (items, FALSE);
}

TlConfig *
tl_settings_parse_locked (TlRegistry  *self,
                          const char  *settings,
                          GError     **error)
{
  g_autoptr(TlConfig) config = tl_config_new ();
  g_autofree char *stripped = NULL;
  g_auto(GStrv) items = NULL;

  if (g_str_equal (settings, "help") || g_str_equal (settings, "+help"))
    {
      g_autofree char *help = tl_help_message_locked (self, settings[0] == '+');
      g_set_error_literal (error, TL_ERROR, TL_ERROR_HELP, help);
      return NULL;
    }

  if (!tl_settings_is_valid (settings))
    {
      g_autofree char *message = tl_invalid_settings_message_locked (self, settings, NULL);
      g_set_error_literal (error, TL_ERROR, TL_ERROR_INVALID_SETTINGS, message);
      return NULL;
    }

  stripped = strip_whitespace (settings);
  items = split_items (stripped);
  for (gsize i = 0; items[i] != NULL; i++)
    {
      const char *item = items[i];
      TlLevel level = TL_LEVEL_INFO;
      g_autofree char *name = NULL;
      TlComponent *component;
      GString *bare = g_string_new (NULL);

      if (item[0] == '+')
        level = TL_LEVEL_DEBUG;
      else if (item[0] == '-')
        level = TL_LEVEL_ERROR;
      for (const char *p = item; *p != '\0'; p++)
        if (*p != '+' && *p != '-')
          g_string_append_c (bare, *p);
      name = g_string_free (bare, FALSE);

      if (g_str_equal (name, "all"))
        {
          component = tl_registry_lookup_component_locked (self, "torch");
          if (component != NULL)
            set_alias_level (config, tl_component_peek_domains (component), level, item);
          else
            tl_config_set_level (config, TL_ROOT_QNAME, level, item);
          continue;
        }

      component = tl_registry_lookup_component_locked (self, name);
      if (component != NULL)
        {
          set_alias_level (config, tl_component_peek_domains (component), level, item);
          continue;
        }

      /* An artifact is on whatever its prefix says: `-guards` enables it. */
      if (tl_registry_lookup_artifact_locked (self, name) != NULL)
        {
          tl_config_enable_artifact (config, name, item);
          continue;
        }

      if (tl_settings_is_module_name (name) ||
          tl_config_has_open_name (config, name) ||
          g_hash_table_contains (self->qnames, name) ||
          g_hash_table_contains (self->child_logs, name))
        {
          tl_config_add_open_name (config, name);
          tl_settings_set_module_level_locked (self, config, name, level, item);
          continue;
        }

      {
        g_autoptr(GPtrArray) pending = pending_logs_locked (self, config);
        g_autofree char *message = tl_invalid_settings_message_locked (self, stripped, pending);
        g_set_error_literal (error, TL_ERROR, TL_ERROR_INVALID_SETTINGS, message);
        return NULL;
      }
    }

  tl_settings_finish_locked (self, config);
  return g_steal_pointer (&config);
}
