/* tl-report-rank.c: the report of one trace file (one rank)
 *
 * tlparse's parse_path() after the reading: its parsers, run in its order
 * on every record, each output file numbered with tlparse's running
 * output count (`dynamo_output_graph_0.txt`), the compile directory, the
 * stack trie, failures and restarts, chromium events and raw.jsonl; and
 * what torchlog adds: a page per compile id showing its artifacts with
 * line numbers, and a timeline of compile times.
 *
 * Output files are written as their record is read, so memory holds the
 * directory and the small indexes, never the trace: chromium events go
 * straight to chromium_events.json (tl-report-chromium.c), and raw.jsonl's
 * lines to a temporary file until the string table that heads them is
 * complete (tl-report-spill.c).
 *
 * File names taken from the trace (artifact names, graph names) are made
 * safe first: a trace cannot write outside the output folder, where
 * tlparse would follow a `../` in a name.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "tl-i18n-private.h"
#include "tl-report-chromium-private.h"
#include "tl-report-html-private.h"
#include "tl-report-json-private.h"
#include "tl-report-rank-private.h"
#include "tl-report-spill-private.h"

typedef struct {
  char *url;
  char *name;
  int   number;
  const char *suffix;
  char *readable_url;
} OutputFile;

/* The collectives tlparse's check_collectives_parity() counts. */
enum { OP_ALL_REDUCE, OP_REDUCE_SCATTER, OP_ALL_GATHER, OP_BROADCAST, OP_ALL_TO_ALL, OP_REDUCE, N_OPS };
static const char * const op_names[N_OPS] = {
  "all_reduce", "reduce_scatter", "all_gather", "broadcast", "all_to_all", "reduce",
};

typedef struct {
  char      *key;        /* "[0/0]", compile_directory.json's key */
  char      *dir;        /* "-_0_0_0" */
  GPtrArray *files;      /* OutputFile * */
  gboolean   has_metrics;
  gboolean   has_start;
  double     start_time;
  double     duration;
  gboolean   failed;
  GPtrArray *schedule;   /* collective ops, or NULL */
  gboolean   has_code;
  guint      code_ops[N_OPS];
  guint      code_waits;
} CompileEntry;

typedef struct _TrieNode TrieNode;
struct _TrieNode {
  char       *label;      /* HTML */
  GPtrArray  *children;   /* TrieNode * */
  GHashTable *by_label;
  GPtrArray  *terminals;  /* CompileEntry *, not owned */
};

typedef struct {
  char        *out_dir;
  GHashTable  *intern;          /* id → string */
  guint        max_intern;
  GPtrArray   *entries;         /* CompileEntry * */
  GHashTable  *entry_by_dir;
  int          output_count;
  TrieNode    *trie;
  TrieNode    *unknown_trie;
  GHashTable  *stack_by_dir;    /* dir → JsonNode (dynamo_start's stack) */
  GPtrArray   *failures;        /* char * pairs: id HTML, reason HTML */
  TlReportChromium chromium;
  FILE        *raw;             /* raw.jsonl's record lines, spilled until the string table is known */
  GString     *raw_line;
  TlReportStats stats;
  GHashTable  *unknown_fields;
  int          year;
  GError      *write_error;
  char        *input_name;
  TlReportProgressStep progress;
  gpointer     progress_data;
} Rank;

/* ---- small helpers ---- */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
output_file_free (OutputFile *file)
{
  g_free (file->url);
  g_free (file->name);
  g_free (file->readable_url);
  g_free (file);
}

static void
compile_entry_free (CompileEntry *entry)
{
  g_free (entry->key);
  g_free (entry->dir);
  g_ptr_array_unref (entry->files);
  g_clear_pointer (&entry->schedule, g_ptr_array_unref);
  g_free (entry);
}

static TrieNode *
trie_node_new (char *label)
{
  TrieNode *node = g_new0 (TrieNode, 1);
  node->label = label;
  node->children = g_ptr_array_new ();
  node->by_label = g_hash_table_new (g_str_hash, g_str_equal);
  node->terminals = g_ptr_array_new ();
  return node;
}

static void
trie_node_free (TrieNode *node)
{
  for (guint i = 0; i < node->children->len; i++)
    trie_node_free (g_ptr_array_index (node->children, i));
  g_ptr_array_unref (node->children);
  g_hash_table_unref (node->by_label);
  g_ptr_array_unref (node->terminals);
  g_free (node->label);
  g_free (node);
}

/* A name from the trace, made a single safe path component. */
static char *
safe_component (const char *name)
{
  GString *safe = g_string_new (NULL);
  g_autofree char *valid = g_utf8_make_valid (name, -1);

  for (const char *c = valid; *c != '\0' && safe->len < 200; c++)
    g_string_append_c (safe, (*c == '/' || *c == '\\' || (guchar) *c < 0x20) ? '_' : *c);
  if (safe->len == 0 || safe->str[0] == '.')
    g_string_prepend_c (safe, '_');
  return g_string_free (safe, FALSE);
}

