"""The isolation test's steps in words: for each step, did the other toes stay down and how
high the named toes went, with the same verdict words as the toe rows; left against right
where both feet were filmed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from toelab.analysis.individuation import CO_MOVED_FRACTION, FOLLOWS_BY_HALF, N_TOES
from toelab.analysis.isolation_steps import StepSpan, step_figures
from toelab.analysis.lifts import least_noise_floor, toe_heights
from toelab.analysis.quality import good_frames
from toelab.recording import Recording
from toelab.tasks.base import Row
from toelab.tasks.series import length_unit
from toelab.vocabulary import foot_label, toe_name

# Left and right differ when the other toes' rise differs by this many points of the lift
# or more: below it, a second try of the same foot often differs as much (toelab's choice).
SIDES_DIFFER_PCT = 10.0


def step_title(step: str | None, toes: Sequence[int]) -> str:
    """The step's name as the page shows it: "Big toe alone", "Other four", "2nd toe on its own"."""
    if step == "big_toe_alone":
        return "Big toe alone"
    if step == "other_four" or tuple(toes) == (2, 3, 4, 5):
        return "Other four"
    name = " and ".join(toe_name(t) for t in toes)
    return f"{name[0].upper()}{name[1:]} on its own"


def _named(toes: Sequence[int]) -> str:
    return "other four toes" if tuple(toes) == (2, 3, 4, 5) else " and ".join(toe_name(t) for t in toes)


def _others(toes: Sequence[int]) -> str:
    if tuple(toes) == (1,):
        return "the other four"
    if tuple(toes) == (2, 3, 4, 5):
        return "the big toe"
    return "the other toes"


def _size(figures: Mapping[str, Any], unit: str) -> str:
    pct = figures.get("lift_pct_of_foot_width")
    return f"{pct:.0f} % of the foot's width" if pct is not None else f"{figures['lift']:.1f} {unit}"


def step_rows(figures: Mapping[str, Any], unit: str = "px") -> list[Row]:
    """One step's figures as ``(figure, value, meaning)`` rows; a step the data cannot
    support is one "not measured — why — how to redo" row, with no number."""
    toes = figures["toes"]
    title = step_title(figures.get("step"), toes)
    if not figures.get("measured"):
        return [(title, "not measured", f"{figures['not_measured_reason']} — {figures['redo']}")]
    named, others = _named(toes), _others(toes)
    plural = len(toes) > 1
    alone = "move on their own" if plural else "moves on its own"
    not_yet = "do not yet move on their own" if plural else "does not yet move on its own"
    rises = {int(t): p for t, p in figures["rise_pct_by_toe"].items()}
    top_toe, top = max(rises.items(), key=lambda r: r[1])
    whose = f"the {named}' lift" if plural else f"the {named}'s lift"
    if top < 100 * CO_MOVED_FRACTION:
        meaning = f"yes: {others} stayed down — the {named} {alone}"
    elif top < 100 * FOLLOWS_BY_HALF:
        meaning = f"mostly: the {toe_name(top_toe)} rose a little — the {named} {alone}"
    else:
        meaning = f"no: the {toe_name(top_toe)} rose with it — the {named} {not_yet}"
    if len(rises) > 1:
        meaning += " (" + ", ".join(f"{toe_name(t)} {p:.0f} %" for t, p in sorted(rises.items())) + ")"
    lifts = figures["lifts"]
    return [
        (f"{title}: did {others} stay down?", f"rose {top:.0f} % of {whose}", meaning),
        (
            f"{title}: how high the {named} went",
            _size(figures, unit),
            f"the middle of {lifts} lift{'s' if lifts != 1 else ''} in this step, above the toes' rest",
        ),
    ]


def compare_rows(by_foot: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[Row]:
    """Left against right, step by step, where both feet were filmed: how far the other toes
    rose on each; a step not measured on one foot is said so, with no comparison."""
    left, right = by_foot.get("left"), by_foot.get("right")
    if not left or not right:
        return []
    rows: list[Row] = []
    for l_step, r_step in zip(left, right, strict=False):
        title = step_title(r_step.get("step"), r_step["toes"])
        missing = [foot for foot, s in (("left", l_step), ("right", r_step)) if not s.get("measured")]
        if missing:
            why = "; ".join(
                f"{foot}: {(l_step if foot == 'left' else r_step)['not_measured_reason']}" for foot in missing
            )
            rows.append(
                (
                    title,
                    "not compared",
                    f"this step was not measured on the {' and '.join(missing)} foot ({why})",
                )
            )
            continue
        l_top = max(l_step["rise_pct_by_toe"].values())
        r_top = max(r_step["rise_pct_by_toe"].values())
        others, named = _others(r_step["toes"]), _named(r_step["toes"])
        if abs(l_top - r_top) < SIDES_DIFFER_PCT:
            meaning = f"about the same on both feet: {others} rose about as far"
        else:
            better = "right" if r_top < l_top else "left"
            meaning = (
                f"{others} stayed lower on the {better} foot: the {better} {named} moves more on its own"
            )
        rows.append((title, f"right {r_top:.0f} %, left {l_top:.0f} % of the lift", meaning))
    return rows


def step_report(
    recording: Recording,
    feet: Sequence[str],
    marks: Sequence[tuple[float, tuple[int, ...], str | None]],
    withheld: Mapping[str, tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """Each step's figures per foot (``marks``: each step's start time, its toes and id, in
    order; the last step ends with the recording), their rows, and left against right.

    ``withheld``: per foot, why the whole test was not measured and how to redo it; its
    steps say the same."""
    rec = recording if recording.is_regular() else recording.resampled()
    end_s = float(rec.time_s[-1]) + 1e-9
    spans = [
        StepSpan(step or "", start, marks[i + 1][0] if i + 1 < len(marks) else end_s, toes)
        for i, (start, toes, step) in enumerate(marks)
    ]
    unit = length_unit(rec) or "px"
    widths = (rec.meta.extra or {}).get("foot_width_px") or {}
    by_foot: dict[str, list[dict[str, Any]]] = {}
    for foot in feet:
        if foot in (withheld or {}):
            reason, redo = (withheld or {})[foot]
            by_foot[foot] = [
                {
                    "step": s.step,
                    "toes": list(s.toes),
                    "measured": False,
                    "not_measured_reason": reason,
                    "redo": redo,
                }
                for s in spans
            ]
            continue
        time_s, heights = toe_heights(rec, foot)
        table = np.full((time_s.size, N_TOES), np.nan)
        good = np.zeros((time_s.size, N_TOES), dtype=bool)
        for toe, height in heights.items():
            table[:, toe - 1] = height
            name = rec.find_landmark(f"toe{toe}", foot)
            good[:, toe - 1] = good_frames(rec, [name]) if name else False
        width = widths.get(foot) if rec.meta.mm_per_unit is None else None
        found = step_figures(
            time_s, table, good, spans, float(width) if width else None, least_noise_floor(rec)
        )
        by_foot[foot] = [f.as_dict() for f in found]
    return {
        "by_foot": by_foot,
        "rows": {
            foot: [list(r) for s in steps for r in step_rows(s, unit)] for foot, steps in by_foot.items()
        },
        "compare": [list(r) for r in compare_rows(by_foot)],
        "compare_title": "How does it compare with the left?" if len(by_foot) > 1 else None,
        "feet": {foot: foot_label(foot) for foot in by_foot},
    }
