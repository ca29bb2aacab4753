"""Musical toes: how well toe lifts keep time with a beat (sensorimotor synchronisation).

Measures as in tapping research (Repp 2005, Psychon Bull Rev 12:969; the BAASTA battery,
Dalla Bella et al. 2017, Behav Res Methods 49:1128): each beat is matched to the nearest
lift within ±0.4 beat period (each lift used once); asynchrony = lift − beat (negative =
early). People tapping a finger to a 600 ms metronome are typically ~40 ms early with an
SD of ~40 ms (Repp 2005), so a small negative mean is normal, not a fault.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from toelab.analysis.lifts import detect_lifts, least_noise_floor, toe_heights
from toelab.analysis.quality import Quality, quality_keys
from toelab.errors import ToelabError
from toelab.recording import Recording

MATCH_WINDOW_PERIODS = 0.4
EVENTS = ("peak", "onset")


@dataclass(frozen=True)
class RhythmResult:
    """Synchronisation of lifts with beats. Times in seconds, asynchronies in ms."""

    n_beats: int
    hits: int
    misses: int
    extras: int
    mean_asynchrony_ms: float | None
    sd_asynchrony_ms: float | None
    circular_r: float | None
    mean_phase_deg: float | None
    rayleigh_p: float | None
    inter_lift_interval_cv: float | None
    tempo_ratio: float | None
    beat_period_s: float | None
    asynchronies_ms: np.ndarray
    matched_beat_s: np.ndarray
    matched_lift_s: np.ndarray
    warnings: tuple[str, ...] = ()
    quality: Quality | None = None

    @property
    def hit_rate(self) -> float | None:
        return self.hits / self.n_beats if self.n_beats else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "n_beats": self.n_beats,
            "hits": self.hits,
            "misses": self.misses,
            "extras": self.extras,
            # withheld with the timing: the counts stay, for the reason speaks of them
            "hit_rate": self.hit_rate if self.quality is None or self.quality.measured else None,
            "mean_asynchrony_ms": self.mean_asynchrony_ms,
            "sd_asynchrony_ms": self.sd_asynchrony_ms,
            "circular_r": self.circular_r,
            "mean_phase_deg": self.mean_phase_deg,
            "rayleigh_p": self.rayleigh_p,
            "inter_lift_interval_cv": self.inter_lift_interval_cv,
            "tempo_ratio": self.tempo_ratio,
            "beat_period_s": self.beat_period_s,
            "warnings": list(self.warnings),
            **quality_keys(self.quality),
        }


def beats_from_bpm(bpm: float, offset_s: float, start_s: float, end_s: float) -> np.ndarray:
    """Beat times of a steady metronome at ``bpm`` with a beat at ``offset_s``, within [start, end].

    Parameters
    ----------
    bpm : float
        Tempo in beats per minute.
    offset_s : float
        The time of one beat, in seconds.
    start_s, end_s : float
        The span the beats must fall in, in seconds.

    Returns
    -------
    numpy.ndarray
        The beat times in seconds, increasing.

    Raises
    ------
    ToelabError
        When the tempo is not positive or the span ends before it starts.
    """
    if not np.isfinite(bpm) or bpm <= 0:
        raise ToelabError(f"tempo must be a positive number of beats per minute, got {bpm}")
    if end_s < start_s:
        raise ToelabError(f"the end ({end_s} s) is before the start ({start_s} s)")
    period_s = 60.0 / bpm
    first = np.ceil((start_s - offset_s) / period_s - 1e-9)
    last = np.floor((end_s - offset_s) / period_s + 1e-9)
    return offset_s + period_s * np.arange(first, last + 1)


def rayleigh_p(n: int, r: float) -> float:
    """Rayleigh test p for ``n`` phases with mean resultant length ``r``.

    Zar's approximation (Zar 1999, Biostatistical Analysis, 4th ed., eq. 27.4):
    p = exp(√(1 + 4n + 4(n² − R²)) − (1 + 2n)), with R = n·r.
    """
    big_r = n * r
    p = np.exp(np.sqrt(1 + 4 * n + 4 * (n * n - big_r * big_r)) - (1 + 2 * n))
    return float(min(1.0, max(0.0, p)))


def _local_periods(beats: np.ndarray) -> np.ndarray:
    """Each beat's period: the mean of the intervals either side of it."""
    intervals = np.diff(beats)
    before = np.concatenate(([intervals[0]], intervals))
    after = np.concatenate((intervals, [intervals[-1]]))
    periods: np.ndarray = (before + after) / 2
    return periods


def _match(beats: np.ndarray, periods: np.ndarray, lifts: np.ndarray) -> list[tuple[int, int]]:
    """Pairs (beat index, lift index), closest pairs first, each beat and lift used once."""
    pairs: list[tuple[float, int, int]] = []
    for i, (beat, period) in enumerate(zip(beats, periods, strict=True)):
        window = MATCH_WINDOW_PERIODS * period
        lo, hi = np.searchsorted(lifts, [beat - window, beat + window], side="left")
        pairs.extend((abs(lifts[j] - beat), i, j) for j in range(lo, hi) if abs(lifts[j] - beat) <= window)
    pairs.sort()
    used_beats: set[int] = set()
    used_lifts: set[int] = set()
    matched: list[tuple[int, int]] = []
    for _, i, j in pairs:
        if i in used_beats or j in used_lifts:
            continue
        used_beats.add(i)
        used_lifts.add(j)
        matched.append((i, j))
    return sorted(matched)


