#!/usr/bin/python3
# test_set_logs.py: torch's set_logs() through PyGObject: the documented
# examples, torch's fixed processing order, levels and artifacts, and the
# ValueError texts (spec §3 and §8 facts 6, 8, 17 to 21).
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import logging
import os
import random
import unittest

import taptest
from taptest import Torchlog
from gi.repository import GLib

DEBUG, INFO, WARNING, ERROR, CRITICAL = (logging.DEBUG, logging.INFO, logging.WARNING,
                                         logging.ERROR, logging.CRITICAL)
DYNAMIC = ['torch.fx.experimental.symbolic_shapes', 'torch.fx.experimental.sym_node',
           'torch.fx.experimental.recording']


def pytorch_registry():
    registry = Torchlog.Registry.new()
    registry.add_pytorch_registrations()
    return registry


def enabled_artifacts(registry):
    return sorted(a.get_name() for a in registry.get_artifacts() if a.get_enabled())


class DocumentedExamples(unittest.TestCase):
    """torch._logging.set_logs()'s docstring examples, verbatim apart from
    the module name, on the default registry."""

    def test_dynamo_debug_and_graph_code(self):
        Torchlog.set_logs(dynamo=logging.DEBUG, graph_code=True)
        registry = Torchlog.Registry.get_default()
        self.assertEqual(registry.get_effective_level('torch._dynamo'), DEBUG)
        for qname in DYNAMIC:
            self.assertEqual(registry.get_effective_level(qname), DEBUG)
        self.assertEqual(registry.get_effective_level('torch._inductor'), WARNING)
        self.assertEqual(enabled_artifacts(registry), ['graph_code'])
        # A Python logger under dynamo follows at once (the bridge).
        self.assertTrue(logging.getLogger('torch._dynamo.output_graph').isEnabledFor(DEBUG))

    def test_unregistered_module(self):
        Torchlog.set_logs(dynamo=logging.DEBUG, graph_code=True)
        Torchlog.set_logs(modules={"unregistered.module.name": logging.DEBUG})
        registry = Torchlog.Registry.get_default()
        self.assertEqual(registry.get_effective_level('unregistered.module.name'), DEBUG)
        self.assertIsNotNone(registry.lookup_component('unregistered.module.name'))
        # Each call is a complete configuration: the first one is gone.
        self.assertEqual(registry.get_effective_level('torch._dynamo'), WARNING)
        self.assertEqual(enabled_artifacts(registry), [])
        self.assertTrue(logging.getLogger('unregistered.module.name').isEnabledFor(DEBUG))

    def test_default_logging(self):
        Torchlog.set_logs(**Torchlog.DEFAULT_LOGGING)
        registry = Torchlog.Registry.get_default()
        self.assertEqual(registry.get_effective_level('torch._dynamo'), INFO)
        self.assertEqual(registry.get_effective_level('torch._functorch.aot_autograd'), INFO)
        self.assertEqual(enabled_artifacts(registry),
                         ['ddp_graphs', 'graph_breaks', 'guards', 'recompiles', 'side_effects'])

    def test_signature_lists_torch_arguments(self):
        import inspect
        parameters = inspect.signature(Torchlog.set_logs).parameters
        self.assertIsNone(parameters['dynamo'].default)
        self.assertIs(parameters['graph_code'].default, False)
        self.assertEqual(parameters['all'].kind, inspect.Parameter.KEYWORD_ONLY)
        self.assertIn('modules', parameters)


