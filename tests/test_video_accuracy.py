"""End-to-end accuracy of the video path: generated H.264 video → tracker → analyses.

Every video is drawn with known toe motion (``videogen``), tracked with ``track_video`` from
the first frame's true points, and analysed with the same functions ``toelab analyze``
uses. The figures are compared with what was drawn:

* **Lift detection.** A *true lift* of a toe is a drawn rise of that toe reaching at least
  ``CLEAR_LIFT_SHARE`` of the instructed lift height: every instructed lift, and a
  neighbour's co-movement that large (the toe did lift). A rise below ``NO_LIFT_SHARE`` is
  no lift: a detection there is a false positive. A rise in between is a real but small
  co-movement that a lift detector may or may not report; a detection there is counted as
  neither (``ambiguous``). A detected lift peak within ``MATCH_S`` of a true lift's peak
  (one to one) is a true positive; every other detection a false positive; every true lift
  left unmatched a false negative. F1 = 2 TP / (2 TP + FP + FN), over all toes.
* **Individuation index**: per toe, against :func:`toelab.synthetic.movement.individuation_truth`
  of the drawn co-movement matrix.
* **Tremor**: dominant frequency against the drawn one; amplitude (half peak-to-peak, px)
  against the drawn amplitude of the toe that shakes most; twitches (brief random jerks)
  and still toes must not be called rhythmic.
* **Hallux angle**: every frame's tracked angle and the maximum extension against the drawn
  angle.
* **Rhythm**: mean asynchrony of the big toe's lift peaks to the beats against the mean of
  the drawn asynchronies.

The benchmark ``benchmarks/video_accuracy.py`` runs the same checks over the full grid of
skin tones, floors, lighting, camera shake, noise and frame rates; the tests here run a
small, representative part of it at a lower resolution.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from videogen import lift_pulses, render_front, render_side

from toelab.analysis.individuation import individuation_from_recording
from toelab.analysis.lifts import lifts_from_recording
from toelab.analysis.rhythm import beats_from_bpm, rhythm_from_recording
from toelab.analysis.rom import hallux_extension_deg, rom_from_recording
from toelab.analysis.tremor import tremor_from_recording
from toelab.recording import Recording
from toelab.synthetic.movement import individuation_truth
from toelab.tasks import AnalysisOptions, BeatSource, run_task
from toelab.track import parse_points, track_video

MATCH_S = 0.15
CLEAR_LIFT_SHARE = 0.25
NO_LIFT_SHARE = 0.05
LIFT_PX = 14.0
PULSE_S = 0.5

# Acceptance limits
MIN_LIFT_F1 = 0.95
MAX_II_ERROR = 0.07
MAX_FREQUENCY_ERROR_HZ = 0.2
MAX_AMPLITUDE_ERROR = 0.20  # relative
MAX_ANGLE_ERROR_DEG = 3.0


def co_movement_matrix() -> np.ndarray:
    """Row = instructed toe, column = moving toe (share of the instructed lift).

    Clear co-lifts (4th → 5th at 60 %, 3rd → 2nd at 30 %), small real co-movements that sit
    between "no lift" and "lift" (8-15 %), and tiny ones that are no lift (2-3 %).
    """
    c = np.eye(5)
    c[3, 4], c[2, 1] = 0.6, 0.3
    c[0, 1], c[1, 0], c[1, 2], c[4, 3] = 0.08, 0.12, 0.1, 0.15
    c[2, 3], c[0, 2], c[3, 2] = 0.03, 0.02, 0.03
    return c


@dataclass(frozen=True)
class IsolationPlan:
    """Each toe instructed ``reps`` times in turn; neighbours follow by ``co_movement``."""

    co_movement: np.ndarray
    peaks_s: tuple[float, ...]  # peak time of each instructed lift
    instructed: tuple[int, ...]  # toe index 0..4 of each lift
    lift_px: float = LIFT_PX

    def heights(self, t: np.ndarray) -> np.ndarray:
        out = np.zeros((t.size, 5))
        for peak_s, toe in zip(self.peaks_s, self.instructed, strict=True):
            pulse = lift_pulses(t, [peak_s - PULSE_S / 2], self.lift_px, PULSE_S)
            out += pulse[:, None] * self.co_movement[toe][None, :]
        return out

    @property
    def duration_s(self) -> float:
        return self.peaks_s[-1] + PULSE_S + 0.5


def isolation_plan(co_movement: np.ndarray, reps: int = 2, gap_s: float = 0.9) -> IsolationPlan:
    instructed = tuple(toe for toe in range(5) for _ in range(reps))
    peaks = tuple(0.75 + gap_s * k for k in range(len(instructed)))
    return IsolationPlan(co_movement, peaks, instructed)


@dataclass(frozen=True)
class LiftScore:
    tp: int
    fp: int
    fn: int
    ambiguous: int

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp + self.fp + self.fn else 1.0

    def __add__(self, other: LiftScore) -> LiftScore:
        return LiftScore(
            self.tp + other.tp, self.fp + other.fp, self.fn + other.fn, self.ambiguous + other.ambiguous
        )


def _match(detected: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One-to-one matches within MATCH_S, closest pairs first: (matched detections, matched truths)."""
    pairs = sorted(
        (abs(d - w), i, j)
        for i, d in enumerate(detected)
        for j, w in enumerate(wanted)
        if abs(d - w) <= MATCH_S
    )
    used_d, used_w = np.zeros(detected.size, bool), np.zeros(wanted.size, bool)
    for _, i, j in pairs:
        if not used_d[i] and not used_w[j]:
            used_d[i] = used_w[j] = True
    return used_d, used_w


