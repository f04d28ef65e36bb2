/* torchlog-report.c: `torchlog report TRACE -o OUT`: tlparse's HTML report
 * of a structured trace, or of a whole job's folder of rank traces
 *
 * The work is the library's tl_report_generate(); the verb adds the
 * command line, a progress bar on a terminal, and the counts on stderr as
 * tlparse prints them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "torchlog-tool-private.h"

typedef struct {
  gint64 last_draw;   /* monotonic µs */
  gboolean drawn;
} ProgressBar;

/* A one-line bar on stderr, redrawn at most ten times a second. */
static void
draw_progress (guint64  done,
               guint64  total,
               gpointer user_data)
{
  ProgressBar *bar = user_data;
  gint64 now = g_get_monotonic_time ();
  const int width = 40;
  int filled;

  if (now - bar->last_draw < 100000 && done < total)
    return;
  bar->last_draw = now;
  bar->drawn = TRUE;
  filled = total > 0 ? (int) (width * (double) done / (double) total) : width;
  filled = CLAMP (filled, 0, width);
  fprintf (stderr, "\r[%.*s%*s] %5.1f / %.1f MB", filled,
           "########################################", width - filled, "",
           done / 1e6, total / 1e6);
  fflush (stderr);
}

int
torchlog_tool_report (const TorchlogToolVerb *verb,
                      int                     argc,
                      char                  **argv)
{
  g_autofree char *output = NULL;
  gboolean strict = FALSE;
  gboolean no_progress = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the report to OUT (default: tl_out)"), N_("OUT") },
    { "strict", 0, 0, G_OPTION_ARG_NONE, &strict,
      N_("Fail when any record cannot be read (tlparse’s --strict)"), NULL },
    { "no-progress", 0, 0, G_OPTION_ARG_NONE, &no_progress,
      N_("Show no progress bar, even on a terminal"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *index = NULL;
  g_auto(GStrv) args = NULL;
  ProgressBar bar = { 0 };
  gboolean show_progress;
  gboolean ok;
  int status;

  args = torchlog_tool_parse_args_full (verb, entries,
                                        _("TRACE is a TORCH_TRACE file, or a folder of "
                                          "dedicated_log_torch_trace_rank_N.log files for a whole job."),
                                        argc, argv, &status);
  if (args == NULL)
    return status;
  if (args[1] == NULL)
    return torchlog_tool_usage_error (verb, _("Missing TRACE, a trace file or a folder of rank traces"));
  if (args[2] != NULL)
    /* TRANSLATORS: %s is an argument the user gave */
    return torchlog_tool_usage_error (verb, _("Unexpected argument “%s”"), args[2]);
  if (output == NULL)
    output = g_strdup ("tl_out");

  show_progress = !no_progress && isatty (STDERR_FILENO);
  ok = tl_report_generate (args[1], output, strict, show_progress ? draw_progress : NULL, &bar,
                           &summary, &error);
  if (bar.drawn)
    fputc ('\n', stderr);
  if (summary != NULL && summary[0] != '\0')
    {
      torchlog_tool_write_escaped (stderr, summary);
      fputc ('\n', stderr);
    }
  if (!ok)
    {
      torchlog_tool_print_error ("%s", error->message);
      return TORCHLOG_TOOL_EXIT_FAILURE;
    }
  index = g_build_filename (output, "index.html", NULL);
  /* TRANSLATORS: %s is the report's index.html */
  g_print (_("Report written to %s\n"), index);
  return TORCHLOG_TOOL_EXIT_OK;
}
