/* tl-trace.c: structured trace records, as torch's trace_structured()
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

/* torchlog's own messages about tracing; `TORCH_LOGS=torchlog.trace`
 * shows them. */
#define TL_LOG_DOMAIN "torchlog.trace"

#include <string.h>

#include "tl-trace-file-private.h"
#include "tl-json-private.h"
#include "tl-log.h"
#include "tl-i18n-private.h"
#include "tl-trace-schema-private.h"

/* Structured-logging overhead per "{frame_id}_{frame_compile_id}", as
 * torch's structured_logging_overhead; only touched while tracing. */
static GMutex      overhead_lock;
static GHashTable *overhead_table;

/**
 * SECTION:tl-trace
 * @title: Structured trace
 * @short_description: TORCH_TRACE files that tlparse reads
 *
 * With `TORCH_TRACE=<dir>`, torch writes a machine-readable trace of what
 * it compiles, one file per process, which `tlparse` turns into a report.
 * torchlog writes the same format for any program:
 *
 * |[<!-- language="C" -->
 * static char *
 * graph_payload (gpointer data)
 * {
 *   return print_graph (data);      // only called while tracing
 * }
 *
 * g_autoptr(JsonBuilder) b = json_builder_new ();
 * json_builder_begin_object (b);
 * json_builder_set_member_name (b, "nodes");
 * json_builder_add_int_value (b, graph->n_nodes);
 * json_builder_end_object (b);
 * g_autoptr(JsonNode) metadata = json_builder_get_root (b);
 *
 * tl_trace_structured ("my_graph", metadata, graph_payload, graph);
 * ]|
 *
 * Each record is one line: torch's glog prefix with the caller's file and
 * line, then a JSON object whose first key is the event's name, followed
 * by `rank` (when the process has one, see tl_registry_set_rank()), the
 * ids of the current compile context (see tl_compile_context_push()) or,
 * without one, a one-frame `stack`, and `has_payload`, the MD5 of the
 * payload. The payload's lines follow, each after a tab.
 *
 * The directory is read from `TORCH_TRACE` once, when tracing is first
 * used; `TORCH_DTRACE` also turns on the verbose records
 * (%TL_TRACE_DTRACE). The file, `dedicated_log_torch_trace_rank_0_…log`,
 * is created at the first record; tl_trace_dup_path() gives its path
 * for `tlparse`. A forked child writes a file of its own.
 *
 * The JSON is laid out as Python's `json.dumps` does, so the lines read
 * like torch's. Where torch writes something `tlparse` would reject,
 * misread or drop, torchlog does not: text that is not valid UTF-8 (in
 * the payload, the metadata or the caller's path) is repaired; NaN and
 * infinities are written as `null`; the MD5 is that of the payload lines
 * as tlparse reads them (each without one trailing carriage return); the
 * version record comes first and carries the rank, and so do records with
 * %TL_TRACE_SUPPRESS_CONTEXT, because tlparse drops the records of a
 * ranked file that have another rank or none; a file is started anew when
 * the rank changes. Records tlparse cannot read (reserved event names,
 * unknown artifact encodings, …) are refused: see
 * tl_trace_structured_checked().
 */

/* torch's `from_traceback`, with the filenames interned in the file. */
static JsonNode *
stack_node_locked (const TlTraceFrame *frames,
                   gsize               n_frames,
                   GString            *lines)
{
  /* Boxed JsonObjects rather than a JsonBuilder: a trace record may be
   * written in the child of a fork() whose parent's other threads held
   * GObject's locks, and a builder is a GObject. */
  JsonArray *array = json_array_sized_new (n_frames);
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (gsize i = 0; i < n_frames; i++)
    {
      JsonObject *frame = json_object_new ();

      json_object_set_int_member (frame, "line", frames[i].line);
      json_object_set_string_member (frame, "name", frames[i].name ? frames[i].name : "<unknown>");
      json_object_set_int_member (frame, "filename",
                                  tl_trace_file_intern_locked (frames[i].filename
                                                               ? frames[i].filename
                                                               : "<unknown>", lines));
      if (frames[i].loc != NULL)
        json_object_set_string_member (frame, "loc", frames[i].loc);
      json_array_add_object_element (array, frame);
    }
  json_node_take_array (node, array);
  return node;
}

