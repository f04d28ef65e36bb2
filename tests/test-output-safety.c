/* test-output-safety.c: the output files under a file-size limit, on a
 * full disk, and opened in a shared directory (issue 13, defects 4, 6, 7
 * and 8)
 *
 * - SIGXFSZ: past RLIMIT_FSIZE, a program logging to TORCH_LOGS_OUT,
 *   TORCH_TRACE or a regular file as stderr keeps running (its SIGXFSZ at
 *   the default, terminate), with one warning naming the file and EFBIG.
 * - Torn lines: a write that stops part way (the limit, a full tmpfs) is
 *   taken back, so the file holds whole lines (whole records for the
 *   trace) only, and the lines written once there is room again start on
 *   a line of their own.
 * - Opening: in a sticky world-writable directory, a symbolic link or a
 *   file of another user is refused as the kernel's protected_symlinks,
 *   protected_regular and protected_fifos would (they are off here); a new
 *   TORCH_LOGS_OUT file is private (0600), both files are close-on-exec.
 *
 * The logging runs in child processes (tl-test-child.h): the limit, the
 * mount namespace of the full-disk cases and TORCH_TRACE (read once) must
 * not reach the test program. The ownership cases need root (to give a
 * link or a file to uid 65534) and are skipped otherwise; the full-disk
 * cases need a tmpfs mount in a private mount namespace and are skipped
 * where that is not permitted.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "reliability-util.h"
#include "tl-test-child.h"

#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>

#define NOBODY 65534

/* ---- in the child ----------------------------------------------------- */

static void
set_file_size_limit (rlim_t limit)
{
  struct rlimit rl;

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &rl), ==, 0);
  rl.rlim_cur = limit;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &rl), ==, 0);
}

/* SIGXFSZ as the test asks: at its default (terminate, as in a C
 * program) or ignored (as in Python, which isolates the torn line). */
static void
set_sigxfsz (void)
{
  const char *disposition = g_getenv ("TORCHLOG_TEST_SIGXFSZ");

  signal (SIGXFSZ, g_strcmp0 (disposition, "ignore") == 0 ? SIG_IGN : SIG_DFL);
}

/* SIGXFSZ is where the program left it: not blocked, none pending. */
static void
print_signal_state (void)
{
  sigset_t blocked, pending;
  struct sigaction action;

  g_assert_cmpint (pthread_sigmask (SIG_BLOCK, NULL, &blocked), ==, 0);
  g_assert_cmpint (sigpending (&pending), ==, 0);
  g_assert_cmpint (sigaction (SIGXFSZ, NULL, &action), ==, 0);
  printf ("sigxfsz_blocked=%d\n", sigismember (&blocked, SIGXFSZ));
  printf ("sigxfsz_pending=%d\n", sigismember (&pending, SIGXFSZ));
  printf ("sigpipe_pending=%d\n", sigismember (&pending, SIGPIPE));
  printf ("sigxfsz_default=%d\n", action.sa_handler == SIG_DFL);
}

static void
log_records (TlRegistry *registry, const char *phase, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *message = g_strdup_printf ("%s record %u %s", phase, i,
                                                  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
      write_record (registry, G_LOG_LEVEL_INFO, "app", message, -1);
    }
  tl_registry_flush (registry);
}

static char *
trace_payload (gpointer data)
{
  return g_strdup_printf ("payload %s %s", (const char *) data,
                          "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy");
}

/* @n records named @phase, from the source file @file (interned). */
static void
trace_records (const char *phase, guint n, const char *file)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) metadata = NULL;
      g_autofree char *tag = g_strdup_printf ("%s %u", phase, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "i");
      json_builder_add_int_value (builder, i);
      json_builder_end_object (builder);
      metadata = json_builder_get_root (builder);
      tl_trace_structured_full (file, __LINE__, G_STRFUNC, phase, metadata,
                                TL_TRACE_FLAGS_NONE, NULL, trace_payload, tag);
    }
}

/* TORCH_LOGS_OUT (from the environment) past a limit of 8 KiB; with
 * TORCHLOG_TEST_LIFT, the limit is lifted again and more lines follow. */
static void
child_limit_logs (void)
{
  g_autoptr(TlRegistry) registry = app_registry_new ();
  g_autoptr(GError) error = NULL;

  set_sigxfsz ();
  g_assert_true (tl_registry_init_logs (registry, &error));
  g_assert_no_error (error);
  set_file_size_limit (8192);
  log_records (registry, "before", 300);
  if (g_getenv ("TORCHLOG_TEST_LIFT") != NULL)
    {
      set_file_size_limit (RLIM_INFINITY);
      log_records (registry, "after", 100);
    }
  print_signal_state ();
  printf ("ok=1\n");
}

