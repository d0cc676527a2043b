"""Records of tpe-tui: their fields, defaults and validation. No Textual, no TinyDB.

Records are plain dicts, the shape they have in the JSON file, so that a field this program
does not know (written by a newer laptop) passes through untouched. Each table has a list of
`Field`s giving the default and the check of every field it knows.
"""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from collections.abc import Callable, Mapping
from copy import deepcopy
from dataclasses import dataclass
from datetime import date
from typing import Any

from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.clock import utc_now

SCHEMA_VERSION = 3
SHARED_TABLES = (
    "clients",
    "sessions",
    "followups",
    "structures",
    # Workshops, aids and action plans (issue 18): new tables, created empty.
    "workshops",
    "aids",
    "actions",
    # One record per laptop: the names shown beside a conflict's values.
    "devices",
)
META_TABLE = "meta"
ALL_TABLES = (*SHARED_TABLES, META_TABLE)

# Every shared record carries these; see sync/registers.py for `vv`, `dot`, `dots` and
# `conflicts` (the field-level versions), `from_schema1` and `superseded` (what an old,
# record-level version left). The compact file (storage/compact.py) codes them first.
BOOKKEEPING_FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "vv",
    "dot",
    "dots",
    "deleted",
    "conflicts",
    "from_schema1",
    "superseded",
)

# How a field merges between laptops (see sync/registers.py): "value" (one register),
# "set" (a list of scalars, merged by element), "by_id" (a list of dicts merged by their
# `id`), "map" (a dict merged by key), "log" (entries merged by union, in time order).
MERGE_KINDS = ("value", "set", "by_id", "map", "log")

# Fields holding a person's data: emptied by an erasure, kept only with consent. A sole
# trader's business name, SIRET and address identify a person too, and free text may name
# anyone: an erasure empties them all, keeping what makes a session countable (dates,
# needs, scores, outcomes).
PERSONAL_CLIENT_FIELDS = ("phone", "email", "address", "siret", "notes")
PERSONAL_CONTACT_FIELDS = ("name", "phone", "email", "role_note")
PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "clients": PERSONAL_CLIENT_FIELDS,
    "sessions": (
        "request_said",
        "request_rephrased",
        "needs_text",
        "synthesis",
        "other_questions",
        "deadline_note",
        "notes",
        "place_label",
    ),
    "followups": ("reason", "outcome_note"),
}
ANONYMOUS_NAME = "Entreprise anonymisée"

SESSION_STATUSES = ("draft", "in_progress", "closed")
# Still to act on: an unreachable person is tried again, so it stays on the agenda.
FOLLOWUP_OPEN_STATUSES = ("todo", "in_progress", "unreachable")

CONSENT_WORDING = (
    "J’accepte que mes coordonnées (nom, téléphone, e-mail) soient conservées par le "
    "médiateur numérique pour le suivi de mon accompagnement. Je peux demander à tout "
    "moment leur effacement."
)
SENSITIVE_DATA_REMINDER = (
    "Pas de données sensibles ici (santé, mots de passe, coordonnées bancaires)."
)


# A record as it is read from and written to the file: a plain dict, so that fields this
# program does not know pass through. `types.py` gives each table's shape for typed code.
Record = dict[str, Any]


class ValidationError(ValueError):
    """A value a person typed is not acceptable; the message is French and shown as is."""


# ---------------------------------------------------------------------------- checks
def new_id() -> str:
    return str(uuid.uuid4())


def short_reference(record_id: Any) -> str:
    """The first characters of a record's id: shown on screen and on paper, and enough for
    `tpe-tui summary REF` (any unique start of an id is accepted)."""
    return str(record_id or "")[:8]


