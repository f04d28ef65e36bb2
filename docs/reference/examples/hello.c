/* The smallest torchlog program: PyTorch's registrations, torchlog's
 * macros, and TORCH_LOGS to steer them. */
#define TL_LOG_DOMAIN "torch._dynamo"
#include <torchlog/torchlog.h>

int
main (void)
{
  TlRegistry *registry = tl_registry_get_default ();

  tl_registry_add_pytorch_registrations (registry);
  tl_registry_install_writer (registry);   /* an application does this once */
  tl_registry_init_logs (registry, NULL);  /* reads TORCH_LOGS */

  tl_debug ("tracing %s", "forward");       /* TORCH_LOGS=+dynamo */
  tl_info ("compiled %d frames", 1);        /* TORCH_LOGS=dynamo */
  tl_artifact ("guards", TL_LEVEL_DEBUG,    /* TORCH_LOGS=guards */
               "GUARDS:\n  x.size()[0] == 4");
  tl_warning ("shown by default");          /* WARNING passes by default */
  return 0;
}
