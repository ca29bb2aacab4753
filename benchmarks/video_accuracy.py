"""End-to-end accuracy of the video path: generated H.264 video → tracker → lifts,
individuation, tremor, big-toe angle and rhythm.

    python benchmarks/video_accuracy.py                  # per source, drawn vs photo videos, 20 renders
    python benchmarks/video_accuracy.py --quick          # 4 feet, 2 conditions, 3 renders (about 30 min busy)
    python benchmarks/video_accuracy.py --renders 5 --tasks isolation hallux
    python benchmarks/video_accuracy.py --grid           # the drawn generator's full grid (~12 min of CPU)

The default report (``benchmarks/video_truth.py``) holds the drawn generator
(``tests/videogen.py``) beside videos made from real photos and renders of scanned feet
(``tests/photovideo.py``), per source image and condition, with the spread over re-renders
and, per task, how many renders toelab got right, withheld or wrong.

``--grid``:
Videos are 640x480 (foot 220 px wide in the front view, 420 px long in the side view),
spread over five skin tones, three floors (plain, wood, tiles), five conditions (steady;
camera shake 4 px and 1 deg; lighting flicker 5 % with sensor noise 3 grey levels; all of
these together; phone-like variable frame timing, front view only) and 30, 60 and 120 fps.
The truth definitions and the per-video checks are those of ``tests/test_video_accuracy.py``
(read its module docstring: what counts as a true lift, which amplitude is compared). Each
criterion prints its figure over all its videos, the limit, and PASS or FAIL.
"""

from __future__ import annotations

import itertools
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from test_video_accuracy import (  # noqa: E402
    MAX_AMPLITUDE_ERROR,
    MAX_ANGLE_ERROR_DEG,
    MAX_FREQUENCY_ERROR_HZ,
    MAX_II_ERROR,
    MIN_LIFT_F1,
    LiftScore,
    co_movement_matrix,
    hallux_errors,
    isolation_figures,
    isolation_plan,
    rhythm_figures,
    tremor_motion,
    twitch_motion,
)
from videogen import SKIN_BGR, render_front  # noqa: E402

from toelab.analysis.tremor import tremor_from_recording  # noqa: E402
from toelab.track import parse_points, track_video  # noqa: E402

FLOORS = ("plain", "wood", "tiles")
CONDITIONS = {
    "steady": {},
    "shake": {"shake_px": 4.0, "shake_deg": 1.0},
    "flicker+noise": {"flicker": 0.05, "noise": 3.0},
    "all": {"shake_px": 4.0, "shake_deg": 1.0, "flicker": 0.05, "noise": 3.0},
    "vfr": {"vfr": True, "noise": 2.0},
}
SIDE_CONDITIONS = {k: v for k, v in CONDITIONS.items() if "vfr" not in v}
RHYTHM_LIMIT_MS = {30.0: 10.0, 60.0: 5.0}


def _scenes(n: int, conditions: dict, fps_cycle: tuple[float, ...], offset: int = 0):
    """``n`` scenes spread over every skin, floor, condition and frame rate."""
    grid = list(itertools.product(SKIN_BGR, FLOORS, conditions))
    for k in range(n):
        skin, floor, condition = grid[(offset + 7 * k) % len(grid)]
        yield k, skin, floor, condition, dict(conditions[condition]), fps_cycle[k % len(fps_cycle)]


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def isolation(folder: Path, summary: list[str]) -> None:
    print("isolation: lift detection and individuation index (each toe instructed twice, 9.9 s)")
    plan = isolation_plan(co_movement_matrix())
    total, worst_f1, worst_ii = LiftScore(0, 0, 0, 0), 1.0, 0.0
    runs = list(_scenes(15, CONDITIONS, (30.0, 60.0, 30.0, 120.0, 60.0)))
    runs.append((15, "medium", "wood", "both feet", {"feet": ("right", "left"), "noise": 2.0}, 30.0))
    for k, skin, floor, condition, scene, fps in runs:
        path = folder / "isolation.mp4"
        feet = scene.get("feet", ("right",))

        def heights(t: np.ndarray, n_feet: int = len(feet)) -> np.ndarray:
            return np.repeat(plan.heights(t)[:, None, :], n_feet, axis=1)

        truth = render_front(
            path, heights, fps=fps, duration_s=plan.duration_s, skin=skin, floor=floor, seed=k, **scene
        )
        recording = track_video(path, parse_points(truth.first_points)).recording
        for foot in feet:
            score, ii_error = isolation_figures(recording, plan, foot)
            total += score
            worst_f1, worst_ii = min(worst_f1, score.f1), max(worst_ii, ii_error)
            print(
                f"  {fps:5.0f} fps {skin:9s} {floor:6s} {condition:13s} {foot:5s} "
                f"TP {score.tp:2d} FP {score.fp} FN {score.fn} ambiguous {score.ambiguous:2d} "
                f"F1 {score.f1:.3f}  II error {ii_error:.3f}"
            )
    summary.append(
        f"lift detection F1 {total.f1:.3f} over all toes (TP {total.tp}, FP {total.fp}, FN {total.fn}, "
        f"ambiguous {total.ambiguous}); worst video {worst_f1:.3f}; limit >= {MIN_LIFT_F1}: "
        f"{_verdict(worst_f1 >= MIN_LIFT_F1)}"
    )
    summary.append(
        f"individuation index: worst error {worst_ii:.3f}; limit <= {MAX_II_ERROR}: "
        f"{_verdict(worst_ii <= MAX_II_ERROR)}"
    )


