"""Statistics counted straight from a compact file's columns give the figures the ordinary
read gives (every record rebuilt whole), on random files; the files it leaves to the
ordinary read are read that way."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import stats_data
from tpe_tui.domain import records
from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.stats import ActivityStats, Filters, Period
from tpe_tui.services import stats as service
from tpe_tui.storage import file_format, stats_reader
from tpe_tui.storage.journal import encode_entry, journal_path

TODAY = date(2026, 11, 27)
DAYS = ["2026-09-30", "2026-10-01", "2026-10-15", "2026-10-31", "2026-11-01"]


def maybe(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A value, or a falsy one the app may hold (None, empty)."""
    return st.one_of(values, st.sampled_from([None, ""]))


def codes(kind: str) -> st.SearchStrategy[str]:
    return st.sampled_from([*catalog().codes(kind), "unknown-code"])


DAY = maybe(st.sampled_from([*DAYS, "2026-10-15T10:00:00Z"]))
ODD_SCORES = [-1, 14, 99, True, "2", 2.5]
IDS = [f"id-{n}" for n in range(8)]  # few, so that records meet: a session's business…


@st.composite
def a_file(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    """A data file with records as the app may hold them, and some it should not."""
    structures = [
        records.new_record(
            "structures",
            id=f"s-{n}",
            name=draw(maybe(st.sampled_from(["CCI", "Fabrique", "CMA"]))),
            kind=draw(codes("structure_kinds")),
        )
        for n in range(draw(st.integers(0, 3)))
    ]
    structure_ids = st.sampled_from([*(s["id"] for s in structures), "s-gone", None])
    clients = [
        records.new_record(
            "clients",
            id=client_id,
            commune=draw(maybe(st.sampled_from(["Arras", "Calais"]))),
            territory=draw(maybe(st.sampled_from(["Pas-de-Calais", "Aisne"]))),
            activity_kind=draw(maybe(codes("activity_kinds"))),
            employees=draw(st.one_of(st.none(), st.integers(0, 12))),
            size=draw(maybe(st.sampled_from(["alone", "small"]))),
            merged_into=draw(st.one_of(st.none(), st.sampled_from(IDS))),
        )
        for client_id in draw(st.lists(st.sampled_from(IDS), max_size=5, unique=True))
    ]
    axes = catalog().codes("maturity_dimensions")
    sessions = []
    for n in range(draw(st.integers(0, 12))):
        fields = {
            "id": f"v-{n}",
            "client_id": draw(st.one_of(st.sampled_from(IDS), st.none())),
            "status": draw(st.sampled_from(["closed", "closed", "draft", "in_progress"])),
            "date": draw(DAY),
            "duration_min": draw(
                st.one_of(st.none(), st.sampled_from([-5, 0, 29, 30, 59, 60, 120, 400]))
            ),
            "place_kind": draw(maybe(codes("place_kinds"))),
            "place_structure_id": draw(structure_ids),
            "place_label": draw(maybe(st.sampled_from(["Mairie", "Chez lui"]))),
            "territory": draw(maybe(st.sampled_from(["Pas-de-Calais", "Aisne"]))),
            "mediator": draw(maybe(st.sampled_from(["Léa", "Hugo"]))),
            "need_nature": draw(maybe(codes("need_natures"))),
            "interlocutor_role": draw(maybe(codes("interlocutor_roles"))),
            "satisfaction": draw(maybe(codes("satisfaction_levels"))),
            "needs": draw(st.lists(codes("needs"), max_size=3)),
            "missions": draw(st.lists(codes("missions"), max_size=2)),
            "topics_raised": draw(st.lists(codes("operational_topics"), max_size=2)),
            "equipment": draw(st.lists(codes("equipment"), max_size=2)),
            "aids": draw(st.lists(st.sampled_from(["a-1", "a-2"]), max_size=2)),
            "solutions": draw(
                st.lists(
                    st.dictionaries(
                        st.sampled_from(["id", "title", "area"]),
                        maybe(codes("solution_areas")),
                    ),
                    max_size=3,
                )
            ),
            "skills": draw(
                st.dictionaries(
                    codes("skill_areas"), st.one_of(st.none(), st.integers(0, 3)), max_size=3
                )
            ),
            "maturity": draw(
                st.dictionaries(
                    st.sampled_from([*axes[:3], "other"]),
                    # and values the app does not write (compared only when ints)
                    st.one_of(st.none(), st.integers(0, 4), st.sampled_from(ODD_SCORES)),
                    max_size=3,
                )
            ),
            "autonomy": draw(maybe(codes("autonomy_levels"))),
            "redirections": draw(
                st.lists(
                    st.fixed_dictionaries(
                        {"structure_id": structure_ids, "label": maybe(st.just("Banque"))}
                    ),
                    max_size=2,
                )
            ),
            "deleted": draw(st.booleans()) and draw(st.booleans()),
            # Copies of a visit in several files differ by their version (`domain.copies`).
            "vv": draw(st.sampled_from([{}, {"d1": 1}, {"d1": 2}, {"d1": 1, "d2": 1}])),
            "updated_at": draw(st.sampled_from(["2026-10-01T09:00:00Z", "2026-10-02T09:00:00Z"])),
        }
        sessions.append(records.new_record("sessions", **fields))
    session_ids = st.sampled_from([*(s["id"] for s in sessions), "v-gone"])
    # A follow-up belongs to one visit for good: the same id in two files (a copy met in
    # both) names the same visit, as the column count expects.
    followups = [
        records.new_record(
            "followups",
            id=f"f-{n}-of-{session_id}",
            session_id=session_id,
            kind=draw(st.sampled_from(["callback", "aid_filed", "solution_check"])),
            status=draw(
                maybe(st.sampled_from(["todo", "in_progress", "done", "unreachable", "abandoned"]))
            ),
            solution_worked=draw(maybe(st.sampled_from(["yes", "no", "partly"]))),
            aid_id=draw(st.one_of(st.none(), st.sampled_from(["a-1", "a-2"]))),
            due_date=draw(DAY),
            deleted=draw(st.booleans()) and draw(st.booleans()),
        )
        for n, session_id in enumerate(draw(st.lists(session_ids, max_size=8 if sessions else 0)))
    ]
    actions = [
        records.new_record(
            "actions",
            id=f"p-{n}",
            client_id=draw(st.sampled_from(IDS)),
            status=draw(maybe(st.sampled_from(["todo", "in_progress", "done", "abandoned"]))),
            done_at=draw(DAY),
            updated_at=draw(DAY),
            deleted=draw(st.booleans()) and draw(st.booleans()),
        )
        for n in range(draw(st.integers(0, 6)))
    ]
    workshops = [
        records.new_record(
            "workshops",
            id=f"w-{n}",
            date=draw(DAY),
            duration_min=draw(st.one_of(st.none(), st.sampled_from([45, 90, 150]))),
            participants=[
                {"client_id": client_id, "attended": draw(st.sampled_from([True, False, None]))}
                for client_id in draw(st.lists(st.sampled_from(IDS), max_size=3))
            ],
            anonymous_count=draw(st.integers(0, 2)),
            mediators=draw(st.lists(st.sampled_from(["Léa", "Hugo"]), max_size=2)),
        )
        for n in range(draw(st.integers(0, 2)))
    ]
    aids = [records.new_record("aids", id="a-1", name="Chèque numérique")]
    tables = {
        "structures": structures,
        "clients": clients,
        "sessions": sessions,
        "followups": followups,
        "actions": actions,
        "workshops": workshops,
        "aids": aids,
    }
    return as_file(tables)


def as_file(tables: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """The records in the file's shape, with the schema's `meta`."""
    data: dict[str, dict[str, Any]] = {"meta": {"1": {"schema_version": records.SCHEMA_VERSION}}}
    for table, rows in tables.items():
        data[table] = {str(n): row for n, row in enumerate(rows, 1)}
    return data


PERIODS = st.builds(
    lambda start, end: (
        Period(min(start, end), max(start, end)) if start and end else Period(start, end)
    ),
    st.one_of(st.none(), st.sampled_from([date.fromisoformat(d) for d in DAYS])),
    st.one_of(st.none(), st.sampled_from([date.fromisoformat(d) for d in DAYS])),
)


# Filters other than the period, among the values the files hold (folded as the screen's:
# « aisne » matches « Aisne »), and one that matches nothing.
FILTERS = st.builds(
    lambda period, territory, commune, place, mediator: Filters(
        period, territory=territory, commune=commune, place=place, mediator=mediator
    ),
    PERIODS,
    st.sampled_from(["", "", "Pas-de-Calais", "aisne", "Nowhere"]),
    st.sampled_from(["", "", "Arras", "calais"]),
    st.sampled_from(["", "", "CCI", "Mairie", "Chez lui"]),
    st.sampled_from(["", "", "Léa", "hugo"]),
)


def ordinary(paths: list[Path], filters: Filters) -> Any:
    """The figures from every record rebuilt whole (each record of a folder from its
    newest copy, as by columns: `domain.copies`)."""
    return service.gather_whole(paths, filters, TODAY).figures


def write(folder: Path, name: str, data: dict[str, dict[str, Any]]) -> Path:
    path = folder / name
    path.write_bytes(file_format.dump(data))
    return path


@settings(max_examples=80, deadline=None)
@given(st.lists(a_file(), min_size=1, max_size=3), FILTERS)
def test_counting_by_columns_gives_the_figures_of_whole_records(
    files: list[dict[str, dict[str, Any]]], filters: Filters
) -> None:
    """Files of a folder share ids (copies of the same records, businesses met in several
    files), so what is counted once, and first and last assessments, are checked too;
    with the period, territory, commune, place and mediator filters."""
    with tempfile.TemporaryDirectory() as folder:
        paths = [write(Path(folder), f"laptop-{n}.json", data) for n, data in enumerate(files)]
        gathered = service.gather_by_columns(paths, filters, TODAY)
        assert gathered.read_by_columns == len(paths)
        assert gathered.figures == ordinary(paths, filters)


def test_the_hand_made_data_set_by_columns(tmp_path: Path) -> None:
    data = {**stats_data.build(), "meta": {"1": {"schema_version": records.SCHEMA_VERSION}}}
    path = write(tmp_path, "data.json", data)
    october = Filters(Period(date(2026, 10, 1), date(2026, 10, 31)))
    gathered = service.gather_by_columns([path], october, TODAY)
    assert gathered.read_by_columns == 1
    assert gathered.figures == ordinary([path], october)
    assert gathered.figures.total("accompaniments").value == "9"


@pytest.mark.parametrize("slice_bytes", [1, 150, 700, 4000])
def test_records_read_a_slice_at_a_time_give_the_same_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slice_bytes: int
) -> None:
    """The reader parses the records a slice of lines at a time, and finds where a table
    ends when a slice reaches past it: slices of one line up to several tables."""
    monkeypatch.setattr(stats_reader, "_SLICE", slice_bytes)
    data = {**stats_data.build(), "meta": {"1": {"schema_version": records.SCHEMA_VERSION}}}
    path = write(tmp_path, "data.json", data)
    october = Filters(Period(date(2026, 10, 1), date(2026, 10, 31)))
    gathered = service.gather_by_columns([path], october, TODAY)
    assert gathered.read_by_columns == 1
    assert gathered.figures == ordinary([path], october)
    assert gathered.figures.total("accompaniments").value == "9"


def test_texts_holding_the_layout_tables_name_before_it(tmp_path: Path) -> None:
    """The reader finds `~layout` by its « ~ »: a text of a table written whole before it
    (`meta`) holding « ~ » and even « "~layout":{ » is passed over."""
    data = {**stats_data.build(), "meta": {"1": {"schema_version": records.SCHEMA_VERSION}}}
    data["meta"]["1"]["written_by"] = '~ "~layout":{ ~'
    path = write(tmp_path, "data.json", data)
    assert path.read_bytes().index(b"~") < path.read_bytes().index(b'\n"~layout":{\n')
    october = Filters(Period(date(2026, 10, 1), date(2026, 10, 31)))
    gathered = service.gather_by_columns([path], october, TODAY)
    assert gathered.read_by_columns == 1
    assert gathered.figures == ordinary([path], october)


def a_big_file() -> dict[str, dict[str, Any]]:
    """More than 256 distinct values in counted fields (ids, businesses, dates, solutions,
    follow-ups' visits, actions' days), some records without them: indexes above 256,
    which the reader swaps for ints of its own."""
    axes = catalog().codes("maturity_dimensions")
    areas = catalog().codes("solution_areas")

    def day(n: int) -> str:  # 336 distinct days
        return f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}"

    clients = [
        records.new_record("clients", id=f"c-{n}", commune=f"Commune {n % 300}") for n in range(320)
    ]
    sessions = [
        records.new_record(
            "sessions",
            id=f"v-{n}",
            client_id=f"c-{n % 320}" if n % 13 else None,
            status="closed" if n % 7 else "in_progress",
            date=day(n) if n % 11 else "",
            duration_min=n % 130,
            solutions=[{"id": f"sol-{n}", "area": areas[n % len(areas)]}] if n % 3 else [],
            maturity={axes[0]: n % 5, axes[1]: (n // 5) % 5, axes[2]: (n // 25) % 5},
            deleted=n % 97 == 0,
        )
        for n in range(700)
    ]
    new = records.new_record
    followups = [
        new("followups", id=f"f-{n}", session_id=f"v-{n}", status="todo", due_date=day(n))
        for n in range(0, 700, 2)
    ]
    actions = [
        new("actions", id=f"p-{n}", status="done", done_at=day(n), updated_at=f"{day(n)}T10:00:00Z")
        for n in range(400)
    ]
    return as_file(
        {"clients": clients, "sessions": sessions, "followups": followups, "actions": actions}
    )


@pytest.mark.parametrize(
    "period", [Period(None, None), Period(date(2026, 3, 1), date(2026, 9, 30))], ids=str
)
def test_indexes_above_256_give_the_same_figures(tmp_path: Path, period: Period) -> None:
    path = write(tmp_path, "big.json", a_big_file())
    filters = Filters(period)
    gathered = service.gather_by_columns([path], filters, TODAY)
    assert gathered.read_by_columns == 1
    assert gathered.figures == ordinary([path], filters)


def test_an_index_above_256_off_its_column_is_read_the_ordinary_way(tmp_path: Path) -> None:
    """The reader meets it (not counting): the ordinary read says the file is damaged."""
    path = write(tmp_path, "big.json", a_big_file())
    raw = path.read_bytes()
    row = raw.index(b"\n", raw.index(b'"sessions":{\n') + 13) + 1
    first_field = raw.index(b'{"0":', row) + len(b'{"0":')
    index_end = raw.index(b",", first_field)
    damaged = raw[:first_field] + b"701" + raw[index_end:]  # ids 0..699: off its column
    path.write_bytes(damaged)
    assert stats_reader.read_columns(path, ActivityStats().columns_read, ()) is None
    with pytest.raises(service.DataFileError, match="abîmé"):
        service.gather([path], Filters(), TODAY)


def test_files_it_cannot_read_as_columns_are_read_whole(tmp_path: Path) -> None:
    """A journal beside the file (the app open): the ordinary read, the same figures;
    filters other than the period are counted by columns."""
    data = {**stats_data.build(), "meta": {"1": {"schema_version": records.SCHEMA_VERSION}}}
    october = Filters(Period(date(2026, 10, 1), date(2026, 10, 31)))
    with_journal = write(tmp_path, "open.json", data)
    late = records.new_record(
        "sessions", client_id="nobody", status="closed", date="2026-10-20", duration_min=45
    )
    journal_path(with_journal).write_bytes(encode_entry("sessions", "999", late))
    gathered = service.gather_by_columns([with_journal], october, TODAY)
    assert gathered.read_by_columns == 0
    assert gathered.figures.total("individual").value == "6"  # the 5 by hand, and this one
    assert service.gather([with_journal], october, TODAY).figures == gathered.figures
    plain = write(tmp_path, "plain.json", data)
    territory = Filters(october.period, territory="Pas-de-Calais")
    gathered = service.gather_by_columns([plain], territory, TODAY)
    assert gathered.read_by_columns == 1
    assert gathered.figures == ordinary([plain], territory)


def test_a_file_damaged_where_only_counting_looks_is_read_the_ordinary_way(
    tmp_path: Path,
) -> None:
    """An index off its column passes the reader's checks; counting meets it, and `gather`
    starts again the ordinary way, which says the file is damaged (in French)."""
    data = {**stats_data.build(), "meta": {"1": {"schema_version": records.SCHEMA_VERSION}}}
    path = write(tmp_path, "data.json", data)
    raw = path.read_bytes()
    sessions = raw.index(b'"sessions":{\n')
    first = raw.index(b"\n", sessions) + 1
    row_end = raw.index(b"}", first)
    damaged = raw[:row_end] + b',"17":9999' + raw[row_end:]  # a date index off its column
    path.write_bytes(damaged)
    with pytest.raises(service.DataFileError, match="abîmé"):
        service.gather([path], Filters(), TODAY)
