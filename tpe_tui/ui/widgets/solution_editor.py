"""One solution proposed to the client: title, area, advantages, drawbacks, cost, effort."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select

from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.records import new_id

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

    def __init__(self, solution: dict[str, Any], number: int) -> None:
        super().__init__()
        self.solution = {"id": solution.get("id") or new_id(), **solution}
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
            Input(self.solution.get(key) or "", classes=f"sol-{key}", compact=True),
            classes="field-row",
        )

    def value(self) -> dict[str, Any]:
        """The solution as the widgets show it now."""
        out = dict(self.solution)
        for key, _ in TEXT_FIELDS:
            out[key] = self.query_one(f".sol-{key}", Input).value
        for key in ("area", "effort"):
            select = self.query_one(f".sol-{key}", Select)
            out[key] = None if select.is_blank() else select.value
        return out
