"""The erasure dialog of the client file (F8): what will be erased where, the business's own
documents (deleted only when asked), those about many that hold it too (never deleted), and
the safe answer focused; then the report of what was done."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from tpe_tui.services.erasure import SHARED_HEADING, TEAM_FILE_NOTE, ErasurePlan
from tpe_tui.ui.screens.dialogs import LongMessageScreen
from tpe_tui.ui.widgets.plain import plain
from tpe_tui.ui.widgets.toggles import TickBox

QUESTION = (
    "Nom, téléphone, e-mail, adresse, SIRET, interlocuteurs et textes libres des "
    "accompagnements, suivis et actions seront vidés dans le fichier et dans son journal ; "
    "la synchronisation les effacera sur les autres ordinateurs. Les accompagnements "
    "restent comptés. C’est définitif."
)
WHERE_ELSE = (
    # Why rewritten rather than dropped: see services/erasure.py.
    "Les sauvegardes qui les contiennent sont réécrites sans elles (elles gardent tout le "
    "reste, pour pouvoir encore restaurer les autres entreprises) ; une sauvegarde qui ne "
    "peut pas être réécrite sans risque (illisible, d’un format plus récent) est supprimée. "
    "Les fichiers temporaires laissés par un arrêt brutal sont supprimés.\n\n" + TEAM_FILE_NOTE
)


class EraseDialog(ModalScreen[list[Path] | None]):
    """Dismisses with the documents to delete (an empty list: none) once « Effacer » is
    chosen, or None (Annuler, Échap). Opens on « Annuler », the box unticked: Entrée alone
    erases nothing and deletes nothing."""

    # The dialog fits 80x24 (app.tcss): the text scrolls (a focus stop: ↑ ↓ read every file name
    # before answering), the box and the buttons always show.
    DEFAULT_CSS = """
    EraseDialog #erase-text { height: auto; max-height: 12; margin-bottom: 1; }
    EraseDialog #erase-text:focus { background-tint: $foreground 5%; }
    EraseDialog #delete-documents { height: auto; margin-bottom: 1; }
    """

    BINDINGS = [
        Binding("escape", "answer(False)", "Annuler"),
        Binding("o", "answer(True)", "Effacer", show=False),
    ]

    def __init__(self, plan: ErasurePlan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        documents = self.plan.documents
        listing = (
            "Documents de cette entreprise dans le dossier Documents "
            f"({len(documents)}), supprimés si la case est cochée :\n"
            + "\n".join(f" • {p.name}" for p in documents)
            if documents
            else "Aucun document du dossier Documents n’est propre à cette entreprise."
        )
        if self.plan.shared:
            listing += f"\n\n{SHARED_HEADING} ({len(self.plan.shared)}) :\n" + "\n".join(
                f" • {p.name}" for p in self.plan.shared
            )
        if self.plan.copies:
            listing += (
                "\n\nCopies du fichier de données dans le dossier Documents, réécrites sans "
                f"ces personnes ({len(self.plan.copies)}) :\n"
                + "\n".join(f" • {p.name}" for p in self.plan.copies)
            )
        with Vertical(classes="dialog"):
            yield Label(
                plain(f"Effacer les personnes de « {self.plan.name} » ?"),
                classes="dialog-title",
                markup=False,
            )
            with VerticalScroll(id="erase-text", can_focus=True):
                yield Static(plain(f"{QUESTION}\n\n{listing}\n\n{WHERE_ELSE}"), markup=False)
            if documents:
                yield TickBox(
                    plain(f"Supprimer aussi ces {len(documents)} document(s)"),
                    False,
                    id="delete-documents",
                    compact=True,
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Effacer", id="yes", variant="error", compact=True)
                yield Button("Annuler", id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "yes")

    def action_answer(self, erase: bool) -> None:
        if not erase:
            self.dismiss(None)
            return
        boxes = self.query("#delete-documents").results(TickBox)
        delete = any(box.value for box in boxes)
        self.dismiss(list(self.plan.documents) if delete else [])


class ErasureReportScreen(LongMessageScreen):
    """The report after an erasure: long (every file named), so it scrolls inside a dialog
    that fits 80x24, « Compris » always in view, each file name on one line."""

    text_id = "report-text"

    def __init__(self, report: str) -> None:
        super().__init__(report, title="Effacement des personnes")
