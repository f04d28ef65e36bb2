#!/usr/bin/python3
# test_torch_style.py: what a torch user writes, run with only the import
# changed (issue 15): levels set on torch's loggers with Python's
# logging, set_logs(modules=) with importable names, TORCH_LOGS, artifact
# loggers, warning_once, torch._logging's module functions, and the
# default registry whichever entry point comes first.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import logging
import os
import re
import subprocess
import sys
import unittest
import warnings

import taptest
from taptest import Torchlog
from test_bridge import GLOG, captured_stderr

torch_logging = Torchlog      # import torch._logging as torch_logging
DEBUG, INFO, WARNING, ERROR = logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR
HERE = os.path.dirname(os.path.abspath(__file__))
IGNORED = 'Using TORCH_LOGS environment variable for log settings, ignoring call to set_logs'


def texts(lines):
    return [GLOG.match(line)['text'] for line in lines]


def run_script(code, **env_vars):
    """Runs `code` in a fresh /usr/bin/python3 (a new process: the default
    registry not set up yet); returns (returncode, stdout, stderr)."""
    env = dict(os.environ)
    env['PYTHONPATH'] = HERE + os.pathsep + env.get('PYTHONPATH', '')
    env.update(env_vars)
    prologue = 'import logging\nimport taptest\nfrom taptest import Torchlog\n'
    done = subprocess.run([sys.executable, '-c', prologue + code], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=60)
    return done.returncode, done.stdout, done.stderr


