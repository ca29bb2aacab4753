"""Musical toes: toe lifts in time with a metronome or a song."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from toelab.analysis.quality import Need, Quality, good_share_pct, judge, toe_size_needs, toe_width_px
from toelab.errors import ToelabError
from toelab.protocols.cards import Findings
from toelab.recording import Recording
from toelab.tasks.base import Explanation, PlotSpec, ResultFigure, Task, TaskOutcome, fmt
from toelab.tasks.options import AnalysisOptions, BeatSource
from toelab.tasks.series import Columns, column_prefix, event_column, length_unit
from toelab.vocabulary import Side


def beat_times(
    recording: Recording, source: BeatSource, *, input_path: Path | None = None, time_unit: str = "s"
) -> tuple[np.ndarray, str, list[str]]:
    """Beat times in seconds on the recording's clock, where they came from, and any warnings."""
    from toelab.analysis.rhythm import beats_from_bpm

    if source.times_s is not None:
        return np.asarray(source.times_s, dtype=float), "the beats of the run", []
    start_s, end_s = float(recording.time_s[0]), float(recording.time_s[-1])
    if source.bpm is not None:
        # the offset is the metronome's first beat: none comes before it
        times = beats_from_bpm(source.bpm, source.offset_s, max(start_s, source.offset_s), end_s)
        return times, f"metronome at {source.bpm:g} bpm from {source.offset_s:g} s", []
    if source.beats_path is not None:
        from toelab.io import read_beats

        return read_beats(source.beats_path, time_unit=time_unit), f"file {source.beats_path}", []
    from toelab.io import looks_like_video

    if input_path is not None and looks_like_video(input_path):
        from toelab.analysis.beats import beats_from_audio
        from toelab.io.audio import read_audio

        samples, rate_hz, audio_start_s = read_audio(input_path)
        track = beats_from_audio(samples, rate_hz, audio_start_s)
        description = f"the video's sound track ({track.kind})"
        return np.asarray(track.beat_times_s), description, list(track.warnings)
    raise ToelabError(
        "the rhythm task needs beat times",
        input_path,
        hint="pass --bpm N [--offset S] or --beats FILE, or use a video with the metronome in its sound",
    )


# Timing figures need enough hits: the mean asynchrony's standard error is SD/√n, and with the
# 40–80 ms spread of tapping (Repp 2005) 8 hits leave a 95 % interval of about ±30–55 ms, the
# size of the usual 40 ms anticipation; fewer cannot tell early from late. Under half the beats
# hit, the lifts did not follow the beat and the matched ones may be chance: a lift at a random
# time falls within ±0.4 period of some beat 80 % of the time. Both lines are toelab's.
MIN_HITS = 8
MIN_HIT_SHARE_PCT = 50.0
# Lifts this steady in phase (the circular R of every lift against the beats) that still miss
# most beats are kept at a time of their own, off the beats given: the beat times (tempo, first
# beat) more likely do not match the recording than the person lost the beat. toelab's line; R
# is 0.99-1.00 for lifts on the beat with 10-15 ms of jitter.
STEADY_OFF_BEAT_R = 0.8
GOOD_FRAMES_PCT = 50.0
_REDO_TRACKING = (
    "film the toes from the front, close, in bright even light, with the foot in view the whole time"
)


def _met(hits: Any, beats: Any) -> str:
    """``none of the 21 beats was met``, ``only 3 of 21 beats were met``."""
    return f"none of the {beats} beats was met" if hits == 0 else f"only {hits} of {beats} beats were met"


def _off_beat(figures: Mapping[str, Any]) -> bool:
    """Enough lifts, steady in phase, yet under half the beats met: kept off the beats given."""
    return (
        (figures.get("lifts") or 0) >= MIN_HITS
        and (figures.get("lift_phase_r") or 0.0) >= STEADY_OFF_BEAT_R
        and (figures.get("hit_share_pct") or 0.0) < MIN_HIT_SHARE_PCT
    )


