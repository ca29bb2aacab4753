"""Frame-by-frame toe tracking: the same object serves a file and a live camera.

Each toe (front view) or the hallux (side view) is a small region of good features
(Shi-Tomasi corners) followed with pyramidal Lucas-Kanade optical flow and a
forward-backward check (Kalal et al. 2010, "Forward-backward error"), re-seeded when too
few survive. Features on the foot behind the toes (front: the dorsum; side: the foot body
between heel and MTP joint) give the foot's own motion (a RANSAC similarity transform), so
camera shake and whole-foot motion are removed: a toe's displacement is relative to its
foot. Displacements are reported in pixels of the first frame, as a fraction of foot width
(scale-free) and in millimetres when a scale is known.

Frame-to-frame flow alone drifts: every re-seeded feature inherits the error of the
estimate at the moment it was added, and on dark, noisy or flickering video features are
lost and re-seeded often, so the errors add up like a random walk (several pixels within
ten seconds). Each frame the estimate is therefore refined against the first frame: the
features first found on the foot and on each toe are matched from the first frame straight
into the current one, starting from where the frame-to-frame estimate puts them, and the
foot's transform and each toe's shift are taken from those matches when enough of them
agree with the frame-to-frame estimate ("drift correction" against the first template,
Matthews, Ishikawa & Baker 2004, IEEE TPAMI 26:810). The hallux in the side view turns too
far for its first-frame look to match directly, so the frame is first warped back by the
hallux's current estimate and only the small remaining error is matched and corrected.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from toelab.errors import ToelabError
from toelab.track.points import VIEW_POINTS, FootPoints

_LK_WINDOW = (11, 11)
_LK_LEVELS = 2
_LK_CRITERIA = (cv2.TERM_CRITERIA_COUNT | cv2.TERM_CRITERIA_EPS, 10, 0.01)
# flow that refines a predicted position (matching first-frame features into a later frame):
# the prediction already holds this frame's motion, and a match further from it than
# _REFERENCE_GATE_PX is dropped anyway, so the full-resolution level alone is searched
# (a third of the work of the three-level pyramid)
_LK_GUIDED = dict(winSize=_LK_WINDOW, maxLevel=0, criteria=_LK_CRITERIA, flags=cv2.OPTFLOW_USE_INITIAL_FLOW)
_FB_MAX_PX = 0.5  # forward-backward disagreement above which a feature is dropped
_RESEED_FRACTION = 0.6  # re-seed a region when fewer than this share of its features remain
_MIN_FEATURES = 3
# share of a region's first-frame features that must match for the drift correction to be used
_REFERENCE_MIN_SHARE = 0.3
# a first-frame match further than this from the frame-to-frame estimate is taken as a mismatch
# (floor seen in a toe's box, a neighbouring toe): one frame's flow error is far below it
_REFERENCE_GATE_PX = 1.5
# room around a turning part's first-frame features for the warped-back comparison
_RIGID_MARGIN_PX = 12
# room around the tracked features for motion between two frames and the flow window
_CROP_MARGIN_PX = 64
# room around the first-frame matches: they start at their predicted position and move less than
# _REFERENCE_GATE_PX from it, so the flow window and a little more suffice (the flow's cost
# includes filtering the whole crop, so a tight crop is much faster)
_REFERENCE_MARGIN_PX = 16


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


def hallux_angle_deg(heel: np.ndarray, mtp1: np.ndarray, hallux_tip: np.ndarray) -> np.ndarray:
    """Signed angle (deg) of mtp1->hallux_tip against heel->mtp1; positive = toe bent up (image y down)."""
    a = np.asarray(mtp1, float) - np.asarray(heel, float)
    b = np.asarray(hallux_tip, float) - np.asarray(mtp1, float)
    cross = a[..., 0] * -b[..., 1] + a[..., 1] * b[..., 0]
    return np.degrees(np.arctan2(cross, (a * b).sum(axis=-1)))


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


def _affine_inverse(m: np.ndarray) -> np.ndarray:
    return cv2.invertAffineTransform(m)


def _apply(m: np.ndarray, pts: np.ndarray) -> np.ndarray:
    return pts @ m[:, :2].T + m[:, 2]


class _Region:
    """Features on one rigid patch; ``local`` maps the patch's first-frame coordinates into the foot's."""

    def __init__(self, polygon: np.ndarray, kind: str, target: int, min_distance: float):
        self.polygon = polygon  # first-frame foot coordinates
        self.kind = kind  # "foot", "shift" (translation) or "rigid" (similarity)
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
        outline = _apply(to_image, self.polygon)
        x0, y0 = np.floor(outline.min(axis=0)).astype(int)
        x1, y1 = np.ceil(outline.max(axis=0)).astype(int) + 1
        x0, y0 = max(x0, 0), max(y0, 0)
        x1, y1 = min(x1, gray.shape[1]), min(y1, gray.shape[0])
        if x1 - x0 < 4 or y1 - y0 < 4:
            return
        mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
        cv2.fillConvexPoly(mask, np.round(outline - (x0, y0)).astype(np.int32), 255)
        for existing in self.pts:
            cv2.circle(mask, (int(existing[0] - x0), int(existing[1] - y0)), int(self.min_distance), 0, -1)
        found = cv2.goodFeaturesToTrack(
            gray[y0:y1, x0:x1], want, 0.005, self.min_distance, mask=mask, blockSize=5
        )
        if found is None:
            return
        found = found.reshape(-1, 2) + (x0, y0)
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
        share = min(1.0, len(self.pts) / self.target)
        return float(share * max(0.0, 1.0 - _median(self.fb_error) / _FB_MAX_PX / 2))


def _enough(region: _Region, n_matched: int) -> bool:
    """Whether enough of a region's first-frame features matched to correct its estimate."""
    return n_matched >= max(_MIN_FEATURES, _REFERENCE_MIN_SHARE * len(region.reference))


