"""Sub-commands of `tpe-tui`, one module per area; each handler returns an exit code."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from tpe_tui.commands import (
    agenda_commands,
    data_commands,
    structures_commands,
    summary_commands,
    sync_commands,
)

HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "demo": data_commands.demo,
    "check": data_commands.check,
    "sync": sync_commands.sync,
    "export": sync_commands.export,
    "summary": summary_commands.summary_command,
    "print": summary_commands.print_command,
    "agenda": agenda_commands.agenda_command,
    "structures": structures_commands.structures_command,
}
