"""The person's records in the page: people, history with trend charts, the plan for today,
the exercise log, the red-flag questionnaire, reports and exports, and the guidance shown
before each step. Thin: it calls store/, records, report/ and protocols/."""

from __future__ import annotations

import math
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.requests import HTTPConnection

from toelab.analysis.progress import METRICS, Asymmetry
from toelab.errors import ToelabError
from toelab.protocols import BATTERY, EXERCISES, red_flags
from toelab.protocols import context as tremor_context
from toelab.protocols.guidance import guide_for_exercise, guide_for_test, sheets_for
from toelab.protocols.plan import todays_exercises
from toelab.report.tremor_context import frequency_words
from toelab.report.words import NOT_MEASURED, trial_withheld_words
from toelab.store import Store
from toelab.store.outcomes import log_exercise
from toelab.store.overview import PersonOverview, person_overview
from toelab.tasks import TASKS
from toelab.tasks.tremor import amplitude_words
from toelab.web.auth import account_of, clinic_of, people_seen_by, refuse, signed_in
from toelab.web.people import PERSON_COOKIE, current_person_id, web_store
from toelab.web.responses import (
    AccountName,
    Chart,
    ExerciseLogged,
    ExerciseName,
    FigureAsymmetry,
    FigureChange,
    FigurePlateau,
    FigureTrend,
    Guidance,
    History,
    HistorySession,
    HistoryTrial,
    LogEntry,
    People,
    PersonName,
    PlanInfo,
    PlanToday,
    Question,
    RaisedFlag,
    RedFlags,
    TodaysExercise,
    TremorQuestion,
    TremorQuestions,
    TremorReading,
    TremorTimeline,
    TrialFigure,
    WeekAdherence,
)

router = APIRouter()
PersonId = Annotated[int, Depends(current_person_id)]
WebStore = Annotated[Store, Depends(web_store)]
# a year: the household's choice of person outlives the browser session
COOKIE_MAX_AGE_S = 365 * 24 * 3600


