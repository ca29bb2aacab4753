"""How one analysis is asked for: :class:`AnalysisOptions`, checked in one place.

The command line, ``toelab batch``, the live camera session and a stored trial's parameters
all describe an analysis with this one object.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toelab.errors import ToelabError
from toelab.vocabulary import (
    EVENTS,
    FEET,
    TASK_NAMES,
    TIME_UNITS,
    Event,
    Foot,
    TaskName,
    TimeUnit,
    check_option,
)

# a metronome outside this range is a typing slip, not a tempo toes can follow
BPM_RANGE = (20.0, 300.0)


@dataclass(frozen=True)
class BeatSource:
    """Where the beat times of a rhythm task come from (at most one source is set): a metronome
    tempo, a file of beat times, or the times themselves (a live run, a stored trial). With none,
    a video's own sound track gives them."""

    bpm: float | None = None
    offset_s: float = 0.0
    beats_path: Path | None = None
    times_s: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        if self.bpm is not None and self.beats_path is not None:
            raise ToelabError("give either --bpm/--offset or --beats FILE, not both")
        low, high = BPM_RANGE
        if self.bpm is not None and not low <= self.bpm <= high:
            raise ToelabError(f"--bpm {self.bpm:g} is outside {low:g}–{high:g} beats per minute")


def parse_toes(text: str) -> tuple[int, ...]:
    """``"1"`` → (1,), ``"2-5"`` → (2, 3, 4, 5), ``"1,3"`` → (1, 3)."""
    toes: list[int] = []
    for part in text.replace(" ", "").split(","):
        match = re.fullmatch(r"([1-5])(?:-([1-5]))?", part)
        if not match:
            raise ToelabError(
                f"--toes {text!r} is not a toe or range of toes 1–5", hint="e.g. --toes 1 or 2-5"
            )
        first, last = int(match[1]), int(match[2] or match[1])
        if last < first:
            raise ToelabError(f"--toes {text!r}: the range runs backwards", hint="e.g. --toes 2-5")
        toes.extend(range(first, last + 1))
    return tuple(sorted(set(toes)))


@dataclass(frozen=True)
class AnalysisOptions:
    """Everything that says how a recording is read and analysed, checked when it is made.

    ``mapping`` renames landmarks (``name → toelab name``); ``foot`` is the foot of landmarks
    without one; ``points`` a video's first-frame toe points file; ``mm_per_px`` a pixel scale.
    """

    task: TaskName
    fps: float | None = None
    time_unit: TimeUnit = "s"
    beats: BeatSource = field(default_factory=BeatSource)
    toes: tuple[int, ...] = (1,)
    event: Event = "peak"
    mapping: tuple[tuple[str, str], ...] = ()
    foot: Foot | None = None
    points: Path | None = None
    mm_per_px: float | None = None
    static: Path | None = None  # an Oxford Foot Model static trial (C3D)
    flat_forefoot: bool = False  # the Oxford Foot Model's option of a flat forefoot in the static trial

    def __post_init__(self) -> None:
        check_option(self.task, TASK_NAMES, "task")
        check_option(self.time_unit, TIME_UNITS, "--time-unit")
        check_option(self.event, EVENTS, "--event")
        if self.foot is not None:
            check_option(self.foot, FEET, "--foot")
        if not self.toes or any(not 1 <= t <= 5 for t in self.toes):
            raise ToelabError(f"toes {list(self.toes)} must be toe numbers 1–5")
        if self.fps is not None and not self.fps > 0:
            raise ToelabError(f"--fps {self.fps:g} must be above 0")
        if self.flat_forefoot and self.static is None:
            raise ToelabError(
                "--flat-forefoot is an option of the Oxford Foot Model", hint="add --static FILE"
            )
        if self.mm_per_px is not None and not self.mm_per_px > 0:
            raise ToelabError(f"--mm-per-px {self.mm_per_px:g} must be above 0")

    @property
    def mapping_dict(self) -> dict[str, str]:
        return dict(self.mapping)

    def batch_key(self, file_sha256: Any) -> dict[str, Any]:
        """What makes two analyses of one file the same; files given as options count by content
        (``file_sha256(path)`` hashes them)."""
        return {
            "task": self.task,
            "points_sha256": None if self.points is None else file_sha256(self.points),
            "fps": self.fps,
            "time_unit": self.time_unit,
            "bpm": self.beats.bpm,
            "offset_s": self.beats.offset_s,
            "beats_sha256": None if self.beats.beats_path is None else file_sha256(self.beats.beats_path),
            "toes": list(self.toes),
            "event": self.event,
        }

    @classmethod
    def from_trial(
        cls, task: TaskName, toes: tuple[int, ...], parameters: Mapping[str, Any]
    ) -> AnalysisOptions:
        """The options a stored trial was analysed with, from its kept parameters."""
        beats = parameters.get("beat_times_s")
        return cls(
            task,
            beats=BeatSource(times_s=tuple(float(b) for b in beats)) if beats else BeatSource(),
            toes=tuple(toes) or (1,),
            event=parameters.get("event", "peak"),
        )
