/* tl-format.c: torch's glog line, Python %-style formats, and escaping
 *
 * Everything here turns a TlRecord into text. Where the text goes is
 * tl-output.c's business, and this file never calls it; the per-thread
 * caches the glog prefix uses are in tl-thread-state.c, the in-place
 * writing and the macros' printf in tl-printf.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "tl-format-private.h"
#include "tl-level-private.h"
#include "tl-local-time-private.h"
#include "tl-printf-private.h"
#include "tl-thread-state-private.h"
#include "tl-error.h"
#include "tl-i18n-private.h"

typedef enum {
  FIELD_NAME,
  FIELD_LEVELNO,
  FIELD_LEVELNAME,
  FIELD_PATHNAME,
  FIELD_FILENAME,
  FIELD_MODULE,
  FIELD_LINENO,
  FIELD_FUNCNAME,
  FIELD_CREATED,
  FIELD_ASCTIME,
  FIELD_MSECS,
  FIELD_THREAD,
  FIELD_PROCESS,
  FIELD_MESSAGE,
  FIELD_LITERAL,   /* not a field: a run of plain text */
} FieldKind;

/* The fields of Python's LogRecord that a C record can fill. */
static const char * const field_names[] = {
  [FIELD_NAME] = "name",
  [FIELD_LEVELNO] = "levelno",
  [FIELD_LEVELNAME] = "levelname",
  [FIELD_PATHNAME] = "pathname",
  [FIELD_FILENAME] = "filename",
  [FIELD_MODULE] = "module",
  [FIELD_LINENO] = "lineno",
  [FIELD_FUNCNAME] = "funcName",
  [FIELD_CREATED] = "created",
  [FIELD_ASCTIME] = "asctime",
  [FIELD_MSECS] = "msecs",
  [FIELD_THREAD] = "thread",
  [FIELD_PROCESS] = "process",
  [FIELD_MESSAGE] = "message",
};

typedef struct {
  FieldKind kind;
  char     *literal;
  gboolean  left_align;
  int       width;      /* 0: none */
  int       precision;  /* -1: none */
} Segment;

struct _TlFormat {
  char   *source;
  GArray *segments;
};

static void
segment_clear (gpointer data)
{
  Segment *segment = data;
  g_free (segment->literal);
}

static gboolean
invalid_format (const char *format, GError **error)
{
  /* Python's own text for a format with no usable %(field)s in it. */
  g_set_error (error, TL_ERROR, TL_ERROR_INVALID_FORMAT,
               _("Invalid format '%s' for '%%' style"), format);
  return FALSE;
}

static void
add_literal (GArray *segments, const char *text, gsize len)
{
  Segment segment = { FIELD_LITERAL, NULL, FALSE, 0, -1 };

  if (len == 0)
    return;
  /* The format's own text is printed on every line too: escaped once
   * here, so a format cannot drive the terminal any more than a message. */
  {
    GString *escaped = g_string_sized_new (len);
    tl_escape_append (escaped, text, len);
    segment.literal = g_string_free (escaped, FALSE);
  }
  g_array_append_val (segments, segment);
}

static int
parse_number (const char **p)
{
  int value = 0;

  while (g_ascii_isdigit (**p))
    {
      if (value < 10000)
        value = value * 10 + (**p - '0');
      (*p)++;
    }
  return MIN (value, 10000);
}

