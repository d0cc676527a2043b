"""An erasure made on one laptop erases the person on the laptop that receives it by sync:
not only in its data file but in every copy it keeps — the backups of its starts and the
backup the merge itself takes just before writing (acceptance finding F35)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import PYTHON, subprocess_env
from tests.helpers import files_holding, read_data
from tpe_tui.domain.records import new_record
from tpe_tui.services import erasure
from tpe_tui.services.workspace import Workspace

PERSONAL = {
    "name": "Boulangerie Girard Xq",
    "siret": "12345678901237",
    "phone": "03 23 45 67 89",
    "contact": "Marie Girardxq",
    # Typed on laptop B only, after the copy: A never saw them.
    "new_phone": "06 11 22 33 44",
    "new_email": "marie.girard@boulangerie-xq.fr",
}


def _sync(ours: Path, source: Path, config: Path) -> str:
    env = {**subprocess_env(), "XDG_CONFIG_HOME": str(config)}
    done = subprocess.run(
        [PYTHON, "-m", "tpe_tui", "--db", str(ours), "sync", str(source)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _traces(folder: Path) -> list[tuple[str, str]]:
    return files_holding(folder, PERSONAL.values())


def test_an_erasure_received_by_sync_leaves_nothing_in_the_backups(
    isolated_home: Path, tmp_path: Path
) -> None:
    laptop_a, laptop_b = tmp_path / "a", tmp_path / "b"
    laptop_a.mkdir()
    laptop_b.mkdir()
    a, b = laptop_a / "e-a.json", laptop_b / "e-b.json"
    with Workspace.open(a, "laptop-a") as ws:
        contact = {"id": "p1", "name": PERSONAL["contact"], "phone": "", "email": "", "role": ""}
        client = ws.save_client(
            new_record(
                "clients",
                name=PERSONAL["name"],
                siret=PERSONAL["siret"],
                phone=PERSONAL["phone"],
                commune="Laon",
                contacts=[contact],
            )
        )
        other = ws.save_client(new_record("clients", name="Fleuriste Témoin", commune="Laon"))
    shutil.copyfile(a, b)
    with Workspace.open(b, "laptop-b") as ws:  # B's start: a backup holding the person
        current = ws.client(client["id"])
        assert current is not None
        ws.save_client({**current, "phone": PERSONAL["new_phone"], "email": PERSONAL["new_email"]})
    with Workspace.open(b, "laptop-b"):  # one more start, one more backup
        pass
    with Workspace.open(a, "laptop-a") as ws:
        erasure.erase(ws, client["id"])
    backups_b = laptop_b / "backups"
    assert any(_traces(backups_b)), "the test must see the person in B's backups before"

    config_a, config_b = tmp_path / "config-a", tmp_path / "config-b"
    _sync(a, b, config_a)  # B's edits dropped by the erasure
    out = _sync(b, a, config_b)

    assert "1 effacement(s)" in out
    assert _traces(laptop_b) == []
    assert _traces(laptop_a) == []
    # The backups were rewritten, not thrown away: each still restores the other business.
    kept = sorted(backups_b.iterdir())
    assert any("before-merge" in p.name for p in kept)
    for backup in kept:
        clients = read_data(backup)["clients"].values()
        assert any(c["id"] == other["id"] for c in clients)
        assert all(c.get("anonymised") for c in clients if c["id"] == client["id"])
    assert not os.path.exists(str(b) + ".journal")
