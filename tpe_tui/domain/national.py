"""Rows in the shape of the national activity-report tool's export. Pure: records in.

The national tool (La Coop de la médiation numérique) has no activity import: coordinators
put its own XLSX exports side by side with ours, so ours has its columns, in its order,
with its header names; then our TPE columns after its last one. The mapping of our codes
to its values is data (`domain/data/national.json`). Two styles: `labels` (French labels,
as its XLSX shows them) and `api` (its API's snake_case values, for the CSV twin).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from tpe_tui.domain.accompaniment import promised_callback
from tpe_tui.domain.catalog import catalog, national
from tpe_tui.domain.headcount import HEADCOUNT_BANDS, headcount_band
from tpe_tui.domain.insee import CommuneCodes
from tpe_tui.domain.stats import (
    Filters,
    matcher,
    minutes_of,
    place_name,
    resolve_client,
    workshop_as_session,
    workshop_participants,
)

Record = Mapping[str, Any]
Cell = str | int | date

LINE = "\n"  # multi-values inside one cell, as the national export does

NATIONAL_HEADERS = (
    "Date",
    "Enregistré le",
    "Dernière modification le",
    "Type",
    "Participants",
    "Bénéficiaire",
    "Canaux d’accompagnement",
    "Nom du lieu",
    "Adresse",
    "Commune",
    "Code postal",
    "Code Insee",
    "Durée (min)",
    "Nom de l’atelier",
    "Matériel numérique utilisé",
    "Thématique(s) d’accompagnement",
    "Tags",
    "Nom de la démarche administrative",
    "Niveau d’autonomie (ou de l’atelier)",
    "Bénéficiaire réorienté",
    "Structure de redirection",
    "Commune du bénéficiaire",
    "Code postal du bénéficiaire",
    "Code Insee du bénéficiaire",
    "Genre du bénéficiaire",
    "Tranche d’âge du bénéficiaire",
    "Statut du bénéficiaire",
    "Notes supplémentaires",
    "ID CRA",
)
# The coordinator's export names the mediator after these three, and has no names or notes.
COORDINATOR_HEADERS = ("Prénom du médiateur", "Nom du médiateur", "Rôle", "ID - Conum")
PERSONAL_HEADERS = ("Bénéficiaire", "Notes supplémentaires", "SIRET", "Raison sociale")
TPE_HEADERS = (
    "SIRET",
    "Raison sociale",
    "Activité",
    "Tranche d’effectif",
    "Rôle de l’interlocuteur",
    "Besoins",
    "Nature du besoin",
    "Domaines Pix évalués",
    "Maturité (avant → après)",
    "Solutions",
    "Premier accompagnement de l’entreprise",
    "Rang de l’accompagnement",
    "Suivi prévu le",
)


def headers(coordinator: bool = False) -> list[str]:
    """The columns of the export, in order."""
    out = list(NATIONAL_HEADERS[:3])
    if coordinator:
        out += COORDINATOR_HEADERS
    out += NATIONAL_HEADERS[3:]
    out += TPE_HEADERS
    if coordinator:
        out = [h for h in out if h not in PERSONAL_HEADERS]
    return out


# ---------------------------------------------------------------------------- mapping
def canal(session: Record) -> str:
    """The national kind of place (typeLieu) of a session."""
    mapping = national()
    if session.get("place_structure_id"):
        return str(mapping["canal_if_partner_place"])
    return str(mapping["place_kind_to_canal"].get(session.get("place_kind") or "", "autre"))


def assessed(session: Record) -> bool:
    return any(
        v is not None
        for scores in (session.get("skills"), session.get("maturity"))
        for v in (scores or {}).values()
    )


def thematiques(session: Record) -> list[str]:
    """Always « Accompagner un professionnel », the diagnostic when an assessment was made,
    then what our needs and the topics raised map to; in the national tool's order."""
    mapping = national()
    found = set(mapping["always_thematiques"])
    if assessed(session):
        found.add(mapping["assessed_thematique"])
    for need in session.get("needs") or ():
        found.update(mapping["need_to_thematiques"].get(need, ()))
    for topic in session.get("topics_raised") or ():
        found.update(mapping["topic_to_thematiques"].get(topic, ()))
    return [code for code in mapping["thematiques"] if code in found]


