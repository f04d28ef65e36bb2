#!/usr/bin/python3
# test_logging.py: the tests of PyTorch's test/dynamo/test_logging.py
# (pytorch/pytorch, BSD-3-Clause, see LICENSE in this folder) that need
# no compiler, run against gi.repository.Torchlog with their bodies and
# assertions as PyTorch has them. Changes: the imports (torch_shim's
# `torch`, where torch._logging is Torchlog); `IS_WINDOWS` is False; and
# in test_logs_out the child process logs through torch._dynamo's logger
# instead of compiling a function (what it checks, that TORCH_LOGS_OUT
# holds exactly what stderr shows, is unchanged). Tests that compile
# (torch.compile, inductor, cuda, distributed) are left out.
import logging
import os
import re
import sys
import unittest
import unittest.mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import taptest  # noqa: E402
from torch_shim import torch  # noqa: E402
from logging_utils import (  # noqa: E402
    LoggingTestCase,
    logs_to_string,
    make_logging_test,
    make_settings_test,
    multiple_logs_to_string,
)

IS_WINDOWS = False


def _as_posix_path(path):
    # torch._dynamo.trace_rules._as_posix_path, on a POSIX system.
    return path


def empty_line_normalizer(code):
    # torch._dynamo.testing.empty_line_normalizer
    normal_code = re.sub(r"[\r\n]+", "\n", code)
    return normal_code


LOG_PREFIX_PATTERNS = [
    re.compile(r"^\[rank\d+\]:\s*"),
    re.compile(r"^[A-Z]+:[^:]+:\s*"),
    re.compile(r"^[A-Z]\d{2,4}\s+\d{2}:\d{2}:\d{2}(?:\.\d+)?\s+\d+\s+[^\]]+\]\s*"),
    re.compile(r"^[A-Z](?:\d{4})?\s+[^:]+:\s*"),
]


def normalize_log_line(line: str) -> str:
    line = line.rstrip()
    for pattern in LOG_PREFIX_PATTERNS:
        stripped, count = pattern.subn("", line, count=1)
        if count:
            line = stripped.lstrip()
            break
    return line


