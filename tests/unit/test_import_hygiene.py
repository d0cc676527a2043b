"""The pure core loads without Textual; only the storage package imports TinyDB."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import PYTHON, REPO, subprocess_env

CORE = [
    "domain.records",
    "domain.catalog",
    "sync.merge",
    "documents.summary",
    "sync.versions",
    "storage.migrations",
    "domain.integrity",
    "services.demo",
]


def test_core_modules_do_not_load_textual() -> None:
    imports = "; ".join(
        f"import tpe_tui.{name}"
        for name in CORE
        if (REPO / "tpe_tui" / f"{name.replace('.', '/')}.py").exists()
    )
    code = f"import sys; {imports}; print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tinydb')))"
    out = subprocess.run(
        [PYTHON, "-c", code], capture_output=True, text=True, env=subprocess_env(), check=True
    )
    assert out.stdout.strip() == "[]"


def test_only_the_storage_package_imports_tinydb() -> None:
    offenders = [
        path.relative_to(REPO).as_posix()
        for path in (REPO / "tpe_tui").rglob("*.py")
        if path.parent.name != "storage"
        and ("import tinydb" in path.read_text() or "from tinydb" in path.read_text())
    ]
    assert offenders == []


def test_nothing_in_the_product_imports_a_network_module() -> None:
    banned = (
        "import socket",
        "import requests",
        "import httpx",
        "urllib.request",
        "import aiohttp",
        "http.client",
    )
    offenders = [
        path.name
        for path in Path(REPO / "tpe_tui").rglob("*.py")
        for word in banned
        if word in path.read_text()
    ]
    assert offenders == []
