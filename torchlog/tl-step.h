/* tl-step.h: numbered phases ("Step 1: …") and the optional progress bar
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__TORCHLOG_INSIDE__) && !defined(TORCHLOG_COMPILATION)
#error "Only <torchlog/torchlog.h> can be included directly."
#endif

#include <glib-object.h>
#include "tl-version-macros.h"
#include "tl-level.h"

G_BEGIN_DECLS

/**
 * TlStepLogger:
 *
 * A phase of a program's work with its step number, as made by torch's
 * `get_step_logger`. Opaque.
 *
 * Since: 0.1
 */
typedef struct _TlStepLogger TlStepLogger;

#define TL_TYPE_STEP_LOGGER (tl_step_logger_get_type ())
TL_AVAILABLE_IN_ALL
GType          tl_step_logger_get_type   (void) G_GNUC_CONST;
TL_AVAILABLE_IN_ALL
TlStepLogger  *tl_step_logger_new        (const char   *domain);
TL_AVAILABLE_IN_ALL
TlStepLogger  *tl_step_logger_ref        (TlStepLogger *logger);
TL_AVAILABLE_IN_ALL
void           tl_step_logger_unref      (TlStepLogger *logger);
TL_AVAILABLE_IN_ALL
guint          tl_step_logger_get_step   (TlStepLogger *logger);
TL_AVAILABLE_IN_ALL
const char    *tl_step_logger_get_domain (TlStepLogger *logger);
TL_AVAILABLE_IN_ALL
void           tl_step_logger_log_full   (TlStepLogger *logger,
                                          TlLevel       level,
                                          const char   *file,
                                          const char   *line,
                                          const char   *func,
                                          const char   *format,
                                          ...) G_GNUC_PRINTF (6, 7);
TL_AVAILABLE_IN_ALL
void           tl_step_logger_log_message (TlStepLogger *logger,
                                          TlLevel       level,
                                          const char   *file,
                                          int           line,
                                          const char   *func,
                                          const char   *message);

/**
 * tl_step_log:
 * @logger: a #TlStepLogger
 * @level: a #TlLevel
 * @...: a printf()-style format string, then its arguments
 *
 * Logs `Step N: message` to @logger's domain, with the caller's file and
 * line. Nothing is formatted when the record is off.
 *
 * Since: 0.1
 */
#define tl_step_log(logger, level, ...) \
  tl_step_logger_log_full ((logger), (level), __FILE__, G_STRINGIFY (__LINE__), \
                           G_STRFUNC, __VA_ARGS__)

TL_AVAILABLE_IN_ALL
void           tl_progress_enable        (const char   *title,
                                          guint         n_steps);
TL_AVAILABLE_IN_ALL
void           tl_progress_disable       (void);
TL_AVAILABLE_IN_ALL
gboolean       tl_progress_is_enabled    (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlStepLogger, tl_step_logger_unref)

G_END_DECLS
