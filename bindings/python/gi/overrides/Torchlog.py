# Torchlog.py: PyGObject overrides for torchlog
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# What this adds to the introspected API:
#
# * torch._logging's Python surface: set_logs() with torch's keyword
#   arguments, getArtifactLogger(), LazyString, warning_once,
#   DEFAULT_LOGGING, register_log(), register_artifact(), help_message(),
#   _init_logs(), get_loggers(), hide_warnings(), CompileId, and the
#   `_internal` names torch's own tests use, so torch-style code runs with
#   only its import changed (bindings/README.md lists them all);
# * Registry.set_logs(**kwargs), the same on any registry;
# * errors of the TL_ERROR domain raised as TorchlogError, which is both a
#   ValueError (what torch raises, with torch's text) and a GLib.Error;
# * a bridge to Python's `logging` (LoggingBridge) that configures the
#   loggers as torch's _init_logs() does, Python's hierarchy kept, and
#   prints their records through the same C formatter and outputs as C
#   records.

import collections.abc
import ctypes
import functools
import logging
import operator
import os
import pathlib
import sys
import threading
import time
import types

from gi.repository import GLib

from ..module import get_introspection_module
from ..overrides import override

Torchlog = get_introspection_module('Torchlog')

__all__ = []


# ---- torch's set_logs() arguments ---------------------------------------

# spec §3.3: the fixed order torch applies its keyword arguments in. `all`
# is torch's alias for the `torch` log.
_TORCH_ORDER = (
    'all', 'dynamo', 'aot', 'autograd', 'inductor', 'dynamic', 'bytecode',
    'aot_graphs', 'aot_joint_graph', 'ddp_graphs', 'distributed', 'c10d',
    'ddp', 'fsdp', 'dtensor', 'graph', 'graph_code', 'graph_code_verbose',
    'graph_breaks', 'side_effects', 'graph_sizes', 'guards', 'recompiles',
    'recompiles_verbose', 'trace_source', 'trace_call', 'trace_bytecode',
    'output_code', 'kernel_code', 'schedule', 'perf_hints', 'pre_grad_graphs',
    'post_grad_graphs', 'ir_pre_fusion', 'ir_post_fusion', 'fusion',
    'overlap', 'sym_node', 'export', 'cudagraphs', 'compiled_autograd',
    'compiled_autograd_verbose', 'cudagraph_static_inputs', 'benchmarking',
    'autotuning', 'autotuning_inputs', 'incremental',
    'graph_region_expansion', 'inductor_metrics', 'hierarchical_compile',
    'compute_dependencies', 'caching', 'partitioned_scatter',
)
_TORCH_LEVEL_ARGS = frozenset((
    'all', 'dynamo', 'aot', 'autograd', 'dynamic', 'inductor', 'distributed',
    'c10d', 'ddp', 'fsdp', 'dtensor', 'export',
))
_TORCH_POSITION = {name: i for i, name in enumerate(_TORCH_ORDER)}

# torch._logging.DEFAULT_LOGGING (spec §1.8), for set_logs(**DEFAULT_LOGGING).
DEFAULT_LOGGING = {
    'dynamo': logging.INFO,
    'aot': logging.INFO,
    'inductor': logging.INFO,
    'fsdp': logging.INFO,
    'dynamic': logging.INFO,
    'ddp_graphs': True,
    'graph_breaks': True,
    'recompiles': True,
    'guards': True,
    'side_effects': True,
}
__all__.append('DEFAULT_LOGGING')

_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1
_INT32_MIN = -(1 << 31)
_INT32_MAX = (1 << 31) - 1


def _to_variant(value):
    """A set_logs() value as the C library takes it: `b` for a real bool,
    `x` for an integer, `d` for a float (the library takes one equal to a
    level as that level, as torch's `val not in logging._levelToName`
    does, and prints any other as Python's str() does), and the str() of
    anything else, so that the C checks refuse it with the same text
    torch's f-strings print."""
    if isinstance(value, bool):
        return GLib.Variant('b', value)
    if isinstance(value, float):
        return GLib.Variant('d', value)
    try:
        number = operator.index(value)
    except TypeError:
        return GLib.Variant('s', str(value))
    if _INT64_MIN <= number <= _INT64_MAX:
        return GLib.Variant('x', number)
    return GLib.Variant('s', str(value))


def _to_gvalue(value):
    """A set_logs() value for Registry.set_logsv()'s GValue array: a plain
    bool or a small int as it is (PyGObject converts those in C, without
    a GLib.Variant per pair: a million module names must not cost a
    million Python objects more than needed), anything else as the
    GLib.Variant of _to_variant(), which the library reads the same way
    set_logs_variant() does."""
    kind = type(value)
    if kind is bool or (kind is int and _INT32_MIN <= value <= _INT32_MAX):
        return value
    return _to_variant(value)


# ---- NUL characters -----------------------------------------------------
#
# A Python str may hold U+0000; a C string ends there. PyGObject cuts every
# str it passes to C at its first NUL, so `parse_logs("+dynamo\x00,junk")`
# would apply `+dynamo` and `modules={"torch._dynamo\x00evil": 10}` would
# set `torch._dynamo`. Torch refuses both (its grammar and its module test
# see the whole string), so the overrides hand the C checks a stand-in that
# they refuse in the same place, a private-use character the input does
# not hold, and put the NUL back into the error's text.

_NUL = '\x00'


def _stand_ins(texts, count=1, usable=None):
    """`count` private-use characters that occur in none of `texts` (and
    pass `usable`, if given)."""
    found = []
    for code in range(0xE000, 0xF900):
        char = chr(code)
        if any(char in text for text in texts):
            continue
        if usable is not None and not usable(char):
            continue
        found.append(char)
        if len(found) == count:
            return found
    raise ValueError('no private-use character is free to stand for a NUL')


def _call_with_stand_in(function, stand_in, *args):
    """Calls `function`, raising a torchlog error as TorchlogError whose
    text has `stand_in` turned back into the NUL it stood for."""
    try:
        return function(*args)
    except GLib.Error as error:
        if error.domain != _ERROR_DOMAIN or error.code not in _VALUE_ERROR_CODES:
            raise
        converted = TorchlogError(error.message.replace(stand_in, _NUL), error.domain, error.code)
    raise converted


# ---- errors -------------------------------------------------------------

class TorchlogError(ValueError, GLib.Error):
    """An error of the Torchlog.Error domain, raised where torch raises
    `ValueError`: it is a ValueError whose str() is torch's text, and a
    GLib.Error with the domain and code of the C error."""

    def __init__(self, message, domain=None, code=0):
        GLib.Error.__init__(self, message, domain or _ERROR_DOMAIN, code)
        self.args = (message,)

    def __str__(self):
        return self.message


__all__.append('TorchlogError')

_ERROR_DOMAIN = GLib.quark_to_string(Torchlog.error_quark())
# The codes for which torch raises ValueError; others stay GLib.Error.
_VALUE_ERROR_CODES = frozenset(int(code) for code in (
    Torchlog.Error.INVALID_SETTINGS,
    Torchlog.Error.HELP,
    Torchlog.Error.INVALID_VALUE,
    Torchlog.Error.UNKNOWN_NAME,
    Torchlog.Error.ARTIFACT_NOT_REGISTERED,
    Torchlog.Error.INVALID_FORMAT,
))


def _reraise_as_value_error(function):
    """Calls `function`, turning a GLib.Error of the torchlog domain into a
    TorchlogError, with no C traceback chained to it."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except GLib.Error as error:
            if error.domain != _ERROR_DOMAIN or error.code not in _VALUE_ERROR_CODES:
                raise
            converted = TorchlogError(error.message, error.domain, error.code)
        raise converted
    return wrapper


# ---- torch's rules that need Python --------------------------------------

_IGNORED_TEXT = ('Using TORCH_LOGS environment variable for log settings, '
                 'ignoring call to set_logs')
# The logger torch prints that warning with (torch._logging._internal's).
_INTERNAL_LOGGER = 'torch._logging._internal'


def _env_wins(registry):
    """Whether the registry's environment variable is set (not empty, the
    C library's rule), so that set_logs() is ignored."""
    return bool(GLib.getenv(Torchlog.Registry.get_env_var(registry)))


