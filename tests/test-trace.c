/* test-trace.c: structured trace files (TORCH_TRACE) and their format
 *
 * Spec §6: the file name, the line format (§6.3), the metadata's keys and
 * their order (§6.4), payload rules and MD5 (§6.5), string interning
 * (§6.6), fork safety, and that every file passes tlparse's rules (§6.7),
 * checked by tlparse-check.py, whose own ability to fail is tested too.
 *
 * Tracing is process-wide and reads TORCH_TRACE once, so most cases run
 * in child processes (tl-test-child.h) with their own environment.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define TL_LOG_DOMAIN "myapp.trace"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <torchlog/torchlog.h>

#include "tl-test-child.h"

/* ---- helpers --------------------------------------------------------------- */

/* The trace files in @dir, sorted by name. */
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

/* Runs tlparse-check.py on @path; returns its exit status and, with
 * @summary, the parsed --summary object. */
static int
run_checker (const char *path, JsonObject **summary, char **errors)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "tlparse-check.py", NULL);
  const char *argv[] = { "/usr/bin/python3", script, "--summary", path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, &err, &status, &error))
    g_error ("cannot run %s: %s", script, error->message);
  g_assert_true (WIFEXITED (status));
  if (err[0] != '\0')
    g_test_message ("tlparse-check %s:\n%s", path, err);
  if (summary != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      *summary = NULL;
      if (out[0] != '\0' && json_parser_load_from_data (parser, out, -1, NULL))
        *summary = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
    }
  if (errors != NULL)
    *errors = g_steal_pointer (&err);
  return WEXITSTATUS (status);
}

static void
assert_passes_checker (const char *path, JsonObject **summary)
{
  g_autofree char *errors = NULL;
  int status = run_checker (path, summary, &errors);

  if (status != 0)
    g_error ("%s fails tlparse's rules:\n%s", path, errors);
  if (summary != NULL)
    g_assert_nonnull (*summary);
}

static gint64
summary_events (JsonObject *summary, const char *event)
{
  JsonObject *events = json_object_get_object_member (summary, "events");

  return json_object_has_member (events, event) ? json_object_get_int_member (events, event) : 0;
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* The JSON part of the record lines whose metadata starts with `{"event"`,
 * in order. */
static GPtrArray *
record_json (const char *contents, const char *event)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  g_autofree char *start = g_strdup_printf ("] {\"%s\": ", event);

  for (gsize i = 0; lines[i] != NULL; i++)
    {
      const char *at = strstr (lines[i], start);

      if (lines[i][0] != '\t' && at != NULL)
        g_ptr_array_add (found, g_strdup (at + 2));
    }
  return found;
}

/* The prefix of the line holding @json. */
static char *
record_prefix (const char *contents, const char *json)
{
  const char *at = strstr (contents, json);
  const char *start;

  g_assert_nonnull (at);
  for (start = at; start > contents && start[-1] != '\n'; start--)
    ;
  return g_strndup (start, at - start);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GPtrArray) files = list_traces (dir);

  for (guint i = 0; i < files->len; i++)
    g_unlink (g_ptr_array_index (files, i));
  g_rmdir (dir);
}

static char *
make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("tl-trace-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* Runs the child @name with TORCH_TRACE=@dir and RANK unset; it must exit
 * 0 and leave @n_files trace files there, which are returned. */
static GPtrArray *
run_traced (TlTestChild *child,
            const char  *name,
            const char  *dir,
            guint        n_files)
{
  GPtrArray *files;

  tl_test_child_run (child, name, "TORCH_TRACE", dir, "RANK", NULL, NULL);
  g_assert_true (child->exited && child->exit_code == 0);
  files = list_traces (dir);
  g_assert_cmpuint (files->len, ==, n_files);
  return files;
}

static int payload_calls;

static char *
payload_text (gpointer data)
{
  payload_calls++;
  return g_strdup (data);
}

static JsonNode *
object_node (const char *key, gint64 value)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  if (key != NULL)
    {
      json_builder_set_member_name (b, key);
      json_builder_add_int_value (b, value);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static char *
json_payload (gpointer unused)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, "abc");
  json_builder_set_member_name (b, "n");
  json_builder_begin_array (b);
  json_builder_add_int_value (b, 1);
  json_builder_add_int_value (b, 2);
  json_builder_end_array (b);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  return tl_trace_format_payload (node);
}

/* ---- child processes ------------------------------------------------------- */

static int basic_line;

