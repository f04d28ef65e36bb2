/* tl-environment.c: every environment variable torchlog reads
 *
 * In one place, so that what a program's environment can change is listed
 * once: the settings (TORCH_LOGS), the outputs (TORCH_LOGS_OUT,
 * TORCH_LOGS_FORMAT, TORCH_LOGS_TRACE_ID_FILTER), distributed runs (RANK,
 * TORCH_LOGS_RANKS), the journal (TORCHLOG_JOURNAL), the structured trace
 * (TORCH_TRACE, TORCH_DTRACE). Values are parsed where they are used.
 * One variable is read elsewhere: TORCHLOG_LOCALEDIR, the test suite's
 * catalogs, by tl-i18n.c, which every file uses (this one included) and
 * the torchlog command compiles on its own.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tl-environment-private.h"
#include "tl-format-private.h"
#include "tl-i18n-private.h"

static const char *
nonempty (const char *value)
{
  return value != NULL && value[0] != '\0' ? value : NULL;
}

const char *
tl_environment_logs (const char *env_var)
{
  return nonempty (g_getenv (env_var));
}

const char *
tl_environment_logs_out (void)
{
  return nonempty (g_getenv ("TORCH_LOGS_OUT"));
}

const char *
tl_environment_logs_format (void)
{
  return nonempty (g_getenv ("TORCH_LOGS_FORMAT"));
}

const char *
tl_environment_rank (void)
{
  return nonempty (g_getenv ("RANK"));
}

const char *
tl_environment_rank_filter (void)
{
  return nonempty (g_getenv ("TORCH_LOGS_RANKS"));
}

const char *
tl_environment_journal (void)
{
  return nonempty (g_getenv ("TORCHLOG_JOURNAL"));
}

const char *
tl_environment_trace_dir (void)
{
  return g_getenv ("TORCH_TRACE");
}

const char *
tl_environment_dtrace_dir (void)
{
  return g_getenv ("TORCH_DTRACE");
}

TlOutput *
tl_environment_dup_output (void)
{
  TlOutput *output = tl_output_new ();
  const char *out = tl_environment_logs_out ();
  const char *format = tl_environment_logs_format ();
  const char *filter = g_getenv ("TORCH_LOGS_TRACE_ID_FILTER");
  g_autoptr(GError) error = NULL;

  if (out != NULL && !tl_output_open_file (output, out, &error))
    {
      /* TRANSLATORS: %s says why the TORCH_LOGS_OUT file cannot be opened */
      g_autofree char *line = g_strdup_printf (_("torchlog: %s; logging to stderr only\n"),
                                               error->message);
      tl_output_warn (line);
      g_clear_error (&error);
    }

  if (format != NULL)
    {
      output->format = tl_format_new (tl_format_expand_name (format), &error);
      if (output->format == NULL)
        {
          /* TRANSLATORS: %s says why the format is invalid */
          g_autofree char *line = g_strdup_printf (_("torchlog: TORCH_LOGS_FORMAT: %s; "
                                                     "using torch's default format\n"),
                                                   error->message);
          tl_output_warn (line);
          g_clear_error (&error);
        }
    }

  if (filter != NULL)
    {
      g_auto(GStrv) items = g_strsplit (filter, ",", -1);
      g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
      gboolean any = FALSE;

      for (gsize i = 0; items[i] != NULL; i++)
        {
          char *item = g_strstrip (items[i]);
          if (item[0] != '\0')
            {
              g_strv_builder_add (kept, item);
              any = TRUE;
            }
        }
      if (any)
        output->trace_id_filter = g_strv_builder_end (kept);
    }
  return output;
}

