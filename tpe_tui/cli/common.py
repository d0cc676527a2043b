"""Helpers shared by the sub-commands."""

from __future__ import annotations

import argparse
from pathlib import Path

from tpe_tui.storage import paths
from tpe_tui.storage.store import Store


def db_of(args: argparse.Namespace) -> Path:
    return paths.db_path(getattr(args, "db", None))


def open_store(args: argparse.Namespace) -> Store:
    """The data file open for writing (takes the lock, backs up, recovers)."""
    return Store.open(db_of(args), paths.device_id())
