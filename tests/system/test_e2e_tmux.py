"""End to end in a real terminal: the installed `tpe-tui` in tmux at 80x24, a whole
accompaniment with real keys, quit, then the file read with plain TinyDB and the summary
rendered by `tpe-tui summary`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tinydb import TinyDB

from tests.helpers import read_data

TMUX = shutil.which("tmux")
TPE_TUI = Path(sys.executable).with_name("tpe-tui")
pytestmark = [
    pytest.mark.skipif(TMUX is None, reason="tmux introuvable : installez le paquet tmux"),
    pytest.mark.skipif(not TPE_TUI.exists(), reason="tpe-tui n’est pas installé dans ce venv"),
]


class Terminal:
    """One tmux session running one command at 80x24."""

    def __init__(self, name: str, command: str, env: dict[str, str]) -> None:
        self.name, self.env = name, env
        self.tmux("new-session", "-d", "-s", name, "-x", "80", "-y", "24", command)

    def tmux(self, *args: str) -> str:
        out = subprocess.run(
            [TMUX, "-L", self.name, *args],
            capture_output=True,
            text=True,
            env=self.env,
            check=False,
        )
        return out.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, text: str, timeout: float = 30) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"« {text} » never appeared; the screen shows:\n{self.screen()}")

    def colours(self) -> str:
        return self.tmux("capture-pane", "-p", "-e", "-t", self.name)

    def settle(self, quiet: float = 0.5, timeout: float = 30) -> None:
        """Until the screen (colours included) has not changed for `quiet` seconds: a
        screen still drawing (focus given late, a list filled) takes keys elsewhere."""
        end = time.monotonic() + timeout
        shown, since = self.colours(), time.monotonic()
        while time.monotonic() < end:
            time.sleep(0.1)
            now = self.colours()
            if now != shown:
                shown, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return

    def keys(self, *keys: str, pause: float = 0.15) -> None:
        """Each key, then until the screen (colours included: the focus shows in them)
        has changed: the next key must not arrive before this one is done. Every key of
        this test changes the screen; the 30 s limit only matters on a very busy machine."""
        for key in keys:
            before = self.colours()
            self.tmux("send-keys", "-t", self.name, key)
            end = time.monotonic() + 30
            while self.colours() == before and time.monotonic() < end:
                time.sleep(0.05)
            time.sleep(pause)

    def type(self, text: str) -> None:
        """Type `text` at once, then wait until its last word is drawn: a Tab sent while
        the field still works through the burst would reach the field, not move the focus
        (the app moves the focus only once the field has let the Tab through). A field
        scrolled out of view never shows it: then until the screen has settled."""
        self.tmux("send-keys", "-t", self.name, "-l", text)
        word = text.split()[-1]
        end = time.monotonic() + 30
        shown, since, changed = self.colours(), time.monotonic(), False
        while word not in self.screen() and time.monotonic() < end:
            time.sleep(0.1)
            now = self.colours()
            if now != shown:
                shown, since, changed = now, time.monotonic(), True
            elif changed and time.monotonic() - since >= 2:
                return  # the field took the text, but it is out of view

    def choose(self, downs: int) -> None:
        """Open the focused list, go down `downs` entries, pick."""
        self.keys("Enter", pause=0.3)
        self.keys(*(["Down"] * downs), "Enter", pause=0.2)

    def close(self) -> None:
        self.tmux("kill-server")


def test_a_whole_accompaniment_in_tmux(tmp_path: Path, isolated_home: Path) -> None:
    db = tmp_path / "donnees.json"
    done = tmp_path / "exit-code"
    env = {**os.environ, "TPE_TUI_TODAY": "2026-11-24", "TERM": "xterm-256color"}
    env.pop("TMUX", None)
    term = Terminal(
        f"tpe-e2e-{os.getpid()}", f"'{TPE_TUI}' --db '{db}'; echo $? > '{done}'; sleep 60", env
    )
    try:
        term.wait_for("Nouvel accompagnement")
        term.keys("n")
        term.wait_for("Étape 1/14")
        term.settle()  # the date field takes the focus (its text selected) once drawn
        term.type("20/11/2026")
        term.keys("Tab")
        term.type("45")
        term.keys("F4")
        term.wait_for("Étape 2/14")
        term.type("Fleuriste Roussel")
        term.wait_for("Créer")
        term.keys("Down", "Enter")
        term.keys("Tab")
        term.type("Fleuriste")
        term.keys("F4")
        term.wait_for("Étape 3/14")
        term.type("Je voudrais vendre mes bouquets sur internet")
        term.keys("Tab")
        term.type("Vendre en ligne, livrer dans Arras")
        term.keys("F4", "F4")
        term.wait_for("Étape 5/14")
        term.choose(2)  # first Pix area: level 2
        term.keys("F4")
        term.wait_for("Étape 6/14")
        term.keys("Enter", "Tab", *(["Down"] * 5), "Space")  # technical; online presence
        term.keys("F4", "F4")
        term.wait_for("Étape 8/14")
        term.type("Site vitrine")
        term.keys("Tab")
        term.choose(1)
        term.keys("Tab")
        term.type("Visible")
        term.keys("Tab")
        term.type("Abonnement")
        term.keys("Tab", "Tab")
        term.choose(1)
        term.keys("Tab", "Tab")
        term.type("Place de marche")
        term.keys("Tab")
        term.choose(2)
        term.keys("Tab")
        term.type("Clients deja la")
        term.keys("Tab")
        term.type("Commissions")
        term.keys("F4", "F4", "F4")
        term.wait_for("Étape 11/14")
        term.type("15/12/2026")
        term.keys("Tab")
        term.type("Ouvrir la boutique")
        term.keys("Tab", "Space", "Tab")
        term.type("08/12/2026")
        term.keys("F9")
        term.wait_for("Compte rendu")
        term.keys("Escape")
        term.wait_for("Derniers accompagnements")
        term.keys("C-q")
        end = time.monotonic() + 30
        while not done.exists() and time.monotonic() < end:
            time.sleep(0.1)
        assert done.read_text().strip() == "0"
    finally:
        term.close()

    # Any TinyDB program opens the file (its records packed, see storage/compact.py)…
    with TinyDB(db, access_mode="r") as plain:
        assert len(plain.table("clients")) == len(plain.table("sessions")) == 1
    # … and the app reads them whole.
    data = read_data(db)
    (client,) = data["clients"].values()
    (session,) = data["sessions"].values()
    followups = list(data["followups"].values())
    assert client["name"] == "Fleuriste Roussel" and client["trade"] == "Fleuriste"
    assert session["status"] == "closed" and session["client_id"] == client["id"]
    assert (session["date"], session["duration_min"]) == ("2026-11-20", 45)
    assert session["request_rephrased"] == "Vendre en ligne, livrer dans Arras"
    assert [s["title"] for s in session["solutions"]] == ["Site vitrine", "Place de marche"]
    assert sorted((f["kind"], f["due_date"]) for f in followups) == [
        ("callback", "2026-12-08"),
        ("deadline", "2026-12-15"),
    ]
    out = subprocess.run(
        [str(TPE_TUI), "summary", session["id"][:8], "--db", str(db)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "Fleuriste Roussel" in out.stdout and "Site vitrine" in out.stdout
    assert "8 décembre 2026" in out.stdout  # the callback, in words
