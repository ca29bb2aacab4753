"""The tests of toe function toelab runs, one module each, and the one registry of them.

Everything that needs to know what a task does asks :data:`TASKS`: the command line, batch,
the live camera session, the store, the reports and the explanations. Adding a task is one
new module with a :class:`Task` and one line below.

=================== =========================================================================
``TASKS``           task name → :class:`Task` (tremor, isolation, rom, rhythm)
``get_task``        the task of a name, or the one error naming the choices
``check_options``   the task of some options, checked against what it takes
``run_task``        run a task on a Recording with :class:`AnalysisOptions` → :class:`TaskOutcome`
``load_input``      any input file, folder or video → Recording
``explain``         one foot's figures in plain words (:class:`Explanation`)
``trial_title``     the title of a stored trial's kind
``rows_for``        the same as ``(figure, value, meaning)`` rows, with whom to see
``figures_of``      an outcome's figures as the store keeps them (:class:`ResultFigure`)
=================== =========================================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from toelab.errors import ToelabError
from toelab.recording import Recording
from toelab.tasks import isolation, rhythm, rom, tremor
from toelab.tasks.base import (
    Explanation,
    PlotSpec,
    ResultFigure,
    Row,
    Task,
    TaskOutcome,
    figures_of,
    json_safe,
)
from toelab.tasks.inputs import LoadedInput, load_input
from toelab.tasks.options import AnalysisOptions, BeatSource, parse_toes
from toelab.vocabulary import check_option

__all__ = [
    "TASKS",
    "AnalysisOptions",
    "BeatSource",
    "Explanation",
    "LoadedInput",
    "PlotSpec",
    "ResultFigure",
    "Row",
    "Task",
    "TaskOutcome",
    "check_options",
    "explain",
    "figures_of",
    "get_task",
    "json_safe",
    "load_input",
    "parse_toes",
    "rows_for",
    "run_task",
    "trial_title",
]

TASKS: dict[str, Task] = {task.name: task for task in (tremor.TASK, isolation.TASK, rom.TASK, rhythm.TASK)}


def get_task(name: str) -> Task:
    """The task called ``name``."""
    return TASKS[check_option(name, TASKS, "task")]


def trial_title(kind: str) -> str:
    """The title of a stored trial's kind: a task's, or ``Exercise``."""
    return TASKS[kind].title if kind in TASKS else kind.capitalize()


def check_options(options: AnalysisOptions) -> Task:
    """The task of ``options``, once the options it takes are checked against it."""
    task = get_task(options.task)
    if options.static is not None and not task.takes_static_trial:
        takers = ", ".join(t.name for t in TASKS.values() if t.takes_static_trial)
        raise ToelabError(f"--static (an Oxford Foot Model static trial) applies to the {takers} task")
    return task


def run_task(
    recording: Recording, options: AnalysisOptions, *, input_path: Path | None = None
) -> TaskOutcome:
    """Run ``options.task`` on a recording: its figures per foot, warnings and result objects."""
    task = check_options(options)
    return task.quality_gate(task.run(recording, options, input_path=input_path))


def explain(task: str, results: Mapping[str, Any], *, condition: str | None = None) -> list[Explanation]:
    """Plain-language explanations of one task's figures (one foot's).

    ``condition`` is a tremor trial's condition (rest, postural or kinetic) when known: a
    regular rhythm at rest carries the advice to see a doctor. A withheld result (``measured``
    false) gives only its "not measured" rows: nothing is said from a figure it does not have.
    """
    found = get_task(task)
    if results.get("measured") is False:
        return found.not_measured(results)
    return found.explain(results, condition)


def rows_for(task: str, results: Mapping[str, Any], *, condition: str | None = None) -> list[Row]:
    """:func:`explain` as ``(figure, value, what it means)`` rows, with a row of advice on whom
    to see when a result calls for it."""
    explanations = explain(task, results, condition=condition)
    rows = [e.row for e in explanations]
    for flag in dict.fromkeys(e.flag for e in explanations if e.flag is not None):
        rows.append(("When to see someone", f"{flag.see}, {flag.when}", flag.advice))
    return rows
