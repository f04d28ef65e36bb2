/* test-output.c: what torchlog's writer prints, and where
 *
 * torch's glog-style lines (spec §5.1), per-artifact formats,
 * TORCH_LOGS_FORMAT (§5.2), TORCH_LOGS_OUT (§5.3), the trace-id filter,
 * records torchlog does not handle, the GLib level mapping, and that
 * nothing torchlog logs aborts the program. Expectations come from
 * torch_logging_spec.md and issue 2.
 *
 * The logging happens in child processes (tl-test-child.h): the writer
 * can be installed once per process, and the environment must be in
 * place before torchlog reads it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define TL_LOG_DOMAIN "torch._dynamo"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <torchlog/torchlog.h>

#include "tl-test-child.h"

/* ---- parsing torch's lines ------------------------------------------------ */

/* {rank}{L}{MMDD HH:MM:SS}.{SSSSSS} {pid} {path}:{lineno}]{trace}{artifact} {message} */
#define GLOG_PATTERN \
  "^(?:\\[rank(\\d+)\\]:)?([VIWEC])(\\d\\d)(\\d\\d) (\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{6}) " \
  "(\\d+) (\\S+):(\\d+)\\]((?: \\[(?!__)[^\\]]+\\])?)(?: \\[__(\\w+)\\])? (.*)$"

typedef struct {
  int   rank;        /* -1: none */
  char  letter;
  int   month, day, hour, minute, second, usec;
  int   pid;
  char *path;
  int   line;
  char *trace;
  char *artifact;    /* NULL: none */
  char *message;
  char *prefix;      /* everything before the message */
} GlogLine;

static void
glog_line_clear (GlogLine *line)
{
  g_free (line->path);
  g_free (line->trace);
  g_free (line->artifact);
  g_free (line->message);
  g_free (line->prefix);
  memset (line, 0, sizeof *line);
}

static int
fetch_int (GMatchInfo *match, int group)
{
  g_autofree char *text = g_match_info_fetch (match, group);

  return (int) g_ascii_strtoll (text, NULL, 10);
}

#define GROUP_INT(n) fetch_int (match, (n))

static gboolean
parse_glog (const char *text, GlogLine *out)
{
  static GRegex *regex;
  g_autoptr(GMatchInfo) match = NULL;
  int start, end;

  if (regex == NULL)
    regex = g_regex_new (GLOG_PATTERN, G_REGEX_OPTIMIZE, 0, NULL);
  g_assert_nonnull (regex);
  memset (out, 0, sizeof *out);
  if (!g_regex_match (regex, text, 0, &match))
    return FALSE;

  {
    g_autofree char *rank = g_match_info_fetch (match, 1);
    g_autofree char *letter = g_match_info_fetch (match, 2);
    g_autofree char *artifact = g_match_info_fetch (match, 13);

    out->rank = rank[0] ? (int) g_ascii_strtoll (rank, NULL, 10) : -1;
    out->letter = letter[0];
    out->artifact = artifact && artifact[0] ? g_strdup (artifact) : NULL;
  }
  out->month = GROUP_INT (3);
  out->day = GROUP_INT (4);
  out->hour = GROUP_INT (5);
  out->minute = GROUP_INT (6);
  out->second = GROUP_INT (7);
  out->usec = GROUP_INT (8);
  out->pid = GROUP_INT (9);
  out->path = g_match_info_fetch (match, 10);
  out->line = GROUP_INT (11);
  out->trace = g_match_info_fetch (match, 12);
  out->message = g_match_info_fetch (match, 14);
  g_match_info_fetch_pos (match, 14, &start, &end);
  out->prefix = g_strndup (text, start);
  return TRUE;
}

/* Parses every line of @text, failing the test on any that is not torch's. */
static GArray *
parse_all_glog (const char *text)
{
  g_auto(GStrv) lines = tl_test_split_lines (text);
  GArray *parsed = g_array_new (FALSE, TRUE, sizeof (GlogLine));

  g_array_set_clear_func (parsed, (GDestroyNotify) glog_line_clear);
  for (gsize i = 0; lines[i] != NULL; i++)
    {
      GlogLine line;

      if (!parse_glog (lines[i], &line))
        g_error ("not a torch line: “%s”", lines[i]);
      g_array_append_val (parsed, line);
    }
  return parsed;
}

#define LINE_AT(array, i) (&g_array_index ((array), GlogLine, (i)))

static GPtrArray *
child_values (const TlTestChild *child, const char *key)
{
  g_auto(GStrv) lines = tl_test_split_lines (child->out);
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  gsize key_len = strlen (key);

  for (gsize i = 0; lines[i] != NULL; i++)
    if (strncmp (lines[i], key, key_len) == 0 && lines[i][key_len] == '=')
      g_ptr_array_add (values, g_strdup (lines[i] + key_len + 1));
  return values;
}

static int
child_pid (const TlTestChild *child)
{
  g_autofree char *pid = tl_test_child_value (child, "PID");

  g_assert_nonnull (pid);
  return (int) g_ascii_strtoll (pid, NULL, 10);
}

static void
assert_child_ok (const TlTestChild *child)
{
  g_assert_true (child->exited);
  g_assert_cmpint (child->exit_code, ==, 0);
}

/* ---- child side ----------------------------------------------------------- */

/* Prints the source line on stdout, then runs @stmt on the same line, so
 * the parent knows what `file:line]` must say. */
