/* test-hostile.c: hostile input never crashes torchlog, never reaches the
 * terminal raw, and is parsed in linear time
 *
 * Messages with ANSI escape sequences, other control characters, NUL
 * bytes and invalid UTF-8 are printed escaped (`\xNN`, `\uNNNN`), not
 * dropped; a 10 MB message is written whole; a 1 MB settings string and
 * one of 100,000 items are parsed in linear time, with torch's clear
 * error when invalid; formats full of `%` and unknown fields are refused
 * with a GError; registration files with duplicate, empty, over-long and
 * reserved names get a GError naming the line. Issue 13 adds the bidi
 * and other invisible controls, the backslash, the warnings that quote
 * the environment, module names of any length and float levels.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define TL_LOG_DOMAIN "hostile.macro"
#include "reliability-util.h"
#include "tl-test-child.h"

#include <math.h>


/* Prints @message (with @len) through a fresh `app` registry at DEBUG
 * and returns the TORCH_LOGS_OUT file's contents. stderr gets the same
 * line; it is checked to be identical. */
static char *
print_message (const char *message, gssize len, const char *format, gsize *out_len)
{
  g_autoptr(TlRegistry) registry = app_registry_new ();
  g_autofree char *dir = g_dir_make_tmp ("torchlog-hostile-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.log", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *err_text = NULL;
  StderrCapture capture;
  char *text;
  gsize err_len;

  g_assert_true (tl_registry_set_output_file (registry, path, &error));
  g_assert_no_error (error);
  if (format != NULL)
    {
      g_assert_true (tl_registry_set_format (registry, format, &error));
      g_assert_no_error (error);
    }
  stderr_capture_begin (&capture);
  write_record (registry, G_LOG_LEVEL_INFO, "app", message, len);
  err_text = stderr_capture_end (&capture, &err_len);
  /* Let the registry close its file before reading it. */
  g_clear_object (&registry);

  text = read_whole_file (path, out_len);
  g_assert_cmpuint (err_len, ==, *out_len);
  g_assert_true (memcmp (err_text, text, err_len) == 0);
  g_unlink (path);
  g_rmdir (dir);
  return text;
}

/* The invisible characters that reorder or break a line: bidi controls,
 * line and paragraph separators, the BOM. */
static gboolean
is_invisible_control (gunichar c)
{
  return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
         c == 0x200e || c == 0x200f || c == 0x061c ||
         c == 0x2028 || c == 0x2029 || c == 0xfeff;
}

/* Nothing printed may drive a terminal: valid UTF-8, and no C0 control
 * but newline and tab, no DEL, no C1 control, no bidi control or other
 * invisible character that reorders the text; and every backslash
 * starts an escape (`\\`, `\xNN`, `\uNNNN`), so none can be faked. */
static void
assert_printable (const char *text, gsize len)
{
  g_assert_true (g_utf8_validate (text, len, NULL));
  for (const char *p = text; p < text + len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || c == '\t')
        continue;
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || is_invisible_control (c))
        g_error ("control character U+%04X printed at offset %" G_GSIZE_FORMAT,
                 c, (gsize) (p - text));
      if (c == '\\')
        {
          gsize rest = text + len - p - 1;
          gboolean ok = FALSE;

          if (rest >= 1 && p[1] == '\\')
            ok = TRUE;
          else if (rest >= 3 && p[1] == 'x')
            ok = g_ascii_isxdigit (p[2]) && g_ascii_isxdigit (p[3]);
          else if (rest >= 5 && p[1] == 'u')
            ok = g_ascii_isxdigit (p[2]) && g_ascii_isxdigit (p[3]) &&
                 g_ascii_isxdigit (p[4]) && g_ascii_isxdigit (p[5]);
          if (!ok)
            g_error ("lone backslash printed at offset %" G_GSIZE_FORMAT, (gsize) (p - text));
          p++;   /* the escape's letter or second backslash */
        }
    }
}

static void
test_ansi_escapes (void)
{
  const char *message = "\x1b[31mred\x1b[0m \x1b]0;owned\x07 \x1b[2J\x1b[H cleared";
  gsize len;
  g_autofree char *text = print_message (message, -1, NULL, &len);

  assert_printable (text, len);
  g_assert_nonnull (strstr (text, "] \\x1b[31mred\\x1b[0m \\x1b]0;owned\\x07 "
                                  "\\x1b[2J\\x1b[H cleared\n"));
  /* One record, one line. */
  g_assert_cmpuint (count_occurrences (text, "\n"), ==, 1);
}

static void
test_control_characters (void)
{
  GString *message = g_string_new (NULL);
  g_autofree char *text = NULL;
  gsize len;

  /* Every C0 control but newline, DEL, and the C1 controls (as UTF-8,
   * U+0080..U+009F: U+009B is a one-character CSI on some terminals). */
  for (int c = 1; c < 0x20; c++)
    if (c != '\n')
      g_string_append_c (message, c);
  g_string_append_c (message, 0x7f);
  for (gunichar c = 0x80; c < 0xa0; c++)
    g_string_append_unichar (message, c);
  g_string_append (message, "\r\rfake line overwritten");

  text = print_message (message->str, message->len, NULL, &len);
  assert_printable (text, len);
  g_assert_nonnull (strstr (text, "\\x01\\x02\\x03"));
  g_assert_nonnull (strstr (text, "\\x1b"));
  g_assert_nonnull (strstr (text, "\\x7f"));
  g_assert_nonnull (strstr (text, "\\u009b"));
  g_assert_nonnull (strstr (text, "\\x0d\\x0dfake line overwritten"));
  /* A tab is kept as it is: harmless and common in messages. */
  g_assert_nonnull (strstr (text, "\\x08\t\\x0b"));
  g_string_free (message, TRUE);
}