static void
child_basic (void)
{
  g_autoptr(JsonNode) md = object_node ("a", 1);
  g_autoptr(JsonNode) empty = object_node (NULL, 0);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) stack_md = NULL;
  g_autofree char *path = NULL;
  TlCompileId explicit_id = { -1, 1, 2 };

  g_assert_true (tl_trace_is_enabled ());
  g_assert_false (tl_trace_is_verbose ());
  g_assert_null (tl_trace_dup_path ());   /* created at the first record */

  /* No compile context: a one-frame stack, its filename interned. */
  basic_line = __LINE__ + 1;
  tl_trace_structured ("my_event", md, NULL, NULL);
  printf ("basic_line=%d\n", basic_line);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "stack");
  json_builder_add_string_value (b, "STACK");
  json_builder_end_object (b);
  stack_md = json_builder_get_root (b);
  {
    TlCompileId id = { -1, 0, 0 };
    g_autoptr(TlCompileContext) context = tl_compile_context_push (&id);

    /* torch's test stubs the stack as "STACK"; tlparse would reject that
     * in a real dynamo_start, so the event here has another name. */
    tl_trace_structured ("compile_start", stack_md, NULL, NULL);
    tl_trace_structured_artifact ("fx_graph_cache_miss", "json", json_payload, NULL);
    tl_compile_context_set_attempt (context, 1);
    tl_trace_structured ("restarted", NULL, NULL, NULL);
  }
  {
    TlCompileId id = { 2, 0, 1 };
    g_autoptr(TlCompileContext) context = tl_compile_context_push (&id);

    tl_trace_structured ("ca_frame", NULL, NULL, NULL);
  }
  {
    TlCompileId id = { 3, -1, -1 };
    g_autoptr(TlCompileContext) context = tl_compile_context_push (&id);

    tl_trace_structured ("ca_only", NULL, NULL, NULL);
  }
  tl_trace_structured_full (__FILE__, __LINE__, G_STRFUNC, "explicit_id", empty,
                            TL_TRACE_FLAGS_NONE, &explicit_id, NULL, NULL);
  tl_trace_structured_full (__FILE__, __LINE__, G_STRFUNC, "suppressed", empty,
                            TL_TRACE_SUPPRESS_CONTEXT, NULL, NULL, NULL);
  tl_trace_structured_full (__FILE__, __LINE__, G_STRFUNC, "no_trace_id", empty,
                            TL_TRACE_NO_EXPECT_TRACE_ID, NULL, NULL, NULL);
  /* Payloads tlparse could misread: CR before line ends, a trailing CR,
   * empty lines, invalid UTF-8, a trailing newline. */
  tl_trace_structured ("tricky_payload", NULL, payload_text,
                       "line one\r\n\nline \xff three\r\n\tindented\r");
  tl_trace_structured ("trailing_newline", NULL, payload_text, "a\nb\n");
  tl_trace_structured ("empty_payload", NULL, payload_text, "");
  /* Not written: TORCH_DTRACE is not set. */
  tl_trace_structured_full (__FILE__, __LINE__, G_STRFUNC, "verbose_only", NULL,
                            TL_TRACE_DTRACE, NULL, payload_text, "never");
  /* A stack built from frames, its filenames interned. */
  {
    TlTraceFrame frames[] = {
      { "/src/app/main.c", 10, "main", "run ();" },
      { "/src/app/run.c", 20, "run", NULL },
      { "/src/app/main.c", 30, "helper", NULL },
    };
    g_autoptr(JsonBuilder) sb = json_builder_new ();
    g_autoptr(JsonNode) with_stack = NULL;

    json_builder_begin_object (sb);
    json_builder_set_member_name (sb, "user_stack");
    json_builder_add_value (sb, tl_trace_stack_from_frames (frames, G_N_ELEMENTS (frames)));
    json_builder_end_object (sb);
    with_stack = json_builder_get_root (sb);
    tl_trace_structured ("guard_added", with_stack, NULL, NULL);
  }
  printf ("intern_main=%d\n", tl_trace_intern_string ("/src/app/main.c"));
  printf ("intern_null=%d\n", tl_trace_intern_string (NULL));
  printf ("payload_calls=%d\n", payload_calls);

  path = tl_trace_dup_path ();
  printf ("path=%s\n", path);
}

static void
child_rank (void)
{
  g_autoptr(JsonNode) md = object_node (NULL, 0);

  g_assert_cmpint (tl_registry_get_rank (tl_registry_get_default ()), ==, 5);
  tl_trace_structured ("ranked", md, NULL, NULL);
  {
    TlCompileId id = { -1, 0, 0 };
    g_autoptr(TlCompileContext) context = tl_compile_context_push (&id);

    tl_trace_structured ("ranked_in_context", md, NULL, NULL);
  }
  /* The string table has no rank: its records never carry one. */
  tl_trace_intern_string ("interned after the first record");
}

static void
child_fork (void)
{
  g_autofree char *path = NULL;
  pid_t pid;
  int status = 0;

  tl_trace_structured ("before_fork", NULL, NULL, NULL);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autofree char *child_path = NULL;

      tl_trace_structured ("in_child", NULL, payload_text, "from the child");
      child_path = tl_trace_dup_path ();
      printf ("child_path=%s\n", child_path);
      fflush (stdout);
      _exit (0);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  tl_trace_structured ("after_fork", NULL, NULL, NULL);
  path = tl_trace_dup_path ();
  printf ("path=%s\n", path);
  printf ("fork_pid=%d\n", (int) pid);
}

