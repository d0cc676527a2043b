"""The directory of partner structures over the workspace: list, save, delete, CSV."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tpe_tui.domain import csv_reader, structures_csv
from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.errors import ImportFileError, os_reason
from tpe_tui.domain.records import ValidationError, new_record, problems, with_defaults
from tpe_tui.domain.territories import given_by_retired_default, territory_of
from tpe_tui.domain.text import fold
from tpe_tui.services.workspace import Workspace
from tpe_tui.storage.store import Store

Record = dict[str, Any]


def listing(
    workspace: Workspace, kind: str | None = None, territory: str | None = None
) -> list[Record]:
    """Live structures, by name, filtered by kind and territory when given."""
    return [
        s
        for s in workspace.structures()
        if (not kind or s.get("kind") == kind)
        and (not territory or s.get("territory") == territory)
    ]


def kept_kinds(workspace: Workspace) -> list[str]:
    """Kinds of live structures that are not ours (national codes kept from an import)."""
    ours = set(catalog().codes("structure_kinds"))
    return sorted(
        {str(s["kind"]) for s in workspace.structures() if s.get("kind") and s["kind"] not in ours}
    )


def territories(workspace: Workspace) -> list[str]:
    return sorted(
        {str(s["territory"]) for s in workspace.store.records("structures") if s.get("territory")},
        key=fold,
    )


def save(workspace: Workspace, structure: Record) -> Record:
    record = with_defaults("structures", structure)
    if not str(record.get("name") or "").strip():
        raise ValidationError("Le nom de la structure est obligatoire.")
    return workspace.store.put("structures", record)


def delete(workspace: Workspace, structure_id: str) -> Record | None:
    """A tombstone, so that the deletion reaches other laptops; past sessions keep their
    copy of the redirection details."""
    return workspace.store.delete("structures", structure_id)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)  # values dropped, by line
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the import changed besides the rows
    encoding: str = ""
    noun: str = "structure"  # what was imported (a feminine noun: "structure", "aide")

    def lines(self) -> list[str]:
        out = [
            f"{self.created} {self.noun}(s) ajoutée(s), {self.updated} mise(s) à jour, "
            f"{self.unchanged} inchangée(s) (fichier {self.encoding})."
        ]
        if self.errors:
            out.append(f"{len(self.errors)} ligne(s) écartée(s) :")
            out += [f"  ligne {line} : {reason}" for line, reason in self.errors]
        if self.warnings:
            out.append(f"{len(self.warnings)} valeur(s) ignorée(s), le reste de la ligne importé :")
            out += [f"  ligne {line} : {what}" for line, what in self.warnings]
        if self.ignored_columns:
            out.append("Colonnes ignorées : " + ", ".join(self.ignored_columns))
        return out + self.notes


def import_csv(workspace: Workspace, path: Path) -> ImportResult:
    """Good rows added (or updated when already imported), bad rows listed with their line."""
    parsed, result = read_import(path, structures_csv.parse)

    areas = workspace.config.territory_areas()
    default_areas = areas == catalog().territory_areas()
    corrected: list[str] = []

    def adjust(values: Record, current: Record | None) -> None:
        if current is not None and values.get("source_id") == current["id"]:
            values["source_id"] = current.get("source_id", "")  # our own export's id
        if current is None and values.get("source_id"):
            values["id"] = structures_csv.record_id_for(str(values["source_id"]))
        if not values.get("territory"):
            # A territory set by hand stays; a new place gets the one its commune,
            # postal code or département belongs to.
            kept = str((current or {}).get("territory") or "")
            found = territory_of(values, areas)
            if kept and kept != found and default_areas and given_by_retired_default(values, kept):
                # Given by the old default (all of the Aisne « Soissons »), not known to be
                # typed by a person: corrected, and listed so that a choice can be put back.
                now = f"« {found} »" if found else "aucun"
                corrected.append(f"  {values.get('name') or ''} : « {kept} » → {now}")
                kept = ""
            values["territory"] = kept or found

    with workspace.store.locked():
        upsert_rows(
            workspace.store,
            "structures",
            parsed.rows,
            structures_csv.identity,
            lambda values: str(values.get("source_id", "")),
            result,
            adjust=adjust,
        )
    if corrected:
        result.notes += [
            f"{len(corrected)} territoire(s) corrigé(s) : l’ancien réglage comptait tout le "
            "département de l’Aisne pour « Soissons ». Si l’un d’eux avait été choisi à la "
            "main, remettez-le dans l’annuaire :",
            *corrected,
        ]
    return result


def read_import(
    path: Path, parse: Callable[[bytes], csv_reader.ParsedCsv], noun: str = "structure"
) -> tuple[csv_reader.ParsedCsv, ImportResult]:
    """The parsed rows of a CSV file and the result to fill; a French error when the file
    cannot be read at all."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"Le fichier {path} n’existe pas.") from None
    except OSError as exc:
        raise ImportFileError(f"Impossible de lire {path} ({os_reason(exc)}).") from None
    try:
        parsed = parse(raw)
    except csv_reader.CsvFileError as exc:
        raise ImportFileError(f"{path.name} : {exc}") from None
    result = ImportResult(
        errors=parsed.errors,
        warnings=parsed.warnings,
        ignored_columns=parsed.ignored_columns,
        encoding=parsed.encoding,
        noun=noun,
    )
    return parsed, result


def upsert_rows(
    store: Store,
    table: str,
    rows: Iterable[tuple[int, Record]],
    identity: Callable[[Record], Hashable],
    own_id: Callable[[Record], str],
    result: ImportResult,
    adjust: Callable[[Record, Record | None], None] | None = None,
    put: Callable[[str, Record], Record] | None = None,
) -> None:
    """Each row added, or merged into the record it matches (by our own id, else by its
    identity); an unchanged row is counted, a row that fails the table's checks listed."""
    existing = list(store.records(table))
    by_identity = {identity(r): r for r in existing}
    by_own_id = {r["id"]: r for r in existing}
    for line, values in rows:
        current = by_own_id.get(own_id(values)) or by_identity.get(identity(values))
        if adjust is not None:
            adjust(values, current)
        if current is None:
            record = new_record(table, **values)
        else:
            if all(current.get(k) == v for k, v in values.items()):
                result.unchanged += 1
                continue
            record = {**current, **values}
        found = problems(table, {**record, "vv": {}, "dot": ["", 0, 0]})
        if found:
            result.errors.append((line, found[0]))
            continue
        saved = (put or store.put)(table, record)
        by_identity[identity(saved)] = saved
        by_own_id[saved["id"]] = saved
        if current is None:
            result.created += 1
        else:
            result.updated += 1
    result.errors.sort()


def export_csv(workspace: Workspace, target: Path) -> int:
    """Write the directory as CSV; a folder gets `annuaire-structures.csv`, and the data file
    or one of its own files is refused (nothing written)."""
    from tpe_tui.storage.atomic import atomic_write
    from tpe_tui.storage.guard import output_path

    structures = workspace.structures()
    target = output_path(target, [workspace.store.path], default_name="annuaire-structures.csv")
    atomic_write(target, structures_csv.export(structures).encode("utf-8"))
    return len(structures)
