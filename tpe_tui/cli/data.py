"""`demo` and `check`."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from tpe_tui.cli.common import (
    FrenchParser,
    command,
    db_of,
    open_workspace,
    read_workspace,
    whole_number,
)
from tpe_tui.domain.errors import UsageError


def register(sub: argparse._SubParsersAction[FrenchParser]) -> None:
    demo_parser = command(sub, "demo", demo, "remplir un fichier de données fictives réalistes")
    demo_parser.add_argument(
        "--sessions",
        type=whole_number,
        default=200,
        metavar="N",
        help="nombre d’accompagnements à créer (200)",
    )
    demo_parser.add_argument(
        "--seed",
        type=whole_number,
        default=1,
        metavar="S",
        help="graine du tirage : la même graine donne les mêmes données (1)",
    )
    demo_parser.add_argument("--force", action="store_true", help="remplacer un fichier non vide")
    command(sub, "check", check, "vérifier un fichier de données")


def demo(args: argparse.Namespace) -> int:
    from tpe_tui.domain.integrity import TABLE_LABELS
    from tpe_tui.domain.records import SHARED_TABLES
    from tpe_tui.services.demo import fill

    if args.sessions < 0:
        raise UsageError("--sessions doit être un nombre positif.")
    started = time.perf_counter()
    # The one command that creates a data file wherever it is pointed: that is its job.
    with open_workspace(args, creates=True) as workspace:
        written = fill(workspace, args.sessions, args.seed, replace=args.force)
    elapsed = time.perf_counter() - started
    counts = ", ".join(f"{written[t]} {TABLE_LABELS[t]}" for t in SHARED_TABLES)
    print(
        f"Données de démonstration écrites dans {workspace.store.path} : {counts} "
        f"({elapsed:.1f} s)."
    )
    return 0


def check(args: argparse.Namespace) -> int:
    from tpe_tui.domain.integrity import TABLE_LABELS, check_data, summary_counts
    from tpe_tui.domain.records import SHARED_TABLES
    from tpe_tui.services.data_file import damaged_lines_kept, journal_damage_said
    from tpe_tui.sync.registers import visible_conflicts

    path = db_of(args)
    with read_workspace(args) as workspace:
        data = workspace.store.data
        damage = journal_damage_said(workspace)
        kept_lines = damaged_lines_kept(workspace.store.path)
    found = check_data(data)
    # What the conflicts screen offers to settle, no more (the same value written on two
    # laptops is kept in the file but is no conflict).
    counts = summary_counts(data, lambda table, record: bool(visible_conflicts(table, record)))
    print(f"Fichier : {path}")
    for table in SHARED_TABLES:
        live, dead, conflicted = counts[table]
        line = f"  {TABLE_LABELS[table]} : {live}"
        if dead:
            line += f" (+ {dead} supprimé(s))"
        if conflicted:
            line += f", {conflicted} en conflit"
        print(line)
    for kept in kept_lines:
        print(f"Lignes abîmées du journal gardées à part (à une ouverture précédente) : {kept}")
    if damage:
        print(damage)
    if found:
        print(f"{len(found)} problème(s) trouvé(s) :")
        for problem in found[:50]:
            print(f"  - {problem}")
        if len(found) > 50:
            print(f"  … et {len(found) - 50} autre(s).")
        return 1
    if damage:
        return 1
    if not any(live + dead for live, dead, _ in counts.values()) and _empty(path):
        # tpe-tui never writes an empty file (its writes are whole or not at all).
        print(
            "Le fichier est vide : il ne contient aucune donnée. tpe-tui n’écrit jamais un "
            "fichier vide : s’il en contenait, il a été tronqué (copie interrompue, disque "
            "plein) ; reprenez une copie (sauvegarde, clé, autre ordinateur)."
        )
        return 1
    print("Le fichier est sain.")
    return 0


def _empty(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return not file.read(4096).strip()
    except OSError:
        return False
