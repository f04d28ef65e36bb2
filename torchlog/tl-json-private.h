/* tl-json-private.h: JSON text the way Python's json.dumps writes it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  TL_JSON_COMPACT,   /* json.dumps(x): one line, ", " and ": " */
  TL_JSON_INDENT0,   /* json.dumps(x, indent=0): one element per line */
} TlJsonStyle;

/* Appends @node (NULL is `null`) to @out in @style. Object members keep
 * their insertion order; strings that are not valid UTF-8 are repaired,
 * so the result always parses. */
void  tl_json_append          (GString     *out,
                               JsonNode    *node,
                               TlJsonStyle  style);

/* Appends @string as a JSON string literal. */
void  tl_json_append_string   (GString     *out,
                               const char  *string);

/* Whether @text (@length bytes, or NUL-terminated if -1) holds nothing
 * after its first JSON value but JSON whitespace. Call before
 * json_parser_load_from_data(), which takes several values in a row. */
gboolean  tl_json_is_one_value (const char  *text,
                                gssize       length);

G_END_DECLS
