"""Elements of id-keyed lists (solutions, contacts) merge field by field (finding F39)."""

from __future__ import annotations

from typing import Any

from tpe_tui.domain.records import anonymise, new_record
from tpe_tui.domain.validation import record_problems
from tpe_tui.sync import merge as sync
from tpe_tui.sync.conflicts import REMOVED_AND_EDITED, field_conflicts, settled
from tpe_tui.sync.registers import ABSENT, PRESENT, registers, stamp, visible_conflicts

SOLUTION = {"id": "s1", "title": "Boutique en ligne", "area": None, "pros": "", "cons": "Frais"}


def _save(table: str, record: dict, current: dict | None, laptop: str, millis: int, *touched):
    new = stamp(table, current, record, laptop, millis, "now", touched)
    assert new is not None
    return new


def _both(first: dict, second: dict, table: str = "sessions") -> dict[str, Any]:
    """The merge of two copies, checked to be the same in both orders."""
    (one,) = sync.merge({table: [first]}, {table: [second]})[0][table]
    (other,) = sync.merge({table: [second]}, {table: [first]})[0][table]
    assert one == other
    return one


def _visit() -> dict[str, Any]:
    record = new_record("sessions", id="v", client_id="c", solutions=[SOLUTION])
    return _save("sessions", record, None, "A", 1000)


def _with(visit: dict, **fields: Any) -> dict[str, Any]:
    return {**visit, "solutions": [{**SOLUTION, **fields}]}


def test_the_findings_steps_one_conflict_of_the_name_only() -> None:
    base = _visit()
    on_a = _save("sessions", _with(base, title="Boutique WooCommerce (A)"), base, "A", 2000)
    on_b = _with(base, title="Boutique Shopify (B)", cons="Abonnement mensuel")
    on_b = _save("sessions", on_b, base, "B", 3000)
    merged = _both(on_a, on_b)
    (solution,) = merged["solutions"]
    assert solution["cons"] == "Abonnement mensuel" and solution["title"] == "Boutique Shopify (B)"
    assert list(visible_conflicts("sessions", merged)) == ["solutions/s1/title"]
    (conflict,) = field_conflicts("sessions", merged)
    assert conflict.label == "Solutions › Boutique Shopify (B) › Titre"
    assert [c.text for c in conflict.choices] == [
        "Boutique Shopify (B)",
        "Boutique WooCommerce (A)",
    ]
    assert record_problems("sessions", merged) == []
    # Keeping A's name settles that field alone; B's drawbacks stay.
    kept = settled("sessions", merged, conflict.path, "Boutique WooCommerce (A)")
    kept = _save("sessions", kept, merged, "A", 4000, conflict.path)
    assert kept["solutions"] == [
        {**SOLUTION, "title": kept["solutions"][0]["title"], "cons": "Abonnement mensuel"}
    ]
    assert kept["solutions"][0]["title"] == "Boutique WooCommerce (A)"
    assert not visible_conflicts("sessions", kept)
    assert not visible_conflicts("sessions", _both(kept, on_b))


def test_edits_of_two_fields_merge_with_no_conflict() -> None:
    base = _visit()
    on_a = _save("sessions", _with(base, pros="Ouverte la nuit"), base, "A", 2000)
    on_b = _save("sessions", _with(base, cons="Abonnement"), base, "B", 3000)
    merged = _both(on_a, on_b)
    assert merged["solutions"] == [{**SOLUTION, "pros": "Ouverte la nuit", "cons": "Abonnement"}]
    assert not visible_conflicts("sessions", merged)
    assert (
        sync.merge({"sessions": [on_a]}, {"sessions": [on_b]})[1].tables["sessions"].conflicts == 0
    )


