/* tl-compile-context-private.h: the writer's view of the compile context
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "torchlog.h"

G_BEGIN_DECLS

/* The calling thread's current trace id (`0/0`), or NULL. Valid until the
 * thread pops or changes its context; only a thread-local read. */
const char *tl_compile_context_peek_trace_id (void);

G_END_DECLS
