"""The directory of partner structures over the workspace: list, save, delete, CSV."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tpe_tui.domain import structures_csv
from tpe_tui.domain.errors import ImportFileError
from tpe_tui.domain.records import ValidationError, fold, new_record, problems, with_defaults
from tpe_tui.services.workspace import Workspace

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


def territories(workspace: Workspace) -> list[str]:
    return sorted(
        {s.get("territory") for s in workspace.store.records("structures") if s.get("territory")},
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
    ignored_columns: list[str] = field(default_factory=list)
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
        if self.ignored_columns:
            out.append("Colonnes ignorées : " + ", ".join(self.ignored_columns))
        return out


def import_csv(workspace: Workspace, path: Path) -> ImportResult:
    """Good rows added (or updated when already imported), bad rows listed with their line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"Le fichier {path} n’existe pas.") from None
    except OSError as exc:
        raise ImportFileError(f"Impossible de lire {path} ({exc.strerror}).") from None
    try:
        parsed = structures_csv.parse(raw)
    except structures_csv.CsvFileError as exc:
        raise ImportFileError(f"{path.name} : {exc}") from None
    result = ImportResult(
        errors=parsed.errors, ignored_columns=parsed.ignored_columns, encoding=parsed.encoding
    )
    store = workspace.store
    with store.locked():
        existing = list(store.records("structures"))
        by_identity = {structures_csv.identity(s): s for s in existing}
        by_own_id = {s["id"]: s for s in existing}
        for line, values in parsed.rows:
            current = by_own_id.get(values.get("source_id", "")) or by_identity.get(
                structures_csv.identity(values)
            )
            if current is not None and values.get("source_id") == current["id"]:
                values["source_id"] = current.get("source_id", "")  # our own export's id
            if current is None:
                record = new_record("structures", **values)
            else:
                record = {**current, **values}
                if all(current.get(k) == v for k, v in values.items()):
                    result.unchanged += 1
                    continue
            found = problems("structures", {**record, "rev": 0, "vv": {}, "device": "", "hlc": ""})
            if found:
                result.errors.append((line, found[0]))
                continue
            saved = store.put("structures", record)
            by_identity[structures_csv.identity(saved)] = saved
            by_own_id[saved["id"]] = saved
            if current is None:
                result.created += 1
            else:
                result.updated += 1
    result.errors.sort()
    return result


def export_csv(workspace: Workspace, target: Path) -> int:
    from tpe_tui.storage.atomic import atomic_write

    structures = workspace.structures()
    if target.is_dir():
        target = target / "annuaire-structures.csv"
    atomic_write(target, structures_csv.export(structures).encode("utf-8"))
    return len(structures)
