"""A person's records as a history or a report shows them: sessions, trends, plateaus,
plan adherence, the exercise log, pain and effort check-ins and red flags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from toelab.analysis.pain import PainTrend
from toelab.analysis.progress import (
    Measurement,
    Plateau,
    ProgressSummary,
    detect_plateau,
    summarize_progress,
)
from toelab.errors import ToelabError
from toelab.protocols.plan import WeeklyAdherence
from toelab.protocols.red_flags import RaisedFlag, RestTremorReading, flags_from_measurements
from toelab.store.checkins import CheckIn, checkins, pain_flags, pain_of
from toelab.store.records import ExerciseLogEntry, Person, SessionHistory, StoredPlan
from toelab.store.repository import Store
from toelab.tasks import TASKS

# What the training programme sets out to improve, per foot: a plateau in these after 6–8
# weeks of consistent practice means the programme needs a review. Tremor figures are watched
# for red flags instead (a foot without tremor has nothing to improve), and single toes through
# the toe control score (a toe that already moves alone cannot improve by much).
TRAINED_FIGURES = ("toe_control_score_pct", "big_toe_extension_deg", "sd_asynchrony_ms")


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
    checkins: tuple[CheckIn, ...] = ()  # how each session felt, oldest first
    pain: PainTrend | None = None  # what the check-ins say about pain

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
    """The readings of every trial that tells whether the foot shook at rest."""
    return [
        reading
        for history in sessions
        for trial in history.trials
        if trial.task in TASKS
        and (reading := TASKS[trial.task].rest_tremor_reading(history.session.started_at.date(), trial))
    ]


def _plateaus(measurements: Sequence[Measurement], adherence: Mapping[date, float]) -> list[Plateau]:
    keys = sorted(
        {(m.metric, m.foot) for m in measurements if m.metric in TRAINED_FIGURES and m.toe is None},
        key=lambda k: (k[0], k[1] or ""),
    )
    return [p for metric, foot in keys if (p := detect_plateau(measurements, metric, adherence, foot))]


def person_overview(store: Store, person: int | str | Person, today: date | None = None) -> PersonOverview:
    """A person's sessions, progress, plateaus, plan adherence, exercise log and red flags."""
    found = store.people.get(person.id if isinstance(person, Person) else person)
    today = today or date.today()
    sessions = tuple(store.sessions.history(found.id))
    measurements = measurements_of(sessions)
    plan = store.plans.current(found.id, today)
    adherence = store.plans.adherence(plan, until=today) if plan is not None else ()
    weekly = {week.week_start: week.fraction for week in adherence if week.target}
    plateaus = _plateaus(measurements, weekly)
    felt = tuple(checkins(store, found.id))
    pain = pain_of(felt)
    flags = (
        store.red_flag_answers.raised(found.id)
        + flags_from_measurements(measurements, rest_tremor_readings(sessions), plateaus)
        + pain_flags(pain)
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
        tuple(store.exercise_log.entries(found.id)),
        felt,
        pain,
    )