def _caller_stacklevel():
    """The `stacklevel` that makes a record logged by the caller of this
    function point at the first frame outside this file."""
    frame = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_code.co_filename == __file__:
        frame = frame.f_back
        level += 1
    return level


def _warn_ignored(registry):
    """torch's warning for an ignored set_logs(), at the caller's location:
    through Python's logging (torch's `torch._logging._internal` logger)
    when it is bridged to this registry and under one of its logs, else
    printed by the library (at `torchlog:0`)."""
    bridge = LoggingBridge.active()
    if bridge is not None and bridge.registry == registry and \
            bridge._registered_domain(_INTERNAL_LOGGER) is not None:
        logging.getLogger(_INTERNAL_LOGGER).warning(
            _IGNORED_TEXT, stacklevel=_caller_stacklevel())
    else:
        Torchlog.Registry.set_logs(registry, [], [])


def _is_valid_module(qname):
    """torch's _is_valid_module(): whether Python can import `qname`."""
    import importlib.util
    try:
        return importlib.util.find_spec(qname) is not None
    except (ImportError, ValueError):
        return False


def _register_importable(registry, names):
    """torch registers a module name it can import as a log of its own
    (register_log(name, name)). The C library does so for every dotted
    name; an undotted one is registered here, when find_spec() finds it."""
    lookup_component = Torchlog.Registry.lookup_component
    lookup_artifact = Torchlog.Registry.lookup_artifact
    for name in names:
        if (type(name) is str and name and '.' not in name and _NUL not in name and
                name not in ('all', 'help') and
                lookup_component(registry, name) is None and
                lookup_artifact(registry, name) is None and _is_valid_module(name)):
            Torchlog.Registry.register_log(registry, name, [name], None)


def _settings_names(settings):
    """The names a TORCH_LOGS string mentions, without their +/- (torch's
    get_name_level_pair())."""
    return [part.replace('+', '').replace('-', '')
            for part in ''.join(settings.split()).split(',')]


# ---- Registry -----------------------------------------------------------

class Registry(Torchlog.Registry):
    """TlRegistry with torch's Python set_logs() and ValueError texts."""

    def set_logs(self, *names_and_values, modules=None, **kwargs):
        """torch._logging.set_logs() on this registry.

        set_logs(*, all=None, dynamo=None, aot=None, ..., guards=False, ...,
                 modules=None, **<other registered names>)

        Levels are Python `logging` numbers, artifacts real bools. Keyword
        arguments are applied in torch's fixed order (spec §3.3) whatever
        order they are written in, then registered names that are not
        torch's arguments (logs, then artifacts, in registration order),
        then the `modules` entries in the dict's order. Each call is a
        complete configuration. Bad values raise TorchlogError (a
        ValueError) with torch's text; an unknown keyword raises TypeError.

        The introspected form, set_logs(names, values), is still accepted.

        While the registry's environment variable (TORCH_LOGS) is set, the
        call is ignored with torch's warning, on every call, at the
        caller's location. An undotted `modules` name that no log or
        artifact has is registered as a log of its own when Python can
        import it (importlib.util.find_spec, as torch does).
        """
        if _env_wins(self):
            _warn_ignored(self)
            return None
        if names_and_values:
            if kwargs or modules is not None or len(names_and_values) != 2:
                raise TypeError('set_logs() takes keyword arguments, or two '
                                'sequences (names, values), not both')
            names, values = (list(sequence) for sequence in names_and_values)
            if len(names) != len(values):
                raise TypeError('set_logs(): %d names but %d values' % (len(names), len(values)))
            # Through the a{sv} form, not GValues: PyGObject 3.42 crashes
            # converting None into a GValue array.
            return self._set_logs_pairs(zip(names, values))

        torch_pairs = []
        other = {}
        for name, value in kwargs.items():
            if name in _TORCH_POSITION:
                torch_pairs.append((name, value))
            elif _NUL not in name and (
                    Torchlog.Registry.lookup_component(self, name) is not None or
                    Torchlog.Registry.lookup_artifact(self, name) is not None):
                other[name] = value
            else:
                raise TypeError("set_logs() got an unexpected keyword argument '%s'" % name)
        torch_pairs.sort(key=lambda pair: _TORCH_POSITION[pair[0]])

        pairs = torch_pairs
        if other:
            logs = {name: value for name, value in other.items()
                    if Torchlog.Registry.lookup_component(self, name) is not None}
            artifacts = {name: value for name, value in other.items() if name not in logs}
            for group, model in ((logs, self.get_components()), (artifacts, self.get_artifacts())):
                # Registration order; only needed between two names or
                # more (a registry may hold a million open-registered logs).
                if len(group) > 1:
                    for item in model:
                        name = item.get_name()
                        if name in group:
                            pairs.append((name, group.pop(name)))
                            if not group:
                                break
                pairs.extend(group.items())
        if modules is not None:
            _register_importable(self, modules)
            pairs.extend(modules.items())
        self._set_logs_pairs(pairs)
        if self == Torchlog.Registry.get_default():
            _log_state.kwargs = dict(kwargs)
            _log_state.modules = dict(modules) if modules else {}

    def _set_logs_pairs(self, pairs):
        """Applies (name, value) pairs in order, through set_logsv(): one
        call, whose pairs PyGObject converts in C. Linear in the pairs."""
        names = []
        values = []
        has_nul = False
        for name, value in pairs:
            if value is None:
                continue   # "not mentioned", as in torch
            if not isinstance(name, str):
                # Torch tests a name that is no registered log or artifact
                # with importlib.util.find_spec(), which calls
                # name.startswith('.'): a float, an int or None raises
                # AttributeError there, bytes TypeError; but only after
                # the pairs before it passed.
                if self._check_pairs(names, values, has_nul):
                    return
                name.startswith('.')
                raise TypeError("set_logs(): a module name must be a str, not '%s'"
                                % type(name).__name__)
            if not has_nul and (_NUL in name or (type(value) is str and _NUL in value)):
                has_nul = True
            names.append(name)
            values.append(value)
        self._apply_pairs(names, values, has_nul)

    def _apply_pairs(self, names, values, has_nul, probe=False):
        """set_logsv() with torch's errors; `probe` adds a last pair that
        always fails, so that the call only checks the others."""
        stand_in = probe_name = None
        if has_nul or probe:
            texts = names + [value for value in values if type(value) is str]
            registry = self

            def unregistered(char):
                # A stand-in must not turn a name into a registered one.
                for name in names:
                    if _NUL in name:
                        candidate = name.replace(_NUL, char)
                        if (Torchlog.Registry.lookup_component(registry, candidate) is not None or
                                Torchlog.Registry.lookup_artifact(registry, candidate) is not None):
                            return False
                return (Torchlog.Registry.lookup_component(registry, char) is None and
                        Torchlog.Registry.lookup_artifact(registry, char) is None)

            stand_in, probe_name = _stand_ins(texts, 2, unregistered)
            names = [name.replace(_NUL, stand_in) for name in names]
            values = [value.replace(_NUL, stand_in) if type(value) is str else value
                      for value in values]
        if probe:
            names = names + [probe_name]
            values = values + [logging.DEBUG]
        values = [_to_gvalue(value) for value in values]
        if stand_in is None:
            return _reraise_as_value_error(Torchlog.Registry.set_logs)(self, names, values)
        try:
            return _call_with_stand_in(Torchlog.Registry.set_logs, stand_in, self, names, values)
        except TorchlogError as error:
            if probe and probe_name in error.message:
                return False   # only the probe failed
            raise

    def _check_pairs(self, names, values, has_nul):
        """Raises what applying these pairs would raise, changing nothing
        (a failed call changes nothing). Returns True when the environment
        variable wins: torch then ignores set_logs() whatever it is given,
        after the warning the library has printed."""
        return self._apply_pairs(names, values, has_nul, probe=True) is not False

    set_logs_variant = _reraise_as_value_error(Torchlog.Registry.set_logs_variant)

    def parse_logs(self, settings):
        """Applies a TORCH_LOGS string (Registry.parse_logs()), raising
        TorchlogError with torch's text. A string holding a NUL is refused
        as torch refuses it, by its grammar, with the whole string in the
        text, instead of being applied up to the NUL."""
        if isinstance(settings, str):
            _register_importable(self, _settings_names(settings))
        if isinstance(settings, str) and _NUL in settings:
            # The stand-in is no word character: the grammar refuses the
            # string, as torch's regular expression refuses the NUL.
            stand_in, = _stand_ins((settings,))
            return _call_with_stand_in(Torchlog.Registry.parse_logs, stand_in,
                                       self, settings.replace(_NUL, stand_in))
        return _reraise_as_value_error(Torchlog.Registry.parse_logs)(self, settings)

    def init_logs(self):
        """torch's _init_logs() (Registry.init_logs()): the environment's
        settings, or else the latest set_logs() configuration again; an
        undotted name in TORCH_LOGS that Python can import is registered
        as a log first, as torch does."""
        settings = GLib.getenv(Torchlog.Registry.get_env_var(self))
        if settings:
            _register_importable(self, _settings_names(settings))
        return _reraise_as_value_error(Torchlog.Registry.init_logs)(self)

    @staticmethod
    def get_default():
        """The default registry, set up as torch's logging is when it is
        first used, whichever entry point comes first (see set_logs())."""
        return _torch_registry()

    def set_format(self, format):
        """Sets the record format (Registry.set_format()), raising
        TorchlogError (Torchlog.Error.INVALID_FORMAT) for a format C could
        not see whole: one holding a NUL, which would otherwise be cut off
        there and the rest silently dropped."""
        if isinstance(format, str) and _NUL in format:
            raise TorchlogError('Invalid format %r: a format cannot hold a NUL character'
                                % format, _ERROR_DOMAIN, int(Torchlog.Error.INVALID_FORMAT))
        return _reraise_as_value_error(Torchlog.Registry.set_format)(self, format)

    def get_artifact_logger(self, module_qname, artifact_name):
        """The name of torch's artifact logger `<module_qname>.__<artifact_name>`
        (Registry.get_artifact_logger()), raising TorchlogError with torch's
        text for an unregistered artifact; a NUL in either name is kept,
        not cut off (in the error, as torch's repr() shows it)."""
        if not (isinstance(module_qname, str) and isinstance(artifact_name, str) and
                (_NUL in module_qname or _NUL in artifact_name)):
            return _reraise_as_value_error(Torchlog.Registry.get_artifact_logger)(
                self, module_qname, artifact_name)
        registry = self
        stand_in, = _stand_ins(
            (module_qname, artifact_name), 1,
            lambda char: _NUL not in artifact_name or Torchlog.Registry.lookup_artifact(
                registry, artifact_name.replace(_NUL, char)) is None)
        try:
            name = Torchlog.Registry.get_artifact_logger(
                self, module_qname.replace(_NUL, stand_in), artifact_name.replace(_NUL, stand_in))
        except GLib.Error as error:
            if error.domain != _ERROR_DOMAIN or error.code not in _VALUE_ERROR_CODES:
                raise
            converted = TorchlogError(error.message.replace(stand_in, '\\x00'),
                                      error.domain, error.code)
        else:
            return name.replace(stand_in, _NUL)
        raise converted

    def write_record(self, domain, level, message, file, line, func):
        """Registry.write_record(), printing a message that holds a NUL
        whole (the NUL shown as `\\x00`, as the C formatter shows it)
        instead of cutting it there."""
        _write_record(self, domain, level, message, file, line, func)

    def attach_logging(self):
        """Attaches a LoggingBridge between this registry and Python's
        `logging` (see LoggingBridge) and returns it. Attaching again
        returns the bridge already attached."""
        return LoggingBridge.attach_to(self)

    def getArtifactLogger(self, module_qname, artifact_name):
        """torch's getArtifactLogger() on this registry: the Python logger
        `<module_qname>.__<artifact_name>`, already configured if a bridge
        is attached to this registry."""
        name = self.get_artifact_logger(module_qname, artifact_name)
        logger = logging.getLogger(name)
        logger.artifact_name = artifact_name
        bridge = LoggingBridge.active()
        if bridge is not None and bridge.registry == self:
            bridge.adopt(logger)
        return logger


