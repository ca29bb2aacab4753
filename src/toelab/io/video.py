"""Video input: frames with their real presentation timestamps, upright, one at a time.

Phones record at a variable frame rate, so every frame carries its own timestamp in
seconds (from the container's presentation timestamps, not ``index / fps``). A rotation
stored in the file (display matrix side data, or the older ``rotate`` tag) is applied so
that frames come out upright. Decoding streams: memory stays constant with video length.

PyAV (FFmpeg) is used; OpenCV's ``cv2.VideoCapture`` is the fallback when PyAV cannot open
the file.
"""

from __future__ import annotations

import os
import re
import warnings as _warnings
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np
from av.video.reformatter import VideoReformatter

from toelab.errors import ToelabError

# OpenCV's FFmpeg prints its own lines ("moov atom not found") on a damaged file, next to
# toelab's one-line error that says the same and what to do; a user's own setting is kept.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")

# Below this rate a camera limits what can be measured: a tremor is only seen up to half
# the frame rate (Nyquist), and a lift's timing only to one frame interval.
MIN_GOOD_FPS = 24.0
# A file that ends this much earlier than its header promised is reported as truncated.
_TRUNCATION_TOLERANCE_S = 0.5


@dataclass(frozen=True)
class VideoInfo:
    """What a video file declares about itself (before decoding every frame)."""

    fps: float
    n_frames_estimate: int
    width: int  # upright width, after the stored rotation is applied
    height: int
    duration_s: float
    rotation_deg: int  # clockwise rotation applied to make frames upright (0, 90, 180, 270)
    has_audio: bool
    codec: str = ""


@dataclass
class VideoReader:
    """An open video: ``info`` up front, then ``frames()`` streams (time_s, image).

    Problems met while decoding (a truncated or partly corrupt file) are collected in
    ``warnings`` instead of being raised, as long as some frames could be read.
    """

    path: Path
    info: VideoInfo
    warnings: list[str] = field(default_factory=list)
    backend: str = "pyav"
    # the first frame (BGR, upright), kept where opening the file decoded it
    first_bgr: np.ndarray | None = field(default=None, repr=False)

    def first_frame(self) -> np.ndarray:
        """The first frame, BGR and upright (the one ``frames()`` yields first)."""
        if self.first_bgr is not None:
            return self.first_bgr
        frames = self.frames(gray=False)
        try:
            first = next(frames, None)
        finally:
            frames.close()
        if first is None:
            raise ToelabError("the video has no frames", self.path)
        return first[1]

    def frames(self, gray: bool = False) -> Generator[tuple[float, np.ndarray], None, None]:
        """Yield ``(time_s, frame)``: BGR ``(h, w, 3)`` uint8, or ``(h, w)`` luma when ``gray``."""
        if self.backend == "pyav":
            yield from self._frames_pyav(gray)
        else:
            yield from self._frames_cv2(gray)

    # -- PyAV ---------------------------------------------------------------------------
    def _frames_pyav(self, gray: bool) -> Generator[tuple[float, np.ndarray], None, None]:
        try:
            container = av.open(str(self.path))
        except (av.FFmpegError, OSError) as exc:
            raise ToelabError(f"cannot open video: {exc}", self.path) from exc
        n_read = 0
        last_t = -np.inf
        try:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            decoded = container.decode(stream)
            while True:
                try:
                    frame = next(decoded)
                except StopIteration:
                    break
                except (av.FFmpegError, EOFError) as exc:
                    self.warnings.append(f"decoding stopped after {n_read} frames: {exc}")
                    break
                t = _frame_time_s(frame, n_read, self.info.fps)
                if t is None or t <= last_t:
                    # duplicate or missing timestamp: such a frame carries no new time
                    continue
                last_t = t
                image = _frame_to_array(frame, gray)
                n_read += 1
                yield t, _rotate(image, self.info.rotation_deg)
        finally:
            container.close()
        self._check_complete(n_read, last_t)

    # -- OpenCV fallback ----------------------------------------------------------------
    def _frames_cv2(self, gray: bool) -> Generator[tuple[float, np.ndarray], None, None]:
        capture = cv2.VideoCapture(str(self.path))
        if not capture.isOpened():
            raise ToelabError("cannot open video", self.path)
        n_read = 0
        last_t = -np.inf
        try:
            while True:
                ok, image = capture.read()
                if not ok:
                    break
                t = capture.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
                if t <= last_t:
                    t = n_read / self.info.fps if self.info.fps > 0 else last_t + 1e-3
                if t <= last_t:
                    continue
                last_t = t
                n_read += 1
                if gray:
                    image = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
                yield t, image
        finally:
            capture.release()
        self._check_complete(n_read, last_t)

    def _check_complete(self, n_read: int, last_t: float) -> None:
        if n_read == 0:
            raise ToelabError(
                "no frame could be decoded: the file is corrupt or truncated",
                self.path,
                hint="record the video again or re-export it from the phone",
            )
        expected_end = self.info.duration_s - 1.0 / max(self.info.fps, 1.0)
        if self.info.duration_s > 0 and last_t < expected_end - _TRUNCATION_TOLERANCE_S:
            self.warnings.append(
                f"video ends at {last_t:.2f} s but its header says {self.info.duration_s:.2f} s: "
                "the file looks truncated; only the readable part is used"
            )


