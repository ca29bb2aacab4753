"""The checks more than one part of the store makes on what it is given: a foot, toe numbers,
a time that says its time zone."""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from datetime import datetime

from toelab.errors import ToelabError
from toelab.store.models import FEET, utc_now


def check_foot(foot: str | None, allowed: Sequence[str] = FEET) -> None:
    if foot is not None and foot not in allowed:
        raise ToelabError(f"foot must be one of {', '.join(allowed)}, not {foot!r}")


def check_toes(toes: Iterable[int]) -> tuple[int, ...]:
    toes = tuple(toes)
    if any(not isinstance(t, numbers.Integral) or not 1 <= t <= 5 for t in toes):
        raise ToelabError(f"toes are numbered 1 (big toe) to 5, got {list(toes)}")
    return tuple(int(t) for t in toes)


def aware(moment: datetime | None) -> datetime:
    """``moment`` (default: now), which must say its time zone."""
    if moment is None:
        return utc_now()
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ToelabError(f"time {moment.isoformat()} has no time zone", hint="give times with a UTC offset")
    return moment
