"""Coaching in the page: the pain and effort check-in after a session, the next level of an
exercise when its dose is met reliably, a clinician's notes to their patient and the
clinician's overview of their patients. Thin: it calls store/ and protocols/."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from starlette.requests import HTTPConnection

from toelab.analysis.pain import PainTrend
from toelab.errors import ToelabError
from toelab.protocols.exercises import get_exercise
from toelab.protocols.progression import PracticeSet, Readiness, readiness
from toelab.store import Store
from toelab.store import checkins as coaching
from toelab.store.overview import person_overview
from toelab.web.auth import account_of, refuse, signed_in
from toelab.web.clinic_overview import patient_rows
from toelab.web.people import current_person_id, web_store
from toelab.web.responses import (
    Area,
    CheckIn,
    CheckIns,
    ClinicOverview,
    CurrentLevel,
    ExerciseProgress,
    LevelStep,
    Note,
    Notes,
    Pain,
    Progression,
)

router = APIRouter()
PersonId = Annotated[int, Depends(current_person_id)]
WebStore = Annotated[Store, Depends(web_store)]


def _who(connection: HTTPConnection) -> str:
    account = account_of(connection)
    return "self" if account is None else account.username


def _is_clinician(connection: HTTPConnection) -> bool:
    account = account_of(connection)
    return account is not None and account.role == "clinician"


def pain_json(trend: PainTrend | None) -> Pain | None:
    if trend is None:
        return None
    return Pain(
        level=trend.level,
        direction=trend.direction,
        checkins=trend.n_checkins,
        latest=trend.latest,
        recent_mean=trend.recent_mean,
        earlier_mean=trend.earlier_mean,
        reason=trend.reason,
        advice=trend.advice,
    )


# --- check-ins -----------------------------------------------------------------------------
class NewCheckIn(BaseModel):
    pain: int = Field(ge=0, le=10)
    effort: int = Field(ge=0, le=10)
    areas: list[str] = Field(default_factory=list, max_length=len(coaching.AREAS))
    session_id: int | None = None
    note: str = Field(default="", max_length=coaching.MAX_NOTE_CHARACTERS)


@router.get("/api/checkins")
def checkins_list(store: WebStore, person_id: PersonId) -> CheckIns:
    entries = coaching.checkins(store, person_id)
    return CheckIns(
        areas=[Area(id=a, label=coaching.AREA_WORDS[a]) for a in coaching.AREAS],
        checkins=[
            CheckIn(
                id=c.id,
                at=c.at.isoformat(),
                session_id=c.session_id,
                pain=c.pain,
                effort=c.effort,
                areas=list(c.areas),
                where=c.area_words,
                note=c.note,
            )
            for c in reversed(entries)
        ],
        pain=pain_json(coaching.pain_of(entries)),
    )


@router.post("/api/checkins")
def checkins_add(given: NewCheckIn, store: WebStore, person_id: PersonId) -> CheckIns:
    coaching.add_checkin(
        store,
        person_id,
        pain=given.pain,
        effort=given.effort,
        areas=given.areas,
        session_id=given.session_id,
        note=given.note,
    )
    return checkins_list(store, person_id)


# --- progression ---------------------------------------------------------------------------
class LevelChoice(BaseModel):
    exercise_id: str
    level_id: str


def _readiness(store: Store, person_id: int, today: date) -> list[Readiness]:
    plan = store.plans.current(person_id, today)
    if plan is None:
        return []
    chosen = coaching.level_choices(store, person_id)
    practice = [
        PracticeSet(e.day, e.exercise_id, e.reps, e.minutes)
        for e in store.exercise_log.entries(person_id, until=today)
    ]
    found = []
    for exercise_id in plan.plan.exercise_ids:
        choice = chosen.get(exercise_id)
        level = None if choice is None else choice.level_id
        since = None if choice is None else choice.accepted_at.date()
        found.append(readiness(get_exercise(exercise_id), level, practice, today, since))
    return found


@router.get("/api/progression")
def progression(store: WebStore, person_id: PersonId) -> Progression:
    today = date.today()
    rows = []
    for r in _readiness(store, person_id, today):
        exercise = get_exercise(r.exercise_id)
        level = exercise.level(r.level_id)
        following = None if r.next_level_id is None else exercise.level(r.next_level_id)
        rows.append(
            ExerciseProgress(
                exercise_id=r.exercise_id,
                name=exercise.name,
                level=CurrentLevel(
                    id=level.id, instruction=level.instruction, advance_when=level.advance_when
                ),
                levels=[LevelStep(id=lv.id, instruction=lv.instruction) for lv in exercise.progression],
                next=None
                if following is None
                else LevelStep(id=following.id, instruction=following.instruction),
                ready=r.ready,
                sets=r.sets,
                sets_met=r.sets_met,
                reason=r.reason,
            )
        )
    return Progression(exercises=rows)


@router.post("/api/progression")
def progression_accept(
    choice: LevelChoice, connection: HTTPConnection, store: WebStore, person_id: PersonId
) -> Progression:
    """The person takes up the proposed next level; their clinician may set any level."""
    if not _is_clinician(connection):
        proposed = {r.exercise_id: r for r in _readiness(store, person_id, date.today())}
        found = proposed.get(choice.exercise_id)
        if found is None or not found.ready or found.next_level_id != choice.level_id:
            raise ToelabError(
                "that level is not proposed yet",
                hint="the next level is proposed once the dose is met in 80 % of sets for two weeks",
            )
    coaching.accept_level(store, person_id, choice.exercise_id, choice.level_id, _who(connection))
    return progression(store, person_id)


# --- notes from the clinician -------------------------------------------------------------
class NewNote(BaseModel):
    text: str = Field(min_length=1, max_length=coaching.MAX_NOTE_CHARACTERS)


class SeenNotes(BaseModel):
    ids: list[int] = Field(max_length=1000)


@router.get("/api/notes")
def notes_list(store: WebStore, person_id: PersonId) -> Notes:
    return Notes(
        notes=[
            Note(
                id=n.id,
                author=n.author,
                text=n.text,
                created_at=n.created_at.isoformat(),
                seen=n.seen_at is not None,
            )
            for n in coaching.notes(store, person_id)
        ]
    )


@router.post("/api/notes")
def notes_add(
    given: NewNote, connection: HTTPConnection, store: WebStore, person_id: PersonId
) -> Notes:
    account = account_of(connection)
    if account is None or account.role != "clinician":
        refuse(connection, 403, "only the person's clinician writes notes to them")
    coaching.add_note(store, person_id, account.id, account.username, given.text)
    return notes_list(store, person_id)


@router.post("/api/notes/seen")
def notes_seen(
    given: SeenNotes, connection: HTTPConnection, store: WebStore, person_id: PersonId
) -> Notes:
    # only the patient's own reading counts: a clinician looking at them does not
    if not _is_clinician(connection):
        coaching.mark_notes_seen(store, person_id, given.ids)
    return notes_list(store, person_id)


# --- the clinician's overview ---------------------------------------------------------------
@router.get("/api/clinic/overview")
def clinic_overview(
    connection: HTTPConnection, store: WebStore, _: Annotated[Any, Depends(signed_in)]
) -> ClinicOverview:
    account = account_of(connection)
    if account is None or account.role != "clinician":
        refuse(connection, 403, "the overview is for clinicians, of their own patients")
    visible = store.accounts.visible_person_ids(account)
    today = date.today()
    overviews = [person_overview(store, p.id, today) for p in store.people.all() if p.id in visible]
    return ClinicOverview(today=today.isoformat(), patients=patient_rows(overviews, today))
