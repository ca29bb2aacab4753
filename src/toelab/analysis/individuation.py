"""Toe isolation: can each toe lift on its own, and which neighbours follow?

The individuation index (II) of Häger-Ross & Schieber (2000, J Neurosci 20:8542), defined
for fingers, applied to toes:

1. **Trials.** The test is cut into movement epochs, one per movement: each toe's clear lifts
   (:func:`toelab.analysis.lifts.detect_lifts`; at least half its largest lift) whose tops fall
   within ``SAME_MOVEMENT_S`` of each other are one movement, and the epoch spans their tops
   ± a typical lift's half-width. In each epoch every toe's **excursion** is its highest point
   above its rest level (lightly smoothed, ``SMOOTH_S``). Of the toes that lifted in the
   epoch, the one that moved most relative to its own largest lift in the test is taken as
   the instructed (target) toe. When two toes move equally far for their size, the epoch
   cannot tell them apart; the larger absolute excursion wins.
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

A toe gets an index only from at least ``MIN_OWN_LIFTS`` lifts of its own whose indices agree
(within ``MAX_LIFT_SPREAD``); otherwise it is not measured, with the reason. A toe that never
led a lift is not measured either: the video cannot tell a toe that only rose with others
from a lift the camera missed, and a wrong 0 would be as misleading as a wrong 1.

The **toe control score** is 100 × the mean II over the toes with an index (at least
``MIN_SCORED_TOES``). A toe without one does not count: the score then covers fewer toes and
says so.

The little toe following the fourth is common (shared tendons) and is reported as a note,
not a warning.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from toelab.analysis.lifts import LiftDetection, detect_lifts, least_noise_floor, toe_heights
from toelab.analysis.quality import Quality, quality_keys
from toelab.errors import ToelabError
from toelab.recording import Recording
from toelab.vocabulary import toe_name

INDEPENDENT_II = 0.7
CO_MOVED_FRACTION = 0.25
CLEAR_LIFT_FRACTION = 0.25
FOLLOWS_BY_HALF = 0.5
SMOOTH_S = 0.1
EPOCH_PAD_S = 0.1
# One movement: lifts that reach their top within this of each other (toes that follow a lift
# peak with it). A clear lift is at least this share of the toe's largest lift.
SAME_MOVEMENT_S = 0.25
LEADER_FRACTION = 0.5
# A toe's index needs at least two of its own lifts (the test asks three) and must agree
# between them: lifts whose indices differ by more than MAX_LIFT_SPREAD (±0.07, the index's
# accuracy goal) are not measured — one lift cannot show the figure is repeatable, and lifts
# that disagree show the tracking or the movement was not steady enough to trust it.
MIN_OWN_LIFTS = 2
MAX_LIFT_SPREAD = 0.14
# How far another toe "followed" is the highest point of its smoothed height in the lift's
# window, so the unsteadiness of its rest position adds to it (the highest of ~20 noisy samples
# lies about 2 standard deviations up). Above MAX_REST_NOISE_SHARE (that noise's robust standard
# deviation over the toe's own lift, averaged over the other toes) the index cannot be read to
# ±0.07 and is not given (toelab's choice, from videos made from real photos with known motion,
# benchmarks/video_truth.py, where a wandering rest position made the index err by 0.1).
MAX_REST_NOISE_SHARE = 0.025
# The toe control score compares toes: it needs an index for at least two of them.
MIN_SCORED_TOES = 2
# A toe whose own lifts give no reliable size (it led no lift, one, or lifts that disagree) has no
# known reference, so how far it followed another toe is not known either: where it moved in
# that toe's lifts (its excursion over this many times its rest noise, and over a tenth of the
# leader's lift), the leader's index is not given. On videos of real feet such a toe was the
# one whose track had slipped onto its neighbour: it "followed" by 103-128 % of its own lift, or,
# never seen leading, was left out of the mean, and the leader's index came out 0.22-0.28 off.
MOVED_NOISE_MULTIPLE = 5.0
MOVED_LEADER_SHARE = 0.1
# The test asks each toe to lift as high as it can on its own; a toe that rose more than a tenth
# higher with another toe than in its own lifts (the tenth: the two heights' own unsteadiness)
# was not seen in full in its own lifts, or the test was not done as asked. Either way the index
# is not given (toelab's line). On videos of real feet a little toe "following" the 4th by 189 %
# put the 4th toe's index 0.32 off, and by 122 % (its own lifts read at half their height) 0.15 off.
MAX_FOLLOW_SHARE = 1.1
# A typical lift's half-width (top to 10 % of its height), bounded: deliberate toe lifts take
# a few tenths of a second to rise.
MIN_HALF_WIDTH_S = 0.15
MAX_HALF_WIDTH_S = 0.6
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
    index_range: tuple[float, float] | None = None  # lowest and highest index of its own lifts
    # the other toes' rest noise as a share of their own lifts, in % (see MAX_REST_NOISE_SHARE)
    rest_noise_pct: float | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "toe": self.toe,
            "individuation_index": self.individuation_index,
            "independent": self.independent,
            "co_moved": list(self.co_moved),
            "n_trials": self.n_trials,
            "measured": self.measured,
            "followers": {str(t): round(share, 3) for t, share in self.followers},
            "index_range": None if self.index_range is None else [round(v, 3) for v in self.index_range],
            "rest_noise_pct": None if self.rest_noise_pct is None else round(self.rest_noise_pct, 2),
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


def movement_epochs(detections: dict[int, LiftDetection]) -> list[tuple[float, float, set[int]]]:
    """Movement epochs, one per movement: each toe's clear lifts (at least ``LEADER_FRACTION`` of
    its largest) whose tops fall within ``SAME_MOVEMENT_S`` of each other are one movement.
    The epoch spans the movement's tops ± a typical lift's half-width, so a lift that seems to
    last seconds (a toe held up, or a point drifting) cannot swallow the movements around it;
    the toes that lifted are those with any lift whose top falls inside it."""
    events = [(e, j) for j, d in detections.items() for e in d.events]
    if not events:
        return []
    largest = {j: max(e.height for e in d.events) for j, d in detections.items() if d.events}
    # ordered by their tops alone: lifts of two toes that top on the same frame are not ranked
    leaders = sorted(
        ((e.peak_s, e, j) for e, j in events if e.height >= LEADER_FRACTION * largest[j]),
        key=lambda leader: leader[0],
    )
    half_width_s = float(np.median([min(e.peak_s - e.onset_s, e.offset_s - e.peak_s) for _, e, _ in leaders]))
    half_width_s = float(np.clip(half_width_s, MIN_HALF_WIDTH_S, MAX_HALF_WIDTH_S))
    groups: list[list[float]] = []
    for peak_s, _, _ in leaders:
        if groups and peak_s - groups[-1][-1] <= SAME_MOVEMENT_S:
            groups[-1].append(peak_s)
        else:
            groups.append([peak_s])
    epochs: list[tuple[float, float, set[int]]] = []
    for tops in groups:
        start, end = tops[0] - half_width_s, tops[-1] + half_width_s
        if epochs and start < epochs[-1][1]:
            # neighbouring movements share the time between their tops
            middle = (epochs[-1][1] + start) / 2
            epochs[-1] = (epochs[-1][0], middle, epochs[-1][2])
            start = middle
        epochs.append((start, end, set()))
    for e, j in events:
        for start, end, toes in epochs:
            if start <= e.peak_s <= end:
                toes.add(j)
    return [(start, end, toes) for start, end, toes in epochs if toes]


def _per_lift_indices(
    own_trials: np.ndarray, reference: np.ndarray, toe: int, others: list[int]
) -> list[float]:
    """The individuation index of each of a toe's own lifts (rows of ``own_trials``)."""
    if not others:
        return []
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = own_trials[:, others] / reference[others]
    return [float(np.clip(1.0 - np.nanmean(row), 0.0, 1.0)) for row in shares]


