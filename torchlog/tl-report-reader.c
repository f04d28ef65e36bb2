/* tl-report-reader.c: reads a structured trace by tlparse's rules
 *
 * The rules of tlparse's parse_path() (src/lib.rs) and its typed Envelope
 * (src/types.rs), so that a trace gives the same records and the same
 * failure counts here as there:
 *
 *   * blank lines are dropped (a blank line inside a payload is a tab);
 *   * every other line must match the glog regex, searched anywhere in the
 *     line as Rust's Regex::captures does, else fail_glog;
 *   * the rest of the line is the envelope, a JSON object whose known
 *     members must have their types (u32 ids, string has_payload, [string,
 *     u32] `str`, object metadata, well-formed stacks), else fail_json; a
 *     text that is not even a JSON object counts a second fail_json where
 *     tlparse retries it for raw.jsonl;
 *   * members tlparse does not know count in `unknown`;
 *   * `str` records fill the intern table and are not records;
 *   * after `has_payload`, the following lines that start with a tab are
 *     the payload (tab stripped, joined with '\n'); its MD5 must be the
 *     lowercase hex in has_payload, else fail_payload_md5 (the record is
 *     still shown, as tlparse does);
 *   * the first rank seen is the file's rank; a record of another rank
 *     (or with none, after one was seen) is other_rank.
 *
 * Lines are read with getline(), one at a time: memory stays bounded by
 * the longest payload, whatever the file's size.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "tl-i18n-private.h"
#include "tl-report-json-private.h"
#include "tl-report-reader-private.h"

gboolean
tl_report_stats_failed (const TlReportStats *stats)
{
  /* tlparse's strict check; fail_key_conflict, fail_json_serialization
   * and unknown are only reported. */
  return stats->fail_glog + stats->fail_json + stats->fail_payload_md5 + stats->other_rank +
         stats->fail_dynamo_guards_json + stats->fail_parser > 0;
}

char *
tl_report_stats_to_string (const TlReportStats *stats)
{
  GString *text = g_string_new (NULL);
  const struct { const char *name; guint64 value; } fields[] = {
    { "ok", stats->ok },
    { "other_rank", stats->other_rank },
    { "fail_glog", stats->fail_glog },
    { "fail_json", stats->fail_json },
    { "fail_payload_md5", stats->fail_payload_md5 },
    { "fail_dynamo_guards_json", stats->fail_dynamo_guards_json },
    { "fail_parser", stats->fail_parser },
    { "fail_key_conflict", stats->fail_key_conflict },
    { "fail_json_serialization", stats->fail_json_serialization },
    { "unknown", stats->unknown },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i].value > 0)
      g_string_append_printf (text, "%s%s: %" G_GUINT64_FORMAT,
                              text->len > 0 ? ", " : "", fields[i].name, fields[i].value);
  return g_string_free (text, FALSE);
}

/* ---- the typed envelope ---- */

/* Envelope members whose value is a metadata object (types.rs). */
static const char * const metadata_members[] = {
  "dynamo_start", "dynamo_output_graph", "optimize_ddp_split_graph", "optimize_ddp_split_child",
  "compiled_autograd_graph", "dynamo_guards", "aot_forward_graph", "aot_backward_graph",
  "aot_inference_graph", "aot_joint_graph", "inductor_pre_grad_graph", "inductor_post_grad_graph",
  "dynamo_cpp_guards_str", "inductor_output_code", "compilation_metrics", "bwd_compilation_metrics",
  "aot_autograd_backward_compilation_metrics", "graph_dump", "link", "symbolic_shape_specialization",
  "propagate_real_tensors_provenance", "guard_added", "create_unbacked_symbol", "expression_created",
  "missing_fake_kernel", "mismatched_fake_kernel", "artifact", "describe_storage", "describe_tensor",
  "describe_source", "dump_file", "chromium_event", "guard_added_fast", "exported_program",
};

static const char * const id_members[] = {
  "rank", "compiled_autograd_id", "frame_id", "frame_compile_id", "attempt",
};

static gboolean
is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

static gboolean
is_integer_in (JsonNode *node,
               gint64    min,
               gint64    max)
{
  gint64 value;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  value = json_node_get_int (node);
  return value >= min && value <= max;
}

