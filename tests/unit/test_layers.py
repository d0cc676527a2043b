"""The layers hold: every module of the product is read (with `ast`, function-level imports
included) and each import is checked against what its package may import.

    ui, cli -> services -> domain, sync, storage, documents;  domain imports only domain.

Third-party rules: Textual and Rich only in `ui/`; TinyDB only in `storage/`; no network
module anywhere (the product works offline).
"""

from __future__ import annotations

import ast
import subprocess
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import PYTHON, REPO, subprocess_env

PACKAGE = REPO / "tpe_tui"

# What each layer may import of ours (itself always included).
ALLOWED: dict[str, set[str]] = {
    "domain": set(),
    "sync": {"domain"},
    "storage": {"domain", "sync"},
    "documents": {"domain", "storage"},
    "services": {"domain", "sync", "storage", "documents"},
    "ui": {"domain", "sync", "services", "documents"},
    # The command line launches the app (`tpe-tui` alone), hence `ui` for that one command.
    "cli": {"domain", "sync", "services", "documents", "ui"},
    "templates": set(),
    "": {"cli"},  # tpe_tui/__main__.py
}
THIRD_PARTY: dict[str, set[str]] = {
    "textual": {"ui"},
    "rich": {"ui"},
    "tinydb": {"storage"},
}
# Where files live (platformdirs): a leaf module that every layer may read.
LEAVES = {"tpe_tui.storage.paths"}
NETWORK = {"socket", "requests", "httpx", "aiohttp", "urllib3", "http", "urllib", "ftplib"}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ALLOWED) else ""


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(REPO).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        yield ".".join(parts), path


def _imports(module: str, path: Path) -> Iterator[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] == "tpe_tui":
                # `from tpe_tui.storage import paths` imports the module tpe_tui.storage.paths
                for alias in node.names:
                    yield (_module_or(f"{base}.{alias.name}", base)), node.lineno
            else:
                yield base, node.lineno


def _module_or(name: str, fallback: str) -> str:
    path = REPO.joinpath(*name.split("."))
    return name if path.with_suffix(".py").exists() or path.is_dir() else fallback


def _violations() -> list[str]:
    found = []
    for module, path in _modules():
        layer = _layer(module)
        for target, line in _imports(module, path):
            where = f"{path.relative_to(REPO)} imports {target} (line {line})"
            top = target.split(".")[0]
            if target in LEAVES:
                continue
            if top == "tpe_tui":
                other = _layer(target)
                if other != layer and other not in ALLOWED[layer]:
                    found.append(f"{where} ({layer or 'tpe_tui'} may not import {other})")
            elif top in THIRD_PARTY and layer not in THIRD_PARTY[top]:
                found.append(f"{where} ({top} belongs to {sorted(THIRD_PARTY[top])})")
            elif top in NETWORK:
                found.append(f"{where} (network module: the product works offline)")
    return found


# Imports still crossing a layer, each to be removed (the test fails if one disappears
# without being taken off this list, so it can only shrink).
KNOWN: set[str] = set()


def test_every_import_respects_the_layers() -> None:
    found = _violations()
    new = [v for v in found if v.split(" (")[0] not in KNOWN]
    assert new == [], "\n".join(new)
    gone = KNOWN - {v.split(" (")[0] for v in found}
    assert not gone, f"no longer crossing, take off KNOWN: {sorted(gone)}"


def test_the_checker_sees_a_crossing(tmp_path: Path) -> None:
    """The walker is not vacuous: it reads function-level and relative imports."""
    source = tmp_path / "probe.py"
    source.write_text("def f():\n    from ..storage import store\n    import textual\n")
    targets = [t for t, _ in _imports("tpe_tui.domain.probe", source)]
    assert targets == ["tpe_tui.storage.store", "textual"]
    assert _layer("tpe_tui.storage.store") == "storage"
    assert "storage" not in ALLOWED["domain"]


def test_the_pure_core_loads_without_textual_or_tinydb() -> None:
    """Importing every module of domain/ and sync/ loads neither Textual nor TinyDB."""
    names = [m for m, _ in _modules() if _layer(m) in ("domain", "sync")]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'tinydb', 'rich'}))"
    )
    out = subprocess.run(
        [PYTHON, "-c", code], capture_output=True, text=True, env=subprocess_env(), check=True
    )
    assert out.stdout.strip() == "[]"
