/* torchlog-demo.c: `torchlog demo`: a simulated torch.compile run that
 * logs through PyTorch's registrations, so a newcomer can watch
 * TORCH_LOGS at work
 *
 * The simulated program (shown by `torchlog demo --help`) compiles one
 * function, calls it with a new shape (a recompile with a dynamic size),
 * then with a new dtype (the recompile limit is hit), and compiles a
 * second function that graph-breaks. Every record goes out through
 * torchlog's macros from the torch module that logs it in PyTorch
 * (TL_LOG_DOMAIN is redefined per section below), with torch's artifacts,
 * levels and texts, so each TORCH_LOGS setting shows what it would show in
 * PyTorch. The output is deterministic apart from times and the pid.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "torchlog-tool-private.h"

/* What the demo shows when TORCH_LOGS is unset: dynamo's steps, the
 * traced graphs and their guards, in under 60 lines. */
#define DEMO_DEFAULT_SETTINGS "dynamo,guards,graph_code"

#define DEMO_FILE "/tmp/demo.py"
#define DEMO_SOURCE_LINE "return torch.sin(x) + 1"

/* One compilation of a frame: torch's compile id `frame/compile`. */
typedef struct {
  int         frame_id;
  int         compile_id;
  const char *function;
  int         first_line;   /* co_firstlineno: the decorator's line */
  int         size;         /* the input's length, or 0 when dynamic */
} DemoCompile;

/* The phases' step loggers, made at each phase's first use (whatever the
 * level), as torch's callers cache get_step_logger()'s result: dynamo's
 * tracing is step 1, the call of the backend step 2, Inductor step 3,
 * and a recompile keeps the numbers. */
static TlStepLogger *dynamo_step, *compiler_step, *inductor_step;

static TlStepLogger *
step_logger (TlStepLogger **phase,
             const char    *domain)
{
  if (*phase == NULL)
    *phase = tl_step_logger_new (domain);
  return *phase;
}

/* The tensor type torch prints in graphs: `f32[8][1]cpu`. */
static char *
tensor_type (const DemoCompile *compile)
{
  if (compile->size > 0)
    return g_strdup_printf ("f32[%d][1]cpu", compile->size);
  return g_strdup ("f32[s77][1]cpu");
}

/* ---- torch._dynamo.guards ------------------------------------------ */
#undef TL_LOG_DOMAIN
#define TL_LOG_DOMAIN "torch._dynamo.guards"

static void
log_recompile_reasons (const DemoCompile  *compile,
                       const char * const *reasons)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text, "Recompiling function %s in %s:%d\n"
                          "    triggered by the following guard failure(s):",
                          compile->function, DEMO_FILE, compile->first_line);
  for (gsize i = 0; reasons[i] != NULL; i++)
    g_string_append_printf (text, "\n    - %s", reasons[i]);
  tl_artifact ("recompiles", TL_LEVEL_DEBUG, "%s", text->str);
}

static void
log_guards (const DemoCompile *compile)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *size = g_strdup_printf ("%d", compile->size);
  const char *where = "  # " DEMO_SOURCE_LINE "  # demo.py:6 in forward";

  g_string_append (text,
                   "GUARDS:\n"
                   "\n"
                   "TREE_GUARD_MANAGER:\n"
                   "+- RootGuardManager\n"
                   "| +- GLOBAL_STATE: ___check_global_state()\n"
                   "| +- GuardManager: source=L['x'], accessed_by=FrameLocalsGuardAccessor(key='x', framelocals_idx=0)\n");
  g_string_append_printf (text,
                          "| | +- TENSOR_MATCH: check_tensor(L['x'], Tensor, DispatchKeySet(CPU, BackendSelect, "
                          "ADInplaceOrView, AutogradCPU), torch.float32, device=None, requires_grad=False, "
                          "size=[%s], stride=[1])%s\n"
                          "| | +- NO_HASATTR: hasattr(L['x'], '_dynamo_dynamic_indices') == False%s\n"
                          "| +- GuardManager: source=G['torch'], accessed_by=DictGetItemGuardAccessor('torch')\n"
                          "| | +- ID_MATCH: ___check_obj_id(G['torch'], 139851012839856)%s",
                          compile->size > 0 ? size : "None", where, where, where);
  /* A dynamic size is guarded by its range instead. */
  if (compile->size == 0)
    g_string_append_printf (text, "\n| +- LAMBDA_GUARD: 2 <= L['x'].size()[0]%s", where);
  tl_artifact ("guards", TL_LEVEL_DEBUG, "%s", text->str);
}

