"""The JSON the page reads from the API routes, as pydantic models: the routes' contracts.

Each route declares its model, so the answer is checked on the way out and the app's OpenAPI
schema (``create_app(...).openapi()``) names every field a contributor may rely on. Keys come
in the order the page has always received them; a key the old answers left out is a field
left unset, and routes with such keys leave unset fields out (``response_model_exclude_unset``).
Free-form parts (a task's figures, a run's ``extra``) stay open objects.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

# a figure as it was computed: an int stays an int in the JSON (3, not 3.0)
Number = int | float


class Contract(BaseModel):
    """An answer's fixed shape: nothing added on the way out."""

    model_config = ConfigDict(extra="forbid")


# --- people --------------------------------------------------------------------------------
class PersonName(Contract):
    id: int
    display_name: str


class AccountName(Contract):
    username: str
    role: str


class People(Contract):
    """``/api/people``: whom the page may keep records for, whom it keeps them for now, who is signed in."""

    people: list[PersonName]
    current: int | None
    account: AccountName | None
    can_add: bool


class Me(Contract):
    """``/api/me`` (clinic mode): the signed-in account and the people it sees."""

    username: str
    role: str
    people: list[PersonName]


# --- words and protocols -------------------------------------------------------------------
class TrainTarget(Contract):
    toes: list[int]
    label: str


class Vocabulary(Contract):
    """``/api/vocabulary``: the words the page uses, from the package's own lists."""

    toes: list[str]
    feet: dict[str, str]
    points: dict[str, list[str]]
    point_names: dict[str, str]
    tasks: dict[str, str]
    exercises: dict[str, str]
    conditions: dict[str, str]
    session_kinds: dict[str, str]
    train_targets: dict[str, list[TrainTarget]]


class EditorSetup(Contract):
    """The points editor's page (``toelab points``): the picture's view, the words, the proposal."""

    view: str
    words: Vocabulary
    confident: bool
    message: str
    points: list[dict[str, Any]]
    out: str


class TestCondition(Contract):
    id: str
    instruction: str
    duration_s: Number
    toes: list[int]
    parameters: list[tuple[str, str | Number]]


class PageRules(Contract):
    """How the page runs a test, from its task in the registry (``Task.page_rules``)."""

    view: str
    live_target: bool
    one_recording: bool
    needs_beats: bool
    asks_context: bool
    end_cue: str


class TestProtocol(Contract):
    id: str
    name: str
    task: str
    purpose: str
    setup: list[str]
    conditions: list[TestCondition]
    measures: list[str]
    per_foot: bool
    page: PageRules


class Frequency(Contract):
    label: str
    sessions_per_day: int
    days_per_week: int
    min_days_per_week: int


class Dose(Contract):
    reps: int | None
    sets: int | None
    hold_s: Number | None
    minutes: Number | None


class Level(Contract):
    id: str
    instruction: str
    advance_when: str


class ExerciseProtocol(Contract):
    id: str
    name: str
    trains: str
    steps: list[str]
    dose: Dose
    frequency: Frequency
    progression: list[Level]
    camera_judged: bool
    task: str | None


class FlagProtocol(Contract):
    id: str
    title: str
    advice: str
    see: str
    urgency: str
    sources: list[str]
    when: str


class Protocols(Contract):
    """``/api/protocols``: the battery's tests, the exercises and the warning signs."""

    battery: list[TestProtocol]
    exercises: list[ExerciseProtocol]
    red_flags: list[FlagProtocol]


# --- session results -------------------------------------------------------------------------
class SessionRecord(BaseModel):
    """One run's summary in plain words (a Results entry): its id and time, then what the run
    said (task, figures, rows, cards, ``extra``), which differs from task to task."""

    model_config = ConfigDict(extra="allow")

    id: str
    saved_at: str


# --- plan and exercise log -------------------------------------------------------------------
class ExerciseName(Contract):
    id: str
    name: str


class PlanInfo(Contract):
    id: int
    start_date: str
    exercise_ids: list[str]


class TodaysExercise(Contract):
    id: str
    name: str
    frequency: str
    per_day: int
    times_done: int
    camera_judged: bool


class WeekAdherence(Contract):
    week_start: str
    done: int
    target: int
    fraction: Number | None


class LogEntry(Contract):
    day: str
    exercise_id: str
    reps: int | None
    minutes: Number | None
    pain: int | None
    comment: str


class PlanToday(Contract):
    """``/api/plan``: the plan and today's exercises; without a plan only ``plan`` (null),
    ``today`` and the exercises to choose from."""

    plan: PlanInfo | None
    today: str
    exercises: list[ExerciseName]
    todays: list[TodaysExercise] | None = None
    adherence: list[WeekAdherence] | None = None
    log: list[LogEntry] | None = None


class ExerciseLogged(Contract):
    id: int
    exercise_id: str
    day: str
    plan_marked: bool


# --- red flags ------------------------------------------------------------------------------
class Question(Contract):
    id: str
    text: str


class RaisedFlag(Contract):
    id: str
    title: str
    advice: str
    see: str
    when: str
    reason: str
    foot: str | None


class RedFlags(Contract):
    """``/api/red-flags``: the questions, the warning signs raised and the last answers."""

    questions: list[Question]
    flags: list[RaisedFlag]
    last_answers: dict[str, bool]
    answered_on: str | None


# --- coaching -------------------------------------------------------------------------------
class Area(Contract):
    id: str
    label: str


class CheckIn(Contract):
    id: int
    at: str
    session_id: int | None
    pain: int
    effort: int
    areas: list[str]
    where: str
    note: str


class Pain(Contract):
    level: str
    direction: str
    checkins: int
    latest: int | None
    recent_mean: Number | None
    earlier_mean: Number | None
    reason: str
    advice: str


