/* test-ranks.c: ranks, TORCH_LOGS_RANKS, trace ids in text records and
 * TORCH_LOGS_TRACE_ID_FILTER
 *
 * The rank comes from RANK (as torchrun sets it) or the API; text lines
 * start with `[rankN]:` (spec §5.1) and TORCH_LOGS_RANKS keeps the text of
 * listed ranks only (torch issue #117383). A compile context puts its
 * trace id in text records (` [0/0]`), and TORCH_LOGS_TRACE_ID_FILTER
 * keeps only listed ids, dropping the rest rather than printing torch's
 * empty lines (spec §5.1 step 4, fact 48). Last, a simulated job of four
 * ranks runs at once, each with its text log and its trace file.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define TL_LOG_DOMAIN "myapp.worker"

#include <string.h>
#include <sys/wait.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <torchlog/torchlog.h>

#include "tl-test-child.h"

/* ---- the child: a worker of a distributed job ------------------------------ */

static char *
payload (gpointer data)
{
  return g_strdup_printf ("rank %d\ngraph", tl_registry_get_rank (tl_registry_get_default ()));
}

static void
child_worker (void)
{
  TlRegistry *registry = tl_registry_get_default ();
  const char * const domains[] = { "myapp", NULL };
  g_autoptr(GError) error = NULL;

  tl_registry_register_log (registry, "myapp", domains, "the test's log");
  tl_registry_register_artifact (registry, "guards", "guards", 0, NULL);
  tl_registry_install_writer (registry);
  tl_registry_init_logs (registry, &error);
  g_assert_no_error (error);
  printf ("rank=%d\n", tl_registry_get_rank (registry));

  tl_info ("plain");
  {
    TlCompileId id = { -1, 0, 0 };
    g_autoptr(TlCompileContext) context = tl_compile_context_push (&id);

    tl_info ("in 0/0");
    tl_artifact ("guards", TL_LEVEL_DEBUG, "guard in 0/0");
    tl_trace_structured ("in_context", NULL, payload, NULL);
  }
  {
    TlCompileId id = { -1, 1, 0 };
    g_autoptr(TlCompileContext) context = tl_compile_context_push (&id);

    tl_info ("in 1/0");
    tl_compile_context_set_attempt (context, 1);
    tl_info ("two\nlines in 1/0_1");
  }
  {
    TlCompileId id = { 2, 0, 1 };
    g_autoptr(TlCompileContext) context = tl_compile_context_push (&id);

    tl_info ("in compiled autograd");
  }
  {
    g_autoptr(TlCompileContext) context = tl_compile_context_push (NULL);

    tl_info ("in a context without id");
  }
  tl_trace_structured ("outside", NULL, NULL, NULL);
  tl_info ("last");
}

static const TlTestChildFunc children[] = {
  { "worker", child_worker },
  { NULL, NULL },
};

/* ---- helpers --------------------------------------------------------------- */

/* The lines of @text that are records (not torchlog's own warnings). */
static GPtrArray *
record_lines (const char *text)
{
  g_auto(GStrv) lines = tl_test_split_lines (text);
  GPtrArray *records = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; lines[i] != NULL; i++)
    if (!g_str_has_prefix (lines[i], "torchlog: "))
      g_ptr_array_add (records, g_strdup (lines[i]));
  return records;
}