#define AT_LINE(stmt) G_STMT_START { g_print ("LINE=%d\n", __LINE__); stmt; } G_STMT_END

static TlRegistry *
child_setup (void)
{
  TlRegistry *registry = tl_registry_get_default ();
  g_autoptr(GError) error = NULL;

  tl_registry_add_pytorch_registrations (registry);
  g_assert_true (tl_registry_init_logs (registry, &error));
  g_assert_no_error (error);
  tl_registry_install_writer (registry);
  g_print ("PID=%d\n", (int) getpid ());
  return registry;
}

static void
child_levels (void)
{
  child_setup ();
  AT_LINE (tl_debug ("debug message"));
  AT_LINE (tl_info ("info message %d", 42));
  AT_LINE (tl_warning ("warning message"));
  AT_LINE (tl_error ("error message"));
  AT_LINE (tl_critical ("critical message"));
  AT_LINE (tl_artifact ("guards", TL_LEVEL_DEBUG, "GUARDS:"));
  AT_LINE (tl_log (TL_LEVEL_INFO, "generic"));
}

static void
child_multiline (void)
{
  child_setup ();
  tl_info ("test\ndynamo");
  tl_info ("%s", "test\ndynamo");
  tl_info ("test\n%s", "test\ndynamo");
  tl_info ("trailing\n");
  tl_info ("%s", "");
}

static void
child_escape (void)
{
  child_setup ();
  tl_info ("ctl:a\033[31mb\007c\rd\tTAB");
  tl_info ("bad:x\377\376y");
  tl_info ("del:<\177>");
  tl_info ("uni:héllo ✓ 日本");
}

static void
child_rank (void)
{
  TlRegistry *registry = child_setup ();

  tl_registry_set_rank (registry, 0);
  tl_info ("woof");
  tl_info ("two\nlines");
  g_object_set (registry, "rank", 12, NULL);
  tl_warning ("rank twelve");
  tl_registry_set_rank (registry, -1);
  tl_info ("no rank");
}

static void
child_artifact_formats (void)
{
  TlRegistry *registry = tl_registry_get_default ();

  /* An application artifact with its own format, registered before the
   * configuration names it. */
  tl_registry_register_artifact (registry, "fmt_art", "Formatted.", TL_ARTIFACT_FLAGS_NONE,
                                 "%(levelname)s|%(name)s|%(message)s");
  child_setup ();
  tl_info ("test dynamo");
  tl_artifact ("custom_format_test_artifact", TL_LEVEL_INFO, "custom format");
  tl_artifact ("custom_format_test_artifact", TL_LEVEL_INFO, "two\nlines");
  tl_artifact ("fmt_art", TL_LEVEL_DEBUG, "gmsg");
  /* The rank is part of torch's prefix only. */
  tl_registry_set_rank (registry, 3);
  tl_artifact ("custom_format_test_artifact", TL_LEVEL_WARNING, "still bare");
}

#undef TL_LOG_DOMAIN
#define TL_LOG_DOMAIN "torch._dynamo.x"
static void
log_from_dynamo_x (void)
{
  AT_LINE (tl_debug ("hello\nworld"));
}
#undef TL_LOG_DOMAIN
#define TL_LOG_DOMAIN "torch._dynamo.guards"
static void
log_from_guards (void)
{
  AT_LINE (tl_artifact ("guards", TL_LEVEL_DEBUG, "gmsg"));
}
#undef TL_LOG_DOMAIN
#define TL_LOG_DOMAIN "torch._dynamo"

static void
child_logs_format (void)
{
  TlRegistry *registry = child_setup ();

  tl_registry_set_rank (registry, 0);   /* not printed in this mode */
  log_from_dynamo_x ();
  log_from_guards ();
  /* Custom per-artifact formats are not applied either. */
  tl_artifact ("custom_format_test_artifact", TL_LEVEL_INFO, "custom format");
}

static void
child_logs_out (void)
{
  TlRegistry *registry = child_setup ();
  g_autoptr(GError) error = NULL;

  tl_debug ("debug message");
  tl_info ("info message");
  tl_info ("multi\nline\nmessage\n");
  tl_warning ("ctl \033 char and bad \377 byte");
  tl_artifact ("guards", TL_LEVEL_DEBUG, "GUARDS:\n  check 1\n  check 2");
  tl_artifact ("custom_format_test_artifact", TL_LEVEL_INFO, "custom format");
  g_log_structured ("torch._inductor", G_LOG_LEVEL_WARNING, "MESSAGE", "plain GLib record");
  /* torchlog's own warning (TORCH_LOGS wins over set_logs) goes to both. */
  g_assert_true (tl_registry_set_logs (registry, &error, "dynamo", TL_LEVEL_DEBUG, NULL));
  g_assert_no_error (error);
  tl_registry_set_rank (registry, 1);
  tl_error ("with a rank");
  tl_registry_flush (registry);
}

static void
child_logs_out_bad_path (void)
{
  child_setup ();
  tl_info ("still logging");
}

static void
child_trace_id_filter (void)
{
  child_setup ();
  tl_info ("no trace id");
  tl_warning ("no trace id either");
  tl_artifact ("custom_format_test_artifact", TL_LEVEL_INFO, "custom format");
  g_print ("DONE=1\n");
}

static void
child_bad_logs_format (void)
{
  child_setup ();
  tl_info ("still logging");
}

