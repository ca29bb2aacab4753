"""The tremor tests with their context, as rows and sentences for the report and ``toelab history``.

The sentences say what *went with* a stronger shaking in a person's own tests; they never
say what causes it (see :mod:`toelab.protocols.context`).
"""

from __future__ import annotations

from collections.abc import Sequence

from toelab.protocols.context import (
    CONDITIONS,
    MIN_TESTS_PER_GROUP,
    Comparison,
    ContextLineUp,
    Group,
    TimelineRow,
    TremorContext,
    TremorPoint,
)
from toelab.report.words import NOT_MEASURED, format_value, unit_text
from toelab.tasks.tremor import NO_RHYTHM_WORDS, NO_SHAKING_WORDS

CONTEXT_HEADERS = (
    "Date",
    "Foot",
    "Condition",
    "Time of day",
    "Caffeine",
    "Tired",
    "Stress",
    "Medicine change",
    "Frequency",
    "Amplitude",
)
CONTEXT_NUMERIC = (8, 9)  # the columns holding figures
TIMELINE_HEADERS = ("Date", "Foot", "Condition", "Noted before the test", "Frequency", "Amplitude")
TIMELINE_NUMERIC = (4, 5)

INTRO = (
    "Each tremor test with what was going on at the time, as answered before the test. "
    "“Caffeine” means coffee, tea, cola or an energy drink in the hours before; “tired” means "
    "tired feet or legs after exercise."
)
NO_CONTEXT = (
    "No context was noted with these tests. Before each tremor test, note the time of day, "
    "caffeine, tiredness, stress and any change of medicine: over a few weeks toelab can then "
    "show what went with a stronger shaking."
)

# the averages of two answers closer than this share of the larger one read as "about the
# same": toelab's own rule, so that a small difference between a few home tests is not read
# as a pattern
ABOUT_SAME_FRACTION = 0.10

_FACTORS = {
    "caffeine": "caffeine",
    "tired_after_exercise": "tiredness after exercise",
    "stress": "stress",
    "part_of_day": "time of day",
    "medication_change": "a change of medicine",
}

_ANSWERS = {
    "with caffeine": "caffeine in the hours before",
    "without": "no caffeine",
    "tired": "tired feet or legs",
    "not tired": "rested feet and legs",
    "stress low": "low stress",
    "stress moderate": "moderate stress",
    "stress high": "high stress",
    "medicine changed": "a recent change of medicine",
    "no change": "no change of medicine",
}


def _yes_no(answer: bool | None) -> str:
    return "—" if answer is None else "yes" if answer else "no"


def _condition(point: TremorPoint) -> str:
    condition = point.condition
    if condition not in CONDITIONS and point.context is not None:
        condition = point.context.condition
    return CONDITIONS.get(condition or "", "—")


def frequency_words(classification: str | None, frequency_hz: float | None) -> str:
    """A tremor test's frequency as the history, the report and the page show it."""
    if classification == "none":
        return NO_SHAKING_WORDS
    if classification is not None and classification != "rhythmic":
        return NO_RHYTHM_WORDS
    return "—" if frequency_hz is None else format_value("tremor_frequency_hz", frequency_hz, "Hz")


def size_cell(amplitude: float | None, unit: str, classification: str | None) -> str:
    """A tremor test's size as the history, the report and the page show it: a size too small to
    give reads "not measured" (the session's line says why and how to redo)."""
    if classification == "none":
        return "—"  # no shaking found is said once, in the frequency's cell
    if amplitude is None:
        return NOT_MEASURED
    return format_value("tremor_amplitude", amplitude, unit)


def context_row(point: TremorPoint) -> tuple[str, ...]:
    """One test: the cells under :data:`CONTEXT_HEADERS`."""
    context = point.context or TremorContext()
    return (
        point.when.date().isoformat(),
        point.foot or "—",
        _condition(point),
        context.part_of_day or "—",
        _yes_no(context.caffeine),
        _yes_no(context.tired_after_exercise),
        context.stress or "—",
        context.medication_change or "—",
        frequency_words(point.classification, point.frequency_hz),
        size_cell(point.amplitude, point.amplitude_unit, point.classification),
    )


def context_rows(points: Sequence[TremorPoint]) -> list[tuple[str, ...]]:
    """Every test, oldest first."""
    return [context_row(p) for p in sorted(points, key=lambda p: p.when)]


def timeline_row(row: TimelineRow) -> tuple[str, ...]:
    """One test of :func:`~toelab.protocols.context.line_up`'s timeline: the cells under
    :data:`TIMELINE_HEADERS`, the context in a few words (narrow enough for a terminal)."""
    return (
        row.when.date().isoformat(),
        row.foot or "—",
        row.condition or "—",
        ", ".join(row.context) or "—",
        frequency_words(row.classification, row.frequency_hz),
        size_cell(row.amplitude, row.amplitude_unit, row.classification),
    )


def has_context(points: Sequence[TremorPoint]) -> bool:
    return any(p.context is not None and not p.context.is_empty for p in points)


def _answer(group: Group) -> str:
    return _ANSWERS.get(group.label, f"tests in the {group.label}")


def _average(group: Group, unit: str) -> str:
    tests = "test" if group.tests == 1 else "tests"
    return f"{_answer(group)} {group.mean_amplitude:.3g}{unit_text(unit)} ({group.tests} {tests})"


def comparison_sentence(comparison: Comparison) -> str:
    """``Left foot, holding, by caffeine: a stronger shaking went with caffeine in the hours before …``"""
    where = ", ".join(
        part for part in (f"{comparison.foot} foot" if comparison.foot else "", comparison.condition) if part
    )
    lead = f"{(where or 'All tests').capitalize()}, by {_FACTORS[comparison.factor]}"
    ready = sorted(
        (g for g in comparison.groups if g.tests >= MIN_TESTS_PER_GROUP), key=lambda g: -g.mean_amplitude
    )
    averages = "; ".join(_average(g, comparison.amplitude_unit) for g in ready)
    if ready[0].mean_amplitude - ready[-1].mean_amplitude <= ABOUT_SAME_FRACTION * ready[0].mean_amplitude:
        return f"{lead}: the shaking was about the same. On average: {averages}."
    return f"{lead}: a stronger shaking went with {_answer(ready[0])}. On average: {averages}."


def comparison_sentences(lineup: ContextLineUp) -> tuple[str, ...]:
    """A sentence for each comparison with enough tests on two sides."""
    return tuple(comparison_sentence(c) for c in lineup.comparisons if c.enough)


def not_yet_compared(lineup: ContextLineUp) -> str | None:
    """One line naming what cannot be compared yet, or None."""
    waiting = dict.fromkeys(_FACTORS[c.factor] for c in lineup.comparisons if not c.enough)
    compared = {_FACTORS[c.factor] for c in lineup.comparisons if c.enough}
    names = [name for name in waiting if name not in compared]
    if not names:
        return None
    return (
        f"Not enough tests yet to compare by {', '.join(names)}: each answer needs at least "
        f"{MIN_TESTS_PER_GROUP} tests of the same foot and condition."
    )
