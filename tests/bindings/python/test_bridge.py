#!/usr/bin/python3
# test_bridge.py: the bridge between a registry and Python's `logging`:
# levels follow the registry, records come out once, in torch's format,
# through the C formatter and outputs; getArtifactLogger, LazyString and
# warning_once as in torch (spec §1.5, §4.4, §5.1, §7.2, §7.3).
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import contextlib
import io
import logging
import os
import re
import sys
import tempfile
import unittest

import taptest
from taptest import Torchlog
from gi.repository import GLib

DEBUG, INFO, WARNING, ERROR = logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR
THIS_FILE = os.path.basename(__file__)
GLOG = re.compile(r'^(?P<letter>[VIWEC])\d{4} \d\d:\d\d:\d\d\.\d{6} (?P<pid>\d+) '
                  r'(?P<path>[^ :]+):(?P<line>\d+)\](?P<artifact> \[__\w+\])? (?P<text>.*)$')


@contextlib.contextmanager
def captured_stderr():
    """Captures file descriptor 2, where the C outputs write, as a list of
    lines filled in when the block ends."""
    lines = []
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode='w+b') as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield lines
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            lines.extend(capture.read().decode('utf-8', 'replace').splitlines())


def lineno():
    return sys._getframe(1).f_lineno


class BridgeTestCase(unittest.TestCase):
    def setUp(self):
        self.registry = Torchlog.Registry.new()
        self.registry.add_pytorch_registrations()
        previous = Torchlog.LoggingBridge.active()
        if previous is not None:
            previous.detach()
        self.bridge = self.registry.attach_logging()

    def tearDown(self):
        self.bridge.detach()


class Levels(BridgeTestCase):
    def test_levels_follow_set_logs(self):
        before = logging.getLogger('torch._dynamo.convert_frame')
        self.registry.set_logs(dynamo=DEBUG)
        after = logging.getLogger('torch._dynamo.created_after')
        for logger in (before, after, logging.getLogger('torch._dynamo')):
            self.assertTrue(logger.isEnabledFor(DEBUG), logger.name)
        self.registry.set_logs(dynamo=ERROR)
        for logger in (before, after):
            self.assertFalse(logger.isEnabledFor(WARNING), logger.name)
            self.assertTrue(logger.isEnabledFor(ERROR), logger.name)
        self.registry.set_logs()
        self.assertEqual(before.getEffectiveLevel(), WARNING)

    def test_levels_follow_parse_logs_and_properties(self):
        logger = logging.getLogger('torch._inductor.scheduler')
        self.registry.parse_logs('+inductor')
        self.assertEqual(logger.getEffectiveLevel(), DEBUG)
        self.registry.lookup_component('inductor').set_level(Torchlog.Level.ERROR)
        self.assertEqual(logger.getEffectiveLevel(), ERROR)

    def test_open_registration_gets_a_handler(self):
        self.registry.set_logs(modules={'bridgepkg.sub': DEBUG})
        logger = logging.getLogger('bridgepkg.sub.leaf')
        self.assertTrue(logger.isEnabledFor(DEBUG))
        with captured_stderr() as lines:
            logger.debug('from an open-registered module')
        self.assertEqual(len(lines), 1, lines)
        self.assertTrue(lines[0].endswith('] from an open-registered module'), lines)

    def test_artifact_loggers(self):
        guards = self.registry.getArtifactLogger('torch._dynamo.guards', 'guards')
        bytecode = self.registry.getArtifactLogger('torch._dynamo.convert_frame', 'bytecode')
        self.assertEqual(guards.name, 'torch._dynamo.guards.__guards')
        self.assertEqual(guards.artifact_name, 'guards')
        self.assertIsInstance(guards, logging.Logger)
        # Spec §4.4, as torch's configure_artifact_log() does it: a visible
        # artifact follows its component at DEBUG (NOTSET, propagating);
        # an off-by-default one does not propagate to its component's
        # handler; an enabled one is at DEBUG and propagates.
        self.registry.set_logs(dynamo=DEBUG)
        self.assertTrue(guards.isEnabledFor(DEBUG))
        self.assertEqual(guards.level, logging.NOTSET)
        self.assertFalse(bytecode.propagate)
        with captured_stderr() as lines:
            bytecode.debug('off by default')
        self.assertEqual(lines, [])
        self.registry.set_logs(dynamo=INFO)
        self.assertFalse(guards.isEnabledFor(DEBUG))
        self.assertTrue(guards.isEnabledFor(INFO))
        self.registry.set_logs(guards=True, bytecode=True)
        self.assertTrue(guards.isEnabledFor(DEBUG))
        self.assertTrue(bytecode.isEnabledFor(DEBUG))
        self.assertTrue(bytecode.propagate)
        self.assertFalse(logging.getLogger('torch._dynamo.guards').isEnabledFor(INFO))
        self.assertTrue(bytecode.isEnabledFor(logging.CRITICAL))

    def test_registered_loggers_have_one_handler(self):
        for component in self.registry.get_components():
            for qname in component.dup_domains():
                logger = logging.getLogger(qname)
                ours = [h for h in logger.handlers if isinstance(h, Torchlog.LoggingHandler)]
                self.assertEqual(len(ours), 1, qname)
                self.assertFalse(logger.propagate, qname)

    def test_detach_restores(self):
        self.bridge.detach()
        logger = logging.getLogger('torch._dynamo.detach_me')
        logger.setLevel(logging.INFO)
        domain = logging.getLogger('torch._dynamo')
        domain.setLevel(logging.ERROR)
        self.bridge = self.registry.attach_logging()
        self.registry.set_logs(dynamo=DEBUG)
        # A module's logger is the user's (as in torch); the domain's is
        # the bridge's until it is detached.
        self.assertEqual(logger.level, logging.INFO)
        self.assertEqual(domain.level, DEBUG)
        handler = self.bridge.handler_of('torch._dynamo')
        self.assertIn(handler, domain.handlers)
        self.bridge.detach()
        self.assertEqual(logger.level, logging.INFO)
        self.assertEqual(domain.level, logging.ERROR)
        self.assertNotIn(handler, domain.handlers)
        domain.setLevel(logging.NOTSET)
        dynamo = logging.getLogger('torch._dynamo')
        self.assertTrue(dynamo.propagate)
        self.assertEqual(dynamo.handlers, [])
        self.assertNotIn('getLogger', logging.Logger.manager.__dict__)
        self.assertIsNone(Torchlog.LoggingBridge.active())
        self.registry.set_logs(dynamo=ERROR)
        self.assertEqual(logger.level, logging.INFO)

    def test_one_bridge_at_a_time(self):
        other = Torchlog.Registry.new()
        with self.assertRaises(RuntimeError):
            other.attach_logging()
        self.assertIs(self.registry.attach_logging(), self.bridge)