static gboolean
is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
optional_string (JsonObject *object,
                 const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  return is_null (node) || is_string (node);
}

static gboolean
required_string (JsonObject *object,
                 const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  return node != NULL && is_string (node);
}

/* A StackSummary: a list of FrameSummary {filename: u32, line: i32,
 * name: String, loc: Option<String>, uninterned_filename: Option<String>}. */
static gboolean
valid_stack (JsonNode *node)
{
  JsonArray *frames;

  if (is_null (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  frames = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (frames); i++)
    {
      JsonNode *frame_node = json_array_get_element (frames, i);
      JsonObject *frame;
      JsonNode *member;

      if (!JSON_NODE_HOLDS_OBJECT (frame_node))
        return FALSE;
      frame = json_node_get_object (frame_node);
      member = json_object_get_member (frame, "filename");
      if (member == NULL || !is_integer_in (member, 0, G_MAXUINT32))
        return FALSE;
      member = json_object_get_member (frame, "line");
      if (member == NULL || !is_integer_in (member, G_MININT32, G_MAXINT32))
        return FALSE;
      if (!required_string (frame, "name") || !optional_string (frame, "loc") ||
          !optional_string (frame, "uninterned_filename"))
        return FALSE;
    }
  return TRUE;
}

/* The required members of the metadata tlparse reads. */
static gboolean
valid_metadata (const char *name,
                JsonObject *metadata)
{
  if (g_str_equal (name, "artifact"))
    return required_string (metadata, "name") && required_string (metadata, "encoding");
  if (g_str_equal (name, "link"))
    return required_string (metadata, "name") && required_string (metadata, "url");
  if (g_str_equal (name, "graph_dump") || g_str_equal (name, "dump_file") ||
      g_str_equal (name, "optimize_ddp_split_child"))
    return required_string (metadata, "name");
  if (g_str_equal (name, "inductor_output_code"))
    return optional_string (metadata, "filename");
  if (g_str_equal (name, "dynamo_start"))
    return valid_stack (json_object_get_member (metadata, "stack"));
  return TRUE;
}

static gboolean
member_in (const char         *name,
           const char * const *list,
           gsize               n)
{
  for (gsize i = 0; i < n; i++)
    if (g_str_equal (name, list[i]))
      return TRUE;
  return FALSE;
}

/* Checks @envelope as serde would deserialize it into tlparse's Envelope;
 * counts and collects the members it does not know. */
static gboolean
valid_envelope (JsonObject    *envelope,
                TlReportStats *stats,
                GHashTable    *unknown_fields)
{
  g_autoptr(GList) members = json_object_get_members (envelope);
  gboolean valid = TRUE;
  guint unknown = 0;

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (envelope, name);

      if (member_in (name, id_members, G_N_ELEMENTS (id_members)))
        valid = valid && (is_null (node) || is_integer_in (node, 0, G_MAXUINT32));
      else if (g_str_equal (name, "has_payload"))
        valid = valid && (is_null (node) || is_string (node));
      else if (g_str_equal (name, "stack"))
        valid = valid && valid_stack (node);
      else if (g_str_equal (name, "str"))
        {
          JsonArray *pair;

          if (is_null (node))
            continue;
          if (!JSON_NODE_HOLDS_ARRAY (node))
            {
              valid = FALSE;
              continue;
            }
          pair = json_node_get_array (node);
          valid = valid && json_array_get_length (pair) == 2 &&
                  is_string (json_array_get_element (pair, 0)) &&
                  is_integer_in (json_array_get_element (pair, 1), 0, G_MAXUINT32);
        }
      else if (member_in (name, metadata_members, G_N_ELEMENTS (metadata_members)))
        {
          if (is_null (node))
            continue;
          valid = valid && JSON_NODE_HOLDS_OBJECT (node) &&
                  valid_metadata (name, json_node_get_object (node));
        }
      else
        {
          unknown++;
          if (unknown_fields != NULL && !g_hash_table_contains (unknown_fields, name))
            g_hash_table_add (unknown_fields, g_strdup (name));
        }
    }
  /* serde counts the unknown members only of an envelope it could read. */
  if (valid)
    stats->unknown += unknown;
  return valid;
}