/* TORCH_TRACE past a limit of 8 KiB, then (TORCHLOG_TEST_LIFT) lifted. */
static void
child_limit_trace (void)
{
  g_autofree char *path = NULL;

  set_sigxfsz ();
  trace_records ("warmup", 1, __FILE__);
  path = tl_trace_dup_path ();
  g_assert_nonnull (path);
  set_file_size_limit (8192);
  trace_records ("before", 100, __FILE__);
  if (g_getenv ("TORCHLOG_TEST_LIFT") != NULL)
    {
      /* Records from a file first seen while records are dropped: its
       * `str` record is dropped with them, and must come back. */
      trace_records ("dropped", 3, "late/interned.c");
      set_file_size_limit (RLIM_INFINITY);
      trace_records ("after", 30, "late/interned.c");
    }
  print_signal_state ();
  printf ("path=%s\n", path);
  printf ("ok=1\n");
}

/* stderr a regular file past the limit, no TORCH_LOGS_OUT. */
static void
child_limit_stderr (void)
{
  g_autoptr(TlRegistry) registry = app_registry_new ();
  int fd = g_open (g_getenv ("TORCHLOG_TEST_PATH"), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (dup2 (fd, STDERR_FILENO), ==, STDERR_FILENO);
  close (fd);
  set_sigxfsz ();
  set_file_size_limit (8192);
  log_records (registry, "before", 300);
  print_signal_state ();
  printf ("ok=1\n");
}

/* A private tmpfs of 64 KiB (in a mount namespace of its own, gone with
 * the child), half taken by a filler file: the log or the trace file
 * fills the rest, then the filler is removed and more follows. The file
 * is copied out of the tmpfs for the parent to check. */
static void
child_full_disk (void)
{
  const char *dir = g_getenv ("TORCHLOG_TEST_DIR");
  gboolean trace = g_strcmp0 (g_getenv ("TORCHLOG_TEST_WHAT"), "trace") == 0;
  g_autofree char *mnt = g_build_filename (dir, "mnt", NULL);
  g_autofree char *filler = g_build_filename (mnt, "filler", NULL);
  g_autofree char *copy = g_build_filename (dir, "copy.log", NULL);
  g_autofree char *fill = g_strnfill (32 * 1024, 'f');
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  if (unshare (CLONE_NEWNS) != 0 ||
      mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
      mount ("torchlog-test", mnt, "tmpfs", 0, "size=64k") != 0)
    {
      printf ("skip=no private tmpfs: %s\n", g_strerror (errno));
      return;
    }
  g_assert_true (g_file_set_contents (filler, fill, -1, &error));
  g_assert_no_error (error);

  if (trace)
    {
      trace_records ("before", 150, __FILE__);
      trace_records ("dropped", 3, "late/interned.c");
      path = tl_trace_dup_path ();
      g_assert_cmpint (g_unlink (filler), ==, 0);
      trace_records ("after", 30, "late/interned.c");
    }
  else
    {
      g_autoptr(TlRegistry) registry = app_registry_new ();

      path = g_build_filename (mnt, "out.log", NULL);
      g_setenv ("TORCH_LOGS_OUT", path, TRUE);
      g_assert_true (tl_registry_init_logs (registry, &error));
      g_assert_no_error (error);
      log_records (registry, "before", 600);
      g_assert_cmpint (g_unlink (filler), ==, 0);
      log_records (registry, "after", 100);
    }
  g_assert_nonnull (path);
  g_assert_true (g_file_get_contents (path, &text, &len, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (copy, text, len, &error));
  g_assert_no_error (error);
  printf ("path=%s\n", path);
  printf ("ok=1\n");
}

/* TORCH_TRACE (from the environment): one record; prints where the file
 * is, its mode and whether its descriptor is close-on-exec. */
static void
child_trace_open (void)
{
  g_autofree char *path = NULL;

  trace_records ("opened", 1, __FILE__);
  path = tl_trace_dup_path ();
  printf ("enabled=%d\n", tl_trace_is_enabled ());
  if (path != NULL)
    {
      g_autoptr(GDir) fds = g_dir_open ("/proc/self/fd", 0, NULL);
      const char *name;
      struct stat st;

      g_assert_cmpint (g_stat (path, &st), ==, 0);
      printf ("path=%s\n", path);
      printf ("mode=%o\n", (unsigned) (st.st_mode & 07777));
      while (fds != NULL && (name = g_dir_read_name (fds)) != NULL)
        {
          g_autofree char *link = g_strconcat ("/proc/self/fd/", name, NULL);
          g_autofree char *target = g_file_read_link (link, NULL);
          g_autofree char *real = realpath (path, NULL);

          if (target != NULL && g_strcmp0 (target, real) == 0)
            printf ("cloexec=%d\n", (fcntl (atoi (name), F_GETFD) & FD_CLOEXEC) != 0);
        }
    }
}

static const TlTestChildFunc children[] = {
  { "limit-logs", child_limit_logs },
  { "limit-trace", child_limit_trace },
  { "limit-stderr", child_limit_stderr },
  { "full-disk", child_full_disk },
  { "trace-open", child_trace_open },
  { NULL, NULL },
};

/* ---- checking the files ----------------------------------------------- */

/* Exactly one line of @err mentions @marker, and it names @path and
 * @error_text. */
static void
assert_one_warning (const char *err, const char *marker, const char *path,
                    const char *error_text)
{
  g_autofree char *warning = line_with (err, marker);

  g_assert_cmpuint (count_lines_with (err, marker), ==, 1);
  g_test_message ("the warning: %s", warning);
  g_assert_nonnull (strstr (warning, path));
  g_assert_nonnull (strstr (warning, error_text));
}

static void
assert_child_ok (const TlTestChild *child)
{
  g_autofree char *ok = tl_test_child_value (child, "ok");

  g_assert_true (child->exited);
  g_assert_cmpint (child->exit_code, ==, 0);
  g_assert_cmpstr (ok, ==, "1");
}

static void
assert_signals_restored (const TlTestChild *child)
{
  const char *keys[] = { "sigxfsz_blocked", "sigxfsz_pending", "sigpipe_pending" };

  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *value = tl_test_child_value (child, keys[i]);
      g_assert_cmpstr (value, ==, "0");
    }
}

/* Every line of the TORCH_LOGS_OUT @text is one whole record: the
 * `before` records 0…k-1 (returns k) then the `after` records
 * 0…@n_after-1, each once, in order. */
static guint
check_log_file (const char *text, gsize len, guint n_after)
{
  g_autoptr(GRegex) regex =
    g_regex_new ("^I\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{6} \\d+ reliability\\.c:7\\] "
                 "(before|after) record (\\d+) x{40}$", 0, 0, NULL);
  g_auto(GStrv) lines = NULL;
  guint next_before = 0, next_after = 0;

  g_assert_true (len == 0 || text[len - 1] == '\n');
  g_assert_cmpuint (strlen (text), ==, len);
  lines = tl_test_split_lines (text);
  for (gsize i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *phase = NULL;
      g_autofree char *number = NULL;

      if (!g_regex_match (regex, lines[i], 0, &match))
        g_error ("line %" G_GSIZE_FORMAT " of the file is not one whole record: %s",
                 i + 1, lines[i]);
      phase = g_match_info_fetch (match, 1);
      number = g_match_info_fetch (match, 2);
      if (g_str_equal (phase, "before"))
        {
          g_assert_cmpuint (next_after, ==, 0);
          g_assert_cmpuint (g_ascii_strtoull (number, NULL, 10), ==, next_before);
          next_before++;
        }
      else
        {
          g_assert_cmpuint (g_ascii_strtoull (number, NULL, 10), ==, next_after);
          next_after++;
        }
    }
  g_assert_cmpuint (next_after, ==, n_after);
  return next_before;
}

static void
collect_filename_ids (JsonNode *node, GArray *ids)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *member = json_object_get_member (object, l->data);

          if (g_str_equal (l->data, "filename") && JSON_NODE_HOLDS_VALUE (member))
            {
              int id = (int) json_node_get_int (member);
              g_array_append_val (ids, id);
            }
          else
            collect_filename_ids (member, ids);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        collect_filename_ids (json_array_get_element (array, i), ids);
    }
}

