/* tl-sink-private.h: where the writer hands a formatted record
 *
 * The common case (no capture, no rank filter, no journal) is one relaxed
 * load and tl_output_write(); everything else sits behind tl_sink_special
 * in tl-sink.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "torchlog.h"
#include "tl-output-private.h"

G_BEGIN_DECLS

/* Bits of tl_sink_special: while any is set, records take the slow path. */
enum {
  TL_SINK_UNDECIDED   = 1 << 0,  /* the environment was not read yet */
  TL_SINK_CAPTURE     = 1 << 1,  /* a TlCapture is active */
  TL_SINK_RANK_FILTER = 1 << 2,  /* TORCH_LOGS_RANKS is set */
  TL_SINK_JOURNAL     = 1 << 3,  /* records go to the journal */
};

extern int tl_sink_special;

void tl_sink_set_flag (int      flag,
                       gboolean on);

/* The slow path of tl_sink_write(). */
void tl_sink_dispatch (TlRegistry      *registry,
                       TlOutput        *output,
                       TlThreadState   *state,
                       const TlRecord  *record,
                       const GLogField *fields,
                       gsize            n_fields,
                       const char      *text,
                       gsize            len,
                       gboolean         keep);

/* Whether records take the slow path (a capture, a filter, the journal). */
static inline gboolean
tl_sink_is_special (void)
{
  return __atomic_load_n (&tl_sink_special, __ATOMIC_RELAXED) != 0;
}

/* Hands one record, formatted as @text, to its outputs. @keep is FALSE
 * when the text is not to be printed (TORCH_LOGS_TRACE_ID_FILTER) but a
 * capture may still count it. @fields (NULL for the macros' records) are
 * the record's GLib fields, passed on to the journal. */
static inline void
tl_sink_write (TlRegistry      *registry,
               TlOutput        *output,
               TlThreadState   *state,
               const TlRecord  *record,
               const GLogField *fields,
               gsize            n_fields,
               const char      *text,
               gsize            len,
               gboolean         keep)
{
  if (G_LIKELY (!tl_sink_is_special ()))
    {
      if (keep)
        tl_output_write_line (output, state, record->time_us, text, len);
      return;
    }
  tl_sink_dispatch (registry, output, state, record, fields, n_fields, text, len, keep);
}

/* tl-sink-journal.c */
gboolean tl_sink_journal_decide (void);
gboolean tl_sink_journal_send   (TlRegistry      *registry,
                                 const TlRecord  *record,
                                 const GLogField *fields,
                                 gsize            n_fields);

/* tl-capture.c: TRUE when a quiet capture took the record. */
gboolean tl_capture_take        (TlRegistry      *registry,
                                 const TlRecord  *record,
                                 const GLogField *fields,
                                 gsize            n_fields,
                                 const char      *text,
                                 gsize            len);

/* The TORCHLOG_COMPONENT of @fields or, for records without one (plain
 * g_log() calls), the log that owns the record's domain; "" if none. */
char    *tl_sink_dup_component  (TlRegistry      *registry,
                                 const TlRecord  *record,
                                 const GLogField *fields,
                                 gsize            n_fields);

G_END_DECLS
