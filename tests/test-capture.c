/* test-capture.c: TlCapture, the test helper that collects records
 *
 * torch's own tests count the records that reach torch's handlers
 * (spec §7.8); TlCapture gives C tests the same: records per component
 * and artifact, their text, trace id and rank, without scraping stderr.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define TL_LOG_DOMAIN "torch._dynamo.convert_frame"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <torchlog/torchlog.h>

static TlRegistry *
make_registry (void)
{
  TlRegistry *registry = tl_registry_new ();
  const char * const dynamo[] = { "torch._dynamo", NULL };
  const char * const inductor[] = { "torch._inductor", NULL };

  tl_registry_register_log (registry, "dynamo", dynamo, NULL);
  tl_registry_register_log (registry, "inductor", inductor, NULL);
  tl_registry_register_artifact (registry, "guards", "guards", 0, NULL);
  tl_registry_register_artifact (registry, "bytecode", "bytecode", TL_ARTIFACT_FLAGS_OFF_BY_DEFAULT, NULL);
  return registry;
}

/* A file standing in for stderr: what the outputs really printed. */
static char *
output_file (TlRegistry *registry)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("tl-capture-XXXXXX.log", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_assert_true (tl_registry_set_output_file (registry, path, &error));
  g_assert_no_error (error);
  return path;
}