/* The trace file @text holds whole records only: every line is a glog
 * prefix and a JSON object, or a payload line right after a record that
 * has one; every interned filename a record uses is defined above it
 * (the file stands alone). Returns how many records named @phase it
 * holds, checking they are 0, 1, … in order. */
static guint
check_trace_file (const char *text, gsize len, const char *phase)
{
  g_autoptr(GRegex) regex =
    g_regex_new ("^V\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{6} \\d+ [^:]+:\\d+\\] (\\{.*\\})$", 0, 0, NULL);
  g_autoptr(GHashTable) strings = g_hash_table_new (NULL, NULL);
  g_auto(GStrv) lines = NULL;
  gboolean payload_expected = FALSE, payload_seen = FALSE;
  guint next = 0;

  g_assert_true (len == 0 || text[len - 1] == '\n');
  g_assert_cmpuint (strlen (text), ==, len);
  lines = tl_test_split_lines (text);
  for (gsize i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (int));
      g_autofree char *json = NULL;
      JsonObject *record;

      if (lines[i][0] == '\t')
        {
          if (!payload_expected)
            g_error ("line %" G_GSIZE_FORMAT ": a payload line without its record: %s",
                     i + 1, lines[i]);
          payload_seen = TRUE;
          continue;
        }
      if (payload_expected && !payload_seen)
        g_error ("line %" G_GSIZE_FORMAT ": the record above lost its payload", i + 1);
      if (!g_regex_match (regex, lines[i], 0, &match))
        g_error ("line %" G_GSIZE_FORMAT " of the trace is not one whole record: %s",
                 i + 1, lines[i]);
      json = g_match_info_fetch (match, 1);
      node = json_from_string (json, &error);
      if (node == NULL)
        g_error ("line %" G_GSIZE_FORMAT ": not JSON (%s): %s", i + 1, error->message, lines[i]);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      record = json_node_get_object (node);
      payload_expected = json_object_has_member (record, "has_payload");
      payload_seen = FALSE;
      if (json_object_has_member (record, "str"))
        {
          JsonArray *pair = json_object_get_array_member (record, "str");
          g_hash_table_add (strings, GINT_TO_POINTER ((int) json_array_get_int_element (pair, 1) + 1));
          continue;
        }
      collect_filename_ids (node, ids);
      for (guint k = 0; k < ids->len; k++)
        if (!g_hash_table_contains (strings, GINT_TO_POINTER (g_array_index (ids, int, k) + 1)))
          g_error ("line %" G_GSIZE_FORMAT ": filename %d is not defined in the file",
                   i + 1, g_array_index (ids, int, k));
      if (json_object_has_member (record, phase))
        {
          JsonObject *metadata = json_object_get_object_member (record, phase);

          g_assert_cmpint (json_object_get_int_member (metadata, "i"), ==, next);
          next++;
        }
    }
  if (payload_expected && !payload_seen)
    g_error ("the last record lost its payload");
  return next;
}

