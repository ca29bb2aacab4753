"""C3D motion capture (Vicon, Qualisys, Motion Analysis ...), read with ezc3d.

Markers become 3-D landmarks in lab coordinates: labels from ``POINT:LABELS`` (mapped by
:func:`toelab.landmarks.to_toelab_name`, so Oxford Foot Model markers such as ``LHLX``,
``RD1M``, ``LP1M``, ``RTOE``, ``LHEE`` get toelab names), units from ``POINT:UNITS``, rate
from ``POINT:RATE``, the up axis from ``POINT:Y_SCREEN`` (``+z`` when absent). A sample with a
negative residual, or exactly at the origin, is a gap (NaN). Unlabelled trajectories
(``*12``) are left out. Model outputs listed in ``POINT:ANGLES``/``FORCES``/``MOMENTS``/
``POWERS`` (e.g. ``LHXFFA``, hallux relative to forefoot) become signals ``<label>_x/_y/_z``.

The file's layout is checked before ezc3d reads it, so that a damaged or cut-short file is
reported instead of being read as zeros or exhausting memory.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from toelab.errors import ToelabError
from toelab.io._common import TrackSet, feet_label, read_bytes, require_file
from toelab.landmarks import to_toelab_name
from toelab.recording import Recording, RecordingMeta

C3D_SIGNATURE = 0x50
_BLOCK = 512
_MAX_DIMENSIONS = 7  # the C3D format allows parameter arrays of up to 7 dimensions
_MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "m": 1000.0}
_PROCESSORS = {84: "<", 85: "<", 86: ">"}  # Intel, DEC, MIPS
_MODEL_OUTPUTS = {
    "ANGLES": "ANGLE_UNITS",
    "FORCES": "FORCE_UNITS",
    "MOMENTS": "MOMENT_UNITS",
    "POWERS": "POWER_UNITS",
}
_HINT = "export the trial again from the motion capture software"


def read_c3d(
    path: str | Path, *, mapping: Mapping[str, str] | None = None, foot: str | None = None
) -> Recording:
    """Read the markers (and model outputs) of a C3D file.

    Parameters
    ----------
    path : str or Path
        The ``.c3d`` file.
    mapping, foot
        As for :func:`toelab.io.read`.

    Returns
    -------
    Recording
        Marker tracks in the file's units (usually mm), the vertical axis as the file declares it,
        at the file's point rate.

    Raises
    ------
    ToelabError
        When the file is missing, damaged or holds no markers.
    """
    path = require_file(path)
    check_layout(path, read_bytes(path))
    import ezc3d

    try:
        c3d = ezc3d.c3d(str(path))
    except (OSError, RuntimeError, ValueError, IndexError) as exc:
        raise ToelabError(f"cannot read the C3D file: {exc}", path, hint=_HINT) from exc
    point = c3d["parameters"]["POINT"]
    labels = _labels(point)
    points = np.asarray(c3d["data"]["points"], dtype=float)  # (4, markers, frames)
    residuals = np.asarray(c3d["data"]["meta_points"]["residuals"], dtype=float)
    n_markers, n_frames = points.shape[1], points.shape[2]
    if n_frames == 0 or n_markers == 0:
        raise ToelabError("C3D file holds no marker data", path, hint=_HINT)
    if len(labels) < n_markers:
        labels += [f"*{i}" for i in range(len(labels), n_markers)]
    rate_hz = _first_number(point, "RATE") or float(c3d["header"]["points"]["frame_rate"])
    if not (math.isfinite(rate_hz) and rate_hz > 0):
        raise ToelabError(f"C3D point rate {rate_hz!r} is not a positive number", path, hint=_HINT)

    gap = np.zeros((n_markers, n_frames), dtype=bool)
    if residuals.shape[-2:] == (n_markers, n_frames):
        gap |= residuals.reshape(n_markers, n_frames) < 0
    xyz_all = points[:3].transpose(1, 2, 0).copy()  # (markers, frames, 3)
    gap |= np.all(xyz_all == 0, axis=2)
    xyz_all[gap] = np.nan

    model_outputs = {label: group for group in _MODEL_OUTPUTS for label in _strings(point, group)}
    tracks = TrackSet(path)
    signals: dict[str, np.ndarray] = {}
    signal_units: dict[str, str] = {}
    unlabelled = 0
    for k, label in enumerate(labels[:n_markers]):
        if not label or label.startswith("*"):
            unlabelled += 1
        elif label in model_outputs:
            unit = (_strings(point, _MODEL_OUTPUTS[model_outputs[label]]) or [""])[0]
            for axis, values in zip("xyz", xyz_all[k].T, strict=True):
                signals[f"{label}_{axis}"] = values
                if unit:
                    signal_units[f"{label}_{axis}"] = unit
        else:
            tracks.add(to_toelab_name(label, mapping, foot), xyz_all[k], None, label)
    if not tracks.landmarks and not signals:
        raise ToelabError("C3D file holds no labelled markers", path, hint="label the trajectories first")

    units = ((_strings(point, "UNITS") or ["mm"])[0] or "mm").lower()
    meta = RecordingMeta(
        fps=rate_hz,
        foot=foot or feet_label(tracks.landmarks),
        units=units,
        signal_units=signal_units,
        mm_per_unit=_MM_PER_UNIT.get(units),
        vertical_axis=_vertical_axis(point),
        source="c3d",
        path=str(path),
        extra={
            "warnings": [],
            "landmark_sources": tracks.sources(),
            "first_frame": int(c3d["header"]["points"]["first_frame"]),
            "unlabelled_markers": unlabelled,
        },
    )
    return Recording(np.arange(n_frames) / rate_hz, tracks.landmarks, {}, signals, meta)


def _strings(group: Mapping[str, Any], name: str) -> list[str]:
    values = group.get(name, {}).get("value", [])
    return [str(v).strip() for v in np.atleast_1d(values)] if len(values) else []


def _labels(point: Mapping[str, Any]) -> list[str]:
    """``POINT:LABELS`` followed by ``LABELS2``, ``LABELS3`` ... (files with over 255 markers)."""
    labels = _strings(point, "LABELS")
    more = 2
    while f"LABELS{more}" in point:
        labels += _strings(point, f"LABELS{more}")
        more += 1
    return labels


def _first_number(group: Mapping[str, Any], name: str) -> float | None:
    values = np.atleast_1d(group.get(name, {}).get("value", []))
    return float(values[0]) if values.size else None


def _vertical_axis(point: Mapping[str, Any]) -> str:
    screen_up = ((_strings(point, "Y_SCREEN") or [""])[0]).lower()
    return screen_up if screen_up in ("+z", "-z", "+y", "-y") else "+z"


def check_layout(path: Path, data: bytes) -> None:
    """Raise ToelabError unless ``data`` is a C3D file whose sections fit inside it."""
    if len(data) < _BLOCK or data[1] != C3D_SIGNATURE:
        raise ToelabError("not a C3D file", path, hint=_HINT)
    parameter_start = (data[0] - 1) * _BLOCK
    if data[0] < 2 or parameter_start + 4 > len(data):
        raise ToelabError("C3D parameter section lies outside the file", path, hint=_HINT)
    order = _PROCESSORS.get(data[parameter_start + 3])
    if order is None:
        raise ToelabError("C3D file with an unknown processor type", path, hint=_HINT)
    dec = data[parameter_start + 3] == 85
    parameters = _walk_parameters(path, data, parameter_start, order, dec)

    def header_word(offset: int) -> int:
        return int(struct.unpack_from(f"{order}H", data, offset)[0])

    scale = _float(data[12:16], order, dec)
    points = max(header_word(2), int(parameters.get(("POINT", "USED"), 0)))
    analog_per_frame = header_word(4)
    frames = max(
        header_word(8) - header_word(6) + 1 if header_word(8) >= header_word(6) else 0,
        int(parameters.get(("POINT", "FRAMES"), 0)),
    )
    data_start = int(parameters.get(("POINT", "DATA_START"), 0)) or header_word(16)
    value_bytes = 4 if scale < 0 else 2
    needed = (data_start - 1) * _BLOCK + frames * (4 * points + analog_per_frame) * value_bytes
    if data_start < 2 or needed > len(data):
        raise ToelabError(
            f"C3D file is cut short: its header announces {frames} frames of {points} markers "
            f"({needed} bytes) but the file has {len(data)} bytes",
            path,
            hint=_HINT,
        )


def _float(raw: bytes, order: str, dec: bool) -> float:
    if dec:  # VAX F-float: words swapped, exponent bias two more than IEEE
        return float(struct.unpack("<f", raw[2:4] + raw[0:2])[0]) / 4.0
    return float(struct.unpack(f"{order}f", raw)[0])


def _walk_parameters(
    path: Path, data: bytes, start: int, order: str, dec: bool
) -> dict[tuple[str, str], float]:
    """Check that every group and parameter record is well formed and fits in the section.

    Returns the values of the scalar numeric parameters, keyed by (group, name).
    """
    end = min(len(data), start + max(data[start + 2], 1) * _BLOCK)
    damaged = ToelabError("C3D parameter section is damaged", path, hint=_HINT)
    groups: dict[int, str] = {}
    parameters: list[tuple[int, str, int, bytes]] = []  # group id, name, kind, value bytes
    position = start + 4
    while position + 2 <= end:
        name_length = abs(struct.unpack_from("b", data, position)[0])
        group_id = struct.unpack_from("b", data, position + 1)[0]
        if name_length == 0:
            break
        name_end = position + 2 + name_length
        if group_id == 0 or name_end + 3 > end or not _is_name(data[position + 2 : name_end]):
            raise damaged
        name = data[position + 2 : name_end].decode("ascii").upper()
        step = struct.unpack_from(f"{order}h", data, name_end)[0]
        body = name_end + 2
        if group_id < 0:
            if -group_id in groups:
                raise damaged
            groups[-group_id] = name
            description_at = body
        else:
            if body + 2 > end:  # the type and the number of dimensions
                raise damaged
            kind = struct.unpack_from("b", data, body)[0]
            n_dims = data[body + 1]
            if kind not in (-1, 1, 2, 4) or n_dims > _MAX_DIMENSIONS or body + 2 + n_dims > end:
                raise damaged
            size = abs(kind) * math.prod(data[body + 2 : body + 2 + n_dims])
            value_at = body + 2 + n_dims
            parameters.append((group_id, name, kind, data[value_at : value_at + size]))
            description_at = value_at + size
        # the description length is a signed byte; readers fail on a negative one
        if (
            description_at + 1 > end
            or data[description_at] > 127
            or description_at + 1 + data[description_at] > end
        ):
            raise damaged
        if step <= 0:
            break
        if name_end + step <= position:
            raise damaged
        position = name_end + step
    numbers: dict[tuple[str, str], float] = {}
    for group_id, name, kind, raw in parameters:
        if group_id not in groups:
            raise damaged
        if kind == -1 and (groups[group_id], name) in _NUMERIC_PARAMETERS:
            raise damaged  # ezc3d reads these as numbers and crashes on text
        if kind in (2, 4) and len(raw) == kind:
            value = struct.unpack(f"{order}H", raw)[0] if kind == 2 else _float(raw, order, dec)
            numbers[(groups[group_id], name)] = value
    return numbers


# parameters the C3D layout needs as numbers (C3D User Guide, "the POINT and ANALOG groups")
_NUMERIC_PARAMETERS = frozenset(
    {
        ("POINT", "USED"),
        ("POINT", "SCALE"),
        ("POINT", "RATE"),
        ("POINT", "DATA_START"),
        ("POINT", "FRAMES"),
        ("ANALOG", "USED"),
        ("ANALOG", "RATE"),
        ("ANALOG", "SCALE"),
        ("ANALOG", "GEN_SCALE"),
        ("ANALOG", "OFFSET"),
        ("ANALOG", "BITS"),
    }
)


def _is_name(raw: bytes) -> bool:
    """C3D group and parameter names are printable ASCII."""
    return all(32 < byte < 127 for byte in raw)
