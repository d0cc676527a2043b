"""Activity figures: a hand-made data set checked by hand, periods, buckets, percentages."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests import stats_data
from tpe_tui.domain.headcount import headcount_band
from tpe_tui.domain.stats import (
    DEFINITIONS,
    ActivityStats,
    Filters,
    Period,
    duration_bucket,
    gather,
    largest_remainder,
    month_period,
    named_period,
)

OCTOBER = Filters(Period(date(2026, 10, 1), date(2026, 10, 31)))
TODAY = date.fromisoformat(stats_data.TODAY)


def figures(filters: Filters = OCTOBER, copies: int = 1):
    data = stats_data.build()
    return gather([(f"file{i}", data) for i in range(copies)], filters, TODAY)


def rows(section) -> list[tuple[str, int, int]]:
    return [(r.label, r.count, r.percent) for r in section.rows]


def test_totals_of_the_hand_made_data_set() -> None:
    f = figures()
    values = {t.key: t.value for t in f.totals}
    # A 01/10, B 10/10 and 31/10, C 15/10, D 05/10: both ends of the period are inside.
    assert values["individual"] == "5"
    # The workshop of 20/10, as the national tool counts it: C and E came, B was marked
    # absent, two anonymous participants.
    assert values["collective"] == "4" and values["anonymous"] == "2"
    assert values["workshops"] == "1"
    assert values["accompaniments"] == "9"  # 5 + 4
    assert values["in_progress"] == "1"  # C's session of 20/10; D's draft is in September
    assert values["businesses"] == "5"  # A, B, C, D and E (anonymous people are none)
    # A was accompanied on 15/09, E came to the workshop of 10/09: followed. B, C, D start
    # in October: new (D's draft of September is no accompaniment).
    assert values["new"] == "3" and values["followed"] == "2"
    assert values["hours"] == "6 h 28"  # 30 + 60 + 29 + 120 + 59 = 298 min, + 90 once
    assert values["per_business"] == "1,4"  # (5 individual + C and E at the workshop) / 5
    assert values["redirection_rate"] == "20 %"  # C's session, 1 of 5 individual ones


def test_duration_buckets_at_their_bounds() -> None:
    assert [duration_bucket(m) for m in (0, 29, 30, 59, 60, 119, 120, 600)] == [
        "lt30", "lt30", "30to60", "30to60", "60to120", "60to120", "ge120", "ge120",
    ]  # fmt: skip
    assert duration_bucket(None) is None
    # 29 -> < 30; 30 and 59 -> 30 min–1 h; 60 -> 1–2 h; 120 -> ≥ 2 h
    # Activities, as the national tool counts durations: the workshop (90 min) once.
    # 1/6, 2/6, 2/6, 1/6: floors 16 + 33 + 33 + 16 = 98; the two points left go to the
    # largest remainders (4/6 for the rows of 1), the earlier first.
    assert rows(figures().section("durations")) == [
        ("Moins de 30 min", 1, 17),
        ("30 min à 1 h", 2, 33),
        ("1 h à 2 h", 2, 33),
        ("2 h et plus", 1, 17),
    ]


def test_largest_remainder_by_hand() -> None:
    assert largest_remainder([1, 1, 1]) == [34, 33, 33]
    assert largest_remainder([2, 1]) == [67, 33]
    assert largest_remainder([1, 1, 1, 1, 1, 1, 1]) == [15, 15, 14, 14, 14, 14, 14]
    assert largest_remainder([0, 0]) == [0, 0]
    assert largest_remainder([]) == []


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=30))
def test_largest_remainder_adds_up_and_stays_within_one_point(counts: list[int]) -> None:
    percents = largest_remainder(counts)
    total = sum(counts)
    if total == 0:
        assert percents == [0] * len(counts)
        return
    assert sum(percents) == 100
    for count, percent in zip(counts, percents, strict=True):
        assert abs(percent - count * 100 / total) < 1


def test_every_section_adds_up_to_100_unless_it_has_a_base() -> None:
    for section in figures().sections:
        if section.base is None and section.total:
            assert sum(r.percent for r in section.rows) == 100, section.key


def test_breakdowns_by_hand() -> None:
    f = figures()
    assert rows(f.section("place_kinds")) == [
        ("Tiers-lieu", 3, 60),
        ("Locaux de l’entreprise", 1, 20),
        ("À distance", 1, 20),
    ]
    headcount = {label: count for label, count, _ in rows(f.section("headcount"))}
    assert headcount == {
        "0 salarié": 1,
        "1 à 4": 0,
        "5 à 9": 2,
        "10 et plus": 1,
        "Non renseigné": 1,
    }
    assert rows(f.section("redirect_kinds")) == [
        ("CCI (chambre de commerce et d’industrie)", 1, 100)
    ]
    # C's follow-up and two « dossier déposé ? » done; B's callback and cheque overdue.
    assert rows(f.section("followups"))[:2] == [("Faits", 3, 60), ("En retard", 2, 40)]
    # « Dossier déposé ? » answers are not about a solution working.
    assert rows(f.section("solution_worked")) == [("Oui", 1, 100)]
    # Léa Vasseur: D's session and the workshop's four participants.
    assert rows(f.section("mediators")) == [("Léa Vasseur", 5, 56), ("Hugo Perrin", 4, 44)]
    extras = [r.extra for r in f.section("mediators").rows]
    assert extras == ["2 h 29", "3 h 59"]  # 59 + 90 (the workshop once); 30 + 60 + 29 + 120
    assert rows(f.section("types")) == [("Individuels", 5, 56), ("Collectifs (ateliers)", 4, 44)]
    per_day = rows(f.section("per_period"))  # a month: bars per day
    assert per_day[0] == ("01/10", 1, 11) and ("20/10", 4, 45) in per_day
    assert rows(f.section("needs")) == [
        # 1/6, 4/6, 1/6: floors 16 + 66 + 16 = 98; equal remainders, so the two points left
        # go to the larger count, then to the earlier row.
        ("Faire des démarches administratives en ligne", 1, 17),
        ("Améliorer la présence en ligne", 4, 67),
        ("Améliorer les outils internes et d’équipe", 1, 16),
    ]
    assert rows(f.section("pix_areas")) == [("Informations et données", 1, 100)]


def test_maturity_and_autonomy_first_to_last() -> None:
    f = figures()
    # Only B was assessed twice: online presence 1 -> 3.
    assert rows(f.section("maturity")) == [
        ("En progrès", 1, 100),
        ("Stables", 0, 0),
        ("En recul", 0, 0),
    ]
    axes = {label: (count, pct) for label, count, pct in rows(f.section("maturity_axes"))}
    assert axes["Présence en ligne"] == (1, 100) and axes["Vente en ligne"] == (0, 0)
    # B: fully accompanied -> autonomous. C has one rating only.
    assert rows(f.section("autonomy"))[0] == ("Plus autonome", 1, 100)


def test_filters_territory_and_mediator() -> None:
    arras = figures(Filters(OCTOBER.period, territory="arras"))
    assert arras.total("accompaniments").value == "6"  # A 01/10, D 05/10, the workshop's 4
    lea = figures(Filters(OCTOBER.period, mediator="Léa Vasseur"))
    assert lea.total("accompaniments").value == "5"  # D 05/10 and the workshop
    assert lea.total("actions_done").value == "0"  # B's action has no visit by her
    place = figures(Filters(OCTOBER.period, place="Tiers-lieu La Fabrique"))
    assert place.total("accompaniments").value == "5"  # A 01/10 and the workshop
    calais = figures(Filters(OCTOBER.period, territory="Calais"))
    assert calais.total("actions_done").value == "1"  # B's, a business of Calais


def test_a_session_in_several_files_counts_once() -> None:
    once, twice = figures(), figures(copies=3)
    assert [t.value for t in once.totals] == [t.value for t in twice.totals]
    assert twice.sources == ["file0", "file1", "file2"]


def test_without_a_period_every_business_is_new_and_months_are_drawn() -> None:
    f = figures(Filters())
    assert f.total("individual").value == "7"  # + A 15/09 and C 01/11
    assert f.total("collective").value == "6"  # + E and one anonymous person on 10/09
    assert f.total("accompaniments").value == "13"
    assert f.total("new").value == "5"
    assert [r.label for r in f.section("per_period").rows] == [
        "sept. 2026",
        "oct. 2026",
        "nov. 2026",
    ]


def test_periods() -> None:
    assert month_period(date(2026, 1, 15), 1) == Period(date(2025, 12, 1), date(2025, 12, 31))
    assert month_period(date(2026, 2, 10)) == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert named_period("this_year", TODAY) == Period(date(2026, 1, 1), date(2026, 12, 31))
    assert named_period("all", TODAY) == Period()
    assert Period(date(2026, 10, 1), date(2026, 10, 31)).contains("2026-10-31T23:00:00Z")
    assert not Period(date(2026, 10, 1), date(2026, 10, 31)).contains("")
    with pytest.raises(ValueError):
        Period(date(2026, 10, 2), date(2026, 10, 1))


def test_headcount_bands() -> None:
    assert [headcount_band({"employees": n}) for n in (0, 1, 4, 5, 9, 10)] == [
        "0", "1-4", "1-4", "5-9", "5-9", "10+",
    ]  # fmt: skip
    assert headcount_band({"size": "alone"}) == "0"
    assert headcount_band({"size": "employees"}) is None


def test_every_figure_has_a_definition() -> None:
    f = figures()
    for item in [*f.totals, *f.sections]:
        assert item.definition and item.definition == DEFINITIONS[item.key]


def test_accumulator_keeps_no_records() -> None:
    stats = ActivityStats(OCTOBER, TODAY)
    stats.add_data(stats_data.build())
    held = [v for v in vars(stats).values() if isinstance(v, dict)]
    for mapping in held:
        for value in mapping.values():
            assert not (isinstance(value, dict) and "id" in value)


def test_a_closed_session_without_a_date_counts_only_without_a_period() -> None:
    data = stats_data.build()
    undated = next(iter(data["sessions"].values()))  # A's of 15/09
    del undated["date"]  # a sparse record, or one from an older laptop
    assert figures_of(data, Filters()).total("individual").value == "7"  # still counted
    months = {r.label: r.count for r in figures_of(data, Filters()).section("per_period").rows}
    assert months["Non renseigné"] == 1
    assert figures_of(data, OCTOBER).total("individual").value == "5"


def figures_of(data, filters: Filters):
    return gather([("", data)], filters, TODAY)


def test_aids_proposed_and_applied_by_hand() -> None:
    f = figures()
    # C's session proposes the cheque and the loan, B's the cheque (A's is in September);
    # only C's cheque has its « dossier déposé ? » answered yes.
    assert f.total("aids_proposed").value == "3" and f.total("aids_applied").value == "1"
    aids = f.section("aids")
    assert rows(aids) == [("Chèque numérique", 2, 67), ("Prêt d’honneur", 1, 33)]
    assert [r.extra for r in aids.rows] == ["1 dossier(s) déposé(s)", "0 dossier(s) déposé(s)"]


def test_plan_actions_by_status_in_the_period() -> None:
    f = figures()
    # B's done on 31/10; C's in progress and abandoned, changed in October; A's was done
    # in September and D's changed in November; the deleted one never counts.
    assert rows(f.section("actions")) == [
        ("Faites", 1, 34),
        ("En cours", 1, 33),
        ("À faire", 0, 0),
        ("Abandonnées", 1, 33),
    ]
    assert f.total("actions_done").value == "1"
    everything = figures(Filters())
    assert [r.count for r in everything.section("actions").rows] == [2, 1, 1, 1]


def test_a_business_first_seen_at_a_workshop_is_new_then_followed() -> None:
    september = figures(Filters(Period(date(2026, 9, 1), date(2026, 9, 30))))
    # A (15/09) and E (workshop of 10/09) are new in September; one anonymous person.
    assert september.total("businesses").value == "2" and september.total("new").value == "2"
    assert september.total("collective").value == "2"
    assert september.total("anonymous").value == "1"
    october = figures()
    assert october.total("followed").value == "2"  # A and E


def test_a_workshop_in_several_files_counts_once() -> None:
    once, twice = figures(), figures(copies=2)
    for key in ("collective", "workshops", "aids_proposed", "aids_applied", "actions_done"):
        assert once.total(key).value == twice.total(key).value, key


def test_visits_at_the_premises_and_remote_are_places_not_unknown(tmp_path) -> None:
    """Finding NEW6-9: « Lieux » counted them « Non renseigné » (49 % at 10k) while every
    one has its place kind; by columns as by records, and the place filter finds them."""
    from tpe_tui.domain import records
    from tpe_tui.services import stats as service
    from tpe_tui.storage import file_format

    expected = [
        ("Tiers-lieu La Fabrique", 5, 56),
        ("À distance", 1, 11),  # C 15/10
        ("Locaux de l’entreprise", 1, 11),  # B 31/10
        ("Non renseigné", 2, 22),  # kind tiers-lieu, no place chosen
    ]
    assert rows(figures().section("places")) == expected
    path = tmp_path / "data.json"
    data = {**stats_data.build(), "meta": {"1": {"schema_version": records.SCHEMA_VERSION}}}
    path.write_bytes(file_format.dump(data))
    by_columns = service.gather_by_columns([path], OCTOBER, TODAY)
    assert by_columns.read_by_columns == 1
    assert rows(by_columns.figures.section("places")) == expected
    remote = Filters(OCTOBER.period, place="a distance")
    assert figures(remote).total("accompaniments").value == "1"
    assert service.gather([path], remote, TODAY).figures.total("accompaniments").value == "1"