/* The one trace file in @dir. */
static char *
only_file_in (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  char *path = NULL;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_assert_null (path);
      path = g_build_filename (dir, name, NULL);
    }
  g_assert_nonnull (path);
  return path;
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

/* ---- SIGXFSZ ------------------------------------------------------------ */

static void
test_limit_logs (void)
{
  g_autofree char *dir = g_dir_make_tmp ("torchlog-safety-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.log", NULL);
  g_autofree char *text = NULL;
  TlTestChild child;
  guint kept;
  gsize len;

  /* SIGXFSZ at its default: without the guard, the child dies (153). */
  tl_test_child_run (&child, "limit-logs", "TORCH_LOGS_OUT", path, NULL);
  assert_child_ok (&child);
  assert_signals_restored (&child);
  assert_one_warning (child.err, path, path, g_strerror (EFBIG));
  /* stderr still got every record. */
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *message = g_strdup_printf ("] before record %u x", i);
      g_assert_cmpuint (count_occurrences (child.err, message), ==, 1);
    }
  text = read_whole_file (path, &len);
  g_assert_cmpuint (len, <=, 8192);
  kept = check_log_file (text, len, 0);
  g_test_message ("%u whole lines in %" G_GSIZE_FORMAT " bytes", kept, len);
  g_assert_cmpuint (kept, >, 0);
  tl_test_child_clear (&child);
  remove_tree (dir);
}

static void
test_limit_trace (void)
{
  g_autofree char *dir = g_dir_make_tmp ("torchlog-safety-XXXXXX", NULL);
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  TlTestChild child;
  gsize len;

  tl_test_child_run (&child, "limit-trace", "TORCH_TRACE", dir, "RANK", NULL, NULL);
  assert_child_ok (&child);
  assert_signals_restored (&child);
  path = tl_test_child_value (&child, "path");
  assert_one_warning (child.err, "trace file", path, g_strerror (EFBIG));
  text = read_whole_file (path, &len);
  g_assert_cmpuint (len, <=, 8192);
  g_test_message ("%u whole records in %" G_GSIZE_FORMAT " bytes",
                  check_trace_file (text, len, "before"), len);
  tl_test_child_clear (&child);
  remove_tree (dir);
}

static void
test_limit_stderr (void)
{
  g_autofree char *dir = g_dir_make_tmp ("torchlog-safety-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "stderr.log", NULL);
  TlTestChild child;
  struct stat st;

  tl_test_child_run (&child, "limit-stderr", "TORCHLOG_TEST_PATH", path, NULL);
  assert_child_ok (&child);
  assert_signals_restored (&child);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, <=, 8192);
  tl_test_child_clear (&child);
  remove_tree (dir);
}

/* ---- torn lines ----------------------------------------------------------- */

/* SIGXFSZ ignored, as Python has it: the write fails with EFBIG part way
 * through a line; the limit is lifted and logging goes on. */
static void
test_torn_logs (void)
{
  g_autofree char *dir = g_dir_make_tmp ("torchlog-safety-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.log", NULL);
  g_autofree char *text = NULL;
  TlTestChild child;
  gsize len;

  tl_test_child_run (&child, "limit-logs", "TORCH_LOGS_OUT", path,
                     "TORCHLOG_TEST_SIGXFSZ", "ignore", "TORCHLOG_TEST_LIFT", "1", NULL);
  assert_child_ok (&child);
  assert_one_warning (child.err, path, path, g_strerror (EFBIG));
  text = read_whole_file (path, &len);
  g_test_message ("kept %u lines before the limit", check_log_file (text, len, 100));
  tl_test_child_clear (&child);
  remove_tree (dir);
}

