"""Beat times from sound: metronome clicks or music.

Musical toes asks a person to lift the toes in time to a metronome or a song.
The rhythm analysis needs the beat times on the clock of the video, so the beats
are taken from the video's own sound track (as REPP takes the stimulus from the
recorded track: Anglada-Tort, Harrison & Jacoby 2022, Behav Res Methods 54:2377).

- ``detect_clicks``: metronome clicks, each onset to about a millisecond.
- ``track_beats``: the beat of music (librosa's dynamic-programming tracker,
  Ellis 2007, J New Music Res 36:51).
- ``beats_from_audio``: either, or ``kind="auto"`` to decide which the sound is.

All three are pure: samples in, ``BeatTrack`` out. Times count from the first
sample; pass ``start_time_s`` (the third value ``toelab.io.audio.read_audio``
returns, the presentation time of that first sample) and it is added to every
beat, so ``detect_clicks(*read_audio(path))`` gives beats on the video clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy.ndimage import uniform_filter1d
from scipy.signal import butter, find_peaks, hilbert, sosfiltfilt

from toelab.errors import ToelabError

BeatKind = Literal["clicks", "music"]

# Clicks are read on a 1 ms grid, then each onset is placed at sample level.
_HOP_S = 0.001
# Metronome clicks (beeps, wood blocks) carry their energy well above 200 Hz;
# the high-pass removes hum, handling noise and the bass of music under them.
_HIGHPASS_HZ = 200.0
# A click's rise: energy in the 5 ms after a moment over the 30 ms before it.
_RISE_WINDOW_S = 0.005
_FLOOR_WINDOW_S = 0.030
# A candidate click must rise this far above what came before ...
_MIN_RISE_DB = 6.0
# ... and lie within this range of the loudest clicks (accented downbeats are
# louder than the other beats, but not by tens of decibels).
_ACCENT_RANGE_DB = 20.0
# The onset is where the envelope rises through this share of the click's height
# above the floor: early enough to mark the start, high enough to clear noise.
_ONSET_FRACTION = 0.25
# Metronomes run from about 30 to 300 bpm.
_MIN_PERIOD_S = 0.2
_MAX_PERIOD_S = 2.0
# Rises closer than this are one click and its ringing: the strongest stands.
_MIN_CLICK_INTERVAL_S = 0.03
# How many beat periods and anchor clicks to try when looking for the metronome.
_N_PERIOD_CANDIDATES = 5
_N_ANCHORS = 5
# A click counts as on the beat grid within this share of the period.
_GRID_TOLERANCE_FRACTION = 0.05
# A metronome is timed by a sample clock: its clicks vary by about the onset
# accuracy (~1 ms), under 1 % of any period from 200 ms to 2 s. Played music
# varies more.
_CLICK_MAX_INTERVAL_CV = 0.01
# Clicks are short: 20 ms after each onset stand this far above the sound between
# clicks (from 60 ms after one onset to 10 ms before the next).
_CLICK_SPAN_S = 0.020
_SETTLE_S = 0.060
_GAP_MARGIN_S = 0.010
_CLICK_MIN_CONTRAST_DB = 6.0
_CLICK_MIN_CONFIDENCE = 0.8
_CLICK_MIN_COUNT = 4
# Onset envelope for music: 10 ms frames.
_MUSIC_HOP_S = 0.010


@dataclass(frozen=True)
class BeatTrack:
    """Beat times and what they came from.

    ``beat_times_s``: beat onsets in seconds (from the first sample, plus the
    ``start_time_s`` the caller passed). ``tempo_bpm``: the beat rate (NaN with
    fewer than two beats). ``kind``: ``"clicks"`` or ``"music"``. ``confidence``
    in 0..1: for clicks, the share of beat-grid positions between the first and
    last click that hold a click; for music, the pulse clarity (the onset
    envelope's normalised autocorrelation at the beat period, Lartillot et al.
    2008, ISMIR). ``interval_cv``: the spread of the beat-to-beat intervals over
    their mean (0 for a perfect metronome). ``warnings``: what the user should check.
    """

    beat_times_s: np.ndarray
    tempo_bpm: float
    kind: BeatKind
    confidence: float
    interval_cv: float
    warnings: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        times = np.array(self.beat_times_s, dtype=float)
        times.setflags(write=False)
        object.__setattr__(self, "beat_times_s", times)

    @property
    def n_beats(self) -> int:
        return int(self.beat_times_s.size)


def _checked(samples: np.ndarray, sample_rate_hz: int, min_rate_hz: int) -> np.ndarray:
    x = np.asarray(samples, dtype=float)
    if x.ndim != 1:
        raise ToelabError(
            f"expected one channel of samples, got an array of shape {x.shape}",
            hint="mix the channels down to mono first (read_audio does)",
        )
    if sample_rate_hz < min_rate_hz:
        raise ToelabError(
            f"the sample rate {sample_rate_hz} Hz is too low to find beats",
            hint=f"use sound sampled at {min_rate_hz} Hz or more",
        )
    if not np.all(np.isfinite(x)):
        raise ToelabError("the sound holds NaN or infinite samples", hint="decode the file again")
    return x - x.mean() if x.size else x


def _empty(kind: BeatKind, warning: str) -> BeatTrack:
    return BeatTrack(np.empty(0), float("nan"), kind, 0.0, float("nan"), (warning,))


def _rise_db(x: np.ndarray, hop: int) -> np.ndarray:
    """Energy rise per 1 ms frame: the next few ms over the few tens of ms before."""
    n_frames = x.size // hop
    energy = np.square(x[: n_frames * hop]).reshape(n_frames, hop).sum(axis=1)
    cumulative = np.concatenate([[0.0], np.cumsum(energy)])
    n_after = max(1, round(_RISE_WINDOW_S / _HOP_S))
    n_before = max(1, round(_FLOOR_WINDOW_S / _HOP_S))
    k = np.arange(n_frames)
    after_end = np.minimum(k + n_after, n_frames)
    before_start = np.maximum(k - n_before, 0)
    after = (cumulative[after_end] - cumulative[k]) / (after_end - k)
    before = (cumulative[k] - cumulative[before_start]) / np.maximum(k - before_start, 1)
    # A floor far below the loudest frame keeps digital silence from dividing by zero.
    eps = energy.max() * 1e-8
    rise: np.ndarray = 10.0 * np.log10((after + eps) / (before + eps))
    rise[0] = 0.0  # nothing comes before the first frame to rise from
    return rise


def _onset_sample(x: np.ndarray, frame_start: int, sample_rate_hz: int) -> float:
    """Where the click's envelope rises through a share of its height, in samples."""
    ms = sample_rate_hz / 1000.0
    lo = max(0, frame_start - round(50 * ms))
    hi = min(x.size, frame_start + round(50 * ms))
    envelope = np.abs(hilbert(x[lo:hi]))
    # 0.5 ms centred smoothing: evens out the ripple without shifting the rise.
    envelope = uniform_filter1d(envelope, size=max(1, round(0.5 * ms)), mode="nearest")
    at = frame_start - lo
    floor_part = envelope[max(0, at - round(30 * ms)) : max(1, at - round(3 * ms))]
    peak_lo, peak_hi = max(0, at - round(2 * ms)), min(envelope.size, at + round(15 * ms))
    if peak_hi <= peak_lo:
        return float(frame_start)
    peak_at = peak_lo + int(np.argmax(envelope[peak_lo:peak_hi]))
    floor = float(np.median(floor_part))
    threshold = floor + _ONSET_FRACTION * (envelope[peak_at] - floor)
    below = np.flatnonzero(envelope[:peak_at] < threshold)
    if below.size == 0:
        return float(frame_start)
    i = int(below[-1])
    # Linear interpolation between the last sample below and the first above.
    fraction = (threshold - envelope[i]) / (envelope[i + 1] - envelope[i])
    return lo + i + float(fraction)


