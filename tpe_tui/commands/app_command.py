"""Start the Textual app (no sub-command)."""

from __future__ import annotations

import argparse
import gc
import sys

from tpe_tui import paths
from tpe_tui.commands.common import db_of


def run_app(args: argparse.Namespace) -> int:
    # No garbage collection while the app starts (its first frame comes about 30 ms
    # sooner); the app turns it back on once that frame is drawn.
    gc.disable()
    from tpe_tui.app import TpeApp

    app = TpeApp(db_of(args), paths.device_id())
    try:
        app.run()
    finally:
        app.shutdown()
    if app.exit_message:
        print(f"tpe-tui : {app.exit_message}", file=sys.stderr)
    return app.return_code or 0
