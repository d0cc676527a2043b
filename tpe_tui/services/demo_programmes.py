"""Demo workshops, aids and action plans, made from the demo's businesses and visits. Pure.

A random generator of their own, so the visits of a seed stay what they were before these
tables existed. Every aid is marked as an example: none is shown as a current offer.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from tpe_tui.domain import action_plan
from tpe_tui.domain.records import Record, new_record

# (name, kind of the structure that runs it, offers, needs, activity kinds, headcount bands)
AidExample = tuple[str, str, list[str], list[str], list[str], list[str]]
AIDS: tuple[AidExample, ...] = (
    (
        "Chèque transformation numérique",
        "council",
        ["funding"],
        ["online_presence", "digital_strategy"],
        [],
        ["0", "1-4", "5-9"],
    ),
    (
        "Diagnostic numérique de la CCI",
        "cci",
        ["diagnostic"],
        ["digital_strategy", "online_presence"],
        ["commercial"],
        [],
    ),
    (
        "Pack numérique artisans",
        "cma",
        ["diagnostic", "support"],
        ["online_presence", "internal_tools"],
        ["craft"],
        [],
    ),
    (
        "Formation « Gérer sa fiche d’établissement »",
        "training_body",
        ["training"],
        ["online_presence"],
        [],
        [],
    ),
    (
        "Prêt d’honneur équipement",
        "bank",
        ["loan", "equipment"],
        ["computer_use", "internal_tools"],
        [],
        ["0", "1-4"],
    ),
    (
        "Aide régionale à la vente en ligne",
        "council",
        ["funding"],
        ["digital_products", "digital_strategy"],
        ["commercial", "craft"],
        ["1-4", "5-9"],
    ),
)
WORKSHOPS = (
    ("Être trouvé sur Google Maps", ["online_presence"], "beginner"),
    ("Sécuriser ses comptes et ses mots de passe", ["security", "computer_use"], "beginner"),
    (
        "Vendre en ligne : par où commencer ?",
        ["digital_products", "digital_strategy"],
        "intermediate",
    ),
    ("Les réseaux sociaux pour son commerce", ["online_presence"], "intermediate"),
    ("Facturation électronique : se préparer", ["admin_procedures"], "beginner"),
    ("Sauvegarder ses données", ["backups", "internal_tools"], "advanced"),
)
MEDIATORS = ("Camille Roger", "Yanis Benali", "Léa Fontaine", "Hugo Perrin")


class ProgrammesDemo:
    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed * 7919 + 18)
        self.today = today

    def _stamp(self, record: Record, day: date) -> Record:
        record["id"] = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        record["created_at"] = record["updated_at"] = f"{day.isoformat()}T10:00:00Z"
        return record

    def aids(self, structures: Sequence[Record]) -> list[Record]:
        out = []
        for name, kind, offers, needs, kinds, bands in AIDS:
            carrier = next((s for s in structures if s.get("kind") == kind), None)
            verified = self.today - timedelta(days=self.rng.choice([20, 75, 140, 250, 400]))
            out.append(
                self._stamp(
                    new_record(
                        "aids",
                        name=name,
                        structure_id=carrier["id"] if carrier else None,
                        offers=list(offers),
                        needs=list(needs),
                        activity_kinds=list(kinds),
                        headcount_bands=list(bands),
                        territories=[],
                        amount=self.rng.choice(["jusqu’à 500 €", "gratuit", "50 % du coût", ""]),
                        how_to_apply="Exemple fictif : se renseigner auprès de la structure.",
                        verified_on=verified.isoformat(),
                        example=True,
                    ),
                    verified,
                )
            )
        return out

    def workshops(
        self, clients: Sequence[Record], structures: Sequence[Record], count: int
    ) -> list[Record]:
        out = []
        places = [s for s in structures if s.get("kind") == "tiers_lieu"] or list(structures)
        for _ in range(count):
            title, themes, level = self.rng.choice(WORKSHOPS)
            place = self.rng.choice(places) if places else None
            day = self.today + timedelta(days=self.rng.randint(-300, 30))
            territory = (place or {}).get("territory") or ""
            local = [c for c in clients if c.get("territory") == territory] or list(clients)
            chosen = self.rng.sample(local, k=min(len(local), self.rng.randint(2, 7)))
            past = day < self.today
            participants = [
                {
                    "id": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
                    "client_id": c["id"],
                    "contact_id": (c.get("contacts") or [{}])[0].get("id"),
                    "attended": (self.rng.random() < 0.8) if past else None,
                    "added_on": (day - timedelta(days=7)).isoformat(),
                }
                for c in chosen
            ]
            out.append(
                self._stamp(
                    new_record(
                        "workshops",
                        title=title,
                        themes=list(themes),
                        level=level,
                        date=day.isoformat(),
                        duration_min=self.rng.choice([60, 90, 120]),
                        place_structure_id=place["id"] if place else None,
                        territory=territory,
                        mediators=[self.rng.choice(MEDIATORS)],
                        participants=participants,
                        anonymous_count=self.rng.randint(0, 4) if past else 0,
                    ),
                    min(day, self.today),
                )
            )
        return out

    def plans(
        self, sessions: Sequence[Record], aids: Sequence[Record]
    ) -> Iterator[tuple[str, Record]]:
        """Actions from the solutions of closed visits, with their agenda follow-ups."""
        for session in sessions:
            if session.get("status") != "closed" or self.rng.random() < 0.4:
                continue
            day = date.fromisoformat(session["date"])
            age = (self.today - day).days
            for solution in (session.get("solutions") or [])[:2]:
                need = (session.get("needs") or [None])[0]
                aid = next((a for a in aids if need in a["needs"]), None)
                status = self.rng.choices(
                    ["done", "in_progress", "todo", "abandoned"],
                    weights=[min(age, 300), 40, 60, 10],
                )[0]
                due = day + timedelta(days=self.rng.choice([30, 60, 90]))
                if status in action_plan.OPEN_STATUSES and due < self.today + timedelta(days=14):
                    # Kept off the days the home and the week's agenda show.
                    due = self.today + timedelta(days=self.rng.randint(30, 120))
                action = self._stamp(
                    new_record(
                        "actions",
                        client_id=session.get("client_id"),
                        session_id=session["id"],
                        title=f"Mettre en place : {solution.get('title') or 'la solution'}",
                        need=need,
                        solution=solution.get("title") or "",
                        aid_id=aid["id"] if aid and self.rng.random() < 0.3 else None,
                        owner=self.rng.choice(["business", "business", "mediator", "partner"]),
                        due_date=due.isoformat(),
                        priority=self.rng.choice(["high", "normal", "normal", "low"]),
                        status=status,
                        done_at=due.isoformat() if status == "done" else None,
                    ),
                    day,
                )
                yield "actions", action
                followup = action_plan.agenda_followup(action, None)
                if followup is not None:
                    yield "followups", self._stamp(followup, day)


def generate(
    clients: Sequence[Record],
    sessions: Sequence[Record],
    structures: Sequence[Record],
    seed: int,
    today: date,
) -> Iterator[tuple[str, Record]]:
    """(table, record) pairs: aids, workshops (about one per fifteen visits), plans."""
    demo = ProgrammesDemo(seed, today)
    aids = demo.aids(structures)
    for aid in aids:
        yield "aids", aid
    count = max(2, min(40, len(sessions) // 15))
    for workshop in demo.workshops(clients, structures, count if clients else 0):
        yield "workshops", workshop
    yield from demo.plans(sessions, aids)