def _lift_phases(beats: np.ndarray, periods: np.ndarray, lifts: np.ndarray) -> np.ndarray:
    """Phase (radians, ±π) of every lift relative to its nearest beat.

    Every lift counts, not only the matched ones: phases taken only inside the matching
    window would look consistent even for random lifts.
    """
    keep = (lifts >= beats[0] - periods[0] / 2) & (lifts <= beats[-1] + periods[-1] / 2)
    lifts = lifts[keep]
    after = np.clip(np.searchsorted(beats, lifts), 1, beats.size - 1)
    nearest = np.where(lifts - beats[after - 1] <= beats[after] - lifts, after - 1, after)
    phases: np.ndarray = 2 * np.pi * (lifts - beats[nearest]) / periods[nearest]
    return phases


def analyze_rhythm(
    lift_times_s: Sequence[float] | np.ndarray,
    beat_times_s: Sequence[float] | np.ndarray,
    *,
    span_s: tuple[float, float] | None = None,
) -> RhythmResult:
    """Match lifts to beats and measure asynchrony, consistency and tempo.

    Only beats (and lifts) within ``span_s`` (start, end — the recording's time span) count;
    without it, all of them do. A beat whose matching window reaches past either end of the
    span is not a miss when no lift met it: the lift may lie outside the recording.
    Asynchrony mean and SD come from the matched lifts. The circular measures (R, mean phase,
    Rayleigh p) take every lift's phase relative to its nearest beat,
    360° · (lift − beat) / local beat period, so extra lifts lower R.

    Parameters
    ----------
    lift_times_s : array-like
        The lift times in seconds.
    beat_times_s : array-like
        The beat times in seconds.
    span_s : tuple of float, optional
        The recording's (start, end) in seconds.

    Returns
    -------
    RhythmResult
        Hits, misses and extra lifts, asynchrony mean and SD (ms), the circular measures and
        the tempo of the lifts.

    Raises
    ------
    ToelabError
        When a time is NaN, or fewer than two beats lie within the span.

    References
    ----------
    .. [1] repp2005, doi:10.3758/BF03206433
       Repp 2005. Sensorimotor synchronization: a review. Psychon Bull Rev 12:969.
    """
    lifts = np.sort(np.asarray(lift_times_s, dtype=float).ravel())
    beats = np.sort(np.asarray(beat_times_s, dtype=float).ravel())
    if not (np.all(np.isfinite(lifts)) and np.all(np.isfinite(beats))):
        raise ToelabError("lift and beat times must be numbers (no NaN)")
    warnings: list[str] = []
    periods_all = _local_periods(beats) if beats.size >= 2 else np.full(beats.size, np.nan)
    if span_s is not None:
        start, end = span_s
        keep = (beats >= start) & (beats <= end)
        beats, periods_all = beats[keep], periods_all[keep]
        lifts = lifts[(lifts >= start) & (lifts <= end)]
    if beats.size < 2 or not np.all(np.isfinite(periods_all)):
        raise ToelabError(
            "at least two beats within the recording are needed to measure rhythm",
            hint="check the beat times (or the tempo and offset) and the recording's time span",
        )
    periods = periods_all
    matched = _match(beats, periods, lifts)
    beat_idx = np.array([i for i, _ in matched], dtype=int)
    lift_idx = np.array([j for _, j in matched], dtype=int)
    asynchrony_s = lifts[lift_idx] - beats[beat_idx]
    hits = len(matched)
    if span_s is not None:
        window = MATCH_WINDOW_PERIODS * periods
        at_edge = (beats - window < span_s[0]) | (beats + window > span_s[1])
        at_edge[beat_idx] = False
        n_beats = int(beats.size - at_edge.sum())
    else:
        n_beats = int(beats.size)
    asynchronies_ms = 1000.0 * asynchrony_s
    mean_ms = float(np.mean(asynchronies_ms)) if hits else None
    sd_ms = float(np.std(asynchronies_ms, ddof=1)) if hits >= 2 else None
    phases = _lift_phases(beats, periods, lifts)
    r: float | None = None
    phase_deg: float | None = None
    p: float | None = None
    if phases.size:
        resultant = np.mean(np.exp(1j * phases))
        r = float(np.abs(resultant))
        phase_deg = float(np.degrees(np.angle(resultant)))
        p = rayleigh_p(phases.size, r)
    if not hits:
        warnings.append("no lift fell near a beat")
    if 0 < hits < 10:
        warnings.append(f"only {hits} beats were hit; the figures are rough")
    beat_period_s = float(np.median(np.diff(beats)))
    ili_cv: float | None = None
    tempo_ratio: float | None = None
    if lifts.size >= 3:
        intervals = np.diff(lifts)
        ili_cv = float(np.std(intervals, ddof=1) / np.mean(intervals))
        tempo_ratio = float(np.median(intervals) / beat_period_s)
    return RhythmResult(
        n_beats=n_beats,
        hits=hits,
        misses=n_beats - hits,
        extras=int(lifts.size - hits),
        mean_asynchrony_ms=mean_ms,
        sd_asynchrony_ms=sd_ms,
        circular_r=r,
        mean_phase_deg=phase_deg,
        rayleigh_p=p,
        inter_lift_interval_cv=ili_cv,
        tempo_ratio=tempo_ratio,
        beat_period_s=beat_period_s,
        asynchronies_ms=asynchronies_ms,
        matched_beat_s=beats[beat_idx],
        matched_lift_s=lifts[lift_idx],
        warnings=tuple(warnings),
    )