Registry = override(Registry)
__all__.append('Registry')


def _signature():
    """Torch's set_logs() signature, for help() and inspect."""
    import inspect
    parameters = []
    for name in _TORCH_ORDER:
        default = None if name in _TORCH_LEVEL_ARGS else False
        parameters.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default))
    parameters.append(inspect.Parameter('modules', inspect.Parameter.KEYWORD_ONLY, default=None))
    parameters.append(inspect.Parameter('registered_names', inspect.Parameter.VAR_KEYWORD))
    return inspect.Signature(parameters)


# ---- torch._logging's module functions (default registry) --------------

_default_lock = threading.Lock()
_default_ready = False


def _torch_registry():
    """The default registry, set up as `import torch` sets up torch's
    logging the first time the torch-style API is used: if nothing was
    registered yet, PyTorch's registrations are added and TORCH_LOGS and
    friends are read; and Python's logging is bridged to it unless a
    bridge to another registry is attached."""
    global _default_ready
    registry = Torchlog.Registry.get_default()
    if _default_ready and LoggingBridge._active is not None:
        return registry
    with _default_lock:
        if not _default_ready:
            if (registry.get_components().get_n_items() == 0 and
                    registry.get_artifacts().get_n_items() == 0):
                registry.add_pytorch_registrations()
                try:
                    # An invalid TORCH_LOGS is printed by the library and
                    # the defaults are kept, as in C.
                    Registry.init_logs(registry)
                except GLib.Error:
                    pass
            _default_ready = True
        if LoggingBridge.active() is None:
            LoggingBridge.attach_to(registry)
    return registry


def set_logs(*names_and_values, modules=None, **kwargs):
    """torch._logging.set_logs() for the default registry; see
    Registry.set_logs(). For example::

        Torchlog.set_logs(dynamo=logging.DEBUG, graph_code=True)
        Torchlog.set_logs(modules={"unregistered.module.name": logging.DEBUG})
    """
    return _torch_registry().set_logs(*names_and_values, modules=modules, **kwargs)


set_logs.__signature__ = _signature()
Registry.set_logs.__signature__ = _signature()
__all__.append('set_logs')


def getArtifactLogger(module_qname, artifact_name):
    """torch._logging.getArtifactLogger(): the Python logger
    `<module_qname>.__<artifact_name>` of the default registry, configured
    at once. Raises ValueError with torch's text for an unregistered
    artifact."""
    return _torch_registry().getArtifactLogger(module_qname, artifact_name)


__all__.append('getArtifactLogger')


class LazyString:
    """torch._logging.LazyString: str() calls func(*args, **kwargs), each
    time, so expensive text is built only for records that are printed."""

    def __init__(self, func, *args, **kwargs):
        self.func = func
        self.args = args
        self.kwargs = kwargs

    def __str__(self):
        return self.func(*self.args, **self.kwargs)


__all__.append('LazyString')


@functools.lru_cache(None)
def _warning_once(logger_obj, *args, **kwargs):
    kwargs.setdefault('stacklevel', 3)
    logger_obj.warning(*args, **kwargs)


def warning_once(logger_obj, *args, **kwargs):
    """torch._logging.warning_once(): logger_obj.warning(*args, **kwargs)
    only the first time this logger and these arguments are seen. The
    arguments must be hashable (TypeError otherwise, as in torch)."""
    _warning_once(logger_obj, *args, **kwargs)


