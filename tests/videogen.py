"""Synthetic foot videos with known toe motion, written as real H.264 files.

Front view: a foot (dorsum rising behind five toes with nails) seen by a camera at floor
level in front of the toes; each toe's lift (px, upwards) over time is given. Side view:
the medial side of a foot, the hallux rotating about the 1st MTP joint through a given
angle curve. Every video comes with its ground truth: true point positions per frame in
pixels and the motion parameters.

Sprites are drawn 4x supersampled and placed with sub-pixel warps, so a 0.2 px motion
shows in the pixels. Camera orientation: the camera faces the person and does not mirror,
so the right foot shows its big toe on the image's right (towards the other foot).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

SUPERSAMPLE = 4
SKIN_BGR = {
    "light": (170, 190, 235),
    "medium": (110, 150, 200),
    "tan": (80, 120, 170),
    "dark": (45, 70, 110),
    "very_dark": (30, 45, 70),
}
# Toe widths and heights as a fraction of foot width, big toe first.
TOE_WIDTH = (0.27, 0.17, 0.16, 0.15, 0.13)
TOE_HEIGHT = (0.26, 0.19, 0.18, 0.17, 0.15)
TOE_GAP = 0.03
TIME_BASE = Fraction(1, 90000)

Motion = Callable[[np.ndarray], np.ndarray] | np.ndarray


@dataclass
class GroundTruth:
    """What was drawn: per-frame true positions (px, camera image) and the parameters."""

    time_s: np.ndarray
    points: dict[str, np.ndarray]  # landmark name -> (n, 2) px in the (shaken) image
    points_foot: dict[str, np.ndarray]  # same without camera shake (the foot's own frame)
    first_points: list[dict]  # the points JSON for the first frame
    params: dict = field(default_factory=dict)
    hallux_angle_deg: np.ndarray | None = None

    def write_points(self, path: str | Path) -> Path:
        path = Path(path)
        data = self.first_points[0] if len(self.first_points) == 1 else self.first_points
        path.write_text(json.dumps(data))
        return path


# -- motion helpers ---------------------------------------------------------------------
def lift_pulses(
    t: np.ndarray, onsets_s: list[float], height_px: float, duration_s: float = 0.5
) -> np.ndarray:
    """Smooth raised-cosine lifts of ``height_px`` starting at each onset."""
    out = np.zeros_like(t, dtype=float)
    for onset in onsets_s:
        phase = (t - onset) / duration_s
        inside = (phase >= 0) & (phase <= 1)
        out[inside] = np.maximum(out[inside], height_px * 0.5 * (1 - np.cos(2 * np.pi * phase[inside])))
    return out


def _evaluate(motion: Motion | None, t: np.ndarray, n_feet: int, n_points: int) -> np.ndarray:
    if motion is None:
        return np.zeros((t.size, n_feet, n_points))
    values = motion(t) if callable(motion) else np.asarray(motion, dtype=float)
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        values = values[:, None, None]
    if values.ndim == 2:
        values = values[:, None, :]
    return np.broadcast_to(values, (t.size, n_feet, n_points)).copy()


def frame_times(fps: float, duration_s: float, vfr: bool, rng: np.random.Generator) -> np.ndarray:
    n = int(round(duration_s * fps))
    if not vfr:
        return np.arange(n) / fps
    # phone-like variable frame rate: intervals wander between 0.6x and 1.6x nominal
    dt = rng.uniform(0.6, 1.6, n - 1) / fps
    return np.concatenate([[0.0], np.cumsum(dt)])


# -- drawing ----------------------------------------------------------------------------
def _floor(kind: str, width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    if kind == "plain":
        img = np.full((height, width, 3), (150, 160, 165), np.float32)
        img += rng.normal(0, 2.0, (height, width, 1)).astype(np.float32)
    elif kind == "wood":
        y, x = np.mgrid[0:height, 0:width].astype(np.float32)
        grain = np.sin(x * 0.08 + 3 * np.sin(y * 0.01) + rng.uniform(0, 6)) * 0.5 + 0.5
        planks = (np.floor(x / 90) % 2) * 12
        base = np.array((60, 105, 150), np.float32)
        img = base[None, None, :] * (0.75 + 0.3 * grain[..., None]) + planks[..., None]
        img += rng.normal(0, 3.0, (height, width, 1)).astype(np.float32)
    elif kind == "tiles":
        img = np.full((height, width, 3), (200, 205, 210), np.float32)
        img[::70, :] = (120, 120, 120)
        img[:, ::70] = (120, 120, 120)
        img = cv2.GaussianBlur(img, (3, 3), 0)
        img += rng.normal(0, 2.0, (height, width, 1)).astype(np.float32)
    else:
        raise ValueError(f"unknown floor {kind!r}")
    return img


def _skin_texture(shape: tuple[int, int], rng: np.random.Generator, scale: float) -> np.ndarray:
    """Multiplicative skin texture: pores, creases and freckles (so features can be tracked)."""
    h, w = shape
    fine = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 1.2 * scale)
    fine /= fine.std() + 1e-6
    coarse = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 5 * scale)
    coarse /= coarse.std() + 1e-6
    return 1.0 + 0.07 * fine + 0.06 * coarse


@dataclass
class _Sprite:
    bgr: np.ndarray  # (h, w, 3) float32 at 1x
    alpha: np.ndarray  # (h, w) float32 0..1
    origin: np.ndarray  # top-left in image px when the sprite is at rest


def _make_sprite(
    draw: Callable[[np.ndarray, np.ndarray, int], None],
    box: tuple[float, float, float, float],
    colour: tuple[int, int, int],
    rng: np.random.Generator,
) -> _Sprite:
    """Draw at SUPERSAMPLE x into a box (x0, y0, x1, y1) in px, then reduce to 1x."""
    x0, y0, x1, y1 = box
    x0, y0 = np.floor(x0) - 2, np.floor(y0) - 2
    w, h = int(np.ceil(x1 - x0)) + 3, int(np.ceil(y1 - y0)) + 3
    s = SUPERSAMPLE
    mask = np.zeros((h * s, w * s), np.uint8)
    img = np.zeros((h * s, w * s, 3), np.float32)
    img[:] = colour
    draw(img, mask, s)
    img *= _skin_texture(mask.shape, rng, s)[..., None]
    small = cv2.resize(img * (mask[..., None] / 255.0), (w, h), interpolation=cv2.INTER_AREA)
    alpha = cv2.resize(mask.astype(np.float32) / 255.0, (w, h), interpolation=cv2.INTER_AREA)
    bgr = small / np.maximum(alpha[..., None], 1e-3)
    return _Sprite(bgr.astype(np.float32), alpha.astype(np.float32), np.array([x0, y0], float))


def _paste(
    canvas: np.ndarray, sprite: _Sprite, offset: np.ndarray, rotation: np.ndarray | None = None
) -> None:
    """Alpha-blend ``sprite`` moved by ``offset`` (px, sub-pixel), or by a full 2x3 transform."""
    h, w = sprite.alpha.shape
    if rotation is not None:
        # full-frame warp for a rotating sprite
        m = rotation.copy()
        m[:, 2] += m[:, :2] @ sprite.origin
        size = (canvas.shape[1], canvas.shape[0])
        bgr = cv2.warpAffine(sprite.bgr, m, size, flags=cv2.INTER_LINEAR)
        alpha = cv2.warpAffine(sprite.alpha, m, size, flags=cv2.INTER_LINEAR)
        canvas *= 1 - alpha[..., None]
        canvas += bgr * alpha[..., None]
        return
    pos = sprite.origin + offset
    ix, iy = int(np.floor(pos[0])), int(np.floor(pos[1]))
    fx, fy = pos[0] - ix, pos[1] - iy
    m = np.array([[1, 0, fx], [0, 1, fy]], np.float32)
    bgr = cv2.warpAffine(sprite.bgr, m, (w + 1, h + 1), flags=cv2.INTER_LINEAR)
    alpha = cv2.warpAffine(sprite.alpha, m, (w + 1, h + 1), flags=cv2.INTER_LINEAR)
    y0, x0 = max(iy, 0), max(ix, 0)
    y1, x1 = min(iy + h + 1, canvas.shape[0]), min(ix + w + 1, canvas.shape[1])
    if y1 <= y0 or x1 <= x0:
        return
    a = alpha[y0 - iy : y1 - iy, x0 - ix : x1 - ix, None]
    roi = canvas[y0:y1, x0:x1]
    roi *= 1 - a
    roi += bgr[y0 - iy : y1 - iy, x0 - ix : x1 - ix] * a


def _front_foot(
    cx: float, floor_y: float, width: float, foot: str, skin: tuple[int, int, int], rng: np.random.Generator
) -> tuple[_Sprite, list[_Sprite], np.ndarray]:
    """Dorsum sprite, toe sprites (toe1..toe5) and the nail centres (5, 2) at rest."""
    toe_h = np.array(TOE_HEIGHT) * width
    toe_w = np.array(TOE_WIDTH) * width
    # big toe towards the other foot: image right for the right foot (camera not mirrored)
    direction = -1.0 if foot == "right" else 1.0
    total = toe_w.sum() + TOE_GAP * width * 4
    edge = cx - direction * total / 2
    centres = []
    for i in range(5):
        centres.append(edge + direction * toe_w[i] / 2)
        edge += direction * (toe_w[i] + TOE_GAP * width)
    centres = np.array(centres)
    bottoms = floor_y - np.array([0, 0.02, 0.035, 0.05, 0.07]) * width  # smaller toes sit further back
    dorsum_bottom = floor_y - 0.55 * toe_h.max()
    half = total / 2 + 0.04 * width
    shade = tuple(int(c * 0.92) for c in skin)

    def draw_dorsum(img: np.ndarray, mask: np.ndarray, s: int) -> None:
        x0, y0 = dorsum_origin
        poly = np.array(
            [
                [cx - half, dorsum_bottom],
                [cx + half, dorsum_bottom],
                [cx + 0.33 * width, -10],
                [cx - 0.33 * width, -10],
            ]
        )
        pts = np.round((poly - [x0, y0]) * s * 16).astype(np.int32)
        cv2.fillPoly(mask, [pts], 255, cv2.LINE_AA, shift=4)
        # a tendon ridge and darker sides give the dorsum some shape
        rows = np.linspace(0.75, 1.05, img.shape[1], dtype=np.float32)
        img *= (1.0 - 0.25 * np.abs(rows - 0.9))[None, :, None]
        for _ in range(25):
            p = (
                (rng.uniform(cx - half * 0.8, cx + half * 0.8), rng.uniform(10, dorsum_bottom - 5))
                - np.array([x0, y0])
            ) * s
            cv2.circle(img, (int(p[0]), int(p[1])), int(rng.uniform(1.0, 2.5) * s), shade, -1, cv2.LINE_AA)

    dorsum_origin = np.array([np.floor(cx - half) - 2, -12.0])
    dorsum = _make_sprite(draw_dorsum, (cx - half, -10, cx + half, dorsum_bottom + 1), skin, rng)

    toes, nails = [], []
    nail_colour = tuple(int(min(255, c * 1.15 + 30)) for c in skin)
    for i in range(5):
        w, h, xc, yb = toe_w[i], toe_h[i], centres[i], bottoms[i]
        box = (xc - w / 2, yb - h - 0.3 * w, xc + w / 2, yb)
        origin = np.array([np.floor(box[0]) - 2, np.floor(box[1]) - 2])
        nail = np.array([xc, yb - 0.6 * h])

        def draw_toe(
            img: np.ndarray, mask: np.ndarray, s: int, w=w, h=h, xc=xc, yb=yb, nail=nail, origin=origin
        ) -> None:
            def px(p: tuple[float, float]) -> tuple[int, int]:
                return int(round((p[0] - origin[0]) * s * 16)), int(round((p[1] - origin[1]) * s * 16))

            top = yb - h - 0.3 * w
            cv2.rectangle(mask, px((xc - w / 2, top)), px((xc + w / 2, yb - w / 2)), 255, -1, cv2.LINE_AA, 4)
            cv2.ellipse(
                mask,
                px((xc, yb - w / 2)),
                (int(w / 2 * s * 16), int(w / 2 * s * 16)),
                0,
                0,
                180,
                255,
                -1,
                cv2.LINE_AA,
                4,
            )
            # rounded sides: darker towards the edges of the toe
            cols = np.linspace(-1, 1, img.shape[1], dtype=np.float32)
            img *= (1.0 - 0.3 * cols**4)[None, :, None]
            axes = (int(0.3 * w * s * 16), int(0.22 * h * s * 16))
            cv2.ellipse(
                img,
                px(nail),
                axes,
                0,
                0,
                360,
                (0.7 * skin[0], 0.7 * skin[1], 0.7 * skin[2]),
                -1,
                cv2.LINE_AA,
                4,
            )
            inner = (int(axes[0] * 0.85), int(axes[1] * 0.8))
            cv2.ellipse(
                img, px((nail[0], nail[1] + 0.02 * h)), inner, 0, 0, 360, nail_colour, -1, cv2.LINE_AA, 4
            )
            cv2.ellipse(
                img,
                px((nail[0], nail[1] - 0.1 * h)),
                (inner[0], inner[1] // 3),
                0,
                0,
                180,
                (nail_colour[0] * 0.85, nail_colour[1] * 0.85, nail_colour[2] * 0.85),
                -1,
                cv2.LINE_AA,
                4,
            )

        toes.append(_make_sprite(draw_toe, box, skin, rng))
        nails.append(nail)
    return dorsum, toes, np.array(nails)


def _shake(t: np.ndarray, shake_px: float, shake_deg: float, rng: np.random.Generator) -> np.ndarray:
    """Hand-held camera jitter: smooth random translation (px) and rotation (deg) per frame."""
    n = t.size
    out = np.zeros((n, 3))
    if shake_px == 0 and shake_deg == 0:
        return out
    for k, amp in enumerate((shake_px, shake_px, shake_deg)):
        phases = rng.uniform(0, 2 * np.pi, 3)
        freqs = rng.uniform(0.5, 4.0, 3)
        wave = sum(np.sin(2 * np.pi * f * t + p) for f, p in zip(freqs, phases, strict=True)) / 3
        out[:, k] = amp * (wave - wave[0])
    return out


def _camera_matrix(dx: float, dy: float, deg: float, width: int, height: int) -> np.ndarray:
    m = cv2.getRotationMatrix2D((width / 2, height / 2), deg, 1.0)
    m[:, 2] += (dx, dy)
    return m


class _Writer:
    """H.264 (libx264, yuv420p) writer with explicit presentation timestamps."""

    def __init__(
        self, path: Path, width: int, height: int, fps: float, rotation_deg: int = 0, faststart: bool = False
    ):
        # faststart puts the index first, so a file cut short still has its frames readable
        self.container = av.open(str(path), "w", options={"movflags": "+faststart"} if faststart else {})
        self.stream = self.container.add_stream("libx264", rate=int(round(fps)))
        self.stream.width, self.stream.height = width, height
        self.stream.pix_fmt = "yuv420p"
        self.stream.options = {"crf": "16", "preset": "veryfast"}
        self.stream.codec_context.time_base = TIME_BASE
        self.stream.time_base = TIME_BASE
        if rotation_deg:
            # the display matrix holds a counter-clockwise angle: -r asks players to turn r clockwise
            self.stream.set_display_rotation(-rotation_deg)

    def write(self, image: np.ndarray, t: float) -> None:
        frame = av.VideoFrame.from_ndarray(image, format="bgr24")
        frame.pts = int(round(t / TIME_BASE))
        frame.time_base = TIME_BASE
        for packet in self.stream.encode(frame):
            self.container.mux(packet)

    def close(self) -> None:
        for packet in self.stream.encode():
            self.container.mux(packet)
        self.container.close()


def write_frames(
    path: str | Path,
    images: list[np.ndarray],
    times_s: np.ndarray,
    *,
    fps: float = 30.0,
    rotation_deg: int = 0,
    faststart: bool = False,
) -> Path:
    """Write upright BGR images at the given timestamps (stored turned when ``rotation_deg``)."""
    path = Path(path)
    height, width = images[0].shape[:2]
    size = (height, width) if rotation_deg in (90, 270) else (width, height)
    writer = _Writer(path, *size, fps, rotation_deg, faststart)
    try:
        for image, t in zip(images, times_s, strict=True):
            writer.write(_unrotate(image, rotation_deg), float(t))
    finally:
        writer.close()
    return path


def _finish(
    canvas: np.ndarray, t: float, flicker: float, noise: float, rng: np.random.Generator
) -> np.ndarray:
    if flicker:
        # mains-light flicker beating against the frame rate plus random gain steps
        canvas = canvas * (1 + flicker * (np.sin(2 * np.pi * 3.1 * t) + 0.5 * rng.uniform(-1, 1)))
    if noise:
        canvas = canvas + rng.normal(0, noise, canvas.shape[:2])[..., None]
    return np.clip(canvas + 0.5, 0, 255).astype(np.uint8)


def render_front(
    path: str | Path,
    lifts: Motion | None = None,
    *,
    feet: tuple[str, ...] = ("right",),
    fps: float = 30.0,
    duration_s: float = 3.0,
    width: int = 640,
    height: int = 480,
    foot_width_px: float = 220.0,
    skin: str = "medium",
    floor: str = "plain",
    shake_px: float = 0.0,
    shake_deg: float = 0.0,
    flicker: float = 0.0,
    noise: float = 0.0,
    vfr: bool = False,
    rotation_deg: int = 0,
    seed: int = 0,
) -> GroundTruth:
    """Write a front-view video; ``lifts(t) -> (n, 5)`` or ``(n, n_feet, 5)`` upward px per toe.

    ``rotation_deg`` stores the frames turned so that a reader must rotate them clockwise by
    that much to see them upright (as phones do for portrait video).
    """
    rng = np.random.default_rng(seed)
    t = frame_times(fps, duration_s, vfr, rng)
    lift = _evaluate(lifts, t, len(feet), 5)
    floor_img = _floor(floor, width, height, rng)
    floor_y = height * 0.82
    if len(feet) == 1:
        centres = [width / 2]
    else:
        # the person's right foot is on the image's left (camera faces the person)
        centres = [width * (0.28 if f == "right" else 0.72) for f in feet]
        foot_width_px = min(foot_width_px, width * 0.4)
    models = [
        _front_foot(c, floor_y, foot_width_px, f, SKIN_BGR[skin], rng)
        for c, f in zip(centres, feet, strict=True)
    ]
    shake = _shake(t, shake_px, shake_deg, rng)
    names = [f"{f}_toe{i + 1}" for f in feet for i in range(5)]
    points = {n: np.zeros((t.size, 2)) for n in names}
    points_foot = {n: np.zeros((t.size, 2)) for n in names}
    writer = _Writer(
        Path(path), *((height, width) if rotation_deg in (90, 270) else (width, height)), fps, rotation_deg
    )
    try:
        for k, tk in enumerate(t):
            canvas = floor_img.copy()
            for f_idx, (dorsum, toes, _) in enumerate(models):
                _paste(canvas, dorsum, np.zeros(2))
                for i, toe in enumerate(toes):
                    _paste(canvas, toe, np.array([0.0, -lift[k, f_idx, i]]))
            m = _camera_matrix(*shake[k], width, height)
            if shake_px or shake_deg:
                canvas = cv2.warpAffine(
                    canvas, m, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT
                )
            for f_idx, (foot, (_, _, nails)) in enumerate(zip(feet, models, strict=True)):
                for i in range(5):
                    p = nails[i] + (0.0, -lift[k, f_idx, i])
                    points_foot[f"{foot}_toe{i + 1}"][k] = p
                    points[f"{foot}_toe{i + 1}"][k] = m[:, :2] @ p + m[:, 2]
            image = _finish(canvas, tk, flicker, noise, rng)
            writer.write(_unrotate(image, rotation_deg), tk)
    finally:
        writer.close()
    first = [
        {
            "view": "front",
            "foot": foot,
            **{f"toe{i + 1}": points[f"{foot}_toe{i + 1}"][0].round(2).tolist() for i in range(5)},
        }
        for foot in feet
    ]
    params = dict(
        view="front",
        feet=feet,
        fps=fps,
        skin=skin,
        floor=floor,
        shake_px=shake_px,
        shake_deg=shake_deg,
        flicker=flicker,
        noise=noise,
        vfr=vfr,
        foot_width_px=foot_width_px,
        lifts_px=lift,
    )
    return GroundTruth(t, points, points_foot, first, params)


def _unrotate(image: np.ndarray, clockwise_deg: int) -> np.ndarray:
    """Store an upright image the way a rotated phone video does."""
    if clockwise_deg == 90:
        return cv2.rotate(image, cv2.ROTATE_90_COUNTERCLOCKWISE)
    if clockwise_deg == 180:
        return cv2.rotate(image, cv2.ROTATE_180)
    if clockwise_deg == 270:
        return cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE)
    return image


def render_side(
    path: str | Path,
    angle_deg: Motion | None = None,
    *,
    foot: str = "right",
    fps: float = 30.0,
    duration_s: float = 3.0,
    width: int = 640,
    height: int = 480,
    foot_length_px: float = 420.0,
    skin: str = "medium",
    floor: str = "plain",
    shake_px: float = 0.0,
    shake_deg: float = 0.0,
    flicker: float = 0.0,
    noise: float = 0.0,
    seed: int = 0,
) -> GroundTruth:
    """Write a medial side view; the hallux rotates up by ``angle_deg(t)`` about the 1st MTP joint."""
    rng = np.random.default_rng(seed)
    t = frame_times(fps, duration_s, False, rng)
    theta = _evaluate(angle_deg, t, 1, 1)[:, 0, 0]
    floor_img = _floor(floor, width, height, rng)
    colour = SKIN_BGR[skin]
    floor_y = height * 0.78
    length = foot_length_px * 0.72  # heel to 1st MTP joint
    heel_x = (width - foot_length_px) / 2 + 0.04 * foot_length_px
    heel = np.array([heel_x + 0.05 * length, floor_y - 0.05 * length])
    mtp1 = np.array([heel_x + length, floor_y - 0.1 * length])
    hallux_len = 0.3 * length
    thick = 0.13 * length
    top_y = mtp1[1] - 0.1 * length

    def draw_body(img: np.ndarray, mask: np.ndarray, s: int) -> None:
        x0, y0 = body_origin
        poly = np.array(
            [
                [heel_x - 0.03 * length, floor_y - 0.3 * length],
                [heel_x + 0.02 * length, floor_y],
                [heel_x + 0.3 * length, floor_y - 0.02 * length],
                [heel_x + 0.55 * length, floor_y - 0.08 * length],  # medial arch
                [mtp1[0] + 0.04 * length, floor_y],
                [mtp1[0] + 0.09 * length, mtp1[1] - 0.02 * length],
                [mtp1[0] + 0.02 * length, top_y],
                [heel_x + 0.45 * length, floor_y - 0.45 * length],
                [heel_x + 0.3 * length, -10],
                [heel_x, -10],
            ]
        )
        pts = np.round((poly - [x0, y0]) * s * 16).astype(np.int32)
        cv2.fillPoly(mask, [pts], 255, cv2.LINE_AA, shift=4)
        for _ in range(60):
            p = (
                np.array([rng.uniform(heel_x, mtp1[0]), rng.uniform(floor_y - 0.5 * length, floor_y)])
                - [x0, y0]
            ) * s
            cv2.circle(
                img,
                (int(p[0]), int(p[1])),
                int(rng.uniform(1.0, 2.5) * s),
                tuple(int(c * 0.85) for c in colour),
                -1,
                cv2.LINE_AA,
            )

    body_origin = np.array([np.floor(heel_x - 0.03 * length) - 2, -12.0])
    body = _make_sprite(
        draw_body, (heel_x - 0.03 * length, -10, mtp1[0] + 0.1 * length, floor_y + 1), colour, rng
    )

    def draw_hallux(img: np.ndarray, mask: np.ndarray, s: int) -> None:
        x0, y0 = hallux_origin

        def px(p: np.ndarray) -> tuple[int, int]:
            q = (p - [x0, y0]) * s * 16
            return int(round(q[0])), int(round(q[1]))

        r = thick / 2
        cv2.circle(mask, px(mtp1), int(r * 1.1 * s * 16), 255, -1, cv2.LINE_AA, 4)
        cv2.rectangle(mask, px(mtp1 - [0, r]), px(mtp1 + [hallux_len - r, r]), 255, -1, cv2.LINE_AA, 4)
        cv2.circle(mask, px(mtp1 + [hallux_len - r, 0]), int(r * s * 16), 255, -1, cv2.LINE_AA, 4)
        nail_c = mtp1 + [hallux_len - 0.35 * thick, -0.3 * thick]
        cv2.ellipse(
            img,
            px(nail_c),
            (int(0.3 * thick * s * 16), int(0.12 * thick * s * 16)),
            0,
            0,
            360,
            tuple(int(min(255, c * 1.15 + 30)) for c in colour),
            -1,
            cv2.LINE_AA,
            4,
        )
        cv2.line(
            img,
            px(mtp1 + [0.45 * hallux_len, -r]),
            px(mtp1 + [0.5 * hallux_len, 0]),
            tuple(int(c * 0.75) for c in colour),
            2 * s,
            cv2.LINE_AA,
            4,
        )

    hallux_origin = np.floor(mtp1 - [thick * 0.6, thick * 0.6]) - 2
    hallux = _make_sprite(
        draw_hallux,
        (mtp1[0] - thick * 0.6, mtp1[1] - thick * 0.6, mtp1[0] + hallux_len + 2, mtp1[1] + thick * 0.6),
        colour,
        rng,
    )
    tip0 = mtp1 + [hallux_len, 0.0]
    shake = _shake(t, shake_px, shake_deg, rng)
    names = [f"{foot}_heel", f"{foot}_mtp1", f"{foot}_hallux_tip"]
    points = {n: np.zeros((t.size, 2)) for n in names}
    points_foot = {n: np.zeros((t.size, 2)) for n in names}
    writer = _Writer(Path(path), width, height, fps)
    try:
        for k, tk in enumerate(t):
            canvas = floor_img.copy()
            _paste(canvas, body, np.zeros(2))
            # the hallux rotates up: counter-clockwise on screen (image y points down)
            rot = cv2.getRotationMatrix2D((float(mtp1[0]), float(mtp1[1])), float(theta[k]), 1.0)
            _paste(canvas, hallux, np.zeros(2), rotation=rot)
            tip = rot[:, :2] @ tip0 + rot[:, 2]
            m = _camera_matrix(*shake[k], width, height)
            if shake_px or shake_deg:
                canvas = cv2.warpAffine(
                    canvas, m, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT
                )
            for name, p in zip(names, (heel, mtp1, tip), strict=True):
                points_foot[name][k] = p
                points[name][k] = m[:, :2] @ p + m[:, 2]
            if foot == "right":
                # drawn toes-right, as a left foot is seen from its inner side: a right foot's
                # inner side shows its toes pointing left
                canvas = np.ascontiguousarray(canvas[:, ::-1])
            writer.write(_finish(canvas, tk, flicker, noise, rng), tk)
    finally:
        writer.close()
    a = points[names[1]] - points[names[0]]
    b = points[names[2]] - points[names[1]]
    # extension: the hallux turned up (image y down) relative to the heel->mtp1 line, as drawn
    truth = np.degrees(np.arctan2(a[:, 0] * -b[:, 1] - -a[:, 1] * b[:, 0], (a * b).sum(axis=1)))
    if foot == "right":
        for name in names:
            points[name][:, 0] = width - 1 - points[name][:, 0]
            points_foot[name][:, 0] = width - 1 - points_foot[name][:, 0]
    first = [
        {"view": "side", "foot": foot, **{n.split("_", 1)[1]: points[n][0].round(2).tolist() for n in names}}
    ]
    params = dict(
        view="side",
        foot=foot,
        fps=fps,
        skin=skin,
        floor=floor,
        shake_px=shake_px,
        shake_deg=shake_deg,
        flicker=flicker,
        noise=noise,
        rotation_deg=theta,
    )
    return GroundTruth(t, points, points_foot, first, params, hallux_angle_deg=truth)


# -- sound ------------------------------------------------------------------------------
def click_track(beat_times_s: np.ndarray, duration_s: float, sample_rate_hz: int = 48000) -> np.ndarray:
    """Metronome clicks (1 kHz, 20 ms, fast decay) starting exactly at ``beat_times_s``."""
    out = np.zeros(round(duration_s * sample_rate_hz), dtype=np.float32)
    n = round(0.020 * sample_rate_hz)
    for onset_s in beat_times_s:
        start = int(np.ceil(onset_s * sample_rate_hz))
        t = start / sample_rate_hz - onset_s + np.arange(n) / sample_rate_hz
        out[start : start + n] += (0.4 * np.sin(2 * np.pi * 1000.0 * t) * np.exp(-t / 0.008))[
            : max(0, out.size - start)
        ]
    return out


def add_sound_track(video_path: str | Path, out_path: str | Path, samples: np.ndarray, rate_hz: int) -> Path:
    """Copy a video's packets into ``out_path`` and add ``samples`` (mono) as an AAC sound track
    starting at the video's time zero, as a phone records the room's sound with the picture."""
    from fractions import Fraction

    out_path = Path(out_path)
    with av.open(str(video_path)) as source, av.open(str(out_path), "w") as target:
        video_in = source.streams.video[0]
        video_out = target.add_stream_from_template(video_in)
        sound = target.add_stream("aac", rate=rate_hz)
        sound.layout = "mono"
        for packet in source.demux(video_in):
            if packet.dts is None:
                continue
            packet.stream = video_out
            target.mux(packet)
        chunk_n = sound.codec_context.frame_size or 1024
        for start in range(0, samples.size, chunk_n):
            frame = av.AudioFrame.from_ndarray(
                samples[None, start : start + chunk_n].astype(np.float32), format="fltp", layout="mono"
            )
            frame.sample_rate = rate_hz
            frame.time_base = Fraction(1, rate_hz)
            frame.pts = start
            target.mux(sound.encode(frame))
        target.mux(sound.encode())
    return out_path