static void
test_torn_trace (void)
{
  g_autofree char *dir = g_dir_make_tmp ("torchlog-safety-XXXXXX", NULL);
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  TlTestChild child;
  gsize len;

  tl_test_child_run (&child, "limit-trace", "TORCH_TRACE", dir, "RANK", NULL,
                     "TORCHLOG_TEST_SIGXFSZ", "ignore", "TORCHLOG_TEST_LIFT", "1", NULL);
  assert_child_ok (&child);
  path = tl_test_child_value (&child, "path");
  assert_one_warning (child.err, "trace file", path, g_strerror (EFBIG));
  text = read_whole_file (path, &len);
  g_assert_cmpuint (check_trace_file (text, len, "after"), ==, 30);
  tl_test_child_clear (&child);
  remove_tree (dir);
}

static void
run_full_disk (const char *what)
{
  g_autofree char *dir = g_dir_make_tmp ("torchlog-safety-XXXXXX", NULL);
  g_autofree char *mnt = g_build_filename (dir, "mnt", NULL);
  g_autofree char *copy = g_build_filename (dir, "copy.log", NULL);
  g_autofree char *trace_dir = g_build_filename (mnt, "trace", NULL);
  g_autofree char *skip = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  TlTestChild child;
  gsize len;

  g_assert_cmpint (g_mkdir (mnt, 0700), ==, 0);
  tl_test_child_run (&child, "full-disk", "TORCHLOG_TEST_DIR", dir, "TORCHLOG_TEST_WHAT", what,
                     "TORCH_TRACE", g_str_equal (what, "trace") ? trace_dir : NULL,
                     "RANK", NULL, NULL);
  skip = tl_test_child_value (&child, "skip");
  if (skip != NULL)
    {
      g_test_skip (skip);
      tl_test_child_clear (&child);
      remove_tree (dir);
      return;
    }
  assert_child_ok (&child);
  path = tl_test_child_value (&child, "path");
  assert_one_warning (child.err, g_str_equal (what, "trace") ? "trace file" : path, path,
                      g_strerror (ENOSPC));
  text = read_whole_file (copy, &len);
  if (g_str_equal (what, "trace"))
    g_assert_cmpuint (check_trace_file (text, len, "after"), ==, 30);
  else
    g_test_message ("kept %u lines before the disk was full", check_log_file (text, len, 100));
  tl_test_child_clear (&child);
  remove_tree (dir);
}

static void
test_full_disk_logs (void)
{
  run_full_disk ("logs");
}

static void
test_full_disk_trace (void)
{
  run_full_disk ("trace");
}

/* ---- opening in a shared directory ------------------------------------- */

static gboolean
need_root (void)
{
  if (geteuid () == 0)
    return TRUE;
  g_test_skip ("needs root, to give files to another user");
  return FALSE;
}

/* A sticky world-writable directory, as /tmp, owned by the caller. */
static char *
make_sticky_dir (void)
{
  char *dir = g_dir_make_tmp ("torchlog-sticky-XXXXXX", NULL);

  g_assert_nonnull (dir);
  g_assert_cmpint (chmod (dir, 01777), ==, 0);
  return dir;
}

static char *
make_victim (const char *dir)
{
  char *victim = g_build_filename (dir, "victim.txt", NULL);

  g_assert_true (g_file_set_contents (victim, "precious\n", -1, NULL));
  return victim;
}

static void
assert_contents (const char *path, const char *expected)
{
  g_autofree char *text = NULL;
  gsize len;

  text = read_whole_file (path, &len);
  g_assert_cmpstr (text, ==, expected);
}

/* @path is refused, from code (a GError) and from TORCH_LOGS_OUT (one
 * warning, stderr only); logging goes on. */
static void
assert_refused (const char *path, const char *reason)
{
  g_autoptr(TlRegistry) registry = app_registry_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  StderrCapture capture;
  gsize len;

  g_assert_false (tl_registry_set_output_file (registry, path, &error));
  g_assert_error (error, TL_ERROR, TL_ERROR_OUTPUT);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, reason));
  write_record (registry, G_LOG_LEVEL_INFO, "app", "after the refusal", -1);
  tl_registry_flush (registry);
  g_clear_object (&registry);

  registry = app_registry_new ();
  g_setenv ("TORCH_LOGS_OUT", path, TRUE);
  stderr_capture_begin (&capture);
  g_assert_true (tl_registry_init_logs (registry, NULL));
  write_record (registry, G_LOG_LEVEL_INFO, "app", "after the refusal", -1);
  tl_registry_flush (registry);
  g_clear_object (&registry);
  g_unsetenv ("TORCH_LOGS_OUT");
  err = stderr_capture_end (&capture, &len);
  g_test_message ("stderr: %s", err);
  g_assert_cmpuint (count_lines_with (err, path), ==, 1);
  g_assert_nonnull (strstr (err, reason));
  g_assert_cmpuint (count_occurrences (err, "] after the refusal\n"), ==, 1);
}

/* @path is accepted and receives the lines. */
static void
assert_accepted (const char *path, const char *target)
{
  g_autoptr(TlRegistry) registry = app_registry_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  StderrCapture capture;
  gsize len;

  stderr_capture_begin (&capture);
  g_assert_true (tl_registry_set_output_file (registry, path, &error));
  g_assert_no_error (error);
  write_record (registry, G_LOG_LEVEL_INFO, "app", "accepted", -1);
  tl_registry_flush (registry);
  g_clear_object (&registry);
  g_free (stderr_capture_end (&capture, &len));
  text = read_whole_file (target, &len);
  g_assert_true (g_str_has_suffix (text, "] accepted\n"));
}