/* ---- torch._dynamo.convert_frame ----------------------------------- */
#undef TL_LOG_DOMAIN
#define TL_LOG_DOMAIN "torch._dynamo.convert_frame"

static void
log_start_tracing (const DemoCompile *compile)
{
  tl_step_log (step_logger (&dynamo_step, TL_LOG_DOMAIN), TL_LEVEL_INFO,
               "torchdynamo start tracing %s %s:%d",
               compile->function, DEMO_FILE, compile->first_line);
}

static void
log_done_tracing (const DemoCompile *compile)
{
  tl_step_log (step_logger (&dynamo_step, TL_LOG_DOMAIN), TL_LEVEL_INFO,
               "torchdynamo done tracing %s (RETURN_VALUE)", compile->function);
}

static void
log_bytecode (const DemoCompile *compile,
              const char        *compiled_fn)
{
  tl_artifact ("bytecode", TL_LEVEL_DEBUG,
               "ORIGINAL BYTECODE %s %s line %d \n"
               "  4           0 RESUME                   0\n"
               "\n"
               "  6           2 LOAD_GLOBAL              1 (NULL + torch)\n"
               "             14 LOAD_ATTR                1 (sin)\n"
               "             24 LOAD_FAST                0 (x)\n"
               "             26 PRECALL                  1\n"
               "             30 CALL                     1\n"
               "             40 LOAD_CONST               1 (1)\n"
               "             42 BINARY_OP                0 (+)\n"
               "             46 RETURN_VALUE\n",
               compile->function, DEMO_FILE, compile->first_line);
  tl_artifact ("bytecode", TL_LEVEL_DEBUG,
               "MODIFIED BYTECODE %s %s line %d \n"
               "  4           0 RESUME                   0\n"
               "              2 LOAD_GLOBAL              1 (NULL + %s)\n"
               "             14 LOAD_FAST                0 (x)\n"
               "             16 PRECALL                  1\n"
               "             20 CALL                     1\n"
               "             30 UNPACK_SEQUENCE          1\n"
               "             34 RETURN_VALUE\n",
               compile->function, DEMO_FILE, compile->first_line, compiled_fn);
}

static void
log_recompile_limit (const DemoCompile *compile,
                     const char        *last_reason)
{
  tl_warning ("torch._dynamo hit config.recompile_limit (2)\n"
              "   function: '%s' (%s:%d)\n"
              "   last reason: %s\n"
              "To log all recompilation reasons, use TORCH_LOGS=\"recompiles\".\n"
              "To diagnose recompilation issues, see "
              "https://pytorch.org/docs/main/torch.compiler_troubleshooting.html",
              compile->function, DEMO_FILE, compile->first_line, last_reason);
}

static void
log_skipping (const DemoCompile *compile)
{
  tl_debug ("skipping because no torch.* %s             %s %d",
            compile->function, DEMO_FILE, compile->first_line);
}

/* ---- torch._dynamo.symbolic_convert -------------------------------- */
#undef TL_LOG_DOMAIN
#define TL_LOG_DOMAIN "torch._dynamo.symbolic_convert"

static void
log_trace_source (const DemoCompile *compile,
                  int                line,
                  const char        *source)
{
  tl_artifact ("trace_source", TL_LEVEL_DEBUG, "TRACE starts_line %s:%d in %s (%s)\n    %s",
               DEMO_FILE, line, compile->function, compile->function, source);
}