/* The payload as written: valid UTF-8 (tlparse's line reader fails on
 * anything else), NUL bytes kept. Returns @payload itself when it is
 * valid already, else a repaired copy in *@copy. */
static const char *
valid_payload (const char *payload, gsize len, gsize *out_len, char **copy)
{
  const char *end = payload + len;
  const char *p = payload;
  GString *out;

  *out_len = len;
  *copy = NULL;
  /* Generated code is ASCII: skip it eight bytes at a time (GLib's
   * validator goes byte by byte), and validate from the first byte that
   * is not ASCII or is a NUL. */
  while (end - p >= 8)
    {
      guint64 word;

      memcpy (&word, p, 8);
      if ((word & G_GUINT64_CONSTANT (0x8080808080808080)) != 0 ||
          ((word - G_GUINT64_CONSTANT (0x0101010101010101)) & ~word &
           G_GUINT64_CONSTANT (0x8080808080808080)) != 0)
        break;
      p += 8;
    }
  for (;;)
    {
      const char *stop;

      if (g_utf8_validate_len (p, end - p, &stop))
        return payload;
      if (stop < end && *stop == '\0')
        {
          p = stop + 1;
          if (p >= end)
            return payload;
          continue;
        }
      break;
    }
  /* Repair between NULs, keeping them. */
  out = g_string_sized_new (len + 16);
  for (p = payload; p < end;)
    {
      const char *nul = memchr (p, '\0', end - p);
      const char *seg_end = nul ? nul : end;
      g_autofree char *fixed = g_utf8_make_valid (p, seg_end - p);

      g_string_append (out, fixed);
      if (nul == NULL)
        break;
      g_string_append_c (out, '\0');
      p = nul + 1;
    }
  *out_len = out->len;
  *copy = g_string_free (out, FALSE);
  return *copy;
}

/* The MD5 tlparse computes: it reads the lines split at `\n`, drops
 * exactly one `\r` at the end of each, and hashes them joined by `\n`.
 * Without a `\r` before a line end (the usual case) that is the payload
 * itself, hashed in one go. */
static void
payload_md5 (const char *payload, gsize len, char out[33])
{
  GChecksum *checksum = g_checksum_new (G_CHECKSUM_MD5);
  const char *end = payload + len;
  const char *p = payload;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line_end = nl ? nl : end;
      const char *cr = memchr (p, '\r', end - p);

      if (cr == NULL)
        {
          /* No \r from here on: the rest as it is. */
          g_checksum_update (checksum, (const guchar *) p, end - p);
          break;
        }
      if (line_end > p && line_end[-1] == '\r')
        g_checksum_update (checksum, (const guchar *) p, line_end - 1 - p);
      else
        g_checksum_update (checksum, (const guchar *) p, line_end - p);
      if (nl == NULL)
        break;
      g_checksum_update (checksum, (const guchar *) "\n", 1);
      p = nl + 1;
    }
  memcpy (out, g_checksum_get_string (checksum), 33);
  g_checksum_free (checksum);
}

static JsonNode *
borrow_node (JsonNode *node)
{
  /* A member of another object must not be re-parented: copy it. */
  if (json_node_get_parent (node) != NULL)
    return json_node_copy (node);
  return json_node_ref (node);
}

/* Appends a whole record (with its prefix, `str` records it needs first,
 * and its payload) for the event @name. */
