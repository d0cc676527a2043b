"""The wall clock as records store it."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utc_now() -> str:
    """UTC timestamp, ISO 8601, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def local_time(stamp: str | None) -> str:
    """ "à 14:32:05" (or "le 26/11/2026 à 14:32:05") from a stored UTC timestamp."""
    try:
        when = datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).astimezone()
    except ValueError:
        return ""
    day = "" if when.date() == date.today() else f"le {when:%d/%m/%Y} "
    return f"{day}à {when:%H:%M:%S}"
