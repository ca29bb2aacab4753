"""When to propose the next level of an exercise: the dose met reliably for two weeks.

Each logged set (a camera-judged run counts its clean reps; an exercise logged by hand its
reps or minutes) meets the dose when it reaches the exercise's reps, or its minutes for an
exercise dosed in time. The next level is proposed when, over the last ``WINDOW_DAYS`` days at
the current level,

* the level was taken up at least ``WINDOW_DAYS`` days ago, and the person practised it in
  both weeks of the window, with at least ``MIN_SETS`` sets, and
* at least ``MET_SHARE`` (80 %) of those sets met the dose.

80 % is the same mark toelab uses for consistent practice; two weeks follows the
programme's "move on when … for a week" criteria (seeds 000–002) with a week's margin, so
one good day does not move anyone on. Sets without a count cannot be judged and are left
out. The person or their clinician decides: a proposal is only a proposal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from toelab.protocols.exercises import Exercise

WINDOW_DAYS = 14
MIN_SETS = 4
MET_SHARE = 0.8


@dataclass(frozen=True)
class PracticeSet:
    day: date
    exercise_id: str
    reps: int | None  # clean reps for a camera-judged run
    minutes: float | None


@dataclass(frozen=True)
class Readiness:
    exercise_id: str
    level_id: str  # the level practised now
    next_level_id: str | None  # None at the last level
    ready: bool  # propose the next level
    sets: int  # judged sets in the window at this level
    sets_met: int
    reason: str  # in plain words

    @property
    def met_share(self) -> float | None:
        return self.sets_met / self.sets if self.sets else None


def meets_dose(exercise: Exercise, practice: PracticeSet) -> bool | None:
    """Whether a set reached the dose; None when it carries no count to judge by."""
    if exercise.dose.reps is not None and practice.reps is not None:
        return practice.reps >= exercise.dose.reps
    if exercise.dose.minutes is not None and practice.minutes is not None:
        return practice.minutes >= exercise.dose.minutes
    return None


def readiness(
    exercise: Exercise,
    level_id: str | None,
    practice: Sequence[PracticeSet],
    today: date,
    since: date | None = None,
) -> Readiness:
    """Is ``exercise`` (practised at ``level_id``, its first level when None, since ``since``)
    ready for its next level on ``today``?"""
    level = exercise.level(level_id) if level_id is not None else exercise.progression[0]
    following = exercise.next_level(level.id)
    start = today - timedelta(days=WINDOW_DAYS - 1)
    too_new = since is not None and since > start
    if since is not None and since > start:
        start = since
    judged: list[tuple[date, bool]] = []
    for p in practice:
        if p.exercise_id == exercise.id and start <= p.day <= today:
            reached = meets_dose(exercise, p)
            if reached is not None:
                judged.append((p.day, reached))
    met = sum(m for _, m in judged)
    n = len(judged)
    if following is None:
        return Readiness(exercise.id, level.id, None, False, n, met, "this is the last level")
    days = sorted(d for d, _ in judged)
    second_week = today - timedelta(days=WINDOW_DAYS // 2 - 1)
    two_weeks = bool(days) and days[0] < second_week <= days[-1]
    if too_new:
        reason = "this level was taken up less than two weeks ago"
        return Readiness(exercise.id, level.id, following.id, False, n, met, reason)
    if n < MIN_SETS or not two_weeks:
        reason = (
            f"{n} set(s) counted over the last two weeks at this level; "
            f"it takes {MIN_SETS} or more, in both weeks"
        )
        return Readiness(exercise.id, level.id, following.id, False, n, met, reason)
    share = met / n
    reason = f"the dose was met in {met} of {n} sets ({100 * share:.0f} %) over the last two weeks"
    return Readiness(exercise.id, level.id, following.id, share >= MET_SHARE, n, met, reason)
