"""The one write path: every write runs off the UI thread, one at a time, in the order asked.

Typing asks to save "session X" many times; only the latest snapshot of a key matters, and
an older one must never land after a newer one: a write still waiting is replaced by a newer
one of the same key (which takes its place at the end of the line, as it was asked last).
Writes without a key (a deletion, a merge, an import) are never coalesced. Each write
carries an opaque `reply` the app uses to hand the result to whoever asked.

`SavePacing` decides when typing is saved: after a short quiet time, but never later than
a maximum wait after the first unsaved change, so steady typing is saved every few seconds.

No Textual here: the app gives callbacks that post back to the UI thread.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Job = Callable[[], Any]


@dataclass(frozen=True)
class Write:
    key: str
    run: Job
    reply: Any = None  # for the app: who asked and what to do with the result


class SaveQueue:
    def __init__(
        self,
        on_done: Callable[[Write, Any], None] | None = None,
        on_error: Callable[[Write, Exception], None] | None = None,
    ) -> None:
        self._on_done = on_done
        self._on_error = on_error
        self._writes: OrderedDict[str, Write] = OrderedDict()
        self._once = itertools.count()
        self._cond = threading.Condition()
        self._busy = False
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="tpe-tui-saves", daemon=True)
        self._thread.start()

    def submit(self, key: str | None, job: Job, reply: Any = None) -> None:
        """Queue `job` after everything asked before it. A job of the same `key` still
        waiting is dropped (coalesced); `key=None` is never coalesced."""
        with self._cond:
            if self._closed:
                raise RuntimeError("save queue closed")
            if key is None:
                key = f"once:{next(self._once)}"
            self._writes.pop(key, None)
            self._writes[key] = Write(key, job, reply)
            self._cond.notify_all()

    def pending(self) -> int:
        """Writes asked and not finished yet (the one running included)."""
        with self._cond:
            return len(self._writes) + self._busy

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every queued job has run; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._writes and not self._busy, timeout)

    def close(self, timeout: float | None = 30) -> bool:
        done = self.flush(timeout)
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join(timeout)
        return done

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._writes or self._closed)
                if not self._writes:
                    return
                _, write = self._writes.popitem(last=False)
                self._busy = True
            try:
                result = write.run()
            except Exception as exc:  # reported to the person by the app, never raised here
                if self._on_error:
                    self._on_error(write, exc)
            else:
                if self._on_done:
                    self._on_done(write, result)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()


@dataclass
class SavePacing:
    """When to save what is being typed: `quiet` seconds after the last change, but at most
    `longest` seconds after the first change not saved yet (typing without a pause would
    otherwise never be saved)."""

    quiet: float = 0.6
    longest: float = 2.0
    _since: float | None = None

    def delay(self, now: float) -> float:
        """A change happened at `now`: seconds from now until the save is due."""
        if self._since is None:
            self._since = now
        return max(0.0, min(self.quiet, self._since + self.longest - now))

    def saved(self) -> None:
        """Everything changed so far is queued: the next change starts a new wait."""
        self._since = None
