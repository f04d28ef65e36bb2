/* test-parser.c: the TORCH_LOGS settings string (spec §2), its error and
 * help texts, the levels it leaves behind (§4.3) and which artifact records
 * are printed (§4.4)
 *
 * Every expectation below comes from torch_logging_spec.md (section numbers
 * in the comments) or from the C decisions of issue 2; none is copied from
 * what the library happens to do.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <torchlog/torchlog.h>

#include "tl-test-util.h"

/* ---- helpers -------------------------------------------------------- */

static TlRegistry *
new_pytorch_registry (void)
{
  TlRegistry *registry = tl_registry_new ();

  tl_registry_add_pytorch_registrations (registry);
  return registry;
}

static void
parse_ok (TlRegistry *registry,
          const char *settings)
{
  g_autoptr(GError) error = NULL;

  if (!tl_registry_parse_logs (registry, settings, &error))
    {
      g_autofree char *msg = g_strdup_printf ("parsing \"%s\" failed: %s", settings,
                                              error ? error->message : "(no error)");
      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
    }
  g_assert_no_error (error);
}

/* Parses @settings, which must fail with @code; returns the message. */
static char *
parse_fails (TlRegistry *registry,
             const char *settings,
             int         code)
{
  g_autoptr(GError) error = NULL;

  if (tl_registry_parse_logs (registry, settings, &error))
    {
      g_autofree char *msg = g_strdup_printf ("parsing \"%s\" succeeded", settings);
      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
    }
  g_assert_error (error, TL_ERROR, code);
  return g_strdup (error->message);
}

/* The `<settings>` part of an invalid-settings message (§2.7). */
static char *
reported_settings (const char *message)
{
  const char *prefix = "\nInvalid log settings: ";
  const char *end;

  g_assert_true (g_str_has_prefix (message, prefix));
  end = strstr (message, ", must be a comma separated list of fully\n");
  g_assert_nonnull (end);
  return g_strndup (message + strlen (prefix), end - message - strlen (prefix));
}

/* Expects @settings to be refused and the message to quote @reported. */
static void
assert_invalid (const char *settings,
                const char *reported)
{
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();
  g_autofree char *message = parse_fails (registry, settings, TL_ERROR_INVALID_SETTINGS);
  g_autofree char *quoted = reported_settings (message);

  g_assert_cmpstr (quoted, ==, reported);
}

/* ---- expected texts (§1.6, §1.7, §2.7, §2.8) ------------------------- */

/* §2.7: `all`, the 18 aliases of §1.6 and the 53 artifacts of §1.7, sorted
 * by code point as one list. */
static const char valid_settings_line[] =
  "all, annotation, aot, aot_graphs, aot_graphs_effects, aot_joint_graph, async_compile, auto_chunker, autograd, autotuning, autotuning_inputs, benchmarking, bytecode, c10d, cache, caching, compiled_autograd, compiled_autograd_verbose, compute_dependencies, cudagraph_static_inputs, cudagraphs, custom_format_test_artifact, ddp, ddp_graphs, distributed, dtensor, dynamic, dynamo, export, fake_tensor, flex_gemm, fsdp, fusion, graph, graph_breaks, graph_code, graph_code_verbose, graph_region_expansion, graph_sizes, guards, hierarchical_compile, incremental, inductor, inductor_metrics, ir_post_fusion, ir_pre_fusion, kernel_code, loop_ordering, loop_tiling, native_dsl, native_dsl_compile, node_runtime_estimation, not_implemented, output_code, overlap, overlap_scheduling, partitioned_scatter, perf_hints, post_grad_graphs, pp, pre_grad_graphs, recompiles, recompiles_verbose, schedule, side_effects, sym_node, torch, trace_bytecode, trace_call, trace_shape_events, trace_source, verbose_guards\n";

static const char invalid_settings_head[] =
  "\n"
  "Invalid log settings: %s, must be a comma separated list of fully\n"
  "qualified module names, registered log names or registered artifact names.\n"
  "For more info on various settings, try TORCH_LOGS=\"help\"\n"
  "Valid settings:\n";

static char *
expected_invalid_message (const char *settings)
{
  g_autofree char *head = g_strdup_printf (invalid_settings_head, settings);

  return g_strconcat (head, valid_settings_line, NULL);
}

/* §2.8, newest snapshot (with the directory-based example). */
static const char help_head[] =
  "\n"
  "TORCH_LOGS Info\n"
  "\n"
  "Examples:\n"
  "  TORCH_LOGS=\"+dynamo,aot\" will set the log level of TorchDynamo to\n"
  "  logging.DEBUG and AOT to logging.INFO\n"
  "\n"
  "  TORCH_LOGS=\"-dynamo,+inductor\" will set the log level of TorchDynamo to\n"
  "  logging.ERROR and TorchInductor to logging.DEBUG\n"
  "\n"
  "  TORCH_LOGS=\"aot_graphs\" will enable the aot_graphs artifact\n"
  "\n"
  "  TORCH_LOGS=\"+dynamo,schedule\" will enable set the log level of TorchDynamo\n"
  "  to logging.DEBUG and enable the schedule artifact\n"
  "\n"
  "  TORCH_LOGS=\"+some.random.module,schedule\" will set the log level of\n"
  "  some.random.module to logging.DEBUG and enable the schedule artifact\n"
  "\n"
  "  TORCH_LOGS=\"+torch._functorch._aot_autograd\" will set the log level of\n"
  "  torch._functorch._aot_autograd and all its submodules to logging.DEBUG\n"
  "  (directory-based logging)\n"
  "\n"
  "  TORCH_LOGS_FORMAT=\"%(levelname)s: %(message)s\" or any provided format\n"
  "  string will set the output format\n"
  "  Valid keys are \"levelname\", \"message\", \"pathname\", \"levelno\", \"lineno\",\n"
  "  \"filename\" and \"name\".\n"
  "\n"
  "  TORCH_LOGS_OUT=/tmp/output.txt will output the logs to /tmp/output.txt as\n"
  "  well. This is useful when the output is long.\n"
  "\n";

/* `help`: the heading, `all`, the sorted aliases, then the 10 visible
 * artifacts, each padded to 30 columns, a TAB and its description. */
static const char help_tail[] =
  "\n"
  "Visible registered names (use TORCH_LOGS='+help' for full list)\n"
  "  all\n"
  "  aot\n"
  "  async_compile\n"
  "  autograd\n"
  "  c10d\n"
  "  cache\n"
  "  ddp\n"
  "  distributed\n"
  "  dtensor\n"
  "  dynamic\n"
  "  dynamo\n"
  "  export\n"
  "  fake_tensor\n"
  "  flex_gemm\n"
  "  fsdp\n"
  "  inductor\n"
  "  native_dsl\n"
  "  pp\n"
  "  torch\n"
  "  aot_graphs                    \tPrints the FX forward and backward graph generated by AOTDispatch, after partitioning. Useful to understand what's being given to Inductor\n"
  "  aot_graphs_effects            \tPrints the FX forward and backward graph generated by AOTDispatch, useful for debugging effects processing.\n"
  "  compiled_autograd             \tPrints various logs in compiled_autograd, including but not limited to the graphs. Useful for debugging compiled_autograd.\n"
  "  graph_breaks                  \tPrints whenever Dynamo decides that it needs to graph break (i.e. create a new graph). Useful for debugging why torch.compile has poor performance\n"
  "  guards                        \tThis prints the guards for every compiled Dynamo frame. It does not tell you where the guards come from.\n"
  "  kernel_code                   \tPrints the code that Inductor generates (on a per-kernel basis)\n"
  "  output_code                   \tPrints the code that Inductor generates (either Triton or C++)\n"
  "  recompiles                    \tPrints the reason why we recompiled a graph. Very, very useful.\n"
  "  recompiles_verbose            \tPrints all guard checks that fail during a recompilation. At runtime, Dynamo will stop at the first failed check for each failing guard. So not all logged failing checks are actually ran by Dynamo.\n"
  "  side_effects                  \tPrints all side effects that Dynamo codegenerates, including mutations to variables, attributes, cells, and globals. Useful for debugging side effect handling\n";

/* `+help`: every artifact. The `graph` description ends with a space;
 * verbose_guards, perf_hints and compute_dependencies have none. */
