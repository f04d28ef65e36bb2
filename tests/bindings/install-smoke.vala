/* install-smoke.vala: built by install-smoke.sh against the installed
 * torchlog-1.vapi, headers and pkg-config file only.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
int main () {
  var registry = new Tl.Registry ();
  registry.add_pytorch_registrations ();
  string[] names = { "dynamo", "graph_code" };
  Value[] values = { Tl.Level.DEBUG, true };
  try {
    registry.set_logs (names, values);
  } catch (Error e) {
    printerr ("%s\n", e.message);
    return 1;
  }
  return registry.get_effective_level ("torch._dynamo") == Tl.Level.DEBUG &&
         registry.lookup_artifact ("graph_code").enabled ? 0 : 1;
}
