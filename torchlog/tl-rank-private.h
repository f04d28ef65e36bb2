/* tl-rank-private.h: the process's rank and the rank filter, for the
 * registry and the writer
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "torchlog.h"

G_BEGIN_DECLS

/* The rank in `RANK` (as torchrun sets it), or -1. An invalid value is
 * reported once on stderr. */
int       tl_rank_from_environment  (void);

/* Parses `0,3-5` into a sorted array of inclusive ranges (pairs of ints);
 * NULL with @error for invalid text, an empty array for "". */
GArray   *tl_rank_filter_parse      (const char  *ranks,
                                     GError     **error);

G_END_DECLS