static gint64
get_id (JsonObject *envelope,
        const char *name)
{
  JsonNode *node = json_object_get_member (envelope, name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return -1;
  return json_node_get_int (node);
}

typedef struct {
  gint64 autograd, frame, compile, attempt;   /* -1: absent */
} CompileId;

static void
id_part (GString *out,
         gint64   value)
{
  if (value < 0)
    g_string_append_c (out, '-');
  else
    g_string_append_printf (out, "%" G_GINT64_FORMAT, value);
}

/* tlparse's CompileId::as_directory_name(). */
static char *
compile_id_dir (const CompileId *id)
{
  GString *out = g_string_new (NULL);
  id_part (out, id->autograd);
  g_string_append_c (out, '_');
  id_part (out, id->frame);
  g_string_append_c (out, '_');
  id_part (out, id->compile);
  g_string_append_c (out, '_');
  id_part (out, id->attempt);
  return g_string_free (out, FALSE);
}

/* tlparse's Display for CompileId: "[0/1]", "[0/1_2]", "[!0/1/2]". */
static char *
compile_id_key (const CompileId *id)
{
  GString *out = g_string_new ("[");
  if (id->autograd >= 0)
    g_string_append_printf (out, "!%" G_GINT64_FORMAT "/", id->autograd);
  id_part (out, id->frame);
  g_string_append_c (out, '/');
  id_part (out, id->compile);
  if (id->attempt > 0)
    g_string_append_printf (out, "_%" G_GINT64_FORMAT, id->attempt);
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

static void
write_output (Rank       *rank,
              const char *relative,
              const char *data,
              gsize       length)
{
  g_autofree char *path = g_build_filename (rank->out_dir, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  GError *error = NULL;

  if (rank->write_error != NULL)
    return;
  if (g_mkdir_with_parents (dir, 0777) != 0)
    {
      int saved_errno = errno;
      g_set_error (&rank->write_error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return;
    }
  if (!g_file_set_contents_full (path, data, (gssize) length, G_FILE_SET_CONTENTS_NONE, 0666, &error))
    g_propagate_error (&rank->write_error, error);
}

static void
write_string (Rank       *rank,
              const char *relative,
              GString    *text)
{
  write_output (rank, relative, text->str, text->len);
}

/* tlparse's add_unique_suffix(): "dir/name.txt" → "dir/name_7.txt". */
static char *
unique_name (const char *relative,
             int         count)
{
  const char *base = strrchr (relative, '/');
  const char *dot;

  base = base != NULL ? base + 1 : relative;
  dot = strrchr (base, '.');
  if (dot == NULL || dot == base)
    return g_strdup_printf ("%s_%d", relative, count);
  return g_strdup_printf ("%.*s_%d%s", (int) (dot - relative), relative, count, dot);
}

static const char *
cache_suffix (const char *name)
{
  if (strstr (name, "cache_miss") != NULL)
    return "❌";
  if (strstr (name, "cache_hit") != NULL)
    return "✅";
  if (strstr (name, "cache_bypass") != NULL)
    return "❓";
  return "";
}

static char *add_stack_traces_html (Rank *rank, const char *json_url, const char *content, gsize length);

/* tlparse's add_file_output(): writes the file and lists it. */
static void
add_file_output (Rank         *rank,
                 CompileEntry *entry,
                 char         *url,
                 const char   *content,
                 gsize         length)
{
  OutputFile *file = g_new0 (OutputFile, 1);
  const char *base = strrchr (url, '/');

  base = base != NULL ? base + 1 : url;
  write_output (rank, url, content, length);
  file->url = url;
  file->name = g_strdup (url);
  file->suffix = cache_suffix (url);
  if (g_str_has_prefix (base, "inductor_provenance_tracking_kernel_stack_traces") &&
      g_str_has_suffix (base, ".json"))
    file->readable_url = add_stack_traces_html (rank, url, content, length);
  file->number = rank->output_count++;
  g_ptr_array_add (entry->files, file);
}

static char *
add_stack_traces_html (Rank       *rank,
                       const char *json_url,
                       const char *content,
                       gsize       length)
{
  g_autoptr(JsonNode) root = tl_report_json_parse (content, (gssize) length);
  g_autoptr(GString) html = g_string_new ("<html><body>\n");
  g_autofree char *stem = g_strndup (json_url, strlen (json_url) - strlen (".json"));
  char *html_url;

  if (root == NULL)
    return g_strdup ("");
  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *map = json_node_get_object (root);
      g_autoptr(GList) kernels = json_object_get_members (map);

      for (GList *l = kernels; l != NULL; l = l->next)
        {
          JsonNode *traces = json_object_get_member (map, l->data);
          g_string_append (html, "<h3>");
          tl_report_html_escape (html, l->data, -1);
          g_string_append (html, "</h3>\n");
          if (!JSON_NODE_HOLDS_ARRAY (traces))
            continue;
          for (guint i = 0; i < json_array_get_length (json_node_get_array (traces)); i++)
            {
              JsonNode *trace = json_array_get_element (json_node_get_array (traces), i);
              g_autofree char *decoded = NULL;
              char **parts;
              gsize n;

              if (!JSON_NODE_HOLDS_VALUE (trace) || json_node_get_value_type (trace) != G_TYPE_STRING)
                continue;
              parts = g_strsplit (json_node_get_string (trace), "\\n", -1);
              decoded = g_strjoinv ("\n", parts);
              g_strfreev (parts);
              n = strlen (decoded);
              while (n > 0 && decoded[n - 1] == '\n')
                n--;
              g_string_append (html, "<pre>");
              tl_report_html_escape (html, decoded, (gssize) n);
              g_string_append (html, "</pre>\n");
            }
        }
    }
  g_string_append (html, "</body></html>\n");
  html_url = g_strdup_printf ("%s_readable.html", stem);
  write_string (rank, html_url, html);
  rank->output_count++;
  return html_url;
}

/* ---- frames and stacks ---- */

static const char *
unintern (Rank  *rank,
          gint64 id)
{
  const char *s = g_hash_table_lookup (rank->intern, GUINT_TO_POINTER ((guint) id));
  return s != NULL ? s : "(unknown)";
}

/* tlparse's simplify_filename(). */
static const char *
simplify_filename (const char *filename)
{
  const char *link = strstr (filename, "#link-tree/");
  const char *seed;

  if (link != NULL)
    return link + strlen ("#link-tree/");
  seed = strstr (filename, "-seed-nspid");
  if (seed != NULL)
    {
      const char *slash = strchr (seed, '/');
      if (slash != NULL)
        return slash + 1;
    }
  return filename;
}

static char *
frame_label (Rank       *rank,
             JsonObject *frame)
{
  GString *out = g_string_new (NULL);
  const char *filename;

  if (json_object_has_member (frame, "uninterned_filename") &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (frame, "uninterned_filename")))
    filename = json_object_get_string_member (frame, "uninterned_filename");
  else
    filename = unintern (rank, json_object_get_int_member (frame, "filename"));
  tl_report_html_escape (out, simplify_filename (filename), -1);
  g_string_append_printf (out, ":%" G_GINT64_FORMAT " in ", json_object_get_int_member (frame, "line"));
  tl_report_html_escape (out, json_object_get_string_member (frame, "name"), -1);
  return g_string_free (out, FALSE);
}

/* tlparse's maybe_remove_convert_frame_suffixes(): how many trailing
 * frames of dynamo's own entry points to drop. */
static guint
convert_frame_suffix (Rank      *rank,
                      JsonArray *frames)
{
  static const char * const targets[2][3] = {
    { "catch_errors", "_convert_frame", "_convert_frame_assert" },
    { "__call__", "__call__", "__call__" },
  };
  guint len = json_array_get_length (frames);

  if (len < 3)
    return 0;
  for (guint t = 0; t < 2; t++)
    {
      gboolean all = TRUE;
      for (guint i = 0; i < 3 && all; i++)
        {
          JsonObject *frame = json_array_get_object_element (frames, len - 3 + i);
          const char *filename = simplify_filename (unintern (rank, json_object_get_int_member (frame, "filename")));
          all = g_str_equal (filename, "torch/_dynamo/convert_frame.py") &&
                g_str_equal (json_object_get_string_member (frame, "name"), targets[t][i]);
        }
      if (all)
        return 3;
    }
  return 0;
}

static void
trie_insert (Rank         *rank,
             TrieNode     *root,
             JsonArray    *frames,
             guint         drop,
             CompileEntry *terminal)
{
  TrieNode *node = root;
  guint n = json_array_get_length (frames) - drop;

  for (guint i = 0; i < n; i++)
    {
      char *label = frame_label (rank, json_array_get_object_element (frames, i));
      TrieNode *child = g_hash_table_lookup (node->by_label, label);

      if (child == NULL)
        {
          child = trie_node_new (label);
          g_ptr_array_add (node->children, child);
          g_hash_table_insert (node->by_label, child->label, child);
        }
      else
        g_free (label);
      node = child;
    }
  if (terminal != NULL && !g_ptr_array_find (node->terminals, terminal, NULL))
    g_ptr_array_add (node->terminals, terminal);
}

static void
trie_render (GString  *out,
             TrieNode *node)
{
  g_string_append (out, "<ul class=\"trie\">\n");
  for (guint i = 0; i < node->children->len; i++)
    {
      TrieNode *child = g_ptr_array_index (node->children, i);

      g_string_append (out, "<li>");
      for (guint t = 0; t < child->terminals->len; t++)
        {
          CompileEntry *entry = g_ptr_array_index (child->terminals, t);
          g_string_append (out, "<a href=\"");
          tl_report_html_escape (out, entry->dir, -1);
          g_string_append (out, "/index.html\">");
          tl_report_html_escape (out, entry->key, -1);
          g_string_append_printf (out, "</a>%s ", entry->failed ? " <span class=\"bad\">❌</span>" : "");
        }
      g_string_append (out, child->label);
      if (child->children->len > 0)
        trie_render (out, child);
      g_string_append (out, "</li>\n");
    }
  g_string_append (out, "</ul>\n");
}

/* ---- the compile directory ---- */

static CompileEntry *
lookup_entry (Rank            *rank,
              const CompileId *id)
{
  g_autofree char *dir = compile_id_dir (id);
  CompileEntry *entry = g_hash_table_lookup (rank->entry_by_dir, dir);

  if (entry != NULL)
    return entry;
  entry = g_new0 (CompileEntry, 1);
  entry->dir = g_steal_pointer (&dir);
  entry->key = compile_id_key (id);
  entry->files = g_ptr_array_new_with_free_func ((GDestroyNotify) output_file_free);
  g_ptr_array_add (rank->entries, entry);
  g_hash_table_insert (rank->entry_by_dir, entry->dir, entry);
  return entry;
}

static JsonObject *
metadata (JsonObject *envelope,
          const char *name)
{
  JsonNode *node = json_object_get_member (envelope, name);
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* A table of a metadata object's members, for the metrics pages. */
static void
append_member_table (GString    *html,
                     JsonObject *object)
{
  g_autoptr(GList) members = json_object_get_members (object);

  g_string_append (html, "<table>\n<tr><th>Field</th><th>Value</th></tr>\n");
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (object, l->data);
      g_autoptr(GString) text = g_string_new (NULL);

      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        g_string_append (text, json_node_get_string (value));
      else
        tl_report_json_append (text, value, FALSE, 0);
      g_string_append (html, "<tr><td>");
      tl_report_html_escape (html, l->data, -1);
      g_string_append (html, "</td><td><pre>");
      tl_report_html_escape (html, text->str, (gssize) text->len);
      g_string_append (html, "</pre></td></tr>\n");
    }
  g_string_append (html, "</table>\n");
}

static GString *
metrics_page (const char *title,
              const char *key,
              JsonObject *metrics)
{
  GString *html = g_string_new (NULL);
  g_autofree char *full = g_strdup_printf ("%s %s", title, key);

  tl_report_html_begin (html, full, "../");
  append_member_table (html, metrics);
  return html;
}

static double
number_member (JsonObject *object,
               const char *name,
               gboolean   *found)
{
  JsonNode *node = json_object_get_member (object, name);

  *found = FALSE;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *found = TRUE;
      return (double) json_node_get_int (node);
    }
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      *found = TRUE;
      return json_node_get_double (node);
    }
  return 0;
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* tlparse's normalize_op(): the collective an op name is, or -1. */
static int
normalize_op (const char *name)
{
  g_autofree char *op = g_strdup (name);
  gsize n = strlen (op);

  while (n > 0 && op[n - 1] == '_')
    op[--n] = '\0';
  for (int i = 0; i < OP_REDUCE; i++)
    if (strstr (op, op_names[i]) != NULL)
      return i;
  if (strstr (op, "reduce") != NULL)
    return OP_REDUCE;
  return -1;
}

/* Counts the c10d functional calls of Inductor's output code, as
 * check_collectives_parity() does (comments stripped first). */
static void
count_code_collectives (CompileEntry *entry,
                        const char   *code,
                        gsize         length)
{
  static GRegex *comments, *calls;
  g_autofree char *clean = NULL;
  g_autoptr(GMatchInfo) match = NULL;

  if (g_once_init_enter (&calls))
    {
      comments = g_regex_new ("#.*$|//.*$|/\\*[\\s\\S]*?\\*/", G_REGEX_MULTILINE | G_REGEX_RAW, 0, NULL);
      g_once_init_leave (&calls, g_regex_new (
        "torch\\s*\\.\\s*ops\\s*\\.\\s*_?c10d_functional\\s*\\.\\s*([A-Za-z0-9_]+)\\s*\\.\\s*default\\s*\\(",
        G_REGEX_RAW, 0, NULL));
    }
  entry->has_code = TRUE;
  if (g_strstr_len (code, (gssize) length, "c10d_functional") == NULL)
    return;
  clean = g_regex_replace_literal (comments, code, (gssize) length, 0, "", 0, NULL);
  if (clean == NULL)
    return;
  g_regex_match (calls, clean, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *op = g_match_info_fetch (match, 1);
      if (g_str_equal (op, "wait_tensor"))
        entry->code_waits++;
      else
        {
          int kind = normalize_op (op);
          if (kind >= 0)
            entry->code_ops[kind]++;
        }
      g_match_info_next (match, NULL);
    }
}

/* ---- one record ---- */

static char *
file_path (const CompileId *id,
           const char      *name)
{
  g_autofree char *dir = compile_id_dir (id);
  g_autofree char *safe = safe_component (name);
  return g_strdup_printf ("%s/%s", dir, safe);
}

/* A ParserOutput::PayloadFile: the payload as it is. Returns the url. */
static const char *
payload_file (Rank            *rank,
              CompileEntry    *entry,
              const CompileId *id,
              const char      *name,
              const TlReportRecord *record)
{
  g_autofree char *path = file_path (id, name);
  char *url = unique_name (path, rank->output_count);

  add_file_output (rank, entry, url, record->payload != NULL ? record->payload : "",
                   record->payload_length);
  return url;
}

static void
code_page (Rank            *rank,
           CompileEntry    *entry,
           const CompileId *id,
           const char      *name,
           const char      *title,
           const TlReportRecord *record)
{
  g_autofree char *path = file_path (id, name);
  g_autoptr(GString) html = g_string_new (NULL);
  g_autofree char *full = g_strdup_printf ("%s %s", title, entry->key);

  tl_report_html_begin (html, full, "../");
  tl_report_html_code (html, record->payload != NULL ? record->payload : "", record->payload_length);
  tl_report_html_end (html);
  add_file_output (rank, entry, unique_name (path, rank->output_count), html->str, html->len);
}

static gboolean
render_guards (Rank                 *rank,
               CompileEntry         *entry,
               const CompileId      *id,
               const TlReportRecord *record)
{
  g_autoptr(JsonNode) root = tl_report_json_parse (record->payload ? record->payload : "",
                                                   (gssize) record->payload_length);
  g_autoptr(GString) html = g_string_new (NULL);
  g_autofree char *path = file_path (id, "dynamo_guards.html");
  g_autofree char *title = g_strdup_printf ("Guards %s", entry->key);
  JsonArray *guards;

  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return FALSE;
  guards = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (guards); i++)
    {
      JsonNode *guard = json_array_get_element (guards, i);
      if (!JSON_NODE_HOLDS_OBJECT (guard) || string_member (json_node_get_object (guard), "code") == NULL)
        return FALSE;
    }
  tl_report_html_begin (html, title, "../");
  g_string_append (html, "<ul>\n");
  for (guint i = 0; i < json_array_get_length (guards); i++)
    {
      g_string_append (html, "<li><code>");
      tl_report_html_escape (html, string_member (json_array_get_object_element (guards, i), "code"), -1);
      g_string_append (html, "</code></li>\n");
    }
  g_string_append (html, "</ul>\n");
  tl_report_html_end (html);
  add_file_output (rank, entry, unique_name (path, rank->output_count), html->str, html->len);
  return TRUE;
}

