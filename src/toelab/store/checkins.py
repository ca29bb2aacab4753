"""Coaching records in the store: the pain and effort check-in after a session, a clinician's
notes to their patient, and the progression level a person practises each exercise at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from toelab.analysis.pain import PainReading, PainTrend, pain_trend
from toelab.errors import ToelabError
from toelab.protocols.exercises import get_exercise
from toelab.protocols.red_flags import Flag, RaisedFlag
from toelab.store.models import (
    CheckInModel,
    ExerciseLevelModel,
    PatientNoteModel,
    SessionModel,
    utc_now,
)
from toelab.store.records import Person
from toelab.store.repository import Store
from toelab.store.unit_of_work import person_row

# where it hurt: the parts of the foot and leg the exercises load
AREAS = ("big_toe", "small_toes", "ball_of_foot", "arch", "heel", "ankle", "calf", "elsewhere")
AREA_WORDS = {
    "big_toe": "big toe",
    "small_toes": "other toes",
    "ball_of_foot": "ball of the foot",
    "arch": "arch",
    "heel": "heel",
    "ankle": "ankle",
    "calf": "calf",
    "elsewhere": "elsewhere",
}
MAX_NOTE_CHARACTERS = 2000

PAIN_FLAG = Flag(
    "pain_rising",
    "Pain rising over the sessions",
    "Stop the exercises that hurt and have a physiotherapist or podiatrist look before you carry on.",
    "physiotherapist or podiatrist",
    "soon",
)


@dataclass(frozen=True)
class CheckIn:
    id: int
    person_id: int
    session_id: int | None
    at: datetime
    pain: int  # 0 (none) to 10 (worst)
    effort: int  # 0 (no effort) to 10 (the hardest possible), Borg CR10
    areas: tuple[str, ...]  # keys of AREAS
    note: str

    @property
    def area_words(self) -> str:
        return ", ".join(AREA_WORDS[a] for a in self.areas) or "—"


@dataclass(frozen=True)
class PatientNote:
    id: int
    person_id: int
    author: str
    text: str
    created_at: datetime
    seen_at: datetime | None


@dataclass(frozen=True)
class LevelChoice:
    person_id: int
    exercise_id: str
    level_id: str
    accepted_by: str
    accepted_at: datetime


def _rating(label: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ToelabError(f"{label} is rated with a whole number from 0 to 10, not {value!r}")
    return value


def _checkin(row: CheckInModel) -> CheckIn:
    return CheckIn(
        row.id, row.person_id, row.session_id, row.at, row.pain, row.effort, tuple(row.areas), row.note
    )


def add_checkin(
    store: Store,
    person: int | str | Person,
    *,
    pain: int,
    effort: int,
    areas: tuple[str, ...] | list[str] = (),
    session_id: int | None = None,
    note: str = "",
    at: datetime | None = None,
) -> CheckIn:
    """Keep how a session felt; ``session_id`` must be one of the person's own sessions."""
    pain, effort = _rating("pain", pain), _rating("effort", effort)
    unknown = [a for a in areas if a not in AREAS]
    if unknown:
        raise ToelabError(f"unknown place {unknown[0]!r}", hint=f"one of {', '.join(AREAS)}")
    if pain == 0 and areas:
        raise ToelabError("no pain was given, so it cannot have hurt somewhere", hint="give the pain 1 to 10")
    if len(note) > MAX_NOTE_CHARACTERS:
        raise ToelabError(f"a note holds at most {MAX_NOTE_CHARACTERS} characters")
    when = at or utc_now()
    if when.tzinfo is None:
        raise ToelabError("a check-in's time must carry a time zone")
    with store.work.transaction() as s:
        person_id = person_row(s, person).id
        if session_id is not None:
            session = s.get(SessionModel, session_id)
            if session is None or session.person_id != person_id:
                raise ToelabError(f"session {session_id} is not one of this person's sessions")
        row = CheckInModel(
            person_id=person_id,
            session_id=session_id,
            at=when,
            pain=pain,
            effort=effort,
            areas=list(dict.fromkeys(areas)),
            note=note.strip(),
        )
        s.add(row)
    return _checkin(row)


