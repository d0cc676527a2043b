"""The Textual application: owns the workspace and the save queue; screens stay thin.

Workers own I/O (opening the file, loading lists, saving); they post results back and the
app or the screen that owns the state applies them.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import threading
from collections.abc import Callable, Iterable
from copy import deepcopy
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from tpe_tui.domain.errors import DataFileError, LockedError, TpeError
from tpe_tui.domain.records import today_iso
from tpe_tui.services import data_file
from tpe_tui.services.config import Config
from tpe_tui.storage import paths
from tpe_tui.ui.save_queue import SaveQueue
from tpe_tui.ui.screens.dialogs import ConfirmScreen, MessageScreen
from tpe_tui.ui.screens.home import HomeData, HomeScreen

if TYPE_CHECKING:  # imported where the file is opened, after the first frame
    from tpe_tui.services.workspace import Workspace


class SaveDone(Message):
    """A queued save finished; `key` says what it was."""

    def __init__(self, key: str, result: Any) -> None:
        super().__init__()
        self.key = key
        self.result = result


class SaveFailed(Message):
    """A queued save failed; nothing on disk changed."""

    def __init__(self, key: str, error: Exception) -> None:
        super().__init__()
        self.key = key
        self.error = error


class TpeApp(App[None]):
    TITLE = "tpe-tui"
    SUB_TITLE = "Accompagnement numérique des TPE"
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses live elsewhere
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quitter", id="quit", priority=True),
        Binding("ctrl+p", "command_palette", "Menu", id="palette", priority=True),
    ]

    def __init__(self, db_path: Path, device: str, config: Config | None = None) -> None:
        super().__init__()
        self.db_path = db_path
        self.device = device
        self.config = config or Config.load()
        self.workspace: Workspace | None = None
        self.saves = SaveQueue(
            on_done=self._save_done_from_thread, on_error=self._save_failed_from_thread
        )
        self.exit_message: str | None = None
        self.retention_soon = 0
        self._when_ready: list[Callable[[], None]] = []

    # ------------------------------------------------------------------ start
    def on_mount(self) -> None:
        self.push_screen(HomeScreen(self.cached_home()))
        painted = threading.Event()
        self.call_after_refresh(self._first_frame_drawn, painted)
        self.open_data(painted)

    def _first_frame_drawn(self, painted: threading.Event) -> None:
        if not gc.isenabled():  # run_app turned collection off for the start
            # What start-up built (modules, the home screen) lives as long as the app:
            # frozen, later collections do not walk it again.
            gc.freeze()
            gc.enable()
        painted.set()  # parsing holds the GIL for a while: it waited for this frame

    def cached_home(self) -> HomeData | None:
        """The home as it was left (a few kilobytes, read at once so that the first frame
        already shows it), or None when it does not match the file as it is."""
        cached = data_file.read_home_picture(self.db_path)
        data = HomeData.from_dict(cached) if cached is not None else None
        if data is not None and cached and cached.get("day") != today_iso():
            # Left on an earlier day: what was late or due then is not what is due today.
            return data.undated()
        return data

    @work(thread=True, group="io", exit_on_error=False)
    def open_data(self, painted: threading.Event | None = None) -> None:
        if painted is not None:
            painted.wait(timeout=2)
        # Imported here, not at the top: the first frame does not wait for them.
        from tpe_tui.services import clients
        from tpe_tui.services.workspace import Workspace

        try:
            workspace = Workspace.open(self.db_path, self.device, self.config)
        except LockedError as exc:
            self.call_from_thread(self._refuse, str(exc))
            return
        except DataFileError as exc:
            self.call_from_thread(self._offer_recovery, exc)
            return
        except TpeError as exc:
            self.call_from_thread(self._refuse, str(exc))
            return
        if not self.is_running:
            # Quit while the file was being read (seconds at 100k sessions): let go of it
            # here, as nothing on the UI side is left to hand it to.
            workspace.close()
            return
        try:
            erased, soon = clients.apply_retention(workspace)
        except TpeError as exc:
            erased, soon = 0, 0
            logging.getLogger("tpe_tui").warning("retention not applied: %s", exc)
        self.retention_soon = soon
        data = HomeData.load(workspace)
        data.retention_soon = soon
        self.call_from_thread(self._data_ready, workspace, data)
        if erased or soon:
            self.call_from_thread(self._retention_notice, erased, soon)

    def _refuse(self, message: str) -> None:
        self.exit_message = message
        self.exit(return_code=1)

    def _offer_recovery(self, error: DataFileError) -> None:
        question = str(error)
        if error.backup:
            question += "\n\nRestaurer cette sauvegarde maintenant ?"

            def decided(restore: bool | None) -> None:
                if restore and error.backup:
                    data_file.restore_backup(self.db_path, Path(error.backup))
                    self.notify("Sauvegarde restaurée.", markup=False)
                self.open_data()

            self.push_screen(
                ConfirmScreen(question, yes="Restaurer", no="Repartir d’un fichier vide"), decided
            )
        else:
            self.push_screen(
                MessageScreen(question + "\n\nUn nouveau fichier vide va être créé."),
                lambda _: self.open_data(),
            )

    def when_ready(self, action: Callable[[], None]) -> None:
        """Run `action` now if the data file is open, else as soon as it is."""
        if self.workspace is not None:
            action()
        else:
            self._when_ready.append(action)

    def _data_ready(self, workspace: Workspace, data: HomeData) -> None:
        self.workspace = workspace
        self.refresh_home(data)
        waiting, self._when_ready = self._when_ready, []
        for action in waiting:
            action()
        self.prepare_search()
        if workspace.store.recovered_entries:
            session = workspace.last_interrupted()
            if session:
                self._offer_resume(session)
                return
        if not self.config.contact_asked:
            self.action_mediator_contact()

    @work(thread=True, group="index", exit_on_error=False)
    def prepare_search(self) -> None:
        worker = get_current_worker()
        if self.workspace is not None:
            # Seconds at 100,000 sessions: quitting must not wait for it.
            self.workspace.prepare_search(lambda: worker.is_cancelled or not self.is_running)

    def _retention_notice(self, erased: int, soon: int) -> None:
        years = self.config.retention_days / 365
        lines = []
        if erased:
            lines.append(
                f"{erased} fiche(s) sans activité depuis plus de {years:g} an(s) ont été "
                "anonymisées : les coordonnées des personnes sont effacées, les "
                "accompagnements restent comptés."
            )
        if soon:
            lines.append(
                f"{soon} fiche(s) seront anonymisées dans moins de 30 jours faute d’activité. "
                "Ouvrez l’agenda (touche a) pour les voir."
            )
        self.push_screen(MessageScreen("\n\n".join(lines), title="Conservation des données"))

    def _offer_resume(self, session: dict[str, Any]) -> None:
        assert self.workspace is not None
        client = self.workspace.client(session.get("client_id"))
        name = client["name"] if client else "sans entreprise"
        question = (
            "tpe-tui s’est arrêté pendant un accompagnement. Tout ce qui avait été saisi a été "
            f"retrouvé.\n\nReprendre l’accompagnement « {name} » là où il en était ?"
        )
        self.push_screen(
            ConfirmScreen(question, yes="Reprendre", no="Plus tard"),
            lambda yes: self.open_session(session["id"]) if yes else None,
        )

    # ------------------------------------------------------------------ home
    def refresh_home(self, data: HomeData | None = None) -> None:
        if data is None:
            self.load_home()
            return
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.show(data)

    @work(thread=True, group="io", exit_on_error=False)
    def load_home(self) -> None:
        if self.workspace is None:
            return
        data = HomeData.load(self.workspace)
        data.retention_soon = self.retention_soon
        self.call_from_thread(self.refresh_home, data)

    # ------------------------------------------------------------------ loading for screens
    @work(thread=True, group="io", exit_on_error=False)
    def load_then(self, load: Callable[[Workspace], Any], show: Callable[[Any], None]) -> None:
        """Run `load` on the workspace in a thread, then `show` its result on the UI thread;
        a failure becomes a French message (the screen keeps what it shows)."""
        workspace = self.workspace
        if workspace is None:  # a key pressed while the file is still being read
            self.call_from_thread(self.when_ready, lambda: self.load_then(load, show))
            return
        try:
            value = load(workspace)
        except TpeError as exc:
            self.call_from_thread(self.show_error, str(exc))
            return
        except Exception:
            logging.getLogger("tpe_tui").exception("loading for a screen failed")
            self.call_from_thread(
                self.show_error,
                "Cette action a échoué ; rien n’a été perdu. Détails dans le journal "
                f"{paths.log_dir() / 'tpe-tui.log'}.",
            )
            return
        self.call_from_thread(show, value)

    def action_agenda(self) -> None:
        from tpe_tui.ui.screens.agenda import AgendaScreen

        self.push_screen(AgendaScreen())

    def action_directory(self) -> None:
        from tpe_tui.ui.screens.structures import DirectoryScreen

        self.push_screen(DirectoryScreen())

    def action_workshops(self) -> None:
        self.open_programme("workshops")

    def action_aids(self) -> None:
        self.open_programme("aids")

    def open_programme(self, table: str, record_id: str | None = None) -> None:
        """The workshops or aids screen (on one of them), or an action's client file."""
        if table == "actions" and record_id:

            def show(action: dict[str, Any] | None) -> None:
                if action and action.get("client_id"):
                    self.open_client_file(action["client_id"])

            self.load_then(lambda ws: ws.store.get("actions", record_id), show)
            return
        from tpe_tui.ui.screens.aids import AidsScreen
        from tpe_tui.ui.screens.workshops import WorkshopsScreen

        screen = WorkshopsScreen if table == "workshops" else AidsScreen
        self.push_screen(screen(select=record_id))

    def action_stats(self) -> None:
        from tpe_tui.ui.screens.stats import StatsScreen

        self.push_screen(StatsScreen())

    def action_sync(self) -> None:
        from tpe_tui.ui.screens.sync import SyncScreen

        self.push_screen(SyncScreen())

    def open_client_file(self, client_id: str) -> None:
        from tpe_tui.ui.screens.client_file import ClientFileScreen

        self.push_screen(ClientFileScreen(client_id))

    def open_session_or_preview(self, session_id: str) -> None:
        """A closed session opens on its summary, one in progress where it was left."""

        def show(session: dict[str, Any] | None) -> None:
            if session is None:
                return
            if session.get("status") == "closed":
                self.open_preview(session_id)
            else:
                self.open_session(session_id)

        self.load_then(lambda ws: ws.session(session_id), show)

    def new_session_for(self, client_id: str) -> None:
        self.open_session(None, client_id)

    # ------------------------------------------------------------------ sessions
    def action_new_session(self) -> None:
        self.open_session(None)

    @work(thread=True, group="io", exit_on_error=False)
    def open_session(self, session_id: str | None, client_id: str | None = None) -> None:
        """Load (or create) a session and what its screen needs, then show it."""
        from tpe_tui.ui.screens.accompaniment.screen import AccompanimentData

        workspace = self.workspace
        if workspace is None:  # a key pressed while the file is still being read
            self.call_from_thread(self.when_ready, lambda: self.open_session(session_id, client_id))
            return
        try:
            data = AccompanimentData.load(workspace, session_id, client_id)
        except TpeError as exc:
            self.call_from_thread(self.show_error, str(exc))
            return
        self.call_from_thread(self._show_session, data)

    @work(thread=True, group="io", exit_on_error=False)
    def open_followup_session(self, followup_id: str) -> None:
        workspace = self.workspace
        followup = workspace.store.get("followups", followup_id) if workspace else None
        if followup and followup.get("session_id"):
            self.call_from_thread(self.open_session, followup["session_id"])

    def session_closed(self, session_id: str) -> None:
        """After closing comes the summary to hand to the client (home reloads itself
        when the preview is left)."""
        self.open_preview(session_id)

    @work(thread=True, group="io", exit_on_error=False)
    def open_preview(self, session_id: str) -> None:
        from tpe_tui.services.summary import SummarySource

        workspace = self.workspace
        if workspace is None:
            return
        with workspace.store.locked():
            session = workspace.store.get("sessions", session_id)
            if session is None:
                return
            source = SummarySource.of(workspace, session)
        self.call_from_thread(self._show_preview, source)

    def _show_preview(self, source: Any) -> None:
        from tpe_tui.ui.screens.preview import PreviewScreen

        self.push_screen(PreviewScreen(source))

    def _show_session(self, data: Any) -> None:
        from tpe_tui.ui.screens.accompaniment.screen import AccompanimentScreen

        self.push_screen(AccompanimentScreen(data))

    # ------------------------------------------------------------------ saving
    def save(self, key: str, job: Any) -> None:
        """Queue a save off the UI thread (ordered, bursts coalesced)."""
        self.saves.submit(key, job)

    # The save thread must never wait for the UI thread (the UI may itself be waiting for
    # the saves to finish, at quit): post_message is thread-safe and does not block.
    def _save_done_from_thread(self, key: str, result: Any) -> None:
        self.post_message(SaveDone(key, deepcopy(result)))

    def _save_failed_from_thread(self, key: str, error: Exception) -> None:
        self.post_message(SaveFailed(key, error))

    def on_save_done(self, message: SaveDone) -> None:
        handler = getattr(self.screen, "saved", None)
        if handler:
            handler(message.key, message.result)

    def on_save_failed(self, message: SaveFailed) -> None:
        error = message.error
        if not isinstance(error, TpeError):
            logging.getLogger("tpe_tui").error("save %s failed", message.key, exc_info=error)
        if isinstance(error, TpeError):
            text = str(error)
        else:
            text = (
                "L’enregistrement a échoué. Ce qui est à l’écran est gardé : réessayez avec Ctrl+S."
            )
        self.show_error(text)

    def show_error(self, message: str) -> None:
        """Important errors stay on screen until read: never a time-limited toast."""
        self.push_screen(MessageScreen(message, title="Problème"))

    # ------------------------------------------------------------------ palette & quit
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Every key shown in the current screen's footer is also a palette entry.
        for binding in screen.BINDINGS:
            if isinstance(binding, Binding) and binding.show and binding.description:
                key = binding.key_display or (
                    binding.key.upper() if binding.key.startswith("f") else binding.key
                )
                yield SystemCommand(
                    binding.description,
                    f"Touche {key}",
                    functools.partial(screen.run_action, binding.action),
                )
        yield SystemCommand(
            "Nouvel accompagnement", "Commencer un accompagnement", self.action_new_session
        )
        yield SystemCommand("Accueil", "Revenir à l’écran d’accueil", self.action_go_home)
        yield SystemCommand("Agenda des suivis", "Qui rappeler, qui relancer", self.action_agenda)
        yield SystemCommand(
            "Annuaire des structures", "CCI, CMA, France Services…", self.action_directory
        )
        yield SystemCommand(
            "Ateliers collectifs", "Inscriptions, émargement, récapitulatif", self.action_workshops
        )
        yield SystemCommand(
            "Aides et dispositifs", "Le catalogue des aides aux TPE", self.action_aids
        )
        yield SystemCommand(
            "Synchroniser", "Fusionner le fichier d’un autre ordinateur", self.action_sync
        )
        yield SystemCommand(
            "Mes coordonnées",
            "Nom, structure, téléphone, e-mail imprimés sur les comptes rendus",
            self.action_mediator_contact,
        )
        yield SystemCommand(
            "Bilan d’activité", "Chiffres, bilan PDF, export national (touche b)", self.action_stats
        )
        yield SystemCommand(
            "Thème sombre / clair", "Changer les couleurs", self.action_toggle_theme
        )
        yield SystemCommand(
            "Thème console (ANSI)", "Couleurs sûres pour la console Linux", self.action_ansi_theme
        )
        yield SystemCommand(
            "Raccourcis clavier", "Afficher l’aide des touches", self.action_show_keys
        )
        yield SystemCommand("Quitter", "Enregistrer et quitter tpe-tui", self.action_quit)

    def action_mediator_contact(self) -> None:
        from tpe_tui.ui.screens.mediator_contact import ask_mediator_contact

        ask_mediator_contact(self, self.config)

    def action_go_home(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.load_home()

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_ansi_theme(self) -> None:
        self.theme = "textual-ansi"

    def action_show_keys(self) -> None:
        self.action_show_help_panel()

    async def action_quit(self) -> None:
        for screen in self.screen_stack:
            flush = getattr(screen, "flush_edits", None)
            if flush:
                flush()
        self.exit()

    def _handle_exception(self, error: Exception) -> None:
        """No traceback ever reaches the person: log it, keep what was typed, say it in French.

        Overrides Textual 8.2's handler (pinned version), keeping its exit behaviour and
        its re-raise under test, without the traceback renderable.
        """
        logging.getLogger("tpe_tui").error("unexpected error in the app", exc_info=error)
        for screen in self.screen_stack:
            with contextlib.suppress(Exception):
                getattr(screen, "flush_edits", lambda: None)()
        self.exit_message = (
            "une erreur inattendue a fermé l’application ; ce qui avait été saisi est "
            f"enregistré. Détails pour l’assistance dans {paths.log_dir() / 'tpe-tui.log'}."
        )
        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self._close_messages_no_wait()

    def shutdown(self) -> None:
        """After the UI is gone: finish pending saves, fold the journal, release the lock."""
        self.saves.close()
        if self.workspace is not None:
            self.workspace.store.close()
            try:
                data = HomeData.load(self.workspace)
            except Exception:  # only a faster next start is at stake
                logging.getLogger("tpe_tui").exception("home cache not written")
                return
            data_file.write_home_picture(self.db_path, {**data.as_dict(), "day": today_iso()})
