/* tl-report-rank-private.h: the report of one trace file (one rank)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdio.h>

#include <json-glib/json-glib.h>

#include "tl-report-reader-private.h"

G_BEGIN_DECLS

/* What the job's landing page compares between ranks. */
typedef struct {
  TlReportStats  stats;
  GHashTable    *unknown_fields;   /* set of names */
  GPtrArray     *compile_ids;      /* compile_directory.json's keys, sorted */
  char          *cache_sequence;   /* ✅❌❓ in artifact order */
  char          *collective_ops;   /* the ops of every collective schedule, joined with ',' */
  guint          n_chromium_events;
  FILE          *chromium_kept;    /* the events, for tl_report_chromium_merge(); or NULL */
  guint64        input_bytes;
} TlReportRankSummary;

void tl_report_rank_summary_free (TlReportRankSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlReportRankSummary, tl_report_rank_summary_free)

/* Writes tlparse's outputs for the trace @input into @output_dir (which
 * exists); with @keep_events, the summary keeps the chromium events for
 * the job's page (in a temporary file, not in memory). NULL with @error when the input cannot be read or an output
 * cannot be written; bad records are only counted. */
TlReportRankSummary *tl_report_rank_generate (const char            *input,
                                              const char            *output_dir,
                                              gboolean               keep_events,
                                              TlReportProgressStep   progress,
                                              gpointer               user_data,
                                              GError               **error);

G_END_DECLS
