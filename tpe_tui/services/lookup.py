"""Records named on the command line by the start of their id."""

from __future__ import annotations

from typing import Any

from tpe_tui.domain.errors import TpeError
from tpe_tui.services.workspace import Workspace


class UnknownRecord(TpeError):
    """No record, or several, match what was typed."""


def by_id_prefix(
    workspace: Workspace,
    table: str,
    prefix: str,
    nothing: str,
    several: str,
    error: type[TpeError] = UnknownRecord,
) -> dict[str, Any]:
    """The record of `table` whose id starts with `prefix` (a unique prefix is enough; a
    live record wins over deleted ones). `nothing` starts the French sentence when none
    matches (« Aucun atelier »), `several` names them in the plural (« ateliers »)."""
    prefix = prefix.strip().lower()
    found = [
        r
        for r in workspace.store.records(table, deleted=True)
        if prefix and str(r.get("id", "")).startswith(prefix)
    ]
    live = [r for r in found if not r.get("deleted")] or found
    if not live:
        raise error(f"{nothing} ne correspond à « {prefix} ».")
    if len(live) > 1:
        raise error(f"« {prefix} » correspond à {len(live)} {several} : donnez plus de caractères.")
    return dict(live[0])