TlFormat *
tl_format_new (const char  *format,
               GError     **error)
{
  g_autoptr(GArray) segments = g_array_new (FALSE, TRUE, sizeof (Segment));
  GString *literal = g_string_new (NULL);
  gboolean has_field = FALSE;
  const char *p = format;
  TlFormat *result;

  g_return_val_if_fail (format != NULL, NULL);
  g_array_set_clear_func (segments, segment_clear);

  if (!g_utf8_validate (format, -1, NULL))
    {
      g_string_free (literal, TRUE);
      g_set_error (error, TL_ERROR, TL_ERROR_INVALID_FORMAT,
                   _("Invalid format: not valid UTF-8"));
      return NULL;
    }

  while (*p)
    {
      Segment segment = { 0, NULL, FALSE, 0, -1 };
      const char *name, *name_end;
      gboolean known = FALSE;

      if (*p != '%')
        {
          g_string_append_c (literal, *p++);
          continue;
        }
      if (p[1] == '%')
        {
          g_string_append_c (literal, '%');
          p += 2;
          continue;
        }
      if (p[1] != '(')
        {
          g_string_free (literal, TRUE);
          return (gpointer) (gsize) invalid_format (format, error);
        }
      name = p + 2;
      name_end = strchr (name, ')');
      if (name_end == NULL)
        {
          g_string_free (literal, TRUE);
          return (gpointer) (gsize) invalid_format (format, error);
        }
      for (gsize i = 0; i < G_N_ELEMENTS (field_names); i++)
        if (strlen (field_names[i]) == (gsize) (name_end - name) &&
            strncmp (field_names[i], name, name_end - name) == 0)
          {
            segment.kind = i;
            known = TRUE;
          }
      if (!known)
        {
          g_string_free (literal, TRUE);
          /* Python only notices this when a record is formatted; C
           * refuses the format up front instead of failing every line. */
          g_set_error (error, TL_ERROR, TL_ERROR_INVALID_FORMAT,
                       _("Formatting field not found in record: '%.*s'"),
                       (int) (name_end - name), name);
          return NULL;
        }
      p = name_end + 1;
      while (*p == '-' || *p == '#' || *p == '0' || *p == '+' || *p == ' ')
        segment.left_align |= (*p++ == '-');
      segment.width = parse_number (&p);
      if (*p == '.')
        {
          p++;
          segment.precision = parse_number (&p);
        }
      if (*p == '\0' || strchr ("diouxXeEfFgGcrsa", *p) == NULL)
        {
          g_string_free (literal, TRUE);
          return (gpointer) (gsize) invalid_format (format, error);
        }
      p++;
      add_literal (segments, literal->str, literal->len);
      g_string_truncate (literal, 0);
      g_array_append_val (segments, segment);
      has_field = TRUE;
    }
  add_literal (segments, literal->str, literal->len);
  g_string_free (literal, TRUE);

  if (!has_field && format[0] != '\0')
    return (gpointer) (gsize) invalid_format (format, error);

  result = g_new0 (TlFormat, 1);
  result->source = g_strdup (format);
  result->segments = g_steal_pointer (&segments);
  return result;
}

void
tl_format_free (TlFormat *format)
{
  if (format == NULL)
    return;
  g_array_unref (format->segments);
  g_free (format->source);
  g_free (format);
}

const char *
tl_format_get_source (const TlFormat *format)
{
  return format->source;
}

const char *
tl_format_expand_name (const char *format)
{
  if (g_str_equal (format, "short") || g_str_equal (format, "basic"))
    return "%(levelname)s:%(name)s:%(message)s";
  return format;
}

/* Strips the build tree's `../` and `./` so paths read like torch's
 * module-relative ones (`tools/torchlog-demo.c`). */
static const char *
relative_path (const char *file)
{
  if (file == NULL)
    return "<unknown>";
  for (;;)
    {
      if (file[0] == '.' && file[1] == '.' && file[2] == '/')
        file += 3;
      else if (file[0] == '.' && file[1] == '/')
        file += 2;
      else
        return file;
    }
}

static void
append_padded (GString *out, const Segment *segment, const char *text, gboolean escape)
{
  gsize start = out->len;
  glong chars;

  if (escape)
    tl_escape_append (out, text, -1);
  else
    g_string_append (out, text);
  if (segment->precision >= 0)
    {
      const char *cut = out->str + start;
      glong n = g_utf8_strlen (cut, -1);
      if (n > segment->precision)
        g_string_truncate (out, g_utf8_offset_to_pointer (cut, segment->precision) - out->str);
    }
  chars = g_utf8_strlen (out->str + start, -1);
  if (chars < segment->width)
    {
      gsize pad = segment->width - chars;
      if (segment->left_align)
        g_string_append_printf (out, "%*s", (int) pad, "");
      else
        {
          char *spaces = g_strnfill (pad, ' ');
          g_string_insert (out, start, spaces);
          g_free (spaces);
        }
    }
}

/* Local time, as Python's logging uses; localtime_r() is much cheaper
 * than a GDateTime per line (tl-local-time.c makes it safe across fork). */
static gboolean
local_time (gint64 time_us, struct tm *tm)
{
  return tl_local_time (time_us / G_USEC_PER_SEC, tm);
}