static void
append_record_locked (GString           *out,
                      const char        *file,
                      int                line,
                      const char        *func,
                      const char        *name,
                      JsonNode          *metadata,
                      TlTraceFlags       flags,
                      const TlCompileId *compile_id,
                      const char        *payload,
                      gsize              payload_len)
{
  g_autoptr(JsonObject) envelope = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);

  if (metadata != NULL)
    json_object_set_member (envelope, name, borrow_node (metadata));
  else
    json_object_set_object_member (envelope, name, json_object_new ());

  {
    /* The rank even with TL_TRACE_SUPPRESS_CONTEXT (torch leaves it out
     * then): tlparse fixes a file's rank at its first ranked record and
     * drops every record whose rank differs or is missing. */
    int rank = tl_registry_get_rank (tl_registry_get_default ());

    if (rank >= 0)
      json_object_set_int_member (envelope, "rank", rank);
  }
  if (!(flags & TL_TRACE_SUPPRESS_CONTEXT))
    {
      TlCompileId current;
      const TlCompileId *id = NULL;
      int attempt = 0;
      gboolean has_trace_id;

      has_trace_id = tl_compile_context_get_current (&current, &attempt);
      if (!(flags & TL_TRACE_NO_EXPECT_TRACE_ID) && !has_trace_id && compile_id == NULL)
        {
          /* A record that should belong to a compilation but does not:
           * torch adds the stack so it can still be placed. C has the
           * caller's frame. */
          TlTraceFrame frame = { tl_trace_source_path (file), line, func, NULL };
          json_object_set_member (envelope, "stack", stack_node_locked (&frame, 1, out));
        }
      else
        {
          id = has_trace_id ? &current : compile_id;
          if (id != NULL && id->compiled_autograd_id >= 0)
            json_object_set_int_member (envelope, "compiled_autograd_id", id->compiled_autograd_id);
          if (id != NULL && id->frame_id >= 0)
            json_object_set_int_member (envelope, "frame_id", id->frame_id);
          if (id != NULL && id->frame_compile_id >= 0)
            json_object_set_int_member (envelope, "frame_compile_id", id->frame_compile_id);
          if (has_trace_id)
            json_object_set_int_member (envelope, "attempt", attempt);
        }
    }

  if (payload != NULL)
    {
      char md5[33];

      payload_md5 (payload, payload_len, md5);
      json_object_set_string_member (envelope, "has_payload", md5);
    }

  json_node_set_object (root, envelope);
  tl_trace_append_prefix (out, file, line);
  tl_json_append (out, root, TL_JSON_COMPACT);
  if (payload != NULL)
    {
      /* torch: "".join(f"\n\t{l}" for l in payload.split("\n")) */
      const char *p = payload;
      const char *end = payload + payload_len;

      for (;;)
        {
          const char *nl = memchr (p, '\n', end - p);

          g_string_append_len (out, "\n\t", 2);
          if (nl == NULL)
            {
              g_string_append_len (out, p, end - p);
              break;
            }
          g_string_append_len (out, p, nl - p);
          p = nl + 1;
        }
    }
  g_string_append_c (out, '\n');
}

static char *
version_payload (gpointer unused)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();
  g_autofree char *glib = g_strdup_printf ("%u.%u.%u", glib_major_version,
                                           glib_minor_version, glib_micro_version);

  json_object_set_string_member (object, "torchlog_version", PACKAGE_VERSION);
  json_object_set_string_member (object, "glib_version", glib);
  /* Left out rather than empty when the program has no name. */
  if (g_get_prgname () != NULL && g_get_prgname ()[0] != '\0')
    json_object_set_string_member (object, "program", g_get_prgname ());
  json_node_take_object (root, object);
  return tl_trace_format_payload (root);
}

static JsonNode *
artifact_metadata (const char *name, const char *encoding)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "name", name);
  json_object_set_string_member (object, "encoding", encoding);
  json_node_take_object (node, object);
  return node;
}

static void
announce_file (const char *path)
{
  /* torch's message, at INFO as in torch; a log record, so English in
   * every locale like the rest of the records. */
  tl_info ("LazyTraceHandler: logging to %s", path);
}

/**
 * tl_trace_structured_full:
 * @file: (type filename): the caller's source file
 * @line: the caller's line
 * @func: (nullable): the caller's function
 * @name: the event's name; not one of the names torch reserves (`rank`,
 *   `frame_id`, `attempt`, …)
 * @metadata: (nullable): the event's metadata, usually an object, or
 *   %NULL for `{}`
 * @flags: options
 * @compile_id: (nullable): the compile id to use when no compile context
 *   is current, or %NULL
 * @payload_func: (nullable) (scope call) (closure user_data): builds the
 *   payload, or %NULL for none
 * @user_data: data for @payload_func
 *
 * torch's `trace_structured`. When tracing is on, writes one record to
 * the trace file: a line `V… file:line] {"name": metadata, …}` with the
 * keys in torch's order: the event, then (unless
 * %TL_TRACE_SUPPRESS_CONTEXT) `rank` when the process has one, then
 * either a `stack` (no compile id known, unless
 * %TL_TRACE_NO_EXPECT_TRACE_ID) or `compiled_autograd_id`, `frame_id`,
 * `frame_compile_id` (those set) and `attempt` (with a current context),
 * then `has_payload`, the MD5 of the payload, which follows on lines that
 * each start with a tab.
 *
 * When tracing is off, nothing is done and @payload_func is not called;
 * @metadata is only read. A record that `tlparse` would reject, misread
 * or drop (see tl_trace_structured_checked()) is refused with one
 * warning.
 *
 * Thread-safe; records from several threads never interleave.
 *
 * Since: 0.1
 */
