"""The workspace: what every screen and command reads and writes through."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import add_session
from tpe_tui.domain.errors import TpeError
from tpe_tui.services.config import Config
from tpe_tui.services.workspace import Workspace


def test_editing_a_colleagues_visit_keeps_this_laptops_mediator(db: Path) -> None:
    Config(mediator="Marie Dupont").save()
    with Workspace.open(db, "laptop-a") as workspace:
        visit = add_session(workspace.store, mediator="Hugo Perrin")
        workspace.save_session({**visit, "notes": "Rappel fait par Marie"})
        assert workspace.config.mediator == "Marie Dupont"
        assert workspace.new_session()["mediator"] == "Marie Dupont"
    assert Config.load().mediator == "Marie Dupont"


def test_a_name_typed_before_any_is_set_is_remembered(db: Path) -> None:
    Config(mediator="").save()
    with Workspace.open(db, "laptop-a") as workspace:
        visit = workspace.new_session()
        workspace.save_session({**visit, "mediator": "Yanis Benali", "notes": "x"})
    assert Config.load().mediator == "Yanis Benali"


def test_a_snapshot_reads_without_the_lock_and_refuses_to_write(db: Path) -> None:
    with Workspace.open(db, "laptop-a") as workspace:
        visit = add_session(workspace.store, mediator="Hugo Perrin")
        # The app still holds the file: the snapshot reads what is saved so far.
        with Workspace.snapshot(db) as reader:
            assert reader.session(visit["id"])["mediator"] == "Hugo Perrin"
            with pytest.raises(TpeError, match="lecture seule"):
                reader.save_session({**visit, "notes": "x"})
    assert b'"notes":"x"' not in db.read_bytes()
