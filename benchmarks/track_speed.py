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

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from videogen import lift_pulses, render_front  # noqa: E402

CLIP_S = 10.0


def _lifts(t: np.ndarray) -> np.ndarray:
    return np.stack([lift_pulses(t % 2.0, [0.2 + 0.3 * i], 6.0, 0.3) for i in range(5)], axis=1)


def make_videos(folder: Path, lengths_s: list[float]) -> tuple[dict[float, Path], Path]:
    clip = folder / "clip.mp4"
    truth = render_front(clip, _lifts, duration_s=CLIP_S, fps=30.0, noise=1.0)
    points = folder / "points.json"
    truth.write_points(points)
    out: dict[float, Path] = {}
    for length in lengths_s:
        path = folder / f"front_{int(length)}s.mp4"
        with av.open(str(clip)) as source, av.open(str(path), "w") as target:
            in_stream = source.streams.video[0]
            out_stream = target.add_stream_from_template(in_stream)
            packets = [p for p in source.demux(in_stream) if p.dts is not None]
            step = int(round(CLIP_S / in_stream.time_base))
            for rep in range(int(round(length / CLIP_S))):
                for packet in packets:
                    copy = av.Packet(bytes(packet))
                    copy.pts, copy.dts = packet.pts + rep * step, packet.dts + rep * step
                    copy.time_base = in_stream.time_base
                    copy.is_keyframe = packet.is_keyframe
                    copy.stream = out_stream
                    target.mux(copy)
        out[length] = path
    return out, points


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


def load_note() -> str:
    """The machine's load average after a run: other work on the same core slows every figure."""
    if not hasattr(os, "getloadavg"):
        return ""
    return "; load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def run_one(path: Path, points: Path) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    command = [sys.executable, "-c", CHILD, str(path), str(points)]
    if hasattr(os, "sched_setaffinity"):
        command = ["taskset", "-c", "0", *command]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
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
