"""Toe isolation: can each toe lift on its own, and which neighbours follow?

The individuation index (II) of Häger-Ross & Schieber (2000, J Neurosci 20:8542), defined
for fingers, applied to toes:

1. **Trials.** The test is cut into movement epochs: every lift of any toe
   (:func:`toelab.analysis.lifts.detect_lifts`), overlapping or nearly touching lifts merged.
   In each epoch every toe's **excursion** is its highest point above its rest level
   (lightly smoothed, ``SMOOTH_S``). Of the toes that lifted in the epoch, the one that
   moved most relative to its own largest lift in the test is taken as the instructed
   (target) toe. When two toes move equally far for their size, the epoch cannot tell
   them apart; the larger absolute excursion wins.
2. **Normalisation.** Each toe's reference is its mean excursion in the trials where it was
   the target (its own lift when instructed).
3. **Co-movement** ``C[i, j]`` = mean over toe i's trials of toe j's excursion ÷ toe j's
   reference (row = instructed toe, column = moving toe, diagonal 1).
4. **II_i** = 1 − mean over the other toes j of ``C[i, j]``, clipped to [0, 1];
   1 = perfectly isolated.

A toe is **independent** when II ≥ ``INDEPENDENT_II``, it lifted clearly (its own lift
at least ``CLEAR_LIFT_FRACTION`` of the median lift of the toes that were targets) and no
other toe followed it by ``FOLLOWS_BY_HALF`` of that toe's own lift or more (the mean in
the II can hide one toe that follows closely). A neighbour **co-moved** (a *follower*, kept
with its share) when ``C[i, j]`` > ``CO_MOVED_FRACTION``. Both thresholds are
toelab's choice: no toe norms exist yet (for fingers, Häger-Ross & Schieber 2000 found the
thumb and index most independent and the middle and ring fingers least).

The **toe control score** is 100 × the mean II over the tracked toes, a tracked toe that never
lifted counting as 0. A toe that was not tracked (or left out for poor tracking) gets no
index and does not count: the score then covers fewer toes.

The little toe following the fourth is common (shared tendons) and is reported as a note,
not a warning.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from toelab.analysis.lifts import LiftDetection, detect_lifts, toe_heights
from toelab.analysis.quality import Quality, quality_keys
from toelab.errors import ToelabError
from toelab.recording import Recording

INDEPENDENT_II = 0.7
CO_MOVED_FRACTION = 0.25
CLEAR_LIFT_FRACTION = 0.25
FOLLOWS_BY_HALF = 0.5
SMOOTH_S = 0.1
MERGE_GAP_S = 0.15
EPOCH_PAD_S = 0.1
N_TOES = 5


@dataclass(frozen=True)
class ToeIndividuation:
    toe: int
    individuation_index: float | None
    independent: bool | None  # None: not judged (the toe was not measured)
    co_moved: tuple[int, ...]
    n_trials: int
    measured: bool = True  # False: the toe was not tracked (well enough) to judge
    # (toe, how far it rose as a share of its own lift) for each toe that co-moved
    followers: tuple[tuple[int, float], ...] = ()
    not_measured_reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "toe": self.toe,
            "individuation_index": self.individuation_index,
            "independent": self.independent,
            "co_moved": list(self.co_moved),
            "n_trials": self.n_trials,
            "measured": self.measured,
            "followers": {str(t): round(share, 3) for t, share in self.followers},
        }
        if not self.measured:
            out["not_measured_reason"] = self.not_measured_reason
        return out


@dataclass(frozen=True)
class Trial:
    """One movement epoch: its span, the toe taken as instructed, each toe's excursion."""

    start_s: float
    end_s: float
    target: int
    excursions: tuple[float | None, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "start_s": self.start_s,
            "end_s": self.end_s,
            "target": self.target,
            "excursions": list(self.excursions),
        }


@dataclass(frozen=True)
class IndividuationResult:
    toes: tuple[ToeIndividuation, ...]
    co_movement: np.ndarray
    toe_control_score: float | None
    trials: tuple[Trial, ...]
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    quality: Quality | None = field(default=None, compare=False)

    def toe(self, number: int) -> ToeIndividuation:
        return self.toes[number - 1]

    def as_dict(self) -> dict[str, Any]:
        return {
            "toes": [t.as_dict() for t in self.toes],
            "toe_control_score": self.toe_control_score,
            "co_movement": [
                [None if not np.isfinite(v) else float(v) for v in row] for row in self.co_movement
            ],
            "trials": [t.as_dict() for t in self.trials],
            "warnings": list(self.warnings),
            "notes": list(self.notes),
            **quality_keys(self.quality),
        }