def _frame_time_s(frame: av.VideoFrame, index: int, fps: float) -> float | None:
    if frame.pts is not None and frame.time_base is not None:
        return float(frame.pts * frame.time_base)
    if frame.time is not None:
        return float(frame.time)
    return index / fps if fps > 0 else None


_REFORMATTER = VideoReformatter()


def _frame_to_array(frame: av.VideoFrame, gray: bool) -> np.ndarray:
    if gray and frame.format.name in (
        "yuv420p",
        "yuvj420p",
        "yuv422p",
        "yuvj422p",
        "yuv444p",
        "nv12",
        "gray",
    ):
        # the luma plane is the grey image: no colour conversion needed
        plane = frame.planes[0]
        # PyAV's stubs do not declare that a plane supports the buffer protocol (it does)
        rows: np.ndarray = np.frombuffer(plane, dtype=np.uint8).reshape(  # type: ignore[call-overload]
            frame.height, plane.line_size
        )
        return rows[:, : frame.width].copy()
    # on one thread: swscale's worker threads, made in a process that then forks (each file of a
    # batch), do not exist in the child, and freeing them there waits for ever (PyAV's shared
    # reformatter kept them)
    converted = _REFORMATTER.reformat(frame, format="gray" if gray else "bgr24", threads=1)
    return converted.to_ndarray()


def _rotate(image: np.ndarray, clockwise_deg: int) -> np.ndarray:
    if clockwise_deg == 90:
        return cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE)
    if clockwise_deg == 180:
        return cv2.rotate(image, cv2.ROTATE_180)
    if clockwise_deg == 270:
        return cv2.rotate(image, cv2.ROTATE_90_COUNTERCLOCKWISE)
    return image


def _rotation_clockwise_deg(stream: av.video.stream.VideoStream, first: av.VideoFrame | None) -> int:
    """The clockwise rotation that makes frames upright, from side data or the ``rotate`` tag."""
    if first is not None and first.rotation:
        # PyAV reports the display matrix as a counter-clockwise angle
        return int(round(-first.rotation / 90.0)) * 90 % 360
    tag = stream.metadata.get("rotate")
    if tag:
        try:
            return int(round(float(tag) / 90.0)) * 90 % 360
        except ValueError:
            return 0
    return 0


def _not_a_video(path: Path, detail: str) -> ToelabError:
    # the decoder's error number means nothing to a person: its words stay
    detail = re.sub(r"^\[Errno -?\d+\]\s*", "", detail)
    return ToelabError(
        f"not a readable video ({detail})",
        path,
        hint="give an .mp4/.mov/.avi/.mkv video file recorded by a camera or phone; a video copied or "
        "sent only in part (cut short) cannot be read either: copy it again from the phone",
    )


