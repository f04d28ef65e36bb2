// torch's set_logs() from gjs (run with `gjs -m`): names and values as
// two arrays; a plain object makes them readable.
import Torchlog from 'gi://Torchlog?version=1.0';

const registry = Torchlog.Registry.get_default();
registry.add_pytorch_registrations();
registry.install_writer();

const settings = {dynamo: Torchlog.Level.DEBUG, graph_code: true};
registry.set_logs(Object.keys(settings), Object.values(settings));

// A binding's records go through the same filter, format and outputs as
// the C macros'; an artifact's go to its logger, MODULE.__ARTIFACT.
const log = (domain, level, message) =>
    registry.write_record(domain, level, message, 'set-logs.js', 0, null);
log('torch._dynamo', Torchlog.Level.DEBUG, 'dynamo is at DEBUG');
const graphCode = registry.get_artifact_logger('torch._dynamo', 'graph_code');
log(graphCode, Torchlog.Level.DEBUG, 'def forward(self, x):\n    return x + 1');

// Errors are GLib.Errors of the Torchlog.Error domain, with torch's text.
try {
    registry.set_logs(['dynamo'], ['verbose']);
} catch (error) {
    print(error.message);
}
