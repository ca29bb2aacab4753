"""``toelab demo``: generate a sample of each test, run every analysis and show the figures.

The samples are written as ordinary input files (a phone-sensor CSV in phyphox's layout and
toelab recordings) so the same ``toelab analyze`` commands work on them afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console

from toelab.io import read
from toelab.paths import toelab_home
from toelab.pipeline import BeatSource, run_task
from toelab.recording import Recording
from toelab.synthetic.movement import isolation_recording, rhythm_recording, rom_recording
from toelab.synthetic.tremor import tremor_recording

# A foot with typical imperfections: the little toe follows the 4th (shared tendons, common),
# the 2nd and 3rd drag each other along, the big toe is free.
DEMO_CO_MOVEMENT = [
    [1.0, 0.10, 0.0, 0.0, 0.0],
    [0.15, 1.0, 0.45, 0.10, 0.0],
    [0.0, 0.40, 1.0, 0.30, 0.10],
    [0.0, 0.0, 0.25, 1.0, 0.65],
    [0.0, 0.0, 0.10, 0.70, 0.85],
]
DEMO_BPM = 100.0


def write_phyphox_csv(recording: Recording, path: Path) -> Path:
    """Write an accelerometer recording the way phyphox exports it."""
    columns = [recording.time_s] + [recording.signals[f"acc_{axis}"] for axis in "xyz"]
    header = '"Time (s)","Acceleration x (m/s^2)","Acceleration y (m/s^2)","Acceleration z (m/s^2)"'
    np.savetxt(path, np.column_stack(columns), delimiter=",", header=header, comments="", fmt="%.9E")
    return path


def make_samples(folder: Path) -> dict[str, Path]:
    """Write one sample input per test into ``folder``; return their paths by task."""
    folder.mkdir(parents=True, exist_ok=True)
    isolation, _ = isolation_recording(DEMO_CO_MOVEMENT, fps=60, reps_per_toe=3, seed=1)
    tremor = tremor_recording(5.2, 0.35, 20.0, 100.0, sensor="imu", jitter_s=0.002, seed=2)
    rom, _ = rom_recording(52.0, fps=30, noise_px=0.4)
    rhythm, truth = rhythm_recording(
        DEMO_BPM, asynchrony_mean_ms=-35.0, asynchrony_sd_ms=30.0, n_beats=24, missed_beats=(9,), seed=3
    )
    beats_path = folder / "musical-toes-100bpm.beats"
    np.savetxt(beats_path, truth["beat_times_s"], fmt="%.4f", header="metronome beat times (s)")
    return {
        "isolation": isolation.save(folder / "isolation-right-foot.npz"),
        "tremor": write_phyphox_csv(tremor, folder / "tremor-phone-accelerometer.csv"),
        "rom": rom.save(folder / "big-toe-extension-side-view.npz"),
        "rhythm": rhythm.save(folder / "musical-toes-100bpm.npz"),
    }


def run_demo(
    out: Path | None,
    *,
    print_summary: Callable[[str, dict[str, Any], list[str], str], None],
    console: Console,
) -> dict[str, dict[str, Any]]:
    folder = out or toelab_home() / "demo"
    samples = make_samples(folder)
    console.print(f"Sample recordings written to [bold]{folder}[/]\n", highlight=False)
    titles = {
        "isolation": "Toe isolation test",
        "tremor": "Tremor test (phone on the foot)",
        "rom": "Big-toe extension test",
        "rhythm": f"Musical toes at {DEMO_BPM:g} bpm",
    }
    figures: dict[str, dict[str, Any]] = {}
    for task, path in samples.items():
        recording = read(path)
        beats_path = path.with_suffix(".beats")
        beats = BeatSource(beats_path=beats_path) if task == "rhythm" else None
        outcome = run_task(recording, task, beats=beats)
        print_summary(task, outcome.results, outcome.warnings, titles[task])
        console.print(
            f"[dim]again: toelab analyze {path} --task {task}"
            + (f" --beats {beats_path}" if task == "rhythm" else "")
            + "[/]\n",
            highlight=False,
        )
        figures[task] = outcome.results
    return figures
