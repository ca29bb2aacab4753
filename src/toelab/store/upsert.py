"""Counters changed by the database itself, in one statement, so that simultaneous marks all count.

Reading ``times_done``, adding in Python and writing it back loses marks when two requests
interleave, and two first marks of a day would both try to insert the row. An
``INSERT … ON CONFLICT DO UPDATE SET times_done = times_done + n`` is atomic on SQLite (3.24+)
and PostgreSQL (9.5+) alike.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from toelab.store.models import PlanItemModel


def upsert_plan_item(s: Session, plan_id: int, day: date, exercise_id: str, add: int | None) -> int:
    """Add ``add`` sessions done (``None``: set to 0, missed) to a plan's day; returns the new count."""
    dialect = s.get_bind().dialect.name
    # each dialect's insert has on_conflict_do_update (they share no type that says so); the
    # store opens no other database (store.engine.BACKENDS)
    insert: Any = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[dialect]
    table = PlanItemModel.__table__
    statement = insert(table).values(
        plan_id=plan_id, day=day, exercise_id=exercise_id, times_done=0 if add is None else add
    )
    times_done = 0 if add is None else table.c.times_done + add
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.plan_id, table.c.day, table.c.exercise_id],
        set_={"times_done": times_done},
    ).returning(table.c.times_done)
    return int(s.execute(statement).scalar_one())