static void
format_asctime (char *text, gsize size, gint64 time_us)
{
  struct tm tm;

  text[0] = '\0';
  if (!local_time (time_us, &tm))
    return;
  g_snprintf (text, size, "%04d-%02d-%02d %02d:%02d:%02d,%03d",
              tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
              tm.tm_hour, tm.tm_min, tm.tm_sec,
              (int) ((time_us / 1000) % 1000));
}

void
tl_format_append (const TlFormat *format,
                  const TlRecord *record,
                  GString        *out)
{
  for (guint i = 0; i < format->segments->len; i++)
    {
      const Segment *segment = &g_array_index (format->segments, Segment, i);
      char number[64];
      const char *path = relative_path (record->file);

      switch (segment->kind)
        {
        case FIELD_LITERAL:
          g_string_append (out, segment->literal);
          break;
        case FIELD_NAME:
          append_padded (out, segment, record->logger_name, TRUE);
          break;
        case FIELD_LEVELNO:
          g_snprintf (number, sizeof number, "%d", (int) record->level);
          append_padded (out, segment, number, FALSE);
          break;
        case FIELD_LEVELNAME:
          {
            char name[TL_LEVEL_NAME_SIZE];

            append_padded (out, segment, tl_level_format_name (record->level, name), FALSE);
          }
          break;
        case FIELD_PATHNAME:
          append_padded (out, segment, record->file ? record->file : "<unknown>", TRUE);
          break;
        case FIELD_FILENAME:
        case FIELD_MODULE:
          {
            const char *base = strrchr (path, '/');
            g_autofree char *name = g_strdup (base ? base + 1 : path);
            if (segment->kind == FIELD_MODULE)
              {
                char *dot = strrchr (name, '.');
                if (dot)
                  *dot = '\0';
              }
            append_padded (out, segment, name, TRUE);
          }
          break;
        case FIELD_LINENO:
          append_padded (out, segment, record->line ? record->line : "0", TRUE);
          break;
        case FIELD_FUNCNAME:
          append_padded (out, segment, record->func ? record->func : "<module>", TRUE);
          break;
        case FIELD_CREATED:
          g_snprintf (number, sizeof number, "%.6f", record->time_us / 1e6);
          append_padded (out, segment, number, FALSE);
          break;
        case FIELD_ASCTIME:
          {
            char text[64];
            format_asctime (text, sizeof text, record->time_us);
            append_padded (out, segment, text, FALSE);
          }
          break;
        case FIELD_MSECS:
          g_snprintf (number, sizeof number, "%d", (int) ((record->time_us / 1000) % 1000));
          append_padded (out, segment, number, FALSE);
          break;
        case FIELD_THREAD:
          g_snprintf (number, sizeof number, "%" G_GUINTPTR_FORMAT,
                      (guintptr) g_thread_self ());
          append_padded (out, segment, number, FALSE);
          break;
        case FIELD_PROCESS:
          g_snprintf (number, sizeof number, "%d", tl_thread_state_get_pid ());
          append_padded (out, segment, number, FALSE);
          break;
        case FIELD_MESSAGE:
          {
            gsize start = out->len;
            tl_escape_append (out, record->message, record->message_len);
            if (segment->width || segment->precision >= 0)
              {
                g_autofree char *text = g_strdup (out->str + start);
                g_string_truncate (out, start);
                append_padded (out, segment, text, FALSE);
              }
          }
          break;
        }
    }
  g_string_append_c (out, '\n');
}

/* {rank}{L}{MMDD HH:MM:SS}.{usec} {pid} {path}:{lineno}]{trace}{artifact}
 *
 * This runs for every line, so it avoids printf and allocation: the date
 * is formatted once a second per thread, the pid once per process, and
 * the rest is written in place. */
