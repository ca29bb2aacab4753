"""Which first-frame pixels belong to which toe (front view): skin told from the floor by colour,
and each skin pixel given to the toe whose axis (its point and one toe gap back along the toes)
is nearest.

A toe's features are looked for on its own region only. Inside a plain box around the toe
point, the floor beyond the tip and beside a small toe can hold most of the corners (a
granite or carpet floor is full of them); the floor does not lift with the toe, so the
toe's median motion is pulled towards zero and its own lift is under-read.

Skin and floor are each modelled by one Gaussian in CIELAB (a two-class quadratic
discriminant; skin colour clusters tightly in chroma, Vezhnevets, Sazonov & Andreeva 2003,
"A survey on pixel-based skin color detection techniques", GraphiCon). Skin is sampled on
small discs at the toe points, floor on a strip beyond the toe tips. The model is used only
where it tells those samples apart well (a floor of skin's colour, a grey picture): where it
does not, each toe keeps its plain box, and the tracker says so (``toes_told_from_floor``): the
isolation test then gives no index, because a box takes in the neighbours' edges.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

# share of the skin samples and of the floor samples the model must classify right to be used
MIN_SEPARATION = 0.9
# the skin sample: discs of this share of the toe's distance to its nearest neighbour
SKIN_DISC_PER_GAP = 0.25
# the floor strip beyond the tips: from this many mean toe gaps beyond the toe row ...
FLOOR_FROM_GAPS = 0.6
# ... over this share of the distance from the big toe to the little toe
FLOOR_DEPTH_PER_WIDTH = 0.25
# floor pixels are taken no nearer to a toe point than this many of its gaps
FLOOR_CLEAR_GAPS = 0.9
# added to each covariance (CIELAB units squared): sensor noise, and a sample of one colour
_COLOUR_NOISE = 4.0
# the fewest pixels a sample may have
_MIN_SAMPLE = 50
# the most pixels sampled for the two colour models
_MAX_SAMPLED = 200_000
NOT_SKIN = -1


def _log_density(samples: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """The log density (up to a constant) of one Gaussian fitted to ``samples`` (n, 3)."""
    mean = samples.mean(axis=0)
    cov = np.cov(samples.T) + np.eye(3) * _COLOUR_NOISE
    inv = np.linalg.inv(cov)
    log_det = float(np.linalg.slogdet(cov)[1])

    def density(values: np.ndarray) -> np.ndarray:
        d = values - mean
        return -0.5 * np.einsum("...i,ij,...j->...", d, inv, d) - 0.5 * log_det

    return density


def _to_segment(pixels: np.ndarray, start: np.ndarray, extent: np.ndarray) -> np.ndarray:
    """Distance of each pixel (..., 2) to the segment from ``start`` to ``start + extent``."""
    offset = pixels - start.astype(np.float32)
    along = np.clip(offset @ extent.astype(np.float32) / float(extent @ extent), 0.0, 1.0)
    return np.linalg.norm(offset - along[..., None] * extent.astype(np.float32), axis=-1)


@dataclass(frozen=True, eq=False)
class SkinModel:
    """Skin and floor colours of one foot's first frame, and where its toes lie."""

    frame_bgr: np.ndarray
    skin_density: Callable[[np.ndarray], np.ndarray]
    floor_density: Callable[[np.ndarray], np.ndarray]
    toe_points: np.ndarray  # (n, 2)
    gaps_px: np.ndarray  # (n,)
    toe_axis: np.ndarray  # (2,) unit direction from the toe points back along the toes

    def skin(self, window: tuple[int, int, int, int]) -> np.ndarray:
        """Whether each pixel of ``window`` (x0, y0, x1, y1; may reach past the picture) is skin."""
        height, width = self.frame_bgr.shape[:2]
        x0, y0, x1, y1 = window
        out = np.zeros((y1 - y0, x1 - x0), bool)
        wx0, wy0, wx1, wy1 = max(x0, 0), max(y0, 0), min(x1, width), min(y1, height)
        if wx1 > wx0 and wy1 > wy0:
            lab = cv2.cvtColor(np.ascontiguousarray(self.frame_bgr[wy0:wy1, wx0:wx1]), cv2.COLOR_BGR2LAB)
            lab = lab.astype(np.float32)
            out[wy0 - y0 : wy1 - y0, wx0 - x0 : wx1 - x0] = self.skin_density(lab) > self.floor_density(lab)
        return out

    def toe_labels(self, window: tuple[int, int, int, int]) -> np.ndarray:
        """Per pixel of ``window``: the index of the toe whose axis is nearest, or ``NOT_SKIN``."""
        x0, y0, x1, y1 = window
        yy, xx = np.mgrid[y0:y1, x0:x1]
        pixels = np.stack([xx, yy], axis=-1).astype(np.float32)
        distances = np.stack(
            [
                _to_segment(pixels, point, self.toe_axis * gap)
                for point, gap in zip(self.toe_points, self.gaps_px, strict=True)
            ],
            axis=-1,
        )
        return np.where(self.skin(window), np.argmin(distances, axis=-1), NOT_SKIN).astype(np.int8)


