/* tl-sink.c: the sinks a formatted record goes through, composed in one
 * place
 *
 * As g_log_writer_default() chains independent writers (the filter, the
 * journal, the standard streams), the record goes through leaves that
 * share one shape, know nothing of each other and never call back into
 * the registry: the writers attached to the plan (captures), which may
 * keep the record from the outputs; the rank filter (TORCH_LOGS_RANKS);
 * the journal, which replaces stderr but not TORCH_LOGS_OUT; the outputs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tl-sink-private.h"

void
tl_sink_dispatch (const TlPlan   *plan,
               TlThreadState  *state,
               const TlRecord *record,
               const char     *line,
               gsize           len,
               gboolean        keep)
{
  gboolean quiet = FALSE;

  /* Attached writers see every record the configuration lets through,
   * as torch's test harness counts records at its handlers, before any
   * output filter. */
  for (guint i = 0; i < plan->attached->len; i++)
    {
      const TlAttached *entry = &g_array_index (plan->attached, TlAttached, i);
      quiet |= entry->func (record, line, len, entry->data);
    }
  if (quiet || !keep)
    return;
  if (!tl_rank_filter_keeps (record->rank))
    return;
  if (tl_journal_is_on () && tl_journal_write (record))
    {
      tl_output_write_file (plan->output, line, len);
      return;
    }
  tl_output_write_line (plan->output, state, record->time_us, line, len);
}
