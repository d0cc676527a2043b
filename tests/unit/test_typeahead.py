"""Keys typed ahead wait for the key before them (ui/typeahead.py)."""

from __future__ import annotations

from typing import Any

from textual import events

from tpe_tui.ui.typeahead import TypeAhead


class Loop:
    """What the app lends: a queue keys are posted back to, and timers run by hand."""

    def __init__(self) -> None:
        self.posted: list[events.Key] = []
        self.timers: list[Any] = []

    def later(self, _delay: float, callback: Any) -> None:
        self.timers.append(callback)

    def tick(self) -> None:
        timers, self.timers = self.timers, []
        for callback in timers:
            callback()


def _key(name: str) -> events.Key:
    return events.Key(name, name)


def test_keys_wait_in_order_for_the_key_on_its_way() -> None:
    loop = Loop()
    ahead = TypeAhead(loop.posted.append, loop.later)
    u, escape, a = _key("u"), _key("escape"), _key("a")
    assert ahead.admit(u)
    u._set_forwarded()
    ahead.dispatched(u)  # forwarded to a widget: still on its way
    assert not ahead.admit(escape) and not ahead.admit(a)
    loop.tick()
    assert loop.posted == []  # nothing let through while « u » has not come back
    ahead.came_back(u)  # its binding ran (the directory is open)
    assert loop.posted == [escape]
    assert ahead.admit(escape)  # posted back: its turn
    escape._set_forwarded()
    ahead.dispatched(escape)
    escape.stop()  # kept by a widget: done without coming back
    loop.tick()
    assert loop.posted == [escape, a]


def test_a_priority_binding_is_done_at_once_and_nothing_waits_when_typing_slowly() -> None:
    loop = Loop()
    ahead = TypeAhead(loop.posted.append, loop.later)
    quit_key, letter = _key("ctrl+q"), _key("x")
    assert ahead.admit(quit_key)
    ahead.dispatched(quit_key)  # not forwarded: the app ran it
    assert ahead.admit(letter)
    assert loop.posted == [] and loop.timers == []


def _clocked(monkeypatch) -> tuple[Loop, TypeAhead, list[float]]:
    """A type-ahead whose clock is `now[0]`, moved by hand."""
    loop = Loop()
    now = [100.0]
    monkeypatch.setattr("tpe_tui.ui.typeahead.time.monotonic", lambda: now[0])
    return loop, TypeAhead(loop.posted.append, loop.later), now


def test_a_key_that_never_comes_back_is_let_go(monkeypatch) -> None:
    loop, ahead, now = _clocked(monkeypatch)
    lost, next_key = _key("u"), _key("a")
    assert ahead.admit(lost)
    lost._set_forwarded()
    assert not ahead.admit(next_key)
    loop.tick()
    assert loop.posted == []
    now[0] += 3.0  # its widget went away: it will not come back
    loop.tick()
    assert loop.posted == [next_key]


def test_a_key_stopped_by_its_screen_on_its_way_back_is_waited_for(monkeypatch) -> None:
    """A screen stops the key the app sent it and hands it back to the app: stopped, it
    is not kept by a field; the next key waits for its bindings, however long they take
    to come (a « g » went to the button before « / » had moved the focus)."""
    loop, ahead, now = _clocked(monkeypatch)
    slash, g = _key("slash"), _key("g")
    assert ahead.admit(slash)
    slash._set_forwarded()
    ahead.dispatched(slash)
    assert not ahead.admit(g)
    slash.stop()  # by the home screen, as it bubbles out of it
    ahead.coming_back(slash)  # into the app's queue
    now[0] += 10.0  # a very busy machine
    loop.tick()
    assert loop.posted == []
    ahead.came_back(slash)  # its binding ran: the focus is going to the search box
    assert loop.posted == [g]


def test_a_paste_waits_its_turn_and_is_not_waited_for() -> None:
    loop = Loop()
    ahead = TypeAhead(loop.posted.append, loop.later)
    tab, paste, letter = _key("tab"), events.Paste("garagiste"), _key("x")
    assert ahead.admit(tab)
    tab._set_forwarded()
    ahead.dispatched(tab)
    assert not ahead.admit(paste) and not ahead.admit(letter)
    ahead.came_back(tab)  # the focus moved on: the paste goes, and the key right behind it
    assert loop.posted == [paste, letter]
    assert ahead.admit(paste) and ahead.admit(letter)
    assert not ahead.admit(_key("y"))  # « x » is the key on its way now


def test_a_screens_hold_keeps_the_keys_until_released_or_for_a_few_seconds(monkeypatch) -> None:
    """NEW5-11: the conflicts screen holds the keys while a choice is written, until the
    next conflict is shown; a hold never released (a failed write) is let go in time."""
    loop, ahead, now = _clocked(monkeypatch)
    one, two, three = _key("1"), _key("2"), _key("3")
    assert ahead.admit(one)
    release = ahead.hold()  # its binding asked for a write
    ahead.dispatched(one)  # done (not forwarded)
    assert not ahead.admit(two)
    loop.tick()
    assert loop.posted == []  # held while the write is on its way
    release()
    assert loop.posted == [two]
    assert ahead.admit(two)
    ahead.dispatched(two)
    release()  # a second call lets nothing else go: that hold is over
    ahead.hold()  # never released
    assert not ahead.admit(three)
    now[0] += 4.0
    loop.tick()
    assert loop.posted == [two]
    now[0] += 2.0  # past HELD_AT_MOST
    loop.tick()
    assert loop.posted == [two, three]