__all__.append('warning_once')


def attach_logging(registry=None):
    """Bridges Python's `logging` to `registry` (default: the default
    registry, set up as by set_logs()) and returns the LoggingBridge."""
    if registry is None:
        registry = _torch_registry()
        bridge = LoggingBridge.active()
        if bridge is not None and bridge.registry == registry:
            return bridge
    return LoggingBridge.attach_to(registry)


__all__.append('attach_logging')


class LogState:
    """torch's LogState, as torch._logging._internal._get_log_state() and
    _set_log_state() exchange it: what the latest set_logs() on the
    default registry asked for, which _init_logs() applies again."""

    def __init__(self):
        self.kwargs = {}
        self.modules = {}

    def clear(self):
        self.kwargs = {}
        self.modules = {}


_log_state = LogState()


def _init_logs(log_file_name=None):
    """torch._logging._init_logs(): configures the default registry again
    from TORCH_LOGS and friends, or, with TORCH_LOGS unset, from the state
    of the latest set_logs() (or _set_log_state()); `log_file_name` is
    where lines go as well, unless TORCH_LOGS_OUT says otherwise."""
    registry = _torch_registry()
    if not _env_wins(registry):
        state = _log_state
        registry.set_logs(modules=dict(state.modules), **state.kwargs)
    try:
        registry.init_logs()
    except TorchlogError:
        pass    # printed by the library; the defaults are kept, as in C
    if log_file_name is not None and not GLib.getenv('TORCH_LOGS_OUT'):
        registry.set_output_file(log_file_name)


def get_loggers():
    """torch._logging.get_loggers(): the Python logger of every registered
    log's qualified name."""
    registry = _torch_registry()
    return [logging.getLogger(qname) for qname in _log_qnames(registry)]


def register_log(setting_name, log_name):
    """torch._logging.register_log(): `setting_name` (the name TORCH_LOGS
    and set_logs() use) stands for the logger `log_name`, a qualified name
    or a list of them."""
    domains = [log_name] if isinstance(log_name, str) else list(log_name)
    registry = _torch_registry()
    again = Torchlog.Registry.lookup_component(registry, setting_name) is not None
    registry.register_log(setting_name, domains, None)
    bridge = LoggingBridge.active()
    if again and bridge is not None and bridge.registry == registry:
        bridge.sync()       # torch's register_log() replaces the names


def register_artifact(setting_name, description, visible=False, off_by_default=False,
                      log_format=None):
    """torch._logging.register_artifact(): a new artifact; `visible` lists
    it in TORCH_LOGS=help, `off_by_default` keeps it off when its log is
    at DEBUG, `log_format` is its own `%(field)s` format."""
    flags = Torchlog.ArtifactFlags(0)
    if visible:
        flags |= Torchlog.ArtifactFlags.VISIBLE
    if off_by_default:
        flags |= Torchlog.ArtifactFlags.OFF_BY_DEFAULT
    _torch_registry().register_artifact(setting_name, description, flags, log_format)


def help_message(verbose=False):
    """torch._logging._internal.help_message(): the TORCH_LOGS=help text
    (`+help` with verbose=True)."""
    return _torch_registry().help_message(verbose)


def hide_warnings(filter_fn=lambda *args, **kwargs: True):
    """torch._logging.hide_warnings(): a context manager that shows only
    the warnings `filter_fn` accepts (it gets warnings.showwarning()'s
    arguments), through warnings.showwarning, without touching the
    warnings module's filters."""
    import contextlib
    import warnings

    @contextlib.contextmanager
    def hiding():
        prior = warnings.showwarning

        def _showwarning(*args, **kwargs):
            if filter_fn(*args, **kwargs):
                prior(*args, **kwargs)

        try:
            warnings.showwarning = _showwarning
            yield
        finally:
            warnings.showwarning = prior

    return hiding()


def level_to_letter(level):
    """The glog letter of a level ('V', 'I', 'W', 'E', 'C'; '?' for any
    other number), as a str."""
    return chr(Torchlog.level_to_letter(level))


for _name in ('_init_logs', 'get_loggers', 'register_log', 'register_artifact', 'help_message',
              'hide_warnings', 'level_to_letter', 'LogState', '_internal'):
    __all__.append(_name)


class CompileId(Torchlog.CompileId):
    """torch's CompileId(frame_id, frame_compile_id, compiled_autograd_id=None):
    None for an id that is not set (-1 in C)."""

    def __new__(cls, frame_id, frame_compile_id, compiled_autograd_id=None):
        def c_id(value):
            return -1 if value is None else value
        return Torchlog.CompileId.new(c_id(frame_id), c_id(frame_compile_id),
                                      c_id(compiled_autograd_id))

    def __init__(self, *args, **kwargs):
        pass


CompileId = override(CompileId)
__all__.append('CompileId')


def _log_qnames(registry):
    """Every registered log's qualified names (torch's get_log_qnames())."""
    qnames = set()
    for component in registry.get_components():
        qnames.update(component.dup_domains())
    return qnames


class _LogRegistryView:
    """torch._logging._internal.log_registry, read from the default
    registry: what torch's own tests look at."""

    @property
    def log_alias_to_log_qnames(self):
        return {component.get_name(): list(component.dup_domains())
                for component in _torch_registry().get_components()}

    @property
    def log_alias_to_log_qname(self):
        return {alias: qnames[0] for alias, qnames in self.log_alias_to_log_qnames.items()}

    def _artifacts(self):
        return list(_torch_registry().get_artifacts())

    @property
    def artifact_names(self):
        return {artifact.get_name() for artifact in self._artifacts()}

    @property
    def visible_artifacts(self):
        return {artifact.get_name() for artifact in self._artifacts() if artifact.get_visible()}

    @property
    def off_by_default_artifact_names(self):
        return {artifact.get_name() for artifact in self._artifacts()
                if artifact.get_off_by_default()}

    @property
    def artifact_descriptions(self):
        return {artifact.get_name(): artifact.get_description() or ''
                for artifact in self._artifacts()}

    def is_artifact(self, name):
        return Torchlog.Registry.lookup_artifact(_torch_registry(), name) is not None

    def is_log(self, alias):
        return Torchlog.Registry.lookup_component(_torch_registry(), alias) is not None

    def is_off_by_default(self, name):
        return name in self.off_by_default_artifact_names

    def get_log_qnames(self):
        return _log_qnames(_torch_registry())

    def get_artifact_log_qnames(self):
        names = self.artifact_names
        return {name for name, logger in list(logging.Logger.manager.loggerDict.items())
                if isinstance(logger, logging.Logger) and _artifact_of(name) in names}


def _get_log_state():
    return _log_state


def _set_log_state(state):
    global _log_state
    _log_state = state


def _is_torch_handler(handler):
    return isinstance(handler, LoggingHandler)


def _internal_getattr(name):
    # Read at each access: _set_log_state() replaces the state.
    if name == 'log_state':
        return _log_state
    raise AttributeError(name)


# torch._logging._internal's names that torch's own logging tests use.
_internal = types.ModuleType(__name__ + '._internal')
_internal.__dict__.update(
    log_registry=_LogRegistryView(), LogState=LogState, _get_log_state=_get_log_state,
    _set_log_state=_set_log_state, _init_logs=_init_logs, _is_torch_handler=_is_torch_handler,
    help_message=help_message, get_loggers=get_loggers, hide_warnings=hide_warnings,
    __getattr__=_internal_getattr)


# ---- LogRecords made faster, same records --------------------------------
#
# Measured (scripts/bench.sh, docs/benchmarks.md): of an enabled
# logger.debug() through the bridge, LogRecord.__init__ was the largest
# part, and in it os.getpid() (a system call each time: glibc caches no
# pid) and os.path.basename()/splitext() of the same few paths. The
# loggers the bridge makes (_TorchLogger) make theirs with _fast_record():
# the same class and the same attributes, computed as this Python's
# LogRecord.__init__ computes them, with the pid cached (forgotten in a
# forked child) and each path split once. It is used only while records
# are made the standard way (no record factory of the user's, no
# `extra`), and only if a record it makes equals one
# LogRecord makes, which is checked when this module is loaded (a Python
# whose LogRecord has other fields keeps the standard path).

