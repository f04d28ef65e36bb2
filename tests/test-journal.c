/* test-journal.c: records sent to the systemd journal, with their fields
 *
 * A datagram socket stands in for journald: the test re-runs itself in a
 * private mount namespace (`unshare --mount`), mounts a tmpfs on /run
 * there, and binds /run/systemd/journal/socket, where GLib's journal
 * writer sends entries. Nothing outside the test sees either. Each entry
 * received is parsed with the journal's native protocol (`KEY=value\n`,
 * or `KEY\n` + 64-bit length + data + `\n` for values with newlines) and
 * its fields checked: TORCHLOG_COMPONENT (so `journalctl
 * TORCHLOG_COMPONENT=dynamo` selects one component), TORCHLOG_ARTIFACT,
 * TORCHLOG_RANK, TORCHLOG_TRACE_ID and the code location.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define TL_LOG_DOMAIN "torch._dynamo.eval_frame"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <torchlog/torchlog.h>

#include "tl-test-child.h"

#define JOURNAL_DIR    "/run/systemd/journal"
#define JOURNAL_SOCKET JOURNAL_DIR "/socket"
#define JOURNAL_STDOUT JOURNAL_DIR "/stdout"

static int journal_fd = -1;   /* the stand-in journald */

/* ---- the stand-in journald ------------------------------------------------- */

static int
bind_unix (int type, const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, type | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  g_strlcpy (addr.sun_path, path, sizeof addr.sun_path);
  g_unlink (path);
  if (bind (fd, (struct sockaddr *) &addr, sizeof addr) < 0)
    g_error ("cannot bind %s: %s", path, g_strerror (errno));
  return fd;
}

static void
start_journal (void)
{
  journal_fd = bind_unix (SOCK_DGRAM, JOURNAL_SOCKET);
}

/* One entry's fields; a key seen twice keeps both values, joined by "|". */
static GHashTable *
parse_entry (const char *data, gsize len)
{
  GHashTable *fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *p = data, *end = data + len;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *eq = memchr (p, '=', (nl ? nl : end) - p);
      g_autofree char *key = NULL;
      char *value;

      g_assert_nonnull (nl);
      if (eq != NULL)
        {
          key = g_strndup (p, eq - p);
          value = g_strndup (eq + 1, nl - eq - 1);
          p = nl + 1;
        }
      else
        {
          guint64 size = 0;

          /* KEY\n, then the value's size as 64-bit little endian. */
          key = g_strndup (p, nl - p);
          g_assert_cmpint (end - (nl + 1), >=, 8);
          for (int i = 7; i >= 0; i--)
            size = (size << 8) | (guchar) nl[1 + i];
          g_assert_cmpuint (size, <=, (guint64) (end - (nl + 9)));
          value = g_strndup (nl + 9, size);
          g_assert_cmpint (nl[9 + size], ==, '\n');
          p = nl + 9 + size + 1;
        }
      if (g_hash_table_contains (fields, key))
        {
          char *both = g_strconcat (g_hash_table_lookup (fields, key), "|", value, NULL);
          g_free (value);
          value = both;
        }
      g_hash_table_replace (fields, g_steal_pointer (&key), value);
    }
  return fields;
}

/* Every entry received since the last call. */
static GPtrArray *
receive_entries (void)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  char buf[65536];

  for (;;)
    {
      gssize n = recv (journal_fd, buf, sizeof buf, MSG_DONTWAIT);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        break;
      g_ptr_array_add (entries, parse_entry (buf, n));
    }
  return entries;
}

static const char *
field (GPtrArray *entries, guint index, const char *key)
{
  g_assert_cmpuint (index, <, entries->len);
  return g_hash_table_lookup (g_ptr_array_index (entries, index), key);
}

/* ---- stderr, redirected ---------------------------------------------------- */

typedef struct {
  int saved;
  int read_end;
} Redirect;

/* Points stderr at @fd (or at a new pipe if @fd < 0). */
static void
redirect_stderr (Redirect *r, int fd)
{
  r->saved = dup (STDERR_FILENO);
  r->read_end = -1;
  if (fd < 0)
    {
      int pipe_fds[2];

      g_assert_cmpint (pipe (pipe_fds), ==, 0);
      r->read_end = pipe_fds[0];
      fd = pipe_fds[1];
      g_assert_cmpint (dup2 (fd, STDERR_FILENO), ==, STDERR_FILENO);
      close (fd);
    }
  else
    g_assert_cmpint (dup2 (fd, STDERR_FILENO), ==, STDERR_FILENO);
}

