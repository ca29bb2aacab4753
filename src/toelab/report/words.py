"""How figures read in a report or a history table: labels, units, digits, trend words.

Shared by the HTML report and ``toelab history`` so both say the same thing the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from toelab.analysis.progress import Trend
from toelab.store import SessionHistory, Trial
from toelab.tasks.tremor import NO_SHAKING_WORDS
from toelab.vocabulary import TOE_NAMES

# a figure the recording could not support, as a table's cell says it
NOT_MEASURED = "not measured"


@dataclass(frozen=True)
class FigureWords:
    label: str
    digits: int
    unit: str | None = None  # shown instead of the stored unit when set


FIGURE_WORDS = {
    "toe_control_score_pct": FigureWords("Toe control score", 0),
    "individuation_index": FigureWords("Individuation index", 2),
    "big_toe_extension_deg": FigureWords("Big-toe extension", 0),
    "tremor_frequency_hz": FigureWords("Tremor frequency", 1),
    "tremor_amplitude": FigureWords("Tremor amplitude", 3),
    "tremor_stability_index_hz": FigureWords("Tremor stability index", 2),
    "mean_asynchrony_ms": FigureWords("Rhythm: mean asynchrony", 0),
    "sd_asynchrony_ms": FigureWords("Rhythm: timing spread (SD)", 0),
    "circular_r": FigureWords("Rhythm: how steady the timing is (0–1)", 2),
    "hit_rate_pct": FigureWords("Rhythm: beats met", 0),
}

# the figures a summary leads with, in this order
KEY_FIGURES = (
    "toe_control_score_pct",
    "big_toe_extension_deg",
    "sd_asynchrony_ms",
    "mean_asynchrony_ms",
    "tremor_frequency_hz",
    "tremor_amplitude",
)

_SHORT = {
    "toe_control_score_pct": "control",
    "big_toe_extension_deg": "big toe",
    "sd_asynchrony_ms": "rhythm SD",
    "tremor_frequency_hz": "tremor",
}

DIRECTION_WORDS = {
    "improving": "improving",
    "worsening": "getting worse",
    "rising": "rising",
    "falling": "falling",
    "steady": "no clear change",
    "unclear": "too few sessions to tell",
}


def figure_label(name: str, toe: int | None = None) -> str:
    words = FIGURE_WORDS.get(name)
    label = words.label if words else name.replace("_", " ")
    return f"{label}, {TOE_NAMES.get(toe, f'toe {toe}')}" if toe is not None else label


def unit_text(unit: str) -> str:
    """A unit as it follows a number: ``°``, `` %``, `` m/s²``, `` Hz``."""
    return {"deg": "°", "%": " %", "": "", "m/s^2": " m/s²", "px": " px"}.get(unit, f" {unit}")


def format_value(name: str, value: float, unit: str = "") -> str:
    """``72 %``, ``48°``, ``5.2 Hz``, ``0.84``; a tremor test that found no shaking (its size
    stored as 0) reads ``no shaking found``, not ``0.000 px``."""
    if not math.isfinite(value):
        return "—"
    if name == "tremor_amplitude" and value == 0:
        return NO_SHAKING_WORDS
    words = FIGURE_WORDS.get(name)
    digits = words.digits if words else 2
    return f"{value:.{digits}f}{unit_text(unit)}"


def format_change(name: str, change: float, unit: str = "") -> str:
    """A signed change: ``+12 %`` reads as points for a percentage figure: ``+12 points``."""
    if not math.isfinite(change):
        return "—"
    words = FIGURE_WORDS.get(name)
    digits = words.digits if words else 2
    text = f"{change:+.{digits}f}" if round(change, digits) != 0 else f"{0:.{digits}f}"
    return f"{text} points" if unit == "%" else f"{text}{unit_text(unit)}"


def trend_words(trend: Trend | None) -> str:
    return "—" if trend is None else DIRECTION_WORDS.get(trend.direction, trend.direction)


def foot_word(foot: str | None) -> str:
    return {"left": "left", "right": "right", "both": "both"}.get(foot or "", "—")


def session_key_figures(history: SessionHistory) -> str:
    """A one-line digest of a session's key figures: ``control L 72 % R 55 % · big toe L 64° …``."""
    parts = []
    found = _found_in_words(history)
    for name, short in _SHORT.items():
        values = [
            (r.foot, format_value(name, r.value, r.unit))
            for t in history.trials
            for r in t.results
            if r.name == name and r.toe is None
        ]
        # what a test found that no figure holds (a tremor test that found no shaking)
        values += [(foot, words) for n, foot, words in found if n == name]
        if values:
            shown = " ".join(
                f"{(foot or '')[:1].upper()} {text}".strip()
                for foot, text in sorted(values, key=lambda v: v[0] or "")
            )
            parts.append(f"{short} {shown}")
    parts.extend(withheld_words(history))
    return " · ".join(parts)


def _found_in_words(history: SessionHistory) -> list[tuple[str, str | None, str]]:
    from toelab.tasks import TASKS

    # a session also keeps exercises and training, which are no task's
    return [found for t in history.trials if t.task in TASKS for found in TASKS[t.task].found_in_words(t)]


def withheld_words(history: SessionHistory) -> list[str]:
    """Each withheld result of a session: ``Big-toe extension test: not measured (left foot) — why —
    how to redo``."""
    from toelab.tasks import trial_title

    return [f"{trial_title(t.task)}: {words}" for t in history.trials for words in trial_withheld_words(t)]


def trial_withheld_words(trial: Trial) -> list[str]:
    """A trial's withheld results, per foot: ``not measured (left foot) — why — how to redo``."""
    found = []
    for foot, why in (trial.parameters.get("not_measured") or {}).items():
        where = f" ({foot} foot)" if foot in ("left", "right") else ""
        found.append(f"{NOT_MEASURED}{where} — {why}")
    # a figure withheld on its own while the rest was measured (a shaking's size)
    for name, marks in (trial.parameters.get("not_measured_figures") or {}).items():
        for foot, why in marks.items():
            where = f" ({foot} foot)" if foot in ("left", "right") else ""
            found.append(f"{figure_label(name).lower()} {NOT_MEASURED}{where} — {why}")
    return found
