"""The compact file layout (schema 3): what is written is what is read, whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import add_client, add_session, open_store, read_data
from tpe_tui.domain import records
from tpe_tui.domain.errors import DataFileError
from tpe_tui.storage import compact, file_format, migrations
from tpe_tui.storage.backups import list_backups

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)


@st.composite
def stored_records(draw: st.DrawFn, table: str) -> dict[str, Any]:
    """A record as the store may hold it: any subset of its fields (defaults often), any
    JSON in them, fields this program does not know, field-level bookkeeping."""
    record: dict[str, Any] = {"id": draw(st.uuids()).hex}
    for field in records.FIELDS[table]:
        choice = draw(st.integers(0, 3))
        if choice == 1:
            record[field.name] = field.default
        elif choice == 2:
            record[field.name] = draw(JSON_VALUES)
        elif choice == 3 and field.merge in ("map", "by_id"):
            element = st.dictionaries(st.sampled_from(["id", "title", "done", "note"]), JSON_VALUES)
            kind = (
                st.dictionaries(st.text(max_size=5), element)
                if field.merge == "map"
                else st.lists(element, max_size=3)
            )
            record[field.name] = draw(kind)
    record.update(draw(st.dictionaries(st.text(min_size=1, max_size=6), JSON_VALUES, max_size=2)))
    device = draw(st.sampled_from(["alpha", "bravo"]))
    record["vv"] = {device: draw(st.integers(1, 9))}
    record["dot"] = [device, 1, draw(st.integers(0, 2**40))]
    if draw(st.booleans()):
        record["dots"] = {"notes": [device, 2, 5]}
    return record


def _file_of(tables: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {"meta": {"1": {"schema_version": records.SCHEMA_VERSION}}, **tables}


@settings(max_examples=50, deadline=None)
@given(
    st.lists(stored_records("sessions"), max_size=5),
    st.lists(stored_records("clients"), max_size=5),
    st.integers(1, 4),
)
def test_write_then_read_gives_every_record_whole(
    sessions: list[dict[str, Any]], clients: list[dict[str, Any]], per_slice: int
) -> None:
    data = _file_of(
        {
            "sessions": {str(n): r for n, r in enumerate(sessions, 1)},
            "clients": {str(n): r for n, r in enumerate(clients, 1)},
        }
    )
    raw = b"".join(file_format.dump_lines(data, per_slice))
    assert raw == file_format.dump(data)
    read = file_format.parse_data(raw, "test", by_document=True)
    for table in ("sessions", "clients"):
        whole = {key: {**compact.defaults(table), **r} for key, r in data[table].items()}
        assert read[table] == whole
    assert read["meta"] == data["meta"] and compact.LAYOUT_TABLE not in read
    if sessions or clients:  # plain JSON: any TinyDB reader opens it
        assert orjson.loads(raw)[compact.LAYOUT_TABLE]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(stored_records("sessions"), min_size=1, max_size=6),
    st.lists(
        st.tuples(st.integers(0, 5), st.sampled_from(["notes", "steps", "solutions", "status"])),
        max_size=6,
    ),
    st.lists(JSON_VALUES, min_size=1, max_size=3),
    st.integers(1, 3),
)
def test_records_edited_after_reading_are_written_as_edited(
    sessions: list[dict[str, Any]],
    edits: list[tuple[int, str]],
    new_values: list[Any],
    per_slice: int,
) -> None:
    """Values are found again by identity while a file is written (records read from it
    share them): a record edited after reading (copy on write, new objects, some equal in
    content to values other records hold, some the very objects of another record) is
    written with its new values, never with what it held when read."""
    data = _file_of({"sessions": {str(n): r for n, r in enumerate(sessions, 1)}})
    read = file_format.parse_data(file_format.dump(data), "test")
    rows = read["sessions"]
    expected = {key: dict(record) for key, record in rows.items()}
    keys = list(rows)
    for n, (which, name) in enumerate(edits):
        key = keys[which % len(keys)]
        donor = rows[keys[(which + 1) % len(keys)]]
        value = new_values[n % len(new_values)]
        if n % 3 == 0:  # an equal value, as a new object (a string built, not interned)
            value = orjson.loads(orjson.dumps(donor.get(name)))
        elif n % 3 == 1:  # the donor's own object
            value = donor.get(name)
        rows[key] = {**rows[key], name: value}  # copy on write, as the store does
        expected[key] = {**expected[key], name: value}
    raw = b"".join(file_format.dump_lines(read, per_slice))
    again = file_format.parse_data(raw, "test", by_document=True)
    assert again["sessions"] == expected
    assert b"".join(file_format.dump_lines(again, per_slice)) == raw


def test_defaults_are_not_written_and_values_are_written_once(tmp_path: Path) -> None:
    solution = {"id": "s1", "title": "Fiche Google", "pros": "Gratuit"}
    sessions = {
        str(n): {
            **records.new_record("sessions", territory="Arras", solutions=[solution]),
            "vv": {"alpha": 1},
            "dot": ["alpha", 1, n],
        }
        for n in range(1, 51)
    }
    raw = file_format.dump(_file_of({"sessions": sessions}))
    assert raw.count(b"Arras") == 1 and raw.count(b"Fiche Google") == 1
    assert raw.count(b"close_reason") == 2  # in the layout's names and defaults alone
    packed = orjson.loads(raw)["sessions"]["1"]
    # id, created_at, updated_at, vv, dot, territory, solutions: the others are defaults.
    assert len(packed) == 7
    read = file_format.parse_data(raw, "test")["sessions"]
    # Read back as one shared object: 50 sessions hold one copy of the same text.
    assert read["1"]["solutions"] is read["2"]["solutions"]
    assert read["1"]["territory"] is read["50"]["territory"]
    assert read["7"] == sessions["7"]


def test_a_damaged_layout_is_refused_in_french() -> None:
    data = _file_of({"clients": {"1": {**records.new_record("clients", name="A"), "vv": {}}}})
    parsed = orjson.loads(file_format.dump(data))
    parsed["clients"]["1"]["0"] = 99  # the id's index points past its values
    with pytest.raises(DataFileError, match="abîmé"):
        file_format.parse_data(orjson.dumps(parsed), "donnees.json")
    del parsed[compact.LAYOUT_TABLE]["2"]
    with pytest.raises(DataFileError, match="abîmé"):
        file_format.parse_data(orjson.dumps(parsed), "donnees.json")


def test_a_schema_2_file_is_migrated_with_a_backup_and_an_older_app_refuses_it(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(db) as store:
        client = add_client(store, "Garage Caron")
        add_session(store, client["id"], status="in_progress")
    whole = read_data(db)
    whole["meta"]["1"]["schema_version"] = 2
    db.write_bytes(orjson.dumps(whole))  # as schema 2 wrote it: whole records
    before = db.read_bytes()
    with open_store(db) as store:
        assert migrations.schema_of(store.data) == 3
        assert store.get("clients", client["id"])["name"] == "Garage Caron"
    (backup,) = [p for p in list_backups(db) if "before-migration-2" in p.name]
    assert backup.read_bytes() == before
    assert compact.LAYOUT_TABLE in orjson.loads(db.read_bytes())  # rewritten compact
    assert read_data(db)["clients"] == whole["clients"]
    monkeypatch.setattr(records, "SCHEMA_VERSION", 2)  # an app not yet updated
    with pytest.raises(DataFileError, match="plus récente"):
        read_data(db)
