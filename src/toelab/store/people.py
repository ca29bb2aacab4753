"""The people in the store: ``store.people``: add one, find one by id or display name, list them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from toelab.errors import ToelabError
from toelab.store.checks import check_foot
from toelab.store.models import PersonModel
from toelab.store.records import Person
from toelab.store.unit_of_work import UnitOfWork, person_row


def _person(row: PersonModel) -> Person:
    return Person(
        row.id, row.display_name, row.birth_year, row.dominant_foot, row.diabetes, row.notes, row.created_at
    )


class People:
    """The people kept in a store, over the store's unit of work; each call is one transaction."""

    def __init__(self, work: UnitOfWork):
        self._work = work

    def add(
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
        check_foot(dominant_foot, ("left", "right"))
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
            with self._work.transaction() as s:
                s.add(row)
        except IntegrityError as exc:
            with self._work.transaction() as s:
                taken = s.scalar(select(PersonModel.id).where(PersonModel.display_name == name))
            if taken is None:
                raise
            raise ToelabError(
                f"there is already a person called {name!r}", hint="choose another display name"
            ) from exc
        return _person(row)

    def get(self, person: int | str | Person) -> Person:
        """A person by id or display name."""
        with self._work.transaction() as s:
            return _person(person_row(s, person))

    def all(self) -> list[Person]:
        """Everyone, by display name."""
        with self._work.transaction() as s:
            return [_person(row) for row in s.scalars(select(PersonModel).order_by(PersonModel.display_name))]
