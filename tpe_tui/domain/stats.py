"""Activity figures for coordinators and funders. Pure: records in, figures out.

Only closed accompaniments count as activity; those still in progress (draft or in
progress) are counted apart. The figures are gathered by one pass over each data file
(`ActivityStats.add_data`), so many mediators' files can be read one at a time: what is
kept between files is counters and, per business, a few small values, never the records.
A session found in several files (team copies) is counted once: the first file read wins.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import compress, count, repeat
from operator import add, and_, ge, gt, is_not, itemgetter, le, lt, mul, not_, or_, rshift, sub
from typing import Any

from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.columns import Columns, Nested, RecordsById
from tpe_tui.domain.filter_match import filter_key
from tpe_tui.domain.headcount import HEADCOUNT_BANDS, headcount_band
from tpe_tui.domain.text import fold, slug

Record = Mapping[str, Any]

# The national tool's duration buckets, lower bound included: (code, label, from, to).
DURATION_BUCKETS = (
    ("lt30", "Moins de 30 min", 0, 30),
    ("30to60", "30 min à 1 h", 30, 60),
    ("60to120", "1 h à 2 h", 60, 120),
    ("ge120", "2 h et plus", 120, None),
)
UNKNOWN = "Non renseigné"
# A period of at most this many days is drawn per day rather than per month.
SHORT_PERIOD_DAYS = 31
MONTHS_SHORT = (
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
)  # fmt: skip

# One line per figure: what is counted. Shown on the screen and in the report.
DEFINITIONS: dict[str, str] = {
    "accompaniments": "Accompagnements comme l’outil national les compte : les accompagnements individuels clôturés datés de la période, plus un par participant aux ateliers collectifs de la période (présents et anonymes).",
    "individual": "Accompagnements individuels clôturés dont la date est dans la période.",
    "collective": "Accompagnements collectifs : un par participant aux ateliers de la période, présent ou anonyme (un participant noté absent ne compte pas).",
    "in_progress": "Accompagnements pas encore clôturés (brouillons, en cours) datés de la période : comptés à part.",
    "businesses": "Entreprises distinctes accompagnées dans la période (accompagnement individuel clôturé ou atelier) ; les participants anonymes n’en sont pas.",
    "new": "Entreprises dont le tout premier accompagnement (individuel clôturé ou atelier) a lieu dans la période.",
    "followed": "Entreprises déjà accompagnées (individuellement ou en atelier) avant le début de la période.",
    "anonymous": "Participants anonymes des ateliers de la période : comptés dans les accompagnements collectifs, pas dans les entreprises.",
    "hours": "Temps des médiateurs : durées des accompagnements individuels, plus la durée de chaque atelier une fois (durées non renseignées comptées 0).",
    "per_business": "Accompagnements individuels et participations nommées aux ateliers, divisés par le nombre d’entreprises distinctes.",
    "redirection_rate": "Part des accompagnements individuels avec au moins une orientation vers une structure.",
    "workshops": "Ateliers collectifs datés de la période (chacun compte une fois).",
    "aids_proposed": "Aides rattachées aux accompagnements individuels de la période (une par aide et par accompagnement).",
    "aids_applied": "Parmi ces aides, celles dont le suivi « Dossier déposé ? » est fait et répondu oui.",
    "actions_done": "Actions des plans d’actions passées à « fait » dans la période.",
    "types": "Accompagnements par type, comme l’outil national : individuels, et collectifs (un par participant à un atelier).",
    "per_period": "Accompagnements, participants aux ateliers compris, par mois (par jour pour une période d’un mois au plus).",
    "durations": "Activités par durée, comme l’outil national : chaque accompagnement individuel et chaque atelier une fois ; borne basse incluse (30 min compte dans « 30 min à 1 h »).",
    "place_kinds": "Accompagnements individuels par type de lieu.",
    "places": "Accompagnements par lieu (structure de l’annuaire ou lieu saisi ; à défaut « Locaux de l’entreprise » ou « À distance » selon le type de lieu), participants aux ateliers compris.",
    "communes": "Accompagnements individuels par commune de l’entreprise.",
    "territories": "Accompagnements par territoire de l’accompagnement (à défaut, de l’entreprise), participants aux ateliers compris.",
    "needs": "Besoins exprimés pendant les accompagnements individuels ; un accompagnement peut en citer plusieurs (part des mentions).",
    "need_natures": "Nature du besoin (accompagnements individuels) : technique, stratégique ou les deux.",
    "missions": "Missions réalisées pendant les accompagnements individuels (part des mentions).",
    "solution_areas": "Domaines des solutions proposées, une fois par accompagnement individuel (part des mentions).",
    "topics": "Enjeux opérationnels abordés pendant les accompagnements individuels (part des mentions).",
    "roles": "Rôle de l’interlocuteur dans l’entreprise, par accompagnement individuel.",
    "activity_kinds": "Type d’activité de l’entreprise, par accompagnement individuel.",
    "headcount": "Tranche d’effectif salarié de l’entreprise, par accompagnement individuel.",
    "equipment": "Matériel numérique utilisé pendant les accompagnements individuels (part des mentions).",
    "pix_areas": "Domaines Pix évalués pendant les accompagnements individuels (part des mentions).",
    "maturity": "Entreprises dont la maturité a été évaluée au moins deux fois dans la période : première → dernière évaluation (en progrès = au moins un axe en hausse).",
    "maturity_axes": "Par axe, entreprises en progrès entre la première et la dernière évaluation (en % des entreprises évaluées deux fois).",
    "autonomy": "Entreprises dont l’autonomie a été notée au moins deux fois : première → dernière.",
    "redirect_kinds": "Orientations par type de structure (une orientation par structure citée).",
    "redirect_structures": "Orientations par structure.",
    "followups": "Suivis des accompagnements individuels de la période : faits, en retard (date passée), à venir, injoignables, abandonnés.",
    "solution_worked": "Suivis faits (hors « Dossier déposé ? ») : la solution a-t-elle marché ?",
    "satisfaction": "Satisfaction exprimée en fin d’accompagnement individuel.",
    "aids": "Par aide : accompagnements individuels de la période qui la proposent ; à côté, les dossiers déposés (suivi « Dossier déposé ? » répondu oui).",
    "actions": "Actions des plans d’actions : faites dans la période (date de réalisation), ou en cours, à faire, abandonnées, modifiées en dernier dans la période.",
    "mediators": "Accompagnements par médiateur (à défaut, par fichier lu), participants aux ateliers compris ; à côté, le temps passé (un atelier compte une fois).",
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


def file_part(described: Sequence[tuple[str, str]]) -> str:
    """What is counted (`Filters.describe()`), in a file name: two exports of different
    periods or places made the same day never take one name
    (« du-1-novembre-2026-au-30-novembre-2026-soissons »)."""
    chosen = [value for _, value in described if value.strip() and value != "-"]
    return "-".join(slug(value, "tout", 48) for value in chosen) or "tout"


def filter_values(filters: Filters) -> dict[str, str]:
    """The filters other than the period, in the form values are compared in (`filter_key`:
    case, accents, dashes and spaces aside; "": none)."""
    return {
        name: filter_key(value) if value.strip() else ""
        for name, value in (
            ("territory", filters.territory),
            ("commune", filters.commune),
            ("place", filters.place),
            ("mediator", filters.mediator),
        )
    }


def matcher(filters: Filters) -> Callable[[Record, Record | None, str], bool] | None:
    """A test of (session, its business, its place name) against the filters other than
    the period; None when there are none (the common case costs nothing)."""
    wanted = filter_values(filters)
    if not any(wanted.values()):
        return None
    keys: dict[Any, str] = {}  # each distinct value put in `filter_key` form once

    def key(value: Any) -> str:
        found = keys.get(value)
        if found is None:
            found = keys[value] = filter_key(value)
        return found

    def matches(session: Record, client: Record | None, place: str) -> bool:
        checks = (
            ("territory", session.get("territory") or (client or {}).get("territory")),
            ("commune", (client or {}).get("commune")),
            ("place", place),
            ("mediator", session.get("mediator")),
        )
        return all(not wanted[name] or key(value) == wanted[name] for name, value in checks)

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


# Place kinds whose visits name no place: the kind's label names their row of « Lieux »
# (a funder read « Non renseigné 49 % » for visits at the premises and remote: NEW6-9).
PLACES_NAMED_BY_KIND = ("premises", "remote")


def kind_places() -> dict[str, str]:
    """Place kind -> the place name its visits are counted and filtered under."""
    cat = catalog()
    return {kind: cat.label("place_kinds", kind) for kind in PLACES_NAMED_BY_KIND}


def place_name(session: Record, structures: Mapping[str, Record], *, by_kind: bool = True) -> str:
    """The place of a session or workshop: the directory's structure, the place typed, else
    for a visit at the business's premises or remote, that kind (« À distance »; not with
    `by_kind` False: the places people named only)."""
    structure = structures.get(session.get("place_structure_id") or "")
    if structure and structure.get("name"):
        return str(structure["name"])
    label = session.get("place_label")
    if label or not by_kind:
        return str(label or "")
    return kind_places().get(session.get("place_kind") or "", "")


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
    ignored: list[str] = field(default_factory=list)  # files not counted, and why

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
# First and last value of something assessed for one business (by date):
# `(first day, first value, last day, last value, times)`. A tuple when a file read by
# columns made it (one object per business kept for the whole folder), a `_Track` once
# a file read whole adds to it. The values are ints: maturity scores as `_Scores` codes,
# autonomy as its rank.
Track = Sequence[Any]
FIRST, LAST, TIMES = 1, 3, 4


class _Track(list[Any]):
    """A `Track` that rows are added to one at a time."""

    __slots__ = ()

    def add(self, day: str, value: int) -> None:
        self[4] += 1
        if day < self[0]:
            self[0], self[1] = day, value
        if day >= self[2]:
            self[2], self[3] = day, value


def _track(tracks: dict[int, Track], business: int, day: str, value: int) -> None:
    track = tracks.get(business)
    if track is None:
        tracks[business] = _Track((day, value, day, value, 1))
    elif type(track) is _Track:
        track.add(day, value)
    else:
        added = tracks[business] = _Track(track)
        added.add(day, value)


# A field of a `_Scores` code: 0 for None, 1 for a value that is not an int (never
# compared), 2 + v for an int v in 0..`_SMALL`-1; its top bit is a guard. Six axes fit in
# 30 bits: one machine word of Python's ints, the fastest arithmetic.
_BITS = 5
_SMALL = 14


class _Scores:
    """Maturity scores (a value per axis) as one int per assessment, `_BITS` bits per axis,
    so that first and last assessments of many businesses are compared a few C passes at
    a time (`outcomes`), and a folder keeps an int per business rather than a tuple.
    Scores holding an int out of 0..13 (not written by the app) are kept as they are, in
    `odd`; their code is -1 - their place there."""

    def __init__(self, axes: Sequence[str]) -> None:
        self.axes = list(axes)
        self.one = sum(1 << shift for shift in self._shifts())
        self.guard = self.one << (_BITS - 1)
        self.odd: list[tuple[Any, ...]] = []

    def _shifts(self) -> range:
        return range(0, _BITS * len(self.axes), _BITS)

    @staticmethod
    def field(value: Any) -> int | None:
        """A value's field; None for an int out of range."""
        if value is None:
            return 0
        if not isinstance(value, int):
            return 1
        return value + 2 if 0 <= value < _SMALL else None

    def code(self, scores: tuple[Any, ...]) -> int | None:
        """The code of the scores; None when no axis is assessed."""
        code = 0
        for shift, value in zip(self._shifts(), scores, strict=True):
            found = self.field(value)
            if found is None:
                self.odd.append(scores)
                return -len(self.odd)
            code |= found << shift
        return code or None

    def scores(self, code: int) -> tuple[Any, ...]:
        """The scores of a code, as far as comparing them goes ("" for a value not an int)."""
        if code < 0:
            return self.odd[-1 - code]
        fields = [(code >> shift) & ((1 << _BITS) - 1) for shift in self._shifts()]
        return tuple(None if f == 0 else "" if f == 1 else f - 2 for f in fields)

    def codes_of(self, nested: Nested, indexes: Iterable[int]) -> dict[int, int | None]:
        """The code of each distinct value of a column (by index), a sub-field at a time."""
        at, packed, odd = nested.split(list(indexes), dict)
        codes = [0] * len(packed)
        for shift, axis in zip(self._shifts(), self.axes, strict=True):
            fields = list(map(self.field, nested.sub_values.get(axis, [None])))
            if None in fields:  # an int out of range: these values one at a time
                tuples = nested.value_tuples(packed, self.axes)
                codes = [self.code(scores) or 0 for scores in tuples]
                break
            shifted = [(field or 0) << shift for field in fields]
            key = nested.sub_keys.get(axis, "")
            found = map(dict.get, packed, repeat(key), repeat(-1))
            codes = list(map(add, codes, map(shifted.__getitem__, found)))
        codes_of: dict[int, int | None] = dict(zip(at, codes, strict=True))
        codes_of.update(zip(compress(at, map(not_, codes)), repeat(None)))  # none assessed
        for index in odd:
            value = nested.decode(index)
            codes_of[index] = self.code(tuple(map(value.get, self.axes))) if value else None
        return codes_of

    def outcomes(self, firsts: list[int], lasts: list[int]) -> tuple[Counter[str], Counter[str]]:
        """(businesses up, same, down; businesses up by axis) from their first and last
        codes, as comparing each axis where both values are ints: up when one rises, down
        when none rises and one falls."""
        outcome: Counter[str] = Counter()
        up: Counter[str] = Counter()
        if min(firsts, default=0) < 0 or min(lasts, default=0) < 0:
            plain = list(map(and_, map(ge, firsts, repeat(0)), map(ge, lasts, repeat(0))))
            for before, after in zip(
                compress(firsts, map(not_, plain)), compress(lasts, map(not_, plain)), strict=True
            ):
                self._compare(self.scores(before), self.scores(after), outcome, up)
            firsts, lasts = list(compress(firsts, plain)), list(compress(lasts, plain))
        one, guard = self.one, self.guard

        def held(codes: list[int]) -> Iterator[int]:  # guard bits of the axes holding an int
            return map(
                and_, map(sub, map(or_, codes, repeat(guard)), repeat(2 * one)), repeat(guard)
            )

        both = list(map(and_, held(firsts), held(lasts)))
        # A field of (a | guard) - b - one keeps its guard bit when a > b, and no field
        # borrows from the next one (they are 0..15 under a guard of 16).
        rises = map(
            and_, map(sub, map(sub, map(or_, lasts, repeat(guard)), firsts), repeat(one)), both
        )
        falls = map(
            and_, map(sub, map(sub, map(or_, firsts, repeat(guard)), lasts), repeat(one)), both
        )
        for key, n in Counter(map(or_, rises, map(rshift, falls, repeat(1)))).items():
            rose = [
                axis
                for shift, axis in zip(self._shifts(), self.axes, strict=True)
                if key >> (shift + _BITS - 1) & 1
            ]
            fell = any(key >> (shift + _BITS - 2) & 1 for shift in self._shifts())
            outcome["up" if rose else "down" if fell else "same"] += n
            up.update(dict.fromkeys(rose, n))
        return outcome, up

    def _compare(
        self, first: tuple[Any, ...], last: tuple[Any, ...], outcome: Counter[str], up: Counter[str]
    ) -> None:
        rises = falls = 0
        for axis, before, after in zip(self.axes, first, last, strict=True):
            if isinstance(before, int) and isinstance(after, int):
                if after > before:
                    rises += 1
                    up[axis] += 1
                elif after < before:
                    falls += 1
        outcome["up" if rises else "down" if falls else "same"] += 1