static const char verbose_help_tail[] =
  "\n"
  "All registered names\n"
  "  all\n"
  "  aot\n"
  "  async_compile\n"
  "  autograd\n"
  "  c10d\n"
  "  cache\n"
  "  ddp\n"
  "  distributed\n"
  "  dtensor\n"
  "  dynamic\n"
  "  dynamo\n"
  "  export\n"
  "  fake_tensor\n"
  "  flex_gemm\n"
  "  fsdp\n"
  "  inductor\n"
  "  native_dsl\n"
  "  pp\n"
  "  torch\n"
  "  annotation                    \tLogs detailed steps of the creating annotation on graph nodes\n"
  "  aot_graphs                    \tPrints the FX forward and backward graph generated by AOTDispatch, after partitioning. Useful to understand what's being given to Inductor\n"
  "  aot_graphs_effects            \tPrints the FX forward and backward graph generated by AOTDispatch, useful for debugging effects processing.\n"
  "  aot_joint_graph               \tPrint FX joint graph from AOTAutograd, prior to partitioning. Useful for debugging partitioning\n"
  "  auto_chunker                  \tLogs related to the auto chunker\n"
  "  autotuning                    \tAutotuning choice logs, such as kernel source, perf, and tuning parameters.\n"
  "  autotuning_inputs             \tPer-kernel input tensor shapes/dtypes/strides logged during autotuning.\n"
  "  benchmarking                  \tDetailed Inductor benchmarking information.\n"
  "  bytecode                      \tPrints the original and modified bytecode from Dynamo. Mostly useful if you're debugging our bytecode generation in Dynamo.\n"
  "  caching                       \tDetailed Inductor caching information.\n"
  "  compiled_autograd             \tPrints various logs in compiled_autograd, including but not limited to the graphs. Useful for debugging compiled_autograd.\n"
  "  compiled_autograd_verbose     \tWill affect performance. Prints compiled_autograd logs with C++ info e.g. autograd node -> fx node mapping\n"
  "  compute_dependencies          \t\n"
  "  cudagraph_static_inputs       \tLogs static inputs handling in dynamo, AOT, and cudagraphs\n"
  "  cudagraphs                    \tLogs information from wrapping inductor generated code with cudagraphs.\n"
  "  custom_format_test_artifact   \tTesting only\n"
  "  ddp_graphs                    \tOnly relevant for compiling DDP. DDP splits into multiple graphs to trigger comms early. This will print each individual graph here.\n"
  "  fusion                        \tDetailed Inductor fusion decisions. More detailed than 'schedule'\n"
  "  graph                         \tPrints the dynamo traced graph (prior to AOTDispatch) in a table. If you prefer python code use `graph_code` instead. \n"
  "  graph_breaks                  \tPrints whenever Dynamo decides that it needs to graph break (i.e. create a new graph). Useful for debugging why torch.compile has poor performance\n"
  "  graph_code                    \tLike `graph`, but gives you the Python code instead.\n"
  "  graph_code_verbose            \tVerbose FX pass logs, e.g. from tensorify_python_scalars and runtime_assert.\n"
  "  graph_region_expansion        \tLogs detailed steps of the duplicate graph region tracker expansion algorithm\n"
  "  graph_sizes                   \tPrints the sizes of all FX nodes in the dynamo graph.\n"
  "  guards                        \tThis prints the guards for every compiled Dynamo frame. It does not tell you where the guards come from.\n"
  "  hierarchical_compile          \tLogs debug info for hierarchical compilation\n"
  "  incremental                   \tIncremental autotuning logs.\n"
  "  inductor_metrics              \tLogs Inductor metrics, such as num_bytes, nodes_num_elem, node_runtimes\n"
  "  ir_post_fusion                \tPrints the IR after inductor fusion passes.\n"
  "  ir_pre_fusion                 \tPrints the IR before inductor fusion passes.\n"
  "  kernel_code                   \tPrints the code that Inductor generates (on a per-kernel basis)\n"
  "  loop_ordering                 \tLogs related to loop ordering\n"
  "  loop_tiling                   \tLogs related to loop ordering\n"
  "  native_dsl_compile            \tEmits a log line and a tlparse record per torch._native DSL compile-cache call (compiles and cache hits). Off by default: this fires on every op call.\n"
  "  node_runtime_estimation       \tNode runtime estimation for compile-time optimization decisions.\n"
  "  not_implemented               \tPrints log messages whenever we return NotImplemented in a multi-dispatch, letting you trace through each object we attempted to dispatch to\n"
  "  output_code                   \tPrints the code that Inductor generates (either Triton or C++)\n"
  "  overlap                       \tDetailed Inductor compute/comm overlap decisions\n"
  "  overlap_scheduling            \tDetailed Inductor overlap scheduling pass information\n"
  "  partitioned_scatter           \tInductor partitioned scatter pass decisions and memory accounting\n"
  "  perf_hints                    \t\n"
  "  post_grad_graphs              \tPrints the FX graph generated by post grad passes. Useful to understand what's being given to Inductor after post grad passes\n"
  "  pre_grad_graphs               \tPrints the FX graph before inductor pre grad passes. Useful to understand what's being given to Inductor before grad passes\n"
  "  recompiles                    \tPrints the reason why we recompiled a graph. Very, very useful.\n"
  "  recompiles_verbose            \tPrints all guard checks that fail during a recompilation. At runtime, Dynamo will stop at the first failed check for each failing guard. So not all logged failing checks are actually ran by Dynamo.\n"
  "  schedule                      \tInductor scheduler information. Useful if working on Inductor fusion algo\n"
  "  side_effects                  \tPrints all side effects that Dynamo codegenerates, including mutations to variables, attributes, cells, and globals. Useful for debugging side effect handling\n"
  "  sym_node                      \tLogs extra info for various SymNode operations\n"
  "  trace_bytecode                \tAs we trace bytecode, prints the instruction and the current stack.\n"
  "  trace_call                    \tLike trace_source, but it will give you the per-expression blow-by-blow if your Python is recent enough.\n"
  "  trace_shape_events            \tLogs traces for every ShapeEnv operation that we record for replay\n"
  "  trace_source                  \tAs we execute bytecode, prints the file name / line number we are processing and the actual source code. Useful with `bytecode`\n"
  "  verbose_guards                \t\n";

/* ---- §2.3 validation ------------------------------------------------ */

static void
test_grammar_valid (void)
{
  /* The "yes" row of §2.3, and whitespace of every kind `\s` matches
   * (Python's str.isspace()) right after a comma. */
  static const char * const valid[] = {
    "dynamo",
    "+dynamo,aot",
    "-dynamo, +inductor",
    "dynamo,  +aot,  -inductor",
    "dynamo,\n\taot",
    "dynamo,\r\n aot",
    "dynamo,\vaot",
    "dynamo,\faot",
    "dynamo,\x1c\x1d\x1e\x1f" "aot",
    "dynamo,\xc2\x85" "aot",           /* U+0085 NEXT LINE */
    "dynamo,\xc2\xa0" "aot",           /* U+00A0 NO-BREAK SPACE */
    "dynamo,\xe2\x80\x83" "aot",       /* U+2003 EM SPACE */
    "dynamo,\xe2\x80\xa8" "aot",       /* U+2028 LINE SEPARATOR */
    "dynamo,\xe3\x80\x80" "aot",       /* U+3000 IDEOGRAPHIC SPACE */
    "+dynamo,-aot,inductor,guards,+graph_code,-output_code",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(TlRegistry) registry = new_pytorch_registry ();

      g_test_message ("valid: \"%s\"", valid[i]);
      parse_ok (registry, valid[i]);
      assert_level (registry, "torch._dynamo",
                    valid[i][0] == '+' ? TL_LEVEL_DEBUG :
                    valid[i][0] == '-' ? TL_LEVEL_ERROR : TL_LEVEL_INFO);
    }
}

static void
test_grammar_invalid (void)
{
  /* The "no" rows of §2.3. The error quotes the ORIGINAL string. */
  static const char * const invalid[] = {
    "dynamo ,aot", " dynamo", "dynamo ", "dynamo,", ",dynamo", "dynamo,,aot",
    "+-dynamo", "++dynamo", "a-b", "dynamo;aot", "dynamo aot",
    "+", "-", ",", "+,dynamo", "dynamo,-", "dynamo+", "dyn-amo", "--dynamo",
    "dynamo\n", "\tdynamo", "dynamo,aot\n", "dynamo ,  aot",
    "dynamo/aot", "dynamo:aot", "dynamo=aot", "torch._dynamo/x",
    "dynamo,\xe2\x80\x8b" "aot",       /* U+200B ZERO WIDTH SPACE is not \s */
    "dynamo,\xc2\xa0",                 /* whitespace after a comma, then nothing */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_test_message ("invalid: \"%s\"", invalid[i]);
      assert_invalid (invalid[i], invalid[i]);
    }
}

