"""``Recording``: the one in-memory model every input becomes.

A recording is a series of samples at real timestamps (seconds, strictly increasing,
irregular spacing allowed) holding

* ``landmarks``: named point tracks, each an ``(n, 2)`` or ``(n, 3)`` float array in
  ``meta.units``; a missing sample is NaN. Names follow :mod:`toelab.landmarks`
  (``right_toe1``, ``left_hallux_tip`` ...); unknown names are kept as the source had them.
* ``confidence``: optional per-sample confidence (0..1) for a landmark, same name.
* ``signals``: raw 1-D channels such as ``acc_x`` or ``gyro_z`` (units in
  ``meta.signal_units``), or any numeric column of a CSV.
* ``meta``: frame rate, foot, view, units, scale and where the data came from.

``save``/``load`` keep every array bit for bit in one compressed ``.npz`` file.
"""

from __future__ import annotations

import json
import math
import zipfile
import zlib
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from toelab.errors import ToelabError
from toelab.landmarks import split_key
from toelab.limits import check_unpacked_size
from toelab.resample import interpolate, uniform_grid

FORMAT_MARKER = "__toelab_recording__"
FORMAT_VERSION = 1
# Image coordinates grow downwards; lab (motion capture) coordinates have z up.
VERTICAL_AXES = ("-y", "+y", "+z", "-z")
# Sane limits, checked before anything is put on a uniform time grid (whose size is the time
# span times the rate, not the number of samples): a toe test lasts minutes, a long sensor
# session hours; a grid may hold this many more samples than the file (dropped frames, pauses).
MAX_DURATION_S = 6 * 3600.0
MAX_GRID_GAP_SAMPLES = 1_000_000
# ``resampled`` bridges one or two dropped frames and leaves longer gaps empty (NaN)
RESAMPLE_MAX_GAP_INTERVALS = 2.5


