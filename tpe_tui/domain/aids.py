"""The catalogue of public aids and programmes (*aides et dispositifs*). Pure.

Which aids fit a business (its activity, headcount, territory and needs), which entries are
stale (not verified for six months), and the CSV the catalogue travels in.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tpe_tui.domain import csv_cells
from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.csv_reader import ParsedCsv, parse_rows
from tpe_tui.domain.headcount import RETIRED_LABELS, current_bands, headcount_band
from tpe_tui.domain.records import (
    ValidationError,
    new_record,
    parse_any_date,
)
from tpe_tui.domain.text import compact, fold

Record = dict[str, Any]
STALE_AFTER = timedelta(days=183)  # « vérifié le » older than six months: flagged
EXAMPLE_MARK = "EXEMPLE"  # shown beside demo entries, which are never a current offer


# ---------------------------------------------------------------------------- staleness
def is_stale(aid: Mapping[str, Any], today: date) -> bool:
    """Never verified, or verified more than six months ago."""
    verified = aid.get("verified_on")
    if not verified:
        return True
    try:
        return date.fromisoformat(str(verified)[:10]) < today - STALE_AFTER
    except ValueError:
        return True


def flag(aid: Mapping[str, Any], today: date) -> str:
    """The warning shown beside an entry: an example, or to verify again."""
    if aid.get("example"):
        return EXAMPLE_MARK
    return "À VÉRIFIER" if is_stale(aid, today) else ""


# ---------------------------------------------------------------------------- matching
def _fits(wanted: Sequence[str], value: str | None) -> bool | None:
    """An empty criterion fits everyone; an unknown value neither fits nor excludes."""
    if not wanted:
        return True
    if not value:
        return None
    return value in wanted


@dataclass(frozen=True)
class Match:
    aid: Record
    score: int  # shared needs count most, then each criterion met
    excluded: bool  # a stated criterion the business does not meet


def match(aid: Mapping[str, Any], client: Mapping[str, Any] | None, needs: Iterable[str]) -> Match:
    """How well an aid fits a business and the needs of a visit."""
    client = client or {}
    checks = (
        _fits(aid.get("activity_kinds") or [], client.get("activity_kind")),
        # An entry not brought up to today's bands yet is read in them.
        _fits(current_bands(aid.get("headcount_bands") or []), headcount_band(client)),
        _fits(
            [fold(t) for t in aid.get("territories") or []],
            fold(client.get("territory") or "") or None,
        ),
    )
    shared_needs = len(set(aid.get("needs") or []) & set(needs))
    excluded = any(c is False for c in checks) or bool(aid.get("needs") and not shared_needs)
    score = 10 * shared_needs + sum(1 for c in checks if c)
    return Match(dict(aid), score, excluded)


def suggestions(
    aids: Iterable[Mapping[str, Any]],
    client: Mapping[str, Any] | None,
    needs: Iterable[str],
) -> list[Match]:
    """Every live aid, those that fit first (best score first), then the others by name."""
    needs = list(needs)
    found = [match(a, client, needs) for a in aids if not a.get("deleted")]
    found.sort(key=lambda m: (m.excluded, -m.score, fold(m.aid.get("name") or "")))
    return found


# ---------------------------------------------------------------------------- follow-ups
FILED_AFTER = timedelta(days=21)  # when to ask whether the file was filed


def filed_followups(
    session: Mapping[str, Any],
    existing: Iterable[Mapping[str, Any]],
    names: Mapping[str, str],
    today: date,
) -> list[Record]:
    """One follow-up « dossier déposé ? » per aid attached to the session, not made yet."""
    have = {f.get("aid_id") for f in existing if f.get("kind") == "aid_filed"}
    try:
        start = date.fromisoformat(str(session.get("date") or "")[:10])
    except ValueError:
        start = today
    due = (max(start, today) + FILED_AFTER).isoformat()
    return [
        new_record(
            "followups",
            session_id=session["id"],
            client_id=session.get("client_id"),
            kind="aid_filed",
            aid_id=aid_id,
            due_date=due,
            reason=f"Dossier déposé ? {names.get(aid_id) or 'aide proposée'}",
        )
        for aid_id in session.get("aids") or []
        if aid_id not in have
    ]


# ---------------------------------------------------------------------------- CSV
LIST_SEPARATOR = "|"
COLUMNS: dict[str, str] = {
    "id": "id",
    "nom": "name",
    "structure": "structure",
    "offres": "offers",
    "activites": "activity_kinds",
    "effectifs": "headcount_bands",
    "territoires": "territories",
    "besoins": "needs",
    "montant": "amount",
    "candidater": "how_to_apply",
    "source": "source_url",
    "verifie_le": "verified_on",
    "exemple": "example",
    "notes": "notes",
}
# List columns and the catalogue list their codes (or labels) come from.
LIST_KINDS = {
    "offers": "aid_offers",
    "activity_kinds": "activity_kinds",
    "headcount_bands": "headcount_bands",
    "needs": "needs",
}


def _codes(kind: str, text: str) -> list[str]:
    """Codes of a list cell: codes or French labels, separated by | or ;."""
    cat = catalog()
    out: list[str] = []
    for part in text.replace(";", LIST_SEPARATOR).split(LIST_SEPARATOR):
        part = part.strip()
        if not part:
            continue
        retired = RETIRED_LABELS.get(fold(part), part)
        if kind == "headcount_bands" and current_bands([retired]) != [retired]:
            # A file written with the bands used before F27 (1-2, 3-5, 6-9).
            out.extend(c for c in current_bands([retired]) if c not in out)
            continue
        code = next(
            (c for label, c in cat.choices(kind) if fold(part) in (fold(c), fold(label))), None
        )
        if code is None:
            accepted = " | ".join(c for _, c in cat.choices(kind))
            raise ValidationError(
                f"valeur inconnue « {part} » dans {kind_label(kind)} (valeurs possibles : "
                f"{accepted}, ou leur libellé)"
            )
        if code not in out:
            out.append(code)
    return out


def kind_label(kind: str) -> str:
    return {
        "aid_offers": "offres",
        "activity_kinds": "activites",
        "headcount_bands": "effectifs",
        "needs": "besoins",
    }[kind]


def _row_values(row: Mapping[str, str], dropped: list[str]) -> Record:
    values: Record = {}
    for column, text in row.items():
        target = COLUMNS.get(column)
        if target is None or text is None:
            continue
        text = text.strip()
        if target in LIST_KINDS:
            values[target] = _codes(LIST_KINDS[target], text)
        elif target == "territories":
            values[target] = [t.strip() for t in text.split(LIST_SEPARATOR) if t.strip()]
        elif target == "verified_on":
            values[target] = parse_any_date(text)
        elif target == "example":
            values[target] = fold(text) in ("1", "oui", "true", "vrai", "x")
        else:
            values[target] = text
    if not values.get("name"):
        raise ValidationError("le nom est vide")
    return values


def parse(raw: bytes) -> ParsedCsv:
    return parse_rows(
        raw,
        COLUMNS,
        _row_values,
        "Colonne « nom » introuvable : ce fichier n’est pas un catalogue d’aides "
        "(colonnes attendues : nom, structure, offres, besoins…).",
    )


def identity(values: Mapping[str, Any]) -> str:
    """What makes a re-imported row the same aid: its name, accents and case aside."""
    return compact(str(values.get("name") or ""))


def export(aids: Iterable[Mapping[str, Any]], structure_name: Any) -> str:
    """Our CSV (UTF-8, comma, lists joined with |); re-importable. `structure_name(id)`
    gives the name written in the « structure » column."""
    out = io.StringIO()
    writer = csv_cells.writer(out)
    writer.writerow(list(COLUMNS))
    for aid in aids:
        row = []
        for target in COLUMNS.values():
            if target == "structure":
                value: Any = structure_name(aid.get("structure_id")) or ""
            elif target == "example":
                value = "oui" if aid.get("example") else ""
            else:
                value = aid.get(target)
            if isinstance(value, list):
                value = LIST_SEPARATOR.join(str(v) for v in value)
            row.append("" if value is None else str(value))
        writer.writerow(csv_cells.safe_row(row))
    return out.getvalue()