def test_an_element_removed_on_one_laptop_and_edited_on_the_other_stays_shown() -> None:
    base = _visit()
    removed = _save("sessions", {**base, "solutions": []}, base, "A", 5000)  # the later write
    edited = _save("sessions", _with(base, cons="Abonnement"), base, "B", 3000)
    merged = _both(removed, edited)
    # The element is kept whole as the editing laptop holds it, with the edit (finding
    # NEW4-5: keeping only the edited field lost its title on both laptops).
    assert merged["solutions"] == [{**SOLUTION, "cons": "Abonnement"}]
    (conflict,) = field_conflicts("sessions", merged)
    assert conflict.path == "solutions/s1"
    assert conflict.label == f"Solutions › Boutique en ligne ({REMOVED_AND_EDITED})"
    assert [c.value for c in conflict.choices] == [PRESENT, ABSENT]
    assert conflict.choices[0].text == "Titre : Boutique en ligne ; Inconvénients : Abonnement"
    assert conflict.choices[1].text == "(retiré)"
    assert record_problems("sessions", merged) == []
    # Settled either way, and the choice syncs to both laptops.
    gone = _save("sessions", settled("sessions", merged, "solutions/s1", ABSENT), merged, "A", 6000)
    assert gone["solutions"] == [] and not visible_conflicts("sessions", gone)
    assert _both(gone, edited)["solutions"] == []
    kept = settled("sessions", merged, "solutions/s1", PRESENT)
    kept = _save("sessions", kept, merged, "B", 6000, "solutions/s1")
    assert not visible_conflicts("sessions", kept)
    again = _both(kept, removed)
    assert again["solutions"] == [{**SOLUTION, "cons": "Abonnement"}]
    assert not visible_conflicts("sessions", again)


def test_a_removal_after_seeing_an_edit_removes_the_element() -> None:
    base = _visit()
    edited = _save("sessions", _with(base, cons="Abonnement"), base, "B", 2000)
    removed = _save("sessions", {**edited, "solutions": []}, edited, "A", 3000)
    merged = _both(removed, edited)
    assert merged["solutions"] == [] and not merged.get("conflicts")
    assert not any(path.startswith("solutions/s1/") for path in merged.get("dots", {}))


def test_a_file_of_the_previous_version_reads_its_element_registers_per_field() -> None:
    """Before, an element was one register: its dot in `dots`, its other whole values in
    `conflicts`. The same dot now stands for each of its fields."""
    old = {
        **new_record("sessions", id="v", client_id="c"),
        "solutions": [{**SOLUTION, "title": "Boutique Shopify (B)", "cons": "Abonnement"}],
        "vv": {"A": 2, "B": 1},
        "dot": ["A", 1, 1000],
        "dots": {"solutions/s1": ["B", 1, 3000, 0]},
        "conflicts": {
            "solutions/s1": [[["A", 2, 2000, 0], {**SOLUTION, "title": "Boutique WooCommerce"}]]
        },
    }
    regs, _ = registers("sessions", old)
    assert regs["solutions/s1/title"] == [
        (("B", 1, 3000), "Boutique Shopify (B)"),
        (("A", 2, 2000), "Boutique WooCommerce"),
    ]
    assert regs["solutions/s1/pros"] == [(("B", 1, 3000), ""), (("A", 2, 2000), "")]
    # Only the fields whose values differ are shown to settle.
    assert sorted(visible_conflicts("sessions", old)) == ["solutions/s1/cons", "solutions/s1/title"]
    # A new edit of one field on a laptop that had the old file merges field by field.
    edited = _save("sessions", _with(old, title="Boutique", cons="Abonnement"), old, "A", 4000)
    assert list(visible_conflicts("sessions", edited)) == ["solutions/s1/cons"]
    newer = {**old, "vv": {"A": 1, "B": 1}, "conflicts": {}}  # B's copy, before A's edit
    merged = _both(edited, newer)
    assert merged["solutions"][0]["title"] == "Boutique"


