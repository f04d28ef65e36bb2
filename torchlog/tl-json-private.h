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

G_END_DECLS
