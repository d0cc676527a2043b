"""System tests drive the real program (pty, tmux, subprocesses, faults): marked slow."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def mediator_already_set_up(isolated_home: Path) -> None:
    """The real program asks the mediator's contact details at its very first start; these
    tests drive a laptop where that was answered already."""
    from tpe_tui.services.config import Config

    Config(mediator="").save()
