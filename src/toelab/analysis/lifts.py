"""Toe lifts: find each lift of one toe in its height signal.

Definitions (the rhythm analysis and the tests rely on them):

* **baseline** – the toe's rest level, followed through slow drift: first a running 10th
  percentile in blocks of ``BASELINE_WINDOW_S``, then the running median of the samples
  that are at rest (less than the release threshold above that first estimate).
* **noise floor** – the robust standard deviation of the signal, measured from its second
  differences (1.4826 × median |Δ²y| / √6; smooth lifts barely change them) and, for
  slowly wandering noise, from the spread of the lower part of the residual around the
  baseline; the larger of the two counts.
  A noise-free signal gets a floor of 1 % of its range so that quantisation steps of
  one unit do not count as lifts, and never less than ``STORED_PRECISION`` of its size (a
  still point's rounding), nor than ``least_noise`` where the caller knows the source's own
  (a tracked video's points: :func:`least_noise_floor`).
* **hysteresis** – a lift starts when the toe rises ``ON_NOISE_MULTIPLE`` noise floors above
  the baseline and lasts until it falls below ``OFF_NOISE_MULTIPLE`` noise floors; it must
  stay up ``min_duration_s`` and reach ``min_height`` (default ``MIN_HEIGHT_NOISE_MULTIPLE``
  noise floors).
* **return between lifts** – a toe that comes back from a lift to less than
  ``SPLIT_FRACTION`` of its height and rises again by ``ON_NOISE_MULTIPLE`` noise floors to a
  top twice as high as that dip has lifted twice, even where it did not come down to the
  release threshold (a toe that settles a fraction of a pixel above its old rest on a clean
  video would otherwise merge every following lift with the last).
* **height** – the top of the lift above the baseline (vertex of the fitted parabola).
* **peak_s** – the time of the top of the lift: vertex of a least-squares parabola through
  the samples around the highest sample (at least ±2 samples, more for long lifts), so it
  falls between frames.
* **onset_s** / **offset_s** – the times the toe passes 10 % of that lift's height above
  the baseline on the way up / on the way down, linearly interpolated between frames.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from toelab.analysis.quality import SMALLEST_SEEN_PX, TRACKED_SOURCES
from toelab.errors import ToelabError
from toelab.recording import Recording

BASELINE_WINDOW_S = 4.0
BASELINE_PERCENTILE = 10.0
ON_NOISE_MULTIPLE = 6.0
OFF_NOISE_MULTIPLE = 3.0
MIN_HEIGHT_NOISE_MULTIPLE = 8.0
# the least noise floor, as a share of the signal's size: a tracked point stored as a 32-bit
# float (a precision of about 1e-7 of its value) that a tracker's arithmetic moves by a few
# steps of that precision is still (a toe on a still picture wavered by 1.5e-4 px at 166 px,
# and, with a floor of 1 % of that, was found to lift)
STORED_PRECISION = 1e-6
ONSET_FRACTION = 0.10
SPLIT_FRACTION = 0.5
# Landmarks that move with the whole foot but not with the toes: a shaking camera or a
# foot that shifts moves them as much as the toes.
FOOT_REFERENCE_POINTS = ("forefoot", "mtp1", "mtp5", "mt1_base", "mt5_base", "heel")

_MAD_TO_SD = 1.4826


@dataclass(frozen=True)
class LiftEvent:
    """One lift: times in seconds, height in the signal's units above the baseline."""

    onset_s: float
    peak_s: float
    offset_s: float
    height: float

    @property
    def duration_s(self) -> float:
        return self.offset_s - self.onset_s

    def as_dict(self) -> dict[str, Any]:
        return {
            "onset_s": self.onset_s,
            "peak_s": self.peak_s,
            "offset_s": self.offset_s,
            "height": self.height,
            "duration_s": self.duration_s,
        }


