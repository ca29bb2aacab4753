"""What the store hands back: plain frozen records, safe to keep after the database is closed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from toelab.protocols.context import TremorContext, TremorPoint
from toelab.protocols.plan import Plan
from toelab.tasks.base import ResultFigure, figure_withheld


@dataclass(frozen=True)
class Person:
    id: int
    display_name: str
    birth_year: int | None
    dominant_foot: str | None
    diabetes: bool
    notes: str
    created_at: datetime


@dataclass(frozen=True)
class SessionInfo:
    id: int
    person_id: int
    kind: str  # assessment or training
    started_at: datetime
    ended_at: datetime | None
    device: str | None
    fps: float | None
    notes: str
    status: str  # in_progress, complete or interrupted
    context: TremorContext | None = None  # the tremor test's context, when one was given


@dataclass(frozen=True)
class Trial:
    id: int
    session_id: int
    task: str
    foot: str | None
    toes: tuple[int, ...]
    parameters: dict[str, Any]
    tracks_sha256: str | None
    tracks_path: str | None  # relative to the data folder
    created_at: datetime
    results: tuple[ResultFigure, ...]

    def figure(self, name: str, foot: str | None = None, toe: int | None = None) -> float | None:
        """The value of a named figure (for a foot and toe when given), or None."""
        for r in self.results:
            if r.name == name and (foot is None or r.foot == foot) and (toe is None or r.toe == toe):
                return r.value
        return None


@dataclass(frozen=True)
class SessionHistory:
    session: SessionInfo
    trials: tuple[Trial, ...]

    @property
    def figures(self) -> tuple[ResultFigure, ...]:
        return tuple(r for t in self.trials for r in t.results)


@dataclass(frozen=True)
class ExerciseLogEntry:
    id: int
    person_id: int
    day: date
    exercise_id: str
    reps: int | None
    holds: int | None
    minutes: float | None
    pain: int | None  # 0 (none) .. 10 (worst imaginable)
    comment: str


@dataclass(frozen=True)
class RedFlagAnswer:
    id: int
    person_id: int
    day: date
    question_id: str
    answer: bool
    note: str


@dataclass(frozen=True)
class StoredPlan:
    id: int
    person_id: int
    plan: Plan
    created_at: datetime


def tremor_points_of(sessions: Sequence[SessionHistory]) -> list[TremorPoint]:
    """Every trial's tremor figures, per foot, with its session's context, oldest first."""
    points = []
    for history in sessions:
        for trial in history.trials:
            condition = trial.parameters.get("condition")
            classification = trial.parameters.get("classification")
            sizes = {r.foot: r for r in trial.results if r.name == "tremor_amplitude"}
            # a rhythm whose size was too small to give keeps its point, with no size
            withheld = figure_withheld(trial.parameters, "tremor_amplitude")
            for foot in dict.fromkeys([*sizes, *withheld]):
                size = sizes.get(foot)
                points.append(
                    TremorPoint(
                        history.session.started_at,
                        foot,
                        condition if isinstance(condition, str) else None,
                        None if size is None else size.value,
                        "px" if size is None else size.unit,  # only a size on the picture is withheld
                        trial.figure("tremor_frequency_hz", foot=foot),
                        classification if isinstance(classification, str) else None,
                        history.session.context,
                        withheld.get(foot),
                    )
                )
    return points
