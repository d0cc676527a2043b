"""The real program started on a really full disk, in a real pseudo-terminal."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import fill_disk
from tests.helpers import add_client, add_session, open_store
from tests.system.test_kill_resume import Terminal, _exit_status


def test_a_full_disk_at_start_is_said_in_the_terminal_and_retry_opens(small_disk: Path) -> None:
    db = small_disk / "donnees.json"
    with open_store(db) as store:
        client = add_client(store, "Garage Caron")
        add_session(store, client["id"], status="in_progress")
    filler = fill_disk(small_disk)
    terminal = Terminal(db)
    terminal.wait_for("Le disque est plein")
    terminal.wait_for("Réessayer")
    filler.unlink()
    terminal.key(b"\r")  # « Réessayer » has the focus
    terminal.wait_for("Garage Caron")  # the home lists the accompaniment in progress
    os.write(terminal.fd, b"\x11")  # Ctrl+Q
    assert _exit_status(terminal) == 0
    os.close(terminal.fd)
