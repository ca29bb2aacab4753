"""End-to-end ``toelab analyze`` on 640×480 30 fps H.264 videos, on one core.

    python benchmarks/analyze_video.py                      # 60 s and 600 s videos
    python benchmarks/analyze_video.py --mediapipe-python /tmp/mp/bin/python

Each run is a fresh process pinned to CPU core 0 (``taskset``) with one thread for OpenCV,
BLAS and OpenMP; the time includes Python start-up, imports, decoding, tracking and the
isolation analysis; peak memory is the process's ``ru_maxrss``. A 60 s and a 600 s video show
whether memory grows with video length.

With ``--mediapipe-python`` (a Python with ``mediapipe==0.10.21`` and ``av`` installed, e.g.
``python -m venv /tmp/mp && /tmp/mp/bin/pip install mediapipe==0.10.21 av``), MediaPipe Pose
(its offline model from the wheel, ``model_complexity=1``) runs on the same 60 s video under
the same conditions, for comparison. MediaPipe finds heel and "foot index" only, not toes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ONE_THREAD, load_note, pinned  # noqa: E402
from track_speed import make_videos  # noqa: E402

ANALYZE = """
import json, resource, sys, time
start = time.perf_counter()
import cv2
cv2.setNumThreads(1)
from toelab.cli import app
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    print(json.dumps({"elapsed_s": time.perf_counter() - start,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}),
          file=sys.stderr)
"""

MEDIAPIPE = """
import json, resource, sys, time
start = time.perf_counter()
import av
import mediapipe as mp
frames = 0
with mp.solutions.pose.Pose(static_image_mode=False, model_complexity=1) as pose:
    with av.open(sys.argv[1]) as container:
        for frame in container.decode(video=0):
            pose.process(frame.to_ndarray(format="rgb24"))
            frames += 1
print(json.dumps({"frames": frames, "elapsed_s": time.perf_counter() - start,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_analyze(video: Path, points: Path) -> dict:
    args = ["analyze", str(video), "--task", "isolation", "--points", str(points), "--json"]
    done = subprocess.run(
        pinned([sys.executable, "-c", ANALYZE, *args]),
        capture_output=True,
        text=True,
        env={**os.environ, **ONE_THREAD},
        check=True,
    )
    figures = json.loads(done.stderr.strip().splitlines()[-1])
    figures["toe_control_score"] = json.loads(done.stdout)["results"]["toe_control_score"]
    return figures


def run_mediapipe(python: str, video: Path) -> dict:
    done = subprocess.run(
        pinned([python, "-c", MEDIAPIPE, str(video)]),
        capture_output=True,
        text=True,
        env={**os.environ, **ONE_THREAD},
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", type=float, nargs="+", default=[60.0, 600.0])
    parser.add_argument("--mediapipe-python", help="a Python that has mediapipe==0.10.21 and av")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        videos, points = make_videos(Path(tmp), args.lengths)
        results = {}
        for length, path in videos.items():
            figures = run_analyze(path, points)
            results[length] = figures
            print(
                f"toelab analyze, {length:4.0f} s video: {figures['elapsed_s']:6.1f} s "
                f"= {length / figures['elapsed_s']:.1f}x real time, "
                f"{30 * length / figures['elapsed_s']:.0f} frames/s, "
                f"peak memory {figures['peak_rss_mb']:.0f} MB{load_note()}"
            )
        if args.mediapipe_python:
            shortest = min(videos)
            figures = run_mediapipe(args.mediapipe_python, videos[shortest])
            ours = results[shortest]["elapsed_s"]
            print(
                f"MediaPipe Pose 0.10.21, {shortest:4.0f} s video: {figures['elapsed_s']:6.1f} s "
                f"= {shortest / figures['elapsed_s']:.1f}x real time, "
                f"{figures['frames'] / figures['elapsed_s']:.0f} frames/s, "
                f"peak memory {figures['peak_rss_mb']:.0f} MB; toelab is "
                f"{figures['elapsed_s'] / ours:.1f}x faster{load_note()}"
            )


if __name__ == "__main__":
    main()
