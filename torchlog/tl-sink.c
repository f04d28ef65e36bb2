/* tl-sink.c: the writer's slow path: captures, the rank filter, the journal
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tl-sink-private.h"
#include "tl-registry-private.h"
#include "tl-rank-private.h"

/* Starts undecided, so the first record reads the environment
 * (TORCH_LOGS_RANKS, TORCHLOG_JOURNAL, whether stderr is the journal). */
int tl_sink_special = TL_SINK_UNDECIDED;

void
tl_sink_set_flag (int      flag,
                  gboolean on)
{
  if (on)
    __atomic_fetch_or (&tl_sink_special, flag, __ATOMIC_RELAXED);
  else
    __atomic_fetch_and (&tl_sink_special, ~flag, __ATOMIC_RELAXED);
}

static void
decide (void)
{
  static gsize decided;

  if (g_once_init_enter (&decided))
    {
      /* Each sets its own flag when it is active. */
      tl_rank_filter_keeps (0);
      tl_sink_journal_decide ();
      tl_sink_set_flag (TL_SINK_UNDECIDED, FALSE);
      g_once_init_leave (&decided, 1);
    }
}

char *
tl_sink_dup_component (TlRegistry      *registry,
                       const TlRecord  *record,
                       const GLogField *fields,
                       gsize            n_fields)
{
  const char *owner;
  char *result;

  for (gsize i = 0; i < n_fields; i++)
    if (fields[i].length < 0 && g_str_equal (fields[i].key, "TORCHLOG_COMPONENT") &&
        ((const char *) fields[i].value)[0] != '\0')
      return g_strdup (fields[i].value);

  if (registry == NULL || record->logger_name == NULL)
    return g_strdup ("");
  g_rw_lock_reader_lock (&registry->lock);
  owner = tl_registry_owner_locked (registry, record->logger_name);
  result = g_strdup (owner ? owner : "");
  g_rw_lock_reader_unlock (&registry->lock);
  return result;
}

void
tl_sink_dispatch (TlRegistry      *registry,
                  TlOutput        *output,
                  TlThreadState   *state,
                  const TlRecord  *record,
                  const GLogField *fields,
                  gsize            n_fields,
                  const char      *text,
                  gsize            len,
                  gboolean         keep)
{
  int special;

  decide ();
  special = __atomic_load_n (&tl_sink_special, __ATOMIC_RELAXED);

  /* A capture sees every record the configuration lets through, as
   * torch's test harness counts records at its handlers, before any
   * output filter. */
  if ((special & TL_SINK_CAPTURE) &&
      tl_capture_take (registry, record, fields, n_fields, text, len))
    return;
  if (!keep)
    return;
  if ((special & TL_SINK_RANK_FILTER) && !tl_rank_filter_keeps (record->rank))
    return;
  if ((special & TL_SINK_JOURNAL) &&
      tl_sink_journal_send (registry, record, fields, n_fields))
    {
      /* The journal replaces stderr, not TORCH_LOGS_OUT. */
      tl_output_write_file (output, text, len);
      return;
    }
  tl_output_write_line (output, state, record->time_us, text, len);
}
