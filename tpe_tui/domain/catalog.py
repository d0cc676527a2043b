"""The catalogues: stable English codes, French labels, shipped as a data file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

# Lists of {"code", "label"} entries; the other keys of the file have their own shapes.
CODED_LISTS = (
    "phases",
    "steps",
    "needs",
    "missions",
    "skill_areas",
    "skill_levels",
    "maturity_dimensions",
    "maturity_levels",
    "solution_areas",
    "effort_levels",
    "structure_kinds",
    "activity_kinds",
    "company_sizes",
    "interlocutor_roles",
    "place_kinds",
    "equipment",
    "need_natures",
    "answered_levels",
    "operational_topics",
    "satisfaction_levels",
    "autonomy_levels",
    "session_statuses",
    "close_reasons",
    "followup_statuses",
    "followup_kinds",
    "resources",
    # Workshops, aids and action plans (issue 18)
    "workshop_levels",
    "aid_offers",
    "headcount_bands",
    "action_statuses",
    "action_priorities",
    "action_owners",
)


@dataclass(frozen=True)
class Step:
    """One step of an accompaniment."""

    code: str
    phase: str
    label: str
    hint: str


class Catalog:
    """Read-only access to the catalogue file."""

    def __init__(self, raw: dict[str, Any]) -> None:
        missing = [key for key in CODED_LISTS if key not in raw]
        if missing:
            raise ValueError(f"catalogue incomplet : {', '.join(missing)}")
        self.raw = raw
        self._labels = {
            key: {entry["code"]: entry["label"] for entry in raw[key]} for key in CODED_LISTS
        }
        self.steps: tuple[Step, ...] = tuple(Step(**entry) for entry in raw["steps"])
        self.durations: tuple[int, ...] = tuple(raw["durations"])
        self.territories: tuple[str, ...] = tuple(raw["territories"])
        # The national places schema's « typologie » codes: their French names, and our
        # structure kind for those that have one.
        national = raw.get("national_typologies", [])
        self._typology_labels = {str(e["code"]): str(e["label"]) for e in national}
        self._typology_kinds = {str(e["code"]): str(e["kind"]) for e in national if e.get("kind")}

    def codes(self, kind: str) -> list[str]:
        """The codes of one list, in the catalogue's order."""
        return list(self._labels[kind])

    def choices(self, kind: str) -> list[tuple[str, str]]:
        """(label, code) pairs, the shape Textual's Select and SelectionList take."""
        return [(label, code) for code, label in self._labels[kind].items()]

    def label(self, kind: str, code: str | None, default: str = "") -> str:
        """The French label of a code; an unknown code (from a newer laptop) shows as is,
        and a structure kind kept from the national typology by its national name."""
        if code is None or code == "":
            return default
        known = self._labels[kind].get(str(code))
        if known is None and kind == "structure_kinds":
            known = self._typology_labels.get(str(code))
        return str(known if known is not None else code)

    def typology_kind(self, code: str) -> str | None:
        """Our structure kind for a national typology code (RFS → france_services), if any."""
        return self._typology_kinds.get(code.strip().upper())

    def is_typology(self, code: str) -> bool:
        return code.strip().upper() in self._typology_labels

    def territory_areas(self) -> dict[str, list[str]]:
        """The shipped territories and what they take in (communes, postal codes,
        départements); the mediator's config may replace them."""
        return {str(k): [str(v) for v in vs] for k, vs in self.raw["territory_areas"].items()}

    def has(self, kind: str, code: str) -> bool:
        return code in self._labels[kind]

    def phase_steps(self, phase: str) -> list[Step]:
        return [step for step in self.steps if step.phase == phase]

    def step_index(self, code: str) -> int:
        for index, step in enumerate(self.steps):
            if step.code == code:
                return index
        raise KeyError(code)

    def redirect_kinds(self, activity_kind: str | None) -> list[str]:
        """Structure kinds that usually help a business of this kind of activity."""
        return list(self.raw["redirect_by_activity"].get(activity_kind or "", []))

    def phase_short(self, phase: str) -> str:
        """The short phase title for narrow places (the step list)."""
        for entry in self.raw["phases"]:
            if entry["code"] == phase:
                return str(entry.get("short") or entry["label"])
        return phase

    def resources(self) -> list[dict[str, str]]:
        return list(self.raw["resources"])


@cache
def catalog() -> Catalog:
    """The shipped catalogue, loaded once."""
    text = (
        resources.files("tpe_tui.domain.data").joinpath("catalog.json").read_text(encoding="utf-8")
    )
    return Catalog(json.loads(text))


@cache
def national() -> dict[str, Any]:
    """How our codes map to the national activity-report tool's values and labels."""
    text = (
        resources.files("tpe_tui.domain.data").joinpath("national.json").read_text(encoding="utf-8")
    )
    mapping: dict[str, Any] = json.loads(text)
    return mapping