/* The key of the current compile, as torch's: none without a context. */
static char *
overhead_key (void)
{
  TlCompileId current;
  int attempt;

  if (!tl_compile_context_get_current (&current, &attempt))
    return NULL;
  return g_strdup_printf ("%d_%d", current.frame_id, current.frame_compile_id);
}

/**
 * tl_trace_add_logging_overhead:
 * @seconds: time spent on structured logging
 *
 * torch's `add_structured_logging_overhead`: adds @seconds to the total
 * of the current compile (its frame id and frame compile id, all attempts
 * together). Outside a compile context nothing is recorded. Records
 * written by tl_trace_structured_full() add their own time unless
 * %TL_TRACE_NO_RECORD_OVERHEAD is given.
 *
 * Since: 0.1
 */
void
tl_trace_add_logging_overhead (double seconds)
{
  g_autofree char *key = overhead_key ();
  double *total;

  if (key == NULL)
    return;
  g_mutex_lock (&overhead_lock);
  if (overhead_table == NULL)
    overhead_table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  total = g_hash_table_lookup (overhead_table, key);
  if (total == NULL)
    {
      total = g_new0 (double, 1);
      g_hash_table_insert (overhead_table, g_steal_pointer (&key), total);
    }
  *total += seconds;
  g_mutex_unlock (&overhead_lock);
}

/**
 * tl_trace_get_logging_overhead:
 * @seconds: (out): the total, in seconds
 *
 * torch's `get_structured_logging_overhead`: the time spent on
 * structured logging for the current compile.
 *
 * Returns: %FALSE (torch's `None`) outside a compile context or when
 *   nothing was recorded for it
 *
 * Since: 0.1
 */
gboolean
tl_trace_get_logging_overhead (double *seconds)
{
  g_autofree char *key = overhead_key ();
  double *total = NULL;

  g_return_val_if_fail (seconds != NULL, FALSE);
  *seconds = 0.0;
  if (key == NULL)
    return FALSE;
  g_mutex_lock (&overhead_lock);
  if (overhead_table != NULL)
    total = g_hash_table_lookup (overhead_table, key);
  if (total != NULL)
    *seconds = *total;
  g_mutex_unlock (&overhead_lock);
  return total != NULL;
}

/* Checks and writes one record; tracing is on. */
static gboolean
write_record (const char         *file,
              int                 line,
              const char         *func,
              const char         *name,
              JsonNode           *metadata,
              TlTraceFlags        flags,
              const TlCompileId  *compile_id,
              const char         *raw_payload,
              gssize              raw_len,
              gint64              start,
              GError            **error)
{
  g_autofree char *opened = NULL;
  g_autofree char *copy = NULL;
  g_autoptr(GString) text = NULL;
  const char *payload = NULL;
  gsize payload_len = 0;

  if (raw_payload != NULL)
    payload = valid_payload (raw_payload, raw_len < 0 ? strlen (raw_payload) : (gsize) raw_len,
                             &payload_len, &copy);
  if (!tl_trace_schema_check (name, metadata, payload, error))
    return FALSE;

  text = g_string_sized_new (512 + payload_len + payload_len / 32);
  tl_trace_file_lock ();
  if (tl_trace_file_ensure_locked (&opened))
    {
      if (tl_trace_file_take_version_locked ())
        {
          /* Before the first record, with the rank: tlparse fixes a
           * file's rank at its first ranked record and drops the records
           * of any other rank, a missing one included. */
          g_autoptr(JsonNode) version = artifact_metadata ("torchlog_version", "json");
          g_autofree char *version_text = version_payload (NULL);

          append_record_locked (text, __FILE__, __LINE__, G_STRFUNC, "artifact",
                                version, TL_TRACE_SUPPRESS_CONTEXT,
                                NULL, version_text, strlen (version_text));
        }
      append_record_locked (text, file, line, func, name, metadata, flags,
                            compile_id, payload, payload_len);
      tl_trace_file_write_locked (text->str, text->len);
    }
  tl_trace_file_unlock ();

  if (opened != NULL)
    announce_file (opened);
  if (!(flags & TL_TRACE_NO_RECORD_OVERHEAD))
    tl_trace_add_logging_overhead ((g_get_monotonic_time () - start) / 1e6);
  return TRUE;
}