/* Restores stderr; returns what went into the pipe, if there was one. */
static char *
restore_stderr (Redirect *r)
{
  GString *text = g_string_new (NULL);

  g_assert_cmpint (dup2 (r->saved, STDERR_FILENO), ==, STDERR_FILENO);
  close (r->saved);
  if (r->read_end >= 0)
    {
      char buf[4096];
      gssize n;

      while ((n = read (r->read_end, buf, sizeof buf)) > 0)
        g_string_append_len (text, buf, n);
      close (r->read_end);
    }
  return g_string_free (text, FALSE);
}

/* ---- the registry under test ----------------------------------------------- */

static TlRegistry *
make_registry (void)
{
  TlRegistry *registry = tl_registry_new ();
  const char * const dynamo[] = { "torch._dynamo", NULL };
  const char * const inductor[] = { "torch._inductor", NULL };

  tl_registry_register_log (registry, "dynamo", dynamo, NULL);
  tl_registry_register_log (registry, "inductor", inductor, NULL);
  tl_registry_register_artifact (registry, "guards", "guards", 0, NULL);
  g_assert_true (tl_registry_parse_logs (registry, "+dynamo,inductor,guards", NULL));
  return registry;
}

/* ---- tests ----------------------------------------------------------------- */

static void
test_fields (void)
{
  g_autoptr(TlRegistry) registry = make_registry ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *err = NULL;
  TlCompileId id = { -1, 0, 0 };
  Redirect r;

  tl_journal_set_mode (TL_JOURNAL_MODE_ALWAYS);
  g_assert_cmpint (tl_journal_get_mode (), ==, TL_JOURNAL_MODE_ALWAYS);
  g_assert_true (tl_journal_is_active ());
  tl_registry_set_rank (registry, 3);

  redirect_stderr (&r, -1);
  {
    g_autoptr(TlCompileContext) context = tl_compile_context_push (&id);

    tl_registry_write_record (registry, "torch._dynamo.guards.__guards", TL_LEVEL_DEBUG,
                              "two\nlines", "torch/_dynamo/guards.py", 1039, "check");
  }
  tl_registry_set_rank (registry, -1);
  tl_registry_write_record (registry, "torch._inductor", TL_LEVEL_ERROR, "failed", "x.c", 5, NULL);
  err = restore_stderr (&r);
  tl_journal_set_mode (TL_JOURNAL_MODE_AUTO);

  /* The journal replaced stderr. */
  g_assert_cmpstr (err, ==, "");
  entries = receive_entries ();
  g_assert_cmpuint (entries->len, ==, 2);

  g_assert_cmpstr (field (entries, 0, "MESSAGE"), ==, "two\nlines");
  g_assert_cmpstr (field (entries, 0, "PRIORITY"), ==, "7");
  g_assert_cmpstr (field (entries, 0, "TORCHLOG_COMPONENT"), ==, "dynamo");
  g_assert_cmpstr (field (entries, 0, "TORCHLOG_ARTIFACT"), ==, "guards");
  g_assert_cmpstr (field (entries, 0, "TORCHLOG_RANK"), ==, "3");
  g_assert_cmpstr (field (entries, 0, "TORCHLOG_TRACE_ID"), ==, "0/0");
  g_assert_cmpstr (field (entries, 0, "TORCHLOG_LOGGER"), ==, "torch._dynamo.guards.__guards");
  g_assert_cmpstr (field (entries, 0, "CODE_FILE"), ==, "torch/_dynamo/guards.py");
  g_assert_cmpstr (field (entries, 0, "CODE_LINE"), ==, "1039");
  g_assert_cmpstr (field (entries, 0, "CODE_FUNC"), ==, "check");
  g_assert_nonnull (field (entries, 0, "GLIB_DOMAIN"));

  g_assert_cmpstr (field (entries, 1, "MESSAGE"), ==, "failed");
  g_assert_cmpstr (field (entries, 1, "PRIORITY"), ==, "3");
  g_assert_cmpstr (field (entries, 1, "TORCHLOG_COMPONENT"), ==, "inductor");
  g_assert_null (field (entries, 1, "TORCHLOG_ARTIFACT"));
  g_assert_null (field (entries, 1, "TORCHLOG_RANK"));
  g_assert_null (field (entries, 1, "TORCHLOG_TRACE_ID"));
}