static void
test_grammar_regex_then_names (void)
{
  /* §2.3 last row: these pass the regex and are decided by name
   * resolution. A name that fails resolution is reported with the
   * whitespace removed (§2.5 step 5), one that fails the regex with the
   * original string; "dynamo, X" tells the two apart. */
  static const char * const names_only[] = {
    ".", "..", "+.", "1abc", "\xc3\xbc" "n\xc3\xaf" "code" /* ünïcode */, "Dynamo", "DYNAMO",
    "_", "dynamo_", "\xd9\xa3" "abc" /* U+0663 ARABIC-INDIC DIGIT THREE */,
    "\xe4\xb8\x80" /* U+4E00 */, "a..b", ".a", "a.",
  };
  static const char * const not_word[] = {
    "e\xcc\x81" /* e + U+0301 COMBINING ACUTE: a mark is not \w */,
    "\xe2\x82\xac" /* € */, "\xe2\x80\x8b" /* U+200B */, "a$", "a@b",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names_only); i++)
    {
      g_autofree char *settings = g_strconcat ("dynamo, ", names_only[i], NULL);
      g_autofree char *stripped = g_strconcat ("dynamo,", names_only[i], NULL);

      g_test_message ("passes the regex: \"%s\"", names_only[i]);
      assert_invalid (settings, stripped);
      assert_invalid (names_only[i], names_only[i]);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (not_word); i++)
    {
      g_autofree char *settings = g_strconcat ("dynamo, ", not_word[i], NULL);

      g_test_message ("fails the regex: \"%s\"", not_word[i]);
      assert_invalid (settings, settings);
    }
}

static void
test_grammar_unicode_names (void)
{
  /* `\w` is Unicode-aware: once registered, such names resolve. */
  static const char * const names[] = {
    "\xc3\xbc" "n\xc3\xaf" "code", "1abc", "\xd9\xa3" "abc", "\xe4\xb8\x80", "_",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(TlRegistry) registry = tl_registry_new ();
      g_autofree char *settings = g_strconcat ("+", names[i], NULL);
      g_autofree char *domain = g_strconcat ("app.", names[i], NULL);
      const char *domains[] = { domain, NULL };

      tl_registry_register_log (registry, names[i], domains, NULL);
      parse_ok (registry, settings);
      assert_level (registry, domain, TL_LEVEL_DEBUG);
    }
}

static void
test_grammar_dotted_names (void)
{
  /* Dots are part of `[\w\.]`; qualified module names are valid items. */
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();

  parse_ok (registry, "+torch._dynamo.output_graph, -torch._inductor");
  assert_level (registry, "torch._dynamo.output_graph", TL_LEVEL_DEBUG);
  assert_level (registry, "torch._inductor", TL_LEVEL_ERROR);
}

/* ---- §2.4 tokenising ------------------------------------------------ */

static void
test_tokenise_prefixes (void)
{
  static const struct {
    const char *settings;
    TlLevel     level;
  } cases[] = {
    { "+dynamo", TL_LEVEL_DEBUG },
    { "dynamo",  TL_LEVEL_INFO },
    { "-dynamo", TL_LEVEL_ERROR },     /* ERROR, not WARNING */
  };
  static const char * const dynamo_qnames[] = {
    "torch._dynamo", "torch.fx.experimental.symbolic_shapes",
    "torch.fx.experimental.sym_node", "torch.fx.experimental.recording",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TlRegistry) registry = new_pytorch_registry ();

      parse_ok (registry, cases[i].settings);
      for (gsize q = 0; q < G_N_ELEMENTS (dynamo_qnames); q++)
        assert_level (registry, dynamo_qnames[q], cases[i].level);
      g_assert_cmpint (tl_component_get_level (tl_registry_lookup_component (registry, "dynamo")),
                       ==, cases[i].level);
      /* Untouched logs keep torch's WARNING. */
      assert_level (registry, "torch._inductor", TL_LEVEL_WARNING);
    }
}

static void
test_tokenise_whitespace_removed (void)
{
  /* §2.4 step 1: all whitespace goes before splitting, so names that
   * follow a comma and a newline resolve normally. */
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();

  parse_ok (registry, "aot,\n\t +dynamo,\xe3\x80\x80-inductor");
  assert_level (registry, "torch._functorch.aot_autograd", TL_LEVEL_INFO);
  assert_level (registry, "torch._dynamo", TL_LEVEL_DEBUG);
  assert_level (registry, "torch._inductor", TL_LEVEL_ERROR);
}

/* ---- §2.5 name resolution ------------------------------------------ */

static void
test_names_all_is_torch (void)
{
  static const struct {
    const char *settings;
    TlLevel     level;
  } cases[] = {
    { "all", TL_LEVEL_INFO }, { "+all", TL_LEVEL_DEBUG }, { "-all", TL_LEVEL_ERROR },
    { "torch", TL_LEVEL_INFO }, { "+torch", TL_LEVEL_DEBUG }, { "-torch", TL_LEVEL_ERROR },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TlRegistry) registry = new_pytorch_registry ();

      parse_ok (registry, cases[i].settings);
      assert_level (registry, "torch", cases[i].level);
      assert_level (registry, "torch._dynamo", cases[i].level);
      assert_level (registry, "torch._inductor.cudagraph_trees", cases[i].level);
      assert_level (registry, "torch.utils.data", cases[i].level);
      g_assert_cmpint (tl_component_get_level (tl_registry_lookup_component (registry, "torch")),
                       ==, cases[i].level);
      /* Outside torch.*: unaffected (§4.3). */
      assert_level (registry, "somepkg", TL_LEVEL_WARNING);
      assert_emit (registry, "somepkg", NULL, TL_LEVEL_CRITICAL, FALSE);
    }
}

static void
test_names_last_wins (void)
{
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();

  parse_ok (registry, "+inductor,-inductor");
  assert_level (registry, "torch._inductor", TL_LEVEL_ERROR);
  parse_ok (registry, "-inductor,inductor");
  assert_level (registry, "torch._inductor", TL_LEVEL_INFO);
}

static void
test_names_artifact_prefix_ignored (void)
{
  /* §2.5 step 3 and fact 10: `guards`, `+guards` and `-guards` all enable
   * the artifact and leave every level alone. */
  static const char * const settings[] = { "guards", "+guards", "-guards" };

  for (gsize i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      g_autoptr(TlRegistry) registry = new_pytorch_registry ();

      parse_ok (registry, settings[i]);
      g_assert_true (tl_artifact_get_enabled (tl_registry_lookup_artifact (registry, "guards")));
      g_assert_false (tl_artifact_get_enabled (tl_registry_lookup_artifact (registry, "graph")));
      assert_level (registry, "torch", TL_LEVEL_WARNING);
      assert_level (registry, "torch._dynamo", TL_LEVEL_WARNING);
      assert_emit (registry, "torch._dynamo.guards", "guards", TL_LEVEL_DEBUG, TRUE);
    }
}

static void
test_names_alias_before_artifact (void)
{
  /* §2.5: the alias check comes before the artifact check. */
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  const char *domains[] = { "app.both", NULL };

  tl_registry_register_log (registry, "both", domains, NULL);
  tl_registry_register_artifact (registry, "both", "", TL_ARTIFACT_FLAGS_NONE, NULL);
  parse_ok (registry, "+both");
  assert_level (registry, "app.both", TL_LEVEL_DEBUG);
  g_assert_false (tl_artifact_get_enabled (tl_registry_lookup_artifact (registry, "both")));
}

static void
test_names_case_sensitive (void)
{
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();
  g_autofree char *message = parse_fails (registry, "Dynamo", TL_ERROR_INVALID_SETTINGS);
  g_autofree char *expected = expected_invalid_message ("Dynamo");

  g_assert_cmpstr (message, ==, expected);
}

static void
test_names_unknown_reports_stripped (void)
{
  /* Fact 13. */
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();
  g_autofree char *message = parse_fails (registry, "dynamo, bogus", TL_ERROR_INVALID_SETTINGS);
  g_autofree char *expected = expected_invalid_message ("dynamo,bogus");
  g_autofree char *message2 = parse_fails (registry, "dynamo ,aot", TL_ERROR_INVALID_SETTINGS);
  g_autofree char *expected2 = expected_invalid_message ("dynamo ,aot");

  g_assert_cmpstr (message, ==, expected);
  g_assert_cmpstr (message2, ==, expected2);
}