def _robust_shift(moved: np.ndarray) -> np.ndarray | None:
    """Median shift of features that move together, after dropping those that do not
    (floor or a neighbouring toe seen in the box); None when too few agree."""
    shift = _median_xy(moved)
    residual = _lengths(moved - shift)
    agree = residual <= max(1.0, 3.0 * 1.4826 * _median(residual))
    if agree.sum() < _MIN_FEATURES:
        return None
    return _median_xy(moved[agree])


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


class _Foot:
    def __init__(self, points: FootPoints, mm_per_px: float | None):
        self.points = points
        self.mm_per_px = mm_per_px
        self.size_px = points.size_px
        self.to_image = np.array([[1.0, 0, 0], [0, 1.0, 0]])  # foot coordinates (first frame) -> image
        self.regions: dict[str, _Region] = {}
        p = {k: np.asarray(v, float) for k, v in points.points.items()}
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
                "foot",
                40,
                4.0,
            )
            nails = np.array([p[t] for t in VIEW_POINTS["front"]])
            for i, toe in enumerate(VIEW_POINTS["front"]):
                others = np.delete(nails, i, axis=0)
                spacing = float(np.min(np.linalg.norm(others - nails[i], axis=1)))
                half = 0.4 * spacing
                self.regions[toe] = _Region(
                    _box(nails[i], along, up, -half, half, -0.35 * spacing, 0.45 * spacing),
                    "shift",
                    16,
                    max(2.0, spacing / 12),
                )
        else:
            along = p["mtp1"] - p["heel"]
            length = float(np.linalg.norm(along))
            along /= length
            up = np.array([along[1], -along[0]])
            if up[1] > 0:
                up = -up
            self.regions["foot"] = _Region(
                _box(p["heel"], along, up, 0.15 * length, 0.8 * length, 0.04 * length, 0.16 * length),
                "foot",
                40,
                4.0,
            )
            toe = p["hallux_tip"] - p["mtp1"]
            toe_len = float(np.linalg.norm(toe))
            toe_dir = toe / toe_len
            toe_up = np.array([toe_dir[1], -toe_dir[0]])
            self.regions["hallux_tip"] = _Region(
                _box(
                    p["mtp1"], toe_dir, toe_up, 0.3 * toe_len, 0.95 * toe_len, -0.18 * toe_len, 0.18 * toe_len
                ),
                "rigid",
                25,
                max(2.0, toe_len / 25),
            )

    def all_regions(self) -> list[_Region]:
        return list(self.regions.values())

    def region_transform(self, region: _Region) -> np.ndarray:
        """Patch coordinates -> image."""
        return _compose(self.to_image, region.local)