static gpointer
thread_main (gpointer data)
{
  int id = GPOINTER_TO_INT (data);

  for (int i = 0; i < 100; i++)
    {
      g_autofree char *payload = g_strdup_printf ("thread %d\nrecord %d\n", id, i);
      g_autoptr(JsonNode) md = object_node ("i", i);
      TlCompileId cid = { -1, id, i % 3 };
      g_autoptr(TlCompileContext) context = tl_compile_context_push (&cid);

      tl_trace_structured ("threaded", md, payload_text, payload);
    }
  return NULL;
}

static void
child_threads (void)
{
  GThread *threads[4];

  for (int i = 0; i < 4; i++)
    threads[i] = g_thread_new ("tracer", thread_main, GINT_TO_POINTER (i));
  for (int i = 0; i < 4; i++)
    g_thread_join (threads[i]);
}

static void
child_directory (void)
{
  const char *dir3 = g_getenv ("TL_TEST_DIR3");
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  tl_trace_structured ("first", NULL, NULL, NULL);
  first = tl_trace_dup_path ();
  /* Read once: a later change of TORCH_TRACE moves nothing. */
  g_setenv ("TORCH_TRACE", dir3, TRUE);
  tl_trace_structured ("still_first", NULL, NULL, NULL);
  {
    g_autofree char *path = tl_trace_dup_path ();
    g_assert_cmpstr (path, ==, first);
  }
  tl_trace_intern_string ("kept across files");

  /* The API does move it; interned ids stay valid in the new file. */
  tl_trace_set_directory (dir3);
  g_assert_null (tl_trace_dup_path ());
  {
    g_autofree char *dir = tl_trace_dup_directory ();
    g_assert_cmpstr (dir, ==, dir3);
  }
  tl_trace_structured ("second", NULL, NULL, NULL);
  second = tl_trace_dup_path ();
  g_assert_true (g_str_has_prefix (second, dir3));
  g_assert_cmpint (tl_trace_intern_string ("kept across files"), ==, 1);

  tl_trace_set_directory (NULL);
  g_assert_false (tl_trace_is_enabled ());
  payload_calls = 0;
  tl_trace_structured ("off", NULL, payload_text, "x");
  g_assert_cmpint (payload_calls, ==, 0);
  printf ("first=%s\nsecond=%s\n", first, second);
}

static void
child_disabled (void)
{
  g_assert_false (tl_trace_is_enabled ());
  tl_trace_structured ("nothing", NULL, payload_text, "x");
  tl_trace_structured_artifact ("nothing", "string", payload_text, "x");
  g_assert_cmpint (payload_calls, ==, 0);
  g_assert_null (tl_trace_dup_path ());
  g_assert_null (tl_trace_dup_directory ());
  /* Interning still hands out ids, for records written later. */
  g_assert_cmpint (tl_trace_intern_string ("a"), ==, 0);
  g_assert_cmpint (tl_trace_intern_string ("b"), ==, 1);
  g_assert_cmpint (tl_trace_intern_string ("a"), ==, 0);
  printf ("ok=1\n");
}

static void
child_nothing (void)
{
  g_assert_true (tl_trace_is_enabled ());
  g_assert_null (tl_trace_dup_path ());
}

static void
child_dtrace (void)
{
  g_assert_true (tl_trace_is_enabled ());
  g_assert_true (tl_trace_is_verbose ());
  tl_trace_structured_full (__FILE__, __LINE__, G_STRFUNC, "verbose_record", NULL,
                            TL_TRACE_DTRACE | TL_TRACE_NO_EXPECT_TRACE_ID, NULL, NULL, NULL);
}

static void
child_unwritable (void)
{
  tl_trace_structured ("one", NULL, NULL, NULL);
  tl_trace_structured ("two", NULL, NULL, NULL);
  g_assert_false (tl_trace_is_enabled ());
  printf ("ok=1\n");
}

static void
child_announce (void)
{
  TlRegistry *registry = tl_registry_get_default ();
  g_autofree char *path = NULL;

  tl_registry_install_writer (registry);
  g_assert_true (tl_registry_init_logs (registry, NULL));
  tl_trace_structured ("announced", NULL, NULL, NULL);
  path = tl_trace_dup_path ();
  printf ("path=%s\n", path);
}

static const TlTestChildFunc children[] = {
  { "basic", child_basic },
  { "rank", child_rank },
  { "fork", child_fork },
  { "threads", child_threads },
  { "directory", child_directory },
  { "disabled", child_disabled },
  { "nothing", child_nothing },
  { "dtrace", child_dtrace },
  { "unwritable", child_unwritable },
  { "announce", child_announce },
  { NULL, NULL },
};

