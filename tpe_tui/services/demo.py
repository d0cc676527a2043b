"""Realistic synthetic data for trying the tool and for benchmarks. Pure: records out.

Deterministic for a seed and a reference day: the same call gives the same records.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from tpe_tui.domain import types
from tpe_tui.domain.catalog import catalog
from tpe_tui.domain.records import CONSENT_WORDING, new_record
from tpe_tui.domain.records import today as model_today
from tpe_tui.services import demo_programmes

COMMUNES = [
    ("Soissons", "02200", "Soissons"),
    ("Arras", "62000", "Arras"),
    ("Calais", "62100", "Calais"),
    ("Saint-Nicolas", "62223", "Arras"),
    ("Belleu", "02200", "Soissons"),
    ("Coquelles", "62231", "Calais"),
    ("Achicourt", "62217", "Arras"),
    ("Villeneuve-Saint-Germain", "02200", "Soissons"),
    ("Marck", "62730", "Calais"),
]

TRADES = [
    ("Boulangerie", "craft"),
    ("Boucherie", "craft"),
    ("Salon de coiffure", "craft"),
    ("Plomberie", "craft"),
    ("Menuiserie", "craft"),
    ("Garage automobile", "craft"),
    ("Fleuriste", "commercial"),
    ("Librairie", "commercial"),
    ("Épicerie fine", "commercial"),
    ("Boutique de vêtements", "commercial"),
    ("Café-restaurant", "commercial"),
    ("Cabinet de kinésithérapie", "liberal"),
    ("Cabinet d’architecte", "liberal"),
    ("Ferme maraîchère", "agricultural"),
    ("Association de quartier", "association"),
    ("Auto-école", "other"),
]

SURNAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Lefèvre",
    "Leroy",
    "Moreau",
    "Lambert",
    "Dupont",
    "Fournier",
    "Girard",
    "Bonnet",
    "Mercier",
    "Roussel",
    "Dufour",
    "Caron",
    "Vasseur",
    "Delattre",
    "Lemaire",
    "Duhamel",
    "Wacquet",
]
FIRST_NAMES = [
    "Émilie",
    "Jérôme",
    "Sophie",
    "Karim",
    "Nathalie",
    "François",
    "Inès",
    "Thierry",
    "Céline",
    "Loïc",
    "Maëlle",
    "Hervé",
    "Chloé",
    "Mathis",
    "Zoé",
    "Benoît",
]
MEDIATORS = ["Camille Roger", "Yanis Benali", "Léa Fontaine", "Hugo Perrin"]

REQUESTS = [
    (
        "Je voudrais que mes clients me trouvent sur Internet.",
        "Être visible en ligne quand on cherche un {trade} à {commune}.",
        "online_presence",
    ),
    (
        "Je n’arrive pas à faire ma déclaration sur le site des impôts.",
        "Faire seul la déclaration de TVA en ligne.",
        "admin_procedures",
    ),
    (
        "On m’a dit qu’il fallait vendre en ligne, je ne sais pas par où commencer.",
        "Savoir si la vente en ligne est utile pour l’activité et comment démarrer.",
        "digital_strategy",
    ),
    (
        "Ma secrétaire passe des heures sur les devis.",
        "Gagner du temps sur les devis et factures avec un outil adapté.",
        "internal_tools",
    ),
    (
        "Mon ordinateur est lent et je perds mes fichiers.",
        "Retrouver un poste de travail fiable et sauvegarder les fichiers.",
        "computer_use",
    ),
    (
        "Je veux former mon apprenti aux réseaux sociaux.",
        "Que l’équipe sache publier régulièrement sur les réseaux sociaux.",
        "staff_training",
    ),
    (
        "Je ne comprends rien aux courriels, j’ai peur des arnaques.",
        "Utiliser la messagerie sans crainte et reconnaître les tentatives d’hameçonnage.",
        "internet_browsing",
    ),
    (
        "Qu’est-ce que le numérique peut m’apporter ?",
        "Faire le tour des possibilités du numérique pour le métier.",
        "digital_opportunities",
    ),
    (
        "J’aimerais proposer la réservation en ligne.",
        "Mettre en place un service de réservation en ligne pour les clients.",
        "digital_products",
    ),
]

SOLUTIONS = [
    (
        "Fiche d’établissement sur les cartes en ligne",
        "website",
        "Gratuit, visible tout de suite dans les recherches locales",
        "Il faut répondre aux avis et tenir les horaires à jour",
        "Gratuit",
        "low",
    ),
    (
        "Site vitrine avec un outil en ligne",
        "website",
        "Image professionnelle, modifiable soi-même",
        "Abonnement mensuel, demande du temps au départ",
        "10 à 30 € par mois",
        "medium",
    ),
    (
        "Site réalisé par un prestataire local",
        "website",
        "Travail soigné, interlocuteur proche",
        "Coût de départ, dépendance au prestataire pour les mises à jour",
        "800 à 3 000 €",
        "low",
    ),
    (
        "Boutique en ligne sur une place de marché",
        "ecommerce",
        "Clientèle déjà présente, mise en route rapide",
        "Commissions sur les ventes, peu de maîtrise de la relation client",
        "Commission de 8 à 15 %",
        "medium",
    ),
    (
        "Boutique en ligne en propre",
        "ecommerce",
        "Maîtrise complète, pas de commission",
        "Il faut attirer soi-même les visiteurs",
        "30 à 80 € par mois",
        "high",
    ),
    (
        "Logiciel de facturation en ligne",
        "cloud_tools",
        "Devis et factures en quelques clics, conformité",
        "Abonnement, données chez un tiers",
        "10 à 25 € par mois",
        "low",
    ),
    (
        "Tableur avec modèles de devis",
        "office_tools",
        "Aucun coût supplémentaire",
        "Risque d’erreurs, pas de suivi automatique",
        "Gratuit",
        "low",
    ),
    (
        "Sauvegarde automatique sur disque externe",
        "maintenance",
        "Simple, sans abonnement",
        "Le disque doit être branché, risque de vol ou d’incendie",
        "60 à 100 €",
        "low",
    ),
    (
        "Sauvegarde en ligne chiffrée",
        "cloud_tools",
        "Automatique, hors des locaux",
        "Abonnement, dépend de la connexion",
        "3 à 10 € par mois",
        "low",
    ),
    (
        "Publicité locale sur les réseaux sociaux",
        "online_ads",
        "Ciblage par commune, budget maîtrisé",
        "Résultats variables, demande un suivi",
        "À partir de 5 € par jour",
        "medium",
    ),
    (
        "Formation courte aux outils numériques",
        "training",
        "Autonomie durable de l’équipe",
        "Temps pris sur l’activité",
        "Prise en charge possible par l’OPCO",
        "medium",
    ),
    (
        "Remplacement du poste informatique",
        "hardware",
        "Gain de temps quotidien",
        "Investissement immédiat",
        "500 à 900 €",
        "low",
    ),
]

STRUCTURES = [
    ("CCI Hauts-de-France – antenne {commune}", "cci"),
    ("Chambre de métiers et de l’artisanat – {commune}", "cma"),
    ("Cabinet comptable {surname} & associés", "accountant"),
    ("Banque de proximité – agence de {commune}", "bank"),
    ("Mairie de {commune} – service développement économique", "council"),
    ("France Services {commune}", "france_services"),
    ("Tiers-lieu La Fabrique – {commune}", "tiers_lieu"),
    ("Conseillère numérique de la médiathèque de {commune}", "digital_advisor"),
    ("Organisme de formation Numérique Pro {commune}", "training_body"),
    ("Maison de l’emploi de {commune}", "other"),
]


# Kinds added after the first demo (issue 14): their places come from a random stream of
# their own, so the rest of a seeded demo stays what it was.
MORE_STRUCTURES = [
    ("Chambre consulaire – point d’accueil de {commune}", "chamber", "CCONS"),
    ("Espace public numérique de {commune}", "epn", "EPN"),
    ("Association Numérique pour tous – {commune}", "association", "ASSO"),
]


class DemoGenerator:
    """Generates consistent clients, sessions, follow-ups and structures."""

    def __init__(self, seed: int = 1, today: date | None = None) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.today = today or model_today()
        self.cat = catalog()

    def _id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _stamp(self, record: dict[str, Any], day: date) -> dict[str, Any]:
        record["id"] = self._id()
        record["created_at"] = record["updated_at"] = f"{day.isoformat()}T09:00:00Z"
        return record

    def _siret(self) -> str:
        body = [self.rng.randint(0, 9) for _ in range(13)]
        for check in range(10):
            digits = [*body, check]
            total = 0
            for index, digit in enumerate(reversed(digits)):
                if index % 2 == 1:
                    digit *= 2
                    digit -= 9 if digit > 9 else 0
                total += digit
            if total % 10 == 0 and digits[:9] != [3, 5, 6, 0, 0, 0, 0, 0, 0]:
                return "".join(map(str, digits))
        return ""

    def _phone(self) -> str:
        digits = (
            "0"
            + self.rng.choice("1234567")
            + "".join(str(self.rng.randint(0, 9)) for _ in range(8))
        )
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))

    def structures(self) -> list[dict[str, Any]]:
        out = []
        for commune, postal, territory in COMMUNES[:3]:
            for pattern, kind in STRUCTURES:
                name = pattern.format(commune=commune, surname=self.rng.choice(SURNAMES))
                out.append(
                    self._stamp(
                        new_record(
                            "structures",
                            name=name,
                            kind=kind,
                            territory=territory,
                            commune=commune,
                            postal_code=postal,
                            address=f"{self.rng.randint(1, 80)} rue {self.rng.choice(['de la République', 'Gambetta', 'Jean Jaurès', 'du Commerce', 'Victor Hugo'])}",
                            phone=self._phone(),
                            emails=f"contact@{kind}-{commune.lower()}.fr".replace(" ", ""),
                            opening_hours="Mo-Fr 09:00-12:00,14:00-17:30",
                            helps_with=self.cat.label("structure_kinds", kind),
                        ),
                        self.today - timedelta(days=400),
                    )
                )
        return out

    def client(self) -> dict[str, Any]:
        trade, kind = self.rng.choice(TRADES)
        commune, postal, territory = self.rng.choice(COMMUNES)
        surname = self.rng.choice(SURNAMES)
        first = self.rng.choice(FIRST_NAMES)
        alone = self.rng.random() < 0.45
        consent = self.rng.random() < 0.8
        role = (
            "owner"
            if alone
            else self.rng.choice(
                ["owner", "owner", "secretary", "employee", "partner", "collaborating_spouse"]
            )
        )
        # Keyword order is the order the random draws were made in: the demo stays the same.
        contact = types.contact(
            contact_id=self._id(),
            role=role,
            name=f"{first} {surname}" if consent else "",
            phone=self._phone() if consent else "",
            email=f"{first.lower()}.{surname.lower()}@exemple.fr"
            if consent and self.rng.random() < 0.6
            else "",
            agreed=types.consent(
                consent, CONSENT_WORDING, (self.today - timedelta(days=200)).isoformat()
            ),
        )
        return self._stamp(
            new_record(
                "clients",
                name=f"{trade} {surname}",
                trade=trade,
                activity_kind=kind,
                size="alone" if alone else "employees",
                employees=None if alone else self.rng.randint(1, 9),
                siret=self._siret() if self.rng.random() < 0.85 else "",
                commune=commune,
                postal_code=postal,
                territory=territory,
                contacts=[contact],
            ),
            self.today - timedelta(days=self.rng.randint(30, 900)),
        )

    def session(
        self, client: dict[str, Any], structures: list[dict[str, Any]], day: date
    ) -> dict[str, Any]:
        rng = self.rng
        cat = self.cat
        said, rephrased, need = rng.choice(REQUESTS)
        status = rng.choices(["closed", "in_progress", "draft"], weights=[80, 15, 5])[0]
        steps = [s.code for s in cat.steps]
        reached = len(steps) if status == "closed" else rng.randint(1, len(steps) - 1)
        territory = client["territory"]
        local = [s for s in structures if s["territory"] == territory] or structures
        contact = client["contacts"][0]
        session = new_record(
            "sessions",
            client_id=client["id"],
            contact_id=contact["id"],
            interlocutor_role=contact["role"],
            status=status,
            current_step=steps[min(reached, len(steps) - 1)],
            date=day.isoformat(),
            duration_min=rng.choice(cat.durations),
            place_kind=rng.choice(["tiers_lieu", "tiers_lieu", "premises", "remote"]),
            territory=territory,
            mediator=rng.choice(MEDIATORS),
            equipment=rng.sample(["computer", "phone", "tablet"], k=rng.randint(1, 2)),
            request_said=said,
            request_rephrased=rephrased.format(
                trade=client["trade"].lower(), commune=client["commune"]
            ),
            right_place=rng.random() > 0.07,
        )
        tiers = [s for s in local if s["kind"] == "tiers_lieu"]
        if session["place_kind"] == "tiers_lieu" and tiers:
            session["place_structure_id"] = tiers[0]["id"]
            session["place_label"] = tiers[0]["name"]
        done = steps[:reached]
        session["steps"] = {code: {"done": True, "note": ""} for code in done}
        if "assessment" in done:
            session["skills"] = {
                a: rng.choice([None, 1, 2, 2, 3, 4]) for a in cat.codes("skill_areas")
            }
            session["maturity"] = {
                d: rng.choice([None, 1, 2, 2, 3, 4]) for d in cat.codes("maturity_dimensions")
            }
        if "need" in done:
            session["need_nature"] = rng.choice(cat.codes("need_natures"))
            extra = rng.sample(cat.codes("needs"), k=rng.randint(0, 2))
            session["needs"] = list(dict.fromkeys([need, *extra]))
        if "missions" in done:
            session["missions"] = rng.sample(cat.codes("missions"), k=rng.randint(1, 3))
        if "solutions" in done:
            picks = rng.sample(SOLUTIONS, k=rng.randint(2, 3))
            session["solutions"] = [
                types.solution(
                    solution_id=self._id(), title=t, area=a, pros=p, cons=c, cost=cost, effort=e
                )
                for t, a, p, c, cost, e in picks
            ]
        if "check" in done:
            session["answered"] = rng.choice(["yes", "yes", "partly", "no"])
        if "synthesis" in done:
            titles = ", ".join(s["title"].lower() for s in session["solutions"])
            session["synthesis"] = f"{session['request_rephrased']} Pistes étudiées : {titles}."
        if "followup" in done and rng.random() < 0.6:
            session["callback_wanted"] = True
            session["callback_date"] = (
                day + timedelta(days=rng.choice([7, 14, 21, 30]))
            ).isoformat()
        if "redirect" in done and rng.random() < 0.4:
            kinds = cat.redirect_kinds(client["activity_kind"]) or ["france_services"]
            target = next((s for s in local if s["kind"] == kinds[0]), local[0])
            session["redirections"] = [
                types.redirection(target["name"], "Accompagnement complémentaire", target["id"])
            ]
        if "awareness" in done:
            session["topics_raised"] = rng.sample(
                cat.codes("operational_topics"), k=rng.randint(1, 3)
            )
        if status == "closed":
            session["satisfaction"] = rng.choice(cat.codes("satisfaction_levels"))
            session["autonomy"] = rng.choice(cat.codes("autonomy_levels"))
            session["close_reason"] = "completed" if session["right_place"] else "redirected"
            session["closed_at"] = f"{day.isoformat()}T11:00:00Z"
        return self._stamp(session, day)

    def followup(self, session: dict[str, Any]) -> dict[str, Any]:
        due = date.fromisoformat(session["callback_date"])
        status = "todo"
        if due < self.today - timedelta(days=20):
            # Old follow-ups are mostly dealt with; a few were forgotten (overdue).
            status = self.rng.choices(
                ["done", "unreachable", "abandoned", "todo"], weights=[70, 12, 10, 8]
            )[0]
        return self._stamp(
            new_record(
                "followups",
                session_id=session["id"],
                client_id=session["client_id"],
                kind="callback",
                due_date=due.isoformat(),
                reason="Vérifier que la solution retenue fonctionne",
                status=status,
                solution_worked="yes" if status == "done" else None,
            ),
            date.fromisoformat(session["date"]),
        )

    def generate(self, sessions: int) -> Iterator[tuple[str, dict[str, Any]]]:
        """(table, record) pairs: structures, then clients each with their sessions, then
        workshops, aids and action plans made from them."""
        structures = self.structures()
        for record in structures:
            yield "structures", record
        made = 0
        clients: list[dict[str, Any]] = []
        visits: list[dict[str, Any]] = []
        while made < sessions:
            client = self.client()
            clients.append(client)
            yield "clients", client
            count = min(sessions - made, self.rng.choice([1, 1, 2, 2, 3, 4, 6]))
            days = sorted(
                self.today - timedelta(days=self.rng.randint(0, 720)) for _ in range(count)
            )
            for day in days:
                session = self.session(client, structures, day)
                visits.append(session)
                yield "sessions", session
                if session["callback_wanted"]:
                    yield "followups", self.followup(session)
            made += count
        yield from demo_programmes.generate(clients, visits, structures, self.seed, self.today)
        for record in self.more_structures():
            yield "structures", record

    def more_structures(self) -> list[dict[str, Any]]:
        """One place of each later kind per town, as an import of the national file
        brings them (their typology code as their source)."""
        rng = random.Random(f"{self.seed}-more-structures")
        out = []
        for commune, postal, territory in COMMUNES[:3]:
            for pattern, kind, code in MORE_STRUCTURES:
                record = new_record(
                    "structures",
                    name=pattern.format(commune=commune),
                    kind=kind,
                    territory=territory,
                    commune=commune,
                    postal_code=postal,
                    address=f"{rng.randint(1, 80)} place de la Mairie",
                    source_id=f"demo-{code.lower()}-{postal}",
                    helps_with=self.cat.label("structure_kinds", kind),
                )
                record["id"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                day = (self.today - timedelta(days=400)).isoformat()
                record["created_at"] = record["updated_at"] = f"{day}T09:00:00Z"
                out.append(record)
        return out


def fill(workspace: Any, sessions: int, seed: int, *, replace: bool) -> dict[str, int]:
    """Write `sessions` demo accompaniments (with their businesses, structures and
    follow-ups) into the workspace's file; returns how many records of each table."""
    from tpe_tui.domain.errors import UsageError
    from tpe_tui.domain.records import SHARED_TABLES

    store = workspace.store
    if any(store.count(table) for table in SHARED_TABLES) and not replace:
        raise UsageError(
            f"{store.path} contient déjà des données : ajoutez --force pour les remplacer "
            "(une sauvegarde est faite avant)."
        )
    batches: dict[str, list[dict[str, Any]]] = {table: [] for table in SHARED_TABLES}
    for table, record in DemoGenerator(seed=seed).generate(sessions):
        batches[table].append(record)
    # One atomic write of the whole new file (backup of the old one first): killed at any
    # moment, the old file (or none) is left, never a file emptied or half filled.
    store.start_over(batches, reason="before-demo")
    return {table: len(records) for table, records in batches.items()}
