"""The isolation test step by step: in each step, how far the named toes lifted and how far
the other toes rose with them.

The test is recorded in one run; each step names the toes to lift ("big toe alone": toe 1,
"other four": toes 2–5). Within a step's span:

* **Lifts** are the named toes' lifts (:func:`toelab.analysis.lifts.detect_lifts`, the same
  rule as the whole test) whose top falls in the span, grouped into movements as the whole
  test groups them (:func:`toelab.analysis.individuation.movement_epochs`: tops close together
  are one movement of the group, spanning its tops ± a typical lift's half-width).
* For each lift, the **group's lift** is the mean of the named toes' highest points above
  rest (a named toe that stayed down counts 0), and each other toe's **rise** is its highest
  point above rest in the same window (padded by ``EPOCH_PAD_S``), as a share of the
  group's lift. The step's figures are the medians over its lifts, so one clumsy lift does
  not decide them.
* A step is **not measured** (no figure) when it was too short, when a named toe was tracked
  well on fewer than half of the step's frames, when none of the other toes was, or when
  the named toes did not lift in it.

The shares are read against the same line as the toe verdicts (``FOLLOWS_BY_HALF``:
a toe that rises by half the lift or more followed it; ``CO_MOVED_FRACTION``: below a
quarter it stayed down); toelab's choice, as no toe norms exist (Häger-Ross & Schieber
2000, doi:10.1523/JNEUROSCI.20-22-08542.2000, for fingers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from toelab.analysis.individuation import EPOCH_PAD_S, N_TOES, movement_epochs
from toelab.analysis.lifts import detect_lifts

# a step shorter than this holds too little to judge one lift and the rest around it
MIN_STEP_S = 2.0
# the share of a step's frames on which a toe must be tracked well (the tasks' line)
STEP_GOOD_FRAMES_PCT = 50.0


@dataclass(frozen=True)
class StepSpan:
    """One step of the test: its id, its span on the recording's clock, the toes it names."""

    step: str
    start_s: float
    end_s: float
    toes: tuple[int, ...]


@dataclass(frozen=True)
class StepFigures:
    step: str
    toes: tuple[int, ...]
    measured: bool
    lifts: int = 0
    lift: float | None = None  # the named toes' median lift above rest (recording units)
    lift_pct_of_foot_width: float | None = None
    # each other toe's median rise as a share (%) of the named toes' lift
    rise_pct_by_toe: tuple[tuple[int, float], ...] = ()
    reason: str | None = None  # why it is not measured
    redo: str | None = None

    @property
    def highest_rise(self) -> tuple[int, float] | None:
        """The other toe that rose most, with its share (%)."""
        return max(self.rise_pct_by_toe, key=lambda r: r[1]) if self.rise_pct_by_toe else None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"step": self.step, "toes": list(self.toes), "measured": self.measured}
        if self.measured:
            out |= {
                "lifts": self.lifts,
                "lift": self.lift,
                "lift_pct_of_foot_width": self.lift_pct_of_foot_width,
                "rise_pct_by_toe": {str(t): round(p, 1) for t, p in self.rise_pct_by_toe},
            }
        else:
            out |= {"not_measured_reason": self.reason, "redo": self.redo}
        return out


