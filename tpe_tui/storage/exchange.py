"""Files carried between laptops: another laptop's file read for a merge, and exports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tpe_tui.domain import records as model
from tpe_tui.domain.errors import DataFileError, ImportFileError
from tpe_tui.storage import migrations
from tpe_tui.storage.atomic import atomic_write
from tpe_tui.storage.file_format import dump, load_snapshot, parse_data


def read_foreign(path: Path, our_device: str, our_path: Path) -> dict[str, list[dict[str, Any]]]:
    """Read another laptop's file for a merge, checking all of it before anything changes."""
    try:
        if path.resolve() == our_path.resolve() or (
            our_path.exists() and path.exists() and path.samefile(our_path)
        ):
            raise ImportFileError(
                "Ce fichier est votre propre fichier de données : rien à fusionner."
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"Le fichier {path} n’existe pas.") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path} est un dossier, pas un fichier.") from None
    except OSError as exc:
        raise ImportFileError(f"Impossible de lire {path} ({exc.strerror}).") from None
    if not raw.strip():
        raise ImportFileError(f"{path} est vide.")
    try:
        data = parse_data(raw, str(path))
    except DataFileError as exc:
        raise ImportFileError(str(exc)) from None
    if not any(table in data for table in model.SHARED_TABLES):
        raise ImportFileError(f"{path} n’est pas un fichier de données tpe-tui.")
    written_by = next(
        (d.get("written_by") for d in data.get("meta", {}).values() if "schema_version" in d),
        None,
    )
    if written_by == our_device:
        raise ImportFileError(
            f"{path} a été écrit par cet ordinateur : c’est déjà votre fichier (ou une copie)."
        )
    data, _ = migrations.migrate(data, model.SCHEMA_VERSION)
    tables = {table: list(data.get(table, {}).values()) for table in model.SHARED_TABLES}
    for table, records in tables.items():
        for record in records:
            found = model.problems(table, record)
            if found:
                raise ImportFileError(
                    f"{path} contient un enregistrement invalide dans « {table} » "
                    f"({record.get('id', '?')} : {found[0]}) : rien n’a été fusionné."
                )
    return tables


def export_file(db: Path, target: Path, device: str) -> Path:
    """Write a complete copy of the data file (journal included) atomically; returns where."""
    if target.exists() and target.resolve() == db.resolve():
        raise ImportFileError("On ne peut pas exporter le fichier de données sur lui-même.")
    if target.is_dir():
        target = target / db.name
    data = load_snapshot(db)
    if not any("schema_version" in doc for doc in data.get("meta", {}).values()):
        migrations.set_schema(data, migrations.schema_of(data))
    for doc in data["meta"].values():
        if "schema_version" in doc:
            doc["written_by"] = device  # so this laptop recognises its own file on import
    atomic_write(target, dump(data))
    return target
