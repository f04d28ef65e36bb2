/* A GLib program that keeps its g_debug () calls and gains TORCH_LOGS. */
#include <torchlog/torchlog.h>

static const char registrations[] =
  "[log network]\n"
  "domains=myapp.network\n"
  "description=Sockets and HTTP requests\n";

int
main (void)
{
  TlRegistry *registry = tl_registry_get_default ();
  g_autoptr(GError) error = NULL;

  if (!tl_registry_load_registrations_from_data (registry, registrations, -1, &error))
    g_error ("%s", error->message);
  tl_registry_install_writer (registry);
  /* An invalid TORCH_LOGS is reported on stderr and the defaults kept. */
  tl_registry_init_logs (registry, NULL);

  /* Printed with TORCH_LOGS=+network, silent by default. */
  g_log ("myapp.network", G_LOG_LEVEL_DEBUG, "connecting to %s", "example.org");
  /* Printed by default: WARNING passes the default level. */
  g_log ("myapp.network", G_LOG_LEVEL_WARNING, "retrying in %d s", 2);
  return 0;
}
