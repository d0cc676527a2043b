"""Activity figures from one data file or a folder of them, read-only, one file at a time.

A folder (a coordinator's copy of the team's files) is never merged into a writable file:
each file is parsed, counted and let go before the next, so memory is bounded by the
largest file, not the sum. A record found in several files is counted once, from its
newest copy by its versions, not by the files' dates (`domain.copies`), as the merged file
would count it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import compress
from pathlib import Path

from tpe_tui.documents import report
from tpe_tui.documents.activity_export import ExportInfo, csv_bytes, xlsx_bytes
from tpe_tui.documents.summary import Rendered
from tpe_tui.domain import copies, national
from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.columns import Columns
from tpe_tui.domain.errors import DataFileError, UsageError, os_reason
from tpe_tui.domain.filter_match import KnownValues, filter_key
from tpe_tui.domain.records import SHARED_TABLES, Record
from tpe_tui.domain.records import today as model_today
from tpe_tui.domain.stats import (
    TABLES_READ_WHOLE,
    ActivityStats,
    Figures,
    Filters,
    file_part,
    filter_values,
    place_name,
)
from tpe_tui.domain.text import fold
from tpe_tui.services.workspace import Workspace
from tpe_tui.storage import paths, stats_reader
from tpe_tui.storage.atomic import atomic_write
from tpe_tui.storage.collection import collection_paused
from tpe_tui.storage.file_format import Data, open_readonly
from tpe_tui.storage.guard import output_path
from tpe_tui.storage.journal import journal_path, read_journal_in_full
from tpe_tui.storage.safe_read import DANGLING, dangling, data_files_in

log = logging.getLogger("tpe_tui.stats")


@dataclass
class Gathered:
    figures: Figures
    warnings: list[str] = field(default_factory=list)
    read_by_columns: int = 0  # files counted straight from their compact columns
    # The values the filters could match, met in the files (None without such a filter).
    known: KnownValues | None = None
    notes: list[str] = field(default_factory=list)  # journals read with their files


def data_files(folder: Path) -> list[Path]:
    """The data files of a folder, newest first (hidden and temporary files left out), as
    the team folder lists them: a link to nothing among them is named with the files not
    counted (NEW6-8: it was left out without a word)."""
    found = data_files_in(folder)
    return sorted(found, key=lambda p: (-_modified(p), p.name))


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # a link to nothing
        return 0.0


def each_file(
    files: list[Path], warnings: list[str], notes: list[str] | None = None
) -> Iterator[tuple[str, Data]]:
    """(name, data) of each readable file in turn; an unreadable one is reported, skipped.

    The collector stays off while the files are read and counted: parsed JSON holds no
    cycles, and a collection would walk every record of the file in memory (3x slower)."""
    with collection_paused():
        for path in files:
            data = _open(path, len(files) == 1, warnings, notes)
            if data is None:
                continue
            yield path.stem, data
            del data  # the caller drops its reference too, so the next parse starts alone


def _open(
    path: Path, alone: bool, warnings: list[str], notes: list[str] | None = None
) -> Data | None:
    """A file's records whole; an unreadable file among others is reported and skipped.
    A journal read with it is said in `notes`, as a merge says it; its damaged lines, not
    counted, in `warnings` (the report's « Fichiers non comptés »)."""
    try:
        if not alone and dangling(path):
            warnings.append(f"Fichier ignoré : {path} est un {DANGLING}")
            return None
        if not alone and path.stat().st_size == 0:
            warnings.append(f"Fichier ignoré : {path} est vide.")  # not a source: no data
            return None
        data = open_readonly(path)
        if not alone:  # a colleague's file in a team folder
            _say_journal(path, warnings, notes)
        return data
    except OSError as exc:
        if alone:
            raise DataFileError(f"Impossible de lire {path} ({os_reason(exc)}).") from None
        warnings.append(f"Fichier ignoré : impossible de lire {path} ({os_reason(exc)}).")
        return None
    except (DataFileError, ValueError) as exc:
        if alone:
            raise
        warnings.append(f"Fichier ignoré : {exc}")
        return None


def _say_journal(path: Path, warnings: list[str], notes: list[str] | None) -> None:
    """A journal beside the file (its app open, or stopped abruptly) was read with it."""
    journal = journal_path(path)
    if not journal.is_file() or not journal.stat().st_size:
        return
    from tpe_tui.services.sync import journal_note

    reading = read_journal_in_full(journal)
    note = journal_note(path.name, len(reading.entries), reading.skipped)
    if reading.skipped:
        warnings.append(note)  # lines left out of the figures
    elif notes is not None:
        notes.append(note)


def sources(db: Path | None, folder: Path | None) -> list[Path]:
    if db is not None and folder is not None:
        raise UsageError("Choisissez --db ou --folder, pas les deux.")
    if folder is not None:
        files = data_files(folder)
        if all(dangling(f) for f in files):  # links to nothing alone: nothing to count
            raise UsageError(f"Aucun fichier de données (.json) dans {folder}.")
        return files
    return [paths.db_path(db)]


def known_values(filters: Filters) -> KnownValues | None:
    """Where the values a file holds are gathered, to check the filters against them
    (`refuse_unknown`); None without a filter other than the period (nothing to gather)."""
    if not any(filter_values(filters).values()):
        return None
    known = KnownValues()
    known.add_catalogue()
    return known


def refuse_unknown(filters: Filters, known: KnownValues | None) -> None:
    """Stop, in French, when a filter matches nothing known (finding NEW6-5: a typo gave
    a full report of zeros, rc 0, that could be sent to a funder); name the closest."""
    if known is None:
        return
    refused = known.refusals(
        {
            "territory": filters.territory,
            "commune": filters.commune,
            "place": filters.place,
            "mediator": filters.mediator,
        }
    )
    if refused:
        raise UsageError("\n".join([*refused, "Rien n’a été écrit."]))


def gather(files: list[Path], filters: Filters, today: date | None = None) -> Gathered:
    """The figures of the files, read one at a time: by columns (`gather_by_columns`),
    or, when a file turns out damaged there, each file's records whole."""
    day = today or model_today()
    try:
        gathered = gather_by_columns(files, filters, day)
        refuse_unknown(filters, gathered.known)
        return gathered
    except (IndexError, KeyError, TypeError, AttributeError, ValueError):
        # A damaged file whose layout looked whole (an index off its column): the
        # ordinary read refuses it with a French message, or reads what it can.
        log.warning("statistics by columns failed, reading the records whole", exc_info=True)
    gathered = gather_whole(files, filters, day)
    refuse_unknown(filters, gathered.known)
    return gathered


def gather_whole(files: list[Path], filters: Filters, today: date | None = None) -> Gathered:
    """The figures of the files, each file's records rebuilt whole (the ordinary read)."""
    day = today or model_today()
    return _each_copy_once(
        files, lambda versions, plan: _whole(files, filters, day, versions, plan)
    )


def gather_by_columns(files: list[Path], filters: Filters, today: date | None = None) -> Gathered:
    """The figures of the files, each compact file read by columns (`storage.stats_reader`:
    only the fields counted, each distinct value once), the others whole. Raises on a file
    damaged in a way only counting finds; `gather` then starts again the ordinary way."""
    day = today or model_today()
    return _each_copy_once(
        files, lambda versions, plan: _by_columns(files, filters, day, versions, plan)
    )


def _each_copy_once(
    files: list[Path], count: Callable[[copies.Repeats | None, copies.Plan | None], Gathered]
) -> Gathered:
    """`count` the files; in a folder where some record is in several files, and their
    copies differ (one laptop edited or deleted a visit since another's file was written),
    count them again with each record taken from its newest copy only (`domain.copies`):
    the figures of the merged file, whatever the files' dates."""
    if len(files) < 2:
        return count(None, None)
    repeats = copies.Repeats()
    gathered = count(repeats, None)
    if not repeats.found:  # disjoint files: each record counted from its only copy
        return gathered
    plan = _plan(files)
    if plan is None:  # copies all alike: the first met was as good as any
        return gathered
    log.info("copies differ between files: counting again from the newest copies")
    return count(None, plan)


def _whole(
    files: list[Path],
    filters: Filters,
    day: date,
    repeats: copies.Repeats | None,
    plan: copies.Plan | None,
) -> Gathered:
    """Each file's records whole (the ordinary read)."""
    warnings: list[str] = []
    notes: list[str] = []
    stats = ActivityStats(filters, day)
    known = known_values(filters)
    with collection_paused():  # see `each_file`
        for index, path in enumerate(files):
            data = _open(path, len(files) == 1, warnings, notes)
            if data is None:
                continue
            if plan is not None:
                stats.count_copies(plan[index])
            if repeats is not None:
                _note_records(repeats, data)
            stats.add_data(data, path.stem if len(files) > 1 else "")
            if known is not None:
                known.add_records(data)
            del data  # let it go before the next file is parsed: one file in memory at a time
    _note_end(repeats, stats)
    return Gathered(_noting(stats.figures(), warnings), warnings, known=known, notes=notes)


def _by_columns(
    files: list[Path],
    filters: Filters,
    day: date,
    repeats: copies.Repeats | None,
    plan: copies.Plan | None,
) -> Gathered:
    warnings: list[str] = []
    notes: list[str] = []
    stats = ActivityStats(filters, day)
    by_columns = 0
    known = known_values(filters)
    wanted = stats.columns_read
    if repeats is not None:  # the ids of every record counted once, deleted ones too
        wanted = {
            table: {**fields, "id": (), "deleted": ()} if table in copies.COUNTED_ONCE else fields
            for table, fields in wanted.items()
        }
    with collection_paused():  # see `each_file`
        for index, path in enumerate(files):
            name = path.stem if len(files) > 1 else ""
            if plan is not None:
                stats.count_copies(plan[index])
            found = stats_reader.read_columns(path, wanted, TABLES_READ_WHOLE)
            if found is not None:
                if repeats is not None:
                    _note_columns(repeats, *found)
                stats.add_columns(*found, name)
                if known is not None:
                    tables, whole = found
                    empty = Columns(0)
                    known.add_distinct(
                        tables.get("sessions", empty).values,
                        tables.get("clients", empty).values,
                        whole,
                    )
                by_columns += 1
                del found  # one file in memory at a time
                continue
            data = _open(path, len(files) == 1, warnings, notes)
            if data is not None:
                if repeats is not None:
                    _note_records(repeats, data)
                stats.add_data(data, name)
                if known is not None:
                    known.add_records(data)
                del data
        _note_end(repeats, stats)
        figures = stats.figures()
        # What was kept between files is let go before the collector is back on: its first
        # collection would otherwise walk all of it once more (33 ms after 20 files).
        del stats
    return Gathered(_noting(figures, warnings), warnings, by_columns, known, notes)


_VERSION_FIELDS: dict[str, tuple[str, ...]] = {
    "id": (),
    "vv": (),
    "deleted": (),
    "updated_at": (),
}


def _note_columns(repeats: copies.Repeats, tables: dict[str, Columns], whole: Data) -> None:
    """The ids of the deleted records of a file read by columns (found in one C pass
    over the deletion marks; most files have few)."""
    for table in copies.COUNTED_ONCE:
        if table in tables:
            found = tables[table]
            marks = [bool(value) for value in found.values.get("deleted", [False])]
            if any(marks):
                deleted = map(marks.__getitem__, found.indexes("deleted"))
                rows = compress(found.indexes("id"), deleted)
                repeats.add_deleted(table, map(hash, found.decode("id", rows)))
        elif table in whole:
            _note_deleted(repeats, table, whole[table].values())


def _note_records(repeats: copies.Repeats, data: Data) -> None:
    """The ids of the deleted records of a file read whole."""
    for table in copies.COUNTED_ONCE:
        _note_deleted(repeats, table, data.get(table, {}).values())


def _note_deleted(repeats: copies.Repeats, table: str, records: Iterable[Record]) -> None:
    repeats.add_deleted(table, [hash(r.get("id")) for r in records if r.get("deleted")])


def _note_end(repeats: copies.Repeats | None, stats: ActivityStats) -> None:
    """After a folder's count: was some record in two files (met again while counting, or
    deleted in one file and counted from another)?"""
    if repeats is not None:
        repeats.found = stats.repeated or any(
            stats.counted_any(table, ids) for table, ids in repeats.deleted.items() if ids
        )


def _plan(files: list[Path]) -> copies.Plan | None:
    """For a folder whose files hold differing copies of some records, which copies each
    file must skip and count (`domain.copies`); None when there are none. Reads the
    records' versions only, twice when some differ: first each one's version, then every
    copy of those that differ."""
    if len(files) < 2:
        return None
    versions = copies.Versions()
    for _index, table, rows in _version_rows(files):
        versions.add(table, *copies.keys_of(rows))
    if not versions.any_differ:
        return None
    held: dict[str, dict[str, list[copies.Copy]]] = {}
    for index, table, rows in _version_rows(files):
        wanted = versions.differing.get(table, set())
        for record_id, vv, deleted, updated_at in rows:
            if hash(record_id) in wanted:
                held.setdefault(table, {}).setdefault(record_id, []).append(
                    copies.Copy(
                        index,
                        vv if isinstance(vv, dict) else {},
                        bool(deleted),
                        str(updated_at or ""),
                    )
                )
    return copies.skips(held, len(files))


def _version_rows(
    files: list[Path],
) -> Iterator[tuple[int, str, list[copies.VersionRow]]]:
    """(file's place, table, (id, vv, deleted, updated_at) of each record) of every
    readable file, table by table."""
    wanted = {
        table: _VERSION_FIELDS for table in copies.COUNTED_ONCE if table not in TABLES_READ_WHOLE
    }
    whole = tuple(table for table in copies.COUNTED_ONCE if table in TABLES_READ_WHOLE)
    with collection_paused():
        for index, path in enumerate(files):
            found = stats_reader.read_columns(path, wanted, whole)
            if found is not None:
                tables, small = found
                for table, columns in tables.items():
                    yield (
                        index,
                        table,
                        list(zip(*(columns.column(name) for name in _VERSION_FIELDS), strict=True)),
                    )
                for table in whole:
                    yield index, table, list(_fields(small.get(table, {}).values()))
                continue
            data = _open(path, False, [])
            if data is not None:
                for table in copies.COUNTED_ONCE:
                    yield index, table, list(_fields(data.get(table, {}).values()))


def _fields(records: Iterable[Record]) -> Iterator[copies.VersionRow]:
    for record in records:
        yield record.get("id"), record.get("vv"), record.get("deleted"), record.get("updated_at")


def _noting(figures: Figures, warnings: list[str]) -> Figures:
    """The figures, saying which files were not counted (the report names them: a
    coordinator reading it must know the figures leave those out)."""
    figures.ignored = list(warnings)
    return figures


def workspace_data(workspace: Workspace) -> Data:
    """A shallow copy of the open file's tables, taken under the store's lock (a save
    replaces a record, never changes it in place), so counting does not hold saves up."""
    store = workspace.store
    with store.locked():
        return {table: dict(store.data.get(table, {})) for table in SHARED_TABLES}


def figures_of_workspace(
    workspace: Workspace, filters: Filters, today: date | None = None
) -> Figures:
    """The figures of the app's open file."""
    stats = ActivityStats(filters, today or model_today())
    stats.add_data(workspace_data(workspace))
    return stats.figures()


@dataclass
class FilterChoices:
    """What the screen offers to filter on, each list without two spellings of one name."""

    territories: list[str]
    mediators: list[str]
    communes: list[str]
    places: list[str]


def filter_choices(workspace: Workspace) -> FilterChoices:
    """Territories (the catalogue's, then those met in the file), mediators, the communes of
    the file's businesses (the commune filter is the business's) and places (the
    directory's, then those the sessions and workshops name)."""
    data = workspace_data(workspace)
    structures = data["structures"]
    territories = list(catalog().territories)
    mediators: list[str] = []
    places = [
        str(s["name"])
        for s in structures.values()
        if s.get("kind") == "tiers_lieu" and s.get("name") and not s.get("deleted")
    ]
    for record in (*data["sessions"].values(), *data["workshops"].values()):
        if record.get("deleted"):
            continue
        territories.append(str(record.get("territory") or ""))
        mediators.append(str(record.get("mediator") or ""))  # a session's
        mediators.extend(str(name) for name in record.get("mediators") or [])  # a workshop's
        places.append(place_name(record, structures, by_kind=False))  # names people gave
    communes = [
        str(c.get("commune") or "") for c in data["clients"].values() if not c.get("deleted")
    ]
    return FilterChoices(
        distinct(territories), by_name(mediators), by_name(communes), by_name(places)
    )


def distinct(names: list[str]) -> list[str]:
    """The names in their order, blanks left out, one spelling of each (as filters compare
    them: « Tiers-lieu – Calais » and « tiers-lieu - calais » are one)."""
    kept: dict[str, str] = {}
    for name in names:
        if name.strip():
            kept.setdefault(filter_key(name), name.strip())
    return list(kept.values())


def by_name(names: list[str]) -> list[str]:
    return sorted(distinct(names), key=fold)


def export(
    files: list[Path],
    filters: Filters,
    target: Path,
    *,
    coordinator: bool = False,
    author: str = "",
) -> tuple[Path, int, list[str]]:
    """Write the national-shape export (.xlsx or .csv); returns the path, rows, warnings."""
    fmt = target.suffix.lower()
    if fmt not in (".xlsx", ".csv"):
        raise UsageError("L’export s’écrit en .xlsx ou en .csv (d’après le nom du fichier).")
    style = "labels" if fmt == ".xlsx" else "api"
    warnings: list[str] = []
    seen: set[str] = set()
    rows: list[list[national.Cell]] = []
    known = known_values(filters)
    plan = _plan(files)
    place = {path.stem: index for index, path in enumerate(files)}
    ranks = national.FolderRanks() if len(files) > 1 else None
    for name, data in each_file(files, warnings):
        if plan is not None:  # each visit and workshop from its newest copy only
            for skip, take in plan[place[name]].values():
                seen.difference_update(take)
                seen.update(skip)
        rows.extend(
            national.export_rows(
                data, filters, style=style, coordinator=coordinator, seen=seen, ranks=ranks
            )
        )
        if known is not None:
            known.add_records(data)
        del data
    refuse_unknown(filters, known)
    if ranks is not None:  # a business's first accompaniment may be in another file
        ranks.apply(rows, style=style, coordinator=coordinator)
    write_export(rows, filters, output_path(target, files), coordinator=coordinator, author=author)
    incomplete = national.places_to_complete(rows, coordinator)
    if incomplete:
        warnings.append(
            f"{incomplete} accompagnement(s) en « Autre lieu » sans commune ou sans code Insee"
            " (lieu saisi hors annuaire, ou entreprise sans code Insee) : l’outil national"
            " les demande pour ce canal, complétez-les en reportant ces lignes."
        )
    return target, len(rows), warnings


def write_export(
    rows: list[list[national.Cell]],
    filters: Filters,
    target: Path,
    *,
    coordinator: bool = False,
    author: str = "",
) -> Path:
    headers = national.headers(coordinator)
    if target.suffix.lower() == ".csv":
        payload = csv_bytes(headers, rows)
    else:
        role = "Coordinateur" if coordinator else "Médiateur"
        payload = xlsx_bytes(headers, rows, ExportInfo(author, role, filters.describe()))
    target = output_path(target)
    atomic_write(target, payload)
    return target


def unused(target: Path) -> Path:
    """`target`, or `target` numbered « -2 », « -3 »… when a document already has its name:
    a document made from the screen never replaces another without a word."""
    numbered, n = target, 1
    while numbered.exists():
        n += 1
        numbered = target.with_name(f"{target.stem}-{n}{target.suffix}")
    return numbered


def export_workspace(
    workspace: Workspace, filters: Filters, fmt: str, today: date | None = None
) -> tuple[Path, int]:
    """The export of the app's open file into the documents folder (from the screen)."""
    day = today or model_today()
    name = f"{day}-activites-{file_part(filters.describe())}.{fmt}"
    target = unused(paths.documents_dir() / name)
    style = "labels" if fmt == "xlsx" else "api"
    rows = national.export_rows(workspace_data(workspace), filters, style=style)
    write_export(rows, filters, target, author=workspace.config.mediator)
    return target, len(rows)


def render_report(figures: Figures, today: date | None = None, *, bars: bool = True) -> Rendered:
    """The report's Markdown; `bars`: text bars in the tables (the PDF draws its own)."""
    return report.render(figures, today or model_today(), paths.user_templates_dir(), bars=bars)


def print_report(figures: Figures, today: date | None = None) -> tuple[str, bool]:
    """The report as PDF, sent to the printer the way summaries are; (message, printed)."""
    from tpe_tui.documents.printing import print_pdf

    path, warnings = save_report(figures, "pdf", today=today)
    result = print_pdf(path)
    return "\n".join([result.message, *warnings]), result.printed


def save_report(
    figures: Figures,
    fmt: str,
    target: Path | None = None,
    today: date | None = None,
    protected: list[Path] | None = None,
) -> tuple[Path, list[str]]:
    """Write the report (md, html, pdf); by default in the documents folder. `protected`:
    the data files read, never written over."""
    day = today or model_today()
    rendered = render_report(figures, day, bars=fmt != "pdf")
    name = f"{day}-bilan-activite-{file_part(figures.filters)}.{fmt}"
    target = output_path(target or unused(paths.documents_dir() / name), protected or [])
    return report.save(rendered.text, figures, fmt, target), rendered.warnings
