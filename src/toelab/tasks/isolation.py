"""The toe isolation test: each toe lifted on its own while the others stay down."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from toelab.analysis.individuation import (
    FOLLOWS_BY_HALF,
    INDEPENDENT_II,
    MIN_SCORED_TOES,
    N_TOES,
    toe_control_score,
)
from toelab.analysis.quality import (
    TRACKED_SOURCES,
    Need,
    Quality,
    good_share_pct,
    judge,
    toe_size_needs,
    toe_width_px,
    toes_told_from_floor,
)
from toelab.protocols.cards import Findings
from toelab.protocols.sources import TOELAB_RULE
from toelab.recording import Recording
from toelab.tasks.base import Explanation, PlotSpec, ResultFigure, Task, TaskOutcome, fmt
from toelab.tasks.options import AnalysisOptions
from toelab.tasks.series import Columns, column_prefix, length_unit
from toelab.vocabulary import Side, foot_label, toe_name

# A toe tracked well on fewer than half the frames is left out: its lifts and its neighbours'
# co-movement would be read from positions the tracker was not sure of (toelab's line, the
# same as the other tasks').
TOE_GOOD_FRAMES_PCT = 50.0
# toelab's tracker follows each toe from features within 0.4 of the gap to its nearest
# neighbour, and the flow window around each feature (11 px, twice that on the coarser level)
# then reaches into the neighbour: on videos made from real foot photos, toes 17-19 px apart
# read a lifting neighbour's motion as their own (a 4th toe "followed" the 3rd by 49 % of its
# lift for a true 3 %, an index 0.11 off). Below this line a toe's index is not given
# (toelab's line). Wider gaps are not proof against it: one source's toes 23 px apart still did
# on 3 of 6 conditions (README, video accuracy), while drawn toes 19 px apart are measured right.
MIN_TOE_GAP_PX = 20.0
# With no lift found, a foot (or camera) that turned or shifted this much on the picture is the
# likelier reason than toes that stayed down: the lifts drown in the foot's own movement (a
# rolling hand-held camera read as a foot turning 6° and shifting 18 px at the toes, every
# lift of 6.6 px lost). toelab's lines; a still foot on a stand turns well under 1°.
MOVED_TURN_DEG = 3.0
MOVED_SHIFT_PER_TOE_WIDTH = 1.0  # a fifth of the foot's width
_REDO_TRACKING = (
    "film the toes from the front, close, in bright even light, with all five toes in view and the "
    "foot still on the floor"
)


def toe_coverage(recording: Recording, foot: str | None) -> dict[int, float]:
    """Per tracked toe, the share of frames (%) on which it was tracked well."""
    names = {t: recording.find_landmark(f"toe{t}", foot) for t in range(1, N_TOES + 1)}
    return {t: good_share_pct(recording, [n]) for t, n in names.items() if n is not None}


def toe_gaps_px(recording: Recording, foot: str | None) -> dict[int, tuple[int, float]]:
    """A video tracked by toelab in the front view: each toe's nearest neighbour and their
    distance (px) where the toe points were set; empty for any other recording."""
    if recording.meta.source not in TRACKED_SOURCES:
        return {}
    sets = [
        p
        for p in recording.meta.extra.get("points") or []
        if p.get("view") == "front" and foot in (None, "both", p.get("foot"))
    ]
    if not sets:
        return {}
    points = {t: np.asarray(sets[0][f"toe{t}"], float) for t in range(1, N_TOES + 1) if f"toe{t}" in sets[0]}
    gaps = {}
    for toe, at in points.items():
        distance, nearest = min(
            (float(np.linalg.norm(at - other)), t) for t, other in points.items() if t != toe
        )
        gaps[toe] = (nearest, round(distance, 1))
    return gaps


def _crowded(figures: Mapping[str, Any]) -> dict[int, tuple[int, float]]:
    """The toes whose nearest neighbour lies under ``MIN_TOE_GAP_PX`` away (from the quality figures)."""
    gaps = figures.get("toe_gap_px_by_toe") or {}
    return {int(t): (int(n), float(g)) for t, (n, g) in gaps.items() if g < MIN_TOE_GAP_PX}


def _only(count: int, verb: tuple[str, str]) -> str:
    """``no toe was``, ``only 1 toe was``, ``only 2 toes were`` (verb: singular, plural)."""
    if count <= 0:
        return f"no toe {verb[0]}"
    return f"only {count} toe {verb[0]}" if count == 1 else f"only {count} toes {verb[1]}"


def _skin_needs(figures: Mapping[str, Any]) -> list[Need]:
    """A tracked video: the toes' skin told from the floor, so that each toe is followed on its
    own skin. Followed on a plain box instead, a toe takes in the floor and its neighbour's
    edge: on a video made from a phone photo whose floor is the skin's colour (toes seen edge-on,
    5-8 px wide), a 4th toe "followed" the 3rd by 47-54 % of its lift for a true 3 % and the
    little toe's index came out 0.16 low (README, video accuracy)."""
    if figures.get("toes_told_from_floor") is None:
        return []
    return [
        Need(
            "toes_told_from_floor",
            1,
            "the toes could not be told from the floor by their colour (a floor much like the skin, "
            "or a video without colour), so each toe's movement may include its neighbours'",
            "film in colour on a plain floor, mat or towel of a colour unlike the skin, in bright even light",
        )
    ]


