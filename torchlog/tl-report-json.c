/* tl-report-json.c: JSON text the way tlparse (serde_json) writes it
 *
 * tlparse's raw.jsonl, compile_directory.json and chromium_events.json are
 * read by other tools and compared byte for byte by people moving from
 * tlparse, so they are written as serde_json writes a Value: keys sorted,
 * compact or two-space pretty. json-glib's own generator keeps insertion
 * order and writes `"key" : value`, hence this small writer.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tl-json-private.h"
#include "tl-report-json-private.h"

void
tl_report_json_append_string (GString    *out,
                              const char *string)
{
  g_autofree char *repaired = NULL;
  const char *valid = string;

  /* Copy only the rare invalid string. */
  if (!g_utf8_validate (string, -1, NULL))
    valid = repaired = g_utf8_make_valid (string, -1);
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) valid; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

/* The shortest text that reads back as @value, as Rust's ryu prints it
 * (always with a `.` or an exponent, so it stays a float). */
static void
append_double (GString *out,
               double   value)
{
  char buffer[64];

  if (!isfinite (value))
    {
      g_string_append (out, "null");   /* serde_json writes null for NaN/inf */
      return;
    }
  for (int precision = 1; precision <= 17; precision++)
    {
      g_snprintf (buffer, sizeof buffer, "%.*g", precision, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  /* %g uses the locale's decimal point; JSON needs '.'. */
  for (char *c = buffer; *c != '\0'; c++)
    if (*c == ',')
      *c = '.';
  g_string_append (out, buffer);
  if (strpbrk (buffer, ".e") == NULL)
    g_string_append (out, ".0");
}

static void
newline (GString *out,
         guint    indent)
{
  g_string_append_c (out, '\n');
  for (guint i = 0; i < indent; i++)
    g_string_append (out, "  ");
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

void
tl_report_json_append (GString  *out,
                       JsonNode *node,
                       gboolean  pretty,
                       guint     indent)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_string_append (out, "null");
      return;
    }
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_VALUE:
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
          tl_report_json_append_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append (out, "null");
        }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            if (pretty)
              newline (out, indent + 1);
            tl_report_json_append (out, json_array_get_element (array, i), pretty, indent + 1);
          }
        if (pretty && n > 0)
          newline (out, indent);
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);
        g_autoptr(GPtrArray) names = g_ptr_array_new ();

        for (GList *l = members; l != NULL; l = l->next)
          g_ptr_array_add (names, l->data);
        g_ptr_array_sort (names, compare_names);

        g_string_append_c (out, '{');
        for (guint i = 0; i < names->len; i++)
          {
            const char *name = g_ptr_array_index (names, i);

            if (i > 0)
              g_string_append_c (out, ',');
            if (pretty)
              newline (out, indent + 1);
            tl_report_json_append_string (out, name);
            g_string_append (out, pretty ? ": " : ":");
            tl_report_json_append (out, json_object_get_member (object, name), pretty, indent + 1);
          }
        if (pretty && names->len > 0)
          newline (out, indent);
        g_string_append_c (out, '}');
      }
      break;

    default:
      g_string_append (out, "null");
    }
}

JsonNode *
tl_report_json_parse (const char *text,
                      gssize      length)
{
  g_autoptr(JsonParser) parser = NULL;

  /* Several values in a row: serde_json refuses them, and json-glib
   * would leak all but the last (see tl_json_is_one_value()). */
  if (!tl_json_is_one_value (text, length))
    return NULL;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, length, NULL))
    return NULL;
  if (json_parser_get_root (parser) == NULL)
    return NULL;   /* empty text */
  return json_node_ref (json_parser_get_root (parser));
}
