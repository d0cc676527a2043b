"""Saves run off the UI thread, one at a time, in the order asked, bursts coalesced.

A screen asks to save "session X" many times while the mediator types; only the latest
snapshot of each key matters, and an older one must never land after a newer one. One
worker thread takes jobs in order and drops a queued job when a newer one of the same key
arrives. No Textual here: the app gives callbacks that post back to the UI thread.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

Job = Callable[[], Any]


class SaveQueue:
    def __init__(
        self,
        on_done: Callable[[str, Any], None] | None = None,
        on_error: Callable[[str, Exception], None] | None = None,
    ) -> None:
        self._on_done = on_done
        self._on_error = on_error
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._cond = threading.Condition()
        self._busy = False
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="tpe-tui-saves", daemon=True)
        self._thread.start()

    def submit(self, key: str, job: Job) -> None:
        """Queue `job`; a job of the same key still waiting is replaced (coalesced)."""
        with self._cond:
            if self._closed:
                raise RuntimeError("save queue closed")
            self._jobs.pop(key, None)
            self._jobs[key] = job
            self._cond.notify_all()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every queued job has run; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._jobs and not self._busy, timeout)

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
                self._cond.wait_for(lambda: self._jobs or self._closed)
                if not self._jobs:
                    return
                key, job = self._jobs.popitem(last=False)
                self._busy = True
            try:
                result = job()
            except Exception as exc:  # reported to the person by the app, never raised here
                if self._on_error:
                    self._on_error(key, exc)
            else:
                if self._on_done:
                    self._on_done(key, result)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
