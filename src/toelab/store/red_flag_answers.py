"""The red-flag questionnaire's answers in the store: ``store.red_flag_answers``: record a day's
answers, the latest ones, and the flags they raise."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import func, select

from toelab.protocols.red_flags import RaisedFlag, check_answers, flags_from_answers
from toelab.store.models import RedFlagAnswerModel
from toelab.store.records import Person, RedFlagAnswer
from toelab.store.unit_of_work import UnitOfWork, person_row


class RedFlagAnswers:
    """The red-flag answers kept in a store, over the store's unit of work; each call is one
    transaction (``raised`` reads the answers, then the person)."""

    def __init__(self, work: UnitOfWork):
        self._work = work

    def record(
        self,
        person: int | str | Person,
        day: date,
        answers: Mapping[str, bool],
        notes: Mapping[str, str] | None = None,
    ) -> list[RedFlagAnswer]:
        check_answers(answers)
        notes = notes or {}
        with self._work.transaction() as s:
            person_id = person_row(s, person).id
            rows = [
                RedFlagAnswerModel(
                    person_id=person_id, day=day, question_id=q, answer=bool(a), note=notes.get(q, "")
                )
                for q, a in answers.items()
            ]
            s.add_all(rows)
        return [RedFlagAnswer(r.id, r.person_id, r.day, r.question_id, r.answer, r.note) for r in rows]

    def latest(self, person: int | str | Person) -> tuple[date, dict[str, bool]] | None:
        """The day of a person's latest questionnaire and its answers (the last one given for a
        question that day counts); None when they have never answered."""
        with self._work.transaction() as s:
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

    def raised(self, person: int | str | Person) -> tuple[RaisedFlag, ...]:
        """The flags raised by a person's latest questionnaire, knowing whether they have diabetes."""
        latest = self.latest(person)
        if latest is None:
            return ()
        day, answers = latest
        with self._work.transaction() as s:
            diabetes = person_row(s, person).diabetes
        return flags_from_answers(answers, diabetes=diabetes, day=day)
