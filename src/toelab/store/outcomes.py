"""Keeping what was measured: a task's outcome as a stored session, trial and figures.

The CLI, batch and the web app share these few functions over :class:`~toelab.store.Store`;
which figures a task keeps, and which parameters, its :class:`~toelab.tasks.Task` says.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from toelab.recording import Recording
from toelab.store.records import ExerciseLogEntry, Person, SessionHistory, SessionInfo, Trial
from toelab.store.repository import Store
from toelab.tasks import TASKS, ResultFigure, TaskOutcome, figures_of
from toelab.vocabulary import trial_side


def figures_from_outcome(outcome: TaskOutcome) -> list[ResultFigure]:
    """The figures of a task's outcome under the names progress tracking and red flags read."""
    return figures_of(TASKS[outcome.task], outcome)


def trial_parameters(
    outcome: TaskOutcome, *, source: str | None = None, condition: str | None = None
) -> dict[str, Any]:
    """What a stored trial keeps besides its figures: enough to analyse its tracks again."""
    parameters: dict[str, Any] = {}
    if source:
        parameters["source"] = source
    if condition:
        parameters["condition"] = condition
    task = TASKS[outcome.task]
    parameters.update(task.trial_parameters(outcome))
    withheld = task.withheld_figures(outcome)
    if withheld:  # foot → why and how to redo; older trials have no such key
        parameters["not_measured"] = withheld
    if parts := task.withheld_parts(outcome):  # figure → foot → why and how to redo
        parameters["not_measured_figures"] = parts
    return parameters


def add_outcome_trial(
    store: Store,
    session: int | SessionInfo,
    outcome: TaskOutcome,
    recording: Recording | None,
    *,
    parameters: Mapping[str, Any] | None = None,
) -> Trial:
    """Add a task's outcome to a session as one trial, with its tracks and figures."""
    task = TASKS[outcome.task]
    kept = dict(parameters or {})
    if "not_measured" not in kept and (withheld := task.withheld_figures(outcome)):
        kept["not_measured"] = withheld
    if "not_measured_figures" not in kept and (parts := task.withheld_parts(outcome)):
        kept["not_measured_figures"] = parts
    return store.sessions.add_trial(
        session,
        outcome.task,
        trial_side(outcome.by_foot),
        toes=task.stored_toes(outcome.options) if outcome.options is not None else (),
        parameters=kept,
        recording=recording,
        results=figures_from_outcome(outcome),
    )


def store_outcome(
    store: Store,
    person: int | str | Person,
    outcome: TaskOutcome,
    recording: Recording | None,
    *,
    parameters: Mapping[str, Any] | None = None,
    kind: str = "assessment",
    device: str | None = None,
    started_at: datetime | None = None,
) -> SessionHistory:
    """Keep one measurement: a session with one trial holding the tracks and the figures."""
    fps = None if recording is None else recording.meta.fps
    session = store.sessions.start(person, kind, device=device, fps=fps, started_at=started_at)
    trial = add_outcome_trial(store, session, outcome, recording, parameters=parameters)
    finished = store.sessions.finish(session, ended_at=started_at or datetime.now(UTC))
    return SessionHistory(finished, (trial,))


def store_analysis(
    store: Store, person: int | str | Person, outcome: TaskOutcome, recording: Recording, *, input_path: Path
) -> SessionHistory:
    """Keep what ``toelab analyze`` measured on a file, with what its analysis needs again."""
    parameters = trial_parameters(outcome, source=input_path.name)
    parameters["reader"] = recording.meta.source
    return store_outcome(store, person, outcome, recording, parameters=parameters)


def log_exercise(
    store: Store,
    person: int | str | Person,
    exercise_id: str,
    day: date,
    *,
    reps: int | None = None,
    holds: int | None = None,
    minutes: float | None = None,
    pain: int | None = None,
    comment: str = "",
) -> tuple[ExerciseLogEntry, bool]:
    """Log an exercise done by hand; it also counts as done in the person's plan when the plan has it.

    Returns the log entry and whether the plan was marked.
    """
    entry = store.exercise_log.log(
        person, day, exercise_id, reps=reps, holds=holds, minutes=minutes, pain=pain, comment=comment
    )
    plan = store.plans.current(person, day)
    if plan is None or exercise_id not in plan.plan.exercise_ids:
        return entry, False
    store.plans.mark_done(plan, day, exercise_id)
    return entry, True


__all__ = [
    "add_outcome_trial",
    "figures_from_outcome",
    "log_exercise",
    "store_analysis",
    "store_outcome",
    "trial_parameters",
]
