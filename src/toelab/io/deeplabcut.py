"""DeepLabCut: predictions and labelled data, as CSV or HDF5.

* Predictions: ``<video stem>DLC_<network>.csv``/``.h5``; three header rows
  (``scorer``, ``bodyparts``, ``coords`` = x, y, likelihood), or four with ``individuals``
  for multi-animal projects; the index is the frame number.
* Labelled data: ``labeled-data/<video>/CollectedData_<scorer>.csv``/``.h5``; coords x, y
  only; the index is the image path (``img0042.png`` -> frame 42).
* The HDF5 file holds a pandas frame under the key ``df_with_missing`` (pandas' fixed or table
  format); it is read with h5py, without pandas or PyTables.

Likelihood becomes ``confidence``. Individuals called left/right/L/R are feet; any other
individual prefixes its body-part names. Timing is frame / fps, with fps from ``fps`` or the
video beside the file.
"""

from __future__ import annotations

import io
import pickle
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from toelab.errors import ToelabError
from toelab.io._common import (
    TrackSet,
    foot_word,
    require_file,
    resolve_fps,
    trailing_number,
    videos_named,
)
from toelab.io._text import content_lines, read_text, sniff_delimiter, split_rows, to_float
from toelab.landmarks import to_toelab_name
from toelab.recording import Recording

HDF_KEY = "df_with_missing"
COORDS = ("x", "y", "likelihood")
# Beyond this a file is not a pose table (an hour at 60 fps of 100 body parts is ~140 MB).
MAX_HDF_BYTES = 1 << 30
# DeepLabCut's name for body parts that belong to no individual.
SHARED_INDIVIDUAL = "single"


def read_deeplabcut(
    path: str | Path,
    *,
    fps: float | None = None,
    mapping: Mapping[str, str] | None = None,
    foot: str | None = None,
) -> Recording:
    """Read a DeepLabCut predictions or labelled-data file (``.csv`` or ``.h5``).

    Parameters
    ----------
    path : str or Path
        The ``.csv`` or ``.h5`` file DeepLabCut wrote.
    fps, mapping, foot
        As for :func:`toelab.io.read`.

    Returns
    -------
    Recording
        Landmark tracks in pixels (``-y`` up) timed as frame / fps, their likelihoods as
        confidence.

    Raises
    ------
    ToelabError
        When the header rows or the HDF5 table are not DeepLabCut's, or no frame rate is known.
    """
    path = require_file(path)
    with path.open("rb") as handle:
        is_hdf5 = handle.read(8) == b"\x89HDF\r\n\x1a\n"
    table = _read_hdf(path) if is_hdf5 else _read_csv(path)
    return _recording(path, table, fps, mapping, foot)


@dataclass(frozen=True)
class _Table:
    """The parts of a DeepLabCut frame the reader needs."""

    columns: list[tuple[str, str, str]]  # (individual, bodypart, coord)
    index: list[tuple[str, ...]]  # one tuple of index cells per row
    values: np.ndarray  # (rows, columns) float


