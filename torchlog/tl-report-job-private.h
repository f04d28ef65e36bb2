/* tl-report-job-private.h: the landing page of a whole job's report
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tl-report-rank-private.h"

G_BEGIN_DECLS

/* Writes @output_dir/index.html linking rank_N/index.html for each of
 * @ranks (guint, ascending) with its @summaries (same order), with
 * tlparse's divergence warnings, and the ranks' chromium events combined
 * into @output_dir/chromium_events.json (pid = rank). */
gboolean tl_report_job_write (const char  *output_dir,
                              GArray      *ranks,
                              GPtrArray   *summaries,
                              GError     **error);

G_END_DECLS