static void
test_names_failure_changes_nothing (void)
{
  /* A failed parse leaves the previous configuration and registrations. */
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();
  GListModel *components = tl_registry_get_components (registry);
  guint n_components;
  g_autofree char *m1 = NULL;
  g_autofree char *m2 = NULL;

  parse_ok (registry, "+dynamo,guards");
  n_components = g_list_model_get_n_items (components);
  m1 = parse_fails (registry, "-dynamo,aot,new.module,graph,bogus", TL_ERROR_INVALID_SETTINGS);
  m2 = parse_fails (registry, "dynamo ,aot", TL_ERROR_INVALID_SETTINGS);
  assert_level (registry, "torch._dynamo", TL_LEVEL_DEBUG);
  assert_level (registry, "torch._functorch.aot_autograd", TL_LEVEL_WARNING);
  g_assert_true (tl_artifact_get_enabled (tl_registry_lookup_artifact (registry, "guards")));
  g_assert_false (tl_artifact_get_enabled (tl_registry_lookup_artifact (registry, "graph")));
  g_assert_null (tl_registry_lookup_component (registry, "new.module"));
  g_assert_cmpuint (g_list_model_get_n_items (components), ==, n_components);
}

/* ---- §2.6 open registration (C decisions of issue 2) ----------------- */

static void
on_component_added (TlRegistry  *registry,
                    TlComponent *component,
                    gpointer     user_data)
{
  GPtrArray *names = user_data;

  g_ptr_array_add (names, g_strdup (tl_component_get_name (component)));
}

static void
test_open_registration_new_log (void)
{
  /* A dotted name with no registered ancestor becomes a log of its own
   * whose only domain is itself. */
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) domains = NULL;
  TlComponent *component;

  g_signal_connect (registry, "component-added", G_CALLBACK (on_component_added), added);
  parse_ok (registry, "+some.random.module,schedule");

  component = tl_registry_lookup_component (registry, "some.random.module");
  g_assert_nonnull (component);
  domains = tl_component_dup_domains (component);
  g_assert_cmpuint (g_strv_length (domains), ==, 1);
  g_assert_cmpstr (domains[0], ==, "some.random.module");
  g_assert_cmpuint (added->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (added, 0), ==, "some.random.module");

  assert_level (registry, "some.random.module", TL_LEVEL_DEBUG);
  assert_level (registry, "some.random.module.sub", TL_LEVEL_DEBUG);
  assert_level (registry, "some.random", TL_LEVEL_WARNING);
  assert_emit (registry, "some.random.module.sub", NULL, TL_LEVEL_DEBUG, TRUE);
  g_assert_true (tl_artifact_get_enabled (tl_registry_lookup_artifact (registry, "schedule")));
  g_assert_false (tl_registry_is_child_log (registry, "some.random.module"));

  /* It stays registered: later configurations may name it, and `all`
   * (which is `torch`) does not reach it. */
  parse_ok (registry, "all");
  assert_level (registry, "some.random.module", TL_LEVEL_WARNING);
  assert_level (registry, "torch", TL_LEVEL_INFO);
  parse_ok (registry, "-some.random.module");
  assert_level (registry, "some.random.module", TL_LEVEL_ERROR);
  g_assert_cmpuint (added->len, ==, 1);
}

static void
test_open_registration_listed (void)
{
  /* §2.7 and §2.8: open-registered logs join the lists. */
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();
  g_autofree char *message = NULL;
  g_autofree char *help = NULL;

  parse_ok (registry, "some.random.module");
  message = parse_fails (registry, "bogus", TL_ERROR_INVALID_SETTINGS);
  g_assert_nonnull (strstr (message, ", side_effects, some.random.module, sym_node, "));
  help = tl_registry_help_message (registry, FALSE);
  g_assert_nonnull (strstr (help, "\n  pp\n  some.random.module\n  torch\n"));
}

static void
test_open_registration_listed_on_failure (void)
{
  /* torch registers module names as it parses (§2.5, §2.6), so an item
   * failing later lists the new logs before it among the valid settings.
   * Children are not logs; in C nothing stays registered. */
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();
  g_autofree char *message = parse_fails (registry, "+json.decoder,json.decoder.sub,torch.utils,bogus",
                                          TL_ERROR_INVALID_SETTINGS);
  const char *list;

  g_assert_true (g_str_has_prefix (message, "\nInvalid log settings: "
                                   "+json.decoder,json.decoder.sub,torch.utils,bogus, must be"));
  list = strstr (message, "\nValid settings:\n");
  g_assert_nonnull (list);
  g_assert_nonnull (strstr (list, ", inductor_metrics, ir_post_fusion, ir_pre_fusion, "
                                  "json.decoder, kernel_code, "));
  g_assert_null (strstr (list, "json.decoder.sub"));
  g_assert_null (strstr (list, "torch.utils"));
  g_assert_null (tl_registry_lookup_component (registry, "json.decoder"));
}

static void
test_open_registration_child (void)
{
  /* A dotted name under a registered log is a child log (fact 23:
   * `torch.utils`, fact 22: `torch._dynamo.output_graph`). */
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();
  GListModel *components = tl_registry_get_components (registry);
  guint n_components = g_list_model_get_n_items (components);

  parse_ok (registry, "torch.utils,+torch._dynamo.output_graph");
  g_assert_true (tl_registry_is_child_log (registry, "torch.utils"));
  g_assert_true (tl_registry_is_child_log (registry, "torch._dynamo.output_graph"));
  g_assert_null (tl_registry_lookup_component (registry, "torch.utils"));
  g_assert_cmpuint (g_list_model_get_n_items (components), ==, n_components);

  assert_level (registry, "torch.utils", TL_LEVEL_INFO);
  assert_level (registry, "torch.utils.data", TL_LEVEL_INFO);
  assert_level (registry, "torch._dynamo.output_graph", TL_LEVEL_DEBUG);
  assert_level (registry, "torch._dynamo", TL_LEVEL_WARNING);
  assert_level (registry, "torch", TL_LEVEL_WARNING);
  assert_emit (registry, "torch.utils", NULL, TL_LEVEL_INFO, TRUE);
  assert_emit (registry, "torch.utils", NULL, TL_LEVEL_DEBUG, FALSE);
  assert_emit (registry, "torch._dynamo.output_graph", NULL, TL_LEVEL_DEBUG, TRUE);
  assert_emit (registry, "torch._dynamo", NULL, TL_LEVEL_INFO, FALSE);

  /* Each configuration is complete: the child's level goes back. */
  parse_ok (registry, "aot");
  assert_level (registry, "torch.utils", TL_LEVEL_WARNING);
  assert_level (registry, "torch._dynamo.output_graph", TL_LEVEL_WARNING);
}

static void
test_open_registration_undotted_unknown (void)
{
  /* C decision: an undotted unknown name is an error, so typos cannot
   * pass silently; nothing is registered. */
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();
  g_autofree char *message = parse_fails (registry, "+somepkg", TL_ERROR_INVALID_SETTINGS);
  g_autofree char *expected = expected_invalid_message ("+somepkg");

  g_assert_cmpstr (message, ==, expected);
  g_assert_null (tl_registry_lookup_component (registry, "somepkg"));
}

static void
test_open_registration_dotted_unknown (void)
{
  /* C decision replacing fact 14 (torch's ModuleNotFoundError for
   * `foo.bar`): any dotted name is accepted as a module. */
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();

  parse_ok (registry, "foo.bar");
  g_assert_nonnull (tl_registry_lookup_component (registry, "foo.bar"));
  assert_level (registry, "foo.bar", TL_LEVEL_INFO);
  assert_level (registry, "foo", TL_LEVEL_WARNING);
}

static void
test_open_registration_subpackage_children (void)
{
  /* Fact 26, adapted to a dotted name: the new log's sub-modules are
   * children of it and follow its level. */
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();

  parse_ok (registry, "+somepkg.core");
  g_assert_nonnull (tl_registry_lookup_component (registry, "somepkg.core"));
  assert_level (registry, "somepkg.core.sub", TL_LEVEL_DEBUG);
  assert_level (registry, "somepkg.core.sub.leaf", TL_LEVEL_DEBUG);
  assert_emit (registry, "somepkg.core.sub", NULL, TL_LEVEL_DEBUG, TRUE);

  parse_ok (registry, "somepkg.core,+somepkg.core.sub");
  g_assert_true (tl_registry_is_child_log (registry, "somepkg.core.sub"));
  assert_level (registry, "somepkg.core", TL_LEVEL_INFO);
  assert_level (registry, "somepkg.core.sub.leaf", TL_LEVEL_DEBUG);
}