class Incremental(BridgeTestCase):
    """Issue 13: a new component costs its own domains and the loggers at
    or below them; loggers made before or after a registration, at any
    depth, still end up configured exactly once."""

    def test_loggers_made_before_registration(self):
        deep = logging.getLogger('incrpkg.mod.deep.leaf')
        mid = logging.getLogger('incrpkg.mod')
        other = logging.getLogger('incrpkg.other')
        other.setLevel(logging.ERROR)
        self.registry.set_logs(modules={'incrpkg.mod': DEBUG})
        # Python's hierarchy: the domain's logger has the level, the
        # loggers below it inherit it (NOTSET).
        self.assertEqual(deep.level, logging.NOTSET)
        self.assertEqual(deep.getEffectiveLevel(), DEBUG)
        self.assertEqual(mid.level, DEBUG)
        self.assertEqual(other.level, logging.ERROR)    # not below the module
        self.assertEqual([h for h in mid.handlers if isinstance(h, Torchlog.LoggingHandler)],
                         [self.bridge.handler_of('incrpkg.mod')])
        self.assertFalse(mid.propagate)
        with captured_stderr() as lines:
            deep.debug('from below')
        self.assertEqual([GLOG.match(line)['text'] for line in lines], ['from below'])

    def test_domain_logger_made_on_demand(self):
        # Registering makes no Python logger; the first one below the
        # domain makes the domain's, which holds the handler.
        self.registry.set_logs(modules={'lazypkg.mod': INFO})
        self.assertNotIn('lazypkg.mod', logging.Logger.manager.loggerDict)
        leaf = logging.getLogger('lazypkg.mod.sub.leaf')
        domain = logging.Logger.manager.loggerDict['lazypkg.mod']
        self.assertIsInstance(domain, logging.Logger)
        self.assertIn(self.bridge.handler_of('lazypkg.mod'), domain.handlers)
        self.assertIs(leaf.parent, domain)
        self.assertEqual(leaf.getEffectiveLevel(), INFO)
        with captured_stderr() as lines:
            leaf.debug('hidden')
            leaf.info('shown once')
        self.assertEqual([GLOG.match(line)['text'] for line in lines], ['shown once'])

    def test_nested_domain_registered_later(self):
        outer = logging.getLogger('nestpkg.a')
        inner_leaf = logging.getLogger('nestpkg.a.b.c')
        self.registry.set_logs(modules={'nestpkg.a': INFO})
        self.assertEqual(inner_leaf.getEffectiveLevel(), INFO)
        # A log of its own below it (register_log, no `changed`).
        self.registry.register_log('nest_inner', ['nestpkg.a.b'], None)
        inner = logging.Logger.manager.loggerDict['nestpkg.a.b']
        self.assertIsInstance(inner, logging.Logger)
        self.assertIn(self.bridge.handler_of('nestpkg.a.b'), inner.handlers)
        self.registry.set_logs(modules={'nest_inner': DEBUG, 'nestpkg.a': ERROR})
        self.assertEqual(inner_leaf.getEffectiveLevel(), DEBUG)
        self.assertEqual(outer.level, ERROR)
        with captured_stderr() as lines:
            inner_leaf.debug('inner')
            outer.error('outer')
        self.assertEqual([GLOG.match(line)['text'] for line in lines], ['inner', 'outer'])

    def test_logger_made_behind_the_hook_is_found(self):
        # A logger made without manager.getLogger() (so without the
        # bridge's hook) is found on the next `changed`.
        hidden = logging.Manager.getLogger(logging.Logger.manager, 'torch._dynamo.behind_hook')
        self.registry.set_logs(dynamo=DEBUG)
        self.assertEqual(hidden.getEffectiveLevel(), DEBUG)

    def test_many_new_names_make_no_loggers(self):
        before = len(logging.Logger.manager.loggerDict)
        self.registry.set_logs(modules={'manypkg%d.mod' % i: DEBUG for i in range(1000)})
        self.assertEqual(len(logging.Logger.manager.loggerDict), before)
        self.assertTrue(logging.getLogger('manypkg999.mod.x').isEnabledFor(DEBUG))

    def test_resync_follows_new_domains(self):
        # A log registered again with other domains: sync() reads them.
        self.registry.register_log('resync_log', ['resyncpkg.old'], None)
        self.registry.register_log('resync_log', ['resyncpkg.new'], None)
        self.bridge.sync()
        self.registry.set_logs(modules={'resync_log': DEBUG})
        self.assertEqual(logging.getLogger('resyncpkg.new.x').getEffectiveLevel(), DEBUG)

    def test_nul_in_logger_name_is_not_bridged(self):
        # No C string holds the name: it is under no registered domain.
        self.registry.set_logs(dynamo=DEBUG)
        logger = logging.getLogger('torch._dynamo\x00evil')
        self.assertEqual(logger.level, logging.NOTSET)
        self.assertEqual(logger.handlers, [])


