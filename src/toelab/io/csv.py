"""Generic CSV with a header row: landmark columns, signal columns and a time column.

* Time: a column named ``time``, ``t``, ``time_s``, ``timestamp``, phyphox's ``Time (s)`` or
  Sensor Logger's ``seconds_elapsed`` (preferred: Sensor Logger's ``time`` is epoch
  nanoseconds). Its unit comes from the header (``Time (ms)``, ``time_ms``) or ``time_unit``.
  Without one, a ``frame`` column with a frame rate (``fps`` or the video beside the file).
* Landmarks: ``<name>_x, <name>_y[, <name>_z][, <name>_likelihood | <name>_confidence]``.
* Signals: every other numeric column, named short (``Acceleration x (m/s^2)`` -> ``acc_x``)
  with the unit from the header's parentheses in ``meta.signal_units``. Sensor Logger's
  ``Accelerometer.csv``/``Gyroscope.csv`` (``time,seconds_elapsed,z,y,x``) give ``acc_*``/``gyro_*``.
* Comma, semicolon or tab delimited, quoted headers, and phyphox's decimal-comma export.
* Rows out of time order are sorted and exact duplicate rows dropped, each with a warning in
  ``meta.extra["warnings"]``; two different rows at one time are an error.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from toelab.errors import ToelabError
from toelab.io._common import (
    TrackSet,
    feet_label,
    require_file,
    resolve_fps,
    time_factor_s,
    videos_named,
)
from toelab.io._text import (
    column_values,
    content_lines,
    read_text,
    sniff_delimiter,
    split_rows,
    uses_decimal_comma,
)
from toelab.landmarks import to_toelab_name
from toelab.recording import Recording, RecordingMeta

# Time columns in order of preference (normalised: lower case, unit removed, spaces -> "_").
TIME_COLUMNS = ("seconds_elapsed", "time_s", "time", "t", "timestamp", "time_ms", "timestamp_ms")
FRAME_COLUMNS = ("frame", "frame_index", "frame_number", "frame_idx")
_UNIT_SUFFIX = {"_s": "s", "_ms": "ms", "_us": "us", "_ns": "ns"}
_CONFIDENCE_SUFFIXES = ("likelihood", "confidence")
# Column stems that name a sensor axis, not a landmark (acc_x is acceleration, not a point).
_SIGNAL_STEMS = re.compile(
    r"^(acc|gyr|mag|grav|linear|lin_acc|total_acc|user_acc|rot|orient|euler|quat|angular|force|moment)"
    r"[a-z]*(_|$)"
)
# phyphox's channel words -> toelab's short signal names.
_SIGNAL_WORDS = (
    ("linear_acceleration", "linear_acc"),
    ("absolute_acceleration", "acc_abs"),
    ("acceleration", "acc"),
    ("gyroscope", "gyro"),
    ("magnetic_field", "mag"),
    ("absolute_field", "mag_abs"),
)
# Sensor Logger writes one file per sensor with bare x, y, z columns.
_SENSOR_LOGGER_FILES = {
    "accelerometer": ("acc", "m/s^2"),
    "accelerometeruncalibrated": ("acc_uncal", "m/s^2"),
    "totalacceleration": ("total_acc", "m/s^2"),
    "gravity": ("gravity", "m/s^2"),
    "gyroscope": ("gyro", "rad/s"),
    "gyroscopeuncalibrated": ("gyro_uncal", "rad/s"),
    "magnetometer": ("mag", "uT"),
    "magnetometeruncalibrated": ("mag_uncal", "uT"),
}
_LENGTH_UNITS_MM = {"mm": 1.0, "cm": 10.0, "m": 1000.0}
# a whole-body marker set with every channel is a few hundred columns
MAX_COLUMNS = 5000
LENGTH_UNITS = ("px", "norm", *_LENGTH_UNITS_MM)


def read_csv(
    path: str | Path,
    *,
    fps: float | None = None,
    time_unit: str = "s",
    mapping: Mapping[str, str] | None = None,
    foot: str | None = None,
) -> Recording:
    """Read a CSV of timestamps with landmark and/or signal columns.

    Parameters
    ----------
    path : str or Path
        The CSV file (comma, semicolon or tab delimited).
    fps, time_unit, mapping, foot
        As for :func:`toelab.io.read`.

    Returns
    -------
    Recording
        Landmarks from ``<name>_x``/``<name>_y`` column pairs, every other numeric column as a
        signal.

    Raises
    ------
    ToelabError
        When there is no time column (nor a frame column with a rate), the times repeat with
        different rows, or the file cannot be read.
    """
    path = require_file(path)
    factor_s = time_factor_s(time_unit, path)
    header, columns, decimal_comma = _table(path)
    names = [_split_unit(h) for h in header]
    bases = [_normalise(base) for base, _ in names]
    warnings: list[str] = []

    values: dict[int, np.ndarray] = {}
    for index, cells in enumerate(columns):
        numbers, bad = column_values(cells, decimal_comma)
        if bad is None:
            values[index] = numbers
        elif np.all(np.isnan(numbers)):
            warnings.append(f"column {header[index]!r} is not numeric and was left out")
        else:
            raise ToelabError(
                f"data row {bad + 1}, column {header[index]!r}: {cells[bad]!r} is not a number",
                path,
                hint="fix or remove that cell",
            )

    time_s, used, rate = _time(path, bases, names, values, fps, factor_s, warnings)
    app = "sensor_logger" if "seconds_elapsed" in bases else "phyphox" if "Time (s)" in header else None
    tracks, units, landmark_columns = _landmarks(path, names, values, mapping, foot)
    used |= landmark_columns
    signals, signal_units = _signals(path, header, bases, names, values, used, app)
    if not tracks.landmarks and not signals:
        raise ToelabError(
            "no numeric data columns besides the time",
            path,
            hint="landmarks need <name>_x and <name>_y columns; any other numeric column becomes a signal",
        )

    order, keep = _tidy_time(path, time_s, tracks, signals, warnings)
    three_d = any(xy.shape[1] == 3 for xy in tracks.landmarks.values())
    meta = RecordingMeta(
        fps=rate,
        foot=foot or feet_label(tracks.landmarks),
        units=units,
        signal_units=signal_units,
        mm_per_unit=_LENGTH_UNITS_MM.get(units),
        vertical_axis="+z" if three_d else "-y",
        source="csv",
        path=str(path),
        extra={"warnings": warnings, "landmark_sources": tracks.sources(), **({"app": app} if app else {})},
    )
    return Recording(
        time_s[order][keep],
        {k: v[order][keep] for k, v in tracks.landmarks.items()},
        {k: v[order][keep] for k, v in tracks.confidence.items()},
        {k: v[order][keep] for k, v in signals.items()},
        meta,
    )


def _table(path: Path) -> tuple[list[str], list[list[str]], bool]:
    """Header, columns of cells, and whether numbers use a decimal comma."""
    lines = content_lines(read_text(path))
    if not lines:
        raise ToelabError("the file is empty", path, hint="export the recording again")
    delimiter = sniff_delimiter(lines[0])
    named = len(split_rows(lines[:1], delimiter)[0])
    if named > MAX_COLUMNS:
        raise ToelabError(
            f"the header names {named} columns, more than toelab reads ({MAX_COLUMNS})",
            path,
            hint="check the delimiter, or keep only the time and the tracked points",
        )
    try:
        rows = split_rows(lines, delimiter)
    except ToelabError as exc:
        raise ToelabError(exc.message, path) from exc
    header = [h.strip().strip('"').strip() for h in rows[0]]
    body = rows[1:]
    if not body:
        raise ToelabError(
            "has a header row but no data rows", path, hint="record for longer and export again"
        )
    # a trailing delimiter on every line: unnamed columns after the last cell that holds anything
    # (each step linear in the cells: a header of 400 000 columns must not take minutes)
    last_filled = max((i for row in body for i, cell in enumerate(row) if cell), default=-1)
    while header and not header[-1] and len(header) - 1 > last_filled:
        header.pop()
    for index, name in enumerate(header):
        if not name:
            raise ToelabError(f"column {index + 1} of the header has no name", path, hint="name every column")
    duplicates = sorted(name for name, n in Counter(header).items() if n > 1)
    if duplicates:
        raise ToelabError(f"the header names {duplicates} more than once", path, hint="rename the columns")
    width = len(header)
    for number, row in enumerate(body, start=1):
        if len(row) < width:
            raise ToelabError(
                f"data row {number} has {len(row)} values but the header names {width} columns",
                path,
                hint="the file may be cut short; export it again",
            )
        if any(row[width:]):
            raise ToelabError(
                f"data row {number} has more values ({len(row)}) than the header names ({width})",
                path,
                hint="check the delimiter and the header row",
            )
    columns = [[row[i] for row in body] for i in range(width)]
    return header, columns, uses_decimal_comma(body, delimiter)


def _split_unit(header: str) -> tuple[str, str | None]:
    """``"Acceleration x (m/s^2)"`` -> ``("Acceleration x", "m/s^2")``."""
    match = re.match(r"^(.*?)\s*[(\[]([^)\]]*)[)\]]\s*$", header)
    if match and match.group(1):
        return match.group(1), match.group(2).strip() or None
    return header, None


def _normalise(base: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", base.lower()).strip("_")


def _time(
    path: Path,
    bases: list[str],
    names: list[tuple[str, str | None]],
    values: dict[int, np.ndarray],
    fps: float | None,
    factor_s: float,
    warnings: list[str],
) -> tuple[np.ndarray, set[int], float | None]:
    """Timestamps in seconds, the columns that hold time (they are not signals), and the frame
    rate when the time came from frame numbers (else ``fps`` as given)."""
    rate = fps
    time_columns = {i for i, b in enumerate(bases) if b in TIME_COLUMNS}
    for wanted in TIME_COLUMNS:
        if wanted in bases:
            index = bases.index(wanted)
            if index not in values:
                raise ToelabError(f"the time column {names[index][0]!r} is not numeric", path)
            unit = names[index][1] or next(
                (u for suffix, u in _UNIT_SUFFIX.items() if wanted.endswith(suffix)), None
            )
            if wanted == "seconds_elapsed":
                unit = "s"
            scale = factor_s if unit is None else time_factor_s(unit.replace("µ", "u"), path)
            time_s = values[index] * scale
            if unit is None and scale == 1.0:
                _check_seconds(time_s, names[index][0], warnings)
            break
    else:
        frame = next((i for i, b in enumerate(bases) if b in FRAME_COLUMNS), None)
        if frame is None or frame not in values:
            raise ToelabError(
                "no time column",
                path,
                hint=f"name the time column one of: {', '.join(TIME_COLUMNS)} (or give a frame column)",
            )
        rate, _ = resolve_fps(fps, path, videos_named([path.parent], [path.stem]))
        time_s = values[frame] / rate
        time_columns = {frame}
    missing = np.flatnonzero(~np.isfinite(time_s))
    if missing.size:
        raise ToelabError(f"data row {missing[0] + 1} has no time", path, hint="fill or remove that row")
    return time_s, time_columns, rate


def _check_seconds(time_s: np.ndarray, column: str, warnings: list[str]) -> None:
    """Warn when a time column read as seconds steps by a second or more per row: no recording
    of toe movement is that slow, so the column is most likely in milliseconds."""
    steps = np.diff(np.sort(time_s))
    steps = steps[steps > 0]
    if steps.size >= 4 and float(np.median(steps)) >= 1.0:
        step = float(np.median(steps))
        warnings.append(
            f"the time column {column!r} rises by {step:g} per row: read as seconds that is "
            f"{1.0 / step:.2g} samples/s; if it holds milliseconds, pass --time-unit ms"
        )


def _landmarks(
    path: Path,
    names: list[tuple[str, str | None]],
    values: dict[int, np.ndarray],
    mapping: Mapping[str, str] | None,
    foot: str | None,
) -> tuple[TrackSet, str, set[int]]:
    axes: dict[str, dict[str, int]] = {}
    stems: dict[str, str] = {}
    for index, (base, _) in enumerate(names):
        match = re.match(r"^(.+?)[_ ]([xyz]|likelihood|confidence)$", base.strip(), re.IGNORECASE)
        if match and index in values:
            key = _normalise(match.group(1))
            stems.setdefault(key, match.group(1))
            axes.setdefault(key, {})[match.group(2).lower()] = index
    tracks = TrackSet(path)
    used: set[int] = set()
    units: set[str] = set()
    for key, found in axes.items():
        if "x" not in found or "y" not in found or _SIGNAL_STEMS.match(key):
            continue
        coordinate_columns = [found[a] for a in "xyz" if a in found]
        column_units = [unit.lower() for i in coordinate_columns if (unit := names[i][1])]
        if any(unit not in LENGTH_UNITS for unit in column_units):
            continue  # a unit such as m/s^2 makes it a sensor axis
        xy = np.column_stack([values[i] for i in coordinate_columns])
        confidence_column = next((found[s] for s in _CONFIDENCE_SUFFIXES if s in found), None)
        confidence = values[confidence_column] if confidence_column is not None else None
        name = to_toelab_name(stems[key], mapping, foot)
        tracks.add(name, xy, confidence, stems[key])
        used |= set(coordinate_columns) | ({confidence_column} if confidence_column is not None else set())
        units |= set(column_units)
    if len(units) > 1:
        raise ToelabError(f"landmark columns mix units {sorted(units)}", path, hint="use one unit for all")
    return tracks, units.pop() if units else "px", used


def _signals(
    path: Path,
    header: list[str],
    bases: list[str],
    names: list[tuple[str, str | None]],
    values: dict[int, np.ndarray],
    used: set[int],
    app: str | None,
) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    sensor = (
        _SENSOR_LOGGER_FILES.get(_normalise(path.stem).replace("_", "")) if app == "sensor_logger" else None
    )
    signals: dict[str, np.ndarray] = {}
    units: dict[str, str] = {}
    sources: dict[str, str] = {}
    for index, column in values.items():
        if index in used:
            continue
        name, unit = _signal_name(bases[index]), names[index][1]
        if sensor and bases[index] in ("x", "y", "z"):
            name, unit = f"{sensor[0]}_{bases[index]}", unit or sensor[1]
        if not name:
            name = f"column{index + 1}"
        if name in signals:
            raise ToelabError(
                f"columns {sources[name]!r} and {header[index]!r} both give the signal {name!r}",
                path,
                hint="rename one of the columns",
            )
        signals[name], sources[name] = column, header[index]
        if unit:
            units[name] = unit
    # phyphox's gyroscope export calls its magnitude column just "Absolute"
    if "absolute" in signals:
        prefixes = {n[:-2] for n in signals if n.endswith(("_x", "_y", "_z"))}
        if len(prefixes) == 1 and f"{next(iter(prefixes))}_abs" not in signals:
            new = f"{prefixes.pop()}_abs"
            signals[new] = signals.pop("absolute")
            if "absolute" in units:
                units[new] = units.pop("absolute")
    return signals, units


def _signal_name(base: str) -> str:
    name = base
    for long, short in _SIGNAL_WORDS:
        name = re.sub(rf"(^|_){long}(?=_|$)", rf"\g<1>{short}", name)
    return name


def _tidy_time(
    path: Path,
    time_s: np.ndarray,
    tracks: TrackSet,
    signals: dict[str, np.ndarray],
    warnings: list[str],
) -> tuple[np.ndarray, np.ndarray]:
    """The row order that sorts by time and the rows kept after dropping exact duplicates."""
    order = np.argsort(time_s, kind="stable")
    if np.any(np.diff(time_s) < 0):
        warnings.append("rows were not in time order and were sorted by time")
    sorted_s = time_s[order]
    columns = [v[order].reshape(len(order), -1) for v in (*tracks.landmarks.values(), *signals.values())]
    columns += [v[order].reshape(len(order), -1) for v in tracks.confidence.values()]
    table = np.column_stack([sorted_s[:, None], *columns])
    same_time = np.diff(sorted_s) == 0
    same_row = np.all((table[1:] == table[:-1]) | (np.isnan(table[1:]) & np.isnan(table[:-1])), axis=1)
    duplicate = same_time & same_row
    if duplicate.any():
        warnings.append(f"dropped {int(duplicate.sum())} duplicate rows")
    keep = np.concatenate([[True], ~duplicate])
    clash = np.flatnonzero(same_time & ~same_row)
    if clash.size:
        raise ToelabError(
            f"two different rows share the time {sorted_s[clash[0]]:g} s",
            path,
            hint="check the time column and its unit (--time-unit ms for milliseconds)",
        )
    return order, keep
