"""Oxford Foot Model (OFM): segments, static calibration and the hallux-to-forefoot angle.

Pure geometry on marker trajectories (arrays ``(n, 3)`` in lab coordinates, NaN in gaps):
the two segments the hallux angle needs, after Carson et al. 2001 (J Biomech 34:1299,
doi:10.1016/S0021-9290(01)00101-4) and Stebbins et al. 2006 (Gait Posture 23:401,
doi:10.1016/j.gaitpost.2005.03.002):

* **Forefoot**: superior axis normal to the plane of D1M, P5M and D5M; origin the midpoint of
  P1M and P5M projected onto that plane; anterior axis from the origin towards TOE, in the
  plane. With ``flat_forefoot`` the superior axis is the lab vertical in the static trial.
  Tracked by P1M, P5M, D5M (D1M is usually only on the foot for the static trial and is
  rebuilt from the other three).
* **Hallux**: a vector from the first metatarsal head (D1M) to HLX. D1M is raised along the
  forefoot's superior axis to HLX's height above the forefoot plane in the static trial, so
  the hallux lies along the forefoot in standing whatever the heights at which the two
  markers were stuck on; its rotation about its own axis follows the forefoot (the model
  defines the hallux as a single vector).

Axes of every segment: x to the right, y anterior, z up (for both feet). Joint angles are
those of the joint coordinate system (Grood & Suntay 1983, J Biomech Eng 105:136,
doi:10.1115/1.3138397): flexion about the proximal segment's x axis, then about the floating
axis, then about the distal segment's long (y) axis — the Cardan sequence x–z–y. Signs: the
sagittal angle is + for dorsiflexion; the transverse angle + for adduction (the distal end
turned towards the other foot: for the hallux, varus; − is valgus); the frontal angle + for
inversion. The hallux's frontal angle is 0 by construction, as the model defines only its
long axis.

Choices where the publications leave room (and Vicon Nexus's OFM could differ)
-----------------------------------------------------------------------------
* **Static zero: sagittal only.** Carson et al. and Stebbins et al. define the hallux as a
  single vector from the first metatarsal head to HLX, HLX sitting on the proximal phalanx.
  The two markers stand at different heights above the skin, so the raw vector tilts by the
  markers' offset, not by the joint. The proximal end is therefore raised to HLX's height in
  the static trial (the hallux taken as lying along the forefoot when standing, or along the
  floor with ``flat_forefoot``): the sagittal angle is 0 there by construction. The
  transverse angle is *not* zeroed: a standing hallux valgus is a finding to keep, and its
  static value is reported beside the walk's. No Nexus output was available to confirm that
  Nexus does the same; ``benchmarks/ofm_hallux.py --reference`` measures the difference
  when one is given (an offset in the sagittal angle would show a different zero).
* **Transverse sign.** + is adduction (the hallux's distal end turned towards the midline
  of the body, i.e. towards the other foot; varus), − abduction (valgus), on both feet: the
  left foot is mirrored so that signs mean the same movement, as the clinical convention
  for the OFM's outputs does. Hallux valgus therefore reads negative ("hallux abducto
  valgus" in podiatric terms).
* **Forefoot long axis towards TOE**, projected into the forefoot plane, not towards the
  midpoint of D1M and D5M. TOE (between the 2nd and 3rd metatarsal heads) is in the marker
  set for this purpose (Carson et al. 2001; Stebbins et al. 2006), the 2nd ray being the
  foot's usual long axis; the D1M-D5M midpoint would also tie the axis to D1M, which is
  rebuilt in the walk. The two axes differ by a few degrees about the forefoot's vertical, so
  the choice shifts the transverse angle by about that constant and leaves the sagittal
  angle nearly unchanged: compare transverse figures only with figures of the same
  definition, as studies with the OFM do (e.g. Levinger et al. 2010, Gait Posture 32:519,
  normal and flat-arched feet).

Bad input gets one line: a walk without its static trial (``toelab.tasks.ofm``), a static
trial or a walk lacking a marker of a foot it labels (``require_markers``), a static trial
whose forefoot markers are never in view together, and a walk whose markers are never in
view together (fewer than half of the samples measured is a warning).

Markers kept only in the static trial are rebuilt in each sample from the segment's other
markers by a least-squares rigid fit (Söderkvist & Wedin 1993, J Biomech 26:1473,
doi:10.1016/0021-9290(93)90098-Y).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from toelab.errors import ToelabError

Markers = Mapping[str, np.ndarray]  # OFM marker code without the side letter -> (n, 3)

FOREFOOT_TRACKING = ("P1M", "P5M", "D5M")
FOREFOOT_STATIC = (*FOREFOOT_TRACKING, "D1M", "TOE", "HLX")
FOREFOOT_DYNAMIC = (*FOREFOOT_TRACKING, "TOE", "HLX")
SIDES = {"left": "L", "right": "R"}
MIN_COVERAGE = 0.5  # as toelab's own big-toe angle (toelab.analysis.rom)
_SIDE_SIGN = {"left": -1.0, "right": 1.0}


@dataclass(frozen=True)
class OfmOptions:
    """The model's options that bear on the hallux: ``flat_forefoot`` is Vicon's subject
    parameter ``UseFloorFF`` (the forefoot taken as parallel to the floor in the static trial,
    for feet that stand flat). The tibia and hindfoot, and their options, do not enter the
    hallux-to-forefoot angle."""

    flat_forefoot: bool = False


@dataclass(frozen=True)
class SegmentPose:
    """A segment in each sample: origin ``(n, 3)`` and axes ``(n, 3, 3)`` (columns x, y, z)."""

    origin: np.ndarray
    axes: np.ndarray

    def to_local(self, point: np.ndarray) -> np.ndarray:
        """Segment coordinates ``(n, 3)`` of lab points ``(n, 3)``."""
        return np.asarray(np.einsum("nji,nj->ni", self.axes, point - self.origin), dtype=float)


@dataclass(frozen=True)
class RigidBody:
    """Static positions of a segment's tracking markers and of the points rebuilt from them."""

    tracking: tuple[str, ...]
    reference: np.ndarray  # (k, 3) static positions of the tracking markers
    virtual: Mapping[str, np.ndarray]  # static positions (3,) of markers to rebuild

    def rebuild(self, markers: Markers) -> dict[str, np.ndarray]:
        """Each virtual marker in every sample (NaN where a tracking marker is missing)."""
        current = np.stack([np.asarray(markers[m], dtype=float) for m in self.tracking], axis=1)
        rotation, translation = fit_rigid(self.reference, current)
        return {
            name: np.einsum("nij,j->ni", rotation, position) + translation
            for name, position in self.virtual.items()
        }


