"""The unit of work every part of the store shares: one database transaction per call, and the
row lookups more than one part needs (a person by id or by name)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from toelab.errors import ToelabError
from toelab.store.models import PersonModel
from toelab.store.records import Person


class UnitOfWork:
    """Transactions on one database: ``with work.transaction() as s: ...`` commits at the end,
    or rolls everything back when the block fails."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session


def person_row(s: Session, person: int | str | Person) -> PersonModel:
    """A person's row by id, display name or :class:`Person`; a plain error when there is none."""
    if isinstance(person, Person):
        person = person.id
    if isinstance(person, int):
        row = s.get(PersonModel, person)
    else:
        row = s.scalar(select(PersonModel).where(PersonModel.display_name == person.strip()))
    if row is None:
        raise ToelabError(f"no person {person!r}", hint="list people with `toelab person list`")
    return row
