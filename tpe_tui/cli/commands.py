"""Sub-commands of `tpe-tui`, one module per area; each handler returns an exit code."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from tpe_tui.cli import agenda, aids, data, plan, stats, structures, summary, sync, workshops

HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "demo": data.demo,
    "check": data.check,
    "sync": sync.sync,
    "export": sync.export,
    "summary": summary.summary_command,
    "print": summary.print_command,
    "agenda": agenda.agenda_command,
    "structures": structures.structures_command,
    "workshop": workshops.workshop_command,
    "aids": aids.aids_command,
    "plan": plan.plan_command,
    "stats": stats.stats_command,
}
