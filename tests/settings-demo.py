#!/usr/bin/python3
# settings-demo.py: a Python program bound to torchlog's settings, for
# test-settings-operator.sh: registers PyTorch's logs, binds APP-ID's
# settings, prints `ready` and runs its main loop until SIGTERM or SECONDS.
#
# Usage: settings-demo.py APP-ID [SECONDS]
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import signal
import sys

import gi
gi.require_version('Torchlog', '1.0')
from gi.repository import GLib, Torchlog  # noqa: E402


def main():
    app_id = sys.argv[1]
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    registry = Torchlog.Registry.get_default()
    registry.add_pytorch_registrations()
    registry.install_writer()
    try:
        registry.bind_settings_for_app(app_id)
    except GLib.Error as error:
        print('settings-demo.py: %s' % error.message, file=sys.stderr)
        return 1
    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    GLib.timeout_add_seconds(seconds, loop.quit)
    print('ready', flush=True)
    loop.run()
    registry.unbind_settings()
    return 0


if __name__ == '__main__':
    sys.exit(main())