void
tl_trace_structured_full (const char         *file,
                          int                 line,
                          const char         *func,
                          const char         *name,
                          JsonNode           *metadata,
                          TlTraceFlags        flags,
                          const TlCompileId  *compile_id,
                          TlTracePayloadFunc  payload_func,
                          gpointer            user_data)
{
  g_autofree char *payload = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  if (!tl_trace_file_enabled ())
    return;
  g_return_if_fail (compile_id == NULL || tl_compile_id_is_valid (compile_id));
  if ((flags & TL_TRACE_DTRACE) && !tl_trace_file_verbose ())
    return;
  start = g_get_monotonic_time ();

  /* Outside the lock: the payload may take long, or log. */
  if (payload_func != NULL)
    payload = payload_func (user_data);
  if (!write_record (file, line, func, name, metadata, flags, compile_id,
                     payload, -1, start, &error))
    g_warning ("%s", error->message);
}

/**
 * tl_trace_structured_checked:
 * @file: (type filename): the caller's source file
 * @line: the caller's line
 * @func: (nullable): the caller's function
 * @name: the event's name
 * @metadata: (nullable): the event's metadata, or %NULL for `{}`
 * @flags: options
 * @compile_id: (nullable): the compile id to use when no compile context
 *   is current, or %NULL
 * @payload: (nullable) (array length=payload_len) (element-type guint8):
 *   the payload text, or %NULL for none
 * @payload_len: the length of @payload in bytes, or -1 when it ends with
 *   a NUL
 * @error: return location for a #GError
 *
 * tl_trace_structured_full() with the payload given and the refusal
 * reported: a record `tlparse` would reject, misread or drop is not
 * written and @error says why (%TL_ERROR_INVALID_TRACE_RECORD): an event
 * name that is a key torch or tlparse adds (`rank`, `frame_id`, `stack`,
 * `has_payload`, `str`, `timestamp`, `thread`, `pathname`, `lineno`,
 * `payload_filename`, …), metadata of a known tlparse event without the
 * fields it needs, an `artifact` encoding other than `string` or `json`,
 * a `json` artifact, `chromium_event` or `dynamo_guards` without a JSON
 * payload. The payload may hold NUL bytes; text that is not UTF-8 is
 * repaired.
 *
 * Returns: %TRUE when the record was written or tracing is off
 *
 * Since: 0.1
 */
gboolean
tl_trace_structured_checked (const char         *file,
                             int                 line,
                             const char         *func,
                             const char         *name,
                             JsonNode           *metadata,
                             TlTraceFlags        flags,
                             const TlCompileId  *compile_id,
                             const char         *payload,
                             gssize              payload_len,
                             GError            **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!tl_trace_file_enabled ())
    return TRUE;
  if (compile_id != NULL && !tl_compile_id_is_valid (compile_id))
    {
      g_set_error (error, TL_ERROR, TL_ERROR_INVALID_TRACE_RECORD,
                   _("Trace record “%s” refused: the compile id is not valid"), name ? name : "");
      return FALSE;
    }
  if ((flags & TL_TRACE_DTRACE) && !tl_trace_file_verbose ())
    return TRUE;
  return write_record (file, line, func, name, metadata, flags, compile_id,
                       payload, payload_len, g_get_monotonic_time (), error);
}

/**
 * tl_trace_structured_artifact_full:
 * @file: (type filename): the caller's source file
 * @line: the caller's line
 * @func: (nullable): the caller's function
 * @name: the artifact's name
 * @encoding: how the payload is encoded: `"string"` or `"json"`
 * @compile_id: (nullable): the compile id to use when no compile context
 *   is current, or %NULL
 * @payload_func: (nullable) (scope call) (closure user_data): builds the
 *   payload
 * @user_data: data for @payload_func
 *
 * torch's `trace_structured_artifact`: tl_trace_structured_full() for
 * the event `artifact` with metadata `{"name": name, "encoding":
 * encoding}`.
 *
 * Since: 0.1
 */