_LogRecord = logging.LogRecord
_standard_make_record = logging.Logger.makeRecord
_pid = [None]
_path_parts = {}


def _forget_pid():
    _pid[0] = None


os.register_at_fork(after_in_child=_forget_pid)


def _split_path(pathname):
    try:
        filename = os.path.basename(pathname)
        return filename, os.path.splitext(filename)[0]
    except (TypeError, ValueError, AttributeError):
        return pathname, 'Unknown module'


def _fast_record(name, level, pathname, lineno, msg, args, exc_info, func, sinfo):
    ct = time.time()
    if args and len(args) == 1 and isinstance(args[0], collections.abc.Mapping) and args[0]:
        args = args[0]
    try:
        filename, module = _path_parts[pathname]
    except KeyError:
        filename, module = _path_parts.setdefault(pathname, _split_path(pathname))
    except TypeError:       # an unhashable path
        filename, module = _split_path(pathname)
    if logging.logThreads:
        thread = threading.get_ident()
        thread_name = threading.current_thread().name
    else:
        thread = thread_name = None
    if logging.logMultiprocessing:
        process_name = 'MainProcess'
        mp = sys.modules.get('multiprocessing')
        if mp is not None:
            try:
                process_name = mp.current_process().name
            except Exception:
                pass
    else:
        process_name = None
    if logging.logProcesses:
        pid = _pid[0]
        if pid is None:
            pid = _pid[0] = os.getpid()
    else:
        pid = None
    record = _LogRecord.__new__(_LogRecord)
    record.__dict__.update(
        name=name, msg=msg, args=args, levelname=logging.getLevelName(level), levelno=level,
        pathname=pathname, filename=filename, module=module, exc_info=exc_info,
        exc_text=None, stack_info=sinfo, lineno=lineno, funcName=func, created=ct,
        msecs=int((ct - int(ct)) * 1000) + 0.0,
        relativeCreated=(ct - logging._startTime) * 1000,
        thread=thread, threadName=thread_name, processName=process_name, process=pid)
    return record


_DEBUG, _INFO = logging.DEBUG, logging.INFO


class _TorchLogger(logging.Logger):
    """The class of the loggers the bridge makes (those at or below a
    registered domain, and artifact loggers) while the logger class is
    Python's own: a logging.Logger in every way, whose records are made
    by _fast_record() (see above) and whose debug() and info() read the
    level cache isEnabledFor() fills without calling it, so that a
    disabled call costs less than one of a plain Logger. A logger made
    before the bridge was attached keeps its class."""

    def makeRecord(self, name, level, fn, lno, msg, args, exc_info, func=None, extra=None,
                   sinfo=None):
        if extra is not None or not _fast_records or logging.getLogRecordFactory() is not _LogRecord:
            return _standard_make_record(self, name, level, fn, lno, msg, args, exc_info,
                                         func, extra, sinfo)
        return _fast_record(name, level, fn, lno, msg, args, exc_info, func, sinfo)

    # isEnabledFor(), inlined: `disabled`, then the cache, then the
    # method itself to fill the cache.
    def debug(self, msg, *args, **kwargs):
        if self.disabled:
            return
        try:
            enabled = self._cache[_DEBUG]
        except KeyError:
            enabled = self.isEnabledFor(_DEBUG)
        if enabled:
            # One frame more than Logger.debug(): the caller is above this one.
            kwargs['stacklevel'] = kwargs.get('stacklevel', 1) + 1
            self._log(_DEBUG, msg, args, **kwargs)

    def info(self, msg, *args, **kwargs):
        if self.disabled:
            return
        try:
            enabled = self._cache[_INFO]
        except KeyError:
            enabled = self.isEnabledFor(_INFO)
        if enabled:
            # One frame more than Logger.info(): the caller is above this one.
            kwargs['stacklevel'] = kwargs.get('stacklevel', 1) + 1
            self._log(_INFO, msg, args, **kwargs)


def _same_records():
    """Whether _fast_record() makes what LogRecord() makes here."""
    inputs = ('a.b', logging.INFO, '/x/y/z.py', 3, 'm %s', ('a',), None, 'f', None)
    try:
        standard = vars(_LogRecord(*inputs))
        fast = vars(_fast_record(*inputs))
    except Exception:
        return False
    timing = ('created', 'msecs', 'relativeCreated')
    return (list(standard) == list(fast) and
            all(standard[key] == fast[key] for key in standard if key not in timing) and
            standard['msecs'] == int((standard['created'] - int(standard['created'])) * 1000) + 0.0)


_fast_records = _same_records()


# ---- the bridge to Python's logging ------------------------------------

_LEVEL_PROBES = (logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL)
_FORMATTER = logging.Formatter()
_tl_levels = {}


def _tl_level(levelno):
    """A Python level as the nearest TlLevel at or below it (DEBUG for
    anything lower); cached, since every printed record asks."""
    level = _tl_levels.get(levelno)
    if level is None:
        level = logging.DEBUG
        for probe in reversed(_LEVEL_PROBES):
            if levelno >= probe:
                level = probe
                break
        _tl_levels[levelno] = level
    return level


_relative_paths = {}


def _relative_path(abs_path):
    """torch's make_module_path_relative(): the file relative to the first
    sys.path entry that contains it, else absolute and resolved. Cached
    per path (a dict, read without a call on the hot path)."""
    relative = _relative_paths.get(abs_path)
    if relative is None:
        path = pathlib.Path(abs_path).resolve()
        relative = str(path)
        for entry in sys.path:
            try:
                relative = str(path.relative_to(entry))
                break
            except ValueError:
                continue
        _relative_paths[abs_path] = relative
    return relative


def _message_with_traceback(record, text):
    """torch's TorchLogsFormatter: the message, then the traceback, then the
    stack, each on a new line."""
    if record.exc_info and not record.exc_text:
        record.exc_text = _FORMATTER.formatException(record.exc_info)
    if record.exc_text:
        if text[-1:] != '\n':
            text += '\n'
        text += record.exc_text
    if record.stack_info:
        if text[-1:] != '\n':
            text += '\n'
        text += _FORMATTER.formatStack(record.stack_info)
    return text


# A message holding a NUL goes to Registry.write() as GLogFields, its
# MESSAGE with its length, which PyGObject can only be given as a
# pointer: ctypes buffers, kept alive for the call. The fields' keys are
# set once (PyGObject copies a str into a struct field for good) on
# templates that each call fills under a lock; write() copies them.
_FIELD_KEYS = ('GLIB_DOMAIN', 'PRIORITY', 'MESSAGE', 'CODE_FILE', 'CODE_LINE', 'CODE_FUNC',
               'TORCHLOG_COMPONENT', 'TORCHLOG_DECIDED')
_field_lock = threading.Lock()
_field_templates = {}
_field_templates = {}


def _write_counted(registry, domain, level, message, file, line, func, decided=False):
    """Registry.write_record() (print_record() if `decided`) for a message
    holding a NUL: the same fields (tl_registry_write_record()'s), MESSAGE
    with its length, so the C formatter prints it whole, the NUL as
    `\\x00`."""
    buffers = []

    def pointer(data):
        buffer = ctypes.create_string_buffer(data, len(data) + 1)
        buffers.append(buffer)
        return ctypes.addressof(buffer)

    values = [('GLIB_DOMAIN', domain), ('PRIORITY', Torchlog.level_to_priority(level)),
              ('MESSAGE', message)]
    if file is not None:
        values.append(('CODE_FILE', file))
    if line > 0:
        values.append(('CODE_LINE', str(line)))
    if func is not None:
        values.append(('CODE_FUNC', func))
    # The writer fills in the log that owns the domain.
    values.append(('TORCHLOG_COMPONENT', ''))
    if decided:
        values.append(('TORCHLOG_DECIDED', ''))
    encoded = [(key, text.encode('utf-8')) for key, text in values]
    with _field_lock:
        if not _field_templates:
            for key in _FIELD_KEYS:
                field = GLib.LogField()
                field.key = key
                _field_templates[key] = field
        fields = []
        for key, data in encoded:
            field = _field_templates[key]
            field.value = pointer(data)
            field.length = len(data) if key == 'MESSAGE' else -1
            fields.append(field)
        Torchlog.Registry.write(registry, Torchlog.level_to_glib(level), fields)


