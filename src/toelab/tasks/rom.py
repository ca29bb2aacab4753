"""The big-toe extension test: how far the big toe bends back at its base joint (side view)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from toelab.analysis.quality import Need, Quality, good_frames, judge
from toelab.analysis.rom import TOE_OFF_NEEDED_DEG, big_toe_points
from toelab.protocols.cards import Findings
from toelab.protocols.red_flags import BIG_TOE_STIFF_DEG, FLAGS
from toelab.recording import Recording
from toelab.tasks.base import Explanation, PlotSpec, ResultFigure, Task, TaskOutcome, fmt
from toelab.tasks.options import AnalysisOptions
from toelab.tasks.series import Columns, column_prefix
from toelab.vocabulary import Side, foot_label

# Coughlin & Shurnas 2003: below 40° of big-toe extension lies outside their grade 0 range
CLEARLY_LIMITED_DEG = 40.0

_REDO = (
    "film from the side in good light with the camera still and close, keeping the heel, the "
    "big-toe joint and the tip of the big toe in view the whole time"
)


# The test is of how far the toe bends: over the recording its angle must change by this much
# (deg), else it shows the toe's resting angle (a still toe, points on a still picture), not its
# bend. toelab's line, far under the 10-30 deg that toes graded most limited still move
# (Coughlin & Shurnas 2003).
MIN_BEND_SEEN_DEG = 5.0


def _needs(figures: Mapping[str, Any]) -> tuple[Need, ...]:
    """What the angle needs. Half the frames tracked well: the maximum is taken over the test,
    and with most frames lost the top of the bend is most often among them (toelab's line, the
    same as the coverage warning of :mod:`toelab.analysis.rom`); ten good frames at least, a
    third of a second at 30 frames a second, for the median-of-3 smoothing to hold. Where those
    hold, a bend seen (``MIN_BEND_SEEN_DEG``); where they do not, the angle's change over the
    few frames left says nothing of the bend."""
    share, count = figures.get("good_frames_pct"), figures.get("good_frames")
    tracking = (
        Need(
            "good_frames_pct",
            50.0,
            f"the big-toe points were tracked well on only {share or 0:.0f} % of the frames "
            "(half are needed)",
            _REDO,
        ),
        Need(
            "good_frames", 10, f"only {count or 0} frames showed the big toe clearly (10 are needed)", _REDO
        ),
        Need(
            "top_seen",
            1,
            "the big toe was lost around its highest point, so how far it bent is not known",
            _REDO,
        ),
    )
    if judge(dict(figures), tracking[:2]).missed:
        return tracking
    bend = Need(
        "angle_change_deg",
        MIN_BEND_SEEN_DEG,
        f"the big toe's angle changed by only {figures.get('angle_change_deg') or 0:.0f} degrees "
        f"during the recording ({MIN_BEND_SEEN_DEG:.0f} are needed), so it shows the toe at rest, "
        "not how far it bends",
        "film again while bending the big toe up as far as it goes and back, slowly",
    )
    return (*tracking, bend)


# The largest angle counts only when the frames this close on either side of it carry an angle
# too: next to a gap the real top may lie inside the gap, and the figure would read too low.
TOP_SEEN_S = 0.2


def top_seen(result: Any) -> bool:
    """Whether the frames around the largest angle all carry an angle (see ``TOP_SEEN_S``)."""
    if result.time_of_max_s is None:
        return False
    near = np.abs(result.time_s - result.time_of_max_s) <= TOP_SEEN_S
    return bool(np.isfinite(result.angle_deg[near]).all())


def angle_change_deg(result: Any) -> float:
    """How far the angle moved over the recording: its largest less its smallest (deg; 0 with
    no angle)."""
    angles = np.asarray(result.angle_deg, float)
    angles = angles[np.isfinite(angles)]
    return round(float(angles.max() - angles.min()), 1) if angles.size else 0.0


class RomTask(Task):
    name = "rom"
    camera_view = "side"
    title = "Big-toe extension test"
    report_rank = 1
    headline = "Big-toe extension"
    headline_figure = "big_toe_extension_deg"
    takes_static_trial = True

    def run(
        self, recording: Recording, options: AnalysisOptions, *, input_path: Path | None = None
    ) -> TaskOutcome:
        """With an Oxford Foot Model static trial, the hallux-to-forefoot angle too."""
        from toelab.tasks.ofm import apply_ofm, check_static_needed, load_static

        ofm = None
        if options.static is not None:
            ofm = apply_ofm(recording, load_static(options.static, flat_forefoot=options.flat_forefoot))
            recording = ofm.recording
        check_static_needed(recording)
        outcome = super().run(recording, options, input_path=input_path)
        if ofm is not None:
            outcome.extra["ofm"] = ofm
        return outcome

    def quality_gate(self, outcome: TaskOutcome) -> TaskOutcome:
        """The gate of toelab's own angle, then the Oxford Foot Model's figures beside it."""
        from toelab.tasks.ofm import add_ofm_figures

        gated = super().quality_gate(outcome)
        gated.warnings[:0] = add_ofm_figures(gated.results, outcome.extra.get("ofm"))
        return gated

    def analyse(self, recording: Recording, foot: str | None, options: AnalysisOptions) -> Any:
        from toelab.analysis.rom import rom_from_recording

        return rom_from_recording(recording, foot=foot)

    def assess(
        self, recording: Recording, foot: str | None, options: AnalysisOptions, result: Any
    ) -> Quality:
        good = good_frames(recording, big_toe_points(recording, foot))
        figures = {
            "good_frames_pct": round(100.0 * float(good.mean()), 1) if good.size else 0.0,
            "good_frames": int(good.sum()),
            "frames": int(good.size),
            "top_seen": int(top_seen(result)),
            "angle_change_deg": angle_change_deg(result),
        }
        return judge(figures, _needs(figures))

    # no angle, so no grade range, no push-off verdict and no advice built on it
    withheld_fields: ClassVar[Mapping[str, Any]] = {
        "max_extension_deg": None,
        "time_of_max_s": None,
        "grade": None,
        "grade_text": "not measured",
        "toe_off_sufficient": None,
        "notes": (),
    }

    def figures(self, result: Any, foot: Side | None) -> list[ResultFigure]:
        if result.max_extension_deg is None:
            return []
        return [ResultFigure("big_toe_extension_deg", float(result.max_extension_deg), "deg", foot)]

    def results_from_figures(
        self, figures: Sequence[ResultFigure], parameters: Mapping[str, Any]
    ) -> dict[str, Any]:
        angle = next((r.value for r in figures if r.name == "big_toe_extension_deg" and r.toe is None), None)
        return {"max_extension_deg": angle}

    def series(self, outcome: TaskOutcome, recording: Recording) -> tuple[np.ndarray, Columns]:
        columns: Columns = {}
        time_s = next(iter(outcome.by_foot.values())).time_s
        for foot, result in outcome.by_foot.items():
            columns[f"{column_prefix(foot)}hallux_angle_deg"] = result.angle_deg
        ofm = outcome.extra.get("ofm")
        for foot, angles in ofm.angles.items() if ofm is not None else ():
            for plane, values in angles.planes().items():
                columns[f"{foot}_hallux_forefoot_{plane}_deg"] = values
        return time_s, columns

    def explain(self, results: Mapping[str, Any], condition: str | None = None) -> list[Explanation]:
        angle = results.get("max_extension_deg")
        grade = results.get("grade")
        if angle is None:
            return [Explanation("Big-toe extension", "—", "the angle could not be measured")]
        flag = None
        if angle >= TOE_OFF_NEEDED_DEG:
            meaning = "enough bend for a normal push-off when walking and running (about 65 to 75° is used)"
            sources: tuple[str, ...] = ("root1977",)
        elif angle >= CLEARLY_LIMITED_DEG:
            meaning = (
                "less than the 65 to 75° a full push-off uses. Walking still works, but in running the "
                "foot may roll off the side and the knee and hip take more load. Mobility exercises can help"
            )
            sources = ("root1977", "big_toe_knee_article")
        else:
            meaning = (
                "clearly limited; a stiff big toe shifts load up the leg to the knee and hip. Worth "
                "showing a physiotherapist or podiatrist"
            )
            sources = ("root1977", "big_toe_knee_article")
            if angle <= BIG_TOE_STIFF_DEG:
                flag = FLAGS["big_toe_stiff"]
        rows = [Explanation("Big-toe extension (max)", fmt(angle, "°"), meaning, sources, flag)]
        if grade is not None:
            rows.append(
                Explanation(
                    "Range",
                    f"grade {grade} range",
                    "the range of a published stiffness grade, by angle alone. Only an examination "
                    "can grade a joint",
                    ("coughlin2003",),
                )
            )
        rows += _hallux_forefoot(results.get("hallux_forefoot_deg"))
        if results.get("hallux_forefoot_deg") is not None:
            # a motion-capture trial: the photo measure's accuracy says nothing of skin markers
            rows.append(
                Explanation(
                    "How exact",
                    "from skin markers",
                    "skin markers sit off the bones' axes, so this angle can differ from the bones' own "
                    "by several degrees. Compare trials with the markers placed the same way",
                )
            )
        else:
            rows.append(
                Explanation(
                    "How exact",
                    "a few °",
                    "a photo measure is most often within a few degrees of one taken by hand. Compare "
                    "tests taken the same way",
                    ("otter2015",),
                )
            )
        return rows

    def findings(self, results: Mapping[str, Any], condition: str | None = None) -> Findings:
        if results.get("measured") is False:
            return Findings()
        return Findings(big_toe_extension_deg=results.get("max_extension_deg"))

    def plots(
        self, stored: Mapping[str | None, Sequence[ResultFigure]], analysed: Mapping[str | None, Any]
    ) -> list[PlotSpec]:
        return [
            PlotSpec(
                f"{foot_label(foot) or 'Big toe'}: extension angle at the big-toe joint during the test.",
                "angle_curve",
                {"time_s": result.time_s, "angle_deg": result.angle_deg, "max_deg": result.max_extension_deg},
            )
            for foot, result in analysed.items()
            if result.angle_deg.size
        ]


def _hallux_forefoot(figures: Mapping[str, Any] | None) -> list[Explanation]:
    """The Oxford Foot Model's hallux-to-forefoot angle (rom with a static trial)."""
    if not figures:
        return []
    sagittal, transverse = figures["sagittal"], figures["transverse"]
    return [
        Explanation(
            "Hallux to forefoot, sagittal (OFM)",
            f"{fmt(sagittal['min'], '°')} to {fmt(sagittal['max'], '°')}",
            "the Oxford Foot Model's hallux angle (HXFFA): + bent up, 0 as in the standing trial",
        ),
        Explanation(
            "Hallux to forefoot, transverse (OFM)",
            f"{fmt(transverse['min'], '°')} to {fmt(transverse['max'], '°')}",
            "+ turned towards the other foot (varus), − away from it (valgus)",
        ),
    ]


TASK = RomTask()
