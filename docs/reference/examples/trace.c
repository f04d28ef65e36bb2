/* A structured trace that tlparse reads (TORCH_TRACE=DIR), and the compile
 * context that tags text and trace records with the compilation. */
#define TL_LOG_DOMAIN "torch._dynamo"
#include <torchlog/torchlog.h>

/* Called only while tracing: the payload costs nothing otherwise. */
static char *
graph_payload (gpointer user_data)
{
  return g_strdup_printf ("def forward(self, x):\n    return x * %d",
                          GPOINTER_TO_INT (user_data));
}

int
main (void)
{
  TlRegistry *registry = tl_registry_get_default ();
  TlCompileId id = { -1, 0, 0 };   /* frame 0, its first compilation: [0/0] */

  tl_registry_add_pytorch_registrations (registry);
  tl_registry_install_writer (registry);
  tl_registry_init_logs (registry, NULL);

  {
    g_autoptr(TlCompileContext) context = tl_compile_context_push (&id);
    g_autoptr(JsonBuilder) builder = json_builder_new ();
    g_autoptr(JsonNode) metadata = NULL;

    /* With TORCH_LOGS=dynamo: "I… trace.c:…] [0/0] compiling forward" */
    tl_info ("compiling forward");

    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "nodes");
    json_builder_add_int_value (builder, 3);
    json_builder_end_object (builder);
    metadata = json_builder_get_root (builder);
    tl_trace_structured ("dynamo_output_graph", metadata, graph_payload,
                         GINT_TO_POINTER (2));
  }   /* the context is popped here */

  if (tl_trace_is_enabled ())
    {
      g_autofree char *path = tl_trace_dup_path ();
      g_print ("tlparse %s\n", path);
    }
  return 0;
}
