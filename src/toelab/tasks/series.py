"""The per-sample series behind a task's figures, as a CSV a lab can plot in its own tools.

One row per sample, ``time_s`` first, then per task:

* rom: ``<foot>_hallux_angle_deg`` (toelab's 3-point big-toe angle) and, with an Oxford Foot
  Model static trial, ``<foot>_hallux_forefoot_{sagittal,frontal,transverse}_deg``;
* isolation: ``<foot>_toe<k>_lift_<unit>``, each toe's height above its rest level;
* tremor: the channels the analysis read (accelerometer, gyroscope or landmark coordinates);
* rhythm: ``<foot>_lift_<unit>`` (the lifting toes' height), ``<foot>_lift_event`` (1 at the
  sample nearest each detected lift) and ``beat_event`` (1 at the sample nearest each beat).

Empty cells are samples where the value could not be measured.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from toelab.errors import ToelabError
from toelab.recording import Recording

Columns = dict[str, np.ndarray]


def column_prefix(foot: str | None) -> str:
    return f"{foot}_" if foot else ""


def length_unit(recording: Recording) -> str:
    return "mm" if recording.meta.mm_per_unit else recording.meta.units


def event_column(time_s: np.ndarray, times: Sequence[float] | np.ndarray) -> np.ndarray:
    """1 at the sample nearest each time inside the recording, 0 elsewhere."""
    flags = np.zeros(time_s.size)
    given = np.asarray(times, dtype=float)
    inside = given[(given >= time_s[0]) & (given <= time_s[-1])]
    if inside.size:
        at = np.clip(np.searchsorted(time_s, inside), 1, time_s.size - 1)
        nearer_before = (inside - time_s[at - 1]) < (time_s[at] - inside)
        flags[np.where(nearer_before, at - 1, at)] = 1.0
    return flags


def write_series(path: str | Path, time_s: np.ndarray, columns: Columns) -> Path:
    """Write ``time_s`` and the columns as CSV (empty cells for NaN)."""
    path = Path(path)
    names = ["time_s", *columns]
    table = np.column_stack([time_s, *columns.values()])
    try:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(names)
            for row in table:
                cells = ["" if not np.isfinite(v) else f"{v:.6g}" for v in row[1:]]
                writer.writerow([f"{row[0]:.6f}", *cells])
    except OSError as exc:
        raise ToelabError(f"cannot write the series: {exc.strerror or exc}", path) from exc
    return path
