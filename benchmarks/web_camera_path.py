"""The live camera path in a real browser: frames per second, round-trip latency, server CPU.

    python benchmarks/web_camera_path.py                 # 20 s stream at 640x480, 30 fps camera
    python benchmarks/web_camera_path.py --seconds 60 --json out.json

``toelab serve`` runs as its own process; headless Chromium (``/usr/bin/chromium``) plays a
generated foot video as its camera (a looping .y4m at 640x480, 30 fps), the page is
calibrated through its own still picture and toe proposal, then a training run streams
frames: the page's camera → canvas → JPEG → WebSocket path, at most two frames in flight.

* **fps** – frames answered by the server per second over the run (the camera gives 30);
* **round trip** – from grabbing a frame on the page to its answer arriving (JPEG encoding,
  sending, decoding, tracking, scoring and the reply), median and 95th percentile;
* **server time** – decoding, tracking and scoring one frame on the server (median, p95);
* **server CPU** – the server process's CPU time over the run divided by its wall time
  (1.0 = one core busy), from ``/proc/<pid>/stat``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import cpu_s, serve_process  # noqa: E402
from feet_camera import FPS, ISOLATION_LOOP_S, chromium_args, isolation_lifts, snap_until_proposed, write_y4m  # noqa: E402
from videogen import render_front  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def measure(seconds: float, folder: Path) -> dict:
    from playwright.sync_api import sync_playwright

    mp4 = folder / "feet.mp4"
    render_front(mp4, isolation_lifts, fps=FPS, duration_s=ISOLATION_LOOP_S, noise=1.0)
    y4m = write_y4m(mp4, folder / "feet.y4m")
    env = {**os.environ, "TOELAB_HOME": str(folder / "home")}
    with serve_process([], env, "/api/protocols") as (url, server), sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=chromium_args(y4m))
        # the waits below are JavaScript strings, which the page's Content-Security-Policy refuses
        page = browser.new_page(bypass_csp=True)
        page.goto(url)
        page.wait_for_selector("body[data-ready='1']")
        page.click("#camera-start")
        snap_until_proposed(page)
        page.click("#use-points")
        page.select_option("#target", "1")
        page.click("#train-start")
        page.wait_for_function("window.toelab.link.stats.answered > 30")  # warmed up
        cpu0, wall0 = cpu_s(server.pid), time.monotonic()
        page.evaluate(
            "window.toelab.link.stats.rttMs.length = 0; window.toelab.link.stats.serverMs.length = 0"
        )
        answered0 = page.evaluate("window.toelab.link.stats.answered")
        page.wait_for_timeout(seconds * 1000)
        stats = page.evaluate("window.toelab.link.stats")
        cpu1, wall1 = cpu_s(server.pid), time.monotonic()
        size = page.evaluate("[window.toelab.link.camera.width, window.toelab.link.camera.height]")
        page.click("#train-stop")
        browser.close()
    rtt = np.asarray(stats["rttMs"])
    server_ms = np.asarray(stats["serverMs"])
    wall = wall1 - wall0
    return {
        "frame_size": f"{size[0]}x{size[1]}",
        "seconds": round(wall, 1),
        "fps": round((stats["answered"] - answered0) / wall, 1),
        "dropped_by_server": stats["dropped"],
        "skipped_by_page": stats["skipped"],
        "round_trip_ms_median": round(float(np.median(rtt)), 1),
        "round_trip_ms_p95": round(float(np.percentile(rtt, 95)), 1),
        "server_ms_median": round(float(np.median(server_ms)), 1),
        "server_ms_p95": round(float(np.percentile(server_ms, 95)), 1),
        "server_cpu_cores": round((cpu1 - cpu0) / wall, 2),
        "cpu_count": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the measured stream")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        figures = measure(args.seconds, Path(folder))
    for key, value in figures.items():
        print(f"{key:>24}: {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
