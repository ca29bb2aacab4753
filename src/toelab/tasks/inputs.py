"""Any input a user gives (a landmark or sensor file, a folder, a video) as a Recording."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from toelab.errors import ToelabError
from toelab.io import looks_like_video
from toelab.recording import Recording
from toelab.tasks.options import AnalysisOptions


@dataclass
class LoadedInput:
    recording: Recording
    warnings: list[str] = field(default_factory=list)
    is_video: bool = False


def load_input(path: str | Path, options: AnalysisOptions, *, follow_floor: bool = False) -> LoadedInput:
    """Read a landmark/sensor file, or track a video, into a Recording; ``follow_floor`` also
    follows the floor in front of the toes (the camera's own motion, ``track_video``)."""
    path = Path(path)
    if not path.exists():
        raise ToelabError("no such file or folder", path)
    if not path.is_dir():
        from toelab.io._common import require_file

        require_file(path)  # a pipe or a device would block the first read
    if looks_like_video(path):
        from toelab.track.points import load_points
        from toelab.track.video import track_video

        points = load_points(options.points) if options.points else None
        tracked = track_video(path, points, mm_per_px=options.mm_per_px, follow_floor=follow_floor)
        warnings = list(tracked.warnings)
        if tracked.proposal_confidence is not None:
            warnings.append(
                f"toe points were placed automatically (confidence {tracked.proposal_confidence:.0%}); "
                "check them with --overlay, or give --points FILE"
            )
        return LoadedInput(tracked.recording, warnings, is_video=True)
    if options.points is not None:
        raise ToelabError("--points applies to videos only", path)
    from toelab.io import read

    recording = read(
        path, fps=options.fps, time_unit=options.time_unit, mapping=options.mapping_dict, foot=options.foot
    )
    if options.mm_per_px is not None:
        if recording.meta.units != "px":
            raise ToelabError(f"--mm-per-px given but the coordinates are in {recording.meta.units}", path)
        recording = recording.with_meta(mm_per_unit=options.mm_per_px)
    return LoadedInput(recording, list(recording.meta.extra.get("warnings", [])))
