"""CSV import and export of the directory of partner structures. Pure (bytes in, rows out).

Reads our own export and the national open-data standard for digital-mediation places
(columns `id`, `pivot`, `nom`, `commune`, `code_postal`, `code_insee`, `adresse`,
`complement_adresse`, `latitude`, `longitude`, `typologie`, `telephone`, `courriels`,
`site_web`, `horaires`, `presentation_resume`, `services`, `date_maj`); unknown columns are
ignored. Comma or semicolon; encodings, quotes and bad rows: see `csv_reader`.

A row of the national standard is refused only when one of its mandatory fields (`id`,
`nom`, `commune`, `code_postal`, `adresse`, `date_maj`) is missing or invalid; a bad optional
value (a phone « 12345 », an e-mail, a site, a SIRET, a coordinate) is dropped and said for
that line. A `typologie` code becomes our kind when the catalogue maps it, else is kept.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from tpe_tui.domain import csv_cells, opening_hours
from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.csv_reader import CsvFileError, ParsedCsv, parse_rows
from tpe_tui.domain.records import WEBSITE, ValidationError, clean_email, clean_phone
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

# Words of files that do not use the national codes (« Mairie de Lens », « Espace France
# Services ») -> our structure kinds; the first match wins. The national codes themselves
# (RFS, CCONS, TIERS_LIEUX…) are data in the catalogue.
TYPOLOGY_HINTS: tuple[tuple[str, str], ...] = (
    ("france services", "france_services"),
    ("france_services", "france_services"),
    ("tiers-lieu", "tiers_lieu"),
    ("tiers lieu", "tiers_lieu"),
    ("fablab", "tiers_lieu"),
    ("chambre de metiers", "cma"),
    ("chambre de commerce", "cci"),
    ("chambre consulaire", "chamber"),
    ("comptab", "accountant"),
    ("banque", "bank"),
    ("mairie", "council"),
    ("collectivit", "council"),
    ("espace public numerique", "epn"),
    ("organisme de formation", "training_body"),
    ("conseiller numerique", "digital_advisor"),
    ("association", "association"),
)

# The standard's mandatory fields: a row missing one (or with an invalid one) is refused.
MANDATORY = ("id", "nom", "commune", "code_postal", "adresse", "date_maj")
NO_SIRET = "00000000000000"  # the standard's « pivot » for a place without a SIRET


def kind_of(value: str) -> str:
    """Our structure kind for one of our codes or labels, a national typology code (the
    first of a list that we map: « ASSO;RFS » -> france_services) or a known word; else the
    value itself, kept (an unknown code is never turned into « Autre »)."""
    cat = catalog()
    value = value.strip()
    text = fold(value)
    if not text:
        return "other"
    for label, code in cat.choices("structure_kinds"):
        if text in (code, fold(label)):
            return code
    parts = [p.strip() for p in re.split(r"[|;,]", value) if p.strip()]
    for part in parts:
        kind = cat.typology_kind(part)
        if kind:
            return kind
    for part in parts:
        if cat.is_typology(part):
            return part.upper()  # a national code we have no kind for: kept
    for hint, kind in TYPOLOGY_HINTS:
        if hint in text:
            return kind
    return value


def is_national(row: Mapping[str, str]) -> bool:
    """A row of the national places standard: its `id` and `date_maj` columns (our own
    export has them too, with our « type »; a hand-made list has neither)."""
    return "type" not in row and "id" in row and "date_maj" in row


def missing_columns(header: list[str]) -> list[str]:
    """The standard's mandatory columns a national file lacks."""
    if not is_national(dict.fromkeys(header, "")):
        return []
    return [c for c in MANDATORY if c not in header]


