"""One solution proposed to the client: title, area, advantages, drawbacks, cost, effort."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select

from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.records import new_id
from tpe_tui.domain.types import Solution

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
        self.border_title = f"Solution {number}"

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
            Select(
                catalog().choices(kind),
                prompt="Non renseigné",
                classes=f"sol-{key}",
                compact=True,
                value=self.solution.get(key) or Select.NULL,
            ),
            classes="field-row",
        )

    def _row(self, key: str, label: str) -> Horizontal:
        return Horizontal(
            Label(label, classes="field-label", markup=False),
            Input(str(self.solution.get(key) or ""), classes=f"sol-{key}", compact=True),
            classes="field-row",
        )

    def value(self) -> Solution:
        """The solution as the widgets show it now."""

        def text(key: str) -> str:
            return self.query_one(f".sol-{key}", Input).value

        def choice(key: str) -> str | None:
            select = self.query_one(f".sol-{key}", Select)
            return None if select.is_blank() else str(select.value)

        return {
            **self.solution,
            "title": text("title"),
            "pros": text("pros"),
            "cons": text("cons"),
            "cost": text("cost"),
            "area": choice("area"),
            "effort": choice("effort"),
        }