def score_lifts(detected: dict[int, np.ndarray], plan: IsolationPlan) -> LiftScore:
    """TP/FP/FN of detected lift peaks ``{toe number: peak times}`` against the plan (see module doc)."""
    total = LiftScore(0, 0, 0, 0)
    peaks = np.array(plan.peaks_s)
    for toe in range(5):
        share = np.array([plan.co_movement[i, toe] for i in plan.instructed])
        clear, small = (
            peaks[share >= CLEAR_LIFT_SHARE],
            peaks[(share >= NO_LIFT_SHARE) & (share < CLEAR_LIFT_SHARE)],
        )
        found = np.asarray(detected.get(toe + 1, ()), float)
        hit, matched = _match(found, clear)
        rest = found[~hit]
        grey, _ = _match(rest, small)
        total += LiftScore(int(hit.sum()), int((~grey).sum()), int((~matched).sum()), int(grey.sum()))
    return total


def passes_the_quality_gate(recording: Recording, options: AnalysisOptions) -> bool:
    """Good footage is measured, not withheld: every foot of the task's gated results."""
    results = run_task(recording, options).results
    return all(r["measured"] for r in (results.get("feet") or {"": results}).values())


def isolation_figures(
    recording: Recording, plan: IsolationPlan, foot: str, *, gated: bool = False
) -> tuple[LiftScore, float]:
    """Lift score and the largest individuation index error over the five toes (``gated``: and
    the task's quality gate lets the figures through)."""
    detections = lifts_from_recording(recording, foot=foot)
    score = score_lifts({toe: d.peak_times_s for toe, d in detections.items()}, plan)
    result = individuation_from_recording(recording, foot=foot)
    assert not gated or passes_the_quality_gate(recording, AnalysisOptions("isolation"))
    truth = individuation_truth(plan.co_movement)
    errors = [
        abs(t.individuation_index - want) if t.individuation_index is not None else np.inf
        for t, want in zip(result.toes, truth, strict=True)
    ]
    return score, float(max(errors))


