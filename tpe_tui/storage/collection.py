"""Cyclic garbage collection paused while a file's records are built or packed."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic collection meanwhile; reference counting still frees everything.

    Reading or writing a file makes millions of short- or long-lived objects, none of them
    in a cycle, and every collection on the way walks them again: 0.3 s of the 1.1 s that
    writing a merge of two 10k-session files took. Collection is turned back on only if it
    was on (the app itself turns it off while it opens its file)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
