"""CSV import and export of the directory of partner structures. Pure (bytes in, rows out).

Reads our own export and the national open-data standard for digital-mediation places
(columns `id`, `pivot`, `nom`, `commune`, `code_postal`, `code_insee`, `adresse`,
`complement_adresse`, `latitude`, `longitude`, `typologie`, `telephone`, `courriels`,
`site_web`, `horaires`, `presentation_resume`, `services`, `date_maj`); unknown columns are
ignored. Comma or semicolon; encodings, quotes and bad rows: see `csv_reader`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import Any

from tpe_tui.domain import csv_cells
from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.csv_reader import ParsedCsv, parse_rows
from tpe_tui.domain.records import ValidationError, clean_email, clean_phone
from tpe_tui.domain.text import compact, fold

# CSV column -> structure field. Our export writes exactly these columns.
COLUMNS: dict[str, str] = {
    "id": "source_id",
    "pivot": "siret",
    "nom": "name",
    "type": "kind",
    "territoire": "territory",
    "adresse": "address",
    "complement_adresse": "address_extra",
    "code_postal": "postal_code",
    "commune": "commune",
    "code_insee": "insee_code",
    "latitude": "latitude",
    "longitude": "longitude",
    "telephone": "phone",
    "courriels": "emails",
    "site_web": "websites",
    "horaires": "opening_hours",
    "aide_pour": "helps_with",
    "presentation_resume": "helps_with",
    "services": "services",
    "notes": "notes",
    "date_maj": "source_updated",
    "typologie": "kind",
}
EXPORT_COLUMNS = [c for c in COLUMNS if c not in ("presentation_resume", "typologie")]

# Open-data typology codes (and words) -> our structure kinds; the first match wins.
TYPOLOGY_HINTS: tuple[tuple[str, str], ...] = (
    ("france_services", "france_services"),
    ("france services", "france_services"),
    ("msap", "france_services"),
    ("tiers", "tiers_lieu"),
    ("fablab", "tiers_lieu"),
    ("cci", "cci"),
    ("cma", "cma"),
    ("chambre de metiers", "cma"),
    ("chambre de commerce", "cci"),
    ("comptab", "accountant"),
    ("banque", "bank"),
    ("muni", "council"),
    ("mairie", "council"),
    ("ccas", "council"),
    ("collectivit", "council"),
    ("commune", "council"),
    ("dept", "council"),
    ("formation", "training_body"),
    ("of", "training_body"),
    ("conseiller", "digital_advisor"),
    ("cnfs", "digital_advisor"),
)


def kind_of(value: str) -> str:
    """Our structure kind for a code, a label, or an open-data typology."""
    cat = catalog()
    text = fold(value.strip())
    if not text:
        return "other"
    for label, code in cat.choices("structure_kinds"):
        if text in (code, fold(label)):
            return code
    for part in text.replace("|", ";").replace(",", ";").split(";"):
        part = part.strip()
        for hint, kind in TYPOLOGY_HINTS:
            if (hint == part) if len(hint) <= 3 else (hint in part):
                return kind
    return "other"


def _number(value: str, name: str, low: float, high: float) -> float | None:
    value = value.strip().replace(",", ".")
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise ValidationError(f"{name} n’est pas un nombre") from None
    if not low <= number <= high:
        raise ValidationError(f"{name} hors limites")
    return number


def _row_values(row: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column, text in row.items():
        target = COLUMNS.get(column)
        if target is None or text is None:
            continue
        text = text.strip()
        if target == "kind":
            if text and (column == "type" or "kind" not in values):
                values["kind"] = kind_of(text)
        elif target == "helps_with":
            if text:
                values["helps_with"] = (
                    f"{values['helps_with']}\n{text}" if values.get("helps_with") else text
                )
        else:
            values[target] = text
    if not values.get("name"):
        raise ValidationError("le nom est vide")
    values["phone"] = clean_phone(values.get("phone", ""))
    emails = [e.strip() for e in values.get("emails", "").replace(";", "|").split("|") if e.strip()]
    for email in emails:
        clean_email(email)
    values["emails"] = " | ".join(emails)
    values["websites"] = " | ".join(
        u.strip() for u in values.get("websites", "").split("|") if u.strip()
    )
    values["latitude"] = _number(values.get("latitude", ""), "la latitude", -90, 90)
    values["longitude"] = _number(values.get("longitude", ""), "la longitude", -180, 180)
    values.setdefault("kind", "other")
    return values


def parse(raw: bytes) -> ParsedCsv:
    return parse_rows(
        raw,
        COLUMNS,
        _row_values,
        "Colonne « nom » introuvable : ce fichier n’est pas un annuaire de structures "
        "(colonnes attendues : nom, commune, telephone…).",
    )


def identity(values: Mapping[str, Any]) -> tuple[str, str]:
    """What makes a re-imported row the same structure: its source id, else name + commune."""
    if values.get("source_id"):
        return ("id", str(values["source_id"]))
    return ("name", compact(f"{values.get('name', '')}|{values.get('commune', '')}"))


def export(structures: Iterable[Mapping[str, Any]]) -> str:
    """Our CSV (UTF-8, comma): the open-data column names plus ours; re-importable."""
    out = io.StringIO()
    writer = csv_cells.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for s in structures:
        row = []
        for column in EXPORT_COLUMNS:
            name = COLUMNS[column]
            value = s.get(name)
            if column == "id":
                value = s.get("source_id") or s.get("id")
            row.append("" if value is None else str(value))
        writer.writerow(csv_cells.safe_row(row))
    return out.getvalue()