def tremor_motion(frequency_hz: float, amplitude_px: float):
    """Every toe shakes in phase; the big toe most (``amplitude_px``), the others less."""
    shares = np.array([1.0, 0.8, 0.7, 0.6, 0.5])

    def heights(t: np.ndarray) -> np.ndarray:
        return amplitude_px * np.sin(2 * np.pi * frequency_hz * t)[:, None] * shares[None, :]

    return heights


def twitch_motion(duration_s: float, seed: int, per_s: float = 0.8):
    """Brief random jerks (0.06-0.2 s, 2-6 px) of random toes at random times."""
    rng = np.random.default_rng(seed)
    n = max(3, int(per_s * duration_s))
    onsets = rng.uniform(0.3, duration_s - 0.5, n)
    toes = rng.integers(0, 5, n)
    heights_px = rng.uniform(2.0, 6.0, n)
    lengths_s = rng.uniform(0.06, 0.2, n)

    def heights(t: np.ndarray) -> np.ndarray:
        out = np.zeros((t.size, 5))
        for onset, toe, h, d in zip(onsets, toes, heights_px, lengths_s, strict=True):
            out[:, toe] = np.maximum(out[:, toe], lift_pulses(t, [onset], h, d))
        return out

    return heights


def rhythm_motion(beats_s: np.ndarray, asynchrony_s: np.ndarray, pulse_s: float = 0.36):
    """The big toe's lift peaks at each beat plus its asynchrony."""

    def heights(t: np.ndarray) -> np.ndarray:
        onsets = beats_s + asynchrony_s - pulse_s / 2
        big = lift_pulses(t, list(onsets), LIFT_PX, pulse_s)
        return np.column_stack([big] + [np.zeros(t.size)] * 4)

    return heights


def rhythm_figures(
    path: Path, bpm: float, fps: float, seed: int, *, gated: bool = False, **scene
) -> tuple[float, float, int]:
    """(measured mean asynchrony ms, drawn mean asynchrony ms, misses + extras) of one video
    (``gated``: and the task's quality gate lets the figures through)."""
    rng = np.random.default_rng(seed)
    duration_s = 12.0
    beats = beats_from_bpm(bpm, 1.0, 0.0, duration_s - 1.0)
    asynchrony_s = rng.normal(-0.03, 0.02, beats.size)
    truth = render_front(
        path, rhythm_motion(beats, asynchrony_s), fps=fps, duration_s=duration_s, seed=seed, **scene
    )
    recording = track_video(path, parse_points(truth.first_points)).recording
    result = rhythm_from_recording(recording, beats, toes=(1,), foot="right")
    options = AnalysisOptions("rhythm", beats=BeatSource(times_s=tuple(beats)))
    assert not gated or passes_the_quality_gate(recording, options)
    drawn_ms = 1000 * float(np.mean(asynchrony_s))
    return float(result.mean_asynchrony_ms), drawn_ms, result.misses + result.extras


def hallux_errors(
    path: Path, max_deg: float, seed: int, *, gated: bool = False, **scene
) -> tuple[float, float]:
    """(largest per-frame angle error, error of the maximum extension) in degrees (``gated``:
    and the task's quality gate lets the figures through)."""
    duration_s = scene.pop("duration_s", 3.0)
    truth = render_side(
        path,
        lambda t: max_deg * np.sin(np.pi * t / duration_s) ** 2,
        duration_s=duration_s,
        seed=seed,
        **scene,
    )
    recording = track_video(path, parse_points(truth.first_points)).recording
    angle = hallux_extension_deg(*(recording.landmarks[f"right_{p}"] for p in ("heel", "mtp1", "hallux_tip")))
    rom = rom_from_recording(recording, "right")
    assert not gated or passes_the_quality_gate(recording, AnalysisOptions("rom"))
    return (
        float(np.nanmax(np.abs(angle - truth.hallux_angle_deg))),
        abs(rom.max_extension_deg - float(truth.hallux_angle_deg.max())),
    )


SMALL = dict(width=320, height=240, foot_width_px=110.0)