class Levels(unittest.TestCase):
    def setUp(self):
        self.registry = pytorch_registry()

    def level(self, qname):
        return int(self.registry.get_effective_level(qname))

    def test_levels_are_logging_numbers(self):
        for value in (DEBUG, INFO, WARNING, ERROR, CRITICAL):
            self.registry.set_logs(aot=value)
            self.assertEqual(self.level('torch._functorch.aot_autograd'), value)

    def test_false_is_notset(self):
        self.registry.set_logs(dynamo=False)
        self.assertEqual(self.level('torch._dynamo'), WARNING)

    def test_none_is_not_mentioned(self):
        self.registry.set_logs(dynamo=None, aot=INFO, graph=None)
        self.assertEqual(self.level('torch._dynamo'), WARNING)
        self.assertEqual(self.level('torch._functorch.aot_autograd'), INFO)

    def test_all_is_torch(self):
        # Fact 6: set_logs(all=DEBUG, dynamo=INFO).
        self.registry.set_logs(all=DEBUG, dynamo=INFO)
        self.assertEqual(self.level('torch'), DEBUG)
        self.assertEqual(self.level('torch._inductor'), DEBUG)
        self.assertEqual(self.level('torch._dynamo'), INFO)
        self.assertEqual(self.level('torch._dynamo.guards'), INFO)
        self.assertEqual(self.level('somepkg'), WARNING)

    def test_fixed_order_not_keyword_order(self):
        # Fact 8: export is applied after dynamo, dynamic after dynamo,
        # whatever order the keywords are written in.
        self.registry.set_logs(export=INFO, dynamo=DEBUG)
        self.assertEqual(self.level('torch._dynamo'), INFO)
        self.registry.set_logs(dynamo=DEBUG, export=INFO)
        self.assertEqual(self.level('torch._dynamo'), INFO)
        self.registry.set_logs(dynamic=INFO, dynamo=DEBUG)
        self.assertEqual(self.level('torch._dynamo'), DEBUG)
        self.assertEqual(self.level(DYNAMIC[0]), INFO)

    def test_modules_after_keywords_in_dict_order(self):
        self.registry.set_logs(dynamo=DEBUG, modules={'dynamo': ERROR})
        self.assertEqual(self.level('torch._dynamo'), ERROR)
        self.registry.set_logs(modules={'dynamo': ERROR, 'export': INFO})
        self.assertEqual(self.level('torch._dynamo'), INFO)
        self.registry.set_logs(modules={'export': INFO, 'dynamo': ERROR})
        self.assertEqual(self.level('torch._dynamo'), ERROR)

    def test_names_without_torch_argument(self):
        self.registry.set_logs(fake_tensor=INFO, modules={'cache': DEBUG, 'pp': ERROR})
        self.assertEqual(self.level('torch._subclasses.fake_tensor'), INFO)
        self.assertEqual(self.level('torch._inductor.remote_cache'), DEBUG)
        self.assertEqual(self.level('torch.distributed.pipelining'), ERROR)

    def test_other_names_in_registration_order(self):
        # Names that are no torch argument: logs in registration order,
        # whatever order they are written in, then artifacts.
        self.registry.register_log('share_first', ['sharepkg'], None)
        self.registry.register_log('share_second', ['sharepkg'], None)
        self.registry.set_logs(share_second=ERROR, share_first=DEBUG)
        self.assertEqual(self.level('sharepkg'), ERROR)
        self.registry.set_logs(share_first=DEBUG, share_second=INFO, fake_tensor=INFO)
        self.assertEqual(self.level('sharepkg'), INFO)
        self.assertEqual(self.level('torch._subclasses.fake_tensor'), INFO)

    def test_child_and_open_modules(self):
        self.registry.set_logs(modules={'torch.utils': INFO, 'somepkg.sub': DEBUG})
        self.assertEqual(self.level('torch.utils'), INFO)
        self.assertEqual(self.level('torch.utils.data'), INFO)
        self.assertEqual(self.level('somepkg.sub'), DEBUG)
        self.assertTrue(self.registry.is_child_log('torch.utils'))
        self.assertIsNotNone(self.registry.lookup_component('somepkg.sub'))

    def test_introspected_form_still_works(self):
        self.registry.set_logs(['dynamo', 'graph_code'], [DEBUG, True])
        self.assertEqual(self.level('torch._dynamo'), DEBUG)
        self.assertEqual(enabled_artifacts(self.registry), ['graph_code'])
        self.registry.set_logs(('aot', 'dynamo'), (INFO, None))
        self.assertEqual(self.level('torch._dynamo'), WARNING)
        self.assertEqual(self.level('torch._functorch.aot_autograd'), INFO)
        with self.assertRaises(TypeError):
            self.registry.set_logs(['dynamo'], [DEBUG, INFO])
        with self.assertRaises(ValueError):
            self.registry.set_logs(['guards'], [1])

    def test_random_settings_match_torch_order(self):
        # A reference of torch's algorithm (spec §3.3) for the aliases that
        # share qualified names, against the library through the override.
        rng = random.Random(20240531)
        aliases = {}
        for component in self.registry.get_components():
            aliases[component.get_name()] = list(component.dup_domains())
        aliases['all'] = aliases['torch']
        names = ['all', 'dynamo', 'dynamic', 'export', 'distributed', 'ddp', 'c10d', 'aot',
                 'inductor', 'fsdp', 'dtensor']
        order = {'all': 0, 'dynamo': 1, 'aot': 2, 'inductor': 4, 'dynamic': 5, 'distributed': 10,
                 'c10d': 11, 'ddp': 12, 'fsdp': 13, 'dtensor': 14, 'export': 38}
        qnames = sorted({q for n in names for q in aliases[n]})
        for _ in range(300):
            chosen = rng.sample(names, rng.randint(1, 6))
            kwargs = {name: rng.choice([DEBUG, INFO, WARNING, ERROR, CRITICAL, 0]) for name in chosen}
            expected = {}
            for name in sorted(kwargs, key=order.__getitem__):
                for qname in aliases[name]:
                    expected[qname] = kwargs[name]
            self.registry.set_logs(**kwargs)
            for qname in qnames:
                want, probe = WARNING, qname
                while probe:
                    if expected.get(probe, 0):
                        want = expected[probe]
                        break
                    probe = probe.rpartition('.')[0]
                self.assertEqual(self.level(qname), want, (kwargs, qname))


