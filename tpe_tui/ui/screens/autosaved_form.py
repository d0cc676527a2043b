"""A screen whose bound fields (`f-<field>` ids) are saved as they are typed.

Each valid change updates the record and queues its save at once on the one write path
(same key: a burst coalesces into its latest snapshot); a bad value shows its French message
and is not saved.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from textual import on
from textual.widget import Widget
from textual.widgets import Input, Select, Static, TextArea

from tpe_tui.domain.records import ValidationError
from tpe_tui.services.workspace import Workspace
from tpe_tui.ui.screens.base import TpeScreen
from tpe_tui.ui.widgets.forms import field_of, read, write


class AutosavedForm(TpeScreen[None]):
    table = ""  # "clients" or "structures"
    problem_id = "#field-problem"
    name_field = "name"  # the field without which a record is not worth saving
    # Fields a save may fill in by itself (a business's INSEE code from the directory).
    filled_by_save: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self.record: dict[str, Any] = {}

    def fill(self, record: dict[str, Any]) -> None:
        """Show a record in the bound widgets (without that counting as edits)."""
        self.record = deepcopy(record)
        for widget in self.query("Input, Select, TextArea"):
            bound = field_of(widget)
            if bound:
                write(widget, self.record.get(bound[0]))

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    def _field_changed(self, event: Any) -> None:
        self._take(event.control)

    def _take(self, widget: Widget) -> None:
        """Read one bound widget into the record and queue the save."""
        bound = field_of(widget)
        if bound is None or not self.record:
            return
        problem = self.query_one(self.problem_id, Static)
        try:
            value = read(widget)
        except ValidationError as exc:
            problem.update(str(exc))
            return
        if bound[0] == self.name_field and not str(value).strip():
            problem.update("Le nom ne peut pas être vide.")
            return
        problem.update("")
        self.record[bound[0]] = value
        self.queue_save()

    def save_job(self, workspace: Workspace, snapshot: dict[str, Any]) -> Any:
        """Runs on the save thread: write `snapshot`."""
        raise NotImplementedError

    def queue_save(self) -> None:
        if not str(self.record.get(self.name_field) or "").strip():
            return  # nothing worth keeping without a name
        snapshot = deepcopy(self.record)
        self.write(
            lambda workspace: self.save_job(workspace, snapshot),
            lambda saved: self._show_filled_in(snapshot, saved),
            key=f"{self.table}:{snapshot['id']}",
        )

    def _show_filled_in(self, snapshot: dict[str, Any], saved: Any) -> None:
        """Show the fields the save filled in itself (`filled_by_save`), unless the person
        edited them meanwhile, so that the next save keeps them."""
        if not isinstance(saved, dict) or not self.filled_by_save:
            return
        for widget in self.query("Input, Select, TextArea"):
            bound = field_of(widget)
            name = bound[0] if bound else ""
            if name not in self.filled_by_save or name not in saved:
                continue
            if saved[name] != snapshot.get(name) and self.record.get(name) == snapshot.get(name):
                self.record[name] = deepcopy(saved[name])
                write(widget, saved[name])

    def action_save_now(self) -> None:
        self.queue_save()
        self.notify("Enregistré.", markup=False)

    def flush_edits(self) -> None:
        """Called before the app quits: the field being typed in is read now, as its last
        keys may still be on their way here as messages."""
        if self.focused is not None:
            self._take(self.focused)