static void
test_nul_bytes (void)
{
  /* A binary MESSAGE field (length >= 0) with NULs inside. */
  static const char message[] = { 'a', '\0', 'b', '\0', '\0', 'c' };
  gsize len;
  g_autofree char *text = print_message (message, sizeof message, NULL, &len);

  assert_printable (text, len);
  g_assert_nonnull (strstr (text, "] a\\x00b\\x00\\x00c\n"));
}

static void
test_binary_fields (void)
{
  g_autoptr(TlRegistry) registry = app_registry_new ();
  /* Exactly sized heap buffers with no NUL: a reader that takes them for
   * strings runs off their end (and ASan says so). */
  char *file = g_memdup2 ("evil.c", 6);
  char *line = g_memdup2 ("123", 3);
  char *domain = g_memdup2 ("app", 3);
  const GLogField fields[] = {
    { "GLIB_DOMAIN", "app", -1 },
    { "MESSAGE", "binary fields", -1 },
    { "CODE_FILE", file, 6 },
    { "CODE_LINE", line, 3 },
    { "CODE_FUNC", domain, 3 },
    { "TORCHLOG_ARTIFACT", domain, 3 },
    { "SOME_BLOB", "\0\1\2", 3 },
  };
  StderrCapture capture;
  g_autofree char *text = NULL;
  gsize len;

  stderr_capture_begin (&capture);
  tl_registry_write (registry, G_LOG_LEVEL_INFO, fields, G_N_ELEMENTS (fields));
  text = stderr_capture_end (&capture, &len);
  assert_printable (text, len);
  g_assert_nonnull (strstr (text, "binary fields"));
  g_free (file);
  g_free (line);
  g_free (domain);
}

static void
test_invalid_utf8 (void)
{
  const char *message = "bad \xff\xfe lone \xc3 overlong \xc0\xaf surrogate \xed\xa0\x80 end \xe2\x82";
  gsize len;
  g_autofree char *text = print_message (message, -1, NULL, &len);

  assert_printable (text, len);
  /* Escaped byte by byte, and nothing around them lost. */
  g_assert_nonnull (strstr (text, "bad \\xff\\xfe lone \\xc3 overlong \\xc0\\xaf "
                                  "surrogate \\xed\\xa0\\x80 end \\xe2\\x82\n"));
}

static void
test_invalid_utf8_in_format (void)
{
  /* The custom-format path escapes the message too. */
  gsize len;
  g_autofree char *text = print_message ("x\xff\x1b[1my", -1, "%(levelname)s|%(message)s|%(name)s",
                                         &len);

  assert_printable (text, len);
  g_assert_cmpstr (text, ==, "INFO|x\\xff\\x1b[1my|app\n");
}

static void
test_huge_message (void)
{
  const gsize size = 10 * 1024 * 1024;
  char *message = g_malloc (size + 1);
  g_autofree char *text = NULL;
  const char *start;
  gsize len;

  for (gsize i = 0; i < size; i++)
    message[i] = 'a' + i % 26;
  message[size] = '\0';

  text = print_message (message, -1, NULL, &len);
  /* Written whole: the prefix, the 10 MB, the newline, as one line. */
  g_assert_cmpuint (len, >, size);
  g_assert_cmpuint (count_occurrences (text, "\n"), ==, 1);
  start = strstr (text, "] ");
  g_assert_nonnull (start);
  start += 2;
  g_assert_cmpuint (text + len - start, ==, size + 1);
  g_assert_true (memcmp (start, message, size) == 0);
  g_assert_cmpint (text[len - 1], ==, '\n');
  g_free (message);
}

static void
test_deep_domain (void)
{
  /* A 1 MB logger name of 500,000 segments: every lookup walks a name's
   * prefixes, which must not take minutes; such a name is under no log. */
  g_autoptr(TlRegistry) registry = app_registry_new ();
  GString *domain = g_string_new ("app");
  const char *domains[] = { NULL, NULL };
  StderrCapture capture;
  g_autofree char *err = NULL;
  gsize len;

  /* A walk over its 500,000 prefixes would take minutes: the test's
   * timeout catches that, not a clock here. */
  while (domain->len < 1024 * 1024)
    g_string_append (domain, ".a");
  g_assert_cmpint (tl_registry_get_effective_level (registry, domain->str), ==, TL_LEVEL_WARNING);
  g_assert_false (tl_registry_should_emit (registry, domain->str, NULL, TL_LEVEL_CRITICAL));
  stderr_capture_begin (&capture);
  write_record (registry, G_LOG_LEVEL_INFO, domain->str, "deep", -1);
  err = stderr_capture_end (&capture, &len);
  /* Nor can a log be registered with such a domain. */
  domains[0] = domain->str;
  g_test_expect_message ("Torchlog", G_LOG_LEVEL_CRITICAL, "*domains_are_valid*");
  g_assert_null (tl_registry_register_log (registry, "deep", domains, NULL));
  g_test_assert_expected_messages ();
  g_string_free (domain, TRUE);
}

static gint64
time_parse (TlRegistry *registry, const char *settings, gboolean expect_ok)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gboolean ok = tl_registry_parse_logs (registry, settings, &error);
  gint64 elapsed = g_get_monotonic_time () - start;

  /* Not g_assert_no_error(): the message would quote megabytes. */
  if (expect_ok && error != NULL)
    g_error ("refused: %.300s…", error->message);
  if (!expect_ok)
    g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_SETTINGS);
  g_assert_true (ok == expect_ok);
  return elapsed;
}

/* @n items: @item, followed by the item's number if @numbered. */
static char *
repeat_items (const char *item, gboolean numbered, guint n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (s, i % 7 == 0 ? ", " : ",");
      g_string_append (s, item);
      if (numbered)
        g_string_append_printf (s, "%u", i);
    }
  return g_string_free (s, FALSE);
}