def toe_control_score(indices: Collection[float]) -> float | None:
    """100 × the mean individuation index of the toes that have one; None under
    ``MIN_SCORED_TOES`` (one toe is no "control score": it needs toes to compare)."""
    return 100.0 * float(np.mean(list(indices))) if len(indices) >= MIN_SCORED_TOES else None


def _own_lifts(
    excursions: np.ndarray, targets: np.ndarray, reference: np.ndarray, co: np.ndarray, tracked: list[int]
) -> dict[int, tuple[list[float], str | None]]:
    """Per tracked toe: the index each of its own lifts gives, and None when those lifts give it
    a reliable size (the reference its following is read against), else why not
    (``_not_enough``'s words)."""
    lifts: dict[int, tuple[list[float], str | None]] = {}
    for j in tracked:
        others = [k for k in range(N_TOES) if k != j and np.isfinite(co[j, k])]
        own = excursions[targets == j]
        per_lift = _per_lift_indices(own, reference, j, others)
        lifts[j] = (per_lift, _not_enough(len(own), others, per_lift))
    return lifts


def _unknown_follower(
    own_trials: np.ndarray,
    own_size: float,
    rest_noise: np.ndarray,
    size_unknown: set[int],
    toe: int,
) -> str | None:
    """Why a toe's index cannot be read when a toe of unknown size (``size_unknown``) moved in
    its lifts; else None."""
    for j in sorted(size_unknown - {toe}):
        moved = float(np.nanmean(own_trials[:, j])) if own_trials.size else 0.0
        floor = max(MOVED_NOISE_MULTIPLE * float(np.nan_to_num(rest_noise[j])), MOVED_LEADER_SHARE * own_size)
        if moved > floor:
            return (
                f"the {toe_name(j + 1)} rose with it, and how far cannot be read: the "
                f"{toe_name(j + 1)}'s own lift was not measured (lift each toe on its own 3 times, "
                "slowly, and check the overlay stays on the toes)"
            )
    return None