static void
append_glog_prefix (GString *out, const TlRecord *record)
{
  TlThreadState *state = tl_thread_state ();
  gint64 time_us = MAX (record->time_us, 0);
  guint usec = (guint) (time_us % G_USEC_PER_SEC);
  const char *pid_text, *site;
  gsize pid_len, site_len;
  char *w;

  pid_text = tl_thread_state_pid_text (state, &pid_len);
  /* [rankN]:  L  MMDD HH:MM:SS  .  usec  space  pid  space */
  w = tl_string_reserve (out, 18 + 1 + 13 + 1 + 6 + 1 + pid_len + 1);
  if (record->rank >= 0)
    {
      memcpy (w, "[rank", 5);
      w = tl_write_uint (w + 5, (guint) record->rank);
      *w++ = ']';
      *w++ = ':';
    }
  *w++ = tl_level_to_letter (record->level);
  memcpy (w, tl_thread_state_date (state, time_us), 13);
  w += 13;
  *w++ = '.';
  memcpy (w, "000000", 6);
  tl_write_digits (w + 6, usec);
  w += 6;
  *w++ = ' ';
  memcpy (w, pid_text, pid_len);
  w += pid_len;
  *w++ = ' ';
  tl_string_commit (out, w);

  /* "path:line]", the same for every record of a call site: kept for the
   * site the thread logged from last. */
  site = record->static_site ? tl_thread_state_site (state, record->file, record->line, &site_len)
                             : NULL;
  if (site != NULL)
    tl_string_append_fast (out, site, site_len);
  else
    {
      gsize start = out->len;

      tl_escape_append (out, relative_path (record->file), -1);
      g_string_append_c (out, ':');
      tl_escape_append (out, record->line ? record->line : "0", -1);
      g_string_append_c (out, ']');
      tl_thread_state_keep_site (state, record->static_site ? record->file : NULL,
                                 record->line, out->str + start, out->len - start);
    }
  if (record->trace_id != NULL)
    {
      tl_string_append_fast (out, " [", 2);
      g_string_append (out, record->trace_id);
      g_string_append_c (out, ']');
    }
  if (record->artifact != NULL)
    {
      tl_string_append_fast (out, " [__", 4);
      tl_escape_append (out, record->artifact, -1);
      g_string_append_c (out, ']');
    }
}

void
tl_format_glog_prefix (const TlRecord *record,
                       GString        *out)
{
  append_glog_prefix (out, record);
}

void
tl_format_glog (const TlRecord *record,
                GString        *out)
{
  const char *message = record->message ? record->message : "";
  gsize len = record->message_len < 0 ? strlen (message) : (gsize) record->message_len;
  const char *end = message + len;
  const char *line = message;
  gsize prefix_start = out->len;
  gsize prefix_len;

  append_glog_prefix (out, record);
  prefix_len = out->len - prefix_start;
  /* Every line carries the whole prefix, as torch's formatter does; a
   * trailing newline therefore ends with a bare prefix line. */
  for (;;)
    {
      const char *nl = memchr (line, '\n', end - line);
      const char *line_end = nl ? nl : end;

      g_string_append_c (out, ' ');
      tl_escape_append (out, line, line_end - line);
      g_string_append_c (out, '\n');
      if (nl == NULL)
        break;
      line = nl + 1;
      /* g_string_append_len() copes with a source inside the string. */
      g_string_append_len (out, out->str + prefix_start, prefix_len);
    }
}

/* Invisible characters that reorder or break the text around them: the
 * bidi embeddings, overrides and isolates (the "Trojan Source" set), the
 * marks, the line and paragraph separators, and the BOM. */
static gboolean
is_invisible_control (gunichar c)
{
  return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
         c == 0x200e || c == 0x200f || c == 0x061c ||
         c == 0x2028 || c == 0x2029 || c == 0xfeff;
}

void
tl_escape_append (GString    *out,
                  const char *text,
                  gssize      len)
{
  const char *p = text;
  const char *end;

  if (text == NULL)
    return;
  end = text + (len < 0 ? strlen (text) : (gsize) len);
  while (p < end)
    {
      const char *run = p;
      gunichar c;

      /* Copy plain printable ASCII in one go: the common case. */
      p += tl_plain_run (p, end);
      tl_string_append_fast (out, run, p - run);
      if (p >= end)
        break;

      if (*p == '\n' || *p == '\t')
        {
          g_string_append_c (out, *p++);
          continue;
        }
      /* Doubled, so that a literal "\x1b" cannot pass for an escape. */
      if (*p == '\\')
        {
          tl_string_append_fast (out, "\\\\", 2);
          p++;
          continue;
        }
      c = g_utf8_get_char_validated (p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* Invalid UTF-8 (or a NUL inside a counted message) is kept
           * visible as \xNN rather than dropped. */
          g_string_append_printf (out, "\\x%02x", (guchar) *p++);
          continue;
        }
      /* One byte, one \xNN; a character of two or more bytes, \uNNNN,
       * so that U+009B and a stray byte 0x9b read differently. */
      if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else if ((c >= 0x80 && c < 0xa0) || is_invisible_control (c))
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
}