static guint
count_prefixed (const char *text, const char *prefix)
{
  g_auto(GStrv) lines = tl_test_split_lines (text);
  guint n = 0;

  for (gsize i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      n++;
  return n;
}

/* The message after the prefix of a record line (after "] "). */
static const char *
line_message (const char *line)
{
  const char *end = strstr (line, "] ");

  g_assert_nonnull (end);
  return end + 2;
}

static void
run_worker (TlTestChild *child, const char *rank, const char *ranks_filter,
            const char *trace_id_filter)
{
  tl_test_child_run (child, "worker",
                     "TORCH_LOGS", "+myapp,guards",
                     "RANK", rank,
                     "TORCH_LOGS_RANKS", ranks_filter,
                     "TORCH_LOGS_TRACE_ID_FILTER", trace_id_filter,
                     "TORCH_TRACE", NULL,
                     NULL);
  g_assert_true (child->exited);
  g_assert_cmpint (child->exit_code, ==, 0);
}

/* ---- ranks ----------------------------------------------------------------- */

static void
test_rank_from_environment (void)
{
  TlTestChild child;
  g_autoptr(GPtrArray) lines = NULL;

  run_worker (&child, "2", NULL, NULL);
  {
    g_autofree char *rank = tl_test_child_value (&child, "rank");
    g_assert_cmpstr (rank, ==, "2");
  }
  lines = record_lines (child.err);
  g_assert_cmpuint (lines->len, ==, 9);
  /* No space after the colon: `[rank0]:I1123 …` (spec §5.1). */
  for (guint i = 0; i < lines->len; i++)
    g_assert_true (g_str_has_prefix (g_ptr_array_index (lines, i), "[rank2]:I") ||
                   g_str_has_prefix (g_ptr_array_index (lines, i), "[rank2]:V"));
  tl_test_child_clear (&child);

  run_worker (&child, NULL, NULL, NULL);
  {
    g_autofree char *rank = tl_test_child_value (&child, "rank");
    g_assert_cmpstr (rank, ==, "-1");
  }
  g_assert_cmpuint (count_prefixed (child.err, "[rank"), ==, 0);
  g_assert_cmpuint (count_prefixed (child.err, "I"), ==, 8);
  tl_test_child_clear (&child);
}

static void
test_rank_invalid (void)
{
  const char *values[] = { "abc", "-1", "3x", "99999999999" };

  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    {
      TlTestChild child;
      g_autofree char *rank = NULL;

      run_worker (&child, values[i], NULL, NULL);
      rank = tl_test_child_value (&child, "rank");
      g_assert_cmpstr (rank, ==, "-1");
      /* One clear warning, then lines without a rank. */
      g_assert_cmpuint (count_prefixed (child.err, "torchlog: RANK: invalid value "), ==, 1);
      g_assert_cmpuint (count_prefixed (child.err, "[rank"), ==, 0);
      g_assert_cmpuint (count_prefixed (child.err, "I"), ==, 8);
      tl_test_child_clear (&child);
    }
}

static void
test_rank_api (void)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();

  /* The test's environment has no RANK. */
  g_assert_cmpint (tl_registry_get_rank (registry), ==, -1);
  tl_registry_set_rank (registry, 7);
  g_assert_cmpint (tl_registry_get_rank (registry), ==, 7);
  tl_registry_set_rank (registry, -1);
  g_assert_cmpint (tl_registry_get_rank (registry), ==, -1);
}

/* ---- TORCH_LOGS_RANKS ------------------------------------------------------ */

static void
test_ranks_filter_api (void)
{
  struct {
    const char *filter;
    int keeps[8];   /* ranks 0..7: 1 printed, 0 not */
  } valid[] = {
    { "0", { 1, 0, 0, 0, 0, 0, 0, 0 } },
    { "0,3-5", { 1, 0, 0, 1, 1, 1, 0, 0 } },
    { " 7 , 2 - 3 ,", { 0, 0, 1, 1, 0, 0, 0, 1 } },
    { "5-5,1", { 0, 1, 0, 0, 0, 1, 0, 0 } },
  };
  const char *invalid[] = { "a", "1-", "-3", "5-2", "1,,x", "3-4-5", "1.5", "99999999999" };

  for (gsize i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      g_assert_true (tl_rank_filter_set (valid[i].filter, &error));
      g_assert_no_error (error);
      text = tl_rank_filter_dup_string ();
      g_assert_cmpstr (text, ==, valid[i].filter);
      for (int rank = 0; rank < 8; rank++)
        g_assert_cmpint (tl_rank_filter_keeps (rank), ==, valid[i].keeps[rank]);
      /* A process without a rank is never filtered. */
      g_assert_true (tl_rank_filter_keeps (-1));
    }

  g_assert_true (tl_rank_filter_set ("1", NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      g_assert_false (tl_rank_filter_set (invalid[i], &error));
      g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_VALUE);
      g_assert_nonnull (strstr (error->message, "0,3-5"));
      /* Unchanged after an error. */
      text = tl_rank_filter_dup_string ();
      g_assert_cmpstr (text, ==, "1");
    }

  /* NULL, "" and ",": every rank. */
  g_assert_true (tl_rank_filter_set (NULL, NULL));
  g_assert_null (tl_rank_filter_dup_string ());
  g_assert_true (tl_rank_filter_keeps (3));
  g_assert_true (tl_rank_filter_set (",", NULL));
  g_assert_null (tl_rank_filter_dup_string ());
  g_assert_true (tl_rank_filter_set ("", NULL));
  g_assert_true (tl_rank_filter_keeps (3));
}