class _PlainUnpickler(pickle.Unpickler):
    """Reads the plain values (lists, tuples, strings, numbers) pandas pickles into HDF5 attributes;
    refuses anything that names a class, so a crafted file cannot run code."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refusing {module}.{name} in a data file")


def _text(raw: object) -> str:
    return raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)


def _attribute(node: Any, name: str, pickled: bool = False) -> Any:
    """An attribute pandas wrote: text, a number, or a pickled plain value (``N.`` is None)."""
    if name not in node.attrs:
        raise ToelabError(f"HDF5 frame lacks its {name!r} attribute")
    raw = node.attrs[name]
    if isinstance(raw, np.generic):
        raw = raw.item()
    if isinstance(raw, bytes) and (pickled or raw == b"N."):
        return _PlainUnpickler(io.BytesIO(raw)).load()
    return raw


def _dataset(group: Any, name: str) -> np.ndarray:
    import h5py

    node = group.get(name)
    if not isinstance(node, h5py.Dataset):
        raise ToelabError(f"HDF5 frame lacks its {name!r} dataset")
    if node.size * node.dtype.itemsize > MAX_HDF_BYTES:
        raise ToelabError(f"HDF5 dataset {name!r} is larger than {MAX_HDF_BYTES >> 20} MB")
    return np.asarray(node[()])


def _labels(values: np.ndarray) -> list[str]:
    return [_text(v.item() if isinstance(v, np.generic) else v) for v in np.ravel(values)]


def _fixed_axis(group: Any, prefix: str) -> list[tuple[str, ...]]:
    """One axis of a fixed-format frame: plain labels, or a MultiIndex as levels and codes."""
    if _text(_attribute(group, f"{prefix}_variety")) != "multi":
        return [(label,) for label in _labels(_dataset(group, prefix))]
    levels = []
    for k in range(int(_attribute(group, f"{prefix}_nlevels"))):
        names, codes = _labels(_dataset(group, f"{prefix}_level{k}")), _dataset(group, f"{prefix}_label{k}")
        if codes.ndim != 1 or not np.issubdtype(codes.dtype, np.integer) or np.any(codes >= len(names)):
            raise ToelabError(f"HDF5 frame has damaged labels in {prefix}_label{k}")
        levels.append(["" if c < 0 else names[c] for c in codes])
    if not levels or len({len(level) for level in levels}) != 1:
        raise ToelabError(f"HDF5 frame has damaged levels in {prefix}")
    return list(zip(*levels, strict=True))


def _level_names(group: Any, prefix: str, n_levels: int) -> list[str | None]:
    names: list[str | None] = []
    for k in range(n_levels):
        name = _attribute(group[f"{prefix}_level{k}"], "name") if n_levels > 1 else None
        names.append(None if name is None else _text(name))
    return names


def _fixed_frame(
    group: Any,
) -> tuple[list[str | None], list[tuple[str, ...]], list[tuple[str, ...]], np.ndarray]:
    """Column level names, column labels, row labels and values of pandas' fixed format."""
    index = _fixed_axis(group, "axis1")
    columns, blocks = [], []
    for b in range(int(_attribute(group, "nblocks"))):
        items = _fixed_axis(group, f"block{b}_items")
        values = _dataset(group, f"block{b}_values")
        if values.ndim != 2 or values.shape != (len(index), len(items)):
            raise ToelabError(f"HDF5 frame block {b} has shape {values.shape}, not rows x columns")
        columns.extend(items)
        blocks.append(values)
    if not blocks:
        raise ToelabError("HDF5 frame holds no values")
    n_levels = len(columns[0])
    names: list[str | None] = _level_names(group, "block0_items", n_levels) if n_levels > 1 else [None]
    return names, columns, index, _as_floats(np.hstack(blocks))


def _table_frame(
    group: Any,
) -> tuple[list[str | None], list[tuple[str, ...]], list[tuple[str, ...]], np.ndarray]:
    """Column level names, column labels, row labels and values of pandas' table format."""
    table = _dataset(group, "table")
    fields = table.dtype.names or ()
    if "index" not in fields:
        raise ToelabError("HDF5 table has no index column")
    columns: list[tuple[str, ...]] = []
    blocks = []
    for field in fields:
        if field == "index":
            continue
        if not re.fullmatch(r"values_block_\d+", field):
            raise ToelabError(f"HDF5 table has a column {field!r} that DeepLabCut does not write")
        kinds = _attribute(group["table"], f"{field}_kind", pickled=True)
        values = np.asarray(table[field]).reshape(len(table), -1)
        if not isinstance(kinds, list) or len(kinds) != values.shape[1]:
            raise ToelabError(f"HDF5 table labels of {field} do not match its values")
        columns.extend(tuple(_text(c) for c in k) if isinstance(k, tuple) else (_text(k),) for k in kinds)
        blocks.append(values)
    if not blocks:
        raise ToelabError("HDF5 table holds no values")
    info = _attribute(group, "info", pickled=True)
    axis_info = info.get(1, {}) if isinstance(info, dict) else {}
    names = axis_info.get("names") if isinstance(axis_info, dict) else None
    if not isinstance(names, list):
        names = [None] * len(columns[0])
    index: list[tuple[str, ...]] = [(label,) for label in _labels(table["index"])]
    return [None if n is None else _text(n) for n in names], columns, index, _as_floats(np.hstack(blocks))