static void
test_settings_1mb (void)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  GString *s = g_string_new (NULL);
  g_autofree char *name = NULL;

  tl_registry_add_pytorch_registrations (registry);

  /* 1 MB of valid registered items. */
  while (s->len < 1024 * 1024)
    g_string_append (s, "+dynamo,-aot, graph_code,");
  g_string_append (s, "inductor");
  time_parse (registry, s->str, TRUE);
  g_assert_cmpint (tl_registry_get_effective_level (registry, "torch._inductor"), ==, TL_LEVEL_INFO);
  g_assert_cmpint (tl_registry_get_effective_level (registry, "torch._dynamo"), ==, TL_LEVEL_DEBUG);

  /* The same with one bad character at the very end: torch's error, and
   * the previous configuration kept. */
  g_string_append_c (s, ';');
  time_parse (registry, s->str, FALSE);
  g_assert_cmpint (tl_registry_get_effective_level (registry, "torch._dynamo"), ==, TL_LEVEL_DEBUG);

  /* One 1 MB dotted name, and one of 500,000 segments (each lookup walks
   * a name's prefixes: quadratic in its length): module names, as in
   * torch (issue 13), accepted at once; longer than any domain can be
   * (1024), they change nothing and nothing is registered. */
  g_string_assign (s, "+my.");
  while (s->len < 1024 * 1024)
    g_string_append (s, "abcdefgh");
  time_parse (registry, s->str, TRUE);
  g_assert_null (tl_registry_lookup_component (registry, s->str + 1));
  g_string_assign (s, "+a");
  while (s->len < 1024 * 1024)
    g_string_append (s, ".a");
  time_parse (registry, s->str, TRUE);
  g_assert_null (tl_registry_lookup_component (registry, s->str + 1));
  /* 256 bytes is a module name, and so are 257 and 1024 (there is no
   * limit of 256 any more): registered, with their level. */
  g_string_assign (s, "+my.");
  while (s->len < 257)
    g_string_append (s, "m.");
  g_string_truncate (s, 257);
  time_parse (registry, s->str, TRUE);
  g_assert_cmpint (tl_registry_get_effective_level (registry, s->str + 1), ==, TL_LEVEL_DEBUG);
  g_string_append_c (s, 'x');
  time_parse (registry, s->str, TRUE);
  g_assert_cmpint (tl_registry_get_effective_level (registry, s->str + 1), ==, TL_LEVEL_DEBUG);
  g_string_assign (s, "+others");
  while (s->len < 1 + 1024)
    g_string_append (s, ".m");
  g_assert_cmpuint (s->len, ==, 1 + 1024);
  time_parse (registry, s->str, TRUE);
  g_assert_nonnull (tl_registry_lookup_component (registry, s->str + 1));
  g_assert_cmpint (tl_registry_get_effective_level (registry, s->str + 1), ==, TL_LEVEL_DEBUG);

  /* And 1 MB of one undotted unknown name: refused, not registered. */
  name = g_strnfill (1024 * 1024, 'z');
  time_parse (registry, name, FALSE);
  g_assert_null (tl_registry_lookup_component (registry, name));
  g_string_free (s, TRUE);
}

/* Parses @n items of @item_format on a fresh registry; returns µs. */
static gint64
time_items (const char *item, gboolean numbered, guint n, gboolean expect_ok)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  g_autofree char *settings = repeat_items (item, numbered, n);

  tl_registry_add_pytorch_registrations (registry);
  return time_parse (registry, settings, expect_ok);
}

/* 100,000 items parse and apply correctly. How the time grows with the
 * number of items is a performance figure, so it is measured by the
 * benchmark `settings-growth` (bench-settings.c), never asserted here,
 * where a loaded machine would make it flaky. A quadratic parser still
 * fails this test: 100,000 items would take it past meson's timeout. */
static void
parse_many (const char *what, const char *item, gboolean numbered, gboolean expect_ok)
{
  gint64 elapsed = time_items (item, numbered, 100000, expect_ok);

  /* On stderr: the module-name case runs in a child process. */
  g_printerr ("# %s: 100,000 items in %" G_GINT64_FORMAT " us\n", what, elapsed);
}

static void
test_settings_100k_items (void)
{
  /* Registered logs and artifacts, repeated (last one wins). */
  parse_many ("registered names", "+dynamo,aot,-inductor,guards,graph_code", FALSE, TRUE);
}

static void
test_settings_100k_modules (void)
{
  /* 100,000 distinct module names, each open-registered. Open
   * registration interns every new name, and GLib's quark table never
   * frees the array it outgrows (lock-free readers may still hold it),
   * which LeakSanitizer reports; so this runs in a child that ends with
   * _exit(), skipping the exit-time leak check. Every other test, and the
   * fuzzers, check the same code with leak detection on. */
  if (g_test_subprocess ())
    {
      parse_many ("module names", "+my.module", TRUE, TRUE);
      _exit (0);
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_settings_100k_invalid (void)
{
  /* 100,000 unknown undotted names: the first is refused, with torch's
   * text quoting the whole (whitespace-free) string. */
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  g_autofree char *settings = repeat_items ("bogus", TRUE, 100000);
  g_autoptr(GError) error = NULL;

  parse_many ("invalid names", "bogus", TRUE, FALSE);
  tl_registry_add_pytorch_registrations (registry);
  g_assert_false (tl_registry_parse_logs (registry, settings, &error));
  g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_SETTINGS);
  g_assert_true (g_str_has_prefix (error->message, "\nInvalid log settings: bogus0,bogus1,bogus2,"));
  g_assert_true (g_str_has_suffix (error->message, "\n"));
}

static void
test_settings_escapes_in_error (void)
{
  /* torch's error quotes the invalid string; printed on stderr by
   * tl_registry_init_logs(), it must be escaped there. */
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  StderrCapture capture;
  gsize len;

  tl_registry_add_pytorch_registrations (registry);
  g_setenv ("TORCH_LOGS", "dynamo,\x1b[2J\x1b]0;owned\x07", TRUE);
  stderr_capture_begin (&capture);
  g_assert_false (tl_registry_init_logs (registry, &error));
  text = stderr_capture_end (&capture, &len);
  g_unsetenv ("TORCH_LOGS");

  g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_SETTINGS);
  /* The GError holds torch's text byte for byte; what reaches stderr is
   * the same text, escaped. */
  g_assert_nonnull (strstr (error->message, "Invalid log settings: dynamo,\x1b[2J"));
  assert_printable (text, len);
  g_assert_nonnull (strstr (text, "Invalid log settings: dynamo,\\x1b[2J\\x1b]0;owned\\x07, must be"));
}

