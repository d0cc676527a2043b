"""The wall clock as records store it."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> str:
    """UTC timestamp, ISO 8601, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
