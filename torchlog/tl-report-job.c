/* tl-report-job.c: the landing page of a whole job's report
 *
 * What tlparse's --all-ranks-html page says of a job, with the same
 * warning sentences (scripts grep for them): ranks that compiled
 * different compile ids, ranks whose cache hits and misses came in a
 * different order, ranks whose Inductor collective schedules differ.
 * Any of these can make a distributed job hang.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "tl-i18n-private.h"
#include "tl-report-chromium-private.h"
#include "tl-report-html-private.h"
#include "tl-report-job-private.h"
#include "tl-report-json-private.h"

static gboolean
same_ids (GPtrArray *a,
          GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (!g_str_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;
  return TRUE;
}

/* Groups the ranks by @key (a string per rank), in order of first
 * appearance; returns the groups' rank lists ("0, 2"). */
static GPtrArray *
group_ranks (GArray     *ranks,
             GPtrArray  *keys)
{
  GPtrArray *groups = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) group_keys = g_ptr_array_new ();

  for (guint i = 0; i < ranks->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      guint g;

      for (g = 0; g < group_keys->len; g++)
        if (g_str_equal (g_ptr_array_index (group_keys, g), key))
          break;
      if (g == group_keys->len)
        {
          g_ptr_array_add (group_keys, (gpointer) key);
          g_ptr_array_add (groups, g_strdup_printf ("%u", g_array_index (ranks, guint, i)));
        }
      else
        {
          char *old = g_ptr_array_index (groups, g);
          groups->pdata[g] = g_strdup_printf ("%s, %u", old, g_array_index (ranks, guint, i));
          g_free (old);
        }
    }
  return groups;
}

static void
append_groups (GString   *html,
               GPtrArray *groups)
{
  g_string_append (html, "<ul>\n");
  for (guint i = 0; i < groups->len; i++)
    g_string_append_printf (html, "<li>Ranks: %s</li>\n", (char *) g_ptr_array_index (groups, i));
  g_string_append (html, "</ul>\n");
}

gboolean
tl_report_job_write (const char  *output_dir,
                     GArray      *ranks,
                     GPtrArray   *summaries,
                     GError     **error)
{
  g_autoptr(GString) html = g_string_new (NULL);
  g_autoptr(GPtrArray) cache_keys = g_ptr_array_new ();
  g_autoptr(GPtrArray) collective_keys = g_ptr_array_new ();
  g_autoptr(GPtrArray) cache_groups = NULL;
  g_autoptr(GPtrArray) collective_groups = NULL;
  g_autofree char *index = g_build_filename (output_dir, "index.html", NULL);
  gboolean ids_diverge = FALSE, any_schedule = FALSE;
  guint n_events = 0;

  for (guint i = 0; i < summaries->len; i++)
    {
      TlReportRankSummary *summary = g_ptr_array_index (summaries, i);
      TlReportRankSummary *first = g_ptr_array_index (summaries, 0);

      ids_diverge = ids_diverge || !same_ids (first->compile_ids, summary->compile_ids);
      g_ptr_array_add (cache_keys, summary->cache_sequence);
      g_ptr_array_add (collective_keys, summary->collective_ops);
      any_schedule = any_schedule || summary->collective_ops[0] != '\0';
      n_events += summary->n_chromium_events;
    }
  cache_groups = group_ranks (ranks, cache_keys);
  collective_groups = group_ranks (ranks, collective_keys);

  /* Perfetto shows one process per rank. */
  if (n_events > 0)
    {
      g_autofree char *path = g_build_filename (output_dir, "chromium_events.json", NULL);
      g_autoptr(GPtrArray) kept = g_ptr_array_new ();

      for (guint i = 0; i < summaries->len; i++)
        g_ptr_array_add (kept, ((TlReportRankSummary *) g_ptr_array_index (summaries, i))->chromium_kept);
      if (!tl_report_chromium_merge (path, ranks, kept, error))
        return FALSE;
    }

  tl_report_html_begin (html, "Multi-Rank Report", NULL);
  if (ids_diverge || cache_groups->len > 1 || (any_schedule && collective_groups->len > 1))
    {
      g_string_append (html, "<div class=\"warning-box\">\n");
      if (ids_diverge)
        g_string_append (html, "<p><strong>Warning:</strong> Diverging Compilation IDs detected across ranks. "
                               "This may lead to hangs or timeouts during distributed execution.</p>\n");
      if (cache_groups->len > 1)
        {
          g_string_append (html, "<p><strong>Warning:</strong> Diverging Cache hit/miss patterns detected "
                                 "across ranks. Cache hit/miss pattern groups:</p>\n");
          append_groups (html, cache_groups);
        }
      if (any_schedule && collective_groups->len > 1)
        {
          g_string_append (html, "<p><strong>Warning:</strong> Diverging collective operation sequences "
                                 "detected across ranks. This can lead to hangs or timeouts during "
                                 "distributed execution.</p>\n<p>Collective operation sequence groups:</p>\n");
          append_groups (html, collective_groups);
        }
      g_string_append (html, "</div>\n");
    }
  g_string_append_printf (html, "<p>This report contains the reports of <strong>%u</strong> rank(s).</p>\n",
                          ranks->len);
  g_string_append (html, "<table>\n<tr><th>Rank</th><th>Compile ids</th><th>Cache hits and misses</th>"
                         "<th>Records</th><th>Input</th></tr>\n");
  for (guint i = 0; i < ranks->len; i++)
    {
      TlReportRankSummary *summary = g_ptr_array_index (summaries, i);
      guint rank = g_array_index (ranks, guint, i);
      g_autofree char *counts = tl_report_stats_to_string (&summary->stats);

      g_string_append_printf (html, "<tr><td><a href=\"rank_%u/index.html\">rank_%u</a></td><td>%u</td><td>",
                              rank, rank, summary->compile_ids->len);
      tl_report_html_escape (html, summary->cache_sequence, -1);
      g_string_append (html, "</td><td>");
      tl_report_html_escape (html, counts, -1);
      g_string_append_printf (html, "</td><td>%.1f MB</td></tr>\n", summary->input_bytes / 1e6);
    }
  g_string_append (html, "</table>\n");
  if (n_events > 0)
    g_string_append (html, "<p><a href=\"chromium_events.json\">chromium_events.json</a>: the chromium "
                           "events of every rank, one process per rank, for Perfetto or chrome://tracing.</p>\n");
  tl_report_html_end (html);
  return g_file_set_contents_full (index, html->str, (gssize) html->len, G_FILE_SET_CONTENTS_NONE, 0666, error);
}
