"""The repository API: people, sessions (with a tremor test's context), trials with their figures,
exercise log, red flags, plans.

Every method runs in its own transaction and hands back frozen records. A trial and its
figures are committed together, after its tracks file is complete on disk, so a session cut
short (the process killed) keeps every trial it finished and nothing half-written.
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from toelab.analysis.progress import Measurement
from toelab.errors import ToelabError
from toelab.paths import toelab_home
from toelab.protocols.context import TremorContext, TremorPoint
from toelab.protocols.exercises import get_exercise
from toelab.protocols.plan import Plan, PlanItem, WeeklyAdherence, adherence_by_week
from toelab.protocols.red_flags import RaisedFlag, check_answers, flags_from_answers
from toelab.recording import Recording
from toelab.store import engine as engines
from toelab.store.accounts import Accounts
from toelab.store.models import (
    FEET,
    SESSION_KINDS,
    TRIAL_TASKS,
    ExerciseLogModel,
    PersonModel,
    PlanItemModel,
    PlanModel,
    RedFlagAnswerModel,
    ResultModel,
    SessionModel,
    TrialModel,
    utc_now,
)
from toelab.store.owner import owner_is_gone, this_process
from toelab.store.records import (
    ExerciseLogEntry,
    Person,
    RedFlagAnswer,
    ResultFigure,
    SessionHistory,
    SessionInfo,
    StoredPlan,
    Trial,
    tremor_points_of,
)
from toelab.store.tracks import save_tracks
from toelab.store.unit_of_work import UnitOfWork, person_row
from toelab.store.upsert import upsert_plan_item

# a session still "in progress" with no new trial for this long was cut short
STALE_AFTER = timedelta(hours=12)

_UNIT_SUFFIXES = {"_hz": "Hz", "_deg": "deg", "_ms": "ms", "_s": "s", "_pct": "%", "_mm": "mm"}


def unit_of(name: str) -> str:
    """The unit a figure's name carries (``tremor_frequency_hz`` → ``Hz``), or ``""``."""
    for suffix, unit in _UNIT_SUFFIXES.items():
        if name.endswith(suffix):
            return unit
    return ""


def _person(row: PersonModel) -> Person:
    return Person(
        row.id, row.display_name, row.birth_year, row.dominant_foot, row.diabetes, row.notes, row.created_at
    )


def _session(row: SessionModel) -> SessionInfo:
    return SessionInfo(
        row.id,
        row.person_id,
        row.kind,
        row.started_at,
        row.ended_at,
        row.device,
        row.fps,
        row.notes,
        row.status,
        None if row.context is None else TremorContext.from_dict(row.context),
    )


def _context_json(context: TremorContext | None) -> dict[str, Any] | None:
    if context is None:
        return None
    if not isinstance(context, TremorContext):
        raise ToelabError("a session's context must be a TremorContext")
    return None if context.is_empty else context.as_dict()


def _trial(row: TrialModel) -> Trial:
    results = tuple(ResultFigure(r.name, r.value, r.unit, r.foot, r.toe) for r in row.results)
    return Trial(
        row.id,
        row.session_id,
        row.task,
        row.foot,
        tuple(row.toes),
        dict(row.parameters),
        row.tracks_sha256,
        row.tracks_path,
        row.created_at,
        results,
    )


def _log_entry(row: ExerciseLogModel) -> ExerciseLogEntry:
    return ExerciseLogEntry(
        row.id,
        row.person_id,
        row.day,
        row.exercise_id,
        row.reps,
        row.holds,
        row.minutes,
        row.pain,
        row.comment,
    )


def _stored_plan(row: PlanModel) -> StoredPlan:
    return StoredPlan(row.id, row.person_id, Plan(tuple(row.exercise_ids), row.start_date), row.created_at)


def _aware(moment: datetime | None) -> datetime:
    """``moment`` (default: now), which must say its time zone."""
    if moment is None:
        return utc_now()
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ToelabError(f"time {moment.isoformat()} has no time zone", hint="give times with a UTC offset")
    return moment


def _check_foot(foot: str | None, allowed: Sequence[str] = FEET) -> None:
    if foot is not None and foot not in allowed:
        raise ToelabError(f"foot must be one of {', '.join(allowed)}, not {foot!r}")


def _check_toes(toes: Iterable[int]) -> tuple[int, ...]:
    toes = tuple(toes)
    if any(not isinstance(t, numbers.Integral) or not 1 <= t <= 5 for t in toes):
        raise ToelabError(f"toes are numbered 1 (big toe) to 5, got {list(toes)}")
    return tuple(int(t) for t in toes)


