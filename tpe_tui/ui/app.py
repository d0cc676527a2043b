"""The Textual application: owns the workspace and the save queue; screens stay thin.

Workers own I/O (opening the file, loading lists); every write goes through the one ordered
save queue. Results go back to the screen that asked, or are dropped if it is gone; a failed
worker is logged and said in one French sentence (`on_worker_state_changed`). Screens ask
for navigation with messages (`ui.messages`).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.driver import Driver
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from tpe_tui.domain.clock import local_time
from tpe_tui.domain.errors import DataFileError, DataFolderError, LockedError, TpeError
from tpe_tui.domain.plain_text import printable
from tpe_tui.domain.records import today_iso
from tpe_tui.domain.text import break_paths
from tpe_tui.services import data_file
from tpe_tui.services.config import Config
from tpe_tui.storage import paths
from tpe_tui.ui import messages
from tpe_tui.ui.ahead import ScreensAhead
from tpe_tui.ui.collector import IdleCollector
from tpe_tui.ui.french import FOOTER_KEY_NAMES, FrenchCommandPalette, key_name
from tpe_tui.ui.save_queue import SaveQueue, Write
from tpe_tui.ui.screens.base import settle_focused
from tpe_tui.ui.screens.dialogs import (
    ConfirmScreen,
    FormDialog,
    MessageScreen,
    typing_would_be_lost,
)
from tpe_tui.ui.screens.home import HomeData, HomeScreen
from tpe_tui.ui.typeahead import TypeAhead

if TYPE_CHECKING:  # imported where the file is opened, after the first frame
    from textual.notifications import SeverityLevel

    from tpe_tui.services.workspace import Workspace


T = TypeVar("T")
AGENDA = "agenda"  # the name the agenda screen is installed under
TYPING_PAUSE_S = 0.5  # a key pressed less than this ago: the person is typing
log = logging.getLogger("tpe_tui")


@dataclass(frozen=True)
class Reply:
    """Where the result of a read or a write goes: `then`, on the UI thread, if the screen
    that asked (`owner`; None for the app itself) is still there."""

    owner: Screen[Any] | None
    then: Callable[[Any], Any] | None


class WriteDone(Message):
    """A queued write finished."""

    def __init__(self, write: Write, result: Any) -> None:
        super().__init__()
        self.write = write
        self.result = result


class WriteFailed(Message):
    """A queued write failed; nothing on disk changed."""

    def __init__(self, write: Write, error: Exception) -> None:
        super().__init__()
        self.write = write
        self.error = error


def failure_sentence() -> str:
    return (
        "Cette action a échoué ; rien n’a été perdu. Détails dans le journal "
        f"{paths.log_dir() / 'tpe-tui.log'}."
    )


def start_failure_sentence(db: Path) -> str:
    return (
        f"Le fichier de données {db} n’a pas pu être ouvert ; rien n’a été modifié. Détails "
        f"dans le journal {paths.log_dir() / 'tpe-tui.log'}. Vous pouvez réessayer."
    )


# The app's own palette entries, in the order shown: (title, help, `action_…` method).
PALETTE = (
    ("Nouvel accompagnement", "Commencer un accompagnement", "new_session"),
    ("Accueil", "Revenir à l’écran d’accueil", "go_home"),
    ("Agenda des suivis", "Qui rappeler, qui relancer", "agenda"),
    ("Annuaire des structures", "CCI, CMA, France Services…", "directory"),
    ("Ateliers collectifs", "Inscriptions, émargement, récapitulatif", "workshops"),
    ("Aides et dispositifs", "Le catalogue des aides aux TPE", "aids"),
    ("Synchroniser", "Fusionner le fichier d’un autre ordinateur", "sync"),
    (
        "Mes coordonnées",
        "Nom, structure, téléphone, e-mail imprimés sur les comptes rendus",
        "mediator_contact",
    ),
    ("Bilan d’activité", "Chiffres, bilan PDF, export national", "stats"),
    ("Thème sombre / clair", "Changer les couleurs", "toggle_theme"),
    ("Thème console (ANSI)", "Couleurs sûres pour la console Linux", "ansi_theme"),
    ("Raccourcis clavier", "Afficher ou masquer l’aide des touches", "show_keys"),
    ("Quitter", "Enregistrer et quitter tpe-tui", "quit"),
)


def _record_names(workspace: Workspace) -> None:
    from tpe_tui.services.sync import record_device

    record_device(workspace.store, workspace.config)


class TpeApp(App[None]):
    TITLE = "tpe-tui"
    SUB_TITLE = "Accompagnement numérique des TPE"
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses live elsewhere
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quitter", id="quit", priority=True),
        Binding("ctrl+p", "command_palette", "Menu", id="palette", priority=True),
        # Moved at once, before the next key is handed to a field: a mediator typing fast
        # (Tab then « 45 ») must not see « 45 » land in the field just left.
        Binding("tab", "tab_focus('next')", show=False, priority=True),
        Binding("shift+tab", "tab_focus('previous')", show=False, priority=True),
    ]

    def __init__(self, db_path: Path, device: str, config: Config | None = None) -> None:
        super().__init__()
        self.db_path = db_path
        self.device = device
        self.config = config or Config.load()
        self.workspace: Workspace | None = None
        self.saves = SaveQueue(
            on_done=self._write_done_from_thread, on_error=self._write_failed_from_thread
        )
        self.exit_message: str | None = None
        self.retention_soon = 0
        self._when_ready: list[Callable[[], None]] = []
        # Whether this run's edits are known to carry the mediator's and laptop's names.
        self._names_recorded = False
        self._home_drawn = threading.Event()
        self.last_key_at = 0.0  # time.monotonic() of the last key pressed
        # Writes finished (or failed) since the start: with the day, what screens compare
        # to tell whether what they show may be outdated (`data_stamp`).
        self.data_generation = 0
        self._home_stamp: tuple[int, str] | None = None  # the data stamp of the home shown
        self._reads: dict[Worker[None], Reply] = {}
        # (screen, sentence) already said: a screen that reloads each time it comes back
        # (after the very dialog that said it) must not say the same failure in a loop.
        self._said: set[tuple[int, str]] = set()
        self.ahead = ScreensAhead(self)
        self.collector = IdleCollector(self)
        self._indexes_frozen = False  # once, after their first build (`prepare_search`)
        self.typeahead = TypeAhead(self.post_message, self.set_timer)
        self._asked_on: Screen[Any] | None = None  # see `_asked_by`

    def get_driver_class(self) -> type[Driver]:
        """Textual's Linux driver with our keyboard thread: a lone Échap reaches the app
        about 20 ms after the key, not 100-200 ms (`ui/keyboard_driver.py`)."""
        chosen = super().get_driver_class()
        if sys.platform == "win32":
            return chosen
        from tpe_tui.ui.keyboard_driver import driver_for

        return driver_for(chosen)

    # ------------------------------------------------------------------ start
    async def on_event(self, event: events.Event) -> None:
        """Keys are handled one after the other, each on the screen the keys before it
        led to (`TypeAhead`). Échap then a letter typed quickly reach us as Alt+letter,
        which is how terminals send Alt: no key of ours uses Alt, so it is taken as what
        was typed, Échap then the letter (Échap pressed to leave a screen was lost, and
        the letter meant for the next one acted on the screen left open).

        A paste is typed text too: it loses its control characters (bidirectional ones
        included, NEW4-23) before any field takes it, as keys do (Textual passes a key
        only if it is printable, a paste whole)."""
        if isinstance(event, events.Paste) and not event.is_forwarded:
            event.text = printable(event.text)
            if self.typeahead.admit(event):  # behind the keys typed before it (NEW5-8)
                await super().on_event(event)
            return
        if not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)
            return
        self.last_key_at = time.monotonic()  # background work waits while one types
        if event.key.startswith("alt+") and len(event.key) == 5 and event.key[4].isalnum():
            letter = event.key[4]
            self.typeahead.feed([events.Key("escape", "\x1b"), events.Key(letter, letter)])
            return
        if self.typeahead.admit(event):
            await super().on_event(event)
            self.typeahead.dispatched(event)

    def post_message(self, message: Message) -> bool:
        """A key bubbling back from its screen is on its way to its bindings: a key held
        behind it waits for them (`TypeAhead.coming_back`)."""
        if isinstance(message, events.Key) and message.is_forwarded:
            self.typeahead.coming_back(message)
        return super().post_message(message)

    def on_key(self, event: events.Key) -> None:
        """A key back from the widgets: once Textual's own handler has run its bindings
        (called after this one), the next key may go."""
        self.call_next(self.typeahead.came_back, event)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A notification whose file paths go to lines of their own, cut only after « / »
        (a toast is at most half the screen wide: it folded paths inside words)."""
        # Toast: 60 columns at most, half the screen; its padding, border and margin.
        width = min(60, self.size.width // 2) - 4
        if not markup and width > 10:
            message = break_paths(message, width)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def on_mount(self) -> None:
        self.push_screen(HomeScreen(self.cached_home()))
        self.call_after_refresh(self._first_frame_drawn)
        self.open_data(self._home_drawn)
        self.ahead.start()
        if not self.is_headless:
            # Headless (tests, probes), Python's own collections as they are: a test's app
            # closes at any moment, and a collection then only widened the window in which
            # a screen being mounted meets an app already closed.
            self.collector.start()
            self._stop_on_signals()

    def on_unmount(self) -> None:
        self.collector.stop()

    def _stop_on_signals(self) -> None:
        """Closing the terminal window (SIGHUP) or the session ending (SIGTERM) quits as
        Ctrl+Q does, keeping what was typed: by default they killed the app with the last
        second of typing unsaved and the terminal left in the app's screen mode."""
        loop = asyncio.get_running_loop()
        for stop in (signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(stop, self._stopped_by, stop)

    def _stopped_by(self, stop: signal.Signals) -> None:
        log.info("stopped by %s: saving what was typed", stop.name)
        self.call_later(self._quit_when_stopped, stop)  # after the keys already read

    async def _quit_when_stopped(self, stop: signal.Signals) -> None:
        with contextlib.suppress(Exception):
            await settle_focused(self.screen)
        for screen in self.screen_stack:
            with contextlib.suppress(Exception):  # the others are still kept
                getattr(screen, "flush_edits", lambda: None)()
        self.exit(return_code=128 + stop.value)

    def _first_frame_drawn(self) -> None:
        if not gc.isenabled():  # run_app turned collection off for the start
            # What start-up built (modules, the home screen) lives as long as the app:
            # frozen, later collections do not walk it again.
            gc.freeze()
            gc.enable()

    def on_home_lists_drawn(self, _: messages.HomeListsDrawn) -> None:
        # Parsing holds the GIL for a while: it waited for the home, lists included.
        self._home_drawn.set()

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

        # No garbage collection while the file becomes millions of objects: a collection
        # meanwhile walks them all holding the GIL (over a second at 10k sessions, typing
        # frozen). They live as long as the app: frozen afterwards, no collection walks them.
        gc.disable()
        try:
            workspace = Workspace.open(self.db_path, self.device, self.config)
        except LockedError as exc:
            self.call_from_thread(self._refuse, str(exc))
            return
        except DataFileError as exc:
            self.call_from_thread(self._offer_recovery, exc)
            return
        except DataFolderError as exc:
            self.call_from_thread(self._offer_retry, str(exc))
            return
        except TpeError as exc:
            self.call_from_thread(self._refuse, str(exc))
            return
        except Exception:
            # Whatever it is, the person is told and may try again: never a start that
            # waits forever on « Chargement des données… ».
            log.exception("data file not opened")
            self.call_from_thread(self._offer_retry, start_failure_sentence(self.db_path))
            return
        finally:
            gc.freeze()
            gc.enable()
        if not self.is_running:
            # Quit while the file was being read (seconds at 100k sessions): let go of it
            # here, as nothing on the UI side is left to hand it to.
            workspace.close()
            return
        try:
            erased, soon = clients.apply_retention(workspace, self._anonymising)
        except TpeError as exc:
            erased, soon = 0, 0
            log.warning("retention not applied: %s", exc)
        self.retention_soon = soon
        from tpe_tui.services import rescue

        rescued = rescue.waiting(workspace.store.path)
        self._home_stamp = self.data_stamp()
        data = HomeData.load(workspace)
        data.retention_soon = soon
        self.call_from_thread(self._data_ready, workspace, data)
        if erased or soon:
            self.call_from_thread(self._retention_notice, erased, soon)
        for copy in rescued:
            self.call_from_thread(self._offer_take_back, copy)

    def _anonymising(self, count: int) -> None:
        """Said while the retention rule anonymises `count` businesses at opening (seconds
        at 10k, behind a bare « Chargement des données… »: NEW4-30)."""
        from tpe_tui.domain.personal_data import more_than  # rare: not at every start

        said = (
            f"Anonymisation de {count} entreprise(s) sans activité depuis "
            f"{more_than(self.config.retention_days)} (conservation des données)…"
        )
        self.call_from_thread(self._loading_said, said)

    def _loading_said(self, said: str) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.query_one("#home-status", Static).update(said)

    def _refuse(self, message: str) -> None:
        self.exit_message = message
        self.exit(return_code=1)

    def _offer_retry(self, message: str) -> None:
        """The file could not be opened for a reason that may pass (a full disk, a folder
        not writable): say why, then try again or quit."""

        def decided(again: bool | None) -> None:
            if again:
                self.open_data()
            else:
                self._refuse(message)

        self.push_screen(ConfirmScreen(message, yes="Réessayer", no="Quitter"), decided)

    def _offer_recovery(self, error: DataFileError) -> None:
        question = str(error)
        if error.set_aside is None:
            # Nothing was set aside (a file of a newer tpe-tui): opening again would only
            # fail again, so the person reads why once and the app closes.
            self.push_screen(
                MessageScreen(question + "\n\nL’application va se fermer."),
                lambda _: self._refuse(question),
            )
            return
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

            def read_then_open(_: None) -> None:
                self.open_data()

            self.push_screen(
                MessageScreen(question + "\n\nUn nouveau fichier vide va être créé."),
                read_then_open,
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
        from tpe_tui.services import action_plan, aids

        # Off the way to the first screen (0.3 s at 100k), on the one write path, ordered
        # with what the person types next; it writes only actions that disagree.
        self.saves.submit(None, functools.partial(action_plan.settle_from_agenda, workspace))
        self.saves.submit(None, functools.partial(aids.settle_headcount_bands, workspace))
        waiting, self._when_ready = self._when_ready, []
        for action in waiting:
            action()
        self.prepare_search()
        # Journal lines damaged in the middle were skipped and kept aside: said first.
        damage = data_file.journal_damage_said(workspace)
        if damage:
            self.push_screen(
                MessageScreen(damage, title="Journal des enregistrements abîmé"),
                lambda _: self._after_opening(workspace),
            )
            return
        self._after_opening(workspace)

    def _after_opening(self, workspace: Workspace) -> None:
        """A visit interrupted by a stop is offered back; else the mediator's details are
        asked once."""
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

        def stopped() -> bool:
            # Seconds at 100,000 sessions, holding the GIL slice after slice: it waits
            # while a person types (each slice delayed the echo of keys by 50-100 ms), and
            # quitting does not wait for it.
            while time.monotonic() - self.last_key_at < TYPING_PAUSE_S:
                if worker.is_cancelled or not self.is_running:
                    break
                time.sleep(0.05)
            return worker.is_cancelled or not self.is_running

        if self.workspace is not None:
            self.workspace.prepare_search(stopped)
            # Then the agenda's index, the same way: its first opening only reads it.
            if not stopped():
                self.workspace.prepare_agenda(stopped)
            if not stopped() and not self._indexes_frozen:
                self._indexes_frozen = True
                # The indexes live as long as the file (hundreds of thousands of objects):
                # frozen, the collections that follow no longer walk them. Each full one
                # walked them holding the GIL, 0.2-1.1 s every ~10 s at 10k sessions, the
                # screen switch under way frozen meanwhile. Young garbage collected first
                # (cheap), so that little is frozen with them.
                gc.collect(1)
                gc.freeze()

    def _retention_notice(self, erased: int, soon: int) -> None:
        from tpe_tui.domain.personal_data import more_than  # rare: not at every start

        period = more_than(self.config.retention_days)
        lines = []
        if erased:
            lines.append(
                f"{erased} fiche(s) sans activité depuis {period} ont été "
                "anonymisées : les coordonnées des personnes sont effacées, les "
                "accompagnements restent comptés."
            )
        if soon:
            lines.append(
                f"{soon} fiche(s) seront anonymisées dans moins de 30 jours faute d’activité. "
                "Ouvrez l’agenda (touche a) pour les voir."
            )
        self.push_screen(MessageScreen("\n\n".join(lines), title="Conservation des données"))

    def _offer_take_back(self, copy: Path) -> None:
        """Saves a full disk refused at the last quit were kept aside: offer them back."""
        question = (
            "Au dernier arrêt, le disque était plein : ce qui n’avait pas pu être enregistré "
            f"a été gardé dans la copie de secours {copy}.\n\n"
            "Le reprendre maintenant dans le fichier ?"
        )

        def taken(count: int) -> None:
            self.notify(f"{count} fiche(s) reprise(s) de la copie de secours.", markup=False)
            self.load_home()

        def decided(yes: bool | None) -> None:
            if yes:
                self.write(lambda ws: ws.take_back(copy), taken)

        self.push_screen(ConfirmScreen(question, yes="Reprendre", no="Plus tard"), decided)

    def _offer_resume(self, session: dict[str, Any]) -> None:
        assert self.workspace is not None
        client = self.workspace.client(session.get("client_id"))
        name = client["name"] if client else "sans entreprise"
        # Say what was found, no more: what was typed after the last save is not in the file.
        when = local_time(session.get("updated_at"))
        question = (
            "tpe-tui s’est arrêté pendant un accompagnement. Il a été retrouvé tel "
            f"qu’enregistré {when or 'en dernier'} ; ce qui a été tapé juste avant l’arrêt "
            "peut manquer.\n\n"
            f"Reprendre l’accompagnement « {name} » là où il en était ?"
        )
        self.push_screen(
            ConfirmScreen(question, yes="Reprendre", no="Plus tard"),
            lambda yes: self.open_session(session["id"]) if yes else None,
        )

    def data_stamp(self) -> tuple[int, str]:
        """The writes done and the day: data read under the same stamp is still current."""
        return self.data_generation, today_iso()

    # ------------------------------------------------------------------ home
    def refresh_home(self, data: HomeData | None = None) -> None:
        if data is None:
            self.load_home()
            return
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.show(data)

    def refresh_home_if_outdated(self) -> None:
        """Back to the home: computed again only if a write or the day changed since."""
        if self._home_stamp != self.data_stamp():
            self.load_home()

    @work(thread=True, group="io", exit_on_error=False)
    def load_home(self) -> None:
        if self.workspace is None:
            return
        self._home_stamp = self.data_stamp()
        data = HomeData.load(self.workspace)
        data.retention_soon = self.retention_soon
        self.call_from_thread(self.refresh_home, data)

    # ------------------------------------------------------------------ reading and writing
    def read(
        self,
        load: Callable[[Workspace], T],
        show: Callable[[T], Any],
        owner: Screen[Any] | None = None,
    ) -> None:
        """Run `load` on the workspace in a thread, then `show` its result on the UI thread
        if `owner` is still shown. A failure is said by `on_worker_state_changed`."""
        workspace = self.workspace
        if workspace is None:  # a key pressed while the file is still being read
            self.when_ready(lambda: self.read(load, show, owner))
            return
        reply = Reply(owner, show)

        def run() -> None:
            value = load(workspace)
            if not get_current_worker().is_cancelled:
                self.call_from_thread(self._answer, reply, value)

        worker = self.run_worker(run, thread=True, group="io", exit_on_error=False, name="read")
        self._reads[worker] = reply

    def write(
        self,
        job: Callable[[Workspace], T],
        then: Callable[[T], Any] | None = None,
        *,
        key: str | None = None,
        owner: Screen[Any] | None = None,
    ) -> None:
        """Queue `job` on the one write path, after every write asked before it; then
        `then(result)` on the UI thread if `owner` is still shown. A write still waiting
        with the same `key` is replaced (typing: only the latest snapshot matters)."""
        workspace = self.workspace
        if workspace is None:  # asked while the file is being read: queued once it is open
            self.when_ready(lambda: self.write(job, then, key=key, owner=owner))
            return
        work: Callable[[], Any] = functools.partial(job, workspace)
        if not self._names_recorded:
            work = functools.partial(self._then_names, work, workspace)
        self.saves.submit(key, work, Reply(owner, then))

    def _then_names(self, work: Callable[[], T], workspace: Workspace) -> T:
        """Runs on the save thread: `work`, then, once it went through, the names of the
        config in the file: the other laptops label our edits with them (the conflicts
        screen), whenever and with whichever file open they were typed. Written only when
        the file does not hold them yet; nothing when `work` failed (a refused merge leaves
        the file as it was)."""
        result = work()
        if not self._names_recorded:
            _record_names(workspace)
            self._names_recorded = True
        return result

    def _answer(self, reply: Reply, value: Any) -> None:
        if reply.then is None:
            return
        owner = reply.owner
        if (
            owner is not None
            and owner not in self.screen_stack
            and not (
                # Built ahead (`ScreensAhead`), never shown yet: it reads before it is shown.
                owner.is_running and owner.stack_updates == 0
            )
        ):
            return  # the screen that asked is gone: nothing to show it on
        reply.then(value)

    # The save thread must never wait for the UI thread (the UI may itself be waiting for
    # the saves to finish, at quit): post_message is thread-safe and does not block.
    def _write_done_from_thread(self, write: Write, result: Any) -> None:
        self.data_generation += 1  # the save thread is the only one that counts

        if isinstance(write.reply, Reply) and write.reply.then is not None:
            self.post_message(WriteDone(write, deepcopy(result)))

    def _write_failed_from_thread(self, write: Write, error: Exception) -> None:
        self.data_generation += 1  # a failed write may have changed part of what it touched
        self.post_message(WriteFailed(write, error))

    def on_write_done(self, message: WriteDone) -> None:
        self._answer(message.write.reply, message.result)
        if (
            self.workspace is not None
            and not any(w.group == "index" and not w.is_finished for w in self.workers)
            and self.workspace.indexes_outdated()
        ):
            # A sync replaced the records: the indexes are built again now, a slice at a
            # time and waiting while a person types, while the report is read, rather
            # than by the first screen that needs one (≈ 0.5 s each at 100k sessions).
            self.prepare_search()

    def on_write_failed(self, message: WriteFailed) -> None:
        error = message.error
        # A save fails while the person may be typing: the dialog comes unasked.
        if isinstance(error, TpeError):
            self.show_error(str(error), unasked=True)
            return
        log.error("write %s failed", message.write.key, exc_info=error)
        self.show_error(
            "L’enregistrement a échoué. Ce qui est à l’écran est gardé : réessayez avec Ctrl+S. "
            f"Détails dans le journal {paths.log_dir() / 'tpe-tui.log'}.",
            unasked=True,
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Every worker of the app ends here when it fails: logged, and said in French."""
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        reply = self._reads.pop(event.worker, None)
        owner = id(reply.owner) if reply is not None and reply.owner is not None else None
        if event.state != WorkerState.ERROR:
            if owner is not None and event.state == WorkerState.SUCCESS:
                self._said = {said for said in self._said if said[0] != owner}
            return
        error = event.worker.error
        if not isinstance(error, TpeError):
            log.error("worker %s failed", event.worker.name, exc_info=error)
        sentence = str(error) if isinstance(error, TpeError) else failure_sentence()
        if owner is not None:
            if (owner, sentence) in self._said:
                return  # said already to this screen, which keeps what it shows
            self._said.add((owner, sentence))
        self.show_error(sentence)

    # ------------------------------------------------------------------ navigation
    def on_open_session(self, message: messages.OpenSession) -> None:
        with self._asked_by(message):
            if message.session_id is None and message.client_id is None:
                self.action_new_session()  # the one built ahead, if there is one
            else:
                self.open_session(message.session_id, message.client_id, instead=message.instead)

    def on_open_session_or_preview(self, message: messages.OpenSessionOrPreview) -> None:
        with self._asked_by(message):
            self.open_session_or_preview(message.session_id)

    def on_open_preview(self, message: messages.OpenPreview) -> None:
        with self._asked_by(message):
            self.open_preview(message.session_id)

    def on_open_followup_session(self, message: messages.OpenFollowupSession) -> None:
        with self._asked_by(message):
            self.open_followup_session(message.followup_id)

    def on_open_client_file(self, message: messages.OpenClientFile) -> None:
        with self._asked_by(message):
            self.open_client_file(message.client_id)

    def on_open_programme(self, message: messages.OpenProgramme) -> None:
        with self._asked_by(message):
            self.open_programme(message.table, message.record_id)

    def on_session_closed(self, message: messages.SessionClosed) -> None:
        """After closing comes the summary to hand to the client (home reloads itself
        when the preview is left)."""
        self.open_preview(message.session_id)

    def on_home_outdated(self, _: messages.HomeOutdated) -> None:
        self.refresh_home_if_outdated()

    def action_agenda(self) -> None:
        """The agenda is built once and kept (installed): coming back to it rebuilds
        nothing, and it reads again only if a write or the day changed since."""
        if not self.is_screen_installed(AGENDA):
            from tpe_tui.ui.screens.agenda import AgendaScreen

            self.install_screen(AgendaScreen(), AGENDA)
        agenda = self.get_screen(AGENDA)
        if agenda in self.screen_stack:  # under what it opened: back to it
            while self.screen is not agenda:
                self.pop_screen()
            return
        self.push_screen(agenda)

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

            self.read(lambda ws: ws.store.get("actions", record_id), self.from_here(show))
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
        self.ahead.open_client_file(client_id)

    def open_session_or_preview(self, session_id: str) -> None:
        """A closed session opens on its summary, one in progress where it was left."""

        def show(session: dict[str, Any] | None) -> None:
            if session is None:
                return
            if session.get("status") == "closed":
                self.open_preview(session_id)
            else:
                self.open_session(session_id)

        self.read(lambda ws: ws.session(session_id), self.from_here(show))

    # ------------------------------------------------------------------ sessions
    def action_new_session(self) -> None:
        if (self._asked_on or self.screen) is not self.screen:
            return  # asked from a screen no longer shown (keys typed ahead): not stacked
        spare = self.ahead.take_new_session()
        if spare is not None:
            self.push_screen(spare)
        else:
            self.open_session(None)

    def open_session(
        self, session_id: str | None, client_id: str | None = None, *, instead: bool = False
    ) -> None:
        """Load (or create) a session and what its screen needs, then show it (`instead` of
        the screen shown: that one is closed as it is shown)."""
        from tpe_tui.ui.screens.accompaniment.screen import AccompanimentData, AccompanimentScreen

        def show(data: AccompanimentData) -> None:
            screen = AccompanimentScreen(data)
            if instead:
                self.switch_screen(screen)
            else:
                self.push_screen(screen)

        self.read(
            lambda ws: AccompanimentData.load(ws, session_id, client_id), self.from_here(show)
        )

    @contextlib.contextmanager
    def _asked_by(self, message: Message) -> Iterator[None]:
        """What `message` asks is asked on the screen that sent it, while that screen is
        still open: handled after the screen changed (« r r » typed ahead: the second
        message comes once the first visit is shown), it must not open a second one."""
        screen = message.origin if isinstance(message, messages.Navigation) else None
        self._asked_on = screen if screen in self.screen_stack else None
        try:
            yield
        finally:
            self._asked_on = None

    def from_here(self, show: Callable[[T], Any]) -> Callable[[T], None]:
        """`show` (which opens a screen once its data is read) run only if the screen shown
        when it was asked is still the one shown: a key pressed twice quickly (« n n »)
        asks twice, and opened two screens stacked (acceptance finding NEW3-32)."""
        asked_on = self._asked_on or self.screen

        def shown(value: T) -> None:
            if self.screen is asked_on:
                show(value)

        return shown

    def open_followup_session(self, followup_id: str) -> None:
        def show(followup: dict[str, Any] | None) -> None:
            if followup and followup.get("session_id"):
                self.open_session(followup["session_id"])

        self.read(lambda ws: ws.store.get("followups", followup_id), self.from_here(show))

    def open_preview(self, session_id: str) -> None:
        from tpe_tui.services.summary import SummarySource

        def load(workspace: Workspace) -> SummarySource | None:
            with workspace.store.locked():
                session = workspace.store.get("sessions", session_id)
                if session is None:
                    return None
                return SummarySource.of(workspace, session)

        self.read(load, self.from_here(self._show_preview))

    def _show_preview(self, source: Any) -> None:
        from tpe_tui.ui.screens.preview import PreviewScreen

        if source is not None:
            self.push_screen(PreviewScreen(source))

    def show_error(self, message: str, *, unasked: bool = False) -> None:
        """Important errors stay on screen until read: never a time-limited toast. The same
        sentence already waiting to be read is not stacked a second time. One `unasked` (a
        save failing) lets the keys typed before it was seen go on to the field below."""
        for screen in self.screen_stack:
            if isinstance(screen, MessageScreen) and screen.message == message:
                return
        self.push_screen(MessageScreen(message, title="Problème", unasked=unasked))

    # ------------------------------------------------------------------ palette & quit
    def action_command_palette(self) -> None:
        """Textual's palette, in French."""
        if self.use_command_palette and not isinstance(self.screen, FrenchCommandPalette):
            self.push_screen(FrenchCommandPalette())

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        # Every key shown in the current screen's footer is also a palette entry; one that
        # opens what an entry of the app's own opens is that entry, with its key said
        # (« Agenda » and « Agenda des suivis » were listed twice, one key named wrong).
        keys: dict[str, str] = {}
        for binding in screen.BINDINGS:
            if isinstance(binding, Binding) and binding.description:
                keys.setdefault(binding.action, binding.key_display or key_name(binding.key))
        own = {f"app.{action}" for _, _, action in PALETTE}
        for binding in screen.BINDINGS:
            if (
                isinstance(binding, Binding)
                and binding.show
                and binding.description
                and binding.action not in own
            ):
                yield SystemCommand(
                    binding.description,
                    f"Touche {keys[binding.action]}",
                    functools.partial(screen.run_action, binding.action),
                )
        for title, help_text, action in PALETTE:
            key = keys.get(f"app.{action}")
            help_text = f"{help_text} (touche {key})" if key else help_text
            yield SystemCommand(title, help_text, getattr(self, f"action_{action}"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tab_focus":
            screen = self.screen
            if isinstance(screen, MessageScreen) and screen.unasked:
                return False  # typed on while it waits to be read: held for the field (NEW4-13)
            # A screen giving Tab its own meaning (the conflicts' next field) keeps it.
            return not any(
                isinstance(b, Binding) and b.key == "tab" and not b.action.startswith("app.")
                for b in self.screen.BINDINGS
            )
        return True

    def action_tab_focus(self, direction: str) -> None:
        if direction == "next":
            self.screen.focus_next()
        else:
            self.screen.focus_previous()

    def on_input_blurred(self, event: Input.Blurred) -> None:
        """A one-line field left shows the start of its text, not where typing ended."""
        event.input.cursor_position = 0

    def action_mediator_contact(self) -> None:
        from tpe_tui.ui.screens.mediator_contact import ask_mediator_contact

        ask_mediator_contact(self, self.config)

    def action_go_home(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.refresh_home_if_outdated()

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_ansi_theme(self) -> None:
        self.theme = "textual-ansi"

    def get_key_display(self, binding: Binding) -> str:
        """Keys named in the footer as a French keyboard names them (« Espace », « Suppr »,
        not Textual's « space », « del »); the short arrows and « esc » stay."""
        modifiers, key = binding.parse_key()
        if not binding.key_display and not modifiers and key in FOOTER_KEY_NAMES:
            return FOOTER_KEY_NAMES[key]
        return super().get_key_display(binding)

    def action_show_keys(self) -> None:
        """Show the keys panel, or hide it when it is shown: nothing else closes it (Échap
        belongs to the screen under it) (acceptance finding NEW3-20)."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
            return
        self.action_show_help_panel()
        self.notify(
            "Pour masquer l’aide des touches : Ctrl+P, puis « Raccourcis clavier ».",
            markup=False,
        )

    async def action_quit(self) -> None:
        screen = self.screen
        if isinstance(screen, MessageScreen) and screen.held:
            # Keys typed while a message waited are held for their field: they go there
            # first, then Ctrl+Q is handled as if typed after them.
            screen.action_close()
            self.post_message(events.Key("ctrl+q", None))
            return
        # Ctrl+Q is handled before the keys typed just before it have reached their field.
        await settle_focused(self.screen)
        for screen in self.screen_stack:
            flush = getattr(screen, "flush_edits", None)
            if flush:
                flush()
        # A value refused in a form (a SIRET with letters…) is not saved: Ctrl+Q asks
        # first, as Échap does, instead of dropping it without a word.
        # (The forms and the accompaniment list them in `refused` and ask in `leave_then`.)
        refusing = [
            s for s in self.screen_stack if getattr(s, "refused", None) and hasattr(s, "leave_then")
        ]
        if refusing:
            refusing[-1].leave_then(self.exit)
            return
        # A dialog still holding what was typed in it (a plan action, a note) has not
        # handed it over: ask too (acceptance finding NEW3-34).
        dialog = self.screen
        if isinstance(dialog, FormDialog) and dialog.typed():

            def answered(leave: bool | None) -> None:
                if leave:
                    self.exit()

            self.push_screen(typing_would_be_lost(dialog.title_text, "Quitter"), answered)
            return
        self.exit()

    def _handle_exception(self, error: Exception) -> None:
        """No traceback ever reaches the person: log it, keep what was typed, say it in French.

        Overrides Textual 8.2's handler (pinned version), keeping its exit behaviour and
        its re-raise under test, without the traceback renderable.
        """
        if isinstance(error, NoMatches) and (self._exit or not self._running):
            # The app closing while a screen (a dialog, a screen built ahead) was being
            # composed: its widgets are never made and its on_mount finds none. The person
            # is leaving and everything is saved on the way out: nothing to say, nothing
            # failed (it made tests fail at random on a busy machine).
            log.warning("a screen shown while the app closed: %s", error)
            return
        log.error("unexpected error in the app", exc_info=error)
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
            try:
                self.workspace.close()
            except TpeError as exc:  # a full disk: where the unsaved work went is said
                log.warning("closing the data file: %s", exc)
                self.exit_message = str(exc)
                self._return_code = 1
                return
            try:
                data = HomeData.load(self.workspace)
            except Exception:  # only a faster next start is at stake
                log.exception("home cache not written")
                return
            data_file.write_home_picture(self.db_path, {**data.as_dict(), "day": today_iso()})