def _as_floats(values: np.ndarray) -> np.ndarray:
    try:
        return values.astype(float)
    except (TypeError, ValueError) as exc:
        raise ToelabError(f"DeepLabCut table holds values that are not numbers: {exc}") from exc


def _read_hdf(path: Path) -> _Table:
    """The frame pandas wrote under ``df_with_missing``, read with h5py (fixed or table format).

    h5py and bounded reads rather than pandas/PyTables: a damaged file must give an error,
    not crash or hang the process, and its pickled attributes are read without running code.
    """
    import h5py

    try:
        with h5py.File(path, "r") as h5:
            group = h5.get(HDF_KEY)
            if not isinstance(group, h5py.Group):
                raise ToelabError(
                    f"HDF5 file without the DeepLabCut key {HDF_KEY!r}",
                    hint="pass the file DeepLabCut wrote",
                )
            kind = _text(_attribute(group, "pandas_type"))
            if kind not in ("frame", "frame_table"):
                raise ToelabError(f"HDF5 {HDF_KEY!r} holds a pandas {kind!r}, not a frame")
            names, columns, index, values = (_fixed_frame if kind == "frame" else _table_frame)(group)
    except ToelabError as error:
        raise ToelabError(error.message, path, error.hint) from error
    # a damaged file surfaces from HDF5 and from pickled attributes as any of these
    except (
        OSError,
        KeyError,
        ValueError,
        TypeError,
        IndexError,
        AttributeError,
        RuntimeError,
        EOFError,
        MemoryError,
        UnicodeDecodeError,
        pickle.UnpicklingError,
    ) as exc:
        raise ToelabError(f"cannot read the DeepLabCut HDF5 file: {exc}", path) from exc
    n_levels = len(columns[0])
    if n_levels not in (3, 4) or any(len(c) != n_levels for c in columns) or len(names) != n_levels:
        raise ToelabError(
            "HDF5 table is not a DeepLabCut frame (expected column levels scorer/bodyparts/coords)", path
        )
    table_columns = []
    for column in columns:
        cells = {name: cell for name, cell in zip(names, column, strict=True) if name is not None}
        individual = cells.get("individuals", "") if n_levels == 4 else ""
        table_columns.append(
            (individual, cells.get("bodyparts", column[-2]), cells.get("coords", column[-1]))
        )
    return _Table(table_columns, index, values)


def _read_csv(path: Path) -> _Table:
    lines = content_lines(read_text(path))
    try:
        rows = split_rows(lines, sniff_delimiter(lines[0]) if lines else ",")
    except ToelabError as exc:
        raise ToelabError(exc.message, path) from exc
    if not rows or rows[0][0].lower() != "scorer":
        raise ToelabError(
            "not a DeepLabCut CSV (the first row must start with 'scorer')",
            path,
            hint="pass the CSV DeepLabCut wrote, or a generic CSV with a time column",
        )
    n_header = 4 if len(rows) > 1 and rows[1][0].lower() == "individuals" else 3
    if len(rows) <= n_header:
        raise ToelabError("DeepLabCut CSV without data rows", path, hint="the file may be cut short")
    header = rows[:n_header]
    labels = [r[0].lower() for r in header]
    expected = (
        ["scorer", "individuals", "bodyparts", "coords"]
        if n_header == 4
        else ["scorer", "bodyparts", "coords"]
    )
    if labels != expected:
        raise ToelabError(f"DeepLabCut header rows are {labels}, expected {expected}", path)
    width = len(header[0])
    if any(len(r) != width for r in header):
        raise ToelabError("DeepLabCut header rows differ in length", path, hint="the file may be damaged")
    coords = header[-1]
    # Index columns: one (frame or image path) or three (labeled-data, video, image) in DLC >= 2.3.
    n_index = next((i for i in range(1, width) if coords[i].lower() in COORDS), width)
    if n_index == width:
        raise ToelabError("DeepLabCut coords row names no x/y/likelihood columns", path)
    columns = []
    for i in range(n_index, width):
        coord = coords[i].lower()
        if coord not in COORDS:
            raise ToelabError(
                f"column {i + 1} has coordinate {coords[i]!r}, expected x, y or likelihood", path
            )
        individual = header[1][i] if n_header == 4 else ""
        columns.append((individual, header[-2][i], coord))
    body = rows[n_header:]
    values = np.empty((len(body), width - n_index))
    for number, row in enumerate(body, start=n_header + 1):
        if len(row) != width:
            raise ToelabError(
                f"row {number} has {len(row)} values, the header has {width}",
                path,
                hint="the file may be cut short; export it again",
            )
        for j, cell in enumerate(row[n_index:]):
            value = to_float(cell, decimal_comma=False)
            if value is None:
                raise ToelabError(f"row {number}: {cell!r} is not a number", path)
            values[number - n_header - 1, j] = value
    return _Table(columns, [tuple(r[:n_index]) for r in body], values)


