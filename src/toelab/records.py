"""Between measuring and remembering: a task's outcome as stored figures, a person's overview.

The CLI and the web app share these few functions over :mod:`toelab.store`:

* :func:`figures_from_outcome` names a :class:`~toelab.pipeline.TaskOutcome`'s figures the way
  progress tracking and red flags expect them (``toe_control_score_pct``, per-toe
  ``individuation_index``, ``big_toe_extension_deg``, ``tremor_frequency_hz``,
  ``tremor_amplitude``, ``mean_asynchrony_ms``, ``sd_asynchrony_ms`` …);
* :func:`store_outcome` keeps one measurement as a session with one trial, its tracks and figures;
* :func:`person_overview` gathers everything a history or a report shows: sessions, trends,
  plateaus, adherence, the exercise log and the red flags.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from toelab.analysis.progress import (
    Measurement,
    Plateau,
    ProgressSummary,
    detect_plateau,
    summarize_progress,
)
from toelab.errors import ToelabError
from toelab.pipeline import BeatSource, TaskOutcome, beat_times
from toelab.protocols.plan import WeeklyAdherence
from toelab.protocols.red_flags import RaisedFlag, RestTremorReading, flags_from_measurements
from toelab.recording import Recording
from toelab.store import (
    ExerciseLogEntry,
    Person,
    ResultFigure,
    SessionHistory,
    SessionInfo,
    Store,
    StoredPlan,
    Trial,
)

# What the training programme sets out to improve, per foot: a plateau in these after 6–8
# weeks of consistent practice means the programme needs a review. Tremor figures are watched
# for red flags instead (a foot without tremor has nothing to improve), and single toes through
# the toe control score (a toe that already moves alone cannot improve by much).
TRAINED_FIGURES = ("toe_control_score_pct", "big_toe_extension_deg", "sd_asynchrony_ms")

SIDES = ("left", "right", "both")


def _side(foot: str | None) -> str | None:
    return foot if foot in SIDES else None


def _isolation_figures(result: Any, foot: str | None) -> list[ResultFigure]:
    figures = []
    if result.toe_control_score is not None:
        figures.append(ResultFigure("toe_control_score_pct", float(result.toe_control_score), "%", foot))
    figures.extend(
        ResultFigure("individuation_index", float(toe.individuation_index), "", foot, toe.toe)
        for toe in result.toes
        if toe.individuation_index is not None
    )
    return figures


def _rom_figures(result: Any, foot: str | None) -> list[ResultFigure]:
    if result.max_extension_deg is None:
        return []
    return [ResultFigure("big_toe_extension_deg", float(result.max_extension_deg), "deg", foot)]


def _tremor_figures(result: Any, foot: str | None) -> list[ResultFigure]:
    figures = [ResultFigure("tremor_amplitude", float(result.amplitude), result.amplitude_unit, foot)]
    if result.dominant_frequency_hz is not None:
        figures.append(ResultFigure("tremor_frequency_hz", float(result.dominant_frequency_hz), "Hz", foot))
    if result.tremor_stability_index is not None:
        figures.append(
            ResultFigure("tremor_stability_index_hz", float(result.tremor_stability_index), "Hz", foot)
        )
    return figures


def _rhythm_figures(result: Any, foot: str | None) -> list[ResultFigure]:
    named = (
        ("mean_asynchrony_ms", result.mean_asynchrony_ms, "ms"),
        ("sd_asynchrony_ms", result.sd_asynchrony_ms, "ms"),
        ("circular_r", result.circular_r, ""),
        ("hit_rate_pct", None if result.hit_rate is None else 100.0 * result.hit_rate, "%"),
    )
    return [ResultFigure(name, float(value), unit, foot) for name, value, unit in named if value is not None]


_FIGURES = {
    "isolation": _isolation_figures,
    "rom": _rom_figures,
    "tremor": _tremor_figures,
    "rhythm": _rhythm_figures,
}


def figures_from_outcome(outcome: TaskOutcome) -> list[ResultFigure]:
    """The figures of a task's outcome under the names progress tracking and red flags read."""
    figures = []
    for foot, result in outcome.by_foot.items():
        figures.extend(_FIGURES[outcome.task](result, _side(foot)))
    return figures


def _trial_foot(outcome: TaskOutcome) -> str | None:
    feet = {foot for foot in outcome.by_foot if foot in SIDES}
    if len(feet) > 1:
        return "both"
    return next(iter(feet), None)


def trial_parameters(
    outcome: TaskOutcome,
    *,
    source: str | None = None,
    condition: str | None = None,
    beat_times_s: Sequence[float] | None = None,
    event: str | None = None,
) -> dict[str, Any]:
    """What a stored trial keeps besides its figures: enough to analyse its tracks again."""
    parameters: dict[str, Any] = {}
    if source:
        parameters["source"] = source
    if condition:
        parameters["condition"] = condition
    if outcome.task == "tremor":
        result = next(iter(outcome.by_foot.values()))
        parameters["classification"] = result.classification
    if beat_times_s is not None:
        parameters["beat_times_s"] = [round(float(t), 6) for t in beat_times_s]
    if event is not None:
        parameters["event"] = event
    return parameters


def add_outcome_trial(
    store: Store,
    session: int | SessionInfo,
    outcome: TaskOutcome,
    recording: Recording | None,
    *,
    toes: Sequence[int] = (),
    parameters: Mapping[str, Any] | None = None,
) -> Trial:
    """Add a task's outcome to a session as one trial, with its tracks and figures."""
    return store.add_trial(
        session,
        outcome.task,
        _trial_foot(outcome),
        toes=(1, 2, 3, 4, 5) if outcome.task == "isolation" else toes,
        parameters=parameters or {},
        recording=recording,
        results=figures_from_outcome(outcome),
    )