static void
write_raw (Rank                 *rank,
           const TlReportRecord *record,
           const char           *payload_filename)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GList) members = NULL;
  g_autofree char *timestamp = NULL;
  const char *extra[] = { "timestamp", "thread", "pathname", "lineno", "payload_filename" };

  for (gsize i = 0; i < G_N_ELEMENTS (extra); i++)
    if (json_object_has_member (record->envelope, extra[i]) &&
        (i < 4 || payload_filename != NULL))
      {
        rank->stats.fail_key_conflict++;
        return;
      }
  members = json_object_get_members (record->envelope);
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (object, l->data,
                            json_node_copy (json_object_get_member (record->envelope, l->data)));
  timestamp = g_strdup_printf ("%04d-%02u-%02uT%02u:%02u:%02u.%06uZ", rank->year, record->month,
                               record->day, record->hour, record->minute, record->second,
                               record->microsecond);
  json_object_set_string_member (object, "timestamp", timestamp);
  json_object_set_int_member (object, "thread", (gint64) record->thread);
  json_object_set_string_member (object, "pathname", record->pathname);
  json_object_set_int_member (object, "lineno", (gint64) record->line);
  if (payload_filename != NULL)
    json_object_set_string_member (object, "payload_filename", payload_filename);
  json_node_set_object (node, object);
  g_string_truncate (rank->raw_line, 0);
  tl_report_json_append (rank->raw_line, node, FALSE, 0);
  g_string_append_c (rank->raw_line, '\n');
  fwrite (rank->raw_line->str, 1, rank->raw_line->len, rank->raw);
}

