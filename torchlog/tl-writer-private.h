/* tl-writer-private.h: the writer: records to formatted lines to sinks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tl-plan-private.h"

G_BEGIN_DECLS

/* The plan slot of the registry whose writer is installed as GLib's
 * (tl_registry_install_writer()), or NULL. */
extern TlPlanSlot *tl_writer_installed_slot;

void             tl_writer_install      (TlPlanSlot      *slot);

/* The current plan of @slot, as the calling thread holds it
 * (transfer full). */
TlPlan          *tl_writer_dup_plan     (TlPlanSlot      *slot);

/* A GLib record: decided and printed, or handed to
 * g_log_writer_default() when no registered log covers its domain. One
 * with a TORCHLOG_DECIDED field was decided by its caller (Python's
 * logging, with its own levels): no level filter, and printed even when
 * no registered log covers its domain. */
GLogWriterOutput tl_writer_write_fields (TlPlanSlot      *slot,
                                         GLogLevelFlags   log_level,
                                         const GLogField *fields,
                                         gsize            n_fields);

/* A record of the logging macros, printed without building fields or
 * going through GLib; @key is the call site, which stands for @domain
 * in the thread's cache. Returns FALSE, with @args untouched, when no
 * registered log covers @domain: the record is then GLib's. */
gboolean         tl_writer_log_valist   (TlPlanSlot      *slot,
                                         const void      *key,
                                         const char      *domain,
                                         const char      *artifact,
                                         TlLevel          level,
                                         const char      *file,
                                         const char      *line,
                                         const char      *func,
                                         const char      *format,
                                         va_list          args) G_GNUC_PRINTF (9, 0);

/* torchlog's own warnings, as records of the `torchlog` logger: through
 * the same format and sinks as every record, and never fatal. */
void             tl_writer_emit_internal (TlPlan         *plan,
                                          TlLevel         level,
                                          const char     *message);

G_END_DECLS