/* ---- tests ----------------------------------------------------------------- */

static void
test_file_name_and_laziness (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *empty_dir = g_build_filename (dir, "never", NULL);
  g_autofree char *ranked_dir = g_build_filename (dir, "ranked", NULL);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GRegex) plain = g_regex_new ("/dedicated_log_torch_trace_[^_/]{6}\\.log$", 0, 0, NULL);
  g_autoptr(GRegex) ranked = g_regex_new ("/dedicated_log_torch_trace_rank_5_[^_/]{6}\\.log$", 0, 0, NULL);
  TlTestChild child;

  /* Tracing on but nothing traced: no file, not even the directory. */
  tl_test_child_run (&child, "nothing", "TORCH_TRACE", empty_dir, NULL);
  g_assert_true (child.exited && child.exit_code == 0);
  tl_test_child_clear (&child);

  files = run_traced (&child, "basic", dir, 1);
  g_assert_true (g_regex_match (plain, g_ptr_array_index (files, 0), 0, NULL));
  {
    g_autofree char *path = tl_test_child_value (&child, "path");
    g_assert_cmpstr (path, ==, g_ptr_array_index (files, 0));
  }
  tl_test_child_clear (&child);
  g_clear_pointer (&files, g_ptr_array_unref);

  tl_test_child_run (&child, "rank", "TORCH_TRACE", ranked_dir, "RANK", "5", NULL);
  g_assert_true (child.exited && child.exit_code == 0);
  files = list_traces (ranked_dir);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_true (g_regex_match (ranked, g_ptr_array_index (files, 0), 0, NULL));
  tl_test_child_clear (&child);

  g_assert_false (g_file_test (empty_dir, G_FILE_TEST_EXISTS));
  remove_tree (ranked_dir);
  remove_tree (dir);
}

static void
test_format (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(JsonObject) summary = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *line_text = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *md5 = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GRegex) prefix = NULL;
  TlTestChild child;

  files = run_traced (&child, "basic", dir, 1);
  assert_passes_checker (g_ptr_array_index (files, 0), &summary);
  contents = read_file (g_ptr_array_index (files, 0));
  g_test_message ("trace:\n%s", contents);

  /* Every record but the verbose one, plus torchlog's version record. */
  g_assert_cmpint (json_object_get_int_member (summary, "records"), ==, 14);
  g_assert_cmpint (summary_events (summary, "artifact"), ==, 2);
  g_assert_cmpint (summary_events (summary, "verbose_only"), ==, 0);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (summary, "ranks")), ==, 0);
  {
    g_autofree char *calls = tl_test_child_value (&child, "payload_calls");
    g_autofree char *main_id = tl_test_child_value (&child, "intern_main");
    g_autofree char *null_id = tl_test_child_value (&child, "intern_null");

    /* The verbose record's payload was never built. */
    g_assert_cmpstr (calls, ==, "3");
    g_assert_cmpstr (main_id, ==, "1");
    g_assert_cmpstr (null_id, ==, "-1");
  }

  /* §6.3: the glog prefix, always V, the caller's file and line. */
  line_text = tl_test_child_value (&child, "basic_line");
  expected = g_strdup_printf ("^V\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{6} \\d+ tests/test-trace\\.c:%s\\] $",
                              line_text);
  prefix = g_regex_new (expected, 0, 0, NULL);
  {
    g_autofree char *json = g_strdup_printf ("{\"my_event\": {\"a\": 1}, \"stack\": [{\"line\": %s, "
                                             "\"name\": \"child_basic\", \"filename\": 0}]}\n",
                                             line_text);
    g_autofree char *line_prefix = record_prefix (contents, json);

    g_assert_true (g_regex_match (prefix, line_prefix, 0, NULL));
  }
  /* The string table comes first, without context. */
  g_assert_nonnull (strstr (contents, "] {\"str\": [\"tests/test-trace.c\", 0]}\n"));

  /* §6.4: torch's own example, byte for byte (but for the name). */
  g_assert_nonnull (strstr (contents, "] {\"compile_start\": {\"stack\": \"STACK\"}, \"frame_id\": 0, "
                                      "\"frame_compile_id\": 0, \"attempt\": 0}\n"));
  md5 = g_compute_checksum_for_string (G_CHECKSUM_MD5,
                                       "{\n\"key\": \"abc\",\n\"n\": [\n1,\n2\n]\n}", -1);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("] {\"artifact\": {\"name\": \"fx_graph_cache_miss\", \"encoding\": \"json\"}, "
                              "\"frame_id\": 0, \"frame_compile_id\": 0, \"attempt\": 0, "
                              "\"has_payload\": \"%s\"}\n\t{\n\t\"key\": \"abc\",\n\t\"n\": [\n\t1,\n\t2\n\t]\n\t}\n",
                              md5);
  g_assert_nonnull (strstr (contents, expected));
  g_assert_nonnull (strstr (contents, "] {\"restarted\": {}, \"frame_id\": 0, \"frame_compile_id\": 0, "
                                      "\"attempt\": 1}\n"));
  g_assert_nonnull (strstr (contents, "] {\"ca_frame\": {}, \"compiled_autograd_id\": 2, \"frame_id\": 0, "
                                      "\"frame_compile_id\": 1, \"attempt\": 0}\n"));
  g_assert_nonnull (strstr (contents, "] {\"ca_only\": {}, \"compiled_autograd_id\": 3, \"attempt\": 0}\n"));
  /* An explicit compile id, no context: ids without an attempt. */
  g_assert_nonnull (strstr (contents, "] {\"explicit_id\": {}, \"frame_id\": 1, \"frame_compile_id\": 2}\n"));
  g_assert_nonnull (strstr (contents, "] {\"suppressed\": {}}\n"));
  g_assert_nonnull (strstr (contents, "] {\"no_trace_id\": {}}\n"));

  /* §6.5: payload lines after a tab; a trailing newline gives a last
   * empty payload line. */
  md5 = (g_free (md5), g_compute_checksum_for_string (G_CHECKSUM_MD5, "a\nb\n", -1));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("] {\"trailing_newline\": {}, \"stack\": ");
  g_assert_nonnull (strstr (contents, expected));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("\"has_payload\": \"%s\"}\n\ta\n\tb\n\t\n", md5);
  g_assert_nonnull (strstr (contents, expected));

  /* Stacks from frames: filenames interned once, loc only when known. */
  g_assert_nonnull (strstr (contents, "{\"str\": [\"/src/app/main.c\", 1]}"));
  g_assert_nonnull (strstr (contents, "{\"str\": [\"/src/app/run.c\", 2]}"));
  found = record_json (contents, "guard_added");
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (found, 0),
                                   "{\"guard_added\": {\"user_stack\": [{\"line\": 10, \"name\": \"main\", "
                                   "\"filename\": 1, \"loc\": \"run ();\"}, {\"line\": 20, \"name\": "
                                   "\"run\", \"filename\": 2}, {\"line\": 30, \"name\": \"helper\", "
                                   "\"filename\": 1}]}, "));
  g_clear_pointer (&found, g_ptr_array_unref);

  /* torchlog's version record, right after the first record. */
  found = record_json (contents, "artifact");
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (found, 0),
                                   "{\"artifact\": {\"name\": \"torchlog_version\", \"encoding\": \"json\"}"));

  tl_test_child_clear (&child);
  remove_tree (dir);
}