/* ---- lines ---- */

typedef struct {
  FILE    *file;
  char    *buffer;
  size_t   capacity;
  gssize   length;     /* of the line in buffer (no EOL), or -1 at the end */
  gsize    lineno;     /* of the line in buffer */
  guint64  bytes;      /* read so far */
  gboolean peeked;
} LineReader;

/* Moves to the next non-blank line (tlparse filters blank ones first). */
static gboolean
next_line (LineReader *reader)
{
  if (reader->peeked)
    {
      reader->peeked = FALSE;
      return reader->length >= 0;
    }
  for (;;)
    {
      ssize_t n = getline (&reader->buffer, &reader->capacity, reader->file);

      if (n < 0)
        {
          reader->length = -1;
          return FALSE;
        }
      reader->lineno++;
      reader->bytes += (guint64) n;
      if (n > 0 && reader->buffer[n - 1] == '\n')
        n--;
      if (n > 0 && reader->buffer[n - 1] == '\r')
        n--;
      reader->buffer[n] = '\0';
      if (n > 0)
        {
          reader->length = n;
          return TRUE;
        }
    }
}

/* True when the next non-blank line starts with a tab; it stays current
 * (not consumed) either way until next_line() is called again. */
static gboolean
peek_tab_line (LineReader *reader)
{
  if (!reader->peeked)
    {
      next_line (reader);
      reader->peeked = TRUE;
    }
  return reader->length > 0 && reader->buffer[0] == '\t';
}

static GRegex *
glog_regex (void)
{
  static GRegex *regex;

  if (g_once_init_enter (&regex))
    {
      /* tlparse's re_glog, unanchored as there. */
      GRegex *compiled = g_regex_new (
        "(?<level>[VIWEC])(?<month>\\d{2})(?<day>\\d{2}) "
        "(?<hour>\\d{2}):(?<minute>\\d{2}):(?<second>\\d{2}).(?<millisecond>\\d{6}) "
        "(?<thread>\\d+)"
        "(?<pathname>[^:]+):(?<line>\\d+)\\] "
        "(?<payload>.)",
        G_REGEX_RAW, 0, NULL);
      g_once_init_leave (&regex, compiled);
    }
  return regex;
}

static guint64
group_number (GMatchInfo *match,
              const char *name)
{
  int start, end;
  guint64 value = 0;

  if (!g_match_info_fetch_named_pos (match, name, &start, &end))
    return 0;
  for (int i = start; i < end && value < G_MAXUINT64 / 10 - 10; i++)
    value = value * 10 + (guint64) (g_match_info_get_string (match)[i] - '0');
  return value;
}

static gboolean
valid_hash (const char *hash)
{
  if (strlen (hash) != 32)
    return FALSE;
  for (const char *c = hash; *c != '\0'; c++)
    if (!g_ascii_isdigit (*c) && !(*c >= 'a' && *c <= 'f'))
      return FALSE;
  return TRUE;
}

/* tlparse's expected_rank: the first record with a rank sets the file's
 * rank; records before it may have none. */
static gboolean
process_rank (gboolean      *have_rank,
              gint64        *rank,
              JsonObject    *envelope,
              TlReportStats *stats)
{
  JsonNode *node = json_object_get_member (envelope, "rank");
  gboolean has = !is_null (node);

  if (*have_rank)
    {
      if (!has || json_node_get_int (node) != *rank)
        {
          stats->other_rank++;
          return FALSE;
        }
    }
  else if (has)
    {
      *have_rank = TRUE;
      *rank = json_node_get_int (node);
    }
  return TRUE;
}

