"""The tremor test: shaking of the foot and toes while they hold, move, or rest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any, ClassVar

import numpy as np

from toelab.analysis.quality import (
    MIN_TOE_WIDTH_PX,
    SMALLEST_SEEN_PX,
    Need,
    Quality,
    good_share_pct,
    judge,
    toe_size_needs,
    toe_width_px,
)
from toelab.errors import ToelabError
from toelab.protocols.cards import Findings
from toelab.protocols.red_flags import FLAGS, RestTremorReading
from toelab.recording import Recording
from toelab.tasks.base import Explanation, PlotSpec, ResultFigure, Task, TaskOutcome, figure_withheld, fmt
from toelab.tasks.options import AnalysisOptions
from toelab.tasks.series import Columns
from toelab.vocabulary import Side

# Deuschl, Bain & Brin 1998 (Mov Disord 13 Suppl 3:2): the fine shaking everyone has
# (physiological tremor) lies at 8–12 Hz
PHYSIOLOGICAL_LOW_HZ = 8.0
# A rhythm is given only where the rate sees up to the top of the band everyone's fine shaking
# lies in (8-12 Hz, Deuschl, Bain & Brin 1998): a shaking faster than half the rate is not lost
# but folded down to a slower, false rhythm (a whole-foot shake at 11 Hz filmed at 15 frames a
# second read "rhythmic, 4.02 Hz").
HIGHEST_FREQUENCY_TO_SEE_HZ = 12.0
# Shannon 1949: below this frame rate a camera cannot see shaking across the 3–12 Hz band
LOW_FRAME_RATE_HZ = 2 * HIGHEST_FREQUENCY_TO_SEE_HZ
# A peak above this share of the Nyquist frequency may be a faster shaking folded down
# (aliasing); the analysis warns, and the quality figures give the headroom. It is not a line:
# a 12 Hz shaking filmed at 30 frames a second is measured right, and cannot be told from an
# 18 Hz one folded down at any margin.
ALIAS_MARGIN = 0.8
GOOD_FRAMES_PCT = 50.0
# A toe's motion against its foot stays within a toe's width or two, even for a toe lifted high
# in a test that moves the toes. Beyond twice its width the points have left the toes and trace
# the tracker's error: on a still photo filmed with heavy sensor noise the foot's tracked pose
# turned through 359 deg, the toes' points wandered 150 px, and that read as an irregular
# shaking of 11 px. toelab's line.
MAX_TOE_TRAVEL_PER_TOE_WIDTH = 2.0
# A movement found in a video is the foot's only where it is larger than the picture's own
# motion at its rhythm (analysis.picture_motion.camera_shaking_px): on a still foot filmed by a
# camera shaken 1.5 px, the tracking left 0.1-0.6 px of the shake, while toes shaking 1.5 px
# before a camera shaking 2.5 px at 0.5-4 Hz were measured right. toelab's line.
MIN_MOVEMENT_OVER_CAMERA = 1.0
# ... and four times it where the picture itself moved most at the rhythm found: then the camera
# shook at that rhythm, and a floor that shows a camera's shake at a share k of its size leaves
# 1 - k of it in the foot, a movement (1 - k) / k times what the floor shows. A grout line alone
# in front of the toes (FOCUS_itw_000813) read 0.2-0.3 of a 1.5 px shake at 5 Hz, and a still
# foot read "rhythmic, 4.99 Hz" at 2.4-2.8 times it; a floor beside a foot shaking before a still
# camera can show a little of the foot's shake (0.10-0.14 of it on a ribbed mat: 7.1-9.9 times;
# 0.27 with sensor noise at 60 fps, and that shake is withheld).
# The line, 4, stands for a floor that shows a fifth of the camera's shake. toelab's line.
MIN_MOVEMENT_OVER_CAMERA_AT_ITS_RHYTHM = 4.0
# ... and at least this share of the picture's own motion over the band: the tracking's leftover
# of a camera's shake also lies at other rhythms (a camera shaken at 8 Hz left "rhythmic, 9.9 Hz"
# and "13.9 Hz", 0.1-0.2 of the shake, on two still feet), while a foot shaking 1.5 px before a
# camera shaking 1.5 px at another rhythm read 0.59-0.69 of the camera's motion. toelab's line.
MIN_MOVEMENT_OVER_CAMERA_BAND = 0.3
# A shaking's size on a video is given from this many pixels: a video's compression flattens a
# small movement of smooth skin. On videos made from photos of real feet at x264's CRF 23 (about
# what phones store), whole-foot shakes of 1.5 px read 0.59-0.98 of their size (median 0.84), of
# 1.0 px 0.81, of 0.4 px 0.27-0.45, while shakes of 2.5 px read 0.85-1.10 and of 4 px 0.90-1.29
# (benchmarks/video_accuracy.py --shake-px; README, "The size of a small shake"). toelab's line;
# below it the rhythm is still told (its frequency and the part that shakes), only not its size.
SMALLEST_SIZED_PX = 2.0
SIZE_TOO_SMALL = (
    f"the shaking spanned under {SMALLEST_SIZED_PX:g} pixels on the picture, too few to give its size: a "
    "video's compression flattens a movement this small and shows it smaller than it was",
    "bring the camera closer to the foot (about 30 cm) so that its shaking spans more pixels, at the "
    "phone's highest video quality",
)
# a measured test's findings without a frequency, as the history and reports say them
NO_SHAKING_WORDS = "no shaking found"
NO_RHYTHM_WORDS = "no steady rhythm"
_STILL_CAMERA_REDO = "stand the phone still on the floor or a stand (not held in the hand) and film again"


def toe_travel_px(recording: Recording, names: Sequence[str]) -> float | None:
    """How far the named points wander from where they mostly are: the largest, over the points,
    of the 95th percentile of their distance from their median position (px); None with no
    point seen twice. In a tracked front view the points are the toes against their foot."""
    travels = []
    for name in names:
        xy = recording.landmarks[name][:, :2]
        seen = np.isfinite(xy).all(axis=1)
        if seen.sum() >= 2:
            distance = np.hypot(*(xy[seen] - np.median(xy[seen], axis=0)).T)
            travels.append(float(np.percentile(distance, 95)))
    return round(max(travels), 1) if travels else None


def _peak_half_width_hz(duration_s: float) -> float:
    """Two rhythms closer than this (a spectral peak's half width for a recording this long) are
    one."""
    # imported here: the analysis modules import scipy, which a task's words never need
    from toelab.analysis.tremor import recording_half_width_hz

    return recording_half_width_hz(duration_s)


def _needs(figures: Mapping[str, Any]) -> list[Need]:
    """A rate that sees the whole band (``HIGHEST_FREQUENCY_TO_SEE_HZ``) where a movement was
    found; half the frames tracked well (landmarks); on a tracked front view, toes that stay
    within twice a toe's width of where they rest (``MAX_TOE_TRAVEL_PER_TOE_WIDTH``)."""
    needs = []
    if figures.get("dominant_frequency_hz") is not None:
        seen_hz = figures["highest_frequency_seen_hz"]
        needs.append(
            Need(
                "highest_frequency_seen_hz",
                HIGHEST_FREQUENCY_TO_SEE_HZ,
                f"at {2 * seen_hz:.0f} samples a second the recording shows shaking only up to "
                f"{seen_hz:.1f} times a second, and a faster one (the fine shaking everyone has lies at 8 "
                "to 12) shows up at a slower, false rhythm, so the rhythm found may not be the foot's",
                "record at 30 frames (samples) a second or more, "
                f"{LOW_FRAME_RATE_HZ:.0f} at the least, in bright light (in dim light a "
                "phone's camera drops its frame rate)",
            )
        )
    if figures.get("part_rhythm_agrees") is not None:
        # The part named as shaking is read twice: on its own (the toes' centre against the
        # foot, or the foot's shift at the toes), which named it, and in the headline (each
        # toe's own motion, which a single toe's shaking shows in; or the toes' centre on the
        # picture). Both read one shaking, so they give one rhythm; where they do not, neither
        # can be trusted: toes shaking at 6 Hz before a camera shaking at 3.5 Hz (a scanned foot
        # on a ribbed mat) read 5.96 Hz at their centre and "rhythmic, 4.79 Hz" in the headline.
        needs.append(
            Need(
                "part_rhythm_agrees",
                1,
                f"the part that shook read {figures['part_rhythm_hz']:.1f} Hz on its own, but the "
                f"toes' movement read {figures['dominant_frequency_hz']:.1f} Hz: two readings of one "
                "shaking disagree, so neither rhythm can be trusted",
                _STILL_CAMERA_REDO,
            )
        )
    if figures.get("good_frames_pct") is not None:
        needs.append(
            Need(
                "good_frames_pct",
                GOOD_FRAMES_PCT,
                f"the foot was tracked well on only {figures['good_frames_pct']:.0f} % of the frames "
                "(half are needed)",
                "film in bright even light with the camera still and close, the foot in view the whole time",
            )
        )
    if figures.get("toes_followed") is not None:
        needs.append(
            Need(
                "toes_followed",
                1,
                f"the toes' points wandered up to {figures['toe_travel_px']:.0f} pixels from where they "
                f"rest against the foot, more than twice a toe's width ({figures['toe_width_px']:.0f} "
                "pixels), which no shaking does: the tracking lost the toes (heavy noise, motion blur, "
                "dim light, frames the phone repeated or skipped, or a picture that changed)",
                "film again in bright even light with the camera still and close, the foot in view the "
                "whole time",
            )
        )
    # A movement read from the whole foot's motion on the picture (the foot with the toes it
    # carries) is the foot's only where the camera's own motion was taken off it, where the
    # floor in front of the toes was followed (the line the foot's motion is read against the
    # floor at). Else a camera shaking 1.5 px at 8 Hz over a still foot on a plain floor read as
    # "rhythmic, 8.0 Hz, the whole foot".
    from toelab.analysis.shaking_part import MIN_FLOOR_SHARE

    min_floor_pct = 100.0 * MIN_FLOOR_SHARE
    floor_pct = figures.get("floor_followed_pct")
    if floor_pct is not None:
        needs.append(
            Need(
                "floor_followed_pct",
                min_floor_pct,
                "the movement was found in the whole foot's motion on the picture, and the floor in "
                f"front of the toes was followed on only {floor_pct:.0f} % of the "
                f"frames ({min_floor_pct:.0f} % are needed), so a shaking camera cannot be told "
                "from a shaking foot (a plain floor holds nothing to follow, and a camera that jerks "
                "loses it)",
                "stand the phone still on the floor or a stand, with a floor, mat or rug that has some "
                "pattern in front of the toes, and film again",
            )
        )
    # one camera reason at a time: against the picture's own motion only where the floor that
    # gives it was followed, over the band only where the movement passed at its rhythm
    if figures.get("movement_over_camera") is None or (floor_pct is not None and floor_pct < min_floor_pct):
        return needs
    # what is left of the camera's own motion after it is taken off (the floor's, or the foot's
    # on the picture) stays under it: on a still foot filmed by a camera shaken 1.5 px,
    # 0.1-0.6 px at the camera's rhythm (analysis.picture_motion)
    least = MIN_MOVEMENT_OVER_CAMERA
    why = (
        f"the camera itself moved {figures['camera_shaking_px']:.2g} pixels at the rhythm of the "
        f"movement found ({figures['movement_px']:.2g} pixels), so what is left of the camera's "
        "motion cannot be told from a shaking foot"
    )
    if figures.get("camera_shook_at_the_rhythm"):
        least = MIN_MOVEMENT_OVER_CAMERA_AT_ITS_RHYTHM
        if figures["movement_over_camera"] >= MIN_MOVEMENT_OVER_CAMERA:
            why = (
                "the picture itself moved most at the rhythm of the movement found "
                f"({figures['dominant_frequency_hz']:.1f} Hz), {figures['camera_shaking_px']:.2g} pixels, "
                "as a shaking camera moves it (and the floor can show a fraction of a camera's shake), "
                f"and the movement ({figures['movement_px']:.2g} pixels) is under {least:.0f} times that, "
                "so it cannot be told from a shaking camera"
            )
    needs.append(Need("movement_over_camera", least, why, _STILL_CAMERA_REDO))
    if figures["movement_over_camera"] >= least:
        needs.append(
            Need(
                "movement_over_camera_band",
                MIN_MOVEMENT_OVER_CAMERA_BAND,
                f"the camera itself moved {figures['camera_moving_px']:.2g} pixels at the rhythms of "
                f"shaking, more than {1 / MIN_MOVEMENT_OVER_CAMERA_BAND:.0f} times the movement found "
                f"({figures['movement_px']:.2g} pixels), so what is left of the camera's motion cannot be "
                "told from a shaking foot",
                _STILL_CAMERA_REDO,
            )
        )
    return needs


def amplitude_words(value: float | None, unit: str) -> str:
    """A tremor amplitude for people: ``0.42 pixels on the picture``; a size a camera
    cannot tell from its own noise is said so rather than given as ``0.00 px``."""
    if value is None:
        return "—"
    if unit == "px":
        if value < SMALLEST_SEEN_PX:
            return f"too small for the camera to measure (under {SMALLEST_SEEN_PX:g} pixels)"
        return f"{value:.2g} pixels on the picture"
    return f"{value:.2g} {unit}".strip()


def feet_measured(trial: Any) -> list[Side | None]:
    """The feet a stored tremor trial measured: with a size, or a rhythm whose size was withheld."""
    sized = [r.foot for r in trial.results if r.name in ("tremor_amplitude", "tremor_frequency_hz")]
    return list(dict.fromkeys([*sized, *figure_withheld(trial.parameters, "tremor_amplitude")]))


def _sized(part: Mapping[str, Any]) -> dict[str, Any]:
    """One part's figures (``parts``) with a size on the picture too small to give left out."""
    amplitude = part.get("amplitude")
    small = part.get("amplitude_unit") == "px" and amplitude is not None and amplitude < SMALLEST_SIZED_PX
    return {**part, "amplitude": None} if small and part.get("classification") != "none" else dict(part)


# which part shakes in a video (analysis.shaking_part): the value shown and what it means
PART_WORDS = {
    "foot": (
        "the whole foot",
        "the foot shook as a whole and the toes went with it, while the floor stayed still",
    ),
    "toes": (
        "the toes",
        "the toes shook while the rest of the foot stayed still",
    ),
    None: (
        "not told apart",
        "the foot and the toes both moved at this rhythm, and this video does not show which of "
        "them shook. To tell, film again with the phone on a stand, the whole foot in view and "
        "bright, even light",
    ),
}


class TremorTask(Task):
    name = "tremor"
    live_target = False  # a hold, not a lift: no toe to aim at
    step_end_cue = "Relax"
    title = "Tremor test"
    per_foot = False  # the shaking of the whole recording (one sensor, or the feet together)
    report_rank = 3
    uses_context = True
    headline = "Shaking"
    reads_camera_motion = True
    headline_figure = "tremor_amplitude"

    def analyse(self, recording: Recording, foot: str | None, options: AnalysisOptions) -> Any:
        from toelab.analysis.picture_motion import toes_without_the_foot_s_motion
        from toelab.analysis.shaking_part import parts_shaking
        from toelab.analysis.tremor import tremor_from_recording

        # a tracked video holds the foot's own motion and the toes' motion against it: both
        # are analysed and the part that shakes is named (analysis.shaking_part)
        try:
            # the test's own analysis, of each toe's own motion (a camera's motion that the
            # foot's tracking carried into it taken off): its refusals stand
            each_toe = tremor_from_recording(toes_without_the_foot_s_motion(recording))
        except ToelabError as exc:
            # toes too small to follow are the likely cause of points lost on most frames: say so
            width = toe_width_px(recording, foot)
            if width is None or width >= MIN_TOE_WIDTH_PX:
                raise
            raise ToelabError(
                f"{exc.message}: the toes are too small on the picture (about {width:.0f} pixels wide; "
                f"{MIN_TOE_WIDTH_PX:.0f} are needed to follow each toe)",
                exc.path,
                hint="bring the camera closer to the toes (about 30–40 cm), or film at a higher resolution",
            ) from exc
        parts = parts_shaking(recording, each_toe)
        if parts is None:
            return each_toe
        return replace(
            parts.headline,
            shaking_part=parts.part,
            parts={"foot": parts.foot.part_summary(), "toes": parts.toes.part_summary()},
        )

    def assess(
        self, recording: Recording, foot: str | None, options: AnalysisOptions, result: Any
    ) -> Quality:
        nyquist_hz = result.sampling_rate_hz / 2.0
        sensors = any(n.lower().startswith(("acc", "gyro")) for n in recording.signals)
        landmarks = bool(recording.landmarks) and not sensors
        # the points the analysis keeps: a point missing on more than half the frames is left out
        kept = [n for n, xy in recording.landmarks.items() if np.isfinite(xy).all(axis=1).mean() > 0.5]
        shares = [good_share_pct(recording, [name]) for name in kept] if landmarks else []
        dominant = result.dominant_frequency_hz
        figures = {
            "sampling_rate_hz": round(result.sampling_rate_hz, 3),
            "highest_frequency_seen_hz": round(nyquist_hz, 3),
            "duration_s": round(result.duration_s, 3),
            "good_frames_pct": float(np.median(shares)) if shares else (0.0 if landmarks else None),
            "dominant_frequency_hz": dominant,
            "frequency_headroom_hz": None
            if dominant is None
            else round(ALIAS_MARGIN * nyquist_hz - dominant, 3),
            "toe_width_px": toe_width_px(recording, foot) if landmarks else None,
        }
        width, travel = figures["toe_width_px"], toe_travel_px(recording, kept)
        if width is not None and travel is not None:
            figures["toe_travel_px"] = travel
            figures["toes_followed"] = int(travel <= MAX_TOE_TRAVEL_PER_TOE_WIDTH * width)
        from toelab.analysis.shaking_part import floor_followed_pct, read_on_the_picture

        if read_on_the_picture(result) and result.classification != "none":
            # the foot's motion with the toes it carries, against the floor where it was followed
            figures["floor_followed_pct"] = floor_followed_pct(recording)
        if result.classification != "none" and result.amplitude_unit == "px":
            from toelab.analysis.picture_motion import picture_spectra, shaking_in, strongest_rhythm_hz

            # the picture's own motion at the movement's rhythm (over the band for one with none)
            # and over the band
            rhythm_hz = result.dominant_frequency_hz if result.classification == "rhythmic" else None
            spectra = picture_spectra(recording)
            at_rhythm_px, in_band_px = shaking_in(spectra, rhythm_hz), shaking_in(spectra, None)
            if at_rhythm_px is not None and in_band_px is not None:
                movement_px = result.movement_size
                figures["movement_px"] = round(movement_px, 3)
                figures["camera_shaking_px"] = round(at_rhythm_px, 3)
                figures["camera_moving_px"] = round(in_band_px, 3)
                figures["movement_over_camera"] = round(movement_px / max(at_rhythm_px, 1e-9), 2)
                figures["movement_over_camera_band"] = round(movement_px / max(in_band_px, 1e-9), 2)
                camera_hz = strongest_rhythm_hz(spectra)
                figures["camera_rhythm_hz"] = None if camera_hz is None else round(camera_hz, 3)
                if rhythm_hz is not None and camera_hz is not None:
                    same = abs(camera_hz - rhythm_hz) <= _peak_half_width_hz(result.duration_s)
                    figures["camera_shook_at_the_rhythm"] = int(same)
        named = (result.parts or {}).get(result.shaking_part or "")
        if named and named.get("dominant_frequency_hz") is not None and dominant is not None:
            # the part named and the headline read the same shaking: one rhythm (see _needs)
            figures["part_rhythm_hz"] = round(float(named["dominant_frequency_hz"]), 3)
            agrees = abs(figures["part_rhythm_hz"] - dominant) <= _peak_half_width_hz(result.duration_s)
            figures["part_rhythm_agrees"] = int(agrees)
        return judge(figures, [*toe_size_needs(figures), *_needs(figures)])

    # no frequency, size or pattern: nothing to flag, band to name or trend to draw
    withheld_fields: ClassVar[Mapping[str, Any]] = {
        "dominant_frequency_hz": None,
        "amplitude": None,
        "rms_amplitude": None,
        "classification": None,
        "tremor_stability_index": None,
        "typical_band": None,
        "shaking_part": None,
        "parts": None,
    }

    def withhold(self, result: Any) -> Any:
        """The quality gate's withholding, and a size on the picture too small to give withheld
        on its own (:data:`SMALLEST_SIZED_PX`): the rhythm stays."""
        result = super().withhold(result)
        if result.classification in (None, "none") or result.amplitude_unit != "px":
            return result
        parts = result.parts
        if parts is not None:
            parts = {name: _sized(part) for name, part in parts.items()}
        if result.amplitude is None or result.amplitude >= SMALLEST_SIZED_PX:
            return replace(result, parts=parts)
        return replace(
            result, amplitude=None, rms_amplitude=None, parts=parts, size_not_measured=SIZE_TOO_SMALL
        )

    def withheld_parts(self, outcome: TaskOutcome) -> dict[str, dict[str, str]]:
        marks = {}
        for foot, result in outcome.by_foot.items():
            if result.size_not_measured is not None:
                why, redo = result.size_not_measured
                marks[str(foot).lower()] = f"{why} — {redo}"
        return {"tremor_amplitude": marks} if marks else {}

    def figures(self, result: Any, foot: Side | None) -> list[ResultFigure]:
        if result.classification is None:
            return []  # withheld: no figure at all
        figures = []
        if result.amplitude is not None:
            figures.append(
                ResultFigure("tremor_amplitude", float(result.amplitude), result.amplitude_unit, foot)
            )
        # a frequency is a shaking rate only for a rhythm: an irregular movement's strongest
        # frequency is not trended or compared
        if result.dominant_frequency_hz is not None and result.classification == "rhythmic":
            figures.append(
                ResultFigure("tremor_frequency_hz", float(result.dominant_frequency_hz), "Hz", foot)
            )
        if result.tremor_stability_index is not None:
            figures.append(
                ResultFigure("tremor_stability_index_hz", float(result.tremor_stability_index), "Hz", foot)
            )
        return figures

    def results_from_figures(
        self, figures: Sequence[ResultFigure], parameters: Mapping[str, Any]
    ) -> dict[str, Any]:
        named = {r.name: r for r in figures if r.toe is None}

        def value(name: str) -> float | None:
            return named[name].value if name in named else None

        amplitude = named.get("tremor_amplitude")
        return {
            "dominant_frequency_hz": value("tremor_frequency_hz"),
            "amplitude": None if amplitude is None else amplitude.value,
            "amplitude_unit": "" if amplitude is None else amplitude.unit,
            "tremor_stability_index": value("tremor_stability_index_hz"),
            "classification": parameters.get("classification"),
        }

    def stored_results(
        self, figures: Sequence[ResultFigure], parameters: Mapping[str, Any], foot: str | None
    ) -> dict[str, Any]:
        results = super().stored_results(figures, parameters, foot)
        size = figure_withheld(parameters, "tremor_amplitude").get(None if foot in (None, "none") else foot)
        if size and results.get("measured") is not False:
            why, _, redo = size.partition(" — ")
            results |= {
                "amplitude_unit": "px",
                "amplitude_measured": False,
                "amplitude_not_measured_reason": why,
                "amplitude_how_to_redo": redo or None,
            }
        return results

    def trial_parameters(self, outcome: TaskOutcome) -> dict[str, Any]:
        result = next(iter(outcome.by_foot.values()))
        return {"classification": result.classification}

    def found_in_words(self, trial: Any) -> list[tuple[str, str | None, str]]:
        """A measured test that found no shaking, or no steady rhythm, keeps no frequency: its
        words stand in the digest instead, for each foot measured (a withheld test keeps no size)."""
        found = trial.parameters.get("classification")
        words = {"none": NO_SHAKING_WORDS, "irregular": NO_RHYTHM_WORDS}.get(found)
        if words is None:
            return []
        return [("tremor_frequency_hz", foot, words) for foot in feet_measured(trial)]

    def series(self, outcome: TaskOutcome, recording: Recording) -> tuple[np.ndarray, Columns]:
        """The channels the analysis reads (accelerometer, gyroscope or landmark coordinates)."""
        from toelab.analysis.tremor import _pick_channels

        names, values, units = _pick_channels(recording, None)
        columns = {
            (f"{name}_{unit}" if unit else name).replace(".", "_"): column
            for name, column, unit in zip(names, values, units, strict=True)
        }
        return recording.time_s, columns

    def rest_tremor_reading(self, day: date, trial: Any) -> RestTremorReading | None:
        if trial.parameters.get("condition") != "rest" or trial.parameters.get("not_measured"):
            return None
        frequency = trial.figure("tremor_frequency_hz")
        rhythmic = trial.parameters.get("classification") == "rhythmic" and frequency is not None
        return RestTremorReading(day, trial.foot, rhythmic, frequency or 0.0)

    def explain(self, results: Mapping[str, Any], condition: str | None = None) -> list[Explanation]:
        kind = results.get("classification")
        frequency = results.get("dominant_frequency_hz")
        rhythmic = kind == "rhythmic"
        meaning = {
            "rhythmic": "a regular shaking rhythm was found. Shaking while the toes hold or move is common, "
            "for example with tired muscles, caffeine or stress",
            "irregular": "movement was found, but not a regular rhythm "
            "(twitches or restlessness look like this)",
            "none": "no shaking was found beyond the small noise of any measurement",
        }.get(str(kind), "")
        flag = None
        if rhythmic and condition == "rest":
            flag = FLAGS["tremor_at_rest"]
            meaning = (
                "a regular shaking rhythm was found while the foot rested. That is worth a medical opinion"
            )
        rows = [Explanation("Shaking pattern", fmt(kind), meaning, flag=flag)]
        part = results.get("shaking_part")
        # what moved: the part named, or both where no part was named (a sensor, a landmark file,
        # or parts not told apart)
        mover = {"foot": "the foot", "toes": "the toes"}.get(str(part), "the foot and toes")
        if results.get("parts") is not None and (part is not None or rhythmic):
            rows.append(Explanation("Which part shakes", *PART_WORDS[part]))
        if frequency is not None and kind == "irregular":
            # no rhythm: the spectrum's peak is where the movement was strongest, not a rate
            rows.append(
                Explanation(
                    "Strongest frequency",
                    fmt(frequency, "Hz", 2),
                    "where the movement was strongest. It had no regular rhythm, so this is not "
                    f"how many times a second {mover} shook",
                )
            )
        elif frequency is not None:
            words = (
                f"how many times a second {mover} shook. The same range holds many kinds of shaking, "
                "also shaking from tired muscles, caffeine or stress. This number alone does not tell "
                "the cause"
            )
            sources: tuple[str, ...] = ("deuschl1998", "bhatia2018")
            if frequency >= PHYSIOLOGICAL_LOW_HZ:
                words += ". 8 to 12 times a second is the range of the fine shaking everyone has, which "
                words += "tiredness, caffeine and stress can make stronger"
            rows.append(Explanation("Dominant frequency", fmt(frequency, "Hz", 2), words, sources))
        rate = results.get("sampling_rate_hz")
        if rate is not None and rate < LOW_FRAME_RATE_HZ:
            rows.append(
                Explanation(
                    "Frame rate",
                    fmt(rate, "per second"),
                    f"at this frame rate the camera cannot see shaking faster than {rate / 2:.1f} times a "
                    f"second. Use brighter light, or a camera set to 30 frames a second or more",
                    ("shannon1949",),
                )
            )
        unit = results.get("amplitude_unit", "")
        rms = results.get("rms_amplitude")
        size_why = results.get("amplitude_not_measured_reason")
        if size_why:
            redo = results.get("amplitude_how_to_redo")
            size, size_words = "not measured", f"{size_why} — {redo}" if redo else size_why
        elif kind == "none" and not (unit == "px" and rms is not None and rms < SMALLEST_SEEN_PX):
            # no shaking in a movement the camera did see: nothing is too small, nothing to size
            size, size_words = "—", "no shaking was found to give a size for"
        else:
            size = amplitude_words(results.get("amplitude"), unit)
            size_words = f"half the distance {mover} moved to and fro at that frequency. " + (
                "A video's compression can show a shake of a few pixels a little smaller than it was "
                "(on test videos shakes of 2.5 pixels read 0.85 to 1.1 of their size), so compare it "
                "only with your own earlier tests, filmed the same way"
                if unit == "px" and kind != "none"
                else "Compare it with your own earlier tests, taken the same way"
            )
        rows.append(Explanation("Size of the shaking", size, size_words))
        # with no shaking found, the share is one of noise: not a figure about the foot
        fraction = None if kind == "none" else results.get("band_power_fraction")
        rows.append(
            Explanation(
                "Power in 3–12 Hz",
                "—" if fraction is None else fmt(100 * fraction, "%", 0),
                "share of the movement in the 3 to 12 Hz range, where most shaking of the body lies",
                ("deuschl1998",),
            )
        )
        tsi = results.get("tremor_stability_index")
        if tsi is not None:
            rows.append(
                Explanation(
                    "Tremor stability index",
                    fmt(tsi, "Hz", 2),
                    "how much the rhythm changes from one shake to the next; lower is steadier",
                    ("dibiase2017",),
                )
            )
        return rows

    def findings(self, results: Mapping[str, Any], condition: str | None = None) -> Findings:
        if results.get("measured") is False:
            return Findings()
        rhythmic = results.get("classification") == "rhythmic"
        return Findings(tremor_rhythmic=rhythmic, tremor_at_rest=rhythmic and condition == "rest")

    def plots(
        self, stored: Mapping[str | None, Sequence[ResultFigure]], analysed: Mapping[str | None, Any]
    ) -> list[PlotSpec]:
        return [
            PlotSpec(
                "Spectrum of the movement: a tall narrow peak is a regular shaking rhythm.",
                "tremor_spectrum",
                {
                    "frequencies_hz": result.frequencies_hz,
                    "power": result.power,
                    "dominant_hz": result.dominant_frequency_hz,
                    "unit": result.amplitude_unit,
                },
            )
            for result in analysed.values()
            if result.frequencies_hz.size
        ]


TASK = TremorTask()