class TorchStyle(unittest.TestCase):
    def setUp(self):
        torch_logging.set_logs()

    def tearDown(self):
        for name in ('torch', 'torch._dynamo', 'torch._dynamo.eval_frame'):
            logging.getLogger(name).setLevel(logging.NOTSET)
        torch_logging.set_logs()

    def test_set_level_on_a_torch_logger(self):
        parent = logging.getLogger('torch._dynamo')
        child = logging.getLogger('torch._dynamo.eval_frame')
        self.assertEqual(child.getEffectiveLevel(), WARNING)
        parent.setLevel(DEBUG)
        # The child inherits, as in Python's logging (it is not pinned).
        self.assertEqual(child.level, logging.NOTSET)
        self.assertEqual(child.getEffectiveLevel(), DEBUG)
        with captured_stderr() as lines:
            parent.debug('parent debug')
            child.debug('child debug')
            child.info('child info')
        self.assertEqual(texts(lines), ['parent debug', 'child debug', 'child info'])
        # Until the next set_logs(), as torch's _init_logs() sets it again.
        torch_logging.set_logs(aot=INFO)
        self.assertEqual(child.getEffectiveLevel(), WARNING)
        with captured_stderr() as lines:
            child.info('hidden')
        self.assertEqual(lines, [])

    def test_set_level_on_the_torch_logger(self):
        logging.getLogger('torch').setLevel(INFO)
        with captured_stderr() as lines:
            logging.getLogger('torch._inductor.scheduler').info('from the parent level')
        self.assertEqual(texts(lines), ['from the parent level'])

    def test_set_logs_then_python_levels(self):
        torch_logging.set_logs(dynamo=DEBUG)
        child = logging.getLogger('torch._dynamo.eval_frame')
        self.assertEqual(child.getEffectiveLevel(), DEBUG)
        child.setLevel(ERROR)     # a module's own logger: the user's
        with captured_stderr() as lines:
            child.info('hidden')
            logging.getLogger('torch._dynamo.other').info('shown')
        self.assertEqual(texts(lines), ['shown'])
        torch_logging.set_logs(dynamo=DEBUG)
        self.assertEqual(child.level, ERROR)

    def test_modules_with_an_importable_undotted_name(self):
        torch_logging.set_logs(modules={'json': DEBUG})
        with captured_stderr() as lines:
            logging.getLogger('json.decoder').debug('from json')
        self.assertEqual(texts(lines), ['from json'])
        with self.assertRaises(ValueError) as caught:
            torch_logging.set_logs(modules={'no_such_module_for_torchlog': DEBUG})
        self.assertEqual(str(caught.exception), 'Unrecognized log or artifact name passed to '
                         'set_logs: no_such_module_for_torchlog')

    def test_torch_logs_with_an_importable_undotted_name(self):
        code = ('Torchlog.get_loggers()\n'
                'logging.getLogger("json.decoder").debug("json via TORCH_LOGS")\n')
        rc, _, err = run_script(code, TORCH_LOGS='+json')
        self.assertEqual(rc, 0, err)
        self.assertEqual(texts(err.splitlines()), ['json via TORCH_LOGS'])
        rc, _, err = run_script(code, TORCH_LOGS='+no_such_module_for_torchlog')
        self.assertIn('Invalid log settings: +no_such_module_for_torchlog, must be',
                      err)

    def test_artifact_logger(self):
        guards = torch_logging.getArtifactLogger('torch._dynamo.guards', 'guards')
        with captured_stderr() as lines:
            guards.debug('off')
            torch_logging.set_logs(guards=True)
            guards.debug('GUARDS %d', 1)
        self.assertEqual(len(lines), 1, lines)
        match = GLOG.match(lines[0])
        self.assertEqual((match['artifact'], match['text']), (' [__guards]', 'GUARDS 1'))

    def test_handler_format_follows_torch_logs_format(self):
        torch_logging.set_logs(dynamo=INFO)
        logger = logging.getLogger('torch._dynamo')
        handler = torch_logging.LoggingBridge.active().handler_of('torch._dynamo')
        record = logger.makeRecord(logger.name, INFO, __file__, 1, 'hello %s', ('you',), None)
        self.assertRegex(handler.format(record), r'^I\d{4} [\d:.]+ \d+ [^ ]+:1\] hello you$')
        os.environ['TORCH_LOGS_FORMAT'] = '%(levelname)s: %(message)s'
        try:
            self.assertEqual(handler.format(record), 'INFO: hello you')
        finally:
            os.environ['TORCH_LOGS_FORMAT'] = ''

    def test_warning_once(self):
        log = logging.getLogger('torch._dynamo.once_here')
        with captured_stderr() as lines:
            for _ in range(3):
                torch_logging.warning_once(log, 'once %s', 'only')
        self.assertEqual(texts(lines), ['once only'])

    def test_ignored_set_logs_warns_each_time_at_the_caller(self):
        code = ('Torchlog.set_logs(dynamo=logging.DEBUG)\n'       # line 4
                'Torchlog.set_logs(aot=logging.DEBUG)\n')         # line 5
        rc, _, err = run_script(code, TORCH_LOGS='inductor')
        self.assertEqual(rc, 0, err)
        lines = err.splitlines()
        # The caller's file (`-c` code is `<string>`, resolved as torch
        # resolves a path) and line.
        self.assertEqual([(m['letter'], os.path.basename(m['path']), m['line'], m['text'])
                          for m in map(GLOG.match, lines)],
                         [('W', '<string>', '4', IGNORED), ('W', '<string>', '5', IGNORED)])

    def test_default_registry_from_any_entry_point(self):
        code = ('registry = Torchlog.Registry.get_default()\n'
                'registry.set_logs(dynamo=logging.DEBUG)\n'
                'print(int(registry.get_effective_level("torch._dynamo")))\n'
                'logging.getLogger("torch._dynamo.x").debug("first entry point")\n')
        rc, out, err = run_script(code)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out.split(), ['10'])
        self.assertEqual(texts(err.splitlines()), ['first entry point'])

    def test_init_logs_applies_the_latest_set_logs(self):
        registry = Torchlog.Registry.get_default()
        torch_logging.set_logs(dynamo=DEBUG, guards=True)
        torch_logging._init_logs()
        registry.init_logs()
        self.assertEqual(int(registry.get_effective_level('torch._dynamo')), DEBUG)
        self.assertTrue(registry.lookup_artifact('guards').get_enabled())
        self.assertEqual(logging.getLogger('torch._dynamo').level, DEBUG)

    def test_level_to_letter_and_compile_id(self):
        self.assertEqual([torch_logging.level_to_letter(level)
                          for level in (DEBUG, INFO, WARNING, ERROR, logging.CRITICAL)],
                         ['V', 'I', 'W', 'E', 'C'])
        compile_id = torch_logging.CompileId(frame_id=0, frame_compile_id=1)
        self.assertEqual((compile_id.frame_id, compile_id.frame_compile_id,
                          compile_id.compiled_autograd_id), (0, 1, -1))
        self.assertEqual(compile_id.to_trace_id(0), '0/1')
        self.assertEqual(torch_logging.CompileId(None, None, 2).to_trace_id(0), '!2')
        self.assertEqual(torch_logging.CompileId(3, 0, 1).to_trace_id(1), '!1/3/0_1')
        # torch's dataclass: the two frame fields are required.
        with self.assertRaises(TypeError):
            torch_logging.CompileId()
        self.assertEqual(compile_id.copy().compiled_autograd_id, -1)

    def test_module_functions(self):
        torch_logging.register_log('style_log', 'stylepkg.sub')
        torch_logging.register_artifact('style_artifact', 'An artifact of this test',
                                        visible=True, off_by_default=True)
        torch_logging.set_logs(modules={'style_log': DEBUG, 'style_artifact': True})
        with captured_stderr() as lines:
            logging.getLogger('stylepkg.sub.mod').debug('style')
        self.assertEqual(texts(lines), ['style'])
        help_text = torch_logging.help_message(verbose=False)
        self.assertIn('  style_log\n', help_text)
        self.assertIn('  %-30s\tAn artifact of this test\n' % 'style_artifact', help_text)
        self.assertIn('TORCH_LOGS="+dynamo,schedule" will enable set the log level of '
                      'TorchDynamo\n  to logging.DEBUG and enable the schedule artifact\n',
                      help_text)
        # Registered again with another name, as torch's register_log()
        # allows: the new name's logger is the one configured.
        torch_logging.register_log('style_log', ['stylepkg.other'])
        torch_logging.set_logs(modules={'style_log': INFO})
        self.assertEqual(logging.getLogger('stylepkg.other.mod').getEffectiveLevel(), INFO)
        loggers = torch_logging.get_loggers()
        self.assertTrue(all(isinstance(logger, logging.Logger) for logger in loggers))
        self.assertIn('torch._dynamo', [logger.name for logger in loggers])
        shown = []
        with warnings.catch_warnings():
            warnings.simplefilter('always')
            warnings.showwarning = lambda message, *args, **kwargs: shown.append(str(message))
            with torch_logging.hide_warnings(lambda message, *args, **kwargs: 'keep' in str(message)):
                warnings.warn('hide me')
                warnings.warn('keep me')
            warnings.warn('after')
        self.assertEqual(shown, ['keep me', 'after'])


if __name__ == '__main__':
    taptest.main()