def open_video(path: str | Path) -> VideoReader:
    """Open a video for streaming; raise ``ToelabError`` when it is not a readable video."""
    path = Path(path)
    if not path.is_file():
        raise ToelabError("video file not found", path)
    try:
        reader = _open_pyav(path)
    except ToelabError as pyav_error:
        fallback = _open_cv2(path)
        if fallback is None:
            raise pyav_error from None
        reader = fallback
    if reader.info.fps and reader.info.fps < MIN_GOOD_FPS:
        nyquist_hz = reader.info.fps / 2.0
        reader.warnings.append(
            f"the camera recorded at {reader.info.fps:.0f} fps (below {MIN_GOOD_FPS:.0f}): tremor above "
            f"{nyquist_hz:.1f} Hz cannot be measured and lift timing is only accurate to "
            f"{1000.0 / reader.info.fps:.0f} ms; record at 30 fps or more (60 for fast tremor)"
        )
    return reader


def _open_pyav(path: Path) -> VideoReader:
    try:
        container = av.open(str(path))
    except (av.FFmpegError, OSError, UnicodeDecodeError) as exc:
        raise _not_a_video(path, str(exc)) from exc
    try:
        if not container.streams.video:
            raise _not_a_video(path, "the file has no video stream")
        stream = container.streams.video[0]
        has_audio = bool(container.streams.audio)
        first = None
        try:
            first = next(container.decode(stream))
        except (av.FFmpegError, StopIteration, EOFError) as exc:
            raise ToelabError(
                f"no frame could be decoded: the file is corrupt or truncated ({str(exc) or 'empty'})",
                path,
                hint="record the video again or re-export it from the phone",
            ) from exc
        rate = stream.average_rate or stream.guessed_rate or stream.base_rate
        fps = float(rate) if rate else 0.0
        # the time the last frame ends (timestamps may start above zero)
        duration_s = 0.0
        if stream.duration is not None and stream.time_base is not None:
            duration_s = float((Fraction(stream.start_time or 0) + stream.duration) * stream.time_base)
        elif container.duration is not None:
            duration_s = container.duration / av.time_base
        n_frames = int(stream.frames) if stream.frames else int(round(duration_s * fps))
        rotation = _rotation_clockwise_deg(stream, first)
        width, height = first.width, first.height
        if rotation in (90, 270):
            width, height = height, width
        info = VideoInfo(
            fps=fps,
            n_frames_estimate=n_frames,
            width=width,
            height=height,
            duration_s=duration_s,
            rotation_deg=rotation,
            has_audio=has_audio,
            codec=stream.codec_context.name,
        )
        # kept only where ``frames()`` will yield it first too (it skips a frame with no time)
        first_bgr = (
            _rotate(_frame_to_array(first, False), rotation)
            if _frame_time_s(first, 0, fps) is not None
            else None
        )
    finally:
        container.close()
    return VideoReader(path, info, first_bgr=first_bgr)


def _open_cv2(path: Path) -> VideoReader | None:
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        capture = cv2.VideoCapture(str(path))
    try:
        if not capture.isOpened():
            return None
        ok, image = capture.read()
        if not ok:
            return None
        fps = float(capture.get(cv2.CAP_PROP_FPS) or 0.0)
        n_frames = int(capture.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        info = VideoInfo(
            fps=fps,
            n_frames_estimate=n_frames,
            width=image.shape[1],
            height=image.shape[0],
            duration_s=n_frames / fps if fps > 0 else 0.0,
            rotation_deg=0,
            has_audio=False,
        )
    finally:
        capture.release()
    return VideoReader(path, info, backend="opencv")


def probe_video(path: str | Path) -> VideoInfo:
    """Frame rate, size (upright), duration, rotation and audio presence of a video file."""
    return open_video(path).info


def iter_frames(
    path: str | Path, gray: bool = False, warnings: list[str] | None = None
) -> Iterator[tuple[float, np.ndarray]]:
    """Stream ``(time_s, frame)`` from a video; decoding problems are appended to ``warnings``."""
    reader = open_video(path)
    try:
        yield from reader.frames(gray=gray)
    finally:
        if warnings is not None:
            warnings.extend(reader.warnings)
