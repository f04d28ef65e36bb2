/* tl-printf-private.h: printf for the logging macros' messages, and the
 * in-place GString writing it shares with the glog prefix
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdarg.h>
#include <string.h>
#include <glib.h>

G_BEGIN_DECLS

/* Appends @format formatted with @args, as vsnprintf() does, without its
 * cost for the common conversions. Returns whether all it appended is
 * printable ASCII (no escaping, no newline). */
gboolean    tl_string_append_vprintf (GString     *out,
                                      const char  *format,
                                      va_list      args) G_GNUC_PRINTF (2, 0);

/* The helpers below run several times for every line, so they are inline
 * here rather than calls into tl-printf.c. */

/* g_string_append_len() without its care for a source inside the string,
 * which none of the callers has: a plain copy. */
static inline void
tl_string_append_fast (GString *out, const char *text, gsize len)
{
  gsize old_len = out->len;

  if (G_UNLIKELY (old_len + len >= out->allocated_len))
    g_string_set_size (out, old_len + len);
  memcpy (out->str + old_len, text, len);
  out->len = old_len + len;
  out->str[out->len] = '\0';
}

/* Makes room for @extra more bytes and returns where they go; the caller
 * writes them and calls tl_string_commit(). Writing in place, rather than
 * through a small buffer on the stack, also spares the processor the
 * stall of reading back as one word what was just stored byte by byte. */
static inline char *
tl_string_reserve (GString *out, gsize extra)
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
tl_string_commit (GString *out, char *end)
{
  out->len = end - out->str;
  *end = '\0';
}

/* The number of decimal digits of @value. */
static inline int
tl_decimal_digits (guint64 value)
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

/* "00" "01" ... "99": two digits per division. */
extern const char tl_digit_pairs[201];

/* Writes the decimal digits of @value so that they end at @end. */
static inline void
tl_write_digits (char *end, guint64 value)
{
  while (value >= 100)
    {
      guint pair = (guint) (value % 100) * 2;

      value /= 100;
      end -= 2;
      end[0] = tl_digit_pairs[pair];
      end[1] = tl_digit_pairs[pair + 1];
    }
  if (value >= 10)
    {
      end -= 2;
      end[0] = tl_digit_pairs[value * 2];
      end[1] = tl_digit_pairs[value * 2 + 1];
    }
  else
    *--end = '0' + (char) value;
}

/* Writes @value in decimal at @w, without printf's cost; returns the end. */
static inline char *
tl_write_uint (char *w, guint64 value)
{
  int n = tl_decimal_digits (value);

  tl_write_digits (w + n, value);
  return w + n;
}

/* Whether @c is printable ASCII that needs no escaping: 0x20 to 0x7e
 * but the backslash, which tl_escape_append() doubles. */
static inline gboolean
tl_plain_byte (char c)
{
  return (guchar) c >= 0x20 && (guchar) c < 0x7f && c != '\\';
}

/* The length of the run of plain bytes (tl_plain_byte()) at @p: what
 * needs no escaping, and nearly every message is one. Eight bytes at a
 * time: a byte below 0x20 borrows into its top bit when 0x20 is taken
 * from every byte, one of 0x7f or more has its top bit set itself or
 * once 1 is added, and a backslash is the zero byte of x ^ 0x5c… (whose
 * top bit a borrow sets when 1 is taken from it). Borrows and carries
 * only start at such a byte, so a clean word never looks dirty. */
static inline gsize
tl_plain_run (const char *p, const char *end)
{
  const char *start = p;

  while (end - p >= 8)
    {
      guint64 x, y;

      memcpy (&x, p, 8);
      y = x ^ G_GUINT64_CONSTANT (0x5c5c5c5c5c5c5c5c);
      if ((((x - G_GUINT64_CONSTANT (0x2020202020202020)) & ~x) |
           x | (x + G_GUINT64_CONSTANT (0x0101010101010101)) |
           ((y - G_GUINT64_CONSTANT (0x0101010101010101)) & ~y)) &
          G_GUINT64_CONSTANT (0x8080808080808080))
        break;
      p += 8;
    }
  while (p < end && tl_plain_byte (*p))
    p++;
  return p - start;
}

G_END_DECLS
