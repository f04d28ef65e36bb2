/* A GLib program that keeps its g_debug () calls and gains TORCH_LOGS. */
#define G_LOG_DOMAIN "myapp.network"
/* Without it, g_debug() is a plain g_log() call that carries no file or
 * line, and the record's prefix says `<unknown>:0]`. */
#define G_LOG_USE_STRUCTURED 1
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
  g_debug ("connecting to %s", "example.org");
  /* Printed by default: WARNING passes the default level. */
  g_warning ("retrying in %d s", 2);
  return 0;
}
