"""toelab's one vocabulary: feet, sides, views, task names, roles and toe names.

Every layer takes its words from here (the web page gets them from ``/api/vocabulary``), and
:func:`check_option` is the one way a user's choice among them is checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, TypeVar, get_args

from toelab.errors import ToelabError

Foot = Literal["left", "right"]
Side = Literal["left", "right", "both"]  # the foot a trial or figure belongs to
View = Literal["front", "side"]  # front: toes seen from the front or above; side: medial view
TaskName = Literal["tremor", "isolation", "rom", "rhythm"]
TrialKind = Literal["tremor", "isolation", "rom", "rhythm", "exercise"]  # what a stored trial holds
Role = Literal["admin", "clinician", "patient"]
Event = Literal["peak", "onset"]  # which moment of a lift counts as its time
TimeUnit = Literal["s", "ms"]

FEET: tuple[Foot, ...] = get_args(Foot)
SIDES: tuple[Side, ...] = get_args(Side)
VIEWS: tuple[View, ...] = get_args(View)
TASK_NAMES: tuple[TaskName, ...] = get_args(TaskName)
TRIAL_KINDS: tuple[TrialKind, ...] = get_args(TrialKind)
ROLES: tuple[Role, ...] = get_args(Role)
EVENTS: tuple[Event, ...] = get_args(Event)
TIME_UNITS: tuple[TimeUnit, ...] = get_args(TimeUnit)

TOE_NAMES: dict[int, str] = {1: "big toe", 2: "2nd toe", 3: "3rd toe", 4: "4th toe", 5: "little toe"}

T = TypeVar("T", bound=str)


def check_option(value: object, choices: Iterable[T], what: str) -> T:
    """``value`` when it is one of ``choices``; otherwise the one error naming the choices.

    ``what`` names the option as the user wrote it (``--foot``, ``task``).
    """
    allowed = tuple(choices)
    if value not in allowed:
        raise ToelabError(f"{what} {value!r} is not one of {', '.join(allowed)}")
    return value


def trial_side(feet: Iterable[str | None]) -> Side | None:
    """The side a trial covers, from the feet it measured: one foot, ``both``, or None when the
    feet are unknown."""
    found = {foot for foot in feet if foot in FEET}
    if len(found) > 1:
        return "both"
    return next(iter(found), None)


def as_side(foot: str | None) -> Side | None:
    """``foot`` when it names a side, else None (an unlabelled foot)."""
    return foot if foot in SIDES else None


def foot_label(foot: str | None) -> str:
    """``Left foot``, ``Right foot``, ``Both feet``, or empty for an unknown foot."""
    if foot in FEET:
        return f"{str(foot).capitalize()} foot"
    return "Both feet" if foot == "both" else ""


def toe_name(toe: int) -> str:
    """The toe's name in words (``big toe`` … ``little toe``)."""
    return TOE_NAMES.get(toe, str(toe))
