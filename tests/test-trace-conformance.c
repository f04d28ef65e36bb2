/* test-trace-conformance.c: traces tlparse reads without a rejected record
 *
 * Issue 14: every file written by a multi-rank job (RANK=0..7), with
 * hostile inputs (CR before line ends, NUL, invalid UTF-8 in payloads and
 * caller paths, NaN and infinities, reserved names, a 10 MB payload) and
 * by a forked child, is read by tlparse-check.py, which applies tlparse's
 * exact rules: any record tlparse would reject, misread or drop fails.
 * The checker's own ability to fail is tested on files with each defect.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <torchlog/torchlog.h>

#include "tl-test-child.h"

static char *
make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("tl-conformance-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (dir);
}

static GPtrArray *
list_traces (const char *dir)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, "dedicated_log_torch_trace_"))
      g_ptr_array_add (files, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (files, (GCompareFunc) g_strcmp0);
  return files;
}

/* Runs the checker; returns its exit status, its stderr in *@errors and
 * its summary line in *@summary. */
static int
run_checker (const char *path, char **errors, char **summary)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "tlparse-check.py", NULL);
  const char *argv[] = { "/usr/bin/python3", script, "--summary", path, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, &err, &status, &error))
    g_error ("cannot run %s: %s", script, error->message);
  g_assert_true (WIFEXITED (status));
  if (errors != NULL)
    *errors = g_steal_pointer (&err);
  if (summary != NULL)
    *summary = g_steal_pointer (&out);
  return WEXITSTATUS (status);
}

/* ---- the child: one rank of the job --------------------------------------- */

static char *
payload_cr (gpointer unused)
{
  return g_strdup ("line one\r\r\nline two\r\nthree\r\n\r\nlast\r");
}

static char *
payload_bad_utf8 (gpointer unused)
{
  return g_strdup ("caf\xc3\n\xff\xfe tail\nok");
}

static char *
payload_chrome (gpointer unused)
{
  return g_strdup ("{\"name\": \"step\", \"ph\": \"B\", \"ts\": 1.5}");
}

static char *
generated_code (gsize bytes)
{
  GString *code = g_string_sized_new (bytes + 64);

  for (int i = 0; code->len < bytes; i++)
    g_string_append_printf (code, "    buf%d = torch.ops.aten.mm.default(arg%d_1, arg%d_2)\n",
                            i, i, i + 1);
  return g_string_free (code, FALSE);
}

static int refusals;

static void
expect_refused (const char *name, JsonNode *metadata, const char *payload)
{
  g_autoptr(GError) error = NULL;

  if (tl_trace_structured_checked (__FILE__, __LINE__, G_STRFUNC, name, metadata,
                                   TL_TRACE_FLAGS_NONE, NULL, payload, -1, &error))
    g_error ("record %s was not refused", name);
  g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_TRACE_RECORD);
  refusals++;
}

static JsonNode *
object_node (const char *k1, const char *v1, const char *k2, const char *v2)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  if (k1 != NULL)
    json_object_set_string_member (object, k1, v1);
  if (k2 != NULL)
    json_object_set_string_member (object, k2, v2);
  json_node_take_object (node, object);
  return node;
}