@dataclass(frozen=True)
class LiftDetection:
    """The lifts found in one toe's height signal and the levels used to find them."""

    events: tuple[LiftEvent, ...]
    noise_floor: float
    threshold_on: float
    threshold_off: float
    min_height: float
    baseline: np.ndarray
    warnings: tuple[str, ...] = ()

    @property
    def n_lifts(self) -> int:
        return len(self.events)

    @property
    def peak_times_s(self) -> np.ndarray:
        return np.array([e.peak_s for e in self.events])

    @property
    def onset_times_s(self) -> np.ndarray:
        return np.array([e.onset_s for e in self.events])

    def as_dict(self) -> dict[str, Any]:
        return {
            "n_lifts": self.n_lifts,
            "events": [e.as_dict() for e in self.events],
            "noise_floor": self.noise_floor,
            "threshold_on": self.threshold_on,
            "threshold_off": self.threshold_off,
            "min_height": self.min_height,
            "warnings": list(self.warnings),
        }


def _fill_gaps(time_s: np.ndarray, values: np.ndarray) -> np.ndarray:
    ok = np.isfinite(values)
    if ok.all() or ok.sum() < 2:
        return values
    filled: np.ndarray = np.interp(time_s, time_s[ok], values[ok])
    return filled


def _block_level(time_s: np.ndarray, values: np.ndarray, window_n: int, percentile: float) -> np.ndarray:
    """A running percentile: one value per block of ``window_n`` samples, interpolated between
    block centres. NaN samples are left out of their block; an empty block does not count."""
    n = values.size
    n_blocks = max(1, int(np.ceil(n / window_n)))
    padded = np.full(n_blocks * window_n, np.nan)
    padded[:n] = values
    if n_blocks > 1 and n % window_n:
        padded[-window_n:] = values[-window_n:]  # the last block: the final window_n samples
    ordered = np.sort(padded.reshape(n_blocks, window_n), axis=1)  # NaN sorts last
    count = np.isfinite(ordered).sum(axis=1)
    usable = count > 0
    if not usable.any():
        return np.full(n, np.nan)
    position = percentile / 100.0 * np.maximum(count - 1, 0)
    low = np.floor(position).astype(int)
    high = np.minimum(low + 1, np.maximum(count - 1, 0))
    rows = np.arange(n_blocks)
    level = ordered[rows, low] + (position - low) * (ordered[rows, high] - ordered[rows, low])
    centre_index = np.minimum(np.arange(n_blocks) * window_n + window_n // 2, n - 1)
    if n_blocks > 1 and n % window_n:
        centre_index[-1] = n - 1 - window_n // 2
    centres = time_s[centre_index]
    if usable.sum() == 1:
        return np.full(n, level[usable][0])
    running: np.ndarray = np.interp(time_s, centres[usable], level[usable])
    return running


def _window_samples(time_s: np.ndarray, window_s: float) -> int:
    dt = float(np.median(np.diff(time_s)))
    return max(3, int(round(window_s / dt)))


def least_noise_floor(recording: Recording) -> float:
    """The least noise floor of a recording's toe heights (their units: millimetres where the
    recording has a scale): a tracked video's points do not move by less than
    ``SMALLEST_SEEN_PX`` but with the picture's own noise, so a movement smaller than a few of
    those is no lift (on a still video made from a real photo, a toe's point "lifted" 0.003-
    0.07 px, read as lifts and a repeatable index). 0 for other sources."""
    if recording.meta.source not in TRACKED_SOURCES:
        return 0.0
    return SMALLEST_SEEN_PX * float(recording.meta.mm_per_unit or 1.0)


def estimate_baseline(
    time_s: np.ndarray, height: np.ndarray, least_noise: float = 0.0
) -> tuple[np.ndarray, float]:
    """The rest level of a height signal over time and its noise floor (see module docstring)."""
    time_s = np.asarray(time_s, dtype=float)
    height = np.asarray(height, dtype=float)
    window_n = _window_samples(time_s, BASELINE_WINDOW_S)
    first = _block_level(time_s, height, window_n, BASELINE_PERCENTILE)
    residual = height - first
    # Second differences of white noise have SD σ·√6 and a median near 0.
    d2 = np.abs(height[2:] - 2 * height[1:-1] + height[:-2])
    d2 = d2[np.isfinite(d2)]
    noise_diff = float(_MAD_TO_SD * np.median(d2) / np.sqrt(6.0)) if d2.size else 0.0
    finite = residual[np.isfinite(residual)]
    if finite.size >= 10:
        p05, p2, p20, p995 = np.percentile(finite, [0.5, 2.0, 20.0, 99.5])
        # z(0.20) - z(0.02) for a normal distribution: 2.054 - 0.842
        noise_level = float((p20 - p2) / 1.212)
        span = float(p995 - p05)
    else:
        noise_level, span = 0.0, 0.0
    # a still point's rounding (coordinates kept as 32-bit floats, about 7 digits) is no movement
    values = np.abs(height[np.isfinite(height)])
    precision = STORED_PRECISION * float(values.max()) if values.size else 0.0
    noise = max(noise_diff, noise_level, 0.01 * span, precision, least_noise)
    rest = np.where(residual < OFF_NOISE_MULTIPLE * noise, height, np.nan)
    baseline = _block_level(time_s, rest, window_n, 50.0)
    baseline = np.where(np.isfinite(baseline), baseline, first)
    return baseline, float(noise)


def _crossings(
    time_s: np.ndarray,
    signal: np.ndarray,
    levels: np.ndarray,
    tops: np.ndarray,
    bounds: np.ndarray,
    step: int,
) -> np.ndarray:
    """For each lift, the time the signal passes its level walking from ``top`` by ``step``
    (−1 = back to the onset, +1 = on to the offset), linearly interpolated; a walk that
    reaches its bound (the neighbouring lift) without passing the level stops there."""
    position = tops.copy()
    walking = np.ones(tops.size, dtype=bool)
    while walking.any():
        ahead = position + step
        walking &= (ahead != bounds) & (signal[np.clip(ahead, 0, signal.size - 1)] >= levels)
        position[walking] = ahead[walking]
    below = position + step
    passed = below != bounds
    below = np.where(passed, below, position)
    a, b = signal[position], signal[below]
    with np.errstate(invalid="ignore", divide="ignore"):
        fraction = np.where(passed & (a != b), (a - levels) / (a - b), 0.0)
    crossing_s: np.ndarray = time_s[position] + fraction * (time_s[below] - time_s[position])
    return crossing_s


def _parabolic_peaks(
    time_s: np.ndarray, signal: np.ndarray, tops: np.ndarray, half_n: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Vertex (time, value) of the least-squares parabola through each ``top`` ± ``half_n`` samples.

    Where the fit is not a peak inside its window, the highest sample itself is used.
    """
    n = signal.size
    widest = int(half_n.max())
    k = np.arange(-widest, widest + 1, dtype=float)
    index = tops[:, None] + k.astype(int)
    weight = ((np.abs(k) <= half_n[:, None]) & (index >= 0) & (index < n)).astype(float)
    y = signal[np.clip(index, 0, n - 1)] * weight
    powers = [np.sum(weight * k**p, axis=1) for p in range(5)]
    normal = np.stack(
        [
            np.stack([powers[4], powers[3], powers[2]], axis=-1),
            np.stack([powers[3], powers[2], powers[1]], axis=-1),
            np.stack([powers[2], powers[1], powers[0]], axis=-1),
        ],
        axis=1,
    )
    rhs = np.stack([np.sum(y * k**2, axis=1), np.sum(y * k, axis=1), np.sum(y, axis=1)], axis=-1)
    fallback_t, fallback_y = time_s[tops], signal[tops]
    solvable = np.abs(np.linalg.det(normal)) > 1e-12
    coef = np.zeros((tops.size, 3))
    coef[solvable] = np.linalg.solve(normal[solvable], rhs[solvable][..., None])[..., 0]
    curve, slope, level = coef[:, 0], coef[:, 1], coef[:, 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        vertex = np.where(curve < 0, -slope / (2 * curve), np.inf)
    good = solvable & (np.abs(vertex) <= half_n)
    vertex = np.where(good, vertex, 0.0)
    peak_t = np.where(good, np.interp(tops + vertex, np.arange(n), time_s), fallback_t)
    peak_y = np.where(good, level + slope * vertex + curve * vertex**2, fallback_y)
    return peak_t, np.maximum(peak_y, fallback_y)


def _returns_between_lifts(
    above: np.ndarray, starts: np.ndarray, stops: np.ndarray, rise: float
) -> np.ndarray:
    """The samples where a toe came back between two lifts inside one region above the release
    threshold (see "return between lifts" in the module docstring)."""
    dips = []
    for start, stop in zip(starts, stops, strict=True):
        top, dip_at = -np.inf, -1
        for i in range(start, stop):
            value = above[i]
            if dip_at < 0:
                top = max(top, value)
                if value <= SPLIT_FRACTION * top and top - value >= rise:
                    dip_at = i
            elif value < above[dip_at]:
                dip_at = i
            elif value - above[dip_at] >= rise and above[dip_at] <= SPLIT_FRACTION * value:
                dips.append(dip_at)
                top, dip_at = value, -1
    return np.array(dips, dtype=int)


def detect_lifts(
    time_s: np.ndarray,
    height: np.ndarray,
    *,
    min_height: float | None = None,
    min_duration_s: float = 0.08,
    least_noise: float = 0.0,
) -> LiftDetection:
    """Find the lifts in one toe's height signal (larger = higher; NaN = missing sample).

    See the module docstring for how baseline, noise floor, thresholds and the event
    times are defined.

    Parameters
    ----------
    time_s : numpy.ndarray
        ``(n,)`` sample times in seconds, strictly increasing.
    height : numpy.ndarray
        ``(n,)`` the toe's height, with its rest level (not zeroed).
    min_height : float or None
        The least lift to count, in the height's units; None derives it from the noise floor.
    min_duration_s : float
        The shortest lift to count, in seconds.
    least_noise : float
        The least noise floor, in the height's units (the source's own: :func:`least_noise_floor`).

    Returns
    -------
    LiftDetection
        Each lift's onset, peak and offset times and peak height, the noise floor, the
        thresholds and baseline used, and warnings.

    Raises
    ------
    ToelabError
        When the arrays do not match or the timestamps do not increase.
    """
    time_s = np.asarray(time_s, dtype=float)
    height = np.asarray(height, dtype=float)
    if time_s.ndim != 1 or height.shape != time_s.shape:
        raise ToelabError(
            f"time ({time_s.shape}) and height ({height.shape}) must be 1-D arrays of the same length"
        )
    warnings: list[str] = []
    finite = np.isfinite(height)
    if time_s.size < 5 or finite.sum() < 5:
        empty = np.full(time_s.shape, np.nan)
        warnings.append("too few samples with a height to find lifts")
        return LiftDetection((), 0.0, 0.0, 0.0, 0.0, empty, tuple(warnings))
    if np.any(np.diff(time_s) <= 0):
        raise ToelabError("timestamps are not strictly increasing")
    if finite.mean() < 0.8:
        warnings.append(f"{100 * (1 - finite.mean()):.0f} % of the samples are missing; gaps were bridged")
    filled = _fill_gaps(time_s, height)
    baseline, noise = estimate_baseline(time_s, filled, least_noise)
    above = filled - baseline
    floor = max(noise, 1e-9)
    on, off = ON_NOISE_MULTIPLE * floor, OFF_NOISE_MULTIPLE * floor
    least = MIN_HEIGHT_NOISE_MULTIPLE * floor if min_height is None else float(min_height)
    dt = float(np.median(np.diff(time_s)))

    # Regions above the release threshold that reach the start threshold somewhere.
    up = above > off
    edges = np.diff(np.concatenate(([0], up.astype(np.int8), [0])))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    returns = _returns_between_lifts(above, starts, stops, on)
    if returns.size:
        up[returns] = False
        edges = np.diff(np.concatenate(([0], up.astype(np.int8), [0])))
        starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    events: list[LiftEvent] = []
    region_max = np.maximum.reduceat(above, starts) if starts.size else np.empty(0)
    keep = (region_max > on) & ((stops - starts) * dt >= min_duration_s)
    if keep.any():
        # Samples between regions lie below the release threshold, so each region's
        # maximum is the maximum from its start to the next region's start.
        region_of = np.cumsum(edges[:-1] == 1) - 1
        at_top = np.flatnonzero(up & (above == region_max[np.maximum(region_of, 0)]))
        _, first = np.unique(region_of[at_top], return_index=True)
        tops = at_top[first]
        half_n = np.maximum(2, np.round(0.1 * (stops - starts))).astype(int)
        peak_t, peak_y = _parabolic_peaks(time_s, above, tops[keep], half_n[keep])
        bounds_lo = np.concatenate(([-1], stops[:-1] - 1))[keep]
        bounds_hi = np.concatenate((starts[1:], [above.size]))[keep]
        tall = peak_y >= least
        tops, peak_t, peak_y = tops[keep][tall], peak_t[tall], peak_y[tall]
        levels = ONSET_FRACTION * peak_y
        onsets = _crossings(time_s, above, levels, tops, bounds_lo[tall], -1)
        offsets = _crossings(time_s, above, levels, tops, bounds_hi[tall], 1)
        events = [
            LiftEvent(float(on_s), float(pk_s), float(off_s), float(h))
            for on_s, pk_s, off_s, h in zip(onsets, peak_t, offsets, peak_y, strict=True)
        ]
    return LiftDetection(tuple(events), float(noise), on, off, least, baseline, tuple(warnings))


def toe_heights(
    recording: Recording,
    foot: str | None = None,
    *,
    toes: tuple[int, ...] = (1, 2, 3, 4, 5),
    rest_at_zero: bool = True,
) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """Height of each tracked toe (toe1..toe5) of one foot over time, relative to the foot.

    * Irregular timestamps are first resampled to a uniform grid at their median rate.
    * When the foot has a reference landmark that does not move with the toes
      (``FOOT_REFERENCE_POINTS``: forefoot, mtp1, mtp5, metatarsal bases, heel), the mean
      movement of those references is subtracted, so a shaking camera or a shifting foot
      does not look like a lift.
    * With ``rest_at_zero``, each toe's own rest level (:func:`estimate_baseline`) is
      subtracted: 0 = at rest, positive = lifted. Without it the rest level stays (for
      :func:`detect_lifts`, which finds it itself).
    * Units: millimetres when ``meta.mm_per_unit`` is set, else the recording's units.

    Parameters
    ----------
    recording : Recording
        The toe landmarks of one or both feet.
    foot : {"left", "right"} or None
        Which foot; None for a recording of one foot or of unlabelled landmarks.
    toes : tuple of int
        The toe numbers wanted.
    rest_at_zero : bool
        Subtract each toe's rest level.

    Returns
    -------
    time_s : numpy.ndarray
        The uniform time grid in seconds.
    heights : dict of int to numpy.ndarray
        ``{toe number: height}`` for those of ``toes`` that are tracked.

    Raises
    ------
    ToelabError
        When the foot has no toe landmarks (``toe1`` .. ``toe5``), with how to name them.
    """
    rec = recording if recording.is_regular() else recording.resampled()
    time_s = rec.time_s
    names = {i: n for i in toes if (n := rec.find_landmark(f"toe{i}", foot)) is not None}
    if not names:
        which = f"the {foot} foot" if foot else "this recording"
        raise ToelabError(
            f"no toe landmarks ({', '.join(f'toe{i}' for i in toes)}) found for {which}",
            rec.meta.path,
            hint="name the toe tracks toe1..toe5 (or map them with --map)",
        )
    references = [rec.find_landmark(p, foot) for p in FOOT_REFERENCE_POINTS]
    reference_moves = []
    for name in references:
        if name is None or name in names.values():
            continue
        height = _fill_gaps(time_s, rec.vertical(name))
        if np.isfinite(height).all():
            reference_moves.append(height - np.median(height))
    common = np.mean(reference_moves, axis=0) if reference_moves else np.zeros(time_s.shape)
    scale = rec.meta.mm_per_unit or 1.0
    heights: dict[int, np.ndarray] = {}
    for toe, name in sorted(names.items()):
        height = (rec.vertical(name) - common) * scale
        if rest_at_zero:
            height = height - estimate_baseline(time_s, _fill_gaps(time_s, height))[0]
        heights[toe] = height
    return time_s, heights


def lifts_from_recording(recording: Recording, foot: str | None = None) -> dict[int, LiftDetection]:
    """The lifts of every tracked toe of one foot: ``{toe number: LiftDetection}``.

    Parameters
    ----------
    recording, foot
        As for :func:`toe_heights`.

    Returns
    -------
    dict of int to LiftDetection
        The detected lifts of each tracked toe, by toe number (see :func:`detect_lifts`).

    Raises
    ------
    ToelabError
        As :func:`toe_heights`: when the foot has no toe landmarks.
    """
    time_s, heights = toe_heights(recording, foot, rest_at_zero=False)
    least = least_noise_floor(recording)
    return {toe: detect_lifts(time_s, height, least_noise=least) for toe, height in heights.items()}