static void
test_open_registration_directory (void)
{
  /* Directory-based logging (§2.6, newest) with issue 2's decision: a
   * module name's level also overwrites what earlier items of the same
   * configuration set for registered names below it. Later items win.
   * Each step parses on the same registry, then checks its levels. */
  static const struct {
    const char *settings;
    struct {
      const char *domain;
      TlLevel     level;
    } expect[3];   /* up to three; a NULL domain ends the list */
  } steps[] = {
    { "+inductor,torch._inductor",
      { { "torch._inductor", TL_LEVEL_INFO },
        { "torch._inductor.cudagraph_trees", TL_LEVEL_INFO } } },
    { "torch._inductor,+inductor",
      { { "torch._inductor", TL_LEVEL_DEBUG },
        { "torch._inductor.cudagraph_trees", TL_LEVEL_DEBUG } } },
    { "+flex_gemm,-async_compile,torch._inductor",
      { { "torch._inductor.kernel.flex_gemm.debug", TL_LEVEL_INFO },
        { "torch._inductor.async_compile", TL_LEVEL_INFO },
        { "torch._inductor.compile_worker.tracked_process_pool", TL_LEVEL_INFO } } },
    { "torch._inductor,+flex_gemm",
      { { "torch._inductor.kernel.flex_gemm.debug", TL_LEVEL_DEBUG },
        { "torch._inductor.kernel", TL_LEVEL_INFO } } },
    /* Reaches the registered names below only, not the log's other names. */
    { "-dynamo,+torch.fx.experimental",
      { { "torch.fx.experimental.symbolic_shapes", TL_LEVEL_DEBUG },
        { "torch.fx.experimental.recording", TL_LEVEL_DEBUG },
        { "torch._dynamo", TL_LEVEL_ERROR } } },
    /* Child logs set earlier are below it too. */
    { "torch._dynamo.output_graph,+torch._dynamo",
      { { "torch._dynamo.output_graph", TL_LEVEL_DEBUG } } },
    { "+torch._dynamo,torch._dynamo.output_graph",
      { { "torch._dynamo.output_graph", TL_LEVEL_INFO },
        { "torch._dynamo", TL_LEVEL_DEBUG } } },
    /* The example of §2.8: a registered qualified name and its sub-modules. */
    { "+torch._functorch._aot_autograd",
      { { "torch._functorch._aot_autograd", TL_LEVEL_DEBUG },
        { "torch._functorch._aot_autograd.runtime_wrappers", TL_LEVEL_DEBUG },
        { "torch._functorch.aot_autograd", TL_LEVEL_WARNING } } },
  };
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();

  for (gsize i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_test_message ("settings: \"%s\"", steps[i].settings);
      parse_ok (registry, steps[i].settings);
      for (gsize e = 0; e < G_N_ELEMENTS (steps[i].expect) && steps[i].expect[e].domain; e++)
        assert_level (registry, steps[i].expect[e].domain, steps[i].expect[e].level);
    }
}

static void
test_open_registration_directory_fact25 (void)
{
  /* Fact 25: `torch._logging` covers `torch._logging._internal`. */
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();

  parse_ok (registry, "torch._logging");
  assert_emit (registry, "torch._logging", NULL, TL_LEVEL_INFO, TRUE);
  assert_emit (registry, "torch._logging._internal", NULL, TL_LEVEL_INFO, TRUE);
  assert_emit (registry, "torch._logging._internal", NULL, TL_LEVEL_DEBUG, FALSE);
}

/* ---- §2.7 and §2.8 texts -------------------------------------------- */

static void
test_invalid_settings_text (void)
{
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();
  g_autofree char *message = parse_fails (registry, "aot_g", TL_ERROR_INVALID_SETTINGS);
  g_autofree char *expected = expected_invalid_message ("aot_g");
  g_auto(GStrv) lines = NULL;
  guint n;

  g_assert_cmpstr (message, ==, expected);

  /* Fact 12: as the tail of a `ValueError: ` traceback. */
  {
    g_autofree char *stderr_text = g_strconcat ("ValueError: ", message, "\n", NULL);
    lines = g_strsplit (stderr_text, "\n", -1);
  }
  n = g_strv_length (lines);
  g_assert_cmpuint (n, <, 50);
  g_assert_cmpstr (lines[n - 5], ==, "For more info on various settings, try TORCH_LOGS=\"help\"");
  g_assert_cmpstr (lines[n - 4], ==, "Valid settings:");
  g_assert_cmpstr (lines[n - 2], ==, "");
  g_assert_cmpstr (lines[n - 1], ==, "");
}

static void
test_invalid_settings_sorting (void)
{
  /* One list sorted by code point, aliases and artifacts mixed, `all`
   * included; upper case sorts before lower case. */
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  const char *b[] = { "app.b", NULL };
  const char *z[] = { "app.Z", NULL };
  g_autofree char *message = NULL;

  tl_registry_register_log (registry, "b_log", b, NULL);
  tl_registry_register_log (registry, "Zed", z, NULL);
  tl_registry_register_artifact (registry, "a_art", "x", TL_ARTIFACT_FLAGS_NONE, NULL);
  tl_registry_register_artifact (registry, "c_art", "y", TL_ARTIFACT_FLAGS_OFF_BY_DEFAULT, NULL);
  tl_registry_register_artifact (registry, "\xc3\xa9t\xc3\xa9", "", TL_ARTIFACT_FLAGS_NONE, NULL);
  message = parse_fails (registry, "nope", TL_ERROR_INVALID_SETTINGS);
  g_assert_cmpstr (message, ==,
                   "\nInvalid log settings: nope, must be a comma separated list of fully\n"
                   "qualified module names, registered log names or registered artifact names.\n"
                   "For more info on various settings, try TORCH_LOGS=\"help\"\n"
                   "Valid settings:\n"
                   "Zed, a_art, all, b_log, c_art, \xc3\xa9t\xc3\xa9\n");
}

static void
test_help_text (void)
{
  /* §2.8 and fact 15: `help` and `+help` fail with the help text; the same
   * text comes from tl_registry_help_message(). */
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();
  g_autofree char *expected = g_strconcat (help_head, help_tail, NULL);
  g_autofree char *expected_verbose = g_strconcat (help_head, verbose_help_tail, NULL);
  g_autofree char *help = parse_fails (registry, "help", TL_ERROR_HELP);
  g_autofree char *verbose = parse_fails (registry, "+help", TL_ERROR_HELP);
  g_autofree char *api = tl_registry_help_message (registry, FALSE);
  g_autofree char *api_verbose = tl_registry_help_message (registry, TRUE);

  g_assert_cmpstr (help, ==, expected);
  g_assert_cmpstr (verbose, ==, expected_verbose);
  g_assert_cmpstr (api, ==, expected);
  g_assert_cmpstr (api_verbose, ==, expected_verbose);
}

static void
test_help_text_custom_registry (void)
{
  /* The layout with other registrations: no aliases at all, then an
   * alias and visible and invisible artifacts. */
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  const char *domains[] = { "app.net", NULL };
  g_autofree char *help = tl_registry_help_message (registry, FALSE);
  g_autofree char *expected = g_strconcat (help_head,
    "\nVisible registered names (use TORCH_LOGS='+help' for full list)\n  all\n", NULL);
  g_autofree char *help2 = NULL;
  g_autofree char *expected2 = NULL;
  g_autofree char *verbose2 = NULL;
  g_autofree char *expected_verbose2 = NULL;

  g_assert_cmpstr (help, ==, expected);

  tl_registry_register_log (registry, "net", domains, "Networking.");
  tl_registry_register_artifact (registry, "packets", "Every packet.",
                                 TL_ARTIFACT_FLAGS_VISIBLE, NULL);
  tl_registry_register_artifact (registry, "bytes", "",
                                 TL_ARTIFACT_FLAGS_OFF_BY_DEFAULT, NULL);
  help2 = tl_registry_help_message (registry, FALSE);
  expected2 = g_strconcat (help_head,
    "\nVisible registered names (use TORCH_LOGS='+help' for full list)\n"
    "  all\n"
    "  net\n"
    "  packets                       \tEvery packet.\n", NULL);
  g_assert_cmpstr (help2, ==, expected2);
  verbose2 = tl_registry_help_message (registry, TRUE);
  expected_verbose2 = g_strconcat (help_head,
    "\nAll registered names\n"
    "  all\n"
    "  net\n"
    "  bytes                         \t\n"
    "  packets                       \tEvery packet.\n", NULL);
  g_assert_cmpstr (verbose2, ==, expected_verbose2);
}

/* ---- §2.2 special whole-string values -------------------------------- */

