"""Helpers shared by the sub-commands: every command reads and writes through the
workspace, as the app does."""

from __future__ import annotations

import argparse
from pathlib import Path

from tpe_tui.services.workspace import Workspace
from tpe_tui.storage import paths


def db_of(args: argparse.Namespace) -> Path:
    return paths.db_path(getattr(args, "db", None))


def open_workspace(args: argparse.Namespace) -> Workspace:
    """The data file open for writing (takes the lock, backs up, recovers)."""
    return Workspace.open(db_of(args), paths.device_id())


def read_workspace(args: argparse.Namespace) -> Workspace:
    """The data file read-only, without the lock (works while the app is open)."""
    return Workspace.snapshot(db_of(args))