static void
child_unregistered_domains (void)
{
  child_setup ();
  g_log_structured ("other.domain", G_LOG_LEVEL_DEBUG, "MESSAGE", "other-debug-visible");
  g_log_structured ("hidden.domain", G_LOG_LEVEL_DEBUG, "MESSAGE", "hidden-debug");
  g_log_structured ("torchx", G_LOG_LEVEL_MESSAGE, "MESSAGE", "torchx-message");
  g_log ("other.domain", G_LOG_LEVEL_INFO, "old-api-info-visible");
  g_log (NULL, G_LOG_LEVEL_MESSAGE, "no-domain-message");
  /* A registered domain, for contrast. */
  g_log_structured ("torch._dynamo", G_LOG_LEVEL_WARNING, "MESSAGE", "dynamo-warning");
}

/* Plain GLib records (not torchlog's macros) on a torchlog domain: the
 * documented mapping decides the level. */
static void
child_glib_levels (void)
{
  child_setup ();
  g_log_structured ("torch._dynamo.sub", G_LOG_LEVEL_DEBUG, "MESSAGE", "glib-debug");
  g_log_structured ("torch._dynamo.sub", G_LOG_LEVEL_INFO, "MESSAGE", "glib-info");
  g_log_structured ("torch._dynamo.sub", G_LOG_LEVEL_MESSAGE, "MESSAGE", "glib-message");
  g_log_structured ("torch._dynamo.sub", G_LOG_LEVEL_WARNING, "MESSAGE", "glib-warning");
  g_log_structured ("torch._dynamo.sub", G_LOG_LEVEL_CRITICAL, "MESSAGE", "glib-critical");
  g_log ("torch._dynamo.sub", G_LOG_LEVEL_MESSAGE, "old-api %s", "message");
}

static void
child_glib_error (void)
{
  child_setup ();
  g_log_structured ("torch._dynamo.sub", G_LOG_LEVEL_ERROR, "MESSAGE", "glib-error");
}

/* Everything torchlog logs at WARNING and above, under fatal warnings
 * and fatal criticals; the process must survive it all. */
static void
log_everything_serious (TlRegistry *registry)
{
  g_autoptr(GError) error = NULL;

  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);
  tl_warning ("serious warning");
  tl_error ("serious error");
  tl_critical ("serious critical");
  tl_artifact ("guards", TL_LEVEL_CRITICAL, "serious artifact");
  /* torchlog's own diagnostics: set_logs ignored, a bad artifact format,
   * a second writer. */
  g_assert_true (tl_registry_set_logs (registry, &error, "dynamo", TL_LEVEL_DEBUG, NULL));
  tl_registry_register_artifact (registry, "broken_fmt", NULL, 0, "no fields here");
  tl_registry_install_writer (registry);
  g_print ("SURVIVED=1\n");
}

static void
child_never_fatal (void)
{
  log_everything_serious (child_setup ());
}

static void
child_never_fatal_without_writer (void)
{
  TlRegistry *registry = tl_registry_get_default ();
  g_autoptr(GError) error = NULL;

  tl_registry_add_pytorch_registrations (registry);
  g_assert_true (tl_registry_init_logs (registry, &error));
  tl_debug ("debug-not-dropped");
  tl_info ("info-not-dropped");
  log_everything_serious (registry);
}

static void
child_invalid_torch_logs (void)
{
  TlRegistry *registry = tl_registry_get_default ();
  g_autoptr(GError) error = NULL;

  tl_registry_add_pytorch_registrations (registry);
  g_assert_false (tl_registry_init_logs (registry, &error));
  g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_SETTINGS);
  tl_registry_install_writer (registry);
  tl_warning ("defaults kept");
  tl_info ("info stays off");
  g_print ("SURVIVED=1\n");
}

static const TlTestChildFunc child_funcs[] = {
  { "levels", child_levels },
  { "multiline", child_multiline },
  { "escape", child_escape },
  { "rank", child_rank },
  { "artifact-formats", child_artifact_formats },
  { "logs-format", child_logs_format },
  { "logs-out", child_logs_out },
  { "logs-out-bad-path", child_logs_out_bad_path },
  { "trace-id-filter", child_trace_id_filter },
  { "bad-logs-format", child_bad_logs_format },
  { "unregistered-domains", child_unregistered_domains },
  { "glib-levels", child_glib_levels },
  { "glib-error", child_glib_error },
  { "never-fatal", child_never_fatal },
  { "never-fatal-without-writer", child_never_fatal_without_writer },
  { "invalid-torch-logs", child_invalid_torch_logs },
  { NULL, NULL },
};

/* ---- parent side: the tests ------------------------------------------------- */

static void
local_mmdd (time_t t, int *month, int *day)
{
  struct tm tm;

  localtime_r (&t, &tm);
  *month = tm.tm_mon + 1;
  *day = tm.tm_mday;
}

