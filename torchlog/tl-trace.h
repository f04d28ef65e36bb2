/* tl-trace.h: structured trace (TORCH_TRACE) in the format tlparse reads
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__TORCHLOG_INSIDE__) && !defined(TORCHLOG_COMPILATION)
#error "Only <torchlog/torchlog.h> can be included directly."
#endif

#include <json-glib/json-glib.h>
#include "tl-version-macros.h"
#include "tl-compile-context.h"

G_BEGIN_DECLS

/**
 * TlTraceFlags:
 * @TL_TRACE_FLAGS_NONE: the defaults: context is added, a stack is added
 *   when no compile id is known
 * @TL_TRACE_SUPPRESS_CONTEXT: add neither the compile ids nor a stack to
 *   the metadata (torch's `suppress_context=True`); unlike torch, the rank
 *   is still added, because tlparse drops the records of a ranked file
 *   that have none
 * @TL_TRACE_NO_EXPECT_TRACE_ID: the record may come from outside any
 *   compilation: do not add a stack when no compile id is known (torch's
 *   `expect_trace_id=False`)
 * @TL_TRACE_DTRACE: a verbose record, written only when `TORCH_DTRACE`
 *   turned the verbose channel on (torch's `dtrace_structured`)
 * @TL_TRACE_NO_RECORD_OVERHEAD: do not add the time spent to the current
 *   compile's logging overhead (torch's `record_logging_overhead=False`;
 *   see tl_trace_get_logging_overhead())
 *
 * Options of tl_trace_structured_full().
 *
 * Since: 0.1
 */
typedef enum /*< flags >*/ {
  TL_TRACE_FLAGS_NONE         = 0,
  TL_TRACE_SUPPRESS_CONTEXT   = 1 << 0,
  TL_TRACE_NO_EXPECT_TRACE_ID = 1 << 1,
  TL_TRACE_DTRACE             = 1 << 2,
  TL_TRACE_NO_RECORD_OVERHEAD = 1 << 3,
} TlTraceFlags;

/**
 * TlTracePayloadFunc:
 * @user_data: the data given with the function
 *
 * Builds the payload of a trace record. It is only called when the record
 * is written, so expensive text costs nothing while tracing is off.
 *
 * Returns: (transfer full) (nullable): the payload text, or %NULL for a
 *   record without payload
 *
 * Since: 0.1
 */
typedef char *(*TlTracePayloadFunc) (gpointer user_data);

/**
 * TlTraceFrame:
 * @filename: the source file
 * @line: the line in @filename
 * @name: the function
 * @loc: (nullable): the text of the line, or %NULL
 *
 * One frame of a stack, for tl_trace_stack_from_frames().
 *
 * Since: 0.1
 */
typedef struct {
  const char *filename;
  int         line;
  const char *name;
  const char *loc;
} TlTraceFrame;

TL_AVAILABLE_IN_ALL
gboolean   tl_trace_is_enabled               (void);
TL_AVAILABLE_IN_ALL
gboolean   tl_trace_is_verbose               (void);
TL_AVAILABLE_IN_ALL
void       tl_trace_set_directory            (const char         *directory);
TL_AVAILABLE_IN_ALL
char      *tl_trace_dup_directory            (void);
TL_AVAILABLE_IN_ALL
char      *tl_trace_dup_path                 (void);

TL_AVAILABLE_IN_ALL
void       tl_trace_structured_full          (const char         *file,
                                              int                 line,
                                              const char         *func,
                                              const char         *name,
                                              JsonNode           *metadata,
                                              TlTraceFlags        flags,
                                              const TlCompileId  *compile_id,
                                              TlTracePayloadFunc  payload_func,
                                              gpointer            user_data);
TL_AVAILABLE_IN_ALL
gboolean   tl_trace_structured_checked       (const char         *file,
                                              int                 line,
                                              const char         *func,
                                              const char         *name,
                                              JsonNode           *metadata,
                                              TlTraceFlags        flags,
                                              const TlCompileId  *compile_id,
                                              const char         *payload,
                                              gssize              payload_len,
                                              GError            **error);
TL_AVAILABLE_IN_ALL
void       tl_trace_add_logging_overhead     (double              seconds);
TL_AVAILABLE_IN_ALL
gboolean   tl_trace_get_logging_overhead     (double             *seconds);
TL_AVAILABLE_IN_ALL
void       tl_trace_structured_artifact_full (const char         *file,
                                              int                 line,
                                              const char         *func,
                                              const char         *name,
                                              const char         *encoding,
                                              const TlCompileId  *compile_id,
                                              TlTracePayloadFunc  payload_func,
                                              gpointer            user_data);

/**
 * tl_trace_structured:
 * @name: the event's name, such as `"dynamo_start"`
 * @metadata: (nullable): a `JsonNode` with the event's metadata, or %NULL
 *   for `{}`
 * @payload_func: (nullable): builds the payload, or %NULL for none
 * @user_data: data for @payload_func
 *
 * torch's `trace_structured`: writes one record to the trace file when
 * tracing is on (`TORCH_TRACE`), with the caller's file and line, the
 * current compile context's ids, and the payload. See
 * tl_trace_structured_full().
 *
 * Since: 0.1
 */
#define tl_trace_structured(name, metadata, payload_func, user_data) \
  tl_trace_structured_full (__FILE__, __LINE__, G_STRFUNC, (name), (metadata), \
                            TL_TRACE_FLAGS_NONE, NULL, (payload_func), (user_data))

/**
 * tl_trace_structured_artifact:
 * @name: the artifact's name
 * @encoding: `"string"` or `"json"`
 * @payload_func: builds the payload
 * @user_data: data for @payload_func
 *
 * torch's `trace_structured_artifact`: an `artifact` record with
 * metadata `{"name": name, "encoding": encoding}` and a payload. See
 * tl_trace_structured_artifact_full().
 *
 * Since: 0.1
 */
#define tl_trace_structured_artifact(name, encoding, payload_func, user_data) \
  tl_trace_structured_artifact_full (__FILE__, __LINE__, G_STRFUNC, (name), (encoding), \
                                     NULL, (payload_func), (user_data))

TL_AVAILABLE_IN_ALL
int        tl_trace_intern_string            (const char         *string);
TL_AVAILABLE_IN_ALL
JsonNode  *tl_trace_stack_from_frames        (const TlTraceFrame *frames,
                                              gsize               n_frames);
TL_AVAILABLE_IN_ALL
char      *tl_trace_format_payload           (JsonNode           *payload);

G_END_DECLS
