"""Start the Textual app (no sub-command)."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from typing import NoReturn

from tpe_tui.cli.common import db_of
from tpe_tui.cli.terminal import raw_output
from tpe_tui.storage import paths


def run_app(args: argparse.Namespace) -> NoReturn:
    # No garbage collection while the app starts (its first frame comes about 30 ms
    # sooner); the app turns it back on once that frame is drawn.
    gc.disable()
    from tpe_tui.ui.app import TpeApp

    app = TpeApp(db_of(args), paths.device_id())
    try:
        with raw_output():  # the screen is drawn with escape sequences of the app's own
            app.run()
    finally:
        app.shutdown()
    if app.exit_message:  # may name a file: cleaned like every message (cli/terminal.py)
        print(f"tpe-tui : {app.exit_message}", file=sys.stderr)
    # Everything is saved, the file closed and the lock released: all the interpreter would
    # still do is free the records one object at a time (4.8 s at 100,000 sessions).
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(app.return_code or 0)