def _needs(figures: Mapping[str, Any]) -> tuple[Need, ...]:
    hits, beats = figures.get("hits"), figures.get("beats")
    tracking = Need(
        "good_frames_pct",
        GOOD_FRAMES_PCT,
        f"the toes were tracked well on only {figures.get('good_frames_pct') or 0:.0f} % of the frames "
        "(half are needed)",
        _REDO_TRACKING,
    )
    lift_on_the_beat = "lift the toes clearly on each beat; a slower tempo is easier"
    if _off_beat(figures):
        offset = figures.get("lift_offset_ms") or 0.0
        when = (
            f"about half a beat ({abs(offset):.0f} ms) off"
            if abs(offset) >= 150.0 / 360.0 * 1000.0 * (figures.get("beat_period_s") or 0.0)
            else f"{abs(offset):.0f} ms {'after' if offset >= 0 else 'before'}"
        )
        return (
            tracking,
            Need(
                "hit_share_pct",
                MIN_HIT_SHARE_PCT,
                f"the {figures.get('lifts')} lifts kept a steady time, but {when} each beat, so "
                f"{_met(hits, beats)} (half are needed)",
                "check that the beat times match the recording (the metronome's tempo and its first "
                "beat), or lift the toes on each beat",
            ),
        )
    return (
        tracking,
        Need(
            "hits",
            MIN_HITS,
            f"{_met(hits, beats)} by a lift ({MIN_HITS} are needed to measure timing)",
            "record longer (at least 20 beats)" if (beats or 0) < 20 else lift_on_the_beat,
        ),
        Need(
            "hit_share_pct",
            MIN_HIT_SHARE_PCT,
            f"the lifts did not follow the beat ({hits} of {beats} met; half are needed)",
            lift_on_the_beat,
        ),
    )


