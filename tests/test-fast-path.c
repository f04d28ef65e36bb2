/* test-fast-path.c: the enabled path's shortcuts print what the general
 * path prints
 *
 * The macros' records skip GLib when torchlog's writer is installed, have
 * their message formatted by torchlog's own printf for the common
 * conversions, escape eight bytes at a time, reuse the "path:line]" of
 * the last call site, and the writer caches its decision per domain. Each
 * shortcut is checked against the plain way: g_strdup_printf(), a
 * byte-by-byte escape, and records whose text differs at the same
 * address.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define TL_LOG_DOMAIN "fast.path"
#include <torchlog/torchlog.h>

#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

static char *out_path;
static int saved_stderr = -1;

/* The last line of TORCH_LOGS_OUT, without its newline. */
static char *
last_line (void)
{
  g_autofree char *text = NULL;
  gsize len;
  char *end, *start;

  tl_registry_flush (tl_registry_get_default ());
  g_assert_true (g_file_get_contents (out_path, &text, &len, NULL));
  g_assert_cmpuint (len, >, 0);
  g_assert_cmpint (text[len - 1], ==, '\n');
  end = text + len - 1;
  *end = '\0';
  start = strrchr (text, '\n');
  return g_strdup (start ? start + 1 : text);
}

/* The message of a glog line: what follows "] ". */
static const char *
message_of (const char *line)
{
  const char *m = strstr (line, "] ");

  g_assert_nonnull (m);
  return m + 2;
}

/* Logs @format both ways and compares with g_strdup_printf(), in torch's
 * format (the direct path) and in a custom "%(message)s" format. */
#define CHECK_PRINTF(...) G_STMT_START {                                         \
    g_autofree char *expected = g_strdup_printf (__VA_ARGS__);                   \
    g_autofree char *line = NULL;                                                \
    tl_info (__VA_ARGS__);                                                       \
    line = last_line ();                                                         \
    g_assert_cmpstr (message_of (line), ==, expected);                           \
    g_assert_true (tl_registry_set_format (tl_registry_get_default (),           \
                                           "%(message)s", NULL));                \
    tl_info (__VA_ARGS__);                                                       \
    g_clear_pointer (&line, g_free);                                             \
    line = last_line ();                                                         \
    g_assert_cmpstr (line, ==, expected);                                        \
    g_assert_true (tl_registry_set_format (tl_registry_get_default (), NULL, NULL)); \
  } G_STMT_END

static void
test_printf (void)
{
  const char *null_string = g_getenv ("TORCHLOG_TEST_UNSET_VARIABLE");   /* NULL, unknown to the compiler */
  int zero = 0;

  /* The conversions done by torchlog itself. */
  CHECK_PRINTF ("plain text, no conversion");
  CHECK_PRINTF ("%d %d %d %d %d", 0, 1, -1, INT_MAX, INT_MIN);
  CHECK_PRINTF ("%i|%5d|%-5d|%05d|%.3d|%8.3d|%-8d|%.0d|%.0d", 42, 42, 42, -42, 7, -7, 9, zero, 5);
  CHECK_PRINTF ("%u %u %x %X %o %08x %#x", 0u, UINT_MAX, 0xbeefu, 0xbeefu, 8u, 255u, 255u);
  CHECK_PRINTF ("%ld %ld %lu %lld %llu", LONG_MIN, LONG_MAX, ULONG_MAX, LLONG_MIN, ULLONG_MAX);
  CHECK_PRINTF ("%zu %zd %jd %td %hhd %hd %hhu %hu", (size_t) 12345, (gssize) -5,
                (intmax_t) -99, (ptrdiff_t) 77, 300, 70000, 300, 70000);
  CHECK_PRINTF ("%lx %lX %lo %.10x", ULONG_MAX, 0xabcdefUL, 0777UL, 0x1fu);
  CHECK_PRINTF ("%s|%10s|%-10s|%.2s|%5.1s|%s", "abc", "right", "left", "cut", "xyz", "");
  CHECK_PRINTF ("%c|%3c|%-3c|", 'a', 'b', 'c');
  CHECK_PRINTF ("%p %p", (void *) out_path, NULL);
  CHECK_PRINTF ("100%% done, %d%%", 50);
  CHECK_PRINTF ("%s%s%s", "a long string of many words to copy ", "and another ", "one");
  /* Those it hands to vsnprintf. */
  CHECK_PRINTF ("%f %.2f %e %g", 1.5, 3.14159, 1e10, 0.0001);
  CHECK_PRINTF ("%+d % d %#o %*d %.*s|%-*s|", 5, 5, 8u, 6, 42, 3, "abcdef", 4, "x");
  CHECK_PRINTF ("%2$s %1$s", "world", "hello");
  CHECK_PRINTF ("%s and %.3s", null_string, null_string);
  CHECK_PRINTF ("%Lf %lf", (long double) 2.5, 2.25);
  {
    /* Longer than any buffer the thread starts with. */
    g_autofree char *big = g_strnfill (5000, 'x');
    CHECK_PRINTF ("big %s %d", big, 5000);
  }
}

