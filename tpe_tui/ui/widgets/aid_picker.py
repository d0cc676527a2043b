"""Aids to attach to a visit, those fitting the business and its needs first.

Placed in the solutions and orientation steps of an accompaniment. Its list is the form
field `aids` of the session (a `TickList`), so the screen saves a tick like any other field;
the summary and the follow-ups (« dossier déposé ? ») then show the attached aids.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, SelectionList

from tpe_tui.domain import aids
from tpe_tui.domain.records import Record, today
from tpe_tui.services import aids as aid_service
from tpe_tui.ui.screens.base import tpe_app
from tpe_tui.ui.widgets.forms import TickList
from tpe_tui.ui.widgets.plain import plain


def prompt(found: aids.Match) -> Text:
    """★ when it fits, its flag (example, to verify), then its name (plain text: names
    are data); the marks first, so a long name cut at the edge does not hide them."""
    text = Text("★ " if not found.excluded and found.score else "  ", style="bold")
    flag = aids.flag(found.aid, today())
    if flag:
        text.append(f"[{flag.lower()}] ", style="italic")
    text.append(str(found.aid.get("name") or "?"))
    return text


class AidPicker(Vertical):
    DEFAULT_CSS = """
    AidPicker { height: auto; }
    AidPicker SelectionList { max-height: 7; }
    AidPicker .aid-none { display: none; }
    """

    def compose(self) -> ComposeResult:
        yield Label(
            "Aides et dispositifs à proposer (★ : correspond à l’entreprise et aux besoins)",
            classes="area-label",
            markup=False,
        )
        yield TickList("aids")
        yield Label(
            "Aucune aide au catalogue pour l’instant : Ctrl+P › Aides pour en ajouter.",
            classes="hint aid-none",
            markup=False,
        )

    def on_show(self) -> None:
        self.refresh_choices()

    def refresh_choices(self) -> None:
        """The aids for the business and the needs as they are now, ticked if attached."""
        screen: Any = self.screen
        session: Record = getattr(screen, "session", None) or {}
        client_id = session.get("client_id")
        needs = list(session.get("needs") or [])
        attached = list(session.get("aids") or [])

        def show(found: list[aids.Match]) -> None:
            choices = self.query_one(SelectionList)
            with choices.prevent(SelectionList.SelectedChanged):
                choices.clear_options()
                choices.add_options(
                    [(plain(prompt(m)), m.aid["id"], m.aid["id"] in attached) for m in found]
                )
                listed = {m.aid["id"] for m in found}
                for aid_id in attached:  # deleted since: stays attached, not shown
                    if aid_id not in listed:
                        choices.select(aid_id)
            # An empty frame said nothing on a fresh install: a sentence says where aids come from.
            self.query_one(".aid-none", Label).display = not choices.option_count
            if choices.option_count and choices.highlighted is None:
                # A row under the cursor on arrival: the first Espace ticks it, as in the
                # other checklists (it did nothing until ↓ was pressed).
                choices.highlighted = 0

        tpe_app(self).read(
            lambda ws: aid_service.suggested_for(ws, client_id, needs), show, owner=self.screen
        )