def _rose_higher(shares: np.ndarray, others: list[int]) -> str | None:
    """Why a toe's index cannot be read when another toe rose higher with it than on its own."""
    for j in others:
        if shares[j] > MAX_FOLLOW_SHARE:
            return (
                f"the {toe_name(j + 1)} rose higher with it ({100 * shares[j]:.0f} % of its own lift) "
                "than when lifted on its own, so its own lifts were not seen in full — lift each toe "
                "on its own as high as you can, 3 times, and check the overlay stays on the toes"
            )
    return None


def _not_enough(n_trials: int, others: list[int], per_lift: list[float]) -> str | None:
    """Why a toe's lifts cannot give it an index, in plain words; None when they can."""
    if n_trials == 0:
        return (
            "no lift of this toe on its own was seen: either it only rose with other toes, or the "
            "camera did not see it rise — lift it on its own 3 times, slowly, in good light"
        )
    if not others:
        return "no other toe was lifted on its own, so there is nothing to compare it with"
    if n_trials < MIN_OWN_LIFTS:
        return (
            f"it led only {n_trials} lift; an index needs at least {MIN_OWN_LIFTS} to show it is "
            "repeatable — lift it on its own 3 times"
        )
    spread = max(per_lift) - min(per_lift)
    if spread > MAX_LIFT_SPREAD:
        return (
            f"its lifts disagreed (from {min(per_lift):.2f} to {max(per_lift):.2f}), more than the "
            f"±{MAX_LIFT_SPREAD / 2:.2f} the index needs — lift it the same way each time, with the "
            "camera still and the light even, and check the overlay stays on the toes"
        )
    return None


def _rest_noise(level: np.ndarray, time_s: np.ndarray, spans: np.ndarray) -> np.ndarray:
    """Each toe's rest noise: the robust standard deviation (1.4826 × MAD) of its smoothed height
    outside every movement's window, the height "how far it followed" is read from."""
    rest = np.ones(time_s.size, dtype=bool)
    for start, end in spans:
        rest &= (time_s < start - EPOCH_PAD_S) | (time_s > end + EPOCH_PAD_S)
    noise = np.full(level.shape[1], np.nan)
    if rest.sum() >= 5:
        quiet = level[rest]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an untracked toe: no noise
            noise = 1.4826 * np.nanmedian(np.abs(quiet - np.nanmedian(quiet, axis=0)), axis=0)
    return noise


