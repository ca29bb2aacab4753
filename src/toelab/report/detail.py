"""One stored trial, ready to show: its figures explained in plain words, and its plots.

Plots that need the whole signal (tremor spectrum, angle curve, co-movement, asynchronies)
come from the trial's stored tracks, analysed again by the same analysis functions that
measured them. A trial without tracks still shows its stored figures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from toelab.errors import ToelabError
from toelab.explain import Row, rows_for
from toelab.recording import Recording
from toelab.report import plots
from toelab.store import ResultFigure, Store, Trial

TASK_TITLES = {
    "isolation": "Toe isolation test",
    "rom": "Big-toe extension test",
    "tremor": "Tremor test",
    "rhythm": "Musical toes",
    "exercise": "Exercise",
}


@dataclass(frozen=True)
class Plot:
    caption: str
    svg: str


@dataclass(frozen=True)
class TrialView:
    trial: Trial
    title: str
    rows: tuple[tuple[str, tuple[Row, ...]], ...]  # (heading, rows), one per foot
    plots: tuple[Plot, ...]
    notes: tuple[str, ...]
    day: date | None = None  # the session's date


def _foot_heading(foot: str | None) -> str:
    return f"{foot.capitalize()} foot" if foot in ("left", "right") else "Both feet" if foot == "both" else ""


def _feet(trial: Trial) -> list[str | None]:
    feet = sorted({r.foot for r in trial.results}, key=lambda f: f or "")
    return feet or [trial.foot]


def _from_figures(
    task: str, figures: Sequence[ResultFigure], parameters: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The JSON figures of a task rebuilt from stored figures (and a tremor trial's stored
    classification), for the plain-language rows."""
    named = {r.name: r for r in figures if r.toe is None}

    def value(name: str) -> float | None:
        return named[name].value if name in named else None

    if task == "isolation":
        toes = [
            {"toe": r.toe, "individuation_index": r.value, "independent": None, "co_moved": []}
            for r in sorted(figures, key=lambda r: r.toe or 0)
            if r.name == "individuation_index"
        ]
        return {"toes": toes, "toe_control_score": value("toe_control_score_pct")}
    if task == "rom":
        return {"max_extension_deg": value("big_toe_extension_deg")}
    if task == "tremor":
        amplitude = named.get("tremor_amplitude")
        return {
            "dominant_frequency_hz": value("tremor_frequency_hz"),
            "amplitude": None if amplitude is None else amplitude.value,
            "amplitude_unit": "" if amplitude is None else amplitude.unit,
            "tremor_stability_index": value("tremor_stability_index_hz"),
            "classification": (parameters or {}).get("classification"),
        }
    return {
        "mean_asynchrony_ms": value("mean_asynchrony_ms"),
        "sd_asynchrony_ms": value("sd_asynchrony_ms"),
        "circular_r": value("circular_r"),
    }


def _figure_rows(trial: Trial, figures: Sequence[ResultFigure], condition: str | None) -> tuple[Row, ...]:
    rows = rows_for(trial.task, _from_figures(trial.task, figures, trial.parameters), condition=condition)
    # rows whose figure was not stored say nothing
    return tuple(row for row in rows if row[1] not in ("—", "None") and "None" not in row[1])


def _analyse(task: str, recording: Recording, foot: str | None, trial: Trial) -> Any:
    if task == "isolation":
        from toelab.analysis.individuation import individuation_from_recording

        return individuation_from_recording(recording, foot=foot)
    if task == "rom":
        from toelab.analysis.rom import rom_from_recording

        return rom_from_recording(recording, foot=foot)
    if task == "tremor":
        from toelab.analysis.tremor import tremor_from_recording

        return tremor_from_recording(recording)
    from toelab.analysis.rhythm import rhythm_from_recording

    beats = trial.parameters.get("beat_times_s")
    if not beats:
        raise ToelabError("the trial kept no beat times")
    event = trial.parameters.get("event", "peak")
    return rhythm_from_recording(
        recording, np.asarray(beats), toes=trial.toes or (1,), event=event, foot=foot
    )


