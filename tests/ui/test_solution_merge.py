"""Acceptance finding F39: laptop A renames a solution, laptop B renames it too and changes
only its « Inconvénients ». After the sync the drawbacks merge with no conflict; only the
name is a conflict, of that field alone, settled on the conflicts screen by keys (80x24)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea

from tests.helpers import add_client, add_session, open_store
from tests.ui_helpers import make_app, open_conflicts, settle, type_text
from tpe_tui.domain.types import solution
from tpe_tui.services.config import Config
from tpe_tui.services.sync import import_file, record_device
from tpe_tui.storage.exchange import export_file

FIRST = solution(
    solution_id="s1", title="Boutique en ligne", pros="Ouverte jour et nuit", cons="Frais"
)


def _renamed_on_both(db: Path, tmp_path: Path) -> tuple[Path, str]:
    """Our file (laptop A) and laptop B's export, both edited since their common past."""
    with open_store(db, "laptop-a") as store:
        client = add_client(store, "Boutique Lina")
        visit = add_session(store, client["id"], solutions=[FIRST])
    export_file(db, tmp_path / "a.json", "laptop-a")
    other = tmp_path / "b.json"
    with open_store(other, "laptop-b") as store:
        import_file(store, tmp_path / "a.json")
        record_device(store, Config(mediator="Inès Roux", laptop_name="portable-ines"))
        renamed = {**FIRST, "title": "Boutique Shopify (B)", "cons": "Abonnement mensuel"}
        store.put("sessions", {**store.get("sessions", visit["id"]), "solutions": [renamed]})
    with open_store(db, "laptop-a") as store:
        renamed = {**FIRST, "title": "Boutique WooCommerce (A)"}
        store.put("sessions", {**store.get("sessions", visit["id"]), "solutions": [renamed]})
    return export_file(other, tmp_path / "tpe-tui-b.json", "laptop-b"), visit["id"]


async def test_a_solution_renamed_on_both_laptops_merges_field_by_field(
    db: Path, tmp_path: Path
) -> None:
    source, visit_id = _renamed_on_both(db, tmp_path)
    with open_store(db, "laptop-a") as store:
        outcome = import_file(store, source)
    assert outcome.report.tables["sessions"].conflicts == 1
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        (merged,) = app.workspace.store.get("sessions", visit_id)["solutions"]
        assert merged["cons"] == "Abonnement mensuel"  # B's drawbacks, with no conflict
        assert merged["pros"] == "Ouverte jour et nuit"
        fields = await open_conflicts(pilot)
        shown = merged["title"]  # the later edit is shown; either way one field only
        assert fields == [f"▶ Solutions › {shown} › Titre"]
        values = [str(w.render()) for w in app.screen.query(".conflict-value")]
        assert sorted(values) == ["Boutique Shopify (B)", "Boutique WooCommerce (A)"]

        await pilot.press("e")  # a combined name can be typed: it is text
        await settle(pilot)
        area = app.screen.query_one("#ask-value", TextArea)
        assert "Boutique Shopify (B)" in area.text and "Boutique WooCommerce (A)" in area.text
        area.clear()
        await type_text(pilot, "Boutique Shopify ou WooCommerce")
        await pilot.press("ctrl+s")
        await settle(pilot)
        (kept,) = app.workspace.store.get("sessions", visit_id)["solutions"]
        assert kept["title"] == "Boutique Shopify ou WooCommerce"
        assert kept["cons"] == "Abonnement mensuel"
        assert "Aucun conflit" in str(app.screen.query_one("#conflict-title").render())
    app.shutdown()

    # The settled name syncs back to laptop B with no new conflict, its drawbacks kept.
    export_file(db, tmp_path / "pour-b.json", "laptop-a")
    with open_store(tmp_path / "b.json", "laptop-b") as store:
        outcome = import_file(store, tmp_path / "pour-b.json")
        assert outcome.report.tables["sessions"].conflicts == 0
        (on_b,) = store.get("sessions", visit_id)["solutions"]
        assert on_b["title"] == "Boutique Shopify ou WooCommerce"
        assert on_b["cons"] == "Abonnement mensuel"


async def test_a_solution_removed_on_one_laptop_and_edited_on_the_other(
    db: Path, tmp_path: Path
) -> None:
    """The edit keeps the solution shown; the conflicts screen says what happened and the
    mediator removes it after all, by keys."""
    with open_store(db, "laptop-a") as store:
        client = add_client(store, "Boutique Lina")
        visit = add_session(store, client["id"], solutions=[FIRST])
    export_file(db, tmp_path / "a.json", "laptop-a")
    other = tmp_path / "b.json"
    with open_store(other, "laptop-b") as store:
        import_file(store, tmp_path / "a.json")
        edited = {**FIRST, "cons": "Abonnement mensuel"}
        store.put("sessions", {**store.get("sessions", visit["id"]), "solutions": [edited]})
    with open_store(db, "laptop-a") as store:
        store.put("sessions", {**store.get("sessions", visit["id"]), "solutions": []})
        import_file(store, export_file(other, tmp_path / "tpe-tui-b.json", "laptop-b"))
        (kept,) = store.get("sessions", visit["id"])["solutions"]
        assert kept == edited  # the edit is not lost, nor the fields beside it (NEW4-5)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        fields = await open_conflicts(pilot)
        assert len(fields) == 1
        assert fields[0].startswith("▶ Solutions › Boutique en ligne (retiré sur un")
        values = [str(w.render()) for w in app.screen.query(".conflict-value")]
        assert values == [
            "Titre : Boutique en ligne ; Avantages : Ouverte jour et nuit ; "
            "Inconvénients : Abonnement mensuel",
            "(retiré)",
        ]
        await pilot.press("2")
        await settle(pilot)
        assert app.workspace.store.get("sessions", visit["id"])["solutions"] == []
        assert "Aucun conflit" in str(app.screen.query_one("#conflict-title").render())
    app.shutdown()
