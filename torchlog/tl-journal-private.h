/* tl-journal-private.h: the journal as one of the writer's sinks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "torchlog.h"
#include "tl-record-private.h"

G_BEGIN_DECLS

/* Whether records go to the journal, read by the sink chain for every
 * record without a call: undecided until the environment was read. */
enum {
  TL_JOURNAL_UNDECIDED,
  TL_JOURNAL_OFF,
  TL_JOURNAL_ON,
};
extern int tl_journal_state;
gboolean tl_journal_decide (void);

static inline gboolean
tl_journal_is_on (void)
{
  int state = g_atomic_int_get (&tl_journal_state);

  if (G_UNLIKELY (state == TL_JOURNAL_UNDECIDED))
    return tl_journal_decide ();
  return state == TL_JOURNAL_ON;
}

/* Sends @record to the journal with torchlog's fields; FALSE when the
 * journal could not be reached, so the line goes on to stderr. Call it
 * only when tl_journal_is_on(). */
gboolean tl_journal_write (const TlRecord *record);

G_END_DECLS
