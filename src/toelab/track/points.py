"""Where the toes are on the first frame: a points file, or an automatic proposal.

Points file (pixel coordinates on the first frame), one object per foot or a list of them::

    {"view": "front", "foot": "right", "toe1": [x, y], ..., "toe5": [x, y]}
    {"view": "side", "foot": "right", "heel": [x, y], "mtp1": [x, y], "hallux_tip": [x, y]}

The automatic proposal (front view only) segments the foot from the floor with GrabCut and
finds the four notches between the toes along the foot's lower edge; the widest end toe is
the big toe. When that does not give five clear toes it says so instead of guessing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from toelab.errors import ToelabError
from toelab.landmarks import TOES, landmark_key
from toelab.vocabulary import FEET

VIEW_POINTS = {"front": TOES, "side": ("heel", "mtp1", "hallux_tip")}
# Foot width across the forefoot is ~15 % wider than the span between the 1st and 5th
# toe nails (nail centres sit inside the foot's outline).
FOOT_WIDTH_PER_TOE_SPAN = 1.15
MIN_PROPOSAL_CONFIDENCE = 0.5
# below this median brightness (0-255) the toes' edges are lost in sensor noise
_DARK_MEDIAN_LUMA = 40
# a foot narrower than this (px) leaves the toes a few pixels each: too few to tell them apart
_MIN_FOOT_WIDTH_PX = 100
# a blob this share of the picture is something on the floor; a foot takes 3 % or more
_MIN_BLOB_SHARE = 0.002
_RETAKE = "take the picture again"
_TOES_HIDDEN = (
    "five separate toes could not be made out (toes hidden, curled or pressed together, or the "
    "floor too like the skin): click the toe points, or spread the toes on a plain floor and " + _RETAKE
)
_POINTS_HINT = (
    'expected {"view": "front", "foot": "right", "toe1": [x, y], ..., "toe5": [x, y]} or '
    '{"view": "side", "foot": "right", "heel": [x, y], "mtp1": [x, y], "hallux_tip": [x, y]}, '
    "pixels on the first frame; a list of such objects for two feet"
)


@dataclass(frozen=True)
class FootPoints:
    """The tracked points of one foot on the first frame, in pixels."""

    view: str  # "front" or "side"
    foot: str  # "left" or "right"
    points: dict[str, tuple[float, float]]

    def landmark(self, point: str) -> str:
        return landmark_key(point, self.foot)

    def array(self) -> np.ndarray:
        """The points as an ``(n, 2)`` array in ``VIEW_POINTS[view]`` order."""
        return np.array([self.points[p] for p in VIEW_POINTS[self.view]], dtype=float)

    @property
    def size_px(self) -> float:
        """Foot width (front view) or heel-to-MTP length (side view), in pixels."""
        if self.view == "front":
            span = np.hypot(*np.subtract(self.points["toe1"], self.points["toe5"]))
            return float(FOOT_WIDTH_PER_TOE_SPAN * span)
        return float(np.hypot(*np.subtract(self.points["heel"], self.points["mtp1"])))

    def to_json(self) -> dict:
        return {"view": self.view, "foot": self.foot, **{k: list(v) for k, v in self.points.items()}}


@dataclass(frozen=True)
class Proposal:
    """Automatically proposed points, how sure the proposal is (0..1) and what to tell the user."""

    points: list[FootPoints]
    confidence: float
    message: str

    @property
    def ok(self) -> bool:
        return self.confidence >= MIN_PROPOSAL_CONFIDENCE and bool(self.points)


# -- points file ------------------------------------------------------------------------
def _parse_foot(obj: object, where: str | Path, index: int, frame_size: tuple[int, int] | None) -> FootPoints:
    label = f"foot {index + 1}"
    if not isinstance(obj, dict):
        raise ToelabError(f"{label}: expected an object with view, foot and points", where, _POINTS_HINT)
    view = obj.get("view")
    if not isinstance(view, str) or view not in VIEW_POINTS:
        raise ToelabError(f"{label}: view must be 'front' or 'side', not {view!r}", where, _POINTS_HINT)
    foot = obj.get("foot")
    if foot not in FEET:
        raise ToelabError(f"{label}: foot must be 'left' or 'right', not {foot!r}", where, _POINTS_HINT)
    expected = VIEW_POINTS[view]
    missing = [p for p in expected if p not in obj]
    if missing:
        raise ToelabError(f"{label} ({foot}, {view} view): missing {', '.join(missing)}", where, _POINTS_HINT)
    unknown = sorted(set(obj) - set(expected) - {"view", "foot"})
    if unknown:
        raise ToelabError(
            f"{label}: {', '.join(unknown)} do not belong to the {view} view "
            f"(expected {', '.join(expected)})",
            where,
            _POINTS_HINT,
        )
    points: dict[str, tuple[float, float]] = {}
    for name in expected:
        value = obj[name]
        if (
            not isinstance(value, list | tuple)
            or len(value) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
            or not all(np.isfinite(value))
        ):
            raise ToelabError(f"{label}: {name} must be [x, y] in pixels, not {value!r}", where, _POINTS_HINT)
        x, y = float(value[0]), float(value[1])
        if frame_size is not None:
            width, height = frame_size
            if not (0 <= x < width and 0 <= y < height):
                raise ToelabError(
                    f"{label}: {name} at ({x:g}, {y:g}) is outside the {width}x{height} frame",
                    where,
                    hint="points are pixel coordinates on the first frame of the video",
                )
        points[name] = (x, y)
    coords = np.array(list(points.values()))
    if len(np.unique(np.round(coords, 1), axis=0)) < len(coords):
        raise ToelabError(f"{label}: two points are at the same place", where, _POINTS_HINT)
    return FootPoints(view, foot, points)


def foot_label_warning(points: FootPoints) -> str | None:
    """A line when the side view's points lie as the other foot's would: seen from its inner
    side by a camera that does not mirror, a left foot's toes point to the picture's right and
    a right foot's to its left. None where they agree, and for the front view, whose toe order
    also tells a view from above (toes pointing away) from one in front of the toes."""
    if points.view != "side":
        return None
    heel_x, tip_x = points.points["heel"][0], points.points["hallux_tip"][0]
    looks_like = "left" if tip_x > heel_x else "right"
    if looks_like == points.foot:
        return None
    towards = "right" if tip_x > heel_x else "left"
    return (
        f"the points are for the {points.foot} foot, but its toes point to the picture's {towards}, "
        f"as a {looks_like} foot's do seen from its inner side: check which foot this is (or whether "
        f"the camera mirrors the picture); the figures are given for the {points.foot} foot"
    )


def parse_points(
    data: object, where: str | Path = "points", frame_size: tuple[int, int] | None = None
) -> list[FootPoints]:
    """Validate points already loaded from JSON (one foot object or a list of them)."""
    items = data if isinstance(data, list) else [data]
    if not items:
        raise ToelabError("the points file lists no foot", where, _POINTS_HINT)
    feet = [_parse_foot(obj, where, i, frame_size) for i, obj in enumerate(items)]
    labels = [f.foot for f in feet]
    if len(set(labels)) < len(labels):
        raise ToelabError("the same foot is given twice", where, _POINTS_HINT)
    if len({f.view for f in feet}) > 1:
        raise ToelabError("all feet in one video must be in the same view", where, _POINTS_HINT)
    for i, one in enumerate(feet):
        for other in feet[i + 1 :]:
            # one foot's points copied for the other would track one foot twice, as two feet
            shared = [p for p in one.points if np.hypot(*np.subtract(one.points[p], other.points[p])) < 1.0]
            if shared:
                raise ToelabError(
                    f"the {one.foot} and {other.foot} foot have {', '.join(shared)} at the same place: "
                    "each foot needs its own points",
                    where,
                    _POINTS_HINT,
                )
    return feet


def load_points(path: str | Path, frame_size: tuple[int, int] | None = None) -> list[FootPoints]:
    """Read a points JSON file; ``frame_size`` (width, height) checks that points are inside the frame."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ToelabError("points file not found", path) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ToelabError(f"points file is not valid JSON: {exc}", path, _POINTS_HINT) from exc
    return parse_points(data, path, frame_size)


