/* tl-rank.h: which distributed ranks print text records (TORCH_LOGS_RANKS)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__TORCHLOG_INSIDE__) && !defined(TORCHLOG_COMPILATION)
#error "Only <torchlog/torchlog.h> can be included directly."
#endif

#include <glib.h>
#include "tl-version-macros.h"

G_BEGIN_DECLS

TL_AVAILABLE_IN_ALL
gboolean  tl_rank_filter_set        (const char  *ranks,
                                     GError     **error);
TL_AVAILABLE_IN_ALL
char     *tl_rank_filter_dup_string (void);
TL_AVAILABLE_IN_ALL
gboolean  tl_rank_filter_keeps      (int          rank);

G_END_DECLS
