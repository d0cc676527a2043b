"""Form fields carry their field and convert their value both ways; every data widget of
the accompaniment and of the record forms is such a field, of a field the records know."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, get_type_hints

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Checkbox, Input, RadioButton, RadioSet, Select, SelectionList, TextArea

from tests.ui_helpers import make_app, settle, type_text
from tpe_tui.domain import types
from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.records import CONSENT_WORDING, FIELDS, ValidationError, clean_phone
from tpe_tui.ui.screens.accompaniment.screen import AccompanimentScreen
from tpe_tui.ui.widgets import forms
from tpe_tui.ui.widgets.forms import (
    ChoiceSet,
    FieldPath,
    FormField,
    LinesBox,
    ScoreSelect,
    TextInput,
    TickList,
)
from tpe_tui.ui.widgets.steps import ConsentBox
from tpe_tui.ui.widgets.value_inputs import CountInput, DateInput, ListInput, MinutesInput


class Fields(App[None]):
    def __init__(self, *fields: Widget) -> None:
        super().__init__()
        self.fields = fields

    def compose(self) -> ComposeResult:
        yield from self.fields


SHOWN_AND_READ: list[tuple[Callable[[], FormField], Any, Any]] = [
    # (a field, a record value, what the field shows)
    (lambda: MinutesInput("duration_min"), 90, "90"),
    (lambda: MinutesInput("duration_min"), None, ""),
    (lambda: DateInput("date"), "2026-11-20", "20/11/2026"),
    (lambda: DateInput("date"), "", ""),
    (lambda: CountInput("employees"), 12, "12"),
    (lambda: ListInput("territories"), ["Arras", "Lens"], "Arras, Lens"),
    (lambda: TextInput("phone", check=clean_phone), "03 21 00 00 00", "03 21 00 00 00"),
    (lambda: LinesBox("to_find_out"), ["le loyer", "le bail"], "le loyer\nle bail"),
    (lambda: ScoreSelect(FieldPath("skills", key="a"), [("1", "1"), ("3", "3")]), 3, "3"),
    (lambda: ChoiceSet("right_place", [("Oui", True), ("Non", False)]), False, ["Non"]),
    (lambda: ChoiceSet("answered", [("Oui", "yes"), ("Non", "no")]), "yes", ["Oui"]),
    (
        lambda: TickList("needs", ("Site", "website"), ("Compta", "accounting")),
        ["accounting"],
        None,
    ),
]


def _shown(widget: Widget) -> Any:
    if isinstance(widget, Input | Select):
        return widget.value
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, RadioSet):
        return [str(button.label) for button in widget.query(RadioButton) if button.value]
    return None


@pytest.mark.parametrize(("make", "value", "shown"), SHOWN_AND_READ)
async def test_a_field_shows_a_record_value_and_gives_it_back(
    make: Callable[[], FormField], value: Any, shown: Any
) -> None:
    field = make()
    async with Fields(field).run_test() as pilot:
        forms.write(field, value)
        await pilot.pause()
        if shown is not None:
            assert _shown(field) == shown
        assert forms.read(field) == value


async def test_typed_text_is_converted_or_refused_in_french() -> None:
    date, minutes = DateInput("date"), MinutesInput("duration_min")
    async with Fields(date, minutes).run_test() as pilot:
        date.focus()
        await type_text(pilot, "2/12/2026")
        assert forms.read(date) == "2026-12-02"
        date.value = ""
        await type_text(pilot, "31/02/2026")
        with pytest.raises(ValidationError):
            forms.read(date)
        minutes.focus()
        await type_text(pilot, "9x0")  # the letter never gets in
        assert minutes.value == "90" and forms.read(minutes) == 90
        minutes.value = "0"
        with pytest.raises(ValidationError, match="Durée"):
            forms.read(minutes)


async def test_another_answer_pressed_after_one_was_shown_replaces_it() -> None:
    answer = ChoiceSet("right_place", [("Oui", True), ("Non", False)])
    async with Fields(answer).run_test() as pilot:
        forms.write(answer, False)
        await pilot.pause()
        yes, no = answer.query(RadioButton)
        yes.value = True  # as Espace on « Oui » does
        await pilot.pause()
        assert (yes.value, no.value) == (True, False)
        assert forms.read(answer) is True


async def test_the_consent_box_holds_the_consent_and_shows_whether_it_was_given() -> None:
    box = ConsentBox(FieldPath("consent", within="contact"), "D’accord")
    async with Fields(box).run_test() as pilot:
        forms.write(box, types.consent(True, CONSENT_WORDING, "2026-11-20"))
        await pilot.pause()
        assert box.value is True
        forms.write(box, {"given": False})
        assert box.value is False
        box.value = True
        given = forms.read(box)
        assert given["given"] is True and given["wording"] == CONSENT_WORDING and given["date"]


# ---------------------------------------------------------------------------- every form
DATA_WIDGETS = (Input, TextArea, Select, Checkbox, SelectionList, RadioSet)
# Controls of the accompaniment that are not a field of a record: the step's own state, the
# search for a business, and the redirection being composed before it is added.
NOT_FIELDS = {
    "step-done",
    "step-note",
    "client-search",
    "reorient-structure",
    "reorient-label",
    "redirect-structure",
    "redirect-label",
    "redirect-reason",
}
SHAPES = {
    "": {f.name for f in FIELDS["sessions"]},
    "client": {f.name for f in FIELDS["clients"]},
    "contact": set(get_type_hints(types.Contact)),
    "solution": set(get_type_hints(types.Solution)),
}


def _data_widgets(screen: Widget) -> list[Widget]:
    return [w for w in screen.query("*") if isinstance(w, DATA_WIDGETS) and w.id not in NOT_FIELDS]


async def _opened(pilot: Pilot[None], key: str) -> Screen[Any]:
    """The screen the home's single `key` opens."""
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)
    return pilot.app.screen


