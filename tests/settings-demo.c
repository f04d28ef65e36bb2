/* settings-demo.c: a long-running program bound to torchlog's settings,
 * for test-settings-live.sh
 *
 * Usage: settings-demo APP-ID [SECONDS]
 *
 * Registers PyTorch's logs, installs torchlog's writer, reads TORCH_LOGS,
 * binds the registry to APP-ID's settings and then, every 50 ms, logs one
 * record per level from the `torch._dynamo` domain and one `guards`
 * artifact record, from a worker thread (the main thread only runs the
 * main loop that receives the changes):
 *
 *   V… settings-demo.c:NN] tick 7 debug
 *   I… settings-demo.c:NN] tick 7 info
 *   …
 *
 * Prints `ready` on stdout once bound. Exits on SIGTERM or SIGINT, or after
 * SECONDS (default 60) so that a failed test never leaves it behind.
 * SETTINGS_DEMO_INTERVAL_US changes the 50 ms between ticks (the latency
 * benchmark, scripts/bench-settings-latency.sh, ticks every 0.5 ms).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define TL_LOG_DOMAIN "torch._dynamo"
#include <torchlog/torchlog.h>

#include <stdio.h>
#include <stdlib.h>
#include <glib-unix.h>

static int stop;
static gulong interval_us = 50 * 1000;

static gpointer
ticker (gpointer data)
{
  for (int tick = 0; !g_atomic_int_get (&stop); tick++)
    {
      tl_debug ("tick %d debug", tick);
      tl_info ("tick %d info", tick);
      tl_warning ("tick %d warning", tick);
      tl_error ("tick %d error", tick);
      tl_artifact ("guards", TL_LEVEL_DEBUG, "tick %d guards", tick);
      g_usleep (interval_us);
    }
  return NULL;
}

static gboolean
quit (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  TlRegistry *registry = tl_registry_get_default ();
  GThread *thread;
  guint seconds = 60;

  if (argc < 2 || argc > 3)
    {
      fprintf (stderr, "Usage: %s APP-ID [SECONDS]\n", argv[0]);
      return 2;
    }
  if (argc == 3)
    seconds = (guint) strtoul (argv[2], NULL, 10);
  if (g_getenv ("SETTINGS_DEMO_INTERVAL_US") != NULL)
    interval_us = strtoul (g_getenv ("SETTINGS_DEMO_INTERVAL_US"), NULL, 10);

  loop = g_main_loop_new (NULL, FALSE);
  tl_registry_add_pytorch_registrations (registry);
  tl_registry_install_writer (registry);
  /* An invalid TORCH_LOGS is reported by init_logs itself. */
  tl_registry_init_logs (registry, NULL);
  if (!tl_registry_bind_settings_for_app (registry, argv[1], &error))
    {
      fprintf (stderr, "settings-demo: %s\n", error->message);
      return 1;
    }

  g_unix_signal_add (SIGTERM, quit, loop);
  g_unix_signal_add (SIGINT, quit, loop);
  g_timeout_add_seconds (seconds, quit, loop);

  thread = g_thread_new ("ticker", ticker, NULL);
  printf ("ready\n");
  fflush (stdout);
  g_main_loop_run (loop);

  g_atomic_int_set (&stop, 1);
  g_thread_join (thread);
  tl_registry_unbind_settings (registry);
  return 0;
}
