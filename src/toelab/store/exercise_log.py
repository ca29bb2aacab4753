"""The exercise log in the store: ``store.exercise_log``: what a person did on a day (reps, holds,
minutes, pain), and the entries back by day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from toelab.errors import ToelabError
from toelab.protocols.exercises import get_exercise
from toelab.store.models import ExerciseLogModel
from toelab.store.records import ExerciseLogEntry, Person
from toelab.store.unit_of_work import UnitOfWork, person_row


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


class ExerciseLog:
    """The exercise log kept in a store, over the store's unit of work; each call is one transaction."""

    def __init__(self, work: UnitOfWork):
        self._work = work

    def log(
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
        with self._work.transaction() as s:
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

    def entries(
        self, person: int | str | Person, since: date | None = None, until: date | None = None
    ) -> list[ExerciseLogEntry]:
        """A person's entries from ``since`` to ``until`` (both included), by day."""
        with self._work.transaction() as s:
            query = select(ExerciseLogModel).where(ExerciseLogModel.person_id == person_row(s, person).id)
            if since is not None:
                query = query.where(ExerciseLogModel.day >= since)
            if until is not None:
                query = query.where(ExerciseLogModel.day <= until)
            return [
                _log_entry(r) for r in s.scalars(query.order_by(ExerciseLogModel.day, ExerciseLogModel.id))
            ]
