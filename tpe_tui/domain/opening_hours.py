"""Opening hours of a place, from the OpenStreetMap syntax of the national open-data standard
(« Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:30-12:00 ») to words a client reads:
« du lundi au vendredi, 9 h – 12 h et 14 h – 17 h ; le samedi, 9 h 30 – 12 h ».

Only the common part of the syntax is read (days, day ranges, times, « off », « PH »);
anything else is returned as it was written rather than guessed. Pure.
"""

from __future__ import annotations

import re

DAYS = {
    "Mo": "lundi",
    "Tu": "mardi",
    "We": "mercredi",
    "Th": "jeudi",
    "Fr": "vendredi",
    "Sa": "samedi",
    "Su": "dimanche",
}
_TIME_RANGE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
_DAY_RANGE = re.compile(r"^(Mo|Tu|We|Th|Fr|Sa|Su)(?:-(Mo|Tu|We|Th|Fr|Sa|Su))?$")


class Unreadable(ValueError):
    """A part of the syntax this module does not read."""


def _hour(hours: str, minutes: str) -> str:
    h = int(hours)
    return f"{h} h" if minutes == "00" else f"{h} h {minutes}"


def _times(text: str) -> str:
    if text == "off":
        return "fermé"
    spans = []
    for span in text.split(","):
        match = _TIME_RANGE.match(span.strip())
        if not match:
            raise Unreadable(span)
        spans.append(f"{_hour(*match.group(1, 2))} – {_hour(*match.group(3, 4))}")
    return " et ".join(spans)


def _days(text: str) -> str:
    parts = []
    for item in text.split(","):
        item = item.strip()
        if item == "PH":
            parts.append("les jours fériés")
            continue
        match = _DAY_RANGE.match(item)
        if not match:
            raise Unreadable(item)
        first, last = match.groups()
        parts.append(f"du {DAYS[first]} au {DAYS[last]}" if last else f"le {DAYS[first]}")
    return " et ".join(parts)


def _rule(rule: str) -> str:
    rule = rule.strip()
    if rule == "24/7":
        return "tous les jours, 24 h sur 24"
    days, _, times = rule.partition(" ")
    if not times:  # times alone apply every day
        if _TIME_RANGE.match(days.split(",")[0]) or days == "off":
            return f"tous les jours, {_times(days)}"
        return f"{_days(days)}, ouvert"
    said_days = _days(days)
    said_times = _times(times.strip())
    return f"{said_days} : fermé" if said_times == "fermé" else f"{said_days}, {said_times}"


def in_french(hours: str) -> str:
    """The hours in French words, or the text unchanged when it is not the syntax read here."""
    text = (hours or "").strip()
    if not text:
        return ""
    try:
        return " ; ".join(_rule(rule) for rule in text.split(";") if rule.strip())
    except Unreadable:
        return text


def readable(hours: str) -> bool:
    """Whether `hours` is in the part of the syntax read here (empty counts as readable)."""
    text = (hours or "").strip()
    try:
        for rule in text.split(";"):
            if rule.strip():
                _rule(rule)
    except Unreadable:
        return False
    return True
