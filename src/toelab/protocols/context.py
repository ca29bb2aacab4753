"""The context of a tremor test, and lining it up beside the tremor figures over time.

Shaking of the foot is often stronger with tired muscles, caffeine or stress, and some
medicines can change it (foot-tremor source, seed 003). So each tremor test can keep a few
facts: at rest, holding or moving; the time of day; caffeine in the last hours; tiredness
after exercise; stress; a change of medicine (free text). :func:`line_up` sets a person's
tests side by side by each of these, so they and their clinician can see what goes with a
stronger shaking. It compares; it never says why, and never names a condition.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from toelab.errors import ToelabError

CONDITIONS = {"rest": "at rest", "postural": "holding", "kinetic": "moving"}
# the words a person may use for a condition
_CONDITION_WORDS = {
    "rest": "rest",
    "holding": "postural",
    "postural": "postural",
    "moving": "kinetic",
    "kinetic": "kinetic",
}
PARTS_OF_DAY = ("morning", "afternoon", "evening", "night")
STRESS_LEVELS = ("low", "moderate", "high")
# caffeine counts when taken within this many hours before the test: toelab's own window,
# long enough to cover a morning coffee before a midday test
CAFFEINE_WINDOW_H = 4
# a group needs at least this many tests before toelab compares it with another: toelab's
# own rule, so that one odd day does not make a pattern
MIN_TESTS_PER_GROUP = 2
MEDICATION_MAX_CHARS = 500

_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


@dataclass(frozen=True)
class ContextQuestion:
    id: str
    text: str
    choices: tuple[str, ...]  # empty for free text


QUESTIONS: tuple[ContextQuestion, ...] = (
    ContextQuestion(
        "condition", "Is the foot at rest, holding the toes curled, or moving?", tuple(CONDITIONS)
    ),
    ContextQuestion("part_of_day", "What time of day is it?", PARTS_OF_DAY),
    ContextQuestion(
        "caffeine",
        f"Have you had coffee, tea, cola or an energy drink in the last {CAFFEINE_WINDOW_H} hours?",
        ("yes", "no"),
    ),
    ContextQuestion("tired_after_exercise", "Are your feet or legs tired from exercise?", ("yes", "no")),
    ContextQuestion("stress", "How stressed do you feel right now?", STRESS_LEVELS),
    ContextQuestion(
        "medication_change", "Have you started, stopped or changed a medicine lately? Which one?", ()
    ),
)


def part_of_day(moment: datetime) -> str:
    """Morning (5–12 h), afternoon (12–17 h), evening (17–22 h) or night, by the local clock of ``moment``."""
    hour = moment.hour
    if 5 <= hour < 12:
        return "morning"
    if 12 <= hour < 17:
        return "afternoon"
    if 17 <= hour < 22:
        return "evening"
    return "night"


def _choice(name: str, value: str | None, allowed: Sequence[str]) -> None:
    if value is not None and value not in allowed:
        raise ToelabError(f"tremor context {name} must be one of {', '.join(allowed)}, not {value!r}")


@dataclass(frozen=True)
class TremorContext:
    """What was going on at a tremor test; None means not answered."""

    condition: str | None = None  # rest, postural (holding) or kinetic (moving)
    part_of_day: str | None = None
    caffeine: bool | None = None  # within CAFFEINE_WINDOW_H hours before the test
    tired_after_exercise: bool | None = None
    stress: str | None = None  # low, moderate or high
    medication_change: str = ""  # free text; empty when nothing changed

    def __post_init__(self) -> None:
        _choice("condition", self.condition, tuple(CONDITIONS))
        _choice("part_of_day", self.part_of_day, PARTS_OF_DAY)
        _choice("stress", self.stress, STRESS_LEVELS)
        for name in ("caffeine", "tired_after_exercise"):
            if getattr(self, name) not in (None, True, False):
                raise ToelabError(f"tremor context {name} must be yes or no")
        medication_change: object = self.medication_change  # may come from a form or a stored file
        if not isinstance(medication_change, str) or len(medication_change) > MEDICATION_MAX_CHARS:
            raise ToelabError(
                f"tremor context medication_change must be text of at most {MEDICATION_MAX_CHARS}"
            )

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TremorContext:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ToelabError(
                f"unknown tremor context {', '.join(unknown)}", hint=f"known: {', '.join(sorted(known))}"
            )
        values = dict(data)
        if values.get("medication_change") is None:
            values["medication_change"] = ""
        return cls(**values)

    @classmethod
    def parse(cls, items: Iterable[str]) -> TremorContext:
        """From ``key=value`` words, e.g. ``caffeine=yes``, ``condition=holding``, ``stress=high``."""
        values: dict[str, Any] = {}
        for item in items:
            key, sep, raw = item.partition("=")
            key, raw = key.strip().replace("-", "_"), raw.strip()
            if not sep or not key:
                raise ToelabError(f"tremor context {item!r} is not key=value", hint="e.g. caffeine=yes")
            if key in ("caffeine", "tired_after_exercise", "tired"):
                key = "tired_after_exercise" if key == "tired" else key
                if raw.lower() not in _YES | _NO:
                    raise ToelabError(f"tremor context {key}={raw!r}: answer yes or no")
                values[key] = raw.lower() in _YES
            elif key == "condition":
                if raw.lower() not in _CONDITION_WORDS:
                    raise ToelabError(
                        f"tremor context condition={raw!r}", hint="choose rest, holding or moving"
                    )
                values[key] = _CONDITION_WORDS[raw.lower()]
            elif key in ("part_of_day", "stress"):
                values[key] = raw.lower()
            elif key in ("medication_change", "medication"):
                values["medication_change"] = raw
            else:
                raise ToelabError(
                    f"unknown tremor context {key!r}",
                    hint="known: condition, part_of_day, caffeine, tired, stress, medication",
                )
        return cls.from_dict(values)

    @property
    def is_empty(self) -> bool:
        return self == TremorContext()

    def labels(self) -> tuple[str, ...]:
        """The answers in a few plain words each, for a timeline."""
        words = []
        if self.condition is not None:
            words.append(CONDITIONS[self.condition])
        if self.part_of_day is not None:
            words.append(self.part_of_day)
        if self.caffeine is not None:
            words.append("caffeine" if self.caffeine else "no caffeine")
        if self.tired_after_exercise:
            words.append("tired after exercise")
        if self.stress is not None:
            words.append(f"stress {self.stress}")
        if self.medication_change:
            words.append(f"medicine changed: {self.medication_change}")
        return tuple(words)


@dataclass(frozen=True)
class TremorPoint:
    """One tremor trial's figures with the context of its session."""

    when: datetime
    foot: str | None
    condition: str | None  # the trial's condition; else the context's
    amplitude: float | None  # None: the size was too small to give (``size_not_measured`` says why)
    amplitude_unit: str
    frequency_hz: float | None
    # what the analysis found: "rhythmic", "irregular" or "none" (no shaking); None when unknown
    classification: str | None
    context: TremorContext | None = None
    size_not_measured: str | None = None  # why the size was withheld, and how to redo

    @property
    def rhythmic(self) -> bool | None:
        return None if self.classification is None else self.classification == "rhythmic"