static void
test_set_logs_hostile_names (void)
{
  /* Bindings and GSettings can pass any string as a name. One that is
   * not a dotted word name must not be registered (it would be printed
   * raw in every help and error text). */
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  const char *names[] = { "a.\x1b[31m", "a.b c", "a..b", ".a", "a.", "a.b\n", "a.b,c", "+a.b", "" };

  tl_registry_add_pytorch_registrations (registry);
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE_VARDICT);
      g_autoptr(GVariant) settings = NULL;
      g_autoptr(GError) error = NULL;

      g_variant_builder_add (builder, "{sv}", names[i], g_variant_new_int32 (TL_LEVEL_DEBUG));
      settings = g_variant_ref_sink (g_variant_builder_end (builder));
      g_assert_false (tl_registry_set_logs_variant (registry, settings, &error));
      g_assert_error (error, TL_ERROR, TL_ERROR_UNKNOWN_NAME);
      g_assert_null (tl_registry_lookup_component (registry, names[i]));
    }
}

static void
test_format_percent (void)
{
  g_autoptr(TlRegistry) registry = app_registry_new ();
  g_autofree char *percents = g_strnfill (100001, '%');
  g_autofree char *doubled = g_strnfill (100000, '%');
  g_autofree char *with_field = g_strconcat (doubled, "%(message)s", doubled, NULL);
  const char *invalid[] = {
    percents,          /* a lone % at the end */
    doubled,           /* only %%: no field at all */
    "%",
    "%(",
    "%(message",
    "%(message)",
    "%(message)q",
    "%(message)s %",
    "%(message)s %d",
    "%s",
    "%-",
    "%(message)s%(",
    "no field",
  };
  gsize len;
  g_autofree char *text = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (tl_registry_set_format (registry, invalid[i], &error));
      g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_FORMAT);
    }

  /* 50,000 %% on each side of a field: valid; each prints one %. */
  text = print_message ("m", -1, with_field, &len);
  g_assert_cmpuint (len, ==, 50000 + 1 + 50000 + 1);
  g_assert_cmpint (text[50000], ==, 'm');
  g_assert_cmpint (text[0], ==, '%');
  g_assert_cmpint (text[len - 2], ==, '%');
}

