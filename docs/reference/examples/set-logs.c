/* torch's set_logs (dynamo=logging.DEBUG, graph_code=True) in C. */
#define TL_LOG_DOMAIN "torch._dynamo"
#include <torchlog/torchlog.h>

int
main (void)
{
  TlRegistry *registry = tl_registry_get_default ();
  g_autoptr(GError) error = NULL;

  tl_registry_add_pytorch_registrations (registry);
  tl_registry_install_writer (registry);

  /* Name/value pairs ending with NULL: levels for components, booleans
   * for artifacts, dotted module names for anything else. */
  if (!tl_registry_set_logs (registry, &error,
                             "dynamo", TL_LEVEL_DEBUG,
                             "graph_code", TRUE,
                             "unregistered.module.name", TL_LEVEL_DEBUG,
                             NULL))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  tl_debug ("dynamo is at DEBUG");
  tl_artifact ("graph_code", TL_LEVEL_DEBUG, "def forward(self, x):\n    return x + 1");
  return 0;
}
