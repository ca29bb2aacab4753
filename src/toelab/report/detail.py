"""One stored trial, ready to show: its figures explained in plain words, and its plots.

Plots that need the whole signal (tremor spectrum, angle curve, co-movement, asynchronies)
come from the trial's stored tracks, analysed again by the same analysis functions that
measured them. A trial without tracks still shows its stored figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from toelab.errors import ToelabError
from toelab.report import plots
from toelab.store import ResultFigure, Store, Trial
from toelab.tasks import TASKS, AnalysisOptions, Row, rows_for, trial_title
from toelab.vocabulary import foot_label


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


def _feet(trial: Trial) -> list[str | None]:
    withheld = trial.parameters.get("not_measured") or {}
    feet = {r.foot for r in trial.results} | {None if f == "none" else f for f in withheld}
    return sorted(feet, key=lambda f: f or "") or [trial.foot]


def _figure_rows(
    trial: Trial, figures: Sequence[ResultFigure], condition: str | None, foot: str | None
) -> tuple[Row, ...]:
    task = TASKS[trial.task]
    rows = rows_for(trial.task, task.stored_results(figures, trial.parameters, foot), condition=condition)
    # rows whose figure was not stored say nothing
    return tuple(row for row in rows if row[1] not in ("—", "None") and "None" not in row[1])


def _reanalysed(store: Store, trial: Trial, notes: list[str]) -> dict[str | None, Any]:
    """The trial's result objects per foot, from its stored tracks (empty when there are none)."""
    task = TASKS.get(trial.task)
    if trial.tracks_path is None or task is None:
        return {}
    try:
        recording = store.sessions.load_recording(trial)
    except (ToelabError, OSError) as error:
        notes.append(f"The trial's tracks could not be read ({error}); plots that need them are left out.")
        return {}
    options = AnalysisOptions.from_trial(task.name, trial.toes, trial.parameters)
    feet: list[str | None] = (list(recording.feet()) or [None]) if task.per_foot else [None]
    results: dict[str | None, Any] = {}
    for foot in feet:
        try:
            measured = task.withhold(task.measure(recording, foot, options))
            results[foot if task.per_foot else trial.foot] = measured
        except ToelabError as error:
            notes.append(f"{foot_label(foot) or 'The recording'}: {error}")
    return results


def _plots(trial: Trial, analysed: dict[str | None, Any]) -> list[Plot]:
    task = TASKS.get(trial.task)
    if task is None:
        return []
    stored = {foot: [r for r in trial.results if r.foot == foot] for foot in _feet(trial)}
    # a withheld result draws no plot: its curve would show what the tracking got wrong
    analysed = {
        f: r for f, r in analysed.items() if getattr(r, "quality", None) is None or r.quality.measured
    }
    specs = task.plots(stored, analysed)
    return [Plot(spec.caption, getattr(plots, spec.draw)(**spec.data)) for spec in specs]


def trial_view(store: Store, trial: Trial, day: date | None = None) -> TrialView:
    """A trial's plain-language rows per foot and its plots."""
    notes: list[str] = []
    analysed = _reanalysed(store, trial, notes)
    title = trial_title(trial.task)
    condition = trial.parameters.get("condition")
    if condition:
        title += f" ({str(condition).replace('_', ' ')})"
    rows = []
    if trial.task in TASKS:
        for foot in _feet(trial):
            result = analysed.get(foot)
            if result is not None:
                foot_rows = tuple(rows_for(trial.task, result.as_dict(), condition=condition))
            else:
                figures = [r for r in trial.results if r.foot == foot]
                foot_rows = _figure_rows(trial, figures, condition, foot)
            rows.append((foot_label(foot), foot_rows))
    return TrialView(trial, title, tuple(rows), tuple(_plots(trial, analysed)), tuple(notes), day)