/* The reference escape: one byte at a time, as tl-format.c did before
 * it went eight at a time. */
static char *
escape_slowly (const char *text, gsize len)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < len; i++)
    {
      guchar c = text[i];

      if (c >= 0x20 && c < 0x7f)
        g_string_append_c (out, c);
      else
        g_string_append_printf (out, "\\x%02x", c);
    }
  return g_string_free (out, FALSE);
}

static void
test_escape_every_offset (void)
{
  static const guchar specials[] = { 0x01, 0x1b, 0x7f, 0x80, 0xff };

  for (gsize s = 0; s < G_N_ELEMENTS (specials); s++)
    for (gsize offset = 0; offset < 24; offset++)
      {
        char message[25];
        g_autofree char *expected = NULL;
        g_autofree char *line = NULL;

        memset (message, 'a' + offset % 26, 24);
        message[24] = '\0';
        message[offset] = (char) specials[s];
        expected = escape_slowly (message, 24);
        tl_info ("%s", message);
        line = last_line ();
        g_assert_cmpstr (message_of (line), ==, expected);
      }

  /* Valid UTF-8 beyond ASCII is kept as it is; a newline starts a new
   * line with the whole prefix. */
  {
    g_autofree char *line = NULL;

    tl_info ("caf\xc3\xa9 \xe2\x9c\x93");
    line = last_line ();
    g_assert_cmpstr (message_of (line), ==, "caf\xc3\xa9 \xe2\x9c\x93");
    tl_info ("first\nsecond %d", 2);
    g_clear_pointer (&line, g_free);
    line = last_line ();
    g_assert_cmpstr (message_of (line), ==, "second 2");
    g_assert_true (line[0] == 'I');
  }
}

/* Two records from one address whose text changed in between (what the
 * Python bridge does with its line number) keep their own "path:line]". */
static void
test_site_text_not_reused (void)
{
  TlRegistry *registry = tl_registry_get_default ();
  g_autofree char *line = NULL;

  tl_registry_write_record (registry, "fast.path", TL_LEVEL_INFO, "from python", "mod.py", 10, NULL);
  line = last_line ();
  g_assert_nonnull (strstr (line, " mod.py:10] from python"));
  tl_registry_write_record (registry, "fast.path", TL_LEVEL_INFO, "from python", "mod.py", 11, NULL);
  g_clear_pointer (&line, g_free);
  line = last_line ();
  g_assert_nonnull (strstr (line, " mod.py:11] from python"));
  tl_info ("from C");
  g_clear_pointer (&line, g_free);
  line = last_line ();
  g_assert_nonnull (strstr (line, "test-fast-path.c:"));
}

