// torch's set_logs() from Vala: the vapi's namespace is Tl (the C prefix).
int main () {
  unowned Tl.Registry registry = Tl.Registry.get_default ();
  registry.add_pytorch_registrations ();
  registry.install_writer ();

  string[] names = { "dynamo", "graph_code" };
  Value[] values = { Tl.Level.DEBUG, true };
  try {
    registry.set_logs (names, values);
  } catch (Error error) {
    printerr ("%s\n", error.message);
    return 1;
  }

  // A binding's records go through the same filter, format and outputs
  // as the C macros'; an artifact's go to its logger, MODULE.__ARTIFACT.
  registry.write_record ("torch._dynamo", Tl.Level.DEBUG, "dynamo is at DEBUG",
                         Log.FILE, Log.LINE, Log.METHOD);
  try {
    var graph_code = registry.get_artifact_logger ("torch._dynamo", "graph_code");
    registry.write_record (graph_code, Tl.Level.DEBUG, "def forward(self, x):\n    return x + 1",
                           Log.FILE, Log.LINE, Log.METHOD);
  } catch (Error error) {
    printerr ("%s\n", error.message);
  }

  // Errors are of the Tl.Error domain, with torch's text.
  try {
    string[] bad_names = { "dynamo" };
    Value[] bad_values = { "verbose" };
    registry.set_logs (bad_names, bad_values);
  } catch (Error error) {
    print ("%s\n", error.message);
  }
  return 0;
}
