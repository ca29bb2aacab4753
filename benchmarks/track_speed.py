"""Toe tracker speed (frames per second, end to end from the H.264 file) and peak memory.

    python benchmarks/track_speed.py            # 60 s and 600 s videos, 640x480, 30 fps

A 10 s front-view clip (toes lifting with a 2 s period, so copies join seamlessly) is
rendered once and its H.264 packets are repeated to make the long videos. Each run happens
in a fresh subprocess pinned to one CPU core (where the OS allows it) with OpenCV limited
to one thread; peak memory is that subprocess's ``ru_maxrss``.
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

from common import ONE_THREAD, load_note, looping_clip, pinned, repeat_clip  # noqa: E402


def make_videos(folder: Path, lengths_s: list[float]) -> tuple[dict[float, Path], Path]:
    clip, points = looping_clip(folder)
    videos = {length: repeat_clip(clip, folder / f"front_{int(length)}s.mp4", length) for length in lengths_s}
    return videos, points


CHILD = """
import json, resource, sys, time
import cv2
cv2.setNumThreads(1)
from toelab.track import load_points, track_video
from toelab.io.video import probe_video
path, points = sys.argv[1], sys.argv[2]
feet = load_points(points)
start = time.perf_counter()
result = track_video(path, feet)
elapsed = time.perf_counter() - start
rec = result.recording
print(json.dumps({
    "frames": rec.n_samples, "video_s": rec.duration_s, "elapsed_s": elapsed,
    "fps": rec.n_samples / elapsed, "real_time_factor": rec.duration_s / elapsed,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def run_one(path: Path, points: Path) -> dict:
    command = pinned([sys.executable, "-c", CHILD, str(path), str(points)])
    done = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, **ONE_THREAD}, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", type=float, nargs="+", default=[60.0, 600.0])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        videos, points = make_videos(Path(tmp), args.lengths)
        for length, path in videos.items():
            figures = run_one(path, points)
            print(
                f"{length:5.0f} s video: {figures['frames']} frames in {figures['elapsed_s']:.1f} s = "
                f"{figures['fps']:.0f} fps ({figures['real_time_factor']:.1f}x real time), "
                f"peak memory {figures['peak_rss_mb']:.0f} MB{load_note()}"
            )


if __name__ == "__main__":
    main()
