"""Oxford Foot Model trials: the markers of each foot by OFM code, and the static calibration.

A dynamic C3D trial read by :func:`toelab.io.c3d.read_c3d` keeps each marker's C3D label
(``meta.extra["landmark_sources"]``), so the OFM codes (``LHLX`` → left ``HLX``) are found
whatever toelab names the markers. The geometry lives in :mod:`toelab.analysis.ofm`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from toelab.analysis.ofm import (
    FOREFOOT_DYNAMIC,
    SIDES,
    FootCalibration,
    HalluxForefootAngles,
    OfmOptions,
    calibrate_foot,
    forefoot_pose,
    hallux_forefoot_angles,
    require_markers,
)
from toelab.errors import ToelabError
from toelab.landmarks import landmark_key
from toelab.recording import Recording

_UP = {"+z": (0.0, 0.0, 1.0), "-z": (0.0, 0.0, -1.0), "+y": (0.0, 1.0, 0.0), "-y": (0.0, -1.0, 0.0)}
# Standing puts the first MTP joint in some extension (the metatarsal slopes down to the floor,
# the hallux lies on it); beyond this the markers' offsets are worth saying (toelab's rule).
STANDING_OFFSET_NOTED_DEG = 5.0
_LABEL = re.compile(r"^(?:.*:)?([LR])([A-Z0-9]+)$")


@dataclass(frozen=True)
class OfmOutcome:
    """The hallux-to-forefoot angles per foot, and the dynamic trial with D1M rebuilt as mtp1."""

    angles: dict[str, HalluxForefootAngles]
    recording: Recording
    static_path: str | None
    options: OfmOptions
    static_toelab_angle_deg: dict[str, float]  # toelab's 3-point angle (P1M, D1M, HLX), standing


def foot_markers(recording: Recording, foot: str) -> dict[str, np.ndarray]:
    """``{OFM code: (n, 3) in mm}`` for one foot's markers (``LHLX`` → ``HLX`` on the left)."""
    letter = SIDES[foot]
    scale = recording.meta.mm_per_unit or 1.0
    sources = recording.meta.extra.get("landmark_sources", {})
    markers: dict[str, np.ndarray] = {}
    for name, track in recording.landmarks.items():
        match = _LABEL.match(str(sources.get(name, name)).strip().upper())
        if match and match[1] == letter and track.shape[1] == 3:
            markers[match[2]] = np.asarray(track, dtype=float) * scale
    return markers


def ofm_feet(recording: Recording) -> list[str]:
    """The feet of a C3D recording that carry the OFM forefoot and hallux markers."""
    return [foot for foot in SIDES if all(m in foot_markers(recording, foot) for m in FOREFOOT_DYNAMIC)]


def up_vector(recording: Recording) -> np.ndarray:
    return np.array(_UP.get(recording.meta.vertical_axis, (0.0, 0.0, 1.0)))


@dataclass(frozen=True)
class StaticTrial:
    """The static trial of an OFM session and the model's options."""

    recording: Recording
    options: OfmOptions = OfmOptions()


def load_static(path: str | Path, *, flat_forefoot: bool = False) -> StaticTrial:
    """Read the static trial (a C3D file) that calibrates the Oxford Foot Model."""
    from toelab.io import detect_format
    from toelab.io.c3d import read_c3d

    path = Path(path)
    if path.is_file() and detect_format(path) != "c3d":
        raise ToelabError(
            "the static trial must be a C3D file", path, hint="export the static trial from Vicon as C3D"
        )
    return StaticTrial(read_c3d(path), OfmOptions(flat_forefoot=flat_forefoot))


def check_static_needed(recording: Recording) -> None:
    """A clear error for an OFM trial whose big-toe angle needs the static trial (no D1M)."""
    feet = ofm_feet(recording) if recording.meta.source == "c3d" else []
    if feet and not any(recording.find_landmark("mtp1", foot) for foot in feet):
        raise ToelabError(
            "this Oxford Foot Model trial has no D1M (the marker is usually kept only in the static "
            "trial), so the hallux angles need the static trial",
            recording.meta.path,
            hint="add --static STATIC.c3d",
        )