static void
test_special_empty (void)
{
  /* "" is a valid configuration with nothing in it (C: the same as unset;
   * fact 11). */
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();

  parse_ok (registry, "+dynamo,guards");
  parse_ok (registry, "");
  assert_level (registry, "torch", TL_LEVEL_WARNING);
  assert_level (registry, "torch._dynamo", TL_LEVEL_WARNING);
  g_assert_false (tl_artifact_get_enabled (tl_registry_lookup_artifact (registry, "guards")));
}

static void
test_special_help_changes_nothing (void)
{
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();
  g_autofree char *m1 = NULL;
  g_autofree char *m2 = NULL;

  parse_ok (registry, "+dynamo");
  m1 = parse_fails (registry, "help", TL_ERROR_HELP);
  m2 = parse_fails (registry, "+help", TL_ERROR_HELP);
  assert_level (registry, "torch._dynamo", TL_LEVEL_DEBUG);
}

static void
test_special_only_exact (void)
{
  /* `-help`, `help,dynamo` and ` help` are not special (fact 15). */
  static const char * const settings[] = {
    "-help", "help,dynamo", " help", "help ", "HELP", "dynamo,help", "++help",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      g_autoptr(TlRegistry) registry = new_pytorch_registry ();
      g_autofree char *message = parse_fails (registry, settings[i], TL_ERROR_INVALID_SETTINGS);
      g_autofree char *expected = expected_invalid_message (settings[i]);

      g_assert_cmpstr (message, ==, expected);
    }
}

/* ---- §2.9 duplicates and combinations -------------------------------- */

static void
test_duplicates (void)
{
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();

  /* Fact 9. */
  parse_ok (registry, "dynamo,dynamo,+dynamo");
  assert_level (registry, "torch._dynamo", TL_LEVEL_DEBUG);

  /* Fact 7: the later alias wins for the qnames they share. */
  parse_ok (registry, "+dynamo,export");
  assert_level (registry, "torch._dynamo", TL_LEVEL_INFO);
  assert_level (registry, "torch.fx.experimental.symbolic_shapes", TL_LEVEL_INFO);
  assert_level (registry, "torch.export", TL_LEVEL_INFO);

  /* Only the shared qnames. */
  parse_ok (registry, "+dynamo,dynamic");
  assert_level (registry, "torch.fx.experimental.symbolic_shapes", TL_LEVEL_INFO);
  assert_level (registry, "torch.fx.experimental.sym_node", TL_LEVEL_INFO);
  assert_level (registry, "torch.fx.experimental.recording", TL_LEVEL_INFO);
  assert_level (registry, "torch._dynamo", TL_LEVEL_DEBUG);

  /* A duplicate artifact is harmless. */
  parse_ok (registry, "guards,+guards,-guards");
  g_assert_true (tl_artifact_get_enabled (tl_registry_lookup_artifact (registry, "guards")));
}

static void
test_all_and_alias_order_free (void)
{
  /* Fact 5 and §2.9: `+all,-dynamo` and `-dynamo,+all` are the same. */
  static const char * const settings[] = { "+all,-dynamo", "-dynamo,+all" };

  for (gsize i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      g_autoptr(TlRegistry) registry = new_pytorch_registry ();

      parse_ok (registry, settings[i]);
      assert_level (registry, "torch", TL_LEVEL_DEBUG);
      assert_level (registry, "torch._dynamo", TL_LEVEL_ERROR);
      assert_level (registry, "torch.fx.experimental.symbolic_shapes", TL_LEVEL_ERROR);
      assert_level (registry, "torch._inductor", TL_LEVEL_DEBUG);
      assert_level (registry, "torch._functorch.aot_autograd", TL_LEVEL_DEBUG);
    }
}

/* ---- §4.3 effective levels after init -------------------------------- */

#define TEST_ENV_VAR "TL_TEST_PARSER_LOGS"

static TlRegistry *
new_env_registry (const char *value)
{
  TlRegistry *registry = new_pytorch_registry ();

  tl_registry_set_env_var (registry, TEST_ENV_VAR);
  if (value != NULL)
    g_setenv (TEST_ENV_VAR, value, TRUE);
  else
    g_unsetenv (TEST_ENV_VAR);
  return registry;
}

static void
assert_all_registered (TlRegistry *registry,
                       TlLevel     level)
{
  GListModel *components = tl_registry_get_components (registry);

  for (guint i = 0; i < g_list_model_get_n_items (components); i++)
    {
      g_autoptr(TlComponent) component = g_list_model_get_item (components, i);
      g_auto(GStrv) domains = tl_component_dup_domains (component);

      for (gsize d = 0; domains[d] != NULL; d++)
        assert_level (registry, domains[d], level);
    }
}

static void
test_init_unset (void)
{
  /* Fact 1. */
  g_autoptr(TlRegistry) registry = new_env_registry (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (tl_registry_init_logs (registry, &error));
  g_assert_no_error (error);
  assert_all_registered (registry, TL_LEVEL_WARNING);
  assert_emit (registry, "torch._dynamo", NULL, TL_LEVEL_WARNING, TRUE);
  assert_emit (registry, "torch._dynamo", NULL, TL_LEVEL_INFO, FALSE);
  assert_emit (registry, "torch._dynamo", NULL, TL_LEVEL_DEBUG, FALSE);
}

static void
test_init_empty_is_unset (void)
{
  /* Fact 11, C decision: an empty variable is the same as an unset one. */
  g_autoptr(TlRegistry) registry = new_env_registry ("");
  g_autoptr(GError) error = NULL;

  g_assert_true (tl_registry_init_logs (registry, &error));
  g_assert_no_error (error);
  assert_all_registered (registry, TL_LEVEL_WARNING);
  g_unsetenv (TEST_ENV_VAR);
}

static void
test_init_levels (void)
{
  /* Facts 2, 3, 4 and §4.3. */
  g_autoptr(TlRegistry) registry = new_env_registry ("+dynamo,aot");
  g_autoptr(GError) error = NULL;

  g_assert_true (tl_registry_init_logs (registry, &error));
  g_assert_no_error (error);
  assert_level (registry, "torch._dynamo", TL_LEVEL_DEBUG);
  assert_level (registry, "torch.fx.experimental.symbolic_shapes", TL_LEVEL_DEBUG);
  assert_level (registry, "torch.fx.experimental.sym_node", TL_LEVEL_DEBUG);
  assert_level (registry, "torch.fx.experimental.recording", TL_LEVEL_DEBUG);
  assert_level (registry, "torch._functorch.aot_autograd", TL_LEVEL_INFO);
  assert_level (registry, "torch._functorch._aot_autograd", TL_LEVEL_INFO);
  assert_level (registry, "torch._inductor", TL_LEVEL_WARNING);
  assert_level (registry, "torch", TL_LEVEL_WARNING);

  /* Read on every call (§2.1). */
  g_setenv (TEST_ENV_VAR, "-dynamo,+inductor", TRUE);
  g_assert_true (tl_registry_init_logs (registry, &error));
  g_assert_no_error (error);
  assert_level (registry, "torch._dynamo", TL_LEVEL_ERROR);
  assert_level (registry, "torch.fx.experimental.symbolic_shapes", TL_LEVEL_ERROR);
  assert_level (registry, "torch._inductor", TL_LEVEL_DEBUG);
  assert_level (registry, "torch._inductor.cudagraph_trees", TL_LEVEL_DEBUG);
  assert_level (registry, "torch._functorch.aot_autograd", TL_LEVEL_WARNING);

  g_setenv (TEST_ENV_VAR, "all", TRUE);
  g_assert_true (tl_registry_init_logs (registry, &error));
  g_assert_no_error (error);
  assert_level (registry, "torch", TL_LEVEL_INFO);
  assert_all_registered (registry, TL_LEVEL_INFO);
  assert_level (registry, "torch.anything.at.all", TL_LEVEL_INFO);
  assert_level (registry, "somepkg", TL_LEVEL_WARNING);
  g_unsetenv (TEST_ENV_VAR);
}

static void
test_init_invalid (void)
{
  /* Fact 12 with issue 2's decision: the error is printed once on stderr
   * (as torch's traceback ends), reported in the GError, and the defaults
   * stay. */
  static const char * const settings[] = {
    "aot_g", "not_an_existing_log_artifact_should_error",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      g_autoptr(TlRegistry) registry = new_env_registry (settings[i]);
      g_autoptr(GError) error = NULL;
      g_autofree char *expected = expected_invalid_message (settings[i]);
      g_autofree char *expected_stderr = g_strconcat ("ValueError: ", expected, "\n", NULL);
      g_autofree char *output = NULL;
      g_auto(GStrv) lines = NULL;
      TlTestStderr capture;
      gboolean ok;
      guint n;

      tl_test_stderr_begin (&capture);
      ok = tl_registry_init_logs (registry, &error);
      output = tl_test_stderr_end (&capture);

      g_assert_false (ok);
      g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_SETTINGS);
      g_assert_cmpstr (error->message, ==, expected);
      /* Once, ending as torch's traceback does. */
      g_assert_true (g_str_has_suffix (output, expected_stderr));
      g_assert_null (strstr (strstr (output, "Invalid log settings") + 1, "Invalid log settings"));
      lines = g_strsplit (output, "\n", -1);
      n = g_strv_length (lines);
      g_assert_cmpuint (n, <, 50);
      g_assert_cmpstr (lines[n - 5], ==, "For more info on various settings, try TORCH_LOGS=\"help\"");
      g_assert_cmpstr (lines[n - 4], ==, "Valid settings:");
      assert_all_registered (registry, TL_LEVEL_WARNING);
    }
  g_unsetenv (TEST_ENV_VAR);
}