def _frames(path: Path, index: list[tuple[str, ...]]) -> tuple[np.ndarray, bool, str | None]:
    """Frame numbers of the rows, whether they are labelled images, and the video they came from."""
    index = [tuple(cell.replace("\\", "/") for cell in row) for row in index]  # paths written on Windows
    cells = [row[-1] for row in index]
    if all(re.fullmatch(r"\d+(\.0+)?", c.strip()) for c in cells):
        return np.array([int(float(c)) for c in cells]), False, None
    numbers = [trailing_number(c) for c in cells]
    if any(n is None for n in numbers):
        bad = cells[numbers.index(None)]
        raise ToelabError(f"row label {bad!r} is neither a frame number nor a numbered image", path)
    videos = sorted({row[-2] if len(row) > 1 else Path(row[-1]).parent.name for row in index})
    if len(videos) > 1:
        raise ToelabError(
            f"labelled frames come from {len(videos)} videos ({', '.join(videos)})",
            path,
            hint="a recording holds one video: keep the rows of one video",
        )
    return np.array(numbers, dtype=int), True, videos[0] or None


def _video_candidates(path: Path, labelled: bool, video: str | None) -> list[Path]:
    if not labelled:
        stem = path.stem.split("DLC_", 1)[0] if "DLC_" in path.stem else path.stem
        return videos_named([path.parent, path.parent.parent / "videos"], [stem])
    project = path.parent.parent.parent
    return videos_named([path.parent, path.parent.parent, project / "videos"], [video] if video else [])


def _recording(
    path: Path, table: _Table, fps: float | None, mapping: Mapping[str, str] | None, foot: str | None
) -> Recording:
    if not table.index:
        raise ToelabError("DeepLabCut file without data rows", path)
    frames, labelled, video = _frames(path, table.index)
    order = np.argsort(frames, kind="stable")
    frames = frames[order]
    if np.any(np.diff(frames) == 0):
        raise ToelabError(f"frame {frames[np.flatnonzero(np.diff(frames) == 0)[0]]} appears twice", path)
    rate, video_path = resolve_fps(fps, path, _video_candidates(path, labelled, video))
    values = table.values[order]

    parts: dict[tuple[str, str], dict[str, int]] = {}
    for j, (individual, bodypart, coord) in enumerate(table.columns):
        parts.setdefault((individual, bodypart), {})[coord] = j
    tracks = TrackSet(path)
    for (individual, bodypart), found in parts.items():
        if "x" not in found or "y" not in found:
            raise ToelabError(f"body part {bodypart!r} lacks an x or y column", path)
        individual_foot = foot_word(individual)
        if individual_foot or individual in ("", SHARED_INDIVIDUAL):
            source_name = bodypart
            name = to_toelab_name(bodypart, mapping, individual_foot or foot)
        else:
            source_name = f"{individual}_{bodypart}"
            name = to_toelab_name(source_name, mapping, foot)
        xy = values[:, [found["x"], found["y"]]]
        likelihood = values[:, found["likelihood"]] if "likelihood" in found else None
        tracks.add(name, xy, likelihood, source_name if not individual_foot else f"{individual}/{bodypart}")

    return tracks.recording(
        frames,
        rate,
        source="deeplabcut",
        foot=foot,
        video=video_path,
        first_frame=int(frames[0]),
        labelled_data=labelled,
    )