static void
log_trace_bytecode (void)
{
  static const char * const instructions[] = {
    "LOAD_GLOBAL torch []",
    "LOAD_ATTR sin [NullVariable, PythonModuleVariable(<module 'torch'>)]",
    "LOAD_FAST x [NullVariable, TorchInGraphFunctionVariable(<built-in method sin>)]",
    "CALL 1 [NullVariable, TorchInGraphFunctionVariable(<built-in method sin>), LazyVariableTracker()]",
    "LOAD_CONST 1 [TensorVariable()]",
    "BINARY_OP 0 [TensorVariable(), ConstantVariable(int: 1)]",
    "RETURN_VALUE None [TensorVariable()]",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (instructions); i++)
    tl_artifact ("trace_bytecode", TL_LEVEL_DEBUG, "TRACE %s", instructions[i]);
}

static void
log_return_value (void)
{
  tl_debug ("RETURN_VALUE triggered compile");
}

static void
log_graph_break (const DemoCompile *compile,
                 int                line,
                 const char        *source)
{
  tl_artifact ("graph_breaks", TL_LEVEL_DEBUG,
               "Graph break in user code at %s:%d\n"
               "Graph Break Reason: Unsupported builtin builtins.print\n"
               "User code traceback:\n"
               "  File \"%s\", line %d, in %s\n"
               "    %s",
               DEMO_FILE, line, DEMO_FILE, line, compile->function, source);
}

/* ---- torch.fx.experimental.symbolic_shapes ------------------------- */
#undef TL_LOG_DOMAIN
#define TL_LOG_DOMAIN "torch.fx.experimental.symbolic_shapes"

static void
log_create_symbol (int value)
{
  tl_info ("create_symbol s77 = %d for L['x'].size()[0] [2, int_oo] %s  # demo.py:6 in forward "
           "(_dynamo/variables/builder.py:3033 in <lambda>), for more info run with "
           "TORCHDYNAMO_EXTENDED_DEBUG_CREATE_SYMBOL=\"s77\"", value, DEMO_SOURCE_LINE);
}

static void
log_produce_guards (void)
{
  tl_debug ("produce_guards");
}

/* ---- torch._dynamo.output_graph ------------------------------------ */
#undef TL_LOG_DOMAIN
#define TL_LOG_DOMAIN "torch._dynamo.output_graph"

static void
log_compiling_graph (void)
{
  tl_debug ("COMPILING GRAPH due to GraphCompileReason(reason='return_value', "
            "user_stack=[<FrameSummary file %s, line 6 in forward>], graph_break=False)", DEMO_FILE);
}

static void
log_graph (const DemoCompile *compile,
           const char        *compiled_fn)
{
  g_autofree char *type = tensor_type (compile);
  g_autofree char *params = compile->size > 0
    ? g_strdup_printf ("L_x_: \"%s\"", type)
    : g_strdup_printf ("s77: \"Sym(s77)\", L_x_: \"%s\"", type);
  g_autofree char *size = compile->size > 0 ? g_strdup_printf ("%d", compile->size) : g_strdup ("s77");

  tl_artifact ("graph_code", TL_LEVEL_DEBUG,
               "TRACED GRAPH\n"
               " ===== %s =====\n"
               " torch/fx/_lazy_graph_module.py class GraphModule(torch.nn.Module):\n"
               "    def forward(self, %s):\n"
               "        l_x_ = L_x_\n"
               "        \n"
               "         # File: %s:6 in forward, code: %s\n"
               "        sin: \"%s\" = torch.sin(l_x_);  l_x_ = None\n"
               "        add: \"%s\" = sin + 1;  sin = None\n"
               "        return (add,)",
               compiled_fn, params, DEMO_FILE, DEMO_SOURCE_LINE, type, type);
  tl_artifact ("graph_sizes", TL_LEVEL_DEBUG,
               "TRACED GRAPH TENSOR SIZES\n"
               "===== %s =====\n"
               "l_x_: (%s,)\n"
               "sin: (%s,)\n"
               "add: (%s,)",
               compiled_fn, size, size, size);
}

static void
log_calling_compiler (gboolean done)
{
  tl_step_log (step_logger (&compiler_step, TL_LOG_DOMAIN), TL_LEVEL_INFO,
               done ? "done compiler function %s" : "calling compiler function %s",
               "inductor");
}

/* ---- torch._functorch._aot_autograd -------------------------------- */
#undef TL_LOG_DOMAIN
#define TL_LOG_DOMAIN "torch._functorch._aot_autograd.graph_compile"

