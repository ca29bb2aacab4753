"""Videos made from real photos of bare feet, warped smoothly with known motion.

``videogen.py`` draws its feet (flat colours, a plain floor, a right foot), written by the
same hands as the tracker. This generator starts from real pixels instead: five phone
photos and eight renders of scanned feet (``data/feet/``, toe points marked by hand in
``points.json``), with real skin, nails, creases, shadows and floors. Each frame is the
photo warped by a smooth map whose motion is chosen, so the truth is exact:

* **Layers.** The foot (the render's mask, or a GrabCut segmentation seeded from the
  marked points for a photo) is a layer over the floor; the floor under it is filled by
  inpainting. A toe that lifts uncovers floor; the floor itself never moves with a toe.
* **Toe lifts** (top views): toe ``i`` moves towards the ankle by ``drive[i]`` px. Its
  weight is 1 over the distal part of the toe (one toe spacing back from the marked point
  along the toes' direction marked by eye on the picture, and 0.8 of half the spacing to
  each side) and falls smoothly to 0 towards the toe's base and its
  neighbours, so the skin at the base stretches and the toe itself moves rigidly. The
  weights of toe ``i`` at the other marked points (``Scene.leak``) are small but not always
  0 where toes overlap in an oblique view; the truth of each point is the sum of every
  toe's motion weighted there, so it stays exact.
* **Hallux extension** (side views): the hallux turns about the marked MTP joint by the
  chosen angle; the turn falls off with the angle around the joint (so the dorsum above
  the joint folds and the foot body behind it stays still) and with the distance from it.
* **Whole-foot shake**: the foot layer moves rigidly over the still floor.
* **Hand-held drift**: a slow similarity motion of the whole frame (camera moves,
  everything moves). **Exposure drift**, **sensor noise**, **mirroring** (the other foot),
  any frame rate, and H.264 through PyAV (libx264, CRF 23 by default, as phones store).

Every warp is inverted per pixel in 1-D (Newton's method along the foot's axis for toe
lifts, bisection along the angle around the joint for the hallux), so a point marked on the photo
lands where its truth says (checked in ``test_photovideo.py``). The layout is that of
``videogen``: toes towards the image bottom in the front view (the camera faces the person,
not mirrored, so a right foot shows its big toe on the image's right), and the sole on the
floor at the bottom in the side view. Each video is made from a seed, so a condition can be
rendered again with fresh noise, drift and exposure as often as wanted.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from videogen import _Writer, frame_times

DATA = Path(__file__).parent / "data" / "feet"
TOES = ("toe1", "toe2", "toe3", "toe4", "toe5")
SIDE_POINTS = ("heel", "mtp1", "hallux_tip")
# Foot width is about 1.15x the span between the 1st and 5th toe points (as toelab assumes).
FOOT_WIDTH_PER_TOE_SPAN = 1.15
_NEWTON_STEPS = 8
_BISECTION_STEPS = 36

TimeFunction = Callable[[np.ndarray], np.ndarray]


# -- the marked images ------------------------------------------------------------------
@functools.cache
def annotations() -> dict[str, dict]:
    """``points.json``'s entries by image name."""
    return json.loads((DATA / "points.json").read_text(encoding="utf-8"))["images"]


def image_names(view: str | None = None, *, all_toes_visible: bool = False) -> list[str]:
    """Names of the marked images, optionally of one view (``top`` or ``side``) and only those
    whose five toes are all visible."""
    return [
        name
        for name, entry in annotations().items()
        if (view is None or entry["view"] == view) and not (all_toes_visible and entry["hidden"])
    ]


def _turn_points(points: dict[str, np.ndarray], turn_cw_deg: int, size: tuple[int, int]) -> dict:
    """Points after ``cv2.rotate`` by ``turn_cw_deg`` clockwise; ``size`` = (width, height) before."""
    w, h = size
    out = {}
    for name, (x, y) in points.items():
        if turn_cw_deg == 90:
            out[name] = np.array([h - 1 - y, x])
        elif turn_cw_deg == 180:
            out[name] = np.array([w - 1 - x, h - 1 - y])
        elif turn_cw_deg == 270:
            out[name] = np.array([y, w - 1 - x])
        else:
            out[name] = np.array([x, y], float)
    return out


_ROTATE = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