static void
test_glog_format (void)
{
  static const char letters[] = "VIWECVI";
  static const char *messages[] = {
    "debug message", "info message 42", "warning message", "error message",
    "critical message", "GUARDS:", "generic",
  };
  g_autoptr(GArray) lines = NULL;
  g_autoptr(GPtrArray) source_lines = NULL;
  TlTestChild child;
  int month0, day0, month1, day1;
  time_t before = time (NULL), after;

  tl_test_child_run (&child, "levels", "TORCH_LOGS", "+dynamo", NULL);
  after = time (NULL);
  assert_child_ok (&child);
  local_mmdd (before, &month0, &day0);
  local_mmdd (after, &month1, &day1);

  lines = parse_all_glog (child.err);
  source_lines = child_values (&child, "LINE");
  g_assert_cmpuint (lines->len, ==, strlen (letters));
  g_assert_cmpuint (source_lines->len, ==, lines->len);
  for (guint i = 0; i < lines->len; i++)
    {
      GlogLine *line = LINE_AT (lines, i);

      g_assert_cmpint (line->rank, ==, -1);
      g_assert_cmpint (line->letter, ==, letters[i]);
      /* Local time, no year. */
      g_assert_true ((line->month == month0 && line->day == day0) ||
                     (line->month == month1 && line->day == day1));
      g_assert_cmpint (line->hour, <, 24);
      g_assert_cmpint (line->minute, <, 60);
      g_assert_cmpint (line->second, <, 61);
      g_assert_cmpint (line->pid, ==, child_pid (&child));
      /* The call site's file, relative, and its line. */
      g_assert_true (g_str_has_suffix (line->path, "tests/test-output.c"));
      g_assert_false (g_str_has_prefix (line->path, "../"));
      g_assert_cmpint (line->line, ==, g_ascii_strtoll (g_ptr_array_index (source_lines, i), NULL, 10));
      g_assert_cmpstr (line->trace, ==, "");   /* no compile context in C */
      g_assert_cmpstr (line->message, ==, messages[i]);
      g_assert_true (g_str_has_suffix (line->prefix, "] "));
    }
  /* The artifact marker, and nothing else, on the artifact's line. */
  for (guint i = 0; i < lines->len; i++)
    g_assert_cmpstr (LINE_AT (lines, i)->artifact, ==, i == 5 ? "guards" : NULL);
  g_assert_nonnull (strstr (child.err, "] [__guards] GUARDS:\n"));
  tl_test_child_clear (&child);

  /* At the default WARNING, DEBUG and INFO print nothing (spec §8 fact 1). */
  tl_test_child_run (&child, "levels", NULL);
  assert_child_ok (&child);
  {
    g_autoptr(GArray) defaults = parse_all_glog (child.err);

    g_assert_cmpuint (defaults->len, ==, 3);
    g_assert_cmpint (LINE_AT (defaults, 0)->letter, ==, 'W');
    g_assert_cmpint (LINE_AT (defaults, 1)->letter, ==, 'E');
    g_assert_cmpint (LINE_AT (defaults, 2)->letter, ==, 'C');
  }
  tl_test_child_clear (&child);
}

static void
test_multiline (void)
{
  static const char *messages[] = {
    "test", "dynamo",
    "test", "dynamo",
    "test", "test", "dynamo",
    "trailing", "",
    "",
  };
  static const guint record_of_line[] = { 0, 0, 1, 1, 2, 2, 2, 3, 3, 4 };
  g_autoptr(GArray) lines = NULL;
  TlTestChild child;

  tl_test_child_run (&child, "multiline", "TORCH_LOGS", "dynamo", NULL);
  assert_child_ok (&child);
  lines = parse_all_glog (child.err);
  g_assert_cmpuint (lines->len, ==, G_N_ELEMENTS (messages));
  for (guint i = 0; i < lines->len; i++)
    {
      g_assert_cmpstr (LINE_AT (lines, i)->message, ==, messages[i]);
      g_assert_cmpint (LINE_AT (lines, i)->letter, ==, 'I');
      /* Every line of a record carries the record's full prefix. */
      if (i > 0 && record_of_line[i] == record_of_line[i - 1])
        g_assert_cmpstr (LINE_AT (lines, i)->prefix, ==, LINE_AT (lines, i - 1)->prefix);
    }
  /* An empty message and a trailing newline print `prefix + " "`. */
  g_assert_true (g_str_has_suffix (child.err, "] \n"));
  tl_test_child_clear (&child);
}

static void
assert_in_order (const char *text, const char * const *parts)
{
  const char *p = text;

  for (gsize i = 0; parts[i] != NULL; i++)
    {
      const char *found = strstr (p, parts[i]);

      if (found == NULL)
        g_error ("“%s” not found in order in “%s”", parts[i], text);
      p = found + strlen (parts[i]);
    }
}

static void
test_escaping (void)
{
  g_autoptr(GArray) lines = NULL;
  TlTestChild child;

  tl_test_child_run (&child, "escape", "TORCH_LOGS", "dynamo", NULL);
  assert_child_ok (&child);

  /* Nothing that can drive a terminal: no control character other than
   * newline and tab, and valid UTF-8 throughout. */
  g_assert_true (g_utf8_validate (child.err, -1, NULL));
  for (const char *p = child.err; *p; p++)
    {
      guchar c = *p;
      g_assert_true (c >= 0x20 || c == '\n' || c == '\t');
      g_assert_cmpint (c, !=, 0x7f);
    }

  lines = parse_all_glog (child.err);
  g_assert_cmpuint (lines->len, ==, 4);
  {
    /* Escaped, not dropped: each character shows as its code. */
    const char *ctl[] = { "ctl:a", "1b", "[31mb", "07", "c", "0d", "d\tTAB", NULL };
    const char *bad[] = { "bad:x", "ff", "fe", "y", NULL };
    const char *del[] = { "del:<", "7f", ">", NULL };

    assert_in_order (LINE_AT (lines, 0)->message, ctl);
    g_assert_true (g_str_has_suffix (LINE_AT (lines, 0)->message, "d\tTAB"));
    g_autofree char *bad_lower = g_ascii_strdown (LINE_AT (lines, 1)->message, -1);

    assert_in_order (bad_lower, bad);
    g_assert_cmpstr (LINE_AT (lines, 1)->message, !=, "bad:xy");
    assert_in_order (LINE_AT (lines, 2)->message, del);
  }
  /* Printable non-ASCII text is kept as it is. */
  g_assert_cmpstr (LINE_AT (lines, 3)->message, ==, "uni:héllo ✓ 日本");
  tl_test_child_clear (&child);
}

