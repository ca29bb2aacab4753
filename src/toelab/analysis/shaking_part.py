"""Which part shakes in a video of the feet: the whole foot, or the toes on a still foot.

The tracker keeps two motions apart (:mod:`toelab.track.tracker`): each foot's own motion
against the picture (the signals ``{foot}_foot_dx_px``, ``_dy_px``, ``_rotation_deg`` and
``_scale``: a similarity transform of the first frame) and each toe's motion against its foot
(the landmarks, with the foot's motion taken out). The foot's shaking is read where the toes
sit: the shift the transform gives the centre of the toes' first-frame points (the transform's
own translation is the shift of the picture's corner, which a small turn of the foot swings
by many pixels). When the whole foot shakes, the toes shake with it and the shaking shows in
the foot's motion; when the toes shake on a still foot, it shows in the toes' motion against
the foot. Both are
analysed alike (:func:`toelab.analysis.tremor.analyze_tremor`). A part is named only when the
other is still beside it: its regular shaking under ``STILL_SHARE`` of the named part's. When
both show the rhythm at a larger share the parts are not told apart (``part`` None with a
regular rhythm): a smoothly lit or smooth-skinned foot gives the tracker few features on the
foot itself, so a whole-foot shake can leak into the toes' motion and a toe shake into the
foot's, and which one it was cannot be read from the sizes.

The foot's motion is seen against the picture, so a camera that shakes would read as a foot
that shakes: the camera must stand still (on the floor or a stand), as the tremor test's
set-up asks.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from toelab.analysis.tremor import TremorResult, tremor_from_recording
from toelab.recording import Recording

ShakingPart = Literal["foot", "toes"]

# a part whose regular shaking is under this share of the other's is still beside it (toelab's
# choice, from videos made of real photos with known motion, benchmarks/video_truth.py: a
# shake's leak into the other part's motion reached 0.17 of it on scanned feet with smooth skin)
STILL_SHARE = 0.1


@dataclass(frozen=True)
class PartsShaking:
    """The foot's and the toes' shaking and which of them shakes (None: neither regularly)."""

    part: ShakingPart | None
    foot: TremorResult
    toes: TremorResult

    @property
    def headline(self) -> TremorResult:
        """The shaking the test reports: the named part's, else the larger regular one (the
        toes' when neither shakes regularly)."""
        if self.part == "foot" or (self.part is None and _size(self.foot) > _size(self.toes)):
            return self.foot
        return self.toes


def _forefoot_shift(recording: Recording, foot: str) -> tuple[np.ndarray, np.ndarray] | None:
    """The shift (px) of the centre of ``foot``'s toes' first-frame points, frame by frame."""
    names = [f"{foot}_foot_{q}" for q in ("dx_px", "dy_px", "rotation_deg", "scale")]
    toes = [xy for name, xy in recording.landmarks.items() if name.startswith(f"{foot}_")]
    if not toes or any(n not in recording.signals for n in names):
        return None
    # each toe where it was first seen (front-view landmarks are first-frame pixels of the foot)
    seen = [xy[np.isfinite(xy).all(axis=1)][0] for xy in toes if np.isfinite(xy).all(axis=1).any()]
    if not seen:
        return None
    cx, cy = np.mean(seen, axis=0)[:2]
    dx, dy, turn_deg, scale = (np.asarray(recording.signals[n], float) for n in names)
    a, b = scale * np.cos(np.radians(turn_deg)), scale * np.sin(np.radians(turn_deg))
    return a * cx - b * cy + dx - cx, b * cx + a * cy + dy - cy


def forefoot_motion(recording: Recording) -> Recording | None:
    """Each foot's forefoot shift in the picture as signals ``{foot}_forefoot_x_px`` and
    ``_y_px`` (None when the recording holds no foot motion: a sensor, a landmark file)."""
    signals: dict[str, np.ndarray] = {}
    for foot in recording.feet():
        shift = _forefoot_shift(recording, foot)
        if shift is not None:
            signals[f"{foot}_forefoot_x_px"], signals[f"{foot}_forefoot_y_px"] = shift
    if not signals:
        return None
    meta = replace(recording.meta, signal_units={name: "px" for name in signals})
    return Recording(recording.time_s, {}, {}, signals, meta)


def _regular(result: TremorResult) -> bool:
    return (
        result.classification == "rhythmic"
        and result.dominant_frequency_hz is not None
        and result.amplitude is not None
    )


def _size(result: TremorResult) -> float:
    return float(result.amplitude or 0.0) if _regular(result) else 0.0


def which_part_shakes(
    foot: TremorResult, toes: TremorResult, foot_to_toes_unit: float = 1.0
) -> ShakingPart | None:
    """``foot`` or ``toes`` from the two analyses, or None when neither shakes with a regular
    rhythm or when both do and they cannot be told apart; ``foot_to_toes_unit`` turns the
    foot's amplitude into the toes' unit (pixels into mm when the video was given a scale)."""
    foot_size, toes_size = _size(foot) * foot_to_toes_unit, _size(toes)
    larger, smaller = max(foot_size, toes_size), min(foot_size, toes_size)
    if larger == 0.0 or smaller >= STILL_SHARE * larger:
        return None
    return "foot" if foot_size > toes_size else "toes"


def parts_shaking(recording: Recording) -> PartsShaking | None:
    """Both parts' shaking in a tracked front-view video; None when the recording does not hold
    the foot's own motion (a sensor, a landmark file, the side view)."""
    forefoot = forefoot_motion(recording)
    if forefoot is None or not recording.landmarks:
        return None
    toes = tremor_from_recording(recording)
    foot = tremor_from_recording(forefoot, channels=sorted(forefoot.signals))
    scale = 1.0
    if toes.amplitude_unit != foot.amplitude_unit and recording.meta.mm_per_unit:
        scale = float(recording.meta.mm_per_unit)  # the toes in mm, the foot in pixels
    return PartsShaking(which_part_shakes(foot, toes, scale), foot, toes)
