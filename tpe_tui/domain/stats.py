"""Activity figures for coordinators and funders. Pure: records in, figures out.

Only closed accompaniments count as activity; those still in progress (draft or in
progress) are counted apart. The figures are gathered by one pass over each data file
(`ActivityStats.add_data`), so many mediators' files can be read one at a time: what is
kept between files is counters and, per business, a few small values, never the records.
A session found in several files (team copies) is counted once: the first file read wins.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.text import fold

Record = Mapping[str, Any]

# The national tool's duration buckets, lower bound included: (code, label, from, to).
DURATION_BUCKETS = (
    ("lt30", "Moins de 30 min", 0, 30),
    ("30to60", "30 min à 1 h", 30, 60),
    ("60to120", "1 h à 2 h", 60, 120),
    ("ge120", "2 h et plus", 120, None),
)
HEADCOUNT_BANDS = (("0", "0 salarié"), ("1-4", "1 à 4"), ("5-9", "5 à 9"), ("10+", "10 et plus"))
UNKNOWN = "Non renseigné"
# A period of at most this many days is drawn per day rather than per month.
SHORT_PERIOD_DAYS = 31
MONTHS_SHORT = (
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
)  # fmt: skip

# One line per figure: what is counted. Shown on the screen and in the report.
DEFINITIONS: dict[str, str] = {
    "accompaniments": "Accompagnements clôturés dont la date est dans la période.",
    "in_progress": "Accompagnements pas encore clôturés (brouillons, en cours) datés de la période : comptés à part.",
    "businesses": "Entreprises distinctes ayant eu au moins un accompagnement clôturé dans la période.",
    "new": "Entreprises dont le tout premier accompagnement clôturé a lieu dans la période.",
    "followed": "Entreprises déjà accompagnées avant le début de la période.",
    "hours": "Somme des durées des accompagnements (durées non renseignées comptées 0).",
    "per_business": "Accompagnements divisés par le nombre d’entreprises distinctes.",
    "redirection_rate": "Part des accompagnements avec au moins une orientation vers une structure.",
    "workshop_participants": "Participations aux ateliers collectifs de la période (présents et participants anonymes), comptées à part des accompagnements individuels.",
    "per_period": "Accompagnements par mois (par jour pour une période d’un mois au plus).",
    "durations": "Accompagnements par durée, comme l’outil national : borne basse incluse (30 min compte dans « 30 min à 1 h »).",
    "place_kinds": "Accompagnements par type de lieu.",
    "places": "Accompagnements par lieu (structure de l’annuaire ou lieu saisi).",
    "communes": "Accompagnements par commune de l’entreprise.",
    "territories": "Accompagnements par territoire de l’accompagnement.",
    "needs": "Besoins exprimés ; un accompagnement peut en citer plusieurs (part des mentions).",
    "need_natures": "Nature du besoin : technique, stratégique ou les deux.",
    "missions": "Missions réalisées (part des mentions).",
    "solution_areas": "Domaines des solutions proposées, une fois par accompagnement (part des mentions).",
    "topics": "Enjeux opérationnels abordés (part des mentions).",
    "roles": "Rôle de l’interlocuteur dans l’entreprise.",
    "activity_kinds": "Type d’activité de l’entreprise, par accompagnement.",
    "headcount": "Tranche d’effectif salarié de l’entreprise, par accompagnement.",
    "equipment": "Matériel numérique utilisé (part des mentions).",
    "pix_areas": "Domaines Pix évalués pendant les accompagnements (part des mentions).",
    "maturity": "Entreprises dont la maturité a été évaluée au moins deux fois dans la période : première → dernière évaluation (en progrès = au moins un axe en hausse).",
    "maturity_axes": "Par axe, entreprises en progrès entre la première et la dernière évaluation (en % des entreprises évaluées deux fois).",
    "autonomy": "Entreprises dont l’autonomie a été notée au moins deux fois : première → dernière.",
    "redirect_kinds": "Orientations par type de structure (une orientation par structure citée).",
    "redirect_structures": "Orientations par structure.",
    "followups": "Suivis des accompagnements de la période : faits, en retard (date passée), à venir, injoignables, abandonnés.",
    "solution_worked": "Suivis faits : la solution a-t-elle marché ?",
    "satisfaction": "Satisfaction exprimée en fin d’accompagnement.",
    "mediators": "Accompagnements par médiateur (à défaut, par fichier lu).",
}


# ---------------------------------------------------------------------------- periods
@dataclass(frozen=True)
class Period:
    """Inclusive dates; None on a side means no bound."""

    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise ValueError("la date de début est après la date de fin")

    @property
    def start_iso(self) -> str:
        return self.start.isoformat() if self.start else ""

    @property
    def end_iso(self) -> str:
        return self.end.isoformat() if self.end else "9999-12-31"

    def contains(self, day: str) -> bool:
        """Whether an ISO date (or datetime) is inside; no date is inside only an open period."""
        if not day:
            return self.start is None and self.end is None
        day = day[:10]
        return self.start_iso <= day <= self.end_iso

    @property
    def is_short(self) -> bool:
        return bool(self.start and self.end and (self.end - self.start).days < SHORT_PERIOD_DAYS)

    def label(self) -> str:
        if self.start is None and self.end is None:
            return "toutes les dates"
        if self.start is None:
            return f"jusqu’au {_fr(self.end)}"
        if self.end is None:
            return f"depuis le {_fr(self.start)}"
        return f"du {_fr(self.start)} au {_fr(self.end)}"


def _fr(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def month_period(today: date, months_back: int = 0) -> Period:
    """This month (0), last month (1)…"""
    year, month = today.year, today.month - months_back
    while month < 1:
        month += 12
        year -= 1
    start = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return Period(start, following - timedelta(days=1))


def year_period(today: date) -> Period:
    return Period(date(today.year, 1, 1), date(today.year, 12, 31))


# Named periods offered on the screen: (code, label).
NAMED_PERIODS = (
    ("this_month", "Ce mois-ci"),
    ("last_month", "Le mois dernier"),
    ("this_year", "Cette année"),
    ("all", "Toutes les dates"),
)


def named_period(code: str, today: date) -> Period:
    if code == "this_month":
        return month_period(today)
    if code == "last_month":
        return month_period(today, 1)
    if code == "this_year":
        return year_period(today)
    return Period()


@dataclass(frozen=True)
class Filters:
    """What is counted: a period, and optionally one territory, commune, place, mediator."""

    period: Period = field(default_factory=Period)
    territory: str = ""
    commune: str = ""
    place: str = ""
    mediator: str = ""

    def describe(self) -> list[tuple[str, str]]:
        """(label, value) lines for reports and the export's « Filtres » block."""
        return [
            ("Période", self.period.label()),
            ("Territoire", self.territory or "-"),
            ("Commune", self.commune or "-"),
            ("Lieu", self.place or "-"),
            ("Médiateur", self.mediator or "-"),
        ]


