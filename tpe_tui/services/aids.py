"""The catalogue of aids over the workspace: list, save, delete, suggestions, CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tpe_tui.domain import aids
from tpe_tui.domain.errors import ImportFileError
from tpe_tui.domain.records import ValidationError, fold, new_record, problems, today, with_defaults
from tpe_tui.domain.structures_csv import CsvFileError
from tpe_tui.services.structures import ImportResult
from tpe_tui.services.workspace import Workspace

Record = dict[str, Any]


def listing(workspace: Workspace, stale_only: bool = False) -> list[Record]:
    """Live aids by name; `stale_only` keeps those to verify again."""
    day = today()
    found = sorted(workspace.store.records("aids"), key=lambda a: fold(a.get("name") or ""))
    return [a for a in found if not stale_only or aids.is_stale(a, day)]


def save(workspace: Workspace, aid: Record) -> Record:
    record = with_defaults("aids", aid)
    if not str(record.get("name") or "").strip():
        raise ValidationError("Le nom de l’aide est obligatoire.")
    return workspace.store.put("aids", record)


def delete(workspace: Workspace, aid_id: str) -> Record | None:
    return workspace.store.delete("aids", aid_id)


def names(workspace: Workspace) -> dict[str, str]:
    """Aid id -> name, for lists that show which aid is behind something."""
    return {a["id"]: a.get("name") or "" for a in workspace.store.records("aids", deleted=True)}


def suggested_for(
    workspace: Workspace, client_id: str | None, needs: list[str]
) -> list[aids.Match]:
    """Aids for a visit: those fitting the business and its needs first."""
    client = workspace.client_view(client_id)
    return aids.suggestions(workspace.store.records("aids"), client, needs)


def structure_name(workspace: Workspace, structure_id: str | None) -> str:
    structure = workspace.store.peek("structures", structure_id) if structure_id else None
    return str(structure.get("name") or "") if structure else ""


def import_csv(workspace: Workspace, path: Path) -> ImportResult:
    """Good rows added (or updated when the same name is there), bad rows listed by line.

    The « structure » column is matched against the directory by name; an unknown name is
    kept in the aid's notes rather than lost.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"Le fichier {path} n’existe pas.") from None
    except OSError as exc:
        raise ImportFileError(f"Impossible de lire {path} ({exc.strerror}).") from None
    try:
        parsed = aids.parse(raw)
    except CsvFileError as exc:
        raise ImportFileError(f"{path.name} : {exc}") from None
    result = ImportResult(
        errors=parsed.errors,
        ignored_columns=parsed.ignored_columns,
        encoding=parsed.encoding,
        noun="aide",
    )
    store = workspace.store
    with store.locked():
        structures = {fold(s.get("name") or ""): s["id"] for s in store.records("structures")}
        existing = list(store.records("aids"))
        by_own_id = {a["id"]: a for a in existing}
        by_identity = {aids.identity(a): a for a in existing}
        for line, values in parsed.rows:
            own_id = values.pop("id", "")
            structure = values.pop("structure", "")
            if structure:
                values["structure_id"] = structures.get(fold(structure))
                if values["structure_id"] is None:
                    note = f"Structure : {structure}"
                    values["notes"] = f"{values.get('notes', '')}\n{note}".strip()
            current = by_own_id.get(own_id) or by_identity.get(aids.identity(values))
            if current is None:
                record = new_record("aids", **values)
            else:
                if all(current.get(k) == v for k, v in values.items()):
                    result.unchanged += 1
                    continue
                record = {**current, **values}
            found = problems("aids", {**record, "rev": 0, "vv": {}, "device": "", "hlc": ""})
            if found:
                result.errors.append((line, found[0]))
                continue
            saved = store.put("aids", record)
            by_identity[aids.identity(saved)] = saved
            by_own_id[saved["id"]] = saved
            if current is None:
                result.created += 1
            else:
                result.updated += 1
    result.errors.sort()
    return result


def export_csv(workspace: Workspace, target: Path) -> int:
    from tpe_tui.storage.atomic import atomic_write

    found = listing(workspace)
    if target.is_dir():
        target = target / "catalogue-aides.csv"
    text = aids.export(found, lambda sid: structure_name(workspace, sid))
    atomic_write(target, text.encode("utf-8"))
    return len(found)
