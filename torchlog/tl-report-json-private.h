/* tl-report-json-private.h: JSON text the way tlparse (serde_json) writes it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Appends @node to @out as serde_json::to_string (@pretty FALSE) or
 * to_string_pretty (@pretty TRUE) writes a serde_json::Value: object
 * members sorted by key (tlparse's serde_json has no preserve_order), no
 * spaces when compact, two-space indent and `"key": value` when pretty,
 * non-ASCII kept as UTF-8. @indent is the current depth (0 at the top). */
void  tl_report_json_append        (GString    *out,
                                    JsonNode   *node,
                                    gboolean    pretty,
                                    guint       indent);

/* Appends @string (UTF-8; invalid bytes become U+FFFD) as a JSON string. */
void  tl_report_json_append_string (GString    *out,
                                    const char *string);

/* Parses @text (@length bytes, or -1) into a new node, or NULL when it is
 * not JSON. */
JsonNode *tl_report_json_parse     (const char *text,
                                    gssize      length);

G_END_DECLS