def _areas(solution_lists: list[list[Any]]) -> list[str]:
    """The solution areas of each session, each area once per session."""
    found: list[str] = []
    for solutions in solution_lists:
        try:  # C-level when every solution is a dict, as the app writes them
            areas = set(map(dict.get, solutions, repeat("area")))
        except TypeError:
            areas = {x.get("area") for x in solutions if isinstance(x, dict)}
        found.extend(area or "" for area in areas)
    return found


# What `ActivityStats.add_columns` reads of each table (a nested field: its sub-fields,
# "*" for all), and the small tables it takes as whole records.
COLUMNS_READ: dict[str, dict[str, tuple[str, ...]]] = {
    "sessions": {
        **dict.fromkeys(
            (
                "id",
                "deleted",
                "client_id",
                "date",
                "status",
                "place_structure_id",
                "place_label",
                "territory",
                "mediator",
                "duration_min",
                "place_kind",
                "need_nature",
                "interlocutor_role",
                "satisfaction",
                "needs",
                "missions",
                "topics_raised",
                "equipment",
                "aids",
                "autonomy",
            ),
            (),
        ),
        "solutions": ("area",),
        "skills": ("*",),
        "maturity": ("*",),
        "redirections": ("structure_id", "label"),
    },
    "followups": dict.fromkeys(
        ("id", "deleted", "session_id", "status", "solution_worked", "kind", "aid_id", "due_date"),
        (),
    ),
    "actions": dict.fromkeys(("id", "deleted", "status", "done_at", "updated_at"), ()),
    "clients": dict.fromkeys(
        ("id", "merged_into", "commune", "territory", "activity_kind", "employees", "size"), ()
    ),
}
TABLES_READ_WHOLE = ("structures", "workshops", "aids")


