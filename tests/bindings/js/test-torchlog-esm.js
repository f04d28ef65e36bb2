// test-torchlog-esm.js: torchlog from gjs as an ES module (gi://Torchlog),
// run with `gjs -m`. Prints TAP.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import Torchlog from 'gi://Torchlog?version=1.0';
import System from 'system';

const tests = [];
const test = (name, body) => tests.push([name, body]);
function assertEqual(actual, expected, what = 'value') {
    if (actual !== expected)
        throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function pytorchRegistry() {
    const registry = new Torchlog.Registry();
    registry.add_pytorch_registrations();
    return registry;
}

const setLogs = (registry, settings) =>
    registry.set_logs(Object.keys(settings), Object.values(settings));

test('the default registry is a singleton', () => {
    assertEqual(Torchlog.Registry.get_default(), Torchlog.Registry.get_default());
    assertEqual(Torchlog.MAJOR_VERSION, 0);
});

test('parse and read levels', () => {
    const registry = pytorchRegistry();
    registry.parse_logs('+dynamo,aot');
    assertEqual(registry.get_effective_level('torch._dynamo'), Torchlog.Level.DEBUG);
    assertEqual(registry.get_effective_level('torch._functorch.aot_autograd'), Torchlog.Level.INFO);
    assertEqual(registry.get_effective_level('torch._inductor'), Torchlog.Level.WARNING);
});

test('set_logs from a plain object, artifacts and errors', () => {
    const registry = pytorchRegistry();
    setLogs(registry, {dynamo: 10, graph_code: true});
    assertEqual(registry.lookup_component('dynamo').level, Torchlog.Level.DEBUG);
    assertEqual(registry.lookup_artifact('graph_code').enabled, true);
    let message = null;
    try {
        setLogs(registry, {guards: 1});
    } catch (e) {
        assertEqual(e.matches(Torchlog.Error, Torchlog.Error.INVALID_VALUE), true, 'code');
        message = e.message;
    }
    assertEqual(message, 'Expected bool to enable artifact guards, received 1');
    assertEqual(registry.lookup_artifact('graph_code').enabled, true, 'unchanged');
});

test('changed and notify::level', () => {
    const registry = pytorchRegistry();
    const inductor = registry.lookup_component('inductor');
    const seen = [];
    registry.connect('changed', () => seen.push('changed'));
    inductor.connect('notify::level', () => seen.push(inductor.level));
    setLogs(registry, {inductor: Torchlog.Level.ERROR});
    assertEqual(seen.join(','), '40,changed');
});

test('help text', () => {
    const registry = pytorchRegistry();
    const help = registry.help_message(false);
    assertEqual(help.includes('TORCH_LOGS Info'), true);
    assertEqual(help.includes("Visible registered names (use TORCH_LOGS='+help' for full list)"), true);
    let error = null;
    try {
        registry.parse_logs('+help');
    } catch (e) {
        error = e;
    }
    assertEqual(error?.matches(Torchlog.Error, Torchlog.Error.HELP), true, '+help is an error');
    assertEqual(error.message.includes('All registered names'), true);
});

print('TAP version 13');
print(`1..${tests.length}`);
let failed = 0;
tests.forEach(([name, body], i) => {
    try {
        body();
        print(`ok ${i + 1} - ${name}`);
    } catch (e) {
        failed++;
        print(`not ok ${i + 1} - ${name}`);
        for (const line of `${e}\n${e.stack ?? ''}`.split('\n'))
            print(`# ${line}`);
    }
});
System.exit(failed ? 1 : 0);
