"""One solution proposed to the client: title, area, advantages, drawbacks, cost, effort."""

from __future__ import annotations

from typing import Any, cast

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label

from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.records import new_id
from tpe_tui.domain.types import Solution
from tpe_tui.ui.widgets.forms import ChoiceSelect, FieldPath, TextInput, fields_in

SHAPE = "solution"  # its fields are a solution's (`FieldPath.within`), not the session's

TEXT_FIELDS = (
    ("title", "Solution"),
    ("pros", "Avantages"),
    ("cons", "Inconvénients"),
    ("cost", "Coût estimé"),
)


class SolutionEditor(Vertical):
    """Edits one entry of the session's `solutions` list."""

    DEFAULT_CSS = """
    SolutionEditor {
        height: auto; border: round $primary-darken-1; padding: 0 1; margin-bottom: 1;
    }
    """

    def __init__(self, solution: Solution, number: int) -> None:
        super().__init__()
        self.solution: Solution = {"id": solution.get("id") or new_id(), **solution}
        self.number = number

    @property
    def number(self) -> int:
        """Its place among the solutions shown (« Solution 2 »)."""
        return self._number

    @number.setter
    def number(self, number: int) -> None:
        self._number = number
        self.border_title = f"Solution {number}"

    @staticmethod
    def holds_text(solution: Solution) -> bool:
        """Whether something was written in it (a blank form is not a solution)."""
        return any(str(solution.get(key) or "").strip() for key, _label in TEXT_FIELDS)

    def compose(self) -> ComposeResult:
        yield self._row("title", "Solution")
        yield self._choice("area", "Domaine", "solution_areas")
        for key, label in TEXT_FIELDS[1:]:
            yield self._row(key, label)
        yield self._choice("effort", "Effort", "effort_levels")
        yield Button("Retirer cette solution", classes="remove-solution", compact=True)

    def _choice(self, key: str, label: str, kind: str) -> Horizontal:
        return Horizontal(
            Label(label, classes="field-label", markup=False),
            ChoiceSelect(
                FieldPath(key, within=SHAPE),
                catalog().choices(kind),
                prompt="Non renseigné",
                compact=True,
                value=self.solution.get(key) or ChoiceSelect.NULL,
            ),
            classes="field-row",
        )

    def _row(self, key: str, label: str) -> Horizontal:
        return Horizontal(
            Label(label, classes="field-label", markup=False),
            TextInput(
                FieldPath(key, within=SHAPE), value=str(self.solution.get(key) or ""), compact=True
            ),
            classes="field-row",
        )

    @property
    def title_input(self) -> TextInput:
        return self.query(TextInput).first()  # the solution's title comes first

    def value(self) -> Solution:
        """The solution as its fields show it now."""
        solution: dict[str, Any] = dict(self.solution)
        for found in fields_in(self, SHAPE):
            solution[found.field_path.name] = found.to_value()
        return cast(Solution, solution)  # the keys of a Solution, from its fields