class CheckIns(Contract):
    """``/api/checkins``: the body areas to choose from, the check-ins, newest first, and the pain trend."""

    areas: list[Area]
    checkins: list[CheckIn]
    pain: Pain | None


class LevelStep(Contract):
    id: str
    instruction: str


class CurrentLevel(Contract):
    id: str
    instruction: str
    advance_when: str


class ExerciseProgress(Contract):
    exercise_id: str
    name: str
    level: CurrentLevel
    levels: list[LevelStep]
    next: LevelStep | None
    ready: bool
    sets: int
    sets_met: int
    reason: str


class Progression(Contract):
    """``/api/progression``: each planned exercise's level and whether the next one is proposed."""

    exercises: list[ExerciseProgress]


class Note(Contract):
    id: int
    author: str
    text: str
    created_at: str
    seen: bool


class Notes(Contract):
    """``/api/notes``: the clinician's notes to the person, newest first."""

    notes: list[Note]


class TrendArrow(Contract):
    foot: str | None
    direction: str
    arrow: str


class FlagTitle(Contract):
    title: str
    foot: str | None


class PainSummary(Contract):
    direction: str
    level: str
    latest: int | None
    advice: str


class PatientRow(Contract):
    id: int
    display_name: str
    last_session: str | None
    adherence_this_week: Number | None
    trends: dict[str, list[TrendArrow]]
    flags: list[FlagTitle]
    pain: PainSummary | None


class ClinicOverview(Contract):
    """``/api/clinic/overview``: one row per patient, those with warning signs first."""

    today: str
    patients: list[PatientRow]


# --- camera set-up, beats, pairing ---------------------------------------------------------------
class SetupNeed(Contract):
    figure: str
    passed: bool
    why: str


class SetupCheck(Contract):
    """``/api/setup-check``: may a test start, the quality figures and what to change."""

    ok: bool
    figures: dict[str, Any]
    problem: str | None
    change: str | None
    checks: list[SetupNeed]
    toes_lost: list[int]


class ProposedPoints(Contract):
    """``/api/propose``: toe points found on a still, how sure, and what to tell the person."""

    ok: bool
    confidence: Number
    message: str
    points: list[dict[str, Any]]
    width: int
    height: int


class SongBeats(Contract):
    """``/api/beats``: the beats of a song."""

    beat_times_s: list[float]
    tempo_bpm: Number | None
    kind: str
    confidence: Number | None
    warnings: list[str]


class PairCode(Contract):
    code: str
    url: str
    qr_svg: str
    expires_in_s: Number


class PairRoom(Contract):
    room: str


class TremorQuestion(Contract):
    id: str
    text: str
    choices: list[str]


class TremorQuestions(Contract):
    """``/api/tremor-context``: the questions asked before a tremor test."""

    questions: list[TremorQuestion]
    condition_words: dict[str, str]
    tests: list[str]


# --- history ----------------------------------------------------------------------------------
class Chart(Contract):
    caption: str
    svg: str


class FigureChange(Contract):
    metric: str
    label: str
    foot: str | None
    baseline_day: str
    baseline_value: Number
    latest_day: str
    latest_value: Number
    change: Number
    change_pct: Number | None
    pct_of_reference: Number | None


class FigureTrend(Contract):
    metric: str
    label: str
    foot: str | None
    direction: str
    slope_per_week: Number | None
    sessions: int


class FigureAsymmetry(Contract):
    metric: str
    label: str
    day: str
    left: Number
    right: Number
    symmetry_index_pct: Number | None
    weaker_foot: str | None


class FigurePlateau(Contract):
    metric: str
    label: str
    foot: str | None
    weeks: Number
    plateau: bool
    advice: str | None


class TremorReading(Contract):
    when: str
    foot: str | None
    condition: str
    amplitude: Number | None  # None: too small to give (the session's line says why)
    amplitude_unit: str
    size: str
    frequency_hz: Number | None
    rhythmic: bool | None
    classification: str | None  # "rhythmic", "irregular" or "none" (no shaking found); None unknown
    frequency: str  # in words, as the history and the report show it: "5.2 Hz", "no shaking found"
    context: list[str]


class TremorTimeline(Contract):
    timeline: list[TremorReading]
    comparisons: list[str]
    caution: str


class TrialFigure(Contract):
    name: str
    label: str
    value: Number
    unit: str
    text: str
    foot: str | None
    toe: int | None


class HistoryTrial(Contract):
    task: str
    foot: str | None
    condition: Any
    exercise_id: Any
    not_measured: list[str]
    figures: list[TrialFigure]


class HistorySession(Contract):
    id: int
    kind: str
    started_at: str
    status: str
    context: list[str]
    trials: list[HistoryTrial]


class History(Contract):
    """``/api/history``: the person's sessions, newest first, the trend charts, what changed
    since the first test, the tremor timeline and the open warning signs."""

    person: PersonName
    charts: list[Chart]
    changes: list[FigureChange]
    trends: list[FigureTrend]
    asymmetries: list[FigureAsymmetry]
    plateaus: list[FigurePlateau]
    tremor: TremorTimeline
    flags: list[RaisedFlag]
    sessions: list[HistorySession]


# --- guidance ---------------------------------------------------------------------------------
class SheetSection(Contract):
    title: str
    lines: list[str]


class StepTip(Contract):
    how_many: str
    tip: str


class Guidance(Contract):
    """``/api/guidance/{kind}/{id}``: the instruction sheet of a test or an exercise, the guide
    of each of a test's steps and what to do before starting."""

    id: str
    kind: str
    name: str
    purpose: str
    sections: list[SheetSection]
    diagram_svg: str | None
    sources: list[str]
    steps: dict[str, StepTip]
    before: str