class Artifacts(unittest.TestCase):
    def setUp(self):
        self.registry = pytorch_registry()

    def test_true_enables(self):
        self.registry.set_logs(guards=True, recompiles=True, graph_code=False)
        self.assertEqual(enabled_artifacts(self.registry), ['guards', 'recompiles'])
        self.assertEqual(int(self.registry.get_effective_level('torch._dynamo')), WARNING)

    def test_each_call_resets(self):
        # Fact 21.
        self.registry.set_logs(guards=True)
        self.registry.set_logs(dynamo=INFO)
        self.assertEqual(enabled_artifacts(self.registry), [])

    def test_artifact_in_modules(self):
        self.registry.set_logs(modules={'bytecode': True, 'caching': True})
        self.assertEqual(enabled_artifacts(self.registry), ['bytecode', 'caching'])


class Errors(unittest.TestCase):
    def setUp(self):
        self.registry = pytorch_registry()
        self.registry.set_logs(aot=INFO, guards=True)

    def assertUnchanged(self):
        # A failed call changes nothing (torchlog's documented choice).
        self.assertEqual(int(self.registry.get_effective_level('torch._functorch.aot_autograd')), INFO)
        self.assertEqual(enabled_artifacts(self.registry), ['guards'])

    def check(self, text, **kwargs):
        with self.assertRaises(ValueError) as caught:
            self.registry.set_logs(**kwargs)
        self.assertEqual(str(caught.exception), text)
        self.assertEqual(caught.exception.args, (text,))
        self.assertIsInstance(caught.exception, GLib.Error)
        self.assertEqual(caught.exception.domain, GLib.quark_to_string(Torchlog.error_quark()))
        self.assertUnchanged()
        return caught.exception

    def test_artifact_needs_bool(self):
        # Fact 17.
        error = self.check('Expected bool to enable artifact aot_graphs, received 5', aot_graphs=5)
        self.assertEqual(error.code, int(Torchlog.Error.INVALID_VALUE))
        self.check('Expected bool to enable artifact guards, received 1', guards=1)
        self.check('Expected bool to enable artifact guards, received 1.0', guards=1.0)
        self.check('Expected bool to enable artifact guards, received yes', guards='yes')

    def test_level_must_be_a_level(self):
        # Fact 18.
        tail = ', valid level values are: 50,40,30,20,10,0'
        self.check('Unrecognized log level for log dynamo: 15' + tail, dynamo=15)
        self.check('Unrecognized log level for log dynamo: True' + tail, dynamo=True)
        self.check('Unrecognized log level for log dynamo: DEBUG' + tail, dynamo='DEBUG')
        # torch passes `all` on as the `torch` log, and names it so.
        self.check('Unrecognized log level for log torch: 5' + tail, all=5)
        self.check('Unrecognized log level for log dynamo: %d' % (1 << 70) + tail, dynamo=1 << 70)
        self.check('Unrecognized log level for log fake_tensor: 25' + tail, modules={'fake_tensor': 25})

    def test_unknown_name(self):
        # Fact 19.
        error = self.check('Unrecognized log or artifact name passed to set_logs: nonexistent_mod',
                           modules={'nonexistent_mod': 10})
        self.assertEqual(error.code, int(Torchlog.Error.UNKNOWN_NAME))

    def test_first_error_in_processing_order(self):
        # torch stops at the first bad pair in its fixed order.
        self.check('Unrecognized log level for log dynamo: 3, valid level values are: '
                   '50,40,30,20,10,0', graph_code=7, dynamo=3)

    def test_unknown_keyword_is_type_error(self):
        with self.assertRaises(TypeError) as caught:
            self.registry.set_logs(dynamoo=DEBUG)
        self.assertEqual(str(caught.exception), "set_logs() got an unexpected keyword argument 'dynamoo'")
        self.assertUnchanged()

    def test_module_level_function_raises_value_error(self):
        with self.assertRaises(ValueError) as caught:
            Torchlog.set_logs(aot_graphs=5)
        self.assertEqual(str(caught.exception), 'Expected bool to enable artifact aot_graphs, received 5')

    def test_parse_logs_errors(self):
        with self.assertRaises(ValueError) as caught:
            self.registry.parse_logs('dynamo, bogus')
        text = str(caught.exception)
        self.assertTrue(text.startswith('\nInvalid log settings: dynamo,bogus, must be a comma '
                                        'separated list of fully\nqualified module names'), text)
        self.assertIn('For more info on various settings, try TORCH_LOGS="help"\nValid settings:\n', text)
        self.assertTrue(text.endswith('\n'))
        self.assertUnchanged()
        with self.assertRaises(ValueError) as caught:
            self.registry.parse_logs('help')
        self.assertIn('TORCH_LOGS Info', str(caught.exception))
        self.assertEqual(caught.exception.code, int(Torchlog.Error.HELP))

    def test_get_artifact_logger_error(self):
        with self.assertRaises(ValueError) as caught:
            self.registry.get_artifact_logger('torch._dynamo', 'foo')
        self.assertEqual(str(caught.exception),
                         "Artifact name: 'foo' not registered,please call register_artifact('foo') "
                         "in torch._logging.registrations.")

    def test_glib_error_still_catchable(self):
        with self.assertRaises(GLib.Error) as caught:
            self.registry.set_logs(aot_graphs=5)
        self.assertTrue(caught.exception.matches(Torchlog.error_quark(), Torchlog.Error.INVALID_VALUE))


