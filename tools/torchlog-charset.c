/* torchlog-charset.c: the command's g_print()/g_printerr() handlers.
 *
 * The messages use typographic quotes and ellipses (“…”, ’), as GNOME's
 * do. A terminal whose locale charset cannot show them (the C locale is
 * ASCII) would get GLib's `?` fallback: `log?s level`. These handlers
 * write ASCII forms there instead, and the text unchanged in UTF-8.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "torchlog-tool-private.h"

/* The typographic characters of the messages and their ASCII forms. */
static const struct { const char *utf8; const char *ascii; } ascii_forms[] = {
  { "\u201c", "\"" }, { "\u201d", "\"" }, { "\u201e", "\"" },
  { "\u2018", "'" }, { "\u2019", "'" },
  { "\u2026", "..." }, { "\u2014", "-" }, { "\u2013", "-" },
  { "\u2192", "->" },
};

static char *
to_ascii_forms (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; )
    {
      gboolean replaced = FALSE;

      for (gsize i = 0; i < G_N_ELEMENTS (ascii_forms); i++)
        {
          gsize len = strlen (ascii_forms[i].utf8);

          if (strncmp (p, ascii_forms[i].utf8, len) == 0)
            {
              g_string_append (out, ascii_forms[i].ascii);
              p += len;
              replaced = TRUE;
              break;
            }
        }
      if (!replaced)
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

static void
write_for_locale (FILE       *stream,
                  const char *text)
{
  const char *charset;
  g_autofree char *ascii = NULL;
  g_autofree char *converted = NULL;

  if (g_get_console_charset (&charset))
    {
      fputs (text, stream);
    }
  else
    {
      ascii = to_ascii_forms (text);
      /* What remains (e.g. Chinese) falls back to `?` as GLib's does. */
      converted = g_convert_with_fallback (ascii, -1, charset, "UTF-8", "?",
                                           NULL, NULL, NULL);
      fputs (converted != NULL ? converted : ascii, stream);
    }
  fflush (stream);
}

static void
print_handler (const char *text)
{
  write_for_locale (stdout, text);
}

static void
printerr_handler (const char *text)
{
  write_for_locale (stderr, text);
}

/* Installs the handlers; called once from main(). */
void
torchlog_tool_install_print_handlers (void)
{
  g_set_print_handler (print_handler);
  g_set_printerr_handler (printerr_handler);
}
