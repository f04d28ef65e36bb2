/* tl-report.h: tlparse's HTML report of structured traces
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__TORCHLOG_INSIDE__) && !defined(TORCHLOG_COMPILATION)
#error "Only <torchlog/torchlog.h> can be included directly."
#endif

#include <gio/gio.h>
#include "tl-version-macros.h"

G_BEGIN_DECLS

/**
 * TlReportProgressFunc:
 * @done: bytes of input read so far
 * @total: bytes of input in all
 * @user_data: the data given to tl_report_generate()
 *
 * Called now and then while a report is made, for a progress bar.
 *
 * Since: 0.1
 */
typedef void (*TlReportProgressFunc) (guint64  done,
                                      guint64  total,
                                      gpointer user_data);

TL_AVAILABLE_IN_ALL
gboolean tl_report_generate (const char            *input,
                             const char            *output_dir,
                             gboolean               strict,
                             TlReportProgressFunc   progress,
                             gpointer               user_data,
                             char                 **summary,
                             GError               **error);

G_END_DECLS