static void
test_rank_in_records (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(JsonObject) summary = NULL;
  g_autofree char *contents = NULL;
  JsonArray *ranks;
  TlTestChild child;

  tl_test_child_run (&child, "rank", "TORCH_TRACE", dir, "RANK", "5", NULL);
  g_assert_true (child.exited && child.exit_code == 0);
  files = list_traces (dir);
  g_assert_cmpuint (files->len, ==, 1);
  assert_passes_checker (g_ptr_array_index (files, 0), &summary);
  ranks = json_object_get_array_member (summary, "ranks");
  g_assert_cmpuint (json_array_get_length (ranks), ==, 1);
  g_assert_cmpint (json_array_get_int_element (ranks, 0), ==, 5);

  contents = read_file (g_ptr_array_index (files, 0));
  g_assert_nonnull (strstr (contents, "] {\"ranked\": {}, \"rank\": 5, \"stack\": [{"));
  g_assert_nonnull (strstr (contents, "] {\"ranked_in_context\": {}, \"rank\": 5, \"frame_id\": 0, "
                                      "\"frame_compile_id\": 0, \"attempt\": 0}\n"));
  g_assert_nonnull (strstr (contents, "] {\"str\": [\"interned after the first record\", 1]}\n"));
  tl_test_child_clear (&child);
  remove_tree (dir);
}

