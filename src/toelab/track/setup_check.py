"""The set-up check before a test: is the whole forefoot in view, big enough, lit well enough
and steady?

The page sends the still picture the toe points were set on and a short burst of frames
taken now. The toe points are tracked from the still through the burst with the same
tracker as a live run (:class:`toelab.track.tracker.ToeTracker`), and judged with the same
quality figures the analysis uses: the share of frames on which each toe is tracked at
:data:`toelab.analysis.quality.GOOD_CONFIDENCE` or better
(:func:`toelab.analysis.quality.good_share_pct`), against the isolation task's line
(:data:`toelab.tasks.isolation.TOE_GOOD_FRAMES_PCT`). A foot that left the picture, or moved
since the still, loses its toes' features and fails that need.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from toelab.analysis.quality import MIN_TOE_WIDTH_PX, Need, Quality, good_share_pct, judge
from toelab.errors import ToelabError
from toelab.recording import Recording, RecordingMeta
from toelab.tasks.isolation import TOE_GOOD_FRAMES_PCT
from toelab.track.points import VIEW_POINTS, FootPoints
from toelab.track.tracker import ToeTracker

# a toe's width is taken as a fifth of the foot's width; MIN_TOE_WIDTH_PX is the tracker's line
# Mean brightness (0–255) over the forefoot below which the picture is too dark for the
# tracker's features, and the share of forefoot pixels that may be blown out white.
MIN_BRIGHTNESS = 50.0
MAX_CLIPPED_PCT = 10.0
# The foot as a whole may drift this share of a toe's width over the burst and still count as
# steady: a toe lift moves one toe, a shaking camera or foot moves them all.
STEADY_TOE_WIDTHS = 0.5
STEADY_FRAMES_PCT = 80.0
# A toe found farther than this share of a toe's width from where it was set up is not in
# place: the live run starts its tracking from the set-up points.
IN_PLACE_TOE_WIDTHS = 1.0
# Normalised correlation of the set-up picture's forefoot with the picture now below which the
# foot is not there (a toe lift or a change of light keeps it well above; bare floor is near 0).
MIN_FOREFOOT_MATCH = 0.5
MAX_FRAMES = 12
N_TOES = 5


@dataclass(frozen=True)
class SetupCheck:
    """The figures of a set-up check and what to change; ``ok`` when a test may start."""

    quality: Quality
    toes_lost: tuple[int, ...]  # toe numbers not tracked on enough of the burst
    toe_width_px: float
    brightness: float

    @property
    def ok(self) -> bool:
        return self.quality.measured

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "figures": dict(self.quality.figures),
            "problem": self.quality.reason,
            "change": self.quality.redo,
            "checks": [
                {"figure": need.figure, "passed": need not in self.quality.missed, "why": need.why}
                for need in NEEDS
            ],
            "toes_lost": list(self.toes_lost),
        }


NEEDS = (
    Need(
        "forefoot_match",
        MIN_FOREFOOT_MATCH,
        "your foot is not in the picture: it is out of view or covered",
        "put the foot back where it was in the set-up picture, with all five toes in view, "
        "or set up the camera again",
    ),
    Need(
        "in_view_pct",
        100.0,
        "your whole forefoot is not in the picture",
        "move the camera back or the foot into the middle of the picture until all five toes show",
    ),
    Need(
        "toes_tracked",
        float(N_TOES),
        "not all five toes can be followed where you set them up: the foot is out of the picture or hidden",
        "put the foot back where it was in the set-up picture, or set up the camera again",
    ),
    Need(
        "in_place_pct",
        100.0,
        "the foot has moved since you set up the camera",
        "put the foot back where it was in the set-up picture, or set up the camera again",
    ),
    Need(
        "toe_width_px",
        MIN_TOE_WIDTH_PX,
        "the toes are too small on the picture",
        "bring the camera closer to the toes (about 30–40 cm)",
    ),
    Need(
        "brightness",
        MIN_BRIGHTNESS,
        "the picture is too dark",
        "turn on a light or face a window; avoid a lamp behind the foot",
    ),
    Need(
        "unclipped_pct",
        100.0 - MAX_CLIPPED_PCT,
        "the picture is too bright: the toes are washed out",
        "move out of direct sunlight or turn the lamp away",
    ),
    Need(
        "steady_frames_pct",
        STEADY_FRAMES_PCT,
        "the camera or the foot is moving",
        "rest the phone on the floor against something and keep the foot still",
    ),
)


def _gray(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def _forefoot_box(points: Sequence[FootPoints], size: tuple[int, int], margin_px: float) -> tuple[int, ...]:
    xy = np.vstack([fp.array() for fp in points])
    x0, y0 = np.floor(xy.min(axis=0) - margin_px).astype(int)
    x1, y1 = np.ceil(xy.max(axis=0) + margin_px).astype(int)
    return max(x0, 0), max(y0, 0), min(x1, size[0]), min(y1, size[1])


def _in_view_pct(xy: np.ndarray, size: tuple[int, int], margin_px: float) -> float:
    """Share of toe points ``xy`` (%) whose toe (``margin_px`` round the point) is inside the picture."""
    inside = (
        (xy[:, 0] >= margin_px)
        & (xy[:, 1] >= margin_px)
        & (xy[:, 0] <= size[0] - margin_px)
        & (xy[:, 1] <= size[1] - margin_px)
    )
    return round(100.0 * float(inside.mean()), 1)


def _find_forefoot(still: np.ndarray, now: np.ndarray, box: tuple[int, ...]) -> tuple[float, np.ndarray]:
    """How well the set-up picture's forefoot (``box``) matches its best place in ``now``
    (normalised correlation, -1..1) and how far that place is from where it was (dx, dy px)."""
    x0, y0, x1, y1 = box
    template = still[y0:y1, x0:x1]
    if template.size == 0 or template.std() < 1.0:
        return 0.0, np.zeros(2)
    scores = cv2.matchTemplate(now, template, cv2.TM_CCOEFF_NORMED)
    _, best, _, (x, y) = cv2.minMaxLoc(scores)
    return float(best), np.array([x - x0, y - y0], dtype=float)


def check_setup(
    still: np.ndarray, frames: Sequence[np.ndarray], times_s: Sequence[float], points: Sequence[FootPoints]
) -> SetupCheck:
    """Judge a front-view set-up from the calibration ``still`` and a burst of ``frames``
    taken at ``times_s`` (seconds, increasing), with the toe ``points`` set on the still."""
    if not points or any(fp.view != "front" for fp in points):
        raise ToelabError("the set-up check is for the camera in front of the toes")
    if not 2 <= len(frames) <= MAX_FRAMES or len(times_s) != len(frames):
        raise ToelabError(f"the set-up check needs 2 to {MAX_FRAMES} frames, each with its time")
    still_gray = _gray(still)
    size = (still_gray.shape[1], still_gray.shape[0])
    grays = [_gray(f) for f in frames]
    if any((g.shape[1], g.shape[0]) != size for g in grays):
        raise ToelabError(
            "the camera's picture changed size since the set-up",
            hint="set up the camera again (take a new picture)",
        )
    if np.any(np.diff(times_s) <= 0):
        raise ToelabError("the frame times of the set-up check must increase")
    toe_width_px = min(fp.size_px for fp in points) / N_TOES

    tracker = ToeTracker(list(points), still_gray, 0.0, first_colour=still if still.ndim == 3 else None)
    names = [fp.landmark(p) for fp in points for p in VIEW_POINTS[fp.view]]
    xy = np.full((len(grays), len(names), 2), np.nan)
    confidence = np.zeros((len(grays), len(names)))
    motion_px = np.full((len(grays), len(points), 2), np.nan)
    for i, (gray, t) in enumerate(zip(grays, times_s, strict=True)):
        state = tracker.update(gray, float(t) - float(times_s[0]) + 1.0)
        for j, name in enumerate(names):
            xy[i, j] = state.points[name].xy
            confidence[i, j] = state.points[name].confidence
        for k, fp in enumerate(points):
            dx, dy, _, _ = state.foot_motion.get(fp.foot, (np.nan, np.nan, 0.0, 1.0))
            motion_px[i, k] = (dx, dy)
    recording = Recording(
        np.asarray(times_s, dtype=float),
        {n: xy[:, j] for j, n in enumerate(names)},
        {n: confidence[:, j] for j, n in enumerate(names)},
        {},
        RecordingMeta(fps=None, foot="both" if len(points) > 1 else points[0].foot, view="front"),
    )
    # where the forefoot is now: the set-up picture's forefoot found in the burst's median
    # picture (a lift of one toe does not move it); the tracker's own motion restarts after a
    # jump, so it cannot tell a foot that moved from one that stayed
    box = _forefoot_box(points, size, toe_width_px)
    match, offset = _find_forefoot(still_gray, np.median(np.stack(grays), axis=0).astype(np.uint8), box)
    set_xy = np.vstack([fp.array() for fp in points])
    in_view = _in_view_pct(set_xy + offset, size, toe_width_px / 2)
    in_place = 100.0 if float(np.hypot(*offset)) <= IN_PLACE_TOE_WIDTHS * toe_width_px else 0.0
    coverage = {j: good_share_pct(recording, [n]) for j, n in enumerate(names)}
    lost_rows = [j for j, share in coverage.items() if share < TOE_GOOD_FRAMES_PCT]
    toes_lost = tuple(sorted({int(names[j][-1]) for j in lost_rows}))
    # the burst's foot motion against its first frame: a drift of the whole foot, not a lift
    drift = np.hypot(*np.moveaxis(motion_px - motion_px[:1], -1, 0))
    steady = np.nan_to_num(drift, nan=np.inf).max(axis=1) <= STEADY_TOE_WIDTHS * toe_width_px
    x0, y0, x1, y1 = box
    forefoot = np.stack([g[y0:y1, x0:x1] for g in grays]) if x1 > x0 and y1 > y0 else np.zeros((1, 1, 1))
    brightness = round(float(forefoot.mean()), 1)
    figures: dict[str, Any] = {
        "forefoot_match": round(match, 3),
        "in_view_pct": in_view,
        "in_place_pct": in_place,
        "good_frames_pct_by_toe": {names[j]: share for j, share in coverage.items()},
        "toes_tracked": min(
            N_TOES - len({int(names[j][-1]) for j in lost_rows if names[j].startswith(fp.foot)})
            for fp in points
        ),
        "toe_width_px": round(toe_width_px, 1),
        "brightness": brightness,
        "unclipped_pct": round(100.0 - 100.0 * float((forefoot >= 250).mean()), 1),
        "steady_frames_pct": round(100.0 * float(steady.mean()), 1),
    }
    # with the foot not found, where it went and how the tracker followed it say nothing
    found = match >= MIN_FOREFOOT_MATCH
    if not found:
        figures.update(in_view_pct=None, in_place_pct=None, toes_tracked=None, steady_frames_pct=None)
    needs = NEEDS if found else [n for n in NEEDS if figures[n.figure] is not None or n is NEEDS[0]]
    quality = judge(figures, needs)
    return SetupCheck(quality, toes_lost, toe_width_px, brightness)
