#!/usr/bin/python3
# torch's set_logs() from Python: the calls of a torch program, with only
# the import changed.
import logging

import gi
gi.require_version('Torchlog', '1.0')
from gi.repository import Torchlog

# The first call sets up the default registry as `import torch` does:
# PyTorch's registrations, TORCH_LOGS, and Python's logging bridged to it.
Torchlog.set_logs(dynamo=logging.DEBUG, graph_code=True)

log = logging.getLogger('torch._dynamo.eval_frame')
log.debug('dynamo is at DEBUG')
graph_code = Torchlog.getArtifactLogger('torch._dynamo.output_graph', 'graph_code')
graph_code.debug('def forward(self, x):\n    return x + 1')

# Bad values raise torch's ValueError, and change nothing.
try:
    Torchlog.set_logs(dynamo='verbose')
except ValueError as error:
    print(error)
