"""Tracker speed of two code versions, timed alternately: the ratio is what to trust on a busy machine.

    python benchmarks/track_speed_compare.py 577e0b4            # that commit against the working tree
    python benchmarks/track_speed_compare.py HEAD 577e0b4 --rounds 7

A front-view clip (five toes lifting in turn, camera noise) and a side-view clip (the big
toe bending up and down) are rendered once and decoded into memory; each run is a fresh
subprocess pinned to one CPU core with OpenCV limited to one thread, and times the tracker
alone (``ToeTracker.update`` on every frame, no decoding). The two versions run one after
the other in every round, so load from other work affects both alike; the per-round speed
ratios and their median are printed. A version is a git revision (its ``src`` is exported
with ``git archive``, the checkout is left as it is), ``.`` for the working tree, or a
folder holding a copy of ``src``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import av
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ONE_THREAD, export_source, looping_lifts, pinned  # noqa: E402
from videogen import render_front, render_side  # noqa: E402


def _bend_deg(t: np.ndarray) -> np.ndarray:
    return 25.0 * np.sin(np.pi * 0.5 * t) ** 2


def make_clips(folder: Path, duration_s: float) -> dict[str, tuple[Path, Path]]:
    """Per view: (decoded BGR frames as .npy, points file)."""
    clips = {}
    for view, render, motion in (("front", render_front, looping_lifts), ("side", render_side, _bend_deg)):
        video = folder / f"{view}.mp4"
        truth = render(video, motion, duration_s=duration_s, fps=30.0, noise=1.0)
        points = truth.write_points(folder / f"{view}.json")
        with av.open(str(video)) as container:
            frames = np.stack([f.to_ndarray(format="bgr24") for f in container.decode(video=0)])
        np.save(folder / f"{view}.npy", frames)
        clips[view] = (folder / f"{view}.npy", points)
    return clips


# glibc's allocator adapts to a process's history: once a large block is freed (as importing
# some modules does) it keeps image-sized buffers in the heap instead of mapping fresh pages for
# each, which changes the tracker's speed by about 10 %. Two versions that import different
# modules would differ by that alone, so both run with the same fixed settings.
SAME_ALLOCATOR = {"MALLOC_MMAP_THRESHOLD_": str(16 << 20), "MALLOC_TRIM_THRESHOLD_": str(64 << 20)}

CHILD = """
import json, sys, time
import cv2
import numpy as np
cv2.setNumThreads(1)
from toelab.track import load_points
from toelab.track.tracker import ToeTracker
# grey frames, as the video reader hands them to the tracker
frames = [cv2.cvtColor(f, cv2.COLOR_BGR2GRAY) for f in np.load(sys.argv[1])]
feet = load_points(sys.argv[2])
start, start_cpu = time.perf_counter(), time.process_time()
tracker = ToeTracker(feet, frames[0], 0.0)
for i in range(1, len(frames)):
    tracker.update(frames[i], i / 30.0)
elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - start_cpu
print(json.dumps({"fps": len(frames) / elapsed, "cpu_fps": len(frames) / elapsed_cpu}))
"""


def run_one(source: Path, frames: Path, points: Path) -> dict[str, float]:
    env = {**os.environ, **SAME_ALLOCATOR, **ONE_THREAD, "PYTHONPATH": str(source)}
    command = pinned([sys.executable, "-c", CHILD, str(frames), str(points)])
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="git revision to compare against")
    parser.add_argument("new", nargs="?", default=".", help="git revision, or . for the working tree")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=float, default=6.0, help="clip length in seconds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        clips = make_clips(folder, args.duration)
        sources = {name: export_source(rev, folder) for name, rev in (("base", args.base), ("new", args.new))}
        print(
            f"new = {args.new}, base = {args.base}; tracker frames/s on one core, ratio = new / base "
            "(cpu: per second of the process's own CPU time, which other work on the machine barely "
            "changes; wall: per second of elapsed time)"
        )
        for view, (frames, points) in clips.items():
            ratios: dict[str, list[float]] = {"cpu_fps": [], "fps": []}
            best: dict[tuple[str, str], float] = {}
            for round_no in range(args.rounds):
                order = ("base", "new") if round_no % 2 == 0 else ("new", "base")
                runs = {name: run_one(sources[name], frames, points) for name in order}
                for key, values in ratios.items():
                    values.append(runs["new"][key] / runs["base"][key])
                    for name in runs:
                        best[name, key] = max(best.get((name, key), 0.0), runs[name][key])
                print(
                    f"  {view:5s} round {round_no + 1}: cpu base {runs['base']['cpu_fps']:5.0f} "
                    f"new {runs['new']['cpu_fps']:5.0f} ratio {ratios['cpu_fps'][-1]:.2f} | wall base "
                    f"{runs['base']['fps']:5.0f} new {runs['new']['fps']:5.0f} ratio {ratios['fps'][-1]:.2f}"
                )
            for key, label in (("cpu_fps", "cpu"), ("fps", "wall")):
                values = ratios[key]
                print(
                    f"{view:5s} {label:4s}: median ratio new/base {statistics.median(values):.2f} "
                    f"(range {min(values):.2f}-{max(values):.2f}, {args.rounds} rounds); best runs: base "
                    f"{best['base', key]:.0f}, new {best['new', key]:.0f} frames/s, ratio "
                    f"{best['new', key] / best['base', key]:.2f}"
                )


if __name__ == "__main__":
    main()
