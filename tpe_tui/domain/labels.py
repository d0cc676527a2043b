"""French names of record fields, for screens that compare versions or list what is held."""

from __future__ import annotations

from typing import Any

from tpe_tui.domain.catalog import catalog

LABELS: dict[str, str] = {
    # clients
    "name": "Nom",
    "trade": "Métier",
    "activity_kind": "Type d’activité",
    "size": "Taille",
    "employees": "Salariés",
    "siret": "SIRET",
    "address": "Adresse",
    "commune": "Commune",
    "postal_code": "Code postal",
    "insee_code": "Code INSEE de la commune",
    "territory": "Territoire",
    "phone": "Téléphone",
    "email": "E-mail",
    "contacts": "Interlocuteurs",
    "notes": "Notes",
    "anonymised": "Anonymisé",
    "merged_into": "Fusionné dans",
    # sessions
    "client_id": "Entreprise",
    "status": "Statut",
    "close_reason": "Issue",
    "current_step": "Étape",
    "date": "Date",
    "duration_min": "Durée (min)",
    "place_label": "Lieu",
    "mediator": "Médiateur",
    "request_said": "Demande exprimée",
    "request_rephrased": "Demande reformulée",
    "needs": "Besoins",
    "needs_text": "Besoin (précisions)",
    "missions": "Missions",
    "solutions": "Solutions",
    "synthesis": "Synthèse",
    "deadline": "Échéance",
    "callback_date": "Date de rappel",
    "redirections": "Réorientations",
    "autonomy": "Autonomie",
    "satisfaction": "Satisfaction",
    # follow-ups
    "kind": "Type",
    "due_date": "Date prévue",
    "reason": "Motif",
    "outcome_note": "Note de suivi",
    "solution_worked": "La solution a marché",
    # structures
    "emails": "E-mails",
    "websites": "Sites web",
    "opening_hours": "Horaires",
    "helps_with": "Aide pour",
    "services": "Services",
    "address_extra": "Complément d’adresse",
    "deleted": "Supprimé",
    # workshops, aids, actions
    "title": "Titre",
    "themes": "Thèmes",
    "level": "Niveau",
    "mediators": "Médiateurs",
    "participants": "Participants",
    "anonymous_count": "Participants anonymes",
    "structure_id": "Structure",
    "offers": "Ce qui est proposé",
    "activity_kinds": "Types d’activité",
    "headcount_bands": "Effectifs",
    "territories": "Territoires",
    "amount": "Montant ou coût",
    "how_to_apply": "Comment candidater",
    "source_url": "Source",
    "verified_on": "Vérifié le",
    "example": "Exemple",
    "need": "Besoin",
    "solution": "Solution",
    "aid_id": "Aide",
    "owner": "Qui",
    "priority": "Priorité",
    "aids": "Aides",
    # inside a solution, a contact, a redirection, a participant
    "area": "Domaine",
    "pros": "Avantages",
    "cons": "Inconvénients",
    "cost": "Coût",
    "effort": "Effort",
    "role": "Rôle",
    "consent": "Consentement",
    "label": "Libellé",
    "contact_id": "Personne",
    "attended": "Présent",
    "added_on": "Inscrit le",
    # the rest of a visit, a follow-up, an action (the personal-data export lists them all)
    "interlocutor_role": "Fonction de l’interlocuteur",
    "role_note": "Précision sur la fonction",
    "place_kind": "Lieu",
    "place_structure_id": "Lieu (structure de l’annuaire)",
    "equipment": "Équipement utilisé",
    "right_place": "Au bon endroit",
    "need_nature": "Nature du besoin",
    "answered": "Réponse au besoin",
    "other_questions": "Autres questions posées",
    "to_find_out": "À vérifier",
    "deadline_note": "Objet de l’échéance",
    "callback_wanted": "Souhaite être rappelée",
    "topics_raised": "Enjeux opérationnels abordés",
    "skills": "Compétences numériques",
    "maturity": "Maturité numérique",
    "closed_at": "Clôturé le",
    "done_at": "Fait le",
    "history": "Historique",
    "nudge_level": "Relances",
    "action_id": "Action du plan",
    "workshop_id": "Atelier",
    "owner_structure_id": "Structure partenaire",
    "laptop": "Ordinateur",
}

# Codes inside the elements of a list (a solution's area, a contact's role).
CODED_IN_ELEMENTS: dict[str, str] = {
    "area": "solution_areas",
    "effort": "effort_levels",
    "role": "interlocutor_roles",
}

# Fields holding a catalogue code, by table and field: shown by their French label.
CODED: dict[tuple[str, str], str] = {
    ("clients", "size"): "company_sizes",
    ("clients", "activity_kind"): "activity_kinds",
    ("structures", "kind"): "structure_kinds",
    ("followups", "status"): "followup_statuses",
    ("followups", "kind"): "followup_kinds",
    ("sessions", "status"): "session_statuses",
    ("sessions", "close_reason"): "close_reasons",
    ("sessions", "autonomy"): "autonomy_levels",
    ("sessions", "satisfaction"): "satisfaction_levels",
    ("workshops", "level"): "workshop_levels",
    ("actions", "status"): "action_statuses",
    ("actions", "priority"): "action_priorities",
    ("actions", "owner"): "action_owners",
}

# Bookkeeping that differs between any two versions and means nothing to a person.
HIDDEN = {"id", "created_at", "updated_at", "vv", "dot", "dots", "conflicts", "steps"}


def field_label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " ").capitalize())


def show_value(table: str, name: str, value: Any) -> str:
    """A short French rendering of a field's value for a side-by-side comparison."""
    cat = catalog()
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if name == "needs" and isinstance(value, list):
        return ", ".join(cat.label("needs", v, str(v)) for v in value)
    coded = CODED.get((table, name)) or CODED_IN_ELEMENTS.get(name)
    if coded is not None and isinstance(value, str):
        return cat.label(coded, value, value)
    if name == "contacts" and isinstance(value, list):
        return ", ".join(c.get("name") or "(sans nom)" for c in value if isinstance(c, dict))
    if name == "solutions" and isinstance(value, list):
        return ", ".join(s.get("title") or "?" for s in value if isinstance(s, dict))
    if name == "consent" and isinstance(value, dict):
        given = value.get("given") is True
        return (
            f"donné le {value.get('date')}"
            if given and value.get("date")
            else ("donné" if given else "non donné")
        )
    if isinstance(value, list | dict):
        return f"{len(value)} élément(s)"
    return str(value)


def counted(count: int | str, singular: str, plural: str = "") -> str:
    """« 1 entreprise », « 0 nouvelle », « 5 entreprises »: a count and its noun, which
    French puts in the singular for 0 and 1 (`plural`: when it is not the singular + s)."""
    number = int(str(count).replace(" ", "") or 0)
    return f"{count} {singular if number <= 1 else plural or singular + 's'}"
