/* tl-logs-parser.c: the TORCH_LOGS grammar → a TlLogsSpec
 *
 * Syntax only: which names the items give and at what level. Whether a
 * name is a log, an artifact or a module is decided later, against the
 * registered names (tl_config_new_from_spec()).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tl-logs-parser-private.h"

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
static gboolean
is_valid (const char *settings)
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

/* The C stand-in for Python's "is an importable module": a dotted name of
 * non-empty word segments. Undotted unknown names are refused so typos
 * cannot pass silently. */
gboolean
tl_logs_is_module_name (const char *name)
{
  gboolean dotted = FALSE;
  gsize segment = 0;

  /* set_logs() and the GSettings key reach here without the settings
   * grammar: refuse what is not UTF-8 word characters, or a name with
   * escapes would be registered and printed raw in every help text.
   * There is no length limit, as in torch: this check is linear, and a
   * name longer than any domain can be (TL_MAX_DOMAIN_LENGTH) is
   * accepted but neither registered nor walked (tl-config.c), so a 1 MB
   * name of 500,000 segments costs one pass, not 10¹¹ steps. */
  if (!g_utf8_validate (name, -1, NULL))
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

static void
item_clear (gpointer data)
{
  TlLogsItem *item = data;

  g_free (item->name);
  g_free (item->source);
  g_clear_pointer (&item->value, g_variant_unref);
}

TlLogsSpec *
tl_logs_spec_new (TlLogsSpecKind kind)
{
  TlLogsSpec *spec = g_new0 (TlLogsSpec, 1);

  spec->kind = kind;
  spec->items = g_array_new (FALSE, TRUE, sizeof (TlLogsItem));
  g_array_set_clear_func (spec->items, item_clear);
  return spec;
}

void
tl_logs_spec_free (TlLogsSpec *spec)
{
  if (spec == NULL)
    return;
  g_array_unref (spec->items);
  g_free (spec->text);
  g_free (spec);
}

void
tl_logs_spec_add_pair (TlLogsSpec *spec,
                       const char *name,
                       GVariant   *value,
                       gboolean    from_c)
{
  TlLogsItem item;

  /* Taken: a floating reference is sunk, a full one is kept. */
  if (value != NULL && g_variant_is_floating (value))
    g_variant_ref_sink (value);
  item = (TlLogsItem) {
    .name = g_strdup (name),
    .source = g_strdup (name),
    .level = TL_LEVEL_NOTSET,
    .value = value,
    .from_c = from_c,
  };

  g_array_append_val (spec->items, item);
}

TlLogsParseResult
tl_logs_parse (const char  *settings,
               TlLogsSpec **spec)
{
  g_autoptr(TlLogsSpec) parsed = NULL;
  g_auto(GStrv) items = NULL;

  *spec = NULL;
  if (g_str_equal (settings, "help"))
    return TL_LOGS_PARSE_HELP;
  if (g_str_equal (settings, "+help"))
    return TL_LOGS_PARSE_HELP_VERBOSE;
  if (!is_valid (settings))
    return TL_LOGS_PARSE_INVALID;

  parsed = tl_logs_spec_new (TL_LOGS_SPEC_SETTINGS);
  parsed->text = strip_whitespace (settings);
  items = split_items (parsed->text);
  for (gsize i = 0; items[i] != NULL; i++)
    {
      const char *text = items[i];
      TlLogsItem item = { .level = TL_LEVEL_INFO, .source = g_strdup (text) };
      GString *bare = g_string_new (NULL);

      /* torch strips every sign, then reads the first one. */
      if (text[0] == '+')
        item.level = TL_LEVEL_DEBUG;
      else if (text[0] == '-')
        item.level = TL_LEVEL_ERROR;
      for (const char *p = text; *p != '\0'; p++)
        if (*p != '+' && *p != '-')
          g_string_append_c (bare, *p);
      item.name = g_string_free (bare, FALSE);
      g_array_append_val (parsed->items, item);
    }
  *spec = g_steal_pointer (&parsed);
  return TL_LOGS_PARSE_OK;
}
