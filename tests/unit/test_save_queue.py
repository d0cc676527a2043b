"""Saves off the UI thread: in order, coalesced, errors reported."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tpe_tui.ui.save_queue import SavePacing, SaveQueue


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


def test_writes_without_a_key_are_never_coalesced_and_replies_come_back() -> None:
    ran: list[str] = []
    replies: list[object] = []
    gate = threading.Event()
    queue = SaveQueue(on_done=lambda write, _: replies.append(write.reply))
    queue.submit("session", lambda: (gate.wait(5), ran.append("save")), reply="typing")
    queue.submit(None, lambda: ran.append("delete 1"), reply="screen A")
    queue.submit(None, lambda: ran.append("delete 2"), reply="screen B")
    assert queue.pending() == 3
    gate.set()
    assert queue.flush(5)
    assert ran == ["save", "delete 1", "delete 2"]
    assert replies == ["typing", "screen A", "screen B"] and queue.pending() == 0
    queue.close()


def test_typing_is_saved_after_a_pause_or_at_the_latest_two_seconds_after_it_began() -> None:
    pacing = SavePacing(quiet=0.6, longest=2.0)
    assert pacing.delay(10.0) == pytest.approx(0.6)  # a first key: save after a pause
    # Steady typing, one key every 0.15 s: the save never waits past 12.0.
    due = [now + pacing.delay(now) for now in (10.15, 10.3, 11.5, 11.7, 11.9, 11.95)]
    assert all(d <= 12.0 + 1e-9 for d in due)
    assert due[-1] == pytest.approx(12.0) and due[0] == pytest.approx(10.75)
    assert pacing.delay(12.5) == 0.0  # late already: at once
    pacing.saved()
    assert pacing.delay(13.0) == pytest.approx(0.6)  # after a save, a new wait begins


@given(st.lists(st.floats(min_value=0.001, max_value=1.0), min_size=1, max_size=80))
def test_no_change_waits_more_than_the_longest_wait_for_its_save(gaps: list[float]) -> None:
    """Whatever the rhythm of typing, the change that started a wait is saved within
    `longest` seconds: each new key can only bring the save closer, never push it past."""
    pacing = SavePacing(quiet=0.6, longest=2.0)
    now, started, due = 0.0, None, None
    for gap in gaps:
        now += gap
        if due is not None and now >= due:  # the timer fired before this key: saved
            pacing.saved()
            started, due = None, None
        started = now if started is None else started
        due = now + pacing.delay(now)
        assert due <= started + 2.0 + 1e-9