static void
on_intern (guint       id,
           const char *string,
           gpointer    user_data)
{
  Rank *rank = user_data;
  g_hash_table_insert (rank->intern, GUINT_TO_POINTER (id), g_strdup (string));
  rank->max_intern = MAX (rank->max_intern, id);
}

static const char * const sentinel_parsers[] = {
  "optimize_ddp_split_graph", "compiled_autograd_graph", "aot_forward_graph", "aot_backward_graph",
  "aot_inference_graph", "aot_joint_graph", "inductor_post_grad_graph", "inductor_pre_grad_graph",
  "dynamo_cpp_guards_str",
};

/* The compile id's metrics: the timeline, failures and restarts. */
static void
record_metrics (Rank                 *rank,
                CompileEntry         *entry,
                const CompileId      *id,
                JsonObject           *metrics,
                const TlReportRecord *record,
                const char          **payload_filename)
{
  g_autoptr(GString) html = metrics_page ("Compilation metrics", entry->key, metrics);
  g_autofree char *path = file_path (id, "compilation_metrics.html");
  g_autofree char *dir = compile_id_dir (id);
  g_autofree char *id_html = NULL;
  JsonNode *stack = g_hash_table_lookup (rank->stack_by_dir, entry->dir);
  JsonNode *restarts = json_object_get_member (metrics, "restart_reasons");
  const char *fail_type = string_member (metrics, "fail_type");
  char *url;
  gboolean found;
  GString *link;

  if (stack != NULL)
    {
      TrieNode *trie = trie_node_new (NULL);
      g_string_append (html, "<h2>Stack</h2>\n");
      trie_insert (rank, trie, json_node_get_array (stack), 0, NULL);
      trie_render (html, trie);
      trie_node_free (trie);
    }
  g_string_append (html, "<h2>Output files</h2>\n<ul>\n");
  for (guint i = 0; i < entry->files->len; i++)
    {
      OutputFile *file = g_ptr_array_index (entry->files, i);
      g_string_append (html, "<li><a href=\"../");
      tl_report_html_escape (html, file->url, -1);
      g_string_append (html, "\">");
      tl_report_html_escape (html, file->name, -1);
      g_string_append (html, "</a></li>\n");
    }
  g_string_append (html, "</ul>\n");
  tl_report_html_end (html);
  url = unique_name (path, rank->output_count);
  add_file_output (rank, entry, url, html->str, html->len);

  entry->has_metrics = TRUE;
  entry->duration = number_member (metrics, "entire_frame_compile_time_s", &found);
  entry->start_time = number_member (metrics, "start_time", &entry->has_start);
  entry->failed = fail_type != NULL;

  link = g_string_new ("<a href=\"");
  tl_report_html_escape (link, url, -1);
  g_string_append (link, "\">");
  tl_report_html_escape (link, entry->key, -1);
  g_string_append (link, "</a> ");
  id_html = g_string_free (link, FALSE);

  if (restarts != NULL && JSON_NODE_HOLDS_ARRAY (restarts))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (restarts)); i++)
      {
        JsonNode *reason = json_array_get_element (json_node_get_array (restarts), i);
        GString *row = g_string_new ("<td>RestartAnalysis</td><td><pre>");
        g_autoptr(GString) text = g_string_new (NULL);

        tl_report_json_append (text, reason, FALSE, 0);
        if (JSON_NODE_HOLDS_VALUE (reason) && json_node_get_value_type (reason) == G_TYPE_STRING)
          g_string_assign (text, json_node_get_string (reason));
        tl_report_html_escape (row, text->str, -1);
        g_string_append (row, "</pre></td><td>Not available for restarts</td>");
        g_ptr_array_add (rank->failures, g_strdup (id_html));
        g_ptr_array_add (rank->failures, g_string_free (row, FALSE));
      }
  if (fail_type != NULL)
    {
      const char *reason = string_member (metrics, "fail_reason");
      const char *filename = string_member (metrics, "fail_user_frame_filename");
      double lineno = number_member (metrics, "fail_user_frame_lineno", &found);
      GString *row = g_string_new ("<td><pre>");

      if (reason == NULL)
        {
          /* tlparse stops the whole parse here; one bad record should not. */
          rank->stats.fail_parser++;
          reason = "";
        }
      tl_report_html_escape (row, fail_type, -1);
      g_string_append (row, "</pre></td><td><pre>");
      tl_report_html_escape (row, reason, -1);
      g_string_append (row, "</pre></td><td><pre>");
      tl_report_html_escape (row, filename != NULL ? filename : "N/A", -1);
      g_string_append_printf (row, ":%.0f</pre></td>", found ? lineno : 0.0);
      g_ptr_array_add (rank->failures, g_strdup (id_html));
      g_ptr_array_add (rank->failures, g_string_free (row, FALSE));
    }
  (void) dir;
  (void) record;
  (void) payload_filename;
}

