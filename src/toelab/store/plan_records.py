"""A person's plans in the store: ``store.plans``: create one, the current one, mark an exercise
done or missed on a day, the marks, and adherence week by week."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from toelab.errors import ToelabError
from toelab.protocols.plan import Plan, PlanItem, WeeklyAdherence, adherence_by_week
from toelab.store.models import PlanItemModel, PlanModel, utc_now
from toelab.store.records import Person, StoredPlan
from toelab.store.unit_of_work import UnitOfWork, person_row
from toelab.store.upsert import upsert_plan_item


def _stored_plan(row: PlanModel) -> StoredPlan:
    return StoredPlan(row.id, row.person_id, Plan(tuple(row.exercise_ids), row.start_date), row.created_at)


def _plan_row(s: Session, plan: int | StoredPlan) -> PlanModel:
    plan_id = plan.id if isinstance(plan, StoredPlan) else plan
    row = s.get(PlanModel, plan_id)
    if row is None:
        raise ToelabError(f"no plan {plan_id}")
    return row


class Plans:
    """The plans kept in a store, over the store's unit of work; each call is one transaction
    (``adherence`` reads the plan, then its marks)."""

    def __init__(self, work: UnitOfWork):
        self._work = work

    def create(self, person: int | str | Person, exercise_ids: Sequence[str], start_date: date) -> StoredPlan:
        plan = Plan(tuple(exercise_ids), start_date)
        with self._work.transaction() as s:
            row = PlanModel(
                person_id=person_row(s, person).id,
                exercise_ids=list(plan.exercise_ids),
                start_date=start_date,
                created_at=utc_now(),
            )
            s.add(row)
        return _stored_plan(row)

    def current(self, person: int | str | Person, day: date | None = None) -> StoredPlan | None:
        """The newest plan that has started by ``day`` (default: today)."""
        day = day or date.today()
        with self._work.transaction() as s:
            row = s.scalar(
                select(PlanModel)
                .where(PlanModel.person_id == person_row(s, person).id, PlanModel.start_date <= day)
                .order_by(PlanModel.start_date.desc(), PlanModel.id.desc())
                .limit(1)
            )
            return None if row is None else _stored_plan(row)

    def _set_item(self, plan: int | StoredPlan, day: date, exercise_id: str, add: int | None) -> PlanItem:
        with self._work.transaction() as s:
            plan_row = _plan_row(s, plan)
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

    def items(self, plan: int | StoredPlan) -> list[PlanItem]:
        """A plan's marks, by day and exercise."""
        with self._work.transaction() as s:
            row = _plan_row(s, plan)
            query = select(PlanItemModel).where(PlanItemModel.plan_id == row.id)
            return [
                PlanItem(r.day, r.exercise_id, r.times_done)
                for r in s.scalars(query.order_by(PlanItemModel.day, PlanItemModel.exercise_id))
            ]

    def adherence(self, plan: int | StoredPlan, until: date | None = None) -> tuple[WeeklyAdherence, ...]:
        """Adherence week by week from the plan's start to ``until`` (default: today)."""
        with self._work.transaction() as s:
            stored = _stored_plan(_plan_row(s, plan))
        return adherence_by_week(stored.plan, self.items(stored.id), until or date.today())