static void
test_open_sticky_symlink (void)
{
  g_autofree char *sticky = NULL;
  g_autofree char *safe = NULL;
  g_autofree char *victim = NULL;
  g_autofree char *link = NULL;
  g_autofree char *dangling = NULL;
  g_autofree char *created = NULL;

  if (!need_root ())
    return;
  sticky = make_sticky_dir ();
  safe = g_dir_make_tmp ("torchlog-victim-XXXXXX", NULL);
  victim = make_victim (safe);
  created = g_build_filename (safe, "created.log", NULL);

  /* Another user's link to an existing file, and to one that does not
   * exist yet: neither is followed. */
  link = g_build_filename (sticky, "out.log", NULL);
  g_assert_cmpint (symlink (victim, link), ==, 0);
  g_assert_cmpint (lchown (link, NOBODY, NOBODY), ==, 0);
  assert_refused (link, "symbolic link");
  assert_contents (victim, "precious\n");

  dangling = g_build_filename (sticky, "new.log", NULL);
  g_assert_cmpint (symlink (created, dangling), ==, 0);
  g_assert_cmpint (lchown (dangling, NOBODY, NOBODY), ==, 0);
  assert_refused (dangling, "symbolic link");
  g_assert_false (g_file_test (created, G_FILE_TEST_EXISTS));

  /* The caller's own link is followed, and so is any link once the
   * directory belongs to the link's owner. */
  g_assert_cmpint (lchown (link, 0, 0), ==, 0);
  assert_accepted (link, victim);
  g_assert_cmpint (chown (sticky, NOBODY, NOBODY), ==, 0);
  assert_accepted (dangling, created);

  remove_tree (sticky);
  remove_tree (safe);
}

