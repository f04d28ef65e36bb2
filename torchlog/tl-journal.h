/* tl-journal.h: sending records to the systemd journal with their fields
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
 * TlJournalMode:
 * @TL_JOURNAL_MODE_AUTO: send records to the journal when stderr is
 *   connected to it, as it is for systemd services (the default)
 * @TL_JOURNAL_MODE_ALWAYS: send records to the journal instead of stderr
 * @TL_JOURNAL_MODE_NEVER: always write text lines on stderr
 *
 * Where torchlog's writer sends the records it prints.
 *
 * Since: 0.1
 */
typedef enum {
  TL_JOURNAL_MODE_AUTO,
  TL_JOURNAL_MODE_ALWAYS,
  TL_JOURNAL_MODE_NEVER,
} TlJournalMode;

TL_AVAILABLE_IN_ALL
void           tl_journal_set_mode  (TlJournalMode mode);
TL_AVAILABLE_IN_ALL
TlJournalMode  tl_journal_get_mode  (void);
TL_AVAILABLE_IN_ALL
gboolean       tl_journal_is_active (void);

G_END_DECLS
