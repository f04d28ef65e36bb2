/* test-torchlog.vala: torchlog from Vala through torchlog-1.vapi: parse,
 * set_logs, levels, artifacts and signals. A GTest program (TAP).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

static Tl.Registry pytorch_registry () {
  var registry = new Tl.Registry ();
  registry.add_pytorch_registrations ();
  return registry;
}

static string enabled_artifacts (Tl.Registry registry) {
  string[] names = {};
  var model = registry.get_artifacts ();
  for (uint i = 0; i < model.get_n_items (); i++) {
    var artifact = (Tl.Artifact) model.get_item (i);
    if (artifact.enabled)
      names += artifact.name;
  }
  return string.joinv (",", names);
}

static void test_parse () {
  var registry = pytorch_registry ();
  try {
    registry.parse_logs ("+dynamo,aot,guards");
  } catch (Error e) {
    assert_no_error (e);
  }
  assert_true (registry.get_effective_level ("torch._dynamo") == Tl.Level.DEBUG);
  assert_true (registry.get_effective_level ("torch._functorch.aot_autograd") == Tl.Level.INFO);
  assert_true (registry.get_effective_level ("torch._inductor") == Tl.Level.WARNING);
  assert_cmpstr (enabled_artifacts (registry), CompareOperator.EQ, "guards");

  try {
    registry.parse_logs ("dynamo, bogus");
    assert_not_reached ();
  } catch (Tl.Error e) {
    assert_error (e, Tl.Error.quark (), Tl.Error.INVALID_SETTINGS);
    assert_true (e.message.has_prefix ("\nInvalid log settings: dynamo,bogus, must be"));
  } catch (Error e) {
    assert_not_reached ();
  }
  /* Nothing changed. */
  assert_true (registry.get_effective_level ("torch._dynamo") == Tl.Level.DEBUG);
}

static void test_set_logs () {
  var registry = pytorch_registry ();
  string[] names = { "dynamo", "graph_code", "export" };
  Value[] values = { Tl.Level.DEBUG, true, Tl.Level.INFO };
  try {
    registry.set_logs (names, values);
  } catch (Error e) {
    assert_no_error (e);
  }
  /* export comes later and shares torch._dynamo. */
  assert_true (registry.get_effective_level ("torch._dynamo") == Tl.Level.INFO);
  assert_true (registry.get_effective_level ("torch.export") == Tl.Level.INFO);
  assert_cmpstr (enabled_artifacts (registry), CompareOperator.EQ, "graph_code");

  var builder = new VariantBuilder (new VariantType ("a{sv}"));
  builder.add ("{sv}", "inductor", new Variant.int32 (Tl.Level.DEBUG));
  builder.add ("{sv}", "output_code", new Variant.boolean (true));
  try {
    registry.set_logs_variant (builder.end ());
  } catch (Error e) {
    assert_no_error (e);
  }
  assert_true (registry.get_effective_level ("torch._inductor") == Tl.Level.DEBUG);
  assert_true (registry.get_effective_level ("torch._dynamo") == Tl.Level.WARNING);
  assert_cmpstr (enabled_artifacts (registry), CompareOperator.EQ, "output_code");
}

static void test_set_logs_errors () {
  var registry = pytorch_registry ();
  string[] names = { "aot_graphs" };
  Value[] values = { 5 };
  try {
    registry.set_logs (names, values);
    assert_not_reached ();
  } catch (Error e) {
    assert_error (e, Tl.Error.quark (), Tl.Error.INVALID_VALUE);
    assert_cmpstr (e.message, CompareOperator.EQ,
                   "Expected bool to enable artifact aot_graphs, received 5");
  }
  names = { "nonexistent_mod" };
  values = { 10 };
  try {
    registry.set_logs (names, values);
    assert_not_reached ();
  } catch (Error e) {
    assert_cmpstr (e.message, CompareOperator.EQ,
                   "Unrecognized log or artifact name passed to set_logs: nonexistent_mod");
  }
}

static void test_artifacts () {
  var registry = pytorch_registry ();
  var bytecode = registry.lookup_artifact ("bytecode");
  assert_nonnull (bytecode);
  assert_true (bytecode.off_by_default);
  assert_false (bytecode.enabled);
  try {
    registry.parse_logs ("+dynamo");
  } catch (Error e) {
    assert_no_error (e);
  }
  assert_true (registry.should_emit ("torch._dynamo.guards", "guards", Tl.Level.DEBUG));
  assert_false (registry.should_emit ("torch._dynamo", "bytecode", Tl.Level.CRITICAL));
  bytecode.enabled = true;
  assert_true (registry.should_emit ("torch._dynamo", "bytecode", Tl.Level.DEBUG));
  try {
    assert_cmpstr (registry.get_artifact_logger ("torch._dynamo", "guards"),
                   CompareOperator.EQ, "torch._dynamo.__guards");
  } catch (Error e) {
    assert_no_error (e);
  }
}

static void test_signals () {
  var registry = pytorch_registry ();
  var dynamo = registry.lookup_component ("dynamo");
  string seen = "";
  registry.changed.connect (() => { seen += "changed;"; });
  dynamo.notify["level"].connect (() => { seen += "level %d;".printf (dynamo.level); });
  registry.component_added.connect ((c) => { seen += "added %s;".printf (c.name); });
  try {
    registry.parse_logs ("dynamo,my.module");
  } catch (Error e) {
    assert_no_error (e);
  }
  assert_cmpstr (seen, CompareOperator.EQ, "added my.module;level 20;changed;");
  seen = "";
  dynamo.level = Tl.Level.ERROR;
  assert_true ("level 40;" in seen);
  assert_true (registry.get_effective_level ("torch._dynamo.x") == Tl.Level.ERROR);
}

static void test_register () {
  var registry = new Tl.Registry ();
  var component = registry.register_log ("app", { "myapp", "myapp.net" }, "My application");
  registry.register_artifact ("packets", "Every packet", Tl.ArtifactFlags.OFF_BY_DEFAULT, null);
  assert_cmpstr (component.description, CompareOperator.EQ, "My application");
  assert_cmpstrv (component.dup_domains (), { "myapp", "myapp.net" });
  try {
    registry.parse_logs ("app,packets");
  } catch (Error e) {
    assert_no_error (e);
  }
  assert_true (registry.get_effective_level ("myapp.net.tcp") == Tl.Level.INFO);
  assert_true (registry.should_emit ("myapp.net", "packets", Tl.Level.DEBUG));
}

int main (string[] args) {
  Test.init (ref args);
  Test.add_func ("/vala/parse", test_parse);
  Test.add_func ("/vala/set-logs", test_set_logs);
  Test.add_func ("/vala/set-logs-errors", test_set_logs_errors);
  Test.add_func ("/vala/artifacts", test_artifacts);
  Test.add_func ("/vala/signals", test_signals);
  Test.add_func ("/vala/register", test_register);
  return Test.run ();
}