# -- automatic proposal -----------------------------------------------------------------
def _segment_feet(frame: np.ndarray) -> tuple[np.ndarray, float]:
    """Foreground (foot and leg) mask at a working scale, and that scale."""
    height, width = frame.shape[:2]
    scale = min(1.0, 320.0 / width)
    small = cv2.resize(frame, (int(width * scale), int(height * scale)), interpolation=cv2.INTER_AREA)
    if small.ndim == 2:
        small = cv2.cvtColor(small, cv2.COLOR_GRAY2BGR)
    h, w = small.shape[:2]
    # floor model: colours of the bottom strip (floor in front of the toes) and the side strips
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (5, 5), 0), cv2.COLOR_BGR2LAB).astype(np.float32)
    sure_floor = np.zeros((h, w), bool)
    sure_floor[-max(2, int(0.06 * h)) :] = True
    sure_floor[:, : max(2, int(0.03 * w))] = True
    sure_floor[:, -max(2, int(0.03 * w)) :] = True
    samples = lab[sure_floor]
    # a fixed sample of floor colours keeps the proposal repeatable frame to frame
    samples = samples[np.random.default_rng(0).choice(len(samples), min(64, len(samples)), replace=False)]
    distance = np.full((h, w), np.inf, np.float32)
    for colour in samples:
        np.minimum(distance, np.linalg.norm(lab - colour, axis=-1), out=distance)
    threshold = max(1.5 * float(np.percentile(distance[sure_floor], 99)), 8.0)
    # thin lines (tile grout, wood grain) are not a foot: open with a kernel wider than them
    opening = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))
    likely = cv2.morphologyEx((distance > threshold).astype(np.uint8), cv2.MORPH_OPEN, opening)
    mask = np.where(likely > 0, cv2.GC_PR_FGD, cv2.GC_PR_BGD).astype(np.uint8)
    mask[sure_floor] = cv2.GC_BGD
    if not (mask == cv2.GC_PR_FGD).any():
        return np.zeros((h, w), np.uint8), scale
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.setRNGSeed(0)  # GrabCut seeds its colour models from OpenCV's random generator
    # OpenCV's stubs want a rectangle, which the mask mode ignores and takes as None
    cv2.grabCut(small, mask, None, bgd, fgd, 3, cv2.GC_INIT_WITH_MASK)  # type: ignore[call-overload]
    fg: np.ndarray = np.where((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD), 255, 0).astype(np.uint8)
    fg = cv2.morphologyEx(fg, cv2.MORPH_OPEN, opening)
    return fg, scale