static void
test_select_component (void)
{
  g_autoptr(TlRegistry) registry = make_registry ();
  g_autoptr(GPtrArray) entries = NULL;
  guint dynamo = 0, inductor = 0;

  tl_journal_set_mode (TL_JOURNAL_MODE_ALWAYS);
  for (int i = 0; i < 5; i++)
    {
      tl_registry_write_record (registry, "torch._dynamo.output_graph", TL_LEVEL_INFO, "d", "d.c", i + 1, NULL);
      if (i % 2 == 0)
        tl_registry_write_record (registry, "torch._inductor.codegen", TL_LEVEL_INFO, "i", "i.c", i + 1, NULL);
    }
  tl_journal_set_mode (TL_JOURNAL_MODE_AUTO);

  /* What `journalctl TORCHLOG_COMPONENT=…` would select. */
  entries = receive_entries ();
  for (guint i = 0; i < entries->len; i++)
    {
      const char *component = field (entries, i, "TORCHLOG_COMPONENT");

      dynamo += g_strcmp0 (component, "dynamo") == 0;
      inductor += g_strcmp0 (component, "inductor") == 0;
      /* One value per key: torchlog's fields are not duplicated. */
      g_assert_null (strchr (component, '|'));
    }
  g_assert_cmpuint (entries->len, ==, 8);
  g_assert_cmpuint (dynamo, ==, 5);
  g_assert_cmpuint (inductor, ==, 3);
}

