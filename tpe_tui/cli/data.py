"""`demo` and `check`."""

from __future__ import annotations

import argparse
import time

from tpe_tui.cli.common import db_of, open_store
from tpe_tui.domain.errors import UsageError
from tpe_tui.domain.integrity import TABLE_LABELS, check_data, summary_counts
from tpe_tui.domain.records import SHARED_TABLES
from tpe_tui.services.demo import DemoGenerator
from tpe_tui.storage.file_format import open_readonly


def demo(args: argparse.Namespace) -> int:
    if args.sessions < 0:
        raise UsageError("--sessions doit être un nombre positif.")
    started = time.perf_counter()
    with open_store(args) as store:
        if any(store.count(table) for table in SHARED_TABLES) and not args.force:
            raise UsageError(
                f"{store.path} contient déjà des données : ajoutez --force pour les remplacer "
                "(une sauvegarde est faite avant)."
            )
        if args.force:
            store.replace_shared({table: [] for table in SHARED_TABLES}, reason="before-demo")
        batches: dict[str, list[dict]] = {table: [] for table in SHARED_TABLES}
        for table, record in DemoGenerator(seed=args.seed).generate(args.sessions):
            batches[table].append(record)
        for table, records in batches.items():
            store.insert_many(table, records)
        store.compact()
    elapsed = time.perf_counter() - started
    counts = ", ".join(f"{len(batches[t])} {TABLE_LABELS[t]}" for t in SHARED_TABLES)
    print(f"Données de démonstration écrites dans {store.path} : {counts} ({elapsed:.1f} s).")
    return 0


def check(args: argparse.Namespace) -> int:
    path = db_of(args)
    data = open_readonly(path)
    found = check_data(data)
    counts = summary_counts(data)
    print(f"Fichier : {path}")
    for table in SHARED_TABLES:
        live, dead, conflicted = counts[table]
        line = f"  {TABLE_LABELS[table]} : {live}"
        if dead:
            line += f" (+ {dead} supprimé(s))"
        if conflicted:
            line += f", {conflicted} en conflit"
        print(line)
    if found:
        print(f"{len(found)} problème(s) trouvé(s) :")
        for problem in found[:50]:
            print(f"  - {problem}")
        if len(found) > 50:
            print(f"  … et {len(found) - 50} autre(s).")
        return 1
    print("Le fichier est sain.")
    return 0