void
tl_trace_structured_artifact_full (const char         *file,
                                   int                 line,
                                   const char         *func,
                                   const char         *name,
                                   const char         *encoding,
                                   const TlCompileId  *compile_id,
                                   TlTracePayloadFunc  payload_func,
                                   gpointer            user_data)
{
  g_autoptr(JsonNode) metadata = NULL;

  if (!tl_trace_file_enabled ())
    return;
  g_return_if_fail (name != NULL);
  g_return_if_fail (encoding != NULL);

  metadata = artifact_metadata (name, encoding);
  tl_trace_structured_full (file, line, func, "artifact", metadata, TL_TRACE_FLAGS_NONE,
                            compile_id, payload_func, user_data);
}

/**
 * tl_trace_intern_string:
 * @string: (nullable): a string
 *
 * torch's `intern_string`: a small integer standing for @string in
 * trace records, assigned in first-seen order from 0. The first time a
 * string is seen while tracing, a `str` record `{"str": [string, id]}`
 * maps it in the file; tlparse resolves stack filenames through it.
 *
 * Returns: the id, or -1 for %NULL
 *
 * Since: 0.1
 */
int
tl_trace_intern_string (const char *string)
{
  g_autoptr(GString) lines = NULL;
  int id;

  if (string == NULL)
    return -1;

  lines = g_string_new (NULL);
  tl_trace_file_lock ();
  if (tl_trace_file_enabled ())
    tl_trace_file_ensure_locked (NULL);
  id = tl_trace_file_intern_locked (string, lines);
  if (lines->len > 0)
    tl_trace_file_write_locked (lines->str, lines->len);
  tl_trace_file_unlock ();
  return id;
}

/**
 * tl_trace_stack_from_frames:
 * @frames: (array length=n_frames): the frames, innermost last
 * @n_frames: the number of @frames
 *
 * torch's `from_traceback`: a stack for trace metadata, a list of
 * `{"line", "name", "filename", "loc"}` objects whose filenames are
 * interned (see tl_trace_intern_string()). `loc` is left out for frames
 * without one.
 *
 * Returns: (transfer full): a `JsonNode` holding the list
 *
 * Since: 0.1
 */
JsonNode *
tl_trace_stack_from_frames (const TlTraceFrame *frames,
                            gsize               n_frames)
{
  g_autoptr(GString) lines = g_string_new (NULL);
  JsonNode *node;

  g_return_val_if_fail (frames != NULL || n_frames == 0, NULL);

  tl_trace_file_lock ();
  if (tl_trace_file_enabled ())
    tl_trace_file_ensure_locked (NULL);
  node = stack_node_locked (frames, n_frames, lines);
  if (lines->len > 0)
    tl_trace_file_write_locked (lines->str, lines->len);
  tl_trace_file_unlock ();
  return node;
}

/**
 * tl_trace_format_payload:
 * @payload: a `JsonNode`
 *
 * Turns a JSON value into payload text as torch does: a string as it is;
 * a list as `[` and `]` around its elements, one compact JSON element per
 * line; anything else as JSON with every element on its own line
 * (`json.dumps(value, indent=0)`).
 *
 * Returns: (transfer full): the payload text
 *
 * Since: 0.1
 */
char *
tl_trace_format_payload (JsonNode *payload)
{
  GString *out;

  g_return_val_if_fail (payload != NULL, NULL);

  if (JSON_NODE_HOLDS_VALUE (payload) && json_node_get_value_type (payload) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (payload));

  out = g_string_new (NULL);
  if (JSON_NODE_HOLDS_ARRAY (payload))
    {
      JsonArray *array = json_node_get_array (payload);

      g_string_append (out, "[\n");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_string_append (out, ",\n");
          tl_json_append (out, json_array_get_element (array, i), TL_JSON_COMPACT);
        }
      g_string_append (out, "\n]");
    }
  else
    tl_json_append (out, payload, TL_JSON_INDENT0);
  return g_string_free (out, FALSE);
}