static void
test_fork (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *path = NULL;
  g_autofree char *child_path = NULL;
  g_autofree char *fork_pid = NULL;
  g_autofree char *parent_text = NULL;
  g_autofree char *child_text = NULL;
  g_autofree char *pid_marker = NULL;
  g_autoptr(JsonObject) parent_summary = NULL;
  g_autoptr(JsonObject) child_summary = NULL;
  TlTestChild child;

  files = run_traced (&child, "fork", dir, 2);
  path = tl_test_child_value (&child, "path");
  child_path = tl_test_child_value (&child, "child_path");
  fork_pid = tl_test_child_value (&child, "fork_pid");
  g_assert_nonnull (path);
  g_assert_nonnull (child_path);
  g_assert_cmpstr (path, !=, child_path);

  assert_passes_checker (path, &parent_summary);
  assert_passes_checker (child_path, &child_summary);
  g_assert_cmpint (summary_events (parent_summary, "before_fork"), ==, 1);
  g_assert_cmpint (summary_events (parent_summary, "after_fork"), ==, 1);
  g_assert_cmpint (summary_events (parent_summary, "in_child"), ==, 0);
  g_assert_cmpint (summary_events (child_summary, "in_child"), ==, 1);
  g_assert_cmpint (summary_events (child_summary, "before_fork"), ==, 0);
  /* The child's file maps the strings it uses, interned before the fork. */
  g_assert_cmpint (summary_events (child_summary, "str"), ==, 1);

  parent_text = read_file (path);
  child_text = read_file (child_path);
  pid_marker = g_strdup_printf (" %s tests/", fork_pid);
  g_assert_null (strstr (parent_text, pid_marker));
  g_assert_nonnull (strstr (child_text, pid_marker));
  tl_test_child_clear (&child);
  remove_tree (dir);
}

static void
test_threads (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(JsonObject) summary = NULL;
  JsonObject *directories;
  TlTestChild child;

  files = run_traced (&child, "threads", dir, 1);
  assert_passes_checker (g_ptr_array_index (files, 0), &summary);
  g_assert_cmpint (summary_events (summary, "threaded"), ==, 400);
  /* Each thread's records carry its own compile context. */
  directories = json_object_get_object_member (summary, "directories");
  g_assert_cmpuint (json_object_get_size (directories), ==, 12);
  g_assert_cmpint (json_object_get_int_member (directories, "-_3_2_0"), ==, 33);
  tl_test_child_clear (&child);
  remove_tree (dir);
}

static void
test_directory (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *dir3 = g_build_filename (dir, "moved", NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(JsonObject) summary = NULL;
  g_autoptr(GPtrArray) files = NULL;
  TlTestChild child;

  tl_test_child_run (&child, "directory", "TORCH_TRACE", dir, "TL_TEST_DIR3", dir3, NULL);
  g_assert_true (child.exited && child.exit_code == 0);
  first = tl_test_child_value (&child, "first");
  second = tl_test_child_value (&child, "second");
  files = list_traces (dir);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (files, 0), ==, first);
  assert_passes_checker (first, NULL);
  assert_passes_checker (second, &summary);
  /* The new file repeats the string table, so its ids resolve. */
  g_assert_cmpint (summary_events (summary, "str"), ==, 2);
  g_assert_cmpint (summary_events (summary, "second"), ==, 1);
  tl_test_child_clear (&child);
  remove_tree (dir3);
  remove_tree (dir);
}

static void
test_dtrace (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(JsonObject) summary = NULL;
  TlTestChild child;

  /* TORCH_DTRACE wins over TORCH_TRACE and turns the verbose channel on. */
  tl_test_child_run (&child, "dtrace", "TORCH_DTRACE", dir, "TORCH_TRACE", "/nonexistent/trace",
                     "RANK", NULL, NULL);
  g_assert_true (child.exited && child.exit_code == 0);
  files = list_traces (dir);
  g_assert_cmpuint (files->len, ==, 1);
  assert_passes_checker (g_ptr_array_index (files, 0), &summary);
  g_assert_cmpint (summary_events (summary, "verbose_record"), ==, 1);
  tl_test_child_clear (&child);
  remove_tree (dir);
}

static void
test_unwritable (void)
{
  TlTestChild child;
  g_auto(GStrv) lines = NULL;

  tl_test_child_run (&child, "unwritable", "TORCH_TRACE", "/proc/self/no/such/dir",
                     "RANK", NULL, NULL);
  g_assert_true (child.exited && child.exit_code == 0);
  lines = tl_test_split_lines (child.err);
  /* One clear warning, then tracing is off. */
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  g_assert_true (g_str_has_prefix (lines[0], "torchlog: cannot create a trace file in "));
  g_assert_nonnull (strstr (lines[0], "structured tracing is off"));
  tl_test_child_clear (&child);
}

static void
test_announce (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;
  TlTestChild child;

  /* torch's INFO message, on a domain an application can turn on. */
  tl_test_child_run (&child, "announce", "TORCH_TRACE", dir, "TORCH_LOGS", "torchlog.trace",
                     "RANK", NULL, NULL);
  g_assert_true (child.exited && child.exit_code == 0);
  path = tl_test_child_value (&child, "path");
  expected = g_strdup_printf ("] LazyTraceHandler: logging to %s\n", path);
  g_assert_nonnull (strstr (child.err, expected));
  g_assert_true (child.err[0] == 'I');
  tl_test_child_clear (&child);
  remove_tree (dir);

  /* Not shown unless asked for. */
  dir = (g_free (dir), make_tmp_dir ());
  tl_test_child_run (&child, "announce", "TORCH_TRACE", dir, "RANK", NULL, NULL);
  g_assert_true (child.exited && child.exit_code == 0);
  g_assert_null (strstr (child.err, "LazyTraceHandler"));
  tl_test_child_clear (&child);
  remove_tree (dir);
}