async def test_every_data_widget_of_the_accompaniment_is_a_known_field(db: Path) -> None:
    async with make_app(db).run_test(size=(80, 24)) as pilot:
        screen = await _opened(pilot, "n")
        assert isinstance(screen, AccompanimentScreen)
        await pilot.press(*["f4"] * 13)  # each step's pane is built when first shown
        await settle(pilot)
        found = _data_widgets(screen)
        assert len(found) > 40
        for widget in found:
            assert isinstance(widget, FormField), f"{widget!r} carries no field"
            path = widget.field_path
            assert path.name in SHAPES[path.within], f"{widget!r}: unknown field {path}"
            if path.key is not None:  # an axis of an assessment
                kinds = {"skills": "skill_areas", "maturity": "maturity_dimensions"}
                assert path.key in catalog().codes(kinds[path.name])
        paths = [w.field_path for w in found if isinstance(w, FormField)]
        solution = [p for p in paths if p.within == "solution"]
        assert {p.name for p in solution} == {"title", "area", "pros", "cons", "cost", "effort"}
        # One widget per field (the aids are offered on two steps, the same list).
        single = [p for p in paths if p.within != "solution" and p.name != "aids"]
        assert len(single) == len(set(single))


@pytest.mark.parametrize(
    ("key", "form_id", "table", "count"),
    [
        ("u", "#dir-form", "structures", 12),
        ("i", "#aid-form", "aids", 13),
        ("c", "#ws-form", "workshops", 11),
    ],
)
async def test_every_data_widget_of_a_record_form_is_a_known_field(
    db: Path, key: str, form_id: str, table: str, count: int
) -> None:
    async with make_app(db).run_test(size=(80, 24)) as pilot:
        form = (await _opened(pilot, key)).query_one(form_id)
        found = _data_widgets(form)
        assert len(found) == count
        known = {f.name for f in FIELDS[table]}
        for widget in found:
            assert isinstance(widget, FormField), f"{widget!r} carries no field"
            assert widget.field_path.within == "" and widget.field_path.name in known
