"""What every task is: :class:`Task`, and what running one gives, :class:`TaskOutcome`.

A task knows how it runs on a :class:`~toelab.recording.Recording`, which figures it stores
and how they read back, what its figures mean in plain words, which guidance cards they call
for, which plots show them, and when a figure must be withheld.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from toelab.analysis.quality import Quality
from toelab.errors import ToelabError
from toelab.protocols.cards import Findings
from toelab.protocols.red_flags import Flag, RestTremorReading
from toelab.protocols.sources import short_citations
from toelab.recording import Recording
from toelab.tasks.options import AnalysisOptions
from toelab.tasks.series import Columns
from toelab.vocabulary import Side, TaskName, View, as_side

Row = tuple[str, str, str]  # (figure, value, what it means)


@dataclass(frozen=True)
class ResultFigure:
    """One stored figure of a trial: a value with its unit, for a foot and optionally one toe."""

    name: str
    value: float
    unit: str = ""
    foot: str | None = None
    toe: int | None = None


@dataclass
class TaskOutcome:
    """A task run on a recording: JSON-ready ``results``, warnings, and the analysis result
    objects per foot (None = an unlabelled foot)."""

    task: TaskName
    results: dict[str, Any]
    warnings: list[str]
    by_foot: dict[str | None, Any]
    options: AnalysisOptions | None = None
    # what the per-sample series needs besides by_foot (rom with a static trial: "ofm")
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Explanation:
    """One figure in plain words: its value, what it means, its sources, and whom to see when
    the result calls for it."""

    figure: str
    value: str
    meaning: str
    sources: tuple[str, ...] = ()  # keys of toelab.protocols.sources.SOURCES
    flag: Flag | None = None

    @property
    def row(self) -> Row:
        cite = short_citations(self.sources)
        return (self.figure, self.value, f"{self.meaning} ({cite})" if cite else self.meaning)


@dataclass(frozen=True)
class PlotSpec:
    """A plot a task asks for: ``draw`` names a function of :mod:`toelab.report.plots`, called
    with ``data`` as keyword arguments."""

    caption: str
    draw: str
    data: dict[str, Any] = field(default_factory=dict)


def fmt(value: Any, unit: str = "", digits: int = 1) -> str:
    """A figure as text: ``—`` when it is missing."""
    if value is None:
        return "—"
    text = f"{value:.{digits}f}" if isinstance(value, float) else str(value)
    return f"{text} {unit}".strip()


def json_safe(value: Any) -> Any:
    """``value`` with NaN/inf as None and NumPy scalars as Python ones, ready for strict JSON."""
    if isinstance(value, np.floating | float):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, np.integer | np.bool_):
        return value.item()
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def figure_withheld(parameters: Mapping[str, Any], name: str) -> dict[str | None, str]:
    """A stored trial's figure ``name`` withheld on its own (:meth:`Task.withheld_parts`):
    foot (None for an unlabelled one) → why and how to redo."""
    marks = (parameters.get("not_measured_figures") or {}).get(name) or {}
    return {None if foot == "none" else str(foot): str(words) for foot, words in marks.items()}


def per_foot_results(by_foot: Mapping[str | None, Any]) -> dict[str, Any]:
    """Top-level figures of the first foot, plus every foot under ``feet`` when there are two."""
    dicts = {foot: result.as_dict() for foot, result in by_foot.items()}
    first_foot = next(iter(dicts))
    results = {"foot": first_foot, **dicts[first_foot]}
    if len(dicts) > 1:
        results["feet"] = {str(foot): d for foot, d in dicts.items()}
    return results


class Task(ABC):
    """One test of toe function. Subclasses set the class attributes and the abstract methods;
    register an instance in :data:`toelab.tasks.TASKS`."""

    name: ClassVar[TaskName]
    title: ClassVar[str]  # as reports and the page head it
    per_foot: ClassVar[bool] = True  # analysed for each foot of a recording on its own
    report_rank: ClassVar[int] = 9  # where the task's trials come in a report (lower first)
    # how the test was done (condition, caffeine, tiredness …) changes what its figures mean
    uses_context: ClassVar[bool] = False
    takes_static_trial: ClassVar[bool] = False  # an Oxford Foot Model static trial (--static)
    needs_beats: ClassVar[bool] = False  # a run of it needs beat times
    # a tracked video follows the floor in front of the toes for it: the camera's own motion,
    # against which the foot's is read (costs the tracker about a seventh of its speed,
    # benchmarks/floor_cost.py)
    reads_camera_motion: ClassVar[bool] = False
    # the training exercise a practice run of the task counts as in a plan
    exercise_id: ClassVar[str | None] = None
    # the task's headline figure in words, for the "not measured" row
    headline: ClassVar[str] = "Result"
    # the stored figure that stands for a withheld result (e.g. a FHIR Observation with no value)
    headline_figure: ClassVar[str] = ""
    # how the page runs the test (``page_rules``): the camera's view, whether the live bars have
    # target toes, whether all its steps are one recording, the word said when a step ends
    camera_view: ClassVar[View] = "front"
    live_target: ClassVar[bool] = True
    steps_in_one_recording: ClassVar[bool] = False
    step_end_cue: ClassVar[str] = "Down"

    def page_rules(self) -> dict[str, Any]:
        """What the page needs to run the test, so it never branches on a task's name."""
        return {
            "view": self.camera_view,
            "live_target": self.live_target,
            "one_recording": self.steps_in_one_recording,
            "needs_beats": self.needs_beats,
            "asks_context": self.uses_context,
            "end_cue": self.step_end_cue,
        }

    # --- measuring -------------------------------------------------------------------------
    @abstractmethod
    def analyse(self, recording: Recording, foot: str | None, options: AnalysisOptions) -> Any:
        """One foot's result object (``foot`` None: the recording's only or unlabelled foot)."""

    def prepare(
        self, recording: Recording, options: AnalysisOptions, input_path: Path | None
    ) -> tuple[AnalysisOptions, dict[str, Any], list[str]]:
        """Options resolved against the recording before analysing (e.g. beat times), the
        figures they add to the results, and warnings."""
        return options, {}, []

    def run(
        self, recording: Recording, options: AnalysisOptions, *, input_path: Path | None = None
    ) -> TaskOutcome:
        """Analyse every foot of ``recording`` and gather the JSON figures and warnings."""
        options, extra, warnings = self.prepare(recording, options, input_path)
        if self.per_foot:
            by_foot = self._each_foot(recording, options, warnings)
            results = per_foot_results(by_foot)
        else:
            result = self.measure(recording, None, options)
            by_foot = {recording.meta.foot: result}
            results = result.as_dict()
        results.update(extra)
        results.update(self.compare_feet(by_foot))
        warnings.extend(w for result in by_foot.values() for w in getattr(result, "warnings", ()))
        return TaskOutcome(self.name, results, warnings, by_foot, options)

    def _each_foot(
        self, recording: Recording, options: AnalysisOptions, warnings: list[str]
    ) -> dict[str | None, Any]:
        """A foot that lacks the task's points is left out with a warning as long as another
        foot has them."""
        feet: list[str | None] = list(recording.feet()) or [None]
        by_foot: dict[str | None, Any] = {}
        errors: list[ToelabError] = []
        for foot in feet:
            try:
                by_foot[foot] = self.measure(recording, foot, options)
            except ToelabError as error:
                errors.append(error)
        if not by_foot:
            raise errors[0]
        warnings.extend(f"{error}; that foot was left out" for error in errors)
        return by_foot

    def compare_feet(self, by_foot: Mapping[str | None, Any]) -> dict[str, Any]:
        """Figures comparing the left and right foot, when the task has any."""
        return {}

    @abstractmethod
    def series(self, outcome: TaskOutcome, recording: Recording) -> tuple[np.ndarray, Columns]:
        """The per-sample series behind the figures: ``(time_s, {column: values})``."""

    # --- judging ----------------------------------------------------------------------------
    def assess(
        self, recording: Recording, foot: str | None, options: AnalysisOptions, result: Any
    ) -> Quality:
        """What the recording gave the measurement to go on (the task's quality figures) and
        which of the task's needs it missed."""
        return Quality()

    # the figures a withheld result loses (field → the value it takes), and nothing built on them
    withheld_fields: ClassVar[Mapping[str, Any]] = {}

    def withhold(self, result: Any) -> Any:
        """``result`` with every figure its quality cannot support set to None (the task's rules)."""
        if result.quality is None or result.quality.measured:
            return result
        return replace(result, **self.withheld_fields)

    def measure(self, recording: Recording, foot: str | None, options: AnalysisOptions) -> Any:
        """One foot's result with its quality attached, figures not yet withheld."""
        result = self.analyse(recording, foot, options)
        return replace(result, quality=self.assess(recording, foot, options, result))

    def quality_gate(self, outcome: TaskOutcome) -> TaskOutcome:
        """The outcome with any figure the data cannot support withheld (the task's rules)."""
        gated = {foot: self.withhold(result) for foot, result in outcome.by_foot.items()}
        results = dict(outcome.results)
        results.update(per_foot_results(gated) if self.per_foot else next(iter(gated.values())).as_dict())
        results.update(self.compare_feet(gated))
        return replace(outcome, results=results, by_foot=gated)

    def not_measured(self, results: Mapping[str, Any]) -> list[Explanation]:
        """The rows of a withheld result: not measured, why, and how to redo it."""
        why = results.get("not_measured_reason") or "the recording could not support this figure"
        redo = results.get("how_to_redo")
        return [Explanation(self.headline, "not measured", f"{why} — {redo}" if redo else why)]

    def withheld_figures(self, outcome: TaskOutcome) -> dict[str, str]:
        """What a stored trial keeps of a withheld result: foot (``"none"`` for an unlabelled one)
        → the plain reason and how to redo it."""
        marks = {}
        for foot, result in outcome.by_foot.items():
            quality = getattr(result, "quality", None)
            if quality is not None and not quality.measured:
                marks[str(foot).lower()] = f"{quality.reason} — {quality.redo}"
        return marks

    def withheld_parts(self, outcome: TaskOutcome) -> dict[str, dict[str, str]]:
        """What a stored trial keeps of a figure withheld on its own while the rest was measured
        (a shaking's rhythm given, its size too small to give): figure name → foot (``"none"``
        for an unlabelled one) → the plain reason and how to redo it."""
        return {}

    def stored_results(
        self, figures: Sequence[ResultFigure], parameters: Mapping[str, Any], foot: str | None
    ) -> dict[str, Any]:
        """One foot's JSON figures rebuilt from a stored trial, withheld ones marked as such."""
        withheld = (parameters.get("not_measured") or {}).get(str(foot).lower())
        if withheld:
            why, _, redo = str(withheld).partition(" — ")
            return {"measured": False, "not_measured_reason": why, "how_to_redo": redo or None}
        return self.results_from_figures(figures, parameters)

    # --- remembering -----------------------------------------------------------------------
    @abstractmethod
    def figures(self, result: Any, foot: Side | None) -> list[ResultFigure]:
        """One foot's result as the named figures the store keeps and progress reads."""

    @abstractmethod
    def results_from_figures(
        self, figures: Sequence[ResultFigure], parameters: Mapping[str, Any]
    ) -> dict[str, Any]:
        """The JSON figures rebuilt from stored figures, for the plain-language rows."""

    def found_in_words(self, trial: Any) -> list[tuple[str, str | None, str]]:
        """What a stored trial found that no figure holds, as ``(figure name, foot, words)``
        for the session's digest (a tremor test that found no shaking keeps no frequency)."""
        return []

    def trial_parameters(self, outcome: TaskOutcome) -> dict[str, Any]:
        """What a stored trial keeps of its analysis besides the figures."""
        return {}

    def stored_toes(self, options: AnalysisOptions) -> tuple[int, ...]:
        """The toes a stored trial names."""
        return ()

    def unused_landmarks(self, recording: Recording, options: AnalysisOptions) -> set[str]:
        """The recording's landmarks the task does not read (a warning about one of them, say a
        toe tracked poorly, says nothing about its figures)."""
        return set()

    def reader_warnings(
        self, warnings: Sequence[str], recording: Recording, options: AnalysisOptions
    ) -> list[str]:
        """What the reader or tracker said about ``recording``, less what it said about points the
        task does not read (those warnings start with the point's name): a rhythm test of the big
        toe is not made worse by a 4th toe tracked poorly."""
        unused = self.unused_landmarks(recording, options)
        return [w for w in warnings if w.split(" ", 1)[0] not in unused]

    def step_figures(
        self,
        outcome: TaskOutcome,
        recording: Recording,
        marks: Sequence[tuple[float, tuple[int, ...], str | None]],
    ) -> dict[str, Any] | None:
        """The figures of each step of a run recorded in one go (``marks``: each step's start
        time, toes and id, in order); None for a task without figures per step."""
        return None

    def rest_tremor_reading(self, day: date, trial: Any) -> RestTremorReading | None:
        """Whether a stored trial (``trial.parameters``, ``trial.figure(name)``) shows shaking
        at rest, for the red flags; None when the trial does not tell."""
        return None

    # --- telling ---------------------------------------------------------------------------
    @abstractmethod
    def explain(self, results: Mapping[str, Any], condition: str | None = None) -> list[Explanation]:
        """Plain-language explanations of one foot's figures (``condition``: how the test was
        done, e.g. a tremor test at rest)."""

    @abstractmethod
    def findings(self, results: Mapping[str, Any], condition: str | None = None) -> Findings:
        """What one foot's figures mean for the guidance cards."""

    def plots(
        self, stored: Mapping[str | None, Sequence[ResultFigure]], analysed: Mapping[str | None, Any]
    ) -> list[PlotSpec]:
        """The plots of a trial, from its stored figures per foot and its tracks analysed again."""
        return []


def figures_of(task: Task, outcome: TaskOutcome) -> list[ResultFigure]:
    """Every foot's figures of an outcome under the names progress tracking and red flags read."""
    return [f for foot, result in outcome.by_foot.items() for f in task.figures(result, as_side(foot))]