def test_a_whole_element_rewrite_by_the_previous_version_is_not_read_with_stale_dots() -> None:
    """The previous version moves only the element's dot: a field dot saved beside the old
    presence dot is stale, and the field takes the element's dot (its write)."""
    base = _visit()
    on_a = _save("sessions", _with(base, title="Titre A"), base, "A", 2000)
    # An old laptop rewrites the element whole (a new cons), leaving the field dots as they were.
    old_write = {
        **on_a,
        "solutions": [{**SOLUTION, "title": "Titre A", "cons": "Abonnement"}],
        "vv": {**on_a["vv"], "B": 1},
        "dots": {**on_a.get("dots", {}), "solutions/s1": ["B", 1, 3000, 0]},
    }
    regs, _ = registers("sessions", old_write)
    assert regs["solutions/s1/cons"][0][0] == ("B", 1, 3000)
    assert regs["solutions/s1/title"][0][0] == ("B", 1, 3000)


def test_an_erasure_empties_a_contacts_fields_held_in_conflict() -> None:
    contact = {"id": "k1", "name": "Loïc Caron", "role": "owner", "phone": ""}
    base = new_record("clients", id="c", name="Garage", contacts=[contact])
    base = _save("clients", base, None, "A", 1000)
    on_a = _save("clients", {**base, "contacts": [{**contact, "phone": "06 11"}]}, base, "A", 2)
    on_b = _save("clients", {**base, "contacts": [{**contact, "phone": "07 22"}]}, base, "B", 3)
    merged = _both(on_a, on_b, "clients")
    assert list(visible_conflicts("clients", merged)) == ["contacts/k1/phone"]
    erased = _save("clients", anonymise("clients", merged), merged, "A", 4000)
    assert "06 11" not in repr(erased) and "07 22" not in repr(erased)
    assert "06 11" not in repr(_both(erased, on_a, "clients"))


def test_a_removal_shown_by_the_previous_version_keeps_the_edit_held_through_a_save() -> None:
    """The previous version could show a removal and hold the concurrent edit whole."""
    old = {
        **new_record("sessions", id="v", client_id="c"),
        "vv": {"A": 2, "B": 1},
        "dot": ["A", 1, 1000],
        "dots": {"solutions/s1": ["A", 2, 3000]},
        "conflicts": {"solutions/s1": [[["B", 1, 2000, 0], {**SOLUTION, "cons": "Abonnement"}]]},
    }
    saved = _save("sessions", {**old, "synthesis": "Vu"}, old, "A", 4000)
    (conflict,) = field_conflicts("sessions", saved)
    assert conflict.path == "solutions/s1" and conflict.choices[1].value is PRESENT
    kept = settled("sessions", saved, conflict.path, PRESENT)
    kept = _save("sessions", kept, saved, "A", 5000, conflict.path)
    assert kept["solutions"] == [{**SOLUTION, "cons": "Abonnement"}]
    assert not visible_conflicts("sessions", kept)


def test_the_presence_held_twice_after_a_clean_merge_keeps_an_edit_from_a_removal() -> None:
    """Session-3 remark: after a merge with no conflict, the visit still holds entries in
    `conflicts` (« solutions/s1 » twice, PRESENT). Not leftovers: both laptops re-asserted
    the solution's presence, each by its own edit. A laptop that saw only A's edit and then
    removes the solution must not take B's unseen edit away with it: B's entry is what
    keeps it. Nothing is shown to settle meanwhile."""
    base = _visit()
    on_a = _save("sessions", _with(base, title="Titre A"), base, "A", 2000)
    on_b = _save("sessions", _with(base, cons="Inconv B"), base, "B", 3000)
    merged = _both(on_a, on_b)
    assert len(registers("sessions", merged)[0]["solutions/s1"]) == 2
    assert not visible_conflicts("sessions", merged)
    removed_on_c = _save("sessions", {**on_a, "solutions": []}, on_a, "C", 4000)
    again = _both(merged, removed_on_c)
    (kept,) = again["solutions"]
    assert (kept["id"], kept["cons"]) == ("s1", "Inconv B")
