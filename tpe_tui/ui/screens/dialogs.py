"""Small modal dialogs: a question with two answers, a message to acknowledge, a short form,
a choice in a list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from tpe_tui.domain.records import ValidationError, parse_french_date
from tpe_tui.ui.widgets.plain import PathText, plain


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True (yes) or False (no / Escape). For an action that destroys or
    erases (`danger`), the safe answer has the focus: Entrée alone never confirms it."""

    BINDINGS = [
        Binding("escape", "answer(False)", "Annuler"),
        Binding("o", "answer(True)", "Oui", show=False),
    ]

    def __init__(
        self, question: str, yes: str = "Oui", no: str = "Non", *, danger: bool = False
    ) -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self.question), classes="dialog-text", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, id="yes", variant="primary", compact=True)
                yield Button(self.no, id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no" if self.danger else "#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class MessageScreen(ModalScreen[None]):
    """A message that stays until the person has read it (Entrée or Échap).

    One that comes `unasked` (a save failing while the person types) takes no key typed
    while she is typing: she may not be looking (acceptance finding NEW4-13). Letters go on
    into the field being typed in; any other key typed meanwhile (Backspace, Tab, Entrée,
    F4…), and every key after it, is held in order and replayed once the message is
    closed, so what is typed lands where it was meant to, late but whole. Only a key
    pressed after a pause (`PAUSE_S` without a key: she stopped to read) is the message's:
    Entrée (or Espace with no text field below) closes it; Échap closes it at any time
    but its first moments (typed before it could be read, it is dropped: it was meant to
    leave the screen below)."""

    BINDINGS = [
        Binding("escape", "close", "Fermer"),
        Binding("enter", "close", "Fermer", show=False),
    ]
    TYPED_AHEAD_S = 0.5  # a key typed this soon after the dialog showed was not meant for it
    PAUSE_S = 1.0  # a key this long after the one before it may be meant for the message
    AUTO_FOCUS = ""  # « Compris » is focused by on_mount, or once the keys are its own

    def __init__(self, message: str, title: str = "Information", *, unasked: bool = False) -> None:
        super().__init__()
        self.message, self.title_text = message, title
        self.unasked = unasked
        self.shown_at: float | None = None
        self.last_key_at = 0.0  # when the last key was typed (the key event's own clock)
        self.held: list[events.Key] = []  # typed meanwhile: replayed once it is closed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield PathText(self.message, classes="dialog-text")
            yield Static("", id="held-keys", classes="field-error", markup=False)  # hidden
            with Horizontal(classes="dialog-buttons"):
                yield Button("Compris", id="ok", variant="primary", compact=True)

    def on_mount(self, event: events.Mount) -> None:
        if not self.unasked:
            self._take_keys()
            return
        # The clock of the key events themselves (when typed, not when handled: keys queue
        # on a busy machine).
        self.shown_at = event.time
        # A key this soon after the last one typed before it is still typing (the app's
        # clock of keys is the same monotonic clock as the events').
        self.last_key_at = getattr(self.app, "last_key_at", 0.0)
        self.set_timer(self.TYPED_AHEAD_S, self._take_keys)

    def _take_keys(self) -> None:
        # No button when the app closed while the dialog was being shown (its fields are
        # then never composed): nothing to focus, and nothing to say about it.
        for button in self.query("#ok").results(Button):
            button.focus()

    def typed_ahead(self, key: events.Key) -> bool:
        return self.shown_at is not None and key.time < self.shown_at + self.TYPED_AHEAD_S

    def on_key(self, event: events.Key) -> None:
        if not self.unasked:
            return
        typing = event.time - self.last_key_at < self.PAUSE_S or self.typed_ahead(event)
        self.last_key_at = event.time
        stack = self.app.screen_stack
        below = stack[-2].focused if len(stack) > 1 and stack[-1] is self else None
        text_below = isinstance(below, Input | TextArea)
        if event.key == "escape":
            if self.typed_ahead(event):
                event.stop()
                event.prevent_default()
            return  # else its own: closes it
        if not typing and (event.key == "enter" or (event.key == "space" and not text_below)):
            return  # read, then pressed: its own (closes it; what was held then follows)
        event.stop()
        event.prevent_default()
        if event.is_printable and text_below and not self.held and below is not None:
            below.post_message(event.copy())  # typed on into the field
            return
        # Not a letter for the field (Backspace, Tab, Entrée, F4…): held, and every key after
        # it, in order, until the message is closed, so none lands in the wrong place.
        self.held.append(event.copy())
        for note in self.query("#held-keys").results(Static):  # a subclass may have none
            note.update(
                f"{len(self.held)} touche(s) tapée(s) gardée(s) : reprises dès que ce message "
                "est fermé (Entrée)."
            )
            note.display = True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_close()

    def action_close(self) -> None:
        held, self.held = self.held, []
        self.dismiss(None)
        for key in held:  # after the pop: to the screen below, as typed (type-ahead order)
            self.app.post_message(events.Key(key.key, key.character))


class LongMessageScreen(MessageScreen):
    """A message longer than a dialog at 80x24: its text scrolls inside the dialog (↑ ↓,
    Page↑ Page↓, Début Fin, whichever has the focus, and the mouse wheel), « Compris »
    always in view below it. Entrée or Échap closes it."""

    # 22 rows (its .dialog in app.tcss): border and padding 4, title 1, text 14 and its
    # margin 1, buttons 1.
    DEFAULT_CSS = """
    LongMessageScreen .long-text { height: auto; max-height: 14; margin-bottom: 1; }
    LongMessageScreen .long-text .dialog-text { margin-bottom: 0; }
    """
    BINDINGS = [
        Binding("up", "scroll_text('scroll_up')", show=False),
        Binding("down", "scroll_text('scroll_down')", show=False),
        Binding("pageup", "scroll_text('scroll_page_up')", show=False),
        Binding("pagedown", "scroll_text('scroll_page_down')", show=False),
        Binding("home", "scroll_text('scroll_home')", show=False),
        Binding("end", "scroll_text('scroll_end')", show=False),
    ]
    text_id = "message-text"

    def body(self) -> Content | str:
        """What the text box shows (the message as plain text; a subclass may style it)."""
        return plain(self.message)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            with VerticalScroll(id=self.text_id, classes="long-text", can_focus=True):
                yield Static(self.body(), classes="dialog-text", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Compris", id="ok", variant="primary", compact=True)

    def action_scroll_text(self, how: str) -> None:
        scroll = self.query_one(f"#{self.text_id}", VerticalScroll)
        getattr(scroll, how)(animate=False)


class Ask:
    """One field of a `FormDialog`: a text, a long text (`long`: several lines, all of it
    in view), a date (JJ/MM/AAAA) or a choice."""

    def __init__(
        self,
        name: str,
        label: str,
        kind: str = "text",
        value: str = "",
        choices: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.name, self.label, self.kind, self.value, self.choices = (
            name,
            label,
            kind,
            value,
            choices,
        )


def typing_would_be_lost(title: str, verb: str) -> ConfirmScreen:
    """The question asked before a dialog's typed text is dropped (by closing it, or by
    quitting): « Revenir » has the focus and keeps the dialog with its text."""
    return ConfirmScreen(
        f"Ce qui a été tapé dans « {title} » n’est pas enregistré.\n\n"
        f"{verb} quand même ? Il sera perdu.",
        yes=f"{verb} sans",
        no="Revenir",
        danger=True,
    )


class FormDialog(ModalScreen[dict[str, Any] | None]):
    """A few fields and OK/Annuler; dismisses with {name: value} (dates in ISO) or None."""

    DEFAULT_CSS = """
    FormDialog .long-field { height: auto; min-height: 3; max-height: 10; }
    """

    # In a long text Entrée starts a new line: Ctrl+S (or the button) validates.
    BINDINGS = [
        Binding("escape", "cancel", "Annuler"),
        Binding("ctrl+s", "submit", "Valider", show=False),
    ]

    def __init__(self, title: str, asks: Sequence[Ask], ok: str = "Valider") -> None:
        super().__init__()
        self.title_text, self.asks, self.ok = title, list(asks), ok

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            for ask in self.asks:
                # A long text's row grows with it (app.tcss): a one-row row showed only the
                # area's top border.
                with Horizontal(
                    classes="field-row long-row" if ask.kind == "long" else "field-row"
                ):
                    yield Label(ask.label, classes="field-label", markup=False)
                    if ask.kind == "long":
                        yield TextArea(ask.value, id=f"ask-{ask.name}", classes="long-field")
                    elif ask.kind == "choice":
                        yield Select(
                            [(label, code) for code, label in ask.choices],
                            id=f"ask-{ask.name}",
                            prompt="(choisir)",
                            compact=True,
                            value=ask.value or Select.NULL,
                        )
                    else:
                        placeholder = "JJ/MM/AAAA" if ask.kind == "date" else ""
                        yield Input(
                            ask.value, id=f"ask-{ask.name}", placeholder=placeholder, compact=True
                        )
            yield Static("", id="ask-error", classes="field-error-shown", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.ok, id="ok", variant="primary", compact=True)
                yield Button("Annuler", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query("Input, Select, TextArea").first().focus()
        for area in self.query(TextArea):  # a pre-filled text is added to, at its end
            area.move_cursor(area.document.end)

    def action_submit(self) -> None:
        self._submit()

    def on_input_submitted(self) -> None:
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self._submit()
        else:
            self.dismiss(None)

    def _submit(self) -> None:
        values: dict[str, Any] = {}
        for ask in self.asks:
            widget = self.query_one(f"#ask-{ask.name}")
            if isinstance(widget, Select):
                values[ask.name] = None if widget.is_blank() else widget.value
                continue
            text = widget.text if isinstance(widget, TextArea) else ""
            text = widget.value if isinstance(widget, Input) else text
            if ask.kind == "date":
                try:
                    values[ask.name] = parse_french_date(text)
                except ValidationError as exc:
                    self.query_one("#ask-error", Static).update(plain(f"{ask.label} : {exc}"))
                    widget.focus()
                    return
            else:
                values[ask.name] = text.strip()
        self.dismiss(values)

    def action_cancel(self) -> None:
        """Échap: what was typed in the dialog is lost, so it asks first, as Ctrl+Q does
        (acceptance finding NEW4-3); « Annuler » itself is a choice and closes at once."""
        if not self.typed():
            self.dismiss(None)
            return

        def answered(close: bool | None) -> None:
            if close:
                self.dismiss(None)

        self.app.push_screen(typing_would_be_lost(self.title_text, "Fermer"), answered)

    def typed(self) -> bool:
        """Whether something was typed that the dialog has not handed over yet."""
        for ask in self.asks:
            widget = self.query_one(f"#ask-{ask.name}")
            if isinstance(widget, Input | TextArea):
                text = widget.value if isinstance(widget, Input) else widget.text
                if text.strip() != str(ask.value or "").strip():
                    return True
        return False


class PickDialog(ModalScreen[str | None]):
    """A choice in a list (↑ ↓ then Entrée); dismisses with the chosen key, or None
    (Échap). Labels are data: shown as plain text."""

    CSS = """
    #pick-list { height: auto; max-height: 12; }
    """
    BINDINGS = [Binding("escape", "cancel", "Annuler")]

    def __init__(self, title: str, choices: Sequence[tuple[str, str]], hint: str = "") -> None:
        super().__init__()
        self.title_text, self.choices, self.hint = title, list(choices), hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            if self.hint:
                yield Static(plain(self.hint), classes="dialog-text", markup=False)
            yield OptionList(
                *(Option(plain(label), id=key) for key, label in self.choices),
                id="pick-list",
                markup=False,
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