static void
log_aot (const DemoCompile *compile,
         int                graph_id)
{
  g_autofree char *type = tensor_type (compile);
  g_autofree char *params = compile->size > 0
    ? g_strdup_printf ("arg0_1: \"%s\"", type)
    : g_strdup_printf ("arg0_1: \"Sym(s77)\", arg1_1: \"%s\"", type);
  const char *input = compile->size > 0 ? "arg0_1" : "arg1_1";

  tl_debug ("aot_config id: %d, fw_metadata=ViewAndMutationMeta(input_info=[InputAliasInfo("
            "is_leaf=True, mutates_data=False, mutates_metadata=False, requires_grad=False)], "
            "output_info=[OutputAliasInfo(output_type=<OutputType.non_alias: 1>)], "
            "num_intermediate_bases=0, keep_input_mutations=True, is_train=False), "
            "inner_meta=None", graph_id);
  tl_artifact ("aot_graphs", TL_LEVEL_INFO,
               "TRACED GRAPH\n"
               " ===== Forward graph %d =====\n"
               " torch/fx/_lazy_graph_module.py class <lambda>(torch.nn.Module):\n"
               "    def forward(self, %s):\n"
               "         # File: %s:6 in forward, code: %s\n"
               "        sin: \"%s\" = torch.ops.aten.sin.default(%s);  %s = None\n"
               "        add: \"%s\" = torch.ops.aten.add.Tensor(sin, 1);  sin = None\n"
               "        return (add,)",
               graph_id, params, DEMO_FILE, DEMO_SOURCE_LINE, type, input, input, type);
}

/* ---- torch._inductor ----------------------------------------------- */
#undef TL_LOG_DOMAIN
#define TL_LOG_DOMAIN "torch._inductor.compile_fx"

static void
log_inductor_step (int      graph_id,
                   gboolean done)
{
  tl_step_log (step_logger (&inductor_step, TL_LOG_DOMAIN), TL_LEVEL_INFO,
               done ? "torchinductor done compiling FORWARDS graph %d"
                    : "torchinductor compiling FORWARDS graph %d",
               graph_id);
}

#undef TL_LOG_DOMAIN
#define TL_LOG_DOMAIN "torch._inductor.scheduler"

static void
log_scheduler (const DemoCompile *compile)
{
  g_autofree char *size = compile->size > 0 ? g_strdup_printf ("%d", compile->size) : g_strdup ("s77");

  tl_artifact ("schedule", TL_LEVEL_DEBUG,
               "scheduling ComputedBuffer(name='buf0', layout=FixedLayout('cpu', torch.float32, "
               "size=[%s], stride=[1]), data=Pointwise(device=device(type='cpu'), "
               "dtype=torch.float32, ranges=[%s]))", size, size);
  tl_artifact ("fusion", TL_LEVEL_DEBUG, "===== attempting fusion (1/10): 1 nodes =====");
  tl_artifact ("fusion", TL_LEVEL_DEBUG, "completed fusion round (1/10): fused 1 nodes into 1 nodes");
}

#undef TL_LOG_DOMAIN
#define TL_LOG_DOMAIN "torch._inductor.graph"