class FloatLevels(unittest.TestCase):
    """Issue 13: torch checks a level with `val not in logging._levelToName`,
    so a float equal to a level is that level; any other float is refused
    with its str() in torch's text."""

    def setUp(self):
        self.registry = pytorch_registry()

    def level(self, qname):
        return int(self.registry.get_effective_level(qname))

    def test_float_equal_to_a_level_is_that_level(self):
        self.registry.set_logs(dynamo=10.0)
        self.assertEqual(self.level('torch._dynamo'), DEBUG)
        self.registry.set_logs(all=40.0, modules={'aot': 20.0, 'floatpkg.mod': 10.0})
        self.assertEqual(self.level('torch._inductor'), ERROR)
        self.assertEqual(self.level('torch._functorch.aot_autograd'), INFO)
        self.assertEqual(self.level('floatpkg.mod'), DEBUG)
        self.registry.set_logs(dynamo=0.0)
        self.assertEqual(self.level('torch._dynamo'), WARNING)

    def test_other_floats_refused_with_torch_text(self):
        self.registry.set_logs(aot=INFO)
        tail = ', valid level values are: 50,40,30,20,10,0'
        for value, shown in ((10.5, '10.5'), (15.0, '15.0'), (1e16, '1e+16'),
                             (float('nan'), 'nan'), (-0.5, '-0.5')):
            with self.assertRaises(ValueError) as caught:
                self.registry.set_logs(dynamo=value)
            self.assertEqual(str(caught.exception),
                             'Unrecognized log level for log dynamo: %s%s' % (shown, tail))
            self.assertEqual(shown, str(value))   # torch's f-string
        self.assertEqual(self.level('torch._functorch.aot_autograd'), INFO)

    def test_artifact_float_still_refused(self):
        for value in (1.0, 0.0, 10.0):
            with self.assertRaises(ValueError) as caught:
                self.registry.set_logs(guards=value)
            self.assertEqual(str(caught.exception),
                             'Expected bool to enable artifact guards, received %s' % value)