def _foot_moved(figures: Mapping[str, Any]) -> bool:
    """The foot (or the camera) turned or shifted a lot on the picture during the recording."""
    turn, shift = figures.get("foot_turn_range_deg"), figures.get("foot_shift_range_px")
    width = figures.get("toe_width_px")
    return (turn is not None and turn >= MOVED_TURN_DEG) or (
        shift is not None and width is not None and shift >= MOVED_SHIFT_PER_TOE_WIDTH * width
    )


def _lifts_need(figures: Mapping[str, Any]) -> Need:
    """At least one lift; where none was found and the foot moved a lot, that movement is named."""
    if _foot_moved(figures):
        return Need(
            "lifts",
            1,
            "no toe lift could be told apart from the movement of the whole foot or the camera (the "
            f"foot turned {figures.get('foot_turn_range_deg') or 0:.0f}° and shifted "
            f"{figures.get('foot_shift_range_px') or 0:.0f} pixels on the picture; on a still picture "
            "that dim light or heavy noise leaves hard to follow, the tracking itself wanders so)",
            "stand the camera still, on the floor or a stand, in bright even light, and keep the foot "
            "flat on the floor; then lift each toe in turn as high as you can, and rest it",
        )
    return Need(
        "lifts",
        1,
        "no toe lifted during the recording",
        "lift each toe in turn as high as you can, then rest it",
    )


def _foot_movement(recording: Recording, foot: str | None) -> dict[str, float]:
    """A tracked front-view video: how far the foot turned (deg) and shifted at its toes (px) on
    the picture, 5th to 95th percentile; empty for any other recording."""
    from toelab.analysis.shaking_part import centre_motions

    if recording.meta.source not in TRACKED_SOURCES:
        return {}
    # on the picture: a camera that rolled moves the toes as a foot that moved does
    centre = centre_motions(recording, against_floor=False)
    sides = [s for s in recording.feet() if foot in (None, "both", s)]
    if centre is None or not sides:
        return {}
    turns, shifts = [], []
    for side in sides:
        turn = recording.signals.get(f"{side}_foot_rotation_deg")
        x, y = centre.signals.get(f"{side}_forefoot_x_px"), centre.signals.get(f"{side}_forefoot_y_px")
        if turn is None or x is None or y is None:
            continue
        turns.append(float(np.subtract(*np.nanpercentile(turn, [95, 5]))))
        distance = np.hypot(x - np.nanmedian(x), y - np.nanmedian(y))
        shifts.append(float(np.nanpercentile(distance, 95)) * 2.0)
    if not turns:
        return {}
    return {"foot_turn_range_deg": round(max(turns), 2), "foot_shift_range_px": round(max(shifts), 1)}