def materiel(session: Record) -> list[str]:
    mapping = national()["equipment_to_materiel"]
    return list(dict.fromkeys(mapping.get(e, "autre") for e in session.get("equipment") or ()))


def autonomie(session: Record) -> str | None:
    level = national()["autonomy_to_autonomie"].get(session.get("autonomy") or "")
    return str(level) if level else None


def redirection_category(structure_kind: str | None) -> str:
    mapping = national()
    return str(
        mapping["structure_kind_to_redirection"].get(
            structure_kind or "", mapping["default_redirection"]
        )
    )


# ---------------------------------------------------------------------------- rows
@dataclass
class Context:
    """What a row needs beyond its session: the business, places, follow-ups, history."""

    clients: Mapping[str, Record]
    sessions: Mapping[str, Record]
    structures: Mapping[str, Record]
    followups_due: Mapping[str, str]  # session id -> earliest open follow-up date
    # Business id -> [(date, session or workshop id)] sorted: its closed sessions and the
    # workshops it took part in, as the statistics count a business's accompaniments.
    history: Mapping[str, list[tuple[str, str]]]
    # Commune -> INSEE code from the directory, for businesses that hold no code yet.
    communes: CommuneCodes = field(default_factory=CommuneCodes)
    # Session id -> its callback follow-ups (the agenda's date wins over the one typed).
    callbacks: Mapping[str, list[Record]] = field(default_factory=dict)

    @classmethod
    def of(cls, data: Mapping[str, Mapping[str, Record]]) -> Context:
        clients = {c.get("id", ""): c for c in data.get("clients", {}).values()}
        due: dict[str, str] = {}
        callbacks: dict[str, list[Record]] = defaultdict(list)
        for followup in data.get("followups", {}).values():
            if followup.get("kind") == "callback" and not followup.get("deleted"):
                callbacks[followup.get("session_id") or ""].append(followup)
            if followup.get("deleted") or followup.get("status") not in ("todo", "in_progress"):
                continue
            session_id, when = followup.get("session_id") or "", followup.get("due_date") or ""
            if when and (session_id not in due or when < due[session_id]):
                due[session_id] = when
        history: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for session in data.get("sessions", {}).values():
            if session.get("deleted") or session.get("status") != "closed":
                continue
            client = resolve_client(clients, session.get("client_id"))
            if client:
                history[client["id"]].append((session.get("date") or "", session.get("id", "")))
        for workshop in data.get("workshops", {}).values():
            if workshop.get("deleted") or not workshop.get("date"):
                continue
            taking_part = {
                client["id"]
                for person in workshop_participants(workshop)
                if person and (client := resolve_client(clients, person.get("client_id")))
            }
            for client_id in taking_part:
                history[client_id].append((workshop["date"], workshop.get("id", "")))
        for sessions in history.values():
            sessions.sort()
        return cls(
            clients,
            {s.get("id", ""): s for s in data.get("sessions", {}).values()},
            {s.get("id", ""): s for s in data.get("structures", {}).values()},
            due,
            history,
            CommuneCodes.of(data.get("structures", {}).values()),
            callbacks,
        )

    def rank(self, client: Record, record_id: str) -> int:
        """The place of a session or workshop among its business's accompaniments (1: the
        first); 0 for none (an anonymous participant)."""
        history = self.history.get(client.get("id", ""), []) if client else []
        return next((i + 1 for i, (_, rid) in enumerate(history) if rid == record_id), 0)