def siret_is_valid(siret: str) -> bool:
    """14 digits with a valid Luhn key (La Poste's establishments use a digit sum rule)."""
    if not re.fullmatch(r"\d{14}", siret):
        return False
    if siret.startswith("356000000"):
        return sum(int(d) for d in siret) % 5 == 0
    total = 0
    for index, char in enumerate(reversed(siret)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def clean_siret(value: str) -> str:
    """The SIRET without spaces, or a ValidationError in French."""
    digits = re.sub(r"[\s.]", "", value or "")
    if not digits:
        return ""
    if not digits.isdigit() or len(digits) != 14:
        raise ValidationError("Le SIRET compte 14 chiffres.")
    if not siret_is_valid(digits):
        raise ValidationError("Ce SIRET n’est pas valide (clé de contrôle incorrecte).")
    return digits


# The INSEE code of a commune: two digits (the département; 2A and 2B in Corsica), then three.
INSEE_CODE = re.compile(r"(?:\d{2}|2[AB])\d{3}")


def clean_insee_code(value: str) -> str:
    """The code as typed, spaces dropped and in upper case; empty stays empty; a
    ValidationError in French when it is not an INSEE code."""
    code = re.sub(r"\s", "", value or "").upper()
    if code and not INSEE_CODE.fullmatch(code):
        raise ValidationError(
            "Le code INSEE de la commune compte 5 caractères : 5 chiffres, "
            "ou 2A / 2B puis 3 chiffres en Corse (exemples : 62041, 2A004)."
        )
    return code


def clean_postal_code(value: str) -> str:
    """A French postal code: five digits (spaces dropped); empty stays empty."""
    code = re.sub(r"\s", "", value or "")
    if code and not re.fullmatch(r"\d{5}", code):
        raise ValidationError("Le code postal compte 5 chiffres (exemple : 62000).")
    return code


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")


def clean_email(value: str) -> str:
    value = (value or "").strip()
    if value and not _EMAIL.match(value):
        raise ValidationError("Adresse e-mail invalide (exemple : nom@domaine.fr).")
    return value


def clean_emails(value: str) -> str:
    """Several addresses (separated by « | » or « ; »), each checked; kept joined by « | »."""
    found = [e.strip() for e in re.split(r"[|;]", value or "") if e.strip()]
    for email in found:
        if not _EMAIL.match(email):
            raise ValidationError(
                f"Adresse e-mail invalide : « {email} » (exemple : nom@domaine.fr)."
            )
    return " | ".join(found)


WEBSITE = re.compile(r"https?://[^\s/]+\.[^\s]+", re.IGNORECASE)


def clean_websites(value: str) -> str:
    """Several web addresses (separated by « | »), each an http(s):// address."""
    found = [site.strip() for site in (value or "").split("|") if site.strip()]
    for site in found:
        if not WEBSITE.fullmatch(site):
            raise ValidationError(
                f"Site web invalide : « {site} » (une adresse http(s)://…, "
                "exemple : https://www.mairie-lens.fr)."
            )
    return " | ".join(found)


def clean_phone(value: str) -> str:
    """A French number (10 digits from 0) or an international one (+ then 8 to 15 digits)."""
    value = (value or "").strip()
    if not value:
        return ""
    compact = re.sub(r"[\s.\-()]", "", value)
    if re.fullmatch(r"(\+33|0033)0?[1-9]\d{8}", compact):  # a French number: national form
        compact = "0" + compact[-9:]
    if re.fullmatch(r"0\d{9}", compact):
        return " ".join(compact[i : i + 2] for i in range(0, 10, 2))
    if re.fullmatch(r"\+\d{8,15}", compact):
        return compact
    raise ValidationError("Numéro de téléphone invalide (exemple : 03 21 00 00 00).")


def parse_french_date(value: str) -> str:
    """JJ/MM/AAAA (or JJ/MM/AA) to an ISO date; empty stays empty."""
    value = (value or "").strip()
    if not value:
        return ""
    match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})", value)
    if not match:
        raise ValidationError("Date attendue au format JJ/MM/AAAA.")
    day, month, year = (int(part) for part in match.groups())
    if year < 100:
        year += 2000
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise ValidationError("Cette date n’existe pas.") from None


def parse_any_date(value: str) -> str:
    """JJ/MM/AAAA (as typed everywhere in the app) or AAAA-MM-JJ to an ISO date; empty
    stays empty. Raises ValidationError in French."""
    value = (value or "").strip()
    with contextlib.suppress(ValueError):
        return date.fromisoformat(value).isoformat() if value else ""
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value):
        raise ValidationError("Cette date n’existe pas.")
    return parse_french_date(value)