static void
test_format_unknown_fields (void)
{
  g_autoptr(TlRegistry) registry = app_registry_new ();
  const char *formats[] = {
    "%(foo)s",
    "%(message)s %(foo)s",
    "%()s",
    "%(MESSAGE)s",
    "%(message )s",
    "%(\x1b[31m)s",
    "%(\xff)s",
    "%(levelname)s %(name)s %(a.b)s",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (tl_registry_set_format (registry, formats[i], &error));
      g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_FORMAT);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

static void
test_format_huge_width (void)
{
  gsize len;
  g_autofree char *text = print_message ("m", -1, "%(message)99999999999999999999s|"
                                                  "%(levelname).99999999999999999999s", &len);

  /* The width is clamped rather than overflowed into a huge allocation. */
  g_assert_cmpuint (len, <=, 20000);
  g_assert_true (g_str_has_suffix (text, "m|INFO\n"));
}

static void
test_format_control_literal (void)
{
  gsize len;
  g_autofree char *text = print_message ("m", -1, "\x1b[31m%(message)s\x1b[0m", &len);

  assert_printable (text, len);
  g_assert_cmpstr (text, ==, "\\x1b[31mm\\x1b[0m\n");
}

/* Loads @data and checks the GError names @line. */
static void
assert_registration_error (const char *data, gsize length, guint line, const char *detail)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *line_text = g_strdup_printf ("line %u", line);

  g_assert_false (tl_registry_load_registrations_from_data (registry, data, length, &error));
  g_assert_error (error, TL_ERROR, TL_ERROR_REGISTRATION_FILE);
  g_test_message ("%s", error->message);
  if (line > 0)
    g_assert_nonnull (strstr (error->message, line_text));
  if (detail != NULL)
    g_assert_nonnull (strstr (error->message, detail));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  /* Checked whole before anything is registered. */
  g_assert_cmpuint (g_list_model_get_n_items (tl_registry_get_components (registry)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (tl_registry_get_artifacts (registry)), ==, 0);
}

static void
test_registrations_duplicate (void)
{
  const char *data =
    "# a comment\n"
    "[log first]\n"
    "domains=a;\n"
    "\n"
    "[log parser]\n"
    "domains=b;\n"
    "\n"
    "[artifact x]\n"
    "[log parser]\n"
    "domains=c;\n";

  /* The line of the second definition, the one to remove. */
  assert_registration_error (data, -1, 9, "parser");
}

static void
test_registrations_empty_name (void)
{
  assert_registration_error ("[log ok]\ndomains=a;\n[log ]\ndomains=a;\n", -1, 3, NULL);
  assert_registration_error ("\n\n[artifact ]\n", -1, 3, NULL);
  /* The line of the offending key, when there is one. */
  assert_registration_error ("[log a]\ndomains=;\n", -1, 2, NULL);
  assert_registration_error ("[log a]\ndomains=a;\n\n[log b]\ndomains=ok;bad domain;\n", -1, 5, NULL);
}

static void
test_registrations_long_name (void)
{
  g_autofree char *name = g_strnfill (100000, 'n');
  g_autofree char *data = g_strdup_printf ("[log a]\ndomains=a;\n\n[artifact %s]\n", name);
  g_autofree char *domain_data = g_strdup_printf ("[log a]\ndomains=%s;\n", name);

  assert_registration_error (data, -1, 4, NULL);
  assert_registration_error (domain_data, -1, 2, NULL);
  {
    /* The error quotes the name, but not all 100,000 characters of it. */
    g_autoptr(TlRegistry) registry = tl_registry_new ();
    g_autoptr(GError) error = NULL;

    g_assert_false (tl_registry_load_registrations_from_data (registry, data, -1, &error));
    g_assert_cmpuint (strlen (error->message), <, 1000);
  }
}

static void
test_registrations_hostile (void)
{
  static const char nul_data[] = "[log a]\ndomains=a;\0[log b]\n";
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  g_autoptr(GError) error = NULL;

  /* Names with escapes, spaces or invalid UTF-8 are refused (GKeyFile
   * itself refuses control characters in a group name, without a line). */
  assert_registration_error ("[log \x1b[31m]\ndomains=a;\n", -1, 0, NULL);
  assert_registration_error ("[log \xff]\ndomains=a;\n", -1, 0, NULL);
  assert_registration_error ("[log a b]\ndomains=a;\n", -1, 1, NULL);
  assert_registration_error ("[log a]\ndomains=a\x1b;\n", -1, 2, NULL);
  /* Values that are not UTF-8 or hold a bad escape: an error at their
   * line, not a crash (found by fuzzing) nor a silently dropped value. */
  assert_registration_error ("[artifact a]\nlog-format=%(messag\\e)s\n", -1, 2, NULL);
  assert_registration_error ("[artifact a]\nlog-format=\xff\n", -1, 2, NULL);
  assert_registration_error ("[log a]\ndomains=a;\ndescription=\\e\n", -1, 3, NULL);
  assert_registration_error ("[log a]\ndomains=a;\ndescription=\xc3\n", -1, 3, NULL);
  /* Two bad escapes in one value made GKeyFile set its GError twice, a
   * GLib warning (fatal in these tests); found by fuzzing. */
  assert_registration_error ("[log a]\ndomains=a;\ndescription=\\l \\\n", -1, 3, NULL);
  assert_registration_error ("[log a]\ndomains=a\\q;b\\\n", -1, 2, NULL);
  /* A NUL inside counted data is an error, never a silent cut. */
  g_assert_false (tl_registry_load_registrations_from_data (registry, nul_data,
                                                            sizeof nul_data - 1, &error));
  g_assert_error (error, TL_ERROR, TL_ERROR_REGISTRATION_FILE);
}

/* A log registered under a name of the artifact-logger shape
 * `module.__artifact`, while that artifact exists, is still that log:
 * its records used to be taken for artifact records of the unregistered
 * module `x` and dropped (found by fuzz-registrations). */
static void
test_registrations_log_named_like_artifact_logger (void)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  g_autofree char *dir = g_dir_make_tmp ("torchlog-hostile-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.log", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize len;

  g_assert_true (tl_registry_load_registrations_from_data (registry,
                                                           "[artifact a]\n[log x.__a]\n", -1,
                                                           &error));
  g_assert_no_error (error);
  g_assert_true (tl_registry_parse_logs (registry, "+all", &error));
  g_assert_no_error (error);
  g_assert_true (tl_registry_set_output_file (registry, path, &error));
  g_assert_no_error (error);
  write_record (registry, G_LOG_LEVEL_WARNING, "x.__a", "printed", -1);
  g_clear_object (&registry);

  text = read_whole_file (path, &len);
  g_assert_nonnull (strstr (text, "printed"));
  g_unlink (path);
  g_rmdir (dir);
}

/* ---- issue 13: escaping ----------------------------------------------- */

/* What the tests below put where torchlog may print it: an OSC sequence
 * that sets the terminal's title, a right-to-left override, and a
 * literal "\x1b" that must not pass for an escape. */
#define HOSTILE "\x1b]0;pwned\x07\xe2\x80\xae\\x1b"
#define HOSTILE_SHOWN "\\x1b]0;pwned\\x07\\u202e\\\\x1b"

static void
test_invisible_controls (void)
{
  /* The bidi controls ("Trojan Source"), the line and paragraph
   * separators and the BOM reorder or break what a reader sees. */
  static const gunichar invisible[] = {
    0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
    0x200e, 0x200f, 0x061c, 0x2028, 0x2029, 0xfeff,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (invisible); i++)
    {
      GString *message = g_string_new ("a");
      g_autofree char *expected = g_strdup_printf ("] a\\u%04xb\n", invisible[i]);
      g_autofree char *text = NULL;
      gsize len;

      g_string_append_unichar (message, invisible[i]);
      g_string_append_c (message, 'b');
      text = print_message (message->str, message->len, NULL, &len);
      assert_printable (text, len);
      g_assert_nonnull (strstr (text, expected));
      g_string_free (message, TRUE);
    }
  /* Their neighbours are ordinary text, kept as they are. */
  {
    gsize len;
    g_autofree char *text = print_message ("\xe2\x80\xa9x\xe2\x80\x8b\xe2\x80\xaf", -1, NULL, &len);

    g_assert_nonnull (strstr (text, "] \\u2029x\xe2\x80\x8b\xe2\x80\xaf\n"));
  }
}

static void
test_backslash (void)
{
  /* A literal backslash is doubled: otherwise "\x1b" in a message reads
   * exactly like an escaped ESC. */
  gsize len;
  g_autofree char *text = print_message ("path C:\\new \\x1b\x1b \\\\ \\u202e", -1, NULL, &len);
  g_autofree char *custom = NULL;

  assert_printable (text, len);
  g_assert_nonnull (strstr (text, "] path C:\\\\new \\\\x1b\\x1b \\\\\\\\ \\\\u202e\n"));
  /* The custom-format path and the format's own text, too. */
  custom = print_message ("a\\b", -1, "\\%(message)s\\", &len);
  g_assert_cmpstr (custom, ==, "\\\\a\\\\b\\\\\n");
}

static void
test_c1_controls (void)
{
  /* The manual says: \xNN for one byte (an ASCII control, or a byte that
   * is not UTF-8), \uNNNN for a character. U+009B (a CSI on some
   * terminals) and the stray byte 0x9b read differently. */
  gsize len;
  g_autofree char *text = print_message ("\xc2\x9b" "2J \x9b" "2J \xc2\x85", -1, NULL, &len);

  assert_printable (text, len);
  g_assert_nonnull (strstr (text, "] \\u009b2J \\x9b2J \\u0085\n"));
}

/* The macros format the message themselves and print it unescaped when
 * every byte is plain, judged eight bytes at a time: a backslash at any
 * offset, from the format or from a %s or %c argument, must be seen. */
static void
child_macro_backslash (void)
{
  TlRegistry *registry = tl_registry_get_default ();
  const char * const domains[] = { "hostile.macro", NULL };
  g_autofree char *dir = g_dir_make_tmp ("torchlog-hostile-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.log", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GString *expected = g_string_new (NULL);

  tl_registry_register_log (registry, "hostile", domains, NULL);
  tl_registry_install_writer (registry);
  g_assert_true (tl_registry_parse_logs (registry, "hostile", NULL));
  g_assert_true (tl_registry_set_output_file (registry, path, NULL));

  for (gsize offset = 0; offset < 24; offset++)
    {
      char message[25];

      memset (message, 'a' + offset % 26, 24);
      message[24] = '\0';
      message[offset] = '\\';
      tl_info ("%s", message);
      g_string_append_len (expected, message, offset);
      g_string_append (expected, "\\\\");
      g_string_append (expected, message + offset + 1);
      g_string_append_c (expected, '\n');
    }
  tl_info ("literal \\ in the format");
  g_string_append (expected, "literal \\\\ in the format\n");
  tl_info ("%c and %d", '\\', 7);
  g_string_append (expected, "\\\\ and 7\n");

  tl_registry_flush (registry);
  contents = read_whole_file (path, NULL);
  lines = tl_test_split_lines (contents);
  {
    GString *messages = g_string_new (NULL);

    for (gsize i = 0; lines[i] != NULL; i++)
      {
        const char *m = strstr (lines[i], "] ");

        g_assert_nonnull (m);
        g_string_append (messages, m + 2);
        g_string_append_c (messages, '\n');
      }
    g_assert_cmpstr (messages->str, ==, expected->str);
    g_string_free (messages, TRUE);
  }
  tl_registry_set_output_file (registry, NULL, NULL);
  g_unlink (path);
  g_rmdir (dir);
  g_string_free (expected, TRUE);
}

static void
test_backslash_macros (void)
{
  TlTestChild child;

  tl_test_child_run (&child, "macro-backslash", NULL);
  g_assert_true (child.exited);
  g_assert_cmpint (child.exit_code, ==, 0);
  tl_test_child_clear (&child);
}

/* A program as it starts: the environment is read, one record printed,
 * one trace record written, everything flushed. */
static void
child_environment (void)
{
  TlRegistry *registry = tl_registry_get_default ();
  const char * const domains[] = { "app", NULL };

  tl_registry_register_log (registry, "app", domains, NULL);
  tl_registry_init_logs (registry, NULL);
  g_assert_true (tl_registry_parse_logs (registry, "+app", NULL));
  write_record (registry, G_LOG_LEVEL_WARNING, "app", "probe", -1);
  tl_trace_structured ("probe", NULL, NULL, NULL);
  tl_registry_flush (registry);
}

/* Whether @text holds a byte of HOSTILE that must never reach stderr. */
static gboolean
has_raw_control (const char *text)
{
  return strchr (text, '\x1b') != NULL || strchr (text, '\x07') != NULL ||
         strstr (text, "\xe2\x80\xae") != NULL;
}

/* Runs a program with @var set to @value (and @extra_var to
 * @extra_value) and checks that its warning quotes the value escaped. */
static void
check_environment_warning (const char *var, const char *value, const char *extra_var,
                           const char *extra_value)
{
  TlTestChild child;

  tl_test_child_run (&child, "environment", var, value, extra_var, extra_value, NULL);
  g_assert_true (child.exited);
  g_assert_cmpint (child.exit_code, ==, 0);
  g_assert_false (has_raw_control (child.err));
  assert_printable (child.err, strlen (child.err));
  g_assert_nonnull (strstr (child.err, HOSTILE_SHOWN));
  tl_test_child_clear (&child);
}

static void
test_environment_warnings (void)
{
  /* Each variable torchlog warns about quotes its value: RANK=$'\e]0;…'
   * must not set the terminal's title. */
  g_autofree char *missing_dir = g_build_filename ("/nonexistent-torchlog", HOSTILE, "out.log", NULL);

  check_environment_warning ("RANK", HOSTILE, NULL, NULL);
  check_environment_warning ("TORCH_LOGS_RANKS", HOSTILE, "RANK", "0");
  check_environment_warning ("TORCH_LOGS_RANKS", "0," HOSTILE, NULL, NULL);
  check_environment_warning ("TORCHLOG_JOURNAL", HOSTILE, NULL, NULL);
  check_environment_warning ("TORCH_LOGS_OUT", missing_dir, NULL, NULL);
  check_environment_warning ("TORCH_LOGS", "app," HOSTILE, NULL, NULL);
}

static void
test_environment_warnings_elsewhere (void)
{
  /* The trace folder that cannot be created (tl-trace-file.c) and the
   * TORCH_LOGS_OUT file that cannot be written (tl-output.c, here a link
   * to /dev/full). */
  g_autofree char *dir = g_dir_make_tmp ("torchlog-hostile-XXXXXX", NULL);
  g_autofree char *link = g_build_filename (dir, HOSTILE, NULL);
  g_autofree char *trace = g_build_filename ("/proc", HOSTILE, NULL);
  check_environment_warning ("TORCH_TRACE", trace, NULL, NULL);
  g_assert_cmpint (symlink ("/dev/full", link), ==, 0);
  check_environment_warning ("TORCH_LOGS_OUT", link, NULL, NULL);
  g_unlink (link);
  g_rmdir (dir);
}

/* ---- issue 13: registration files, long module names, float levels --- */

static void
test_registrations_reserved_names (void)
{
  /* `all` is every log to TORCH_LOGS and set_logs(), `help` a question:
   * a log or artifact of that name could never be selected. */
  assert_registration_error ("[log ok]\ndomains=a;\n\n[artifact all]\n", -1, 4, "is reserved");
  assert_registration_error ("[log all]\ndomains=a;\n", -1, 1, "is reserved");
  assert_registration_error ("[log help]\ndomains=a;\n", -1, 1, "is reserved");
  assert_registration_error ("[artifact help]\n", -1, 1, "is reserved");
  /* `+help` and the like are not names at all. */
  assert_registration_error ("[log +help]\ndomains=a;\n", -1, 1, NULL);
  assert_registration_error ("[artifact -all]\n", -1, 1, NULL);
  {
    /* Names that merely contain them are fine. */
    g_autoptr(TlRegistry) registry = tl_registry_new ();
    g_autoptr(GError) error = NULL;

    g_assert_true (tl_registry_load_registrations_from_data (registry,
        "[log helper]\ndomains=all.of.it;\n[artifact all_graphs]\n[log help.me]\n", -1, &error));
    g_assert_no_error (error);
  }
}

/* @depth segments "a" joined by dots after "my.": a long name whose
 * every prefix is a name of its own. */
static char *
deep_module_name (gsize length)
{
  GString *name = g_string_new ("my.");

  while (name->len < length)
    g_string_append (name, "a.");
  g_string_truncate (name, length);
  if (name->str[name->len - 1] == '.')
    name->str[name->len - 1] = 'b';
  return g_string_free (name, FALSE);
}

static gint64
time_set_logs_module (TlRegistry *registry, const char *name, double value)
{
  g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE_VARDICT);
  g_autoptr(GVariant) settings = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  gboolean ok;

  g_variant_builder_add (builder, "{sv}", name, g_variant_new_int32 ((int) value));
  settings = g_variant_ref_sink (g_variant_builder_end (builder));
  start = g_get_monotonic_time ();
  ok = tl_registry_set_logs_variant (registry, settings, &error);
  if (error != NULL)
    g_error ("refused: %.300s…", error->message);
  g_assert_true (ok);
  return g_get_monotonic_time () - start;
}

static void
test_settings_long_module_names (void)
{
  /* torch accepts a module name of any length; so does torchlog. One
   * longer than a domain can be (1024 bytes) changes nothing, since no
   * domain that long is ever matched, and is accepted in linear time. */
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  g_autofree char *name300 = deep_module_name (300);
  g_autofree char *name100k = deep_module_name (100 * 1024);
  g_autofree char *name1m = deep_module_name (1024 * 1024);
  g_autofree char *settings = NULL;
  gint64 small, large;

  tl_registry_add_pytorch_registrations (registry);

  /* 300 bytes: a module name like any other, open-registered, with its
   * level. */
  settings = g_strconcat ("+", name300, NULL);
  time_parse (registry, settings, TRUE);
  g_assert_nonnull (tl_registry_lookup_component (registry, name300));
  g_assert_cmpint (tl_registry_get_effective_level (registry, name300), ==, TL_LEVEL_DEBUG);
  time_set_logs_module (registry, name300, TL_LEVEL_ERROR);
  g_assert_cmpint (tl_registry_get_effective_level (registry, name300), ==, TL_LEVEL_ERROR);

  /* 100 KB and 1 MB of 50,000 and 500,000 segments: accepted, with
   * the other items applied; nothing registered for them. (Their time is
   * printed, not asserted: a quadratic walk over 500,000 segments would
   * still take this test past meson's timeout.) */
  {
    g_autofree char *s100k = g_strconcat ("+dynamo,", name100k, ",-aot", NULL);
    g_autofree char *s1m = g_strconcat ("+dynamo,", name1m, ",-aot", NULL);

    small = time_parse (registry, s100k, TRUE);
    large = time_parse (registry, s1m, TRUE);
  }
  g_assert_cmpint (tl_registry_get_effective_level (registry, "torch._dynamo"), ==, TL_LEVEL_DEBUG);
  g_assert_cmpint (tl_registry_get_effective_level (registry, "torch._functorch.aot_autograd"), ==, TL_LEVEL_ERROR);
  g_assert_null (tl_registry_lookup_component (registry, name100k));
  g_assert_null (tl_registry_lookup_component (registry, name1m));
  g_printerr ("# long module names: 100 KB in %" G_GINT64_FORMAT " us, 1 MB in %" G_GINT64_FORMAT " us\n",
              small, large);

  /* set_logs() the same. */
  time_set_logs_module (registry, name100k, TL_LEVEL_DEBUG);
  time_set_logs_module (registry, name1m, TL_LEVEL_DEBUG);
  g_assert_null (tl_registry_lookup_component (registry, name100k));
  g_assert_null (tl_registry_lookup_component (registry, name1m));
}

static void
check_set_logs_value (const char *name, GVariant *value, const char *expected_error)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE_VARDICT);
  g_autoptr(GVariant) settings = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  tl_registry_add_pytorch_registrations (registry);
  g_variant_builder_add (builder, "{sv}", name, value);
  settings = g_variant_ref_sink (g_variant_builder_end (builder));
  ok = tl_registry_set_logs_variant (registry, settings, &error);
  if (expected_error == NULL)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_VALUE);
      g_assert_cmpstr (error->message, ==, expected_error);
    }
}

