"""The messages the page sends over the live WebSocket, as pydantic models checked in one place.

:func:`parse_start` and :func:`parse_target` are the only ways in: every refusal, whether a
field of the wrong kind (pydantic's own check) or a check of toelab's (an unknown task, toes a
foot does not have, the toe points, the tremor context), leaves as one :class:`ToelabError`
line that names the field and says what to send; pydantic's wording and locations never reach
the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from toelab.errors import ToelabError
from toelab.landmarks import TOES
from toelab.tasks import TASKS, AnalysisOptions, BeatSource
from toelab.track.points import FootPoints, parse_points
from toelab.vocabulary import TASK_NAMES, check_option
from toelab.web.keeping import tremor_context

# the tasks, measured at the end of a run, and training (live feedback only)
LIVE_TASKS = (*TASKS, "train")
# a step's name is kept with the run's figures: a page's ids are short
MAX_STEP_CHARACTERS = 40
# the refused value is quoted back, cut to this length: enough to recognise it
MAX_QUOTED_CHARACTERS = 60
TOELAB_CHECK = "toelab"
CONTEXT_HINT = "send the answers to the questions of /api/tremor-context, or leave context out"


@dataclass(frozen=True)
class FieldWords:
    """What a field must hold, in the page's words, and an example of what to send."""

    must: str
    send: str


TARGET_WORDS = FieldWords(
    f"target must be numbers, toes 1–{len(TOES)}",
    "send the toes that lift as a list: [1] for the big toe, [2, 3, 4, 5] for the other four",
)
START_WORDS: Mapping[str, FieldWords] = {
    "task": FieldWords("a start message needs its task", f"task is one of {', '.join(LIVE_TASKS)}"),
    "points": FieldWords(
        "points must be the toe points clicked on the picture",
        'send [{"view": "front", "foot": "right", "toe1": [x, y], ..., "toe5": [x, y]}]',
    ),
    "target": TARGET_WORDS,
    "hold_s": FieldWords("hold_s must be a number of seconds above 0", "send the hold's length, or null"),
    "beat_times_s": FieldWords(
        "beat_times_s must be numbers", "send the beat times in seconds on the page's clock, or leave it out"
    ),
    "label": FieldWords("label must be text", "send the run's name as a string"),
    "extra": FieldWords("extra must be an object", 'send {"test_id": ..., "condition": ...} or leave it out'),
}
TARGET_MESSAGE_WORDS: Mapping[str, FieldWords] = {
    "target": TARGET_WORDS,
    "step": FieldWords("step must be text", "send the id of the step that starts, or null"),
}


def _refusal(message: str, hint: str | None = None) -> PydanticCustomError:
    """A check of toelab's inside a model: its words go to the page as they are."""
    return PydanticCustomError(TOELAB_CHECK, "{message}", {"message": message, "hint": hint})


def _quoted(value: object) -> str:
    text = repr(value)
    return text if len(text) <= MAX_QUOTED_CHARACTERS else f"{text[: MAX_QUOTED_CHARACTERS - 1]}…"


def refusal_of(error: ValidationError, words: Mapping[str, FieldWords]) -> ToelabError:
    """The one line the page shows for a refused message: the first problem found."""
    first = error.errors(include_url=False)[0]
    if first["type"] == TOELAB_CHECK:
        context = first.get("ctx") or {}
        return ToelabError(str(context.get("message")), hint=context.get("hint"))
    field = str(first["loc"][0]) if first["loc"] else ""
    said = words.get(field, FieldWords(f"{field} is not understood", "leave it out"))
    if first["type"] == "missing":
        return ToelabError(said.must, hint=said.send)
    return ToelabError(f"{said.must}, not {_quoted(first['input'])}", hint=said.send)


# --- the fields ------------------------------------------------------------------------------
def _toes(value: object) -> object:
    """None or an empty list means the big toe; a toe is a whole number 1–5, five at most."""
    if value is None or (isinstance(value, list | tuple) and not value):
        return (1,)
    if isinstance(value, list | tuple) and any(isinstance(t, bool) for t in value):
        raise _refusal(f"{TARGET_WORDS.must}, not {_quoted(value)}", TARGET_WORDS.send)
    return value