class LoggingTests(LoggingTestCase):
    # check that logging to a child log of a registered logger
    # does not register it and result in duplicated records
    @make_settings_test("torch._dynamo.output_graph")
    def test_open_registration_with_registered_parent(self, records):
        logger = logging.getLogger("torch._dynamo.output_graph")
        logger.info("hi")
        self.assertEqual(len(records), 1)

    # check logging to a random log that is not a child log of a registered
    # logger registers it and sets handlers properly
    @make_settings_test("torch.utils")
    def test_open_registration(self, records):
        logger = logging.getLogger("torch.utils")
        logger.info("hi")
        self.assertEqual(len(records), 1)

    # check logging to a random log that is not a child log of a registered
    # logger registers it and sets handlers properly
    @make_logging_test(modules={"torch.utils": logging.INFO})
    def test_open_registration_python_api(self, records):
        logger = logging.getLogger("torch.utils")
        logger.info("hi")
        self.assertEqual(len(records), 1)

    @make_settings_test("torch._logging")
    def test_directory_based_logging(self, records):
        # Test that the package itself can log
        logger = logging.getLogger("torch._logging")
        logger.info("package log")

        # Test that submodules can also log
        sublogger = logging.getLogger("torch._logging._internal")
        sublogger.info("submodule log")

        # We should have at least 2 records (one from package, one from submodule)
        self.assertGreaterEqual(len(records), 2)

        # Verify both loggers are registered and have handlers
        self.assertTrue(len(logger.handlers) > 0 or logger.propagate)
        self.assertTrue(len(sublogger.handlers) > 0 or sublogger.propagate)

    @make_logging_test(all=logging.DEBUG, dynamo=logging.INFO)
    def test_all(self, _):
        registry = torch._logging._internal.log_registry

        dynamo_qnames = registry.log_alias_to_log_qnames["dynamo"]
        for logger_qname in torch._logging._internal.log_registry.get_log_qnames():
            logger = logging.getLogger(logger_qname)

            # if logger_qname is a.b.c and dynamo_qnames contains a.b, it still matches dynamo's INFO setting
            if any(logger_qname.find(d) == 0 for d in dynamo_qnames):
                self.assertEqual(
                    logger.getEffectiveLevel(),
                    logging.INFO,
                    msg=f"expected {logger_qname} is INFO, got {logging.getLevelName(logger.getEffectiveLevel())}",
                )
            else:
                self.assertEqual(
                    logger.getEffectiveLevel(),
                    logging.DEBUG,
                    msg=f"expected {logger_qname} is DEBUG, got {logging.getLevelName(logger.getEffectiveLevel())}",
                )

    @make_logging_test(dynamo=logging.INFO)
    def test_custom_format_exc(self, records):
        dynamo_log = logging.getLogger(torch._dynamo.__name__)
        try:
            raise RuntimeError("foo")
        except RuntimeError:
            dynamo_log.exception("test dynamo")
            dynamo_log.info("with exc", exc_info=True)
        dynamo_log.info("with stack", stack_info=True)
        self.assertEqual(len(records), 3)
        # unfortunately there's no easy way to test the final formatted log other than
        # to ask the dynamo logger's handler to format it.
        for handler in dynamo_log.handlers:
            if torch._logging._internal._is_torch_handler(handler):
                break
        self.assertIsNotNone(handler)
        self.assertIn("Traceback", handler.format(records[0]))
        self.assertIn("Traceback", handler.format(records[1]))
        self.assertIn("Stack", handler.format(records[2]))

    @make_logging_test(dynamo=logging.INFO)
    def test_custom_format(self, records):
        dynamo_log = logging.getLogger(torch._dynamo.__name__)
        test_log = torch._logging.getArtifactLogger(
            torch._dynamo.__name__, "custom_format_test_artifact"
        )
        dynamo_log.info("test dynamo")
        test_log.info("custom format")
        self.assertEqual(len(records), 2)
        # unfortunately there's no easy way to test the final formatted log other than
        # to ask the dynamo logger's handler to format it.
        for handler in dynamo_log.handlers:
            if torch._logging._internal._is_torch_handler(handler):
                break
        self.assertIsNotNone(handler)
        formatted_dynamo = handler.format(records[0])
        self.assertIn("test dynamo", formatted_dynamo)
        self.assertEqual(normalize_log_line(formatted_dynamo), "test dynamo")
        ci_style_line = (
            "I1124 19:43:23.879000 4928 dynamo/test_logging.py:410] test dynamo"
        )
        self.assertEqual(normalize_log_line(ci_style_line), "test dynamo")

        formatted_artifact = handler.format(records[1])
        self.assertIn("custom format", formatted_artifact)
        self.assertEqual(normalize_log_line(formatted_artifact), "custom format")

    @make_logging_test(dynamo=logging.INFO)
    def test_multiline_format(self, records):
        dynamo_log = logging.getLogger(torch._dynamo.__name__)
        dynamo_log.info("test\ndynamo")
        dynamo_log.info("%s", "test\ndynamo")
        dynamo_log.info("test\n%s", "test\ndynamo")
        self.assertEqual(len(records), 3)
        # unfortunately there's no easy way to test the final formatted log other than
        # to ask the dynamo logger's handler to format it.
        for handler in dynamo_log.handlers:
            if torch._logging._internal._is_torch_handler(handler):
                break
        self.assertIsNotNone(handler)
        expected_lines = [
            ["test", "dynamo"],
            ["test", "dynamo"],
            ["test", "test", "dynamo"],
        ]

        for record, expected in zip(records, expected_lines):
            formatted = handler.format(record)
            normalized_lines = [
                line
                for line in (normalize_log_line(l) for l in formatted.splitlines())
                if line
            ]
            self.assertEqual(normalized_lines, expected)

    def test_invalid_artifact_flag(self):
        with self.assertRaises(ValueError):
            torch._logging.set_logs(aot_graphs=5)

    def test_invalid_artifact_flag_error_msg(self):
        env = dict(os.environ)
        env["TORCH_LOGS"] = "not_an_existing_log_artifact_should_error"
        _, stderr = self.run_process_no_exception(
            "import torch",
            env=env,
        )
        lines = stderr.decode().split("\r\n" if IS_WINDOWS else "\n")
        # This is a sanity assert that our error is not spammy.
        # As of this test creation this was 18.
        # See this issue for the purpose o this test:
        # https://github.com/pytorch/pytorch/issues/151055
        self.assertTrue(len(lines) < 50)
        # The other sanity assert - check that the last few lines
        # map to the actual error message we want to raise
        # (I could use an expecttest here, although it would break
        #  whenever someone adds a new logging artifact)
        self.assertEqual(
            lines[-5], 'For more info on various settings, try TORCH_LOGS="help"'
        )
        self.assertEqual(lines[-4], "Valid settings:")

    def test_logs_out(self):
        import tempfile

        with tempfile.NamedTemporaryFile(delete=True) as tmp:
            file_path = _as_posix_path(tmp.name)
            """
            NamedTemporaryFile will include a file open operation.
            On Windowsm the file is opened by NamedTemporaryFile, the
            following run_process_no_exception can't access a opened file.
            And then, raise a PermissionError: [Errno 13] Permission denied: [file_path]
            """
            tmp.close()
            env = dict(os.environ)
            env["TORCH_LOGS"] = "dynamo"
            env["TORCH_LOGS_OUT"] = file_path
            _, stderr = self.run_process_no_exception(
                """\
import torch
import logging
log = logging.getLogger("torch._dynamo.eval_frame")
log.info("compiling %s", "fn")
log.debug("not at INFO")
log.info("a record\\nof two lines")
                """,
                env=env,
            )
            with open(
                file_path, encoding="utf-8"
            ) as fd:  # encoding file to UTF-8 for Windows.
                lines = fd.read()
                orig_maxDiff = unittest.TestCase.maxDiff
                unittest.TestCase.maxDiff = None
                try:
                    self.assertEqual(  # process wrap difference: /r/n on Windows, /n on posix.
                        empty_line_normalizer(lines),
                        empty_line_normalizer(stderr.decode("utf-8")),
                    )
                except Exception:
                    unittest.TestCase.maxDiff = orig_maxDiff
                    raise
            # Not PyTorch's: the run must have printed something.
            self.assertIn("] compiling fn", lines)