def _stamp(value: str | None) -> str:
    """An ISO UTC timestamp as « 24/11/2026 à 09:30 », local time."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%d/%m/%Y à %H:%M")


def _day(value: str | None) -> date | str:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return value or ""


def _common_cells(record: Record, mediator: str, labels: bool) -> dict[str, Cell]:
    """The cells every row has from its record: dates, the mediator, the person's
    details the national tool asks and we never hold (« Non communiqué »)."""
    created, updated = record.get("created_at") or "", record.get("updated_at") or ""
    first_name, _, last_name = mediator.partition(" ")
    not_said, which = national()["not_communicated"], 1 if labels else 0
    return {
        "Date": _day(record.get("date")) if labels else (record.get("date") or ""),
        "Enregistré le": _stamp(created) if labels else created,
        "Dernière modification le": (
            "" if updated == created else (_stamp(updated) if labels else updated)
        ),
        "Prénom du médiateur": first_name,
        "Nom du médiateur": last_name,
        "Rôle": "Médiateur" if labels else "mediateur",
        "Genre du bénéficiaire": not_said["genre"][which],
        "Tranche d’âge du bénéficiaire": not_said["tranche_age"][which],
        "Statut du bénéficiaire": not_said["statut"][which],
        "ID CRA": record.get("id", ""),
    }


def _business_insee(client: Record, communes: CommuneCodes) -> str:
    """The INSEE code of the business's commune: typed on its file, or known from the
    directory; else empty (nothing is guessed)."""
    return str(
        client.get("insee_code")
        or communes.code_of(str(client.get("commune") or ""), str(client.get("postal_code") or ""))
    )


def _business_cells(client: Record, labels: bool, communes: CommuneCodes) -> dict[str, Cell]:
    """The cells that come from the business: the beneficiary's and our TPE columns."""
    kind = client.get("activity_kind")
    insee = _business_insee(client, communes)
    return {
        "Bénéficiaire": str(client.get("name") or ""),
        "Commune du bénéficiaire": client.get("commune", ""),
        "Code postal du bénéficiaire": client.get("postal_code", ""),
        # Typed on the business's file, or known from the directory; else left empty.
        "Code Insee du bénéficiaire": insee,
        "SIRET": client.get("siret", ""),
        "Raison sociale": str(client.get("name") or ""),
        "Activité": _tpe(catalog().label("activity_kinds", kind), kind, labels),
        "Tranche d’effectif": _band(client, labels),
    }


