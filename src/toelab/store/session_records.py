"""Sessions and their trials in the store: ``store.sessions``: start one (with a tremor test's
context), add trials with their figures, finish it, and read a person's history, figures and
tremor points back.

A trial and its figures are committed together, after its tracks file is complete on disk, so
a session cut short (the process killed) keeps every trial it finished and nothing half-written.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from toelab.analysis.progress import Measurement
from toelab.errors import ToelabError
from toelab.protocols.context import TremorContext, TremorPoint
from toelab.recording import Recording
from toelab.store.checks import aware, check_foot, check_toes
from toelab.store.models import SESSION_KINDS, TRIAL_TASKS, ResultModel, SessionModel, TrialModel, utc_now
from toelab.store.owner import owner_is_gone, this_process
from toelab.store.records import Person, ResultFigure, SessionHistory, SessionInfo, Trial, tremor_points_of
from toelab.store.tracks import save_tracks
from toelab.store.unit_of_work import UnitOfWork, person_row

# a session still "in progress" with no new trial for this long was cut short
STALE_AFTER = timedelta(hours=12)

_UNIT_SUFFIXES = {"_hz": "Hz", "_deg": "deg", "_ms": "ms", "_s": "s", "_pct": "%", "_mm": "mm"}


def unit_of(name: str) -> str:
    """The unit a figure's name carries (``tremor_frequency_hz`` → ``Hz``), or ``""``."""
    for suffix, unit in _UNIT_SUFFIXES.items():
        if name.endswith(suffix):
            return unit
    return ""


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
        check_foot(figure.foot)
        toe = None if figure.toe is None else check_toes([figure.toe])[0]
        try:
            value = float(figure.value)
        except (TypeError, ValueError) as exc:
            raise ToelabError(f"figure {figure.name!r} is not a number: {figure.value!r}") from exc
        if math.isfinite(value):
            figures.append(ResultFigure(str(figure.name), value, figure.unit, figure.foot, toe))
    return figures


def _session_row(s: Session, session: int | SessionInfo) -> SessionModel:
    session_id = session.id if isinstance(session, SessionInfo) else session
    row = s.get(SessionModel, session_id)
    if row is None:
        raise ToelabError(f"no session {session_id}")
    return row


class Sessions:
    """The sessions and trials kept in a store, over the store's unit of work, with their tracks
    files under ``home``; each call is one transaction."""

    def __init__(self, work: UnitOfWork, home: Path):
        self._work = work
        self._home = home

    def start(
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
        with self._work.transaction() as s:
            row = SessionModel(
                person_id=person_row(s, person).id,
                kind=kind,
                started_at=aware(started_at),
                device=device,
                fps=fps,
                notes=notes,
                status="in_progress",
                context=_context_json(context),
                owner=this_process(),
            )
            s.add(row)
        return _session(row)

    def set_context(self, session: int | SessionInfo, context: TremorContext | None) -> SessionInfo:
        """Keep (or replace, or with None clear) the tremor test context of a session."""
        stored = _context_json(context)
        with self._work.transaction() as s:
            row = _session_row(s, session)
            row.context = stored
        return _session(row)

    def get(self, session: int | SessionInfo) -> SessionInfo:
        with self._work.transaction() as s:
            return _session(_session_row(s, session))

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
        check_foot(foot)
        toes = check_toes(toes)
        parameters = dict(parameters or {})
        try:
            json.dumps(parameters, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ToelabError(f"trial parameters must be plain JSON values: {exc}") from exc
        figures = _figures(results, foot)
        # the file first: a committed row must never point at a missing file
        sha256, relative = save_tracks(recording, self._home) if recording is not None else (None, None)
        with self._work.transaction() as s:
            session_row = _session_row(s, session)
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
        return Recording.load(self._home / trial.tracks_path)

    def finish(
        self, session: int | SessionInfo, *, status: str = "complete", ended_at: datetime | None = None
    ) -> SessionInfo:
        if status not in ("complete", "interrupted"):
            raise ToelabError(f"a session finishes as complete or interrupted, not {status!r}")
        with self._work.transaction() as s:
            row = _session_row(s, session)
            row.status = status
            row.ended_at = aware(ended_at)
        return _session(row)

    def trials(self, session: int | SessionInfo) -> list[Trial]:
        with self._work.transaction() as s:
            row = _session_row(s, session)
            query = (
                select(TrialModel)
                .where(TrialModel.session_id == row.id)
                .options(selectinload(TrialModel.results))
                .order_by(TrialModel.id)
            )
            return [_trial(t) for t in s.scalars(query)]

    def history(self, person: int | str | Person) -> list[SessionHistory]:
        """Every session of a person, oldest first, with trials and figures (a fixed number of queries)."""
        with self._work.transaction() as s:
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
        with self._work.transaction() as s:
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
        cutoff = aware(now) - older_than
        with self._work.transaction() as s:
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
