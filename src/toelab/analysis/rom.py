"""Big-toe extension: how far the hallux bends up at the first MTP joint.

The angle is between the hallux (mtp1 → hallux tip) and the continuation of a reference
line along the sole / first metatarsal (reference → mtp1): 0° when in line, positive when
the hallux bends up (extension, dorsiflexion). Figures from the literature:

* ~65–75° of extension is needed for a normal toe-off in walking (Root, Orien & Weed 1977,
  Normal and Abnormal Function of the Foot); barefoot push-off peaks near 60°
  (Bojsen-Møller 1979, J Anat 129:165).
* Hallux rigidus grades by motion (Coughlin & Shurnas 2003, J Bone Joint Surg Am 85:2072):
  grade 0 40–60°, grade 1 30–40°, grade 2 10–30°, grade 3 ≤ 10°. Grading needs an
  examination; toelab only says which range a measurement falls in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from toelab.analysis.quality import Quality, quality_keys
from toelab.errors import ToelabError
from toelab.recording import Recording

TOE_OFF_NEEDED_DEG = 65.0  # Root, Orien & Weed 1977: ~65–75° for a normal toe-off
NOT_RESTRICTED_ABOVE_DEG = 60.0  # Coughlin & Shurnas 2003: grade 0 reaches up to 60°
# (lower bound of the grade's range, grade); Coughlin & Shurnas 2003. Grade 3 is ≤ 10°.
GRADE_RANGES_DEG = ((40.0, 0), (30.0, 1))
GRADE_3_AT_MOST_DEG = 10.0
MIN_COVERAGE = 0.5

_UP_VECTORS = {"-y": (0.0, -1.0, 0.0), "+y": (0.0, 1.0, 0.0), "+z": (0.0, 0.0, 1.0), "-z": (0.0, 0.0, -1.0)}


@dataclass(frozen=True)
class RomResult:
    """Big-toe extension over time and its maximum."""

    time_s: np.ndarray
    angle_deg: np.ndarray
    max_extension_deg: float | None
    time_of_max_s: float | None
    grade: int | None
    grade_text: str
    toe_off_sufficient: bool | None
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    quality: Quality | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "max_extension_deg": self.max_extension_deg,
            "time_of_max_s": self.time_of_max_s,
            "grade": self.grade,
            "grade_text": self.grade_text,
            "toe_off_sufficient": self.toe_off_sufficient,
            "toe_off_needed_deg": TOE_OFF_NEEDED_DEG,
            "n_samples": int(self.angle_deg.size),
            "warnings": list(self.warnings),
            "notes": list(self.notes),
            **quality_keys(self.quality),
        }


def hallux_extension_deg(
    reference: np.ndarray,
    mtp1: np.ndarray,
    hallux_tip: np.ndarray,
    up: np.ndarray | tuple[float, ...] | None = None,
) -> np.ndarray:
    """Signed extension angle of the hallux in degrees, per sample (2D or 3D points).

    The magnitude is the angle in the plane of the three points; the sign is + when the
    tip lies on the ``up`` side of the reference line. ``up`` defaults to −y in 2D (image
    coordinates) and +z in 3D (lab coordinates). NaN where a point is missing.

    Parameters
    ----------
    reference : numpy.ndarray
        ``(n, 2)`` or ``(n, 3)`` a point behind the joint on the first ray (``mt1_base``, heel).
    mtp1 : numpy.ndarray
        The first metatarsophalangeal joint, same shape.
    hallux_tip : numpy.ndarray
        The tip of the big toe, same shape.
    up : array-like or None
        The up direction, as many components as the points have.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` extension in degrees (positive = toe up).

    Raises
    ------
    ToelabError
        When the points' shapes differ or ``up`` has the wrong number of components.
    """
    ref, mtp, tip = (np.asarray(p, dtype=float) for p in (reference, mtp1, hallux_tip))
    if not ref.shape == mtp.shape == tip.shape or ref.shape[-1] not in (2, 3):
        raise ToelabError(
            f"reference, mtp1 and hallux tip must have the same shape (n, 2) or (n, 3); "
            f"got {ref.shape}, {mtp.shape}, {tip.shape}"
        )
    dims = ref.shape[-1]
    up_vec = np.asarray(
        up if up is not None else ((0.0, -1.0) if dims == 2 else (0.0, 0.0, 1.0)), dtype=float
    )
    if up_vec.shape != (dims,):
        raise ToelabError(f"the up direction must have {dims} components, got {up_vec.shape}")
    along = mtp - ref
    toe = tip - mtp
    along_len = np.linalg.norm(along, axis=-1)
    toe_len = np.linalg.norm(toe, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.sum(along * toe, axis=-1) / (along_len * toe_len)
        magnitude = np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
        unit = along / along_len[..., None]
    # The part of "up" at right angles to the reference line decides the sign.
    normal = up_vec - np.sum(up_vec * unit, axis=-1)[..., None] * unit
    side = np.sum(toe * normal, axis=-1)
    signed: np.ndarray = np.where(side < 0, -magnitude, magnitude)
    return signed


def grade_range(max_extension_deg: float) -> int | None:
    """The Coughlin & Shurnas (2003) grade whose motion range holds this angle; None above 60°.

    Parameters
    ----------
    max_extension_deg : float
        The maximum extension in degrees.

    Returns
    -------
    int or None
        The grade (0-3) whose range of motion holds the angle, or None above that of grade 0.
        A range of motion, not a diagnosis: the grades also take pain and X-ray findings.

    References
    ----------
    .. [1] coughlin2003
       Coughlin & Shurnas 2003. J Bone Joint Surg Am 85:2072.
    """
    if max_extension_deg > NOT_RESTRICTED_ABOVE_DEG:
        return None
    for lower, grade in GRADE_RANGES_DEG:
        if max_extension_deg >= lower:
            return grade
    return 3 if max_extension_deg <= GRADE_3_AT_MOST_DEG else 2


def _grade_text(grade: int | None) -> str:
    if grade is None:
        return "above 60°: not in the range of a restricted big toe"
    return (
        f"in the range of grade {grade} (Coughlin & Shurnas 2003); "
        "only an examination by a professional can grade a big toe"
    )


def _median3(values: np.ndarray) -> np.ndarray:
    """Median of each sample and its two neighbours, ignoring NaN (ends kept as they are)."""
    if values.size < 3:
        return values.copy()
    stacked = np.vstack([values[:-2], values[1:-1], values[2:]])
    out = values.copy()
    finite = np.isfinite(stacked).sum(axis=0) > 0
    middle = np.full(values.size - 2, np.nan)
    with np.errstate(all="ignore"):
        middle[finite] = np.nanmedian(stacked[:, finite], axis=0)
    out[1:-1] = middle
    return out


def analyze_rom(time_s: np.ndarray, angle_deg: np.ndarray) -> RomResult:
    """Maximum extension and the grade range it falls in.

    The maximum is taken from the median-of-3 smoothed curve, so a one-frame tracking
    glitch does not set it.

    Parameters
    ----------
    time_s : numpy.ndarray
        ``(n,)`` sample times in seconds.
    angle_deg : numpy.ndarray
        ``(n,)`` extension angle in degrees (NaN = missing), as :func:`hallux_extension_deg`.

    Returns
    -------
    RomResult
        The maximum extension (degrees), when it is reached, its grade range and whether it
        reaches the ~65° a normal toe-off needs; when no frame holds an angle, no value, with
        a warning saying so.

    References
    ----------
    .. [1] coughlin2003
       Coughlin & Shurnas 2003. J Bone Joint Surg Am 85:2072.
    .. [2] root1977
       Root, Orien & Weed 1977. Normal and Abnormal Function of the Foot.
    """
    time_s = np.asarray(time_s, dtype=float)
    angle_deg = np.asarray(angle_deg, dtype=float)
    warnings: list[str] = []
    notes: list[str] = []
    coverage = float(np.isfinite(angle_deg).mean()) if angle_deg.size else 0.0
    smooth = _median3(angle_deg)
    if not np.isfinite(smooth).any():
        warnings.append("the big-toe angle could not be measured in any frame")
        return RomResult(time_s, angle_deg, None, None, None, "not measured", None, tuple(warnings))
    if coverage < MIN_COVERAGE:
        warnings.append(f"the big-toe angle was measured in only {100 * coverage:.0f} % of the frames")
    top = int(np.nanargmax(smooth))
    max_deg = float(smooth[top])
    grade = grade_range(max_deg)
    sufficient = max_deg >= TOE_OFF_NEEDED_DEG
    if not sufficient:
        notes.append(
            f"the big toe bent up {max_deg:.0f}°, less than the ~65° a normal toe-off needs "
            "(Root, Orien & Weed 1977); a stiff big toe can shift load up the leg (e.g. to the knee). "
            "A podiatrist or physiotherapist can examine it."
        )
    return RomResult(
        time_s,
        angle_deg,
        max_deg,
        float(time_s[top]),
        grade,
        _grade_text(grade),
        sufficient,
        tuple(warnings),
        tuple(notes),
    )


def big_toe_points(recording: Recording, foot: str | None = None) -> tuple[str, str, str]:
    """The landmark names of the reference (1st metatarsal base or heel), the 1st MTP joint and
    the hallux tip of one foot."""
    tip = recording.find_landmark("hallux_tip", foot) or recording.find_landmark("toe1", foot)
    mtp = recording.find_landmark("mtp1", foot)
    ref = recording.find_landmark("mt1_base", foot) or recording.find_landmark("heel", foot)
    if tip is None or mtp is None or ref is None:
        missing = [
            label
            for label, name in (("hallux_tip or toe1", tip), ("mtp1", mtp), ("mt1_base or heel", ref))
            if name is None
        ]
        where = f" on the {foot} foot" if foot else ""
        raise ToelabError(
            f"big-toe extension needs the points {', '.join(missing)}{where}",
            recording.meta.path,
            hint="track the hallux tip, the 1st MTP joint and the heel (or 1st metatarsal base) "
            "in a side view",
        )
    return ref, mtp, tip


def rom_from_recording(recording: Recording, foot: str | None = None) -> RomResult:
    """Big-toe extension of one foot from ``hallux_tip`` (or ``toe1``), ``mtp1`` and
    ``mt1_base`` (or ``heel``) landmarks, up taken from ``meta.vertical_axis``.

    Parameters
    ----------
    recording : Recording
        The big-toe landmarks, 2-D (side view) or 3-D.
    foot : {"left", "right"} or None
        Which foot; None for a recording of one foot or of unlabelled landmarks.

    Returns
    -------
    RomResult
        As :func:`analyze_rom`.

    Raises
    ------
    ToelabError
        When a needed landmark is missing, the points mix 2-D and 3-D tracks, or the
        vertical axis does not exist in 2-D points.

    References
    ----------
    .. [1] coughlin2003
       Coughlin & Shurnas 2003. J Bone Joint Surg Am 85:2072.
    """
    points = [recording.landmarks[n] for n in big_toe_points(recording, foot)]
    dims = points[0].shape[1]
    if any(p.shape[1] != dims for p in points):
        raise ToelabError("the big-toe points mix 2D and 3D tracks", recording.meta.path)
    up = np.array(_UP_VECTORS[recording.meta.vertical_axis][:dims])
    if not up.any():
        raise ToelabError(
            f"the vertical axis {recording.meta.vertical_axis!r} does not exist in 2D points",
            recording.meta.path,
        )
    angle = hallux_extension_deg(points[0], points[1], points[2], up=up)
    result = analyze_rom(recording.time_s, angle)
    if recording.meta.view == "front":
        result = replace(
            result,
            warnings=(
                *result.warnings,
                "the big-toe angle needs a side view; a front view underestimates it",
            ),
        )
    return result