class ActivityStats:
    """Gathers the figures of one or many data files, one file at a time."""

    def __init__(self, filters: Filters | None = None, today: date | None = None) -> None:
        self.filters = filters or Filters()
        self.today = (today or date.today()).isoformat()
        self.sources: list[str] = []
        self.accompaniments = 0  # individual (closed sessions)
        self.in_progress = 0
        self.minutes = 0  # the mediators' time: sessions, and each workshop once
        self.redirected = 0
        self.workshops = 0
        self.collective = 0  # workshop participations, anonymous ones included
        self.anonymous = 0
        self.counters: dict[str, Counter[str]] = {}
        self.mediator_minutes: Counter[str] = Counter()
        self.aid_names: dict[str, str] = {}
        # Hashes of the ids already met, one set per table (a set of ints: no id string
        # kept, and no tuple made per id to keep the tables' ids apart).
        self._seen: set[int] = set()  # sessions
        self._seen_followups: set[int] = set()
        self._seen_workshops: set[int] = set()
        self._seen_actions: set[int] = set()
        # Whether some record counted once was met again (another file's copy, or twice in
        # one file): a folder's copies are then compared (services.stats, domain.copies).
        self.repeated = False
        self._businesses: set[int] = set()
        self._known_before: set[int] = set()  # businesses accompanied before the period
        self._maturity: dict[int, Track] = {}
        self._autonomy: dict[int, Track] = {}
        cat = catalog()
        self._maturity_axes = cat.codes("maturity_dimensions")
        self._scores = _Scores(self._maturity_axes)
        self._autonomy_rank = {code: i for i, code in enumerate(cat.codes("autonomy_levels"))}
        self._matches = matcher(self.filters)
        self._wanted = filter_values(self.filters)

    def _update(self, key: str, values: Iterable[Any]) -> None:
        """Count values (C-level Counter.update: the per-session loop only appends)."""
        self.counters.setdefault(key, Counter()).update(values)

    @property
    def all_accompaniments(self) -> int:
        """As the national tool counts them: individual ones plus one per participant."""
        return self.accompaniments + self.collective

    # -------------------------------------------------------------- one file
    def add_data(self, data: Mapping[str, Mapping[str, Record]], source: str = "") -> None:
        """Count what one data file holds (`{table: {doc_id: record}}`).

        One pass over the sessions, each read once while it is in the processor's cache:
        values are appended to lists and counted at the end by C-level `Counter.update`."""
        self.sources.append(source)
        clients = {c.get("id", ""): c for c in data.get("clients", {}).values()}
        structures = {s.get("id", ""): s for s in data.get("structures", {}).values()}
        for aid in data.get("aids", {}).values():
            if aid.get("id") and aid.get("name"):
                self.aid_names.setdefault(str(aid["id"]), str(aid["name"]))
        counted = self._add_sessions(data.get("sessions", {}).values(), clients, structures, source)
        self._add_followups(data.get("followups", {}).values(), counted)
        self._add_workshops(data.get("workshops", {}).values(), clients, structures, source)
        self._add_actions(data.get("actions", {}).values(), clients, data)

    def _business_of(
        self, clients: Mapping[str, Record], client_id: Any, facts: dict[str, tuple[Any, ...]]
    ) -> tuple[Any, ...] | None:
        """(key, business, commune, territory, activity kind, headcount band) of a business,
        worked out once per business and file; None when it is not in the file."""
        found = facts.get(client_id)
        if found is None and client_id in clients:
            client = clients[client_id]
            if client.get("merged_into"):
                client = resolve_client(clients, client_id) or client
            found = facts[client_id] = (
                hash(client.get("id")),
                client,
                client.get("commune") or "",
                client.get("territory") or "",
                client.get("activity_kind") or "",
                headcount_band(client) or "",
            )
        return found

    def _add_sessions(
        self,
        sessions: Iterable[Record],
        clients: Mapping[str, Record],
        structures: Mapping[str, Record],
        source: str,
    ) -> set[str]:
        """Count the closed sessions of the period; returns their ids."""
        period = self.filters.period
        start, end = period.start_iso, period.end_iso
        open_period = period.start is None and period.end is None
        short = period.is_short
        matches, seen, known_before = self._matches, self._seen, self._known_before
        businesses = self._businesses
        facts: dict[str, tuple[Any, ...]] = {}
        axes, ranks = self._maturity_axes, self._autonomy_rank
        names = (
            "per_period", "durations", "place_kinds", "need_natures", "roles", "satisfaction",
            "places", "communes", "territories", "activity_kinds", "headcount", "needs",
            "missions", "topics", "equipment", "solution_areas", "pix_areas", "mediators",
            "redirect_kinds", "redirect_structures", "aids",
        )  # fmt: skip
        lists: dict[str, list[Any]] = {name: [] for name in names}
        # Bound methods, looked up once: the loop below runs once per session.
        (
            per_period, durations, place_kinds, need_natures, roles, satisfaction, places,
            communes, territories, activity_kinds, headcount, mediators,
            redirect_kinds, redirect_structures,
        ) = (
            lists[name].append
            for name in (
                "per_period", "durations", "place_kinds", "need_natures", "roles",
                "satisfaction", "places", "communes", "territories", "activity_kinds",
                "headcount", "mediators", "redirect_kinds",
                "redirect_structures",
            )
        )  # fmt: skip
        needs, missions, topics, equipment, aids = (
            lists[name].extend for name in ("needs", "missions", "topics", "equipment", "aids")
        )
        # Nested values, looked at after the loop: (business, day, scores) for assessments.
        solution_lists: list[list[Any]] = []
        skill_maps: list[Mapping[str, Any]] = []
        assessments: list[tuple[int, str, Mapping[str, Any]]] = []
        ratings: list[tuple[int, str, str]] = []
        counted: set[str] = set()
        spent: dict[str, int] = {}
        last_bound = DURATION_BUCKETS[-1][2]
        bucket_of = [duration_bucket(m) or "" for m in range(last_bound + 1)]
        minutes_total = redirected = 0
        by_kind = kind_places()
        for session in sessions:
            get = session.get
            if get("deleted"):
                continue
            key = hash(get("id"))
            if key in seen:
                self.repeated = True
                continue
            seen.add(key)
            client_id = get("client_id") or ""
            fact = facts.get(client_id) or self._business_of(clients, client_id, facts)
            if fact is None:
                fact = (hash(f"session:{get('id')}"), None, "", "", "", "")
            business = fact[0]
            day = get("date") or ""
            closed = get("status") == "closed"
            if day:
                day = day[:10]
                if closed and day < start:
                    known_before.add(business)
                if not start <= day <= end:
                    continue
            elif not open_period:
                continue
            structure_id = get("place_structure_id")
            structure = structures.get(structure_id) if structure_id else None
            place = str(
                structure["name"]
                if structure and structure.get("name")
                else get("place_label") or by_kind.get(get("place_kind") or "", "")
            )
            if matches and not matches(session, fact[1], place):
                continue
            if not closed:
                self.in_progress += 1
                continue
            counted.add(str(get("id")))
            businesses.add(business)
            minutes = get("duration_min")
            if type(minutes) is not int or minutes < 0:
                minutes = None
                durations("")
            else:
                minutes_total += minutes
                durations(bucket_of[minutes if minutes < last_bound else last_bound])
            per_period(day if short else day[:7])
            place_kinds(get("place_kind") or "")
            need_natures(get("need_nature") or "")
            roles(get("interlocutor_role") or "")
            satisfaction(get("satisfaction") or "")
            places(place)
            communes(fact[2])
            territories(get("territory") or fact[3])
            activity_kinds(fact[4])
            headcount(fact[5])
            needs(get("needs") or ())
            missions(get("missions") or ())
            topics(get("topics_raised") or ())
            equipment(get("equipment") or ())
            aids(get("aids") or ())
            # Nested values are looked at after the loop, all at once (no per-session
            # comprehension: each one is a function call).
            solutions = get("solutions")
            if solutions:
                solution_lists.append(solutions)
            skills = get("skills")
            if skills:
                skill_maps.append(skills)
            mediator = str(get("mediator") or source or "")
            mediators(mediator)
            spent[mediator] = spent.get(mediator, 0) + (minutes or 0)
            redirections = get("redirections")
            if redirections:
                redirected += 1
                for redirection in redirections:
                    if isinstance(redirection, dict):
                        target = structures.get(redirection.get("structure_id") or "") or {}
                        redirect_kinds(target.get("kind") or "other")
                        redirect_structures(target.get("name") or redirection.get("label") or "")
            maturity = get("maturity")
            if maturity:
                assessments.append((business, day, maturity))
            autonomy = get("autonomy")
            if autonomy:
                ratings.append((business, day, autonomy))
        self.mediator_minutes.update(spent)
        lists["solution_areas"] = _areas(solution_lists)
        lists["pix_areas"] = [
            area for scores in skill_maps for area, level in scores.items() if level is not None
        ]
        maturity_tracks, autonomy_tracks = self._maturity, self._autonomy
        code_of = self._scores.code
        for business, day, maturity in assessments:
            code = code_of(tuple(map(maturity.get, axes)))
            if code is not None:
                _track(maturity_tracks, business, day, code)
        for business, day, autonomy in ratings:
            rank = ranks.get(autonomy)
            if rank is not None:
                _track(autonomy_tracks, business, day, rank)
        self.accompaniments += len(counted)
        self.minutes += minutes_total
        self.redirected += redirected
        for name, values in lists.items():
            self._update(name, values)
        return counted

    def _add_followups(self, followups: Iterable[Record], sessions: set[str]) -> None:
        """Follow-ups of the counted sessions; « dossier déposé ? » ones answered yes are
        the aids applied for."""
        statuses: list[str] = []
        worked: list[str] = []
        applied: list[str] = []
        seen = self._seen_followups
        for followup in followups:
            if followup.get("session_id") not in sessions or followup.get("deleted"):
                continue
            key = hash(followup.get("id"))
            if key in seen:
                continue
            seen.add(key)
            status = followup.get("status") or ""
            if status == "done":
                answer = followup.get("solution_worked") or ""
                if followup.get("kind") != "aid_filed":
                    worked.append(answer)
                elif answer == "yes":  # there the question is « dossier déposé ? »
                    applied.append(str(followup.get("aid_id") or ""))
            elif status in ("todo", "in_progress"):
                overdue = (followup.get("due_date") or "9999") < self.today
                status = "overdue" if overdue else "planned"
            statuses.append(status)
        self._update("followups", statuses)
        self._update("solution_worked", worked)
        self._update("aids_applied", applied)

    def _add_workshops(
        self,
        workshops: Iterable[Record],
        clients: Mapping[str, Record],
        structures: Mapping[str, Record],
        source: str,
        facts: dict[str, tuple[Any, ...]] | None = None,
    ) -> None:
        """Workshops of the period, counted as the national tool counts them: one
        accompaniment per participant (present or anonymous); the mediator's time once.
        `facts`: `_business_of` of businesses already worked out, by id (added to)."""
        period, matches = self.filters.period, self._matches
        start, end = period.start_iso, period.end_iso
        facts = {} if facts is None else facts
        for workshop in workshops:
            day = str(workshop.get("date") or "")[:10]
            if workshop.get("deleted") or not day:
                continue
            people = workshop_participants(workshop)
            named = [
                fact
                for person in people
                if person
                and (fact := self._business_of(clients, person.get("client_id") or "", facts))
            ]
            if day < start:  # its participants were accompanied before the period
                self._known_before.update(fact[0] for fact in named)
            if not start <= day <= end:
                continue
            key = hash(workshop.get("id"))
            if key in self._seen_workshops:
                self.repeated = True
                continue
            self._seen_workshops.add(key)
            as_session = workshop_as_session(workshop)
            place = place_name(workshop, structures)
            if matches and not matches(as_session, None, place):
                continue
            count = len(people)
            self.workshops += 1
            self.collective += count
            self.anonymous += sum(1 for person in people if person is None)
            self._businesses.update(fact[0] for fact in named)
            minutes = minutes_of(workshop.get("duration_min"))
            self.minutes += minutes
            mediator = str(as_session["mediator"] or source or "")
            self.mediator_minutes[mediator] += minutes
            self._update("durations", [duration_bucket(workshop.get("duration_min")) or ""])
            for name, value in (
                ("per_period", day if period.is_short else day[:7]),
                ("places", place),
                ("territories", str(workshop.get("territory") or "")),
                ("mediators", mediator),
            ):
                self.counters.setdefault(name, Counter())[value] += count

    def _add_actions(
        self,
        actions: Iterable[Record],
        clients: Mapping[str, Record],
        data: Mapping[str, Mapping[str, Record]],
    ) -> None:
        """Actions of the plans by status: done in the period (by their date of completion),
        the others last changed in the period."""
        period, matches, seen = self.filters.period, self._matches, self._seen_actions
        sessions: dict[str, Record] | None = None
        statuses: list[str] = []
        for action in actions:
            get = action.get
            if get("deleted"):
                continue
            status = get("status") or "todo"
            day = (get("done_at") if status == "done" else None) or get("updated_at") or ""
            if not period.contains(day):
                continue
            key = hash(get("id"))
            if key in seen:
                self.repeated = True
                continue
            seen.add(key)
            if matches:
                if sessions is None:  # the mediator is the one of the visit behind it
                    sessions = {s.get("id", ""): s for s in data.get("sessions", {}).values()}
                client = resolve_client(clients, get("client_id"))
                session = sessions.get(get("session_id") or "") or {}
                looked_at = {
                    "territory": (client or {}).get("territory"),
                    "mediator": session.get("mediator"),
                }
                if not matches(looked_at, client, ""):
                    continue
            statuses.append(status)
        self._update("actions", statuses)

    # -------------------------------------------------------------- one file, by columns
    def add_columns(
        self,
        tables: Mapping[str, Columns],
        whole: Mapping[str, Mapping[str, Record]],
        source: str = "",
    ) -> None:
        """Count one data file read column by column: the same figures as `add_data` on
        its records, with each distinct value looked at once instead of once per record.

        `tables` holds at least the fields of `columns_read`, `whole` the tables of
        `TABLES_READ_WHOLE` as records. On an exception the figures are left half-counted:
        start again with `add_data` (a damaged file: an index off its column)."""
        empty = Columns(0)
        self.sources.append(source)
        client_table = tables.get("clients", empty)
        clients = RecordsById(client_table)
        structures = {s.get("id", ""): s for s in whole.get("structures", {}).values()}
        for aid in whole.get("aids", {}).values():
            if aid.get("id") and aid.get("name"):
                self.aid_names.setdefault(str(aid["id"]), str(aid["name"]))
        plain = _plain_facts(client_table)
        counted = self._count_session_columns(
            tables.get("sessions", empty), plain, clients, structures, source
        )
        self._count_followup_columns(tables.get("followups", empty), counted)
        self._add_workshops(whole.get("workshops", {}).values(), clients, structures, source, plain)
        self._count_action_columns(
            tables.get("actions", empty), clients, tables.get("sessions", empty)
        )

    def _met(self, table: str) -> set[int]:
        """The hashes of the ids of `table` counted so far."""
        return {
            "sessions": self._seen,
            "workshops": self._seen_workshops,
            "actions": self._seen_actions,
        }[table]

    def counted_any(self, table: str, keys: set[int]) -> bool:
        """Whether a record of `table` whose id hashes to one of `keys` was counted."""
        return not self._met(table).isdisjoint(keys)

    def count_copies(self, plan: Mapping[str, tuple[set[str], set[str]]]) -> None:
        """Before a file of a folder whose copies of some records differ from other
        files' (`domain.copies`): per table, (ids this file must skip, ids it must count).
        The ids to skip are marked met, those to count unmarked (a file read before may
        have skipped them)."""
        for table, (skip, take) in plan.items():
            met = self._met(table)
            met.difference_update(map(hash, take))
            met.update(map(hash, skip))

    @property
    def columns_read(self) -> dict[str, dict[str, tuple[str, ...]]]:
        """What `add_columns` reads of each table: `COLUMNS_READ`, and with filters other
        than the period, the business and visit behind each action."""
        if self._matches is None:
            return COLUMNS_READ
        return {
            **COLUMNS_READ,
            "actions": {**COLUMNS_READ["actions"], "client_id": (), "session_id": ()},
        }

    def _passes(self, name: str, value: Any) -> bool:
        """Whether a value passes one of the filters other than the period, as `matcher`
        decides it."""
        wanted = self._wanted[name]
        return not wanted or filter_key(value) == wanted

    def _session_filter(
        self,
        table: Columns,
        rows: Callable[[str], Sequence[int]],
        fact_of: list[Any],
        structures: Mapping[str, Record],
    ) -> list[bool]:
        """Which rows (`rows(name)`: their indexes of a field) pass the filters other than
        the period; each distinct value (or pair of values) decided once."""
        values, passes, wanted = table.values, self._passes, self._wanted
        masks: list[list[bool]] = []

        def fact(index: int, position: int) -> Any:
            found = fact_of[index]
            return found[position] if found is not None else ""

        if wanted["territory"]:
            pairs = list(zip(rows("territory"), rows("client_id"), strict=True))
            territory = {
                (t, c): passes("territory", values["territory"][t] or fact(c, 3))
                for t, c in set(pairs)
            }
            masks.append(list(map(territory.__getitem__, pairs)))
        if wanted["commune"]:
            commune = [passes("commune", f[2] if f is not None else "") for f in fact_of]
            masks.append(list(map(commune.__getitem__, rows("client_id"))))
        if wanted["place"]:
            places = list(
                zip(
                    rows("place_structure_id"), rows("place_label"), rows("place_kind"), strict=True
                )
            )
            by_kind = kind_places()
            place = {
                key: passes("place", _place(values, key, structures, by_kind))
                for key in set(places)
            }
            masks.append(list(map(place.__getitem__, places)))
        if wanted["mediator"]:
            mediator = [passes("mediator", v) for v in values["mediator"]]
            masks.append(list(map(mediator.__getitem__, rows("mediator"))))
        mask = masks[0]
        for other in masks[1:]:
            mask = list(map(and_, mask, other))
        return mask

    @staticmethod
    def _fresh(seen: set[int], keys: list[int]) -> list[bool] | None:
        """Which keys are not in `seen` yet, the first of repeated ones (all marked seen);
        None when all are."""
        if seen.isdisjoint(keys):  # the usual case: no copy of them met before
            before = len(seen)
            seen.update(keys)
            if len(seen) - before == len(keys):  # nor twice in this file
                return None
            seen.difference_update(keys)  # none was there before: as it was
        fresh: list[bool] = []
        for key in keys:
            if key in seen:
                fresh.append(False)
            else:
                seen.add(key)
                fresh.append(True)
        return fresh

    def _tally(self, key: str, counts: Counter[Any], decode: Callable[[Any], Any]) -> None:
        """Add `counts` (of indexes) to a counter of the values they decode to."""
        counter = self.counters.setdefault(key, Counter())
        for index, n in counts.items():
            counter[decode(index)] += n

    def _tally_lists(self, key: str, counts: Counter[int], values: Sequence[Any]) -> None:
        """Each element of each counted list value, as many times as rows hold the list."""
        counter = self.counters.setdefault(key, Counter())
        for index, n in counts.items():
            for element in values[index] or ():
                counter[element] += n

    def _client_facts(
        self, table: Columns, facts: dict[str, tuple[Any, ...]], by_id: Mapping[str, Record]
    ) -> list[Any]:
        """`_business_of` for each distinct client id of the sessions, by index (the last
        item for -1); None where the business is not in the file. `facts`: those of the
        businesses not merged into another (`_plain_facts`); the others are followed one by
        one (and added to it)."""
        client_ids = table.values["client_id"]
        out: list[Any] = list(map(facts.get, client_ids))  # the keys are texts
        for position in [i for i, fact in enumerate(out) if fact is None]:
            out[position] = self._business_of(by_id, client_ids[position] or "", facts)
        return out

    def _count_session_columns(
        self,
        table: Columns,
        facts: dict[str, tuple[Any, ...]],
        by_id: Mapping[str, Record],
        structures: Mapping[str, Record],
        source: str,
    ) -> set[int]:
        """`_add_sessions` by columns; returns the hashes of the ids (as text) of the
        sessions counted."""
        if not table.size:
            return set()
        period = self.filters.period
        start, end = period.start_iso, period.end_iso
        open_period = period.start is None and period.end is None
        values = table.values
        # Every field counted, read in one pass over the rows; the rows counted are then
        # picked out of these columns (`keep`, over all the rows; None: all of them).
        head = ("id", "date", "status", "client_id")
        every = _IndexCache(table)
        keep = _alive(table, every)
        found = {name: _pick(every(name), keep) for name in head}
        ids = table.decode("id", found["id"])
        fresh = self._fresh(self._seen, list(map(hash, ids)))
        if fresh is not None:
            self.repeated = True
            keep = _within(keep, fresh)
            ids = list(compress(ids, fresh))
            found = {name: list(compress(found[name], fresh)) for name in head}
        # Each distinct date and status worked out once.
        days = [v[:10] if v else "" for v in values["date"]]
        inside = [start <= d <= end if d else open_period for d in days]
        before = [bool(d) and d < start for d in days]
        closed = [v == "closed" for v in values["status"]]
        dates = found["date"]
        is_closed = list(map(closed.__getitem__, found["status"]))
        fact_of = self._client_facts(table, facts, by_id)
        key_of = [fact[0] if fact is not None else None for fact in fact_of]

        def business_keys(mask: list[bool] | None) -> list[Any]:
            chosen_ids = found["client_id"] if mask is None else compress(found["client_id"], mask)
            keys = list(map(key_of.__getitem__, chosen_ids))
            if None in keys:  # sessions of a business not in the file: each its own
                keys = [
                    hash(f"session:{row_id}") if key is None else key
                    for key, row_id in zip(
                        keys, ids if mask is None else compress(ids, mask), strict=True
                    )
                ]
            return keys

        if any(before):
            known = list(map(and_, is_closed, map(before.__getitem__, dates)))
            if any(known):
                self._known_before.update(business_keys(known))
        in_period = list(map(inside.__getitem__, dates))
        if self._matches is not None:
            in_period = list(
                map(
                    and_,
                    in_period,
                    self._session_filter(
                        table, lambda name: _pick(every(name), keep), fact_of, structures
                    ),
                )
            )
        self.in_progress += sum(map(and_, in_period, map(not_, is_closed)))
        closed_in_period = list(map(and_, in_period, is_closed))
        chosen: list[bool] | None = None  # the usual case over a year or more: all of them
        if not all(closed_in_period):
            chosen = closed_in_period
            keep = _within(keep, chosen)
        # Hashes, not the ids: follow-ups are matched to them without comparing texts.
        counted = set(map(hash, map(str, _pick(ids, chosen))))
        keys = business_keys(chosen)
        self._businesses.update(keys)
        column = _IndexCache(table, keep)
        self._count_simple_columns(table, column, days, source)
        self._count_place_columns(table, column, structures, fact_of)
        for key, name in (
            ("needs", "needs"),
            ("missions", "missions"),
            ("topics", "topics_raised"),
            ("equipment", "equipment"),
            ("aids", "aids"),
        ):
            self._tally_lists(key, column.counts(name), values[name])
        self._count_nested_columns(table, column.counts("solutions"), column.counts("skills"))
        self._count_redirection_columns(table, column.counts("redirections"), structures)
        # First and last assessments per business: the rows put in date order once
        # (stable: rows of the same day keep their order), for both.
        rank_of = {day: rank for rank, day in enumerate(sorted(set(days)))}
        row_dates = column("date")
        order = sorted(
            range(len(row_dates)),
            key=list(map([rank_of[day] for day in days].__getitem__, row_dates)).__getitem__,
        )
        timeline = _Timeline(order, keys, list(map(days.__getitem__, row_dates)))
        maturity = column("maturity")
        codes_of = self._scores.codes_of(table.nested["maturity"], set(maturity))
        timeline.track(self._maturity, list(map(codes_of.__getitem__, maturity)))
        ranks = self._autonomy_rank
        rated = [ranks[v] if v and v in ranks else None for v in values["autonomy"]]
        timeline.track(self._autonomy, list(map(rated.__getitem__, column("autonomy"))))
        self.accompaniments += len(counted)
        return counted

    def _count_simple_columns(
        self, table: Columns, column: _IndexCache, days: list[str], source: str
    ) -> None:
        """Durations and time, mediators, periods and the one-value fields."""
        values, short = table.values, self.filters.period.is_short
        last_bound = DURATION_BUCKETS[-1][2]
        minutes_total = 0
        durations = self.counters.setdefault("durations", Counter())
        mediators = self.counters.setdefault("mediators", Counter())
        spent: dict[str, int] = {}
        for (mediator_index, minutes_index), n in column.pair_counts(
            "mediator", "duration_min"
        ).items():
            minutes = values["duration_min"][minutes_index]
            if type(minutes) is not int or minutes < 0:
                minutes = None
                durations[""] += n
            else:
                minutes_total += minutes * n
                durations[duration_bucket(min(minutes, last_bound)) or ""] += n
            mediator = str(values["mediator"][mediator_index] or source or "")
            mediators[mediator] += n
            spent[mediator] = spent.get(mediator, 0) + (minutes or 0) * n
        self.mediator_minutes.update(spent)
        self.minutes += minutes_total
        self._tally(
            "per_period", column.counts("date"), lambda i: days[i] if short else days[i][:7]
        )
        for key, name in (
            ("place_kinds", "place_kind"),
            ("need_natures", "need_nature"),
            ("roles", "interlocutor_role"),
            ("satisfaction", "satisfaction"),
        ):
            or_empty = [v or "" for v in values[name]]
            self._tally(key, column.counts(name), or_empty.__getitem__)

    def _count_place_columns(
        self,
        table: Columns,
        column: _IndexCache,
        structures: Mapping[str, Record],
        fact_of: list[Any],
    ) -> None:
        """Places, and what the business tells: commune, territory, activity, headcount."""
        values = table.values

        by_kind = kind_places()

        def place(key: tuple[int, ...]) -> str:
            return _place(values, key, structures, by_kind)

        places = column.pair_counts("place_structure_id", "place_label", "place_kind")
        self._tally("places", places, place)
        # What the business tells, one code per distinct (commune, activity, headcount):
        # the rows are counted by code in C, each code decoded once.
        told = [("", "", "") if f is None else (f[2], f[4], f[5]) for f in fact_of]
        code_of_told: dict[tuple[str, str, str], int] = {}
        code_of = list(map(code_of_told.setdefault, told, count()))
        counts = Counter(map(code_of.__getitem__, column("client_id")))
        told_of = {code: facts for facts, code in code_of_told.items()}
        communes, activity_kinds, headcount = (
            self.counters.setdefault(key, Counter())
            for key in ("communes", "activity_kinds", "headcount")
        )
        for code, n in counts.items():
            commune, activity_kind, band = told_of[code]
            communes[commune] += n
            activity_kinds[activity_kind] += n
            headcount[band] += n

        def territory(pair: tuple[int, int]) -> Any:
            fact = fact_of[pair[1]]
            return values["territory"][pair[0]] or (fact[3] if fact is not None else "")

        territories = values["territory"]
        if all(territories[i] for i in column.counts("territory")):  # no need of the business's
            self._tally("territories", column.counts("territory"), territories.__getitem__)
        else:
            self._tally("territories", column.pair_counts("territory", "client_id"), territory)

    def _count_redirection_columns(
        self, table: Columns, counts: Counter[int], structures: Mapping[str, Record]
    ) -> None:
        kinds = self.counters.setdefault("redirect_kinds", Counter())
        names = self.counters.setdefault("redirect_structures", Counter())
        for index, n in counts.items():
            redirections = table.value("redirections", index)
            if not redirections:
                continue
            self.redirected += n
            for redirection in redirections:
                if isinstance(redirection, dict):
                    target = structures.get(redirection.get("structure_id") or "") or {}
                    kinds[target.get("kind") or "other"] += n
                    names[target.get("name") or redirection.get("label") or ""] += n

    def _count_nested_columns(
        self, table: Columns, solutions: Counter[int], skills: Counter[int]
    ) -> None:
        """Solution areas (each once per session) and Pix areas assessed, from the counts of
        each distinct value of `solutions` and `skills`: packed values all at once in C."""
        areas = self.counters.setdefault("solution_areas", Counter())
        nested = table.nested["solutions"]
        at, packed, odd = nested.split(list(solutions), list)
        for index in odd:  # kept as they are, or a map where a list was expected
            value = nested.decode(index)
            if value:
                for area in _areas([value]):
                    areas[area] += solutions[index]
        weights = list(map(solutions.__getitem__, at))
        for area, n in nested.value_counts(packed, weights, "area").items():
            areas[area or ""] += n
        pix = self.counters.setdefault("pix_areas", Counter())
        nested = table.nested["skills"]
        at, packed, odd = nested.split(list(skills), dict)
        for index in odd:
            value = nested.decode(index)
            if value:
                for area, level in value.items():
                    if level is not None:
                        pix[area] += skills[index]
        pix.update(nested.set_counts(packed, list(map(skills.__getitem__, at))))

    def _count_followup_columns(self, table: Columns, sessions: set[int]) -> None:
        """`_add_followups` by columns (`sessions`: hashes of the ids of the sessions
        counted, each distinct visit id of the follow-ups looked up once)."""
        if not table.size:
            return
        values = table.values
        of_counted = list(map(sessions.__contains__, map(hash, values["session_id"])))
        wanted = list(map(of_counted.__getitem__, table.indexes("session_id")))
        alive = _alive(table, table.indexes)
        if alive is not None:
            wanted = list(map(and_, wanted, alive))
        # Counted once: a follow-up of another file was met there only if its visit was
        # counted there, and a visit is counted from one file. So only this file's own
        # repeats are looked for (no id of every follow-up of a folder kept in memory).
        ids = table.column("id", wanted)
        if len(set(ids)) != len(ids):
            rows = compress(range(table.size), wanted)
            first = set(dict(zip(reversed(ids), reversed(list(rows)), strict=True)).values())
            wanted = list(map(first.__contains__, range(table.size)))  # the first wins
        statuses = self.counters.setdefault("followups", Counter())
        worked = self.counters.setdefault("solution_worked", Counter())
        applied = self.counters.setdefault("aids_applied", Counter())
        column = _IndexCache(table, wanted)
        # Each distinct due date is late or not, worked out once: the combinations of
        # the other fields are then few, each decoded once.
        late = [(v or "9999") < self.today for v in values["due_date"]]
        combos = zip(
            column("status"),
            column("solution_worked"),
            column("kind"),
            column("aid_id"),
            map(late.__getitem__, column("due_date")),
            strict=True,
        )
        for (status_i, worked_i, kind_i, aid_i, overdue), n in Counter(combos).items():
            status = values["status"][status_i] or ""
            if status == "done":
                answer = values["solution_worked"][worked_i] or ""
                if values["kind"][kind_i] != "aid_filed":
                    worked[answer] += n
                elif answer == "yes":  # there the question is « dossier déposé ? »
                    applied[str(values["aid_id"][aid_i] or "")] += n
            elif status in ("todo", "in_progress"):
                status = "overdue" if overdue else "planned"
            statuses[status] += n

    def _count_action_columns(
        self, table: Columns, clients: Mapping[str, Record], sessions: Columns
    ) -> None:
        """`_add_actions` by columns."""
        if not table.size:
            return
        period, values = self.filters.period, table.values
        column = _IndexCache(table, _alive(table, table.indexes))
        # The day that places an action: when it was done, else when last changed. Whether
        # a day is inside the period is worked out once per distinct value.
        status_of = [v or "todo" for v in values["status"]]
        done = [status == "done" for status in status_of]
        contains = period.contains
        # Per row: 0 when placed by its last change, else 1 + (done inside the period);
        # then twice that, plus whether its last change is inside: `_PLACED` says.
        by_done = [1 + contains(v) if v else 0 for v in values["done_at"]]
        updated_inside = [contains(v or "") for v in values["updated_at"]]
        placed = map(
            mul,
            map(by_done.__getitem__, column("done_at")),
            map(done.__getitem__, column("status")),
        )
        chosen = list(
            map(
                _PLACED.__getitem__,
                map(
                    add,
                    map(mul, placed, repeat(2)),
                    map(updated_inside.__getitem__, column("updated_at")),
                ),
            )
        )
        found = list(compress(column("status"), chosen))  # indexes: decoded once each, below
        ids = table.decode("id", compress(column("id"), chosen))
        fresh = self._fresh(self._seen_actions, list(map(hash, ids)))
        if fresh is not None:
            self.repeated = True
        if self._matches is not None:  # after `_fresh`: a filtered-out action is met too
            mask = self._action_filter(table, column, chosen, clients, sessions)
            found = list(compress(found, mask))
            if fresh is not None:
                fresh = list(compress(fresh, mask))
        if fresh is not None:
            found = list(compress(found, fresh))
        self._tally("actions", _count_indexes(found, len(status_of)), status_of.__getitem__)

    def _action_filter(
        self,
        table: Columns,
        column: _IndexCache,
        chosen: list[bool],
        clients: Mapping[str, Record],
        sessions: Columns,
    ) -> list[bool]:
        """Which of the `chosen` actions pass the filters other than the period: their
        business (merged duplicates followed) and the mediator of the visit behind them,
        decided once per distinct (business, visit)."""
        assert self._matches is not None
        matches, values = self._matches, table.values
        mediator_of = dict(zip(sessions.column("id"), sessions.column("mediator"), strict=True))
        pairs = list(
            zip(
                compress(column("client_id"), chosen),
                compress(column("session_id"), chosen),
                strict=True,
            )
        )
        passes: dict[tuple[int, int], bool] = {}
        for pair in set(pairs):
            client = resolve_client(clients, values["client_id"][pair[0]])
            looked_at = {
                "territory": (client or {}).get("territory"),
                "mediator": mediator_of.get(values["session_id"][pair[1]] or ""),
            }
            passes[pair] = matches(looked_at, client, "")
        return list(map(passes.__getitem__, pairs))

    # -------------------------------------------------------------- results
    def figures(self) -> Figures:
        cat = catalog()
        new = len(self._businesses - self._known_before)
        businesses = len(self._businesses)
        named = self.accompaniments + self.collective - self.anonymous
        per_business = named / businesses if businesses else 0.0
        rate = largest_remainder([self.redirected, self.accompaniments - self.redirected])[0]
        proposed = self.counters.get("aids", Counter())
        applied = self.counters.get("aids_applied", Counter())
        actions = self.counters.get("actions", Counter())
        totals = [
            Total(key, label, value, DEFINITIONS[key])
            for key, label, value in (
                ("accompaniments", "Accompagnements", str(self.all_accompaniments)),
                ("individual", "dont individuels", str(self.accompaniments)),
                ("collective", "dont collectifs (ateliers)", str(self.collective)),
                ("in_progress", "En cours (à part)", str(self.in_progress)),
                ("businesses", "Entreprises distinctes", str(businesses)),
                ("new", "dont nouvelles", str(new)),
                ("followed", "dont déjà suivies", str(businesses - new)),
                ("anonymous", "Participants anonymes", str(self.anonymous)),
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
                ("workshops", "Ateliers collectifs", str(self.workshops)),
                ("aids_proposed", "Aides proposées", str(proposed.total())),
                ("aids_applied", "dont dossiers déposés", str(applied.total())),
                ("actions_done", "Actions du plan faites", str(actions["done"])),
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
        aid_rows = sorted(
            ((self.aid_names.get(aid, aid), n, applied[aid]) for aid, n in proposed.items() if aid),
            key=lambda row: (-row[1], fold(row[0])),
        )
        sections = [
            make_section(
                "types",
                "Type d’accompagnement",
                [("Individuels", self.accompaniments), ("Collectifs (ateliers)", self.collective)],
            ),
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
                "aids",
                "Aides proposées",
                [(name, n) for name, n, _ in aid_rows],
                extras={name: f"{filed} dossier(s) déposé(s)" for name, _, filed in aid_rows},
            ),
            make_section(
                "actions",
                "Plans d’actions",
                [
                    (label, actions[code])
                    for code, label in (
                        ("done", "Faites"),
                        ("in_progress", "En cours"),
                        ("todo", "À faire"),
                        ("abandoned", "Abandonnées"),
                    )
                ],
            ),
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
        twice = _twice(self._maturity)
        outcome, up = self._scores.outcomes(
            list(map(itemgetter(FIRST), twice)), list(map(itemgetter(LAST), twice))
        )
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
        twice = _twice(self._autonomy)
        firsts, lasts = list(map(itemgetter(FIRST), twice)), list(map(itemgetter(LAST), twice))
        outcome = Counter(up=sum(map(gt, lasts, firsts)), down=sum(map(lt, lasts, firsts)))
        outcome["same"] = len(twice) - outcome["up"] - outcome["down"]
        return make_section(
            "autonomy",
            "Autonomie, première → dernière",
            [
                ("Plus autonome", outcome["up"]),
                ("Stable", outcome["same"]),
                ("Moins autonome", outcome["down"]),
            ],
        )


def _twice(tracks: dict[int, Track]) -> list[Track]:
    """The tracks of the businesses assessed at least twice."""
    found = list(tracks.values())
    return list(compress(found, map(le, repeat(2), map(itemgetter(TIMES), found))))


class _IndexCache:
    """The indexes of some rows of a table (those `keep` marks; all for None), each field
    picked out once."""

    def __init__(self, table: Columns, keep: list[bool] | None = None) -> None:
        self.table, self.keep = table, keep
        self._indexes: dict[str, Sequence[int]] = {}
        self._counts: dict[str, Counter[int]] = {}

    def __call__(self, name: str) -> Sequence[int]:
        found = self._indexes.get(name)
        if found is None:
            found = self._indexes[name] = self.table.indexes(name, self.keep)
        return found

    def counts(self, name: str) -> Counter[int]:
        found = self._counts.get(name)
        if found is None:
            found = self._counts[name] = _count_indexes(self(name), len(self.table.values[name]))
        return found

    def _sizes(self, names: Sequence[str]) -> list[int]:
        return [len(self.table.values.get(name, [None])) for name in names]

    def combined(self, *names: str) -> list[int]:
        """One int per row standing for its indexes of `names` (see `split_code`)."""
        codes = list(self(names[0]))
        for name, size in zip(names[1:], self._sizes(names[1:]), strict=True):
            codes = list(map(add, map(mul, codes, repeat(size)), self(name)))
        return codes

    def split_code(self, code: int, *names: str) -> tuple[int, ...]:
        """The indexes a code of `combined` stands for (digits shifted by one: -1 is 0)."""
        sizes = self._sizes(names)
        stride, offset = 1, 0
        for size in reversed(sizes):
            offset += stride
            stride *= size
        code += offset
        out: list[int] = []
        for size in reversed(sizes):
            code, digit = divmod(code, size)
            out.append(digit - 1)
        return tuple(reversed(out))

    def pair_counts(self, *names: str) -> Counter[tuple[int, ...]]:
        """How many rows hold each combination of indexes of `names` (two or more)."""
        counts = Counter(self.combined(*names))
        out: Counter[tuple[int, ...]] = Counter()
        for code, n in counts.items():
            out[self.split_code(code, *names)] = n
        return out


def _alive(table: Columns, read: Callable[[str], Sequence[int]]) -> list[bool] | None:
    """Which rows are not deleted (`read`: gives the rows' indexes of a field); None when
    none is (looked at once per distinct value first: usually none is)."""
    if not any(table.values.get("deleted", ())):
        return None
    alive = list(map(not_, table.decode("deleted", read("deleted"))))
    return None if all(alive) else alive


def _place(
    values: Mapping[str, list[Any]],
    key: tuple[int, ...],
    structures: Mapping[str, Record],
    by_kind: Mapping[str, str],
) -> str:
    """The place name of (place structure, place label, place kind indexes), as
    `place_name` (`by_kind`: `kind_places()`)."""
    structure_id = values["place_structure_id"][key[0]]
    structure = structures.get(structure_id) if structure_id else None
    if structure and structure.get("name"):
        return str(structure["name"])
    return str(values["place_label"][key[1]] or by_kind.get(values["place_kind"][key[2]] or "", ""))


def _pick(column: Sequence[Any], keep: list[bool] | None) -> Sequence[Any]:
    """The items of `column` kept (all of them for None)."""
    return column if keep is None else list(compress(column, keep))


def _within(keep: list[bool] | None, kept: list[bool]) -> list[bool]:
    """`keep` narrowed by `kept`, a mask over the items `keep` kept."""
    if keep is None:
        return kept
    narrowed = iter(kept)
    return [k and next(narrowed) for k in keep]


def _count_indexes(indexes: Sequence[int], size: int) -> Counter[int]:
    """`Counter(indexes)` of indexes in -1..size-2; a few values are counted each by
    `count` (an identity test per row: small ints are shared objects)."""
    if size > 12:
        return Counter(indexes)
    counts = Counter({i: n for i in range(-1, size - 1) if (n := indexes.count(i))})
    if counts.total() != len(indexes):  # an index off its column: let the caller meet it
        return Counter(indexes)
    return counts


# Whether an action is in the period, by (how its done date places it) * 2 + (its last
# change is inside): no done date to go by, then done outside, then done inside.
_PLACED = (False, True, False, False, True, True)


def _plain_facts(clients: Columns) -> dict[str, tuple[Any, ...]]:
    """`ActivityStats._business_of` of the businesses not merged into another, by id, a
    column at a time (the business record itself, used by filters only, left out)."""
    ids = clients.column("id")
    if not ids or len(set(ids)) != len(ids):  # the same id twice: one by one, as records
        return {}
    values = clients.values

    def or_empty(name: str) -> list[Any]:
        decoded = [v or "" for v in values[name]]
        return list(map(decoded.__getitem__, clients.indexes(name)))

    cache = _IndexCache(clients)
    bands: dict[int, str] = {}
    for code in set(codes := cache.combined("employees", "size")):
        employees_i, size_i = cache.split_code(code, "employees", "size")
        record = {"employees": values["employees"][employees_i], "size": values["size"][size_i]}
        bands[code] = headcount_band(record) or ""
    facts = zip(
        map(hash, ids),
        repeat(None, len(ids)),
        or_empty("commune"),
        or_empty("territory"),
        or_empty("activity_kind"),
        map(bands.__getitem__, codes),
        strict=True,
    )
    kept = map(not_, clients.column("merged_into"))
    return dict(compress(zip(ids, facts, strict=True), kept))


class _Timeline:
    """The rows of a file in date order, to find each business's first and last value
    (`_track` of each row in turn, done a column at a time)."""

    def __init__(self, order: list[int], businesses: list[Any], days: list[str]) -> None:
        self.order = order  # row positions, by day, rows of the same day in file order
        self.businesses = list(map(businesses.__getitem__, order))
        self.days = days  # of each row
        # The rows of the last `track`: (which rows, their businesses, each one's first
        # and last row and count), reused when the next one has its values on the same rows.
        self._chosen: list[bool] = []
        self._rows: tuple[list[Any], list[int], list[int], list[int]] = ([], [], [], [])

    def _rows_of(self, chosen: list[bool]) -> tuple[list[Any], list[int], list[int], list[int]]:
        """(the businesses of the `chosen` rows, each one's first row, last row, count)."""
        if chosen == self._chosen:
            return self._rows
        at = list(compress(self.order, chosen))
        keys = list(compress(self.businesses, chosen))
        first = dict(zip(reversed(keys), reversed(at), strict=True))
        last = dict(zip(keys, at, strict=True))
        times = Counter(keys)
        met = list(times)
        rows = (met, list(map(first.__getitem__, met)), list(map(last.__getitem__, met)))
        self._chosen, self._rows = chosen, (*rows, list(times.values()))
        return self._rows

    def track(self, tracks: dict[int, Track], values: list[Any]) -> None:
        """Add each row whose value is not None: per business, its value on its earliest
        day (the first row of that day) and on its latest (the last row of that day)."""
        chosen = list(map(is_not, map(values.__getitem__, self.order), repeat(None)))
        met, at_first, at_last, times = self._rows_of(chosen)
        if not met:
            return
        days = self.days
        found = zip(
            map(days.__getitem__, at_first),
            map(values.__getitem__, at_first),
            map(days.__getitem__, at_last),
            map(values.__getitem__, at_last),
            times,
            strict=True,
        )
        if tracks.keys().isdisjoint(met):  # businesses met in this file only (the usual case)
            tracks.update(zip(met, found, strict=True))
            return
        for key, track in zip(met, found, strict=True):
            known = tracks.get(key)
            if known is None:
                tracks[key] = track
                continue
            merged = tracks[key] = _Track(known)
            merged[4] += track[4]
            if track[0] < merged[0]:
                merged[0], merged[1] = track[0], track[1]
            if track[2] >= merged[2]:
                merged[2], merged[3] = track[2], track[3]


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