def tremor(folder: Path, summary: list[str]) -> None:
    print("tremor: every toe shakes, the big toe most (8 s)")
    plan = [(f, 30.0) for f in (3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0)]
    plan += [(f, 60.0) for f in (3.0, 6.0, 10.0, 14.0, 16.0, 18.0)]
    plan += [(f, 120.0) for f in (8.0, 18.0)]
    amplitudes = (0.8, 1.5, 3.0, 1.0, 2.0)
    worst_hz = {30.0: 0.0, 60.0: 0.0, 120.0: 0.0}
    worst_amp, not_rhythmic = 0.0, 0
    scenes = list(_scenes(len(plan), CONDITIONS, (0.0,), offset=3))
    for (frequency_hz, fps), (k, skin, floor, condition, scene, _) in zip(plan, scenes, strict=True):
        amplitude_px = amplitudes[k % len(amplitudes)]
        path = folder / "tremor.mp4"
        truth = render_front(
            path,
            tremor_motion(frequency_hz, amplitude_px),
            fps=fps,
            duration_s=8.0,
            skin=skin,
            floor=floor,
            seed=100 + k,
            **scene,
        )
        result = tremor_from_recording(track_video(path, parse_points(truth.first_points)).recording)
        found = result.dominant_frequency_hz
        hz_error = abs(found - frequency_hz) if found is not None else np.inf
        amp_error = abs(result.amplitude - amplitude_px) / amplitude_px
        worst_hz[fps] = max(worst_hz[fps], hz_error)
        worst_amp = max(worst_amp, amp_error)
        not_rhythmic += result.classification != "rhythmic"
        print(
            f"  {fps:5.0f} fps {skin:9s} {floor:6s} {condition:13s} "
            f"{frequency_hz:4.1f} Hz {amplitude_px:.1f} px -> "
            f"{found if found is None else round(found, 3)} Hz {result.amplitude:.3f} px "
            f"({result.classification})"
        )
    for fps, band in (
        (30.0, "3-12 Hz at 30 fps"),
        (60.0, "3-18 Hz at 60 fps"),
        (120.0, "8-18 Hz at 120 fps"),
    ):
        summary.append(
            f"tremor frequency {band}: worst error {worst_hz[fps]:.3f} Hz; "
            f"limit <= {MAX_FREQUENCY_ERROR_HZ}: {_verdict(worst_hz[fps] <= MAX_FREQUENCY_ERROR_HZ)}"
        )
    summary.append(
        f"tremor amplitude: worst relative error {worst_amp:.3f}; limit <= {MAX_AMPLITUDE_ERROR}: "
        f"{_verdict(worst_amp <= MAX_AMPLITUDE_ERROR)}"
    )
    summary.append(
        f"tremors not called rhythmic: {not_rhythmic}/{len(plan)}; limit 0: {_verdict(not_rhythmic == 0)}"
    )


