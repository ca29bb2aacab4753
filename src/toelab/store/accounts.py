"""Accounts of the clinic mode in the store: users and their role, clinicians' patients,
signed-in sessions and failed sign-ins. Passwords arrive already hashed (see
``toelab.web.auth``); a session is found by the hash of its token, never the token itself."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.exc import IntegrityError

from toelab.errors import ToelabError
from toelab.store.models import (
    ROLES,
    ClinicianPatientModel,
    LoginSessionModel,
    UserModel,
    utc_now,
)
from toelab.store.unit_of_work import UnitOfWork, person_row

_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{1,63}")


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    role: str  # admin, clinician or patient
    person_id: int | None  # a patient's own person
    failed_logins: int
    locked_until: datetime | None
    password_hash: str = field(repr=False)


@dataclass(frozen=True)
class LoginSession:
    user: Account
    csrf_token: str
    expires_at: datetime


def _account(row: UserModel) -> Account:
    return Account(
        row.id, row.username, row.role, row.person_id, row.failed_logins, row.locked_until, row.password_hash
    )


class Accounts:
    """The accounts kept in a store: ``store.accounts``, over the store's unit of work."""

    def __init__(self, work: UnitOfWork):
        self._work = work

    def add_user(
        self,
        username: str,
        password_hash: str,
        role: str,
        *,
        person: int | str | None = None,
        clinician: str | None = None,
    ) -> Account:
        """A new account; a patient names their person, and may be given to a clinician."""
        if not _USERNAME.fullmatch(username):
            raise ToelabError(
                f"user name {username!r} is not allowed",
                hint="2 to 64 letters, digits and . _ @ -, starting with a letter or digit",
            )
        if role not in ROLES:
            raise ToelabError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
        if (role == "patient") != (person is not None):
            raise ToelabError("a patient's account names their person (--person), and only a patient's does")
        if clinician is not None and role != "patient":
            raise ToelabError("only a patient is given to a clinician (--clinician)")
        try:
            with self._work.transaction() as s:
                person_id = None if person is None else person_row(s, person).id
                row = UserModel(
                    username=username, password_hash=password_hash, role=role, person_id=person_id
                )
                s.add(row)
                s.flush()
                if clinician is not None:
                    doctor = s.scalar(select(UserModel).where(UserModel.username == clinician))
                    if doctor is None or doctor.role != "clinician":
                        raise ToelabError(f"there is no clinician {clinician!r}")
                    s.add(ClinicianPatientModel(clinician_id=doctor.id, person_id=person_id))
                return _account(row)
        except IntegrityError as exc:
            raise ToelabError(
                f"user name {username!r} is taken, or that person already has an account",
                hint="choose another user name",
            ) from exc

    def assign_patient(self, clinician: str, person: int | str) -> None:
        """Let a clinician see and work with a person's records."""
        with self._work.transaction() as s:
            doctor = s.scalar(select(UserModel).where(UserModel.username == clinician))
            if doctor is None or doctor.role != "clinician":
                raise ToelabError(f"there is no clinician {clinician!r}")
            person_id = person_row(s, person).id
            known = s.get(ClinicianPatientModel, (doctor.id, person_id))
            if known is None:
                s.add(ClinicianPatientModel(clinician_id=doctor.id, person_id=person_id))

    def get_user(self, username: str) -> Account | None:
        with self._work.transaction() as s:
            row = s.scalar(select(UserModel).where(UserModel.username == username))
            return None if row is None else _account(row)

    def visible_person_ids(self, user: Account) -> frozenset[int]:
        """The people an account may see: a patient themself, a clinician their patients, an admin nobody."""
        if user.role == "patient":
            return frozenset({user.person_id} if user.person_id is not None else ())
        if user.role != "clinician":
            return frozenset()
        with self._work.transaction() as s:
            query = select(ClinicianPatientModel.person_id).where(
                ClinicianPatientModel.clinician_id == user.id
            )
            return frozenset(s.scalars(query))

    def note_failed_login(self, user_id: int, locked_until: datetime | None) -> int:
        """Count a wrong password; returns the failures in a row so far."""
        with self._work.transaction() as s:
            row = s.get(UserModel, user_id)
            if row is None:
                raise ToelabError(f"no user no. {user_id}")
            row.failed_logins += 1
            row.locked_until = locked_until
            return row.failed_logins

    def start_login_session(
        self, user_id: int, token_sha256: str, csrf_token: str, expires_at: datetime
    ) -> None:
        """A successful sign-in: failures forgotten, the session kept until ``expires_at``."""
        with self._work.transaction() as s:
            row = s.get(UserModel, user_id)
            if row is None:
                raise ToelabError(f"no user no. {user_id}")
            row.failed_logins, row.locked_until = 0, None
            s.add(
                LoginSessionModel(
                    token_sha256=token_sha256, user_id=user_id, csrf_token=csrf_token, expires_at=expires_at
                )
            )

    def login_session(self, token_sha256: str, now: datetime | None = None) -> LoginSession | None:
        """The live session with this token hash, or None (unknown or expired)."""
        now = now or utc_now()
        with self._work.transaction() as s:
            row = s.scalar(select(LoginSessionModel).where(LoginSessionModel.token_sha256 == token_sha256))
            if row is None:
                return None
            if row.expires_at <= now:
                s.delete(row)
                return None
            user = s.get(UserModel, row.user_id)
            assert user is not None  # the foreign key cascades
            return LoginSession(_account(user), row.csrf_token, row.expires_at)

    def end_login_session(self, token_sha256: str) -> None:
        with self._work.transaction() as s:
            s.execute(delete(LoginSessionModel).where(LoginSessionModel.token_sha256 == token_sha256))

    def end_expired_sessions(self, now: datetime | None = None) -> int:
        with self._work.transaction() as s:
            expired = delete(LoginSessionModel).where(LoginSessionModel.expires_at <= (now or utc_now()))
            # a DELETE gives a CursorResult, which SQLAlchemy's Session.execute does not say
            done = cast(CursorResult[Any], s.execute(expired))
            return int(done.rowcount or 0)

    def users(self) -> list[Account]:
        with self._work.transaction() as s:
            return [_account(r) for r in s.scalars(select(UserModel).order_by(UserModel.username))]
