"""Camera videos for the browser tests and the benchmark: feet with known toe lifts, written
as YUV4MPEG2 (.y4m), the file Chromium's fake camera plays in a loop."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import av
import cv2
import numpy as np
from videogen import lift_pulses

FPS = 30
LIFT_PX = 14.0

# Toe isolation video (one 6 s loop): the big toe alone; the 2nd toe dragging the 3rd and
# 4th (90 % of their own lift: individuation index 0.55, well below "moves on its own");
# then the 3rd, 4th and little toe each alone.
ISOLATION_LOOP_S = 6.0
ISOLATION_PULSES = (
    (0.5, {1: 1.0}),
    (1.7, {2: 1.0, 3: 0.9, 4: 0.9}),
    (2.9, {3: 1.0}),
    (4.1, {4: 1.0}),
    (5.1, {5: 1.0}),
)
PULSE_S = 0.5

# Musical toes video: the big toe lifts every 0.6 s (100 beats per minute), 10 lifts a loop.
MUSIC_PERIOD_S = 0.6
MUSIC_LOOP_S = 6.0


# the live server drops frames that come at over 120 a second once its two seconds of burst
# are used up (web.security.Limits); the tests replay a camera's frames at most this much faster
REPLAY_SPEEDUP = 3.0


def paced(time_s: np.ndarray) -> Iterator[int]:
    """The indices of a camera's frames, each given no sooner than the camera would send it,
    sped up ``REPLAY_SPEEDUP`` times: on a fast machine the server answered a replay of 360
    frames sooner than it takes them, and dropped some."""
    started = time.monotonic()
    for index, t in enumerate(time_s):
        wait_s = started + (float(t) - float(time_s[0])) / REPLAY_SPEEDUP - time.monotonic()
        if wait_s > 0:
            time.sleep(wait_s)
        yield index


def loops(frames: list, time_s: np.ndarray, n: int) -> tuple[list, np.ndarray]:
    """The camera's loop played ``n`` times: the frames and their times, one after another
    (the isolation test needs at least two lifts of each toe to give it an index)."""
    step = float(np.median(np.diff(time_s)))
    span = float(time_s[-1] - time_s[0]) + step
    return list(frames) * n, np.concatenate([time_s + k * span for k in range(n)])


def isolation_lifts(t: np.ndarray) -> np.ndarray:
    out = np.zeros((t.size, 5))
    for onset, toes in ISOLATION_PULSES:
        for toe, share in toes.items():
            out[:, toe - 1] += lift_pulses(t, [onset], LIFT_PX * share, PULSE_S)
    return out


def music_lifts(t: np.ndarray) -> np.ndarray:
    out = np.zeros((t.size, 5))
    onsets = list(np.arange(0.1, MUSIC_LOOP_S - 0.3, MUSIC_PERIOD_S))
    out[:, 0] = lift_pulses(t, onsets, LIFT_PX, 0.3)
    return out


def write_y4m(video: Path, out: Path, fps: int = FPS) -> Path:
    """Decode a video and write it as 4:2:0 YUV4MPEG2 at ``fps`` frames per second."""
    with av.open(str(video)) as container, out.open("wb") as handle:
        stream = container.streams.video[0]
        handle.write(f"YUV4MPEG2 W{stream.width} H{stream.height} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for frame in container.decode(stream):
            i420 = cv2.cvtColor(frame.to_ndarray(format="bgr24"), cv2.COLOR_BGR2YUV_I420)
            handle.write(b"FRAME\n")
            handle.write(i420.tobytes())
    return out


def chromium_args(y4m: Path) -> list[str]:
    return [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={y4m.resolve()}",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]


def snap_until_proposed(page, tries: int = 6) -> bool:
    """Take the page's still until toelab proposes the toe points (the fake camera may be
    mid-lift); True once it has."""
    for _ in range(tries):
        page.click("#snap")
        page.wait_for_function("document.querySelector('#calib-canvas').dataset.proposal !== undefined")
        if page.get_attribute("#calib-canvas", "data-proposal") == "ok":
            return True
        page.evaluate("delete document.querySelector('#calib-canvas').dataset.proposal")
        page.wait_for_timeout(700)
    return False
