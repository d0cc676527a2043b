"""Saves off the UI thread: in order, coalesced, errors reported."""

from __future__ import annotations

import threading

from tpe_tui.ui.save_queue import SaveQueue


def test_jobs_run_in_order_and_a_burst_keeps_only_the_latest_snapshot() -> None:
    ran: list[str] = []
    gate = threading.Event()
    queue = SaveQueue()
    queue.submit("first", lambda: (gate.wait(5), ran.append("first")))
    for value in range(50):
        queue.submit("session", lambda value=value: ran.append(f"session={value}"))
    queue.submit("client", lambda: ran.append("client"))
    gate.set()
    assert queue.flush(5)
    assert ran == ["first", "session=49", "client"]
    queue.close()


def test_errors_go_to_the_callback_and_later_jobs_still_run() -> None:
    errors: list[tuple[str, str]] = []
    done: list[str] = []
    queue = SaveQueue(
        on_done=lambda write, _: done.append(write.key),
        on_error=lambda write, exc: errors.append((write.key, str(exc))),
    )
    queue.submit("broken", lambda: 1 / 0)
    queue.submit("fine", lambda: None)
    assert queue.flush(5)
    assert errors == [("broken", "division by zero")] and done == ["fine"]
    assert queue.close()
