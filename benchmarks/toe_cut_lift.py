"""Toe isolation on top-view videos made a second way, unlike ``tests/photovideo.py``.

    python benchmarks/toe_cut_lift.py                    # every case, one render each
    python benchmarks/toe_cut_lift.py 032_30fps FOCUS_itw_000813_all60
    python benchmarks/toe_cut_lift.py --renders 3 032 057   # every condition of two sources

``tests/photovideo.py`` lifts a toe by a smooth warp of the whole picture, with soft borders
about 27 px wide between the toes, so a toe's skin near its neighbour moves partly with the
neighbour. Here, from the same marked top views (``tests/data/feet``, the ten with all five
toes visible; the foot's mask or alpha as ``photovideo.load`` gives it), each toe is cut out
as one rigid piece and moved whole, so every pixel of a toe moves exactly as its marked point
does and no toe's motion leaks into another's:

* **The piece.** The foot's pixels nearer to that toe's axis than to any other toe's (a hard
  border, no blend), cut off at the base by a line square to the axis ``CUT_SPACINGS`` toe
  spacings (distance to the nearest other toe point) behind the point, ``AHEAD_SPACINGS`` ahead
  of it and ``REACH_SPACINGS`` to the side. The axis runs from ``AHEAD_SPACINGS`` ahead of the
  marked point (on the nail: the toe's pad lies ahead of it) back along the toes' direction
  marked on the picture, without end. (With the axis starting at the marked point, on the
  oblique views whose toe points lie nearly in a line along that direction the border bent
  around the tip of the toe behind, the piece took in that toe's pad and carried it along: on
  030 the little toe "followed" the 4th by 100 % instead of 60 %, on 000607's other foot the
  4th followed the 3rd by 79 % instead of 3 %.) A phone photo's GrabCut
  mask takes in floor and shadow beside the toes, so near the toes it keeps only the pixels
  whose chroma is likelier the toes' than the floor's; the piece takes the toe's soft outline
  with it (2 px past the mask on a render, 4 on a photo), so none of it stays behind.
* **A lift** of h px moves the piece by h along the toe's axis towards the ankle
  (``cv2.warpAffine``), drawn over its own base with a feathered edge (about 1.5 px). Where a
  piece meets another, the toe whose point lies further back is drawn on top, so a lifting toe
  slides under the toe behind it and does not cover that toe's marked point (the one that moves
  more on top, as first planned, lets a lifting toe cover a still neighbour's point wherever
  the toes lie in a line along their direction; ``CutFoot.hidden`` measures what is left).
* **What a lift uncovers** is decided by what lies just beyond the piece's tip in the picture:
  floor there, real floor copied from elsewhere in the same picture here (the nearest place,
  away from the mask and ahead of the toes' line, whose floor best continues the floor around
  the toes, its shading matched to theirs; not a smooth inpaint); a neighbouring toe there, the
  colour of the gap between the two (or their crease where they touch); the rest of the foot
  there (or a shadow the mask took in), that, continued.

The motion is the isolation plan of ``benchmarks/video_truth.py``: each toe instructed
``LIFTS_PER_TOE`` times in turn to ``LIFT_PER_FOOT_WIDTH`` of the foot's width, its
neighbours following by the nominal co-movement matrix of ``tests/test_video_accuracy.py``;
the true individuation index per toe is ``individuation_truth`` of that matrix. Conditions
(those of ``video_truth.CONDITIONS``): 30 fps; 60 fps; the other foot (the picture mirrored);
sensor noise (3 grey levels) and slow exposure drift (8 %); slow hand-held drift of the whole
frame (``photovideo.camera_drift``, up to about 5 px); all of these at 60 fps. H.264
(libx264, yuv420p, CRF 23) through PyAV.

Each case goes through ``track_video`` and the task registry (quality gates applied, as
``toelab analyze`` gives it) and counts as right (every toe's index within 0.07 of the
truth), withheld (some toe's index not given, the ones given within 0.07) or wrong (an index
given more than 0.07 off); the lift-detection F1 is printed beside it, and for a wrong case
the followers toelab reported against the true ones.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

import av
import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import photovideo  # noqa: E402
from test_video_accuracy import (  # noqa: E402
    MAX_II_ERROR,
    IsolationPlan,
    co_movement_matrix,
    isolation_plan,
    score_lifts,
)
from video_truth import (  # noqa: E402
    CONDITIONS,
    LIFT_PER_FOOT_WIDTH,
    LIFTS_PER_TOE,
    _isolation_verdict,
)

from toelab.analysis.individuation import CO_MOVED_FRACTION  # noqa: E402
from toelab.analysis.lifts import lifts_from_recording  # noqa: E402
from toelab.errors import ToelabError  # noqa: E402
from toelab.synthetic.movement import individuation_truth  # noqa: E402
from toelab.tasks import AnalysisOptions, run_task  # noqa: E402
from toelab.track import parse_points, track_video  # noqa: E402

CUT_SPACINGS = 1.2  # the piece's base: this many toe spacings behind the marked point
AHEAD_SPACINGS = 0.75  # its tip: no farther ahead of the marked point (on the nail) than this
REACH_SPACINGS = 1.0  # and no farther from its axis than this (the outer sides of the 1st and 5th)
FEATHER_PX = 0.8  # Gaussian sigma of the piece's edge
CREASE_SHARE = 0.2  # the crease shade: the darkest this share of skin along the toes' borders
SLUGS = {
    "30fps": "30fps",
    "60fps": "60fps",
    "other foot": "other",
    "noise+exposure": "noise",
    "hand-held drift": "hand",
    "all, 60fps, other foot": "all60",
}


class CutFoot:
    """One marked top view (turned into toelab's layout, optionally mirrored) with each toe cut
    out as a rigid piece."""

    def __init__(self, name: str, mirror: bool):
        foot = self.foot = photovideo.load(name, mirror)
        self.image = foot.image  # (h, w, 3) float32 BGR
        self.alpha = foot.alpha  # (h, w) float32 0..1
        self.tips = foot.toe_points
        self.back = foot.toe_axis / np.linalg.norm(foot.toe_axis)  # towards the ankle
        distance = np.linalg.norm(self.tips[:, None] - self.tips[None], axis=-1)
        np.fill_diagonal(distance, np.inf)
        self.spacing = distance.min(axis=1)
        h, w = self.alpha.shape
        ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
        bx, by = self.back
        axis_distance, along = [], []
        for (tx, ty), spacing in zip(self.tips, self.spacing, strict=True):
            a = (xs - tx) * bx + (ys - ty) * by  # along the toe, + towards the ankle
            across = -(xs - tx) * by + (ys - ty) * bx
            gap = np.maximum(-a - AHEAD_SPACINGS * spacing, 0.0)
            axis_distance.append(np.hypot(across, gap))
            along.append(a)
        axis_distance, along = np.array(axis_distance), np.array(along)
        owner = axis_distance.argmin(axis=0)
        if foot.kind == "photo":
            self.alpha = self._skin_only(axis_distance, along)
        skin = self.alpha > 0.5
        # how far the toe's soft outline (and its contact shadow) reaches past the mask: 2 px on a
        # render, 4 on a phone photo (soft focus, a mask made at half size)
        self._rim = np.ones((9, 9) if foot.kind == "photo" else (5, 5), np.uint8)
        self.support, self.piece_alpha = [], []
        for i in range(5):
            cell = (
                (owner == i)
                & (along[i] <= CUT_SPACINGS * self.spacing[i])
                & (along[i] >= -AHEAD_SPACINGS * self.spacing[i])
                & (axis_distance[i] <= REACH_SPACINGS * self.spacing[i])
            )
            _, labels = cv2.connectedComponents((cell & skin).astype(np.uint8), connectivity=8)
            x, y = np.round(self.tips[i]).astype(int)
            keep = labels[y, x] or np.bincount(labels[labels > 0]).argmax()
            body = (labels == keep).astype(np.uint8)
            # holes (a nail the colours took for floor) filled
            contours, _ = cv2.findContours(body, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
            cv2.drawContours(body, contours, -1, 1, -1)
            body &= cell.astype(np.uint8)
            # the soft outline against the floor goes with the toe (the mask may end a pixel or two
            # inside it), so none of it stays behind as a ghost of the toe's edge
            support = cv2.dilate(body, self._rim).astype(bool) & cell
            self.support.append(support)
            # hard border to the neighbours and at the base, feathered over a pixel or two
            self.piece_alpha.append(cv2.GaussianBlur(support.astype(np.float32), (0, 0), FEATHER_PX))
        self.gap = self._gap_shades(skin)
        # drawing order (see ``render``): the toe whose point lies furthest back last; and which
        # pieces lie within a lift (and the feathered edges) of each other
        self.order = np.argsort(self.tips @ self.back, kind="stable")
        reach = 2 * int(math.ceil(2 * LIFT_PER_FOOT_WIDTH * foot.foot_width_px)) + 7
        grown = [cv2.dilate(s.astype(np.uint8), np.ones((reach, reach), np.uint8)) > 0 for s in self.support]
        self.near = np.array(
            [[i != j and bool((grown[i] & self.support[j]).any()) for j in range(5)] for i in range(5)]
        )
        self.box = self._box()
        self.floor = self._floor_source()

    def _skin_only(self, axis_distance: np.ndarray, along: np.ndarray) -> np.ndarray:
        """A photo's GrabCut mask may take in floor beside the toes: near the toes, keep only the
        pixels whose colour is likelier the toes' (sampled along their axes) than the floor's
        (sampled just outside the mask), by a Gaussian model of each in
        Lab's chroma."""
        # chroma only (a, b): a shadow on the floor is the floor's colour, darker
        lab = cv2.cvtColor(np.clip(self.image, 0, 255).astype(np.uint8), cv2.COLOR_BGR2LAB).astype(np.float32)
        lab = lab[..., 1:]
        spacing = self.spacing[:, None, None]
        on_axis = np.any((axis_distance < 0.25 * spacing) & (along >= 0) & (along <= spacing), axis=0)
        near = axis_distance.min(axis=0) < 2.0 * float(self.spacing.max())
        toe_samples = lab[on_axis & (self.alpha > 0.5)]
        floor_samples = lab[near & (self.alpha < 0.1)]
        if len(toe_samples) < 50 or len(floor_samples) < 50:
            return self.alpha

        def log_likelihood(samples: np.ndarray) -> np.ndarray:
            mean = samples.mean(axis=0)
            cov = np.cov(samples.T) + 1.0 * np.eye(2)
            d = lab - mean
            return -0.5 * (
                np.einsum("...i,ij,...j->...", d, np.linalg.inv(cov), d) + np.log(np.linalg.det(cov))
            )

        ratio = cv2.GaussianBlur(
            (log_likelihood(toe_samples) - log_likelihood(floor_samples)).astype(np.float32), (0, 0), 1.0
        )
        toe = cv2.morphologyEx((ratio > 0).astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
        keep = np.where(near, cv2.GaussianBlur(toe.astype(np.float32), (0, 0), 0.8), 1.0)
        return self.alpha * keep

    def _gap_shades(self, skin: np.ndarray) -> np.ndarray:
        """(5, 5, 3): what shows between toe i and toe j where one moves away from the other: the
        gap's own colour where the picture shows a gap between them (floor, shadow), else the
        crease's (the darkest ``CREASE_SHARE`` of the skin along their border)."""
        grown = [cv2.dilate(s.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool) for s in self.support]
        borders = {(i, j): grown[i] & grown[j] for i in range(5) for j in range(i + 1, 5)}
        every = np.any(list(borders.values()), axis=0)
        values = self.image[every & skin] if (every & skin).sum() >= 10 else self.image[np.any(grown, axis=0)]
        grey = values.mean(axis=1)
        crease = values[grey <= np.quantile(grey, CREASE_SHARE)].mean(axis=0)
        out = np.repeat(np.repeat(crease[None, None], 5, axis=0), 5, axis=1).astype(np.float32)
        for (i, j), border in borders.items():
            gap, creased = self.image[border & ~skin], self.image[border & skin]
            if len(gap) >= 10:
                out[i, j] = out[j, i] = np.median(gap, axis=0)
            elif len(creased) >= 10:
                grey = creased.mean(axis=1)
                out[i, j] = out[j, i] = creased[grey <= np.quantile(grey, CREASE_SHARE)].mean(axis=0)
        return out

    def _box(self) -> tuple[int, int, int, int]:
        """The pixels a lift can change: the pieces with room for the largest lift and the edge."""
        ys, xs = np.nonzero(np.any(self.support, axis=0))
        margin = int(math.ceil(0.2 * self.foot.foot_width_px)) + 8
        h, w = self.alpha.shape
        return (
            max(0, xs.min() - margin),
            max(0, ys.min() - margin),
            min(w, xs.max() + margin + 1),
            min(h, ys.max() + margin + 1),
        )

    def _floor_source(self) -> np.ndarray:
        """The picture shifted so that every pixel a lift may uncover is taken from real floor
        elsewhere: the nearest place away from the foot's mask and ahead of the line through the
        toe points (a render's mask leaves out the leg, which lies behind the toes), its
        brightness matched to the floor around the toes (shadows fall there)."""
        h, w = self.alpha.shape
        need = cv2.dilate(np.any(self.support, axis=0).astype(np.uint8), np.ones((5, 5), np.uint8))
        ys, xs = np.nonzero(need)
        x0, y0, x1, y1 = xs.min(), ys.min(), xs.max() + 1, ys.max() + 1
        kernel = need[y0:y1, x0:x1].astype(np.float32)
        far = cv2.dilate((self.alpha > 0.02).astype(np.uint8), np.ones((9, 9), np.uint8)).astype(np.float32)
        # overlap[y, x]: foot pixels under the needed pixels moved to start at (x, y)
        overlap = cv2.filter2D(far, -1, kernel, anchor=(0, 0), borderType=cv2.BORDER_CONSTANT)
        top, left = np.mgrid[0:h, 0:w]
        dx, dy = left - x0, top - y0
        line = self.tips[-1] - self.tips[0]
        ahead = np.array([line[1], -line[0]]) / np.linalg.norm(line)
        if ahead @ self.back > 0:
            ahead = -ahead
        # every needed pixel, moved by (dx, dy), at least a toe spacing ahead of the toes' line
        behind = float(((np.column_stack([xs, ys]) - self.tips[0]) @ ahead).min())
        free = (overlap < 0.5) & (left + (x1 - x0) <= w) & (top + (y1 - y0) <= h)
        free &= behind + dx * ahead[0] + dy * ahead[1] >= self.spacing.min()
        if not (free & (top % 2 == 0) & (left % 2 == 0)).any():
            raise RuntimeError(f"{self.foot.name}: no floor patch as large as the toes")
        # of those, the one whose floor continues the floor around the toes best (stripes in
        # phase), nearer ones preferred a little
        ring = (
            cv2.dilate(need, np.ones((17, 17), np.uint8)).astype(bool)
            & ~need.astype(bool)
            & (self.alpha < 0.02)
        )
        ry, rx = np.nonzero(ring)
        ys, xs = np.nonzero(free & (top % 2 == 0) & (left % 2 == 0))
        dx, dy = xs - x0, ys - y0
        cost = 0.02 * np.hypot(dx, dy)
        if len(ry) >= 20:
            step = max(1, len(ry) // 300)
            ry, rx = ry[::step], rx[::step]
            want = self.image[ry, rx]
            for k in range(0, len(xs), 512):
                qy = np.clip(ry[None, :] + dy[k : k + 512, None], 0, h - 1)
                qx = np.clip(rx[None, :] + dx[k : k + 512, None], 0, w - 1)
                cost[k : k + 512] += np.abs(self.image[qy, qx] - want).mean(axis=(1, 2))
        best = int(np.argmin(cost))
        dx, dy = int(dx[best]), int(dy[best])
        self.floor_shift = (dx, dy)
        shift = np.float32([[1, 0, dx], [0, 1, dy]])
        # copy[y, x] = image[y + dy, x + dx]
        copy = cv2.warpAffine(
            self.image,
            shift,
            (w, h),
            flags=cv2.INTER_NEAREST | cv2.WARP_INVERSE_MAP,
            borderMode=cv2.BORDER_REFLECT,
        )
        # the floor's shading around the toes, over the copy's (a smooth gain, per channel)
        ring = ring.astype(np.float32)[..., None]
        if ring.sum() < 20:
            return copy
        overall = (self.image * ring).sum(axis=(0, 1)) / np.maximum((copy * ring).sum(axis=(0, 1)), 1.0)
        sigma = max(4.0, 0.3 * float(self.spacing.mean()))
        here = cv2.GaussianBlur(self.image * ring, (0, 0), sigma)
        there = cv2.GaussianBlur(copy * ring, (0, 0), sigma)
        weight = cv2.GaussianBlur(ring[..., 0], (0, 0), sigma)[..., None]
        local = here / np.maximum(there, 1.0)
        trust = weight / (weight + 0.05)
        gain = np.clip(trust * local + (1 - trust) * overall, 0.4, 2.5)
        return copy * gain

    def render(self, lift_px: np.ndarray) -> np.ndarray:
        """The picture with toe i moved ``lift_px[i]`` px towards the ankle: (h, w, 3) float32."""
        frame = self.image.copy()
        moving = [i for i in np.argsort(lift_px, kind="stable") if lift_px[i] > 1e-3]
        if not moving:
            return frame
        x0, y0, x1, y1 = self.box
        size = (x1 - x0, y1 - y0)
        image, alpha, floor = (a[y0:y1, x0:x1] for a in (self.image, self.alpha, self.floor))
        out = image.copy()
        bx, by = self.back
        # 1) each moving piece's place: what lies just beyond its tip decides what shows where it
        # was: its own skin there (the piece covers this pixel again), the picture as it was; a
        # neighbouring toe there, the gap's shade between the two; floor there, floor copied from
        # elsewhere; other parts of the foot (or a shadow the mask took in), that, continued
        edges = [e[y0:y1, x0:x1] for e in self.piece_alpha]
        for i in moving:
            reach = lift_px[i] + 2.0
            beyond = np.float32([[1, 0, -bx * reach], [0, 1, -by * reach]])
            own = self._moved(edges[i], beyond, size)
            others = [(j, self._moved(e, beyond, size)) for j, e in enumerate(edges) if j != i]
            total = sum(o for _, o in others)
            scale = np.minimum(total, 1 - own) / np.maximum(total, 1e-6)
            other = total * scale
            skin = np.clip((self._moved(alpha, beyond, size) - 0.3) / 0.4, 0.0, 1.0) * (1 - own - other)
            there = cv2.warpAffine(
                image,
                beyond,
                size,
                flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                borderMode=cv2.BORDER_REPLICATE,
            )
            fill = image * own + there * skin + floor * (1 - own - other - skin)
            for j, o in others:
                fill += self.gap[i, j] * (o * scale)
            a = edges[i][..., None]
            out = out * (1 - a) + fill * a
        # 2) the pieces at their places, a toe whose point lies further back on top of one ahead of
        # it: a lifting toe slides under the toe behind it and never covers that toe's point
        for i in self.order:
            a = edges[i][..., None]
            if lift_px[i] > 1e-3:
                shift = np.float32([[1, 0, bx * lift_px[i]], [0, 1, by * lift_px[i]]])
                piece = cv2.warpAffine(
                    image, shift, size, flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
                )
                a = cv2.warpAffine(edges[i], shift, size, flags=cv2.INTER_LINEAR)[..., None]
                out = out * (1 - a) + piece * a
            elif any(self.near[i, j] for j in moving):
                # a still toe next to a lifting one: its own pixels again, over the edge of the
                # lifting toe's place and, if it lies further back, over the lifting toe
                out = out * (1 - a) + image * a
        frame[y0:y1, x0:x1] = out
        return frame

    def hidden(self, lift_px: np.ndarray, radius: int = 2) -> np.ndarray:
        """(5,) how much of each toe's marked point (the (2r+1)^2 pixels around it, after the
        lifts) another toe's piece drawn on top covers: 0 = in full view. Where toes lie in a line
        along their direction on the picture (an oblique view), a lifting toe slides under the toe
        behind it and its point can go under it."""
        out = np.zeros(5)
        now = self.moved_tips(lift_px)
        rank = {toe: k for k, toe in enumerate(self.order)}
        side = 2 * radius + 1
        for j in range(5):
            visible = np.ones((side, side), np.float32)
            for i in range(5):
                if rank[i] <= rank[j]:
                    continue
                # the piece's alpha at the window, in its own (unmoved) pixels
                corner = now[j] - radius - lift_px[i] * self.back
                window = np.float32([[1, 0, -corner[0]], [0, 1, -corner[1]]])
                a = cv2.warpAffine(self.piece_alpha[i], window, (side, side), flags=cv2.INTER_LINEAR)
                visible *= 1 - a
            out[j] = 1 - float(visible.mean())
        return out

    @staticmethod
    def _moved(values: np.ndarray, inverse: np.ndarray, size: tuple[int, int]) -> np.ndarray:
        """``values`` sampled at each pixel moved by the shift ``inverse``: (h, w, 1)."""
        flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
        return cv2.warpAffine(values, inverse, size, flags=flags, borderMode=cv2.BORDER_REPLICATE)[..., None]

    def moved_tips(self, lift_px: np.ndarray) -> np.ndarray:
        """The marked points after the lifts: (5, 2)."""
        return self.tips + np.asarray(lift_px, float)[:, None] * self.back[None, :]


# -- the cases ---------------------------------------------------------------------------
CASES: dict[str, dict] = {}
for _source in photovideo.image_names("top", all_toes_visible=True):
    for _condition, _slug in SLUGS.items():
        CASES[f"{_source}_{_slug}"] = dict(source=_source, condition=_condition, **CONDITIONS[_condition])


def plan_for(cut: CutFoot) -> IsolationPlan:
    """The isolation plan at this foot's size: the instructed lift ``LIFT_PER_FOOT_WIDTH`` of
    its width, neighbours following by the nominal co-movement matrix."""
    nominal = co_movement_matrix()
    drive = isolation_plan(nominal, reps=LIFTS_PER_TOE)
    return IsolationPlan(
        nominal, drive.peaks_s, drive.instructed, LIFT_PER_FOOT_WIDTH * cut.foot.foot_width_px
    )


def make(case_: dict, seed: int, path: Path) -> tuple[dict, IsolationPlan, dict]:
    """Write the case's video; returns toelab's first-frame points, the plan and the true
    point positions per frame (video pixels)."""
    cut = CutFoot(case_["source"], case_.get("mirror", False))
    plan = plan_for(cut)
    fps = case_["fps"]
    t = np.arange(int(round(plan.duration_s * fps))) / fps
    lifts = plan.heights(t)
    rng = np.random.default_rng(seed)
    w, h = cut.foot.size
    camera = photovideo.camera_drift(t, case_.get("drift_px", 0.0), (w, h), rng)
    gain = 1.0 + case_.get("exposure", 0.0) * photovideo._slow_wave(t, rng, 0.05, 0.25)
    noise = case_.get("noise", 0.0)
    names = [f"{cut.foot.foot}_{toe}" for toe in photovideo.TOES]
    truth = {name: np.zeros((t.size, 2)) for name in names}
    container = av.open(str(path), "w")
    stream = container.add_stream("libx264", rate=int(fps))
    stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
    stream.codec_context.thread_count = 1
    stream.options = {"crf": "23", "preset": "veryfast"}
    try:
        for k in range(t.size):
            frame = cut.render(lifts[k])
            if case_.get("drift_px"):
                frame = cv2.warpAffine(
                    frame, camera[k], (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT
                )
            frame *= gain[k]
            if noise:
                frame += rng.normal(0, noise, (h, w, 1)).astype(np.float32)
            image = np.clip(frame + 0.5, 0, 255).astype(np.uint8)
            # the stream's YUV 4:2:0 (BT.601, video range), made here rather than by PyAV's swscale
            yuv = cv2.cvtColor(image, cv2.COLOR_BGR2YUV_I420)
            video_frame = av.VideoFrame.from_ndarray(yuv, format="yuv420p")
            video_frame.pts = k  # in the stream's time base, 1 / fps
            for packet in stream.encode(video_frame):
                container.mux(packet)
            now = cut.moved_tips(lifts[k]) @ camera[k][:, :2].T + camera[k][:, 2]
            for name, p in zip(names, now, strict=True):
                truth[name][k] = p
        for packet in stream.encode():
            container.mux(packet)
    finally:
        container.close()
    return photovideo.toelab_points(cut.foot), plan, truth


def score(name: str, case_: dict, seed: int, folder: Path) -> tuple[str, str]:
    """The case's verdict and its lines."""
    path = folder / f"{name}_{seed}.mp4"
    points, plan, _ = make(case_, seed, path)
    foot = points["foot"]
    want = individuation_truth(plan.co_movement)
    head = f"{case_['source']:17s} {case_['condition']:23s} seed {seed}"
    try:
        recording = track_video(path, parse_points(points)).recording
    except ToelabError as exc:
        return "withheld", f"{head} withheld: refused: {exc}"
    detections = lifts_from_recording(recording, foot=foot)
    f1 = score_lifts({toe: d.peak_times_s for toe, d in detections.items()}, plan).f1
    result = run_task(recording, AnalysisOptions(task="isolation")).by_foot[foot]
    given = [t.individuation_index for t in result.toes]
    errors = [None if g is None else abs(g - w) for g, w in zip(given, want, strict=True)]
    verdict = _isolation_verdict(errors)
    shown = " ".join("  --" if e is None else f"{e:4.2f}" for e in errors)
    lines = [f"{head} {verdict:8s} F1 {f1:4.2f}  II error per toe {shown}"]
    cut = CutFoot(case_["source"], case_.get("mirror", False))
    hidden = np.max([cut.hidden(plan.heights(np.array([p]))[0]) for p in plan.peaks_s], axis=0)
    if hidden.max() > 0.1:
        lines[0] += (
            "  (points partly under a neighbour at a lift's top: "
            + ", ".join(f"toe {j + 1} {100 * v:.0f} %" for j, v in enumerate(hidden) if v > 0.1)
            + ")"
        )
    reasons = {
        toe.toe: toe.not_measured_reason or "" for toe in result.toes if toe.individuation_index is None
    }
    if len(reasons) == 5 and len(set(reasons.values())) == 1:
        lines.append(f"      no toe given: {reasons[1]}")
    else:
        lines += [f"      toe {t} not given: {r}" for t, r in reasons.items()]
    for toe, g, w, e in zip(result.toes, given, want, errors, strict=True):
        if g is not None and e is not None and e > MAX_II_ERROR:
            i = toe.toe - 1
            true_followers = {
                j + 1: round(float(plan.co_movement[i, j]), 2)
                for j in range(5)
                if j != i and plan.co_movement[i, j] > CO_MOVED_FRACTION
            }
            row = " ".join(f"{v:4.2f}" for v in result.co_movement[i])
            true_row = " ".join(f"{v:4.2f}" for v in plan.co_movement[i])
            lines.append(
                f"      toe {toe.toe} wrong: II {g:.3f}, true {w:.3f} (error {e:.3f}); followers "
                f"{ {t: round(s, 2) for t, s in toe.followers} }, true {true_followers}; "
                f"co-movement row [{row}], true [{true_row}]"
            )
    return verdict, "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=1, help="renders per case (seeds 0..N-1)")
    parser.add_argument(
        "cases",
        nargs="*",
        help="case names (e.g. 032_30fps), or a source or condition slug for all its cases",
    )
    args = parser.parse_args()
    names = []
    for wanted in args.cases or list(CASES):
        found = [
            n
            for n, c in CASES.items()
            if n == wanted or c["source"] == wanted or SLUGS[c["condition"]] == wanted
        ]
        if not found:
            raise SystemExit(f"unknown case {wanted}; cases: {', '.join(CASES)}")
        names += [n for n in found if n not in names]
    started = time.perf_counter()
    tally = {"right": 0, "withheld": 0, "wrong": 0}
    print(
        f"isolation (cut-and-lift): each toe lifted {LIFTS_PER_TOE} times in turn by "
        f"{LIFT_PER_FOOT_WIDTH} of the foot's width, neighbours co-move; II goal within {MAX_II_ERROR}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            for seed in range(args.renders):
                verdict, lines = score(name, CASES[name], seed, Path(tmp))
                print(f"  {lines}", flush=True)
                tally[verdict] += 1
    elapsed = time.perf_counter() - started
    print(
        f"\nisolation (cut-and-lift): right {tally['right']}, withheld {tally['withheld']}, "
        f"wrong {tally['wrong']}  ({elapsed:.0f} s)"
    )


if __name__ == "__main__":
    main()
