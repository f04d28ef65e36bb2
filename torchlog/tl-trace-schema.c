/* tl-trace-schema.c: refuses the trace records tlparse cannot read
 *
 * tlparse (pytorch/tlparse src/types.rs, src/lib.rs, src/parsers.rs)
 * reads each record into a typed envelope. A record is lost when:
 *   - its event name is a key of the envelope torch or tlparse adds
 *     (`rank`, the compile ids, `stack`, `has_payload`, `str`) or a key
 *     tlparse adds to `raw.jsonl` (`timestamp`, `thread`, `pathname`,
 *     `lineno`, `payload_filename`): a parse failure, an overwritten key
 *     or a record left out of `raw.jsonl`;
 *   - a known event's metadata is not an object, or lacks the string
 *     fields its struct requires (`artifact`, `link`, `dump_file`, …);
 *   - an `artifact`'s encoding is neither `string` nor `json`, or a
 *     payload that must be JSON (`json` artifacts, `chromium_event`,
 *     `dynamo_guards`) is not.
 * Metadata nested deeper than serde_json's limit (128) is refused too.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tl-trace-schema-private.h"
#include "tl-json-private.h"
#include "tl-error.h"
#include "tl-i18n-private.h"

/* torch's reserved names, then the envelope's own keys, then the keys
 * tlparse adds to each raw.jsonl line. */
static const char * const reserved_names[] = {
  "rank", "compiled_autograd_id", "frame_id", "frame_compile_id", "attempt",
  "severity", "timestamp", "pathname", "thread", "subgraph_name",
  "has_payload", "str", "stack", "lineno", "payload_filename", NULL,
};

/* Known events whose struct has required string fields. */
static const struct {
  const char *event;
  const char *fields[3];
} required_strings[] = {
  { "artifact", { "name", "encoding", NULL } },
  { "link", { "name", "url", NULL } },
  { "dump_file", { "name", NULL } },
  { "graph_dump", { "name", NULL } },
  { "optimize_ddp_split_child", { "name", NULL } },
};

/* Events tlparse types (an object is required). */
static const char * const known_events[] = {
  "dynamo_start", "dynamo_output_graph", "optimize_ddp_split_graph",
  "optimize_ddp_split_child", "compiled_autograd_graph", "dynamo_guards",
  "aot_forward_graph", "aot_backward_graph", "aot_inference_graph",
  "aot_joint_graph", "inductor_pre_grad_graph", "inductor_post_grad_graph",
  "dynamo_cpp_guards_str", "inductor_output_code", "compilation_metrics",
  "bwd_compilation_metrics", "aot_autograd_backward_compilation_metrics",
  "graph_dump", "link", "symbolic_shape_specialization",
  "propagate_real_tensors_provenance", "guard_added", "create_unbacked_symbol",
  "expression_created", "missing_fake_kernel", "mismatched_fake_kernel",
  "artifact", "describe_storage", "describe_tensor", "describe_source",
  "dump_file", "chromium_event", "guard_added_fast", "exported_program", NULL,
};

static int
depth_of (JsonNode *node)
{
  int deepest = 0;

  if (node == NULL)
    return 0;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &member))
        deepest = MAX (deepest, depth_of (member));
      return deepest + 1;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        deepest = MAX (deepest, depth_of (json_array_get_element (array, i)));
      return deepest + 1;
    }
  return 0;
}

/* Whether @payload is JSON that serde_json reads: json-glib's parser,
 * and no NaN/Infinity words, which json-glib does not take either; one
 * value only, as serde_json (json-glib takes `{...} {...}`, and leaks). */
static gboolean
payload_is_json (const char *payload)
{
  g_autoptr(JsonParser) parser = NULL;

  if (payload == NULL || !tl_json_is_one_value (payload, -1))
    return FALSE;
  parser = json_parser_new_immutable ();
  return json_parser_load_from_data (parser, payload, -1, NULL) &&
         json_parser_get_root (parser) != NULL;
}

static gboolean
refuse (GError **error, const char *name, const char *why)
{
  g_set_error (error, TL_ERROR, TL_ERROR_INVALID_TRACE_RECORD,
               _("Trace record “%s” refused: %s"), name, why);
  return FALSE;
}

gboolean
tl_trace_schema_check (const char  *name,
                       JsonNode    *metadata,
                       const char  *payload,
                       GError     **error)
{
  if (name == NULL || name[0] == '\0')
    return refuse (error, "", _("the event name is empty"));
  if (g_strv_contains (reserved_names, name))
    return refuse (error, name, _("the event name is reserved for the keys torch and tlparse add"));
  /* The envelope is one level; serde_json stops at 128. */
  if (depth_of (metadata) > 100)
    return refuse (error, name, _("the metadata is nested too deeply"));
  if (!g_strv_contains (known_events, name))
    return TRUE;

  if (metadata != NULL && !JSON_NODE_HOLDS_OBJECT (metadata))
    return refuse (error, name, _("the metadata of this event must be an object"));
  for (gsize i = 0; i < G_N_ELEMENTS (required_strings); i++)
    {
      JsonObject *object;

      if (strcmp (required_strings[i].event, name) != 0)
        continue;
      object = metadata != NULL ? json_node_get_object (metadata) : NULL;
      for (int f = 0; required_strings[i].fields[f] != NULL; f++)
        {
          JsonNode *member = object ? json_object_get_member (object, required_strings[i].fields[f]) : NULL;

          if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
              json_node_get_value_type (member) != G_TYPE_STRING)
            return refuse (error, name, _("a required string field is missing"));
        }
    }

  if (strcmp (name, "artifact") == 0)
    {
      const char *encoding = json_object_get_string_member (json_node_get_object (metadata), "encoding");

      if (strcmp (encoding, "string") != 0 && strcmp (encoding, "json") != 0)
        return refuse (error, name, _("the encoding must be “string” or “json”"));
      if (strcmp (encoding, "json") == 0 && !payload_is_json (payload))
        return refuse (error, name, _("a “json” artifact needs a JSON payload"));
    }
  else if ((strcmp (name, "chromium_event") == 0 || strcmp (name, "dynamo_guards") == 0) &&
           !payload_is_json (payload))
    return refuse (error, name, _("this event needs a JSON payload"));
  return TRUE;
}