def session_row(
    session: Record, context: Context, *, style: str = "labels", coordinator: bool = False
) -> list[Cell]:
    """One accompaniment as a row of `headers(coordinator)`."""
    mapping, cat = national(), catalog()
    labels = style == "labels"
    client = resolve_client(context.clients, session.get("client_id")) or {}

    def show(kind: str, code: str | None) -> str:
        if code is None:
            return ""
        if not labels:
            return code
        entry = mapping[kind].get(code)
        return entry["label"] if isinstance(entry, dict) else (entry or code)

    def many(kind: str, codes: Iterable[str]) -> str:
        return LINE.join(show(kind, code) for code in codes)

    yes, no = mapping["yes_no"]["true"], mapping["yes_no"]["false"]
    kind_of_place = canal(session)
    structure = context.structures.get(session.get("place_structure_id") or "") or {}
    if structure:
        place = (
            structure.get("name", ""),
            structure.get("address", ""),
            structure.get("commune", ""),
            structure.get("postal_code", ""),
            structure.get("insee_code", ""),
        )
    elif session.get("place_kind") == "premises":
        # Canal `autre`: the national tool asks commune, postal code and INSEE code, those
        # of the business here (its INSEE code was left empty: finding NEW6-6).
        place = (
            "",
            "",
            client.get("commune", ""),
            client.get("postal_code", ""),
            _business_insee(client, context.communes),
        )
    elif kind_of_place == "a_distance":
        place = ("", "", "", "", "")
    else:
        place = (session.get("place_label") or "", "", "", "", "")
    level = autonomie(session)
    if level and labels:
        autonomy_cell = f"{mapping['autonomie'][level]['stars']}/{len(mapping['autonomie'])}"
    else:
        autonomy_cell = level or ""
    redirections = [r for r in session.get("redirections") or () if isinstance(r, dict)]
    categories = list(
        dict.fromkeys(
            redirection_category(
                (context.structures.get(r.get("structure_id") or "") or {}).get("kind")
            )
            for r in redirections
        )
    )
    redirected = (yes if redirections else no)[1 if labels else 0]
    rank = context.rank(client, session.get("id", ""))
    # The callback date the client was promised, as the summary prints it: the agenda's
    # once there (postponed there, it moves here too), else the next follow-up due.
    followup_day = promised_callback(
        session, context.callbacks.get(session.get("id", ""), [])
    ) or context.followups_due.get(session.get("id", ""), "")
    by_header = _common_cells(session, str(session.get("mediator") or ""), labels)
    by_header |= _business_cells(client, labels, context.communes)
    by_header |= {
        "ID - Conum": "",
        "Type": show("type", "individuel"),
        "Participants": 1,
        "Canaux d’accompagnement": show("canaux", kind_of_place),
        "Nom du lieu": place[0],
        "Adresse": place[1],
        "Commune": place[2],
        "Code postal": place[3],
        "Code Insee": place[4],
        "Durée (min)": minutes_of(session.get("duration_min")) or "",
        "Nom de l’atelier": "",
        "Matériel numérique utilisé": many("materiel", materiel(session)),
        "Thématique(s) d’accompagnement": many("thematiques", thematiques(session)),
        "Tags": "",
        "Nom de la démarche administrative": "",
        "Niveau d’autonomie (ou de l’atelier)": autonomy_cell,
        "Bénéficiaire réorienté": redirected,
        "Structure de redirection": many("structures_redirection", categories),
        "Notes supplémentaires": str(session.get("notes") or ""),
        "Rôle de l’interlocuteur": _tpe(
            cat.label("interlocutor_roles", session.get("interlocutor_role")),
            session.get("interlocutor_role"),
            labels,
        ),
        "Besoins": LINE.join(
            cat.label("needs", c) if labels else c for c in session.get("needs") or ()
        ),
        "Nature du besoin": _tpe(
            cat.label("need_natures", session.get("need_nature")),
            session.get("need_nature"),
            labels,
        ),
        "Domaines Pix évalués": LINE.join(
            cat.label("skill_areas", a) if labels else a
            for a, v in (session.get("skills") or {}).items()
            if v is not None
        ),
        "Maturité (avant → après)": maturity_change(session, context, client, labels),
        "Solutions": LINE.join(
            str(s.get("title") or "")
            for s in session.get("solutions") or ()
            if isinstance(s, dict) and s.get("title")
        ),
        "Premier accompagnement de l’entreprise": (yes if rank == 1 else no)[1 if labels else 0],
        "Rang de l’accompagnement": rank,
        "Suivi prévu le": (_day(followup_day) if labels else followup_day) if followup_day else "",
    }
    return [by_header[name] for name in headers(coordinator)]


def _tpe(label: str, code: str | None, labels: bool) -> str:
    return label if labels else (code or "")


def _band(client: Record, labels: bool) -> str:
    band = headcount_band(client)
    if band is None:
        return ""
    return dict(HEADCOUNT_BANDS)[band] if labels else band


def _contact_role(client: Record, contact_id: Any) -> str | None:
    """The role of the business's contact who came (« Dirigeant(e) »…), when known."""
    for contact in client.get("contacts") or ():
        if isinstance(contact, dict) and contact_id and contact.get("id") == contact_id:
            return contact.get("role") or None
    return None


def maturity_change(session: Record, context: Context, client: Record, labels: bool) -> str:
    """Per axis assessed in this session: the business's previous score → this one."""
    scores = session.get("maturity") or {}
    if not any(v is not None for v in scores.values()):
        return ""
    previous: Mapping[str, Any] = {}
    day = session.get("date") or ""
    # The history holds the business's closed sessions by date; ids lead back to the records.
    for earlier_day, sid in context.history.get(client.get("id", ""), []):
        if earlier_day >= day or sid == session.get("id"):
            break
        earlier = context.sessions.get(sid)
        if earlier and any(v is not None for v in (earlier.get("maturity") or {}).values()):
            previous = earlier["maturity"]
    cat = catalog()
    lines = []
    for axis in cat.codes("maturity_dimensions"):
        after = scores.get(axis)
        if after is None:
            continue
        before = previous.get(axis)
        name = cat.label("maturity_dimensions", axis) if labels else axis
        lines.append(f"{name} : {before if before is not None else '-'} → {after}")
    return LINE.join(lines)


