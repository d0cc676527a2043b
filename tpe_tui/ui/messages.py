"""What a screen asks of the app: where to go next. Screens post these; the app navigates.

A screen never calls the app's navigation methods itself: it says what the person chose,
and the app (which owns the screen stack and the data file) decides how to show it.
"""

from __future__ import annotations

from typing import Any

from textual.message import Message


class Navigation(Message):
    """Asks to open something; `origin` is the screen that posted it (`TpeScreen`)."""

    def __init__(self) -> None:
        super().__init__()
        self.origin: Any = None


class OpenSession(Navigation):
    """Show a session in progress, or start a new one (for a business, if given)."""

    def __init__(
        self, session_id: str | None, client_id: str | None = None, *, instead: bool = False
    ) -> None:
        super().__init__()
        self.session_id = session_id
        self.client_id = client_id
        # Shown in place of the screen asking (the summary's « e Modifier »), once read:
        # nothing else is shown on the way.
        self.instead = instead


class _AboutSession(Navigation):
    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id


class OpenSessionOrPreview(_AboutSession):
    """A closed session opens on its summary, one in progress where it was left."""


class OpenPreview(_AboutSession):
    """Show the summary of a session."""


class OpenFollowupSession(Navigation):
    """Show the session a follow-up came from."""

    def __init__(self, followup_id: str) -> None:
        super().__init__()
        self.followup_id = followup_id


class OpenClientFile(Navigation):
    """Show a business's file."""

    def __init__(self, client_id: str) -> None:
        super().__init__()
        self.client_id = client_id


class OpenProgramme(Navigation):
    """Show a workshop or an aid (`table`), or the business an action belongs to."""

    def __init__(self, table: str, record_id: str) -> None:
        super().__init__()
        self.table = table
        self.record_id = record_id


class SessionClosed(_AboutSession):
    """A session was just closed: its summary comes next."""


class HomeOutdated(Message):
    """What the home shows may have changed: computed again if a write or the day changed
    since it was (the app keeps the data stamp it was computed under)."""


class HomeListsDrawn(Message):
    """The home's lists are on screen: the data file may be read now."""
