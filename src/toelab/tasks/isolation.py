"""The toe isolation test: each toe lifted on its own while the others stay down."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from toelab.analysis.individuation import INDEPENDENT_II
from toelab.protocols.cards import Findings
from toelab.protocols.sources import TOELAB_RULE
from toelab.recording import Recording
from toelab.tasks.base import Explanation, PlotSpec, ResultFigure, Task, TaskOutcome, fmt
from toelab.tasks.options import AnalysisOptions
from toelab.tasks.series import Columns, column_prefix, length_unit
from toelab.vocabulary import Side, foot_label, toe_name


class IsolationTask(Task):
    name = "isolation"
    title = "Toe isolation test"
    report_rank = 0

    def analyse(self, recording: Recording, foot: str | None, options: AnalysisOptions) -> Any:
        from toelab.analysis.individuation import individuation_from_recording

        return individuation_from_recording(recording, foot=foot)

    def figures(self, result: Any, foot: Side | None) -> list[ResultFigure]:
        figures = []
        if result.toe_control_score is not None:
            figures.append(ResultFigure("toe_control_score_pct", float(result.toe_control_score), "%", foot))
        figures.extend(
            ResultFigure("individuation_index", float(toe.individuation_index), "", foot, toe.toe)
            for toe in result.toes
            if toe.individuation_index is not None
        )
        return figures

    def results_from_figures(
        self, figures: Sequence[ResultFigure], parameters: Mapping[str, Any]
    ) -> dict[str, Any]:
        toes: list[dict[str, Any]] = [
            {"toe": r.toe, "individuation_index": r.value, "independent": None, "co_moved": []}
            for r in sorted(figures, key=lambda r: r.toe or 0)
            if r.name == "individuation_index"
        ]
        score = next((r.value for r in figures if r.name == "toe_control_score_pct" and r.toe is None), None)
        return {"toes": toes, "toe_control_score": score}

    def stored_toes(self, options: AnalysisOptions) -> tuple[int, ...]:
        return (1, 2, 3, 4, 5)

    def series(self, outcome: TaskOutcome, recording: Recording) -> tuple[np.ndarray, Columns]:
        """Each toe's height above its rest level."""
        from toelab.analysis.lifts import toe_heights

        columns: Columns = {}
        time_s = recording.time_s
        for foot in outcome.by_foot:
            time_s, heights = toe_heights(recording, foot)
            for toe, height in heights.items():
                columns[f"{column_prefix(foot)}toe{toe}_lift_{length_unit(recording)}"] = height
        return time_s, columns

    def explain(self, results: Mapping[str, Any], condition: str | None = None) -> list[Explanation]:
        rows = []
        for toe in results.get("toes", []):
            number = toe["toe"]
            index = toe.get("individuation_index")
            followers = [toe_name(t) for t in toe.get("co_moved", [])]
            if index is None:
                meaning = "not lifted on its own during the test"
            elif toe.get("independent"):
                meaning = "moves on its own"
            elif toe.get("independent") is None:
                meaning = "moves on its own" if index >= INDEPENDENT_II else "does not yet move on its own"
            else:
                meaning = "does not yet move on its own"
            if index is not None:
                share = max(0.0, min(1.0, 1.0 - index))
                meaning += f". When it lifted, the other toes rose {100 * share:.0f} % of their own lift"
            if followers:
                meaning += ". " + " and ".join(followers).capitalize()
                meaning += " follows" if len(followers) == 1 else " follow"
            if number == 5 and 4 in toe.get("co_moved", []):
                meaning += ". The little toe and 4th toe share tendons, so moving together is common"
            rows.append(
                Explanation(
                    f"{toe_name(number)} individuation",
                    fmt(index, digits=2),
                    meaning,
                    ("hager_ross2000",) if index is not None else (),
                )
            )
        rows.append(
            Explanation(
                "Toe control score",
                fmt(results.get("toe_control_score"), "/ 100", 0),
                f"100 = every toe lifts on its own with the others staying down. Below "
                f"{100 * INDEPENDENT_II:.0f} some toes still move together; practice most often helps",
                (TOELAB_RULE,),
            )
        )
        return rows

    def findings(self, results: Mapping[str, Any], condition: str | None = None) -> Findings:
        toes = results.get("toes", [])
        return Findings(
            toe_control_score_pct=results.get("toe_control_score"),
            # a toe judged on its own lifts (False); stored figures alone do not judge it (None)
            toes_not_independent=tuple(
                t["toe"]
                for t in toes
                if t.get("individuation_index") is not None and t.get("independent") is False
            ),
            little_toe_with_fourth=any(t["toe"] == 5 and 4 in t.get("co_moved", []) for t in toes),
        )

    def plots(
        self, stored: Mapping[str | None, Sequence[ResultFigure]], analysed: Mapping[str | None, Any]
    ) -> list[PlotSpec]:
        per_foot = {}
        for foot, figures in stored.items():
            values: list[float | None] = [None] * 5
            for r in figures:
                if r.name == "individuation_index" and r.toe is not None:
                    values[r.toe - 1] = r.value
            per_foot[foot] = values
        found = [
            PlotSpec(
                "Individuation index per toe: 1 = the toe lifts alone, "
                "0 = its neighbours move as much as it does.",
                "toe_bars",
                {"indices_by_foot": per_foot},
            )
        ]
        for foot, result in analysed.items():
            title = foot_label(foot) or "Co-movement"
            found.append(
                PlotSpec(
                    f"{title}: how far each toe moved while one toe was asked to lift "
                    "(1 = as far as its own lift).",
                    "co_movement_map",
                    {"matrix": result.co_movement, "title": title},
                )
            )
        return found


TASK = IsolationTask()