def _needs(figures: Mapping[str, Any]) -> tuple[Need, ...]:
    """Two toes tracked, to compare one with another, and at least one lift to judge."""
    return (
        Need(
            "toes_measured",
            2,
            f"{_only(figures.get('toes_measured', 0), ('was', 'were'))} tracked well "
            "(two are needed to compare)",
            _REDO_TRACKING,
        ),
        _lifts_need(figures),
        Need(
            "toes_with_index",
            MIN_SCORED_TOES,
            f"{_only(figures.get('toes_with_index', 0), ('gave', 'gave'))} a repeatable index "
            f"({MIN_SCORED_TOES} are needed for a score)",
            "lift each toe on its own 3 times, slowly, with the camera still and the toes in good light",
        ),
    )


def _and(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _followed(toe: Mapping[str, Any]) -> str:
    """Which toes followed and how far: "the 3rd toe rose 70 % and the 4th toe rose 55 % of
    their own lift"."""
    followers = sorted(
        ((int(t), share) for t, share in (toe.get("followers") or {}).items()), key=lambda f: -f[1]
    )
    if not followers:
        return ""
    parts = [f"the {toe_name(t)} rose {100 * share:.0f} %" for t, share in followers]
    return _and(parts) + " of " + ("its" if len(parts) == 1 else "their") + " own lift"


def toe_verdict(toe: Mapping[str, Any], unmeasured: Sequence[int] = ()) -> tuple[str, str]:
    """The one verdict on a toe, in words: (value, meaning). The command line, the page and the
    report all show these. ``unmeasured``: the other toes not measured, whose following of this
    toe is therefore not known (its index is over the toes that were)."""
    index = toe.get("individuation_index")
    if toe.get("measured") is False:
        return "not measured", toe.get("not_measured_reason") or "the toe was not tracked well enough"
    if index is None:
        # a trial stored before toes without an index were marked not measured
        return "—", "did not lift on its own during the test"
    followed = _followed(toe)
    value = fmt(index, digits=2)
    if toe.get("independent") is None:
        # a trial stored before the verdicts were kept has only the index
        return value, "individuation index (1 = the toe lifts alone); which toes followed was not kept"
    if toe["independent"]:
        # (a toe measured is not among ``unmeasured``); one that was not may have risen with it,
        # so the verdict is then over the toes measured
        unseen = [toe_name(t) for t in unmeasured]
        who = " among the toes measured: none" if unseen else ": no other toe"
        meaning = f"moves on its own{who} followed by half its own lift or more"
        meaning += f" ({followed})" if followed else ""
        if unseen:
            were, it = ("was", "it") if len(unseen) == 1 else ("were", "they")
            meaning += f"; the {_and(unseen)} {were} not measured, so whether {it} rose too is not known"
        return value, meaning
    meaning = "does not yet move on its own"
    if "followers" not in toe:
        return value, meaning + " (which toes followed was not kept)"
    if any(share >= FOLLOWS_BY_HALF for share in (toe.get("followers") or {}).values()):
        meaning += f": when it lifted, {followed}"
    elif followed:
        meaning += f": its lift was small or several toes rose with it ({followed})"
    else:
        meaning += ": its lift was small next to the other toes' lifts"
    return value, meaning


def score_words(results: Mapping[str, Any]) -> str:
    """What the toe control score covers and says, from the same verdicts as the toe rows."""
    toes = results.get("toes", [])
    judged = [t for t in toes if t.get("measured") is not False]
    alone = [toe_name(t["toe"]) for t in judged if t.get("independent") is True]
    not_yet = [toe_name(t["toe"]) for t in judged if t.get("independent") is False]
    lost = [toe_name(t["toe"]) for t in toes if t.get("measured") is False]
    text = "100 = every toe lifts on its own with the others staying down"
    if alone or not_yet:
        text += f". Here {len(alone)} of {len(judged)} toes move on their own"
        if not_yet:
            text += "; " + ", ".join(not_yet) + (" does" if len(not_yet) == 1 else " do") + " not yet"
            text += ", and practice most often helps"
    elif results.get("toe_control_score") is not None:
        text += f". Below {100 * INDEPENDENT_II:.0f} some toes still move together; practice most often helps"
    if lost:
        text += f". It covers {len(judged)} of {N_TOES} toes: " + ", ".join(lost) + " not measured"
    return text


class IsolationTask(Task):
    name = "isolation"
    steps_in_one_recording = True  # the test's steps are one run; the target moves on
    title = "Toe isolation test"
    report_rank = 0
    headline = "Toe control score"
    headline_figure = "toe_control_score_pct"

    def analyse(self, recording: Recording, foot: str | None, options: AnalysisOptions) -> Any:
        from toelab.analysis.individuation import individuation_from_recording

        coverage = toe_coverage(recording, foot)
        lost = [t for t, share in coverage.items() if share < TOE_GOOD_FRAMES_PCT]
        # with every toe lost there is nothing to compare: analysed as it is, then withheld
        if len(lost) == len(coverage):
            lost = []
        return individuation_from_recording(recording, foot=foot, leave_out=lost)

    def assess(
        self, recording: Recording, foot: str | None, options: AnalysisOptions, result: Any
    ) -> Quality:
        coverage = toe_coverage(recording, foot)
        good = [t for t, share in coverage.items() if share >= TOE_GOOD_FRAMES_PCT]
        gaps = toe_gaps_px(recording, foot)
        figures: dict[str, Any] = {
            "good_frames_pct_by_toe": {str(t): share for t, share in coverage.items()},
            "toes_measured": len(good),
            "lifts": len(result.trials),
            "toe_width_px": toe_width_px(recording, foot),
        }
        if not result.trials:
            # no lift: how far the foot moved says whether the lifts drowned in its movement
            figures.update(_foot_movement(recording, foot))
        told = toes_told_from_floor(recording, foot)
        if told is not None:
            figures["toes_told_from_floor"] = int(told)
        if gaps:
            # each toe's nearest neighbour and the gap to it (px): [toe, px]
            figures["toe_gap_px_by_toe"] = {str(t): [n, g] for t, (n, g) in gaps.items()}
        crowded = _crowded(figures)
        figures["toes_with_index"] = sum(
            t.individuation_index is not None and t.toe not in crowded for t in result.toes
        )
        return judge(figures, [*toe_size_needs(figures), *_skin_needs(figures), *_needs(figures)])

    def withhold(self, result: Any) -> Any:
        quality = result.quality
        if quality is None:
            return result
        coverage = quality.figures.get("good_frames_pct_by_toe", {})
        crowded = _crowded(quality.figures)
        whole = None if quality.measured else f"{quality.reason} — {quality.redo}"
        toes = []
        for toe in result.toes:
            share = coverage.get(str(toe.toe))
            if whole is not None:
                why = whole
            elif toe.toe in crowded and toe.individuation_index is not None:
                neighbour, gap = crowded[toe.toe]
                why = (
                    f"it lies only {gap:.0f} pixels from the {toe_name(neighbour)} on the picture "
                    f"({MIN_TOE_GAP_PX:.0f} are needed to tell their motions apart) — film closer "
                    "(about 30–40 cm), or spread the toes"
                )
            elif toe.measured or (toe.not_measured_reason and (share or 0.0) >= TOE_GOOD_FRAMES_PCT):
                # measured, or not measured for a reason of its own lifts (said by the analysis)
                toes.append(toe)
                continue
            elif share is None:
                why = "this toe was not tracked"
            else:
                why = f"tracked well on only {share:.0f} % of the frames — {_REDO_TRACKING}"
            toes.append(
                replace(
                    toe,
                    individuation_index=None,
                    independent=None,
                    co_moved=(),
                    followers=(),
                    measured=False,
                    not_measured_reason=why,
                )
            )
        score = None if whole is not None else result.toe_control_score
        if whole is None and crowded:
            # the score covers the toes whose index stands
            score = toe_control_score(
                [t.individuation_index for t in toes if t.individuation_index is not None]
            )
        return replace(result, toes=tuple(toes), toe_control_score=score, notes=() if whole else result.notes)

    def withheld_parts(self, outcome: TaskOutcome) -> dict[str, dict[str, str]]:
        """Toes whose index was withheld while the test was measured (a toe lost, crowded, or
        that led no lift of its own), so that the history, report and FHIR say which and why
        beside the score that covers the others."""
        marks = {}
        for foot, result in outcome.by_foot.items():
            if result.quality is not None and not result.quality.measured:
                continue  # the whole test withheld: ``withheld_figures`` says so
            lost = [t for t in result.toes if t.measured is False]
            if lost:
                marks[str(foot).lower()] = "; ".join(
                    f"{toe_name(t.toe)}: {t.not_measured_reason or 'not tracked well enough'}" for t in lost
                )
        return {"individuation_index": marks} if marks else {}

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
        foot = str(figures[0].foot).lower() if figures else None
        kept = {v["toe"]: v for v in (parameters.get("verdicts") or {}).get(foot, [])}
        indices = {r.toe: r.value for r in figures if r.name == "individuation_index" and r.toe is not None}
        toes: list[dict[str, Any]] = []
        for number in sorted(set(indices) | set(kept)):
            verdict = kept.get(number, {})
            toes.append(
                {
                    "toe": number,
                    "individuation_index": indices.get(number),
                    "independent": verdict.get("independent"),
                    "co_moved": [int(t) for t in verdict.get("followers", {})],
                    "followers": verdict.get("followers", {}),
                    "measured": verdict.get("measured", True),
                    "not_measured_reason": verdict.get("not_measured_reason"),
                }
            )
        score = next((r.value for r in figures if r.name == "toe_control_score_pct" and r.toe is None), None)
        return {"toes": toes, "toe_control_score": score}

    def trial_parameters(self, outcome: TaskOutcome) -> dict[str, Any]:
        """Each toe's verdict and followers, so a stored trial reads as it did when measured."""
        verdicts = {}
        for foot, result in outcome.by_foot.items():
            verdicts[str(foot).lower()] = [
                {
                    key: value
                    for key, value in toe.as_dict().items()
                    if key in ("toe", "independent", "followers", "measured", "not_measured_reason")
                }
                for toe in result.toes
            ]
        return {"verdicts": verdicts}

    def stored_toes(self, options: AnalysisOptions) -> tuple[int, ...]:
        return (1, 2, 3, 4, 5)

    def step_figures(
        self,
        outcome: TaskOutcome,
        recording: Recording,
        marks: Sequence[tuple[float, tuple[int, ...], str | None]],
    ) -> dict[str, Any] | None:
        """Each step's figures per foot, a foot's steps withheld when its toes were not tracked
        (see :mod:`toelab.tasks.isolation_steps`)."""
        from toelab.tasks.isolation_steps import step_report

        feet = [str(foot) for foot in outcome.by_foot if foot is not None]
        if not feet or not marks:
            return None
        # a step's figures need the toes tracked, not an index for each toe: only the whole
        # test's tracking needs withhold them
        withheld = {}
        for foot, result in outcome.by_foot.items():
            if result.quality is None:
                continue
            tracking = Quality(
                result.quality.figures, tuple(n for n in result.quality.missed if n.figure == "toes_measured")
            )
            if not tracking.measured:
                withheld[str(foot)] = (str(tracking.reason), str(tracking.redo))
        return step_report(recording, feet, marks, withheld)

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
        toes = results.get("toes", [])
        unmeasured = [t["toe"] for t in toes if t.get("measured") is False]
        for toe in toes:
            number = toe["toe"]
            value, meaning = toe_verdict(toe, unmeasured)
            if number == 5 and 4 in toe.get("co_moved", []):
                meaning += ". The little toe and 4th toe share tendons, so moving together is common"
            rows.append(
                Explanation(
                    f"{toe_name(number)} individuation",
                    value,
                    meaning,
                    ("hager_ross2000",) if toe.get("individuation_index") is not None else (),
                )
            )
        rows.append(
            Explanation(
                "Toe control score",
                fmt(results.get("toe_control_score"), "/ 100", 0),
                score_words(results),
                (TOELAB_RULE,),
            )
        )
        return rows

    def findings(self, results: Mapping[str, Any], condition: str | None = None) -> Findings:
        if results.get("measured") is False:
            return Findings()
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