@dataclass(frozen=True)
class TimelineRow:
    when: datetime
    foot: str | None
    condition: str  # plain words, "" when unknown
    amplitude: float | None
    amplitude_unit: str
    frequency_hz: float | None
    classification: str | None  # as TremorPoint's
    context: tuple[str, ...]  # plain words
    size_not_measured: str | None = None

    @property
    def rhythmic(self) -> bool | None:
        return None if self.classification is None else self.classification == "rhythmic"


@dataclass(frozen=True)
class Group:
    label: str
    tests: int
    mean_amplitude: float
    mean_frequency_hz: float | None  # over the tests where a rhythm was found


@dataclass(frozen=True)
class Comparison:
    factor: str  # a TremorContext field
    foot: str | None
    condition: str  # plain words, "" when unknown
    amplitude_unit: str
    groups: tuple[Group, ...]
    enough: bool  # at least two groups with MIN_TESTS_PER_GROUP tests each
    summary: str


@dataclass(frozen=True)
class ContextLineUp:
    timeline: tuple[TimelineRow, ...]
    comparisons: tuple[Comparison, ...]
    caution: str


CAUTION = (
    "These are your own tests side by side. They show what went with stronger or weaker "
    "shaking, not what causes it. Show them to your doctor, and do not change a medicine "
    "on your own."
)

_FACTOR_WORDS = {
    "caffeine": "caffeine in the hours before",
    "tired_after_exercise": "tired after exercise",
    "stress": "stress",
    "part_of_day": "time of day",
    "medication_change": "a change of medicine",
}