def _toes_of_component(component: np.ndarray) -> tuple[np.ndarray, float, str] | None:
    """Five nail points (image-left to right), a plausibility score and the big toe's side."""
    # imported here: scipy.signal takes most of a second to import, and tracking from a
    # points file never needs it
    from scipy.signal import find_peaks

    cols = np.flatnonzero(component.any(axis=0))
    if cols.size < 20:
        return None
    x0, x1 = cols[0], cols[-1] + 1
    sub = component[:, x0:x1] > 0
    bottom = (sub.shape[0] - 1 - np.argmax(sub[::-1], axis=0)).astype(float)
    bottom = np.convolve(bottom, np.ones(3) / 3, mode="same")
    width = float(x1 - x0)
    notches, props = find_peaks(-bottom, prominence=0.02 * width, distance=max(2, int(0.06 * width)))
    if notches.size < 4:
        return None
    strongest = np.sort(notches[np.argsort(props["prominences"])[-4:]])
    prominence = np.sort(props["prominences"])[-4:]
    edges = np.concatenate([[0], strongest, [x1 - x0 - 1]]).astype(float)
    seg_w = np.diff(edges)
    centres = (edges[:-1] + edges[1:]) / 2
    bottoms = np.array([bottom[int(c)] for c in centres])
    # nail centres sit about half a toe width above where the toe meets the floor
    nails = np.column_stack([centres + x0, bottoms - 0.5 * seg_w])
    big_right = seg_w[-1] > seg_w[0]
    ends = np.sort(seg_w)
    size_ratio = max(seg_w[0], seg_w[-1]) / ends[-2] if ends[-1] in (seg_w[0], seg_w[-1]) else 0.0
    score = float(
        np.clip((size_ratio - 1.0) / 0.25, 0, 1)  # the big toe is clearly the widest, at one end
        * np.clip(prominence.min() / np.median(prominence) / 0.4, 0, 1)  # four comparable notches
        * (1.0 if notches.size <= 6 else 0.5)  # not a ragged outline
    )
    return nails, score, "right" if big_right else "left"