class Output(BridgeTestCase):
    def test_torch_format(self):
        self.registry.set_logs(dynamo=INFO)
        logger = logging.getLogger('torch._dynamo.output_graph')
        with captured_stderr() as lines:
            logger.debug('not printed')
            line = lineno() + 1
            logger.info('hello %s', 'world')
        self.assertEqual(len(lines), 1, lines)
        match = GLOG.match(lines[0])
        self.assertIsNotNone(match, lines[0])
        self.assertEqual(match['letter'], 'I')
        self.assertEqual(int(match['pid']), os.getpid())
        # torch prints the path relative to the sys.path entry holding it.
        self.assertEqual(match['path'], THIS_FILE)
        self.assertEqual(int(match['line']), line)
        self.assertIsNone(match['artifact'])
        self.assertEqual(match['text'], 'hello world')

    def test_every_line_prefixed_and_tracebacks(self):
        self.registry.set_logs(dynamo=INFO)
        logger = logging.getLogger('torch._dynamo')
        with captured_stderr() as lines:
            logger.info('test\n%s', 'dynamo')
            try:
                raise KeyError('boom')
            except KeyError:
                logger.exception('failed')
            logger.info('with stack', stack_info=True)
        self.assertTrue(all(GLOG.match(line) for line in lines), lines)
        texts = [GLOG.match(line)['text'] for line in lines]
        self.assertEqual(texts[:3], ['test', 'dynamo', 'failed'])
        self.assertEqual(texts[3], 'Traceback (most recent call last):')
        self.assertIn("KeyError: 'boom'", texts)
        self.assertIn('Stack (most recent call last):', texts)
        self.assertEqual(GLOG.match(lines[2])['letter'], 'E')

    def test_artifact_marker_and_custom_format(self):
        self.registry.set_logs(guards=True)
        guards = self.registry.getArtifactLogger('torch._dynamo.guards', 'guards')
        custom = self.registry.getArtifactLogger('torch._dynamo', 'custom_format_test_artifact')
        with captured_stderr() as lines:
            guards.debug('GUARDS:')
            custom.warning('custom format')
        self.assertEqual(len(lines), 2, lines)
        match = GLOG.match(lines[0])
        self.assertEqual((match['letter'], match['artifact'], match['text']),
                         ('V', ' [__guards]', 'GUARDS:'))
        # Fact 43: log_format="" prints the bare message.
        self.assertEqual(lines[1], 'custom format')

    def test_torch_logs_format(self):
        # Fact 47, through the C formatter.
        self.registry.set_format('%(levelname)s|%(name)s|%(message)s')
        self.registry.set_logs(guards=True)
        guards = self.registry.getArtifactLogger('torch._dynamo.guards', 'guards')
        with captured_stderr() as lines:
            guards.debug('gmsg')
        self.assertEqual(lines, ['DEBUG|torch._dynamo.guards.__guards|gmsg'])

    def test_printed_once_never_reaches_root(self):
        root_stream = io.StringIO()
        root_handler = logging.StreamHandler(root_stream)
        logging.getLogger().addHandler(root_handler)
        try:
            self.registry.set_logs(all=INFO)
            with captured_stderr() as lines:
                logging.getLogger('torch._dynamo.deep.child').info('once')
                logging.getLogger('torch.utils.data').info('once too')
                logging.getLogger('torch._dynamo.guards.__guards').info('artifact once')
        finally:
            logging.getLogger().removeHandler(root_handler)
        self.assertEqual([GLOG.match(line)['text'] for line in lines],
                         ['once', 'once too', 'artifact once'])
        self.assertEqual(root_stream.getvalue(), '')

    def test_nul_in_message_printed_whole(self):
        # Issue 13: a record "nul\x00after" printed "nul". The message goes
        # to C with its length; the NUL is shown as the C formatter shows
        # it, and a backslash written in the message stays distinct.
        self.registry.set_logs(dynamo=INFO)
        logger = logging.getLogger('torch._dynamo.nul')
        with captured_stderr() as lines:
            logger.info('nul\x00after %s', 'arg\x00x')
            logger.info('multi\nline\x00z')
            logger.info('literal \\x00')
            self.registry.write_record('torch._dynamo', Torchlog.Level.WARNING, 'direct\x00write',
                                       'direct.py', 3, 'fn')
            logger.debug('hidden\x00')
        self.assertEqual([GLOG.match(line)['text'] for line in lines],
                         ['nul\\x00after arg\\x00x', 'multi', 'line\\x00z', 'literal \\\\x00',
                          'direct\\x00write'])
        match = GLOG.match(lines[-1])
        self.assertEqual((match['letter'], match['path'], match['line']), ('W', 'direct.py', '3'))
        self.assertEqual(GLOG.match(lines[0])['path'], THIS_FILE)
        # A level set on the Python logger counts for these records too.
        logger.setLevel(DEBUG)
        try:
            with captured_stderr() as lines:
                logger.debug('decided\x00by Python')
        finally:
            logger.setLevel(logging.NOTSET)
        self.assertEqual([GLOG.match(line)['text'] for line in lines], ['decided\\x00by Python'])

    def test_mixed_c_and_python_one_stream(self):
        # A GLib structured record handled by the C writer and a Python
        # record through the bridge land in the same outputs, same format.
        self.bridge.detach()
        registry = Torchlog.Registry.get_default()
        if registry.lookup_component('dynamo') is None:
            registry.add_pytorch_registrations()
        self.bridge = registry.attach_logging()
        with tempfile.TemporaryDirectory() as folder:
            out = os.path.join(folder, 'torch_logs_out.txt')
            registry.set_output_file(out)
            registry.set_logs(dynamo=INFO)
            registry.install_writer()
            with captured_stderr() as lines:
                GLib.log_variant('torch._dynamo', GLib.LogLevelFlags.LEVEL_INFO,
                                 GLib.Variant('a{sv}', {
                                     'MESSAGE': GLib.Variant('s', 'from C'),
                                     'CODE_FILE': GLib.Variant('s', 'dynamo/eval.c'),
                                     'CODE_LINE': GLib.Variant('s', '7'),
                                 }))
                logging.getLogger('torch._dynamo.eval_frame').info('from Python')
                logging.getLogger('torch._dynamo.eval_frame').debug('hidden')
            registry.set_output_file(None)
            registry.set_logs()
            with open(out) as f:
                file_lines = f.read().splitlines()
        self.assertEqual(len(lines), 2, lines)
        self.assertEqual(file_lines, lines)
        first, second = (GLOG.match(line) for line in lines)
        self.assertEqual((first['letter'], first['path'], first['line'], first['text']),
                         ('I', 'dynamo/eval.c', '7', 'from C'))
        self.assertEqual((second['letter'], second['path'], second['text']),
                         ('I', THIS_FILE, 'from Python'))


