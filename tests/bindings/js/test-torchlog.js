// test-torchlog.js: torchlog from gjs through imports.gi (legacy imports):
// parsing, set_logs from a plain object, levels, artifacts and signals.
// Prints TAP.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

imports.gi.versions.Torchlog = '1.0';
const {GLib, Torchlog} = imports.gi;

const tests = [];
function test(name, body) {
    tests.push([name, body]);
}
function assertEqual(actual, expected, what) {
    if (actual !== expected)
        throw new Error(`${what || 'value'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
function assertThrows(body, code, message) {
    try {
        body();
    } catch (e) {
        if (!(e instanceof GLib.Error))
            throw new Error(`expected a GLib.Error, got ${e}`);
        if (!e.matches(Torchlog.Error, code))
            throw new Error(`wrong error: ${e.message}`);
        if (message !== undefined)
            assertEqual(e.message, message, 'error message');
        return;
    }
    throw new Error('no error thrown');
}

function pytorchRegistry() {
    const registry = Torchlog.Registry.new();
    registry.add_pytorch_registrations();
    return registry;
}

// Settings as a plain JavaScript object, applied in the object's order.
function setLogs(registry, settings) {
    return registry.set_logs(Object.keys(settings), Object.values(settings));
}

function enabledArtifacts(registry) {
    const names = [];
    const model = registry.get_artifacts();
    for (let i = 0; i < model.get_n_items(); i++) {
        const artifact = model.get_item(i);
        if (artifact.enabled)
            names.push(artifact.name);
    }
    return names.sort().join(',');
}

test('levels are Python logging numbers', () => {
    assertEqual(Torchlog.Level.NOTSET, 0);
    assertEqual(Torchlog.Level.DEBUG, 10);
    assertEqual(Torchlog.Level.INFO, 20);
    assertEqual(Torchlog.Level.WARNING, 30);
    assertEqual(Torchlog.Level.ERROR, 40);
    assertEqual(Torchlog.Level.CRITICAL, 50);
});

test('pytorch registrations are listable', () => {
    const registry = pytorchRegistry();
    assertEqual(registry.get_components().get_n_items(), 18, 'components');
    assertEqual(registry.get_artifacts().get_n_items(), 53, 'artifacts');
    const dynamo = registry.lookup_component('dynamo');
    assertEqual(dynamo.name, 'dynamo');
    assertEqual(dynamo.domains[0], 'torch._dynamo');
    assertEqual(registry.lookup_artifact('bytecode').off_by_default, true);
    assertEqual(registry.lookup_artifact('guards').visible, true);
    assertEqual(registry.lookup_component('nope'), null);
});

test('parse_logs sets levels and artifacts', () => {
    const registry = pytorchRegistry();
    assertEqual(registry.parse_logs('+dynamo,aot,-inductor,guards'), true);
    assertEqual(registry.get_effective_level('torch._dynamo'), Torchlog.Level.DEBUG);
    assertEqual(registry.get_effective_level('torch._dynamo.guards'), Torchlog.Level.DEBUG);
    assertEqual(registry.get_effective_level('torch._functorch.aot_autograd'), Torchlog.Level.INFO);
    assertEqual(registry.get_effective_level('torch._inductor'), Torchlog.Level.ERROR);
    assertEqual(registry.lookup_component('dynamo').level, Torchlog.Level.DEBUG);
    assertEqual(enabledArtifacts(registry), 'guards');
});

test('parse_logs errors carry torch texts', () => {
    const registry = pytorchRegistry();
    assertThrows(() => registry.parse_logs('dynamo, bogus'), Torchlog.Error.INVALID_SETTINGS);
    let error = null;
    try {
        registry.parse_logs('dynamo ,aot');
    } catch (e) {
        error = e;
    }
    assertEqual(error.message.startsWith('\nInvalid log settings: dynamo ,aot, must be'), true, 'text');
    assertThrows(() => registry.parse_logs('help'), Torchlog.Error.HELP);
});

test('set_logs from a plain object', () => {
    const registry = pytorchRegistry();
    setLogs(registry, {dynamo: 10, graph_code: true});
    assertEqual(registry.get_effective_level('torch._dynamo'), Torchlog.Level.DEBUG);
    assertEqual(enabledArtifacts(registry), 'graph_code');
    setLogs(registry, {all: Torchlog.Level.INFO, aot: null});
    assertEqual(registry.get_effective_level('torch._inductor'), Torchlog.Level.INFO);
    assertEqual(registry.get_effective_level('torch._dynamo'), Torchlog.Level.INFO);
    assertEqual(enabledArtifacts(registry), '', 'each call is complete');
});

test('set_logs order: later pairs win for shared domains', () => {
    const registry = pytorchRegistry();
    setLogs(registry, {dynamo: 10, export: 20});
    assertEqual(registry.get_effective_level('torch._dynamo'), Torchlog.Level.INFO);
    setLogs(registry, {export: 20, dynamo: 10});
    assertEqual(registry.get_effective_level('torch._dynamo'), Torchlog.Level.DEBUG);
});

test('set_logs modules and open registration', () => {
    const registry = pytorchRegistry();
    let added = null;
    registry.connect('component-added', (r, component) => {
        added = component.name;
    });
    setLogs(registry, {'some.random.module': 10, 'torch.utils': 20});
    assertEqual(added, 'some.random.module');
    assertEqual(registry.get_effective_level('some.random.module.sub'), Torchlog.Level.DEBUG);
    assertEqual(registry.is_child_log('torch.utils'), true);
});

test('set_logs errors carry torch texts and change nothing', () => {
    const registry = pytorchRegistry();
    setLogs(registry, {aot: 20});
    const tail = ', valid level values are: 50,40,30,20,10,0';
    assertThrows(() => setLogs(registry, {aot_graphs: 5}), Torchlog.Error.INVALID_VALUE,
        'Expected bool to enable artifact aot_graphs, received 5');
    assertThrows(() => setLogs(registry, {dynamo: 15}), Torchlog.Error.INVALID_VALUE,
        `Unrecognized log level for log dynamo: 15${tail}`);
    assertThrows(() => setLogs(registry, {dynamo: 12.5}), Torchlog.Error.INVALID_VALUE,
        `Unrecognized log level for log dynamo: 12.5${tail}`);
    assertThrows(() => setLogs(registry, {nonexistent_mod: 10}), Torchlog.Error.UNKNOWN_NAME,
        'Unrecognized log or artifact name passed to set_logs: nonexistent_mod');
    assertEqual(registry.get_effective_level('torch._functorch.aot_autograd'), Torchlog.Level.INFO);
});

test('set_logs_variant takes an a{sv}', () => {
    const registry = pytorchRegistry();
    registry.set_logs_variant(new GLib.Variant('a{sv}', {
        inductor: new GLib.Variant('i', 10),
        output_code: new GLib.Variant('b', true),
    }));
    assertEqual(registry.get_effective_level('torch._inductor'), Torchlog.Level.DEBUG);
    assertEqual(enabledArtifacts(registry), 'output_code');
});

test('should_emit follows the artifact rules', () => {
    const registry = pytorchRegistry();
    setLogs(registry, {dynamo: 10});
    assertEqual(registry.should_emit('torch._dynamo.guards', 'guards', Torchlog.Level.DEBUG), true);
    assertEqual(registry.should_emit('torch._dynamo', 'bytecode', Torchlog.Level.CRITICAL), false);
    setLogs(registry, {bytecode: true});
    assertEqual(registry.should_emit('torch._dynamo', 'bytecode', Torchlog.Level.DEBUG), true);
    assertEqual(registry.should_emit('unrelated', null, Torchlog.Level.CRITICAL), false);
    assertEqual(registry.get_artifact_logger('torch._dynamo', 'guards'), 'torch._dynamo.__guards');
    assertThrows(() => registry.get_artifact_logger('torch._dynamo', 'foo'),
        Torchlog.Error.ARTIFACT_NOT_REGISTERED,
        "Artifact name: 'foo' not registered,please call register_artifact('foo') in torch._logging.registrations.");
});

test('changed and notify signals', () => {
    const registry = pytorchRegistry();
    const dynamo = registry.lookup_component('dynamo');
    const guards = registry.lookup_artifact('guards');
    const seen = [];
    const ids = [
        registry.connect('changed', () => seen.push('changed')),
        dynamo.connect('notify::level', () => seen.push(`level ${dynamo.level}`)),
        guards.connect('notify::enabled', () => seen.push(`guards ${guards.enabled}`)),
    ];
    setLogs(registry, {dynamo: 10, guards: true});
    assertEqual(seen.join(';'), 'level 10;guards true;changed');
    seen.length = 0;
    setLogs(registry, {dynamo: 10, guards: true});
    assertEqual(seen.join(';'), 'changed', 'notify only on a real change');
    seen.length = 0;
    dynamo.level = Torchlog.Level.ERROR;
    assertEqual(seen.includes('level 40'), true, 'property write');
    assertEqual(registry.get_effective_level('torch._dynamo'), Torchlog.Level.ERROR);
    registry.disconnect(ids[0]);
    dynamo.disconnect(ids[1]);
    guards.disconnect(ids[2]);
});

test('register_log and register_artifact', () => {
    const registry = Torchlog.Registry.new();
    const component = registry.register_log('app', ['myapp', 'myapp.net'], 'My application');
    registry.register_artifact('packets', 'Every packet', Torchlog.ArtifactFlags.OFF_BY_DEFAULT, null);
    assertEqual(component.description, 'My application');
    setLogs(registry, {app: 20, packets: true});
    assertEqual(registry.get_effective_level('myapp.net.tcp'), Torchlog.Level.INFO);
    assertEqual(registry.should_emit('myapp.net', 'packets', Torchlog.Level.DEBUG), true);
    assertEqual(registry.help_message(true).includes('packets'), true, 'help lists it');
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
        for (const line of `${e}\n${e.stack || ''}`.split('\n'))
            print(`# ${line}`);
    }
});
imports.system.exit(failed ? 1 : 0);
