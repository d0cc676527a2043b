"""`agenda`: the follow-ups in the terminal, for a morning check or a printout.

Reads the file without taking its lock, so it also works while the app is open.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tpe_tui.cli.common import FrenchParser, command, read_workspace, whole_number
from tpe_tui.domain.errors import UsageError

if TYPE_CHECKING:
    from tpe_tui.services.workspace import Workspace


def register(sub: argparse._SubParsersAction[FrenchParser]) -> None:
    parser = command(
        sub, "agenda", agenda_command, "suivis à faire (en retard, aujourd’hui, à venir)"
    )
    parser.add_argument(
        "--days", type=whole_number, default=7, metavar="N", help="horizon en jours (7)"
    )


MAX_DAYS = 36_500  # far enough for any plan; dates past the year 9999 do not exist


def agenda_lines(workspace: Workspace, days: int) -> list[str]:
    from tpe_tui.domain import agenda
    from tpe_tui.domain.records import client_display_name, label
    from tpe_tui.services import agenda as agenda_service

    items = agenda_service.items(workspace, days)
    lines = [f"Suivis jusqu’au {days} jour(s) à venir — {len(items)} à faire"]
    current = None
    for item in items:
        if item.bucket != current:
            current = item.bucket
            lines += ["", agenda.BUCKETS[current].upper()]
        f = item.followup
        phone = agenda.consented_phone(item.client)
        kind = label("followup_kinds", f.get("kind"), "Suivi")
        bits = [item.when, client_display_name(item.client), kind, f.get("reason") or ""]
        if phone:
            bits.append(f"tél. {phone}")
        if item.status_note:
            bits.append(item.status_note)
        lines.append("  " + " · ".join(b for b in bits if b))
    found = agenda_service.nudges(workspace)
    if found:
        lines += ["", "À RELANCER (accompagnements clôturés sans suivi)"]
        lines += [
            f"  {client_display_name(n.client)} · clôturé il y a {n.days} jours" for n in found
        ]
    if not items and not found:
        lines.append("Rien à faire : aucun suivi prévu.")
    return lines


def agenda_command(args: argparse.Namespace) -> int:
    if not 0 <= args.days <= MAX_DAYS:
        raise UsageError(
            f"--days doit être un nombre positif de jours, au plus {MAX_DAYS} (cent ans)."
        )
    with read_workspace(args) as workspace:
        lines = agenda_lines(workspace, args.days)
    for line in lines:
        print(line)
    return 0