def skin_model(
    frame_bgr: np.ndarray,
    toe_points: np.ndarray,
    gaps_px: np.ndarray,
    along: np.ndarray,
    up: np.ndarray,
) -> SkinModel | None:
    """The colour model of one foot's first frame; None when colour does not tell its skin
    from the floor (or the frame is grey).

    ``toe_points`` (n, 2) are the first-frame toe points, ``gaps_px`` each one's distance to
    its nearest neighbour, ``along`` the unit direction from the little toe to the big toe and
    ``up`` the unit direction from the toe tips towards the foot, square to their row (taken
    as the toes' own direction, as the tracker's toe boxes take it)."""
    if frame_bgr.ndim != 3:
        return None
    height, width = frame_bgr.shape[:2]
    gap = float(gaps_px.mean())
    row_width = float(np.ptp(toe_points @ along))
    centre = toe_points.mean(axis=0)
    # the samples: every ``step``-th pixel around the toes (a few hundred thousand at most)
    reach = row_width * (1.0 + FLOOR_DEPTH_PER_WIDTH) + FLOOR_FROM_GAPS * gap
    sx0, sy0 = np.maximum(np.floor(centre - reach).astype(int), 0)
    sx1, sy1 = int(min(np.ceil(centre[0] + reach), width)), int(min(np.ceil(centre[1] + reach), height))
    step = max(1, int(np.ceil(np.sqrt((sx1 - sx0) * (sy1 - sy0) / _MAX_SAMPLED))))
    sampled = frame_bgr[sy0:sy1:step, sx0:sx1:step]
    if sampled.shape[0] < 4 or sampled.shape[1] < 4:
        return None
    yy, xx = np.mgrid[sy0:sy1:step, sx0:sx1:step]
    pixels = np.stack([xx, yy], axis=-1).astype(np.float32)
    lowest_u = float(np.min((toe_points - centre) @ up))
    start = lowest_u - FLOOR_FROM_GAPS * gap
    relative = pixels - centre.astype(np.float32)
    a, u = relative @ along.astype(np.float32), relative @ up.astype(np.float32)
    skin_sample = np.zeros(a.shape, bool)
    floor_sample = (
        (np.abs(a) < 0.5 * row_width + gap) & (u < start) & (u > start - FLOOR_DEPTH_PER_WIDTH * row_width)
    )
    for point, toe_gap in zip(toe_points, gaps_px, strict=True):
        distance = np.linalg.norm(pixels - point.astype(np.float32), axis=-1)
        skin_sample |= distance <= SKIN_DISC_PER_GAP * toe_gap
        floor_sample &= distance > FLOOR_CLEAR_GAPS * toe_gap
    lab = cv2.cvtColor(np.ascontiguousarray(sampled), cv2.COLOR_BGR2LAB).astype(np.float32)
    skin, floor = lab[skin_sample], lab[floor_sample]
    if len(skin) < _MIN_SAMPLE or len(floor) < _MIN_SAMPLE:
        return None
    skin_density, floor_density = _log_density(skin), _log_density(floor)
    skin_right = float(np.mean(skin_density(skin) > floor_density(skin)))
    floor_right = float(np.mean(floor_density(floor) >= skin_density(floor)))
    if min(skin_right, floor_right) < MIN_SEPARATION:
        return None
    return SkinModel(frame_bgr, skin_density, floor_density, toe_points, gaps_px, up)