def _toes_on_a_foot(toes: tuple[int, ...]) -> tuple[int, ...]:
    if len(toes) > len(TOES):
        raise _refusal(f"target names {len(toes)} toes: a foot has {len(TOES)}", TARGET_WORDS.send)
    outside = [t for t in toes if not 1 <= t <= len(TOES)]
    if outside:
        toes_given = ", ".join(map(str, outside))
        raise _refusal(f"target toes must be numbers 1..{len(TOES)}, not {toes_given}", TARGET_WORDS.send)
    return toes


def _feet(value: object) -> list[FootPoints]:
    """The toe points of each foot, checked as a points file is (toelab.track.points)."""
    try:
        return parse_points(value, "calibration")
    except ToelabError as error:
        raise _refusal(f"points: {error.message}", error.hint) from None


Toes = Annotated[tuple[int, ...], BeforeValidator(_toes)]
Seconds = Annotated[float, Field(allow_inf_nan=False)]


class StartRequest(BaseModel):
    """``{"type": "start", ...}``: what a live run does (see :mod:`toelab.web.live`)."""

    # "type" and what later pages add go unread, as before
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    task: str
    points: Annotated[list[FootPoints], PlainValidator(_feet)]
    target: Toes = (1,)
    hold_s: Annotated[float | None, Field(gt=0, allow_inf_nan=False)] = None
    beat_times_s: Annotated[tuple[Seconds, ...], BeforeValidator(lambda v: v or ())] = ()
    label: Annotated[str, BeforeValidator(lambda v: "" if v is None else v)] = ""
    extra: Annotated[dict[str, Any], BeforeValidator(lambda v: v or {})] = Field(default_factory=dict)

    @field_validator("task", mode="before")
    @classmethod
    def _known_task(cls, task: object) -> object:
        if task not in LIVE_TASKS:
            raise _refusal(f"unknown live task {_quoted(task)}", f"one of {', '.join(LIVE_TASKS)}")
        return task

    @field_validator("target", mode="after")
    @classmethod
    def _on_a_foot(cls, toes: tuple[int, ...]) -> tuple[int, ...]:
        return _toes_on_a_foot(toes)

    @field_validator("extra", mode="after")
    @classmethod
    def _tremor_context(cls, extra: dict[str, Any]) -> dict[str, Any]:
        """A wrong answer is explained before the run, not after it."""
        given = extra.get("context")
        if given and not isinstance(given, dict):
            raise _refusal("extra.context must be an object of tremor answers", CONTEXT_HINT)
        try:
            tremor_context(extra)
        except ToelabError as error:
            raise _refusal(f"extra.context: {error.message}", error.hint or CONTEXT_HINT) from None
        return extra

    @model_validator(mode="after")
    def _beats_for_rhythm(self) -> StartRequest:
        if self.task in TASKS and TASKS[self.task].needs_beats and len(self.beat_times_s) < 2:
            raise _refusal(
                "a musical-toes run needs the beat times (beat_times_s, two or more)",
                "send the beat times in seconds on the page's clock",
            )
        return self

    @property
    def options(self) -> AnalysisOptions:
        """The analysis of a task run (not of a training run)."""
        task = check_option(self.task, TASK_NAMES, "task")
        return AnalysisOptions(task, toes=self.target, beats=BeatSource(times_s=self.beat_times_s))

    @property
    def condition(self) -> str | None:
        """How a test that takes its context was done (a tremor test at rest, holding …)."""
        if self.task in TASKS and TASKS[self.task].uses_context:
            condition: str | None = self.extra.get("condition")
            return condition
        return None


class TargetRequest(BaseModel):
    """``{"type": "target", "target": [2], "step": "lift_toe2"}``: the next step of a run."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    target: Toes = (1,)
    step: str | None = None

    @field_validator("target", mode="after")
    @classmethod
    def _on_a_foot(cls, toes: tuple[int, ...]) -> tuple[int, ...]:
        return _toes_on_a_foot(toes)

    @field_validator("step", mode="after")
    @classmethod
    def _short(cls, step: str | None) -> str | None:
        return None if step is None else step[:MAX_STEP_CHARACTERS]


def parse_start(message: Mapping[str, Any]) -> StartRequest:
    """The start message, checked; a refusal is one :class:`ToelabError` line."""
    try:
        return StartRequest.model_validate(message)
    except ValidationError as error:
        raise refusal_of(error, START_WORDS) from None


def parse_target(message: Mapping[str, Any]) -> TargetRequest:
    """The target message, checked; a refusal is one :class:`ToelabError` line."""
    try:
        return TargetRequest.model_validate(message)
    except ValidationError as error:
        raise refusal_of(error, TARGET_MESSAGE_WORDS) from None
