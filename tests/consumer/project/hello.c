/* A program outside torchlog's tree that uses it through meson. */
#define TL_LOG_DOMAIN "hello"
#include <torchlog/torchlog.h>

int
main (void)
{
  TlRegistry *registry = tl_registry_get_default ();

  tl_registry_register_log (registry, "hello", NULL, "the hello program");
  g_print ("hello: torchlog %s, component %s\n", TL_VERSION_S,
           tl_component_get_name (tl_registry_lookup_component (registry, "hello")));
  return 0;
}
