/* tl-once.c: one-time initialisation that a fork() restarts
 *
 * GLib's g_once_init_enter() keeps the locations being initialised in a
 * global list under a global mutex that fork() does not reset, so a
 * child forked while another thread was initialising waits for a thread
 * it does not have, forever. glibc's pthread_once() knows about fork, but
 * ThreadSanitizer replaces it with its own, which does not (and neither
 * does musl's). So the library keeps its own: a state word, and a fork
 * generation that the child handler (tl-fork.c) advances. A state that
 * says "running in generation g" seen in generation g + 1 was left by a
 * thread the child does not have, and the initialisation runs again.
 *
 * Waiting is a yield loop: every initialisation it guards is short (read
 * the environment, create the default registry), and a lock would be one
 * more thing a fork could catch held.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <sched.h>

#include "tl-once-private.h"

#define TL_ONCE_DONE 1   /* otherwise 0 (never run) or 2 × the generation running it */

static gint fork_generation = 1;

void
tl_once_fork_child (void)
{
  g_atomic_int_inc (&fork_generation);
}

void
tl_once (TlOnce *once, void (*init) (void))
{
  for (;;)
    {
      gint state = g_atomic_int_get (&once->state);
      gint running;

      if (G_LIKELY (state == TL_ONCE_DONE))
        return;
      running = (gint) (((guint) g_atomic_int_get (&fork_generation) * 2u) & (guint) G_MAXINT);
      if (running <= TL_ONCE_DONE)
        running = TL_ONCE_DONE + 1;   /* the generation counter wrapped: still "running" */
      if (state != running)
        {
          /* Never run, or left running by the parent of this process. */
          if (g_atomic_int_compare_and_exchange (&once->state, state, running))
            {
              init ();
              g_atomic_int_set (&once->state, TL_ONCE_DONE);
              return;
            }
          continue;
        }
      sched_yield ();   /* another thread of this process is running it */
    }
}