/* stderr connected to the journal, as for a systemd service. */
static void
test_auto_detects_journal_stderr (void)
{
  g_autoptr(TlRegistry) registry = make_registry ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *ignored = NULL;
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int listener = bind_unix (SOCK_STREAM, JOURNAL_STDOUT);
  int client = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int server;
  char buf[4096];
  gssize n;
  Redirect r;

  g_assert_cmpint (listen (listener, 1), ==, 0);
  g_strlcpy (addr.sun_path, JOURNAL_STDOUT, sizeof addr.sun_path);
  g_assert_cmpint (connect (client, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  server = accept (listener, NULL, NULL);
  g_assert_cmpint (server, >=, 0);

  redirect_stderr (&r, client);
  /* AUTO checks stderr when it is set. */
  tl_journal_set_mode (TL_JOURNAL_MODE_AUTO);
  g_assert_true (tl_journal_is_active ());
  tl_registry_write_record (registry, "torch._dynamo", TL_LEVEL_INFO, "to the journal", "x.c", 1, NULL);

  /* NEVER: text on stderr, even when it is the journal. */
  tl_journal_set_mode (TL_JOURNAL_MODE_NEVER);
  g_assert_false (tl_journal_is_active ());
  tl_registry_write_record (registry, "torch._dynamo", TL_LEVEL_INFO, "as text", "x.c", 2, NULL);
  ignored = restore_stderr (&r);
  tl_journal_set_mode (TL_JOURNAL_MODE_AUTO);
  /* The test's own stderr is not the journal. */
  g_assert_false (tl_journal_is_active ());

  entries = receive_entries ();
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (field (entries, 0, "MESSAGE"), ==, "to the journal");
  g_assert_cmpstr (field (entries, 0, "TORCHLOG_COMPONENT"), ==, "dynamo");

  n = recv (server, buf, sizeof buf - 1, MSG_DONTWAIT);
  g_assert_cmpint (n, >, 0);
  buf[n] = '\0';
  g_assert_true (g_str_has_suffix (buf, " x.c:2] as text\n"));
  g_assert_null (strstr (buf, "to the journal"));

  close (client);
  close (server);
  close (listener);
  g_unlink (JOURNAL_STDOUT);
}

static void
test_filters_apply (void)
{
  g_autoptr(TlRegistry) registry = make_registry ();
  g_autoptr(GPtrArray) entries = NULL;

  tl_journal_set_mode (TL_JOURNAL_MODE_ALWAYS);
  tl_registry_set_rank (registry, 3);
  g_assert_true (tl_rank_filter_set ("0-2", NULL));
  tl_registry_write_record (registry, "torch._dynamo", TL_LEVEL_INFO, "rank 3", "x.c", 1, NULL);
  g_assert_true (tl_rank_filter_set ("3", NULL));
  tl_registry_write_record (registry, "torch._dynamo", TL_LEVEL_INFO, "rank 3 again", "x.c", 2, NULL);
  g_assert_true (tl_rank_filter_set (NULL, NULL));
  tl_journal_set_mode (TL_JOURNAL_MODE_AUTO);

  entries = receive_entries ();
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (field (entries, 0, "MESSAGE"), ==, "rank 3 again");
  g_assert_cmpstr (field (entries, 0, "TORCHLOG_RANK"), ==, "3");
}

static void
test_logs_out_still_written (void)
{
  g_autoptr(TlRegistry) registry = make_registry ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  int fd = g_file_open_tmp ("tl-journal-XXXXXX.log", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_assert_true (tl_registry_set_output_file (registry, path, &error));
  tl_journal_set_mode (TL_JOURNAL_MODE_ALWAYS);
  tl_registry_write_record (registry, "torch._dynamo", TL_LEVEL_WARNING, "in both", "x.c", 1, NULL);
  tl_journal_set_mode (TL_JOURNAL_MODE_AUTO);
  tl_registry_flush (registry);

  entries = receive_entries ();
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "W"));
  g_assert_true (g_str_has_suffix (contents, " x.c:1] in both\n"));
  tl_registry_set_output_file (registry, NULL, NULL);
  g_unlink (path);
}

static void
test_unreachable_falls_back (void)
{
  g_autoptr(TlRegistry) registry = make_registry ();
  g_autofree char *err = NULL;
  Redirect r;

  /* journald gone: the line is not lost, it goes to stderr. */
  close (journal_fd);
  g_unlink (JOURNAL_SOCKET);
  redirect_stderr (&r, -1);
  tl_journal_set_mode (TL_JOURNAL_MODE_ALWAYS);
  tl_registry_write_record (registry, "torch._dynamo", TL_LEVEL_INFO, "nowhere to go", "x.c", 1, NULL);
  tl_journal_set_mode (TL_JOURNAL_MODE_AUTO);
  err = restore_stderr (&r);
  start_journal ();
  g_assert_true (g_str_has_suffix (err, " x.c:1] nowhere to go\n"));
}

static void
child_macros (void)
{
  TlRegistry *registry = tl_registry_get_default ();
  const char * const dynamo[] = { "torch._dynamo", NULL };

  g_set_prgname ("journal-child");
  tl_registry_register_log (registry, "dynamo", dynamo, NULL);
  tl_registry_register_artifact (registry, "graph_breaks", "graph breaks", 0, NULL);
  tl_registry_install_writer (registry);
  g_assert_true (tl_registry_init_logs (registry, NULL));
  printf ("active=%d\n", tl_journal_is_active ());
  printf ("line=%d\n", __LINE__ + 1);
  tl_info ("from a macro %d", 42);
  tl_artifact ("graph_breaks", TL_LEVEL_DEBUG, "a break");
}

static const TlTestChildFunc children[] = {
  { "macros", child_macros },
  { NULL, NULL },
};

static void
test_macros_and_environment (void)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *line = NULL;
  TlTestChild child;

  /* TORCHLOG_JOURNAL=always, records of the logging macros. */
  tl_test_child_run (&child, "macros", "TORCHLOG_JOURNAL", "always",
                     "TORCH_LOGS", "dynamo,graph_breaks", "RANK", "1", NULL);
  g_assert_true (child.exited && child.exit_code == 0);
  g_assert_cmpstr (child.err, ==, "");
  line = tl_test_child_value (&child, "line");
  entries = receive_entries ();
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (field (entries, 0, "MESSAGE"), ==, "from a macro 42");
  g_assert_cmpstr (field (entries, 0, "PRIORITY"), ==, "6");
  g_assert_cmpstr (field (entries, 0, "GLIB_DOMAIN"), ==, "torch._dynamo.eval_frame");
  g_assert_cmpstr (field (entries, 0, "CODE_FILE"), ==, __FILE__);
  g_assert_cmpstr (field (entries, 0, "CODE_LINE"), ==, line);
  g_assert_cmpstr (field (entries, 0, "CODE_FUNC"), ==, "child_macros");
  g_assert_cmpstr (field (entries, 0, "SYSLOG_IDENTIFIER"), ==, "journal-child");
  g_assert_cmpstr (field (entries, 0, "TORCHLOG_COMPONENT"), ==, "dynamo");
  g_assert_cmpstr (field (entries, 0, "TORCHLOG_RANK"), ==, "1");
  g_assert_cmpstr (field (entries, 1, "TORCHLOG_ARTIFACT"), ==, "graph_breaks");
  g_assert_cmpstr (field (entries, 1, "GLIB_DOMAIN"), ==, "torch._dynamo.eval_frame");
  g_assert_cmpstr (field (entries, 1, "TORCHLOG_LOGGER"), ==, "torch._dynamo.eval_frame.__graph_breaks");
  tl_test_child_clear (&child);
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* never: text on stderr. */
  tl_test_child_run (&child, "macros", "TORCHLOG_JOURNAL", "never", "TORCH_LOGS", "dynamo",
                     "RANK", NULL, NULL);
  g_assert_true (child.exited && child.exit_code == 0);
  g_assert_nonnull (strstr (child.err, "] from a macro 42\n"));
  entries = receive_entries ();
  g_assert_cmpuint (entries->len, ==, 0);
  tl_test_child_clear (&child);
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* An invalid value: one warning, then auto (stderr is a pipe here). */
  tl_test_child_run (&child, "macros", "TORCHLOG_JOURNAL", "sometimes", "TORCH_LOGS", "dynamo",
                     "RANK", NULL, NULL);
  g_assert_true (child.exited && child.exit_code == 0);
  g_assert_true (g_str_has_prefix (child.err, "torchlog: TORCHLOG_JOURNAL: invalid value “sometimes”"));
  g_assert_nonnull (strstr (child.err, "] from a macro 42\n"));
  {
    g_autofree char *active = tl_test_child_value (&child, "active");
    g_assert_cmpstr (active, ==, "0");
  }
  entries = receive_entries ();
  g_assert_cmpuint (entries->len, ==, 0);
  tl_test_child_clear (&child);
}

