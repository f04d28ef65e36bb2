/* tl-json.c: JSON text the way Python's json.dumps writes it
 *
 * json-glib holds the values (callers build metadata with JsonBuilder or
 * JsonNode) and escapes the strings; this file only walks the tree to
 * lay it out with Python's separators (`", "` and `": "`, or indent 0),
 * because a torch trace is compared with torch's own output and json-glib
 * writes `"key" : value`.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tl-json-private.h"

/* The string escaped as json-glib's generator escapes it, written here
 * rather than through json_to_string(): that makes and drops a
 * JsonGenerator, a GObject, and a trace record may be written in the
 * child of a fork() whose parent's other threads held GObject's locks. */
void
tl_json_append_string (GString    *out,
                       const char *string)
{
  g_autofree char *repaired = NULL;

  if (string == NULL)
    string = "";
  /* A trace must stay readable by tlparse, which rejects invalid UTF-8. */
  if (!g_utf8_validate (string, -1, NULL))
    string = repaired = g_utf8_make_valid (string, -1);
  g_string_append_c (out, '"');
  for (const char *p = string; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

/* Python's repr() of a float: the shortest text that reads back the same
 * value, with `.0` on integral values. Python writes NaN and the
 * infinities bare, which is not JSON: tlparse's reader (serde_json)
 * refuses the whole record. They are written as `null`, which every JSON
 * reader takes (Python's `json.dumps(allow_nan=False)` would raise). */
static void
append_double (GString *out, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value) || isinf (value))
    {
      g_string_append (out, "null");
      return;
    }
  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
  if (strpbrk (buf, ".e") == NULL)
    g_string_append (out, ".0");
}

static void
append_value (GString *out, JsonNode *node)
{
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      append_double (out, json_node_get_double (node));
      break;
    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;
    case G_TYPE_STRING:
      tl_json_append_string (out, json_node_get_string (node));
      break;
    default:
      g_string_append (out, "null");
      break;
    }
}

void
tl_json_append (GString     *out,
                JsonNode    *node,
                TlJsonStyle  style)
{
  /* With indent=0, Python puts each element on its own line and keeps
   * "," as the item separator. */
  const char *item_sep = style == TL_JSON_INDENT0 ? ",\n" : ", ";
  const char *open_sep = style == TL_JSON_INDENT0 ? "\n" : "";

  if (node == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *key;
        JsonNode *member;
        gboolean first = TRUE;

        if (json_object_get_size (object) == 0)
          {
            g_string_append (out, "{}");
            break;
          }
        g_string_append_c (out, '{');
        g_string_append (out, open_sep);
        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &key, &member))
          {
            if (!first)
              g_string_append (out, item_sep);
            first = FALSE;
            tl_json_append_string (out, key);
            g_string_append (out, ": ");
            tl_json_append (out, member, style);
          }
        g_string_append (out, open_sep);
        g_string_append_c (out, '}');
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint length = json_array_get_length (array);

        if (length == 0)
          {
            g_string_append (out, "[]");
            break;
          }
        g_string_append_c (out, '[');
        g_string_append (out, open_sep);
        for (guint i = 0; i < length; i++)
          {
            if (i > 0)
              g_string_append (out, item_sep);
            tl_json_append (out, json_array_get_element (array, i), style);
          }
        g_string_append (out, open_sep);
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_VALUE:
      append_value (out, node);
      break;
    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

static gboolean
is_json_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* json-glib 1.6's parser reads a text as a series of statements: for
 * `{...} {...}` or `"x" [...]` it returns TRUE with the last value as the
 * root and leaks the ones before it (LeakSanitizer found the leak on
 * damaged chromium_event payloads, where a lost line joins two events).
 * serde_json, which tlparse reads with, refuses trailing characters. So a
 * text is given to json-glib only when its first value ends the text: the
 * first value is delimited here (brackets and strings, or a scalar up to
 * the next space or bracket) without being checked, which json-glib does. */
gboolean
tl_json_is_one_value (const char *text,
                      gssize      length)
{
  gsize len = length < 0 ? strlen (text) : (gsize) length;
  gsize i = 0, start, end = len;
  guint depth = 0;

  while (i < len && is_json_space (text[i]))
    i++;
  for (start = i; i < len; i++)
    {
      char c = text[i];

      if (depth == 0 && i > start && (c == '"' || c == '{' || c == '[' || is_json_space (c)))
        {
          end = i;   /* the end of a scalar */
          break;
        }
      if (c == '"')
        {
          for (i++; i < len && text[i] != '"'; i++)
            if (text[i] == '\\')
              i++;
          if (depth == 0)
            {
              end = MIN (i + 1, len);
              break;
            }
        }
      else if (c == '{' || c == '[')
        depth++;
      else if ((c == '}' || c == ']') && depth > 0 && --depth == 0)
        {
          end = i + 1;
          break;
        }
    }
  for (i = end; i < len; i++)
    if (!is_json_space (text[i]))
      return FALSE;
  return TRUE;
}