def propose_points(frame: np.ndarray, view: str = "front", mirrored: bool = False) -> Proposal:
    """Propose toe points on a front-view frame, with a confidence; never guesses silently.

    The camera is assumed to face the person without mirroring, so the right foot shows its
    big toe on the image's right; pass ``mirrored=True`` for a selfie-style mirrored image.
    """
    if view != "front":
        return Proposal(
            [],
            0.0,
            "the side view needs its points clicked by hand (heel, mtp1 and hallux_tip): "
            "toelab proposes points for the front view only",
        )
    grey = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    if float(np.median(grey)) < _DARK_MEDIAN_LUMA:
        return Proposal(
            [], 0.0, f"the picture is too dark to see the toes: light the feet well and {_RETAKE}"
        )
    fg, scale = _segment_feet(frame)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(fg)
    area_min = 0.03 * fg.size
    order = [
        i for i in np.argsort(stats[1:, cv2.CC_STAT_AREA])[::-1] + 1 if stats[i, cv2.CC_STAT_AREA] >= area_min
    ]
    largest = int(np.argmax(stats[1:, cv2.CC_STAT_AREA])) + 1 if n > 1 else 0
    width_px = float(stats[largest, cv2.CC_STAT_WIDTH]) / scale if largest else 0.0
    blob = largest and stats[largest, cv2.CC_STAT_AREA] >= _MIN_BLOB_SHARE * fg.size
    # a small blob as wide as a foot is a fragment of one the floor swallowed, not a small foot
    if not blob or (not order and width_px >= _MIN_FOOT_WIDTH_PX):
        return Proposal(
            [],
            0.0,
            "no foot could be told apart from the floor (none in the picture, or not where toelab looks "
            "for one: seen from in front at floor level, the toes towards the bottom of the picture "
            "and floor along its edges; a foot seen from above with the leg reaching an edge, or a "
            "floor too busy or too like the skin, is not made out): film from in front with the "
            f"camera on the floor, the bare foot on a plain floor unlike the skin, and {_RETAKE}",
        )
    if width_px < _MIN_FOOT_WIDTH_PX:
        return Proposal(
            [],
            0.0,
            f"only a patch {width_px:.0f} px wide stands out from the floor (the foot too small in "
            "the picture, or the floor too like the skin): move the camera closer so the toes fill "
            f"more of it, on a plain floor unlike the skin, and {_RETAKE}",
        )
    found: list[tuple[np.ndarray, float, str]] = []
    for index in order[:2]:
        toes = _toes_of_component((labels == index).astype(np.uint8))
        if toes is not None:
            found.append(toes)
    if not found:
        return Proposal([], 0.0, _TOES_HIDDEN)
    feet: list[FootPoints] = []
    for nails, _, big_side in found:
        foot = big_side if not mirrored else ("left" if big_side == "right" else "right")
        ordered = nails[::-1] if big_side == "right" else nails  # toe1 (big toe) first
        pts = {f"toe{i + 1}": (float(x / scale), float(y / scale)) for i, (x, y) in enumerate(ordered)}
        feet.append(FootPoints("front", foot, pts))
    if len(feet) == 2 and feet[0].foot == feet[1].foot:
        return Proposal(
            feet,
            0.0,
            "found two feet that both look like the same side — please click the toe points",
        )
    confidence = float(min(score for _, score, _ in found))
    if confidence < MIN_PROPOSAL_CONFIDENCE:
        return Proposal(feet, confidence, _TOES_HIDDEN)
    feet.sort(key=lambda f: f.foot)
    which = "both feet" if len(feet) == 2 else f"the {feet[0].foot} foot"
    return Proposal(feet, confidence, f"found five toes on {which}")