def _write_record(registry, domain, level, message, file, line, func):
    if _NUL in message:
        _write_counted(registry, domain, level, message, file, line, func)
    else:
        Torchlog.Registry.write_record(registry, domain, level, message, file, line, func)



def _torch_line(record, text, artifact_name):
    """torch's TorchLogsFormatter line for `record` (each line of `text`
    prefixed), for LoggingHandler.format(): what the C formatter prints,
    computed in Python for callers that ask a handler to format a record."""
    letter = chr(Torchlog.level_to_letter(_tl_level(record.levelno)))
    stamp = time.strftime('%m%d %H:%M:%S', time.localtime(record.created))
    prefix = '%s%s.%06d %s %s:%d]%s' % (
        letter, stamp, int(record.msecs * 1000), record.process,
        _relative_path(record.pathname), record.lineno,
        ' [__%s]' % artifact_name if artifact_name is not None else '')
    return '\n'.join('%s %s' % (prefix, line) for line in text.split('\n'))


class LoggingHandler(logging.Handler):
    """A logging.Handler that prints records through a registry's C
    formatter and outputs (stderr, TORCH_LOGS_OUT, TORCH_LOGS_FORMAT), so
    they are indistinguishable from C records.

    Python's logging has already decided, with its loggers' levels, that
    the record is printed (as torch's handlers, at DEBUG, print whatever
    reaches them): the handler prints it without asking the registry's
    levels again (Registry.print_record()), so a level a user sets on a
    logger counts. A message holding a NUL is printed whole, the NUL
    shown as `\\x00`, as for a C record.

    The C side is thread-safe and writes each line whole, so handle()
    takes no Python lock: the handler's lock would only serialise
    threads for nothing."""

    def __init__(self, registry, level=logging.NOTSET):
        super().__init__(level)
        self.registry = registry
        self._print = registry.print_record

    def handle(self, record):
        rv = self.filter(record)
        if isinstance(rv, logging.LogRecord):
            record = rv     # Python 3.12's filters may return a record
        if rv:
            self.emit(record)
        return rv

    def emit(self, record):
        try:
            text = record.getMessage()
            if record.exc_info or record.exc_text or record.stack_info:
                text = _message_with_traceback(record, text)
            path = _relative_paths.get(record.pathname)
            if path is None:
                path = _relative_path(record.pathname)
            if _NUL in text:
                _write_counted(self.registry, record.name, _tl_level(record.levelno), text,
                               path, record.lineno, record.funcName, decided=True)
            else:
                self._print(record.name, _tl_level(record.levelno), text, path,
                            record.lineno, record.funcName)
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)

    def format(self, record):
        """The line the handler prints for `record` (without the rank and
        trace id): torch's format, or the artifact's own log format."""
        if self.formatter is not None:
            return self.formatter.format(record)
        log_format = GLib.getenv('TORCH_LOGS_FORMAT')
        if log_format:
            # torch's _default_formatter().
            if log_format in ('short', 'basic'):
                log_format = logging.BASIC_FORMAT
            return logging.Formatter(log_format).format(record)
        artifact_name = getattr(logging.getLogger(record.name), 'artifact_name', None)
        if artifact_name is not None:
            artifact = Torchlog.Registry.lookup_artifact(self.registry, artifact_name)
            log_format = artifact.get_log_format() if artifact is not None else None
            if log_format is not None:
                # torch: logging.Formatter(log_format); '' is the default.
                return logging.Formatter(log_format or None).format(record)
        return _torch_line(record, _message_with_traceback(record, record.getMessage()),
                           artifact_name)


__all__.append('LoggingHandler')


def _artifact_of(name):
    """The artifact name of torch's artifact logger `<module>.__<artifact>`,
    or None."""
    marker = name.rfind('.__')
    if marker < 0:
        return None
    return name[marker + 3:]


