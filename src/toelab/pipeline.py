"""From an input file and a task to results: the one path the CLI and the web app share.

``load_input`` turns any supported file (landmark files, sensor CSVs, C3D, toelab
recordings, videos) into a ``Recording``; ``run_task`` runs one analysis on it, per foot
where the task is per foot, and returns JSON-ready figures plus the result objects.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from toelab.errors import ToelabError
from toelab.recording import Recording

TASKS = ("tremor", "isolation", "rom", "rhythm")
EVENTS = ("peak", "onset")
VIDEO_SUFFIXES = {".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm", ".3gp"}


@dataclass(frozen=True)
class BeatSource:
    """Where the beat times of a rhythm task come from (at most one of these is set)."""

    bpm: float | None = None
    offset_s: float = 0.0
    beats_path: Path | None = None


@dataclass
class LoadedInput:
    recording: Recording
    warnings: list[str] = field(default_factory=list)
    is_video: bool = False


@dataclass
class TaskOutcome:
    task: str
    results: dict[str, Any]
    warnings: list[str]
    by_foot: dict[str | None, Any]  # the analysis result objects, per foot (None = unknown foot)


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


def looks_like_video(path: Path) -> bool:
    """True for common video containers, judged by content with the suffix as a fallback."""
    if path.is_dir():
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError:
        return False
    if head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free"):
        return True  # ISO base media (mp4, mov, 3gp)
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return True  # Matroska / WebM
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return True
    return path.suffix.lower() in VIDEO_SUFFIXES and not head.startswith((b"PK", b"\x89HDF"))


def load_input(
    path: str | Path,
    *,
    fps: float | None = None,
    time_unit: str = "s",
    mapping: Mapping[str, str] | None = None,
    foot: str | None = None,
    points_path: str | Path | None = None,
    mm_per_px: float | None = None,
) -> LoadedInput:
    """Read a landmark/sensor file, or track a video, into a Recording."""
    path = Path(path)
    if not path.exists():
        raise ToelabError("no such file or folder", path)
    if not path.is_dir():
        from toelab.io._common import require_file

        require_file(path)  # a pipe or a device would block the first read
    if looks_like_video(path):
        from toelab.track.points import load_points
        from toelab.track.video import track_video

        points = load_points(points_path) if points_path else None
        tracked = track_video(path, points, mm_per_px=mm_per_px)
        warnings = list(tracked.warnings)
        if tracked.proposal_confidence is not None:
            warnings.append(
                f"toe points were placed automatically (confidence {tracked.proposal_confidence:.0%}); "
                "check them with --overlay, or give --points FILE"
            )
        return LoadedInput(tracked.recording, warnings, is_video=True)
    if points_path is not None:
        raise ToelabError("--points applies to videos only", path)
    from toelab.io import read

    recording = read(path, fps=fps, time_unit=time_unit, mapping=mapping, foot=foot)
    if mm_per_px is not None:
        if recording.meta.units != "px":
            raise ToelabError(f"--mm-per-px given but the coordinates are in {recording.meta.units}", path)
        recording = recording.with_meta(mm_per_unit=mm_per_px)
    return LoadedInput(recording, list(recording.meta.extra.get("warnings", [])))


def lift_events(recording: Recording) -> dict[str, list[float]]:
    """Peak times of every toe's detected lifts, keyed by landmark name (for overlays)."""
    from toelab.analysis.lifts import lifts_from_recording
    from toelab.landmarks import TOES, landmark_key

    events: dict[str, list[float]] = {}
    feet: list[str | None] = list(recording.feet()) or [None]
    for foot in feet:
        if not any(recording.find_landmark(toe, foot) for toe in TOES):
            continue
        for toe, detection in lifts_from_recording(recording, foot=foot).items():
            events[landmark_key(f"toe{toe}", foot)] = [float(t) for t in detection.peak_times_s]
    return events


def write_overlay_video(video_path: Path, recording: Recording, out_path: Path) -> Path:
    """The video with tracked points, per-toe bars and the detected lifts drawn on it."""
    from toelab.track.overlay import write_overlay

    return write_overlay(video_path, recording, out_path, events=lift_events(recording))


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