static void
on_record (const TlReportRecord *record,
           TlReportRecordKind    kind,
           gpointer              user_data)
{
  Rank *rank = user_data;
  JsonObject *envelope = record->envelope;
  CompileId id, collapsed;
  CompileEntry *entry;
  const char *payload_filename = NULL;
  g_autofree char *payload_url = NULL;
  JsonObject *md;
  JsonNode *node;
  gboolean is_chromium;

  if (kind == TL_REPORT_RECORD_RAW_ONLY)
    {
      write_raw (rank, record, NULL);
      return;
    }

  id.autograd = get_id (envelope, "compiled_autograd_id");
  id.frame = get_id (envelope, "frame_id");
  id.compile = get_id (envelope, "frame_compile_id");
  id.attempt = get_id (envelope, "attempt");
  collapsed = id;
  /* Runtime compile ids have no attempt: tlparse files them under 0. */
  if (collapsed.compile >= 0 && collapsed.attempt < 0)
    collapsed.attempt = 0;
  entry = lookup_entry (rank, &collapsed);

  for (gsize i = 0; i < G_N_ELEMENTS (sentinel_parsers); i++)
    if (metadata (envelope, sentinel_parsers[i]) != NULL)
      {
        g_autofree char *name = g_strdup_printf ("%s.txt", sentinel_parsers[i]);
        payload_filename = payload_file (rank, entry, &id, name, record);
      }
  if ((md = metadata (envelope, "graph_dump")) != NULL)
    {
      g_autofree char *name = g_strdup_printf ("%s.txt", json_object_get_string_member (md, "name"));
      payload_filename = payload_file (rank, entry, &id, name, record);
    }
  if (metadata (envelope, "dynamo_output_graph") != NULL)
    payload_filename = payload_file (rank, entry, &id, "dynamo_output_graph.txt", record);
  if (metadata (envelope, "dynamo_guards") != NULL && !render_guards (rank, entry, &id, record))
    rank->stats.fail_dynamo_guards_json++;
  if ((md = metadata (envelope, "inductor_output_code")) != NULL)
    {
      const char *filename = string_member (md, "filename");
      g_autofree char *name = NULL;

      if (filename != NULL)
        {
          g_autofree char *base = g_path_get_basename (filename);
          char *dot = strrchr (base, '.');
          if (dot != NULL && dot != base)
            *dot = '\0';
          name = g_strdup_printf ("inductor_output_code_%s.html", base);
        }
      else
        name = g_strdup ("inductor_output_code.html");
      code_page (rank, entry, &id, name, "Inductor output code", record);
      count_code_collectives (entry, record->payload ? record->payload : "", record->payload_length);
    }
  if ((md = metadata (envelope, "optimize_ddp_split_child")) != NULL)
    {
      g_autofree char *name = g_strdup_printf ("optimize_ddp_split_child_%s.txt",
                                               json_object_get_string_member (md, "name"));
      payload_filename = payload_file (rank, entry, &id, name, record);
    }
  if ((md = metadata (envelope, "aot_autograd_backward_compilation_metrics")) != NULL)
    {
      g_autoptr(GString) html = metrics_page ("AOT autograd backward compilation metrics", entry->key, md);
      g_autofree char *path = file_path (&id, "aot_autograd_backward_compilation_metrics.html");
      tl_report_html_end (html);
      add_file_output (rank, entry, unique_name (path, rank->output_count), html->str, html->len);
    }
  if ((md = metadata (envelope, "bwd_compilation_metrics")) != NULL)
    {
      g_autoptr(GString) html = metrics_page ("Backward compilation metrics", entry->key, md);
      g_autofree char *path = file_path (&id, "bwd_compilation_metrics.html");
      tl_report_html_end (html);
      add_file_output (rank, entry, unique_name (path, rank->output_count), html->str, html->len);
    }
  if ((md = metadata (envelope, "link")) != NULL)
    {
      OutputFile *file = g_new0 (OutputFile, 1);
      file->url = g_strdup (json_object_get_string_member (md, "url"));
      file->name = g_strdup (json_object_get_string_member (md, "name"));
      file->suffix = "";
      file->number = rank->output_count++;
      g_ptr_array_add (entry->files, file);
    }
  if ((md = metadata (envelope, "artifact")) != NULL)
    {
      const char *name = json_object_get_string_member (md, "name");
      const char *encoding = json_object_get_string_member (md, "encoding");

      if (g_str_equal (encoding, "string"))
        {
          g_autofree char *file = g_strdup_printf ("%s.txt", name);
          payload_filename = payload_file (rank, entry, &id, file, record);
        }
      else if (g_str_equal (encoding, "json"))
        {
          g_autoptr(JsonNode) value = tl_report_json_parse (record->payload ? record->payload : "",
                                                            (gssize) record->payload_length);
          if (value != NULL)
            {
              g_autoptr(GString) pretty = g_string_new (NULL);
              g_autofree char *file = g_strdup_printf ("%s.json", name);
              g_autofree char *path = file_path (&id, file);

              tl_report_json_append (pretty, value, TRUE, 0);
              payload_filename = unique_name (path, rank->output_count);
              add_file_output (rank, entry, (char *) payload_filename, pretty->str, pretty->len);
              if (g_str_has_prefix (name, "inductor_collective_schedule") && entry->schedule == NULL &&
                  JSON_NODE_HOLDS_ARRAY (value))
                {
                  JsonArray *ops = json_node_get_array (value);
                  entry->schedule = g_ptr_array_new_with_free_func (g_free);
                  for (guint i = 0; i < json_array_get_length (ops); i++)
                    {
                      JsonNode *op = json_array_get_element (ops, i);
                      if (JSON_NODE_HOLDS_VALUE (op) && json_node_get_value_type (op) == G_TYPE_STRING)
                        g_ptr_array_add (entry->schedule, g_strdup (json_node_get_string (op)));
                    }
                }
            }
          else
            rank->stats.fail_parser++;
        }
      else
        rank->stats.fail_parser++;
    }
  if ((md = metadata (envelope, "dump_file")) != NULL)
    {
      const char *name = json_object_get_string_member (md, "name");
      const char *key = strstr (name, "<eval_with_key>.");
      g_autofree char *file = NULL;
      g_autofree char *safe = NULL;
      g_autoptr(GString) html = g_string_new (NULL);

      if (key != NULL && g_ascii_isdigit (key[strlen ("<eval_with_key>.")]))
        file = g_strdup_printf ("eval_with_key_%" G_GUINT64_FORMAT ".html",
                                g_ascii_strtoull (key + strlen ("<eval_with_key>."), NULL, 10));
      else
        file = g_strdup_printf ("%s.html", name);
      safe = safe_component (file);
      tl_report_html_begin (html, name, "../");
      tl_report_html_code (html, record->payload ? record->payload : "", record->payload_length);
      tl_report_html_end (html);
      add_file_output (rank, entry, g_strdup_printf ("dump_file/%s", safe), html->str, html->len);
    }
  if ((md = metadata (envelope, "compilation_metrics")) != NULL)
    record_metrics (rank, entry, &id, md, record, &payload_filename);

  /* The stacks: the trie of compiled frames, and of every record's stack. */
  node = json_object_get_member (envelope, "stack");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    trie_insert (rank, rank->unknown_trie, json_node_get_array (node), 0, NULL);
  is_chromium = metadata (envelope, "chromium_event") != NULL;
  if (is_chromium)
    tl_report_chromium_add (&rank->chromium, record->payload ? record->payload : "", record->payload_length);
  if ((md = metadata (envelope, "dynamo_start")) != NULL)
    {
      JsonNode *stack = json_object_get_member (md, "stack");
      if (stack != NULL && JSON_NODE_HOLDS_ARRAY (stack))
        {
          JsonArray *frames = json_node_get_array (stack);
          guint drop = convert_frame_suffix (rank, frames);
          JsonArray *kept = json_array_sized_new (json_array_get_length (frames) - drop);
          JsonNode *kept_node = json_node_new (JSON_NODE_ARRAY);

          for (guint i = 0; i + drop < json_array_get_length (frames); i++)
            json_array_add_element (kept, json_node_copy (json_array_get_element (frames, i)));
          json_node_take_array (kept_node, kept);
          g_hash_table_replace (rank->stack_by_dir, g_strdup (entry->dir), kept_node);
          trie_insert (rank, rank->trie, kept, 0, entry);
        }
    }

  if (payload_filename == NULL && record->payload_hash != NULL && record->payload_length > 0 &&
      !is_chromium)
    {
      g_autofree char *safe = safe_component (record->payload_hash);
      payload_url = g_strdup_printf ("payloads/%s.txt", safe);
      write_output (rank, payload_url, record->payload, record->payload_length);
      payload_filename = payload_url;
    }
  if (!is_chromium)
    write_raw (rank, record, payload_filename);
}

