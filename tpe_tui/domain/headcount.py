"""The headcount bands of a business (*tranche d’effectif salarié*), one set for the whole
product: 0, 1 to 4, 5 to 9, 10 and more — the France Num barometer's bands, which the
statistics and the national export report, and which aid criteria are written in (« moins
de 10 salariés » is 0 | 1-4 | 5-9). Pure.

The aids catalogue used INSEE's finer bands (1-2, 3-5, 6-9) until acceptance finding F27:
its stored criteria and CSV files still may. `RETIRED` says what each old band becomes:
3-5 straddles two bands and becomes both (an aid for 3 to 5 employees is offered to a
business of 1 to 9 rather than refused to one of 3 or 5).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# Codes and their short labels (statistics, national export); the catalogue labels them
# in full for the aids screen (domain/data/catalog.json « headcount_bands »).
HEADCOUNT_BANDS = (("0", "0 salarié"), ("1-4", "1 à 4"), ("5-9", "5 à 9"), ("10+", "10 et plus"))
RETIRED = {"1-2": ("1-4",), "3-5": ("1-4", "5-9"), "6-9": ("5-9",)}
RETIRED_LABELS = {"1 a 2 salaries": "1-2", "3 a 5 salaries": "3-5", "6 a 9 salaries": "6-9"}


def headcount_band(client: Mapping[str, Any] | None) -> str | None:
    """0, 1-4, 5-9 or 10+ from the business's employee count, else « 0 » for one who
    works alone; None when unknown."""
    if not client:
        return None
    employees = client.get("employees")
    if isinstance(employees, int) and not isinstance(employees, bool):
        if employees <= 0:
            return "0"
        if employees <= 4:
            return "1-4"
        return "5-9" if employees <= 9 else "10+"
    return "0" if client.get("size") == "alone" else None


def current_bands(bands: Iterable[str]) -> list[str]:
    """Bands with the retired ones replaced by today's, in order, each once."""
    out: list[str] = []
    for band in bands:
        for new in RETIRED.get(band, (band,)):
            if new not in out:
                out.append(new)
    return out