def add_ofm_figures(results: dict[str, Any], ofm: OfmOutcome | None) -> list[str]:
    """Put each foot's hallux-to-forefoot figures beside its rom figures (in place); returns
    the warnings about them."""
    if ofm is None:
        return []
    for foot, angles in ofm.angles.items():
        figures = angles.as_dict()
        if results.get("foot") == foot:
            results["hallux_forefoot_deg"] = figures
        if foot in results.get("feet", {}):
            results["feet"][foot]["hallux_forefoot_deg"] = figures
    results["hallux_forefoot_model"] = {
        "model": "Oxford Foot Model (Carson et al. 2001; Stebbins et al. 2006), hallux relative to forefoot",
        "static_trial": ofm.static_path,
        "flat_forefoot": ofm.options.flat_forefoot,
        "signs": "sagittal + dorsiflexion; transverse + adduction (varus), - abduction (valgus); "
        "frontal 0 by the model (the hallux is a single vector)",
        "zero": "the hallux lies along the forefoot in the static trial (sagittal 0 there)",
    }
    offsets = [
        f"the {foot} foot's 3-point big-toe angle (P1M, D1M, HLX) reads {angle:.0f}° in the static "
        "(standing) trial: skin markers sit off the bones' axes, so read its maximum and grade range "
        "with that in mind; the hallux-to-forefoot angle is 0 in standing"
        for foot, angle in ofm.static_toelab_angle_deg.items()
        if abs(angle) > STANDING_OFFSET_NOTED_DEG
    ]
    return [warning for angles in ofm.angles.values() for warning in angles.warnings] + offsets


def calibrate(static: Recording, feet: list[str], options: OfmOptions) -> dict[str, FootCalibration]:
    """The static calibration of each foot, with the static trial named in any error."""
    calibrations: dict[str, FootCalibration] = {}
    for foot in feet:
        try:
            calibrations[foot] = calibrate_foot(foot_markers(static, foot), foot, up_vector(static), options)
        except ToelabError as error:
            raise ToelabError(error.message, static.meta.path, hint=error.hint) from None
    return calibrations


def apply_ofm(dynamic: Recording, static: StaticTrial) -> OfmOutcome:
    """The Oxford Foot Model's hallux-to-forefoot angle of every foot of a dynamic trial.

    The static trial calibrates the model; D1M, usually kept only in the static trial, is
    rebuilt in the dynamic trial and added as the foot's ``mtp1`` (so toelab's own 3-point
    big-toe angle can be measured as well).
    """
    options = static.options
    if dynamic.meta.source != "c3d":
        raise ToelabError("--static applies to C3D trials with Oxford Foot Model markers", dynamic.meta.path)
    feet = ofm_feet(dynamic)
    for foot in SIDES:
        labelled = foot_markers(dynamic, foot)
        if foot not in feet and any(m in labelled for m in FOREFOOT_DYNAMIC):
            # a foot labelled in part is named, not silently left out of the results
            try:
                require_markers(labelled, FOREFOOT_DYNAMIC, foot, "dynamic", "forefoot and hallux")
            except ToelabError as error:
                raise ToelabError(error.message, dynamic.meta.path, hint=error.hint) from None
    if not feet:
        present = sorted({m for foot in SIDES for m in foot_markers(dynamic, foot)})
        raise ToelabError(
            "the trial has no Oxford Foot Model forefoot and hallux markers "
            f"(needs L/R {', '.join(FOREFOOT_DYNAMIC)}; found {', '.join(present) or 'none'})",
            dynamic.meta.path,
            hint="label the OFM markers in Vicon, or leave out --static",
        )
    calibrations = calibrate(static.recording, feet, options)
    angles: dict[str, HalluxForefootAngles] = {}
    landmarks = dict(dynamic.landmarks)
    sources = dict(dynamic.meta.extra.get("landmark_sources", {}))
    scale = dynamic.meta.mm_per_unit or 1.0
    for foot in feet:
        markers = foot_markers(dynamic, foot)
        try:
            angles[foot] = hallux_forefoot_angles(dynamic.time_s, markers, calibrations[foot])
        except ToelabError as error:
            raise ToelabError(error.message, dynamic.meta.path, hint=error.hint) from None
        name = landmark_key("mtp1", foot)
        if name not in landmarks:
            _, d1m = forefoot_pose(markers, calibrations[foot])
            landmarks[name] = d1m / scale
            sources[name] = f"{SIDES[foot]}D1M (rebuilt from the static trial)"
    extra = {**dynamic.meta.extra, "landmark_sources": sources}
    recording = replace(dynamic, landmarks=landmarks, meta=replace(dynamic.meta, extra=extra))
    standing = {foot: _standing_angle_deg(static.recording, foot) for foot in feet}
    return OfmOutcome(angles, recording, static.recording.meta.path, options, standing)


def _standing_angle_deg(static: Recording, foot: str) -> float:
    """toelab's own big-toe angle from the P1M, D1M and HLX markers in the static trial."""
    from toelab.analysis.rom import hallux_extension_deg

    markers = foot_markers(static, foot)
    angle = hallux_extension_deg(markers["P1M"], markers["D1M"], markers["HLX"], up=up_vector(static))
    return float(np.nanmedian(angle))