static void
test_rank_prefix (void)
{
  g_autoptr(GArray) lines = NULL;
  TlTestChild child;

  tl_test_child_run (&child, "rank", "TORCH_LOGS", "dynamo", NULL);
  assert_child_ok (&child);
  lines = parse_all_glog (child.err);
  g_assert_cmpuint (lines->len, ==, 5);
  /* `[rank0]:` with no space after the colon (spec §5.1). */
  g_assert_true (g_str_has_prefix (child.err, "[rank0]:I"));
  g_assert_cmpint (LINE_AT (lines, 0)->rank, ==, 0);
  g_assert_cmpstr (LINE_AT (lines, 0)->message, ==, "woof");
  g_assert_cmpint (LINE_AT (lines, 1)->rank, ==, 0);
  g_assert_cmpint (LINE_AT (lines, 2)->rank, ==, 0);   /* every line */
  g_assert_cmpint (LINE_AT (lines, 3)->rank, ==, 12);
  g_assert_cmpint (LINE_AT (lines, 3)->letter, ==, 'W');
  g_assert_cmpint (LINE_AT (lines, 4)->rank, ==, -1);
  tl_test_child_clear (&child);
}

static void
test_artifact_formats (void)
{
  g_auto(GStrv) lines = NULL;
  GlogLine first;
  TlTestChild child;

  /* spec §8 fact 43 */
  tl_test_child_run (&child, "artifact-formats", "TORCH_LOGS", "dynamo,fmt_art", NULL);
  assert_child_ok (&child);
  lines = tl_test_split_lines (child.err);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);

  g_assert_true (parse_glog (lines[0], &first));
  g_assert_cmpstr (first.message, ==, "test dynamo");
  glog_line_clear (&first);
  /* log_format="": the bare message, no prefix, not even per line. */
  g_assert_cmpstr (lines[1], ==, "custom format");
  g_assert_cmpstr (lines[2], ==, "two");
  g_assert_cmpstr (lines[3], ==, "lines");
  g_assert_cmpstr (lines[4], ==, "DEBUG|torch._dynamo.__fmt_art|gmsg");
  g_assert_cmpstr (lines[5], ==, "still bare");
  tl_test_child_clear (&child);
}

static void
test_logs_format_env (void)
{
  TlTestChild child;
  g_autoptr(GPtrArray) source_lines = NULL;
  g_autofree char *expected = NULL;

  /* spec §8 fact 47: `short` is logging's basic format; multi-line
   * messages are not prefixed. */
  tl_test_child_run (&child, "logs-format", "TORCH_LOGS", "+dynamo", "TORCH_LOGS_FORMAT", "short", NULL);
  assert_child_ok (&child);
  g_assert_cmpstr (child.err, ==,
                   "DEBUG:torch._dynamo.x:hello\nworld\n"
                   "DEBUG:torch._dynamo.guards.__guards:gmsg\n"
                   "INFO:torch._dynamo.__custom_format_test_artifact:custom format\n");
  tl_test_child_clear (&child);

  tl_test_child_run (&child, "logs-format", "TORCH_LOGS", "+dynamo", "TORCH_LOGS_FORMAT", "basic", NULL);
  assert_child_ok (&child);
  g_assert_true (g_str_has_prefix (child.err, "DEBUG:torch._dynamo.x:hello\nworld\n"));
  tl_test_child_clear (&child);

  tl_test_child_run (&child, "logs-format", "TORCH_LOGS", "guards",
                     "TORCH_LOGS_FORMAT", "%(levelname)s|%(name)s|%(message)s", NULL);
  assert_child_ok (&child);
  g_assert_cmpstr (child.err, ==, "DEBUG|torch._dynamo.guards.__guards|gmsg\n");
  tl_test_child_clear (&child);

  /* The keys the help text lists. */
  tl_test_child_run (&child, "logs-format", "TORCH_LOGS", "+dynamo",
                     "TORCH_LOGS_FORMAT",
                     "%(levelname)s %(levelno)s %(name)s %(filename)s %(lineno)d <%(pathname)s> %(message)s",
                     NULL);
  assert_child_ok (&child);
  source_lines = child_values (&child, "LINE");
  g_assert_cmpuint (source_lines->len, ==, 2);
  expected = g_strdup_printf ("DEBUG 10 torch._dynamo.x test-output.c %s <",
                              (char *) g_ptr_array_index (source_lines, 0));
  g_assert_true (g_str_has_prefix (child.err, expected));
  g_assert_nonnull (strstr (child.err, "test-output.c> hello\nworld\n"));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("DEBUG 10 torch._dynamo.guards.__guards test-output.c %s <",
                              (char *) g_ptr_array_index (source_lines, 1));
  g_assert_nonnull (strstr (child.err, expected));
  tl_test_child_clear (&child);
}