/* ---- the pages written at the end ---- */

static void
write_failures (Rank *rank)
{
  g_autoptr(GString) html = g_string_new (NULL);

  tl_report_html_begin (html, "Failures and restarts", "");
  if (rank->failures->len == 0)
    g_string_append (html, "<p>No failures or restarts.</p>\n");
  else
    {
      g_string_append (html, "<table>\n<tr><th>Compile id</th><th>Failure type</th>"
                             "<th>Failure reason</th><th>User frame</th></tr>\n");
      for (guint i = 0; i + 1 < rank->failures->len; i += 2)
        g_string_append_printf (html, "<tr><td>%s</td>%s</tr>\n",
                                (char *) g_ptr_array_index (rank->failures, i),
                                (char *) g_ptr_array_index (rank->failures, i + 1));
      g_string_append (html, "</table>\n");
    }
  tl_report_html_end (html);
  write_string (rank, "failures_and_restarts.html", html);
}

static void
write_compile_directory (Rank *rank)
{
  g_autoptr(JsonObject) map = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GString) json = g_string_new (NULL);

  for (guint i = 0; i < rank->entries->len; i++)
    {
      CompileEntry *entry = g_ptr_array_index (rank->entries, i);
      JsonArray *artifacts = json_array_new ();
      JsonObject *value = json_object_new ();

      for (guint f = 0; f < entry->files->len; f++)
        {
          OutputFile *file = g_ptr_array_index (entry->files, f);
          JsonObject *artifact = json_object_new ();
          const char *slash = strrchr (file->name, '/');

          json_object_set_string_member (artifact, "url", file->url);
          json_object_set_string_member (artifact, "name", slash != NULL ? slash + 1 : file->name);
          json_object_set_int_member (artifact, "number", file->number);
          json_object_set_string_member (artifact, "suffix", file->suffix);
          if (file->readable_url != NULL)
            json_object_set_string_member (artifact, "readable_url", file->readable_url);
          else
            json_object_set_null_member (artifact, "readable_url");
          json_array_add_object_element (artifacts, artifact);
        }
      json_object_set_array_member (value, "artifacts", artifacts);
      json_object_set_object_member (map, entry->key, value);
    }
  json_node_set_object (node, map);
  tl_report_json_append (json, node, TRUE, 0);
  write_string (rank, "compile_directory.json", json);
}

