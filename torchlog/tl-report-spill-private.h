/* tl-report-spill-private.h: unlinked temporary files for what a report writes last
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

/* A new temporary file (in TMPDIR), already unlinked: it goes away when
 * closed. NULL with @error when it cannot be made. */
FILE     *tl_report_spill_new   (GError **error);

/* Copies @in from where it is to its end onto @out; FALSE when either
 * fails. */
gboolean  tl_report_spill_copy  (FILE    *in,
                                 FILE    *out);

G_END_DECLS
