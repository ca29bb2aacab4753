"""Track a whole video file into a ``Recording`` (streaming: memory does not grow with length)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from toelab.errors import ToelabError
from toelab.io.video import open_video
from toelab.recording import Recording, RecordingMeta
from toelab.track.points import FootPoints, foot_label_warning, parse_points, propose_points
from toelab.track.tracker import ToeTracker

# A point whose confidence stays below this on most frames is reported to the user.
_LOW_CONFIDENCE = 0.3
# signals holding the foot's motion from the first frame into each frame
FOOT_MOTION_SIGNALS = (("dx_px", "px"), ("dy_px", "px"), ("rotation_deg", "deg"), ("scale", "1"))


def foot_motion_signals(
    points: Sequence[FootPoints], foot_motion: np.ndarray
) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Each foot's own motion in the image (camera shake plus whole-foot movement) as signals
    ``{foot}_foot_dx_px`` … from ``foot_motion`` ``(n, n_feet, 4)``, and their units."""
    signals: dict[str, np.ndarray] = {}
    units: dict[str, str] = {}
    for f_idx, fp in enumerate(points):
        for k, (quantity, unit) in enumerate(FOOT_MOTION_SIGNALS):
            signals[f"{fp.foot}_foot_{quantity}"] = foot_motion[:, f_idx, k]
            units[f"{fp.foot}_foot_{quantity}"] = unit
    return signals, units


def floor_signals(
    points: Sequence[FootPoints], floor_shift: np.ndarray, followed: Mapping[str, bool]
) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """The floor's shift at each foot's toe centre, the camera's own motion there, as signals
    ``{foot}_floor_dx_px`` / ``_dy_px`` from ``floor_shift`` ``(n, n_feet, 2)``, for the feet
    whose floor was followed (``ToeTracker.floor_followed``)."""
    signals: dict[str, np.ndarray] = {}
    for f_idx, fp in enumerate(points):
        if followed.get(fp.foot):
            for k, axis in enumerate("xy"):
                signals[f"{fp.foot}_floor_d{axis}_px"] = floor_shift[:, f_idx, k]
    return signals, dict.fromkeys(signals, "px")


@dataclass(frozen=True)
class TrackResult:
    recording: Recording
    warnings: list[str]
    proposal_confidence: float | None  # set when the points were proposed automatically


class _Rows:
    """A growing float table (one row per frame) that stays compact for long videos."""

    def __init__(self, width: int):
        self._data = np.empty((1024, width))
        self._n = 0

    def append(self, row: np.ndarray) -> None:
        if self._n == len(self._data):
            self._data = np.concatenate([self._data, np.empty_like(self._data)])
        self._data[self._n] = row
        self._n += 1

    def array(self) -> np.ndarray:
        return self._data[: self._n].copy()


def _check_inside(points: list[FootPoints], width: int, height: int, path: Path) -> list[FootPoints]:
    # named as the points, which the person fixes, on this video's first frame
    return parse_points([p.to_json() for p in points], f"the points for {path.name}", (width, height))