def torch_module_test_error(name):
    """What torch raises for a module name that is no registered log or
    artifact: _is_valid_module() calls importlib.util.find_spec(name)."""
    import importlib.util
    try:
        importlib.util.find_spec(name)
    except Exception as error:
        return error
    return None


class ModuleKeys(unittest.TestCase):
    """Issue 13: `modules={1.5: 10}` set a module named "1.5". Torch raises
    what importlib.util.find_spec() raises for a key that is no str, once
    the pairs before it have passed; a key whose value is None is never
    looked at."""

    def setUp(self):
        self.registry = pytorch_registry()
        self.registry.set_logs(aot=INFO, guards=True)

    def assertUnchanged(self):
        self.assertEqual(int(self.registry.get_effective_level('torch._functorch.aot_autograd')), INFO)
        self.assertEqual(enabled_artifacts(self.registry), ['guards'])

    def test_non_string_keys_raise_what_torch_raises(self):
        n_components = self.registry.get_components().get_n_items()
        for key in (1.5, 1, None, b'bytes.module', ('tuple',), 10.0):
            expected = torch_module_test_error(key)
            self.assertIsNotNone(expected, key)
            with self.assertRaises(type(expected)) as caught:
                self.registry.set_logs(modules={key: DEBUG})
            self.assertEqual(str(caught.exception), str(expected), key)
            self.assertUnchanged()
        self.assertEqual(self.registry.get_components().get_n_items(), n_components)
        self.assertIsNone(self.registry.lookup_component('1.5'))

    def test_none_value_is_not_looked_at(self):
        self.registry.set_logs(dynamo=DEBUG, modules={1.5: None})
        self.assertEqual(int(self.registry.get_effective_level('torch._dynamo')), DEBUG)

    def test_earlier_pairs_fail_first(self):
        # Torch stops at the first bad pair: the unknown name, then the key.
        with self.assertRaises(ValueError) as caught:
            self.registry.set_logs(modules={'nonexistent_mod': DEBUG, 1.5: DEBUG})
        self.assertEqual(str(caught.exception),
                         'Unrecognized log or artifact name passed to set_logs: nonexistent_mod')
        with self.assertRaises(ValueError) as caught:
            self.registry.set_logs(dynamo=15, modules={1.5: DEBUG})
        self.assertTrue(str(caught.exception).startswith('Unrecognized log level for log dynamo: 15'))
        with self.assertRaises(ValueError) as caught:
            self.registry.set_logs(modules={'evil\x00name': DEBUG, 1.5: DEBUG})
        self.assertEqual(str(caught.exception),
                         'Unrecognized log or artifact name passed to set_logs: evil\x00name')
        # Valid pairs before the key: the key's error, and nothing applied.
        with self.assertRaises(AttributeError):
            self.registry.set_logs(dynamo=DEBUG, modules={'keypkg.mod': DEBUG, 1.5: DEBUG})
        self.assertUnchanged()
        self.assertIsNone(self.registry.lookup_component('keypkg.mod'))

    def test_environment_wins_over_a_bad_key(self):
        # Torch returns at once when TORCH_LOGS is set, before any check.
        registry = pytorch_registry()
        registry.set_env_var('TORCHLOG_TEST_PY_KEYS')
        os.environ['TORCHLOG_TEST_PY_KEYS'] = '+inductor'
        try:
            registry.init_logs()
            registry.set_logs(modules={1.5: DEBUG})   # only torch's warning
        finally:
            del os.environ['TORCHLOG_TEST_PY_KEYS']
        self.assertEqual(int(registry.get_effective_level('torch._inductor')), DEBUG)