static char *
printed (TlRegistry *registry, const char *path)
{
  char *contents = NULL;

  tl_registry_flush (registry);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

static void
test_counts (void)
{
  g_autoptr(TlRegistry) registry = make_registry ();
  g_autoptr(TlCapture) capture = tl_capture_new (registry);
  g_autoptr(TlCapturedRecord) guard = NULL;

  tl_capture_set_quiet (capture, TRUE);
  g_assert_true (tl_registry_parse_logs (registry, "+dynamo,guards", NULL));

  tl_registry_write_record (registry, "torch._dynamo", TL_LEVEL_INFO, "a", "x.c", 1, NULL);
  tl_registry_write_record (registry, "torch._dynamo.guards.__guards", TL_LEVEL_DEBUG, "g",
                            "guards.c", 42, "check");
  tl_registry_write_record (registry, "torch._dynamo.output_graph", TL_LEVEL_DEBUG, "d", "x.c", 2, NULL);
  /* Filtered out by the configuration: never captured. */
  tl_registry_write_record (registry, "torch._inductor", TL_LEVEL_INFO, "i", "x.c", 3, NULL);
  tl_registry_write_record (registry, "torch._dynamo.__bytecode", TL_LEVEL_DEBUG, "b", "x.c", 4, NULL);
  tl_registry_write_record (registry, "torch._inductor", TL_LEVEL_WARNING, "w", "x.c", 5, NULL);

  g_assert_cmpuint (tl_capture_get_n_records (capture), ==, 4);
  g_assert_cmpuint (tl_capture_count (capture, NULL, NULL), ==, 4);
  g_assert_cmpuint (tl_capture_count (capture, "dynamo", NULL), ==, 3);
  g_assert_cmpuint (tl_capture_count (capture, "dynamo", ""), ==, 2);
  g_assert_cmpuint (tl_capture_count (capture, NULL, "guards"), ==, 1);
  g_assert_cmpuint (tl_capture_count (capture, "dynamo", "guards"), ==, 1);
  g_assert_cmpuint (tl_capture_count (capture, "inductor", NULL), ==, 1);
  g_assert_cmpuint (tl_capture_count (capture, NULL, "bytecode"), ==, 0);
  g_assert_cmpuint (tl_capture_count (capture, "nonexistent", NULL), ==, 0);

  guard = tl_capture_get_record (capture, 1);
  g_assert_nonnull (guard);
  g_assert_cmpint (tl_captured_record_get_level (guard), ==, TL_LEVEL_DEBUG);
  g_assert_cmpstr (tl_captured_record_get_component (guard), ==, "dynamo");
  g_assert_cmpstr (tl_captured_record_get_artifact (guard), ==, "guards");
  g_assert_cmpstr (tl_captured_record_get_logger (guard), ==, "torch._dynamo.guards.__guards");
  g_assert_cmpstr (tl_captured_record_get_message (guard), ==, "g");
  g_assert_cmpstr (tl_captured_record_get_file (guard), ==, "guards.c");
  g_assert_cmpint (tl_captured_record_get_line (guard), ==, 42);
  g_assert_null (tl_captured_record_get_trace_id (guard));
  g_assert_cmpint (tl_captured_record_get_rank (guard), ==, -1);
  /* The text exactly as printed: torch's glog line. */
  g_assert_true (g_str_has_prefix (tl_captured_record_get_text (guard), "V"));
  g_assert_true (g_str_has_suffix (tl_captured_record_get_text (guard), " guards.c:42] [__guards] g\n"));

  g_assert_null (tl_capture_get_record (capture, 4));
  g_assert_cmpuint (tl_capture_count_matching (capture, "w"), ==, 1);
  g_assert_cmpuint (tl_capture_count_matching (capture, "zzz"), ==, 0);
}

static void
test_print_record (void)
{
  /* Issue 15: a record its caller decided to print (Python's logging,
   * with its own levels) is printed whatever the registry's levels say,
   * in the same format, through the same sinks; write_record() drops it. */
  g_autoptr(TlRegistry) registry = make_registry ();
  g_autoptr(TlCapture) capture = tl_capture_new (registry);
  g_autoptr(TlCapturedRecord) record = NULL;

  tl_capture_set_quiet (capture, TRUE);
  g_assert_true (tl_registry_parse_logs (registry, "", NULL));

  tl_registry_write_record (registry, "torch._dynamo.eval_frame", TL_LEVEL_DEBUG, "dropped",
                            "x.c", 1, NULL);
  tl_registry_print_record (registry, "torch._dynamo.eval_frame", TL_LEVEL_DEBUG, "decided",
                            "eval_frame.py", 7, "f");
  tl_registry_print_record (registry, "unregistered.module", TL_LEVEL_INFO, "anywhere",
                            "m.py", 3, NULL);

  g_assert_cmpuint (tl_capture_get_n_records (capture), ==, 2);
  record = tl_capture_get_record (capture, 0);
  g_assert_cmpstr (tl_captured_record_get_message (record), ==, "decided");
  g_assert_cmpstr (tl_captured_record_get_component (record), ==, "dynamo");
  g_assert_true (g_str_has_prefix (tl_captured_record_get_text (record), "V"));
  g_assert_true (g_str_has_suffix (tl_captured_record_get_text (record),
                                   " eval_frame.py:7] decided\n"));
  g_clear_pointer (&record, tl_captured_record_unref);
  record = tl_capture_get_record (capture, 1);
  g_assert_cmpstr (tl_captured_record_get_message (record), ==, "anywhere");
}

static void
test_quiet (void)
{
  g_autoptr(TlRegistry) registry = make_registry ();
  g_autofree char *path = output_file (registry);
  g_autoptr(TlCapture) capture = tl_capture_new (registry);
  g_autofree char *text = NULL;
  g_autofree char *out = NULL;

  g_assert_false (tl_capture_get_quiet (capture));
  g_assert_true (tl_registry_parse_logs (registry, "dynamo", NULL));
  tl_registry_write_record (registry, "torch._dynamo", TL_LEVEL_INFO, "loud", "x.c", 1, NULL);
  tl_capture_set_quiet (capture, TRUE);
  tl_registry_write_record (registry, "torch._dynamo", TL_LEVEL_INFO, "quiet", "x.c", 2, NULL);

  g_assert_cmpuint (tl_capture_get_n_records (capture), ==, 2);
  out = printed (registry, path);
  g_assert_nonnull (strstr (out, "] loud\n"));
  g_assert_null (strstr (out, "quiet"));
  /* What the capture holds is what stderr would have shown. */
  text = tl_capture_dup_text (capture);
  g_assert_true (g_str_has_prefix (text, out));
  g_assert_nonnull (strstr (text, "] quiet\n"));

  tl_registry_set_output_file (registry, NULL, NULL);
  g_unlink (path);
}

static void
test_stop_and_clear (void)
{
  g_autoptr(TlRegistry) registry = make_registry ();
  TlCapture *capture = tl_capture_new (registry);
  g_autoptr(GPtrArray) records = NULL;

  tl_capture_set_quiet (capture, TRUE);
  g_assert_true (tl_registry_parse_logs (registry, "dynamo", NULL));
  tl_registry_write_record (registry, "torch._dynamo", TL_LEVEL_INFO, "one", "x.c", 1, NULL);
  g_assert_true (tl_capture_is_active (capture));
  tl_capture_stop (capture);
  g_assert_false (tl_capture_is_active (capture));
  tl_capture_set_quiet (capture, FALSE);
  tl_registry_set_format (registry, "%(message)s", NULL);
  tl_registry_write_record (registry, "torch._dynamo", TL_LEVEL_INFO, "after stop", "x.c", 2, NULL);
  g_assert_cmpuint (tl_capture_get_n_records (capture), ==, 1);

  records = tl_capture_dup_records (capture);
  g_assert_cmpuint (records->len, ==, 1);
  tl_capture_clear (capture);
  g_assert_cmpuint (tl_capture_get_n_records (capture), ==, 0);
  /* The copy keeps its own references. */
  g_assert_cmpstr (tl_captured_record_get_message (g_ptr_array_index (records, 0)), ==, "one");
  g_object_unref (capture);
}

static void
test_registries (void)
{
  g_autoptr(TlRegistry) a = make_registry ();
  g_autoptr(TlRegistry) b = make_registry ();
  g_autoptr(TlCapture) on_a = tl_capture_new (a);
  g_autoptr(TlCapture) also_on_a = tl_capture_new (a);
  g_autoptr(TlCapture) on_b = tl_capture_new (b);

  tl_capture_set_quiet (on_a, TRUE);
  tl_capture_set_quiet (on_b, TRUE);
  g_assert_true (tl_registry_parse_logs (a, "dynamo", NULL));
  g_assert_true (tl_registry_parse_logs (b, "dynamo", NULL));
  tl_registry_write_record (a, "torch._dynamo", TL_LEVEL_INFO, "to a", "x.c", 1, NULL);
  tl_registry_write_record (a, "torch._dynamo", TL_LEVEL_INFO, "to a again", "x.c", 1, NULL);
  tl_registry_write_record (b, "torch._dynamo", TL_LEVEL_INFO, "to b", "x.c", 1, NULL);
  g_assert_cmpuint (tl_capture_get_n_records (on_a), ==, 2);
  g_assert_cmpuint (tl_capture_get_n_records (also_on_a), ==, 2);
  g_assert_cmpuint (tl_capture_get_n_records (on_b), ==, 1);
  g_assert_cmpuint (tl_capture_count_matching (on_b, "to b"), ==, 1);
}

static void
test_trace_id_and_filters (void)
{
  g_autoptr(TlRegistry) registry = make_registry ();
  g_autofree char *path = NULL;
  g_autoptr(TlCapture) capture = tl_capture_new (registry);
  g_autoptr(TlCapturedRecord) record = NULL;
  g_autofree char *out = NULL;
  TlCompileId id = { -1, 3, 1 };

  /* TORCH_LOGS_TRACE_ID_FILTER is read by init_logs, with the settings. */
  g_setenv ("TORCH_LOGS_TRACE_ID_FILTER", "[3/1]", TRUE);
  g_setenv ("TORCH_LOGS", "dynamo", TRUE);
  g_assert_true (tl_registry_init_logs (registry, NULL));
  g_unsetenv ("TORCH_LOGS_TRACE_ID_FILTER");
  g_unsetenv ("TORCH_LOGS");
  path = output_file (registry);

  tl_registry_write_record (registry, "torch._dynamo", TL_LEVEL_INFO, "outside", "x.c", 1, NULL);
  {
    g_autoptr(TlCompileContext) context = tl_compile_context_push (&id);

    tl_registry_write_record (registry, "torch._dynamo", TL_LEVEL_INFO, "inside", "x.c", 2, NULL);
  }
  /* The rank filter hides text, not records. */
  tl_registry_set_rank (registry, 3);
  g_assert_true (tl_rank_filter_set ("0", NULL));
  {
    g_autoptr(TlCompileContext) context = tl_compile_context_push (&id);

    tl_registry_write_record (registry, "torch._dynamo", TL_LEVEL_INFO, "other rank", "x.c", 3, NULL);
  }
  g_assert_true (tl_rank_filter_set (NULL, NULL));

  /* Both counted, as torch's harness counts records at the handler. */
  g_assert_cmpuint (tl_capture_get_n_records (capture), ==, 3);
  record = tl_capture_get_record (capture, 1);
  g_assert_cmpstr (tl_captured_record_get_trace_id (record), ==, "3/1");
  g_assert_true (g_str_has_suffix (tl_captured_record_get_text (record), " x.c:2] [3/1] inside\n"));
  g_clear_pointer (&record, tl_captured_record_unref);
  record = tl_capture_get_record (capture, 2);
  g_assert_cmpint (tl_captured_record_get_rank (record), ==, 3);
  g_assert_true (g_str_has_prefix (tl_captured_record_get_text (record), "[rank3]:I"));

  /* Only the record of the listed id and rank was printed. */
  out = printed (registry, path);
  g_assert_null (strstr (out, "outside"));
  g_assert_null (strstr (out, "other rank"));
  g_assert_nonnull (strstr (out, "] [3/1] inside\n"));
  g_assert_null (strstr (out, "\n\n"));
  tl_registry_set_output_file (registry, NULL, NULL);
  g_unlink (path);
}

typedef struct {
  TlRegistry *registry;
  int         id;
} ThreadData;

static gpointer
log_from_thread (gpointer user_data)
{
  ThreadData *data = user_data;

  for (int i = 0; i < 250; i++)
    tl_registry_write_record (data->registry, "torch._dynamo", TL_LEVEL_INFO,
                              data->id % 2 ? "odd" : "even", "x.c", i + 1, NULL);
  return NULL;
}

static void
test_threads (void)
{
  g_autoptr(TlRegistry) registry = make_registry ();
  g_autoptr(TlCapture) capture = tl_capture_new (registry);
  ThreadData data[4];
  GThread *threads[4];

  tl_capture_set_quiet (capture, TRUE);
  g_assert_true (tl_registry_parse_logs (registry, "dynamo", NULL));
  for (int i = 0; i < 4; i++)
    {
      data[i] = (ThreadData) { registry, i };
      threads[i] = g_thread_new ("logger", log_from_thread, &data[i]);
    }
  for (int i = 0; i < 4; i++)
    g_thread_join (threads[i]);
  g_assert_cmpuint (tl_capture_get_n_records (capture), ==, 1000);
  g_assert_cmpuint (tl_capture_count_matching (capture, "odd"), ==, 500);
}

/* The default registry with torchlog's writer installed: records of the
 * macros and of g_log_structured() alike. */
static void
test_macros (void)
{
  TlRegistry *registry = tl_registry_get_default ();
  const char * const dynamo[] = { "torch._dynamo", NULL };
  g_autoptr(TlCapture) capture = NULL;
  g_autoptr(TlCapturedRecord) record = NULL;

  tl_registry_register_log (registry, "dynamo", dynamo, NULL);
  tl_registry_register_artifact (registry, "guards", "guards", 0, NULL);
  tl_registry_install_writer (registry);
  g_assert_true (tl_registry_parse_logs (registry, "+dynamo", NULL));

  /* NULL: the default registry. */
  capture = tl_capture_new (NULL);
  tl_capture_set_quiet (capture, TRUE);
  tl_debug ("from a macro %d", 1);
  tl_artifact ("guards", TL_LEVEL_DEBUG, "a guard");
  g_log_structured ("torch._dynamo.utils", G_LOG_LEVEL_INFO, "MESSAGE", "from %s", "g_log");
  /* Not torchlog's: passed on to GLib, not captured. */
  g_log_structured ("SomethingElse", G_LOG_LEVEL_DEBUG, "MESSAGE", "elsewhere");

  g_assert_cmpuint (tl_capture_get_n_records (capture), ==, 3);
  g_assert_cmpuint (tl_capture_count (capture, "dynamo", "guards"), ==, 1);
  record = tl_capture_get_record (capture, 0);
  g_assert_cmpstr (tl_captured_record_get_message (record), ==, "from a macro 1");
  g_assert_cmpstr (tl_captured_record_get_logger (record), ==, "torch._dynamo.convert_frame");
  g_assert_cmpstr (tl_captured_record_get_file (record), ==, __FILE__);
  g_clear_pointer (&record, tl_captured_record_unref);
  record = tl_capture_get_record (capture, 2);
  g_assert_cmpstr (tl_captured_record_get_component (record), ==, "dynamo");
  g_assert_cmpstr (tl_captured_record_get_message (record), ==, "from g_log");
  g_assert_cmpint (tl_captured_record_get_level (record), ==, TL_LEVEL_INFO);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/capture/counts", test_counts);
  g_test_add_func ("/capture/print-record", test_print_record);
  g_test_add_func ("/capture/quiet", test_quiet);
  g_test_add_func ("/capture/stop-and-clear", test_stop_and_clear);
  g_test_add_func ("/capture/registries", test_registries);
  g_test_add_func ("/capture/trace-id-and-filters", test_trace_id_and_filters);
  g_test_add_func ("/capture/threads", test_threads);
  g_test_add_func ("/capture/macros", test_macros);
  return g_test_run ();
}