static void
test_open_sticky_foreign_file (void)
{
  g_autofree char *sticky = NULL;
  g_autofree char *victim = NULL;
  g_autofree char *fifo = NULL;
  int reader;

  if (!need_root ())
    return;
  sticky = make_sticky_dir ();

  /* A file another user created in the shared directory. */
  victim = make_victim (sticky);
  g_assert_cmpint (chown (victim, NOBODY, NOBODY), ==, 0);
  assert_refused (victim, "another user");
  assert_contents (victim, "precious\n");

  /* A FIFO of another user, with a reader waiting for our lines. */
  fifo = g_build_filename (sticky, "fifo", NULL);
  g_assert_cmpint (mkfifo (fifo, 0666), ==, 0);
  g_assert_cmpint (chown (fifo, NOBODY, NOBODY), ==, 0);
  reader = open (fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  g_assert_cmpint (reader, >=, 0);
  assert_refused (fifo, "another user");
  {
    char buffer[64];
    g_assert_cmpint (read (reader, buffer, sizeof buffer), <=, 0);
  }
  close (reader);

  /* The directory's owner's file is appended to (a file of the caller's
   * is, too: assert_accepted() of the other cases). */
  g_assert_cmpint (chown (sticky, NOBODY, NOBODY), ==, 0);
  assert_accepted (victim, victim);

  remove_tree (sticky);
}

/* A link in the middle of the path (`/tmp/dir-link/out.log`), and one met
 * inside what another link points to: the kernel checks every link of a
 * walk, and so does torchlog. */
static void
test_open_sticky_symlink_in_path (void)
{
  g_autofree char *sticky = NULL;
  g_autofree char *safe = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *dir_link = NULL;
  g_autofree char *through_dir = NULL;
  g_autofree char *foreign = NULL;
  g_autofree char *chained = NULL;
  g_autofree char *victim = NULL;

  if (!need_root ())
    return;
  sticky = make_sticky_dir ();
  safe = g_dir_make_tmp ("torchlog-victim-XXXXXX", NULL);
  plain = g_dir_make_tmp ("torchlog-plain-XXXXXX", NULL);
  victim = make_victim (safe);

  /* Another user's link to a directory, in the middle of the path. */
  dir_link = g_build_filename (sticky, "dir-link", NULL);
  g_assert_cmpint (symlink (safe, dir_link), ==, 0);
  g_assert_cmpint (lchown (dir_link, NOBODY, NOBODY), ==, 0);
  through_dir = g_build_filename (dir_link, "victim.txt", NULL);
  assert_refused (through_dir, "symbolic link");
  assert_contents (victim, "precious\n");
  {
    g_autofree char *created = g_build_filename (dir_link, "new.log", NULL);
    g_autofree char *would_be = g_build_filename (safe, "new.log", NULL);

    assert_refused (created, "symbolic link");
    g_assert_false (g_file_test (would_be, G_FILE_TEST_EXISTS));
  }

  /* A link of the caller's, in a plain directory, to another user's
   * link in the shared one. */
  foreign = g_build_filename (sticky, "foreign", NULL);
  g_assert_cmpint (symlink (victim, foreign), ==, 0);
  g_assert_cmpint (lchown (foreign, NOBODY, NOBODY), ==, 0);
  chained = g_build_filename (plain, "out.log", NULL);
  g_assert_cmpint (symlink (foreign, chained), ==, 0);
  assert_refused (chained, "symbolic link");
  assert_contents (victim, "precious\n");

  /* Once they are the caller's, both are followed. */
  g_assert_cmpint (lchown (dir_link, 0, 0), ==, 0);
  assert_accepted (through_dir, victim);
  g_assert_cmpint (lchown (foreign, 0, 0), ==, 0);
  assert_accepted (chained, victim);

  remove_tree (sticky);
  remove_tree (safe);
  remove_tree (plain);
}

/* protected_regular=2: a sticky directory only a group may write to is
 * shared too. */
static void
test_open_sticky_group_dir (void)
{
  g_autofree char *sticky = NULL;
  g_autofree char *victim = NULL;

  if (!need_root ())
    return;
  sticky = make_sticky_dir ();
  g_assert_cmpint (chmod (sticky, 01770), ==, 0);
  victim = make_victim (sticky);
  g_assert_cmpint (chown (victim, NOBODY, NOBODY), ==, 0);
  assert_refused (victim, "another user");
  assert_contents (victim, "precious\n");

  /* Not sticky: an ordinary directory, whose files are opened. */
  g_assert_cmpint (chmod (sticky, 0770), ==, 0);
  assert_accepted (victim, victim);
  remove_tree (sticky);
}

/* /dev/stdout and /proc/self/fd/N are links the kernel resolves to an
 * open file (a pipe has no path): they still work. */
static void
test_open_proc_links (void)
{
  g_autoptr(TlRegistry) registry = app_registry_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  char buffer[256];
  gssize got;
  int fds[2];

  g_assert_cmpint (pipe (fds), ==, 0);
  path = g_strdup_printf ("/proc/self/fd/%d", fds[1]);
  g_assert_true (tl_registry_set_output_file (registry, path, &error));
  g_assert_no_error (error);
  write_record (registry, G_LOG_LEVEL_INFO, "app", "through the pipe", -1);
  tl_registry_flush (registry);
  g_clear_object (&registry);
  close (fds[1]);
  got = read (fds[0], buffer, sizeof buffer - 1);
  g_assert_cmpint (got, >, 0);
  buffer[got] = '\0';
  g_assert_nonnull (strstr (buffer, "] through the pipe\n"));
  close (fds[0]);
}

/* Outside a sticky directory nothing changes: a link of another user is
 * followed, as before (the kernel's rules are about shared directories). */
static void
test_open_plain_dir_symlink (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *victim = NULL;
  g_autofree char *link = NULL;

  if (!need_root ())
    return;
  dir = g_dir_make_tmp ("torchlog-plain-XXXXXX", NULL);
  victim = make_victim (dir);
  link = g_build_filename (dir, "out.log", NULL);
  g_assert_cmpint (symlink (victim, link), ==, 0);
  g_assert_cmpint (lchown (link, NOBODY, NOBODY), ==, 0);
  assert_accepted (link, victim);
  remove_tree (dir);
}

static void
test_open_mode (void)
{
  g_autofree char *dir = g_dir_make_tmp ("torchlog-safety-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.log", NULL);
  g_autofree char *existing = g_build_filename (dir, "existing.log", NULL);
  mode_t old_mask = umask (022);
  struct stat st;

  assert_accepted (path, path);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);

  /* An existing file keeps its mode. */
  g_assert_true (g_file_set_contents (existing, "", 0, NULL));
  g_assert_cmpint (chmod (existing, 0644), ==, 0);
  assert_accepted (existing, existing);
  g_assert_cmpint (g_stat (existing, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0644);
  umask (old_mask);
  remove_tree (dir);
}

static void
test_open_cloexec (void)
{
  g_autofree char *dir = g_dir_make_tmp ("torchlog-safety-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.log", NULL);
  g_autofree char *real = NULL;
  g_autoptr(TlRegistry) registry = app_registry_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) fds = NULL;
  const char *name;
  guint found = 0;

  g_assert_true (tl_registry_set_output_file (registry, path, &error));
  g_assert_no_error (error);
  real = realpath (path, NULL);
  fds = g_dir_open ("/proc/self/fd", 0, NULL);
  g_assert_nonnull (fds);
  while ((name = g_dir_read_name (fds)) != NULL)
    {
      g_autofree char *link = g_strconcat ("/proc/self/fd/", name, NULL);
      g_autofree char *target = g_file_read_link (link, NULL);

      if (target != NULL && g_strcmp0 (target, real) == 0)
        {
          g_assert_cmpint (fcntl (atoi (name), F_GETFD) & FD_CLOEXEC, ==, FD_CLOEXEC);
          found++;
        }
    }
  g_assert_cmpuint (found, ==, 1);
  g_clear_object (&registry);
  remove_tree (dir);
}