static void
child_rank (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) nan_metadata = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) empty = object_node (NULL, NULL, NULL, NULL);
  g_autoptr(JsonNode) artifact_bad = object_node ("name", "x", "encoding", "base64");
  g_autoptr(JsonNode) artifact_ok = object_node ("name", "x", "encoding", "string");
  g_autoptr(JsonNode) stack = NULL;
  g_autofree char *big = generated_code (10 * 1024 * 1024);
  TlTraceFrame frames[] = { { "/src/model.py", 12, "forward", "x = y" },
                            { "/src/\xff\xfemodel.py", 3, "f\xfe", NULL } };
  JsonObject *object = json_object_new ();
  TlCompileContext *context;
  const char nul_payload[] = "before\0after\nsecond";
  pid_t pid;
  int status;

  tl_trace_structured ("before_context", NULL, NULL, NULL);

  json_object_set_double_member (object, "backend_compile_time_s", NAN);
  json_object_set_double_member (object, "start_time", INFINITY);
  json_object_set_double_member (object, "code_gen_time_s", -INFINITY);
  json_node_take_object (nan_metadata, object);

  context = tl_compile_context_push (&(TlCompileId) { .frame_id = 0, .frame_compile_id = 0,
                                                      .compiled_autograd_id = -1 });
  tl_trace_structured ("compilation_metrics", nan_metadata, NULL, NULL);
  tl_trace_structured ("cr_payload", NULL, payload_cr, NULL);
  tl_trace_structured ("utf8_payload", NULL, payload_bad_utf8, NULL);
  tl_trace_structured_full ("../src/\xff\xfe/odd:name.c", 7, "f", "bad_path", NULL,
                            TL_TRACE_FLAGS_NONE, NULL, payload_cr, NULL);
  g_assert_true (tl_trace_structured_checked (__FILE__, __LINE__, G_STRFUNC, "nul_payload",
                                              empty, TL_TRACE_FLAGS_NONE, NULL, nul_payload,
                                              sizeof nul_payload - 1, &error));
  g_assert_no_error (error);
  g_assert_true (tl_trace_structured_checked (__FILE__, __LINE__, G_STRFUNC, "big_payload",
                                              NULL, TL_TRACE_FLAGS_NONE, NULL, big, -1, &error));
  g_assert_no_error (error);
  stack = tl_trace_stack_from_frames (frames, G_N_ELEMENTS (frames));
  {
    g_autoptr(JsonNode) start = json_node_new (JSON_NODE_OBJECT);
    JsonObject *o = json_object_new ();

    json_object_set_member (o, "stack", json_node_ref (stack));
    json_node_take_object (start, o);
    tl_trace_structured ("dynamo_start", start, NULL, NULL);
  }
  tl_trace_structured ("chromium_event", empty, payload_chrome, NULL);
  tl_trace_structured_artifact ("fx_graph_cache_miss", "string", payload_cr, NULL);
  g_assert_true (tl_trace_structured_checked (__FILE__, __LINE__, G_STRFUNC, "artifact",
                                              artifact_ok, TL_TRACE_FLAGS_NONE, NULL,
                                              "text", -1, &error));
  tl_compile_context_pop (context);

  /* Refused: reserved names, keys tlparse adds, bad encodings, payloads
   * that must be JSON and are not. */
  for (const char *const *name = (const char *const[]) { "has_payload", "str", "stack", "rank",
                                                         "frame_id", "timestamp", "thread",
                                                         "pathname", "lineno",
                                                         "payload_filename", "", NULL };
       *name != NULL; name++)
    expect_refused (*name, empty, NULL);
  expect_refused ("artifact", artifact_bad, "x");
  expect_refused ("artifact", empty, "x");
  expect_refused ("chromium_event", empty, NULL);
  expect_refused ("chromium_event", empty, "not json");
  /* Two values: serde_json refuses the trailing one (json-glib took it). */
  expect_refused ("chromium_event", empty, "{\"ph\": \"B\"} {\"ph\": \"E\"}");

  /* A forked child writes a file of its own. */
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      tl_trace_structured ("in_child", NULL, payload_cr, NULL);
      _exit (0);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  tl_trace_structured ("after_fork", NULL, NULL, NULL);
  printf ("refusals=%d\n", refusals);
}

static const TlTestChildFunc children[] = {
  { "rank", child_rank },
  { NULL, NULL },
};

/* ---- the job ------------------------------------------------------------- */

static void
run_job (const char *rank_text, int expect_rank)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr(GPtrArray) files = NULL;
  TlTestChild child = { 0 };

  tl_test_child_run (&child, "rank", "TORCH_TRACE", dir, "RANK", rank_text,
                     "G_DEBUG", "", NULL);
  g_assert_true (child.exited);
  g_assert_cmpint (child.exit_code, ==, 0);
  g_assert_nonnull (strstr (child.out, "refusals=16"));
  tl_test_child_clear (&child);

  files = list_traces (dir);
  g_assert_cmpuint (files->len, ==, 2);   /* the process and its forked child */
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *errors = NULL;
      g_autofree char *summary = NULL;
      g_autofree char *want_rank = NULL;

      if (run_checker (path, &errors, &summary) != 0)
        g_error ("%s: tlparse would reject, misread or drop records:\n%s", path, errors);
      want_rank = expect_rank >= 0 ? g_strdup_printf ("\"ranks\": [%d]", expect_rank)
                                   : g_strdup ("\"ranks\": []");
      if (strstr (summary, want_rank) == NULL)
        g_error ("%s: want %s in %s", path, want_rank, summary);
      if (expect_rank >= 0)
        {
          g_autofree char *name = g_strdup_printf ("dedicated_log_torch_trace_rank_%d_", expect_rank);
          g_assert_nonnull (strstr (path, name));
        }
    }
  remove_tree (dir);
}