static void
test_ranks_filter_environment (void)
{
  struct {
    const char *rank;
    const char *filter;
    guint lines;
  } cases[] = {
    { "0", "0,3-5", 9 },
    { "4", "0,3-5", 9 },
    { "1", "0,3-5", 0 },
    { "6", "0,3-5", 0 },
    { NULL, "0,3-5", 9 },   /* no rank: not filtered */
    { "1", "1", 9 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TlTestChild child;
      g_autoptr(GPtrArray) lines = NULL;

      run_worker (&child, cases[i].rank, cases[i].filter, NULL);
      lines = record_lines (child.err);
      g_assert_cmpuint (lines->len, ==, cases[i].lines);
      g_assert_cmpuint (count_prefixed (child.err, "torchlog: "), ==, 0);
      tl_test_child_clear (&child);
    }
}

static void
test_ranks_filter_invalid_environment (void)
{
  TlTestChild child;
  g_autoptr(GPtrArray) lines = NULL;

  run_worker (&child, "3", "0,three", NULL);
  /* One clear warning however many records, then every rank prints. */
  g_assert_cmpuint (count_prefixed (child.err, "torchlog: TORCH_LOGS_RANKS: "), ==, 1);
  g_assert_nonnull (strstr (child.err, "“0,three”"));
  g_assert_nonnull (strstr (child.err, "logging from every rank"));
  lines = record_lines (child.err);
  g_assert_cmpuint (lines->len, ==, 9);
  tl_test_child_clear (&child);
}

/* ---- trace ids in text records --------------------------------------------- */

static void
test_trace_id_in_text (void)
{
  TlTestChild child;
  g_autoptr(GPtrArray) lines = NULL;
  const char *expected[] = {
    "plain",
    "[0/0] in 0/0",
    "[0/0] [__guards] guard in 0/0",
    "[1/0] in 1/0",
    "[1/0_1] two",
    "[1/0_1] lines in 1/0_1",
    "[!2/0/1] in compiled autograd",
    "in a context without id",
    "last",
  };

  run_worker (&child, "1", NULL, NULL);
  lines = record_lines (child.err);
  g_assert_cmpuint (lines->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      const char *bracket = strstr (line, "] ");

      /* The ids sit right after the location, before the artifact. */
      g_assert_nonnull (bracket);
      g_assert_cmpstr (bracket + 2, ==, expected[i]);
      g_assert_true (g_str_has_prefix (line, "[rank1]:"));
    }
  tl_test_child_clear (&child);
}

static void
test_trace_id_filter (void)
{
  TlTestChild child;
  g_autoptr(GPtrArray) lines = NULL;
  const char *expected[] = {
    "[0/0] in 0/0",
    "[0/0] [__guards] guard in 0/0",
    "[1/0_1] two",
    "[1/0_1] lines in 1/0_1",
  };

  /* Spec fact 48's value: items stripped, empty ones dropped. */
  run_worker (&child, NULL, NULL, " [0/0] , [1/0_1],");
  g_assert_cmpuint (count_prefixed (child.err, "torchlog: "), ==, 0);
  /* Records of other ids, or none, are dropped: no empty lines. */
  g_assert_null (strstr (child.err, "\n\n"));
  g_assert_true (child.err[0] != '\n');
  lines = record_lines (child.err);
  g_assert_cmpuint (lines->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < lines->len; i++)
    g_assert_cmpstr (line_message (g_ptr_array_index (lines, i)), ==, expected[i]);
  tl_test_child_clear (&child);
}

/* ---- a simulated job of four ranks ----------------------------------------- */

static void
test_multi_rank_job (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tl-ranks-XXXXXX", &error);
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "tlparse-check.py", NULL);
  GSubprocess *workers[4];
  g_autoptr(GDir) d = NULL;
  const char *name;
  guint n_files = 0;

  g_assert_no_error (error);
  /* All at once, as torchrun starts them; ranks 0, 2 and 3 print. */
  for (int rank = 0; rank < 4; rank++)
    {
      g_autoptr(GSubprocessLauncher) launcher =
        g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_autofree char *rank_text = g_strdup_printf ("%d", rank);

      g_subprocess_launcher_setenv (launcher, "RANK", rank_text, TRUE);
      g_subprocess_launcher_setenv (launcher, "TORCH_LOGS", "+myapp,guards", TRUE);
      g_subprocess_launcher_setenv (launcher, "TORCH_LOGS_RANKS", "0,2-3", TRUE);
      g_subprocess_launcher_setenv (launcher, "TORCH_TRACE", dir, TRUE);
      g_subprocess_launcher_unsetenv (launcher, "TORCH_LOGS_TRACE_ID_FILTER");
      g_subprocess_launcher_unsetenv (launcher, "TORCH_LOGS_OUT");
      g_subprocess_launcher_unsetenv (launcher, "TORCH_LOGS_FORMAT");
      workers[rank] = g_subprocess_launcher_spawn (launcher, &error, self, "--child", "worker", NULL);
      g_assert_no_error (error);
    }
  for (int rank = 0; rank < 4; rank++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *prefix = g_strdup_printf ("[rank%d]:", rank);

      g_assert_true (g_subprocess_communicate_utf8 (workers[rank], NULL, NULL, &out, &err, &error));
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_successful (workers[rank]));
      if (rank == 1)
        g_assert_cmpstr (err, ==, "");
      else
        {
          g_autoptr(GPtrArray) lines = record_lines (err);

          g_assert_cmpuint (lines->len, ==, 9);
          g_assert_cmpuint (count_prefixed (err, prefix), ==, 9);
        }
      g_object_unref (workers[rank]);
    }

  /* One trace file per rank, named after it, each passing tlparse's
   * rules with its own rank in every record. */
  d = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      const char *argv[] = { "/usr/bin/python3", script, "--summary", path, NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *expected = NULL;
      int status = 0;
      int rank;

      g_assert_true (g_str_has_prefix (name, "dedicated_log_torch_trace_rank_"));
      rank = name[strlen ("dedicated_log_torch_trace_rank_")] - '0';
      g_assert_cmpint (rank, >=, 0);
      g_assert_cmpint (rank, <, 4);
      g_assert_cmpint (name[strlen ("dedicated_log_torch_trace_rank_") + 1], ==, '_');
      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                   &out, &err, &status, &error));
      g_assert_no_error (error);
      if (!(WIFEXITED (status) && WEXITSTATUS (status) == 0))
        g_error ("%s fails tlparse's rules:\n%s", path, err);
      expected = g_strdup_printf ("\"ranks\": [%d]", rank);
      g_assert_nonnull (strstr (out, expected));
      g_assert_nonnull (strstr (out, "\"in_context\": 1"));
      g_assert_nonnull (strstr (out, "\"-_0_0_0\": 1"));
      g_unlink (path);
      n_files++;
    }
  g_assert_cmpuint (n_files, ==, 4);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  int child = tl_test_child_main (argc, argv, children);

  if (child >= 0)
    return child;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ranks/rank/from-environment", test_rank_from_environment);
  g_test_add_func ("/ranks/rank/invalid-environment", test_rank_invalid);
  g_test_add_func ("/ranks/rank/api", test_rank_api);
  g_test_add_func ("/ranks/filter/api", test_ranks_filter_api);
  g_test_add_func ("/ranks/filter/environment", test_ranks_filter_environment);
  g_test_add_func ("/ranks/filter/invalid-environment", test_ranks_filter_invalid_environment);
  g_test_add_func ("/ranks/trace-id/in-text", test_trace_id_in_text);
  g_test_add_func ("/ranks/trace-id/filter", test_trace_id_filter);
  g_test_add_func ("/ranks/job/four-ranks", test_multi_rank_job);
  return g_test_run ();
}
