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
from typing import Any

import numpy as np

from toelab.errors import ToelabError
from toelab.recording import Recording

Columns = dict[str, np.ndarray]


def _prefix(foot: str | None) -> str:
    return f"{foot}_" if foot else ""


def _length_unit(recording: Recording) -> str:
    return "mm" if recording.meta.mm_per_unit else recording.meta.units


def rom_series(outcome: Any) -> tuple[np.ndarray, Columns]:
    columns: Columns = {}
    time_s = next(iter(outcome.by_foot.values())).time_s
    for foot, result in outcome.by_foot.items():
        columns[f"{_prefix(foot)}hallux_angle_deg"] = result.angle_deg
    ofm = outcome.extra.get("ofm")
    for foot, angles in ofm.angles.items() if ofm is not None else ():
        for plane, values in angles.planes().items():
            columns[f"{foot}_hallux_forefoot_{plane}_deg"] = values
    return time_s, columns


def isolation_series(outcome: Any, recording: Recording) -> tuple[np.ndarray, Columns]:
    from toelab.analysis.lifts import toe_heights

    columns: Columns = {}
    time_s = recording.time_s
    for foot in outcome.by_foot:
        time_s, heights = toe_heights(recording, foot)
        for toe, height in heights.items():
            columns[f"{_prefix(foot)}toe{toe}_lift_{_length_unit(recording)}"] = height
    return time_s, columns


def tremor_series(recording: Recording) -> tuple[np.ndarray, Columns]:
    from toelab.analysis.tremor import _pick_channels

    names, values, units = _pick_channels(recording, None)
    columns = {
        (f"{name}_{unit}" if unit else name).replace(".", "_"): column
        for name, column, unit in zip(names, values, units, strict=True)
    }
    return recording.time_s, columns


def _events(time_s: np.ndarray, times: Sequence[float] | np.ndarray) -> np.ndarray:
    """1 at the sample nearest each time inside the recording, 0 elsewhere."""
    flags = np.zeros(time_s.size)
    times = np.asarray(times, dtype=float)
    times = times[(times >= time_s[0]) & (times <= time_s[-1])]
    if times.size:
        at = np.clip(np.searchsorted(time_s, times), 1, time_s.size - 1)
        nearer_before = (times - time_s[at - 1]) < (time_s[at] - times)
        flags[np.where(nearer_before, at - 1, at)] = 1.0
    return flags


def rhythm_series(
    outcome: Any, recording: Recording, toes: tuple[int, ...], event: str
) -> tuple[np.ndarray, Columns]:
    from toelab.analysis.lifts import detect_lifts, toe_heights

    columns: Columns = {}
    time_s = recording.time_s
    for foot in outcome.by_foot:
        time_s, heights = toe_heights(recording, foot, toes=toes, rest_at_zero=False)
        signal = np.mean([heights[t] for t in toes], axis=0)
        detection = detect_lifts(time_s, signal)
        lift_s = detection.peak_times_s if event == "peak" else detection.onset_times_s
        columns[f"{_prefix(foot)}lift_{_length_unit(recording)}"] = signal
        columns[f"{_prefix(foot)}lift_event"] = _events(time_s, lift_s)
    columns["beat_event"] = _events(time_s, outcome.extra.get("beat_times_s", ()))
    return time_s, columns


def task_series(
    outcome: Any, recording: Recording, *, toes: tuple[int, ...] = (1,), event: str = "peak"
) -> tuple[np.ndarray, Columns]:
    """``(time_s, {column: values})`` of a task's outcome (:class:`toelab.pipeline.TaskOutcome`)."""
    if outcome.task == "rom":
        return rom_series(outcome)
    if outcome.task == "isolation":
        return isolation_series(outcome, recording)
    if outcome.task == "tremor":
        return tremor_series(recording)
    return rhythm_series(outcome, recording, toes, event)


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
