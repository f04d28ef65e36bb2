/* tl-domain-callsite-private.h: call sites for domains known at run time
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "torchlog.h"

G_BEGIN_DECLS

/* The one call site of @domain (without artifact), made on first use and
 * kept for the life of the process. The writer caches decisions by call
 * site address, so a call site must never be freed and reused for
 * another domain: code that logs to a domain chosen at run time (step
 * loggers, tl_warning_once_full()) shares these. */
TlCallsite *tl_domain_callsite (const char *domain);

G_END_DECLS
