"""Toe movements with known truth: the isolation test, musical toes and big-toe extension.

Every lift is a raised cosine ``h(t) = H/2 · (1 − cos(2π (t − start)/d))`` of height ``H``
and duration ``d`` (0.3–0.6 s, like a real toe lift). Its truth follows the definitions in
:mod:`toelab.analysis.lifts`: the peak is the middle of the lift; the onset is where it
passes 10 % of its height on the way up, ``start + d · arccos(0.8)/(2π)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from toelab.errors import ToelabError
from toelab.landmarks import landmark_key
from toelab.recording import Recording, RecordingMeta

# Where the toe tips sit in a front view (px, image coordinates, y down), toe1..toe5.
_TOE_X_PX = (300.0, 262.0, 232.0, 205.0, 180.0)
_TOE_REST_Y_PX = (400.0, 396.0, 398.0, 402.0, 408.0)
_ONSET_FROM_START = np.arccos(0.8) / (2 * np.pi)  # 10 % of the height on a raised cosine


def _add_lift(
    signal: np.ndarray, time_s: np.ndarray, peak_s: float, duration_s: float, height: float
) -> None:
    start = peak_s - duration_s / 2
    inside = (time_s > start) & (time_s < start + duration_s)
    phase = 2 * np.pi * (time_s[inside] - start) / duration_s
    signal[inside] += height / 2 * (1 - np.cos(phase))


def lift_onset_s(peak_s: float | np.ndarray, duration_s: float | np.ndarray) -> float | np.ndarray:
    """Onset (10 % of the height, on the way up) of a raised-cosine lift with this peak."""
    return peak_s - (0.5 - _ONSET_FROM_START) * duration_s


def individuation_truth(co_movement: np.ndarray) -> list[float | None]:
    """Individuation index per toe from a co-movement matrix, by the definition in
    :mod:`toelab.analysis.individuation`: toe j's movement is normalised by its own lift
    (the diagonal); a toe that cannot lift on its own (diagonal 0) has no index and is
    left out of the others' means."""
    c = np.asarray(co_movement, dtype=float)
    own = np.diag(c)
    out: list[float | None] = []
    for i in range(5):
        others = [j for j in range(5) if j != i and own[j] > 0]
        if own[i] <= 0 or not others:
            out.append(None)
            continue
        out.append(float(np.clip(1 - np.mean([c[i, j] / own[j] for j in others]), 0, 1)))
    return out


def _front_view_recording(
    time_s: np.ndarray, heights: Mapping[str, np.ndarray], noise_px: float, fps: float, foot: str, rng
) -> Recording:
    landmarks = {}
    for foot_name, per_toe in heights.items():
        for i in range(5):
            x = np.full(time_s.shape, _TOE_X_PX[i] if foot_name != "left" else 640 - _TOE_X_PX[i])
            y = _TOE_REST_Y_PX[i] - per_toe[:, i]
            xy = np.column_stack([x, y]) + rng.normal(0, noise_px, (time_s.size, 2))
            landmarks[landmark_key(f"toe{i + 1}", foot_name)] = xy
    meta = RecordingMeta(fps=fps, foot=foot, view="front", units="px", vertical_axis="-y", source="synthetic")
    return Recording(time_s, landmarks, meta=meta)


