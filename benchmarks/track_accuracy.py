"""Toe tracking and point proposal accuracy on generated videos with known motion.

    python benchmarks/track_accuracy.py          # ~3 minutes on one core

Front view: every toe lifts 8 px in turn (an isolation trial) over skin tones, floors,
camera shake, lighting flicker, sensor noise, frame rates and variable frame timing; the
figure is the RMS error (px) of each toe's vertical displacement against the truth. Side
view: the hallux bends up to 55 degrees; the figure is the largest angle error. Proposal:
how often the automatic points are confident and right (every toe within 8 px), and how
often they are confident but wrong (that should never happen).
"""

from __future__ import annotations

import itertools
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from videogen import SKIN_BGR, lift_pulses, render_front, render_side  # noqa: E402

from toelab.analysis.rom import hallux_extension_deg  # noqa: E402
from toelab.io.video import iter_frames  # noqa: E402
from toelab.track import parse_points, propose_points, track_video  # noqa: E402

CONDITIONS = {
    "steady": {},
    "shake": {"shake_px": 4.0, "shake_deg": 1.0},
    "flicker+noise": {"flicker": 0.05, "noise": 3.0},
    "60fps": {"fps": 60.0},
    "vfr": {"vfr": True},
}


def _isolation(t: np.ndarray) -> np.ndarray:
    return np.stack([lift_pulses(t, [0.3 + 0.5 * i], 8.0, 0.45) for i in range(5)], axis=1)


def front_errors(folder: Path) -> None:
    print("front view: RMS error of toe lift (px), worst of 5 toes")
    worst = []
    floors = ("plain", "wood", "tiles")
    for k, (skin, floor, (name, extra)) in enumerate(itertools.product(SKIN_BGR, floors, CONDITIONS.items())):
        if k % 3:  # a third of the full grid, spread over every skin, floor and condition
            continue
        path = folder / "front.mp4"
        truth = render_front(path, _isolation, duration_s=3.0, skin=skin, floor=floor, seed=k, **extra)
        rec = track_video(path, parse_points(truth.first_points)).recording
        errors = []
        for i in range(5):
            y = rec.landmarks[f"right_toe{i + 1}"][:, 1]
            errors.append(np.sqrt(np.nanmean((y[0] - y - truth.params["lifts_px"][:, 0, i]) ** 2)))
        worst.append(max(errors))
        print(f"  {skin:9s} {floor:6s} {name:14s} {max(errors):.3f}")
    print(f"  median {np.median(worst):.3f} px, worst {np.max(worst):.3f} px over {len(worst)} videos")


def side_errors(folder: Path) -> None:
    print("side view: largest hallux angle error (deg)")
    # the side-view renderer has no variable frame timing
    for k, (name, extra) in enumerate((n, e) for n, e in CONDITIONS.items() if "vfr" not in e):
        path = folder / "side.mp4"
        truth = render_side(path, lambda t: 55 * np.sin(np.pi * t / 3) ** 2, duration_s=3.0, seed=k, **extra)
        rec = track_video(path, parse_points(truth.first_points)).recording
        angle = hallux_extension_deg(*(rec.landmarks[f"right_{p}"] for p in ("heel", "mtp1", "hallux_tip")))
        print(f"  {name:14s} {np.nanmax(np.abs(angle - truth.hallux_angle_deg)):.2f}")


def proposal_rate(folder: Path) -> None:
    right = wrong = total = 0
    for k, (skin, floor) in enumerate(itertools.product(SKIN_BGR, ("plain", "wood", "tiles"))):
        for feet in (("right",), ("left",), ("right", "left")):
            path = folder / "prop.mp4"
            truth = render_front(
                path, None, feet=feet, skin=skin, floor=floor, duration_s=0.1, noise=2, seed=k
            )
            proposal = propose_points(next(iter_frames(path))[1])
            total += 1
            if not proposal.ok:
                continue
            ok = sorted(f.foot for f in proposal.points) == sorted(feet) and all(
                np.hypot(*np.subtract(xy, truth.points[f.landmark(n)][0])) < 8
                for f in proposal.points
                for n, xy in f.points.items()
            )
            right += ok
            wrong += not ok
    print(f"proposal: confident and right {right}/{total}, confident but wrong {wrong}/{total}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        proposal_rate(folder)
        side_errors(folder)
        front_errors(folder)


if __name__ == "__main__":
    main()
