"""Draw tracked points, per-toe lift bars and detected lifts over the video (H.264 mp4)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

from toelab.errors import ToelabError
from toelab.io.video import open_video
from toelab.landmarks import split_key
from toelab.recording import Recording

_TIME_BASE = Fraction(1, 90000)
_EVENT_SHOW_S = 0.3  # how long a detected lift stays highlighted
_POINT_BGR = (0, 220, 255)
_EVENT_BGR = (60, 220, 60)


def _foot_matrix(recording: Recording, foot: str | None, index: int) -> np.ndarray:
    """First-frame pixels -> this frame's pixels, from the foot-motion signals (identity if absent)."""
    prefix = f"{foot}_foot_"
    try:
        dx = recording.signals[prefix + "dx_px"][index]
        dy = recording.signals[prefix + "dy_px"][index]
        angle = np.radians(recording.signals[prefix + "rotation_deg"][index])
        scale = recording.signals[prefix + "scale"][index]
    except KeyError:
        return np.array([[1.0, 0, 0], [0, 1.0, 0]])
    c, s = scale * np.cos(angle), scale * np.sin(angle)
    return np.array([[c, -s, dx], [s, c, dy]])


def _event_times(events: dict[str, list[float]] | None, names: list[str]) -> dict[str, np.ndarray]:
    if not events:
        return {}
    out: dict[str, np.ndarray] = {}
    for key, times in events.items():
        match = [n for n in names if n == key or split_key(n)[1] == key]
        for name in match:
            out[name] = np.asarray(times, float)
    return out


def write_overlay(
    video_path: str | Path,
    recording: Recording,
    out_path: str | Path,
    events: dict[str, list[float]] | None = None,
) -> Path:
    """Write ``out_path`` (H.264 mp4): the video with points, per-toe lift bars and lift events.

    ``events`` maps a toe (``right_toe1`` or ``toe1``) to the times (s) of its detected lifts.
    """
    out_path = Path(out_path)
    reader = open_video(video_path)
    names = list(recording.landmarks)
    if not names:
        raise ToelabError("the recording has no landmarks to draw", recording.meta.path)
    compensated = bool(recording.meta.extra.get("motion_compensated"))
    lifts = {n: recording.vertical(n) - np.nanmedian(recording.vertical(n)[:5]) for n in names}
    full_scale = max(
        1.0, max(float(np.nanmax(np.abs(v))) if np.isfinite(v).any() else 0.0 for v in lifts.values())
    )
    event_times = _event_times(events, names)
    width, height = reader.info.width, reader.info.height
    try:
        container = av.open(str(out_path), "w")
    except (av.FFmpegError, OSError) as exc:
        raise ToelabError(f"cannot write overlay video: {exc}", out_path) from exc
    try:
        stream = container.add_stream("libx264", rate=max(1, int(round(reader.info.fps or 30))))
        stream.width, stream.height = width - width % 2, height - height % 2
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": "20", "preset": "veryfast"}
        stream.codec_context.time_base = _TIME_BASE
        stream.time_base = _TIME_BASE
        last_pts = -1
        for t, image in reader.frames():
            index = int(np.clip(np.searchsorted(recording.time_s, t - 1e-6), 0, recording.n_samples - 1))
            _draw(image, recording, names, index, compensated, lifts, full_scale, event_times, t)
            frame = av.VideoFrame.from_ndarray(image[: stream.height, : stream.width], format="bgr24")
            pts = max(int(round(t / _TIME_BASE)), last_pts + 1)
            last_pts = pts
            frame.pts, frame.time_base = pts, _TIME_BASE
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    finally:
        container.close()
    return out_path


def _draw(
    image: np.ndarray,
    recording: Recording,
    names: list[str],
    index: int,
    compensated: bool,
    lifts: dict[str, np.ndarray],
    full_scale: float,
    event_times: dict[str, np.ndarray],
    t: float,
) -> None:
    height = image.shape[0]
    bar_w, gap = 14, 6
    x_bar = 10
    for name in names:
        xy = recording.landmarks[name][index, :2]
        lifting = name in event_times and bool(
            np.any((t >= event_times[name]) & (t <= event_times[name] + _EVENT_SHOW_S))
        )
        colour = _EVENT_BGR if lifting else _POINT_BGR
        if np.all(np.isfinite(xy)):
            if compensated:
                m = _foot_matrix(recording, split_key(name)[0], index)
                xy = m[:, :2] @ xy + m[:, 2]
            centre = (int(round(xy[0] * 4)), int(round(xy[1] * 4)))
            cv2.circle(image, centre, 6 * 4, colour, 1, cv2.LINE_AA, 2)
            if lifting:
                cv2.circle(image, centre, 11 * 4, _EVENT_BGR, 2, cv2.LINE_AA, 2)
            cv2.putText(
                image,
                split_key(name)[1],
                (centre[0] // 4 + 6, centre[1] // 4 - 6),
                cv2.FONT_HERSHEY_SIMPLEX,
                0.4,
                colour,
                1,
                cv2.LINE_AA,
            )
        lift = lifts[name][index]
        bar_top = height - 20 - 60
        cv2.rectangle(image, (x_bar, bar_top), (x_bar + bar_w, height - 20), (60, 60, 60), 1)
        if np.isfinite(lift):
            fill = int(round(np.clip(lift / full_scale, -1, 1) * 60))
            y_zero = height - 20
            cv2.rectangle(
                image,
                (x_bar + 1, y_zero - max(fill, 0)),
                (x_bar + bar_w - 1, y_zero - min(fill, 0)),
                colour,
                -1,
            )
        cv2.putText(
            image,
            split_key(name)[1][-1] if split_key(name)[1].startswith("toe") else split_key(name)[1][:2],
            (x_bar + 2, height - 6),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.35,
            (255, 255, 255),
            1,
            cv2.LINE_AA,
        )
        x_bar += bar_w + gap
    cv2.putText(
        image,
        f"{t:6.2f} s",
        (image.shape[1] - 90, 20),
        cv2.FONT_HERSHEY_SIMPLEX,
        0.5,
        (255, 255, 255),
        1,
        cv2.LINE_AA,
    )
