"""JSON files on mounted removable media (USB sticks): a convenience list for the sync screen.

Only the usual mount folders are looked at, a few levels deep, so a slow or huge stick
never stalls the screen.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

MOUNT_ROOTS = (Path("/media"), Path("/run/media"), Path("/mnt"), Path("/Volumes"))
MAX_DEPTH = 4
MAX_FILES = 50


def json_files(roots: Iterable[Path] | None = None, max_depth: int = MAX_DEPTH) -> list[Path]:
    """`.json` files under `roots` (hidden folders skipped), newest first, at most MAX_FILES."""
    found: list[tuple[float, Path]] = []
    for root in MOUNT_ROOTS if roots is None else roots:
        base_depth = len(root.parts)
        try:
            walker = os.walk(root, onerror=lambda _e: None)
            for folder, dirs, files in walker:
                depth = len(Path(folder).parts) - base_depth
                dirs[:] = [d for d in dirs if not d.startswith(".")] if depth < max_depth else []
                for name in files:
                    if name.lower().endswith(".json") and not name.startswith("."):
                        path = Path(folder) / name
                        try:
                            found.append((path.stat().st_mtime, path))
                        except OSError:
                            continue
                if len(found) >= MAX_FILES * 4:
                    break
        except OSError:
            continue
    found.sort(key=lambda item: item[0], reverse=True)
    return [path for _, path in found[:MAX_FILES]]


def short_name(path: Path, roots: Iterable[Path] | None = None) -> str:
    """The path below its mount folder ("CLE USB/tpe-tui.json"): what the person recognises."""
    for root in MOUNT_ROOTS if roots is None else roots:
        if path.is_relative_to(root):
            return str(path.relative_to(root))
    return str(path)