static void
test_bad_format (void)
{
  static const char *bad[] = {
    "%(message)", "%(message", "%(message)q", "%", "%(message)s %", "%d %s", "%(message)s%(",
    "%()s", "\377%(message)s",
  };
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  g_autoptr(GError) error = NULL;

  /* Python's own text for a format without fields (spec §5.2). */
  g_assert_false (tl_registry_set_format (registry, "no fields", &error));
  g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_FORMAT);
  g_assert_cmpstr (error->message, ==, "Invalid format 'no fields' for '%' style");
  g_clear_error (&error);

  /* An unknown field is refused up front, naming the field. */
  g_assert_false (tl_registry_set_format (registry, "%(foo)s", &error));
  g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_FORMAT);
  g_assert_nonnull (strstr (error->message, "foo"));
  g_clear_error (&error);

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *shown = g_strescape (bad[i], NULL);

      g_test_message ("format %s", shown);
      g_assert_false (tl_registry_set_format (registry, bad[i], &error));
      g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_FORMAT);
      g_assert_cmpstr (error->message, !=, "");
      g_clear_error (&error);
    }

  g_assert_true (tl_registry_set_format (registry, "%(asctime)s %(message)s", &error));
  g_assert_no_error (error);
  g_assert_true (tl_registry_set_format (registry, "short", &error));
  g_assert_true (tl_registry_set_format (registry, NULL, &error));
  g_assert_no_error (error);
}

static void
test_bad_format_env (void)
{
  TlTestChild child;
  g_auto(GStrv) lines = NULL;
  GlogLine line;

  tl_test_child_run (&child, "bad-logs-format", "TORCH_LOGS", "dynamo",
                     "TORCH_LOGS_FORMAT", "no fields", NULL);
  /* A clear message, then torch's default format: never a crash. */
  assert_child_ok (&child);
  g_assert_nonnull (strstr (child.err, "Invalid format 'no fields' for '%' style"));
  lines = tl_test_split_lines (child.err);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_true (parse_glog (lines[1], &line));
  g_assert_cmpstr (line.message, ==, "still logging");
  glog_line_clear (&line);
  tl_test_child_clear (&child);
}

