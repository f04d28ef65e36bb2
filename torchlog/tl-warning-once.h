/* tl-warning-once.h: a warning printed once per domain and message
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__TORCHLOG_INSIDE__) && !defined(TORCHLOG_COMPILATION)
#error "Only <torchlog/torchlog.h> can be included directly."
#endif

#include <glib.h>
#include "tl-version-macros.h"
#include "tl-log.h"

G_BEGIN_DECLS

TL_AVAILABLE_IN_ALL
void     tl_callsite_log_once (TlCallsite *callsite,
                               TlLevel     level,
                               const char *file,
                               const char *line,
                               const char *func,
                               const char *format,
                               ...) G_GNUC_PRINTF (6, 7);
TL_AVAILABLE_IN_ALL
gboolean tl_warning_once_full (const char *domain,
                               const char *file,
                               int         line,
                               const char *func,
                               const char *message);

/**
 * tl_warning_once:
 * @...: a printf()-style format string, then its arguments
 *
 * torch's `warning_once`: logs a warning to %TL_LOG_DOMAIN the first
 * time this domain logs this exact message in the process, and never
 * again. Another domain, or other arguments giving another message, warn
 * again. As with tl_warning(), nothing is evaluated while warnings of the
 * domain are off; unlike torch, a message is only remembered once it was
 * printed, so a warning suppressed by the configuration still appears
 * once it is allowed.
 *
 * Since: 0.1
 */
#define tl_warning_once(...) G_STMT_START {                                   \
    static TlCallsite _tl_callsite = { TL_LOG_DOMAIN, NULL, 0 };              \
    if (G_UNLIKELY (tl_callsite_enabled (&_tl_callsite, TL_LEVEL_WARNING)))   \
      tl_callsite_log_once (&_tl_callsite, TL_LEVEL_WARNING, __FILE__,        \
                            G_STRINGIFY (__LINE__), G_STRFUNC, __VA_ARGS__);  \
  } G_STMT_END

G_END_DECLS