static void
test_payload_rules (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  struct {
    const char *json;
    const char *payload;
  } cases[] = {
    { "\"plain\\ntext\"", "plain\ntext" },
    { "[1, \"a\", {\"b\": [2, 3]}]", "[\n1,\n\"a\",\n{\"b\": [2, 3]}\n]" },
    { "[]", "[\n\n]" },
    { "{\"a\": {\"b\": 1.5, \"c\": []}, \"d\": null, \"e\": true}",
      "{\n\"a\": {\n\"b\": 1.5,\n\"c\": []\n},\n\"d\": null,\n\"e\": true\n}" },
    { "{}", "{}" },
    { "3.0", "3.0" },
    { "0.1", "0.1" },
    { "1e100", "1e+100" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *payload = NULL;

      json_parser_load_from_data (parser, cases[i].json, -1, &error);
      g_assert_no_error (error);
      payload = tl_trace_format_payload (json_parser_get_root (parser));
      g_assert_cmpstr (payload, ==, cases[i].payload);
    }
}

static void
test_reserved_names (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr(GPtrArray) files = NULL;

  /* In this process: a refused record gets one warning and nothing is
   * written. */
  tl_trace_set_directory (dir);
  g_test_expect_message ("Torchlog", G_LOG_LEVEL_WARNING, "*frame_id*refused*reserved*");
  tl_trace_structured ("frame_id", NULL, NULL, NULL);
  g_test_assert_expected_messages ();
  g_test_expect_message ("Torchlog", G_LOG_LEVEL_WARNING, "*refused*empty*");
  tl_trace_structured ("", NULL, NULL, NULL);
  g_test_assert_expected_messages ();
  tl_trace_set_directory (NULL);
  files = list_traces (dir);
  g_assert_cmpuint (files->len, ==, 0);
  remove_tree (dir);
}

static void
test_compile_ids (void)
{
  struct {
    TlCompileId id;
    int attempt;
    const char *compile_id;
    const char *trace_id;
  } cases[] = {
    { { -1, 0, 0 }, 0, "0/0", "0/0" },
    { { -1, 1, 0 }, 1, "1/0", "1/0_1" },
    { { 2, 0, 1 }, 0, "!2/0/1", "!2/0/1" },
    { { 3, -1, -1 }, 2, "!3", "!3_2" },
  };
  TlCompileId invalid[] = { { -1, -1, -1 }, { -1, 0, -1 }, { -2, 0, 0 } };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *compile_id = tl_compile_id_to_string (&cases[i].id);
      g_autofree char *trace_id = tl_compile_id_to_trace_id (&cases[i].id, cases[i].attempt);

      g_assert_cmpstr (compile_id, ==, cases[i].compile_id);
      g_assert_cmpstr (trace_id, ==, cases[i].trace_id);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autofree char *text = tl_compile_id_to_string (&invalid[i]);

      g_assert_false (tl_compile_id_is_valid (&invalid[i]));
      g_assert_null (text);
    }
}

static void
test_compile_context_stack (void)
{
  TlCompileId outer_id = { -1, 1, 0 };
  TlCompileId inner_id = { -1, 4, 2 };
  TlCompileId current;
  int attempt = -1;
  TlCompileContext *outer, *inner, *hidden;

  g_assert_false (tl_compile_context_get_current (&current, &attempt));
  g_assert_null (tl_compile_context_dup_trace_id ());

  outer = tl_compile_context_push (&outer_id);
  tl_compile_context_set_attempt (outer, 1);
  g_assert_cmpint (tl_compile_context_get_attempt (outer), ==, 1);
  {
    g_autofree char *id = tl_compile_context_dup_trace_id ();
    g_assert_cmpstr (id, ==, "1/0_1");
  }
  inner = tl_compile_context_push (&inner_id);
  g_assert_true (tl_compile_context_get_current (&current, &attempt));
  g_assert_cmpint (current.frame_id, ==, 4);
  g_assert_cmpint (attempt, ==, 0);
  /* A context without an id hides the outer ones, as CompileContext(None). */
  hidden = tl_compile_context_push (NULL);
  g_assert_false (tl_compile_context_get_current (NULL, NULL));
  tl_compile_context_pop (hidden);
  tl_compile_context_pop (inner);
  {
    g_autofree char *id = tl_compile_context_dup_trace_id ();
    g_assert_cmpstr (id, ==, "1/0_1");
  }
  tl_compile_context_pop (outer);
  g_assert_null (tl_compile_context_dup_trace_id ());
}

static gpointer
other_thread_context (gpointer data)
{
  /* Contexts are per thread: the main thread's is not seen here. */
  return tl_compile_context_dup_trace_id ();
}