static void
log_output_code (const DemoCompile *compile,
                 int                graph_id)
{
  gboolean dynamic = compile->size == 0;
  g_autofree char *bound = dynamic ? g_strdup ("ks0") : g_strdup_printf ("%dL", compile->size);
  g_autofree char *shape = dynamic ? g_strdup ("s77") : g_strdup_printf ("%d", compile->size);

  tl_debug ("Force channels last inputs for 0 conv for the current graph with id %d", graph_id);
  tl_artifact ("output_code", TL_LEVEL_DEBUG,
               "Output code: \n"
               "# AOT ID: ['%d_inference']\n"
               "from ctypes import c_void_p, c_long, c_int\n"
               "import torch\n"
               "from torch._inductor.codecache import AsyncCompile\n"
               "\n"
               "empty_strided_cpu = torch._C._dynamo.guards._empty_strided_cpu\n"
               "async_compile = AsyncCompile()\n"
               "\n"
               "cpp_fused_add_sin_0 = async_compile.cpp_pybinding(['const float*', 'float*'%s], '''\n"
               "#include <torch/csrc/inductor/cpp_prefix.h>\n"
               "extern \"C\"  void kernel(const float* in_ptr0,\n"
               "                       float* out_ptr0%s)\n"
               "{\n"
               "    for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(%s); x0+=static_cast<int64_t>(1L))\n"
               "    {\n"
               "        auto tmp0 = in_ptr0[static_cast<int64_t>(x0)];\n"
               "        auto tmp1 = std::sin(tmp0);\n"
               "        auto tmp2 = static_cast<float>(1.0);\n"
               "        auto tmp3 = decltype(tmp1)(tmp1 + tmp2);\n"
               "        out_ptr0[static_cast<int64_t>(x0)] = tmp3;\n"
               "    }\n"
               "}\n"
               "''')\n"
               "\n"
               "def call(args):\n"
               "    %s = args\n"
               "    args.clear()\n"
               "    buf0 = empty_strided_cpu((%s, ), (1, ), torch.float32)\n"
               "    cpp_fused_add_sin_0(%s, buf0%s)\n"
               "    return (buf0, )",
               graph_id,
               dynamic ? ", 'const int64_t'" : "",
               dynamic ? ",\n                       const int64_t ks0" : "",
               bound,
               dynamic ? "arg0_1, arg1_1" : "arg0_1,",
               shape,
               dynamic ? "arg1_1" : "arg0_1",
               dynamic ? ", arg0_1" : "");
  tl_artifact ("output_code", TL_LEVEL_INFO,
               "Output code written to: /tmp/torchinductor_demo/%s/c%sdemo%d.py",
               dynamic ? "dy" : "st", dynamic ? "dy" : "st", graph_id);
}

/* ---- the pipeline --------------------------------------------------- */

/* torch logs a frame's compilation under its compile id, which prefixes
 * every record with ` [frame/compile]`. */
static TlCompileContext *
enter_compile (const DemoCompile *compile)
{
  TlCompileId id = { -1, compile->frame_id, compile->compile_id };

  return tl_compile_context_push (&id);
}

/* One successful compilation of `forward`, in torch's order: trace,
 * hand the graph to the backend (AOTAutograd, then Inductor), rewrite the
 * bytecode, install the guards. */
static void
compile_forward (const DemoCompile *compile,
                 int                graph_id)
{
  g_autofree char *compiled_fn = g_strdup_printf ("__compiled_fn_%d", 2 * graph_id + 1);

  log_start_tracing (compile);
  log_trace_source (compile, 6, DEMO_SOURCE_LINE);
  log_trace_bytecode ();
  if (compile->size == 0)
    log_create_symbol (16);
  log_done_tracing (compile);
  log_return_value ();
  log_compiling_graph ();
  log_graph (compile, compiled_fn);
  log_calling_compiler (FALSE);
  log_aot (compile, graph_id);
  log_inductor_step (graph_id, FALSE);
  log_scheduler (compile);
  log_output_code (compile, graph_id);
  log_inductor_step (graph_id, TRUE);
  log_calling_compiler (TRUE);
  log_bytecode (compile, compiled_fn);
  if (compile->size == 0)
    log_produce_guards ();
  log_guards (compile);
}

static void
run_pipeline (void)
{
  const DemoCompile first = { 0, 0, "forward", 4, 8 };
  const DemoCompile dynamic = { 0, 1, "forward", 4, 0 };
  const DemoCompile limit = { 0, 2, "forward", 4, 0 };
  const DemoCompile report = { 1, 0, "report", 8, 0 };
  const char * const size_reason[] = {
    "0/0: tensor 'x' size mismatch at index 0. expected 8, actual 16", NULL
  };
  const char * const dtype_reasons[] = {
    "0/1: tensor 'x' dtype mismatch. expected Float, actual Double",
    "0/0: tensor 'x' dtype mismatch. expected Float, actual Double", NULL
  };

  TlCompileContext *context;

  /* forward(torch.randn(8)) */
  context = enter_compile (&first);
  compile_forward (&first, 0);
  tl_compile_context_pop (context);

  /* forward(torch.randn(16)): the size changed; recompiled dynamic. */
  context = enter_compile (&dynamic);
  log_recompile_reasons (&dynamic, size_reason);
  compile_forward (&dynamic, 1);
  tl_compile_context_pop (context);

  /* forward(torch.randn(16, dtype=torch.float64)): over the limit. */
  context = enter_compile (&limit);
  log_recompile_reasons (&limit, dtype_reasons);
  log_recompile_limit (&limit, dtype_reasons[0]);
  tl_compile_context_pop (context);

  /* report(): print() cannot be traced; the frame is left to Python. */
  context = enter_compile (&report);
  log_start_tracing (&report);
  log_trace_source (&report, 10, "print(\"forward done\")");
  log_graph_break (&report, 10, "print(\"forward done\")");
  log_skipping (&report);
  tl_compile_context_pop (context);
}