static void
test_set_logs_float_levels (void)
{
  /* torch's check is `val not in logging._levelToName`: 10.0 == 10 is
   * a level, 10.5 is not, and its text is str(10.5). */
  static const struct {
    double value;
    const char *shown;    /* str() of the float in Python */
  } refused[] = {
    { 10.5, "10.5" },
    { 10.1, "10.1" },
    { 0.1, "0.1" },
    { -2.5, "-2.5" },
    { 1e16, "1e+16" },
    { 1.5e-5, "1.5e-05" },
    { 1e300, "1e+300" },
    { 15.0, "15.0" },
    { 123456789012345.6, "123456789012345.6" },
  };
  const char *tail = ", valid level values are: 50,40,30,20,10,0";

  check_set_logs_value ("dynamo", g_variant_new_double (10.0), NULL);
  check_set_logs_value ("all", g_variant_new_double (40.0), NULL);
  check_set_logs_value ("dynamo", g_variant_new_double (0.0), NULL);
  check_set_logs_value ("my.module", g_variant_new_double (20.0), NULL);
  {
    g_autoptr(TlRegistry) registry = tl_registry_new ();
    g_autoptr(GVariant) settings = g_variant_ref_sink (g_variant_new_parsed ("{'dynamo': <10.0>}"));
    g_autoptr(GError) error = NULL;

    tl_registry_add_pytorch_registrations (registry);
    g_assert_true (tl_registry_set_logs_variant (registry, settings, &error));
    g_assert_no_error (error);
    g_assert_cmpint (tl_registry_get_effective_level (registry, "torch._dynamo"), ==, TL_LEVEL_DEBUG);
  }
  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *text = g_strdup_printf ("Unrecognized log level for log dynamo: %s%s",
                                               refused[i].shown, tail);
      check_set_logs_value ("dynamo", g_variant_new_double (refused[i].value), text);
    }
  {
    g_autofree char *text = g_strdup_printf ("Unrecognized log level for log torch: nan%s", tail);
    check_set_logs_value ("all", g_variant_new_double (NAN), text);
    g_free (text);
    text = g_strdup_printf ("Unrecognized log level for log my.module: inf%s", tail);
    check_set_logs_value ("my.module", g_variant_new_double (INFINITY), text);
  }
  /* An artifact wants a bool, as before; the float shows as str(). */
  check_set_logs_value ("guards", g_variant_new_double (1.0),
                        "Expected bool to enable artifact guards, received 1.0");
}