def places_to_complete(rows: Iterable[Sequence[Cell]], coordinator: bool = False) -> int:
    """How many rows of canal `autre` lack the commune or the INSEE code of their place,
    which the national tool asks for that canal: a place typed with no commune (we hold
    none to give), a business with no INSEE code. Said beside the export, not in it: the
    file keeps the national shape, with no guessed value."""
    names = headers(coordinator)
    canal_at, commune_at = names.index("Canaux d’accompagnement"), names.index("Commune")
    insee_at = names.index("Code Insee")
    autre = {"autre", national()["canaux"]["autre"]}
    return sum(
        1 for row in rows if row[canal_at] in autre and not (row[commune_at] and row[insee_at])
    )


# ---------------------------------------------------------------------------- workshops
WORKSHOP_LEVEL_STARS = {"beginner": 1, "intermediate": 2, "advanced": 3}


def workshop_rows(
    workshop: Record, context: Context, *, style: str = "labels", coordinator: bool = False
) -> list[list[Cell]]:
    """A collective workshop as the national tool exports it: one row per participant,
    Type « Atelier collectif », « i/N » participants, its level as « n/3 »."""
    mapping, cat = national(), catalog()
    labels = style == "labels"
    yes, no, which = mapping["yes_no"]["true"], mapping["yes_no"]["false"], 1 if labels else 0
    people = workshop_participants(workshop)
    if not people:
        return []
    found = set(mapping["always_thematiques"])
    for theme in workshop.get("themes") or ():
        found.update(mapping["need_to_thematiques"].get(theme, ()))
        found.update(mapping["topic_to_thematiques"].get(theme, ()))
    codes = [code for code in mapping["thematiques"] if code in found]
    structure = context.structures.get(workshop.get("place_structure_id") or "") or {}
    level = workshop.get("level") or ""
    stars = WORKSHOP_LEVEL_STARS.get(level)
    base = _common_cells(workshop, str(workshop_as_session(workshop)["mediator"]), labels)
    base |= {
        "Type": mapping["type"]["collectif"] if labels else "collectif",
        "Canaux d’accompagnement": (
            mapping["canaux"]["lieu_activite"] if labels else "lieu_activite"
        )
        if structure
        else (mapping["canaux"]["autre"] if labels else "autre"),
        "Nom du lieu": structure.get("name") or workshop.get("place_label") or "",
        "Adresse": structure.get("address", ""),
        "Commune": structure.get("commune", ""),
        "Code postal": structure.get("postal_code", ""),
        "Code Insee": structure.get("insee_code", ""),
        "Durée (min)": minutes_of(workshop.get("duration_min")) or "",
        "Nom de l’atelier": str(workshop.get("title") or ""),
        "Thématique(s) d’accompagnement": LINE.join(
            mapping["thematiques"][c] if labels else c for c in codes
        ),
        "Niveau d’autonomie (ou de l’atelier)": (
            f"{stars}/{len(WORKSHOP_LEVEL_STARS)}" if labels and stars else level
        ),
        "Besoins": LINE.join(
            cat.label("needs", t) if labels else t
            for t in workshop.get("themes") or ()
            if cat.has("needs", t)
        ),
    }
    rows = []
    for index, person in enumerate(people, 1):
        row = dict(base)
        row["Participants"] = 1 if len(people) == 1 else f"{index}/{len(people)}"
        client = resolve_client(context.clients, (person or {}).get("client_id")) or {}
        row |= _business_cells(client, labels, context.communes)
        row["Notes supplémentaires"] = str(workshop.get("notes") or "") if index == 1 else ""
        rank = context.rank(client, workshop.get("id", ""))
        if rank:  # a named participant: the same TPE columns as a visit (NEW6-15)
            row["Premier accompagnement de l’entreprise"] = (yes if rank == 1 else no)[which]
            row["Rang de l’accompagnement"] = rank
            role = _contact_role(client, (person or {}).get("contact_id"))
            row["Rôle de l’interlocuteur"] = _tpe(
                cat.label("interlocutor_roles", role), role, labels
            )
        rows.append([row.get(name, "") for name in headers(coordinator)])
    return rows


