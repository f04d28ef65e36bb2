/* A program an operator can steer while it runs:
 *   torchlog set --app org.example.App '+dynamo'
 * Changes arrive through the main loop. */
#define TL_LOG_DOMAIN "torch._dynamo"
#include <torchlog/torchlog.h>

static guint ticks, n_ticks = 10;

static gboolean
tick (gpointer loop)
{
  tl_debug ("tick %u", ticks);       /* shown while dynamo is at DEBUG */
  if (++ticks < n_ticks)
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  TlRegistry *registry = tl_registry_get_default ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;

  if (argc > 1)
    n_ticks = (guint) g_ascii_strtoull (argv[1], NULL, 10);

  tl_registry_add_pytorch_registrations (registry);
  tl_registry_install_writer (registry);
  tl_registry_init_logs (registry, NULL);      /* TORCH_LOGS wins at start-up */
  if (!tl_registry_bind_settings_for_app (registry, "org.example.App", &error))
    g_printerr ("No runtime control: %s\n", error->message);

  g_timeout_add (100, tick, loop);
  g_main_loop_run (loop);
  return 0;
}
