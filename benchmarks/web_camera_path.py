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
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "web"))

from feet_camera import FPS, ISOLATION_LOOP_S, chromium_args, isolation_lifts, write_y4m  # noqa: E402
from videogen import render_front  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process (and its finished children)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def _serve(home: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    command = Path(sys.executable).with_name("toelab")
    process = subprocess.Popen(
        [str(command), "serve", "--port", str(port)],
        env={**os.environ, "TOELAB_HOME": str(home)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{url}/api/protocols", timeout=1).read()
            return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("toelab serve did not start")


def measure(seconds: float, folder: Path) -> dict:
    from playwright.sync_api import sync_playwright

    mp4 = folder / "feet.mp4"
    render_front(mp4, isolation_lifts, fps=FPS, duration_s=ISOLATION_LOOP_S, noise=1.0)
    y4m = write_y4m(mp4, folder / "feet.y4m")
    server, url = _serve(folder / "home")
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=chromium_args(y4m))
            # the waits below are JavaScript strings, which the page's Content-Security-Policy refuses
            page = browser.new_page(bypass_csp=True)
            page.goto(url)
            page.wait_for_selector("body[data-ready='1']")
            page.click("#camera-start")
            for _ in range(6):
                page.click("#snap")
                page.wait_for_function(
                    "document.querySelector('#calib-canvas').dataset.proposal !== undefined"
                )
                if page.get_attribute("#calib-canvas", "data-proposal") == "ok":
                    break
                page.evaluate("delete document.querySelector('#calib-canvas').dataset.proposal")
                page.wait_for_timeout(700)
            page.click("#use-points")
            page.select_option("#target", "1")
            page.click("#train-start")
            page.wait_for_function("window.toelab.link.stats.answered > 30")  # warmed up
            cpu0, wall0 = _cpu_s(server.pid), time.monotonic()
            page.evaluate(
                "window.toelab.link.stats.rttMs.length = 0; window.toelab.link.stats.serverMs.length = 0"
            )
            answered0 = page.evaluate("window.toelab.link.stats.answered")
            page.wait_for_timeout(seconds * 1000)
            stats = page.evaluate("window.toelab.link.stats")
            cpu1, wall1 = _cpu_s(server.pid), time.monotonic()
            size = page.evaluate("[window.toelab.link.camera.width, window.toelab.link.camera.height]")
            page.click("#train-stop")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
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
