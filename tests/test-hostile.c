/* test-hostile.c: hostile input never crashes torchlog, never reaches the
 * terminal raw, and is parsed in linear time
 *
 * Messages with ANSI escape sequences, other control characters, NUL
 * bytes and invalid UTF-8 are printed escaped (`\xNN`, `\uNNNN`), not
 * dropped; a 10 MB message is written whole; a 1 MB settings string and
 * one of 100,000 items are parsed in linear time, with torch's clear
 * error when invalid; formats full of `%` and unknown fields are refused
 * with a GError; registration files with duplicate, empty and over-long
 * names get a GError naming the line.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "reliability-util.h"


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

/* Nothing printed may drive a terminal: valid UTF-8, and no C0 control
 * but newline and tab, no DEL, no C1 control. */
static void
assert_printable (const char *text, gsize len)
{
  g_assert_true (g_utf8_validate (text, len, NULL));
  for (const char *p = text; p < text + len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || c == '\t')
        continue;
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        g_error ("control character U+%04X printed at offset %" G_GSIZE_FORMAT,
                 c, (gsize) (p - text));
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
  gint64 start;
  gsize len;

  while (domain->len < 1024 * 1024)
    g_string_append (domain, ".a");
  start = g_get_monotonic_time ();
  g_assert_cmpint (tl_registry_get_effective_level (registry, domain->str), ==, TL_LEVEL_WARNING);
  g_assert_false (tl_registry_should_emit (registry, domain->str, NULL, TL_LEVEL_CRITICAL));
  stderr_capture_begin (&capture);
  write_record (registry, G_LOG_LEVEL_INFO, domain->str, "deep", -1);
  err = stderr_capture_end (&capture, &len);
  if (g_getenv ("TORCHLOG_SLOW_TOOL") == NULL)
    g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
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
   * a name's prefixes: quadratic in its length): longer than any module
   * name may be (256), so torch's error, at once, and nothing registered. */
  g_string_assign (s, "+my.");
  while (s->len < 1024 * 1024)
    g_string_append (s, "abcdefgh");
  time_parse (registry, s->str, FALSE);
  g_assert_null (tl_registry_lookup_component (registry, s->str + 1));
  g_string_assign (s, "+a");
  while (s->len < 1024 * 1024)
    g_string_append (s, ".a");
  time_parse (registry, s->str, FALSE);
  g_assert_null (tl_registry_lookup_component (registry, s->str + 1));
  /* 256 bytes is still a module name; 257 is not. */
  g_string_assign (s, "+my.");
  while (s->len < 257)
    g_string_append (s, "m.");
  g_string_truncate (s, 257);
  time_parse (registry, s->str, TRUE);
  g_assert_cmpint (tl_registry_get_effective_level (registry, s->str + 1), ==, TL_LEVEL_DEBUG);
  g_string_append_c (s, 'x');
  time_parse (registry, s->str, FALSE);

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

/* Linear time is checked by the growth from 10,000 to 100,000 items (a
 * quadratic parser grows 100×) and by a generous absolute bound, so that
 * neither a slow machine nor a sanitizer makes the test flaky. */
static void
check_linear (const char *what, const char *item, gboolean numbered, gboolean expect_ok)
{
  gint64 small, large;

  /* Warm up: the first parse pays for interning and GType set-up. */
  time_items (item, numbered, 1000, expect_ok);
  /* The fastest of three runs each: a loaded machine only slows runs
   * down, so the minimum is the parser's own cost. */
  small = G_MAXINT64;
  large = G_MAXINT64;
  /* Under a sanitizer or valgrind (TORCHLOG_SLOW_TOOL) once is enough:
   * the bound there is only on the growth, and runs are slow. */
  guint runs = g_getenv ("TORCHLOG_SLOW_TOOL") != NULL ? 1 : 3;

  for (guint run = 0; run < runs; run++)
    {
      small = MIN (small, time_items (item, numbered, 10000, expect_ok));
      large = MIN (large, time_items (item, numbered, 100000, expect_ok));
    }
  small = MAX (small, 1000);
  /* On stderr: the module-name case runs in a child process. */
  g_printerr ("# %s: 10,000 items in %" G_GINT64_FORMAT " µs, 100,000 in %" G_GINT64_FORMAT " µs\n",
              what, small, large);
  /* Linear growth is 10×, quadratic 100×; 50× leaves room for the
   * hash tables' growth and the caches of a 10× larger input. */
  g_assert_cmpint (large, <, 50 * small);
  if (g_getenv ("TORCHLOG_SLOW_TOOL") == NULL)
    g_assert_cmpint (large, <, 2 * G_USEC_PER_SEC);
}

static void
test_settings_100k_items (void)
{
  /* Registered logs and artifacts, repeated (last one wins). */
  check_linear ("registered names", "+dynamo,aot,-inductor,guards,graph_code", FALSE, TRUE);
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
      check_linear ("module names", "+my.module", TRUE, TRUE);
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

  check_linear ("invalid names", "bogus", TRUE, FALSE);
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

int
main (int argc, char **argv)
{
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

  return g_test_run ();
}