static const char demo_program[] =
  "    1  import torch\n"
  "    2  torch._dynamo.config.recompile_limit = 2\n"
  "    3\n"
  "    4  @torch.compile\n"
  "    5  def forward(x):\n"
  "    6      return torch.sin(x) + 1\n"
  "    7\n"
  "    8  @torch.compile\n"
  "    9  def report():\n"
  "   10      print(\"forward done\")\n"
  "   11\n"
  "   12  forward(torch.randn(8))\n"
  "   13  forward(torch.randn(16))\n"
  "   14  forward(torch.randn(16, dtype=torch.float64))\n"
  "   15  report()\n";

int
torchlog_tool_demo (const TorchlogToolVerb *verb,
                    int                     argc,
                    char                  **argv)
{
  g_autofree char *description = NULL;
  g_auto(GStrv) args = NULL;
  TlRegistry *registry;
  const char *env_var;
  const char *settings;
  int status;

  /* The --help text shows the program whose compilation is simulated, so
   * the logs' line numbers can be followed. */
  description = g_strdup_printf ("%s\n\n%s\n%s\n%s",
                                 _("The demo simulates what torch.compile logs for this "
                                   "program (/tmp/demo.py):"),
                                 demo_program,
                                 _("It honours TORCH_LOGS, TORCH_LOGS_OUT and TORCH_LOGS_FORMAT."),
                                 _("Try TORCH_LOGS=\"+dynamo\", \"recompiles\", \"+inductor,output_code\" or \"help\"."));
  args = torchlog_tool_parse_args_full (verb, NULL, description, argc, argv, &status);
  if (args == NULL)
    return status;
  if (args[1] != NULL)
    /* TRANSLATORS: %s is an argument the user gave */
    return torchlog_tool_usage_error (verb, _("Unexpected argument “%s”"), args[1]);

  /* What an application does: its registrations, torchlog's writer,
   * then torch's _init_logs(). */
  registry = tl_registry_get_default ();
  tl_registry_add_pytorch_registrations (registry);
  tl_registry_install_writer (registry);
  env_var = tl_registry_get_env_var (registry);
  settings = g_getenv (env_var);
  /* An invalid value is reported by tl_registry_init_logs() itself, and
   * the defaults are kept, as a C program should. */
  tl_registry_init_logs (registry, NULL);
  if (settings == NULL || settings[0] == '\0')
    {
      g_autoptr(GError) error = NULL;

      /* TRANSLATORS: %1$s is the variable's name (TORCH_LOGS) and
       * %2$s the settings the demo uses instead */
      g_printerr (_("torchlog demo: %1$s is not set; using %1$s=\"%2$s\". "
                    "Set %1$s to change it (%1$s=help lists the names).\n"),
                  env_var, DEMO_DEFAULT_SETTINGS);
      if (!tl_registry_parse_logs (registry, DEMO_DEFAULT_SETTINGS, &error))
        g_critical ("%s", error->message);   /* a bug in the demo, not the user's */
    }

  run_pipeline ();
  g_clear_pointer (&dynamo_step, tl_step_logger_unref);
  g_clear_pointer (&compiler_step, tl_step_logger_unref);
  g_clear_pointer (&inductor_step, tl_step_logger_unref);
  return TORCHLOG_TOOL_EXIT_OK;
}
