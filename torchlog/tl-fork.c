/* tl-fork.c: the library's one set of fork() handlers, and their lock order
 *
 * A child of a threaded process inherits every lock in the state it had at
 * the fork, and a lock held by a thread the child does not have is held
 * forever. So before fork() the forking thread takes every lock torchlog
 * has, and both sides release them after (the child restarts the ones
 * glibc lets only their owner release).
 *
 * The handlers used to be installed by each file, lazily, and
 * pthread_atfork() runs prepare handlers in the reverse order of their
 * installation: the order in which the locks were taken then depended on
 * which file a program happened to use first. One triple, installed when
 * the library is loaded, takes them in the order the library nests them
 * everywhere else, outermost first:
 *
 *   1. the registries (their list, plan slots and locks: tl-registry.c);
 *   2. the trace file (tl-trace-file.c), which writes warnings through
 *      the outputs while it holds its lock;
 *   3. the outputs (their list, each file's locks, the flusher: tl-output.c);
 *   4. local time (tl-local-time.c), a leaf taken while formatting, even
 *      under the trace lock.
 *
 * Installing at load time also means every child knows it is one, even
 * of a parent that had not logged yet (the cached pid, the flusher).
 *
 * One-time initialisations. GLib's g_once_init_enter() keeps the
 * locations being initialised in a global list under a global mutex, and
 * no fork handler resets either: a child forked while another thread was
 * inside one (the first log call of a new thread, creating the default
 * registry) waits in its own first call for a thread that does not exist
 * there, forever. The library's lazy initialisations use tl_once()
 * (tl-once.c), which the child handler tells that a fork happened, so a
 * child runs an initialisation left half done again; or an atomic flag or
 * value where running twice is harmless; never GOnce (its GTypes are registered by the
 * thread that creates the first object, before any fork that matters).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tl-local-time-private.h"
#include "tl-once-private.h"
#include "tl-output-private.h"
#include "tl-registry-private.h"
#include "tl-thread-state-private.h"
#include "tl-trace-file-private.h"

#include <pthread.h>

#if !defined(__GNUC__)
#error "torchlog installs its fork handlers from a constructor (GCC or Clang)"
#endif

static void
fork_prepare (void)
{
  tl_registry_fork_prepare ();
  tl_trace_file_fork_prepare ();
  tl_output_fork_prepare ();
  tl_local_time_fork_prepare ();
}

static void
fork_parent (void)
{
  tl_local_time_fork_release ();
  tl_output_fork_parent ();
  tl_trace_file_fork_release ();
  tl_registry_fork_parent ();
}

static void
fork_child (void)
{
  tl_once_fork_child ();
  tl_thread_state_fork_child ();
  tl_local_time_fork_release ();
  tl_output_fork_child ();
  tl_trace_file_fork_release ();
  tl_registry_fork_child ();
}

/* Before any thread of the program can use the library. */
__attribute__ ((constructor)) static void
install_fork_handlers (void)
{
  pthread_atfork (fork_prepare, fork_parent, fork_child);
}