def _rest_noise_pct(noise: np.ndarray, reference: np.ndarray, others: list[int]) -> float | None:
    """The other toes' rest noise as a share of their own lifts, in %."""
    shares = [
        noise[j] / reference[j]
        for j in others
        if np.isfinite(noise[j]) and np.isfinite(reference[j]) and reference[j] > 0
    ]
    return 100.0 * float(np.mean(shares)) if shares else None


def _too_unsteady(noise_pct: float | None) -> str | None:
    if noise_pct is None or noise_pct <= 100.0 * MAX_REST_NOISE_SHARE:
        return None
    return (
        f"the other toes' resting positions wavered by {noise_pct:.1f} % of their lifts (the line is "
        f"{100 * MAX_REST_NOISE_SHARE:.1f} %), too much to read how far they followed — hold the "
        "phone still on a stand or the floor, in bright even light, and lift a little higher"
    )


def analyze_individuation(
    time_s: np.ndarray, heights: np.ndarray, least_noise: float = 0.0
) -> IndividuationResult:
    """Individuation of toes 1..5 from their heights over time (n, 5); an all-NaN column = not
    tracked; ``least_noise`` the heights' least noise floor (``lifts.least_noise_floor``).

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
        detections[j] = detect_lifts(time_s, filled, least_noise=least_noise)
        level[:, j] = _smooth(filled - detections[j].baseline, smooth_n)

    epochs = movement_epochs(detections)
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

    rest_noise = _rest_noise(level, time_s, np.array([(a, b) for a, b, _ in epochs]).reshape(-1, 2))
    own_lifts = _own_lifts(excursions, targets_arr, reference, co, tracked)
    size_unknown = {j for j, (_, why) in own_lifts.items() if why is not None}
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
        per_lift, own_why = own_lifts[i]
        noise_pct = _rest_noise_pct(rest_noise, reference, others)
        why = (
            own_why
            or _too_unsteady(noise_pct)
            or _unknown_follower(excursions[targets_arr == i], reference[i], rest_noise, size_unknown, i)
            or _rose_higher(co[i], others)
        )
        if why is not None:
            warnings.append(f"toe {i + 1}: {why}")
            toes.append(
                ToeIndividuation(
                    i + 1,
                    None,
                    None,
                    (),
                    n_trials,
                    measured=False,
                    not_measured_reason=why,
                    rest_noise_pct=noise_pct,
                )
            )
            continue
        ii = float(np.clip(1.0 - np.mean(co[i, others]), 0.0, 1.0))
        co_moved = tuple(j + 1 for j in others if co[i, j] > CO_MOVED_FRACTION)
        followers = tuple((j + 1, float(co[i, j])) for j in others if co[i, j] > CO_MOVED_FRACTION)
        independent = (
            ii >= INDEPENDENT_II
            and reference[i] >= clear_level
            and all(share < FOLLOWS_BY_HALF for _, share in followers)
        )
        toes.append(
            ToeIndividuation(
                i + 1,
                ii,
                bool(independent),
                co_moved,
                n_trials,
                followers=followers,
                index_range=(float(min(per_lift)), float(max(per_lift))),
                rest_noise_pct=noise_pct,
            )
        )
        scores.append(ii)
        if i == 3 and 5 in co_moved:
            notes.append(
                "the little toe followed the fourth toe; this is common (they share tendons) "
                "and not a concern"
            )
    score = toe_control_score(scores)
    trials = tuple(
        Trial(
            # within the recording: a lift topping near its start has a window reaching before it
            float(max(start, time_s[0])),
            float(min(end, time_s[-1])),
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
    return analyze_individuation(time_s, heights, least_noise_floor(recording))
