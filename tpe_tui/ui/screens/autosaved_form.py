"""A screen whose form fields (`widgets/forms.py`) are saved as they are typed.

Each valid change updates the record and queues its save at once on the one write path
(same key: a burst coalesces into its latest snapshot); a bad value shows its French message
right under its field and is not saved. Every value refused is said until it is corrected
(not only the last one), and leaving the form while one is refused asks first: the person
sees what is not kept; so does moving to another entry of the form's list. Meanwhile, and
left without them, each such field keeps the value it held before the typing that was refused
(`RefusedFields`, the accompaniment's rule too).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from copy import deepcopy
from typing import Any

from textual import events, on
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, SelectionList, Static, TextArea

from tpe_tui.domain.plain_text import printable
from tpe_tui.domain.records import ValidationError
from tpe_tui.services.workspace import Workspace
from tpe_tui.ui.screens.base import TpeScreen
from tpe_tui.ui.screens.dialogs import ConfirmScreen
from tpe_tui.ui.screens.refused_fields import RefusedFields
from tpe_tui.ui.widgets.empty_list import EmptyListNote
from tpe_tui.ui.widgets.field_errors import line_under, say
from tpe_tui.ui.widgets.forms import FormField, field_widget, fields_in, read, write


class AutosavedForm(TpeScreen[None]):
    table = ""  # the table of the record edited
    name_field = "name"  # the field without which a record is not worth saving
    # Fields a save may fill in by itself (a business's INSEE code from the directory).
    filled_by_save: tuple[str, ...] = ()
    # A form under a list: said by a key acting on the entry under the cursor while the list
    # is empty, after the key's name (« il faut d’abord un atelier. Ctrl+N pour en créer un. »).
    entry_needed = ""

    def __init__(self) -> None:
        super().__init__()
        self.record: dict[str, Any] = {}
        # The values typed and refused (shown, not saved), and what their fields keep.
        self.refusals = RefusedFields[str](self.record_value, self._put_back)
        self.refused = self.refusals.refused  # field -> (the text typed, why refused)
        self.error_lines: dict[str, Static] = {}  # made under a field when first needed
        self.moving = False  # asking whether to show another entry while a value is refused

    def fill(self, record: dict[str, Any]) -> None:
        """Show a record in the bound widgets (without that counting as edits). The same
        record shown again (after a save) keeps the refused text where it was typed."""
        if record.get("id") != self.record.get("id"):
            self.drop_refused()  # another record shown: this one keeps its values
        self.record = deepcopy(record)
        if self.is_mounted:
            self._show_refused()
        for widget in fields_in(self):
            name = widget.field_path.name
            if name not in self.refused:
                write(widget, self.record.get(name))
                self.refusals.start(name)

    def record_value(self, name: str) -> Any:
        return self.record.get(name)

    def _put_back(self, name: str, value: Any) -> None:
        if self.record:  # no record shown: nothing to keep
            self.record[name] = value

    @on(events.DescendantFocus)
    def _entered(self, event: events.DescendantFocus) -> None:
        """A field entered holds the value its typing starts from."""
        widget = event.widget
        if isinstance(widget, FormField) and self.record:
            self.refusals.start(widget.field_path.name)

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    @on(Checkbox.Changed)
    @on(SelectionList.SelectedChanged)
    def _field_changed(self, event: Any) -> None:
        self._take(event.control)

    def _take(self, widget: Widget) -> None:
        """Read one form field into the record and queue the save."""
        if not isinstance(widget, FormField) or not self.record:
            return
        field = widget.field_path.name
        try:
            value = read(widget)
            if field == self.name_field and not str(value).strip():
                raise ValidationError("Le nom ne peut pas être vide.")
            self.refuse(field, value)
        except ValidationError as exc:
            kept_before = self.refusals.refuse(field, typed_text(widget), str(exc))
            self._show_refused()
            if kept_before:
                self.queue_save()
            return
        if self.refusals.accept(field):
            self._show_refused()
        self.record[field] = value
        self.queue_save()

    def refuse(self, field: str, value: Any) -> None:
        """Raise ValidationError (in French) for a value well formed on its own that this
        record cannot take (a SIRET another business already has)."""

    def _show_refused(self) -> None:
        """Each value refused is said under its own field, until it is corrected."""
        for name in [*self.error_lines, *(n for n in self.refused if n not in self.error_lines)]:
            refused = self.refused.get(name)
            line = self.error_lines.get(name)
            if line is None:
                line = self.error_lines[name] = line_under(field_widget(self, name))
            say(line, f"Non enregistré : {refused[1]}" if refused else "")

    def drop_refused(self) -> None:
        """Forget the values refused: each of their fields gets back the value it held
        before the refused typing, saved again if a value on the way was saved meanwhile
        (acceptance finding NEW4-22: « Quitter sans elles » left a field emptied by Ctrl+U
        before a wrong date was typed empty, not with its date)."""
        if not self.refused:
            return
        changed = self.refusals.drop()
        if self.is_mounted:
            self._show_refused()
        if changed:
            self.queue_save()

    def action_back(self) -> None:
        """Leave the form; while a typed value is refused, ask first (it is not kept)."""
        self.leave_then(self.app.pop_screen)

    def leave_then(self, leave: Callable[[], object]) -> None:
        """Run `leave` (close the form, or quit the app); while a typed value is refused,
        ask first, since it is not kept, and stay on the form to correct it if asked (the
        focus back in the first field refused)."""

        def without_refused() -> None:
            self.drop_refused()
            leave()

        leave_unless_refused(self, self.refused.values(), without_refused, self.correct)

    def correct(self) -> None:
        """« Corriger »: the focus goes back to the first value refused, to be typed again."""
        for name in self.refused:
            field_widget(self, name).focus()
            return

    def asked_before_moving(
        self, other: str, show_other: Callable[[], object], cursor_back: Callable[[], object]
    ) -> bool:
        """Another entry `other` of the list is under the cursor (↑ ↓) while what is typed in
        this one is refused: ask first, as leaving the form does, since showing the other
        one drops the typed text. « Passer sans elles » runs `show_other`; « Corriger »
        (focused) runs `cursor_back` and puts the focus in the refused field. True while it
        asks or has asked (the other entry is not shown yet)."""
        if self.moving:
            return True
        if not self.refused or not self.record:
            return False
        self.moving = True

        def without_refused() -> None:
            self.moving = False
            self.drop_refused()
            show_other()

        def correct() -> None:
            self.moving = False
            cursor_back()
            self.correct()

        leave_unless_refused(
            self,
            self.refused.values(),
            without_refused,
            correct,
            question=f"Passer à « {printable(other)} » quand même ? Elles seront perdues.",
            yes="Passer sans elles",
        )
        return True

    def without_entry(self, key_name: str) -> bool:
        """True when a key has no entry to act on (its list is empty): the list's note says
        what to do first, in place of a key doing nothing without a word (NEW4-19)."""
        if self.record:
            return False
        self.query_one(EmptyListNote).key_without_entry(f"« {key_name} » : {self.entry_needed}")
        return True

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
        for widget in fields_in(self):
            name = widget.field_path.name
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


def leave_unless_refused(
    screen: TpeScreen[Any],
    refused: Iterable[tuple[str, str]],
    leave: Callable[[], object],
    correct: Callable[[], object] | None = None,
    question: str = "Quitter quand même ? Elles seront perdues.",
    yes: str = "Quitter sans elles",
) -> None:
    """Run `leave` at once, or, while some typed values (text, why refused) are not kept,
    list them and ask `question` first: « Corriger » (focused) stays on the form, then runs
    `correct`; `yes` runs `leave`."""
    lines = "\n".join(f"- « {printable(typed)} » : {why}" for typed, why in refused)
    if not lines:
        leave()
        return

    def answered(confirmed: bool | None) -> None:
        if confirmed:
            leave()
        elif correct is not None:
            correct()

    screen.app.push_screen(
        ConfirmScreen(
            f"Ces valeurs n’ont pas été enregistrées :\n{lines}\n\n{question}",
            yes=yes,
            no="Corriger",
            danger=True,
        ),
        answered,
    )


def typed_text(widget: Widget) -> str:
    """The text a widget holds, as typed."""
    if isinstance(widget, Input):
        return widget.value
    if isinstance(widget, TextArea):
        return widget.text
    return str(getattr(widget, "value", ""))