def _smooth(values: np.ndarray, n: int) -> np.ndarray:
    if n <= 1:
        return values
    kernel = np.ones(n) / n
    return np.convolve(values, kernel, mode="same")


def _epochs(detections: dict[int, LiftDetection]) -> list[tuple[float, float, set[int]]]:
    """Movement epochs: overlapping or nearly touching lifts merged; with the toes that lifted."""
    spans = sorted((e.onset_s, e.offset_s, j) for j, d in detections.items() for e in d.events)
    merged: list[tuple[float, float, set[int]]] = []
    for start, end, toe in spans:
        if merged and start <= merged[-1][1] + MERGE_GAP_S:
            first, last, toes = merged[-1]
            merged[-1] = (first, max(last, end), toes | {toe})
        else:
            merged.append((start, end, {toe}))
    return merged


def analyze_individuation(time_s: np.ndarray, heights: np.ndarray) -> IndividuationResult:
    """Individuation of toes 1..5 from their heights over time (n, 5); an all-NaN column = not tracked.

    See the module docstring for the individuation index and how the instructed lifts are found.

    Parameters
    ----------
    time_s : numpy.ndarray
        ``(n,)`` sample times in seconds, uniform.
    heights : numpy.ndarray
        ``(n, 5)`` height of each toe (larger = higher), one column per toe 1..5.

    Returns
    -------
    IndividuationResult
        Per toe its individuation index (0..1) and followers, and the toe control score.

    Raises
    ------
    ToelabError
        When ``heights`` is not ``(n, 5)``, or there are too few samples or tracked toes.

    References
    ----------
    .. [1] hager_ross2000, doi:10.1523/JNEUROSCI.20-22-08542.2000
       Häger-Ross & Schieber 2000. J Neurosci 20:8542.
    """
    time_s = np.asarray(time_s, dtype=float)
    heights = np.asarray(heights, dtype=float)
    if heights.ndim != 2 or heights.shape != (time_s.size, N_TOES):
        raise ToelabError(f"heights must be ({time_s.size}, 5), one column per toe; got {heights.shape}")
    if time_s.size < 5:
        raise ToelabError("too few samples for a toe isolation test")
    tracked = [j for j in range(N_TOES) if np.isfinite(heights[:, j]).sum() >= 5]
    warnings: list[str] = [f"toe {j + 1} is not tracked" for j in range(N_TOES) if j not in tracked]
    notes: list[str] = []
    if not tracked:
        raise ToelabError("no toe has enough samples for a toe isolation test")

    dt = float(np.median(np.diff(time_s)))
    smooth_n = max(1, int(round(SMOOTH_S / dt)))
    level = np.full(heights.shape, np.nan)
    detections: dict[int, LiftDetection] = {}
    for j in tracked:
        column = heights[:, j]
        ok = np.isfinite(column)
        filled = np.interp(time_s, time_s[ok], column[ok])
        detections[j] = detect_lifts(time_s, filled)
        level[:, j] = _smooth(filled - detections[j].baseline, smooth_n)

    epochs = _epochs(detections)
    excursions = np.full((len(epochs), N_TOES), np.nan)
    lifted_in = np.zeros((len(epochs), N_TOES), dtype=bool)
    if epochs:
        spans = np.array([(start, end) for start, end, _ in epochs])
        lo = np.searchsorted(time_s, spans[:, 0] - EPOCH_PAD_S)
        hi = np.maximum(lo + 1, np.searchsorted(time_s, spans[:, 1] + EPOCH_PAD_S))
        moving = level[:, tracked]
        excursions[:, tracked] = np.maximum(
            0.0, [moving[a:b].max(axis=0) for a, b in zip(lo, hi, strict=True)]
        )
        for k, (_, _, lifted_toes) in enumerate(epochs):
            lifted_in[k, sorted(lifted_toes)] = True

    # Only a toe that itself lifted can be the instructed one: a toe that never lifts has a
    # tiny largest excursion, and its noise would look large relative to it.
    largest = np.where(lifted_in, excursions, 0.0).max(axis=0, initial=0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        relative = np.where(lifted_in & (largest > 0), excursions / largest, -np.inf)
    best = relative >= relative.max(axis=1, initial=-np.inf, keepdims=True) - 1e-9
    targets_arr = np.argmax(np.where(best & lifted_in, np.nan_to_num(excursions), -np.inf), axis=1)

    reference = np.full(N_TOES, np.nan)
    for j in tracked:
        own = excursions[targets_arr == j, j]
        if own.size:
            reference[j] = own.mean()
    co = np.full((N_TOES, N_TOES), np.nan)
    for i in range(N_TOES):
        rows = excursions[targets_arr == i]
        if rows.size == 0:
            continue
        with np.errstate(invalid="ignore", divide="ignore"):
            co[i] = np.where(reference > 0, rows.mean(axis=0) / reference, np.nan)
        co[i, i] = 1.0

    lifted = [j for j in tracked if np.isfinite(reference[j])]
    clear_level = CLEAR_LIFT_FRACTION * float(np.median(reference[lifted])) if lifted else np.inf
    toes: list[ToeIndividuation] = []
    scores: list[float] = []
    for i in range(N_TOES):
        n_trials = int(np.sum(targets_arr == i))
        others = [j for j in range(N_TOES) if j != i and np.isfinite(co[i, j])]
        if i not in tracked:
            toes.append(ToeIndividuation(i + 1, None, None, (), 0, measured=False))
            continue
        if n_trials == 0 or not others:
            if n_trials == 0:
                warnings.append(
                    f"toe {i + 1} never lifted on its own (it was not the main mover in any trial)"
                )
            else:
                warnings.append(f"toe {i + 1} cannot be compared: no other toe was lifted on its own")
            toes.append(ToeIndividuation(i + 1, None, False, (), n_trials))
            scores.append(0.0)
            continue
        ii = float(np.clip(1.0 - np.mean(co[i, others]), 0.0, 1.0))
        co_moved = tuple(j + 1 for j in others if co[i, j] > CO_MOVED_FRACTION)
        followers = tuple((j + 1, float(co[i, j])) for j in others if co[i, j] > CO_MOVED_FRACTION)
        independent = (
            ii >= INDEPENDENT_II
            and reference[i] >= clear_level
            and all(share < FOLLOWS_BY_HALF for _, share in followers)
        )
        toes.append(ToeIndividuation(i + 1, ii, bool(independent), co_moved, n_trials, followers=followers))
        scores.append(ii)
        if i == 3 and 5 in co_moved:
            notes.append(
                "the little toe followed the fourth toe; this is common (they share tendons) "
                "and not a concern"
            )
    score = 100.0 * float(np.mean(scores)) if scores else None
    trials = tuple(
        Trial(
            float(start),
            float(end),
            int(target) + 1,
            tuple(None if not np.isfinite(v) else float(v) for v in row),
        )
        for (start, end, _), target, row in zip(epochs, targets_arr, excursions, strict=True)
    )
    if not trials:
        warnings.append("no toe lifted during the recording")
    return IndividuationResult(tuple(toes), co, score, trials, tuple(warnings), tuple(notes))


def individuation_from_recording(
    recording: Recording, foot: str | None = None, *, leave_out: Collection[int] = ()
) -> IndividuationResult:
    """The toe isolation test of one foot from its toe landmarks (see :func:`toe_heights`);
    the toes in ``leave_out`` (e.g. poorly tracked) are treated as not tracked.

    Parameters
    ----------
    recording, foot
        As for :func:`toe_heights`.
    leave_out : collection of int
        Toe numbers to treat as not tracked.

    Returns
    -------
    IndividuationResult
        As :func:`analyze_individuation`.

    Raises
    ------
    ToelabError
        As :func:`toe_heights`: when the foot has no toe landmarks.

    References
    ----------
    .. [1] hager_ross2000, doi:10.1523/JNEUROSCI.20-22-08542.2000
       Häger-Ross & Schieber 2000. J Neurosci 20:8542.
    """
    time_s, per_toe = toe_heights(recording, foot, rest_at_zero=False)
    heights = np.full((time_s.size, N_TOES), np.nan)
    for toe, height in per_toe.items():
        if toe not in leave_out:
            heights[:, toe - 1] = height
    return analyze_individuation(time_s, heights)