def store_outcome(
    store: Store,
    person: int | str | Person,
    outcome: TaskOutcome,
    recording: Recording | None,
    *,
    toes: Sequence[int] = (),
    parameters: Mapping[str, Any] | None = None,
    kind: str = "assessment",
    device: str | None = None,
    started_at: datetime | None = None,
) -> SessionHistory:
    """Keep one measurement: a session with one trial holding the tracks and the figures."""
    fps = None if recording is None else recording.meta.fps
    session = store.start_session(person, kind, device=device, fps=fps, started_at=started_at)
    trial = add_outcome_trial(store, session, outcome, recording, toes=toes, parameters=parameters)
    finished = store.finish_session(session, ended_at=started_at or datetime.now(UTC))
    return SessionHistory(finished, (trial,))


def store_analysis(
    store: Store,
    person: int | str | Person,
    outcome: TaskOutcome,
    recording: Recording,
    *,
    input_path: Path,
    beats: BeatSource | None = None,
    toes: Sequence[int] = (1,),
    event: str = "peak",
    time_unit: str = "s",
) -> SessionHistory:
    """Keep what ``toelab analyze`` measured on a file; a rhythm trial keeps its beat times too."""
    times = None
    if outcome.task == "rhythm":
        times, _, _ = beat_times(recording, beats or BeatSource(), input_path=input_path, time_unit=time_unit)
    parameters = trial_parameters(
        outcome,
        source=input_path.name,
        beat_times_s=times,
        event=event if outcome.task == "rhythm" else None,
    )
    parameters["reader"] = recording.meta.source
    return store_outcome(
        store,
        person,
        outcome,
        recording,
        toes=toes if outcome.task == "rhythm" else (),
        parameters=parameters,
    )


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
    entry = store.log_exercise(
        person, day, exercise_id, reps=reps, holds=holds, minutes=minutes, pain=pain, comment=comment
    )
    plan = store.current_plan(person, day)
    if plan is None or exercise_id not in plan.plan.exercise_ids:
        return entry, False
    store.mark_done(plan, day, exercise_id)
    return entry, True


@dataclass(frozen=True)
class PersonOverview:
    """Everything a history or a report shows about a person, as of ``today``."""

    person: Person
    today: date
    sessions: tuple[SessionHistory, ...]
    measurements: tuple[Measurement, ...]
    progress: ProgressSummary  # trends, changes from baseline, left/right asymmetries
    plateaus: tuple[Plateau, ...]  # of the trained figures, judged against the plan's adherence
    flags: tuple[RaisedFlag, ...]  # from the latest questionnaire and from the measurements
    plan: StoredPlan | None
    adherence: tuple[WeeklyAdherence, ...]
    exercise_log: tuple[ExerciseLogEntry, ...]

    def session(self, session_id: int) -> SessionHistory:
        for history in self.sessions:
            if history.session.id == session_id:
                return history
        raise ToelabError(
            f"{self.person.display_name} has no session {session_id}",
            hint="`toelab history` lists the sessions",
        )


def measurements_of(sessions: Sequence[SessionHistory]) -> list[Measurement]:
    """Every figure of the sessions as a dated Measurement (the session's UTC start date)."""
    return [
        Measurement(h.session.started_at.date(), r.name, r.value, r.foot, r.toe)
        for h in sessions
        for t in h.trials
        for r in t.results
    ]


def rest_tremor_readings(sessions: Sequence[SessionHistory]) -> list[RestTremorReading]:
    """The tremor trials recorded with the foot at rest."""
    readings = []
    for history in sessions:
        for trial in history.trials:
            if trial.task != "tremor" or trial.parameters.get("condition") != "rest":
                continue
            frequency = trial.figure("tremor_frequency_hz")
            readings.append(
                RestTremorReading(
                    history.session.started_at.date(),
                    trial.foot,
                    trial.parameters.get("classification") == "rhythmic" and frequency is not None,
                    frequency or 0.0,
                )
            )
    return readings


def _plateaus(measurements: Sequence[Measurement], adherence: Mapping[date, float]) -> list[Plateau]:
    keys = sorted(
        {(m.metric, m.foot) for m in measurements if m.metric in TRAINED_FIGURES and m.toe is None},
        key=lambda k: (k[0], k[1] or ""),
    )
    return [p for metric, foot in keys if (p := detect_plateau(measurements, metric, adherence, foot))]


def person_overview(store: Store, person: int | str | Person, today: date | None = None) -> PersonOverview:
    """A person's sessions, progress, plateaus, plan adherence, exercise log and red flags."""
    found = store.get_person(person.id if isinstance(person, Person) else person)
    today = today or date.today()
    sessions = tuple(store.history(found.id))
    measurements = measurements_of(sessions)
    plan = store.current_plan(found.id, today)
    adherence = store.adherence(plan, until=today) if plan is not None else ()
    weekly = {week.week_start: week.fraction for week in adherence if week.target}
    plateaus = _plateaus(measurements, weekly)
    flags = store.red_flags(found.id) + flags_from_measurements(
        measurements, rest_tremor_readings(sessions), plateaus
    )
    return PersonOverview(
        found,
        today,
        sessions,
        tuple(measurements),
        summarize_progress(measurements),
        tuple(plateaus),
        flags,
        plan,
        adherence,
        tuple(store.exercise_log(found.id)),
    )
