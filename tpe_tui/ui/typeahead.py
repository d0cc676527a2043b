"""Keys typed ahead are handled one after the other, each on the screen it leads to.

Textual forwards a key to the focused widget's queue and checks the screen's bindings
only once the key has bubbled back to the app, against the screen shown *then*. Keys
typed faster than a screen opens (« u Échap a Échap / g i r » at a typist's pace, while
the directory takes a second to build) were each forwarded to the screen shown when
they arrived, but their bindings ran on whatever screen the earlier keys had opened
meanwhile: « i » typed for the home's search marked a follow-up of the agenda
« Injoignable » (acceptance finding NEW4-16).

So a key is let through only once the one before it is done: its bindings have run (it
came back to the app), a widget kept it (stopped it: typed into a field), or it was a
priority binding the app ran at once. Until then the keys are held, in order; a key
that never comes back (its widget went away meanwhile) is let go after `STUCK` seconds.
Nothing is held while keys come no faster than they are handled: typing is not slowed.

A screen stops every key the app sent it (Textual stops a message at its sender) and
still hands it back to the app: a key stopped is kept only if it is not on its way back
(`coming_back`). Taken as kept, « / » let the « g » behind it go to the button still
focused before « / » had moved the focus to the search box, where it was lost.

A screen may also hold the keys while what one key asked is being done (`hold`): the
conflicts screen settles a conflict in a write and shows the next one after it; « 1 1 1 »
typed down the list must each settle the conflict shown by then, not the same one again
(NEW5-11). Held at most `HELD_AT_MOST` seconds, so a write that fails never leaves the
keyboard dead.

A paste is typed text too: it waits its turn behind the keys held before it, then goes on
at once (it goes to the focused field, it does not come back). Let straight through, it
overtook « Garage Dupont » still held and landed in the middle of it (NEW5-8).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from textual import events

Typed = events.Key | events.Paste  # what a person sends, in the order sent
STUCK = 2.0  # s: a key still on its way after this is taken as done (a busy machine
# takes over 0.5 s to carry a key to a screen being built: the next one then overtook it)
POLL = 0.005  # s: how soon a held key looks again whether the one before it is done
HELD_AT_MOST = 5.0  # s: a screen's `hold` not released by then is let go


class TypeAhead:
    """The key on its way and the keys held behind it."""

    def __init__(self, post: Callable[[Typed], object], later: Callable[..., object]):
        self._post = post  # puts a key (or paste) back in the app's queue
        self._later = later  # calls back after a delay (the app's set_timer)
        self._moving: events.Key | None = None
        self._returning: events.Key | None = None  # the key on its way back to the app
        self._since = 0.0
        self._held: deque[Typed] = deque()
        self._released: set[int] = set()  # held keys posted back, on their way to the app
        self._polling = False
        self._hold: object | None = None  # the screen's hold in force (`hold`)
        self._hold_until = 0.0

    def hold(self) -> Callable[[], None]:
        """Keys typed from now on wait until the returned function is called (once what
        the last key asked is shown), or `HELD_AT_MOST` seconds have passed."""
        token = self._hold = object()
        self._hold_until = time.monotonic() + HELD_AT_MOST

        def release() -> None:
            if self._hold is token:
                self._hold = None
                self._next()
                if self._held:
                    self._poll()

        return release

    def admit(self, key: Typed) -> bool:
        """Whether `key` goes on now; if not it is held, and posted again in its turn."""
        if id(key) in self._released:  # its turn came: it is the key on its way already
            self._released.discard(id(key))
            return True
        if self._held or self._busy():
            self.feed([key])
            return False
        if isinstance(key, events.Key):
            self._moving, self._since = key, time.monotonic()
        return True

    def feed(self, keys: list[Typed]) -> None:
        """Keys to handle after those held (one key read as two: Échap then a letter)."""
        self._held.extend(keys)
        self._next()
        if self._held:
            self._poll()

    def dispatched(self, key: events.Key) -> None:
        """The app has dealt with `key`: one not forwarded (a priority binding) is done."""
        if key is self._moving and not key.is_forwarded:
            self._done()

    def coming_back(self, key: events.Key) -> None:
        """`key` bubbled out of its screen into the app's queue: its bindings will run."""
        if key is self._moving:
            self._returning = key

    def came_back(self, key: events.Key) -> None:
        """`key` bubbled back to the app and its bindings ran."""
        if key is self._moving:
            self._done()

    def _busy(self) -> bool:
        if self._hold is not None:
            if time.monotonic() < self._hold_until:
                return True
            self._hold = None
        moving = self._moving
        if moving is None:
            return False
        if moving is self._returning:
            return True  # in the app's queue: it comes back, however busy the machine
        if moving._stop_propagation or time.monotonic() - self._since > STUCK:
            self._moving = None  # a widget kept it (typed into a field), or it is lost
            return False
        return True

    def _done(self) -> None:
        self._moving = None
        self._next()

    def _next(self) -> None:
        while self._held and not self._busy():
            key = self._held.popleft()
            self._released.add(id(key))
            if isinstance(key, events.Key):
                self._moving, self._since = key, time.monotonic()
            self._post(key)  # a paste is not waited for: the next one follows it in the queue

    def _poll(self) -> None:
        if not self._polling:
            self._polling = True
            self._later(POLL, self._tick)

    def _tick(self) -> None:
        self._polling = False
        self._next()
        if self._held:
            self._poll()
