/* tl-help-private.h: texts for people, from the registered names
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tl-names-private.h"
#include "tl-config-private.h"

G_BEGIN_DECLS

/* torch's help_message(): `help` (visible artifacts) or `+help`. */
char *tl_help_message          (const TlNames   *names,
                                gboolean         verbose);
/* torch's ValueError for an invalid settings string; @pending_logs
 * (nullable) are names the failed parse would have registered as logs. */
char *tl_help_invalid_settings (const TlNames   *names,
                                const char      *settings,
                                const GPtrArray *pending_logs);
/* tl_registry_explain(): each log's effective level and what set it. */
char *tl_help_explain          (const TlNames   *names,
                                const TlConfig  *config);

G_END_DECLS
