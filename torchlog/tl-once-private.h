/* tl-once-private.h: one-time initialisation that a fork() restarts
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Zero-initialised: `static TlOnce once;`. */
typedef struct {
  gint state;
} TlOnce;

/* Runs @init once per process; a child forked while another thread of
 * the parent was running it runs it again. Other callers wait for it. */
void tl_once (TlOnce *once, void (*init) (void));

/* Called by tl-fork.c only. */
void tl_once_fork_child (void);

G_END_DECLS
