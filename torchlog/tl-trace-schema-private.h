/* tl-trace-schema-private.h: what tlparse refuses in a trace record
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Checks a record before it is written: the event @name, its @metadata
 * (may be NULL) and its @payload (may be NULL). FALSE with a
 * TL_ERROR_INVALID_TRACE_RECORD error for a record tlparse would reject,
 * misread or drop. */
gboolean  tl_trace_schema_check  (const char  *name,
                                  JsonNode    *metadata,
                                  const char  *payload,
                                  GError     **error);

G_END_DECLS
