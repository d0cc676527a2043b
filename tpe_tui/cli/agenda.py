"""`agenda`: the follow-ups in the terminal, for a morning check or a printout.

Reads the file without taking its lock, so it also works while the app is open.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from tpe_tui.cli.common import db_of
from tpe_tui.domain import agenda
from tpe_tui.domain.errors import UsageError
from tpe_tui.domain.records import client_display_name, label, today
from tpe_tui.services.config import Config
from tpe_tui.storage.file_format import open_readonly

Record = dict[str, Any]


def _lookup(rows: dict[str, Record]) -> Callable[[str | None], Record | None]:
    def client_of(client_id: str | None) -> Record | None:
        seen = set()
        while client_id and client_id not in seen:
            seen.add(client_id)
            record = rows.get(client_id)
            if record is None or not record.get("merged_into"):
                return record
            client_id = record["merged_into"]
        return None

    return client_of


def agenda_lines(data: dict[str, dict[str, Record]], days: int, delays: list[int]) -> list[str]:
    clients = {r["id"]: r for r in data["clients"].values()}
    sessions = {r["id"]: r for r in data["sessions"].values()}
    client_of = _lookup(clients)
    followups = [f for f in data["followups"].values() if not f.get("deleted")]
    items = agenda.agenda(followups, client_of, sessions.get, today(), days)
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
    live_sessions = [s for s in sessions.values() if not s.get("deleted")]
    found = agenda.nudges(live_sessions, followups, client_of, today(), delays)
    if found:
        lines += ["", "À RELANCER (accompagnements clôturés sans suivi)"]
        lines += [
            f"  {client_display_name(n.client)} · clôturé il y a {n.days} jours" for n in found
        ]
    if not items and not found:
        lines.append("Rien à faire : aucun suivi prévu.")
    return lines


def agenda_command(args: argparse.Namespace) -> int:
    if args.days < 0:
        raise UsageError("--days doit être un nombre positif.")
    data = open_readonly(db_of(args))
    for line in agenda_lines(data, args.days, Config.load().nudge_days):
        print(line)
    return 0
