"""Erasure of a business's people everywhere tpe-tui keeps them (F8 in the client file).

The records are erased as before (`clients.erase`: emptied in the file, flagged so that sync
empties them on other laptops too). Then the rest of what this laptop holds:

- the journal, which kept every earlier save of the person: folded into the file and deleted;
- temporary files a killed write left beside the file or its backups: deleted;
- the backups (and damaged files set aside) that hold the business: REWRITTEN with the same
  erasure applied, atomically. Dropping them would be simpler, but a backup is the only way
  back from a damaged file for every other business: a rewritten one still restores them
  all, and never the person (a copy of an older schema is migrated first). One that cannot
  be rewritten safely (unreadable, of a newer schema, or still holding a value afterwards)
  is deleted;
- the documents under the Documents folder: the business's own (its summaries and record
  sheets, its plan, its F6 export, in every format) are listed before the erasure and
  deleted only when the mediator asks; documents about many that hold it too (activity
  exports, workshop sheets, another business's summary) are listed apart and never deleted
  — they hold everyone else too: to redo or correct by hand; a whole copy of the data file
  (an export for another laptop) is rewritten without the people, as a backup is.

The file this laptop left in a team folder is not touched here: the next sync rewrites it
from the erased file.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tpe_tui.domain import personal_data, workshops
from tpe_tui.domain.records import SHARED_TABLES, Record, short_reference
from tpe_tui.domain.text import compact, fold
from tpe_tui.services import clients
from tpe_tui.services.config import Config
from tpe_tui.services.workspace import Workspace
from tpe_tui.storage import backups, paths
from tpe_tui.storage.atomic import remove_leftovers
from tpe_tui.storage.file_format import Data
from tpe_tui.storage.store import Store


@dataclass
class ErasurePlan:
    """What the erasure dialog shows before anything is done."""

    client_id: str
    name: str
    documents: list[Path] = field(default_factory=list)  # its own: deleted when asked
    shared: list[Path] = field(default_factory=list)  # about many, holding it too: kept
    copies: list[Path] = field(default_factory=list)  # whole data files: rewritten


@dataclass
class DocumentSort:
    """The files of the Documents folder that hold a business, by what an erasure does."""

    own: list[Path] = field(default_factory=list)
    shared: list[Path] = field(default_factory=list)
    copies: list[Path] = field(default_factory=list)


@dataclass
class ErasureReport:
    """What was erased or removed, for the French report shown after."""

    records: list[Record]  # the erased businesses
    counts: dict[str, int] = field(default_factory=dict)  # erased records per table
    backups_rewritten: list[Path] = field(default_factory=list)
    backups_removed: list[Path] = field(default_factory=list)
    temporaries_removed: list[Path] = field(default_factory=list)
    documents_removed: list[Path] = field(default_factory=list)
    documents_kept: list[Path] = field(default_factory=list)  # asked for, could not be deleted
    documents_left: list[Path] = field(default_factory=list)  # not asked for (box unticked)
    documents_shared: list[Path] = field(default_factory=list)  # about many: never deleted
    copies_rewritten: list[Path] = field(default_factory=list)  # data files in Documents
    copies_kept: list[Path] = field(default_factory=list)  # could not be rewritten

    def as_french(self) -> str:
        lines = [
            "Données des personnes effacées : "
            + (
                "fiche de l’entreprise, "
                if len(self.records) == 1
                else f"{len(self.records)} fiches, "
            )
            + f"{self.counts.get('sessions', 0)} accompagnement(s), "
            f"{self.counts.get('followups', 0)} suivi(s), "
            f"{self.counts.get('actions', 0)} action(s) du plan.",
            "Journal des enregistrements : vidé dans le fichier, puis supprimé.",
            f"Sauvegardes réécrites sans ces personnes : {len(self.backups_rewritten)}.",
        ]
        if self.backups_removed:
            lines.append(
                "Sauvegardes supprimées (illisibles ou d’un format plus récent) : "
                + ", ".join(p.name for p in self.backups_removed)
            )
        if self.temporaries_removed:
            lines.append(
                "Fichiers temporaires laissés par un arrêt brutal supprimés : "
                f"{len(self.temporaries_removed)}."
            )
        if self.documents_removed:
            lines.append(f"Documents supprimés ({len(self.documents_removed)}) :")
            lines += [f" • {p.name}" for p in self.documents_removed]
        if self.documents_kept:
            lines.append(
                f"Documents gardés, qui nomment encore l’entreprise ({len(self.documents_kept)}) :"
            )
            lines += [f" • {p}" for p in self.documents_kept]
        if self.documents_left:
            lines.append(
                "Documents gardés (case non cochée), qui nomment encore l’entreprise "
                f"({len(self.documents_left)}) :"
            )
            lines += [f" • {p.name}" for p in self.documents_left]
        if self.copies_rewritten:
            lines.append(
                "Copies du fichier de données du dossier Documents réécrites sans ces "
                f"personnes ({len(self.copies_rewritten)}) :"
            )
            lines += [f" • {p.name}" for p in self.copies_rewritten]
        shared = [*self.documents_shared, *self.copies_kept]
        if shared:
            lines.append(f"{SHARED_HEADING} ({len(shared)}), gardés :")
            lines += [f" • {p.name}" for p in shared]
        lines.append(TEAM_FILE_NOTE)
        return "\n".join(lines)


SHARED_HEADING = (
    "Documents qui contiennent aussi cette entreprise parmi d’autres : à refaire ou à "
    "corriger, jamais supprimés"
)
TEAM_FILE_NOTE = (
    "Le fichier d’équipe que cet ordinateur a déposé dans un dossier partagé sera réécrit "
    "sans ces personnes à la prochaine synchronisation."
)


def _related(workspace: Workspace, client_id: str) -> tuple[set[str], dict[str, list[Record]]]:
    """The business's ids (duplicates merged into it included) and its stored records."""
    held = clients.Holdings(workspace)
    ids = held.family(client_id)
    return ids, held.records(ids)


