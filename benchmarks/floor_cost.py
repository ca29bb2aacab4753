"""What following the floor in front of the toes (the camera's own motion, which the tremor
test reads) costs the tracker: the same front-view clip tracked with and without it, in turn.

    python benchmarks/floor_cost.py            # 7 rounds on a 10 s 640x480 30 fps clip

The clip (toes lifting, a wood floor, camera noise) is rendered and decoded into memory once;
each round times ``ToeTracker.advance`` and ``measure`` on every frame (CPU time, OpenCV on
one thread, the process pinned to one core where the OS allows it), first without the floor,
then with it, so that load from other work affects both alike. The per-round ratio of the
frame rates and their median are printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import av
import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from videogen import render_front  # noqa: E402

from toelab.track import parse_points  # noqa: E402
from toelab.track.tracker import ToeTracker  # noqa: E402


def frames_per_second(frames: list[tuple[float, np.ndarray]], points, follow_floor: bool) -> float:
    (t0, first), rest = frames[0], frames[1:]
    tracker = ToeTracker(points, first, t0, follow_floor=follow_floor)
    started = time.process_time()
    for _, frame in rest:
        tracker.advance(frame)
        tracker.measure()
    return len(rest) / (time.process_time() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    cv2.setNumThreads(1)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "front.mp4"
        truth = render_front(
            path,
            lambda t: np.outer(3.0 * np.sin(2 * np.pi * 0.5 * t) ** 2, [1.0, 0, 0, 0, 0]),
            duration_s=10.0,
            floor="wood",
            noise=2.0,
            seed=1,
        )
        with av.open(str(path)) as container:
            frames = [(float(f.time), f.to_ndarray(format="gray")) for f in container.decode(video=0)]
    points = parse_points(truth.first_points)
    ratios = []
    for k in range(args.rounds):
        without = frames_per_second(frames, points, False)
        with_floor = frames_per_second(frames, points, True)
        ratios.append(with_floor / without)
        print(
            f"round {k + 1}: without the floor {without:.0f} frames/s, with it {with_floor:.0f} frames/s, "
            f"ratio {ratios[-1]:.2f}"
        )
    print(
        f"with the floor / without: median {statistics.median(ratios):.2f} "
        f"(range {min(ratios):.2f}-{max(ratios):.2f}, {args.rounds} rounds)"
    )


if __name__ == "__main__":
    main()