def checkins(store: Store, person: int | str | Person) -> list[CheckIn]:
    """A person's check-ins, oldest first."""
    with store.work.transaction() as s:
        person_id = person_row(s, person).id
        query = select(CheckInModel).where(CheckInModel.person_id == person_id)
        return [_checkin(r) for r in s.scalars(query.order_by(CheckInModel.at, CheckInModel.id))]


def pain_of(entries: list[CheckIn] | tuple[CheckIn, ...]) -> PainTrend:
    """The pain trend of check-ins (see :mod:`toelab.analysis.pain`)."""
    return pain_trend([PainReading(c.at.date(), c.pain) for c in entries])


def pain_flags(trend: PainTrend) -> tuple[RaisedFlag, ...]:
    """A flag to see a professional when pain keeps rising past the acceptable line."""
    if trend.level != "see_professional":
        return ()
    return (RaisedFlag(PAIN_FLAG, f"Check-ins: {trend.reason}."),)


# --- notes from the clinician ------------------------------------------------------------
def _note(row: PatientNoteModel) -> PatientNote:
    return PatientNote(row.id, row.person_id, row.author, row.text, row.created_at, row.seen_at)


def add_note(
    store: Store, person: int | str | Person, author_id: int | None, author: str, text: str
) -> PatientNote:
    """A note to the patient, shown to them at their next visit."""
    text = text.strip()
    if not text or len(text) > MAX_NOTE_CHARACTERS:
        raise ToelabError(f"a note needs 1 to {MAX_NOTE_CHARACTERS} characters")
    with store.work.transaction() as s:
        person_id = person_row(s, person).id
        row = PatientNoteModel(
            person_id=person_id, author_id=author_id, author=author, text=text, created_at=utc_now()
        )
        s.add(row)
    return _note(row)


def notes(store: Store, person: int | str | Person, *, unseen_only: bool = False) -> list[PatientNote]:
    """Notes to a person, newest first."""
    with store.work.transaction() as s:
        person_id = person_row(s, person).id
        query = select(PatientNoteModel).where(PatientNoteModel.person_id == person_id)
        if unseen_only:
            query = query.where(PatientNoteModel.seen_at.is_(None))
        return [
            _note(r)
            for r in s.scalars(query.order_by(PatientNoteModel.created_at.desc(), PatientNoteModel.id.desc()))
        ]


def mark_notes_seen(store: Store, person: int | str | Person, note_ids: list[int]) -> int:
    """The patient has read these notes; returns how many were newly marked."""
    now = utc_now()
    with store.work.transaction() as s:
        person_id = person_row(s, person).id
        rows = s.scalars(
            select(PatientNoteModel).where(
                PatientNoteModel.person_id == person_id,
                PatientNoteModel.id.in_(note_ids),
                PatientNoteModel.seen_at.is_(None),
            )
        ).all()
        for row in rows:
            row.seen_at = now
        return len(rows)


# --- progression levels ------------------------------------------------------------------
def _choice(row: ExerciseLevelModel) -> LevelChoice:
    return LevelChoice(row.person_id, row.exercise_id, row.level_id, row.accepted_by, row.accepted_at)


def level_choices(store: Store, person: int | str | Person) -> dict[str, LevelChoice]:
    """The level each exercise is practised at, when one was ever accepted."""
    with store.work.transaction() as s:
        person_id = person_row(s, person).id
        query = select(ExerciseLevelModel).where(ExerciseLevelModel.person_id == person_id)
        rows = s.scalars(query.order_by(ExerciseLevelModel.accepted_at, ExerciseLevelModel.id))
        return {row.exercise_id: _choice(row) for row in rows}


def accept_level(
    store: Store, person: int | str | Person, exercise_id: str, level_id: str, accepted_by: str
) -> LevelChoice:
    """Keep that a person now practises ``exercise_id`` at ``level_id``."""
    get_exercise(exercise_id).level(level_id)
    with store.work.transaction() as s:
        person_id = person_row(s, person).id
        row = ExerciseLevelModel(
            person_id=person_id,
            exercise_id=exercise_id,
            level_id=level_id,
            accepted_by=accepted_by,
            accepted_at=utc_now(),
        )
        s.add(row)
    return _choice(row)
