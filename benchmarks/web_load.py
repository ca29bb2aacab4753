"""Many live camera sessions against one ``toelab serve``: sustained fps and latency per stream.

    python benchmarks/web_load.py                      # 8 streams, 30 fps each, 20 s
    python benchmarks/web_load.py --streams 4 --seconds 60 --json out.json

``toelab serve`` runs as its own process (home mode, loopback). Each stream is a Python
WebSocket client that behaves like the page: a training run on a generated 640x480 foot
video (JPEG, quality 80), one camera frame every 1/30 s, at most two frames in flight — a
camera frame that comes while two are unanswered is skipped, as the page skips it.

Per stream:

* **fps** – frames the server answered with a tracked state, per second of the run;
* **latency** – from sending a frame to its answer arriving (decoding, tracking, scoring,
  reply), median and 95th percentile;
* **skipped** – camera frames not sent because two were in flight (the server was behind);
* **dropped** – frames the server answered as dropped (its queue for the stream was full).

And for the server: its CPU time over the run divided by wall time (1.0 = one core busy).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import struct
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import av
import cv2
import numpy as np
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import cpu_s, serve_process  # noqa: E402
from feet_camera import FPS, ISOLATION_LOOP_S, isolation_lifts  # noqa: E402
from videogen import render_front  # noqa: E402

HEADER = struct.Struct("<Id")
MAX_IN_FLIGHT = 2  # as the page (toelab/web/static/camera.js)


def _frames(folder: Path) -> tuple[list[bytes], list[dict]]:
    video = folder / "feet.mp4"
    truth = render_front(video, isolation_lifts, fps=FPS, duration_s=ISOLATION_LOOP_S, noise=1.0)
    with av.open(str(video)) as container:
        images = [f.to_ndarray(format="bgr24") for f in container.decode(video=0)]
    jpegs = [cv2.imencode(".jpg", im, [cv2.IMWRITE_JPEG_QUALITY, 80])[1].tobytes() for im in images]
    return jpegs, truth.first_points


@dataclass
class Stream:
    sent_at: dict[int, float] = field(default_factory=dict)
    latency_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    answered: int = 0
    dropped: int = 0
    skipped: int = 0
    errors: int = 0
    sent: int = 0

    def report(self, seconds: float) -> dict[str, float]:
        lat = np.asarray(self.latency_ms) if self.latency_ms else np.asarray([np.nan])
        srv = np.asarray(self.server_ms) if self.server_ms else np.asarray([np.nan])
        return {
            "fps": self.answered / seconds,
            "latency_p50_ms": float(np.percentile(lat, 50)),
            "latency_p95_ms": float(np.percentile(lat, 95)),
            "server_p95_ms": float(np.percentile(srv, 95)),
            "sent": self.sent,
            "answered": self.answered,
            "skipped": self.skipped,
            "dropped": self.dropped,
            "errors": self.errors,
        }


async def _stream(
    url: str, jpegs: list[bytes], points: list[dict], seconds: float, start_at: float
) -> Stream:
    stats = Stream()
    async with websockets.connect(f"ws://{url}/ws/live", max_size=2**22) as ws:
        await ws.send(json.dumps({"type": "start", "task": "train", "points": points}))
        assert json.loads(await ws.recv())["type"] == "armed"

        async def receive() -> None:
            async for text in ws:
                message = json.loads(text)
                seq = message.get("seq")
                if seq not in stats.sent_at:
                    continue
                stats.latency_ms.append(1000.0 * (time.perf_counter() - stats.sent_at.pop(seq)))
                if message["type"] == "state":
                    stats.answered += 1
                    stats.server_ms.append(message["server_ms"])
                elif message["type"] == "dropped":
                    stats.dropped += 1
                else:
                    stats.errors += 1

        receiver = asyncio.create_task(receive())
        await asyncio.sleep(max(0.0, start_at - time.perf_counter()))
        begun = time.perf_counter()
        for seq in range(int(seconds * FPS)):
            due = begun + seq / FPS
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            if len(stats.sent_at) >= MAX_IN_FLIGHT:
                stats.skipped += 1
                continue
            stats.sent_at[seq] = time.perf_counter()
            stats.sent += 1
            await ws.send(HEADER.pack(seq, 1000.0 * seq / FPS) + jpegs[seq % len(jpegs)])
        await asyncio.sleep(1.0)  # the last answers
        receiver.cancel()
    return stats


async def _run(
    url: str, jpegs: list[bytes], points: list[dict], streams: int, seconds: float
) -> list[Stream]:
    start_at = time.perf_counter() + 1.0
    return await asyncio.gather(*(_stream(url, jpegs, points, seconds, start_at) for _ in range(streams)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        jpegs, points = _frames(Path(folder))
        env = {**os.environ, "TOELAB_HOME": str(Path(folder) / "home")}
        with serve_process([], env, "/api/protocols") as (url, process):
            cpu_before, wall_before = cpu_s(process.pid), time.perf_counter()
            address = url.removeprefix("http://")
            results = asyncio.run(_run(address, jpegs, points, args.streams, args.seconds))
            cpu = (cpu_s(process.pid) - cpu_before) / (time.perf_counter() - wall_before)
    reports = [r.report(args.seconds) for r in results]
    print(
        f"{args.streams} streams x {FPS} fps, {args.seconds:.0f} s, 640x480 JPEG, on "
        f"{os.cpu_count()} CPU cores ({platform.processor() or platform.machine()})"
    )
    print(
        f"{'stream':>6} {'fps':>6} {'p50 ms':>7} {'p95 ms':>7} {'srv p95':>8} {'skipped':>8} {'dropped':>8}"
    )
    for i, r in enumerate(reports, 1):
        print(
            f"{i:>6} {r['fps']:6.1f} {r['latency_p50_ms']:7.0f} {r['latency_p95_ms']:7.0f} "
            f"{r['server_p95_ms']:8.0f} {r['skipped']:>8} {r['dropped']:>8}"
        )
    total = sum(r["fps"] for r in reports)
    print(f"total {total:.0f} fps answered; server CPU {cpu:.2f} cores")
    if args.json:
        args.json.write_text(json.dumps({"streams": reports, "server_cpu_cores": cpu}, indent=1))


if __name__ == "__main__":
    main()