@dataclass
class RecordingMeta:
    """What is known about a recording besides its samples."""

    fps: float | None = None  # nominal frame/sample rate the source declared
    foot: str | None = None  # "left", "right", "both" or None
    view: str | None = None  # "front", "side", "top" or None
    units: str = "px"  # unit of landmark coordinates: px, mm, m, norm
    signal_units: dict[str, str] = field(default_factory=dict)
    mm_per_unit: float | None = None  # scale from landmark units to millimetres
    vertical_axis: str = "-y"  # which landmark axis points up (toe lift direction)
    source: str = "unknown"  # reader that made it: csv, deeplabcut, sleap, openpose, c3d, ...
    path: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Recording:
    time_s: np.ndarray
    landmarks: dict[str, np.ndarray] = field(default_factory=dict)
    confidence: dict[str, np.ndarray] = field(default_factory=dict)
    signals: dict[str, np.ndarray] = field(default_factory=dict)
    meta: RecordingMeta = field(default_factory=RecordingMeta)

    def __post_init__(self) -> None:
        self.time_s = np.asarray(self.time_s, dtype=float)
        where = self.meta.path
        if self.time_s.ndim != 1:
            raise ToelabError("timestamps must be one value per sample", where)
        n = self.time_s.size
        if n and not np.all(np.isfinite(self.time_s)):
            raise ToelabError("some timestamps are missing or not numbers", where)
        if n > 1 and np.any(np.diff(self.time_s) <= 0):
            raise ToelabError(
                "timestamps are not strictly increasing",
                where,
                hint="check the time column and its unit (--time-unit ms for milliseconds)",
            )
        self._check_span(where)
        for name, xy in list(self.landmarks.items()):
            xy = np.asarray(xy, dtype=float)
            if xy.ndim != 2 or xy.shape[0] != n or xy.shape[1] not in (2, 3):
                raise ToelabError(
                    f"landmark {name!r} has shape {xy.shape}, expected ({n}, 2) or ({n}, 3)", where
                )
            self.landmarks[name] = xy
        for name, conf in list(self.confidence.items()):
            conf = np.asarray(conf, dtype=float)
            if name not in self.landmarks or conf.shape != (n,):
                raise ToelabError(f"confidence {name!r} does not match a landmark track", where)
            self.confidence[name] = conf
        for name, values in list(self.signals.items()):
            values = np.asarray(values, dtype=float)
            if values.shape != (n,):
                raise ToelabError(f"signal {name!r} has shape {values.shape}, expected ({n},)", where)
            self.signals[name] = values
        if self.meta.vertical_axis not in VERTICAL_AXES:
            raise ToelabError(f"vertical axis must be one of {VERTICAL_AXES}", where)

    def _check_span(self, where: str | None) -> None:
        """Refuse a time span no toe recording has, or one a uniform grid could not hold."""
        n = self.time_s.size
        if n < 2:
            return
        with np.errstate(over="ignore", invalid="ignore"):
            span_s = float(self.time_s[-1] - self.time_s[0])
            step_s = float(np.median(np.diff(self.time_s)))
        unit_hint = "check the time column and its unit (--time-unit ms for milliseconds)"
        if not math.isfinite(span_s) or span_s > MAX_DURATION_S:
            raise ToelabError(
                f"the timestamps span {_span_words(span_s)}, longer than toelab's limit of "
                f"{MAX_DURATION_S / 3600:.0f} h",
                where,
                hint=unit_hint,
            )
        grid_n = span_s / step_s if step_s > 0 else math.inf
        if not grid_n <= n + MAX_GRID_GAP_SAMPLES:
            jump = int(np.argmax(np.diff(self.time_s)))
            raise ToelabError(
                f"the timestamps jump from {self.time_s[jump]:.6g} s to {self.time_s[jump + 1]:.6g} s "
                f"between samples {jump + 1} and {jump + 2}, leaving most of the recording empty",
                where,
                hint=f"{unit_hint}; or split the recording where it pauses",
            )

    # -- shape -------------------------------------------------------------------------
    @property
    def n_samples(self) -> int:
        return int(self.time_s.size)

    @property
    def duration_s(self) -> float:
        return float(self.time_s[-1] - self.time_s[0]) if self.n_samples > 1 else 0.0

    @property
    def sampling_rate_hz(self) -> float:
        """The median rate of the real timestamps (robust to a few dropped frames)."""
        if self.n_samples < 2:
            return float(self.meta.fps or 0.0)
        return float(1.0 / np.median(np.diff(self.time_s)))

    def is_regular(self, tolerance: float = 0.01) -> bool:
        """True when every interval is within ``tolerance`` (fraction) of the median."""
        if self.n_samples < 3:
            return True
        dt = np.diff(self.time_s)
        median = np.median(dt)
        return bool(np.max(np.abs(dt - median)) <= tolerance * median)

    def feet(self) -> list[str]:
        """The feet that have at least one named landmark, in order left, right."""
        present = {split_key(name)[0] for name in self.landmarks}
        return [f for f in ("left", "right") if f in present]

    def find_landmark(self, point: str, foot: str | None = None) -> str | None:
        """The name of ``point`` on ``foot`` (or on the only foot/no foot), or None."""
        candidates = [
            name
            for name in self.landmarks
            if split_key(name)[1] == point and (foot is None or split_key(name)[0] in (foot, None))
        ]
        if foot is not None:
            exact = [c for c in candidates if split_key(c)[0] == foot]
            candidates = exact or candidates
        return candidates[0] if len(candidates) == 1 or foot is not None and candidates else None

    def vertical(self, name: str) -> np.ndarray:
        """A landmark's height along ``meta.vertical_axis`` (larger = higher)."""
        axis = {"y": 1, "z": 2}[self.meta.vertical_axis[1]]
        xy = self.landmarks[name]
        if axis >= xy.shape[1]:
            raise ToelabError(f"landmark {name!r} has no {self.meta.vertical_axis[1]} axis", self.meta.path)
        sign = -1.0 if self.meta.vertical_axis[0] == "-" else 1.0
        return sign * xy[:, axis]

    # -- transforms --------------------------------------------------------------------
    def with_meta(self, **changes: Any) -> Recording:
        return replace(self, meta=replace(self.meta, **changes))

    def resampled(self, rate_hz: float | None = None) -> Recording:
        """A copy on a uniform time grid (linear interpolation; gaps stay NaN).

        ``rate_hz`` defaults to the median rate of the real timestamps. A gap longer than
        ``RESAMPLE_MAX_GAP_INTERVALS`` intervals stays NaN (see :mod:`toelab.resample`).
        """
        rate = float(rate_hz or self.sampling_rate_hz)
        if self.n_samples < 2 or rate <= 0:
            return self
        grid = uniform_grid(float(self.time_s[0]), float(self.time_s[-1]), rate)

        def interp(values: np.ndarray) -> np.ndarray:
            ok = np.isfinite(values)
            return interpolate(
                grid,
                self.time_s[ok],
                values[ok],
                max_gap_s=RESAMPLE_MAX_GAP_INTERVALS / rate,
                across_long_gaps="nan",
            )

        landmarks = {
            k: np.column_stack([interp(v[:, d]) for d in range(v.shape[1])])
            for k, v in self.landmarks.items()
        }
        confidence = {k: interp(v) for k, v in self.confidence.items()}
        signals = {k: interp(v) for k, v in self.signals.items()}
        return Recording(grid, landmarks, confidence, signals, replace(self.meta, fps=rate))

    # -- persistence -------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the recording, losslessly, to one compressed ``.npz`` file."""
        path = Path(path)
        arrays: dict[str, np.ndarray] = {"time_s": self.time_s}
        arrays.update({f"landmark/{k}": v for k, v in self.landmarks.items()})
        arrays.update({f"confidence/{k}": v for k, v in self.confidence.items()})
        arrays.update({f"signal/{k}": v for k, v in self.signals.items()})
        header = {"version": FORMAT_VERSION, "meta": asdict(self.meta)}
        arrays[FORMAT_MARKER] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
        with path.open("wb") as handle:
            np.savez_compressed(handle, allow_pickle=False, **arrays)
        return path

    @classmethod
    def load(cls, path: str | Path) -> Recording:
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as data:
                _check_unpacked_size(path, data.zip.infolist())
                if FORMAT_MARKER not in data.files:
                    raise ToelabError("not a toelab recording (.npz without toelab header)", path)
                header = json.loads(bytes(data[FORMAT_MARKER]).decode())
                if header.get("version") != FORMAT_VERSION:
                    raise ToelabError(
                        f"recording format version {header.get('version')} is not supported", path
                    )
                groups: dict[str, dict[str, np.ndarray]] = {"landmark": {}, "confidence": {}, "signal": {}}
                for key in data.files:
                    if "/" in key and key.split("/", 1)[0] in groups:
                        group, name = key.split("/", 1)
                        groups[group][name] = data[key]
                time_s = data["time_s"]
            meta = RecordingMeta(**header["meta"])
        except ToelabError:
            raise
        except (
            OSError,
            EOFError,
            ValueError,
            KeyError,
            TypeError,
            NotImplementedError,
            zlib.error,
            zipfile.BadZipFile,
            json.JSONDecodeError,
        ) as exc:
            raise ToelabError(f"cannot read toelab recording: {exc}", path) from exc
        return cls(time_s, groups["landmark"], groups["confidence"], groups["signal"], meta)


def _span_words(span_s: float) -> str:
    if not math.isfinite(span_s):
        return "an endless time"
    if span_s >= 2 * 86400 * 365:
        return f"{span_s / (86400 * 365.25):.3g} years"
    return f"{span_s / 3600:.3g} h"


def _check_unpacked_size(path: Path, members: list[zipfile.ZipInfo]) -> None:
    # by the sizes the zip directory declares: the zip reader stops at them, so no member
    # can unpack to more
    check_unpacked_size(
        path,
        "the tracks file",
        sum(m.file_size for m in members),
        hint="the file is damaged or not one toelab wrote; save the tracks again with --save-tracks",
    )
