/* tl-report.c: tlparse's HTML report of structured traces
 *
 * The entry point: one trace file gives one report; a folder of
 * `dedicated_log_torch_trace_rank_N*.log` files (a whole job, as
 * TORCH_TRACE writes it) gives a report per rank in rank_N/ and a landing
 * page. The work is in tl-report-reader.c (tlparse's reading rules),
 * tl-report-rank.c (its outputs) and tl-report-job.c (the landing page).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "tl-i18n-private.h"
#include "tl-report.h"
#include "tl-report-job-private.h"
#include "tl-report-rank-private.h"

/**
 * SECTION:tl-report
 * @title: Trace reports
 * @short_description: tlparse's HTML report of structured traces
 *
 * tl_report_generate() turns a structured trace (what `TORCH_TRACE`
 * writes, from torchlog or from PyTorch itself) into the report
 * tlparse makes, with its file names: `index.html`,
 * `compile_directory.json`, a folder per compile id, `raw.jsonl`,
 * `failures_and_restarts.html` and `chromium_events.json`. Given a
 * folder of a job's rank traces, it writes a report per rank and a
 * landing page that warns where the ranks diverge. `torchlog report`
 * and Python's `Torchlog.report()` call it.
 *
 * |[<!-- language="C" -->
 * g_autoptr(GError) error = NULL;
 * g_autofree char *counts = NULL;
 *
 * if (!tl_report_generate ("/tmp/trace", "/tmp/report", FALSE, NULL, NULL, &counts, &error))
 *   g_printerr ("%s\n", error->message);
 * ]|
 */

typedef struct {
  TlReportProgressFunc func;
  gpointer             user_data;
  guint64              before;   /* bytes of the files already read */
  guint64              total;
} Progress;

static void
progress_step (guint64  done,
               gpointer user_data)
{
  Progress *progress = user_data;
  if (progress->func != NULL)
    progress->func (progress->before + done, progress->total, progress->user_data);
}

/* A structured trace has records; a file none of whose lines has the glog
 * prefix is something else (a log, a binary), and saying so is more use
 * than an empty report. */
static gboolean
check_is_trace (const char                *input,
                const TlReportRankSummary *summary,
                GError                   **error)
{
  const TlReportStats *stats = &summary->stats;

  if (stats->fail_glog > 0 && stats->ok + stats->other_rank + stats->fail_json == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not a structured trace: none of its lines is a trace record"), input);
      return FALSE;
    }
  return TRUE;
}

static gboolean
make_dir (const char *path,
          GError    **error)
{
  if (g_mkdir_with_parents (path, 0777) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the folder “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* tlparse's rank file names: dedicated_log_torch_trace_rank_<N>[_<suffix>].log */
static gboolean
rank_of_file (const char *name,
              guint      *rank)
{
  const char *prefix = "dedicated_log_torch_trace_rank_";
  g_autofree char *middle = NULL;
  char *end;
  guint64 value;

  if (!g_str_has_prefix (name, prefix) || !g_str_has_suffix (name, ".log"))
    return FALSE;
  middle = g_strndup (name + strlen (prefix), strlen (name) - strlen (prefix) - strlen (".log"));
  if (!g_ascii_isdigit (middle[0]))
    return FALSE;
  value = g_ascii_strtoull (middle, &end, 10);
  if ((*end != '\0' && *end != '_') || value > G_MAXUINT32)
    return FALSE;
  *rank = (guint) value;
  return TRUE;
}

typedef struct {
  guint  rank;
  char  *path;
} RankFile;

static int
compare_rank_files (gconstpointer a,
                    gconstpointer b)
{
  const RankFile *ra = a, *rb = b;
  if (ra->rank != rb->rank)
    return ra->rank < rb->rank ? -1 : 1;
  return strcmp (ra->path, rb->path);
}

static void
clear_rank_file (gpointer data)
{
  g_free (((RankFile *) data)->path);
}

static char *
strict_failure_message (const char          *input,
                        const TlReportStats *stats)
{
  g_autofree char *counts = tl_report_stats_to_string (stats);
  return g_strdup_printf (_("%s: some records could not be read (%s)"), input, counts);
}

static gboolean
generate_job (const char  *input,
              const char  *output_dir,
              gboolean     strict,
              Progress    *progress,
              GString     *summary_text,
              GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GArray) files = g_array_new (FALSE, FALSE, sizeof (RankFile));
  g_autoptr(GArray) ranks = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) summaries = g_ptr_array_new_with_free_func ((GDestroyNotify) tl_report_rank_summary_free);
  g_autoptr(GString) strict_errors = g_string_new (NULL);
  const char *name;

  g_array_set_clear_func (files, clear_rank_file);
  dir = g_dir_open (input, 0, error);
  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      RankFile file;
      GStatBuf st;

      if (!rank_of_file (name, &file.rank))
        continue;
      file.path = g_build_filename (input, name, NULL);
      if (g_stat (file.path, &st) != 0 || !S_ISREG (st.st_mode))
        {
          g_free (file.path);
          continue;
        }
      progress->total += (guint64) st.st_size;
      g_array_append_val (files, file);
    }
  if (files->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No rank log files found in directory %s (dedicated_log_torch_trace_rank_N.log)"), input);
      return FALSE;
    }
  g_array_sort (files, compare_rank_files);

  for (guint i = 0; i < files->len; i++)
    {
      RankFile *file = &g_array_index (files, RankFile, i);
      g_autofree char *sub = g_strdup_printf ("rank_%u", file->rank);
      g_autofree char *out = g_build_filename (output_dir, sub, NULL);
      TlReportRankSummary *summary;
      GStatBuf st;

      if (i > 0 && file->rank == g_array_index (files, RankFile, i - 1).rank)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       _("Two trace files of rank %u in %s"), file->rank, input);
          return FALSE;
        }
      if (!make_dir (out, error))
        return FALSE;
      summary = tl_report_rank_generate (file->path, out, TRUE, progress_step, progress, error);
      if (summary == NULL)
        return FALSE;
      g_ptr_array_add (summaries, summary);
      g_array_append_val (ranks, file->rank);
      if (!check_is_trace (file->path, summary, error))
        return FALSE;
      if (strict && tl_report_stats_failed (&summary->stats))
        {
          g_autofree char *message = strict_failure_message (file->path, &summary->stats);
          g_string_append_printf (strict_errors, "%s%s", strict_errors->len > 0 ? "; " : "", message);
        }
      {
        g_autofree char *counts = tl_report_stats_to_string (&summary->stats);
        g_string_append_printf (summary_text, "%srank %u: %s", summary_text->len > 0 ? "\n" : "",
                                file->rank, counts);
      }
      if (g_stat (file->path, &st) == 0)
        progress->before += (guint64) st.st_size;
    }
  if (!tl_report_job_write (output_dir, ranks, summaries, error))
    return FALSE;
  if (strict_errors->len > 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, strict_errors->str);
      return FALSE;
    }
  return TRUE;
}