class LoggingUtilsHelpers(LoggingTestCase):
    """logging_utils' logs_to_string() and multiple_logs_to_string(), as
    PyTorch's inductor tests use them, with records logged directly to
    the artifact loggers instead of by a compiler."""

    def test_logs_to_string(self):
        stream, ctx = logs_to_string("torch._inductor.compile_fx", "post_grad_graphs")
        with ctx():
            torch._logging.getArtifactLogger(
                "torch._inductor.compile_fx", "post_grad_graphs").debug("graph %d", 1)
        self.assertEqual(stream.getvalue(), "graph 1\n")
        # Outside the settings the artifact is off again.
        torch._logging.getArtifactLogger(
            "torch._inductor.compile_fx", "post_grad_graphs").debug("graph %d", 2)
        self.assertEqual(stream.getvalue(), "graph 1\n")

    def test_multiple_logs_to_string(self):
        (pre, post), ctx = multiple_logs_to_string(
            "torch._inductor.compile_fx", "pre_grad_graphs", "post_grad_graphs")
        with ctx():
            torch._logging.getArtifactLogger(
                "torch._inductor.compile_fx", "pre_grad_graphs").debug("pre")
            torch._logging.getArtifactLogger(
                "torch._inductor.compile_fx", "post_grad_graphs").debug("post")
        self.assertEqual((pre.getvalue(), post.getvalue()), ("pre\n", "post\n"))


if __name__ == "__main__":
    taptest.main()