@dataclass(frozen=True)
class FootCalibration:
    """What the static trial fixes for one foot."""

    side: str  # "left" | "right"
    forefoot: RigidBody  # rebuilds D1M
    hallux_raise_mm: float  # HLX's height above D1M along the forefoot's superior axis, static
    forefoot_offset: np.ndarray  # (3, 3) rotation of the model's forefoot in the plane axes
    static_hallux_deg: tuple[float, float, float]  # sagittal, frontal, transverse in the static


@dataclass(frozen=True)
class HalluxForefootAngles:
    """The hallux relative to the forefoot (OFM ``HXFFA``) in each sample, in degrees."""

    time_s: np.ndarray
    sagittal_deg: np.ndarray  # + dorsiflexion (extension), − plantarflexion
    frontal_deg: np.ndarray  # 0 by the model's definition of the hallux as a vector
    transverse_deg: np.ndarray  # + adduction (varus), − abduction (valgus)
    static_deg: tuple[float, float, float]
    warnings: tuple[str, ...] = ()

    def planes(self) -> dict[str, np.ndarray]:
        return {"sagittal": self.sagittal_deg, "frontal": self.frontal_deg, "transverse": self.transverse_deg}

    def as_dict(self) -> dict[str, dict[str, float | None]]:
        """Maximum, minimum and range per plane (None where no sample was measured)."""
        summary: dict[str, dict[str, float | None]] = {}
        for plane, values in self.planes().items():
            finite = values[np.isfinite(values)]
            if finite.size == 0:
                summary[plane] = {"max": None, "min": None, "range": None}
                continue
            top, bottom = float(finite.max()), float(finite.min())
            summary[plane] = {"max": top, "min": bottom, "range": top - bottom}
        summary["static"] = dict(zip(("sagittal", "frontal", "transverse"), self.static_deg, strict=True))
        return summary

    @property
    def coverage(self) -> float:
        return float(np.isfinite(self.sagittal_deg).mean()) if self.sagittal_deg.size else 0.0


