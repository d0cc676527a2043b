"""One validator for whole files: shapes, conflicts, bounds and counters (issue 15)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tpe_tui.domain.errors import DataFileError
from tpe_tui.domain.integrity import check_data
from tpe_tui.domain.records import new_record
from tpe_tui.domain.validation import bounds_problem, data_problems, record_problems
from tpe_tui.storage.file_format import parse_data
from tpe_tui.sync.registers import stamp


def _stored(table: str, **fields: Any) -> dict[str, Any]:
    record = stamp(table, None, new_record(table, **fields), "alpha", 1000, "2026-11-24T08:00:00Z")
    assert record is not None and record_problems(table, record) == []
    return record


def test_a_counter_past_2_to_the_53_is_refused_in_vv_and_dots() -> None:
    client = _stored("clients", name="Garage")
    assert record_problems("clients", {**client, "vv": {"alpha": 2**64 - 1}})
    dots = {"phone": ["alpha", 2**64 - 1, 1000]}
    assert record_problems("clients", {**client, "dots": dots})


def test_500_deep_nesting_is_found_without_recursion() -> None:
    deep: Any = "x"
    for _ in range(500):
        deep = [deep]
    client = _stored("clients", name="Garage")
    (problem,) = record_problems("clients", {**client, "notes": deep})
    assert "imbrication trop profonde" in problem
    assert bounds_problem(_stored("sessions", client_id="c")) is None


@pytest.mark.parametrize("version", [0, -5, "2", True])
def test_a_schema_version_that_is_not_an_int_from_1_is_a_french_error(version: Any) -> None:
    raw = json.dumps({"clients": {}, "meta": {"1": {"schema_version": version}}}).encode()
    with pytest.raises(DataFileError, match="schéma"):
        parse_data(raw, "f.json")


@pytest.mark.parametrize(
    "conflicts",
    ["texte", {"phone": "texte"}, {"phone": [["alpha"]]}, {"phone": [[["b", 1, 2], 7]]}, []],
)
def test_conflicts_of_the_wrong_shape_are_refused(conflicts: Any) -> None:
    client = _stored("clients", name="Garage")
    assert record_problems("clients", {**client, "conflicts": conflicts})


@pytest.mark.parametrize("name", ["deleted", "anonymised"])
def test_a_live_record_holding_a_deletion_as_a_conflict_is_refused(name: str) -> None:
    """A merge always shows a deletion or an erasure it holds: a file that hides one in
    `conflicts` behind a live record was made to delete or erase one of ours."""
    client = _stored("clients", name="Garage")
    hidden = {name: [[["zzzz", 1, 1], True]]}
    (problem,) = record_problems("clients", {**client, "conflicts": hidden})
    assert "valeur impossible" in problem
    shown = {**client, name: True, "conflicts": {name: [[["zzzz", 1, 1], False]]}}
    assert record_problems("clients", shown) == []


def test_conflicting_elements_are_checked_like_elements() -> None:
    client = _stored("clients", name="Garage")
    bad = {"contacts/p": [[["bravo", 1, 2000], "pas un objet"]]}
    assert record_problems("clients", {**client, "conflicts": bad})
    good = {"contacts/p": [[["bravo", 1, 2000], {"id": "p", "name": "Loïc"}]]}
    assert record_problems("clients", {**client, "conflicts": good}) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("solutions", ["Site vitrine"]),
        ("solutions", [{"id": "s", "title": 12}]),
        ("steps", {"welcome": "fait"}),
        ("redirections", [{"label": ["x"]}]),
        ("needs", [{"code": "x"}]),
        ("skills", {"a": "deux"}),
    ],
)
def test_check_finds_nested_shapes_that_would_break_a_summary(field: str, value: Any) -> None:
    client = _stored("clients", name="Garage")
    session = _stored("sessions", client_id=client["id"])
    data = {"clients": {"1": client}, "sessions": {"1": {**session, field: value}}}
    assert any(field in problem for problem in check_data(data))
    assert data_problems(data)


def test_a_sound_file_has_no_problem() -> None:
    client = _stored("clients", name="Garage", contacts=[{"id": "p", "name": "Loïc"}])
    session = _stored(
        "sessions",
        client_id=client["id"],
        solutions=[{"id": "s", "title": "Site", "area": None}],
        steps={"welcome": {"done": True, "note": ""}},
        skills={"a": 2, "b": None},
    )
    data = {
        "clients": {"1": client},
        "sessions": {"1": session},
        "meta": {"1": {"schema_version": 2}},
    }
    assert check_data(data) == [] and data_problems(data) == []


def test_a_value_shared_by_several_records_is_reported_in_each() -> None:
    """Values shared by records (as a compact file is read) are checked once, and a bad one
    is still reported for every record that holds it."""
    deep: Any = "x"
    for _ in range(20):
        deep = [deep]
    bad_steps = {"welcome": "fait"}
    client = _stored("clients", name="Garage")
    sound = _stored("sessions", client_id=client["id"])
    sessions = {
        "1": {**sound, "steps": bad_steps},
        "2": {**sound, "id": "b", "steps": bad_steps},
        "3": {**sound, "id": "c", "notes": deep},
        "4": {**sound, "id": "d", "notes": deep},
        "5": {**sound, "id": "e"},
    }
    found = data_problems({"clients": {"1": client}, "sessions": sessions})
    assert sorted(key for _, key, _ in found) == ["1", "2", "3", "4"]
    assert all("imbrication" in problem for _, key, problem in found if key in "34")
    lines = check_data({"clients": {"1": client}, "sessions": sessions})
    assert sum("étape" in line for line in lines) == 2