static void
test_compile_context_per_thread (void)
{
  TlCompileId id = { -1, 7, 7 };
  g_autoptr(TlCompileContext) context = tl_compile_context_push (&id);
  GThread *thread = g_thread_new ("other", other_thread_context, NULL);
  g_autofree char *seen = g_thread_join (thread);
  g_autofree char *mine = tl_compile_context_dup_trace_id ();

  g_assert_null (seen);
  g_assert_cmpstr (mine, ==, "7/7");
}

/* The checker must be able to fail: one broken file per rule. */
static void
test_checker_detects_violations (void)
{
  g_autofree char *dir = make_tmp_dir ();
  const char *prefix = "V1123 03:28:17.283000 5612 torch/_dynamo/guards.py:1039] ";
  g_autofree char *md5 = g_compute_checksum_for_string (G_CHECKSUM_MD5, "a\nb", -1);
  g_autofree char *good = g_strdup_printf ("%s{\"str\": [\"f.py\", 0]}\n"
                                           "%s{\"e\": {}, \"rank\": 0, \"stack\": [{\"line\": 1, \"name\": \"f\", \"filename\": 0}]}\n"
                                           "\n"
                                           "%s{\"artifact\": {\"name\": \"x\", \"encoding\": \"string\"}, \"rank\": 0, \"has_payload\": \"%s\"}\n\ta\n\tb\n",
                                           prefix, prefix, prefix, md5);
  struct {
    const char *name;
    char *text;
  } bad[] = {
    { "bad md5", g_strdup_printf ("%s{\"e\": {}, \"has_payload\": \"%s\"}\n\ta\n\tc\n", prefix, md5) },
    { "bad prefix", g_strdup ("V1123 03:28:17.283 5612 f.py:1] {\"e\": {}}\n") },
    { "colon in path", g_strdup ("V1123 03:28:17.283000 5612 C:/f.py:1] {\"e\": {}}\n") },
    { "not json", g_strdup_printf ("%s{\"e\": \n", prefix) },
    { "unknown intern id", g_strdup_printf ("%s{\"e\": {}, \"stack\": [{\"line\": 1, \"name\": \"f\", \"filename\": 7}]}\n", prefix) },
    { "stray payload", g_strdup_printf ("%s{\"e\": {}}\n\tpayload\n", prefix) },
    { "two ranks", g_strdup_printf ("%s{\"e\": {}, \"rank\": 0}\n%s{\"e\": {}, \"rank\": 1}\n", prefix, prefix) },
    { "negative frame id", g_strdup_printf ("%s{\"e\": {}, \"frame_id\": -1}\n", prefix) },
    { "changed intern", g_strdup_printf ("%s{\"str\": [\"a\", 0]}\n%s{\"str\": [\"b\", 0]}\n", prefix, prefix) },
    { "bad artifact", g_strdup_printf ("%s{\"artifact\": {\"name\": 1}}\n", prefix) },
  };
  g_autofree char *good_path = g_build_filename (dir, "dedicated_log_torch_trace_good.log", NULL);

  g_assert_true (g_file_set_contents (good_path, good, -1, NULL));
  g_assert_cmpint (run_checker (good_path, NULL, NULL), ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = g_build_filename (dir, "dedicated_log_torch_trace_bad.log", NULL);

      g_assert_true (g_file_set_contents (path, bad[i].text, -1, NULL));
      if (run_checker (path, NULL, NULL) != 1)
        g_error ("the checker accepts a file with a %s", bad[i].name);
      g_free (bad[i].text);
    }
  remove_tree (dir);
}

int
main (int argc, char **argv)
{
  int child = tl_test_child_main (argc, argv, children);

  if (child >= 0)
    return child;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trace/file/name-and-laziness", test_file_name_and_laziness);
  g_test_add_func ("/trace/format/records", test_format);
  g_test_add_func ("/trace/format/rank", test_rank_in_records);
  g_test_add_func ("/trace/format/payload-rules", test_payload_rules);
  g_test_add_func ("/trace/format/reserved-names", test_reserved_names);
  g_test_add_func ("/trace/file/fork", test_fork);
  g_test_add_func ("/trace/file/threads", test_threads);
  g_test_add_func ("/trace/file/set-directory", test_directory);
  g_test_add_func ("/trace/file/dtrace", test_dtrace);
  g_test_add_func ("/trace/file/unwritable", test_unwritable);
  g_test_add_func ("/trace/file/announce", test_announce);
  g_test_add_func ("/trace/compile-id/strings", test_compile_ids);
  g_test_add_func ("/trace/compile-context/stack", test_compile_context_stack);
  g_test_add_func ("/trace/compile-context/per-thread", test_compile_context_per_thread);
  g_test_add_func ("/trace/checker/detects-violations", test_checker_detects_violations);
  return g_test_run ();
}