def _group_label(factor: str, context: TremorContext) -> str | None:
    if factor == "caffeine":
        return None if context.caffeine is None else ("with caffeine" if context.caffeine else "without")
    if factor == "tired_after_exercise":
        if context.tired_after_exercise is None:
            return None
        return "tired" if context.tired_after_exercise else "not tired"
    if factor == "stress":
        return None if context.stress is None else f"stress {context.stress}"
    if factor == "part_of_day":
        return context.part_of_day
    return "medicine changed" if context.medication_change else "no change"


_ORDER = {
    "caffeine": ("with caffeine", "without"),
    "tired_after_exercise": ("tired", "not tired"),
    "stress": tuple(f"stress {level}" for level in STRESS_LEVELS),
    "part_of_day": PARTS_OF_DAY,
    "medication_change": ("medicine changed", "no change"),
}


def _condition_of(point: TremorPoint) -> str | None:
    if point.condition in CONDITIONS:
        return point.condition
    return point.context.condition if point.context is not None else None


def _fmt(value: float) -> str:
    return f"{value:.3g}"


def _summary(factor: str, where: str, unit: str, groups: Sequence[Group], enough: bool) -> str:
    if not enough:
        return (
            f"{where}: not enough tests yet to compare by {_FACTOR_WORDS[factor]}. Each side needs "
            f"at least {MIN_TESTS_PER_GROUP} tests."
        )
    ready = sorted((g for g in groups if g.tests >= MIN_TESTS_PER_GROUP), key=lambda g: -g.mean_amplitude)
    parts = ", ".join(f"{g.label} {_fmt(g.mean_amplitude)} {unit} ({g.tests} tests)".strip() for g in ready)
    return f"{where}: the shaking was largest {ready[0].label}. On average: {parts}."


def line_up(points: Iterable[TremorPoint]) -> ContextLineUp:
    """The tests in time order with their context, and the shaking compared by each context factor.

    Only tests of the same foot, condition and amplitude unit are compared. A factor is
    compared when at least two of its answers each have :data:`MIN_TESTS_PER_GROUP` tests.
    """
    ordered = sorted(points, key=lambda p: p.when)
    timeline = tuple(
        TimelineRow(
            p.when,
            p.foot,
            CONDITIONS.get(_condition_of(p) or "", ""),
            p.amplitude,
            p.amplitude_unit,
            p.frequency_hz,
            p.classification,
            tuple(w for w in (p.context.labels() if p.context else ()) if w not in CONDITIONS.values()),
            p.size_not_measured,
        )
        for p in ordered
    )
    strata: dict[tuple[str, str, str], list[TremorPoint]] = defaultdict(list)
    for p in ordered:
        # a withheld size is compared with nothing
        if p.context is not None and p.amplitude is not None and math.isfinite(p.amplitude):
            strata[(p.foot or "", _condition_of(p) or "", p.amplitude_unit)].append(p)
    comparisons = []
    for (foot, condition, unit), members in sorted(strata.items()):
        for factor, order in _ORDER.items():
            by_label: dict[str, list[TremorPoint]] = defaultdict(list)
            for p in members:
                assert p.context is not None
                label = _group_label(factor, p.context)
                if label is not None:
                    by_label[label].append(p)
            if factor == "medication_change" and "medicine changed" not in by_label:
                continue
            if not by_label:
                continue
            groups = tuple(
                Group(
                    label,
                    len(by_label[label]),
                    sum(p.amplitude or 0.0 for p in by_label[label]) / len(by_label[label]),
                    _mean_frequency(by_label[label]),
                )
                for label in order
                if label in by_label
            )
            enough = sum(g.tests >= MIN_TESTS_PER_GROUP for g in groups) >= 2
            where = ", ".join(
                part for part in (f"{foot} foot" if foot else "", CONDITIONS.get(condition, "")) if part
            )
            comparisons.append(
                Comparison(
                    factor,
                    foot or None,
                    CONDITIONS.get(condition, ""),
                    unit,
                    groups,
                    enough,
                    _summary(factor, (where or "all tests").capitalize(), unit, groups, enough),
                )
            )
    return ContextLineUp(timeline, tuple(comparisons), CAUTION)


def _mean_frequency(points: Sequence[TremorPoint]) -> float | None:
    found = [p.frequency_hz for p in points if p.frequency_hz is not None and p.rhythmic is not False]
    return sum(found) / len(found) if found else None