/* The writer's decision follows every change of the configuration. */
static void
test_decision_cache_follows_changes (void)
{
  TlRegistry *registry = tl_registry_get_default ();

  for (int round = 0; round < 3; round++)
    {
      g_autofree char *line = NULL;
      g_autofree char *message = g_strdup_printf ("structured round %d", round);

      g_assert_true (tl_registry_parse_logs (registry, "fast", NULL));   /* INFO */
      g_log_structured_standard ("fast.path.sub", G_LOG_LEVEL_DEBUG, "f.c", "1", NULL,
                                 "%s hidden", message);
      g_log_structured_standard ("fast.path.sub", G_LOG_LEVEL_INFO, "f.c", "1", NULL,
                                 "%s shown", message);
      line = last_line ();
      g_assert_true (g_str_has_suffix (line, "shown"));
      g_assert_true (tl_registry_parse_logs (registry, "+fast", NULL));  /* DEBUG */
      g_log_structured_standard ("fast.path.sub", G_LOG_LEVEL_DEBUG, "f.c", "1", NULL,
                                 "%s now shown", message);
      g_clear_pointer (&line, g_free);
      line = last_line ();
      g_assert_true (g_str_has_suffix (line, "now shown"));
      g_assert_true (tl_registry_parse_logs (registry, "-fast", NULL));  /* ERROR */
      g_log_structured_standard ("fast.path.sub", G_LOG_LEVEL_INFO, "f.c", "1", NULL,
                                 "%s hidden again", message);
      g_clear_pointer (&line, g_free);
      line = last_line ();
      g_assert_true (g_str_has_suffix (line, "now shown"));
    }
  g_assert_true (tl_registry_parse_logs (registry, "fast", NULL));
}

/* A new output file takes the lines at once, even though the thread
 * still holds the old output; the old file keeps what it got. */
static void
test_output_switch (void)
{
  TlRegistry *registry = tl_registry_get_default ();
  g_autofree char *first = g_strdup (out_path);
  g_autofree char *second = g_strconcat (out_path, ".2", NULL);
  g_autofree char *text = NULL;

  tl_info ("to the first file");
  g_assert_true (tl_registry_set_output_file (registry, second, NULL));
  tl_info ("to the second file");
  tl_registry_flush (registry);
  g_assert_true (g_file_get_contents (first, &text, NULL, NULL));
  g_assert_true (g_str_has_suffix (text, "] to the first file\n"));
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (second, &text, NULL, NULL));
  g_assert_true (g_str_has_suffix (text, "] to the second file\n"));
  g_assert_null (strstr (text, "first"));
  g_assert_true (tl_registry_set_output_file (registry, first, NULL));
  g_unlink (second);
}

int
main (int argc, char **argv)
{
  TlRegistry *registry;
  const char *domains[] = { "fast", NULL };
  g_autofree char *dir = NULL;
  int null_fd, result;

  g_test_init (&argc, &argv, NULL);

  dir = g_dir_make_tmp ("torchlog-fast-path-XXXXXX", NULL);
  out_path = g_build_filename (dir, "out.log", NULL);
  registry = tl_registry_get_default ();
  tl_registry_register_log (registry, "fast", domains, "the test's component");
  tl_registry_install_writer (registry);
  g_assert_true (tl_registry_parse_logs (registry, "fast", NULL));
  g_assert_true (tl_registry_set_output_file (registry, out_path, NULL));

  /* Every line also goes to stderr: keep the TAP output readable. */
  saved_stderr = dup (STDERR_FILENO);
  null_fd = open ("/dev/null", O_WRONLY);
  dup2 (null_fd, STDERR_FILENO);
  close (null_fd);

  g_test_add_func ("/fast-path/printf", test_printf);
  g_test_add_func ("/fast-path/escape-every-offset", test_escape_every_offset);
  g_test_add_func ("/fast-path/site-text-not-reused", test_site_text_not_reused);
  g_test_add_func ("/fast-path/decision-cache-follows-changes", test_decision_cache_follows_changes);
  g_test_add_func ("/fast-path/output-switch", test_output_switch);
  result = g_test_run ();

  dup2 (saved_stderr, STDERR_FILENO);
  tl_registry_set_output_file (registry, NULL, NULL);
  g_unlink (out_path);
  g_rmdir (dir);
  g_free (out_path);
  return result;
}