def _names(toes: Sequence[int]) -> str:
    from toelab.vocabulary import toe_name

    if tuple(toes) == (2, 3, 4, 5):
        return "other four toes"
    names = [toe_name(t) for t in toes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _not(step: StepSpan, reason: str, redo: str) -> StepFigures:
    return StepFigures(step.step, step.toes, False, reason=reason, redo=redo)


def _lift_windows(
    time_s: np.ndarray, filled: dict[int, np.ndarray], step: StepSpan, least_noise: float
) -> list[tuple[float, float]]:
    """The movements of the named toes whose lifts top in the step, one window each."""
    detections = {}
    for toe in step.toes:
        found = detect_lifts(time_s, filled[toe], least_noise=least_noise)
        inside = tuple(e for e in found.events if step.start_s <= e.peak_s < step.end_s)
        detections[toe] = replace(found, events=inside)
    return [(start, end) for start, end, _ in movement_epochs(detections)]


def step_figures(
    time_s: np.ndarray,
    heights: np.ndarray,
    good: np.ndarray,
    steps: Sequence[StepSpan],
    foot_width: float | None = None,
    least_noise: float = 0.0,
) -> tuple[StepFigures, ...]:
    """Each step's figures from the toes' heights above rest ``(n, 5)`` (NaN = no position),
    ``good`` ``(n, 5)`` (the toe tracked well on that frame) and the steps' spans;
    ``least_noise`` the heights' least noise floor (``lifts.least_noise_floor``)."""
    time_s = np.asarray(time_s, dtype=float)
    heights = np.asarray(heights, dtype=float)
    good = np.asarray(good, dtype=bool)
    if heights.shape != (time_s.size, N_TOES) or good.shape != heights.shape:
        raise ValueError(f"heights and good must be ({time_s.size}, {N_TOES})")
    filled: dict[int, np.ndarray] = {}
    for j in range(N_TOES):
        ok = np.isfinite(heights[:, j])
        if ok.sum() >= 5:
            filled[j + 1] = np.interp(time_s, time_s[ok], heights[ok, j])
    found = []
    for step in steps:
        named = _names(step.toes)
        inside = (time_s >= step.start_s) & (time_s < step.end_s)
        length_s = step.end_s - step.start_s
        if length_s < MIN_STEP_S or inside.sum() < 5:
            found.append(
                _not(
                    step,
                    f"the step lasted only {max(length_s, 0):.1f} s",
                    "keep going until the step's timer ends",
                )
            )
            continue
        share = {t: 100.0 * float(good[inside, t - 1].mean()) for t in range(1, N_TOES + 1)}
        lost = [t for t in step.toes if t not in filled or share[t] < STEP_GOOD_FRAMES_PCT]
        if lost:
            found.append(
                _not(
                    step,
                    f"the {_names(lost)} {'was' if len(lost) == 1 else 'were'} tracked well on only "
                    f"{min(share[t] for t in lost):.0f} % of this step's frames",
                    "keep all five toes in view, in bright even light, and the foot still on the floor",
                )
            )
            continue
        others = [
            t
            for t in range(1, N_TOES + 1)
            if t not in step.toes and t in filled and share[t] >= STEP_GOOD_FRAMES_PCT
        ]
        if not others:
            found.append(
                _not(
                    step,
                    "none of the other toes was tracked well in this step, so whether they stayed down "
                    "cannot be told",
                    "keep all five toes in view, in bright even light",
                )
            )
            continue
        windows = _lift_windows(time_s, filled, step, least_noise)
        if not windows:
            found.append(
                _not(
                    step,
                    f"the {named} did not lift during this step",
                    f"lift the {named} slowly, 3 times, while the step's timer runs",
                )
            )
            continue
        lifts, rises = [], []
        for start, end in windows:
            sel = (time_s >= max(start - EPOCH_PAD_S, step.start_s)) & (
                time_s <= min(end + EPOCH_PAD_S, step.end_s)
            )
            if not sel.any():
                continue
            top = {t: max(0.0, float(filled[t][sel].max())) for t in (*step.toes, *others)}
            lift = float(np.mean([top[t] for t in step.toes]))
            if lift <= 0:
                continue
            lifts.append(lift)
            rises.append([top[t] / lift for t in others])
        if not lifts:
            found.append(
                _not(
                    step,
                    f"the {named} did not lift during this step",
                    f"lift the {named} slowly, 3 times, while the step's timer runs",
                )
            )
            continue
        median_lift = float(np.median(lifts))
        rise = np.median(np.asarray(rises), axis=0)
        found.append(
            StepFigures(
                step.step,
                step.toes,
                True,
                lifts=len(lifts),
                lift=median_lift,
                lift_pct_of_foot_width=100.0 * median_lift / foot_width if foot_width else None,
                rise_pct_by_toe=tuple((t, 100.0 * float(r)) for t, r in zip(others, rise, strict=True)),
            )
        )
    return tuple(found)