static void
write_raw_jsonl (Rank *rank)
{
  g_autoptr(GString) out = g_string_new ("{\"string_table\":[");
  g_autofree char *path = g_build_filename (rank->out_dir, "raw.jsonl", NULL);
  gboolean failed;
  FILE *file;

  for (guint i = 0; i <= rank->max_intern; i++)
    {
      const char *s = g_hash_table_lookup (rank->intern, GUINT_TO_POINTER (i));
      if (i > 0)
        g_string_append_c (out, ',');
      if (s != NULL)
        tl_report_json_append_string (out, s);
      else
        g_string_append (out, "null");
    }
  g_string_append (out, "]}\n");
  if (rank->write_error != NULL)
    return;
  file = g_fopen (path, "we");
  failed = file == NULL || fwrite (out->str, 1, out->len, file) != out->len ||
           fflush (rank->raw) != 0 || fseek (rank->raw, 0, SEEK_SET) != 0 ||
           !tl_report_spill_copy (rank->raw, file);
  if (file != NULL)
    failed |= fclose (file) != 0;
  if (failed)
    g_set_error (&rank->write_error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write “%s”"), path);
}

/* tlparse's check_collectives_parity(), for every rank. */
static void
write_collectives_parity (Rank *rank)
{
  g_autoptr(GString) json = g_string_new (
    "{\n  \"description\": \"Difference of # of collectives in scheduler and inductor output code "
    "and missing wait collectives\",\n  \"graphs\": [");
  guint n = 0;

  for (guint i = 0; i < rank->entries->len; i++)
    {
      CompileEntry *entry = g_ptr_array_index (rank->entries, i);
      guint schedule[N_OPS] = { 0 };
      guint offset = 0, total = 0, missing;

      if (entry->schedule == NULL || !entry->has_code)
        continue;
      for (guint s = 0; s < entry->schedule->len; s++)
        {
          int kind = normalize_op (g_ptr_array_index (entry->schedule, s));
          if (kind >= 0)
            schedule[kind]++;
        }
      for (int k = 0; k < N_OPS; k++)
        {
          offset += schedule[k] > entry->code_ops[k] ? schedule[k] - entry->code_ops[k]
                                                     : entry->code_ops[k] - schedule[k];
          total += entry->code_ops[k];
        }
      missing = total > entry->code_waits ? total - entry->code_waits : 0;
      if (offset == 0 && missing == 0)
        continue;
      g_string_append_printf (json, "%s\n    {\n      \"graph\": ", n++ > 0 ? "," : "");
      tl_report_json_append_string (json, entry->dir);
      g_string_append (json, ",\n      \"compile_id\": ");
      tl_report_json_append_string (json, entry->key);
      g_string_append_printf (json, ",\n      \"offset\": %u,\n      \"missing_waits\": %u\n    }", offset, missing);
    }
  g_string_append (json, n > 0 ? "\n  ]\n}" : "]\n}");
  write_string (rank, "collectives_parity.json", json);
}

static void
append_timeline (GString   *html,
                 GPtrArray *entries,
                 const char *root)
{
  double t0 = G_MAXDOUBLE, t1 = -G_MAXDOUBLE, cursor = 0;
  gboolean all_started = TRUE;
  guint n = 0;

  for (guint i = 0; i < entries->len; i++)
    {
      CompileEntry *entry = g_ptr_array_index (entries, i);
      if (!entry->has_metrics)
        continue;
      n++;
      all_started = all_started && entry->has_start;
    }
  if (n == 0)
    {
      g_string_append (html, "<p class=\"muted\">No compilation metrics in this trace.</p>\n");
      return;
    }
  /* Without start times, the compiles are laid end to end. */
  for (guint i = 0; i < entries->len; i++)
    {
      CompileEntry *entry = g_ptr_array_index (entries, i);
      double start;
      if (!entry->has_metrics)
        continue;
      start = all_started ? entry->start_time : cursor;
      cursor += entry->duration;
      t0 = MIN (t0, start);
      t1 = MAX (t1, start + entry->duration);
    }
  if (t1 <= t0)
    t1 = t0 + 1;
  cursor = 0;
  g_string_append (html, "<div class=\"timeline\">\n");
  for (guint i = 0; i < entries->len; i++)
    {
      CompileEntry *entry = g_ptr_array_index (entries, i);
      double start;
      if (!entry->has_metrics)
        continue;
      start = all_started ? entry->start_time : cursor;
      cursor += entry->duration;
      g_string_append_printf (html, "<a href=\"%s", root);
      tl_report_html_escape (html, entry->dir, -1);
      g_string_append (html, "/index.html\">");
      tl_report_html_escape (html, entry->key, -1);
      g_string_append_printf (html, "</a><div class=\"track\"><div class=\"bar%s\" "
                                    "style=\"left:%.3f%%;width:%.3f%%\" title=\"%.3f s\"></div></div>"
                                    "<span class=\"time\">%.3f s</span>\n",
                              entry->failed ? " failed" : "",
                              100.0 * (start - t0) / (t1 - t0), 100.0 * entry->duration / (t1 - t0),
                              entry->duration, entry->duration);
    }
  g_string_append (html, "</div>\n");
}

static void
append_link (GString    *html,
             const char *prefix,
             OutputFile *file)
{
  gboolean absolute = strstr (file->url, "://") != NULL;

  g_string_append (html, "<a href=\"");
  if (!absolute)
    g_string_append (html, prefix);
  tl_report_html_escape (html, file->url, -1);
  g_string_append (html, "\">");
  tl_report_html_escape (html, file->name, -1);
  g_string_append (html, "</a>");
  if (file->suffix[0] != '\0')
    g_string_append_printf (html, " %s", file->suffix);
  if (file->readable_url != NULL && file->readable_url[0] != '\0')
    {
      g_string_append (html, " <a href=\"");
      g_string_append (html, prefix);
      tl_report_html_escape (html, file->readable_url, -1);
      g_string_append (html, "\">readable_html</a>");
    }
}

/* torchlog's page per compile id: its artifacts inline, with line numbers.
 * Written artifact by artifact, so that memory holds one artifact, not
 * the whole page. */
static void
write_compile_page (Rank         *rank,
                    CompileEntry *entry)
{
  g_autoptr(GString) html = g_string_new (NULL);
  g_autofree char *title = g_strdup_printf ("Compile %s", entry->key);
  g_autofree char *path = g_build_filename (rank->out_dir, entry->dir, "index.html", NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  FILE *page;

  if (rank->write_error != NULL)
    return;
  if (g_mkdir_with_parents (dir, 0777) != 0 || (page = g_fopen (path, "we")) == NULL)
    {
      int saved_errno = errno;
      g_set_error (&rank->write_error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write “%s”: %s"), path, g_strerror (saved_errno));
      return;
    }
  tl_report_html_begin (html, title, "../");
  g_ptr_array_add (one, entry);
  if (entry->has_metrics)
    {
      g_string_append (html, "<h2>Compile time</h2>\n");
      append_timeline (html, one, "../");
      if (entry->failed)
        g_string_append (html, "<p class=\"bad\">This compile failed: see "
                               "<a href=\"../failures_and_restarts.html\">failures and restarts</a>.</p>\n");
    }
  g_string_append (html, "<h2>Artifacts</h2>\n<ul>\n");
  for (guint i = 0; i < entry->files->len; i++)
    {
      g_string_append (html, "<li>");
      append_link (html, "../", g_ptr_array_index (entry->files, i));
      g_string_append (html, "</li>\n");
    }
  g_string_append (html, "</ul>\n");
  for (guint i = 0; i < entry->files->len; i++)
    {
      OutputFile *file = g_ptr_array_index (entry->files, i);
      g_autofree char *artifact = NULL;
      g_autofree char *contents = NULL;
      gsize length;

      if (strstr (file->url, "://") != NULL || g_str_has_suffix (file->url, ".html"))
        continue;
      artifact = g_build_filename (rank->out_dir, file->url, NULL);
      if (!g_file_get_contents (artifact, &contents, &length, NULL))
        continue;
      g_string_append_printf (html, "<details%s><summary>", length < 200000 ? " open" : "");
      tl_report_html_escape (html, file->name, -1);
      g_string_append_printf (html, " <span class=\"muted\">(%" G_GSIZE_FORMAT " bytes)</span></summary>\n", length);
      tl_report_html_code (html, contents, length);
      g_string_append (html, "</details>\n");
      fwrite (html->str, 1, html->len, page);
      g_string_truncate (html, 0);
    }
  tl_report_html_end (html);
  fwrite (html->str, 1, html->len, page);
  if (ferror (page) | (fclose (page) != 0))
    g_set_error (&rank->write_error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write “%s”"), path);
}

static void
write_index (Rank *rank)
{
  g_autoptr(GString) html = g_string_new (NULL);
  g_autofree char *title = g_strdup_printf ("Compilation report: %s", rank->input_name);
  g_autofree char *counts = tl_report_stats_to_string (&rank->stats);

  tl_report_html_begin (html, title, "");
  g_string_append (html, "<p class=\"counts\">");
  tl_report_html_escape (html, counts[0] != '\0' ? counts : "no records", -1);
  g_string_append (html, "</p>\n");
  if (tl_report_stats_failed (&rank->stats))
    g_string_append (html, "<div class=\"warning-box\"><p><strong>Warning:</strong> some records of this "
                           "trace could not be read (see the counts above); everything readable is shown.</p></div>\n");
  if (g_hash_table_size (rank->unknown_fields) > 0)
    {
      g_autofree const char **names = (const char **) g_hash_table_get_keys_as_array (rank->unknown_fields, NULL);
      g_autofree char *joined = NULL;
      qsort (names, g_hash_table_size (rank->unknown_fields), sizeof (char *), compare_strings);
      joined = g_strjoinv (", ", (char **) names);
      g_string_append (html, "<p class=\"muted\">Unknown fields: ");
      tl_report_html_escape (html, joined, -1);
      g_string_append (html, "</p>\n");
    }

  g_string_append (html, "<h2>Compile times</h2>\n");
  append_timeline (html, rank->entries, "");

  g_string_append (html, "<h2>Stack trie</h2>\n<p class=\"muted\">The stacks of the compiled frames; "
                         "each compile id links to its page.</p>\n");
  trie_render (html, rank->trie);
  if (rank->unknown_trie->children->len > 0)
    {
      g_string_append (html, "<details><summary>Stacks of other records</summary>\n");
      trie_render (html, rank->unknown_trie);
      g_string_append (html, "</details>\n");
    }

  g_string_append_printf (html, "<h2>Failures and restarts</h2>\n<p><a href=\"failures_and_restarts.html\">"
                                "%u failures and restarts</a></p>\n", rank->failures->len / 2);

  g_string_append (html, "<h2>IR dumps</h2>\n");
  for (guint i = 0; i < rank->entries->len; i++)
    {
      CompileEntry *entry = g_ptr_array_index (rank->entries, i);

      g_string_append (html, "<h3 id=\"");
      tl_report_html_escape (html, entry->dir, -1);
      g_string_append (html, "\"><a href=\"");
      tl_report_html_escape (html, entry->dir, -1);
      g_string_append (html, "/index.html\">");
      tl_report_html_escape (html, entry->key, -1);
      g_string_append (html, "</a></h3>\n<ul>\n");
      for (guint f = 0; f < entry->files->len; f++)
        {
          g_string_append (html, "<li>");
          append_link (html, "", g_ptr_array_index (entry->files, f));
          g_string_append (html, "</li>\n");
        }
      g_string_append (html, "</ul>\n");
    }

  g_string_append (html, "<h2>Other files</h2>\n<ul>\n");
  if (rank->chromium.count > 0)
    g_string_append (html, "<li><a href=\"chromium_events.json\">chromium_events.json</a>: "
                           "open it in Perfetto or chrome://tracing</li>\n");
  g_string_append (html, "<li><a href=\"compile_directory.json\">compile_directory.json</a></li>\n"
                         "<li><a href=\"raw.jsonl\">raw.jsonl</a>: the string table, then one line per record</li>\n"
                         "<li><a href=\"raw.log\">raw.log</a>: the trace as read</li>\n"
                         "<li><a href=\"collectives_parity.json\">Collectives Parity report</a> "
                         "(collectives_parity.json) comparing scheduler and Inductor output code collective operations</li>\n"
                         "</ul>\n");
  tl_report_html_end (html);
  write_string (rank, "index.html", html);
}

/* ---- entry point ---- */

/* raw.log: the trace as read. Plain stdio, not GFile: GIO's VFS would
 * load its modules (and megabytes of them) for one copy. */
static void
copy_file (const char  *from,
           const char  *to,
           GError     **error)
{
  FILE *in = g_fopen (from, "re");
  FILE *out = in != NULL ? g_fopen (to, "we") : NULL;
  gboolean failed;

  if (in == NULL || out == NULL)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write “%s”: %s"), to, g_strerror (saved_errno));
      if (in != NULL)
        fclose (in);
      return;
    }
  failed = !tl_report_spill_copy (in, out);
  fclose (in);
  if ((fclose (out) != 0) | failed)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write “%s”"), to);
}

static void
on_progress (guint64  done,
             gpointer user_data)
{
  Rank *rank = user_data;
  if (rank->progress != NULL)
    rank->progress (done, rank->progress_data);
}

void
tl_report_rank_summary_free (TlReportRankSummary *summary)
{
  g_clear_pointer (&summary->unknown_fields, g_hash_table_unref);
  g_clear_pointer (&summary->compile_ids, g_ptr_array_unref);
  if (summary->chromium_kept != NULL)
    fclose (summary->chromium_kept);
  g_free (summary->cache_sequence);
  g_free (summary->collective_ops);
  g_free (summary);
}


static int
compare_numbers (gconstpointer a,
                 gconstpointer b)
{
  const OutputFile *fa = *(const OutputFile * const *) a;
  const OutputFile *fb = *(const OutputFile * const *) b;
  return (fa->number > fb->number) - (fa->number < fb->number);
}

TlReportRankSummary *
tl_report_rank_generate (const char            *input,
                         const char            *output_dir,
                         gboolean               keep_events,
                         TlReportProgressStep   progress,
                         gpointer               user_data,
                         GError               **error)
{
  Rank rank = { 0 };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *raw_log = g_build_filename (output_dir, "raw.log", NULL);
  g_autofree char *chromium_path = g_build_filename (output_dir, "chromium_events.json", NULL);
  g_autoptr(GPtrArray) cached = g_ptr_array_new ();
  TlReportRankSummary *summary = NULL;
  GString *sequence, *ops;
  struct stat st;

  rank.out_dir = g_strdup (output_dir);
  rank.intern = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  rank.entries = g_ptr_array_new_with_free_func ((GDestroyNotify) compile_entry_free);
  rank.entry_by_dir = g_hash_table_new (g_str_hash, g_str_equal);
  rank.trie = trie_node_new (NULL);
  rank.unknown_trie = trie_node_new (NULL);
  rank.stack_by_dir = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_node_unref);
  rank.failures = g_ptr_array_new_with_free_func (g_free);
  rank.raw_line = g_string_new (NULL);
  rank.unknown_fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  rank.year = g_date_time_get_year (now);
  rank.input_name = g_path_get_basename (input);

  rank.progress = progress;
  rank.progress_data = user_data;
  rank.raw = tl_report_spill_new (error);
  if (rank.raw == NULL || !tl_report_chromium_open (&rank.chromium, chromium_path, keep_events, error))
    goto out;
  if (!tl_report_read (input, &rank.stats, rank.unknown_fields, on_intern, on_record,
                       on_progress, &rank, error))
    {
      g_unlink (chromium_path);   /* begun before the trace could not be read */
      goto out;
    }

  write_failures (&rank);
  tl_report_chromium_close (&rank.chromium, rank.write_error == NULL ? &rank.write_error : NULL);
  write_compile_directory (&rank);
  write_raw_jsonl (&rank);
  write_collectives_parity (&rank);
  for (guint i = 0; i < rank.entries->len; i++)
    write_compile_page (&rank, g_ptr_array_index (rank.entries, i));
  write_index (&rank);
  if (rank.write_error == NULL)
    copy_file (input, raw_log, &rank.write_error);
  if (rank.write_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&rank.write_error));
      goto out;
    }

  summary = g_new0 (TlReportRankSummary, 1);
  summary->stats = rank.stats;
  summary->unknown_fields = g_hash_table_ref (rank.unknown_fields);
  summary->compile_ids = g_ptr_array_new_with_free_func (g_free);
  sequence = g_string_new (NULL);
  ops = g_string_new (NULL);
  for (guint i = 0; i < rank.entries->len; i++)
    {
      CompileEntry *entry = g_ptr_array_index (rank.entries, i);
      g_ptr_array_add (summary->compile_ids, g_strdup (entry->key));
      for (guint f = 0; f < entry->files->len; f++)
        {
          OutputFile *file = g_ptr_array_index (entry->files, f);
          if (file->suffix[0] != '\0')
            g_ptr_array_add (cached, file);
        }
      if (entry->schedule != NULL)
        for (guint s = 0; s < entry->schedule->len; s++)
          {
            if (ops->len > 0)
              g_string_append_c (ops, ',');
            g_string_append (ops, g_ptr_array_index (entry->schedule, s));
          }
    }
  g_ptr_array_sort (summary->compile_ids, compare_strings);
  g_ptr_array_sort (cached, compare_numbers);
  for (guint i = 0; i < cached->len; i++)
    g_string_append (sequence, ((OutputFile *) g_ptr_array_index (cached, i))->suffix);
  summary->cache_sequence = g_string_free (sequence, FALSE);
  summary->collective_ops = g_string_free (ops, FALSE);
  summary->n_chromium_events = rank.chromium.count;
  summary->chromium_kept = g_steal_pointer (&rank.chromium.kept);
  summary->input_bytes = g_stat (input, &st) == 0 ? (guint64) st.st_size : 0;

out:
  g_clear_error (&rank.write_error);
  g_free (rank.out_dir);
  g_free (rank.input_name);
  g_hash_table_unref (rank.intern);
  g_hash_table_unref (rank.entry_by_dir);
  g_ptr_array_unref (rank.entries);
  trie_node_free (rank.trie);
  trie_node_free (rank.unknown_trie);
  g_hash_table_unref (rank.stack_by_dir);
  g_ptr_array_unref (rank.failures);
  tl_report_chromium_clear (&rank.chromium);
  if (rank.raw != NULL)
    fclose (rank.raw);
  g_string_free (rank.raw_line, TRUE);
  g_hash_table_unref (rank.unknown_fields);
  return summary;
}
