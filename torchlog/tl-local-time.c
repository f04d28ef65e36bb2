/* tl-local-time.c: local time for log prefixes, safe across fork()
 *
 * glibc's localtime_r() holds a process-wide lock (tzset_lock) while it
 * converts, and fork() does not reset that lock in the child. A child
 * forked while one of our logging threads was inside localtime_r() hung
 * forever in its first log line (seen in test-fork on a loaded machine:
 * 1 run in 32). Every call torchlog makes goes through this file, under a
 * lock that tl-fork.c takes last before fork(): no torchlog thread is
 * then inside localtime_r() when the process is copied.
 *
 * The lock is taken only when a line's prefix needs a new second (the
 * per-thread date cache of tl-thread-state.c) or for a %(asctime)s
 * format, never on the disabled path; localtime_r() takes glibc's global
 * lock there anyway.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tl-local-time-private.h"

#include <pthread.h>

/* A POSIX mutex, which ThreadSanitizer can see (GMutex is a raw futex). */
static pthread_mutex_t time_lock = PTHREAD_MUTEX_INITIALIZER;

gboolean
tl_local_time (gint64     seconds,
               struct tm *tm)
{
  time_t t = (time_t) seconds;
  gboolean ok;

  pthread_mutex_lock (&time_lock);
  ok = localtime_r (&t, tm) != NULL;
  pthread_mutex_unlock (&time_lock);
  return ok;
}

void
tl_local_time_fork_prepare (void)
{
  pthread_mutex_lock (&time_lock);
}

/* In the parent and in the child: the forking thread owns the lock on
 * both sides (a default POSIX mutex may be unlocked by the child's copy
 * of that thread). */
void
tl_local_time_fork_release (void)
{
  pthread_mutex_unlock (&time_lock);
}