class TorchUtilities(BridgeTestCase):
    def test_lazy_string_only_when_printed(self):
        calls = []

        def expensive(a, b=0):
            calls.append((a, b))
            return 'value %d' % (a + b)

        self.registry.set_logs(dynamo=INFO)
        logger = logging.getLogger('torch._dynamo.lazy')
        with captured_stderr() as lines:
            logger.debug('%s', Torchlog.LazyString(expensive, 1, b=2))
            self.assertEqual(calls, [])
            lazy = Torchlog.LazyString(expensive, 40, b=2)
            logger.info('%s', lazy)
            logger.info('again %s', lazy)
        self.assertEqual(calls, [(40, 2), (40, 2)])   # no caching, as torch
        self.assertEqual([GLOG.match(line)['text'] for line in lines],
                         ['value 42', 'again value 42'])
        self.assertEqual(str(lazy), 'value 42')

    def test_warning_once(self):
        logger = logging.getLogger('torch._dynamo.once')
        other = logging.getLogger('torch._dynamo.twice')
        with captured_stderr() as lines:
            for _ in range(3):
                Torchlog.warning_once(logger, 'careful %s', 'now')
            Torchlog.warning_once(logger, 'careful %s', 'later')
            Torchlog.warning_once(other, 'careful %s', 'now')
            line = lineno() + 1
            Torchlog.warning_once(logger, 'where?')
        self.assertEqual([GLOG.match(l)['text'] for l in lines],
                         ['careful now', 'careful later', 'careful now', 'where?'])
        self.assertEqual(GLOG.match(lines[-1])['line'], str(line))
        with self.assertRaises(TypeError):
            Torchlog.warning_once(logger, 'unhashable %s', ['list'])

    def test_module_get_artifact_logger(self):
        self.bridge.detach()
        logger = Torchlog.getArtifactLogger('torch._inductor.graph', 'output_code')
        self.assertEqual(logger.name, 'torch._inductor.graph.__output_code')
        with self.assertRaises(ValueError) as caught:
            Torchlog.getArtifactLogger('torch._inductor.graph', 'not_an_artifact')
        self.assertEqual(str(caught.exception),
                         "Artifact name: 'not_an_artifact' not registered,please call "
                         "register_artifact('not_an_artifact') in torch._logging.registrations.")
        Torchlog.set_logs(output_code=True)
        self.assertTrue(logger.isEnabledFor(DEBUG))
        self.assertTrue(logger.propagate)
        Torchlog.set_logs()
        # torch's configure_artifact_log(): off by default, so its records
        # never reach the handler of torch._inductor.
        self.assertEqual(logger.level, logging.NOTSET)
        self.assertFalse(logger.propagate)
        self.bridge = Torchlog.LoggingBridge.active()