def _period_candidates_s(times_s: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The strongest spacings between candidate clicks, on a 1 ms histogram."""
    edges_s = np.arange(_MIN_PERIOD_S, _MAX_PERIOD_S + _HOP_S, _HOP_S)
    histogram = np.zeros(edges_s.size - 1)
    for step in range(1, 9):
        spacing_s = times_s[step:] - times_s[:-step]
        if spacing_s.size == 0:
            break
        histogram += np.histogram(spacing_s, edges_s, weights=weights[step:] * weights[:-step])[0]
    histogram = uniform_filter1d(histogram, size=5, mode="constant")  # 5 ms: onset jitter
    peaks, _ = find_peaks(histogram, distance=round(0.020 / _HOP_S))  # periods 20 ms apart differ
    strongest = peaks[np.argsort(histogram[peaks])[::-1][:_N_PERIOD_CANDIDATES]]
    return (edges_s[strongest] + edges_s[strongest + 1]) / 2


def _fit_grid(
    times_s: np.ndarray, weights: np.ndarray, period_s: float, anchor: int
) -> tuple[np.ndarray, float]:
    """Clicks on one isochronous grid through ``anchor`` and the grid's score.

    The grid is refitted by least squares while the window around the anchor
    doubles, so a small error in the first period cannot add up over a long
    recording. The score is the matched weight less the mean weight for every
    empty grid position, so a grid twice as fine as the clicks scores nothing.
    """
    slope_s, intercept_s = period_s, times_s[anchor]
    span_s = 8 * period_s
    while True:
        index = np.round((times_s - intercept_s) / slope_s)
        residual_s = times_s - (intercept_s + slope_s * index)
        near = (np.abs(times_s - times_s[anchor]) <= span_s) & (
            np.abs(residual_s) <= _GRID_TOLERANCE_FRACTION * slope_s
        )
        # One click per grid position: the strongest.
        order = np.lexsort((-weights, index))
        kept = order[near[order]]
        first_in_slot = np.concatenate([[True], np.diff(index[kept]) != 0])
        chosen = np.zeros(times_s.size, dtype=bool)
        chosen[kept[first_in_slot[: kept.size]]] = True
        if np.unique(index[chosen]).size >= 2:
            slope_s, intercept_s = np.polyfit(index[chosen], times_s[chosen], 1, w=weights[chosen])
        if span_s >= times_s[-1] - times_s[0]:
            break
        span_s *= 2
    if not chosen.any() or not _MIN_PERIOD_S / 2 <= slope_s <= _MAX_PERIOD_S * 2:
        return chosen, -np.inf
    slots = index[chosen].max() - index[chosen].min() + 1
    matched = weights[chosen]
    return chosen, float(matched.sum() - matched.mean() * (slots - chosen.sum()))


def _on_one_grid(times_s: np.ndarray, rises_db: np.ndarray) -> np.ndarray:
    """Keep the candidates that form the strongest isochronous train: the metronome."""
    if times_s.size < 3:
        return np.ones(times_s.size, dtype=bool)
    best, best_score = np.ones(times_s.size, dtype=bool), -np.inf
    anchors = np.argsort(rises_db)[::-1][:_N_ANCHORS]
    for period_s in _period_candidates_s(times_s, rises_db):
        for anchor in anchors:
            chosen, score = _fit_grid(times_s, rises_db, period_s, int(anchor))
            if score > best_score:
                best, best_score = chosen, score
    return best


def _grid_summary(times_s: np.ndarray) -> tuple[float, float, float, tuple[str, ...]]:
    """Tempo, grid coverage, interval CV and warnings for isochronous beat times."""
    intervals = np.diff(times_s)
    period_s = float(np.median(intervals))
    steps = np.maximum(np.round(intervals / period_s), 1)
    index = np.concatenate([[0.0], np.cumsum(steps)])
    # The least-squares slope over the whole train: far finer than one interval.
    slope_s, intercept_s = np.polyfit(index, times_s, 1)
    residual_s = times_s - (intercept_s + slope_s * index)
    on_grid = int(np.count_nonzero(np.abs(residual_s) <= _GRID_TOLERANCE_FRACTION * slope_s))
    confidence = on_grid / (index[-1] + 1)
    per_beat_s = intervals / steps
    interval_cv = float(np.std(per_beat_s) / np.mean(per_beat_s))
    warnings: list[str] = []
    n_missing = int(index[-1] + 1 - times_s.size)
    if n_missing:
        warnings.append(f"{n_missing} beat(s) seem missing between the first and the last click")
    if interval_cv > _CLICK_MAX_INTERVAL_CV:
        warnings.append(
            f"the clicks are unevenly spaced (interval CV {interval_cv:.1%}); "
            "check that the sound is a metronome"
        )
    return float(60.0 / slope_s), float(confidence), interval_cv, tuple(warnings)


def _contrast_db(x: np.ndarray, onsets_s: np.ndarray, sample_rate_hz: int) -> float:
    """How far the sound between clicks lies below the clicks (median over intervals, dB)."""
    energy = np.square(x)
    click_n = round(_CLICK_SPAN_S * sample_rate_hz)
    settle_n, margin_n = round(_SETTLE_S * sample_rate_hz), round(_GAP_MARGIN_S * sample_rate_hz)
    ratios_db = []
    for start_s, end_s in zip(onsets_s[:-1], onsets_s[1:], strict=True):
        start, end = round(start_s * sample_rate_hz), round(end_s * sample_rate_hz)
        gap = energy[start + settle_n : end - margin_n]
        if gap.size:
            click = energy[start : start + click_n].mean()
            ratios_db.append(10.0 * np.log10((click + 1e-30) / (gap.mean() + 1e-30)))
    return float(np.median(ratios_db)) if ratios_db else 0.0


def _clicks_and_contrast(
    samples: np.ndarray, sample_rate_hz: int, start_time_s: float
) -> tuple[BeatTrack, float]:
    x = _checked(samples, sample_rate_hz, min_rate_hz=8000)
    if x.size < round(0.1 * sample_rate_hz) or not np.any(x):
        return _empty("clicks", "the sound is silent or too short to hold clicks"), 0.0
    sos = butter(4, _HIGHPASS_HZ, btype="highpass", fs=sample_rate_hz, output="sos")
    x = sosfiltfilt(sos, x)  # zero-phase: the filter must not delay the clicks
    hop = round(sample_rate_hz * _HOP_S)
    rise_db = _rise_db(x, hop)
    min_frames = max(1, round(_MIN_CLICK_INTERVAL_S / _HOP_S))
    peaks, _ = find_peaks(rise_db, height=_MIN_RISE_DB, distance=min_frames)
    if peaks.size:
        loudest_db = np.percentile(rise_db[peaks], 90)
        peaks = peaks[rise_db[peaks] >= loudest_db - _ACCENT_RANGE_DB]
    if peaks.size == 0:
        return _empty("clicks", "no clicks found in the sound"), 0.0
    onsets_s = np.array([_onset_sample(x, int(p) * hop, sample_rate_hz) for p in peaks]) / sample_rate_hz
    onsets_s = onsets_s[_on_one_grid(onsets_s, rise_db[peaks])]
    if onsets_s.size < 2:
        return BeatTrack(
            onsets_s + start_time_s, float("nan"), "clicks", 0.0, float("nan"), ("only one click found",)
        ), 0.0
    tempo_bpm, confidence, interval_cv, warnings = _grid_summary(onsets_s)
    track = BeatTrack(onsets_s + start_time_s, tempo_bpm, "clicks", confidence, interval_cv, warnings)
    return track, _contrast_db(x, onsets_s, sample_rate_hz)


def detect_clicks(samples: np.ndarray, sample_rate_hz: int, start_time_s: float = 0.0) -> BeatTrack:
    """Metronome click onsets, each to about a millisecond.

    The sound is high-passed (zero phase), candidate clicks are the moments its
    energy rises sharply over the preceding 30 ms (a rise in decibels, so soft and
    accented clicks count alike and steady noise or music does not), and each
    onset is placed where the click's envelope crosses a quarter of its height
    above the floor before it, interpolated between samples. The clicks kept are
    those on the strongest isochronous grid, so drum hits and note onsets between
    the clicks drop out; missing clicks and uneven spacing show in ``warnings``.
    """
    return _clicks_and_contrast(samples, sample_rate_hz, start_time_s)[0]


def _pulse_clarity(onset_envelope: np.ndarray, period_frames: float) -> float:
    centred = onset_envelope - onset_envelope.mean()
    autocorrelation = np.correlate(centred, centred, mode="full")[centred.size - 1 :]
    lag = round(period_frames)
    if autocorrelation[0] <= 0 or not 0 < lag < autocorrelation.size:
        return 0.0
    return float(np.clip(autocorrelation[lag] / autocorrelation[0], 0.0, 1.0))


def track_beats(samples: np.ndarray, sample_rate_hz: int, start_time_s: float = 0.0) -> BeatTrack:
    """The beat of music: librosa's onset envelope and dynamic-programming beat tracker."""
    x = _checked(samples, sample_rate_hz, min_rate_hz=4000)
    if x.size < sample_rate_hz or not np.any(x):
        return _empty("music", "the sound is silent or shorter than a second; no beat can be tracked")
    import librosa  # slow to import; only music needs it

    hop = round(sample_rate_hz * _MUSIC_HOP_S)
    onset_envelope = librosa.onset.onset_strength(y=x, sr=sample_rate_hz, hop_length=hop)
    tempo, beat_times_s = librosa.beat.beat_track(
        onset_envelope=onset_envelope, sr=sample_rate_hz, hop_length=hop, units="time"
    )
    tempo_bpm = float(np.atleast_1d(tempo)[0])
    if beat_times_s.size < 2 or not tempo_bpm > 0:
        return _empty("music", "no steady beat found in the music")
    intervals = np.diff(beat_times_s)
    interval_cv = float(np.std(intervals) / np.mean(intervals))
    confidence = _pulse_clarity(onset_envelope, 60.0 / tempo_bpm / (hop / sample_rate_hz))
    warnings = () if beat_times_s.size >= _CLICK_MIN_COUNT else ("fewer than four beats found",)
    return BeatTrack(beat_times_s + start_time_s, tempo_bpm, "music", confidence, interval_cv, warnings)


def _is_click_track(track: BeatTrack, contrast_db: float) -> bool:
    return (
        track.n_beats >= _CLICK_MIN_COUNT
        and contrast_db >= _CLICK_MIN_CONTRAST_DB
        and track.confidence >= _CLICK_MIN_CONFIDENCE
        and track.interval_cv <= _CLICK_MAX_INTERVAL_CV
    )


def beats_from_audio(
    samples: np.ndarray,
    sample_rate_hz: int,
    start_time_s: float = 0.0,
    *,
    kind: Literal["auto", "clicks", "music"] = "auto",
) -> BeatTrack:
    """Beats from clicks or music; ``kind="auto"`` decides which and says so in ``BeatTrack.kind``.

    A click track is short transients on an exact grid: at least four clicks, the
    sound between them at least 6 dB below them, at least 80 % of the grid
    positions filled and an interval CV of at most 1 %.
    Anything else is tracked as music.

    Parameters
    ----------
    samples : numpy.ndarray
        ``(n,)`` mono sound samples.
    sample_rate_hz : int
        Their rate.
    start_time_s : float
        The time of the first sample on the recording's clock, added to every beat.
    kind : {"auto", "clicks", "music"}
        What the sound is; ``"auto"`` decides.

    Returns
    -------
    BeatTrack
        The beat times in seconds, what was tracked and how sure it is.

    Raises
    ------
    ToelabError
        When the sound is not one channel, its rate is too low, it holds NaN or infinite
        samples, or ``kind`` is unknown.
    """
    if kind == "clicks":
        return detect_clicks(samples, sample_rate_hz, start_time_s)
    if kind == "music":
        return track_beats(samples, sample_rate_hz, start_time_s)
    if kind != "auto":
        raise ToelabError(f"unknown beat source {kind!r}", hint="use 'auto', 'clicks' or 'music'")
    clicks, contrast_db = _clicks_and_contrast(samples, sample_rate_hz, start_time_s)
    if _is_click_track(clicks, contrast_db):
        return clicks
    return track_beats(samples, sample_rate_hz, start_time_s)