static void
test_multi_rank_job (void)
{
  /* Eight ranks, as eight processes would be in one job. */
  for (int rank = 0; rank < 8; rank++)
    {
      g_autofree char *text = g_strdup_printf ("%d", rank);
      run_job (text, rank);
    }
}

static void
test_no_rank (void)
{
  run_job (NULL, -1);
}

/* ---- the checker fails on what tlparse refuses ----------------------------- */

#define PREFIX "V1205 04:00:00.000000 123 a/b.c:1] "

static void
assert_checker_refuses (gconstpointer data)
{
  const char *content = data;
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "dedicated_log_torch_trace_x.log", NULL);
  g_autofree char *errors = NULL;

  g_assert_true (g_file_set_contents (path, content, -1, NULL));
  if (run_checker (path, &errors, NULL) == 0)
    g_error ("the checker passed a file tlparse refuses:\n%s", content);
  g_test_message ("%s", errors);
  remove_tree (dir);
}

static const struct {
  const char *name;
  const char *content;
} bad_files[] = {
  { "version-without-rank", PREFIX "{\"a\": {}, \"rank\": 1}\n" PREFIX "{\"artifact\": {\"name\": \"v\", \"encoding\": \"string\"}}\n" },
  { "other-rank", PREFIX "{\"a\": {}, \"rank\": 1}\n" PREFIX "{\"b\": {}, \"rank\": 2}\n" },
  { "cr-cr-md5", PREFIX "{\"a\": {}, \"has_payload\": \"bf70209f8fe4eb7a49459ada33b64c65\"}\n\tx\r\n" },
  { "nan", PREFIX "{\"a\": {\"t\": NaN}}\n" },
  { "infinity", PREFIX "{\"a\": {\"t\": Infinity}}\n" },
  { "lone-surrogate", PREFIX "{\"a\": {\"t\": \"\\ud800\"}}\n" },
  { "duplicate-key", PREFIX "{\"a\": {}, \"a\": {}}\n" },
  { "bad-utf8-path", "V1205 04:00:00.000000 123 a/\xff.c:1] {\"a\": {}}\n" },
  { "path-with-colon", "V1205 04:00:00.000000 123 C:/a.c:1] {\"a\": {}}\n" },
  { "has-payload-event", PREFIX "{\"has_payload\": {}}\n" },
  { "str-event-object", PREFIX "{\"str\": {}}\n" },
  { "key-conflict", PREFIX "{\"lineno\": {}}\n" },
  { "negative-frame-id", PREFIX "{\"a\": {}, \"frame_id\": -1}\n" },
  { "str-id-before-use", PREFIX "{\"a\": {}, \"stack\": [{\"line\": 1, \"name\": \"f\", \"filename\": 0}]}\n" PREFIX "{\"str\": [\"f.py\", 0]}\n" },
  { "artifact-base64", PREFIX "{\"artifact\": {\"name\": \"x\", \"encoding\": \"base64\"}, \"has_payload\": \"9dd4e461268c8034f5c8564e155c67a6\"}\n\tx\n" },
  { "artifact-no-encoding", PREFIX "{\"artifact\": {\"name\": \"x\"}}\n" },
  { "chromium-no-json", PREFIX "{\"chromium_event\": {}}\n" },
  { "payload-without-record", "\tstray\n" },
  { "deep-nesting", NULL },
};

int
main (int argc, char **argv)
{
  int child = tl_test_child_main (argc, argv, children);
  GString *deep;
  int status;

  if (child >= 0)
    return child;
  g_test_init (&argc, &argv, NULL);

  deep = g_string_new (PREFIX "{\"a\": ");
  for (int i = 0; i < 130; i++)
    g_string_append_c (deep, '[');
  for (int i = 0; i < 130; i++)
    g_string_append_c (deep, ']');
  g_string_append (deep, "}\n");

  g_test_add_func ("/trace-conformance/job/eight-ranks", test_multi_rank_job);
  g_test_add_func ("/trace-conformance/job/no-rank", test_no_rank);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autofree char *path = g_strdup_printf ("/trace-conformance/checker-refuses/%s", bad_files[i].name);
      g_test_add_data_func (path, bad_files[i].content ? bad_files[i].content : deep->str,
                            assert_checker_refuses);
    }
  status = g_test_run ();
  /* The deep-nesting case's text lives until every test has run; freed
   * here, or LeakSanitizer and valgrind count it as a definite leak. */
  g_string_free (deep, TRUE);
  return status;
}