def _reanalysed(store: Store, trial: Trial, notes: list[str]) -> dict[str | None, Any]:
    """The trial's result objects per foot, from its stored tracks (empty when there are none)."""
    if trial.tracks_path is None or trial.task not in ("isolation", "rom", "tremor", "rhythm"):
        return {}
    try:
        recording = store.load_recording(trial)
    except (ToelabError, OSError) as error:
        notes.append(f"The trial's tracks could not be read ({error}); plots that need them are left out.")
        return {}
    feet: list[str | None] = [None] if trial.task == "tremor" else (list(recording.feet()) or [None])
    results: dict[str | None, Any] = {}
    for foot in feet:
        try:
            results[trial.foot if trial.task == "tremor" else foot] = _analyse(
                trial.task, recording, foot, trial
            )
        except ToelabError as error:
            notes.append(f"{_foot_heading(foot) or 'The recording'}: {error}")
    return results


def _isolation_plots(trial: Trial, analysed: dict[str | None, Any]) -> list[Plot]:
    per_foot = {}
    for foot in _feet(trial):
        values: list[float | None] = [None] * 5
        for r in trial.results:
            if r.name == "individuation_index" and r.foot == foot and r.toe is not None:
                values[r.toe - 1] = r.value
        per_foot[foot] = values
    found = [
        Plot(
            "Individuation index per toe: 1 = the toe lifts alone, "
            "0 = its neighbours move as much as it does.",
            plots.toe_bars(per_foot),
        )
    ]
    for foot, result in analysed.items():
        title = _foot_heading(foot) or "Co-movement"
        found.append(
            Plot(
                f"{title}: how far each toe moved while one toe was asked to lift "
                "(1 = as far as its own lift).",
                plots.co_movement_map(result.co_movement, title),
            )
        )
    return found


def _rom_plots(_trial: Trial, analysed: dict[str | None, Any]) -> list[Plot]:
    return [
        Plot(
            f"{_foot_heading(foot) or 'Big toe'}: extension angle at the big-toe joint during the test.",
            plots.angle_curve(result.time_s, result.angle_deg, result.max_extension_deg),
        )
        for foot, result in analysed.items()
        if result.angle_deg.size
    ]


def _tremor_plots(_trial: Trial, analysed: dict[str | None, Any]) -> list[Plot]:
    return [
        Plot(
            "Spectrum of the movement: a tall narrow peak is a regular shaking rhythm.",
            plots.tremor_spectrum(
                result.frequencies_hz, result.power, result.dominant_frequency_hz, result.amplitude_unit
            ),
        )
        for result in analysed.values()
        if result.frequencies_hz.size
    ]


def _rhythm_plots(_trial: Trial, analysed: dict[str | None, Any]) -> list[Plot]:
    spread = {
        foot: result.asynchronies_ms for foot, result in analysed.items() if result.asynchronies_ms.size
    }
    if not spread:
        return []
    return [
        Plot(
            "When each lift came relative to its beat: a narrow pile near zero is steady timing.",
            plots.asynchrony_histogram(spread),
        )
    ]


_PLOTS: dict[str, Callable[[Trial, dict[str | None, Any]], list[Plot]]] = {
    "isolation": _isolation_plots,
    "rom": _rom_plots,
    "tremor": _tremor_plots,
    "rhythm": _rhythm_plots,
}


def trial_view(store: Store, trial: Trial, day: date | None = None) -> TrialView:
    """A trial's plain-language rows per foot and its plots."""
    notes: list[str] = []
    analysed = _reanalysed(store, trial, notes)
    title = TASK_TITLES.get(trial.task, trial.task)
    condition = trial.parameters.get("condition")
    if condition:
        title += f" ({str(condition).replace('_', ' ')})"
    rows = []
    if trial.task in _PLOTS:
        for foot in _feet(trial):
            result = analysed.get(foot)
            if result is not None:
                foot_rows = tuple(rows_for(trial.task, result.as_dict(), condition=condition))
            else:
                figures = [r for r in trial.results if r.foot == foot]
                foot_rows = _figure_rows(trial, figures, condition)
            rows.append((_foot_heading(foot), foot_rows))
    found = _PLOTS[trial.task](trial, analysed) if trial.task in _PLOTS else []
    return TrialView(trial, title, tuple(rows), tuple(found), tuple(notes), day)
