/* tl-environment-private.h: every environment variable torchlog reads
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tl-output-private.h"

G_BEGIN_DECLS

/* Each returns the variable's value, or NULL when it is unset or empty
 * (an empty variable means unset, as torch treats TORCH_LOGS=""). */
const char *tl_environment_logs            (const char *env_var);   /* TORCH_LOGS */
const char *tl_environment_logs_out        (void);                  /* TORCH_LOGS_OUT */
const char *tl_environment_logs_format     (void);                  /* TORCH_LOGS_FORMAT */
const char *tl_environment_rank            (void);                  /* RANK */
const char *tl_environment_rank_filter     (void);                  /* TORCH_LOGS_RANKS */
const char *tl_environment_journal         (void);                  /* TORCHLOG_JOURNAL */
const char *tl_environment_trace_dir       (void);                  /* TORCH_TRACE */
const char *tl_environment_dtrace_dir      (void);                  /* TORCH_DTRACE */

/* The outputs TORCH_LOGS_OUT, TORCH_LOGS_FORMAT and
 * TORCH_LOGS_TRACE_ID_FILTER ask for. A file that cannot be opened or a
 * format that is not valid is reported once on stderr and left out. */
TlOutput   *tl_environment_dup_output      (void);


G_END_DECLS