def french_date(iso: str | None) -> str:
    """An ISO date as JJ/MM/AAAA; empty stays empty."""
    if not iso:
        return ""
    try:
        return date.fromisoformat(iso[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def parse_minutes(value: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= 24 * 60:
        raise ValidationError("Durée en minutes, entre 1 et 1440.")
    return int(value)


# ---------------------------------------------------------------------------- schema
Check = Callable[[Any], str | None]


@dataclass(frozen=True)
class Field:
    """A field a table knows: its default and the check of a stored value."""

    name: str
    default: Any
    check: Check | None = None
    required: bool = False
    # How sync merges it: "value" (whole), "set" (scalars by element), "by_id" (dicts by
    # their id), "map" (by key), "log" (append-only).
    merge: str = "value"


def _is_str(value: Any) -> str | None:
    return None if isinstance(value, str) else "texte attendu"


def _is_opt_str(value: Any) -> str | None:
    return None if value is None or isinstance(value, str) else "texte attendu"


def _is_bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else "vrai/faux attendu"


def _is_opt_bool(value: Any) -> str | None:
    return None if value is None or isinstance(value, bool) else "vrai/faux attendu"


def _is_opt_int(value: Any) -> str | None:
    ok = value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0)
    return None if ok else "nombre entier positif attendu"


def _is_list(value: Any) -> str | None:
    return None if isinstance(value, list) else "liste attendue"


def _is_dict(value: Any) -> str | None:
    return None if isinstance(value, dict) else "objet attendu"


def _is_opt_date(value: Any) -> str | None:
    if value in (None, ""):
        return None
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return "date ISO attendue"
    return None


def _status_in(choices: tuple[str, ...]) -> Check:
    def check(value: Any) -> str | None:
        return None if value in choices else f"valeur inconnue : {value!r}"

    return check


def _is_insee_code(value: Any) -> str | None:
    if value == "" or (isinstance(value, str) and INSEE_CODE.fullmatch(value)):
        return None
    return "code INSEE attendu (5 caractères)"


def _nonempty(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "obligatoire"


CLIENT_FIELDS = (
    Field("name", "", _nonempty, required=True),
    Field("trade", "", _is_str),
    Field("activity_kind", None, _is_opt_str),
    Field("size", None, _is_opt_str),
    Field("employees", None, _is_opt_int),
    Field("siret", "", _is_str),
    Field("address", "", _is_str),
    Field("commune", "", _is_str),
    Field("postal_code", "", _is_str),
    # The commune's INSEE code (the national export's « Code Insee du bénéficiaire »).
    Field("insee_code", "", _is_insee_code),
    Field("territory", "", _is_str),
    Field("phone", "", _is_str),
    Field("email", "", _is_str),
    Field("contacts", [], _is_list, merge="by_id"),
    Field("notes", "", _is_str),
    Field("anonymised", False, _is_bool),
    Field("merged_into", None, _is_opt_str),
)

SESSION_FIELDS = (
    Field("client_id", None, _is_opt_str),
    Field("contact_id", None, _is_opt_str),
    Field("interlocutor_role", None, _is_opt_str),
    Field("status", "draft", _status_in(SESSION_STATUSES), required=True),
    Field("close_reason", None, _is_opt_str),
    Field("current_step", "welcome", _is_str),
    Field("steps", {}, _is_dict, merge="map"),
    Field("date", "", _is_opt_date),
    Field("duration_min", None, _is_opt_int),
    Field("place_kind", None, _is_opt_str),
    Field("place_structure_id", None, _is_opt_str),
    Field("place_label", "", _is_str),
    Field("territory", "", _is_str),
    Field("mediator", "", _is_str),
    Field("equipment", [], _is_list, merge="set"),
    Field("request_said", "", _is_str),
    Field("request_rephrased", "", _is_str),
    Field("right_place", None, _is_opt_bool),
    Field("skills", {}, _is_dict, merge="map"),
    Field("maturity", {}, _is_dict, merge="map"),
    Field("need_nature", None, _is_opt_str),
    Field("needs", [], _is_list, merge="set"),
    Field("needs_text", "", _is_str),
    Field("missions", [], _is_list, merge="set"),
    Field("solutions", [], _is_list, merge="by_id"),
    Field("answered", None, _is_opt_str),
    Field("synthesis", "", _is_str),
    Field("other_questions", "", _is_str),
    Field("to_find_out", [], _is_list),
    Field("deadline", "", _is_opt_date),
    Field("deadline_note", "", _is_str),
    Field("callback_wanted", False, _is_bool),
    Field("callback_date", "", _is_opt_date),
    Field("redirections", [], _is_list, merge="by_id"),
    Field("topics_raised", [], _is_list, merge="set"),
    Field("satisfaction", None, _is_opt_str),
    Field("autonomy", None, _is_opt_str),
    Field("notes", "", _is_str),
    Field("closed_at", None, _is_opt_str),
    # How many of the nudge delays (Config.nudge_days) the mediator has already dismissed.
    Field("nudge_level", 0, _is_opt_int),
    Field("anonymised", False, _is_bool),
)

FOLLOWUP_FIELDS = (
    Field("session_id", None, _is_opt_str),
    Field("client_id", None, _is_opt_str),
    Field("kind", "callback", _is_str),
    Field("due_date", "", _is_opt_date),
    Field("reason", "", _is_str),
    Field(
        "status", "todo", _status_in(("todo", "in_progress", "done", "abandoned", "unreachable"))
    ),
    Field("outcome_note", "", _is_str),
    Field("solution_worked", None, _is_opt_str),
    Field("done_at", None, _is_opt_str),
    Field("history", [], _is_list, merge="log"),
    Field("anonymised", False, _is_bool),
)

STRUCTURE_FIELDS = (
    Field("name", "", _nonempty, required=True),
    Field("kind", "other", _is_str),
    Field("territory", "", _is_str),
    Field("commune", "", _is_str),
    Field("postal_code", "", _is_str),
    Field("insee_code", "", _is_str),
    Field("address", "", _is_str),
    Field("address_extra", "", _is_str),
    Field("latitude", None),
    Field("longitude", None),
    Field("phone", "", _is_str),
    Field("emails", "", _is_str),
    Field("websites", "", _is_str),
    Field("opening_hours", "", _is_str),
    Field("helps_with", "", _is_str),
    Field("services", "", _is_str),
    Field("notes", "", _is_str),
    Field("siret", "", _is_str),
    Field("source_id", "", _is_str),
    Field("source_updated", "", _is_str),
)

# ---------------------------------------------------------------------------- workshops, aids, plans
# Issue 18: collective workshops, the catalogue of aids, the action plan of each business.
WORKSHOP_LEVELS = ("beginner", "intermediate", "advanced")
ACTION_STATUSES = ("todo", "in_progress", "done", "abandoned")
ACTION_PRIORITIES = ("high", "normal", "low")
ACTION_OWNERS = ("business", "mediator", "partner")
# An action's note may name a person: erasing the business's people empties it.
PERSONAL_FIELDS["actions"] = ("notes",)

# A session may carry aids attached during solutions and orientation; a follow-up may ask
# whether an aid's file was filed (kind "aid_filed") or track an action of the plan.
SESSION_AID_FIELDS = (Field("aids", [], _is_list, merge="set"),)
FOLLOWUP_LINK_FIELDS = (
    Field("aid_id", None, _is_opt_str),
    Field("action_id", None, _is_opt_str),
    Field("workshop_id", None, _is_opt_str),
)


def _is_opt_choice(choices: tuple[str, ...]) -> Check:
    def check(value: Any) -> str | None:
        return None if value is None or value in choices else f"valeur inconnue : {value!r}"

    return check


def _participants_ok(value: Any) -> str | None:
    if not isinstance(value, list):
        return "liste attendue"
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            return "participant sans identifiant"
    return None


WORKSHOP_FIELDS = (
    Field("title", "", _nonempty, required=True),
    Field("themes", [], _is_list, merge="set"),
    Field("level", None, _is_opt_choice(WORKSHOP_LEVELS)),
    Field("date", "", _is_opt_date),
    Field("duration_min", None, _is_opt_int),
    Field("place_structure_id", None, _is_opt_str),
    Field("place_label", "", _is_str),
    Field("territory", "", _is_str),
    Field("mediators", [], _is_list, merge="set"),
    # {id, client_id, contact_id, attended (None until ticked on the day), added_on}
    Field("participants", [], _participants_ok, merge="by_id"),
    Field("anonymous_count", 0, _is_opt_int),
    Field("notes", "", _is_str),
)

AID_FIELDS = (
    Field("name", "", _nonempty, required=True),
    Field("structure_id", None, _is_opt_str),
    Field("offers", [], _is_list, merge="set"),
    Field("activity_kinds", [], _is_list, merge="set"),
    Field("headcount_bands", [], _is_list, merge="set"),
    Field("territories", [], _is_list, merge="set"),
    Field("needs", [], _is_list, merge="set"),
    Field("amount", "", _is_str),
    Field("how_to_apply", "", _is_str),
    Field("source_url", "", _is_str),
    Field("verified_on", "", _is_opt_date),
    # Demo entries are examples, never presented as a current offer.
    Field("example", False, _is_bool),
    Field("notes", "", _is_str),
)

ACTION_FIELDS = (
    Field("client_id", None, _is_opt_str),
    Field("session_id", None, _is_opt_str),
    Field("title", "", _nonempty, required=True),
    Field("need", None, _is_opt_str),
    Field("solution", "", _is_str),
    Field("aid_id", None, _is_opt_str),
    Field("owner", "business", _status_in(ACTION_OWNERS)),
    Field("owner_structure_id", None, _is_opt_str),
    Field("due_date", "", _is_opt_date),
    Field("priority", "normal", _status_in(ACTION_PRIORITIES)),
    Field("status", "todo", _status_in(ACTION_STATUSES), required=True),
    Field("done_at", None, _is_opt_str),
    Field("notes", "", _is_str),
)


# One per laptop, its id the device id: the names shown beside a conflict's values.
DEVICE_FIELDS = (
    Field("laptop", "", _is_str),
    Field("mediator", "", _is_str),
)

FIELDS: dict[str, tuple[Field, ...]] = {
    "clients": CLIENT_FIELDS,
    "sessions": (*SESSION_FIELDS, *SESSION_AID_FIELDS),
    "followups": (*FOLLOWUP_FIELDS, *FOLLOWUP_LINK_FIELDS),
    "structures": STRUCTURE_FIELDS,
    "workshops": WORKSHOP_FIELDS,
    "aids": AID_FIELDS,
    "actions": ACTION_FIELDS,
    "devices": DEVICE_FIELDS,
}


def new_record(table: str, **values: Any) -> dict[str, Any]:
    """A record of `table` with every known field at its default, then `values`.

    The revision fields are left for the store to stamp when it saves.
    """
    now = utc_now()
    record: dict[str, Any] = {"id": new_id(), "created_at": now, "updated_at": now}
    for field in FIELDS[table]:
        record[field.name] = deepcopy(field.default)
    record["deleted"] = False
    record.update(values)
    return record


def with_defaults(table: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `record` where every known field is present; unknown fields are kept."""
    out = dict(record)
    for field in FIELDS[table]:
        if field.name not in out:
            out[field.name] = deepcopy(field.default)
    out.setdefault("deleted", False)
    return out


def problems(table: str, record: Mapping[str, Any]) -> list[str]:
    """What is wrong with a stored record, in French; empty when it is sound."""
    found: list[str] = []
    if not isinstance(record.get("id"), str) or not record.get("id"):
        found.append("identifiant manquant")
    for name in ("created_at", "updated_at"):
        if not isinstance(record.get(name), str):
            found.append(f"champ « {name} » manquant")
    vv = record.get("vv")
    if not isinstance(vv, dict) or not all(_is_counter(v) for v in vv.values()):
        found.append("vecteur de versions « vv » invalide")
    if not _is_dot(record.get("dot")):
        found.append("champ « dot » invalide")
    dots = record.get("dots", {})
    if not isinstance(dots, dict) or not all(_is_dot(d) for d in dots.values()):
        found.append("champ « dots » invalide")
    if not isinstance(record.get("deleted", False), bool):
        found.append("champ « deleted » invalide")
    found.extend(_schema1_trace_problems(record))
    if record.get("deleted"):
        return found  # a tombstone need not carry complete data
    for field in FIELDS[table]:
        if field.name not in record:
            if field.required:
                found.append(f"champ « {field.name} » manquant")
            continue
        if field.check is not None:
            issue = field.check(record[field.name])
            if issue:
                found.append(f"{field.name} : {issue}")
    return found


def _schema1_trace_problems(record: Mapping[str, Any]) -> list[str]:
    """`from_schema1`: the [device, counter] of the old versions a record was migrated from;
    `superseded`: {path: [value digest, …]} of their values overwritten since."""
    found = []
    versions = record.get("from_schema1", [])
    if not isinstance(versions, list) or not all(
        isinstance(v, list) and len(v) == 2 and isinstance(v[0], str) and _is_counter(v[1])
        for v in versions
    ):
        found.append("champ « from_schema1 » invalide")
    superseded = record.get("superseded", {})
    if not isinstance(superseded, dict) or not all(
        isinstance(h, list) and all(isinstance(x, str) and len(x) <= 32 for x in h)
        for h in superseded.values()
    ):
        found.append("champ « superseded » invalide")
    return found


MAX_COUNTER = 2**53 - 1  # an edit counter past this is not a real one (and not exact in JS)


def _is_counter(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNTER


def _is_dot(value: Any) -> bool:
    """`[device, counter, millis]`, with the element's index for list elements."""
    return (
        isinstance(value, list)
        and len(value) in (3, 4)
        and isinstance(value[0], str)
        and all(_is_counter(part) for part in value[1:])
    )


# ---------------------------------------------------------------------------- helpers
def client_display_name(client: Mapping[str, Any] | None) -> str:
    if not client:
        return "Entreprise inconnue"
    name = client.get("name") or "Sans nom"
    commune = client.get("commune")
    return f"{name} ({commune})" if commune else name


def today() -> date:
    """Today's date; `TPE_TUI_TODAY` (AAAA-MM-JJ) pins it for reproducible demos and tests."""
    pinned = os.environ.get("TPE_TUI_TODAY")
    if pinned:
        with contextlib.suppress(ValueError):
            return date.fromisoformat(pinned)
    return date.today()


def today_iso() -> str:
    return today().isoformat()


def label(kind: str, code: str | None, default: str = "") -> str:
    """French label of a catalogue code (shortcut for templates and screens)."""
    return catalog().label(kind, code, default)


# ---------------------------------------------------------------------------- personal data
def strip_personal(table: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """A copy without a person's data (the business and its sessions stay countable)."""
    out = dict(record)
    for name in PERSONAL_FIELDS.get(table, ()):
        if out.get(name):
            out[name] = ""
    if table == "sessions" and out.get("to_find_out"):
        out["to_find_out"] = []
    if table != "clients":
        return out
    if out.get("name") and out["name"] != ANONYMOUS_NAME:
        out["name"] = ANONYMOUS_NAME
    contacts = out.get("contacts")
    if isinstance(contacts, list):
        out["contacts"] = [
            {**c, **{name: "" for name in PERSONAL_CONTACT_FIELDS if c.get(name)}}
            if isinstance(c, dict)
            else c
            for c in contacts
        ]
    return out


def strip_personal_value(table: str, path: str, value: Any) -> Any:
    """One field-level value (a field, `contacts/<id>` or `contacts/<id>/<field>`) without a
    person's data."""
    name, sep, rest = path.partition("/")
    if not sep:
        if name in PERSONAL_FIELDS.get(table, ()) or name in ("name", "to_find_out"):
            return strip_personal(table, {name: value}).get(name, value)
        return value
    sub = rest.partition("/")[2]
    if table == "clients" and name == "contacts" and sub:
        return "" if sub in PERSONAL_CONTACT_FIELDS and isinstance(value, str) and value else value
    if table == "clients" and name == "contacts" and isinstance(value, dict):
        return {**value, **{k: "" for k in PERSONAL_CONTACT_FIELDS if value.get(k)}}
    return value


def anonymise(table: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """The erasure of a person's data: fields emptied in the record itself, flagged so that
    sync strips them from every concurrent copy on other laptops too."""
    out = strip_personal(table, record)
    out["anonymised"] = True
    return out