def _grabcut_foot(image: np.ndarray, toes: np.ndarray) -> np.ndarray:
    """Foot mask (0..1) of a photo with the toes towards the bottom, seeded from the marked toes.

    GrabCut (Rother et al. 2004, doi:10.1145/1015706.1015720) at half size on the forefoot: the
    toes are sure foot, the floor just beyond their tips sure floor."""
    h, w = image.shape[:2]
    span = float(np.linalg.norm(toes[0] - toes[-1]))
    spacing = span / 4
    x0 = int(max(0, toes[:, 0].min() - 1.2 * span))
    x1 = int(min(w, toes[:, 0].max() + 1.2 * span))
    y0 = int(max(0, toes[:, 1].min() - 3.0 * span))
    y1 = int(min(h, toes[:, 1].max() + 2.0 * spacing))
    scale = 0.5
    crop = cv2.resize(image[y0:y1, x0:x1], None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    local = (toes - (x0, y0)) * scale
    s = spacing * scale
    mask = np.full(crop.shape[:2], cv2.GC_PR_FGD, np.uint8)
    mask[int(local[:, 1].max() + 0.6 * s) :] = cv2.GC_BGD
    # the floor beside the forefoot
    band = max(2, int(0.25 * span * scale))
    top = max(0, int(local[:, 1].min() - 1.5 * span * scale))
    mask[top:, :band] = cv2.GC_BGD
    mask[top:, -band:] = cv2.GC_BGD
    for x, y in local:
        cv2.circle(mask, (int(x), int(y + 1.2 * s)), int(0.3 * s) + 1, cv2.GC_BGD, -1)
    for x, y in local:
        cv2.circle(mask, (int(x), int(y)), max(1, int(0.2 * s)), cv2.GC_FGD, -1)
    centre = local.mean(axis=0)
    cv2.circle(
        mask, (int(centre[0]), int(centre[1] - 1.2 * span * scale)), int(0.4 * span * scale), cv2.GC_FGD, -1
    )
    bgd, fgd = np.zeros((1, 65)), np.zeros((1, 65))
    cv2.setRNGSeed(0)
    cv2.grabCut(crop, mask, None, bgd, fgd, 4, cv2.GC_INIT_WITH_MASK)
    fg = ((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)).astype(np.uint8)
    # the part joined to the toes only
    _, labels = cv2.connectedComponents(fg)
    keep = {labels[int(y), int(x)] for x, y in local} - {0}
    fg = np.isin(labels, list(keep)).astype(np.float32)
    out = np.zeros((h, w), np.float32)
    out[y0:y1, x0:x1] = cv2.resize(fg, (x1 - x0, y1 - y0), interpolation=cv2.INTER_LINEAR)
    return cv2.GaussianBlur(out, (0, 0), 0.8)


def _floor_under(image: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """The floor with the foot filled in (Telea inpainting at a quarter size: it is seen only in
    the narrow strips a moving toe uncovers)."""
    hole = cv2.dilate((alpha > 0.02).astype(np.uint8), np.ones((7, 7), np.uint8))
    small = cv2.inpaint(
        cv2.resize(image, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA),
        cv2.dilate(
            cv2.resize(hole, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_NEAREST), np.ones((3, 3))
        ),
        3,
        cv2.INPAINT_TELEA,
    )
    filled = cv2.resize(small, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_LINEAR)
    return np.where(hole[..., None] > 0, filled, image)


@dataclass(frozen=True, eq=False)
class FootImage:
    """One marked image in toelab's layout (turned, optionally mirrored), split into layers."""

    name: str
    kind: str  # "photo" or "render"
    view: str  # "top" (tracked as toelab's front view) or "side"
    foot: str  # "left" or "right", after mirroring
    floor: str
    points: dict[str, np.ndarray]  # marked points in this layout
    unsure: tuple[str, ...]
    hidden: tuple[str, ...]
    image: np.ndarray  # (h, w, 3) float32 BGR
    alpha: np.ndarray  # (h, w) float32 0..1, the foot layer
    background: np.ndarray  # (h, w, 3) float32, the floor with the foot inpainted away
    # top views: unit direction from the toe points back along the toes (marked by eye)
    toe_axis: np.ndarray = field(default_factory=lambda: np.array([0.0, -1.0]))

    @property
    def size(self) -> tuple[int, int]:
        return self.image.shape[1], self.image.shape[0]

    @property
    def toe_points(self) -> np.ndarray:
        return np.array([self.points[t] for t in TOES])

    @property
    def foot_width_px(self) -> float:
        return FOOT_WIDTH_PER_TOE_SPAN * float(np.linalg.norm(self.points["toe1"] - self.points["toe5"]))


@functools.lru_cache(maxsize=32)
def load(name: str, mirror: bool = False) -> FootImage:
    """A marked image turned into toelab's layout; ``mirror`` makes it the other foot."""
    entry = annotations()[name]
    image = cv2.imread(str(DATA / entry["file"]), cv2.IMREAD_COLOR)
    size = (image.shape[1], image.shape[0])
    turn = int(entry["turn_cw_deg"])
    points = _turn_points({k: np.asarray(v, float) for k, v in entry["points"].items()}, turn, size)
    toe_axis = np.array([0.0, -1.0])
    if "toe_axis_deg" in entry:
        # the marked direction, turned like the points (two points along it, turned)
        angle = np.radians(float(entry["toe_axis_deg"]))
        ends = _turn_points({"from": np.zeros(2), "to": np.array([np.cos(angle), np.sin(angle)])}, turn, size)
        toe_axis = (ends["to"] - ends["from"]) / np.linalg.norm(ends["to"] - ends["from"])
    if turn:
        image = cv2.rotate(image, _ROTATE[turn])
    if entry["mask"]:
        mask = cv2.imread(str(DATA / entry["mask"]), cv2.IMREAD_GRAYSCALE)
        alpha = (cv2.rotate(mask, _ROTATE[turn]) if turn else mask).astype(np.float32) / 255.0
    else:
        alpha = _grabcut_foot(image, np.array([points[t] for t in TOES]))
    foot = entry["foot"]
    if mirror:
        image, alpha = cv2.flip(image, 1), cv2.flip(alpha, 1)
        points = {k: np.array([image.shape[1] - 1 - p[0], p[1]]) for k, p in points.items()}
        toe_axis = toe_axis * (-1.0, 1.0)
        foot = "left" if foot == "right" else "right"
    background = _floor_under(image, alpha)
    return FootImage(
        name,
        entry["kind"],
        entry["view"],
        foot,
        entry["floor"],
        points,
        tuple(entry["unsure"]),
        tuple(entry["hidden"]),
        image.astype(np.float32),
        alpha,
        background.astype(np.float32),
        toe_axis,
    )


def toelab_points(foot: FootImage) -> dict:
    """The points JSON toelab takes for this image's first frame."""
    view = "front" if foot.view == "top" else "side"
    names = TOES if view == "front" else SIDE_POINTS
    return {
        "view": view,
        "foot": foot.foot,
        **{n: [round(float(v), 2) for v in foot.points[n]] for n in names},
    }


# -- the warps --------------------------------------------------------------------------
def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def _smoothstep_slope(x: np.ndarray) -> np.ndarray:
    inside = (x > 0) & (x < 1)
    return np.where(inside, 6 * x * (1 - x), 0.0)


@dataclass(frozen=True)
class ToeWarp:
    """Each toe's weight over the image (top view); the toes move along -y (towards the ankle).

    A toe's region is the part of the foot nearer to its axis (from the marked point one toe
    spacing back along the toe, in the direction marked by eye on the picture,
    ``FootImage.toe_axis``) than to any other toe's, with a soft border ``band_px`` wide, and
    fades out towards the toe's base over ``fall_px``. Both are at least three times the
    largest motion, so the warp never folds."""

    tips: np.ndarray  # (5, 2)
    spacing_px: np.ndarray  # (5,) distance to the nearest other toe point
    band_px: float
    fall_px: np.ndarray  # (5,)
    back: np.ndarray  # (2,) unit direction from the toe points back along the toes

    @classmethod
    def for_foot(cls, foot: FootImage, max_drive_px: float) -> ToeWarp:
        tips = foot.toe_points
        distance = np.linalg.norm(tips[:, None] - tips[None], axis=-1)
        np.fill_diagonal(distance, np.inf)
        spacing = distance.min(axis=1)
        return cls(
            tips,
            spacing,
            max(3.0 * max_drive_px, 4.0),
            np.maximum(spacing, 3.0 * max_drive_px),
            foot.toe_axis,
        )

    def _weights(self, xy: np.ndarray) -> np.ndarray:
        rel_x = xy[None, :, 0] - self.tips[:, 0, None]
        rel_y = xy[None, :, 1] - self.tips[:, 1, None]
        bx, by = self.back
        across = -rel_x * by + rel_y * bx
        dy = -(rel_x * bx + rel_y * by)  # along the axis, < 0 towards the forefoot
        rigid = self.spacing_px[:, None]
        # distance to the toe's axis segment (the point and ``rigid`` px back from it)
        gap_y = np.maximum(np.maximum(dy, 0.0), -dy - rigid)
        axis = np.hypot(across, gap_y)
        own = np.ones_like(axis)
        for j in range(len(self.tips)):
            others = np.delete(np.arange(len(self.tips)), j)
            own[j] = np.prod(_smoothstep((axis[others] - axis[j]) / self.band_px + 0.5), axis=0)
        near = 1.0 - _smoothstep((axis - 0.6 * rigid) / (0.5 * rigid))
        along = _smoothstep((dy + rigid + self.fall_px[:, None]) / self.fall_px[:, None])
        return own * near * along

    def grid(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """The weights on the whole pixels of the box ``lo``..``hi``: (5, rows, cols) float32.

        The warp is the bilinear interpolation of these samples (cheap per frame); the truth
        is taken from the same interpolation, so it stays exact."""
        x0, y0 = np.floor(lo).astype(int)
        x1, y1 = np.ceil(hi).astype(int)
        ys, xs = np.mgrid[y0 : y1 + 1, x0 : x1 + 1]
        xy = np.column_stack([xs.ravel(), ys.ravel()]).astype(float)
        return self._weights(xy).reshape(5, *xs.shape).astype(np.float32), np.array([x0, y0], float)


def _bilinear(padded: np.ndarray, origin: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """Bilinear samples of a grid (rows, cols) padded by one zero on every side, at points ``xy``
    (n, 2) given in image pixels (``origin`` = the grid's first sample); 0 outside."""
    local = xy - origin
    x0, y0 = np.floor(local[:, 0]).astype(int), np.floor(local[:, 1]).astype(int)
    fx, fy = local[:, 0] - x0, local[:, 1] - y0
    x0, y0 = np.clip(x0 + 1, 0, padded.shape[1] - 2), np.clip(y0 + 1, 0, padded.shape[0] - 2)
    top = padded[y0, x0] * (1 - fx) + padded[y0, x0 + 1] * fx
    bottom = padded[y0 + 1, x0] * (1 - fx) + padded[y0 + 1, x0 + 1] * fx
    return top * (1 - fy) + bottom * fy


class ToeField:
    """The toes' motion on the pixels around them: each frame's drives make one field, inverted
    per pixel by Newton's method along y."""

    def __init__(self, warp: ToeWarp, lo: np.ndarray, hi: np.ndarray):
        self.warp = warp
        self.weights, self.origin = warp.grid(lo, hi)
        # share of toe i's motion at toe j's marked point, from the same interpolation
        self.leak = np.array([_bilinear(np.pad(w, 1), self.origin, warp.tips) for w in self.weights])

    def source_y(self, xy: np.ndarray, drive_px: np.ndarray) -> np.ndarray:
        """For output points ``xy`` (n, 2), the y in the unwarped layer: solves
        y_out = y - sum_i drive_i w_i(x, y) (``drive_px`` > 0 moves a toe up, towards the ankle)."""
        field = np.pad(np.tensordot(drive_px, self.weights, axes=1), 1)
        slope = np.gradient(field, axis=0)
        probe = xy.copy()
        for _ in range(_NEWTON_STEPS):
            value = _bilinear(field, self.origin, probe)
            d = _bilinear(slope, self.origin, probe)
            probe[:, 1] -= (probe[:, 1] - value - xy[:, 1]) / np.maximum(1.0 - d, 0.05)
        return probe[:, 1]

    def moved(self, drive_px: np.ndarray) -> np.ndarray:
        """Where the marked points are after ``drive_px``: (5, 2)."""
        out = self.warp.tips.copy()
        out[:, 1] -= drive_px @ self.leak
        return out


@dataclass(frozen=True)
class HalluxWarp:
    """The hallux turning about the MTP joint (side view); ``sign`` turns it towards the dorsum."""

    mtp: np.ndarray
    toe_angle_rad: float  # direction of mtp -> hallux tip in the image
    sign: float  # +1 when a growing image angle (clockwise on screen) lifts the toe
    reach_px: float  # distance from the joint over which the turn is full
    dorsal_fall_rad: float

    PLANTAR_FULL_RAD = np.radians(60.0)
    PLANTAR_FALL_RAD = np.radians(40.0)
    DORSAL_FULL_RAD = np.radians(20.0)

    @classmethod
    def for_foot(cls, foot: FootImage, max_deg: float) -> HalluxWarp:
        heel, mtp, tip = (foot.points[n] for n in SIDE_POINTS)
        toe = tip - mtp
        angle = float(np.arctan2(toe[1], toe[0]))
        # the dorsum is the side of the heel->mtp line away from the floor (image -y)
        along = (mtp - heel) / np.linalg.norm(mtp - heel)
        up = np.array([0.0, -1.0]) - along * -along[1]
        turned = np.array([np.cos(angle + 0.1), np.sin(angle + 0.1)])
        sign = 1.0 if turned @ up > np.array([np.cos(angle), np.sin(angle)]) @ up else -1.0
        # the dorsal fall must be gentler than the largest turn so that the warp never folds
        fall = max(np.radians(30.0), 1.7 * np.radians(max_deg))
        return cls(mtp, angle, sign, 1.3 * float(np.linalg.norm(toe)), fall)

    def _weight(self, q: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Weight and its derivative in q (angle from the toe's axis, + towards the dorsum)."""
        plantar = (q + self.PLANTAR_FULL_RAD + self.PLANTAR_FALL_RAD) / self.PLANTAR_FALL_RAD
        dorsal = (self.DORSAL_FULL_RAD + self.dorsal_fall_rad - q) / self.dorsal_fall_rad
        radial = 1.0 - _smoothstep((r - self.reach_px) / (0.3 * self.reach_px))
        w = _smoothstep(plantar) * _smoothstep(dorsal) * radial
        slope = (
            _smoothstep_slope(plantar) / self.PLANTAR_FALL_RAD * _smoothstep(dorsal)
            - _smoothstep(plantar) * _smoothstep_slope(dorsal) / self.dorsal_fall_rad
        ) * radial
        return w, slope

    def source(self, xy: np.ndarray, angle_rad: float) -> np.ndarray:
        """For output points ``xy`` (n, 2), where they come from in the unwarped layer."""
        d = xy - self.mtp
        r = np.hypot(d[:, 0], d[:, 1])
        q_out = self.sign * (np.angle(np.exp(1j * (np.arctan2(d[:, 1], d[:, 0]) - self.toe_angle_rad))))
        # q + angle * w(q) = q_out is monotone in q and q lies within angle of q_out: bisection
        low, high = q_out - abs(angle_rad), q_out + abs(angle_rad)
        for _ in range(_BISECTION_STEPS):
            q = 0.5 * (low + high)
            above = q + angle_rad * self._weight(q, r)[0] > q_out
            high, low = np.where(above, q, high), np.where(above, low, q)
        q = 0.5 * (low + high)
        phi = self.toe_angle_rad + self.sign * q
        return self.mtp + r[:, None] * np.column_stack([np.cos(phi), np.sin(phi)])

    def tip(self, tip0: np.ndarray, angle_rad: float) -> np.ndarray:
        """The hallux tip turned by ``angle_rad`` towards the dorsum (its weight is 1)."""
        a = self.sign * angle_rad
        rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
        return self.mtp + rot @ (tip0 - self.mtp)


def extension_deg(heel: np.ndarray, mtp1: np.ndarray, tip: np.ndarray) -> np.ndarray:
    """Angle (deg) of mtp1->tip against heel->mtp1, + when the tip is on the image's upper side."""
    a, b = np.asarray(mtp1) - np.asarray(heel), np.asarray(tip) - np.asarray(mtp1)
    magnitude = np.degrees(np.arccos(np.clip((a * b).sum(-1) / np.hypot(*a.T) / np.hypot(*b.T), -1, 1)))
    up = np.array([0.0, -1.0])
    unit = a / np.hypot(*a.T)[..., None]
    normal = up - (unit @ up)[..., None] * unit
    return np.where((b * normal).sum(-1) < 0, -magnitude, magnitude)


# -- camera and sensor ------------------------------------------------------------------
def _slow_wave(t: np.ndarray, rng: np.random.Generator, low_hz: float, high_hz: float) -> np.ndarray:
    """A smooth random wave in -1..1 starting at 0 (sum of three slow sines)."""
    phases, freqs = rng.uniform(0, 2 * np.pi, 3), rng.uniform(low_hz, high_hz, 3)
    wave = sum(np.sin(2 * np.pi * f * t + p) for f, p in zip(freqs, phases, strict=True)) / 3
    return wave - wave[0]


def camera_drift(t: np.ndarray, drift_px: float, size: tuple[int, int], rng) -> np.ndarray:
    """(n, 2, 3) similarity per frame: slow hand-held drift, identity on the first frame."""
    w, h = size
    out = np.repeat(np.array([[[1.0, 0, 0], [0, 1.0, 0]]]), t.size, axis=0)
    if not drift_px:
        return out
    dx, dy = (drift_px * _slow_wave(t, rng, 0.05, 0.4) for _ in range(2))
    # a turn that moves the frame's corners by about a third of the shift
    deg = np.degrees(drift_px / 3 / np.hypot(w, h) * 2) * _slow_wave(t, rng, 0.05, 0.4)
    zoom = 1 + 0.3 * drift_px / np.hypot(w, h) * _slow_wave(t, rng, 0.05, 0.3)
    for k in range(t.size):
        m = cv2.getRotationMatrix2D((w / 2, h / 2), float(deg[k]), float(zoom[k]))
        m[:, 2] += (dx[k], dy[k])
        out[k] = m
    return out


# -- rendering --------------------------------------------------------------------------
@dataclass
class PhotoTruth:
    """What the video shows: true point positions per frame (video pixels) and the motion."""

    time_s: np.ndarray
    points: dict[str, np.ndarray]  # landmark name (e.g. right_toe1) -> (n, 2)
    first_points: dict  # toelab's points JSON for the first frame
    foot: str
    view: str
    toe_lift_px: np.ndarray | None = None  # (n, 5) each marked point's motion towards the ankle
    hallux_angle_deg: np.ndarray | None = None  # (n,) true extension angle
    foot_shift_px: np.ndarray | None = None  # (n, 2) whole-foot shift over the floor
    camera: np.ndarray | None = None  # (n, 2, 3) the camera's drift
    leak: np.ndarray | None = None  # ToeWarp.leak()
    params: dict = field(default_factory=dict)


def _sample(image: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """Bilinear samples of ``image`` at float points ``xy`` (h, w, 2), edges repeated."""
    return cv2.remap(image, xy.astype(np.float32), None, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def render(
    path: str | Path,
    foot: FootImage,
    *,
    toe_drive: TimeFunction | None = None,
    hallux_deg: TimeFunction | None = None,
    foot_shift: TimeFunction | None = None,
    fps: float = 30.0,
    duration_s: float = 3.0,
    noise: float = 0.0,
    exposure: float = 0.0,
    drift_px: float = 0.0,
    camera_shift: TimeFunction | None = None,
    crf: int = 23,
    seed: int = 0,
) -> PhotoTruth:
    """Write an H.264 video of ``foot`` moving; every motion is a function of the frame times.

    ``toe_drive(t) -> (n, 5)`` px each toe moves towards the ankle (top view);
    ``hallux_deg(t) -> (n,)`` the hallux's turn towards the dorsum (side view, deg);
    ``foot_shift(t) -> (n, 2)`` the whole foot's shift over the floor (px);
    ``noise`` sensor noise (grey levels, sd); ``exposure`` slow relative gain drift;
    ``drift_px`` slow hand-held camera drift (px);
    ``camera_shift(t) -> (n, 2)`` the camera's own shift over the scene besides (px): a shaking
    camera moves the foot and the floor alike.
    """
    rng = np.random.default_rng(seed)
    t = frame_times(fps, duration_s, False, rng)
    n = t.size
    w, h = foot.size
    drive = np.zeros((n, 5)) if toe_drive is None else np.asarray(toe_drive(t), float).reshape(n, 5)
    turn = np.zeros(n) if hallux_deg is None else np.asarray(hallux_deg(t), float).reshape(n)
    shift = np.zeros((n, 2)) if foot_shift is None else np.asarray(foot_shift(t), float).reshape(n, 2)
    if drive.any() and foot.view != "top":
        raise ValueError("toe lifts need a top view")
    if turn.any() and foot.view != "side":
        raise ValueError("a hallux turn needs a side view")
    camera = camera_drift(t, drift_px, (w, h), rng)
    moved = np.zeros((n, 2)) if camera_shift is None else np.asarray(camera_shift(t), float).reshape(n, 2)
    camera[:, :, 2] += moved
    camera_moves = bool(drift_px) or bool(moved.any())
    gain = 1.0 + exposure * _slow_wave(t, rng, 0.05, 0.25)
    warp = ToeWarp.for_foot(foot, float(np.abs(drive).max())) if foot.view == "top" else None
    hallux = HalluxWarp.for_foot(foot, float(np.abs(turn).max())) if foot.view == "side" else None
    # the part of the layer a warp can touch (in the layer's own pixels)
    toes = None
    if warp is not None:
        margin = np.abs(drive).max() + 2 + warp.spacing_px.max() * 1.1
        lo = warp.tips.min(axis=0) - (margin, warp.spacing_px.max() + warp.fall_px.max() + margin)
        hi = warp.tips.max(axis=0) + margin
        toes = ToeField(warp, lo, hi)
    else:
        lo, hi = hallux.mtp - 1.35 * hallux.reach_px, hallux.mtp + 1.35 * hallux.reach_px
    grid = np.dstack(np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32)))
    # the output pixels the warp can reach, with room for the camera's drift and the foot's shift
    reach = drift_px * 2.0 + np.abs(shift).max() + np.abs(moved).max() + 2
    cx0, cy0 = np.clip(np.floor(lo - reach).astype(int), 0, None)
    cx1, cy1 = np.ceil(hi + reach).astype(int) + 1
    names = [f"{foot.foot}_{p}" for p in (TOES if foot.view == "top" else SIDE_POINTS)]
    points = {name: np.zeros((n, 2)) for name in names}
    writer = _Writer(Path(path), w, h, fps)
    writer.stream.options = {"crf": str(crf), "preset": "veryfast"}
    try:
        for k in range(n):
            # output pixel -> scene (undo the camera) -> foot layer (undo the shift, then the warp)
            inverse = cv2.invertAffineTransform(camera[k]).astype(np.float32)
            scene = grid @ inverse[:, :2].T + inverse[:, 2] if camera_moves else grid
            layer = scene - shift[k].astype(np.float32)
            work = layer[cy0:cy1, cx0:cx1]
            inside = np.all((work >= lo) & (work <= hi), axis=2)
            if toes is not None and drive[k].any():
                xy = work[inside].astype(float)
                xy[:, 1] = toes.source_y(xy, drive[k])
                work[inside] = xy
            elif hallux is not None and turn[k]:
                work[inside] = hallux.source(work[inside].astype(float), np.radians(turn[k]))
            alpha = _sample(foot.alpha, layer)[..., None]
            frame = _sample(foot.background, scene) * (1 - alpha) + _sample(foot.image, layer) * alpha
            frame *= gain[k]
            if noise:
                frame += rng.normal(0, noise, (h, w, 1)).astype(np.float32)
            writer.write(np.clip(frame + 0.5, 0, 255).astype(np.uint8), float(t[k]))
            # where the marked points are
            if toes is not None:
                now = toes.moved(drive[k])
            else:
                now = np.array(
                    [
                        foot.points["heel"],
                        foot.points["mtp1"],
                        hallux.tip(foot.points["hallux_tip"], np.radians(turn[k])),
                    ]
                )
            now = now + shift[k]
            now = now @ camera[k][:, :2].T + camera[k][:, 2]
            for name, p in zip(names, now, strict=True):
                points[name][k] = p
    finally:
        writer.close()
    truth = PhotoTruth(
        t,
        points,
        toelab_points(foot),
        foot.foot,
        foot.view,
        foot_shift_px=shift,
        camera=camera,
        params=dict(
            image=foot.name,
            fps=fps,
            noise=noise,
            exposure=exposure,
            drift_px=drift_px,
            camera_shaken=bool(moved.any()),
            crf=crf,
            seed=seed,
        ),
    )
    if toes is not None:
        truth.leak = toes.leak
        truth.toe_lift_px = drive @ truth.leak
    else:
        truth.hallux_angle_deg = extension_deg(*(points[nm] for nm in names))
    return truth
