/* tl-printf.c: printf for the messages of the logging macros
 *
 * tl_string_append_vprintf() does the conversions messages use most
 * itself, straight into the line being built, and hands anything else to
 * g_vsnprintf(); see there for which is which.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tl-printf-private.h"

const char tl_digit_pairs[201] =
  "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
  "8081828384858687888990919293949596979899";

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
    n = tl_decimal_digits (magnitude);
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

  w = tl_string_reserve (out, pad + total);
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
    tl_write_digits (w + n, magnitude);
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
  tl_string_commit (out, w);
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
 * done here, straight into @out: glibc's vsnprintf() sets up a FILE
 * stream for every call, which costs more than a short message itself,
 * and GLib's g_string_append_vprintf() adds an allocation and a copy on
 * top. Anything else
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

          plain = plain && tl_plain_run (p, p + len) == len;
          tl_string_append_fast (out, p, len);
          break;
        }
      plain = plain && tl_plain_run (p, percent) == (gsize) (percent - p);
      tl_string_append_fast (out, p, percent - p);
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
            plain = plain && tl_plain_run (text, text + len) == len;
            pad = width > (int) len ? width - (int) len : 0;
            if (!left)
              append_padding (out, ' ', pad);
            tl_string_append_fast (out, text, len);
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

            plain = plain && tl_plain_byte (c);
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
              tl_string_append_fast (out, "(nil)", 5);
            else
              {
                tl_string_append_fast (out, "0x", 2);
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
  return tl_plain_run (out->str + start, out->str + out->len) == out->len - start;
}