def _values(records: dict[str, list[Record]]) -> set[str]:
    values: set[str] = set()
    for table, rows in records.items():
        for record in rows:
            values |= personal_data.erased_values(table, record)
    return values


def sort_documents(
    folder: Path,
    name: str,
    values: Iterable[str],
    references: Iterable[str] = (),
    namesakes: bool = False,
    gatherings: Iterable[str] = (),
) -> DocumentSort:
    """The files under `folder` that hold the business (links are not followed: they are
    not ours), sorted by what an erasure does with them.

    Its own: named with one of its `references` (our documents carry the short reference of
    their visit or business), or named after it when no other business has its name (a
    document written before references were in names). About many: named with the
    reference of a workshop it attended (`gatherings`: attendance sheets, recaps), or
    holding one of `values` — values only this business holds, so a place or a phone many
    documents print never takes another business's files — looked for inside zipped
    formats too (.xlsx). Every format of one document goes where one of them goes (a PDF's
    text cannot be searched: its twin .md or .csv tells). A whole data file holding it is a
    copy, rewritten rather than deleted."""
    sort = DocumentSort()
    if not folder.is_dir():
        return sort
    wanted = list(values)
    refs = [r for r in references if len(r) >= personal_data.MIN_TRACE_LENGTH]
    workshops = [r for r in gatherings if len(r) >= personal_data.MIN_TRACE_LENGTH]
    files = [p for p in sorted(folder.rglob("*")) if not p.is_symlink() and p.is_file()]
    holding: set[Path] = set()
    for path in files:
        if any(ref in path.name for ref in refs) or (
            not namesakes and personal_data.names_business(path.name, name)
        ):
            sort.own.append(path)
        elif any(ref in path.name for ref in workshops):
            holding.add(path)
        else:
            raw = _searchable_bytes(path)
            if raw is not None and personal_data.traces_in(raw, wanted):
                if path.suffix == ".json" and backups.is_whole_file(raw, path.name):
                    sort.copies.append(path)
                else:
                    holding.add(path)
    twins = {(p.parent, p.stem) for p in holding}
    own = set(sort.own) | set(sort.copies)
    sort.shared = [p for p in files if p not in own and (p.parent, p.stem) in twins]
    return sort