def _check_mandatory(row: Mapping[str, str]) -> None:
    for column in MANDATORY:
        if not (row.get(column) or "").strip():
            raise ValidationError(f"champ obligatoire « {column} » vide")
    postal = row["code_postal"].strip()
    if not re.fullmatch(r"\d{5}", postal):
        raise ValidationError(f"code_postal « {postal} » invalide (5 chiffres)")
    updated = row["date_maj"].strip()
    try:
        date.fromisoformat(updated[:10])
    except ValueError:
        raise ValidationError(f"date_maj « {updated} » invalide (AAAA-MM-JJ)") from None


def _number(
    value: str, name: str, low: float, high: float, warn: Callable[[str], None]
) -> float | None:
    value = value.strip().replace(",", ".")
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        warn(f"{name} « {value} » ignorée (pas un nombre)")
        return None
    if not low <= number <= high:
        warn(f"{name} « {value} » ignorée (hors limites)")
        return None
    return number


def _row_values(row: Mapping[str, str], warnings: list[str]) -> dict[str, Any]:
    if is_national(row):
        _check_mandatory(row)
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
    # A bad optional value is dropped (and said), not the whole place.
    phone = values.get("phone", "")
    try:
        values["phone"] = clean_phone(phone)
    except ValidationError:
        warnings.append(f"téléphone « {phone} » ignoré (numéro invalide)")
        values["phone"] = ""
    siret = re.sub(r"\s", "", values.get("siret", ""))
    if siret == NO_SIRET:
        siret = ""
    if siret and not re.fullmatch(r"\d{14}", siret):
        warnings.append(f"SIRET « {siret} » ignoré (14 chiffres attendus)")
        siret = ""
    values["siret"] = siret
    emails = []
    for email in re.split(r"[|;]", values.get("emails", "")):
        email = email.strip()
        if not email:
            continue
        try:
            emails.append(clean_email(email))
        except ValidationError:
            warnings.append(f"e-mail « {email} » ignoré (adresse invalide)")
    values["emails"] = " | ".join(emails)
    sites = []
    for site in values.get("websites", "").split("|"):
        site = site.strip()
        if site and WEBSITE.fullmatch(site):
            sites.append(site)
        elif site:
            warnings.append(f"site web « {site} » ignoré (adresse http(s)://… attendue)")
    values["websites"] = " | ".join(sites)
    hours = values.get("opening_hours", "")
    if hours and not opening_hours.readable(hours):
        # Kept: the standard's syntax is richer than what we read, nothing is lost; said,
        # so that « not-a-valid-hours [[[ » does not pass unseen (NEW3-13).
        warnings.append(
            f"horaires « {hours} » gardés tels quels (syntaxe OpenStreetMap non reconnue)"
        )
    values["latitude"] = _number(values.get("latitude", ""), "latitude", -90, 90, warnings.append)
    values["longitude"] = _number(
        values.get("longitude", ""), "longitude", -180, 180, warnings.append
    )
    values.setdefault("kind", "other")
    return values


def _check_header(header: list[str]) -> None:
    missing = missing_columns(header)
    if missing:
        raise CsvFileError(
            "Fichier au format national des lieux de médiation numérique sans les colonnes "
            f"obligatoires : {', '.join(missing)}."
        )


def parse(raw: bytes) -> ParsedCsv:
    return parse_rows(
        raw,
        COLUMNS,
        _row_values,
        "Colonne « nom » introuvable : ce fichier n’est pas un annuaire de structures "
        "(colonnes attendues : nom, commune, telephone…).",
        check_header=_check_header,
    )


# Fixed for ever: every laptop must derive the same record id from the same national id.
_SOURCE_NAMESPACE = uuid.UUID("6f1d3b0e-2c47-5a8e-9b61-7d0c4e2a9f35")


def record_id_for(source_id: str) -> str:
    """The record id of a place imported with this source id (the national `id`): the same
    on every laptop, so two laptops importing the same open-data file create the same
    records, which sync then joins field by field instead of holding every place twice."""
    return str(uuid.uuid5(_SOURCE_NAMESPACE, f"structure:{source_id}"))


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