class ToeTracker:
    """Track toe points frame by frame: ``ToeTracker(points, first_frame, time_s).update(frame, time_s)``.

    ``first_frame`` and later frames are BGR or grey images of the same size. The first
    frame's state is available as ``initial_state``.
    """

    def __init__(
        self,
        points: list[FootPoints],
        first_frame: np.ndarray,
        time_s: float,
        mm_per_px: float | None = None,
    ):
        if not points:
            raise ToelabError("no foot points to track")
        if mm_per_px is not None and not mm_per_px > 0:
            raise ToelabError(f"mm per pixel must be positive, not {mm_per_px}")
        self.feet = [_Foot(p, mm_per_px) for p in points]
        self.view = points[0].view
        gray = self._gray(first_frame)
        self.frame_size = (gray.shape[1], gray.shape[0])
        self._reference_level = self._level(gray)
        gray = self._normalise(gray)
        self._previous = gray
        self._first = gray
        for foot in self.feet:
            for region in foot.all_regions():
                region.seed(gray, foot.region_transform(region))
                region.reference = region.anchors.copy()
        self._regions = [r for f in self.feet for r in f.all_regions()]
        # regions whose first-frame features are matched straight into each frame
        self._matched = [
            (foot, r)
            for foot in self.feet
            for r in foot.all_regions()
            if len(r.reference) and r.kind != "rigid"
        ]
        self._matched_reference = np.vstack([r.reference for _, r in self._matched] or [np.zeros((0, 2))])
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
        return float(gray[y0:y1, x0:x1].mean())

    def _normalise(self, gray: np.ndarray) -> np.ndarray:
        x0, y0, x1, y1 = self._level_box
        level = float(gray[y0:y1, x0:x1].mean())
        if level <= 1.0:
            return gray
        return cv2.convertScaleAbs(gray, alpha=self._reference_level / level)

    # -- tracking -----------------------------------------------------------------------
    def update(self, frame: np.ndarray, time_s: float) -> FrameState:
        """Track one more frame and return every point's state."""
        gray = self._gray(frame)
        if (gray.shape[1], gray.shape[0]) != self.frame_size:
            raise ToelabError(f"frame size {gray.shape[1]}x{gray.shape[0]} differs from the first frame's")
        gray = self._normalise(gray)
        regions = self._regions
        counts = [len(r.pts) for r in regions]
        if sum(counts):
            prev = np.vstack([r.pts for r in regions])
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
            for region, count in zip(regions, counts, strict=True):
                sl = slice(start, start + count)
                start += count
                moved = flow[sl][good[sl]]
                region.flow_shift = _median_xy(moved) if len(moved) else np.zeros(2)
                region.pts = nxt[sl]
                region.fb_error = fb[sl].astype(np.float32)
                region.keep(good[sl])
        else:
            for region in regions:
                region.flow_shift = np.zeros(2)
        # the first-frame features, matched from where the frame-to-frame flow predicts them
        references = self._match_references(gray)
        self._previous = gray
        for foot in self.feet:
            self._update_foot(foot, references, gray)
            for region in foot.all_regions():
                if len(region.pts) < _RESEED_FRACTION * region.target:
                    region.seed(gray, foot.region_transform(region))
        return self._state(time_s)

    def _match_references(self, gray: np.ndarray) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """Every region's first-frame features matched straight into this frame: ``{id(region):
        (first-frame positions, positions now)}`` for the matches that pass the forward-backward check."""
        regions = self._matched
        if not regions:
            return {}
        reference = self._matched_reference
        # where the last frame's estimate puts them, moved on by this frame's flow
        predicted = np.vstack(
            [_apply(foot.region_transform(r), r.reference) + r.flow_shift for foot, r in regions]
        )
        both = np.vstack([reference, predicted])
        x0, y0 = np.maximum(np.floor(both.min(axis=0) - _REFERENCE_MARGIN_PX).astype(int), 0)
        x1, y1 = np.ceil(both.max(axis=0) + _REFERENCE_MARGIN_PX).astype(int)
        first, now = self._first[y0:y1, x0:x1], gray[y0:y1, x0:x1]
        start = (reference - (x0, y0)).reshape(-1, 1, 2).astype(np.float32)
        guess = (predicted - (x0, y0)).reshape(-1, 1, 2).astype(np.float32)
        found, status, _ = cv2.calcOpticalFlowPyrLK(first, now, start, guess, **_LK_GUIDED)
        back, status_back, _ = cv2.calcOpticalFlowPyrLK(now, first, found, start.copy(), **_LK_GUIDED)
        fb = _lengths(back - start)
        good = (status.ravel() == 1) & (status_back.ravel() == 1) & (fb < _FB_MAX_PX)
        found = found.reshape(-1, 2) + (x0, y0)
        matches: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        offset = 0
        for _, region in regions:
            sl = slice(offset, offset + len(region.reference))
            offset += len(region.reference)
            matches[id(region)] = (region.reference[good[sl]], found[sl][good[sl]])
        return matches

    def _update_foot(
        self, foot: _Foot, references: dict[int, tuple[np.ndarray, np.ndarray]], gray: np.ndarray
    ) -> None:
        region = foot.regions["foot"]
        if len(region.pts) >= _MIN_FEATURES:
            m, inliers = cv2.estimateAffinePartial2D(
                region.anchors, region.pts, method=cv2.RANSAC, ransacReprojThreshold=1.0
            )
            region.ok = m is not None
            if m is not None:
                foot.to_image = m
                region.keep(inliers.ravel() == 1)
        else:
            region.ok = False
        self._correct_foot(foot, references.get(id(region)))
        to_foot = _affine_inverse(foot.to_image)
        for name, part in foot.regions.items():
            if name == "foot":
                continue
            self._update_part(part, to_foot)
            if part.kind == "shift":
                self._correct_part(part, to_foot, references.get(id(part)))
            else:
                self._correct_rigid(foot, part, gray)

    def _correct_foot(self, foot: _Foot, matched: tuple[np.ndarray, np.ndarray] | None) -> None:
        """Replace the frame-to-frame foot transform by the one from the first-frame matches that
        agree with it, and re-anchor the frame-to-frame features so that their drift ends here."""
        region = foot.regions["foot"]
        if matched is None:
            return
        reference, seen = matched
        near = _lengths(seen - _apply(foot.to_image, reference)) < _REFERENCE_GATE_PX
        if not _enough(region, int(near.sum())):
            return
        m, _ = cv2.estimateAffinePartial2D(
            reference[near], seen[near], method=cv2.RANSAC, ransacReprojThreshold=1.0
        )
        if m is None:
            return
        if len(region.anchors):
            region.anchors = _apply(_affine_inverse(m), _apply(foot.to_image, region.anchors)).astype(
                np.float32
            )
        foot.to_image = m
        region.ok = True

    def _correct_part(
        self, part: _Region, to_foot: np.ndarray, matched: tuple[np.ndarray, np.ndarray] | None
    ) -> None:
        """The toe's shift from its first-frame matches that agree with the frame-to-frame shift."""
        if matched is None:
            return
        reference, seen = matched
        moved = _apply(to_foot, seen.astype(float)) - reference
        predicted = part.local[:, 2]
        near = _lengths(moved - predicted) < _REFERENCE_GATE_PX
        if not _enough(part, int(near.sum())):
            return
        shift = _robust_shift(moved[near])
        if shift is None:
            return
        # keep each frame-to-frame feature's own offset from the toe; move them all by the correction
        part.anchors = (part.anchors + predicted - shift).astype(np.float32)
        part.local = np.array([[1.0, 0, shift[0]], [0, 1.0, shift[1]]])
        part.ok = True

    def _correct_rigid(self, foot: _Foot, part: _Region, gray: np.ndarray) -> None:
        """Align a turning part (the hallux) with its first-frame look: the frame is warped back by
        the current estimate, so only the small remaining error is left for the flow to find."""
        if len(part.reference) < _MIN_FEATURES:
            return
        x0, y0 = np.floor(part.reference.min(axis=0)).astype(int) - _RIGID_MARGIN_PX
        x1, y1 = np.ceil(part.reference.max(axis=0)).astype(int) + _RIGID_MARGIN_PX
        x0, y0 = max(x0, 0), max(y0, 0)
        first = self._first[y0:y1, x0:x1]
        to_image = _compose(foot.region_transform(part), np.array([[1.0, 0, x0], [0, 1.0, y0]]))
        back = cv2.warpAffine(
            gray, to_image, (first.shape[1], first.shape[0]), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
        )
        start = (part.reference - (x0, y0)).reshape(-1, 1, 2).astype(np.float32)
        found, status, _ = cv2.calcOpticalFlowPyrLK(first, back, start, start.copy(), **_LK_GUIDED)
        again, status_back, _ = cv2.calcOpticalFlowPyrLK(back, first, found, start.copy(), **_LK_GUIDED)
        fb = _lengths(again - start)
        moved = _lengths(found - start)
        good = (
            (status.ravel() == 1)
            & (status_back.ravel() == 1)
            & (fb < _FB_MAX_PX)
            & (moved < _REFERENCE_GATE_PX)
        )
        if not _enough(part, int(good.sum())):
            return
        residual, _ = cv2.estimateAffinePartial2D(
            start.reshape(-1, 2)[good],
            found.reshape(-1, 2)[good],
            method=cv2.RANSAC,
            ransacReprojThreshold=1.0,
        )
        if residual is None:
            return
        # residual maps the first frame's crop onto the warped-back frame's; in patch coordinates:
        shift = np.array([[1.0, 0, x0], [0, 1.0, y0]])
        correction = _compose(_compose(shift, residual), _affine_inverse(shift))
        if len(part.anchors):
            part.anchors = _apply(_affine_inverse(correction), part.anchors.astype(float)).astype(np.float32)
        part.local = _compose(part.local, correction)
        part.ok = True

    @staticmethod
    def _update_part(part: _Region, to_foot: np.ndarray) -> None:
        if len(part.pts) < _MIN_FEATURES:
            part.ok = False
            return
        in_foot = _apply(to_foot, part.pts.astype(float))
        if part.kind == "shift":
            moved = in_foot - part.anchors
            shift = _median_xy(moved)
            residual = _lengths(moved - shift)
            # drop features that do not move with the toe (floor or neighbour seen in the box)
            spread = 1.4826 * _median(residual)
            part.keep(residual <= max(1.0, 3.0 * spread))
            part.local = np.array([[1.0, 0, shift[0]], [0, 1.0, shift[1]]])
            part.ok = len(part.pts) >= _MIN_FEATURES
        else:
            m, inliers = cv2.estimateAffinePartial2D(
                part.anchors, in_foot.astype(np.float32), method=cv2.RANSAC, ransacReprojThreshold=1.0
            )
            part.ok = m is not None
            if m is not None:
                part.local = m
                part.keep(inliers.ravel() == 1)

    # -- output -------------------------------------------------------------------------
    def _state(self, time_s: float) -> FrameState:
        points: dict[str, PointState] = {}
        angles: dict[str, float] = {}
        foot_conf: dict[str, float] = {}
        motion: dict[str, tuple[float, float, float, float]] = {}
        for foot in self.feet:
            fp = foot.points
            foot_region = foot.regions["foot"]
            foot_conf[fp.foot] = foot_region.confidence
            m = foot.to_image
            motion[fp.foot] = (
                float(m[0, 2]),
                float(m[1, 2]),
                float(np.degrees(np.arctan2(m[1, 0], m[0, 0]))),
                float(np.hypot(m[0, 0], m[1, 0])),
            )
            positions: dict[str, np.ndarray] = {}
            for name in VIEW_POINTS[fp.view]:
                p0 = np.asarray(fp.points[name], float)
                part = foot.regions.get(name, foot_region)
                in_foot = _apply(part.local, p0[None])[0]
                if fp.view == "front":
                    xy = in_foot  # motion-compensated: first-frame pixels of the foot
                    conf = min(part.confidence, 1.0 if foot_region.ok else 0.5)
                else:
                    xy = _apply(foot.to_image, in_foot[None])[0]
                    conf = part.confidence
                d = in_foot - p0
                if conf == 0.0:
                    xy = np.full(2, np.nan)
                positions[name] = xy
                lift_px = -float(d[1]) if fp.view == "front" else 0.0
                points[fp.landmark(name)] = PointState(
                    name=fp.landmark(name),
                    xy=(float(xy[0]), float(xy[1])),
                    displacement_px=(float(d[0]), float(d[1])),
                    lift=lift_px / foot.size_px,
                    lift_mm=None if foot.mm_per_px is None else lift_px * foot.mm_per_px,
                    confidence=conf,
                    n_features=len(part.pts),
                )
            if fp.view == "side":
                angles[fp.foot] = float(
                    hallux_angle_deg(positions["heel"], positions["mtp1"], positions["hallux_tip"])
                )
        return FrameState(float(time_s), points, angles, foot_conf, motion)
