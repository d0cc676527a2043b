"""The statistics' filters: one way to compare (case, accents, dashes, spaces aside), and a
value that matches nothing known refused in French with the closest known values
(finding NEW6-5: a typo gave a full report of zeros, rc 0, without a word)."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings

from tests import stats_data
from tests.unit.test_stats_columns import a_file
from tpe_tui.domain import records
from tpe_tui.domain.errors import UsageError
from tpe_tui.domain.filter_match import KnownValues, filter_key
from tpe_tui.domain.stats import TABLES_READ_WHOLE, ActivityStats, Filters, Period
from tpe_tui.services import stats as service
from tpe_tui.storage import file_format, stats_reader

OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))
TODAY = date(2026, 11, 27)


def test_case_accents_dashes_and_spaces_never_make_a_filter_miss() -> None:
    typed = [
        "Tiers-lieu La Fabrique - Calais",
        " tiers lieu  la fabrique – calais ",
        "TIERS-LIEU LA FABRIQUE — CALAIS",
    ]
    assert {filter_key(v) for v in typed} == {filter_key("Tiers-lieu La Fabrique – Calais")}
    assert filter_key("Léa Vasseur") == filter_key("lea  vasseur")
    assert filter_key("Soisson") != filter_key("Soissons")
    assert filter_key("--") == "--"  # punctuation only is still a filter, never « none »


def known() -> KnownValues:
    found = KnownValues()
    found.add_catalogue()
    found.add_records(stats_data.build())
    return found


@pytest.mark.parametrize(
    ("wanted", "said"),
    [
        (
            {"territory": "Soisson"},
            "Aucun territoire ne s’appelle « Soisson » ; vouliez-vous dire « Soissons » ?",
        ),
        (
            {"mediator": "Hugo"},
            "Aucun médiateur ne s’appelle « Hugo » ; vouliez-vous dire « Hugo Perrin » ?",
        ),
        (
            {"place": "La Fabrique"},
            "Aucun lieu ne s’appelle « La Fabrique » ; vouliez-vous dire « Tiers-lieu La Fabrique » ?",
        ),
        (
            {"mediator": "Zorro"},
            "Aucun médiateur ne s’appelle « Zorro » ; médiateurs connus : « Hugo Perrin », « Léa Vasseur ».",
        ),
        (  # the files' communes are listed, not the catalogue's 88
            {"commune": "Pariss"},
            "Aucune commune ne s’appelle « Pariss » ; communes connues : « Arras », « Calais », « Soissons ».",
        ),
    ],
)
def test_a_value_that_matches_nothing_known_is_refused_naming_the_closest(
    wanted: dict[str, str], said: str
) -> None:
    assert known().refusals(wanted) == [said]


def test_known_values_are_not_refused() -> None:
    found = known()
    typed = {"territory": "arras", "mediator": "lea vasseur", "place": "TIERS LIEU LA FABRIQUE"}
    assert found.refusals(typed) == []
    # The catalogue's: a real commune or territory with no activity gives its honest zeros.
    assert found.refusals({"commune": "Achicourt", "territory": "Calais"}) == []
    assert found.refusals({"territory": "Soisson", "mediator": "Hugo"})[1].startswith(
        "Aucun médiateur"
    )  # each filter refused says so


def _with_dashed_place() -> dict[str, Any]:
    data = {**stats_data.build(), "meta": {"1": {"schema_version": records.SCHEMA_VERSION}}}
    for structure in data["structures"].values():
        if structure["name"] == "Tiers-lieu La Fabrique":
            structure["name"] = "Tiers-lieu La Fabrique – Arras"  # an en dash nobody types
    return data


@pytest.mark.parametrize("layout", ["compact", "plain"])
def test_a_place_typed_with_a_hyphen_matches_its_en_dash_in_both_reads(
    tmp_path: Path, layout: str
) -> None:
    data = _with_dashed_place()
    path = tmp_path / "data.json"
    path.write_bytes(file_format.dump(data) if layout == "compact" else orjson.dumps(data))
    filters = Filters(OCTOBER, place="tiers-lieu la fabrique - arras")
    gathered = service.gather([path], filters, TODAY)
    assert gathered.read_by_columns == (1 if layout == "compact" else 0)
    assert gathered.figures.total("accompaniments").value == "5"  # A 01/10 and the workshop


@pytest.mark.parametrize("layout", ["compact", "plain"])
def test_a_typo_stops_the_report_and_the_export_in_both_reads(tmp_path: Path, layout: str) -> None:
    data = _with_dashed_place()
    path = tmp_path / "data.json"
    path.write_bytes(file_format.dump(data) if layout == "compact" else orjson.dumps(data))
    filters = Filters(OCTOBER, territory="Soisson")
    with pytest.raises(UsageError, match="vouliez-vous dire « Soissons »"):
        service.gather([path], filters, TODAY)
    target = tmp_path / "activites.xlsx"
    with pytest.raises(UsageError, match="Aucun territoire"):
        service.export([path], filters, target)
    assert not target.exists()


@settings(max_examples=40, deadline=None)
@given(a_file())
def test_the_values_known_by_columns_are_those_of_the_records(data: dict[str, Any]) -> None:
    """The column read learns the known values from each field's distinct values, the
    ordinary read from the records: the same refusals either way."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.json"
        path.write_bytes(file_format.dump(data))
        found = stats_reader.read_columns(
            path, ActivityStats(Filters()).columns_read, TABLES_READ_WHOLE
        )
        assert found is not None
        tables, whole = found
        by_columns = KnownValues()
        by_columns.add_distinct(tables["sessions"].values, tables["clients"].values, whole)
        by_records = KnownValues()
        by_records.add_records(file_format.open_readonly(path))
        assert by_columns.values == by_records.values
