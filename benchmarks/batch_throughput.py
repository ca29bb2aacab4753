"""Batch throughput: 50 one-minute videos through ``toelab batch`` on 1 and on 2 Dask workers.

    python benchmarks/batch_throughput.py                     # 50 x 60 s, 1 and 2 workers
    python benchmarks/batch_throughput.py --videos 10 --workers 1 2 4

A 10 s front-view clip (640x480, 30 fps, toes lifting one after another with a 2 s period, so
copies join seamlessly) is rendered once; its H.264 packets are repeated to make each
one-minute video, and every video gets its own container title, so each file has its own
content hash (the batch would otherwise skip it as done). Each run analyses every video for
the isolation task with the toe points given, on a fresh local Dask cluster (one thread per
worker, OpenCV and BLAS limited to one thread) into a fresh SQLite store; the time is the
whole run as a user sees it, cluster start included.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import looping_clip, repeat_clip  # noqa: E402


def make_videos(folder: Path, count: int, length_s: float) -> Path:
    """``count`` videos of ``length_s`` seconds in ``folder / "videos"``; returns the points file."""
    clip, points = looping_clip(folder)
    videos = folder / "videos"
    videos.mkdir()
    for number in range(count):
        repeat_clip(clip, videos / f"foot{number:03d}.mp4", length_s, title=f"recording {number}")
    return points


def run(folder: Path, points: Path, workers: int, scratch: Path) -> dict[str, float]:
    from toelab.batch import BatchOptions, run_batch
    from toelab.store import open_store

    home = scratch / f"home-{workers}"
    with open_store(f"sqlite:///{home / 'toelab.db'}", home=home) as store:
        start = time.perf_counter()
        report = run_batch(
            folder, BatchOptions("isolation", points=points), store, engine="dask", workers=workers
        )
        elapsed_s = time.perf_counter() - start
    if report.count("failed"):
        failed = next(r for r in report.results if r.status == "failed")
        raise SystemExit(f"{report.count('failed')} videos failed, e.g. {failed.name}: {failed.error}")
    video_s = sum(r.duration_s or 0.0 for r in report.results)
    return {
        "files": len(report.results),
        "elapsed_s": elapsed_s,
        "files_per_min": 60.0 * len(report.results) / elapsed_s,
        "video_s_per_s": video_s / elapsed_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=50)
    parser.add_argument("--length", type=float, default=60.0, help="seconds per video (a multiple of 10)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OPENCV_FOR_THREADS_NUM"):
        os.environ[variable] = "1"  # one core per worker; the workers inherit this
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        points = make_videos(scratch, args.videos, args.length)
        print(f"{args.videos} videos of {args.length:.0f} s, 640x480 30 fps H.264, isolation task")
        print(f"{os.cpu_count()} CPUs, load average before {os.getloadavg()[0]:.1f}")
        first_s = None
        for workers in args.workers:
            figures = run(scratch / "videos", points, workers, scratch)
            first_s = first_s or figures["elapsed_s"]
            print(
                f"{workers} worker(s): {figures['files']:.0f} files in {figures['elapsed_s']:.1f} s = "
                f"{figures['files_per_min']:.1f} files/min, {figures['video_s_per_s']:.1f} video-seconds "
                f"per second, {first_s / figures['elapsed_s']:.2f}x the first run; "
                f"load average {os.getloadavg()[0]:.1f}"
            )


if __name__ == "__main__":
    main()