def matcher(filters: Filters) -> Callable[[Record, Record | None, str], bool] | None:
    """A test of (session, its business, its place name) against the filters other than
    the period; None when there are none (the common case costs nothing)."""
    wanted = {
        "territory": fold(filters.territory.strip()),
        "commune": fold(filters.commune.strip()),
        "place": fold(filters.place.strip()),
        "mediator": fold(filters.mediator.strip()),
    }
    if not any(wanted.values()):
        return None

    def matches(session: Record, client: Record | None, place: str) -> bool:
        checks = (
            ("territory", session.get("territory") or (client or {}).get("territory")),
            ("commune", (client or {}).get("commune")),
            ("place", place),
            ("mediator", session.get("mediator")),
        )
        return all(
            not wanted[name] or fold(str(value or "")) == wanted[name] for name, value in checks
        )

    return matches


def workshop_as_session(workshop: Record) -> dict[str, Any]:
    """What the filters look at, taken from a workshop (its first mediator)."""
    mediators = [m for m in workshop.get("mediators") or () if m]
    return {"territory": workshop.get("territory"), "mediator": mediators[0] if mediators else ""}


def workshop_participants(workshop: Record) -> list[Record | None]:
    """Who counts for a workshop: participants not marked absent, then one None per
    anonymous participant."""
    named: list[Record | None] = [
        p
        for p in workshop.get("participants") or ()
        if isinstance(p, dict) and p.get("attended") is not False
    ]
    anonymous = workshop.get("anonymous_count")
    return named + [None] * (anonymous if isinstance(anonymous, int) else 0)


