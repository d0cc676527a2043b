"""The data file as a whole, for the app's start and recovery: the home picture kept beside
it and putting a backup back in place. The app reaches storage only through services."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from tpe_tui.storage import home_picture

if TYPE_CHECKING:
    from tpe_tui.services.workspace import Workspace


def read_home_picture(db: Path) -> dict[str, Any] | None:
    """The home as it was left, or None when it does not match the file as it is."""
    return home_picture.read(db)


def write_home_picture(db: Path, picture: dict[str, Any]) -> None:
    home_picture.write(db, picture)


def restore_backup(db: Path, backup: Path) -> None:
    """Put a backup back in place of the data file (the damaged one was set aside)."""
    # Imported here: the app's first frame must not wait for the store module.
    from tpe_tui.storage.backups import restore_backup as put_back

    put_back(db, backup)


def journal_damage_said(workspace: Workspace) -> str:
    """What the person is told when journal lines damaged in the middle were skipped at
    opening (acceptance finding NEW4-11: skipped without a word): which save, when, that
    the saves after it were kept, whether this one was saved again later, and where the
    damaged line is kept. "" when the journal held none."""
    from tpe_tui.domain.clock import local_time
    from tpe_tui.domain.plain_text import printable
    from tpe_tui.sync.conflicts import TABLE_NAMES, title_of

    store = workspace.store
    damaged = store.journal_damage
    if not damaged:
        return ""
    one, kept = len(damaged) == 1, store.damaged_lines_kept
    paragraphs = [
        f"Le journal des enregistrements du fichier {'avait' if kept else 'a'} {len(damaged)} "
        f"{'ligne abîmée' if one else 'lignes abîmées'} au milieu (un enregistrement "
        "terminé, abîmé depuis : disque, copie, modification à la main). "
        f"{'Elle n’a' if one else 'Elles n’ont'} pas pu être "
        f"{'relue' if one else 'relues'} :"
    ]
    for line in damaged:
        record = store.get(line.table, line.record_id) if line.table and line.record_id else None
        record = record or line.doc  # a record that line created: as it holds it
        what = TABLE_NAMES.get(line.table or "", "Enregistrement").lower()
        if record is not None and line.table:
            client = workspace.client_view(record.get("client_id"))
            names = {str(client["id"]): str(client.get("name") or "")} if client else {}
            what += f" « {title_of(line.table, record, names)} »"
        when = local_time(line.saved_at) if line.saved_at else ""
        outcome = (
            "Enregistré de nouveau plus loin dans le journal : rien n’en manque."
            if line.saved_again
            else "Ce que cet enregistrement changeait peut manquer."
        )
        after = {
            0: "Rien ne la suivait dans le journal.",
            1: "L’enregistrement qui la suivait a été repris.",
        }.get(
            line.followed_by,
            f"Les {line.followed_by} enregistrements qui la suivaient ont été repris.",
        )
        paragraphs.append(
            f"- ligne {line.number}, enregistrée {when or '(heure illisible)'} : {what}. "
            f"{outcome} {after}"
        )
    paragraphs.append(
        f"{'La ligne abîmée est gardée' if one else 'Les lignes abîmées sont gardées'} telle"
        f"{'' if one else 's'} quelle{'' if one else 's'} dans {kept}."
        if kept
        else "Le journal n’a pas été modifié (lecture seule) : tpe-tui gardera à part ce qui "
        "est abîmé à sa prochaine ouverture du fichier."
    )
    # Names and ids read from a damaged line or the file: never escapes to a terminal.
    return printable("\n".join(paragraphs))


def damaged_lines_kept(db: Path) -> list[Path]:
    """The files where journal lines found damaged at earlier openings are kept."""
    from tpe_tui.storage.backups import damaged_lines

    return damaged_lines(db)
