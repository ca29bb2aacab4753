"""Time every analysis on 10 minutes of 60 Hz landmark data from two feet.

Run: ``python benchmarks/analysis_speed.py`` — prints the best of several runs per analysis
and the total. Each foot has toe1..toe5 lifting in turn (an isolation test) and the 1st MTP
joint (12 points); the right foot also has heel and hallux tip for the extension angle,
14 tracked points (28 coordinate channels) in all.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from toelab.analysis.individuation import individuation_from_recording
from toelab.analysis.lifts import lifts_from_recording
from toelab.analysis.rhythm import beats_from_bpm, rhythm_from_recording
from toelab.analysis.rom import rom_from_recording
from toelab.analysis.tremor import tremor_from_recording
from toelab.recording import Recording, RecordingMeta
from toelab.synthetic.movement import isolation_recording, rom_recording

RATE_HZ = 60.0
DURATION_S = 600.0
CO_MOVEMENT = np.eye(5) + 0.2 * (np.eye(5, k=1) + np.eye(5, k=-1))


def ten_minute_recording() -> Recording:
    """Two feet, 14 landmarks, 36 000 samples at 60 Hz."""
    n = int(DURATION_S * RATE_HZ)
    time_s = np.arange(n) / RATE_HZ
    landmarks: dict[str, np.ndarray] = {}
    for seed, foot in enumerate(("left", "right")):
        # ~1.5 s per lift: 90 repetitions per toe fill ten minutes
        isolation, _ = isolation_recording(CO_MOVEMENT, fps=RATE_HZ, reps_per_toe=90, foot=foot, seed=seed)
        assert isolation.n_samples >= n, "isolation sample too short for the benchmark"
        for toe in range(1, 6):
            landmarks[f"{foot}_toe{toe}"] = isolation.landmarks[f"{foot}_toe{toe}"][:n]
    side, _ = rom_recording(55.0, fps=RATE_HZ, noise_px=0.3, duration_s=DURATION_S + 1)
    landmarks["right_mtp1"] = side.landmarks["right_mtp1"][:n]
    landmarks["left_mtp1"] = side.landmarks["right_mtp1"][:n] + np.array([-150.0, 0.0])
    landmarks["right_heel"] = side.landmarks["right_heel"][:n]
    landmarks["right_hallux_tip"] = side.landmarks["right_hallux_tip"][:n]
    return Recording(time_s, landmarks, meta=RecordingMeta(fps=RATE_HZ, units="px", source="benchmark"))


def best_of(repeats: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    recording = ten_minute_recording()
    beats = beats_from_bpm(100.0, 1.0, recording.time_s[0], recording.time_s[-1])
    toe_names = [name for name in recording.landmarks if "toe" in name and "mtp" not in name]
    cases: dict[str, Callable[[], object]] = {
        "tremor (all 28 channels)": lambda: tremor_from_recording(recording),
        "lifts (both feet)": lambda: [lifts_from_recording(recording, foot=f) for f in ("left", "right")],
        "individuation (both feet)": lambda: [
            individuation_from_recording(recording, foot=f) for f in ("left", "right")
        ],
        "rom (right foot)": lambda: rom_from_recording(recording, foot="right"),
        "rhythm (both feet)": lambda: [
            rhythm_from_recording(recording, beats, foot=f) for f in ("left", "right")
        ],
    }
    print(
        f"{recording.n_samples} samples ({recording.duration_s / 60:.0f} min at {RATE_HZ:g} Hz), "
        f"{len(recording.landmarks)} landmarks ({len(toe_names)} toes); best of {args.repeats}"
    )
    total = 0.0
    for name, run in cases.items():
        seconds = best_of(args.repeats, run)
        total += seconds
        print(f"  {name:<28} {1000 * seconds:8.1f} ms")
    print(f"  {'all together':<28} {1000 * total:8.1f} ms")


if __name__ == "__main__":
    main()
