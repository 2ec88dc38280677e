"""Reading a lesson while Play steps it: under the lesson's lock.

The page draws in the thread of the browser's message while Play steps the lesson in a thread
of its own; without the lock a drawing could read a world in mid-month (the map once met an
agent added under it and the page showed an error instead of itself).
"""

from __future__ import annotations

import contextlib
from typing import Any


def reading(lesson: Any) -> contextlib.AbstractContextManager:
    """Hold ``lesson``'s lock while the page reads it (nothing for objects without one)."""
    lock = getattr(lesson, "lock", None)
    return lock if lock is not None else contextlib.nullcontext()