static const TlTestChildFunc children[] = {
  { "environment", child_environment },
  { "macro-backslash", child_macro_backslash },
  { NULL, NULL },
};

int
main (int argc, char **argv)
{
  int child = tl_test_child_main (argc, argv, children);

  if (child >= 0)
    return child;
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hostile/message/ansi-escapes", test_ansi_escapes);
  g_test_add_func ("/hostile/message/control-characters", test_control_characters);
  g_test_add_func ("/hostile/message/nul-bytes", test_nul_bytes);
  g_test_add_func ("/hostile/message/binary-fields", test_binary_fields);
  g_test_add_func ("/hostile/message/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/hostile/message/invalid-utf8-format", test_invalid_utf8_in_format);
  g_test_add_func ("/hostile/message/10mb", test_huge_message);
  g_test_add_func ("/hostile/message/deep-domain", test_deep_domain);
  g_test_add_func ("/hostile/settings/1mb", test_settings_1mb);
  g_test_add_func ("/hostile/settings/100k-items", test_settings_100k_items);
  g_test_add_func ("/hostile/settings/100k-modules", test_settings_100k_modules);
  g_test_add_func ("/hostile/settings/100k-invalid", test_settings_100k_invalid);
  g_test_add_func ("/hostile/settings/escapes-in-error", test_settings_escapes_in_error);
  g_test_add_func ("/hostile/set-logs/names", test_set_logs_hostile_names);
  g_test_add_func ("/hostile/format/percent", test_format_percent);
  g_test_add_func ("/hostile/format/unknown-fields", test_format_unknown_fields);
  g_test_add_func ("/hostile/format/huge-width", test_format_huge_width);
  g_test_add_func ("/hostile/format/control-literal", test_format_control_literal);
  g_test_add_func ("/hostile/registrations/duplicate", test_registrations_duplicate);
  g_test_add_func ("/hostile/registrations/empty-name", test_registrations_empty_name);
  g_test_add_func ("/hostile/registrations/long-name", test_registrations_long_name);
  g_test_add_func ("/hostile/registrations/hostile", test_registrations_hostile);
  g_test_add_func ("/hostile/registrations/log-named-like-artifact-logger",
                   test_registrations_log_named_like_artifact_logger);
  /* Issue 13. */
  g_test_add_func ("/hostile/message/invisible-controls", test_invisible_controls);
  g_test_add_func ("/hostile/message/backslash", test_backslash);
  g_test_add_func ("/hostile/message/c1-controls", test_c1_controls);
  g_test_add_func ("/hostile/message/backslash-macros", test_backslash_macros);
  g_test_add_func ("/hostile/environment/warnings", test_environment_warnings);
  g_test_add_func ("/hostile/environment/warnings-elsewhere", test_environment_warnings_elsewhere);
  g_test_add_func ("/hostile/registrations/reserved-names", test_registrations_reserved_names);
  g_test_add_func ("/hostile/settings/long-module-names", test_settings_long_module_names);
  g_test_add_func ("/hostile/set-logs/float-levels", test_set_logs_float_levels);

  return g_test_run ();
}
