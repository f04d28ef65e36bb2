/* tl-refcount-private.h: reference counts ThreadSanitizer can see
 *
 * GLib's gatomicrefcount functions are compiled into GLib, without
 * ThreadSanitizer's instrumentation, so it cannot see that the last
 * holder of a plan or an output is done with it before another thread
 * frees it. These are the same counts as compiler atomics in our code.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

static inline void
tl_ref_init (gatomicrefcount *ref)
{
  __atomic_store_n (ref, 1, __ATOMIC_RELAXED);
}

static inline void
tl_ref_inc (gatomicrefcount *ref)
{
  __atomic_fetch_add (ref, 1, __ATOMIC_RELAXED);
}

/* TRUE when the count drops to zero: the caller frees. */
static inline gboolean
tl_ref_dec (gatomicrefcount *ref)
{
  return __atomic_fetch_sub (ref, 1, __ATOMIC_ACQ_REL) == 1;
}
