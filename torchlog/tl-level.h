/* tl-level.h: TlLevel, torch's (Python's) numeric log levels
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__TORCHLOG_INSIDE__) && !defined(TORCHLOG_COMPILATION)
#error "Only <torchlog/torchlog.h> can be included directly."
#endif

#include <glib.h>
#include "tl-version-macros.h"

G_BEGIN_DECLS

/**
 * TlLevel:
 * @TL_LEVEL_NOTSET: no level of its own: the logger inherits its parent's
 * @TL_LEVEL_DEBUG: detailed diagnostics (`+name` in `TORCH_LOGS`)
 * @TL_LEVEL_INFO: informational messages (a bare `name` in `TORCH_LOGS`)
 * @TL_LEVEL_WARNING: warnings; the default level of every component
 * @TL_LEVEL_ERROR: errors (`-name` in `TORCH_LOGS`)
 * @TL_LEVEL_CRITICAL: critical errors
 *
 * The levels of torch._logging, with Python's `logging` numbers, so that
 * `set_logs (dynamo=logging.DEBUG)` means the same thing in every language.
 *
 * Since: 0.1
 */
typedef enum {
  TL_LEVEL_NOTSET   = 0,
  TL_LEVEL_DEBUG    = 10,
  TL_LEVEL_INFO     = 20,
  TL_LEVEL_WARNING  = 30,
  TL_LEVEL_ERROR    = 40,
  TL_LEVEL_CRITICAL = 50,
} TlLevel;

TL_AVAILABLE_IN_ALL
gboolean        tl_level_is_valid          (int            value);
TL_AVAILABLE_IN_ALL
const char     *tl_level_to_name           (TlLevel        level);
TL_AVAILABLE_IN_ALL
char            tl_level_to_letter         (TlLevel        level);
TL_AVAILABLE_IN_ALL
TlLevel         tl_level_from_glib         (GLogLevelFlags log_level);
TL_AVAILABLE_IN_ALL
GLogLevelFlags  tl_level_to_glib           (TlLevel        level);
TL_AVAILABLE_IN_ALL
const char     *tl_level_to_priority       (TlLevel        level);
TL_AVAILABLE_IN_ALL
TlLevel         tl_level_from_priority     (const char    *priority);

G_END_DECLS