def isolation_recording(
    co_movement: Sequence[Sequence[float]] | np.ndarray,
    *,
    fps: float = 60,
    lift_height_px: float | Sequence[float] = 20,
    noise_px: float = 0.3,
    reps_per_toe: int = 3,
    foot: str = "right",
    jitter_s: float = 0,
    seed: int = 0,
) -> tuple[Recording, dict]:
    """A toe isolation test seen from the front: each toe lifted ``reps_per_toe`` times in turn.

    ``co_movement[i][j]`` is how far toe ``j+1`` lifts while toe ``i+1`` is instructed, as a
    fraction of ``lift_height_px`` of toe ``j+1``; the diagonal is each toe's own lift
    (1 = a full lift, 0 = the toe cannot lift at all).
    ``jitter_s`` shifts each co-moving toe's lift by a random time (SD, seconds).
    """
    c = np.asarray(co_movement, dtype=float)
    if c.shape != (5, 5) or not np.all(np.isfinite(c)) or c.min() < 0:
        raise ToelabError("co_movement must be a 5×5 matrix of fractions ≥ 0")
    own_px = np.broadcast_to(np.asarray(lift_height_px, dtype=float), (5,))
    rng = np.random.default_rng(seed)
    plan: list[tuple[int, float, float]] = []  # (toe index, peak time, duration)
    t = 1.0
    for toe in range(5):
        for _ in range(reps_per_toe):
            duration = rng.uniform(0.35, 0.55)
            plan.append((toe, t + duration / 2, duration))
            t += duration + rng.uniform(0.8, 1.2)
    time_s = np.arange(0, t + 1.0, 1.0 / fps)
    heights = np.zeros((time_s.size, 5))
    for toe, peak_s, duration in plan:
        for j in range(5):
            if c[toe, j] > 0:
                shift = rng.normal(0, jitter_s) if j != toe and jitter_s > 0 else 0.0
                _add_lift(heights[:, j], time_s, peak_s + shift, duration, c[toe, j] * own_px[j])
    recording = _front_view_recording(time_s, {foot: heights}, noise_px, fps, foot, rng)
    ii = individuation_truth(c)
    truth = {
        "co_movement": c.tolist(),
        "individuation_index": ii,
        "toe_control_score": 100 * float(np.mean([0.0 if v is None else v for v in ii])),
        "instructed": [toe + 1 for toe, _, _ in plan],
        "peak_s": [p for _, p, _ in plan],
    }
    return recording, truth


def _per_foot(value: float | Mapping[str, float], feet: Sequence[str]) -> dict[str, float]:
    if isinstance(value, Mapping):
        return {f: float(value[f]) for f in feet}
    return {f: float(value) for f in feet}


def rhythm_recording(
    bpm: float,
    *,
    asynchrony_mean_ms: float | Mapping[str, float],
    asynchrony_sd_ms: float | Mapping[str, float],
    n_beats: int,
    fps: float = 60,
    toes: Sequence[int] = (1,),
    feet: Sequence[str] = ("right",),
    missed_beats: Sequence[int] = (),
    extra_lifts: int = 0,
    lift_height_px: float = 20,
    noise_px: float = 0.3,
    timed_event: str = "peak",
    seed: int = 0,
) -> tuple[Recording, dict]:
    """Musical toes: the given toes lift on each beat of a metronome (front view).

    Each lift's ``timed_event`` ("peak" or "onset") falls at ``beat + asynchrony``
    (normal, mean/SD in ms, per foot when a mapping ``{foot: value}`` is given); the beats
    listed in ``missed_beats`` (indices) get no lift; ``extra_lifts`` short lifts fall
    half-way between beats. Lifts last ``min(0.45, 0.55 · period)`` s. The recording
    starts 1 s before the first beat and ends 1 s after the last.

    Truth: ``beat_times_s``, and per foot ``peak_s``/``onset_s`` of every beat lift,
    ``asynchrony_ms``/``onset_asynchrony_ms`` of the hits, ``extra_peak_s``, ``hits``,
    ``misses``, ``extras``.
    """
    if bpm <= 0 or n_beats < 2:
        raise ToelabError("bpm must be positive and n_beats at least 2")
    if any(not 0 <= b < n_beats for b in missed_beats) or any(t not in range(1, 6) for t in toes):
        raise ToelabError("missed_beats must be beat indices and toes numbers 1..5")
    if timed_event not in ("peak", "onset"):
        raise ToelabError(f"timed_event must be 'peak' or 'onset', got {timed_event!r}")
    rng = np.random.default_rng(seed)
    period_s = 60.0 / bpm
    lead_s = 1.0
    beats = lead_s + period_s * np.arange(n_beats)
    time_s = np.arange(0, beats[-1] + lead_s, 1.0 / fps)
    duration_s = min(0.45, 0.55 * period_s)
    extra_duration_s = max(0.12, min(duration_s, period_s - duration_s - 0.12))
    means, sds = _per_foot(asynchrony_mean_ms, feet), _per_foot(asynchrony_sd_ms, feet)
    missed = sorted(set(missed_beats))
    heights: dict[str, np.ndarray] = {}
    truth: dict = {"beat_times_s": beats.tolist(), "period_s": period_s, "lift_duration_s": duration_s}
    for foot in feet:
        lifted = np.setdiff1d(np.arange(n_beats), missed)
        asynchrony_s = rng.normal(means[foot], sds[foot], lifted.size) / 1000.0
        timed = beats[lifted] + asynchrony_s
        peaks = timed if timed_event == "peak" else timed + (0.5 - _ONSET_FROM_START) * duration_s
        onsets = np.asarray(lift_onset_s(peaks, duration_s))
        candidates = np.setdiff1d(np.arange(n_beats - 1), missed)
        chosen = np.sort(rng.choice(candidates, size=min(extra_lifts, candidates.size), replace=False))
        extra_peaks = beats[chosen] + period_s / 2
        signal = np.zeros(time_s.size)
        for p in peaks:
            _add_lift(signal, time_s, p, duration_s, lift_height_px)
        for p in extra_peaks:
            _add_lift(signal, time_s, p, extra_duration_s, lift_height_px)
        per_toe = np.zeros((time_s.size, 5))
        for toe in toes:
            per_toe[:, toe - 1] = signal
        heights[foot] = per_toe
        truth[foot] = {
            "peak_s": peaks.tolist(),
            "onset_s": onsets.tolist(),
            "asynchrony_ms": (1000 * (peaks - beats[lifted])).tolist(),
            "onset_asynchrony_ms": (1000 * (onsets - beats[lifted])).tolist(),
            "extra_peak_s": extra_peaks.tolist(),
            "hits": int(lifted.size),
            "misses": len(missed),
            "extras": int(extra_peaks.size),
        }
    label = feet[0] if len(feet) == 1 else "both"
    recording = _front_view_recording(time_s, heights, noise_px, fps, label, rng)
    return recording, truth