class SameRecords(BridgeTestCase):
    """The loggers the bridge makes build their LogRecords faster (issue
    15); the records must be those a plain Logger builds."""

    TIMING = ('created', 'msecs', 'relativeCreated')

    def capture(self, logger):
        records = []
        handler = logging.Handler()
        handler.emit = records.append
        logger.addHandler(handler)
        self.addCleanup(logger.removeHandler, handler)
        logger.setLevel(DEBUG)
        self.addCleanup(logger.setLevel, logging.NOTSET)
        return records

    def log_both(self, call):
        bridged = logging.getLogger('torch._dynamo.same_records')
        plain = logging.getLogger('plain_records.same_records')
        self.assertIsNot(type(bridged), logging.Logger)
        self.assertIsInstance(bridged, logging.Logger)
        got = []
        for logger in (bridged, plain):
            records = self.capture(logger)
            call(logger)
            self.assertEqual(len(records), 1)
            got.append(records[0])
        return got

    def assert_same(self, bridged, plain):
        self.assertIs(type(bridged), type(plain))
        ours, theirs = vars(bridged), vars(plain)
        self.assertEqual(list(ours), list(theirs))
        for key in ours:
            if key in self.TIMING or key == 'name':
                continue
            if key == 'lineno':
                continue    # two calls, two lines
            self.assertEqual(ours[key], theirs[key], key)

    def test_fields(self):
        bridged, plain = self.log_both(lambda logger: logger.debug('v %s %d', 'a', 1))
        self.assert_same(bridged, plain)
        self.assertEqual(bridged.pathname, __file__)
        self.assertEqual(bridged.funcName, '<lambda>')
        self.assertEqual(bridged.process, os.getpid())

    def test_mapping_argument_stack_and_stacklevel(self):
        def call(logger):
            def helper():
                logger.info('%(a)s', {'a': 1}, stack_info=True, stacklevel=2)
            helper()
        bridged, plain = self.log_both(call)
        self.assertEqual(bridged.args, {'a': 1})
        self.assertEqual(bridged.funcName, 'call')
        self.assertEqual(bridged.stack_info, plain.stack_info.replace(
            'line %d' % plain.lineno, 'line %d' % bridged.lineno))
        self.assert_same(bridged, plain)

    def test_extra_and_record_factory(self):
        bridged, plain = self.log_both(lambda logger: logger.debug('x', extra={'k': 'v'}))
        self.assertEqual(bridged.k, 'v')
        factory = logging.getLogRecordFactory()

        class Mine(logging.LogRecord):
            pass
        logging.setLogRecordFactory(Mine)
        try:
            bridged, plain = self.log_both(lambda logger: logger.debug('x'))
        finally:
            logging.setLogRecordFactory(factory)
        self.assertIs(type(bridged), Mine)

    def test_pid_after_fork(self):
        logger = logging.getLogger('torch._dynamo.same_records')
        records = self.capture(logger)
        logger.debug('parent')
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                logger.debug('child')
                os.write(write, str(records[-1].process).encode())
            finally:
                os._exit(0)
        os.close(write)
        with os.fdopen(read) as pipe:
            child_pid = int(pipe.read())
        os.waitpid(pid, 0)
        self.assertEqual(records[0].process, os.getpid())
        self.assertEqual(child_pid, pid)