def _unit(vectors: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(vectors / np.linalg.norm(vectors, axis=-1, keepdims=True), dtype=float)


def _axes(anterior: np.ndarray, up: np.ndarray) -> np.ndarray:
    """Right-handed axes (columns x right, y anterior, z up): z along ``up``, y the part of
    ``anterior`` at right angles to it."""
    z = _unit(up)
    x = _unit(np.cross(anterior, z))
    y = np.cross(z, x)
    return np.stack([x, y, z], axis=-1)


def fit_rigid(reference: np.ndarray, current: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares rotation ``(n, 3, 3)`` and translation ``(n, 3)`` taking the ``(k, 3)``
    reference markers onto the ``(n, k, 3)`` current ones (Söderkvist & Wedin 1993); NaN in
    samples where any current marker is missing."""
    reference = np.asarray(reference, dtype=float)
    current = np.asarray(current, dtype=float)
    n = current.shape[0]
    rotation = np.full((n, 3, 3), np.nan)
    translation = np.full((n, 3), np.nan)
    ok = np.isfinite(current).all(axis=(1, 2))
    if not ok.any():
        return rotation, translation
    ref_centre = reference.mean(axis=0)
    cur = current[ok]
    cur_centre = cur.mean(axis=1)
    covariance = np.einsum("ki,nkj->nij", reference - ref_centre, cur - cur_centre[:, None])
    u, _, vt = np.linalg.svd(covariance)
    v = np.transpose(vt, (0, 2, 1))
    flip = np.sign(np.linalg.det(v @ np.transpose(u, (0, 2, 1))))
    correction = np.tile(np.eye(3), (len(flip), 1, 1))
    correction[:, 2, 2] = flip
    r = v @ correction @ np.transpose(u, (0, 2, 1))
    rotation[ok] = r
    translation[ok] = cur_centre - np.einsum("nij,j->ni", r, ref_centre)
    return rotation, translation


def forefoot_plane_pose(markers: Markers, side: str) -> SegmentPose:
    """The forefoot from D1M, P5M, D5M (plane), P1M/P5M (origin) and TOE (anterior)."""
    p1m, p5m, d5m, d1m, toe = (
        np.asarray(markers[m], dtype=float) for m in ("P1M", "P5M", "D5M", "D1M", "TOE")
    )
    # D5M − P5M runs forwards and D1M − P5M forwards and medially: their cross product points
    # up on the right foot and down on the left.
    normal = _SIDE_SIGN[side] * _unit(np.cross(d5m - p5m, d1m - p5m))
    base = (p1m + p5m) / 2
    origin = base - np.sum((base - p5m) * normal, axis=-1, keepdims=True) * normal
    return SegmentPose(origin, _axes(toe - origin, normal))


def hallux_base(forefoot: SegmentPose, d1m: np.ndarray, raise_mm: float) -> np.ndarray:
    """The hallux vector's start: D1M raised by ``raise_mm`` along the forefoot's superior axis."""
    return d1m + raise_mm * forefoot.axes[..., 2]


def hallux_pose(forefoot: SegmentPose, base: np.ndarray, hlx: np.ndarray) -> SegmentPose:
    """The hallux: long axis from ``base`` to HLX; its x axis is the forefoot's x made
    perpendicular to it, so its transverse plane holds the forefoot's x direction."""
    y = _unit(hlx - base)
    lateral = forefoot.axes[..., 0]
    x = _unit(lateral - np.sum(lateral * y, axis=-1, keepdims=True) * y)
    return SegmentPose(base, np.stack([x, y, np.cross(x, y)], axis=-1))


def joint_angles_deg(
    proximal: SegmentPose, distal: SegmentPose, side: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sagittal, frontal and transverse angles of ``distal`` relative to ``proximal``.

    Joint coordinate system: the rotation ``R = Pᵀ D`` decomposed as Rx(a)·Rz(b)·Ry(c),
    so ``a`` is about the proximal x axis, ``b`` about the floating axis and ``c`` about the
    distal y axis.
    """
    r = np.einsum("nji,njk->nik", proximal.axes, distal.axes)
    sagittal = np.degrees(np.arctan2(r[:, 2, 1], r[:, 1, 1]))
    turn_left = np.degrees(np.arcsin(np.clip(-r[:, 0, 1], -1.0, 1.0)))
    tilt_right = np.degrees(np.arctan2(r[:, 0, 2], r[:, 0, 0]))
    # Left on the right foot and right on the left foot are medial (adduction, inversion).
    transverse = turn_left if side == "right" else -turn_left
    frontal = -tilt_right if side == "right" else tilt_right
    # 1e-9° keeps what is zero by construction (the hallux's frontal angle) from showing as 1e-15
    return tuple(np.round(angle, 9) + 0.0 for angle in (sagittal, frontal, transverse))


def _static_mean(markers: Markers, names: tuple[str, ...], side: str) -> dict[str, np.ndarray]:
    """Mean static position of each marker over the samples where all of them are present."""
    stacked = np.stack([np.asarray(markers[m], dtype=float) for m in names], axis=1)
    ok = np.isfinite(stacked).all(axis=(1, 2))
    if not ok.any():
        raise ToelabError(
            f"the static trial never shows the {side} foot's {', '.join(names)} together",
            hint="fill the gaps in the static trial, or record it again with every marker in view",
        )
    mean = stacked[ok].mean(axis=0)
    return {m: mean[i] for i, m in enumerate(names)}


def require_markers(markers: Markers, names: tuple[str, ...], side: str, trial: str, segment: str) -> None:
    """A ToelabError naming the markers a segment needs that the trial lacks."""
    missing = [m for m in names if m not in markers or not np.isfinite(markers[m]).any()]
    if missing:
        letter = SIDES[side]
        raise ToelabError(
            f"the {trial} trial lacks {', '.join(letter + m for m in missing)}, which the Oxford "
            f"Foot Model's {side} {segment} needs",
            hint="label these markers in Vicon (or give a static trial with the full OFM marker set)",
        )


def calibrate_foot(
    static: Markers, side: str, up: np.ndarray, options: OfmOptions | None = None
) -> FootCalibration:
    """Fix the forefoot's rebuilt D1M and the hallux's base from a static trial.

    ``static`` holds the foot's markers by OFM code (``P1M`` ...); ``up`` is the lab's
    vertical unit vector (for the flat-forefoot option).
    """
    options = options or OfmOptions()
    require_markers(static, FOREFOOT_STATIC, side, "static", "forefoot and hallux")
    mean = _static_mean(static, FOREFOOT_STATIC, side)
    single = {m: p[None] for m, p in mean.items()}
    plane = forefoot_plane_pose(single, side)
    model = plane
    if options.flat_forefoot:
        # UseFloorFF: the forefoot's superior axis is the lab vertical in standing.
        model = SegmentPose(plane.origin, _axes(plane.axes[..., 1], np.asarray(up, dtype=float)[None]))
    offset = np.einsum("nji,njk->nik", plane.axes, model.axes)[0]
    raise_mm = float(model.to_local(single["HLX"])[0, 2] - model.to_local(single["D1M"])[0, 2])
    hallux = hallux_pose(model, hallux_base(model, single["D1M"], raise_mm), single["HLX"])
    sagittal, frontal, transverse = joint_angles_deg(model, hallux, side)
    static_deg = (float(sagittal[0]), float(frontal[0]), float(transverse[0]))
    rigid = RigidBody(FOREFOOT_TRACKING, np.stack([mean[m] for m in FOREFOOT_TRACKING]), {"D1M": mean["D1M"]})
    return FootCalibration(side, rigid, raise_mm, offset, static_deg)


def forefoot_pose(markers: Markers, calibration: FootCalibration) -> tuple[SegmentPose, np.ndarray]:
    """The model's forefoot in a dynamic trial and the D1M used (tracked where present,
    rebuilt from P1M, P5M, D5M elsewhere)."""
    rebuilt = calibration.forefoot.rebuild(markers)["D1M"]
    tracked = markers.get("D1M")
    d1m = rebuilt
    if tracked is not None:
        tracked = np.asarray(tracked, dtype=float)
        d1m = np.where(np.isfinite(tracked).all(axis=1, keepdims=True), tracked, rebuilt)
    plane = forefoot_plane_pose({**markers, "D1M": d1m}, calibration.side)
    return SegmentPose(plane.origin, plane.axes @ calibration.forefoot_offset), d1m


def hallux_forefoot_angles(
    time_s: np.ndarray, markers: Markers, calibration: FootCalibration
) -> HalluxForefootAngles:
    """The OFM hallux-to-forefoot angle (``HXFFA``) in every sample of a dynamic trial."""
    side = calibration.side
    require_markers(markers, FOREFOOT_DYNAMIC, side, "dynamic", "forefoot and hallux")
    forefoot, d1m = forefoot_pose(markers, calibration)
    base = hallux_base(forefoot, d1m, calibration.hallux_raise_mm)
    hallux = hallux_pose(forefoot, base, np.asarray(markers["HLX"], dtype=float))
    sagittal, frontal, transverse = joint_angles_deg(forefoot, hallux, side)
    result = HalluxForefootAngles(
        np.asarray(time_s, dtype=float), sagittal, frontal, transverse, calibration.static_hallux_deg
    )
    if 0 < result.coverage < MIN_COVERAGE:
        return replace(
            result,
            warnings=(
                f"the {side} hallux-to-forefoot angle was measured in only {100 * result.coverage:.0f} % "
                "of the samples (gaps in its markers); its peak may be missed",
            ),
        )
    if result.coverage == 0:
        raise ToelabError(
            f"the {side} hallux-to-forefoot angle could not be measured in any sample: "
            f"{', '.join(SIDES[side] + m for m in FOREFOOT_DYNAMIC)} are never all in view together",
            hint="fill the gaps in the dynamic trial (e.g. in Vicon Nexus) and export it again",
        )
    return result
