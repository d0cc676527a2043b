"""The mediator's settings, a small JSON file in the config dir (no heavy settings library:
start-up time matters more than features here)."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from tpe_tui.storage.paths import config_dir, private_dir


@dataclass
class Config:
    mediator: str = ""
    # How a client reaches the mediator: printed on every summary. Asked at the first start.
    mediator_structure: str = ""
    mediator_phone: str = ""
    mediator_email: str = ""
    contact_asked: bool = True  # False only for a first start (no file, or an older one)
    # This laptop's name beside the mediator's in conflict labels (the host name by default).
    laptop_name: str = field(default_factory=lambda: platform.node())
    nudge_days: list[int] = field(default_factory=lambda: [9, 21, 45])
    retention_days: int = 3 * 365
    # The mediator's territories and what each takes in (communes, postal codes,
    # départements): {"Soissons": ["Soissons", "02200", "02"]}. Empty: the catalogue's.
    territories: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path | None = None) -> Config:
        path = (folder or config_dir()) / "config.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(contact_asked=False)
        if not isinstance(raw, dict):
            return cls(contact_asked=False)
        known = {f.name for f in fields(cls)}
        return cls(**{"contact_asked": False, **{k: v for k, v in raw.items() if k in known}})

    def territory_areas(self) -> dict[str, list[str]]:
        """The territories places are matched against: the config's when well formed,
        else the catalogue's."""
        from tpe_tui.domain.catalog import catalog

        raw = self.territories
        if isinstance(raw, dict) and raw:
            areas = {
                str(name): [str(e) for e in entries]
                for name, entries in raw.items()
                if isinstance(entries, list)
            }
            if areas:
                return areas
        return catalog().territory_areas()

    def mediator_contact(self) -> dict[str, str]:
        """What a summary prints so that the client can call back."""
        return {
            "name": self.mediator,
            "structure": self.mediator_structure,
            "phone": self.mediator_phone,
            "email": self.mediator_email,
        }

    def save(self, folder: Path | None = None) -> None:
        folder = private_dir(folder or config_dir())
        tmp = folder / "config.json.tmp"
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, folder / "config.json")