def not_rhythmic(folder: Path, summary: list[str]) -> None:
    print("twitches and still toes: must not be called rhythmic (8 s)")
    called = total = 0
    for k, skin, floor, condition, scene, fps in _scenes(8, CONDITIONS, (30.0, 60.0), offset=5):
        kind = "twitches" if k % 2 == 0 else "still"
        motion = twitch_motion(8.0, seed=200 + k) if kind == "twitches" else None
        path = folder / "still.mp4"
        truth = render_front(
            path, motion, fps=fps, duration_s=8.0, skin=skin, floor=floor, seed=200 + k, **scene
        )
        result = tremor_from_recording(track_video(path, parse_points(truth.first_points)).recording)
        total += 1
        called += result.classification == "rhythmic"
        print(f"  {fps:5.0f} fps {skin:9s} {floor:6s} {condition:13s} {kind:8s} -> {result.classification}")
    summary.append(f"twitch / no-tremor called rhythmic: {called}/{total}; limit 0: {_verdict(called == 0)}")


def hallux(folder: Path, summary: list[str]) -> None:
    print("side view: hallux angle, worst frame and maximum extension (3 s)")
    worst_frame = worst_max = 0.0
    angles = (20.0, 40.0, 60.0, 75.0)
    for k, skin, floor, condition, scene, fps in _scenes(10, SIDE_CONDITIONS, (30.0, 60.0, 120.0), offset=2):
        max_deg = angles[k % len(angles)]
        frame_error, max_error = hallux_errors(
            folder / "side.mp4", max_deg, seed=300 + k, fps=fps, skin=skin, floor=floor, **scene
        )
        worst_frame, worst_max = max(worst_frame, frame_error), max(worst_max, max_error)
        print(
            f"  {fps:5.0f} fps {skin:9s} {floor:6s} {condition:13s} up to {max_deg:4.0f} deg: "
            f"worst frame {frame_error:.2f} deg, maximum {max_error:.2f} deg"
        )
    summary.append(
        f"hallux angle: worst frame {worst_frame:.2f} deg, worst maximum extension {worst_max:.2f} deg; "
        f"limit < {MAX_ANGLE_ERROR_DEG}: {_verdict(max(worst_frame, worst_max) < MAX_ANGLE_ERROR_DEG)}"
    )


def rhythm(folder: Path, summary: list[str]) -> None:
    print("rhythm: big-toe lifts to a metronome, drawn asynchrony -30 +- 20 ms (12 s)")
    worst = {30.0: 0.0, 60.0: 0.0}
    misses = 0
    tempi = (60.0, 90.0, 120.0, 150.0)
    for k, skin, floor, condition, scene, fps in _scenes(10, CONDITIONS, (30.0, 60.0), offset=4):
        bpm = tempi[k % len(tempi)]
        measured_ms, drawn_ms, errors = rhythm_figures(
            folder / "rhythm.mp4", bpm, fps, seed=400 + k, skin=skin, floor=floor, **scene
        )
        worst[fps] = max(worst[fps], abs(measured_ms - drawn_ms))
        misses += errors
        print(
            f"  {fps:5.0f} fps {skin:9s} {floor:6s} {condition:13s} {bpm:4.0f} bpm: mean asynchrony "
            f"{measured_ms:7.2f} ms (drawn {drawn_ms:7.2f}), misses + extras {errors}"
        )
    for fps, limit in RHYTHM_LIMIT_MS.items():
        summary.append(
            f"rhythm mean asynchrony at {fps:.0f} fps: worst error {worst[fps]:.2f} ms; "
            f"limit <= {limit:.0f} ms: {_verdict(worst[fps] <= limit)}"
        )
    summary.append(f"rhythm misses + extra lifts: {misses}; limit 0: {_verdict(misses == 0)}")


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--grid", action="store_true", help="the drawn generator's full grid instead")
    parser.add_argument("--renders", type=int, default=None, help="renders per condition (20; 3 quick)")
    parser.add_argument("--quick", action="store_true", help="4 feet, 2 conditions")
    parser.add_argument(
        "--crf", type=int, default=None, help="x264 quality of the photo-based videos (23; lower is finer)"
    )
    parser.add_argument(
        "--shake-px", type=float, default=None, help="size of the tremor videos' shake (1.5 px)"
    )
    parser.add_argument(
        "--tasks", nargs="+", default=["proposal", "isolation", "hallux", "tremor"],
        choices=["proposal", "isolation", "hallux", "tremor"],
    )
    args = parser.parse_args()
    if not args.grid:
        from video_truth import run

        run(args.renders or (3 if args.quick else 20), args.quick, args.tasks, args.crf, args.shake_px)
        return
    summary: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for section in (isolation, tremor, not_rhythmic, hallux, rhythm):
            section(folder, summary)
    print(f"\nsummary ({time.perf_counter() - started:.0f} s)")
    for line in summary:
        print(f"  {line}")


if __name__ == "__main__":
    main()