def beat_times(
    recording: Recording, source: BeatSource, *, input_path: Path | None = None, time_unit: str = "s"
) -> tuple[np.ndarray, str, list[str]]:
    """Beat times in seconds on the recording's clock, where they came from, and any warnings."""
    from toelab.analysis.rhythm import beats_from_bpm

    if source.bpm is not None and source.beats_path is not None:
        raise ToelabError("give either --bpm/--offset or --beats FILE, not both")
    start_s, end_s = float(recording.time_s[0]), float(recording.time_s[-1])
    if source.bpm is not None:
        if not 20 <= source.bpm <= 300:
            raise ToelabError(f"--bpm {source.bpm:g} is outside 20–300 beats per minute")
        times = beats_from_bpm(source.bpm, source.offset_s, start_s, end_s)
        return times, f"metronome at {source.bpm:g} bpm from {source.offset_s:g} s", []
    if source.beats_path is not None:
        from toelab.io import read_beats

        return read_beats(source.beats_path, time_unit=time_unit), f"file {source.beats_path}", []
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


def _each_foot(recording: Recording, analyse: Any, warnings: list[str]) -> dict[str | None, Any]:
    """Run ``analyse(foot)`` on every foot; a foot that lacks the task's points is skipped with a
    warning as long as another foot has them."""
    feet: list[str | None] = list(recording.feet()) or [None]
    by_foot: dict[str | None, Any] = {}
    errors: list[ToelabError] = []
    for foot in feet:
        try:
            by_foot[foot] = analyse(foot)
        except ToelabError as error:
            errors.append(error)
    if not by_foot:
        raise errors[0]
    warnings.extend(f"{error}; that foot was left out" for error in errors)
    return by_foot


def _per_foot(by_foot: dict[str | None, Any]) -> dict[str, Any]:
    """Top-level figures of the first foot, plus every foot under ``feet`` when there are two."""
    dicts = {foot: result.as_dict() for foot, result in by_foot.items()}
    first_foot = next(iter(dicts))
    results = {"foot": first_foot, **dicts[first_foot]}
    if len(dicts) > 1:
        results["feet"] = {str(foot): d for foot, d in dicts.items()}
    return results


def _warnings_of(results: Sequence[Any]) -> list[str]:
    return [w for result in results for w in getattr(result, "warnings", ())]


def check_task(task: str, time_unit: str = "s") -> None:
    """Refuse an unknown task or time unit before any file is read."""
    if task not in TASKS:
        raise ToelabError(f"unknown task {task!r}", hint=f"choose one of {', '.join(TASKS)}")
    if time_unit not in ("s", "ms"):
        raise ToelabError(f"--time-unit {time_unit!r} is not s or ms")


def run_task(
    recording: Recording,
    task: str,
    *,
    beats: BeatSource | None = None,
    toes: tuple[int, ...] = (1,),
    event: str = "peak",
    input_path: Path | None = None,
    time_unit: str = "s",
) -> TaskOutcome:
    """Run one analysis on a recording and gather its JSON figures and warnings."""
    check_task(task)
    if event not in EVENTS:
        raise ToelabError(f"unknown event {event!r}", hint="choose peak or onset")
    warnings: list[str] = []
    if task == "tremor":
        from toelab.analysis.tremor import tremor_from_recording

        result = tremor_from_recording(recording)
        by_foot: dict[str | None, Any] = {recording.meta.foot: result}
        results = result.as_dict()
    elif task == "isolation":
        from toelab.analysis.individuation import individuation_from_recording

        by_foot = _each_foot(recording, lambda f: individuation_from_recording(recording, foot=f), warnings)
        results = _per_foot(by_foot)
    elif task == "rom":
        from toelab.analysis.rom import rom_from_recording

        by_foot = _each_foot(recording, lambda f: rom_from_recording(recording, foot=f), warnings)
        results = _per_foot(by_foot)
    else:
        from toelab.analysis.rhythm import compare_feet, rhythm_from_recording

        times, description, beat_warnings = beat_times(
            recording, beats or BeatSource(), input_path=input_path, time_unit=time_unit
        )
        warnings.extend(beat_warnings)
        by_foot = _each_foot(
            recording,
            lambda f: rhythm_from_recording(recording, times, toes=toes, event=event, foot=f),
            warnings,
        )
        results = _per_foot(by_foot)
        results["beats"] = {"source": description, "count": int(len(times))}
        if set(by_foot) == {"left", "right"}:
            results["left_vs_right"] = compare_feet(by_foot["left"], by_foot["right"])
    warnings.extend(_warnings_of(list(by_foot.values())))
    return TaskOutcome(task, results, warnings, by_foot)