/* Re-runs the test in a private mount namespace, where /run is ours. */
static void
enter_namespace (int argc, char **argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

  g_setenv ("TL_TEST_JOURNAL_NAMESPACE", "1", TRUE);
  g_ptr_array_add (args, "unshare");
  g_ptr_array_add (args, "--mount");
  if (getuid () != 0)
    g_ptr_array_add (args, "--map-root-user");
  g_ptr_array_add (args, "--");
  g_ptr_array_add (args, self);
  for (int i = 1; i < argc; i++)
    g_ptr_array_add (args, argv[i]);
  g_ptr_array_add (args, NULL);
  execvp ("unshare", (char **) args->pdata);
  printf ("Bail out! cannot run unshare --mount: %s\n", g_strerror (errno));
  exit (1);
}

int
main (int argc, char **argv)
{
  int child;

  if (g_getenv ("TL_TEST_JOURNAL_NAMESPACE") == NULL)
    enter_namespace (argc, argv);

  child = tl_test_child_main (argc, argv, children);
  if (child >= 0)
    return child;

  /* In the namespace: a private /run holding the stand-in journald. */
  if (mount ("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
    {
      printf ("Bail out! cannot mount a tmpfs on /run: %s\n", g_strerror (errno));
      return 1;
    }
  if (g_mkdir_with_parents (JOURNAL_DIR, 0755) < 0)
    {
      printf ("Bail out! cannot create " JOURNAL_DIR ": %s\n", g_strerror (errno));
      return 1;
    }
  start_journal ();

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/journal/fields", test_fields);
  g_test_add_func ("/journal/select-component", test_select_component);
  g_test_add_func ("/journal/auto-detects-journal-stderr", test_auto_detects_journal_stderr);
  g_test_add_func ("/journal/filters-apply", test_filters_apply);
  g_test_add_func ("/journal/logs-out-still-written", test_logs_out_still_written);
  g_test_add_func ("/journal/unreachable-falls-back", test_unreachable_falls_back);
  g_test_add_func ("/journal/macros-and-environment", test_macros_and_environment);
  return g_test_run ();
}
