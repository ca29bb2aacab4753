"""A person's exercise plan: what is due on a day, and how much of a week's target was done."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from toelab.errors import ToelabError
from toelab.protocols.exercises import Exercise, Frequency, get_exercise


@dataclass(frozen=True)
class Plan:
    exercise_ids: tuple[str, ...]
    start_date: date

    def __post_init__(self) -> None:
        if not self.exercise_ids:
            raise ToelabError("a plan needs at least one exercise")
        if len(set(self.exercise_ids)) != len(self.exercise_ids):
            raise ToelabError("a plan lists the same exercise twice")
        for exercise_id in self.exercise_ids:
            get_exercise(exercise_id)

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        return tuple(get_exercise(exercise_id) for exercise_id in self.exercise_ids)


@dataclass(frozen=True)
class PlanItem:
    """How many times an exercise was done on a day; 0 means marked as missed."""

    day: date
    exercise_id: str
    times_done: int


@dataclass(frozen=True)
class ExerciseAdherence:
    exercise_id: str
    target: int  # sessions the frequency asks for in the days of the week the plan ran
    done: int  # sessions done, counting at most the sessions a day asks for


@dataclass(frozen=True)
class WeeklyAdherence:
    week_start: date
    days_in_plan: int
    exercises: tuple[ExerciseAdherence, ...]

    @property
    def target(self) -> int:
        return sum(e.target for e in self.exercises)

    @property
    def done(self) -> int:
        return sum(e.done for e in self.exercises)

    @property
    def fraction(self) -> float:
        """Share of the week's target that was done (0..1); NaN for a week outside the plan."""
        return min(self.done, self.target) / self.target if self.target else float("nan")


def practice_day(frequency: Frequency, start_date: date, day: date) -> bool:
    """True when ``frequency`` schedules practice on ``day`` of a plan begun on ``start_date``.

    Fewer than seven days a week are spread evenly over each week counted from the start,
    so twice a week falls on days 0 and 4 of each week.
    """
    if day < start_date:
        return False
    if frequency.days_per_week >= 7:
        return True
    offsets = {round(i * 7 / frequency.days_per_week) for i in range(frequency.days_per_week)}
    return (day - start_date).days % 7 in offsets


def todays_exercises(plan: Plan, day: date) -> tuple[Exercise, ...]:
    """The plan's exercises due on ``day``, in the plan's order."""
    return tuple(e for e in plan.exercises if practice_day(e.frequency, plan.start_date, day))


def weekly_adherence(
    plan: Plan, items: Iterable[PlanItem], week_start: date, until: date | None = None
) -> WeeklyAdherence:
    """Adherence for the seven days from ``week_start`` (up to ``until`` when the week is not over).

    The week's target per exercise is its sessions per day × the practice days its frequency
    asks for ("5–7 days a week" counts 5), pro-rated when the plan began during the week or
    the week is not over. Practice counts on any day, at most the sessions a day asks for.
    """
    week = [week_start + timedelta(days=i) for i in range(7)]
    in_plan = [d for d in week if d >= plan.start_date and (until is None or d <= until)]
    done_by_key: dict[tuple[date, str], int] = {}
    for item in items:
        if item.day in in_plan:
            key = (item.day, item.exercise_id)
            done_by_key[key] = done_by_key.get(key, 0) + item.times_done
    rows = []
    for exercise in plan.exercises:
        freq = exercise.frequency
        scheduled = sum(practice_day(freq, plan.start_date, d) for d in in_plan)
        # a partial week asks for its share of the weekly minimum, rounded up
        target_days = min(scheduled, -(-freq.min_days_per_week * len(in_plan) // 7))
        target = target_days * freq.sessions_per_day
        done = sum(min(done_by_key.get((d, exercise.id), 0), freq.sessions_per_day) for d in in_plan)
        rows.append(ExerciseAdherence(exercise.id, target, min(done, target)))
    return WeeklyAdherence(week_start, len(in_plan), tuple(rows))


def adherence_by_week(plan: Plan, items: Sequence[PlanItem], until: date) -> tuple[WeeklyAdherence, ...]:
    """One :class:`WeeklyAdherence` per whole or partial week from the plan's start to ``until``."""
    weeks = []
    week_start = plan.start_date
    while week_start <= until:
        weeks.append(weekly_adherence(plan, items, week_start, until))
        week_start += timedelta(days=7)
    return tuple(weeks)