class Threads(BridgeTestCase):
    """Loggers made, records printed and the configuration changed from
    several threads at once: every line whole, none lost, no error."""

    def test_threads_log_while_settings_change(self):
        import threading
        self.registry.set_logs(dynamo=INFO)
        n_threads, n_lines = 4, 200
        start = threading.Barrier(n_threads + 1)
        errors = []

        def work(index):
            try:
                start.wait()
                for i in range(n_lines):
                    logger = logging.getLogger('torch._dynamo.thread%d.m%d' % (index, i % 7))
                    logger.info('thread %d line %d', index, i)
            except Exception as error:      # reported below
                errors.append(error)

        threads = [threading.Thread(target=work, args=(index,)) for index in range(n_threads)]
        with captured_stderr() as lines:
            for thread in threads:
                thread.start()
            start.wait()
            for _ in range(50):
                self.registry.set_logs(dynamo=INFO, guards=True)
                self.registry.set_logs(dynamo=INFO)
            for thread in threads:
                thread.join()
        self.assertEqual(errors, [])
        seen = sorted(GLOG.match(line)['text'] for line in lines)
        self.assertEqual(seen, sorted('thread %d line %d' % (index, i)
                                      for index in range(n_threads) for i in range(n_lines)))


class DisabledCost(BridgeTestCase):
    """A disabled call through the bridge never leaves Python: the level
    is in the Python loggers, nothing reaches a handler or C."""

    def test_disabled_call_reaches_nothing(self):
        self.registry.set_logs(dynamo=INFO)
        bridged = logging.getLogger('torch._dynamo.hot_loop')
        self.assertFalse(bridged.isEnabledFor(DEBUG))

        # Nothing reaches the handler or C while the record is off.
        emitted = []
        handler = self.bridge.handler_of('torch._dynamo')
        handler.emit = emitted.append
        try:
            for _ in range(1000):
                bridged.debug('x %d', 1)
        finally:
            del handler.emit
        self.assertEqual(emitted, [])
        # What it costs is measured by scripts/bench.sh (bench-python.py,
        # in time and in instructions), not here.


if __name__ == '__main__':
    taptest.main()