static void
test_logs_out (void)
{
  g_autofree char *dir = g_dir_make_tmp ("torchlog-output-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.log", NULL);
  g_autofree char *content = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *first_err = NULL;
  TlTestChild child;

  g_assert_nonnull (dir);
  g_assert_true (g_file_set_contents (path, "previous line\n", -1, NULL));

  /* spec §8 fact 46; the file gets exactly what stderr gets, appended. */
  tl_test_child_run (&child, "logs-out", "TORCH_LOGS", "+dynamo,guards,inductor",
                     "TORCH_LOGS_OUT", path, NULL);
  assert_child_ok (&child);
  g_assert_true (g_file_get_contents (path, &content, NULL, NULL));
  expected = g_strconcat ("previous line\n", child.err, NULL);
  g_assert_cmpstr (content, ==, expected);
  /* Sanity: the run did print the variety it was meant to. */
  g_assert_nonnull (strstr (child.err, "] multi\n"));
  g_assert_nonnull (strstr (child.err, "\ncustom format\n"));
  g_assert_nonnull (strstr (child.err, "[__guards]"));
  g_assert_nonnull (strstr (child.err, "plain GLib record"));
  g_assert_nonnull (strstr (child.err, "ignoring call to set_logs"));
  g_assert_nonnull (strstr (child.err, "[rank1]:E"));
  first_err = g_steal_pointer (&child.err);
  tl_test_child_clear (&child);

  /* A second run appends. */
  tl_test_child_run (&child, "logs-out", "TORCH_LOGS", "dynamo", "TORCH_LOGS_OUT", path, NULL);
  assert_child_ok (&child);
  g_clear_pointer (&content, g_free);
  g_clear_pointer (&expected, g_free);
  g_assert_true (g_file_get_contents (path, &content, NULL, NULL));
  expected = g_strconcat ("previous line\n", first_err, child.err, NULL);
  g_assert_cmpstr (content, ==, expected);
  tl_test_child_clear (&child);

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_logs_out_bad_path (void)
{
  g_auto(GStrv) lines = NULL;
  GlogLine line;
  TlTestChild child;

  tl_test_child_run (&child, "logs-out-bad-path", "TORCH_LOGS", "dynamo",
                     "TORCH_LOGS_OUT", "/nonexistent-dir-torchlog/out.log", NULL);
  assert_child_ok (&child);
  lines = tl_test_split_lines (child.err);
  /* One message naming the file, then the logging goes on on stderr. */
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_nonnull (strstr (lines[0], "/nonexistent-dir-torchlog/out.log"));
  g_assert_true (parse_glog (lines[1], &line));
  g_assert_cmpstr (line.message, ==, "still logging");
  glog_line_clear (&line);
  tl_test_child_clear (&child);
}

static void
test_trace_id_filter (void)
{
  TlTestChild child;
  g_autoptr(GArray) lines = NULL;

  /* Records without the listed trace ids are dropped; C prints no empty
   * line for them (spec §5.1 step 4 recommends so). Artifact formats
   * are applied before the filter. */
  tl_test_child_run (&child, "trace-id-filter", "TORCH_LOGS", "dynamo",
                     "TORCH_LOGS_TRACE_ID_FILTER", " [0/0] , [1/0_1],", NULL);
  assert_child_ok (&child);
  g_assert_cmpstr (child.err, ==, "custom format\n");
  tl_test_child_clear (&child);

  /* Only empty items: no filter. */
  tl_test_child_run (&child, "trace-id-filter", "TORCH_LOGS", "dynamo",
                     "TORCH_LOGS_TRACE_ID_FILTER", " , ,", NULL);
  assert_child_ok (&child);
  g_assert_true (g_str_has_suffix (child.err, "\ncustom format\n"));
  {
    g_autofree char *glog = g_strndup (child.err, strlen (child.err) - strlen ("custom format\n"));
    lines = parse_all_glog (glog);
  }
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_cmpstr (LINE_AT (lines, 0)->message, ==, "no trace id");
  tl_test_child_clear (&child);
}

static void
test_unregistered_domains (void)
{
  TlTestChild child;
  g_auto(GStrv) err_lines = NULL;
  guint torch_lines = 0;

  tl_test_child_run (&child, "unregistered-domains", "TORCH_LOGS", "dynamo",
                     "G_MESSAGES_DEBUG", "other.domain", NULL);
  assert_child_ok (&child);

  /* GLib's default writer handled them: G_MESSAGES_DEBUG decides. */
  g_assert_nonnull (strstr (child.out, "other-debug-visible"));
  g_assert_nonnull (strstr (child.out, "old-api-info-visible"));
  g_assert_null (strstr (child.out, "hidden-debug"));
  g_assert_null (strstr (child.err, "hidden-debug"));
  /* In GLib's own format, not torch's: `torchx` is not below `torch`. */
  g_assert_nonnull (strstr (child.err, "torchx-Message"));
  g_assert_nonnull (strstr (child.err, "no-domain-message"));

  err_lines = tl_test_split_lines (child.err);
  for (gsize i = 0; err_lines[i] != NULL; i++)
    {
      GlogLine line;

      if (parse_glog (err_lines[i], &line))
        {
          torch_lines++;
          g_assert_cmpstr (line.message, ==, "dynamo-warning");
          glog_line_clear (&line);
        }
    }
  g_assert_cmpuint (torch_lines, ==, 1);
  tl_test_child_clear (&child);
}

static void
test_glib_level_mapping_table (void)
{
  /* Incoming: tl-level.h's table. */
  g_assert_cmpint (tl_level_from_glib (G_LOG_LEVEL_ERROR), ==, TL_LEVEL_CRITICAL);
  g_assert_cmpint (tl_level_from_glib (G_LOG_LEVEL_CRITICAL), ==, TL_LEVEL_ERROR);
  g_assert_cmpint (tl_level_from_glib (G_LOG_LEVEL_WARNING), ==, TL_LEVEL_WARNING);
  g_assert_cmpint (tl_level_from_glib (G_LOG_LEVEL_MESSAGE), ==, TL_LEVEL_INFO);
  g_assert_cmpint (tl_level_from_glib (G_LOG_LEVEL_INFO), ==, TL_LEVEL_INFO);
  g_assert_cmpint (tl_level_from_glib (G_LOG_LEVEL_DEBUG), ==, TL_LEVEL_DEBUG);
  g_assert_cmpint (tl_level_from_glib (G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL), ==, TL_LEVEL_WARNING);

  /* Outgoing: never GLib's fatal ERROR level. */
  g_assert_cmpint (tl_level_to_glib (TL_LEVEL_DEBUG), ==, G_LOG_LEVEL_DEBUG);
  g_assert_cmpint (tl_level_to_glib (TL_LEVEL_INFO), ==, G_LOG_LEVEL_INFO);
  g_assert_cmpint (tl_level_to_glib (TL_LEVEL_WARNING), ==, G_LOG_LEVEL_WARNING);
  g_assert_cmpint (tl_level_to_glib (TL_LEVEL_ERROR), ==, G_LOG_LEVEL_CRITICAL);
  g_assert_cmpint (tl_level_to_glib (TL_LEVEL_CRITICAL), ==, G_LOG_LEVEL_CRITICAL);

  /* PRIORITY keeps ERROR and CRITICAL apart, and round-trips. */
  g_assert_cmpstr (tl_level_to_priority (TL_LEVEL_DEBUG), ==, "7");
  g_assert_cmpstr (tl_level_to_priority (TL_LEVEL_INFO), ==, "6");
  g_assert_cmpstr (tl_level_to_priority (TL_LEVEL_WARNING), ==, "4");
  g_assert_cmpstr (tl_level_to_priority (TL_LEVEL_ERROR), ==, "3");
  g_assert_cmpstr (tl_level_to_priority (TL_LEVEL_CRITICAL), ==, "2");
  for (int level = TL_LEVEL_DEBUG; level <= TL_LEVEL_CRITICAL; level += 10)
    g_assert_cmpint (tl_level_from_priority (tl_level_to_priority (level)), ==, level);
  g_assert_cmpint (tl_level_from_priority ("5"), ==, TL_LEVEL_INFO);
  g_assert_cmpint (tl_level_from_priority ("0"), ==, TL_LEVEL_CRITICAL);
  g_assert_cmpint (tl_level_from_priority ("x"), ==, TL_LEVEL_NOTSET);
  g_assert_cmpint (tl_level_from_priority ("77"), ==, TL_LEVEL_NOTSET);
  g_assert_cmpint (tl_level_from_priority (NULL), ==, TL_LEVEL_NOTSET);
}

static void
test_glib_records_on_torchlog_domains (void)
{
  static const char letters[] = "VIIWEI";
  g_autoptr(GArray) lines = NULL;
  TlTestChild child;

  tl_test_child_run (&child, "glib-levels", "TORCH_LOGS", "+dynamo", NULL);
  assert_child_ok (&child);
  lines = parse_all_glog (child.err);
  g_assert_cmpuint (lines->len, ==, strlen (letters));
  for (guint i = 0; i < lines->len; i++)
    g_assert_cmpint (LINE_AT (lines, i)->letter, ==, letters[i]);
  g_assert_cmpstr (LINE_AT (lines, 5)->message, ==, "old-api message");
  tl_test_child_clear (&child);

  /* The configuration filters them too. */
  tl_test_child_run (&child, "glib-levels", "TORCH_LOGS", "-dynamo", NULL);
  assert_child_ok (&child);
  g_clear_pointer (&lines, g_array_unref);
  lines = parse_all_glog (child.err);
  g_assert_cmpuint (lines->len, ==, 1);
  g_assert_cmpstr (LINE_AT (lines, 0)->message, ==, "glib-critical");
  tl_test_child_clear (&child);

  /* GLib's ERROR level aborts in GLib itself, but the record is printed
   * first, as CRITICAL. */
  tl_test_child_run (&child, "glib-error", "TORCH_LOGS", "dynamo", NULL);
  g_assert_false (child.exited && child.exit_code == 0);
  g_assert_nonnull (strstr (child.err, "] glib-error\n"));
  {
    g_auto(GStrv) err_lines = tl_test_split_lines (child.err);
    GlogLine line;

    g_assert_true (parse_glog (err_lines[0], &line));
    g_assert_cmpint (line.letter, ==, 'C');
    glog_line_clear (&line);
  }
  tl_test_child_clear (&child);
}

static void
test_never_fatal (void)
{
  TlTestChild child;
  g_autoptr(GArray) lines = NULL;

  tl_test_child_run (&child, "never-fatal", "TORCH_LOGS", "dynamo",
                     "G_DEBUG", "fatal-warnings,fatal-criticals", NULL);
  assert_child_ok (&child);
  g_assert_nonnull (strstr (child.out, "SURVIVED=1"));
  g_assert_nonnull (strstr (child.err, "] serious warning\n"));
  g_assert_nonnull (strstr (child.err, "] serious error\n"));
  g_assert_nonnull (strstr (child.err, "] serious critical\n"));
  g_assert_nonnull (strstr (child.err, "] [__guards] serious artifact\n"));
  tl_test_child_clear (&child);

  /* Without torchlog's writer, GLib's default writer prints the records
   * torchlog enabled, DEBUG and INFO included, and aborts on none. */
  tl_test_child_run (&child, "never-fatal-without-writer", "TORCH_LOGS", "+dynamo",
                     "G_DEBUG", "fatal-warnings,fatal-criticals", "G_MESSAGES_DEBUG", NULL, NULL);
  assert_child_ok (&child);
  g_assert_nonnull (strstr (child.out, "SURVIVED=1"));
  g_assert_nonnull (strstr (child.err, "debug-not-dropped"));
  g_assert_nonnull (strstr (child.err, "info-not-dropped"));
  g_assert_nonnull (strstr (child.err, "serious critical"));
  tl_test_child_clear (&child);

  /* A typo in TORCH_LOGS must not kill a C program: the error once on
   * stderr, then the defaults. */
  tl_test_child_run (&child, "invalid-torch-logs", "TORCH_LOGS", "dynamo,bogus",
                     "G_DEBUG", "fatal-warnings,fatal-criticals", NULL);
  assert_child_ok (&child);
  g_assert_nonnull (strstr (child.out, "SURVIVED=1"));
  g_assert_nonnull (strstr (child.err, "Invalid log settings: dynamo,bogus, must be"));
  g_assert_nonnull (strstr (child.err, "For more info on various settings, try TORCH_LOGS=\"help\"\n"));
  g_assert_nonnull (strstr (child.err, "] defaults kept\n"));
  g_assert_null (strstr (child.err, "info stays off"));
  {
    /* Once. */
    const char *first = strstr (child.err, "Invalid log settings");
    g_assert_null (strstr (first + 1, "Invalid log settings"));
  }
  tl_test_child_clear (&child);
}

int
main (int argc, char **argv)
{
  int child_status = tl_test_child_main (argc, argv, child_funcs);

  if (child_status >= 0)
    return child_status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/output/glog/prefix-per-level", test_glog_format);
  g_test_add_func ("/output/glog/every-line-prefixed", test_multiline);
  g_test_add_func ("/output/glog/control-characters-escaped", test_escaping);
  g_test_add_func ("/output/glog/rank-prefix", test_rank_prefix);
  g_test_add_func ("/output/artifact-log-format", test_artifact_formats);
  g_test_add_func ("/output/logs-format/env", test_logs_format_env);
  g_test_add_func ("/output/logs-format/bad-format-is-an-error", test_bad_format);
  g_test_add_func ("/output/logs-format/bad-env-format-does-not-crash", test_bad_format_env);
  g_test_add_func ("/output/logs-out/same-bytes-as-stderr", test_logs_out);
  g_test_add_func ("/output/logs-out/bad-path", test_logs_out_bad_path);
  g_test_add_func ("/output/trace-id-filter", test_trace_id_filter);
  g_test_add_func ("/output/unregistered-domains-go-to-glib", test_unregistered_domains);
  g_test_add_func ("/output/glib-levels/mapping-table", test_glib_level_mapping_table);
  g_test_add_func ("/output/glib-levels/records-on-torchlog-domains", test_glib_records_on_torchlog_domains);
  g_test_add_func ("/output/never-fatal", test_never_fatal);

  return g_test_run ();
}