static void
test_init_invalid_after_valid (void)
{
  /* A second init with a bad value reports it like the first. */
  g_autoptr(TlRegistry) registry = new_env_registry ("+inductor");
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  TlTestStderr capture;

  g_assert_true (tl_registry_init_logs (registry, &error));
  g_setenv (TEST_ENV_VAR, "+inductor,bogus", TRUE);
  tl_test_stderr_begin (&capture);
  g_assert_false (tl_registry_init_logs (registry, &error));
  output = tl_test_stderr_end (&capture);
  g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_SETTINGS);
  g_assert_nonnull (strstr (output, "ValueError: \nInvalid log settings: +inductor,bogus, "));
  g_unsetenv (TEST_ENV_VAR);
}

static void
test_init_help (void)
{
  /* Issue 2: `help` prints the help and carries on. */
  g_autoptr(TlRegistry) registry = new_env_registry ("help");
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_strconcat (help_head, help_tail, NULL);
  g_autofree char *output = NULL;
  TlTestStderr capture;
  gboolean ok;

  tl_test_stderr_begin (&capture);
  ok = tl_registry_init_logs (registry, &error);
  output = tl_test_stderr_end (&capture);
  g_assert_true (ok);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (output, expected));
  assert_all_registered (registry, TL_LEVEL_WARNING);

  g_setenv (TEST_ENV_VAR, "+help", TRUE);
  g_clear_pointer (&expected, g_free);
  g_clear_pointer (&output, g_free);
  expected = g_strconcat (help_head, verbose_help_tail, NULL);
  tl_test_stderr_begin (&capture);
  ok = tl_registry_init_logs (registry, &error);
  output = tl_test_stderr_end (&capture);
  g_assert_true (ok);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (output, expected));
  g_unsetenv (TEST_ENV_VAR);
}

static void
test_flex_gemm (void)
{
  /* Fact 16. */
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();
  GListModel *artifacts = tl_registry_get_artifacts (registry);

  parse_ok (registry, "flex_gemm");
  assert_level (registry, "torch._inductor.kernel.flex_gemm.debug", TL_LEVEL_INFO);
  for (guint i = 0; i < g_list_model_get_n_items (artifacts); i++)
    {
      g_autoptr(TlArtifact) artifact = g_list_model_get_item (artifacts, i);
      g_assert_false (tl_artifact_get_enabled (artifact));
    }
  parse_ok (registry, "+flex_gemm");
  assert_level (registry, "torch._inductor.kernel.flex_gemm.debug", TL_LEVEL_DEBUG);
}

/* ---- §4.4 artifact emission ------------------------------------------ */

typedef struct {
  const char *name;
  gboolean    off_by_default;
  gboolean    visible;
} ArtifactRow;

static const ArtifactRow pytorch_artifacts[] = {
  { "cudagraphs", FALSE, FALSE },
  { "native_dsl_compile", TRUE, FALSE },
  { "guards", FALSE, TRUE },
  { "verbose_guards", TRUE, FALSE },
  { "bytecode", TRUE, FALSE },
  { "graph", FALSE, FALSE },
  { "graph_code", FALSE, FALSE },
  { "graph_code_verbose", FALSE, FALSE },
  { "graph_sizes", FALSE, FALSE },
  { "trace_source", FALSE, FALSE },
  { "trace_call", FALSE, FALSE },
  { "trace_bytecode", FALSE, FALSE },
  { "aot_graphs", FALSE, TRUE },
  { "aot_joint_graph", FALSE, FALSE },
  { "aot_graphs_effects", FALSE, TRUE },
  { "pre_grad_graphs", FALSE, FALSE },
  { "post_grad_graphs", FALSE, FALSE },
  { "ir_pre_fusion", TRUE, FALSE },
  { "ir_post_fusion", TRUE, FALSE },
  { "compiled_autograd", FALSE, TRUE },
  { "compiled_autograd_verbose", TRUE, FALSE },
  { "ddp_graphs", FALSE, FALSE },
  { "recompiles", FALSE, TRUE },
  { "recompiles_verbose", TRUE, TRUE },
  { "graph_breaks", FALSE, TRUE },
  { "side_effects", FALSE, TRUE },
  { "not_implemented", FALSE, FALSE },
  { "output_code", TRUE, TRUE },
  { "kernel_code", TRUE, TRUE },
  { "schedule", TRUE, FALSE },
  { "perf_hints", TRUE, FALSE },
  { "compute_dependencies", TRUE, FALSE },
  { "fusion", TRUE, FALSE },
  { "loop_ordering", TRUE, FALSE },
  { "loop_tiling", TRUE, FALSE },
  { "auto_chunker", TRUE, FALSE },
  { "overlap", TRUE, FALSE },
  { "overlap_scheduling", TRUE, FALSE },
  { "partitioned_scatter", TRUE, FALSE },
  { "sym_node", TRUE, FALSE },
  { "trace_shape_events", TRUE, FALSE },
  { "cudagraph_static_inputs", TRUE, FALSE },
  { "benchmarking", TRUE, FALSE },
  { "incremental", TRUE, FALSE },
  { "node_runtime_estimation", TRUE, FALSE },
  { "autotuning", TRUE, FALSE },
  { "autotuning_inputs", TRUE, FALSE },
  { "graph_region_expansion", TRUE, FALSE },
  { "inductor_metrics", TRUE, FALSE },
  { "hierarchical_compile", TRUE, FALSE },
  { "annotation", TRUE, FALSE },
  { "custom_format_test_artifact", FALSE, FALSE },
  { "caching", TRUE, FALSE },
};

static void
test_artifact_table (void)
{
  /* The three rows of §4.4, for every PyTorch artifact, emitted from a
   * module below dynamo, both as (domain, artifact) and as the artifact
   * logger's own domain. */
  static const TlLevel levels[] = {
    TL_LEVEL_DEBUG, TL_LEVEL_INFO, TL_LEVEL_WARNING, TL_LEVEL_ERROR, TL_LEVEL_CRITICAL,
  };
  static const struct {
    const char *settings;
    TlLevel     component_level;
  } configs[] = {
    { "", TL_LEVEL_WARNING },
    { "+dynamo", TL_LEVEL_DEBUG },
    { "dynamo", TL_LEVEL_INFO },
    { "-dynamo", TL_LEVEL_ERROR },
  };

  g_assert_cmpuint (G_N_ELEMENTS (pytorch_artifacts), ==, 53);
  for (gsize c = 0; c < G_N_ELEMENTS (configs); c++)
    for (gsize a = 0; a < G_N_ELEMENTS (pytorch_artifacts); a++)
      {
        const ArtifactRow *row = &pytorch_artifacts[a];
        g_autoptr(TlRegistry) registry = new_pytorch_registry ();
        g_autofree char *enabled_settings = NULL;
        g_autofree char *logger = g_strconcat ("torch._dynamo.guards.__", row->name, NULL);
        TlArtifact *artifact = tl_registry_lookup_artifact (registry, row->name);

        g_assert_nonnull (artifact);
        g_assert_cmpint (tl_artifact_get_off_by_default (artifact), ==, row->off_by_default);
        g_assert_cmpint (tl_artifact_get_visible (artifact), ==, row->visible);

        /* Row 2 and 3: not enabled. */
        parse_ok (registry, configs[c].settings);
        for (gsize l = 0; l < G_N_ELEMENTS (levels); l++)
          {
            gboolean expected = !row->off_by_default && levels[l] >= configs[c].component_level;

            assert_emit (registry, "torch._dynamo.guards", row->name, levels[l], expected);
            assert_emit (registry, logger, NULL, levels[l], expected);
          }

        /* Row 1: explicitly enabled, whatever dynamo's level. */
        enabled_settings = configs[c].settings[0]
          ? g_strconcat (configs[c].settings, ",", row->name, NULL)
          : g_strdup (row->name);
        parse_ok (registry, enabled_settings);
        assert_level (registry, "torch._dynamo", configs[c].component_level);
        for (gsize l = 0; l < G_N_ELEMENTS (levels); l++)
          {
            assert_emit (registry, "torch._dynamo.guards", row->name, levels[l], TRUE);
            assert_emit (registry, logger, NULL, levels[l], TRUE);
          }
      }
}

