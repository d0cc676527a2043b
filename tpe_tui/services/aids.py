"""The catalogue of aids over the workspace: list, save, delete, suggestions, CSV."""

from __future__ import annotations

from pathlib import Path

from tpe_tui.domain import aids
from tpe_tui.domain.headcount import current_bands
from tpe_tui.domain.records import Record, ValidationError, today, with_defaults
from tpe_tui.domain.text import fold
from tpe_tui.services.structures import ImportResult, read_import, upsert_rows
from tpe_tui.services.workspace import Workspace


def listing(workspace: Workspace, stale_only: bool = False) -> list[Record]:
    """Live aids by name; `stale_only` keeps those to verify again."""
    day = today()
    found = sorted(workspace.store.records("aids"), key=lambda a: fold(a.get("name") or ""))
    return [a for a in found if not stale_only or aids.is_stale(a, day)]


def save(workspace: Workspace, aid: Record) -> Record:
    record = with_defaults("aids", aid)
    if not str(record.get("name") or "").strip():
        raise ValidationError("Le nom de l’aide est obligatoire.")
    return workspace.save_programme("aids", record)


def settle_headcount_bands(workspace: Workspace) -> int:
    """Aids whose headcount criterion still uses the bands retired by F27 (1-2, 3-5, 6-9)
    get today's (domain/headcount.py): run once the file is open, as ordinary edits that
    sync, only for the entries concerned. The number of aids changed."""
    old = [
        aid
        for aid in workspace.store.records("aids")
        if current_bands(aid.get("headcount_bands") or []) != (aid.get("headcount_bands") or [])
    ]
    for aid in old:
        workspace.save_programme(
            "aids", {**aid, "headcount_bands": current_bands(aid["headcount_bands"])}
        )
    return len(old)


def delete(workspace: Workspace, aid_id: str) -> Record | None:
    return workspace.delete_programme("aids", aid_id)


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
    parsed, result = read_import(path, aids.parse, noun="aide")
    store = workspace.store
    with store.locked():
        structures = {fold(s.get("name") or ""): s["id"] for s in store.records("structures")}
        for _line, values in parsed.rows:
            structure = values.pop("structure", "")
            if structure:
                values["structure_id"] = structures.get(fold(structure))
                if values["structure_id"] is None:
                    note = f"Structure : {structure}"
                    values["notes"] = f"{values.get('notes', '')}\n{note}".strip()
        upsert_rows(
            store,
            "aids",
            parsed.rows,
            aids.identity,
            lambda values: str(values.pop("id", "")),
            result,
            put=workspace.save_programme,
        )
    return result


def export_csv(workspace: Workspace, target: Path) -> int:
    """Write the catalogue as CSV; a folder gets `catalogue-aides.csv`, and the data file
    or one of its own files is refused (nothing written)."""
    from tpe_tui.storage.atomic import atomic_write
    from tpe_tui.storage.guard import output_path

    found = listing(workspace)
    target = output_path(target, [workspace.store.path], default_name="catalogue-aides.csv")
    text = aids.export(found, lambda sid: structure_name(workspace, sid))
    atomic_write(target, text.encode("utf-8"))
    return len(found)