/**
 * tl_report_generate:
 * @input: a structured trace file (`TORCH_TRACE`'s output, from torchlog
 *   or from PyTorch), or a folder of `dedicated_log_torch_trace_rank_N.log`
 *   files for a whole job
 * @output_dir: the folder to write the report to; made if missing, and
 *   files of an earlier report in it are replaced
 * @strict: fail when any record could not be read (tlparse's `--strict`)
 * @progress: (nullable) (scope call) (closure user_data): called now and
 *   then with the bytes read, for a progress bar
 * @user_data: data for @progress
 * @summary: (out) (optional) (transfer full): the counts of read and
 *   unreadable records, as tlparse prints them ("ok: 14, fail_json: 1"),
 *   one line per rank for a job
 * @error: return location for a #GError
 *
 * Writes tlparse's report of @input: `index.html` (the stack trie of
 * compiled frames, the compile directory, a timeline of compile times, the
 * counts of unknown and failed records), `compile_directory.json`, a folder
 * per compile id (`-_0_0_0/`) with its artifacts and an `index.html`
 * showing them with line numbers, `failures_and_restarts.html`, `raw.jsonl`,
 * `raw.log` and `chromium_events.json`. For a job, one such report per rank
 * in `rank_N/`, and an `index.html` linking them that warns where the ranks
 * diverge (compile ids, cache hits and misses, collective schedules).
 *
 * The trace is read by tlparse's rules (its glog prefix, typed envelope,
 * string table and payload MD5s) and streamed, never held in memory.
 * Records that break them are counted, and without @strict everything
 * readable is still shown.
 *
 * Returns: %TRUE when the report was written; %FALSE with @error in the
 *   %G_IO_ERROR domain when @input cannot be read
 *   (%G_IO_ERROR_NOT_FOUND, …), is not a structured trace or, with
 *   @strict, has unreadable records (%G_IO_ERROR_INVALID_DATA; the report
 *   is written all the same), or when the report cannot be written.
 *
 * Since: 0.1
 */
gboolean
tl_report_generate (const char            *input,
                    const char            *output_dir,
                    gboolean               strict,
                    TlReportProgressFunc   progress,
                    gpointer               user_data,
                    char                 **summary,
                    GError               **error)
{
  g_autoptr(GString) summary_text = g_string_new (NULL);
  g_autoptr(TlReportRankSummary) rank = NULL;
  Progress state = { progress, user_data, 0, 0 };
  GStatBuf st;

  g_return_val_if_fail (input != NULL, FALSE);
  g_return_val_if_fail (output_dir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (summary != NULL)
    *summary = NULL;
  if (g_stat (input, &st) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot open the trace “%s”: %s"), input, g_strerror (saved_errno));
      return FALSE;
    }
  if (!make_dir (output_dir, error))
    return FALSE;

  if (S_ISDIR (st.st_mode))
    {
      gboolean ok = generate_job (input, output_dir, strict, &state, summary_text, error);
      if (summary != NULL)
        *summary = g_strdup (summary_text->str);
      return ok;
    }

  state.total = (guint64) st.st_size;
  rank = tl_report_rank_generate (input, output_dir, FALSE, progress_step, &state, error);
  if (rank == NULL)
    return FALSE;
  if (summary != NULL)
    *summary = tl_report_stats_to_string (&rank->stats);
  if (!check_is_trace (input, rank, error))
    return FALSE;
  if (strict && tl_report_stats_failed (&rank->stats))
    {
      g_autofree char *message = strict_failure_message (input, &rank->stats);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, message);
      return FALSE;
    }
  return TRUE;
}