static void
test_artifact_everywhere (void)
{
  /* Enabling an artifact enables it in every module using it, but only
   * where torchlog handles the domain. */
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();

  parse_ok (registry, "output_code");
  assert_emit (registry, "torch._inductor.graph", "output_code", TL_LEVEL_DEBUG, TRUE);
  assert_emit (registry, "torch._dynamo", "output_code", TL_LEVEL_DEBUG, TRUE);
  assert_emit (registry, "torch", "output_code", TL_LEVEL_DEBUG, TRUE);
  assert_emit (registry, "somepkg.mod", "output_code", TL_LEVEL_CRITICAL, FALSE);
  assert_emit (registry, "somepkg.mod.__output_code", NULL, TL_LEVEL_CRITICAL, FALSE);
}

static void
test_artifact_facts (void)
{
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();

  /* Fact 34: guards at the default level. */
  parse_ok (registry, "guards");
  assert_emit (registry, "torch._dynamo.guards.__guards", NULL, TL_LEVEL_DEBUG, TRUE);
  parse_ok (registry, "dynamo");
  assert_emit (registry, "torch._dynamo.guards.__guards", NULL, TL_LEVEL_DEBUG, FALSE);
  assert_emit (registry, "torch._dynamo.guards.__guards", NULL, TL_LEVEL_INFO, TRUE);

  /* Fact 32 and §4.4: `+dynamo` shows no bytecode or output_code;
   * `+inductor` no output_code; fact 33: no autotuning_inputs. */
  parse_ok (registry, "+dynamo");
  assert_emit (registry, "torch._dynamo.convert_frame.__bytecode", NULL, TL_LEVEL_DEBUG, FALSE);
  assert_emit (registry, "torch._dynamo.convert_frame.__output_code", NULL, TL_LEVEL_DEBUG, FALSE);
  assert_emit (registry, "torch._dynamo.convert_frame.__guards", NULL, TL_LEVEL_DEBUG, TRUE);
  parse_ok (registry, "+inductor");
  assert_emit (registry, "torch._inductor.graph.__output_code", NULL, TL_LEVEL_DEBUG, FALSE);
  assert_emit (registry, "torch._inductor.graph.__output_code", NULL, TL_LEVEL_INFO, FALSE);
  assert_emit (registry, "torch._inductor.select_algorithm.__autotuning_inputs", NULL,
               TL_LEVEL_DEBUG, FALSE);
  parse_ok (registry, "inductor");
  assert_emit (registry, "torch._inductor.graph.__output_code", NULL, TL_LEVEL_INFO, FALSE);

  /* Fact 35: named, the off-by-default artifacts print. */
  parse_ok (registry, "bytecode,output_code");
  assert_emit (registry, "torch._dynamo.convert_frame.__bytecode", NULL, TL_LEVEL_DEBUG, TRUE);
  assert_emit (registry, "torch._inductor.graph.__output_code", NULL, TL_LEVEL_DEBUG, TRUE);
}

/* ---- tl_registry_explain() ------------------------------------------ */

static void
test_explain (void)
{
  /* Not torch's: a description of the configuration for people. It must
   * name the logs, their levels and the enabled artifacts. */
  g_autoptr(TlRegistry) registry = new_pytorch_registry ();
  g_autofree char *text = NULL;

  parse_ok (registry, "+dynamo,-inductor,guards");
  text = tl_registry_explain (registry);
  g_assert_nonnull (text);
  g_assert_true (g_regex_match_simple ("^\\s*dynamo\\s+DEBUG\\b.*\\+dynamo", text,
                                       G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^\\s*inductor\\s+ERROR\\b.*-inductor", text,
                                       G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^\\s*aot\\s+WARNING\\b", text, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^\\s*guards\\b", text, G_REGEX_MULTILINE, 0));
  g_assert_false (g_regex_match_simple ("^\\s*graph_code\\b", text, G_REGEX_MULTILINE, 0));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/parser/grammar/valid", test_grammar_valid);
  g_test_add_func ("/parser/grammar/invalid-reports-original", test_grammar_invalid);
  g_test_add_func ("/parser/grammar/regex-then-names", test_grammar_regex_then_names);
  g_test_add_func ("/parser/grammar/unicode-word-names", test_grammar_unicode_names);
  g_test_add_func ("/parser/grammar/dotted-names", test_grammar_dotted_names);
  g_test_add_func ("/parser/tokenise/prefix-levels", test_tokenise_prefixes);
  g_test_add_func ("/parser/tokenise/whitespace-removed", test_tokenise_whitespace_removed);
  g_test_add_func ("/parser/names/all-is-torch", test_names_all_is_torch);
  g_test_add_func ("/parser/names/last-wins", test_names_last_wins);
  g_test_add_func ("/parser/names/artifact-prefix-ignored", test_names_artifact_prefix_ignored);
  g_test_add_func ("/parser/names/alias-before-artifact", test_names_alias_before_artifact);
  g_test_add_func ("/parser/names/case-sensitive", test_names_case_sensitive);
  g_test_add_func ("/parser/names/unknown-reports-stripped", test_names_unknown_reports_stripped);
  g_test_add_func ("/parser/names/failure-changes-nothing", test_names_failure_changes_nothing);
  g_test_add_func ("/parser/open-registration/new-log", test_open_registration_new_log);
  g_test_add_func ("/parser/open-registration/listed", test_open_registration_listed);
  g_test_add_func ("/parser/open-registration/listed-on-failure",
                   test_open_registration_listed_on_failure);
  g_test_add_func ("/parser/open-registration/child", test_open_registration_child);
  g_test_add_func ("/parser/open-registration/undotted-unknown-fails",
                   test_open_registration_undotted_unknown);
  g_test_add_func ("/parser/open-registration/dotted-unknown-accepted",
                   test_open_registration_dotted_unknown);
  g_test_add_func ("/parser/open-registration/subpackage-children",
                   test_open_registration_subpackage_children);
  g_test_add_func ("/parser/open-registration/directory", test_open_registration_directory);
  g_test_add_func ("/parser/open-registration/directory-submodule",
                   test_open_registration_directory_fact25);
  g_test_add_func ("/parser/text/invalid-settings", test_invalid_settings_text);
  g_test_add_func ("/parser/text/invalid-settings-sorting", test_invalid_settings_sorting);
  g_test_add_func ("/parser/text/help", test_help_text);
  g_test_add_func ("/parser/text/help-custom-registry", test_help_text_custom_registry);
  g_test_add_func ("/parser/special/empty", test_special_empty);
  g_test_add_func ("/parser/special/help-changes-nothing", test_special_help_changes_nothing);
  g_test_add_func ("/parser/special/only-exact", test_special_only_exact);
  g_test_add_func ("/parser/duplicates/last-mention-wins", test_duplicates);
  g_test_add_func ("/parser/duplicates/all-and-alias", test_all_and_alias_order_free);
  g_test_add_func ("/parser/init/unset", test_init_unset);
  g_test_add_func ("/parser/init/empty-is-unset", test_init_empty_is_unset);
  g_test_add_func ("/parser/init/levels", test_init_levels);
  g_test_add_func ("/parser/init/invalid", test_init_invalid);
  g_test_add_func ("/parser/init/invalid-after-valid", test_init_invalid_after_valid);
  g_test_add_func ("/parser/init/help", test_init_help);
  g_test_add_func ("/parser/levels/flex-gemm", test_flex_gemm);
  g_test_add_func ("/parser/artifacts/table", test_artifact_table);
  g_test_add_func ("/parser/artifacts/every-module", test_artifact_everywhere);
  g_test_add_func ("/parser/artifacts/facts", test_artifact_facts);
  g_test_add_func ("/parser/explain", test_explain);

  return g_test_run ();
}
