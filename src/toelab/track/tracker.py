"""Frame-by-frame toe tracking: the same object serves a file and a live camera.

Each toe (front view) or the hallux (side view) is a small region of good features
(Shi-Tomasi corners) followed with pyramidal Lucas-Kanade optical flow and a
forward-backward check (Kalal et al. 2010, "Forward-backward error"), re-seeded when too
few survive. Features on the foot behind the toes (front: the dorsum; side: the foot body
between heel and MTP joint) give the foot's own motion (a turn and a shift, fitted with
RANSAC; in the side view also a scale, then the body's picture is aligned as a turn and a
shift), so camera shake and whole-foot motion are removed: a
toe's displacement is relative to its foot. In the front view the foot's size on the picture
is kept: fitted from the small patch behind the toes, a scale wandered by 1-5 % on noisy or
drifting video (against 0.1 % true), which at the toes reads as 1-2 px of slow movement; a
camera that stands, as the tests ask, does not change it, and a hand-held one changes it
slowly (the lift detector's rest level follows that).
Displacements are reported in pixels of the first frame, as a fraction of foot width
(scale-free) and in millimetres when a scale is known.

Frame-to-frame flow alone drifts: every re-seeded feature inherits the error of the
estimate at the moment it was added, and on dark, noisy or flickering video features are
lost and re-seeded often, so the errors add up like a random walk (several pixels within
ten seconds). Each frame the estimate is therefore refined against the first frame: the
features first found on the foot and on each toe are matched from the first frame straight
into the current one, starting from where the frame-to-frame estimate puts them, and the
foot's transform and each toe's shift are taken from those matches when enough of them
agree with the frame-to-frame estimate ("drift correction" against the first template,
Matthews, Ishikawa & Baker 2004, IEEE TPAMI 26:810). In the side view the foot body is also
aligned as a whole with its first-frame picture, outline against the floor included (its
features are few on smooth skin), and the hallux is a rigid segment turning about the MTP
joint: its turn is the one under which its first-frame look matches the frame best, searched
near the last frame's turn (a hidden toe is looked for over its whole arc, with a stricter
line for a match far from where it was last seen).

For the tremor test (``follow_floor``) the floor in front of the toes is followed as well, its
first-frame features matched straight into each frame: its shift at the toes' centre is the
camera's own motion (``FrameArrays.floor_shift``), against which the foot's shaking is read
(``toelab.analysis.shaking_part``), so that the three motions stay apart: the camera against
the scene, the foot against the camera's picture, each toe against its foot.

Where colour tells the foot's skin from the floor (``toe_regions``), each toe's features are
looked for on its own skin only, not on the floor beyond its tip or beside it, nor on a
neighbour. A narrow toe, whose skin fills little of its box (a little toe, or toes seen from
further away), is followed by matching its own first-frame pixels, masked to its skin, on the
frame warped back into the foot's first-frame pixels: a busy floor's corners outnumber its own
features, and flow windows larger than the toe follow the floor instead of the toe.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from toelab.analysis.rom import hallux_extension_deg
from toelab.errors import ToelabError
from toelab.track.points import VIEW_POINTS, FootPoints
from toelab.track.toe_regions import SkinModel, skin_model

_LK_WINDOW = (11, 11)
_LK_LEVELS = 2
_LK_CRITERIA = (cv2.TERM_CRITERIA_COUNT | cv2.TERM_CRITERIA_EPS, 10, 0.01)
# flow that refines a predicted position (matching first-frame features into a later frame):
# the prediction already holds this frame's motion, and a match further from it than
# _REFERENCE_GATE_PX is dropped anyway, so the full-resolution level alone is searched
# (a third of the work of the three-level pyramid)
_FB_MAX_PX = 0.5  # forward-backward disagreement above which a feature is dropped
_RESEED_FRACTION = 0.6  # re-seed a region when fewer than this share of its features remain
_MIN_FEATURES = 3
# share of a region's first-frame features that must match for the drift correction to be used
_REFERENCE_MIN_SHARE = 0.3
# a first-frame match further than this from the frame-to-frame estimate is taken as a mismatch
# (floor seen in a toe's box, a neighbouring toe): one frame's flow error is far below it
_REFERENCE_GATE_PX = 1.5
# the floor in front of the toes (front view), where the camera's own motion is read: a band from
# this far beyond the toe points (a share of the foot's width; the tips reach about a tenth)
# across the foot's width and half as much again on each side
_FLOOR_BAND = (-0.75, 0.75, -0.7, -0.2)
_FLOOR_FEATURES = 40
_FLOOR_MARGIN_PX = 24  # room around the floor's features in its crop
# the floor's motion is used where at least this many of its first-frame features, and this
# share of them, match and agree with the fitted turn and shift within 1 px
_FLOOR_MIN_AGREE = 8
_FLOOR_MIN_SHARE = 0.3
# A floor whose features hold almost no pattern cannot show the camera's motion: matched from
# where the last frame put them, they stay there, and a shaking camera reads as a still floor
# (and its shake as the foot's). The texture: the median over the floor's features of the least
# eigenvalue of the image's structure tensor (gradients in grey levels per pixel, averaged over
# 15 x 15 px). On photo-based videos with the camera shaken 1.5 px at six headings: white boards
# (FOUND_itw_3) 0.1, the floor read 0.01-0.52 of the shake and a still foot read "rhythmic" at the
# camera's 8 and 5 Hz; a plain cream floor 0.0-0.1 (not followed anyway); grey laminate 0.2-0.3,
# read 0.86-1.0 at four headings and 0.53-0.58 at two; smooth tiles with a grout line 1.4-1.7,
# wood, stone, metal, mosaic and a ribbed mat 2.4-120, read 0.77-1.08 but along the grout line.
# toelab's line: below it the floor is not followed.
_FLOOR_MIN_TEXTURE = 0.5
_FLOOR_TEXTURE_WINDOW = 15
# The hallux's look: the first frame's pixels along the top of the big toe. The hallux's turn
# about the MTP joint is the one whose carried look correlates best with the frame; below this
# line at the best turn the toe is not where any turn puts it (hidden, out of the picture) and
# the tip is not measured on that frame. Measured on photo-based videos: a followed toe keeps
# 0.72-0.98 (least at 70 deg, where its skin folds at the joint); a hidden or blurred one
# reaches 0.70-0.71 at best, a pose left behind by a lifting toe 0.35-0.65.
_HALLUX_LOOK_MIN_NCC = 0.7
# where the look's band lies along the toe, as shares of the joint-to-tip length
_HALLUX_BAND_ALONG = (0.2, 0.9)
# the line for the best of the turns far from the last one found, where the toe may come back
# after being hidden: the best of ~140 turns of an unrelated picture can pass 0.7 by chance
# (a blurred or hidden toe reached 0.70-0.71 on photo-based videos); a toe found again near
# its first pose matches 0.9 or more
_HALLUX_REFIND_MIN_NCC = 0.85
# the hallux's turn is searched this far either side of the last frame's (deg): a brisk toe
# raise (60 deg in a fifth of a second) turns 10 deg a frame at 30 fps
_HALLUX_SEARCH_DEG = 12.0
# a lost hallux is looked for over every turn from the first frame's pose up to this (deg):
# more than a big toe's whole arc, from flexed to the ~65-75 deg of extension a normal toe
# reaches (Root, Orien & Weed 1977), whatever its pose on the first frame
_HALLUX_TURN_RANGE_DEG = 140.0
# the side view's foot body alignment: iterations and step at which it stops, and the
# correlation below which its result is not used (aligned bodies correlate 0.93-0.999 on
# drawn and photo-based videos)
_ECC_CRITERIA = (cv2.TERM_CRITERIA_COUNT | cv2.TERM_CRITERIA_EPS, 30, 1e-4)
_BODY_LOOK_MIN_ECC = 0.8
# below this spread (grey levels) a look (the big toe's top, a narrow toe's pixels) has too
# little texture to be matched
_LOOK_MIN_SD = 2.0
# room around the tracked features for motion between two frames and the flow window
_CROP_MARGIN_PX = 64
# room around the first-frame matches: they start at their predicted position and move less than
# _REFERENCE_GATE_PX from it, so the flow window and a little more suffice (the flow's cost
# includes filtering the whole crop, so a tight crop is much faster)
_REFERENCE_MARGIN_PX = 16
# a toe whose skin fills less than this share of its box is narrow: the floor in its box would
# outvote it, so it is followed by matching its own pixels (see _Toes.match_looks)
NARROW_SKIN_SHARE = 0.6
_MIN_LOOK_PIXELS = 12
# how far (px, first-frame pixels of the foot) a narrow toe is looked for around its last match
_LOOK_SEARCH_PX = 4
# a match whose remaining RMS difference exceeds this share of the look's own contrast is lost
_LOOK_MAX_RMS_SHARE = 0.6
# a toe whose skin holds fewer features than this on the first frame adds its outline's
_MIN_OWN_FEATURES = 2 * _MIN_FEATURES
# the pixels the corner measure of a feature reads (``blockSize`` of ``_find_features``)
_CORNER_BLOCK = 5
_CORNER_BLOCK_KERNEL = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (_CORNER_BLOCK, _CORNER_BLOCK))
# a toe's outline: the pixels up to this far outside its skin
_OUTLINE_KERNEL = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))


def _guided_flow(
    before: np.ndarray, after: np.ndarray, points: np.ndarray, guess: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Lucas–Kanade flow of ``points`` from ``before`` to ``after``, starting at ``guess`` and on
    the full-resolution image only: the found points and their status (1 = found)."""
    found, status, _ = cv2.calcOpticalFlowPyrLK(
        before,
        after,
        points,
        guess,
        winSize=_LK_WINDOW,
        maxLevel=0,
        criteria=_LK_CRITERIA,
        flags=cv2.OPTFLOW_USE_INITIAL_FLOW,
    )
    return found, status


