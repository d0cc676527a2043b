"""The step rules, without any screen."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tpe_tui.domain import accompaniment
from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.records import new_record


def _session(**fields):
    return new_record("sessions", **fields)


def test_only_date_duration_and_one_need_are_required_to_close() -> None:
    session = _session(date="", duration_min=None, needs=[])
    assert accompaniment.missing_to_close(session) == ["la date", "la durée", "au moins un besoin"]
    session.update(date="2026-11-20", duration_min=30, needs=["online_presence"])
    assert accompaniment.missing_to_close(session) == []


def test_a_redirected_session_closes_without_a_need() -> None:
    session = _session(date="2026-11-20", duration_min=15, close_reason="redirected")
    assert accompaniment.missing_to_close(session) == []


def test_closing_sets_status_reason_and_time() -> None:
    session = accompaniment.close(_session(status="in_progress"), "redirected")
    assert session["status"] == "closed" and session["close_reason"] == "redirected"
    assert session["closed_at"].endswith("Z")


def test_fewer_than_two_solutions_gives_a_gentle_reminder() -> None:
    one = _session(solutions=[{"title": "Site vitrine"}, {"title": "  "}])
    two = _session(solutions=[{"title": "Site vitrine"}, {"title": "Place de marché"}])
    assert any("deux solutions" in r for r in accompaniment.solution_reminders(one))
    assert not any("deux solutions" in r for r in accompaniment.solution_reminders(two))
    assert any("neutre" in r for r in accompaniment.solution_reminders(two))  # always


def test_synthesis_is_prefilled_from_request_needs_and_solutions_with_labels() -> None:
    session = _session(
        request_rephrased="Être trouvé en ligne",
        needs=["online_presence", "admin_procedures"],
        solutions=[{"title": "Fiche d’établissement", "pros": "gratuit", "cons": "avis à gérer"}],
    )
    text = accompaniment.prefill_synthesis(session)
    assert "Être trouvé en ligne" in text
    assert "Améliorer la présence en ligne" in text and "online_presence" not in text
    assert "- Fiche d’établissement (+ gratuit) (– avis à gérer)" in text


def test_prefill_never_replaces_a_written_synthesis() -> None:
    """NEW5-5: the generated text fills an empty or untouched box, goes below written text."""
    fill = accompaniment.synthesis_prefill
    assert fill("", "Demande : X", "") == fill("  \n", "Demande : X", "")
    assert (fill("", "Demande : X").text, fill("", "Demande : X").replace) == ("Demande : X", True)
    assert fill("Demande : X", "Demande : Y", "Demande : X").replace  # nobody wrote in it
    added = fill("Mon texte", "Demande : Y", "Demande : X")
    assert (added.text, added.replace) == ("\n\nDemande : Y", False)
    assert fill("Mon texte\n", "Demande : Y").text == "\nDemande : Y"
    assert fill("Mon texte\nDemande : Y", "Demande : Y").text == ""  # already there
    assert fill("Mon texte", "  ").text == ""  # nothing to add: nothing wiped either


def test_a_visit_starts_with_the_first_named_person_who_agreed() -> None:
    """NEW5-6: one rule for step 2's pick and a visit started from the business's file."""
    agreed = {"given": True, "date": "2026-01-05"}
    client = {
        "contacts": [
            {"id": "anon", "name": "", "role": "employee", "consent": {"given": False}},
            {"id": "paul", "name": "Paul", "role": "employee", "consent": {"given": False}},
            {"id": "marie", "name": "Marie", "role": "owner", "consent": agreed},
        ]
    }
    session: dict[str, object] = {"contact_id": "x", "interlocutor_role": "other"}
    accompaniment.meet_known_person(session, client)
    assert session == {"contact_id": "marie", "interlocutor_role": "owner"}
    accompaniment.meet_known_person(session, {"contacts": client["contacts"][:2]})
    assert session == {"contact_id": None, "interlocutor_role": None}


def test_the_title_keeps_the_count_of_steps_whole_and_cuts_the_name() -> None:
    """NEW5-2: at 80 columns the name is cut with « … », « 7/14 étapes » stays whole."""
    line = accompaniment.title_line(
        "Boulangerie Girard (Soissons)", "28/11/2026", "En cours", "7/14 étapes", 80
    )
    assert line == " Accompagnement · Boulangerie Girard… · 28/11/2026 · En cours · 7/14 étapes"
    assert len(line) <= 80
    wide = accompaniment.title_line(
        "Boulangerie Girard (Soissons)", "28/11/2026", "En cours", "7/14 étapes", 120
    )
    assert "Boulangerie Girard (Soissons) · " in wide
    narrow = accompaniment.title_line("Nom", "28/11/2026", "Clôturé", "14/14 étapes", 40)
    assert narrow.endswith("14/14 étapes")


def test_followups_come_from_callback_deadline_and_to_find_out_once() -> None:
    session = _session(
        client_id="c1",
        date="2026-11-20",
        callback_wanted=True,
        callback_date="2026-12-04",
        deadline="2026-12-15",
        deadline_note="déclaration de TVA",
        to_find_out=["tarif du registre", ""],
    )
    created = accompaniment.followups_for(session, [])
    kinds = sorted((f["kind"], f["due_date"]) for f in created)
    assert kinds == [
        ("callback", "2026-12-04"),
        ("deadline", "2026-12-15"),
        ("to_find_out", "2026-12-04"),
    ]
    assert all(f["session_id"] == session["id"] and f["client_id"] == "c1" for f in created)
    assert "déclaration de TVA" in next(f for f in created if f["kind"] == "deadline")["reason"]
    assert accompaniment.followups_for(session, created) == []  # closing twice adds nothing


def test_no_callback_without_a_date() -> None:
    assert accompaniment.followups_for(_session(callback_wanted=True, callback_date=""), []) == []


def test_structure_suggestions_put_the_right_chamber_and_territory_first() -> None:
    structures = [
        {"id": "1", "name": "CCI Arras", "kind": "cci", "territory": "Arras"},
        {"id": "2", "name": "CMA Calais", "kind": "cma", "territory": "Calais"},
        {"id": "3", "name": "CMA Arras", "kind": "cma", "territory": "Arras"},
        {"id": "4", "name": "Vieille CMA", "kind": "cma", "territory": "Arras", "deleted": True},
    ]
    craft = {"activity_kind": "craft", "territory": "Arras"}
    assert [s["id"] for s in accompaniment.suggest_structures(craft, structures)] == ["3", "2", "1"]
    shop = {"activity_kind": "commercial", "territory": "Calais"}
    assert accompaniment.suggest_structures(shop, structures)[0]["id"] == "1"


def test_previous_assessments_are_the_clients_other_sessions_newest_first() -> None:
    sessions = [
        {"id": "a", "client_id": "c", "date": "2025-01-10", "skills": {"x": 2}},
        {"id": "b", "client_id": "c", "date": "2026-03-01", "maturity": {"y": 1}},
        {"id": "c", "client_id": "c", "date": "2026-11-20", "skills": {"x": 3}},  # current
        {"id": "d", "client_id": "other", "date": "2026-01-01", "skills": {"x": 1}},
        {"id": "e", "client_id": "c", "date": "2026-05-01", "skills": {"x": None}},  # not assessed
    ]
    assert [s["id"] for s in accompaniment.previous_assessments("c", sessions, "c")] == ["b", "a"]


def test_a_step_is_done_when_marked_or_when_all_its_fields_are_filled() -> None:
    session = _session(request_said="", request_rephrased="")
    assert not accompaniment.step_is_done(session, "request")
    session.update(request_said="dit", request_rephrased="reformulé")
    assert accompaniment.step_is_done(session, "request")
    accompaniment.mark_step(session, "missions", True)
    assert accompaniment.step_is_done(session, "missions")
    assert accompaniment.progress(session)[0] == 2 and accompaniment.progress(session)[1] == len(
        catalog().steps
    )


def test_a_new_session_is_blank_until_something_is_typed() -> None:
    session = _session(date="2026-11-20", mediator="Camille", status="draft")
    assert accompaniment.is_blank(session)
    accompaniment.mark_step(session, "welcome", False)
    assert accompaniment.is_blank(session)
    session["duration_min"] = 30
    assert not accompaniment.is_blank(session)


def test_a_place_label_or_a_territory_typed_alone_is_worth_saving() -> None:
    for name in ("place_label", "territory"):
        session = _session(date="2026-11-20", mediator="Camille", status="draft")
        session[name] = "Médiathèque d’Arras"
        assert not accompaniment.is_blank(session), name


def _typed_value(default):
    """A value a person could have put in a field of this default."""
    if isinstance(default, bool):
        return not default
    if isinstance(default, int) or default is None:
        return 3 if default is not None else "x"
    if isinstance(default, list):
        return ["x"]
    if isinstance(default, dict):
        return {"x": "y"}
    return "x"


def test_any_field_typed_makes_a_session_worth_saving_but_what_it_starts_with() -> None:
    from tpe_tui.domain.records import FIELDS

    for field in FIELDS["sessions"]:
        session = _session(date="2026-11-20", mediator="Camille", status="draft")
        assert accompaniment.is_blank(session)
        if field.name == "steps":
            continue
        session[field.name] = _typed_value(field.default)
        expected = field.name in accompaniment.PREFILLED_FIELDS
        assert accompaniment.is_blank(session) is expected, field.name
        session[field.name] = "" if isinstance(field.default, str | type(None)) else field.default
        assert accompaniment.is_blank(session), field.name  # typed then erased


@given(st.one_of(st.none(), st.integers(1, 4)))
def test_bars_read_without_colour(level) -> None:
    text = accompaniment.bar(level, width=4)
    if level is None:
        assert "non évalué" in text
    else:
        assert text.count("█") == level and text.endswith(f"{level}/4")


def test_step_hints_never_leave_a_punctuation_mark_alone_on_a_line() -> None:
    """A hint wraps in the 51 columns beside the step list at 80x24; French puts a space
    before « ? », so « ? » must never be the word that goes to the next line."""
    import textwrap

    from tpe_tui.domain.catalog import catalog

    for step in catalog().steps:
        for width in (51,):
            lines = textwrap.wrap(step.hint, width)
            assert not any(line[:1] in "?!:;»" for line in lines[1:]), (step.code, lines)