@pytest.mark.parametrize(
    "scene",
    [
        dict(fps=30.0, skin="very_dark", floor="wood", shake_px=2.0, shake_deg=0.6, flicker=0.04, noise=2.0),
        dict(fps=60.0, skin="light", floor="tiles", noise=3.0, vfr=True),
    ],
    ids=["30fps-dark-wood-shaky-flicker", "60fps-light-tiles-noisy-vfr"],
)
def test_lifts_are_found_and_individuation_matches_the_drawn_co_movement(tmp_path, scene):
    plan = isolation_plan(co_movement_matrix())
    path = tmp_path / "isolation.mp4"
    truth = render_front(path, plan.heights, duration_s=plan.duration_s, seed=1, **SMALL, **scene)
    recording = track_video(path, parse_points(truth.first_points)).recording
    score, ii_error = isolation_figures(recording, plan, "right", gated=True)
    assert score.f1 >= MIN_LIFT_F1, score
    assert ii_error <= MAX_II_ERROR


@pytest.mark.parametrize(
    ("frequency_hz", "fps"),
    [(3.0, 30.0), (12.0, 30.0), (18.0, 60.0)],
    ids=["3Hz-30fps", "12Hz-30fps", "18Hz-60fps"],
)
def test_tremor_frequency_and_amplitude_on_video(tmp_path, frequency_hz, fps):
    amplitude_px = 1.5
    path = tmp_path / "tremor.mp4"
    truth = render_front(
        path,
        tremor_motion(frequency_hz, amplitude_px),
        fps=fps,
        duration_s=6.0,
        noise=2.0,
        skin="tan",
        seed=2,
        **SMALL,
    )
    recording = track_video(path, parse_points(truth.first_points)).recording
    result = tremor_from_recording(recording)
    assert passes_the_quality_gate(recording, AnalysisOptions("tremor"))
    assert result.classification == "rhythmic"
    assert result.dominant_frequency_hz == pytest.approx(frequency_hz, abs=MAX_FREQUENCY_ERROR_HZ)
    assert result.amplitude == pytest.approx(amplitude_px, rel=MAX_AMPLITUDE_ERROR)


@pytest.mark.parametrize("kind", ["twitches", "still"])
def test_twitches_and_still_toes_are_not_called_rhythmic(tmp_path, kind):
    path = tmp_path / f"{kind}.mp4"
    motion = twitch_motion(8.0, seed=4) if kind == "twitches" else None
    truth = render_front(
        path, motion, duration_s=8.0, shake_px=2.0, shake_deg=0.5, flicker=0.04, noise=2.0, seed=4, **SMALL
    )
    result = tremor_from_recording(track_video(path, parse_points(truth.first_points)).recording)
    assert result.classification != "rhythmic"


def test_hallux_angle_within_3_degrees_at_120_fps(tmp_path):
    worst, max_error = hallux_errors(
        tmp_path / "side.mp4",
        55.0,
        seed=6,
        gated=True,
        fps=120.0,
        duration_s=2.0,
        width=320,
        height=240,
        foot_length_px=210.0,
        skin="dark",
        noise=2.0,
    )
    assert worst < MAX_ANGLE_ERROR_DEG and max_error < MAX_ANGLE_ERROR_DEG


@pytest.mark.parametrize(("fps", "limit_ms"), [(30.0, 10.0), (60.0, 5.0)], ids=["30fps", "60fps"])
def test_rhythm_mean_asynchrony_on_video(tmp_path, fps, limit_ms):
    measured_ms, drawn_ms, errors = rhythm_figures(
        tmp_path / "rhythm.mp4",
        100.0,
        fps,
        seed=7,
        gated=True,
        skin="medium",
        floor="wood",
        flicker=0.03,
        noise=2.0,
        **SMALL,
    )
    assert errors == 0
    assert measured_ms == pytest.approx(drawn_ms, abs=limit_ms)