class LoggingBridge:
    """Connects a registry to Python's `logging` the way torch's
    _init_logs() configures torch's loggers, with Python's own rules kept:

    * the logger of a registered domain (`torch`, `torch._dynamo`, an
      open-registered module) gets a LoggingHandler and stops propagation,
      so each record is printed once, by the C formatter and outputs. Its
      level is the registry's level for it, or NOTSET where that is what
      it inherits from the registered domain above it (`torch` keeps its
      own level, WARNING by default, as in torch);
    * a child log (a module below a registered domain that the settings
      named, e.g. `torch._dynamo.output_graph`) gets its level the same
      way and keeps propagating;
    * an artifact logger `<module>.__<artifact>` follows torch's
      configure_artifact_log(): DEBUG and propagating when the artifact is
      enabled, NOTSET otherwise, not propagating if off by default;
    * every other logger is left alone: NOTSET by default, so its
      getEffectiveLevel() follows its parents, and a level a user sets on
      any logger (`logging.getLogger('torch._dynamo').setLevel(DEBUG)`)
      wins until the next change of the registry's configuration, which
      sets the loggers above again, as torch's set_logs() does.

    A domain's logger is made when the first logger at or below it is
    (or when asked for), not for every registered domain: a million
    open-registered module names make no Python logger. The cost is
    linear: a `component-added` handles the new component's domains and
    the loggers below them (an index of logger names by parent finds
    those); a `changed` sets the loggers the bridge configures once.

    Only one bridge is attached at a time. detach() restores the loggers.
    """

    _active = None
    _class_lock = threading.RLock()

    def __init__(self, registry):
        self.registry = registry
        self._lock = threading.RLock()
        self._qnames = set()        # the registered domains
        self._saved = {}            # configured logger name → (level, propagate)
        self._handlers = {}         # domain → the LoggingHandler its logger holds
        self._below = set()         # other loggers below a domain: child-log candidates
        self._indexed = set()       # names in loggerDict (loggers, placeholders)
        self._children = {}         # name → names one dot below it ('' → top level)
        self._signal_ids = []
        self._manager = None
        self._original_get_logger = None
        self._hook = None
        self._attached = False

    @classmethod
    def active(cls):
        """The attached bridge, or None."""
        return cls._active

    def handler_of(self, domain):
        """The LoggingHandler the logger of the registered domain `domain`
        holds, or None if that logger was not made yet."""
        return self._handlers.get(domain)

    @classmethod
    def attach_to(cls, registry):
        with cls._class_lock:
            bridge = cls._active
            if bridge is not None:
                if bridge.registry == registry:
                    return bridge
                raise RuntimeError('Python logging is already bridged to another '
                                   'Torchlog.Registry; detach() that bridge first')
            bridge = cls(registry)
            bridge._attach()
            cls._active = bridge
            return bridge

    def _attach(self):
        manager = logging.Logger.manager
        original = manager.getLogger
        loggers = manager.loggerDict
        bridge = self

        def getLogger(name):
            # Only a logger made now needs the bridge: one that exists is
            # configured already (or left alone).
            if bridge._attached and isinstance(name, str) and \
                    not isinstance(loggers.get(name), logging.Logger):
                logger = bridge._make_logger(name)
                bridge._adopt_new(logger)
                return logger
            return original(name)

        self._manager = manager
        self._original_get_logger = original
        self._hook = getLogger
        manager.getLogger = getLogger
        self._attached = True
        self._signal_ids = [
            self.registry.connect('changed', self._on_changed),
            self.registry.connect('component-added', self._on_component_added),
        ]
        self.sync()

    def detach(self):
        """Disconnects the bridge and gives every logger it changed back its
        level, propagation and handlers."""
        with LoggingBridge._class_lock:
            if not self._attached:
                return
            self._attached = False
            for handler_id in self._signal_ids:
                self.registry.disconnect(handler_id)
            self._signal_ids = []
            # Only our own hook is removed; one somebody installed over it
            # keeps calling it, and it now only calls the original.
            if self._manager.__dict__.get('getLogger') is self._hook:
                original = self._original_get_logger
                if getattr(original, '__self__', None) is self._manager and \
                        getattr(original, '__func__', None) is type(self._manager).getLogger:
                    del self._manager.getLogger
                else:
                    self._manager.getLogger = original
            with self._lock:
                loggers = self._manager.loggerDict
                for name, (level, propagate) in self._saved.items():
                    logger = loggers.get(name)
                    if isinstance(logger, logging.Logger):
                        logger.level = level
                        logger.propagate = propagate
                        if name in self._handlers:
                            logger.removeHandler(self._handlers[name])
                for container in (self._saved, self._handlers, self._below, self._qnames,
                                  self._indexed, self._children):
                    container.clear()
                self._manager._clear_cache()
            if LoggingBridge._active is self:
                LoggingBridge._active = None

    # -- the index of logger names -----------------------------------------

    def _index(self, name):
        """Adds `name` and its dotted ancestors to the index, so that the
        loggers below a domain registered later are found without walking
        every logger. Stops at the first ancestor already there."""
        indexed = self._indexed
        children = self._children
        while name not in indexed:
            indexed.add(name)
            # As logging's _fixupParents(): `.a` is below the root only.
            dot = name.rfind('.')
            parent = name[:dot] if dot > 0 else ''
            below = children.get(parent)
            if below is None:
                children[parent] = [name]
            else:
                below.append(name)
            if dot <= 0:
                return
            name = parent

    def _reindex(self):
        self._indexed.clear()
        self._children.clear()
        for name in list(self._manager.loggerDict):
            if isinstance(name, str):
                self._index(name)

    def _descendants(self, name):
        """The loggers strictly below `name` (through the index)."""
        loggers = self._manager.loggerDict
        children = self._children
        pending = list(children.get(name, ()))
        while pending:
            below = pending.pop()
            logger = loggers.get(below)
            if isinstance(logger, logging.Logger):
                yield logger
            pending.extend(children.get(below, ()))

    # -- what the registry says ---------------------------------------------

    def _registered_domain(self, name):
        """The registered domain `name` is at or below (the nearest), or
        None. A name holding a NUL is under none: no C string holds it."""
        qnames = self._qnames
        if _NUL in name:
            return None
        while True:
            if name in qnames:
                return name
            dot = name.rfind('.')
            if dot < 0:
                return None
            name = name[:dot]

    def _domain_above(self, name):
        """The nearest registered domain strictly above `name`, or None."""
        dot = name.rfind('.')
        return self._registered_domain(name[:dot]) if dot > 0 else None

    def level_for(self, name):
        """The Python level the bridge gives the logger of a registered
        domain or child log `name`: the registry's level for it, or NOTSET
        when that is what it inherits from the registered domain above it
        (from Python's default, WARNING, for a top-level one); the `torch`
        logger always has its own, as in torch."""
        get = Torchlog.Registry.get_effective_level
        level = int(get(self.registry, name))
        if name == 'torch':
            return level
        above = self._domain_above(name)
        inherited = int(get(self.registry, above)) if above is not None else logging.WARNING
        return logging.NOTSET if level == inherited else level

    def _artifact_settings(self, name):
        """torch's configure_artifact_log() for the artifact logger `name`:
        (level, propagate), or None if `name` is no artifact logger."""
        artifact_name = _artifact_of(name)
        if not artifact_name or _NUL in name:
            return None
        artifact = Torchlog.Registry.lookup_artifact(self.registry, artifact_name)
        if artifact is None:
            return None
        if artifact.get_enabled():
            return logging.DEBUG, True
        return logging.NOTSET, not artifact.get_off_by_default()

    # -- configuring loggers -------------------------------------------------

    def _make_logger(self, name):
        """logging.getLogger(name), as a _TorchLogger if the bridge handles
        it and the logger class is Python's own. The class is chosen under
        logging's lock, which Manager.getLogger() reads it under."""
        manager = self._manager
        # logging's module lock (an RLock; _acquireLock() is gone in 3.13).
        with logging._lock:
            ours = (manager.loggerClass is None and logging.getLoggerClass() is logging.Logger and
                    _NUL not in name and
                    (self._registered_domain(name) is not None or
                     self._artifact_settings(name) is not None))
            if ours:
                manager.loggerClass = _TorchLogger
            try:
                return self._original_get_logger(name)
            finally:
                if ours:
                    manager.loggerClass = None

    def _save(self, logger):
        if logger.name not in self._saved:
            self._saved[logger.name] = (logger.level, logger.propagate)
            self._below.discard(logger.name)

    def _configure(self, logger):
        """Sets a logger the bridge configures (a domain's, a child log's,
        an artifact logger) as the registry says now. Returns whether
        `logger` is one of those."""
        name = logger.name
        settings = self._artifact_settings(name)
        if settings is not None:
            self._save(logger)
            logger.level, logger.propagate = settings
            return True
        domain = self._registered_domain(name)
        if domain is None:
            return False
        if name == domain:
            self._save(logger)
            logger.level = self.level_for(name)
            logger.propagate = False
            if name not in self._handlers:
                # One handler per logger, as torch has: code that patches
                # each registered logger's handlers (torch's tests do)
                # must find distinct ones.
                handler = LoggingHandler(self.registry)
                logger.addHandler(handler)
                self._handlers[name] = handler
            return True
        if name in self._saved or Torchlog.Registry.is_child_log(self.registry, name):
            self._save(logger)
            logger.level = self.level_for(name)
            logger.propagate = True
            return True
        self._below.add(name)
        return False

    def _ensure_domain_logger(self, domain):
        """Makes the logger of `domain`, and of the registered domains above
        it, if they are not there yet: records of the loggers below travel
        up to its handler, and their levels come from it."""
        logger = self._manager.loggerDict.get(domain)
        if isinstance(logger, logging.Logger) and domain in self._handlers:
            return
        above = self._domain_above(domain)
        if above is not None:
            self._ensure_domain_logger(above)
        logger = self._make_logger(domain)
        self._index(domain)
        self._configure(logger)
        # Loggers below it may have cached their effective level.
        for below in self._descendants(domain):
            below._cache.clear()

    def _adopt_locked(self, logger):
        name = logger.name
        domain = self._registered_domain(name)
        if domain is not None and domain != name:
            self._ensure_domain_logger(domain)
        if self._configure(logger):
            logger._cache.clear()
            for below in self._descendants(name):
                below._cache.clear()

    def _adopt_new(self, logger):
        with self._lock:
            if not self._attached:
                return
            name = logger.name
            if self._manager.loggerDict.get(name) is logger:
                self._index(name)
            self._adopt_locked(logger)

    def adopt(self, logger):
        """Configures `logger` now, if the bridge configures it (see the
        class's description)."""
        self._adopt_new(logger)

    # -- the registry's signals --------------------------------------------

    def _on_component_added(self, registry, component):
        """A new log: its domains, and the loggers at or below them only."""
        with self._lock:
            if not self._attached:
                return
            for qname in component.dup_domains():
                if qname in self._qnames:
                    continue
                self._qnames.add(qname)
                if qname not in self._indexed:
                    continue    # no logger at or below it
                logger = self._manager.loggerDict.get(qname)
                if isinstance(logger, logging.Logger) or next(self._descendants(qname), None):
                    self._ensure_domain_logger(qname)

    def _on_changed(self, *args):
        """A new configuration: the levels of the loggers the bridge sets,
        once each, and child logs the settings named for the first time."""
        with self._lock:
            if not self._attached:
                return
            loggers = self._manager.loggerDict
            if len(loggers) != len(self._indexed):
                # Loggers were made without manager.getLogger() (so
                # without the hook): find them.
                self._reindex()
                for logger in list(loggers.values()):
                    if isinstance(logger, logging.Logger) and logger.name not in self._saved \
                            and logger.name not in self._below:
                        self._adopt_locked(logger)
            is_child_log = Torchlog.Registry.is_child_log
            for name in [name for name in self._below if is_child_log(self.registry, name)]:
                logger = loggers.get(name)
                if isinstance(logger, logging.Logger):
                    self._configure(logger)
            # Parents first: level_for() reads only the registry, but a
            # child log's NOTSET must not be judged against a stale parent.
            for name in list(self._saved):
                logger = loggers.get(name)
                if isinstance(logger, logging.Logger):
                    self._configure(logger)
            self._manager._clear_cache()

    def sync(self):
        """Reads every registered domain and every logger again: the
        domains (a log registered again with other domains is followed
        from here on), the handlers, and every configured logger's level.
        Runs when the bridge is attached; the signals keep it current
        after that, each at the cost of what changed."""
        with self._lock:
            if not self._attached:
                return
            qnames = set()
            for component in self.registry.get_components():
                qnames.update(component.dup_domains())
            self._qnames = qnames
            self._reindex()
            for logger in list(self._manager.loggerDict.values()):
                if isinstance(logger, logging.Logger):
                    self._adopt_locked(logger)
            self._manager._clear_cache()