def _searchable_bytes(path: Path) -> bytes | None:
    """A file's bytes, and those of its members when it is a zip (an .xlsx sheet)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if not raw.startswith(b"PK\x03\x04"):
        return raw
    try:
        with zipfile.ZipFile(path) as archive:
            return raw + b"".join(archive.read(member) for member in archive.namelist())
    except (OSError, zipfile.BadZipFile, ValueError, RuntimeError):
        return raw


def _own_values(
    workspace: Workspace, records: dict[str, list[Record]], values: set[str]
) -> set[str]:
    """The values only this business holds: not those other records hold too (the place
    where every visit happens, a name typed in another file's notes), nor the mediator's
    own contact details (printed on every document)."""
    own = {str(r["id"]) for rows in records.values() for r in rows}
    others = [
        record
        for table in SHARED_TABLES
        for record in workspace.store.records(table, deleted=True)
        if str(record.get("id")) not in own
    ]
    raw = json.dumps(others, ensure_ascii=False).encode("utf-8")
    elsewhere = set(personal_data.traces_in(raw, values))
    # Every document prints the mediator's contact: a value found within it (« La
    # Fabrique » in the structure « Tiers-lieu La Fabrique ») names no one in particular.
    mediator = [fold(v) for v in Config.load().mediator_contact().values() if v]
    printed = {v for v in values if any(fold(v) in m for m in mediator)}
    return values - elsewhere - printed


def _references(records: dict[str, list[Record]]) -> set[str]:
    """The short references our documents of this business carry in their names."""
    return {
        short_reference(r["id"])
        for table in ("clients", "sessions")
        for r in records.get(table, [])
    }


def plan(workspace: Workspace, client_id: str, folder: Path | None = None) -> ErasurePlan:
    """What an erasure of this business would touch that the mediator must choose about."""
    client = workspace.client(client_id)
    if client is None:
        raise KeyError(client_id)
    _, records = _related(workspace, client["id"])
    name = str(client.get("name") or "")
    own = {str(c["id"]) for c in records["clients"]}
    namesakes = any(
        compact(str(c.get("name") or "")) == compact(name) and str(c["id"]) not in own
        for c in workspace.store.records("clients")
    )
    ids = {str(c["id"]) for c in records["clients"]}
    attended = workshops.attended_by(workspace.store.records("workshops"), ids)
    sort = sort_documents(
        folder or paths.documents_dir(),
        name,
        _own_values(workspace, records, _values(records)),
        _references(records),
        namesakes,
        [short_reference(w["id"]) for w in attended],
    )
    return ErasurePlan(client["id"], name, sort.own, sort.shared, sort.copies)


def erase(
    workspace: Workspace,
    client_id: str,
    documents: Iterable[Path] = (),
    folder: Path | None = None,
    left: Iterable[Path] = (),
    shared: Iterable[Path] = (),
    copies: Iterable[Path] = (),
) -> ErasureReport:
    """Erase the business's people in the file, its journal, stray temporary files and its
    kept copies and the `copies` of the data file under the Documents folder; delete the
    `documents` asked for (only files under the Documents folder). The `left` documents
    (listed, not asked for) and the `shared` ones (about many) are named in the report as
    kept."""
    root = (folder or paths.documents_dir()).resolve()
    inside = [p for p in copies if not p.is_symlink() and p.resolve().is_relative_to(root)]
    report = erase_all(workspace, [client_id], inside)
    _delete_documents(report, documents, root)
    report.documents_left = [p for p in left if p.exists()]
    report.documents_shared = [p for p in shared if p.exists()]
    return report


def erase_all(
    workspace: Workspace, client_ids: Iterable[str], copies: Iterable[Path] = ()
) -> ErasureReport:
    """Erase these businesses' people in the file, its journal, stray temporary files and
    its kept copies (and these other `copies` of the data file, which are never deleted),
    in one pass over the copies (the retention rule erases many at once)."""
    store = workspace.store
    with store.locked():  # no save, no backup in between
        before = clients.Holdings(workspace)
        targets, values = [], set()
        for client_id in client_ids:
            client = workspace.client(client_id)
            if client is None:
                raise KeyError(client_id)
            values |= _values(before.records(before.family(client["id"])))
            targets.append(client["id"])
        # One atomic write of the whole file for them all, which also folds in the journal
        # that held every earlier save of these people.
        with store.one_write():
            saved = [clients.erase(workspace, client_id, before) for client_id in targets]
            store.compact()
        held = clients.Holdings(workspace)
        ids = set().union(*(held.family(record["id"]) for record in saved))
        after = held.records(ids)
        report = ErasureReport(saved, {t: len(rows) for t, rows in after.items()})
        _erase_in_kept_copies(store, ids, values, after, report, copies)
    return report


def _erase_in_kept_copies(
    store: Store,
    ids: set[str],
    values: set[str],
    after: dict[str, list[Record]],
    report: ErasureReport,
    others: Iterable[Path] = (),
) -> None:
    """Remove stray temporary files and rewrite the kept copies (backups, files set aside)
    with the erasure applied: `values` are the people's values before it, `after` the
    business's erased records as the live file now holds them. The `others` copies (in the
    Documents folder) are rewritten alike, or left as they are when they cannot be."""
    # A value another business's record holds too (a name typed in its notes) is not
    # this business's trace: it cannot be required to vanish from the copies.
    elsewhere = set(personal_data.traces_in(store.path.read_bytes(), values))
    traces = values - elsewhere
    erased = {t: {r["id"]: r for r in rows} for t, rows in after.items()}
    id_bytes = [i.encode("utf-8") for i in ids]

    def concerns(raw: bytes) -> bool:
        return any(i in raw for i in id_bytes) or bool(personal_data.traces_in(raw, traces))

    def still_holds(raw: bytes) -> bool:
        return bool(personal_data.traces_in(raw, traces))

    report.temporaries_removed += remove_leftovers(backups.leftover_temporaries(store.path))

    def erase(data: Data) -> Data:
        return personal_data.erased_copy(data, erased, ids)

    copies = backups.erase_in_copies(store.path, concerns, erase, still_holds)
    report.backups_rewritten += copies.rewritten
    report.backups_removed += copies.removed
    others = list(others)
    if others:
        elsewhere_copies = backups.erase_in_copies(
            store.path, concerns, erase, still_holds, others, keep_unwritable=True
        )
        report.copies_rewritten += elsewhere_copies.rewritten
        report.copies_kept += elsewhere_copies.kept


def _business_records(
    tables: Mapping[str, Iterable[Record]], ids: set[str]
) -> dict[str, list[Record]]:
    """The records of the business `ids` (its own and its merged duplicates') in `tables`."""
    found = {"clients": [c for c in tables.get("clients", []) if c["id"] in ids]}
    for table in personal_data.ERASED_TABLES[1:]:
        found[table] = [r for r in tables.get(table, []) if r.get("client_id") in ids]
    return found


def erase_received(
    store: Store,
    ours: Mapping[str, Iterable[Record]],
    merged: Mapping[str, Iterable[Record]],
) -> ErasureReport | None:
    """After a merge that brought erasures made on another laptop (`ours` before the merge,
    `merged` as now saved): erase those people from this laptop's kept copies too — the
    backups taken before, and the one the merge itself just took — as a local erasure
    does. The journal is already gone: a merge writes the whole file."""
    before_clients = {c["id"]: c for c in ours.get("clients", [])}
    merged_clients = list(merged.get("clients", []))
    received = [
        c["id"]
        for c in merged_clients
        if c.get("anonymised")
        and c["id"] in before_clients
        and not before_clients[c["id"]].get("anonymised")
    ]
    # One erasure per business: a merged-away duplicate is erased with the one it joined.
    into = {c["id"]: c.get("merged_into") for c in merged_clients}
    roots: list[str] = []
    for client_id in received:
        seen = {client_id}
        while into.get(client_id) and into[client_id] not in seen:
            client_id = into[client_id]
            seen.add(client_id)
        if client_id not in roots:
            roots.append(client_id)
    if not roots:
        return None
    ids = set().union(*(personal_data.merged_family(merged_clients, root) for root in roots))
    after = _business_records(merged, ids)
    report = ErasureReport(
        [c for c in after["clients"] if c["id"] in roots], {t: len(r) for t, r in after.items()}
    )
    with store.locked():
        _erase_in_kept_copies(store, ids, _values(_business_records(ours, ids)), after, report)
    return report


def _delete_documents(report: ErasureReport, documents: Iterable[Path], folder: Path) -> None:
    root = folder.resolve()
    for path in documents:
        inside = path.resolve().is_relative_to(root) and not path.is_symlink()
        try:
            if not inside or not path.is_file():
                raise OSError
            path.unlink()
        except OSError:
            report.documents_kept.append(path)
            continue
        report.documents_removed.append(path)