class NulCharacters(unittest.TestCase):
    """Issue 13: PyGObject cuts a str at its first NUL on the way to C, so
    `parse_logs("+dynamo\x00,garbage")` applied `+dynamo`. Torch sees the
    whole string: its grammar and its module test refuse the NUL."""

    def setUp(self):
        self.registry = pytorch_registry()
        self.registry.set_logs(aot=INFO, guards=True)

    def assertUnchanged(self):
        self.assertEqual(int(self.registry.get_effective_level('torch._functorch.aot_autograd')), INFO)
        self.assertEqual(int(self.registry.get_effective_level('torch._dynamo')), WARNING)
        self.assertEqual(enabled_artifacts(self.registry), ['guards'])

    def check_invalid_settings(self, settings):
        with self.assertRaises(ValueError) as caught:
            self.registry.parse_logs(settings)
        text = str(caught.exception)
        self.assertTrue(text.startswith('\nInvalid log settings: %s, must be a comma separated list '
                                        'of fully\nqualified module names' % settings), repr(text))
        self.assertEqual(caught.exception.code, int(Torchlog.Error.INVALID_SETTINGS))
        self.assertUnchanged()

    def test_parse_logs_refuses_a_nul(self):
        self.check_invalid_settings('+dynamo\x00,garbage')
        self.check_invalid_settings('dynamo\x00')
        self.check_invalid_settings('+dynamo, \x00inductor')

    def test_parse_logs_lone_nul_does_not_reset(self):
        self.check_invalid_settings('\x00')
        self.check_invalid_settings('help\x00')

    def test_set_logs_module_name_with_nul(self):
        for name in ('torch._dynamo\x00evil', 'dynamo\x00', '\x00', 'guards\x00x'):
            with self.assertRaises(ValueError) as caught:
                self.registry.set_logs(modules={name: DEBUG})
            self.assertEqual(str(caught.exception),
                             'Unrecognized log or artifact name passed to set_logs: ' + name)
            self.assertEqual(caught.exception.code, int(Torchlog.Error.UNKNOWN_NAME))
            self.assertUnchanged()
        self.assertIsNone(self.registry.lookup_component('torch._dynamo'))

    def test_set_logs_value_with_nul(self):
        with self.assertRaises(ValueError) as caught:
            self.registry.set_logs(dynamo='10\x00')
        self.assertEqual(str(caught.exception), 'Unrecognized log level for log dynamo: 10\x00, '
                                                'valid level values are: 50,40,30,20,10,0')
        self.assertUnchanged()

    def test_set_format_with_nul_is_refused(self):
        # C would see the format only up to the NUL and drop the rest.
        with self.assertRaises(ValueError) as caught:
            self.registry.set_format('%(message)s\x00 %(name)s')
        self.assertEqual(caught.exception.code, int(Torchlog.Error.INVALID_FORMAT))
        self.assertIn('NUL', str(caught.exception))

    def test_keyword_with_nul_is_unexpected(self):
        with self.assertRaises(TypeError) as caught:
            self.registry.set_logs(**{'dynamo\x00': DEBUG})
        self.assertEqual(str(caught.exception),
                         "set_logs() got an unexpected keyword argument 'dynamo\x00'")
        self.assertUnchanged()

    def test_introspected_form_with_nul(self):
        with self.assertRaises(ValueError):
            self.registry.set_logs(['dynamo\x00'], [DEBUG])
        self.assertUnchanged()

    def test_get_artifact_logger_keeps_the_nul(self):
        self.assertEqual(self.registry.get_artifact_logger('nulpkg\x00mod', 'guards'),
                         'nulpkg\x00mod.__guards')
        with self.assertRaises(ValueError) as caught:
            self.registry.get_artifact_logger('torch._dynamo', 'guards\x00x')
        # torch's text, with torch's repr() of the name.
        name = 'guards\x00x'
        self.assertEqual(str(caught.exception),
                         'Artifact name: %r not registered,please call register_artifact(%r) '
                         'in torch._logging.registrations.' % (name, name))

    def test_gsettings_strings_hold_no_nul(self):
        # The `logs` key is a GVariant string, which cannot hold a NUL:
        # serialized data with one is not in normal form and reads as "".
        data = GLib.Bytes.new(b'+dynamo\x00,garbage\x00')
        value = GLib.Variant.new_from_bytes(GLib.VariantType.new('s'), data, False)
        self.assertFalse(value.is_normal_form())
        self.assertEqual(value.get_string(), '')
        # Bound to a registry, such a value applies nothing (the empty
        # string is "no operator setting").
        from gi.repository import Gio
        settings = Gio.Settings.new_with_path('org.gnome.Torchlog', '/org/gnome/torchlog/tests/nul/')
        registry = pytorch_registry()
        registry.bind_settings(settings)
        try:
            settings.set_value('logs', value)
            self.assertEqual(int(registry.get_effective_level('torch._dynamo')), WARNING)
            settings.set_string('logs', '+dynamo')
            self.assertEqual(int(registry.get_effective_level('torch._dynamo')), DEBUG)
        finally:
            registry.unbind_settings()