@dataclass
class FolderRanks:
    """« Premier accompagnement » and « Rang » across the files of a folder (NEW6-16: they
    were worked out inside each file, so a business accompanied on another laptop first was
    « Oui », 1, against the report's « déjà suivie »). Each file's histories are joined (a
    record's date from the first file read, as its row), and each row's (business, record)
    kept, so `apply` sets both cells once every file is read."""

    history: dict[str, dict[str, str]] = field(default_factory=dict)  # business -> {id: date}
    keys: list[tuple[str, str]] = field(default_factory=list)  # each row's (business, record)

    def add_history(self, history: Mapping[str, list[tuple[str, str]]]) -> None:
        for business, dated in history.items():
            known = self.history.setdefault(business, {})
            for day, record_id in dated:
                known.setdefault(record_id, day)

    def apply(
        self, rows: list[list[Cell]], *, style: str = "labels", coordinator: bool = False
    ) -> None:
        names = headers(coordinator)
        first_at = names.index("Premier accompagnement de l’entreprise")
        rank_at = names.index("Rang de l’accompagnement")
        mapping, which = national(), 1 if style == "labels" else 0
        yes, no = mapping["yes_no"]["true"][which], mapping["yes_no"]["false"][which]
        ranks: dict[str, dict[str, int]] = {}
        for row, (business, record_id) in zip(rows, self.keys, strict=True):
            if not business:
                continue  # an anonymous participant
            if business not in ranks:
                dated = sorted((day, rid) for rid, day in self.history.get(business, {}).items())
                ranks[business] = {rid: i for i, (_, rid) in enumerate(dated, 1)}
            rank = ranks[business].get(record_id)
            if rank:
                row[first_at], row[rank_at] = (yes if rank == 1 else no), rank


def export_rows(
    data: Mapping[str, Mapping[str, Record]],
    filters: Filters,
    *,
    style: str = "labels",
    coordinator: bool = False,
    seen: set[str] | None = None,
    ranks: FolderRanks | None = None,
) -> list[list[Cell]]:
    """Rows of the closed accompaniments of one data file that pass `filters`, by date.

    `seen` (session ids already exported from another file) keeps a session once; `ranks`
    gathers what ranks them across files (`FolderRanks.apply` once all are read).
    """
    context = Context.of(data)
    matches = matcher(filters)
    rows: list[tuple[str, list[Cell], tuple[str, str]]] = []
    for session in data.get("sessions", {}).values():
        if session.get("deleted") or session.get("status") != "closed":
            continue
        if (seen is not None and session.get("id") in seen) or not filters.period.contains(
            session.get("date") or ""
        ):
            continue
        client = resolve_client(context.clients, session.get("client_id"))
        if matches and not matches(session, client, place_name(session, context.structures)):
            continue
        if seen is not None:
            seen.add(session.get("id", ""))
        row = session_row(session, context, style=style, coordinator=coordinator)
        key = ((client or {}).get("id", ""), session.get("id", ""))
        rows.append((session.get("date") or "", row, key))
    for workshop in data.get("workshops", {}).values():
        if workshop.get("deleted") or (seen is not None and workshop.get("id") in seen):
            continue
        if not workshop.get("date") or not filters.period.contains(workshop["date"]):
            continue
        if matches and not matches(
            workshop_as_session(workshop), None, place_name(workshop, context.structures)
        ):
            continue
        if seen is not None:
            seen.add(workshop.get("id", ""))
        people = [
            (resolve_client(context.clients, (person or {}).get("client_id")) or {}).get("id", "")
            for person in workshop_participants(workshop)
        ]
        made = workshop_rows(workshop, context, style=style, coordinator=coordinator)
        for row, business in zip(made, people, strict=True):
            rows.append((workshop["date"], row, (business, workshop.get("id", ""))))
    rows.sort(key=lambda item: item[0])
    if ranks is not None:
        ranks.add_history(context.history)
        ranks.keys.extend(key for _, _, key in rows)
    return [row for _, row, _ in rows]