class RhythmTask(Task):
    name = "rhythm"
    step_end_cue = "Stop"
    title = "Musical toes"
    report_rank = 2
    needs_beats = True
    exercise_id = "musical_toes"
    headline = "Timing to the beat"
    headline_figure = "mean_asynchrony_ms"

    def prepare(
        self, recording: Recording, options: AnalysisOptions, input_path: Path | None
    ) -> tuple[AnalysisOptions, dict[str, Any], list[str]]:
        times, description, warnings = beat_times(
            recording, options.beats, input_path=input_path, time_unit=options.time_unit
        )
        resolved = replace(options, beats=BeatSource(times_s=tuple(float(t) for t in times)))
        return resolved, {"beats": {"source": description, "count": int(len(times))}}, warnings

    def analyse(self, recording: Recording, foot: str | None, options: AnalysisOptions) -> Any:
        from toelab.analysis.rhythm import rhythm_from_recording

        if not options.beats.times_s:
            raise ToelabError("the trial kept no beat times")
        return rhythm_from_recording(
            recording, np.asarray(options.beats.times_s), toes=options.toes, event=options.event, foot=foot
        )

    def assess(
        self, recording: Recording, foot: str | None, options: AnalysisOptions, result: Any
    ) -> Quality:
        names = [n for t in options.toes if (n := recording.find_landmark(f"toe{t}", foot)) is not None]
        figures = {
            "good_frames_pct": good_share_pct(recording, names),
            "beats": result.n_beats,
            "hits": result.hits,
            "hit_share_pct": None if not result.n_beats else round(100.0 * result.hits / result.n_beats, 1),
            "toe_width_px": toe_width_px(recording, foot),
            "lifts": result.hits + result.extras,
        }
        if result.circular_r is not None and result.mean_phase_deg is not None and result.beat_period_s:
            # every lift's phase against the beats, not only the met ones': lifts kept off the beat
            figures["lift_phase_r"] = round(result.circular_r, 3)
            figures["lift_offset_ms"] = round(
                result.mean_phase_deg / 360.0 * 1000.0 * result.beat_period_s, 1
            )
        return judge(figures, [*toe_size_needs(figures), *_needs(figures)])

    def measure(self, recording: Recording, foot: str | None, options: AnalysisOptions) -> Any:
        result = super().measure(recording, foot, options)
        if result.quality is not None and not result.quality.measured:
            # the timing is withheld: a caution that it is rough has nothing left to speak of
            result = replace(
                result, warnings=tuple(w for w in result.warnings if "figures are rough" not in w)
            )
        return result

    # the counts stay (they are what the reason speaks of); no timing figure is built
    withheld_fields: ClassVar[Mapping[str, Any]] = {
        "mean_asynchrony_ms": None,
        "sd_asynchrony_ms": None,
        "circular_r": None,
        "mean_phase_deg": None,
        "rayleigh_p": None,
        "inter_lift_interval_cv": None,
        "tempo_ratio": None,
        "asynchronies_ms": np.zeros(0),
    }

    def not_measured(self, results: Mapping[str, Any]) -> list[Explanation]:
        rows = super().not_measured(results)
        if results.get("hits") is not None:
            rows.append(self._counts(results))
        return rows

    @staticmethod
    def _counts(results: Mapping[str, Any]) -> Explanation:
        return Explanation(
            "Hits / misses / extra lifts",
            f"{results.get('hits')} / {results.get('misses')} / {results.get('extras')}",
            "beats met by a lift, beats without one, lifts between beats",
        )

    def compare_feet(self, by_foot: Mapping[str | None, Any]) -> dict[str, Any]:
        from toelab.analysis.rhythm import compare_feet

        if set(by_foot) != {"left", "right"}:
            return {}
        if any(r.quality is not None and not r.quality.measured for r in by_foot.values()):
            return {"left_vs_right": None}  # a foot's timing was withheld: nothing to compare
        return {"left_vs_right": compare_feet(by_foot["left"], by_foot["right"])}

    def figures(self, result: Any, foot: Side | None) -> list[ResultFigure]:
        if result.quality is not None and not result.quality.measured:
            return []  # not even the hit rate: it is what the withheld timing rests on
        named = (
            ("mean_asynchrony_ms", result.mean_asynchrony_ms, "ms"),
            ("sd_asynchrony_ms", result.sd_asynchrony_ms, "ms"),
            ("circular_r", result.circular_r, ""),
            ("hit_rate_pct", None if result.hit_rate is None else 100.0 * result.hit_rate, "%"),
        )
        return [
            ResultFigure(name, float(value), unit, foot) for name, value, unit in named if value is not None
        ]

    def results_from_figures(
        self, figures: Sequence[ResultFigure], parameters: Mapping[str, Any]
    ) -> dict[str, Any]:
        named = {r.name: r.value for r in figures if r.toe is None}
        return {
            "mean_asynchrony_ms": named.get("mean_asynchrony_ms"),
            "sd_asynchrony_ms": named.get("sd_asynchrony_ms"),
            "circular_r": named.get("circular_r"),
        }

    def trial_parameters(self, outcome: TaskOutcome) -> dict[str, Any]:
        options = outcome.options
        if options is None:
            return {}
        parameters: dict[str, Any] = {}
        if options.beats.times_s is not None:
            parameters["beat_times_s"] = [round(float(t), 6) for t in options.beats.times_s]
        parameters["event"] = options.event
        return parameters

    def stored_toes(self, options: AnalysisOptions) -> tuple[int, ...]:
        return options.toes

    def unused_landmarks(self, recording: Recording, options: AnalysisOptions) -> set[str]:
        """Every toe but the ones that lift to the beat (``--toes``)."""
        feet: list[str | None] = [*recording.feet()] or [None]
        used = {
            name
            for foot in feet
            for toe in options.toes
            if (name := recording.find_landmark(f"toe{toe}", foot)) is not None
        }
        return set(recording.landmarks) - used

    def series(self, outcome: TaskOutcome, recording: Recording) -> tuple[np.ndarray, Columns]:
        """The lifting toes' height, each detected lift, and each beat."""
        from toelab.analysis.lifts import detect_lifts, least_noise_floor, toe_heights

        options = outcome.options or AnalysisOptions(self.name)
        columns: Columns = {}
        time_s = recording.time_s
        for foot in outcome.by_foot:
            time_s, heights = toe_heights(recording, foot, toes=options.toes, rest_at_zero=False)
            signal = np.mean([heights[t] for t in options.toes], axis=0)
            detection = detect_lifts(time_s, signal, least_noise=least_noise_floor(recording))
            lift_s = detection.peak_times_s if options.event == "peak" else detection.onset_times_s
            columns[f"{column_prefix(foot)}lift_{length_unit(recording)}"] = signal
            columns[f"{column_prefix(foot)}lift_event"] = event_column(time_s, lift_s)
        columns["beat_event"] = event_column(time_s, options.beats.times_s or ())
        return time_s, columns

    def explain(self, results: Mapping[str, Any], condition: str | None = None) -> list[Explanation]:
        mean_ms = results.get("mean_asynchrony_ms")
        if mean_ms is None:
            timing = "no lifts matched the beats"
        else:
            when = "before" if mean_ms < 0 else "after"
            timing = (
                f"lifts come {when} the beat on average "
                "(people tapping a finger are most often about 40 ms early)"
            )
        return [
            Explanation("Mean asynchrony", fmt(mean_ms, "ms"), timing, ("repp2005",)),
            Explanation(
                "Asynchrony spread (SD)",
                fmt(results.get("sd_asynchrony_ms"), "ms"),
                "how steady the timing is; about 40 ms is common for finger tapping. Toes are slower, "
                "so more is common",
                ("repp2005",),
            ),
            self._counts(results),
            Explanation(
                "Consistency R",
                fmt(results.get("circular_r"), digits=2),
                "1 = every lift at the same point of the beat, 0 = no relation to the beat",
            ),
        ]

    def findings(self, results: Mapping[str, Any], condition: str | None = None) -> Findings:
        return Findings()

    def plots(
        self, stored: Mapping[str | None, Sequence[ResultFigure]], analysed: Mapping[str | None, Any]
    ) -> list[PlotSpec]:
        spread = {foot: r.asynchronies_ms for foot, r in analysed.items() if r.asynchronies_ms.size}
        if not spread:
            return []
        return [
            PlotSpec(
                "When each lift came relative to its beat: a narrow pile near zero is steady timing.",
                "asynchrony_histogram",
                {"asynchronies_by_foot": spread},
            )
        ]


TASK = RhythmTask()