# ---------------------------------------------------------------------------- arithmetic
def largest_remainder(counts: Sequence[int], total: int = 100) -> list[int]:
    """Whole percentages that add up to `total` (largest-remainder rounding).

    Each count gets the floor of its exact share; the points left go to the largest
    remainders (ties: larger count first, then earlier row).
    """
    whole = sum(counts)
    if whole <= 0:
        return [0] * len(counts)
    floors = [count * total // whole for count in counts]
    remainders = [count * total % whole for count in counts]
    left = total - sum(floors)
    order = sorted(range(len(counts)), key=lambda i: (-remainders[i], -counts[i], i))
    for index in order[:left]:
        floors[index] += 1
    return floors


def duration_bucket(minutes: int | None) -> str | None:
    """The national tool's bucket of a duration; None when it is not known."""
    if not isinstance(minutes, int) or isinstance(minutes, bool):
        return None
    for code, _label, low, high in DURATION_BUCKETS:
        if minutes >= low and (high is None or minutes < high):
            return code
    return None


def headcount_band(client: Record | None) -> str | None:
    """0, 1–4, 5–9, 10+ from the business's size and employee count."""
    if not client:
        return None
    employees = client.get("employees")
    if isinstance(employees, int) and not isinstance(employees, bool):
        if employees == 0:
            return "0"
        if employees <= 4:
            return "1-4"
        return "5-9" if employees <= 9 else "10+"
    return "0" if client.get("size") == "alone" else None


def minutes_of(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def format_minutes(minutes: int) -> str:
    """95 -> « 1 h 35 »."""
    hours, rest = divmod(int(minutes), 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def resolve_client(clients: Mapping[str, Record], client_id: str | None) -> Record | None:
    """The business of a session, following merged duplicates to the one kept."""
    client = clients.get(client_id or "")
    seen: set[str] = set()
    while client and client.get("merged_into") and client.get("id") not in seen:
        seen.add(client.get("id", ""))
        client = clients.get(client["merged_into"], client)
    return client


def place_name(session: Record, structures: Mapping[str, Record]) -> str:
    structure = structures.get(session.get("place_structure_id") or "")
    if structure and structure.get("name"):
        return str(structure["name"])
    return str(session.get("place_label") or "")


# ---------------------------------------------------------------------------- results
@dataclass
class Row:
    label: str
    count: int
    percent: int = 0
    extra: str = ""


@dataclass
class Section:
    key: str
    title: str
    rows: list[Row]
    definition: str = ""
    # None: percentages are shares of the rows (they add up to 100); else a count to divide by.
    base: int | None = None

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)

    @property
    def maximum(self) -> int:
        return max((row.count for row in self.rows), default=0)


@dataclass
class Total:
    key: str
    label: str
    value: str
    definition: str = ""


@dataclass
class Figures:
    period: str
    filters: list[tuple[str, str]]
    sources: list[str]
    totals: list[Total]
    sections: list[Section]

    def total(self, key: str) -> Total:
        return next(t for t in self.totals if t.key == key)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def make_section(
    key: str,
    title: str,
    counts: Mapping[str, int] | Iterable[tuple[str, int]],
    *,
    base: int | None = None,
    extras: Mapping[str, str] | None = None,
) -> Section:
    """A section from (label, count) pairs, in the given order, percentages filled in."""
    pairs = list(counts.items() if isinstance(counts, Mapping) else counts)
    if base is None:
        percents = largest_remainder([count for _, count in pairs])
    else:
        percents = [round(count * 100 / base) if base else 0 for _, count in pairs]
    rows = [
        Row(label, count, percent, (extras or {}).get(label, ""))
        for (label, count), percent in zip(pairs, percents, strict=True)
    ]
    return Section(key, title, rows, DEFINITIONS.get(key, ""), base)


# ---------------------------------------------------------------------------- gathering
@dataclass
class _Track:
    """First and last value of something assessed for one business (by date)."""

    first_day: str
    first: tuple[Any, ...]
    last_day: str
    last: tuple[Any, ...]
    times: int = 1

    def add(self, day: str, value: tuple[Any, ...]) -> None:
        self.times += 1
        if day < self.first_day:
            self.first_day, self.first = day, value
        if day >= self.last_day:
            self.last_day, self.last = day, value


class ActivityStats:
    """Gathers the figures of one or many data files, one file at a time."""

    def __init__(self, filters: Filters | None = None, today: date | None = None) -> None:
        self.filters = filters or Filters()
        self.today = (today or date.today()).isoformat()
        self.sources: list[str] = []
        self.accompaniments = 0
        self.in_progress = 0
        self.minutes = 0
        self.redirected = 0
        self.workshop_participants = 0
        self.counters: dict[str, Counter[str]] = {}
        self.mediator_minutes: Counter[str] = Counter()
        self._seen: set[int] = set()  # hashes of session (and follow-up) ids already counted
        self._businesses: set[int] = set()
        self._known_before: set[int] = set()  # businesses with a closed session before the period
        self._maturity: dict[int, _Track] = {}
        self._autonomy: dict[int, _Track] = {}
        cat = catalog()
        self._maturity_axes = cat.codes("maturity_dimensions")
        self._autonomy_rank = {code: i for i, code in enumerate(cat.codes("autonomy_levels"))}
        self._matches = matcher(self.filters)

    def _update(self, key: str, values: Iterable[Any]) -> None:
        """Count values (C-level Counter.update: the per-session loop stays short)."""
        self.counters.setdefault(key, Counter()).update(values)

    # -------------------------------------------------------------- one file
    def add_data(self, data: Mapping[str, Mapping[str, Record]], source: str = "") -> None:
        """Count what one data file holds (`{table: {doc_id: record}}`)."""
        self.sources.append(source)
        clients = {c.get("id", ""): c for c in data.get("clients", {}).values()}
        structures = {s.get("id", ""): s for s in data.get("structures", {}).values()}
        period = self.filters.period
        start, end = period.start_iso, period.end_iso
        open_period = period.start is None and period.end is None
        matches = self._matches
        seen, known_before = self._seen, self._known_before
        # Closed sessions counted, with their business (or {}) and business key.
        chosen: list[Record] = []
        owners: list[Record] = []
        keys: list[int] = []
        days: list[str] = []
        for session in data.get("sessions", {}).values():
            if session.get("deleted"):
                continue
            key = hash(session.get("id"))
            if key in seen:
                continue
            seen.add(key)
            client = clients.get(session.get("client_id") or "")
            if client is not None and client.get("merged_into"):
                client = resolve_client(clients, client.get("id"))
            business = hash(client["id"] if client else f"session:{session.get('id')}")
            day = str(session.get("date") or "")
            closed = session.get("status") == "closed"
            if day:
                day = day[:10]
                if closed and day < start:
                    known_before.add(business)
                if not start <= day <= end:
                    continue
            elif not open_period:
                continue
            if matches and not matches(session, client, place_name(session, structures)):
                continue
            if not closed:
                self.in_progress += 1
                continue
            chosen.append(session)
            owners.append(client or {})
            keys.append(business)
            days.append(day)
        if chosen:
            self._add_sessions(chosen, owners, keys, days, structures, source)
        self._add_followups(data.get("followups", {}).values(), {str(s.get("id")) for s in chosen})
        self._add_workshops(data.get("workshops", {}).values(), structures)

    def _add_workshops(self, workshops: Iterable[Record], structures: Mapping[str, Record]) -> None:
        """Workshop participations of the period (a table added by issue 18; absent before)."""
        period, matches = self.filters.period, self._matches
        for workshop in workshops:
            day = str(workshop.get("date") or "")
            if workshop.get("deleted") or not day or not period.contains(day):
                continue
            key = hash(("workshop", workshop.get("id")))
            if key in self._seen:
                continue
            self._seen.add(key)
            place = place_name(workshop, structures)
            if matches and not matches(workshop_as_session(workshop), None, place):
                continue
            self.workshop_participants += len(workshop_participants(workshop))

    def _add_sessions(
        self,
        sessions: list[Record],
        clients: list[Record],
        businesses: list[int],
        days: list[str],
        structures: Mapping[str, Record],
        source: str,
    ) -> None:
        """Count closed sessions of the period (`clients[i]` is the business of `sessions[i]`)."""
        update = self._update
        self.accompaniments += len(sessions)
        self._businesses.update(businesses)
        minutes = [minutes_of(s.get("duration_min")) for s in sessions]
        self.minutes += sum(minutes)
        update("per_period", days if self.filters.period.is_short else [d[:7] for d in days])
        update("durations", [duration_bucket(s.get("duration_min")) or "" for s in sessions])
        for key, name in (
            ("place_kinds", "place_kind"),
            ("need_natures", "need_nature"),
            ("roles", "interlocutor_role"),
            ("satisfaction", "satisfaction"),
        ):
            update(key, [s.get(name) or "" for s in sessions])
        update("places", [place_name(s, structures) for s in sessions])
        update("communes", [c.get("commune") or "" for c in clients])
        update(
            "territories",
            [
                s.get("territory") or c.get("territory") or ""
                for s, c in zip(sessions, clients, strict=True)
            ],
        )
        update("activity_kinds", [c.get("activity_kind") or "" for c in clients])
        update("headcount", [headcount_band(c) or "" for c in clients])
        for key, name in (
            ("needs", "needs"),
            ("missions", "missions"),
            ("topics", "topics_raised"),
            ("equipment", "equipment"),
        ):
            update(key, [v for s in sessions for v in s.get(name) or ()])
        update(
            "solution_areas",
            [
                area
                for s in sessions
                for area in {
                    x.get("area") or "" for x in s.get("solutions") or () if isinstance(x, dict)
                }
            ],
        )
        update(
            "pix_areas",
            [
                a
                for s in sessions
                for a, level in (s.get("skills") or {}).items()
                if level is not None
            ],
        )
        mediators = [str(s.get("mediator") or source or "") for s in sessions]
        update("mediators", mediators)
        for mediator, spent in zip(mediators, minutes, strict=True):
            self.mediator_minutes[mediator] += spent
        kinds: list[str] = []
        names: list[str] = []
        for session in sessions:
            redirections = [r for r in session.get("redirections") or () if isinstance(r, dict)]
            if not redirections:
                continue
            self.redirected += 1
            for redirection in redirections:
                structure = structures.get(redirection.get("structure_id") or "") or {}
                kinds.append(structure.get("kind") or "other")
                names.append(structure.get("name") or redirection.get("label") or "")
        update("redirect_kinds", kinds)
        update("redirect_structures", names)
        axes, ranks = self._maturity_axes, self._autonomy_rank
        unassessed = (None,) * len(axes)
        for session, business, day in zip(sessions, businesses, days, strict=True):
            maturity = session.get("maturity")
            if maturity:
                scores = tuple(map(maturity.get, axes))
                if scores != unassessed:
                    self._track(self._maturity, business, day, scores)
            rank = ranks.get(session.get("autonomy") or "")
            if rank is not None:
                self._track(self._autonomy, business, day, (rank,))

    @staticmethod
    def _track(tracks: dict[int, _Track], business: int, day: str, value: tuple[Any, ...]) -> None:
        track = tracks.get(business)
        if track is None:
            tracks[business] = _Track(day, value, day, value)
        else:
            track.add(day, value)

    def _add_followups(self, followups: Iterable[Record], sessions: set[str]) -> None:
        statuses: list[str] = []
        worked: list[str] = []
        seen = self._seen
        for followup in followups:
            if followup.get("session_id") not in sessions or followup.get("deleted"):
                continue
            key = hash(("followup", followup.get("id")))
            if key in seen:
                continue
            seen.add(key)
            status = followup.get("status") or ""
            if status == "done":
                worked.append(followup.get("solution_worked") or "")
            elif status in ("todo", "in_progress"):
                overdue = (followup.get("due_date") or "9999") < self.today
                status = "overdue" if overdue else "planned"
            statuses.append(status)
        self._update("followups", statuses)
        self._update("solution_worked", worked)

    # -------------------------------------------------------------- results
    def figures(self) -> Figures:
        cat = catalog()
        new = len(self._businesses - self._known_before)
        businesses = len(self._businesses)
        per_business = self.accompaniments / businesses if businesses else 0.0
        rate = largest_remainder([self.redirected, self.accompaniments - self.redirected])[0]
        totals = [
            Total(key, label, value, DEFINITIONS[key])
            for key, label, value in (
                ("accompaniments", "Accompagnements", str(self.accompaniments)),
                ("in_progress", "En cours (à part)", str(self.in_progress)),
                ("businesses", "Entreprises distinctes", str(businesses)),
                ("new", "dont nouvelles", str(new)),
                ("followed", "dont déjà suivies", str(businesses - new)),
                ("hours", "Temps total", format_minutes(self.minutes)),
                (
                    "per_business",
                    "Accompagnements par entreprise",
                    f"{per_business:.1f}".replace(".", ","),
                ),
                (
                    "redirection_rate",
                    "Taux d’orientation",
                    f"{rate} %" if self.accompaniments else "-",
                ),
                (
                    "workshop_participants",
                    "Participants aux ateliers",
                    str(self.workshop_participants),
                ),
            )
        ]

        def coded(key: str, kind: str | None, title: str, **kw: Any) -> Section:
            counter = self.counters.get(key, Counter())
            order = cat.codes(kind) if kind else []
            known = [
                (cat.label(kind, code) if kind else code, counter[code])
                for code in order
                if counter[code]
            ]
            rest = sorted(
                ((code, n) for code, n in counter.items() if code not in order and code),
                key=lambda item: (-item[1], fold(item[0])),
            )
            rest = [(cat.label(kind, c) if kind else c, n) for c, n in rest]
            unknown = [(UNKNOWN, counter[""])] if counter.get("") else []
            return make_section(key, title, [*known, *rest, *unknown], **kw)

        durations = self.counters.get("durations", Counter())
        duration_rows = [(label, durations[code]) for code, label, _, _ in DURATION_BUCKETS]
        if durations.get(""):
            duration_rows.append((UNKNOWN, durations[""]))
        headcount = self.counters.get("headcount", Counter())
        headcount_rows = [(label, headcount[code]) for code, label in HEADCOUNT_BANDS]
        if headcount.get(""):
            headcount_rows.append((UNKNOWN, headcount[""]))
        followups = self.counters.get("followups", Counter())
        followup_rows = [
            (label, followups[code])
            for code, label in (
                ("done", "Faits"),
                ("overdue", "En retard"),
                ("planned", "À venir"),
                ("unreachable", "Injoignables"),
                ("abandoned", "Abandonnés"),
            )
        ]
        per_period = sorted(self.counters.get("per_period", Counter()).items())
        period_rows = [(_period_label(key), n) for key, n in per_period]
        mediators = self.counters.get("mediators", Counter())
        mediator_rows = sorted(mediators.items(), key=lambda item: (-item[1], fold(item[0])))
        sections = [
            make_section(
                "per_period",
                "Par jour" if self.filters.period.is_short else "Par mois",
                period_rows,
            ),
            make_section("durations", "Durées", duration_rows),
            coded("place_kinds", "place_kinds", "Types de lieu"),
            coded("places", None, "Lieux"),
            coded("communes", None, "Communes des entreprises"),
            coded("territories", None, "Territoires"),
            coded("needs", "needs", "Besoins exprimés"),
            coded("need_natures", "need_natures", "Nature du besoin"),
            coded("missions", "missions", "Missions réalisées"),
            coded("solution_areas", "solution_areas", "Domaines de solutions"),
            coded("topics", "operational_topics", "Enjeux opérationnels abordés"),
            coded("roles", "interlocutor_roles", "Rôle de l’interlocuteur"),
            coded("activity_kinds", "activity_kinds", "Type d’activité"),
            make_section("headcount", "Tranche d’effectif", headcount_rows),
            coded("equipment", "equipment", "Matériel utilisé"),
            coded("pix_areas", "skill_areas", "Domaines Pix évalués"),
            *self._maturity_sections(),
            self._autonomy_section(),
            coded("redirect_kinds", "structure_kinds", "Orientations par type de structure"),
            coded("redirect_structures", None, "Orientations par structure"),
            make_section("followups", "Suivis", followup_rows),
            coded("solution_worked", "answered_levels", "La solution a-t-elle marché ?"),
            coded("satisfaction", "satisfaction_levels", "Satisfaction"),
            make_section(
                "mediators",
                "Par médiateur",
                mediator_rows,
                extras={
                    name: format_minutes(self.mediator_minutes[name]) for name, _ in mediator_rows
                },
            ),
        ]
        return Figures(
            self.filters.period.label(), self.filters.describe(), self.sources, totals, sections
        )

    def _maturity_sections(self) -> list[Section]:
        cat = catalog()
        twice = [t for t in self._maturity.values() if t.times >= 2]
        up = Counter[str]()
        outcome = Counter[str]()
        for track in twice:
            rises = falls = 0
            for axis, before, after in zip(
                self._maturity_axes, track.first, track.last, strict=True
            ):
                if isinstance(before, int) and isinstance(after, int):
                    if after > before:
                        rises += 1
                        up[axis] += 1
                    elif after < before:
                        falls += 1
            outcome["up" if rises else "down" if falls else "same"] += 1
        summary = make_section(
            "maturity",
            "Maturité numérique, première → dernière évaluation",
            [
                ("En progrès", outcome["up"]),
                ("Stables", outcome["same"]),
                ("En recul", outcome["down"]),
            ],
        )
        axes = make_section(
            "maturity_axes",
            "Axes en progrès",
            [(cat.label("maturity_dimensions", axis), up[axis]) for axis in self._maturity_axes],
            base=len(twice),
        )
        return [summary, axes]

    def _autonomy_section(self) -> Section:
        outcome = Counter[str]()
        for track in self._autonomy.values():
            if track.times >= 2:
                before, after = track.first[0], track.last[0]
                outcome["up" if after > before else "down" if after < before else "same"] += 1
        return make_section(
            "autonomy",
            "Autonomie, première → dernière",
            [
                ("Plus autonome", outcome["up"]),
                ("Stable", outcome["same"]),
                ("Moins autonome", outcome["down"]),
            ],
        )


def _period_label(key: str) -> str:
    """« 2026-11 » -> « nov. 2026 »; « 2026-11-05 » -> « 05/11 »."""
    if not key:
        return UNKNOWN
    try:
        if len(key) == 7:
            return f"{MONTHS_SHORT[int(key[5:7]) - 1]} {key[:4]}"
        return f"{key[8:10]}/{key[5:7]}"
    except (ValueError, IndexError):
        return key or UNKNOWN


def gather(
    files: Iterable[tuple[str, Mapping[str, Mapping[str, Record]]]],
    filters: Filters | None = None,
    today: date | None = None,
) -> Figures:
    """The figures of (source name, data) pairs, read in order."""
    stats = ActivityStats(filters, today)
    for source, data in files:
        stats.add_data(data, source)
    return stats.figures()