def _figures(results: Mapping[str, float] | Sequence[ResultFigure], foot: str | None) -> list[ResultFigure]:
    """Figures to store; a dict's figures belong to the trial's foot and take their unit from their name.

    A figure that is not a finite number is left out: no figure means "not measured".
    """
    if isinstance(results, Mapping):
        side = foot if foot in ("left", "right") else None
        given = [ResultFigure(name, value, unit_of(name), side) for name, value in results.items()]
    else:
        given = list(results)
    figures = []
    for figure in given:
        _check_foot(figure.foot)
        toe = None if figure.toe is None else _check_toes([figure.toe])[0]
        try:
            value = float(figure.value)
        except (TypeError, ValueError) as exc:
            raise ToelabError(f"figure {figure.name!r} is not a number: {figure.value!r}") from exc
        if math.isfinite(value):
            figures.append(ResultFigure(str(figure.name), value, figure.unit, figure.foot, toe))
    return figures


class Store:
    """The database and the tracks folder beside it. Open one with :func:`open_store`."""

    def __init__(self, engine: Engine, home: Path):
        self.engine = engine
        self.home = home
        self.work = UnitOfWork(engine)

    def close(self) -> None:
        self.engine.dispose()

    @property
    def accounts(self) -> Accounts:
        """The clinic mode's accounts and signed-in sessions."""
        return Accounts(self.work)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- people ------------------------------------------------------------------------
    def add_person(
        self,
        display_name: str,
        *,
        birth_year: int | None = None,
        dominant_foot: str | None = None,
        diabetes: bool = False,
        notes: str = "",
    ) -> Person:
        name = display_name.strip()
        if not name or len(name) > 100:
            raise ToelabError("a display name needs 1 to 100 characters")
        _check_foot(dominant_foot, ("left", "right"))
        if birth_year is not None and not 1900 <= birth_year <= datetime.now(UTC).year:
            raise ToelabError(f"birth year {birth_year} is not plausible")
        row = PersonModel(
            display_name=name,
            birth_year=birth_year,
            dominant_foot=dominant_foot,
            diabetes=diabetes,
            notes=notes,
        )
        try:
            with self.work.transaction() as s:
                s.add(row)
        except IntegrityError as exc:
            with self.work.transaction() as s:
                taken = s.scalar(select(PersonModel.id).where(PersonModel.display_name == name))
            if taken is None:
                raise
            raise ToelabError(
                f"there is already a person called {name!r}", hint="choose another display name"
            ) from exc
        return _person(row)

    def get_person(self, person: int | str | Person) -> Person:
        """A person by id or display name."""
        with self.work.transaction() as s:
            return _person(person_row(s, person))

    def list_people(self) -> list[Person]:
        with self.work.transaction() as s:
            return [_person(row) for row in s.scalars(select(PersonModel).order_by(PersonModel.display_name))]

    # -- sessions and trials -----------------------------------------------------------
    def start_session(
        self,
        person: int | str | Person,
        kind: str,
        *,
        device: str | None = None,
        fps: float | None = None,
        notes: str = "",
        started_at: datetime | None = None,
        context: TremorContext | None = None,
    ) -> SessionInfo:
        """A new session in progress; ``context`` is what was going on at its tremor test."""
        if kind not in SESSION_KINDS:
            raise ToelabError(f"session kind must be one of {', '.join(SESSION_KINDS)}, not {kind!r}")
        with self.work.transaction() as s:
            row = SessionModel(
                person_id=person_row(s, person).id,
                kind=kind,
                started_at=_aware(started_at),
                device=device,
                fps=fps,
                notes=notes,
                status="in_progress",
                context=_context_json(context),
                owner=this_process(),
            )
            s.add(row)
        return _session(row)

    def set_session_context(self, session: int | SessionInfo, context: TremorContext | None) -> SessionInfo:
        """Keep (or replace, or with None clear) the tremor test context of a session."""
        stored = _context_json(context)
        with self.work.transaction() as s:
            row = self._session_row(s, session)
            row.context = stored
        return _session(row)

    def _session_row(self, s: Session, session: int | SessionInfo) -> SessionModel:
        session_id = session.id if isinstance(session, SessionInfo) else session
        row = s.get(SessionModel, session_id)
        if row is None:
            raise ToelabError(f"no session {session_id}")
        return row

    def get_session(self, session: int | SessionInfo) -> SessionInfo:
        with self.work.transaction() as s:
            return _session(self._session_row(s, session))

    def add_trial(
        self,
        session: int | SessionInfo,
        task: str,
        foot: str | None,
        toes: Iterable[int] = (),
        parameters: Mapping[str, Any] | None = None,
        recording: Recording | None = None,
        results: Mapping[str, float] | Sequence[ResultFigure] = (),
    ) -> Trial:
        """Store one trial with its figures (and its recording's tracks) in one transaction."""
        if task not in TRIAL_TASKS:
            raise ToelabError(f"task must be one of {', '.join(TRIAL_TASKS)}, not {task!r}")
        _check_foot(foot)
        toes = _check_toes(toes)
        parameters = dict(parameters or {})
        try:
            json.dumps(parameters, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ToelabError(f"trial parameters must be plain JSON values: {exc}") from exc
        figures = _figures(results, foot)
        # the file first: a committed row must never point at a missing file
        sha256, relative = save_tracks(recording, self.home) if recording is not None else (None, None)
        with self.work.transaction() as s:
            session_row = self._session_row(s, session)
            if session_row.status != "in_progress":
                raise ToelabError(f"session {session_row.id} is {session_row.status}; start a new one")
            row = TrialModel(
                session_id=session_row.id,
                task=task,
                foot=foot,
                toes=list(toes),
                parameters=parameters,
                tracks_sha256=sha256,
                tracks_path=relative,
                created_at=utc_now(),
            )
            row.results = [
                ResultModel(name=f.name, value=f.value, unit=f.unit, foot=f.foot, toe=f.toe) for f in figures
            ]
            s.add(row)
        return _trial(row)

    def load_recording(self, trial: Trial) -> Recording:
        if trial.tracks_path is None:
            raise ToelabError(f"trial {trial.id} has no recording")
        return Recording.load(self.home / trial.tracks_path)

    def finish_session(
        self, session: int | SessionInfo, *, status: str = "complete", ended_at: datetime | None = None
    ) -> SessionInfo:
        if status not in ("complete", "interrupted"):
            raise ToelabError(f"a session finishes as complete or interrupted, not {status!r}")
        with self.work.transaction() as s:
            row = self._session_row(s, session)
            row.status = status
            row.ended_at = _aware(ended_at)
        return _session(row)

    def trials(self, session: int | SessionInfo) -> list[Trial]:
        with self.work.transaction() as s:
            row = self._session_row(s, session)
            query = (
                select(TrialModel)
                .where(TrialModel.session_id == row.id)
                .options(selectinload(TrialModel.results))
                .order_by(TrialModel.id)
            )
            return [_trial(t) for t in s.scalars(query)]

    def history(self, person: int | str | Person) -> list[SessionHistory]:
        """Every session of a person, oldest first, with trials and figures (a fixed number of queries)."""
        with self.work.transaction() as s:
            person_id = person_row(s, person).id
            query = (
                select(SessionModel)
                .where(SessionModel.person_id == person_id)
                .options(selectinload(SessionModel.trials).selectinload(TrialModel.results))
                .order_by(SessionModel.started_at, SessionModel.id)
            )
            return [
                SessionHistory(_session(row), tuple(_trial(t) for t in row.trials))
                for row in s.scalars(query)
            ]

    def tremor_points(self, person: int | str | Person) -> list[TremorPoint]:
        """A person's tremor figures with each session's context, oldest first
        (for :func:`toelab.protocols.context.line_up`)."""
        return tremor_points_of(self.history(person))

    def measurements(self, person: int | str | Person) -> list[Measurement]:
        """Every stored figure of a person as a :class:`~toelab.analysis.progress.Measurement`.

        Each is dated by its session's start (the UTC date).
        """
        with self.work.transaction() as s:
            person_id = person_row(s, person).id
            query = (
                select(
                    SessionModel.started_at,
                    ResultModel.name,
                    ResultModel.value,
                    ResultModel.foot,
                    ResultModel.toe,
                )
                .join(TrialModel, TrialModel.session_id == SessionModel.id)
                .join(ResultModel, ResultModel.trial_id == TrialModel.id)
                .where(SessionModel.person_id == person_id)
                .order_by(SessionModel.started_at, ResultModel.id)
            )
            return [
                Measurement(started.date(), name, value, foot, toe)
                for started, name, value, foot, toe in s.execute(query)
            ]

    def mark_interrupted(self, older_than: timedelta = STALE_AFTER, now: datetime | None = None) -> int:
        """Mark sessions left in progress as interrupted: those whose process on this host has
        ended (killed, or crashed) at once, any other with no new trial for ``older_than``."""
        cutoff = _aware(now) - older_than
        with self.work.transaction() as s:
            last_trial = (
                select(TrialModel.session_id, func.max(TrialModel.created_at).label("last"))
                .group_by(TrialModel.session_id)
                .subquery()
            )
            rows = s.execute(
                select(SessionModel, last_trial.c.last)
                .outerjoin(last_trial, last_trial.c.session_id == SessionModel.id)
                .where(SessionModel.status == "in_progress")
            ).all()
            stale = []
            for row, last in rows:
                active = max(row.started_at, last or row.started_at)
                if active < cutoff or owner_is_gone(row.owner):
                    row.status = "interrupted"
                    row.ended_at = active
                    stale.append(row)
            return len(stale)

    # -- exercise log ------------------------------------------------------------------
    def log_exercise(
        self,
        person: int | str | Person,
        day: date,
        exercise_id: str,
        *,
        reps: int | None = None,
        holds: int | None = None,
        minutes: float | None = None,
        pain: int | None = None,
        comment: str = "",
    ) -> ExerciseLogEntry:
        get_exercise(exercise_id)
        if pain is not None and not 0 <= pain <= 10:
            raise ToelabError(f"pain is rated 0 (none) to 10 (worst), not {pain}")
        for label, amount in (("reps", reps), ("holds", holds), ("minutes", minutes)):
            if amount is not None and amount < 0:
                raise ToelabError(f"{label} cannot be negative")
        with self.work.transaction() as s:
            row = ExerciseLogModel(
                person_id=person_row(s, person).id,
                day=day,
                exercise_id=exercise_id,
                reps=reps,
                holds=holds,
                minutes=minutes,
                pain=pain,
                comment=comment,
            )
            s.add(row)
        return _log_entry(row)

    def exercise_log(
        self, person: int | str | Person, since: date | None = None, until: date | None = None
    ) -> list[ExerciseLogEntry]:
        with self.work.transaction() as s:
            query = select(ExerciseLogModel).where(
                ExerciseLogModel.person_id == person_row(s, person).id
            )
            if since is not None:
                query = query.where(ExerciseLogModel.day >= since)
            if until is not None:
                query = query.where(ExerciseLogModel.day <= until)
            return [
                _log_entry(r) for r in s.scalars(query.order_by(ExerciseLogModel.day, ExerciseLogModel.id))
            ]

    # -- red flags ---------------------------------------------------------------------
    def record_red_flag_answers(
        self,
        person: int | str | Person,
        day: date,
        answers: Mapping[str, bool],
        notes: Mapping[str, str] | None = None,
    ) -> list[RedFlagAnswer]:
        check_answers(answers)
        notes = notes or {}
        with self.work.transaction() as s:
            person_id = person_row(s, person).id
            rows = [
                RedFlagAnswerModel(
                    person_id=person_id, day=day, question_id=q, answer=bool(a), note=notes.get(q, "")
                )
                for q, a in answers.items()
            ]
            s.add_all(rows)
        return [RedFlagAnswer(r.id, r.person_id, r.day, r.question_id, r.answer, r.note) for r in rows]

    def latest_red_flag_answers(self, person: int | str | Person) -> tuple[date, dict[str, bool]] | None:
        """The day of a person's latest questionnaire and its answers (the last one given for a
        question that day counts); None when they have never answered."""
        with self.work.transaction() as s:
            row = person_row(s, person)
            latest = s.scalar(
                select(func.max(RedFlagAnswerModel.day)).where(RedFlagAnswerModel.person_id == row.id)
            )
            if latest is None:
                return None
            answers = {
                a.question_id: a.answer
                for a in s.scalars(
                    select(RedFlagAnswerModel)
                    .where(RedFlagAnswerModel.person_id == row.id, RedFlagAnswerModel.day == latest)
                    .order_by(RedFlagAnswerModel.id)
                )
            }
            return latest, answers

    def red_flags(self, person: int | str | Person) -> tuple[RaisedFlag, ...]:
        """The flags raised by a person's latest questionnaire, knowing whether they have diabetes."""
        latest = self.latest_red_flag_answers(person)
        if latest is None:
            return ()
        day, answers = latest
        return flags_from_answers(answers, diabetes=self.get_person(person).diabetes, day=day)

    # -- plans -------------------------------------------------------------------------
    def create_plan(
        self, person: int | str | Person, exercise_ids: Sequence[str], start_date: date
    ) -> StoredPlan:
        plan = Plan(tuple(exercise_ids), start_date)
        with self.work.transaction() as s:
            row = PlanModel(
                person_id=person_row(s, person).id,
                exercise_ids=list(plan.exercise_ids),
                start_date=start_date,
                created_at=utc_now(),
            )
            s.add(row)
        return _stored_plan(row)

    def current_plan(self, person: int | str | Person, day: date | None = None) -> StoredPlan | None:
        """The newest plan that has started by ``day`` (default: today)."""
        day = day or date.today()
        with self.work.transaction() as s:
            row = s.scalar(
                select(PlanModel)
                .where(PlanModel.person_id == person_row(s, person).id, PlanModel.start_date <= day)
                .order_by(PlanModel.start_date.desc(), PlanModel.id.desc())
                .limit(1)
            )
            return None if row is None else _stored_plan(row)

    def _plan_row(self, s: Session, plan: int | StoredPlan) -> PlanModel:
        plan_id = plan.id if isinstance(plan, StoredPlan) else plan
        row = s.get(PlanModel, plan_id)
        if row is None:
            raise ToelabError(f"no plan {plan_id}")
        return row

    def _set_item(self, plan: int | StoredPlan, day: date, exercise_id: str, add: int | None) -> PlanItem:
        with self.work.transaction() as s:
            plan_row = self._plan_row(s, plan)
            if exercise_id not in plan_row.exercise_ids:
                raise ToelabError(f"exercise {exercise_id!r} is not in this plan")
            if day < plan_row.start_date:
                raise ToelabError(f"the plan starts on {plan_row.start_date}, after {day}")
            times_done = upsert_plan_item(s, plan_row.id, day, exercise_id, add)
        return PlanItem(day, exercise_id, times_done)

    def mark_done(self, plan: int | StoredPlan, day: date, exercise_id: str, times: int = 1) -> PlanItem:
        """Count ``times`` more sessions of an exercise done on ``day``."""
        if times < 1:
            raise ToelabError("mark at least one session done")
        return self._set_item(plan, day, exercise_id, times)

    def mark_missed(self, plan: int | StoredPlan, day: date, exercise_id: str) -> PlanItem:
        return self._set_item(plan, day, exercise_id, None)

    def plan_items(self, plan: int | StoredPlan) -> list[PlanItem]:
        with self.work.transaction() as s:
            row = self._plan_row(s, plan)
            query = select(PlanItemModel).where(PlanItemModel.plan_id == row.id)
            return [
                PlanItem(r.day, r.exercise_id, r.times_done)
                for r in s.scalars(query.order_by(PlanItemModel.day, PlanItemModel.exercise_id))
            ]

    def adherence(self, plan: int | StoredPlan, until: date | None = None) -> tuple[WeeklyAdherence, ...]:
        """Adherence week by week from the plan's start to ``until`` (default: today)."""
        with self.work.transaction() as s:
            stored = _stored_plan(self._plan_row(s, plan))
        return adherence_by_week(stored.plan, self.plan_items(stored.id), until or date.today())


def open_store(
    url: str | None = None, *, home: Path | None = None, stale_after: timedelta = STALE_AFTER
) -> Store:
    """Open (and on first use create) the database, and mark long-abandoned sessions interrupted.

    ``url`` defaults to ``$TOELAB_DATABASE_URL``, else SQLite at ``toelab.db`` in ``home``;
    tracks files go under ``home`` (default ``$TOELAB_HOME``).
    """
    engine = engines.make_engine(engines.database_url(url, home))
    try:
        with engines.connect(engine) as connection:
            revision = engines.current_revision(connection)
            empty = revision is None and not engines.has_tables(connection)
        if empty:
            engines.upgrade_engine(engine)
        elif revision is None:
            raise ToelabError(
                "this database holds tables but is not a toelab database",
                hint="point toelab at another database",
            )
        elif revision != engines.head_revision():
            if revision in engines.known_revisions():
                raise ToelabError(
                    f"the database is at schema version {revision}, older than this toelab",
                    hint="run `toelab db upgrade` (keep a backup of the database first)",
                )
            raise ToelabError(
                f"the database is at schema version {revision}, made by a newer toelab", hint="upgrade toelab"
            )
    except BaseException:
        engine.dispose()
        raise
    store = Store(engine, home or toelab_home())
    store.mark_interrupted(stale_after)
    return store