def track_video(
    path: str | Path,
    points: list[FootPoints] | None = None,
    *,
    mm_per_px: float | None = None,
    progress: Callable[[float, float], None] | None = None,
    follow_floor: bool = False,
) -> TrackResult:
    """Track toe points through a video; ``progress(time_s, duration_s)`` is called per frame.

    Without ``points`` they are proposed on the first frame (front view only); a proposal
    that is not confident raises ``ToelabError`` asking for a points file. ``follow_floor``
    also follows the floor in front of the toes (front view): the recording then carries the
    camera's own motion as ``{foot}_floor_dx_px`` / ``_dy_px``.
    """
    path = Path(path)
    reader = open_video(path)
    proposal_confidence = None
    # the first frame in colour: for the proposal, and to tell the toes' skin from the floor
    first_colour = reader.first_frame()
    if points is None:
        proposal = propose_points(first_colour, "front")
        proposal_confidence = proposal.confidence
        if not proposal.ok:
            raise ToelabError(proposal.message, path, hint="pass the toe points with --points FILE")
        points = proposal.points
    frames = reader.frames(gray=True)
    first_grey = next(frames, None)
    if first_grey is None:
        raise ToelabError("the video has no frames", path)
    t0, first = first_grey
    points = _check_inside(points, first.shape[1], first.shape[0], path)
    tracker = ToeTracker(
        points, first, t0, mm_per_px=mm_per_px, first_colour=first_colour, follow_floor=follow_floor
    )
    names = tracker.landmark_names
    n_points, n_feet = len(names), len(points)
    rows = _Rows(1 + 3 * n_points + 6 * n_feet)

    def collect(time_s: float) -> None:
        figures = tracker.measure()
        rows.append(
            np.concatenate(
                (
                    [time_s],
                    figures.xy.ravel(),
                    figures.confidence,
                    figures.foot_motion.ravel(),
                    figures.floor_shift.ravel(),
                )
            )
        )

    collect(t0)
    duration = reader.info.duration_s
    for t, frame in frames:
        tracker.advance(frame)
        collect(t)
        if progress is not None:
            progress(t, duration)
    table = rows.array()
    times = table[:, 0]
    positions = table[:, 1 : 1 + 2 * n_points].reshape(-1, n_points, 2)
    confidence = table[:, 1 + 2 * n_points : 1 + 3 * n_points]
    motion_end = 1 + 3 * n_points + 4 * n_feet
    foot_motion = table[:, 1 + 3 * n_points : motion_end].reshape(-1, n_feet, 4)
    floor_shift = table[:, motion_end:].reshape(-1, n_feet, 2)
    warnings = list(reader.warnings)
    warnings += [line for line in map(foot_label_warning, points) if line is not None]
    for i, name in enumerate(names):
        share = float(np.mean(confidence[:, i] < _LOW_CONFIDENCE))
        if confidence[0, i] < _LOW_CONFIDENCE and share > 0.9:
            # unsure from the first frame on: too little of its own to follow, not lost later
            warnings.append(
                f"{name} had too few features of its own to follow from the first frame on (a small, "
                "smooth or crowded toe): its positions are less sure; film closer, in bright light, "
                "with the toes spread"
            )
        elif share > 0.2:
            warnings.append(
                f"{name} was tracked poorly on {share:.0%} of frames (hidden, blurred or out of view?)"
            )
    foot = points[0].foot if len(points) == 1 else "both"
    meta = RecordingMeta(
        fps=reader.info.fps,
        foot=foot,
        view=points[0].view,
        units="px",
        mm_per_unit=mm_per_px,
        vertical_axis="-y",
        source="video",
        path=str(path),
        extra={
            "foot_width_px": {fp.foot: fp.size_px for fp in points if fp.view == "front"},
            "foot_length_px": {fp.foot: fp.size_px for fp in points if fp.view == "side"},
            "points": [fp.to_json() for fp in points],
            "toes_told_from_floor": tracker.toes_told_from_floor,
            "foot_body_features_on_skin_pct": tracker.body_features_on_skin_pct,
            "foot_body_followed_on_skin_pct": tracker.body_followed_on_skin_pct,
            "motion_compensated": points[0].view == "front",
            "width": reader.info.width,
            "height": reader.info.height,
            "rotation_deg": reader.info.rotation_deg,
        },
    )
    signals, units = foot_motion_signals(points, foot_motion)
    floor, floor_units = floor_signals(points, floor_shift, tracker.floor_followed)
    signals.update(floor)
    meta.signal_units.update(units | floor_units)
    recording = Recording(
        times,
        {n: positions[:, i] for i, n in enumerate(names)},
        {n: confidence[:, i] for i, n in enumerate(names)},
        signals,
        meta,
    )
    return TrackResult(recording, warnings, proposal_confidence)
