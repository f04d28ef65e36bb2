/* tl-local-time-private.h: local time for log prefixes, safe across fork()
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <time.h>

G_BEGIN_DECLS

/* localtime_r() of @seconds into @tm; FALSE if it has no answer. */
gboolean tl_local_time (gint64 seconds, struct tm *tm);

/* Called by tl-fork.c only. */
void tl_local_time_fork_prepare (void);
void tl_local_time_fork_release (void);

G_END_DECLS