class EnvironmentPrecedence(unittest.TestCase):
    """Fact 20: with the environment variable set, set_logs() only warns."""

    def test_env_var_wins(self):
        registry = pytorch_registry()
        registry.set_env_var('TORCHLOG_TEST_PY_LOGS')
        os.environ['TORCHLOG_TEST_PY_LOGS'] = '+inductor'
        try:
            registry.init_logs()
            path = os.path.join(os.environ.get('G_TEST_BUILDDIR', '.'), 'py-env-precedence.log')
            if os.path.exists(path):
                os.unlink(path)
            registry.set_output_file(path)
            registry.set_logs(dynamo=DEBUG)
            registry.set_logs(dynamo=DEBUG)
            registry.set_output_file(None)
            with open(path) as f:
                lines = f.read().splitlines()
            os.unlink(path)
        finally:
            del os.environ['TORCHLOG_TEST_PY_LOGS']
        self.assertEqual(int(registry.get_effective_level('torch._dynamo')), WARNING)
        self.assertEqual(int(registry.get_effective_level('torch._inductor')), DEBUG)
        warnings = [line for line in lines if line.endswith(
            'Using TORCH_LOGS environment variable for log settings, ignoring call to set_logs')]
        # torch warns on every ignored call.
        self.assertEqual(len(warnings), 2, lines)
        self.assertTrue(warnings[0].startswith('W'), warnings[0])


if __name__ == '__main__':
    taptest.main()
