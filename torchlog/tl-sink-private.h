/* tl-sink-private.h: where the writer hands a formatted record
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tl-plan-private.h"
#include "tl-journal-private.h"
#include "tl-rank-private.h"

G_BEGIN_DECLS

/* The chain behind tl_sink_write(), for a plan with more than outputs. */
void tl_sink_dispatch (const TlPlan    *plan,
                       TlThreadState   *state,
                       const TlRecord  *record,
                       const char      *line,
                       gsize            len,
                       gboolean         keep);

/* Whether a sink other than the outputs is on: attached writers or the
 * journal read the record's message and component, so the writer must
 * fill them in. */
static inline gboolean
tl_sink_reads_records (const TlPlan *plan)
{
  return plan->attached->len > 0 || tl_journal_is_on ();
}

/* Hands @record, formatted as @line, to the sinks @plan has, in order:
 * the attached writers (captures), the rank filter, the journal, then
 * stderr and TORCH_LOGS_OUT (tl-sink.c). @keep is FALSE when the line is
 * not to be printed (TORCH_LOGS_TRACE_ID_FILTER) but an attached writer
 * still sees the record. Inline for the common case: outputs only. */
static inline void
tl_sink_write (const TlPlan    *plan,
               TlThreadState   *state,
               const TlRecord  *record,
               const char      *line,
               gsize            len,
               gboolean         keep)
{
  if (G_LIKELY (!tl_sink_reads_records (plan) && !tl_rank_filter_is_on ()))
    {
      if (keep)
        tl_output_write_line (plan->output, state, record->time_us, line, len);
      return;
    }
  tl_sink_dispatch (plan, state, record, line, len, keep);
}

G_END_DECLS