def rhythm_from_recording(
    recording: Recording,
    beat_times_s: Sequence[float] | np.ndarray,
    *,
    toes: Sequence[int] = (1,),
    event: str = "peak",
    foot: str | None = None,
) -> RhythmResult:
    """Rhythm of one foot's lifts: one toe, or the mean height of a group (e.g. toes 2–5).

    The lift time is the lift's ``peak_s`` or ``onset_s`` (see :mod:`toelab.analysis.lifts`).
    For both feet, call once per foot in ``recording.feet()`` and compare with
    :func:`compare_feet`.

    Parameters
    ----------
    recording : Recording
        The toe landmarks.
    beat_times_s : array-like
        The beat times in seconds, on the recording's clock.
    toes : sequence of int
        The toe, or the group of toes, that lifts to the beat.
    event : {"peak", "onset"}
        Which moment of a lift is its time.
    foot : {"left", "right"} or None
        Which foot.

    Returns
    -------
    RhythmResult
        As :func:`analyze_rhythm`.

    Raises
    ------
    ToelabError
        When ``event`` or ``toes`` is not valid, or the toes are not tracked or have no
        usable samples.

    References
    ----------
    .. [1] repp2005, doi:10.3758/BF03206433
       Repp 2005. Sensorimotor synchronization: a review. Psychon Bull Rev 12:969.
    """
    if event not in EVENTS:
        raise ToelabError(f"event must be one of {EVENTS}, got {event!r}")
    toes = tuple(toes)
    if not toes or any(t not in range(1, 6) for t in toes):
        raise ToelabError(f"toes must be numbers 1..5, got {toes}")
    time_s, heights = toe_heights(recording, foot, toes=toes, rest_at_zero=False)
    missing = [t for t in toes if t not in heights]
    if missing:
        raise ToelabError(
            f"toe(s) {missing} are not tracked" + (f" on the {foot} foot" if foot else ""),
            recording.meta.path,
            hint=f"tracked toes: {sorted(heights)}",
        )
    signal = np.mean([heights[t] for t in toes], axis=0)
    if np.isfinite(signal).sum() < 5:
        raise ToelabError(
            f"toe(s) {list(toes)} have no usable samples" + (f" on the {foot} foot" if foot else ""),
            recording.meta.path,
            hint="check that the file holds the toe positions (not empty cells), or track the video again",
        )
    detection = detect_lifts(time_s, signal, least_noise=least_noise_floor(recording))
    lift_times = detection.peak_times_s if event == "peak" else detection.onset_times_s
    result = analyze_rhythm(lift_times, beat_times_s, span_s=(float(time_s[0]), float(time_s[-1])))
    if detection.warnings:
        result = replace(result, warnings=result.warnings + detection.warnings)
    return result


def compare_feet(left: RhythmResult, right: RhythmResult) -> dict[str, Any]:
    """Left minus right for the main rhythm figures (None where either foot has none).

    Parameters
    ----------
    left, right : RhythmResult
        Each foot's rhythm.

    Returns
    -------
    dict of str to float or None
        ``<figure>_diff_<unit>``: left minus right for each main figure.
    """

    def diff(a: float | None, b: float | None) -> float | None:
        return None if a is None or b is None else float(a - b)

    return {
        "mean_asynchrony_diff_ms": diff(left.mean_asynchrony_ms, right.mean_asynchrony_ms),
        "sd_asynchrony_diff_ms": diff(left.sd_asynchrony_ms, right.sd_asynchrony_ms),
        "circular_r_diff": diff(left.circular_r, right.circular_r),
        "hit_rate_diff": diff(left.hit_rate, right.hit_rate),
        "more_consistent": _more_consistent(left, right),
    }


def _more_consistent(left: RhythmResult, right: RhythmResult) -> str | None:
    """The foot with the smaller asynchrony SD, when the difference is clear.

    10 ms is toelab's margin: about a quarter of the typical tapping SD (Repp 2005).
    """
    if left.sd_asynchrony_ms is None or right.sd_asynchrony_ms is None:
        return None
    gap = left.sd_asynchrony_ms - right.sd_asynchrony_ms
    if abs(gap) < 10.0:
        return None
    return "right" if gap > 0 else "left"
