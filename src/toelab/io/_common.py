"""What the readers share: checking paths, time units, the frame rate of frame-indexed files,
and collecting named landmark tracks."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import SupportsFloat

import numpy as np

from toelab.errors import ToelabError
from toelab.recording import Recording, RecordingMeta

VIDEO_SUFFIXES = (
    ".mp4", ".avi", ".mov", ".mkv", ".m4v", ".webm", ".3gp", ".mpg", ".mpeg", ".wmv", ".mts"
)
TIME_UNIT_S = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "ns": 1e-9}
_FOOT_WORDS = {"left": "left", "l": "left", "right": "right", "r": "right"}


def require_file(path: str | Path) -> Path:
    """``path`` as a Path, or a ToelabError when it is missing or a folder."""
    path = Path(path)
    if not path.exists():
        raise ToelabError("file not found", path, hint="check the path and its spelling")
    if path.is_dir():
        raise ToelabError("is a folder, expected a file", path, hint="pass one of the files inside it")
    if not path.is_file():  # reading a pipe, socket or device would wait forever
        raise ToelabError(
            "is not a regular file (a pipe, socket or device)",
            path,
            hint="save the recording to a file first",
        )
    return path


def require_dir(path: str | Path) -> Path:
    path = Path(path)
    if not path.exists():
        raise ToelabError("folder not found", path, hint="check the path and its spelling")
    if not path.is_dir():
        raise ToelabError("is a file, expected a folder", path, hint="pass the folder that holds the files")
    return path


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ToelabError(f"cannot read the file: {exc.strerror or exc}", path) from exc


def time_factor_s(time_unit: str, path: Path | None = None) -> float:
    """Seconds per unit of a time column (``s``, ``ms``, ``us``, ``ns``)."""
    try:
        return TIME_UNIT_S[time_unit.strip().lower()]
    except KeyError:
        raise ToelabError(
            f"unknown time unit {time_unit!r}", path, hint=f"use one of {', '.join(TIME_UNIT_S)}"
        ) from None


def probe_fps(video: Path) -> float | None:
    """The average frame rate of a video file (toelab's video reader); None when it cannot tell."""
    from toelab.io.video import probe_video

    try:
        return _valid_rate(probe_video(video).fps)
    except ToelabError:
        return None


def _valid_rate(rate: SupportsFloat | str) -> float | None:
    try:
        value = float(rate)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return value if math.isfinite(value) and value > 0 else None


def videos_named(directories: Iterable[Path], names: Iterable[str]) -> list[Path]:
    """Existing video files called ``name`` (with a video suffix, or ``name`` + one) in ``directories``."""
    found: list[Path] = []
    names = [n for n in dict.fromkeys(names) if n]
    for directory in dict.fromkeys(directories):
        for name in names:
            candidates = [directory / name] if name.lower().endswith(VIDEO_SUFFIXES) else []
            candidates += [directory / f"{name}{suffix}" for suffix in VIDEO_SUFFIXES]
            candidates += [directory / f"{name}{suffix.upper()}" for suffix in VIDEO_SUFFIXES]
            found += [c for c in candidates if c.is_file() and c not in found]
    return found


def resolve_fps(fps: float | None, path: Path, videos: Iterable[Path]) -> tuple[float, str | None]:
    """The frame rate to time a frame-indexed file: ``fps`` if given, else the video's.

    Returns the rate and the video it came from (None when ``fps`` was given).
    """
    if fps is not None:
        rate = _valid_rate(fps)
        if rate is None:
            raise ToelabError(f"frame rate {fps!r} is not a positive number", path, hint="e.g. --fps 30")
        return rate, None
    for video in videos:
        rate = probe_fps(video)
        if rate is not None:
            return rate, str(video)
    raise ToelabError("frame rate unknown: pass --fps N or place the video beside the file", path)


def foot_word(name: str) -> str | None:
    """``left``/``right`` for a track or individual called left, right, L or R."""
    return _FOOT_WORDS.get(name.strip().lower())


def feet_label(names: Iterable[str]) -> str | None:
    """``both``, ``left``, ``right`` or None from toelab landmark names."""
    feet = {n.split("_", 1)[0] for n in names} & {"left", "right"}
    return "both" if len(feet) == 2 else (feet.pop() if feet else None)


def trailing_number(text: str) -> int | None:
    """The last run of digits in a file name's stem (``img0042.png`` -> 42)."""
    digits = re.findall(r"\d+", Path(text).stem)
    return int(digits[-1]) if digits else None


class TrackSet:
    """Landmark tracks collected under toelab names, refusing two sources under one name."""

    def __init__(self, path: Path):
        self.path = path
        self.landmarks: dict[str, np.ndarray] = {}
        self.confidence: dict[str, np.ndarray] = {}
        self._source: dict[str, str] = {}

    def add(self, name: str, xy: np.ndarray, confidence: np.ndarray | None, source_name: str) -> None:
        if name in self._source:
            raise ToelabError(
                f"{self._source[name]!r} and {source_name!r} both map to the landmark {name!r}",
                self.path,
                hint="rename one with --map NAME=toelab_name",
            )
        self._source[name] = source_name
        self.landmarks[name] = np.asarray(xy, dtype=float)
        if confidence is not None:
            self.confidence[name] = np.asarray(confidence, dtype=float)

    def sources(self) -> dict[str, str]:
        """toelab name -> the name the file used."""
        return dict(self._source)

    def recording(
        self,
        frames: np.ndarray,
        rate: float,
        *,
        source: str,
        foot: str | None,
        video: str | None = None,
        **extra: object,
    ) -> Recording:
        """The tracks as a Recording of image-pixel landmarks (a pose tracker's output), timed by
        frame number at ``rate``."""
        meta = RecordingMeta(
            fps=rate,
            foot=foot or feet_label(self.landmarks),
            units="px",
            vertical_axis="-y",
            source=source,
            path=str(self.path),
            extra={
                "warnings": [],
                "landmark_sources": self.sources(),
                **extra,
                **({"video": video} if video else {}),
            },
        )
        return Recording(np.asarray(frames) / rate, self.landmarks, self.confidence, {}, meta)