@dataclass(frozen=True)
class PointState:
    """One tracked point on one frame."""

    name: str  # landmark name, e.g. right_toe1
    xy: tuple[float, float]  # position in first-frame pixels (NaN when lost)
    displacement_px: tuple[float, float]  # (dx, dy) relative to the foot since the first frame
    lift: float  # upward displacement / foot width (front view; 0 for side-view points)
    lift_mm: float | None  # upward displacement in mm when a scale is known
    confidence: float  # 0..1: share of features kept, lowered by forward-backward error
    n_features: int


@dataclass(frozen=True)
class FrameState:
    """All tracked points on one frame, plus the hallux angle per foot in the side view."""

    time_s: float
    points: dict[str, PointState]
    hallux_angle_deg: dict[str, float]
    foot_confidence: dict[str, float]
    # per foot: (dx_px, dy_px, rotation_deg, scale) of the foot's first-frame pixels into this frame
    foot_motion: dict[str, tuple[float, float, float, float]]
    # per foot (front view): the floor's shift at the toes' centre, the camera's motion (NaN: not told)
    floor_shift: dict[str, tuple[float, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class FrameArrays:
    """The figures of one frame as arrays, one row per point in ``ToeTracker.landmark_names`` order."""

    xy: np.ndarray  # (n, 2) as PointState.xy
    displacement_px: np.ndarray  # (n, 2)
    confidence: np.ndarray  # (n,)
    n_features: np.ndarray  # (n,)
    hallux_angle_deg: dict[str, float]
    foot_confidence: dict[str, float]
    foot_motion: np.ndarray  # (n_feet, 4): dx_px, dy_px, rotation_deg, scale
    # (n_feet, 2): the floor's shift at each foot's toe centre since the first frame (the
    # camera's motion there); NaN where it could not be told, and in the side view
    floor_shift: np.ndarray


def _median(values: np.ndarray) -> float:
    """Median of a short 1-D array (np.median's overhead dominates at this size)."""
    ordered = np.sort(values)
    n = ordered.size
    return float(ordered[n // 2] if n % 2 else 0.5 * (ordered[n // 2 - 1] + ordered[n // 2]))


def _median_xy(values: np.ndarray) -> np.ndarray:
    """Per-column median of a short (n, 2) array, with one sort."""
    ordered = np.sort(values, axis=0)
    n = len(ordered)
    return ordered[n // 2] if n % 2 else 0.5 * (ordered[n // 2 - 1] + ordered[n // 2])


def _lengths(vectors: np.ndarray) -> np.ndarray:
    """Length of each row of an (n, 2) array (or an (n, 1, 2) one)."""
    flat = vectors.reshape(-1, 2)
    return np.hypot(flat[:, 0], flat[:, 1])


def _lengths3(vectors: np.ndarray) -> np.ndarray:
    """Length of each (x, y) in a (rows, n, 2) array."""
    return np.hypot(vectors[..., 0], vectors[..., 1])


def _fit_similarity(src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """The similarity transform (rotation, uniform scale, shift) taking ``src`` onto ``dst``
    (RANSAC, Fischler & Bolles 1981, then refined on the points that agree within 1 px) and
    which points agree; None when there is no fit."""
    m, inliers = cv2.estimateAffinePartial2D(src, dst, method=cv2.RANSAC, ransacReprojThreshold=1.0)
    if m is None:
        return None, np.zeros(len(src), bool)
    return m, inliers.ravel() == 1


def _fit_rigid(src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """As ``_fit_similarity``, with the scale kept at 1: the turn and shift that best take the
    agreeing points of ``src`` onto ``dst``. In the plane the least-squares turn does not depend
    on the scale (Umeyama 1991, IEEE TPAMI 13:376), so it is the similarity's; the shift keeps
    where the similarity takes the agreeing points' centroid (onto theirs)."""
    m, agree = _fit_similarity(src, dst)
    if m is None or not agree.any():
        return m, agree
    turn = m[:, :2] / np.hypot(m[0, 0], m[1, 0])
    centre = src[agree].mean(axis=0)
    return np.hstack([turn, (m[:, :2] @ centre + m[:, 2] - turn @ centre)[:, None]]), agree


def _affine_inverse(m: np.ndarray) -> np.ndarray:
    return cv2.invertAffineTransform(m)


def _apply(m: np.ndarray, pts: np.ndarray) -> np.ndarray:
    return pts @ m[:, :2].T + m[:, 2]


def _masked_median(values: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Median along axis 1 of ``(rows, n)`` or ``(rows, n, 2)`` values over the entries that
    ``valid`` ``(rows, n)`` marks (column by column); NaN for a row with none."""
    mask = valid if values.ndim == 2 else valid[..., None]
    ordered = np.sort(np.where(mask, values, np.inf), axis=1)
    n = valid.sum(axis=1)
    rows = np.arange(len(n))
    median = 0.5 * (ordered[rows, np.maximum((n - 1) // 2, 0)] + ordered[rows, n // 2])
    median[n == 0] = np.nan
    return median


def _translation(shift: np.ndarray) -> np.ndarray:
    return np.array([[1.0, 0, shift[0]], [0, 1.0, shift[1]]])


def _find_features(
    gray: np.ndarray,
    outline: np.ndarray,
    existing: np.ndarray,
    want: int,
    min_distance: float,
    allowed: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray | None:
    """Up to ``want`` good features (Shi-Tomasi) inside ``outline`` (image pixels), at least
    ``min_distance`` from each other and from the ``existing`` ones; None when there are none.

    ``allowed`` (mask, image -> mask transform) narrows the search to the mask's non-zero pixels."""
    x0, y0 = np.floor(outline.min(axis=0)).astype(int)
    x1, y1 = np.ceil(outline.max(axis=0)).astype(int) + 1
    x0, y0 = max(x0, 0), max(y0, 0)
    x1, y1 = min(x1, gray.shape[1]), min(y1, gray.shape[0])
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    cv2.fillConvexPoly(mask, np.round(outline - (x0, y0)).astype(np.int32), 255)
    if allowed is not None:
        region, to_region = allowed
        # each pixel of the search window looked up in the mask (nearest pixel)
        window_to_region = _compose(to_region, _translation(np.array([x0, y0], float)))
        mask &= cv2.warpAffine(
            region,
            window_to_region,
            (x1 - x0, y1 - y0),
            flags=cv2.INTER_NEAREST | cv2.WARP_INVERSE_MAP,
            borderValue=0,
        )
    for point in existing:
        cv2.circle(mask, (int(point[0] - x0), int(point[1] - y0)), int(min_distance), 0, -1)
    found = cv2.goodFeaturesToTrack(
        gray[y0:y1, x0:x1], want, 0.005, min_distance, mask=mask, blockSize=_CORNER_BLOCK
    )
    if found is None:
        return None
    return found.reshape(-1, 2) + (x0, y0)


def _sample(gray: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """Grey values at points ``xy`` (n, 2), bilinear; 0 outside the picture."""
    xy = np.asarray(xy, np.float32)
    return (
        cv2.remap(gray, xy[:, 0].reshape(-1, 1), xy[:, 1].reshape(-1, 1), cv2.INTER_LINEAR, borderValue=0)
        .ravel()
        .astype(float)
    )


def _standardised(values: np.ndarray) -> np.ndarray | None:
    """Zero mean, unit spread (for a correlation); None when there is too little texture."""
    spread = float(values.std())
    if spread < _LOOK_MIN_SD:
        return None
    return (values - values.mean()) / spread


def _turn_scores(foot: _Foot, gray: np.ndarray, turns_deg: np.ndarray) -> np.ndarray:
    """Correlation of the hallux's first-frame look with this frame, for each turn about the
    MTP joint (deg, in foot coordinates); -1 where the band has too little texture."""
    assert foot.hallux_band is not None and foot.hallux_look is not None
    mtp0 = foot.first_points[1]
    radians = np.radians(turns_deg)
    c, s = np.cos(radians)[:, None], np.sin(radians)[:, None]
    offset = foot.hallux_band - mtp0
    turned = np.stack([c * offset[:, 0] - s * offset[:, 1], s * offset[:, 0] + c * offset[:, 1]], axis=-1)
    in_image = _apply(foot.to_image, turned + mtp0).astype(np.float32)  # (turns, band, 2)
    values = cv2.remap(gray, in_image[..., 0], in_image[..., 1], cv2.INTER_LINEAR, borderValue=0).astype(
        float
    )
    values -= values.mean(axis=1, keepdims=True)
    spread = values.std(axis=1)
    scores = values @ foot.hallux_look / (len(foot.hallux_look) * np.maximum(spread, 1e-9))
    return np.where(spread < _LOOK_MIN_SD, -1.0, scores)


def _even(picture: np.ndarray) -> np.ndarray:
    """The picture less its last row and column where their count is odd, so that halving it
    scales it by exactly one half (an odd size halved is scaled by a little more, and the foot
    body aligned on it sat 0.6 px off on a still picture)."""
    return picture[: picture.shape[0] // 2 * 2, : picture.shape[1] // 2 * 2]


def _half(gray: np.ndarray) -> np.ndarray:
    return cv2.resize(gray, (gray.shape[1] // 2, gray.shape[0] // 2), interpolation=cv2.INTER_AREA)


def _cut_body_look(gray: np.ndarray, outline: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The first frame's pixels in the bounding box of ``outline``, at half size (float32, for
    ``cv2.findTransformECC``), and the box's top-left corner; None when it leaves the picture."""
    x0, y0 = np.floor(outline.min(axis=0)).astype(int)
    x1, y1 = np.ceil(outline.max(axis=0)).astype(int)
    x0, y0 = max(int(x0), 0), max(int(y0), 0)
    x1, y1 = min(int(x1), gray.shape[1]), min(int(y1), gray.shape[0])
    if x1 - x0 < 16 or y1 - y0 < 16:
        return None
    small = _half(_even(gray[y0:y1, x0:x1]))
    return small.astype(np.float32), np.array([x0, y0], float)


def _aligned_body(
    body_look: tuple[np.ndarray, np.ndarray], small: np.ndarray, start: np.ndarray
) -> np.ndarray | None:
    """The side view's foot body transform (first-frame pixels -> image) under which its look
    matches ``small`` (the frame at half size), aligned from ``start``; None where it does not
    converge or correlates below ``_BODY_LOOK_MIN_ECC``."""
    look, offset = body_look
    # the look's half-size pixels -> the frame's half-size pixels
    warp = _compose(
        np.array([[0.5, 0, 0], [0, 0.5, 0]]),
        _compose(start, np.array([[2.0, 0, offset[0]], [0, 2.0, offset[1]]])),
    )
    try:
        # no smoothing before the alignment (the last argument): the look is already half size
        match, warp = cv2.findTransformECC(  # type: ignore[call-overload]
            look, small, warp.astype(np.float32), cv2.MOTION_EUCLIDEAN, _ECC_CRITERIA, None, 1
        )
    except cv2.error:
        return None  # no convergence
    if match < _BODY_LOOK_MIN_ECC:
        return None
    return _compose(
        np.array([[2.0, 0, 0], [0, 2.0, 0]]),
        _compose(warp.astype(float), np.array([[0.5, 0, -offset[0] / 2], [0, 0.5, -offset[1] / 2]])),
    )


def _tip_confidence(foot: _Foot, from_features: float) -> float:
    """The hallux tip's confidence: the correlation of its look at the turn found on this frame,
    0 where it was not found; the features' confidence where there is no look to match."""
    if foot.hallux_match is None:
        return from_features
    return foot.hallux_match if foot.hallux_frames_lost == 0 else 0.0


def _feature_confidence(count: np.ndarray | int, target: int, fb_median: np.ndarray | float) -> np.ndarray:
    """0..1 per patch: the share of its features still tracked, lowered by their median
    forward-backward error (0 at twice the error at which a feature is dropped)."""
    return np.minimum(1.0, np.divide(count, target)) * np.maximum(
        0.0, 1.0 - np.divide(fb_median, _FB_MAX_PX) / 2
    )


class _Region:
    """Features on one rigid patch; ``local`` maps the patch's first-frame coordinates into the foot's."""

    def __init__(self, polygon: np.ndarray, target: int, min_distance: float):
        self.polygon = polygon  # first-frame foot coordinates
        self.target = target
        self.min_distance = min_distance
        self.local = np.array([[1.0, 0, 0], [0, 1.0, 0]])
        self.anchors = np.zeros((0, 2), np.float32)  # feature positions in the patch's own coordinates
        self.pts = np.zeros((0, 2), np.float32)  # current image positions
        self.fb_error = np.zeros(0, np.float32)
        self.ok = True
        # median motion of the features from the last frame into this one (predicts the first-frame matches)
        self.flow_shift = np.zeros(2)
        # the features found on the first frame, in the patch's own coordinates (drift correction)
        self.reference = np.zeros((0, 2), np.float32)

    def seed(self, gray: np.ndarray, to_image: np.ndarray) -> None:
        """Add features found inside the region's current outline in the image."""
        want = self.target - len(self.pts)
        if want <= 0:
            return
        found = _find_features(gray, _apply(to_image, self.polygon), self.pts, want, self.min_distance)
        if found is None:
            return
        # anchors: where the new features were in the patch's first-frame coordinates
        anchors = _apply(_affine_inverse(to_image), found)
        self.pts = np.vstack([self.pts, found]).astype(np.float32)
        self.anchors = np.vstack([self.anchors, anchors]).astype(np.float32)
        self.fb_error = np.concatenate([self.fb_error, np.zeros(len(found), np.float32)])

    def keep(self, selected: np.ndarray) -> None:
        self.pts, self.anchors, self.fb_error = (
            self.pts[selected],
            self.anchors[selected],
            self.fb_error[selected],
        )

    @property
    def confidence(self) -> float:
        if not self.ok or len(self.pts) < _MIN_FEATURES:
            return 0.0
        return float(_feature_confidence(len(self.pts), self.target, _median(self.fb_error)))


def _enough(region: _Region, n_matched: int) -> bool:
    """Whether enough of a region's first-frame features matched to correct its estimate."""
    return n_matched >= max(_MIN_FEATURES, _REFERENCE_MIN_SHARE * len(region.reference))


class _Toes:
    """The toe patches of one foot in the front view, updated together.

    Each toe moves by a plain shift against its foot, so the five are kept in fixed-size
    arrays (one row per toe, one slot per feature, ``valid`` marking the slots in use) and
    every step is done for all of them at once. The steps are those of a single patch: the
    toe's shift is the median motion of its features against the foot after dropping those
    that do not move with it, then corrected from its first-frame features matched into the
    frame."""

    def __init__(self, names: list[str], polygons: np.ndarray, min_distances: np.ndarray, target: int):
        n = len(names)
        self.names = names
        self.polygons = polygons  # (n, 4, 2) first-frame foot coordinates
        self.min_distances = min_distances
        self.target = target
        self.shift = np.zeros((n, 2))  # each toe's shift against the foot since the first frame (px)
        self.pts = np.zeros((n, target, 2))  # current image positions
        self.anchors = np.zeros((n, target, 2), np.float32)  # positions in the toe's own coordinates
        self.fb_error = np.zeros((n, target), np.float32)
        self.valid = np.zeros((n, target), bool)
        self.ok = np.ones(n, bool)
        self.flow_shift = np.zeros((n, 2))  # median motion from the last frame into this one
        # the features found on the first frame (drift correction), flat, with their toe and slot
        self.reference = np.zeros((0, 2), np.float32)
        self.reference_toe = np.zeros(0, int)
        self.reference_slot = np.zeros(0, int)
        self.reference_count = np.zeros(n, int)
        # each toe's own pixels (first-frame mask, first frame -> mask transform), where colour
        # tells skin from floor; None: the whole box
        self.regions: list[tuple[np.ndarray, np.ndarray] | None] = [None] * n
        self.outlines: list[tuple[np.ndarray, np.ndarray] | None] = [None] * n
        # a narrow toe (its box mostly floor) is followed by matching its own first-frame pixels:
        # (mask, top-left corner in first-frame pixels) of its skin; the look, cut from the
        # first frame, and the shift of its last match
        self.narrow: list[tuple[np.ndarray, np.ndarray] | None] = [None] * n
        self.looks: list[np.ndarray | None] = [None] * n
        self.look_shift = np.zeros((n, 2))

    def find_regions(self, model: SkinModel) -> None:
        """Each toe's own pixels on the first frame (``toe_regions``): inside its skin, and, for
        a toe whose skin shows too few features, its skin with its outline."""
        corners = self.polygons.reshape(-1, 2)
        x0, y0 = np.floor(corners.min(axis=0)).astype(int) - 2
        x1, y1 = np.ceil(corners.max(axis=0)).astype(int) + 3
        labels = model.toe_labels((x0, y0, x1, y1))
        to_region = _translation(np.array([-x0, -y0], float))
        for toe in range(len(self.names)):
            own = labels == toe
            self.regions[toe] = (_inside(own), to_region)
            self.outlines[toe] = (_with_outline(own), to_region)
            box = np.zeros(own.shape, np.uint8)
            cv2.fillConvexPoly(box, np.round(self.polygons[toe] - (x0, y0)).astype(np.int32), 1)
            in_box = own & (box > 0)
            if np.count_nonzero(in_box) < NARROW_SKIN_SHARE * np.count_nonzero(box):
                # the toe's own pixels: its skin in its box, off its border by a pixel (the
                # border blends with the floor)
                skin = cv2.erode(in_box.astype(np.uint8), np.ones((3, 3), np.uint8))
                rows, cols = np.nonzero(skin)
                if len(rows) >= _MIN_LOOK_PIXELS:
                    r0, r1, c0, c1 = rows.min(), rows.max() + 1, cols.min(), cols.max() + 1
                    self.narrow[toe] = (skin[r0:r1, c0:c1] * 255, np.array([x0 + c0, y0 + r0], float))

    def cut_looks(self, gray: np.ndarray) -> None:
        """The narrow toes' first-frame looks (the first frame, brightness-normalised)."""
        for toe, narrow in enumerate(self.narrow):
            if narrow is not None:
                mask, corner = narrow
                h, w = mask.shape
                look = gray[int(corner[1]) : int(corner[1]) + h, int(corner[0]) : int(corner[0]) + w]
                if look.shape == mask.shape:
                    self.looks[toe] = look
                else:
                    self.narrow[toe] = None  # at the picture's edge

    def match_looks(self, gray: np.ndarray, foot_to_image: np.ndarray) -> None:
        """Each narrow toe's shift from its first-frame look, matched (over its own pixels only)
        within ``_LOOK_SEARCH_PX`` of its last match on the frame warped back into the foot's
        first-frame pixels; a toe whose look is not found there is marked lost."""
        for toe, narrow in enumerate(self.narrow):
            look = self.looks[toe]
            if narrow is None or look is None:
                continue
            mask, corner = narrow
            h, w = mask.shape
            reach = _LOOK_SEARCH_PX
            start = corner + self.look_shift[toe] - reach
            # the patch: foot first-frame pixels from ``start`` on, sampled from this frame
            patch = cv2.warpAffine(
                gray,
                _compose(foot_to_image, _translation(start)),
                (w + 2 * reach, h + 2 * reach),
                flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                borderMode=cv2.BORDER_REPLICATE,
            )
            scores = cv2.matchTemplate(patch, look, cv2.TM_SQDIFF, mask=mask)
            _, _, (bx, by), _ = cv2.minMaxLoc(scores)
            offset = np.array([bx, by], float) + _parabola_peak(scores, bx, by) - reach
            found = self.look_shift[toe] + offset
            # how well it matched: the remaining difference against the look's own contrast
            n = float(np.count_nonzero(mask))
            rms = np.sqrt(max(float(scores[by, bx]), 0.0) / n)
            contrast = float(np.std(look[mask > 0]))
            if contrast < _LOOK_MIN_SD or rms > _LOOK_MAX_RMS_SHARE * contrast:
                self.ok[toe] = False
                continue
            self.look_shift[toe] = found
            self.shift[toe] = found
            self.ok[toe] = True

    def seed(self, toe: int, gray: np.ndarray, foot_to_image: np.ndarray) -> None:
        """Fill the toe's free slots with features found inside its current outline."""
        free = np.flatnonzero(~self.valid[toe])
        if not len(free):
            return
        to_image = _compose(foot_to_image, _translation(self.shift[toe]))
        found = _find_features(
            gray,
            _apply(to_image, self.polygons[toe]),
            self.pts[toe][self.valid[toe]],
            len(free),
            self.min_distances[toe],
            self._allowed(toe, to_image),
        )
        if found is None:
            return
        slots = free[: len(found)]
        self.pts[toe, slots] = found
        self.anchors[toe, slots] = _apply(_affine_inverse(to_image), found)
        self.fb_error[toe, slots] = 0.0
        self.valid[toe, slots] = True

    def _allowed(self, toe: int, to_image: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """The toe's own pixels and the image -> mask transform, for a toe at ``to_image``."""
        region = self.regions[toe]
        if region is None:
            return None
        own, first_to_region = region
        return own, _compose(first_to_region, _affine_inverse(to_image))

    def keep_first_frame_features(self) -> None:
        self.reference_toe, self.reference_slot = np.nonzero(self.valid)
        self.reference = self.anchors[self.valid].copy()
        self.reference_count = self.valid.sum(axis=1)

    def current(self) -> np.ndarray:
        return self.pts[self.valid]

    def take_flow(self, nxt: np.ndarray, flow: np.ndarray, fb: np.ndarray, good: np.ndarray) -> None:
        """Move the features by their frame-to-frame flow (given for the valid slots in order)."""
        valid = self.valid
        self.pts[valid] = nxt
        self.fb_error[valid] = fb
        kept = valid.copy()
        kept[valid] = good
        moved = np.zeros(self.pts.shape)
        moved[valid] = flow
        shift = _masked_median(moved, kept)
        self.flow_shift = np.where(np.isnan(shift), 0.0, shift)
        self.valid = kept

    def predicted_reference(self, foot_to_image: np.ndarray) -> np.ndarray:
        """Where the first-frame features should be now: the last estimate moved on by this frame's flow."""
        toe = self.reference_toe
        a = foot_to_image[:, :2]
        offset = self.shift @ a.T + foot_to_image[:, 2]  # each toe's translation in the image
        return self.reference @ a.T + offset[toe] + self.flow_shift[toe]

    def follow_foot(self, to_foot: np.ndarray) -> None:
        """Each toe's shift against the foot from its frame-to-frame features."""
        valid = self.valid
        enough = valid.sum(axis=1) >= _MIN_FEATURES
        moved = _apply(to_foot, self.pts.astype(float)) - self.anchors
        shift = _masked_median(moved, valid)
        residual = _lengths3(moved - shift[:, None])
        # drop features that do not move with the toe (floor or neighbour seen in the box)
        spread = 1.4826 * _masked_median(residual, valid)
        kept = valid & (residual <= np.maximum(1.0, 3.0 * spread)[:, None])
        # a toe with too few features keeps its last shift and is marked lost
        self.valid = np.where(enough[:, None], kept, valid)
        self.shift = np.where(enough[:, None], shift, self.shift)
        self.ok = enough & (self.valid.sum(axis=1) >= _MIN_FEATURES)

    def correct(self, to_foot: np.ndarray, found: np.ndarray, good: np.ndarray) -> None:
        """Each toe's shift from its first-frame matches (``found`` in the image, ``good`` passed the
        forward-backward check) that agree with the frame-to-frame shift."""
        if not len(self.reference):
            return
        moved_flat = _apply(to_foot, found.astype(float)) - self.reference
        predicted = self.shift
        near_flat = good & (_lengths(moved_flat - predicted[self.reference_toe]) < _REFERENCE_GATE_PX)
        moved = np.zeros(self.pts.shape)
        near = np.zeros(self.valid.shape, bool)
        moved[self.reference_toe, self.reference_slot] = moved_flat
        near[self.reference_toe, self.reference_slot] = near_flat
        enough = near.sum(axis=1) >= np.maximum(_MIN_FEATURES, _REFERENCE_MIN_SHARE * self.reference_count)
        # the median shift after dropping matches that do not move with the rest
        first = _masked_median(moved, near)
        residual = _lengths3(moved - first[:, None])
        limit = np.maximum(1.0, 3.0 * 1.4826 * _masked_median(residual, near))
        agree = near & (residual <= limit[:, None])
        enough &= agree.sum(axis=1) >= _MIN_FEATURES
        shift = _masked_median(moved, agree)
        # keep each frame-to-frame feature's own offset from the toe; move them all by the correction
        corrected = (self.anchors + predicted[:, None] - shift[:, None]).astype(np.float32)
        self.anchors = np.where(enough[:, None, None], corrected, self.anchors)
        self.shift = np.where(enough[:, None], shift, self.shift)
        self.ok = self.ok | enough

    def confidence(self) -> np.ndarray:
        """Per toe, 0..1: share of features kept, lowered by forward-backward error."""
        count = self.valid.sum(axis=1)
        out = _feature_confidence(count, self.target, _masked_median(self.fb_error, self.valid).astype(float))
        out[~self.ok | (count < _MIN_FEATURES)] = 0.0
        return out


def _parabola_peak(scores: np.ndarray, bx: int, by: int) -> np.ndarray:
    """Sub-pixel offset of the lowest score at (bx, by) from a parabola through it and its
    neighbours along each axis (0 at the edge of ``scores``)."""
    out = np.zeros(2)
    for axis, (line, at) in enumerate(((scores[by, :], bx), (scores[:, bx], by))):
        if 0 < at < len(line) - 1:
            lo, mid, hi = (float(v) for v in line[at - 1 : at + 2])
            curve = lo - 2 * mid + hi
            if curve > 0:
                out[axis] = 0.5 * (lo - hi) / curve
    return out


def _inside(mask: np.ndarray) -> np.ndarray:
    """A mask (0/255) kept off its border by the corner measure's reach, so a busy floor's
    strong corners next to it neither pass as its own nor set the bar for its own."""
    return cv2.erode(np.where(mask, 255, 0).astype(np.uint8), _CORNER_BLOCK_KERNEL)


def _with_outline(mask: np.ndarray) -> np.ndarray:
    """A mask (0/255) with its outline: corners where the toe's edge meets the floor."""
    return cv2.dilate(np.where(mask, 255, 0).astype(np.uint8), _OUTLINE_KERNEL)


def _compose(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The 2x3 transform a after b."""
    out = a[:, :2] @ b
    out[:, 2] += a[:, 2]
    return out


def _box(
    centre: np.ndarray, along: np.ndarray, up: np.ndarray, a0: float, a1: float, u0: float, u1: float
) -> np.ndarray:
    """Quadrilateral spanning [a0, a1] along ``along`` and [u0, u1] along ``up`` from ``centre``."""
    return np.array([centre + along * a + up * u for a, u in ((a0, u0), (a1, u0), (a1, u1), (a0, u1))], float)


class _Floor:
    """The floor in front of one foot's toes, followed from the first frame: where it moves in
    the picture the camera moved (a hand-held phone, a knocked stand), and the foot's own motion
    is read against it. Its first-frame features are matched straight into each frame from
    where the last frame's fit puts them, so the estimate does not drift; a frame where too few
    match and agree (the floor covered, blurred, or out of the picture) has no floor shift."""

    def __init__(self, gray: np.ndarray, band: np.ndarray, centre: np.ndarray):
        found = _find_features(gray, band, np.zeros((0, 2)), _FLOOR_FEATURES, 6.0)
        if found is not None and _texture(gray, found) < _FLOOR_MIN_TEXTURE:
            found = None  # too plain to show the camera's motion
        self.reference = np.zeros((0, 2), np.float32) if found is None else found.astype(np.float32)
        self.centre = centre
        self.to_image = np.array([[1.0, 0, 0], [0, 1.0, 0]])  # first-frame floor -> this frame
        self.shift = np.zeros(2) if self.followed else np.full(2, np.nan)
        # followed at half size on a crop around its features, forward only (a feature that went
        # astray disagrees with the fit, which keeps those within 1 px): the floor then costs
        # little beside the foot and toes
        self._box = (0, 0, 0, 0)
        self._middle = self.reference.mean(axis=0) if len(self.reference) else np.zeros(2)
        self._first: np.ndarray | None = None
        if self.followed:
            x0, y0 = np.maximum(np.floor(self.reference.min(axis=0)).astype(int) - _FLOOR_MARGIN_PX, 0)
            x1, y1 = np.ceil(self.reference.max(axis=0)).astype(int) + _FLOOR_MARGIN_PX
            x1, y1 = min(int(x1), gray.shape[1]), min(int(y1), gray.shape[0])
            # an even size, so that both crops halve alike
            x1, y1 = x0 + (x1 - x0) // 2 * 2, y0 + (y1 - y0) // 2 * 2
            self._box = (int(x0), int(y0), int(x1), int(y1))
            self._first = _half(gray[y0:y1, x0:x1])

    @property
    def followed(self) -> bool:
        return len(self.reference) >= _FLOOR_MIN_AGREE

    def update(self, gray: np.ndarray) -> None:
        """Match the floor's first-frame features into ``gray``; ``shift`` is then the floor's
        shift (px) at the toes' centre, NaN where it could not be told."""
        if self._first is None:
            return
        self.shift = np.full(2, np.nan)
        predicted = _apply(self.to_image, self.reference)
        # the crop of this frame moved on by the whole pixels the floor has moved
        dx, dy = np.round(_apply(self.to_image, self._middle[None])[0] - self._middle).astype(int)
        x0, y0, x1, y1 = self._box
        # (past the picture's edge its last pixels repeat: features there disagree with the fit)
        centre = (x0 + dx + (x1 - x0 - 1) / 2, y0 + dy + (y1 - y0 - 1) / 2)
        now = _half(cv2.getRectSubPix(gray, (x1 - x0, y1 - y0), centre))
        start = ((self.reference - (x0, y0)) / 2).reshape(-1, 1, 2).astype(np.float32)
        guess = ((predicted - (x0 + dx, y0 + dy)) / 2).reshape(-1, 1, 2).astype(np.float32)
        found, status = _guided_flow(self._first, now, start, guess)
        good = status.ravel() == 1
        if good.sum() < _FLOOR_MIN_AGREE:
            return
        seen = found.reshape(-1, 2)[good] * 2 + (x0 + dx, y0 + dy)
        m, agree = _rigid_agreeing(self.reference[good], seen)
        if agree.sum() < max(_FLOOR_MIN_AGREE, _FLOOR_MIN_SHARE * len(self.reference)):
            return
        self.to_image = m
        self.shift = _apply(m, self.centre[None])[0] - self.centre


def _texture(gray: np.ndarray, points: np.ndarray) -> float:
    """How much pattern the picture holds at ``points`` in its weakest direction: the median
    least eigenvalue of the structure tensor there (see ``_FLOOR_MIN_TEXTURE``). In numpy, not
    OpenCV's filters: their thread pool hangs a child forked after it started (``toelab.limits``)."""
    half = _FLOOR_TEXTURE_WINDOW // 2
    picture = gray.astype(np.float32)
    least = []
    for x, y in np.round(points).astype(int):
        patch = picture[max(y - half - 1, 0) : y + half + 2, max(x - half - 1, 0) : x + half + 2]
        if patch.shape[0] < 3 or patch.shape[1] < 3:
            least.append(0.0)
            continue
        # Sobel's gradients (3 x 3), in grey levels per pixel
        rows = patch[:-2] + 2 * patch[1:-1] + patch[2:]
        cols = patch[:, :-2] + 2 * patch[:, 1:-1] + patch[:, 2:]
        gx, gy = (rows[:, 2:] - rows[:, :-2]) / 8.0, (cols[2:] - cols[:-2]) / 8.0
        a, b, c = float(np.mean(gx * gx)), float(np.mean(gx * gy)), float(np.mean(gy * gy))
        least.append((a + c) / 2 - float(np.sqrt(((a - c) / 2) ** 2 + b**2)))
    return float(np.median(least)) if least else 0.0


def _rigid_lsq(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """The least-squares turn and shift taking ``src`` onto ``dst`` (Umeyama 1991, IEEE TPAMI
    13:376, with the scale kept at 1)."""
    cs, cd = src.mean(axis=0), dst.mean(axis=0)
    h = (src - cs).T @ (dst - cd)
    angle = np.arctan2(h[0, 1] - h[1, 0], h[0, 0] + h[1, 1])
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    return np.hstack([turn, (cd - turn @ cs)[:, None]])


def _rigid_agreeing(src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A turn and shift fitted to the points that agree with it within 1 px: fitted to all, then
    to those nearest the fit (the better half, and any within 1 px), then to those within 1 px.
    Cheaper than RANSAC where most points agree, as on a floor, and as sure there."""
    m = _rigid_lsq(src, dst)
    residual = _lengths(_apply(m, src) - dst)
    near = residual <= max(1.0, float(np.median(residual)))
    if near.sum() >= 3:
        m = _rigid_lsq(src[near], dst[near])
    agree = _lengths(_apply(m, src) - dst) <= 1.0
    if agree.sum() >= 3:
        m = _rigid_lsq(src[agree], dst[agree])
    return m, agree


class _Foot:
    def __init__(self, points: FootPoints, mm_per_px: float | None):
        self.points = points
        self.mm_per_px = mm_per_px
        self.size_px = points.size_px
        self.to_image = np.array([[1.0, 0, 0], [0, 1.0, 0]])  # foot coordinates (first frame) -> image
        # the foot body and, in the side view, the hallux; the front view's toes are in ``toes``
        self.regions: dict[str, _Region] = {}
        self.toes: _Toes | None = None
        # front view: whether colour told the toes' skin from the floor (each toe then followed
        # on its own skin; otherwise on a plain box that may take in the floor and a neighbour)
        self.toes_told_from_floor = False
        # front view, where colour told skin from floor: the share (%) of the foot body's
        # first-frame features that lie on skin (the rest are on the floor and move with it)
        self.body_features_on_skin_pct: float | None = None
        # which of the foot body's first-frame features lie on skin, and how many frames had
        # each whole-percent share of those its motion was fitted to on skin (a count per
        # percent, so that a long video or live session keeps a fixed size;
        # ``body_followed_on_skin_pct``)
        self.body_reference_on_skin: np.ndarray | None = None
        self.body_fit_on_skin_frames = np.zeros(101, np.int64)
        self.skin: SkinModel | None = None
        self.hallux_band: np.ndarray | None = None  # side view: (n, 2) first-frame pixels
        self.body_outline: np.ndarray | None = None  # side view: quadrilateral, first-frame pixels
        # front view: the floor in front of the toes (first-frame pixels) and, once the first
        # frame is seen, its follower
        self.floor_band: np.ndarray | None = None
        self.toe_centre: np.ndarray | None = None
        self.floor: _Floor | None = None
        # side view: the first frame's pixels around the body's outline (half size), their
        # offset in the first frame
        self.body_look: tuple[np.ndarray, np.ndarray] | None = None
        self.body_aligned = True  # side view: the body's picture matched this frame
        self.body_aligned_to: np.ndarray | None = None  # the transform it last matched under
        self.hallux_look: np.ndarray | None = None  # their standardised first-frame values
        # the hallux's turn about the MTP joint on the last frame it was found (deg), and how well
        # its look matched on this frame (None: no look to match, the features' pose is used)
        self.hallux_turn_deg = 0.0
        self.hallux_match: float | None = None
        self.hallux_frames_lost = 0  # frames since the hallux was last found
        p = {k: np.asarray(v, float) for k, v in points.points.items()}
        # the points on the first frame, in VIEW_POINTS order
        self.first_points = np.array([p[name] for name in VIEW_POINTS[points.view]])
        if points.view == "front":
            along = p["toe1"] - p["toe5"]
            along /= np.linalg.norm(along)
            up = np.array([along[1], -along[0]])
            if up[1] > 0:
                up = -up
            width = self.size_px
            centre = (p["toe1"] + p["toe5"]) / 2
            self.regions["foot"] = _Region(
                _box(centre, along, up, -0.3 * width, 0.3 * width, 0.3 * width, 0.75 * width),
                40,
                4.0,
            )
            nails = self.first_points
            boxes, min_distances, gaps = [], [], []
            for i in range(len(nails)):
                others = np.delete(nails, i, axis=0)
                spacing = float(np.min(np.linalg.norm(others - nails[i], axis=1)))
                gaps.append(spacing)
                half = 0.4 * spacing
                boxes.append(_box(nails[i], along, up, -half, half, -0.35 * spacing, 0.45 * spacing))
                min_distances.append(max(2.0, spacing / 12))
            self.toes = _Toes(list(VIEW_POINTS["front"]), np.array(boxes), np.array(min_distances), 16)
            self.floor_band = _box(centre, along, up, *(k * width for k in _FLOOR_BAND))
            self.toe_centre = self.first_points.mean(axis=0)
            self.toe_along, self.toe_up, self.toe_gaps = along, up, np.array(gaps)
        else:
            along = p["mtp1"] - p["heel"]
            length = float(np.linalg.norm(along))
            along /= length
            up = np.array([along[1], -along[0]])
            if up[1] > 0:
                up = -up
            self.regions["foot"] = _Region(
                _box(p["heel"], along, up, 0.15 * length, 0.8 * length, 0.04 * length, 0.16 * length),
                40,
                4.0,
            )
            # the foot body's outline (the back of the heel, the sole, the top of the foot
            # towards the toes) with the floor around it: the picture the body is aligned by;
            # it stops a quarter of the foot short of the joint, where the skin folds and a toe
            # raised steeply rises into the picture
            self.body_outline = _box(
                p["heel"], along, up, -0.1 * length, 0.75 * length, -0.06 * length, 0.35 * length
            )
            toe = p["hallux_tip"] - p["mtp1"]
            toe_len = float(np.linalg.norm(toe))
            toe_dir = toe / toe_len
            toe_up = np.array([toe_dir[1], -toe_dir[0]])
            self.regions["hallux_tip"] = _Region(
                _box(
                    p["mtp1"], toe_dir, toe_up, 0.3 * toe_len, 0.95 * toe_len, -0.18 * toe_len, 0.18 * toe_len
                ),
                25,
                max(2.0, toe_len / 25),
            )
            # the top of the big toe (first-frame pixels): its look is checked on every frame
            over = toe_up if toe_up[1] <= 0 else -toe_up  # towards the top of the picture
            along_toe, over_toe = np.meshgrid(
                np.linspace(*_HALLUX_BAND_ALONG, 24), np.linspace(0.03, 0.25, 8)
            )
            self.hallux_band = (
                p["mtp1"]
                + np.outer(along_toe.ravel() * toe_len, toe_dir)
                + np.outer(over_toe.ravel() * toe_len, over)
            ).astype(np.float32)

    def fit_motion(self, src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
        """The foot body's motion from its features: a turn and a shift in the front view, where
        the patch behind the toes is too small to give the foot's size on the picture reliably;
        a similarity in the side view, whose patch spans most of the foot."""
        return _fit_rigid(src, dst) if self.toes is not None else _fit_similarity(src, dst)

    def use_colour(self, frame_bgr: np.ndarray) -> None:
        """Front view: where colour tells the foot's skin from the floor, each toe's features are
        looked for on its own skin."""
        if self.toes is None:
            return
        model = skin_model(frame_bgr, self.first_points, self.toe_gaps, self.toe_along, self.toe_up)
        if model is None:
            return
        self.toes.find_regions(model)
        self.toes_told_from_floor = True
        self.skin = model

    def check_body_on_skin(self) -> None:
        """Front view with a colour model: how many of the foot body's first-frame features lie
        on skin (``body_features_on_skin_pct``)."""
        region = self.regions.get("foot")
        if self.skin is None or region is None or not len(region.pts):
            return
        at = np.round(region.pts).astype(int)
        x0, y0 = at.min(axis=0)
        x1, y1 = at.max(axis=0) + 1
        on_skin = self.skin.skin((int(x0), int(y0), int(x1), int(y1)))[at[:, 1] - y0, at[:, 0] - x0]
        self.body_features_on_skin_pct = round(100.0 * float(on_skin.mean()), 1)
        if len(region.reference) == len(on_skin):
            self.body_reference_on_skin = on_skin.astype(bool)
        self.skin = None  # the first frame is no longer needed

    def all_regions(self) -> list[_Region]:
        return list(self.regions.values())

    def region_transform(self, region: _Region) -> np.ndarray:
        """Patch coordinates -> image."""
        return _compose(self.to_image, region.local)

    def side_points_in_foot(self) -> np.ndarray:
        """Side view: heel, MTP joint and hallux tip in foot coordinates, the heel and the joint
        moving with the foot and the tip with the hallux (the pose the angle is read from)."""
        in_foot = self.first_points.copy()
        in_foot[2] = _apply(self.regions["hallux_tip"].local, self.first_points[2:])[0]
        return in_foot


class ToeTracker:
    """Track toe points frame by frame: ``ToeTracker(points, first_frame, time_s).update(frame, time_s)``.

    ``first_frame`` and later frames are BGR or grey images of the same size (grey ones made
    the same way); ``first_colour``, the first frame in colour where ``first_frame`` is grey,
    lets the toes' skin be told from the floor; ``follow_floor`` also follows the floor in
    front of the toes (front view), the camera's own motion (``FrameArrays.floor_shift``). The
    first frame's state is available as ``initial_state``.
    """

    def __init__(
        self,
        points: list[FootPoints],
        first_frame: np.ndarray,
        time_s: float,
        mm_per_px: float | None = None,
        first_colour: np.ndarray | None = None,
        follow_floor: bool = False,
    ):
        if not points:
            raise ToelabError("no foot points to track")
        if mm_per_px is not None and not mm_per_px > 0:
            raise ToelabError(f"mm per pixel must be positive, not {mm_per_px}")
        self.feet = [_Foot(p, mm_per_px) for p in points]
        self.view = points[0].view
        gray = self._gray(first_frame)
        colour = first_colour if first_colour is not None else first_frame
        if colour.ndim == 3 and colour.shape[:2] == gray.shape[:2]:
            for foot in self.feet:
                foot.use_colour(colour)
        self.frame_size = (gray.shape[1], gray.shape[0])
        self._reference_level = self._level(gray)
        gray = self._normalise(gray)
        self._previous = gray
        self._first = gray
        for foot in self.feet:
            for region in foot.all_regions():
                region.seed(gray, foot.region_transform(region))
                region.reference = region.anchors.copy()
            foot.check_body_on_skin()
            if foot.toes is not None:
                toes = foot.toes
                for toe in range(len(toes.names)):
                    toes.seed(toe, gray, foot.to_image)
                    # smooth or small: too few features inside its skin, so its outline's are
                    # added (the toe's edge against the floor), and where even those are too
                    # few, its box's
                    for wider, enough in ((toes.outlines[toe], _MIN_OWN_FEATURES), (None, _MIN_FEATURES)):
                        if toes.regions[toe] is None or toes.valid[toe].sum() >= enough:
                            break
                        toes.regions[toe] = wider
                        toes.seed(toe, gray, foot.to_image)
                foot.toes.keep_first_frame_features()
                foot.toes.cut_looks(gray)
            if foot.hallux_band is not None:
                foot.hallux_look = _standardised(_sample(gray, foot.hallux_band))
            if foot.body_outline is not None:
                foot.body_look = _cut_body_look(gray, foot.body_outline)
            if follow_floor and foot.floor_band is not None and foot.toe_centre is not None:
                foot.floor = _Floor(gray, foot.floor_band, foot.toe_centre)
        # the first-frame features matched straight into each frame: every foot body's and toe's
        # (the hallux is found by its look instead, see ``_find_hallux_turn``)
        self._matched_reference = np.vstack(
            [
                part
                for foot in self.feet
                for part in (
                    foot.regions["foot"].reference,
                    foot.toes.reference if foot.toes is not None else None,
                )
                if part is not None
            ]
        )
        # every patch's features, in the order they go through the frame-to-frame flow
        self._groups: list[_Region | _Toes] = [
            g for foot in self.feet for g in (*foot.all_regions(), foot.toes) if g is not None
        ]
        self._n_points = sum(len(foot.first_points) for foot in self.feet)
        self.initial_state = self._state(time_s)

    # -- image helpers ------------------------------------------------------------------
    @staticmethod
    def _gray(frame: np.ndarray) -> np.ndarray:
        return frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)

    def _level(self, gray: np.ndarray) -> float:
        """Mean brightness over the feet (used to cancel lighting flicker).

        Measured on the foot bodies only: a toe that lifts or a hallux that turns uncovers
        floor inside its own box, and counting that as a change of light would change the
        gain and bias the flow."""
        boxes = np.vstack([f.regions["foot"].polygon for f in self.feet])
        x0, y0 = np.clip(np.floor(boxes.min(axis=0)).astype(int), 0, None)
        x1, y1 = np.ceil(boxes.max(axis=0)).astype(int) + 1
        self._level_box = (x0, y0, x1, y1)
        return cv2.mean(gray[y0:y1, x0:x1])[0]

    def _normalise(self, gray: np.ndarray) -> np.ndarray:
        x0, y0, x1, y1 = self._level_box
        level = cv2.mean(gray[y0:y1, x0:x1])[0]
        if level <= 1.0:
            return gray
        return cv2.convertScaleAbs(gray, alpha=self._reference_level / level)

    # -- tracking -----------------------------------------------------------------------
    def update(self, frame: np.ndarray, time_s: float) -> FrameState:
        """Track one more frame and return every point's state."""
        self.advance(frame)
        return self._state(time_s)

    def advance(self, frame: np.ndarray) -> None:
        """Track one more frame; its figures are then read with ``measure``."""
        gray = self._gray(frame)
        if (gray.shape[1], gray.shape[0]) != self.frame_size:
            raise ToelabError(f"frame size {gray.shape[1]}x{gray.shape[0]} differs from the first frame's")
        gray = self._normalise(gray)
        # every feature of every patch, in one optical-flow call
        groups = self._groups
        current = [g.current() if isinstance(g, _Toes) else g.pts for g in groups]
        counts = [len(c) for c in current]
        if sum(counts):
            prev = np.vstack(current)
            # optical flow on the part of the image around the feet only (much faster)
            x0, y0 = np.maximum(np.floor(prev.min(axis=0) - _CROP_MARGIN_PX).astype(int), 0)
            x1, y1 = np.ceil(prev.max(axis=0) + _CROP_MARGIN_PX).astype(int)
            before, after = self._previous[y0:y1, x0:x1], gray[y0:y1, x0:x1]
            prev = (prev - (x0, y0)).reshape(-1, 1, 2).astype(np.float32)
            nxt, status, _ = cv2.calcOpticalFlowPyrLK(
                before, after, prev, None, winSize=_LK_WINDOW, maxLevel=_LK_LEVELS, criteria=_LK_CRITERIA
            )
            back, status_back, _ = cv2.calcOpticalFlowPyrLK(
                after, before, nxt, None, winSize=_LK_WINDOW, maxLevel=_LK_LEVELS, criteria=_LK_CRITERIA
            )
            fb = _lengths(back - prev)
            good = (status.ravel() == 1) & (status_back.ravel() == 1) & (fb < _FB_MAX_PX)
            nxt = nxt.reshape(-1, 2) + (x0, y0)
            flow = nxt - prev.reshape(-1, 2) - (x0, y0)
            start = 0
            for group, count in zip(groups, counts, strict=True):
                sl = slice(start, start + count)
                start += count
                if isinstance(group, _Toes):
                    group.take_flow(nxt[sl], flow[sl], fb[sl].astype(np.float32), good[sl])
                    continue
                moved = flow[sl][good[sl]]
                group.flow_shift = _median_xy(moved) if len(moved) else np.zeros(2)
                group.pts = nxt[sl]
                group.fb_error = fb[sl].astype(np.float32)
                group.keep(good[sl])
        else:
            for group in groups:
                group.flow_shift = np.zeros_like(group.flow_shift)
        # the first-frame features, matched from where the frame-to-frame flow predicts them
        references = self._match_references(gray)
        self._previous = gray
        for foot in self.feet:
            if foot.floor is not None:
                foot.floor.update(gray)
            self._update_foot(foot, references, gray)
            if foot.hallux_band is not None:
                self._find_hallux_turn(foot, gray)
            for region in foot.all_regions():
                if len(region.pts) < _RESEED_FRACTION * region.target:
                    region.seed(gray, foot.region_transform(region))
            if foot.toes is not None:
                counts = foot.toes.valid.sum(axis=1)
                for toe in np.flatnonzero(counts < _RESEED_FRACTION * foot.toes.target):
                    foot.toes.seed(int(toe), gray, foot.to_image)

    def _match_references(self, gray: np.ndarray) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """The first-frame features of every foot body and toe matched straight into this frame:
        ``{id(part): (found, good)}``, ``found`` in image pixels for each first-frame feature and
        ``good`` where the match passed the forward-backward check."""
        reference = self._matched_reference
        if not len(reference):
            return {}
        # where the last frame's estimate puts them, moved on by this frame's flow
        parts: list[tuple[object, int]] = []
        predicted: list[np.ndarray] = []
        for foot in self.feet:
            body = foot.regions["foot"]
            predicted.append(_apply(foot.to_image, body.reference) + body.flow_shift)
            parts.append((body, len(body.reference)))
            if foot.toes is not None:
                predicted.append(foot.toes.predicted_reference(foot.to_image))
                parts.append((foot.toes, len(foot.toes.reference)))
        predicted_xy = np.vstack(predicted)
        both = np.vstack([reference, predicted_xy])
        x0, y0 = np.maximum(np.floor(both.min(axis=0) - _REFERENCE_MARGIN_PX).astype(int), 0)
        x1, y1 = np.ceil(both.max(axis=0) + _REFERENCE_MARGIN_PX).astype(int)
        first, now = self._first[y0:y1, x0:x1], gray[y0:y1, x0:x1]
        start = (reference - (x0, y0)).reshape(-1, 1, 2).astype(np.float32)
        guess = (predicted_xy - (x0, y0)).reshape(-1, 1, 2).astype(np.float32)
        found, status = _guided_flow(first, now, start, guess)
        back, status_back = _guided_flow(now, first, found, start.copy())
        fb = _lengths(back - start)
        good = (status.ravel() == 1) & (status_back.ravel() == 1) & (fb < _FB_MAX_PX)
        found = found.reshape(-1, 2) + (x0, y0)
        matches: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        offset = 0
        for part, count in parts:
            sl = slice(offset, offset + count)
            offset += count
            matches[id(part)] = (found[sl], good[sl])
        return matches

    def _update_foot(
        self, foot: _Foot, references: dict[int, tuple[np.ndarray, np.ndarray]], gray: np.ndarray
    ) -> None:
        region = foot.regions["foot"]
        if len(region.pts) >= _MIN_FEATURES:
            m, inliers = foot.fit_motion(region.anchors, region.pts)
            region.ok = m is not None
            if m is not None:
                foot.to_image = m
                region.keep(inliers)
        else:
            region.ok = False
        self._correct_foot(foot, references.get(id(region)))
        if foot.body_look is not None:
            self._align_body(foot, gray)
        to_foot = _affine_inverse(foot.to_image)
        if foot.toes is not None:
            foot.toes.follow_foot(to_foot)
            if id(foot.toes) in references:
                foot.toes.correct(to_foot, *references[id(foot.toes)])
            foot.toes.match_looks(gray, foot.to_image)
        for name, part in foot.regions.items():
            if name != "foot":
                self._update_rigid(part, to_foot)

    def _correct_foot(self, foot: _Foot, matched: tuple[np.ndarray, np.ndarray] | None) -> None:
        """Replace the frame-to-frame foot transform by the one from the first-frame matches that
        agree with it, and re-anchor the frame-to-frame features so that their drift ends here."""
        region = foot.regions["foot"]
        if matched is None:
            return
        found, good = matched
        reference, seen = region.reference[good], found[good]
        near = _lengths(seen - _apply(foot.to_image, reference)) < _REFERENCE_GATE_PX
        if not _enough(region, int(near.sum())):
            return
        m, _ = foot.fit_motion(reference[near], seen[near])
        if m is None:
            return
        if foot.body_reference_on_skin is not None:
            foot.body_fit_on_skin_frames[
                round(100.0 * float(foot.body_reference_on_skin[good][near].mean()))
            ] += 1
        if len(region.anchors):
            region.anchors = _apply(_affine_inverse(m), _apply(foot.to_image, region.anchors)).astype(
                np.float32
            )
        foot.to_image = m
        region.ok = True

    @staticmethod
    def _align_body(foot: _Foot, gray: np.ndarray) -> None:
        """Side view: align the foot body's first-frame picture, its outline against the floor
        included, with this frame (enhanced correlation coefficient, Evangelidis & Psarakis 2008,
        IEEE TPAMI 30:1858; a turn and a shift, from the features' estimate, at half size). The
        body's features are few on smooth skin and span a thin strip, so their fitted turn and
        size wander (1-2 deg, 5 %) and move the heel-to-joint line the angle is read from; the
        outline holds them. Where the alignment fails or correlates poorly (the foot hidden,
        moved out of the picture) the frame's points are not measured."""
        assert foot.body_look is not None
        small = _half(_even(gray)).astype(np.float32)
        # from the features' estimate, else from the last alignment (features that followed
        # something else while the foot was hidden can leave their estimate far off)
        found = _aligned_body(foot.body_look, small, foot.to_image)
        if found is None and foot.body_aligned_to is not None:
            found = _aligned_body(foot.body_look, small, foot.body_aligned_to)
        foot.body_aligned = found is not None
        if found is None:
            return
        region = foot.regions["foot"]
        if len(region.anchors):
            region.anchors = _apply(_affine_inverse(found), _apply(foot.to_image, region.anchors)).astype(
                np.float32
            )
        foot.to_image = foot.body_aligned_to = found
        region.ok = True

    @staticmethod
    def _find_hallux_turn(foot: _Foot, gray: np.ndarray) -> None:
        """The hallux as a rigid segment turning about the MTP joint: the turn whose carried
        first-frame look (the top of the big toe) correlates best with this frame, searched
        around the last frame's turn and the turn its features give (see ``_HALLUX_SEARCH_DEG``).
        Features alone fail on smooth skin, where most of them sit on the floor beside the toe
        and hold the pose still while the toe lifts. Below ``_HALLUX_LOOK_MIN_NCC`` at the best
        turn the toe is not where any turn puts it, and the tip is not measured on that frame."""
        if foot.hallux_look is None or foot.hallux_band is None:
            foot.hallux_match = None
            return
        if not foot.body_aligned:
            # the joint is not where the body's transform puts it: no turn to search around
            foot.hallux_match = 0.0
            foot.hallux_frames_lost += 1
            return
        mtp0, tip0 = foot.first_points[1], foot.first_points[2]
        moved_tip = _apply(foot.regions["hallux_tip"].local, tip0[None])[0]
        before, after = tip0 - mtp0, moved_tip - mtp0
        from_features = np.degrees(np.arctan2(after[1], after[0]) - np.arctan2(before[1], before[0]))
        from_features = (from_features + 180.0) % 360.0 - 180.0
        # near the last turn found (wider the longer it has been lost) a match needs the usual
        # line; anywhere else, where the toe may have come back to after being hidden, the best
        # of many turns needs a stricter one not to be a chance likeness
        reach = _HALLUX_SEARCH_DEG * min(1 + foot.hallux_frames_lost, 3)
        near_last = foot.hallux_turn_deg + np.arange(-reach, reach + 0.5, 2.0)
        anywhere = np.arange(-_HALLUX_TURN_RANGE_DEG, _HALLUX_TURN_RANGE_DEG + 1.0, 2.0)
        candidates = np.concatenate(
            [near_last, from_features + np.arange(-2.0, 2.5, 1.0)]
            + ([anywhere] if foot.hallux_frames_lost else [])
        )
        far = np.abs(candidates - foot.hallux_turn_deg) > reach
        scores = _turn_scores(foot, gray, candidates) - np.where(
            far, _HALLUX_REFIND_MIN_NCC - _HALLUX_LOOK_MIN_NCC, 0.0
        )
        best = float(candidates[int(np.argmax(scores))])
        # then to a quarter degree around the best, and between its neighbours by a parabola
        fine = best + np.arange(-1.5, 1.6, 0.25)
        fine_scores = _turn_scores(foot, gray, fine)
        at = int(np.argmax(fine_scores))
        turn = float(fine[at]) + 0.25 * float(_parabola_peak(-fine_scores[None, :], at, 0)[0])
        match = float(fine_scores[at])
        line = _HALLUX_REFIND_MIN_NCC if abs(turn - foot.hallux_turn_deg) > reach else _HALLUX_LOOK_MIN_NCC
        foot.hallux_match = match
        if match < line:
            foot.hallux_frames_lost += 1
            return
        foot.hallux_frames_lost = 0
        foot.hallux_turn_deg = turn
        c, s = np.cos(np.radians(turn)), np.sin(np.radians(turn))
        rotation = np.array([[c, -s], [s, c]])
        foot.regions["hallux_tip"].local = np.hstack([rotation, (mtp0 - rotation @ mtp0)[:, None]])

    @staticmethod
    def _update_rigid(part: _Region, to_foot: np.ndarray) -> None:
        """A turning part's similarity transform against the foot from its frame-to-frame features."""
        if len(part.pts) < _MIN_FEATURES:
            part.ok = False
            return
        in_foot = _apply(to_foot, part.pts.astype(float))
        m, inliers = _fit_similarity(part.anchors, in_foot.astype(np.float32))
        part.ok = m is not None
        if m is not None:
            part.local = m
            part.keep(inliers)

    # -- output -------------------------------------------------------------------------
    @property
    def toes_told_from_floor(self) -> dict[str, bool]:
        """Front view, per foot: whether the first frame's colour told the toes' skin from the
        floor (see :mod:`toelab.track.toe_regions`)."""
        return {f.points.foot: f.toes_told_from_floor for f in self.feet if f.toes is not None}

    @property
    def floor_followed(self) -> dict[str, bool]:
        """Front view: for each foot, whether the floor in front of its toes held enough features
        on the first frame to follow the camera's motion."""
        return {
            f.points.foot: f.floor is not None and f.floor.followed for f in self.feet if f.toes is not None
        }

    @property
    def body_followed_on_skin_pct(self) -> dict[str, float]:
        """Front view, per foot whose skin colour told it from the floor: over the frames, the
        median share (%) of the first-frame features its body's motion was fitted to that lie on
        skin. Where the body's features lie half on the floor, a foot that shakes by a few pixels
        leaves its skin's features behind the floor's (a 4 px shake: 12 % on skin, where the first
        frame had 50 %), and the foot's motion read is the floor's."""
        return {
            f.points.foot: float(
                np.searchsorted(np.cumsum(f.body_fit_on_skin_frames), f.body_fit_on_skin_frames.sum() / 2)
            )
            for f in self.feet
            if f.body_fit_on_skin_frames.any()
        }

    @property
    def body_features_on_skin_pct(self) -> dict[str, float]:
        """Front view, per foot whose skin colour told it from the floor: the share (%) of the
        foot body's first-frame features on skin; a low share means the foot's own motion was
        read mostly from the floor beside it."""
        return {
            f.points.foot: f.body_features_on_skin_pct
            for f in self.feet
            if f.body_features_on_skin_pct is not None
        }

    @property
    def landmark_names(self) -> list[str]:
        """Every tracked point's landmark name, in the order of ``measure``'s arrays."""
        return [foot.points.landmark(name) for foot in self.feet for name in VIEW_POINTS[foot.points.view]]

    def measure(self) -> FrameArrays:
        """The current frame's figures as arrays (cheaper than ``update``'s objects over a whole file)."""
        n = self._n_points
        xy, displacement = np.empty((n, 2)), np.empty((n, 2))
        confidence, n_features = np.empty(n), np.empty(n, int)
        angles: dict[str, float] = {}
        foot_conf: dict[str, float] = {}
        motion = np.empty((len(self.feet), 4))
        floor_shift = np.full((len(self.feet), 2), np.nan)
        k = 0
        for f_idx, foot in enumerate(self.feet):
            if foot.floor is not None:
                floor_shift[f_idx] = foot.floor.shift
            foot_region = foot.regions["foot"]
            body_confidence = foot_region.confidence
            foot_conf[foot.points.foot] = body_confidence
            m = foot.to_image
            motion[f_idx] = (
                m[0, 2],
                m[1, 2],
                np.degrees(np.arctan2(m[1, 0], m[0, 0])),
                np.hypot(m[0, 0], m[1, 0]),
            )
            rows = slice(k, k + len(foot.first_points))
            k = rows.stop
            if foot.toes is not None:
                toes = foot.toes
                # motion-compensated: first-frame pixels of the foot
                xy[rows] = foot.first_points + toes.shift
                displacement[rows] = toes.shift
                confidence[rows] = np.minimum(toes.confidence(), 1.0 if foot_region.ok else 0.5)
                n_features[rows] = toes.valid.sum(axis=1)
            else:
                hallux = foot.regions["hallux_tip"]
                in_foot = foot.side_points_in_foot()
                xy[rows] = _apply(m, in_foot)
                displacement[rows] = in_foot - foot.first_points
                # a pose that no longer sits on the toe gives the tip no position on this frame
                confidence[rows] = (
                    (body_confidence, body_confidence, _tip_confidence(foot, hallux.confidence))
                    if foot.body_aligned
                    else 0.0
                )
                n_features[rows] = (len(foot_region.pts), len(foot_region.pts), len(hallux.pts))
            xy[rows][confidence[rows] == 0.0] = np.nan
            if foot.toes is None:
                angles[foot.points.foot] = float(hallux_extension_deg(*(p[None] for p in xy[rows]))[0])
        return FrameArrays(xy, displacement, confidence, n_features, angles, foot_conf, motion, floor_shift)

    def _state(self, time_s: float) -> FrameState:
        figures = self.measure()
        points: dict[str, PointState] = {}
        k = 0
        for foot in self.feet:
            fp = foot.points
            for name in VIEW_POINTS[fp.view]:
                xy, d = figures.xy[k], figures.displacement_px[k]
                # a toe's lift is its upward displacement (image y points down)
                lift_px = -float(d[1]) if fp.view == "front" else 0.0
                points[fp.landmark(name)] = PointState(
                    name=fp.landmark(name),
                    xy=(float(xy[0]), float(xy[1])),
                    displacement_px=(float(d[0]), float(d[1])),
                    lift=lift_px / foot.size_px,
                    lift_mm=None if foot.mm_per_px is None else lift_px * foot.mm_per_px,
                    confidence=float(figures.confidence[k]),
                    n_features=int(figures.n_features[k]),
                )
                k += 1
        motion = {
            foot.points.foot: (float(row[0]), float(row[1]), float(row[2]), float(row[3]))
            for foot, row in zip(self.feet, figures.foot_motion, strict=True)
        }
        floor = {
            foot.points.foot: (float(row[0]), float(row[1]))
            for foot, row in zip(self.feet, figures.floor_shift, strict=True)
            if foot.toes is not None
        }
        return FrameState(
            float(time_s), points, figures.hallux_angle_deg, figures.foot_confidence, motion, floor
        )