__all__.append('LoggingBridge')


# ---- torch's structured trace API (issue 14) ------------------------------
# trace_structured(), dtrace_structured(), trace_structured_artifact(),
# get_structured_logging_overhead() and dump_file(), with torch's
# signatures. The metadata is made JSON here (as torch's json.dumps, with
# NaN and infinities as null, which tlparse's reader needs); the record
# (MD5, lines, write) is made in C by tl_trace_structured_checked(). A
# record tlparse would refuse gets one Python warning and is not written.

import json as _json  # noqa: E402
import linecache as _linecache  # noqa: E402
import math as _math  # noqa: E402
import time as _time  # noqa: E402
import warnings as _warnings  # noqa: E402

from gi.repository import Json as _Json  # noqa: E402

_TORCH_RESERVED_EVENTS = ("rank", "compiled_autograd_id", "frame_id", "frame_compile_id",
                          "attempt", "severity", "timestamp", "pathname", "thread")


def _finite(value):
    """NaN and infinities as None, recursively (only on the rare path)."""
    if isinstance(value, float) and not _math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _metadata_node(metadata):
    try:
        text = _json.dumps(metadata, allow_nan=False, default=repr)
    except ValueError:
        text = _json.dumps(_finite(metadata), allow_nan=False, default=repr)
    return _Json.from_string(text)


def _json_default(obj):
    # torch: sets are not JSON serializable
    if isinstance(obj, set):
        return list(obj)
    raise TypeError(f"Object of type {type(obj)} is not JSON serializable")


def _payload_text(payload):
    """torch's payload rules: a string as is, a list one element a line,
    anything else json.dumps(indent=0)."""
    if isinstance(payload, str):
        return payload
    if isinstance(payload, list):
        return "[\n" + ",\n".join(_json.dumps(_finite(i)) for i in payload) + "\n]"
    return _json.dumps(_finite(payload), default=_json_default, indent=0)


def _c_compile_id(compile_id):
    if compile_id is None or isinstance(compile_id, Torchlog.CompileId):
        return compile_id
    # torch's CompileId (frame_id, frame_compile_id, compiled_autograd_id)
    return CompileId(getattr(compile_id, 'frame_id', None),
                     getattr(compile_id, 'frame_compile_id', None),
                     getattr(compile_id, 'compiled_autograd_id', None))


def trace_structured(name, metadata_fn=dict, *, payload_fn=lambda: None, suppress_context=False,
                     expect_trace_id=True, record_logging_overhead=True, compile_id=None,
                     _stacklevel=1):
    """torch's trace_structured(): one record in the TORCH_TRACE file. The
    callbacks run only when tracing is on."""
    assert name not in _TORCH_RESERVED_EVENTS
    assert callable(metadata_fn), f"metadata_fn should be callable, but got {type(metadata_fn)}"
    assert callable(payload_fn), f"payload_fn should be callable, but got {type(payload_fn)}"
    if not Torchlog.trace_is_enabled():
        return
    start = _time.perf_counter()
    metadata = metadata_fn()
    payload = payload_fn()
    data = None
    if payload is not None:
        data = _payload_text(payload).encode('utf-8', 'surrogatepass')
    flags = Torchlog.TraceFlags.NO_RECORD_OVERHEAD
    if suppress_context:
        flags |= Torchlog.TraceFlags.SUPPRESS_CONTEXT
    if not expect_trace_id:
        flags |= Torchlog.TraceFlags.NO_EXPECT_TRACE_ID
    frame = sys._getframe(_stacklevel)
    code = frame.f_code
    try:
        Torchlog.trace_structured_checked(_relative_path(code.co_filename), frame.f_lineno,
                                          code.co_name, name, _metadata_node(metadata), flags,
                                          _c_compile_id(compile_id), data)
    except GLib.Error as e:
        _warnings.warn(e.message, RuntimeWarning, stacklevel=_stacklevel + 1)
        return
    if record_logging_overhead:
        Torchlog.trace_add_logging_overhead(_time.perf_counter() - start)


def dtrace_structured(name, metadata_fn=dict, *, payload_fn=lambda: None, suppress_context=False,
                      expect_trace_id=False, record_logging_overhead=True):
    """torch's dtrace_structured(): only when TORCH_DTRACE is on."""
    if Torchlog.trace_is_verbose():
        trace_structured(name, metadata_fn, payload_fn=payload_fn,
                         suppress_context=suppress_context, expect_trace_id=expect_trace_id,
                         record_logging_overhead=record_logging_overhead, _stacklevel=2)


def trace_structured_artifact(name, encoding, payload_fn=lambda: None, compile_id=None):
    """torch's trace_structured_artifact()."""
    trace_structured("artifact", metadata_fn=lambda: {"name": name, "encoding": encoding},
                     payload_fn=payload_fn, compile_id=compile_id, _stacklevel=2)


def get_structured_logging_overhead():
    """torch's get_structured_logging_overhead(): seconds spent on
    structured logging in the current compile, or None."""
    found, seconds = Torchlog.trace_get_logging_overhead()
    return seconds if found else None


_DUMPED_FILES = set()


def dump_file(filename):
    """torch's structured.dump_file(): the source of a generated
    `eval_with_key` file, once per name, as a `dump_file` record."""
    if "eval_with_key" not in filename:
        return
    if filename in _DUMPED_FILES:
        return
    _DUMPED_FILES.add(filename)
    trace_structured("dump_file", metadata_fn=lambda: {"name": filename},
                     payload_fn=lambda: "".join(_linecache.getlines(filename)), _stacklevel=2)


for _name in ('trace_structured', 'dtrace_structured', 'trace_structured_artifact',
              'get_structured_logging_overhead', 'dump_file'):
    __all__.append(_name)
# ---- torchlog report (issue 18) ------------------------------------------

def report(path, out, strict=False):
    """Writes tlparse's HTML report of the structured trace `path` (a
    TORCH_TRACE file, or a folder of dedicated_log_torch_trace_rank_N.log
    files for a whole job) into the folder `out`, as `torchlog report`
    does. Returns the counts of read and unreadable records as tlparse
    prints them ("ok: 14, fail_json: 1"). Raises GLib.Error (Gio.IOErrorEnum)
    when the input cannot be read or is not a trace, or with strict=True
    when a record could not be read."""
    ok, summary = Torchlog.report_generate(os.fspath(path), os.fspath(out), strict, None)
    return summary


__all__.append('report')