gboolean
tl_report_read (const char           *path,
                TlReportStats        *stats,
                GHashTable           *unknown_fields,
                TlReportInternFunc    intern,
                TlReportRecordFunc    record,
                TlReportProgressStep  progress,
                gpointer              user_data,
                GError              **error)
{
  LineReader reader = { 0 };
  g_autoptr(GString) payload = g_string_new (NULL);
  g_autoptr(GChecksum) md5 = g_checksum_new (G_CHECKSUM_MD5);
  gboolean have_rank = FALSE;
  gint64 rank = 0;
  guint64 last_progress = 0;
  GRegex *regex = glog_regex ();

  reader.file = g_fopen (path, "re");
  if (reader.file == NULL)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot open the trace “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  while (next_line (&reader))
    {
      g_autoptr(GMatchInfo) match = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *pathname = NULL;
      TlReportRecord rec = { 0 };
      JsonObject *envelope;
      JsonNode *node;
      const char *text;
      int start, end;

      if (progress != NULL && reader.bytes - last_progress >= 1 << 20)
        {
          progress (reader.bytes, user_data);
          last_progress = reader.bytes;
        }

      if (!g_regex_match_full (regex, reader.buffer, reader.length, 0, 0, &match, NULL))
        {
          stats->fail_glog++;
          continue;
        }

      rec.lineno = reader.lineno;
      rec.month = (guint) group_number (match, "month");
      rec.day = (guint) group_number (match, "day");
      rec.hour = (guint) group_number (match, "hour");
      rec.minute = (guint) group_number (match, "minute");
      rec.second = (guint) group_number (match, "second");
      rec.microsecond = (guint) group_number (match, "millisecond");
      rec.thread = group_number (match, "thread");
      rec.line = group_number (match, "line");
      g_match_info_fetch_named_pos (match, "pathname", &start, &end);
      pathname = g_strndup (reader.buffer + start, (gsize) (end - start));
      rec.pathname = pathname;
      g_match_info_fetch_named_pos (match, "payload", &start, &end);
      text = reader.buffer + start;
      rec.envelope_text = text;

      root = tl_report_json_parse (text, reader.length - start);
      envelope = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
      if (envelope == NULL || !valid_envelope (envelope, stats, unknown_fields))
        {
          stats->fail_json++;
          if (envelope == NULL)
            stats->fail_json++;   /* tlparse's raw.jsonl retry fails too */
          else
            {
              rec.envelope = envelope;
              record (&rec, TL_REPORT_RECORD_RAW_ONLY, user_data);
            }
          continue;
        }
      rec.envelope = envelope;

      node = json_object_get_member (envelope, "str");
      if (!is_null (node))
        {
          JsonArray *pair = json_node_get_array (node);
          if (intern != NULL)
            intern ((guint) json_array_get_int_element (pair, 1),
                    json_array_get_string_element (pair, 0), user_data);
          continue;
        }

      node = json_object_get_member (envelope, "has_payload");
      if (!is_null (node))
        {
          const char *expect = json_node_get_string (node);
          /* The envelope's text lives in the line buffer, which the
           * payload lines reuse: keep a copy. */
          g_autofree char *saved_text = g_strdup (text);
          gboolean first = TRUE;

          rec.envelope_text = NULL;
          g_string_truncate (payload, 0);
          while (peek_tab_line (&reader))
            {
              next_line (&reader);
              if (!first)
                g_string_append_c (payload, '\n');
              first = FALSE;
              g_string_append_len (payload, reader.buffer + 1, reader.length - 1);
            }
          g_checksum_reset (md5);
          g_checksum_update (md5, (const guchar *) payload->str, (gssize) payload->len);
          if (!valid_hash (expect) || !g_str_equal (g_checksum_get_string (md5), expect))
            stats->fail_payload_md5++;
          rec.payload = payload->str;
          rec.payload_length = payload->len;
          rec.payload_hash = expect;

          if (!process_rank (&have_rank, &rank, envelope, stats))
            {
              rec.envelope_text = saved_text;
              record (&rec, TL_REPORT_RECORD_RAW_ONLY, user_data);
              continue;
            }
          stats->ok++;
          rec.envelope_text = saved_text;
          record (&rec, TL_REPORT_RECORD_OK, user_data);
          continue;
        }

      if (!process_rank (&have_rank, &rank, envelope, stats))
        {
          record (&rec, TL_REPORT_RECORD_RAW_ONLY, user_data);
          continue;
        }
      stats->ok++;
      record (&rec, TL_REPORT_RECORD_OK, user_data);
    }

  if (progress != NULL)
    progress (reader.bytes, user_data);
  g_free (reader.buffer);
  if (ferror (reader.file))
    {
      int saved_errno = errno;
      fclose (reader.file);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot read the trace “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  fclose (reader.file);
  return TRUE;
}