def _number(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else value


def _label(metric: str) -> str:
    """The figure's name in the words the reports use (never its stored name)."""
    from toelab.report.words import FIGURE_WORDS, figure_label

    spec = METRICS.get(metric)
    return figure_label(metric) if metric in FIGURE_WORDS or spec is None else spec.label


def _value_text(metric: str, value: float, unit: str) -> str:
    """A figure's value as the page shows it: ``72 %``, ``48°``, a tremor's size in words."""
    from toelab.report.words import format_value

    if metric == "tremor_amplitude" and value != 0:  # 0: no shaking found, in format_value's words
        return amplitude_words(value, unit)
    return format_value(metric, value, unit)


def _flag(raised: red_flags.RaisedFlag) -> RaisedFlag:
    return RaisedFlag(
        id=raised.flag.id,
        title=raised.flag.title,
        advice=raised.flag.advice,
        see=raised.flag.see,
        when=raised.flag.when,
        reason=raised.reason,
        foot=raised.foot,
    )


# --- people -------------------------------------------------------------------------------
class NewPerson(BaseModel):
    display_name: str = Field(min_length=1, max_length=100)
    diabetes: bool = False


class ChosenPerson(BaseModel):
    id: int


def household_only(connection: HTTPConnection) -> None:
    """Access rule: the household's own list of people exists only at home; a clinic keeps its own."""
    if clinic_of(connection) is not None:
        refuse(connection, 403, "people are managed by the clinic")


Household = Depends(household_only)


def _people(store: Store, connection: HTTPConnection, current: int | None) -> People:
    """The people the page may keep records for, the one it keeps them for now, and who is
    signed in (clinic mode): a household's whole list; a clinician's own patients; a patient
    themselves; an admin no one."""
    account = account_of(connection)
    return People(
        people=[PersonName(id=p.id, display_name=p.display_name) for p in people_seen_by(store, account)],
        current=current,
        account=None if account is None else AccountName(username=account.username, role=account.role),
        can_add=account is None,
    )


def _current_or_none(connection: HTTPConnection) -> int | None:
    """The person the page works on now; None while a clinician has not chosen (or for an admin)."""
    try:
        return current_person_id(connection)
    except HTTPException:
        return None


def _choose(people: People, person_id: int) -> JSONResponse:
    """The people, and the cookie that keeps the choice of person."""
    response = JSONResponse(people.model_dump(mode="json"))
    response.set_cookie(PERSON_COOKIE, str(person_id), max_age=COOKIE_MAX_AGE_S, samesite="strict")
    return response


@router.get("/api/people", dependencies=[Depends(signed_in)])
def people(request: Request, store: WebStore) -> People:
    return _people(store, request, _current_or_none(request))


@router.post("/api/people", dependencies=[Household], response_model=People)
def people_add(new: NewPerson, request: Request, store: WebStore, _person_id: PersonId) -> JSONResponse:
    person = store.people.add(new.display_name, diabetes=new.diabetes)
    return _choose(_people(store, request, person.id), person.id)


@router.post("/api/people/choose", dependencies=[Depends(signed_in)], response_model=People)
def people_choose(chosen: ChosenPerson, request: Request, store: WebStore) -> JSONResponse:
    # the one access decision: at home anyone of the household, in a clinic one's own patients
    person_id = current_person_id(request, chosen.id)
    return _choose(_people(store, request, person_id), person_id)


# --- history ------------------------------------------------------------------------------
def _sessions(overview: PersonOverview) -> list[HistorySession]:
    return [
        HistorySession(
            id=h.session.id,
            kind=h.session.kind,
            started_at=h.session.started_at.isoformat(),
            status=h.session.status,
            context=list(h.session.context.labels()) if h.session.context else [],
            trials=[
                HistoryTrial(
                    task=t.task,
                    foot=t.foot,
                    condition=t.parameters.get("condition"),
                    exercise_id=t.parameters.get("exercise_id"),
                    # a withheld result in words: "not measured — why — how to redo", per foot
                    not_measured=trial_withheld_words(t),
                    figures=[
                        TrialFigure(
                            name=r.name,
                            label=_label(r.name),
                            value=r.value,
                            unit=r.unit,
                            text=_value_text(r.name, r.value, r.unit),
                            foot=r.foot,
                            toe=r.toe,
                        )
                        for r in t.results
                    ],
                )
                for t in h.trials
            ],
        )
        for h in reversed(overview.sessions)
    ]


def _changes(overview: PersonOverview) -> list[FigureChange]:
    return [
        FigureChange(
            metric=c.metric,
            label=_label(c.metric),
            foot=c.foot,
            baseline_day=c.baseline_day.isoformat(),
            baseline_value=c.baseline_value,
            latest_day=c.latest_day.isoformat(),
            latest_value=c.latest_value,
            change=c.change,
            change_pct=_number(c.change_pct),
            pct_of_reference=_number(c.pct_of_reference),
        )
        for c in overview.progress.changes
        # one day of tests has nothing to compare: no "+0 %" after the first test
        if c.toe is None and c.latest_day > c.baseline_day
    ]


def _trends(overview: PersonOverview) -> list[FigureTrend]:
    return [
        FigureTrend(
            metric=t.metric,
            label=_label(t.metric),
            foot=t.foot,
            direction=t.direction,
            slope_per_week=_number(t.slope_per_week),
            sessions=t.n_sessions,
        )
        for t in overview.progress.trends
        if t.toe is None
    ]


def _asymmetries(overview: PersonOverview) -> list[FigureAsymmetry]:
    latest: dict[str, Asymmetry] = {}
    for a in overview.progress.asymmetries:
        if a.toe is None:
            latest[a.metric] = a
    return [
        FigureAsymmetry(
            metric=a.metric,
            label=_label(a.metric),
            day=a.day.isoformat(),
            left=a.left,
            right=a.right,
            symmetry_index_pct=_number(a.symmetry_index_pct),
            weaker_foot=a.weaker_foot,
        )
        for a in latest.values()
    ]


def _plateaus(overview: PersonOverview) -> list[FigurePlateau]:
    return [
        FigurePlateau(
            metric=p.metric,
            label=_label(p.metric),
            foot=p.foot,
            weeks=p.weeks,
            plateau=p.plateau,
            advice=p.advice,
        )
        for p in overview.plateaus
    ]


def _tremor(store: Store, person_id: int) -> TremorTimeline:
    lined = tremor_context.line_up(store.sessions.tremor_points(person_id))
    return TremorTimeline(
        timeline=[
            TremorReading(
                when=r.when.isoformat(),
                foot=r.foot,
                condition=r.condition,
                amplitude=r.amplitude,
                amplitude_unit=r.amplitude_unit,
                size=(
                    "—"
                    if r.classification == "none"
                    else NOT_MEASURED
                    if r.amplitude is None
                    else amplitude_words(r.amplitude, r.amplitude_unit)
                ),
                frequency_hz=r.frequency_hz,
                rhythmic=r.rhythmic,
                classification=r.classification,
                frequency=frequency_words(r.classification, r.frequency_hz),
                context=list(r.context),
            )
            for r in reversed(lined.timeline)
        ],
        comparisons=[c.summary for c in lined.comparisons if c.enough],
        caution=lined.caution,
    )


@router.get("/api/history")
def history(store: WebStore, person_id: PersonId) -> History:
    from toelab.report.html import trend_plots

    overview = person_overview(store, person_id)
    return History(
        person=PersonName(id=overview.person.id, display_name=overview.person.display_name),
        charts=[Chart(caption=p.caption, svg=p.svg) for p in trend_plots(overview)],
        changes=_changes(overview),
        trends=_trends(overview),
        asymmetries=_asymmetries(overview),
        plateaus=_plateaus(overview),
        tremor=_tremor(store, person_id),
        flags=[_flag(f) for f in overview.flags],
        sessions=_sessions(overview),
    )


# --- plan and exercise log ----------------------------------------------------------------
class NewPlan(BaseModel):
    exercise_ids: list[str] = Field(min_length=1)


class PlanMark(BaseModel):
    exercise_id: str
    done: bool = True


class ExerciseDone(BaseModel):
    exercise_id: str
    reps: int | None = Field(default=None, ge=0)
    minutes: float | None = Field(default=None, ge=0)
    pain: int | None = Field(default=None, ge=0, le=10)
    comment: str = Field(default="", max_length=1000)


def _plan(store: Store, person_id: int, today: date) -> PlanToday:
    stored = store.plans.current(person_id, today)
    exercises = [ExerciseName(id=e.id, name=e.name) for e in EXERCISES]
    if stored is None:
        return PlanToday(plan=None, today=today.isoformat(), exercises=exercises)
    done = {i.exercise_id: i.times_done for i in store.plans.items(stored.id) if i.day == today}
    adherence = store.plans.adherence(stored, until=today)
    return PlanToday(
        plan=PlanInfo(
            id=stored.id,
            start_date=stored.plan.start_date.isoformat(),
            exercise_ids=list(stored.plan.exercise_ids),
        ),
        today=today.isoformat(),
        exercises=exercises,
        todays=[
            TodaysExercise(
                id=e.id,
                name=e.name,
                frequency=e.frequency.label,
                per_day=e.frequency.sessions_per_day,
                times_done=done.get(e.id, 0),
                camera_judged=e.camera_judged,
            )
            for e in todays_exercises(stored.plan, today)
        ],
        adherence=[
            WeekAdherence(
                week_start=w.week_start.isoformat(),
                done=w.done,
                target=w.target,
                fraction=_number(w.fraction) if w.target else None,
            )
            for w in adherence
        ],
        log=[
            LogEntry(
                day=e.day.isoformat(),
                exercise_id=e.exercise_id,
                reps=e.reps,
                minutes=e.minutes,
                pain=e.pain,
                comment=e.comment,
            )
            for e in reversed(store.exercise_log.entries(person_id)[-20:])
        ],
    )


# without a plan the answer has no todays, adherence or log: left out, not null
@router.get("/api/plan", response_model_exclude_unset=True)
def plan(store: WebStore, person_id: PersonId) -> PlanToday:
    return _plan(store, person_id, date.today())


@router.post("/api/plan", response_model_exclude_unset=True)
def plan_create(new: NewPlan, store: WebStore, person_id: PersonId) -> PlanToday:
    today = date.today()
    store.plans.create(person_id, new.exercise_ids, today)
    return _plan(store, person_id, today)


@router.post("/api/plan/mark", response_model_exclude_unset=True)
def plan_mark(mark: PlanMark, store: WebStore, person_id: PersonId) -> PlanToday:
    today = date.today()
    stored = store.plans.current(person_id, today)
    if stored is None:
        raise ToelabError("there is no plan yet", hint="choose the exercises of your plan first")
    if mark.done:
        store.plans.mark_done(stored, today, mark.exercise_id)
    else:
        store.plans.mark_missed(stored, today, mark.exercise_id)
    return _plan(store, person_id, today)


@router.post("/api/exercise-log")
def exercise_log(done: ExerciseDone, store: WebStore, person_id: PersonId) -> ExerciseLogged:
    entry, marked = log_exercise(
        store,
        person_id,
        done.exercise_id,
        date.today(),
        reps=done.reps,
        minutes=done.minutes,
        pain=done.pain,
        comment=done.comment,
    )
    return ExerciseLogged(
        id=entry.id, exercise_id=entry.exercise_id, day=entry.day.isoformat(), plan_marked=marked
    )


# --- red flags ----------------------------------------------------------------------------
class RedFlagAnswers(BaseModel):
    answers: dict[str, bool]


@router.get("/api/red-flags")
def red_flags_now(store: WebStore, person_id: PersonId) -> RedFlags:
    latest = store.red_flag_answers.latest(person_id)
    return RedFlags(
        questions=[Question(id=q.id, text=q.text) for q in red_flags.QUESTIONS],
        flags=[_flag(f) for f in person_overview(store, person_id).flags],
        # the last answers fill the form in, so only what changed needs a click
        last_answers=latest[1] if latest else {},
        answered_on=latest[0].isoformat() if latest else None,
    )


@router.post("/api/red-flags")
def red_flags_answer(given: RedFlagAnswers, store: WebStore, person_id: PersonId) -> RedFlags:
    store.red_flag_answers.record(person_id, date.today(), given.answers)
    return red_flags_now(store, person_id)


# --- reports and exports ------------------------------------------------------------------
def _download(body: str | bytes, media_type: str, filename: str) -> Response:
    return Response(
        body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


def _slug(store: Store, person_id: int) -> str:
    from toelab.report import report_path

    person = store.people.get(person_id)
    return report_path(store.home, person, pdf=False, session_id=None, today=date.today()).stem


@router.get("/api/report")
def report(store: WebStore, person_id: PersonId, format: str = "html") -> Response:
    from toelab.report import html_to_pdf, pdf_available, report_html

    if format not in ("html", "pdf"):
        raise ToelabError(f"a report is html or pdf, not {format!r}")
    if format == "pdf" and not pdf_available():
        raise ToelabError("PDF reports are not available on this computer", hint="download the HTML report")
    html = report_html(store, person_id)
    name = _slug(store, person_id)
    if format == "pdf":
        return _download(html_to_pdf(html), "application/pdf", f"{name}.pdf")
    return _download(html, "text/html; charset=utf-8", f"{name}.html")


@router.get("/api/export")
def export(store: WebStore, person_id: PersonId, format: str = "csv") -> Response:
    from toelab.report import export_figures

    text = export_figures(store, person_id, format)
    name = _slug(store, person_id).replace("-progress-", "-figures-")
    if format == "csv":
        return _download(text, "text/csv; charset=utf-8", f"{name}.csv")
    return _download(text, "application/fhir+json", f"{name}.fhir.json")


@router.get("/api/report/available", dependencies=[Depends(signed_in)])
def report_formats() -> dict[str, bool]:
    from toelab.report import pdf_available

    return {"html": True, "pdf": pdf_available()}


# --- guidance -----------------------------------------------------------------------------
@router.get("/api/guidance/{kind}/{item_id}", dependencies=[Depends(signed_in)])
def guidance(kind: str, item_id: str) -> Guidance:
    """The instruction sheet of a test or an exercise, and for a test the guide of each step."""
    if kind not in ("test", "exercise"):
        raise ToelabError(f"guidance is for a test or an exercise, not {kind!r}")
    sheet = sheets_for(f"{kind}:{item_id}")[0].as_dict()
    if kind == "test":
        guide = guide_for_test(item_id)
        sheet["steps"] = {s.step_id: {"how_many": s.how_many, "tip": s.tip} for s in guide.steps}
        sheet["before"] = guide.before
    else:
        sheet["steps"] = {}
        sheet["before"] = guide_for_exercise(item_id).before
    return Guidance.model_validate(sheet)


@router.get("/api/tremor-context", dependencies=[Depends(signed_in)])
def tremor_context_questions() -> TremorQuestions:
    return TremorQuestions(
        questions=[
            TremorQuestion(id=q.id, text=q.text, choices=list(q.choices)) for q in tremor_context.QUESTIONS
        ],
        condition_words=dict(tremor_context.CONDITIONS),
        # the tests whose figures mean something else with the context (a tremor test at rest)
        tests=[t.id for t in BATTERY if t.task in TASKS and TASKS[t.task].uses_context],
    )
