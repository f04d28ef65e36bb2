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

/* Whether the rank filter is on, read by the sink chain for every record
 * without a call: undecided until the environment was read. */
enum {
  TL_RANK_FILTER_UNDECIDED,
  TL_RANK_FILTER_OFF,
  TL_RANK_FILTER_ON,
};
extern int tl_rank_filter_state;
gboolean  tl_rank_filter_decide     (void);

static inline gboolean
tl_rank_filter_is_on (void)
{
  int state = g_atomic_int_get (&tl_rank_filter_state);

  if (G_UNLIKELY (state == TL_RANK_FILTER_UNDECIDED))
    return tl_rank_filter_decide ();
  return state == TL_RANK_FILTER_ON;
}

G_END_DECLS