def rom_recording(
    max_extension_deg: float,
    *,
    fps: float = 30,
    view: str = "side",
    dims: int = 2,
    noise_px: float = 0,
    foot: str = "right",
    duration_s: float = 4.0,
) -> tuple[Recording, dict]:
    """The big toe bent up once to ``max_extension_deg`` and back (a raised-cosine angle curve).

    ``dims=2``: image pixels, y down, the sole tilted a little (the angle is measured from
    the sole line, so the tilt must not change it). ``dims=3``: millimetres, z up, the
    foot turned 30° about the vertical. Landmarks: heel, mtp1, hallux_tip.
    """
    if dims not in (2, 3):
        raise ToelabError("dims must be 2 or 3")
    time_s = np.arange(0, duration_s, 1.0 / fps)
    move_start, move_s = 0.5, duration_s - 1.0
    inside = (time_s > move_start) & (time_s < move_start + move_s)
    angle_deg = np.zeros(time_s.size)
    angle_deg[inside] = (
        max_extension_deg / 2 * (1 - np.cos(2 * np.pi * (time_s[inside] - move_start) / move_s))
    )
    theta = np.radians(angle_deg)
    rng = np.random.default_rng(0)
    n = time_s.size
    if dims == 2:
        tilt = np.radians(3.0)
        along = np.array([np.cos(tilt), -np.sin(tilt)])  # heel → mtp1, rising slightly (y down)
        heel = np.array([100.0, 420.0])
        mtp1 = heel + 200.0 * along
        up_normal = np.array([along[1], -along[0]])  # perpendicular to the sole, pointing up (−y)
        direction = np.cos(theta)[:, None] * along + np.sin(theta)[:, None] * up_normal
        tip = mtp1 + 55.0 * direction
        units, vertical = "px", "-y"
    else:
        yaw = np.radians(30.0)
        along = np.array([np.cos(yaw), np.sin(yaw), 0.0])
        heel = np.array([50.0, 80.0, 30.0])
        mtp1 = heel + 180.0 * along
        up_normal = np.array([0.0, 0.0, 1.0])
        direction = np.cos(theta)[:, None] * along + np.sin(theta)[:, None] * up_normal
        tip = mtp1 + 50.0 * direction
        units, vertical = "mm", "+z"
    landmarks = {
        landmark_key("heel", foot): np.tile(heel, (n, 1)),
        landmark_key("mtp1", foot): np.tile(mtp1, (n, 1)),
        landmark_key("hallux_tip", foot): tip,
    }
    if noise_px > 0:
        landmarks = {k: v + rng.normal(0, noise_px, v.shape) for k, v in landmarks.items()}
    meta = RecordingMeta(
        fps=fps, foot=foot, view=view, units=units, vertical_axis=vertical, source="synthetic"
    )
    top = int(np.argmax(angle_deg))
    truth = {
        "angle_deg": angle_deg,
        "max_extension_deg": float(angle_deg[top]),
        "time_of_max_s": float(time_s[top]),
    }
    return Recording(time_s, landmarks, meta=meta), truth