static void
test_trace_open (void)
{
  g_autofree char *dir = g_dir_make_tmp ("torchlog-safety-XXXXXX", NULL);
  g_autofree char *mode = NULL;
  g_autofree char *cloexec = NULL;
  TlTestChild child;

  tl_test_child_run (&child, "trace-open", "TORCH_TRACE", dir, "RANK", NULL, NULL);
  g_assert_true (child.exited && child.exit_code == 0);
  mode = tl_test_child_value (&child, "mode");
  cloexec = tl_test_child_value (&child, "cloexec");
  g_assert_cmpstr (mode, ==, "600");
  g_assert_cmpstr (cloexec, ==, "1");
  tl_test_child_clear (&child);
  remove_tree (dir);
}

/* TORCH_TRACE naming a link another user planted in a shared directory:
 * no file is created where it points. */
static void
test_trace_sticky_symlink (void)
{
  g_autofree char *sticky = NULL;
  g_autofree char *target = NULL;
  g_autofree char *link = NULL;
  g_autofree char *enabled = NULL;
  g_autofree char *created = NULL;
  g_autofree char *slashed = NULL;
  TlTestChild child;

  if (!need_root ())
    return;
  sticky = make_sticky_dir ();
  target = g_dir_make_tmp ("torchlog-victim-XXXXXX", NULL);
  link = g_build_filename (sticky, "trace", NULL);
  g_assert_cmpint (symlink (target, link), ==, 0);
  g_assert_cmpint (lchown (link, NOBODY, NOBODY), ==, 0);

  tl_test_child_run (&child, "trace-open", "TORCH_TRACE", link, "RANK", NULL, NULL);
  g_assert_true (child.exited && child.exit_code == 0);
  enabled = tl_test_child_value (&child, "enabled");
  g_assert_cmpstr (enabled, ==, "0");
  assert_one_warning (child.err, "cannot create a trace file", link, "symbolic link");
  tl_test_child_clear (&child);

  /* Nor through a trailing slash, which would make open() follow it. */
  slashed = g_strconcat (link, "/", NULL);
  tl_test_child_run (&child, "trace-open", "TORCH_TRACE", slashed, "RANK", NULL, NULL);
  g_assert_true (child.exited && child.exit_code == 0);
  g_clear_pointer (&enabled, g_free);
  enabled = tl_test_child_value (&child, "enabled");
  g_assert_cmpstr (enabled, ==, "0");
  assert_one_warning (child.err, "cannot create a trace file", link, "symbolic link");
  tl_test_child_clear (&child);
  {
    g_autoptr(GDir) handle = g_dir_open (target, 0, NULL);
    g_assert_null (g_dir_read_name (handle));
  }

  /* The caller's own link is followed. */
  g_assert_cmpint (lchown (link, 0, 0), ==, 0);
  tl_test_child_run (&child, "trace-open", "TORCH_TRACE", link, "RANK", NULL, NULL);
  g_assert_true (child.exited && child.exit_code == 0);
  created = only_file_in (target);
  g_assert_true (g_str_has_prefix (created + strlen (target) + 1, "dedicated_log_torch_trace_"));
  tl_test_child_clear (&child);

  remove_tree (sticky);
  remove_tree (target);
}

int
main (int argc, char **argv)
{
  int child_status = tl_test_child_main (argc, argv, children);

  if (child_status >= 0)
    return child_status;
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/output-safety/sigxfsz/logs-out", test_limit_logs);
  g_test_add_func ("/output-safety/sigxfsz/trace", test_limit_trace);
  g_test_add_func ("/output-safety/sigxfsz/stderr", test_limit_stderr);
  g_test_add_func ("/output-safety/torn/logs-out", test_torn_logs);
  g_test_add_func ("/output-safety/torn/trace", test_torn_trace);
  g_test_add_func ("/output-safety/full-disk/logs-out", test_full_disk_logs);
  g_test_add_func ("/output-safety/full-disk/trace", test_full_disk_trace);
  g_test_add_func ("/output-safety/open/sticky-symlink", test_open_sticky_symlink);
  g_test_add_func ("/output-safety/open/sticky-foreign-file", test_open_sticky_foreign_file);
  g_test_add_func ("/output-safety/open/sticky-symlink-in-path", test_open_sticky_symlink_in_path);
  g_test_add_func ("/output-safety/open/sticky-group-dir", test_open_sticky_group_dir);
  g_test_add_func ("/output-safety/open/proc-links", test_open_proc_links);
  g_test_add_func ("/output-safety/open/plain-dir-symlink", test_open_plain_dir_symlink);
  g_test_add_func ("/output-safety/open/mode", test_open_mode);
  g_test_add_func ("/output-safety/open/cloexec", test_open_cloexec);
  g_test_add_func ("/output-safety/trace/open", test_trace_open);
  g_test_add_func ("/output-safety/trace/sticky-symlink", test_trace_sticky_symlink);

  return g_test_run ();
}
