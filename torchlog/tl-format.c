/* tl-format.c: torch's glog line and Python %-style formats
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tl-output-private.h"
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

/* Strips the build tree's `../` and `./` so paths read like torch's
 * module-relative ones (`torchlog/tl-tool-demo.c`). */
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

/* g_string_append_len() without its care for a source inside the string,
 * which none of the callers below has: a plain copy, as it runs several
 * times for every line. */
static inline void
append_len (GString *out, const char *text, gsize len)
{
  gsize old_len = out->len;

  if (G_UNLIKELY (old_len + len >= out->allocated_len))
    g_string_set_size (out, old_len + len);
  memcpy (out->str + old_len, text, len);
  out->len = old_len + len;
  out->str[out->len] = '\0';
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
 * than a GDateTime per line. */
static gboolean
local_time (gint64 time_us, struct tm *tm)
{
  time_t seconds = (time_t) (time_us / G_USEC_PER_SEC);

  return localtime_r (&seconds, tm) != NULL;
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
          append_padded (out, segment, tl_level_to_name (record->level), FALSE);
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
          g_snprintf (number, sizeof number, "%d", tl_output_get_pid ());
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

/* Makes room for @extra more bytes and returns where they go; the caller
 * writes them and calls commit(). Writing in place, rather than through a
 * small buffer on the stack, also spares the processor the stall of
 * reading back as one word what was just stored byte by byte. */
static inline char *
reserve (GString *out, gsize extra)
{
  gsize old_len = out->len;

  if (G_UNLIKELY (old_len + extra >= out->allocated_len))
    {
      g_string_set_size (out, old_len + extra);
      out->len = old_len;
    }
  return out->str + old_len;
}

static inline void
commit (GString *out, char *end)
{
  out->len = end - out->str;
  *end = '\0';
}

/* The number of decimal digits of @value. */
static inline int
decimal_digits (guint64 value)
{
  int n = 1;

  for (;;)
    {
      if (value < 10)
        return n;
      if (value < 100)
        return n + 1;
      if (value < 1000)
        return n + 2;
      if (value < 10000)
        return n + 3;
      value /= 10000;
      n += 4;
    }
}

static const char digit_pairs[] =
  "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
  "8081828384858687888990919293949596979899";

/* Writes the @n decimal digits of @value ending at @end, two at a time. */
static inline void
write_digits (char *end, guint64 value)
{
  while (value >= 100)
    {
      guint pair = (guint) (value % 100) * 2;

      value /= 100;
      end -= 2;
      end[0] = digit_pairs[pair];
      end[1] = digit_pairs[pair + 1];
    }
  if (value >= 10)
    {
      end -= 2;
      end[0] = digit_pairs[value * 2];
      end[1] = digit_pairs[value * 2 + 1];
    }
  else
    *--end = '0' + (char) value;
}

/* Writes @value in decimal at @w, without printf's cost; returns the end. */
static inline char *
write_uint (char *w, guint64 value)
{
  int n = decimal_digits (value);

  write_digits (w + n, value);
  return w + n;
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
  int pid = tl_output_get_pid ();
  char *w;

  if (G_UNLIKELY (state->pid != pid))
    {
      state->pid = pid;
      state->pid_len = write_uint (state->pid_text, (guint) pid) - state->pid_text;
    }
  /* [rankN]:  L  MMDD HH:MM:SS  .  usec  space  pid  space */
  w = reserve (out, 18 + 1 + 13 + 1 + 6 + 1 + sizeof state->pid_text + 1);
  if (record->rank >= 0)
    {
      memcpy (w, "[rank", 5);
      w = write_uint (w + 5, (guint) record->rank);
      *w++ = ']';
      *w++ = ':';
    }
  *w++ = tl_level_to_letter (record->level);
  memcpy (w, tl_thread_state_date (state, time_us), 13);
  w += 13;
  *w++ = '.';
  memcpy (w, "000000", 6);
  write_digits (w + 6, usec);
  w += 6;
  *w++ = ' ';
  memcpy (w, state->pid_text, state->pid_len);
  w += state->pid_len;
  *w++ = ' ';
  commit (out, w);

  /* "path:line]", the same for every record of a call site: kept for the
   * site the thread logged from last. */
  if (record->static_site && record->file != NULL &&
      record->file == state->site_file && record->line == state->site_line)
    append_len (out, state->site_text, state->site_len);
  else
    {
      gsize start = out->len;

      tl_escape_append (out, relative_path (record->file), -1);
      g_string_append_c (out, ':');
      tl_escape_append (out, record->line ? record->line : "0", -1);
      g_string_append_c (out, ']');
      if (record->static_site && out->len - start <= sizeof state->site_text)
        {
          state->site_file = record->file;
          state->site_line = record->line;
          state->site_len = out->len - start;
          memcpy (state->site_text, out->str + start, state->site_len);
        }
      else
        state->site_file = NULL;
    }
  if (record->trace_id != NULL)
    {
      append_len (out, " [", 2);
      g_string_append (out, record->trace_id);
      g_string_append_c (out, ']');
    }
  if (record->artifact != NULL)
    {
      append_len (out, " [__", 4);
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

/* The length of the run of printable ASCII (0x20 to 0x7e) at @p: what
 * needs no escaping, and nearly every message is one. Eight bytes at a
 * time: a byte below 0x20 borrows into its top bit when 0x20 is taken
 * from every byte, one of 0x7f or more has its top bit set itself or
 * once 1 is added. */
static inline gsize
plain_run (const char *p, const char *end)
{
  const char *start = p;

  while (end - p >= 8)
    {
      guint64 x;

      memcpy (&x, p, 8);
      if ((((x - G_GUINT64_CONSTANT (0x2020202020202020)) & ~x) |
           x | (x + G_GUINT64_CONSTANT (0x0101010101010101))) &
          G_GUINT64_CONSTANT (0x8080808080808080))
        break;
      p += 8;
    }
  while (p < end && (guchar) *p >= 0x20 && (guchar) *p < 0x7f)
    p++;
  return p - start;
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
      p += plain_run (p, end);
      append_len (out, run, p - run);
      if (p >= end)
        break;

      if (*p == '\n' || *p == '\t')
        {
          g_string_append_c (out, *p++);
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
      if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else if (c >= 0x80 && c < 0xa0)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
}

/* ---- printf for the messages of the logging macros ------------------ */

typedef enum {
  LENGTH_INT, LENGTH_CHAR, LENGTH_SHORT, LENGTH_LONG, LENGTH_LONG_LONG,
  LENGTH_SIZE, LENGTH_INTMAX, LENGTH_PTRDIFF,
} Length;

static void
append_padding (GString *out, char c, int count)
{
  gsize old_len = out->len;

  if (count <= 0)
    return;
  if (G_UNLIKELY (old_len + count >= out->allocated_len))
    {
      g_string_set_size (out, old_len + count);
      out->len = old_len;
    }
  memset (out->str + out->len, c, count);
  out->len += count;
  out->str[out->len] = '\0';
}

/* An integer as printf's %d/%u/%x/%X/%o do it, with the flags '-' and
 * '0', a width and a precision; written in place. */
static void
append_integer (GString *out, guint64 magnitude, gboolean negative, int base, gboolean upper,
                gboolean left, gboolean zero, int width, int precision)
{
  const char *digit_chars = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  int n, zeros, total, pad;
  char *w;

  /* Constant divisors below: a multiplication or a shift per digit, not
   * the division a variable base would cost. */
  if (precision == 0 && magnitude == 0)
    n = 0;
  else if (base == 10)
    n = decimal_digits (magnitude);
  else
    {
      int bits = base == 16 ? 4 : 3;

      n = 1;
      for (guint64 rest = magnitude >> bits; rest != 0; rest >>= bits)
        n++;
    }
  zeros = precision > n ? precision - n : 0;
  total = negative + zeros + n;
  pad = width > total ? width - total : 0;

  w = reserve (out, pad + total);
  if (!left && !(zero && precision < 0))
    {
      memset (w, ' ', pad);
      w += pad;
    }
  if (negative)
    *w++ = '-';
  if (!left && zero && precision < 0)
    {
      memset (w, '0', pad);
      w += pad;
    }
  memset (w, '0', zeros);
  w += zeros;
  if (n == 0)
    ;
  else if (base == 10)
    write_digits (w + n, magnitude);
  else
    for (int i = n - 1, bits = base == 16 ? 4 : 3; i >= 0; i--)
      {
        w[i] = digit_chars[magnitude & (base - 1)];
        magnitude >>= bits;
      }
  w += n;
  if (left)
    {
      memset (w, ' ', pad);
      w += pad;
    }
  commit (out, w);
}

static void
append_vprintf_slow (GString *out, const char *format, va_list args)
{
  gsize start = out->len;
  gsize room = out->allocated_len - start;
  va_list copy;
  int len;

  va_copy (copy, args);
  len = g_vsnprintf (out->str + start, room, format, copy);
  va_end (copy);
  if (len < 0)
    {
      out->str[start] = '\0';
      return;
    }
  if ((gsize) len >= room)
    {
      g_string_set_size (out, start + len);
      g_vsnprintf (out->str + start, len + 1, format, args);
    }
  out->len = start + len;
}

/* Appends @format formatted with @args, as vsnprintf() would; the
 * conversions messages use most (%d %i %u %x %X %o %c %s %p %% with the
 * flags '-' and '0', a width, a precision and the length modifiers) are
 * done here, several times faster than glibc's, whose machinery for
 * FILE streams costs more than a short message itself. Anything else
 * (floating point, '+', ' ', '#', '*', positional arguments, wide
 * characters, a NULL string) sends the whole message to g_vsnprintf().
 *
 * Returns whether every byte appended is printable ASCII, which needs no
 * escaping and holds no newline; judged from the sources (the format's
 * text and the strings), which are long written, rather than from the
 * bytes just stored. */
gboolean
tl_string_append_vprintf (GString    *out,
                          const char *format,
                          va_list     args)
{
  gsize start = out->len;
  const char *p = format;
  gboolean plain = TRUE;
  va_list ap;

  va_copy (ap, args);
  for (;;)
    {
      const char *percent = strchr (p, '%');
      gboolean left = FALSE, zero = FALSE;
      int width = 0, precision = -1;
      Length length = LENGTH_INT;

      if (percent == NULL)
        {
          gsize len = strlen (p);

          plain = plain && plain_run (p, p + len) == len;
          append_len (out, p, len);
          break;
        }
      plain = plain && plain_run (p, percent) == (gsize) (percent - p);
      append_len (out, p, percent - p);
      p = percent + 1;
      if (*p == '%')
        {
          g_string_append_c (out, '%');
          p++;
          continue;
        }
      for (;; p++)
        {
          if (*p == '-')
            left = TRUE;
          else if (*p == '0')
            zero = TRUE;
          else
            break;
        }
      while (g_ascii_isdigit (*p))
        {
          width = width * 10 + (*p++ - '0');
          if (width > 4096)
            goto slow;
        }
      if (*p == '.')
        {
          p++;
          precision = 0;
          while (g_ascii_isdigit (*p))
            {
              precision = precision * 10 + (*p++ - '0');
              if (precision > 4096)
                goto slow;
            }
        }
      switch (*p)
        {
        case 'h':
          length = p[1] == 'h' ? LENGTH_CHAR : LENGTH_SHORT;
          p += p[1] == 'h' ? 2 : 1;
          break;
        case 'l':
          length = p[1] == 'l' ? LENGTH_LONG_LONG : LENGTH_LONG;
          p += p[1] == 'l' ? 2 : 1;
          break;
        case 'z': length = LENGTH_SIZE; p++; break;
        case 'j': length = LENGTH_INTMAX; p++; break;
        case 't': length = LENGTH_PTRDIFF; p++; break;
        default: break;
        }

      switch (*p++)
        {
        case 'd':
        case 'i':
          {
            gint64 value;

            switch (length)
              {
              case LENGTH_CHAR: value = (signed char) va_arg (ap, int); break;
              case LENGTH_SHORT: value = (short) va_arg (ap, int); break;
              case LENGTH_LONG: value = va_arg (ap, long); break;
              case LENGTH_LONG_LONG: value = va_arg (ap, long long); break;
              case LENGTH_SIZE: value = va_arg (ap, gssize); break;
              case LENGTH_INTMAX: value = va_arg (ap, intmax_t); break;
              case LENGTH_PTRDIFF: value = va_arg (ap, ptrdiff_t); break;
              default: value = va_arg (ap, int); break;
              }
            append_integer (out, value < 0 ? (guint64) 0 - (guint64) value : (guint64) value,
                            value < 0, 10, FALSE, left, zero, width, precision);
          }
          break;
        case 'u':
        case 'x':
        case 'X':
        case 'o':
          {
            char conversion = p[-1];
            guint64 value;

            switch (length)
              {
              case LENGTH_CHAR: value = (unsigned char) va_arg (ap, unsigned int); break;
              case LENGTH_SHORT: value = (unsigned short) va_arg (ap, unsigned int); break;
              case LENGTH_LONG: value = va_arg (ap, unsigned long); break;
              case LENGTH_LONG_LONG: value = va_arg (ap, unsigned long long); break;
              case LENGTH_SIZE: value = va_arg (ap, gsize); break;
              case LENGTH_INTMAX: value = va_arg (ap, uintmax_t); break;
              case LENGTH_PTRDIFF: value = (guint64) va_arg (ap, ptrdiff_t); break;
              default: value = va_arg (ap, unsigned int); break;
              }
            append_integer (out, value, FALSE,
                            conversion == 'u' ? 10 : conversion == 'o' ? 8 : 16,
                            conversion == 'X', left, zero, width, precision);
          }
          break;
        case 's':
          {
            const char *text;
            gsize len;
            int pad;

            if (length != LENGTH_INT || zero)
              goto slow;
            text = va_arg (ap, const char *);
            if (text == NULL)
              goto slow;   /* "(null)", or not, depending on the precision */
            len = precision >= 0 ? strnlen (text, precision) : strlen (text);
            plain = plain && plain_run (text, text + len) == len;
            pad = width > (int) len ? width - (int) len : 0;
            if (!left)
              append_padding (out, ' ', pad);
            append_len (out, text, len);
            if (left)
              append_padding (out, ' ', pad);
          }
          break;
        case 'c':
          if (length != LENGTH_INT || zero || precision >= 0)
            goto slow;
          if (!left)
            append_padding (out, ' ', width - 1);
          {
            char c = (char) va_arg (ap, int);

            plain = plain && (guchar) c >= 0x20 && (guchar) c < 0x7f;
            g_string_append_c (out, c);
          }
          if (left)
            append_padding (out, ' ', width - 1);
          break;
        case 'p':
          {
            gpointer pointer;

            if (length != LENGTH_INT || left || zero || width || precision >= 0)
              goto slow;
            pointer = va_arg (ap, gpointer);
            if (pointer == NULL)
              append_len (out, "(nil)", 5);
            else
              {
                append_len (out, "0x", 2);
                append_integer (out, (guintptr) pointer, FALSE, 16, FALSE, FALSE, FALSE, 0, -1);
              }
          }
          break;
        default:
          goto slow;
        }
    }
  va_end (ap);
  return plain;

slow:
  va_end (ap);
  g_string_truncate (out, start);
  append_vprintf_slow (out, format, args);
  return plain_run (out->str + start, out->str + out->len) == out->len - start;
}
