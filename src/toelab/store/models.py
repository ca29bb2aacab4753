"""SQLAlchemy models: people, sessions, trials, their figures, the exercise log, red-flag answers, plans.

The models describe the schema at the newest migration; the migrations in
``toelab/store/migrations/versions`` build it step by step.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from toelab.vocabulary import ROLES, SIDES, TRIAL_KINDS

SESSION_KINDS = ("assessment", "training")
SESSION_STATUSES = ("in_progress", "complete", "interrupted")
TRIAL_TASKS = TRIAL_KINDS
FEET = SIDES


def utc_now() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A moment in time, always handed back timezone-aware in UTC.

    SQLite has no time zones, so the value is stored there as naive UTC; PostgreSQL keeps
    ``timestamptz``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("times must carry a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({listed})"


class Base(DeclarativeBase):
    pass


class PersonModel(Base):
    __tablename__ = "people"
    __table_args__ = (
        CheckConstraint(f"dominant_foot IS NULL OR {_one_of('dominant_foot', ('left', 'right'))}"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100), unique=True)
    birth_year: Mapped[int | None] = mapped_column(Integer)
    dominant_foot: Mapped[str | None] = mapped_column(String(5))
    diabetes: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    sessions: Mapped[list[SessionModel]] = relationship(back_populates="person", passive_deletes=True)


class SessionModel(Base):
    __tablename__ = "sessions"
    __table_args__ = (
        CheckConstraint(_one_of("kind", SESSION_KINDS)),
        CheckConstraint(_one_of("status", SESSION_STATUSES)),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    device: Mapped[str | None] = mapped_column(String(200))
    fps: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    # the process keeping it in progress (host:pid:start), see toelab.store.owner
    owner: Mapped[str | None] = mapped_column(String(200))
    # what was going on at a tremor test (toelab.protocols.context.TremorContext.as_dict)
    context: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    person: Mapped[PersonModel] = relationship(back_populates="sessions")
    trials: Mapped[list[TrialModel]] = relationship(
        back_populates="session", order_by="TrialModel.id", passive_deletes=True
    )


class TrialModel(Base):
    __tablename__ = "trials"
    __table_args__ = (
        CheckConstraint(_one_of("task", TRIAL_TASKS)),
        CheckConstraint(f"foot IS NULL OR {_one_of('foot', FEET)}"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    task: Mapped[str] = mapped_column(String(20))
    foot: Mapped[str | None] = mapped_column(String(5))
    toes: Mapped[list[int]] = mapped_column(JSON, default=list)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    tracks_sha256: Mapped[str | None] = mapped_column(String(64))
    tracks_path: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    session: Mapped[SessionModel] = relationship(back_populates="trials")
    results: Mapped[list[ResultModel]] = relationship(
        back_populates="trial", order_by="ResultModel.id", passive_deletes=True
    )


class ResultModel(Base):
    __tablename__ = "results"
    __table_args__ = (CheckConstraint(f"foot IS NULL OR {_one_of('foot', FEET)}"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trial_id: Mapped[int] = mapped_column(ForeignKey("trials.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20), default="")
    foot: Mapped[str | None] = mapped_column(String(5))
    toe: Mapped[int | None] = mapped_column(Integer)

    trial: Mapped[TrialModel] = relationship(back_populates="results")


class ExerciseLogModel(Base):
    __tablename__ = "exercise_log"
    __table_args__ = (CheckConstraint("pain IS NULL OR (pain >= 0 AND pain <= 10)"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    exercise_id: Mapped[str] = mapped_column(String(50))
    reps: Mapped[int | None] = mapped_column(Integer)
    holds: Mapped[int | None] = mapped_column(Integer)
    minutes: Mapped[float | None] = mapped_column(Float)
    pain: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")


class RedFlagAnswerModel(Base):
    __tablename__ = "red_flag_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    question_id: Mapped[str] = mapped_column(String(50))
    answer: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")


class PlanModel(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    exercise_ids: Mapped[list[str]] = mapped_column(JSON)
    start_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    items: Mapped[list[PlanItemModel]] = relationship(
        back_populates="plan", order_by="PlanItemModel.day", passive_deletes=True
    )


class PlanItemModel(Base):
    __tablename__ = "plan_items"
    __table_args__ = (
        UniqueConstraint("plan_id", "day", "exercise_id"),
        CheckConstraint("times_done >= 0"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    exercise_id: Mapped[str] = mapped_column(String(50))
    times_done: Mapped[int] = mapped_column(Integer, default=0)

    plan: Mapped[PlanModel] = relationship(back_populates="items")


class UserModel(Base):
    """An account of the clinic mode; a patient's account is linked to their person."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(_one_of("role", ROLES)),
        CheckConstraint("role <> 'patient' OR person_id IS NOT NULL"),
        CheckConstraint("failed_logins >= 0"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), unique=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class ClinicianPatientModel(Base):
    """Which people a clinician looks after."""

    __tablename__ = "clinician_patients"

    clinician_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class LoginSessionModel(Base):
    """A signed-in browser: only the hash of its cookie's token is kept."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CheckInModel(Base):
    """How a session felt: pain 0–10, where it hurt, effort 0–10 (see toelab.store.checkins)."""

    __tablename__ = "checkins"
    __table_args__ = (
        CheckConstraint("pain >= 0 AND pain <= 10", name="ck_checkins_pain"),
        CheckConstraint("effort >= 0 AND effort <= 10", name="ck_checkins_effort"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    pain: Mapped[int] = mapped_column(Integer)
    effort: Mapped[int] = mapped_column(Integer)
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")


class PatientNoteModel(Base):
    """A clinician's note to their patient, shown to the patient until they have seen it."""

    __tablename__ = "patient_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ExerciseLevelModel(Base):
    """A progression level accepted for an exercise; the newest per exercise is the one practised."""

    __tablename__ = "exercise_levels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    exercise_id: Mapped[str] = mapped_column(String(50))
    level_id: Mapped[str] = mapped_column(String(50))
    accepted_by: Mapped[str] = mapped_column(String(64))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
