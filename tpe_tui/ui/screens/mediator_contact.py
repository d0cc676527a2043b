"""The mediator's own contact details, printed on every summary so that a client can call
back: asked once at the first start, editable later from the palette."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tpe_tui.domain.records import ValidationError, clean_email, clean_phone
from tpe_tui.services import sync as sync_service
from tpe_tui.services.config import Config
from tpe_tui.ui.screens.dialogs import Ask, FormDialog

if TYPE_CHECKING:
    from tpe_tui.ui.app import TpeApp

TITLE = "Vos coordonnées (imprimées sur les comptes rendus)"


def ask_mediator_contact(app: TpeApp, config: Config) -> None:
    """Ask, then keep what was given in the config; asked once, even if left empty."""
    dialog = FormDialog(
        TITLE,
        [
            Ask("name", "Votre nom", value=config.mediator),
            Ask("structure", "Structure", value=config.mediator_structure),
            Ask("phone", "Téléphone", value=config.mediator_phone),
            Ask("email", "E-mail", value=config.mediator_email),
        ],
        ok="Enregistrer",
    )

    def answered(values: dict[str, Any] | None) -> None:
        config.contact_asked = True
        if values is not None:
            config.mediator = values["name"] or config.mediator
            config.mediator_structure = values["structure"]
            config.mediator_phone, problems = _checked(clean_phone, values["phone"])
            config.mediator_email, more = _checked(clean_email, values["email"])
            if problems or more:
                app.notify(
                    "Coordonnées gardées ; à vérifier : " + " ".join(problems + more),
                    markup=False,
                    severity="warning",
                )
        app.run_worker(config.save, thread=True, group="config", exit_on_error=False)
        if values is not None:
            # The other laptops label our edits with this name (the conflicts screen).
            app.write(lambda workspace: sync_service.record_device(workspace.store, config))

    app.push_screen(dialog, answered)


def _checked(clean: Any, value: str) -> tuple[str, list[str]]:
    """The cleaned value, or the value as typed with the French reason it looks wrong."""
    try:
        return clean(value), []
    except ValidationError as exc:
        return value, [str(exc)]
