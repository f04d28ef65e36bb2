# torch_shim.py: the one change PyTorch's logging tests need to run here,
# their import: `torch._logging` is gi.repository.Torchlog, and a child
# process's `import torch` (which runs torch._logging._init_logs()) is
# the import of Torchlog and its _init_logs(). The rest of `torch` they
# touch is a compiler this project does not have; the names they use of
# it are stand-ins that do nothing, listed here.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import contextlib
import os
import subprocess
import sys
import types
import unittest

from taptest import Torchlog

torch = types.SimpleNamespace(
    _logging=Torchlog,
    # torch._dynamo: its logger's name, and reset(), which clears the
    # compiler's caches (there are none here).
    _dynamo=types.SimpleNamespace(__name__='torch._dynamo', reset=lambda: None),
)

# `import torch` in a child process.
IMPORT_TORCH = 'import taptest\ntaptest.Torchlog._init_logs()\n'


class _InductorConfig:
    """torch._inductor.config: patch() patches the compiler's settings,
    here a decorator that changes nothing."""

    @staticmethod
    def patch(*args, **kwargs):
        return lambda fn: fn


inductor_config = _InductorConfig()


class DynamoTestCase(unittest.TestCase):
    """torch._dynamo.test_case.TestCase, what the logging tests use of it:
    a class-wide ExitStack, and run_process_no_exception()."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._exit_stack = contextlib.ExitStack()

    @classmethod
    def tearDownClass(cls):
        cls._exit_stack.close()
        super().tearDownClass()

    @staticmethod
    def run_process_no_exception(code, env=None):
        # The child imports taptest (the uninstalled overrides) from here.
        env = dict(os.environ if env is None else env)
        env['PYTHONPATH'] = os.pathsep.join(
            [os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
             env.get('PYTHONPATH', '')])
        code = code.replace('import torch\n', IMPORT_TORCH)
        if code.strip() == 'import torch':
            code = IMPORT_TORCH
        popen = subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, env=env)
        stdout, stderr = popen.communicate()
        return stdout, stderr
