"""Which part shakes in a video of the feet: the whole foot, or the toes on a still foot.

The tracker keeps two motions apart (:mod:`toelab.track.tracker`): each foot's own motion
against the picture (the signals ``{foot}_foot_dx_px``, ``_dy_px``, ``_rotation_deg`` and
``_scale``: a similarity transform of the first frame) and each toe's motion against its foot
(the landmarks, with the foot's motion taken out). Both are read at one place, the centre of
the toes' first-frame points: the foot's shaking is the shift its transform gives that centre
(the transform's own translation is the shift of the picture's corner, which a small turn of
the foot swings by many pixels), and the toes' shaking is their mean motion against the foot.
A small error in the foot's turn moves the toes on either side of that centre in opposite
directions and cancels in their mean; toes that shake on a still foot move together and show
in it.

Both are analysed alike (:func:`toelab.analysis.tremor.analyze_tremor`), and so is their sum,
the toes' centre as the picture shows it. The split between the two is not exact in a
compressed video: H.264 keeps too little of a small motion of smooth skin (the foot body's
features behind the toes) and more of the toes' edges, so on videos made of real photos with
known motion (crf 23) the foot's shift at the toes' centre read 0.59-0.74 of a 2 px whole-foot
shake and the toes' motion against the foot carried the rest, while their sum kept 0.96-0.99
of it (the same video encoded losslessly: foot 0.99, toes 0.02). So the size of a foot's
shaking is read from the sum (the toes move with the foot that carries them), and the split
only decides which part is named. A part is named only when it shakes with a regular rhythm
and the other is still beside it: the other's regular shaking under ``STILL_SHARE`` of the
named part's, and its movement of any kind in the band smaller than the named part's shaking.
So a leak like the one above, or a foot that moves irregularly and leaks a little
regular-looking motion into the toes' (its turn is not followed exactly), leaves the parts not
told apart (``part`` None) rather than guessed, and the sum, the foot's and the toes' shaking
together as seen at the toes, is the one reported.

The foot's motion is read against the floor in front of its toes, which the tracker follows
from the first frame (the camera's own motion: a hand-held phone, a knocked stand); where that
floor could not be followed (out of the picture, covered, too plain to hold features), against
the picture, and a camera that shakes then reads as a foot that shakes: the tremor test then
gives no figure from the foot's movement on the picture (``floor_followed_pct``, the test's
quality), and its set-up asks for a camera that stands still (on the floor or a stand).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np

from toelab.analysis.tremor import TremorResult, size_at, tremor_from_recording
from toelab.errors import ToelabError
from toelab.recording import Recording

ShakingPart = Literal["foot", "toes"]

# a part is still beside the other when its regular shaking, and its movement at the other's
# rhythm, are under this share of the other's shaking (toelab's choice, from videos made of real
# photos with known motion, benchmarks/video_truth.py). At the rhythm: on such videos (1.5 px at
# 4, 6 and 9 Hz; 30 fps, a hand-held drift, or noise at 60 fps; a sine fitted at the shake's
# frequency) the body of a whole foot shaking on smooth skin, which H.264 keeps little of a small
# motion of, read 0.17-1.04 of the shake on two real photos, and the smaller of the two parts'
# movements there was 0.21-0.88 of the larger: where the foot's part was too unsteady to call
# a rhythm, the shake was named "the toes". Toes shaking on a still foot moved the foot at
# their rhythm by 0-0.10 of their own movement on most videos, 0.16-0.29 on a few (under noise,
# and where the foot's body patch reaches the big toe).
STILL_SHARE = 0.1
# a part is named only when it shakes by at least this much (px, at the toes' centre): H.264
# keeps too little of a sub-pixel motion of smooth skin to tell which part made it (on a video
# made of a real photo, crf 23, a 0.4 px whole-foot shake read as the toes' 0.23 px and a 0.4 px
# shake of the toes as 0.04 px; shakes of 1.5 px, read at 0.9 px and more, were named right).
# toelab's line.
MIN_PART_SIZE_PX = 0.5
# the foot's own motion is read from the features of its body behind the toes, fitted to the
# largest set that moves as one (RANSAC); where fewer than half of them lie on skin, the floor's
# features are that set and the foot's motion is the floor's. On photo-based videos whose row of
# toes slants steeply, 2.5 and 5 % of them lay on skin and a whole-foot shake was named "the
# toes"; with 30-40 % (a scanned foot on mosaic tiles) the same happened once the camera moved
# slowly, as a hand-held one does (the floor then moves and outvotes the foot's skin); 80-100 %
# on the others. toelab's line: half, of the first frame's features and, over the frames, of
# those the body's motion was fitted to (on a scanned foot on mosaic tiles, 50 % on the first
# frame; a 4 px whole-foot shake left the skin's features behind the floor's, 12 % of those
# fitted lay on skin, and the shake was named "the toes").
MIN_BODY_ON_SKIN_PCT = 50.0


@dataclass(frozen=True)
class PartsShaking:
    """The foot's and the toes' shaking (both at the toes' centre, in pixels) and which of them
    shakes (None: neither regularly, or not told apart); ``each_toe`` is the toes' shaking from
    every toe's own motion (the test's usual analysis, which a single toe's tremor shows in);
    ``in_picture`` the toes' centre's shaking in the picture, the foot's motion and the toes'
    together."""

    part: ShakingPart | None
    foot: TremorResult
    toes: TremorResult
    each_toe: TremorResult
    in_picture: TremorResult

    @property
    def headline(self) -> TremorResult:
        """The shaking the test reports: the toes' own when they shake on a still foot; else the
        toes' centre's shaking in the picture (the foot's, with the toes it carries, or both
        together where the parts are not told apart), or the toes' own where that centre was
        found still. (A single toe's motion against the foot is not taken where the foot moves:
        an error in the foot's turn moves an outer toe against it, and read 1.2 times a
        whole-foot shake on a photo-based video.)"""
        if self.part == "toes":
            return self.each_toe
        if self.part == "foot" or self.in_picture.movement_size > 0:
            return self.in_picture
        return self.each_toe


def forefoot_shift(
    recording: Recording, foot: str, centre: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """The shift (px) the foot's motion gives ``centre`` (first-frame pixels), frame by frame."""
    names = [f"{foot}_foot_{q}" for q in ("dx_px", "dy_px", "rotation_deg", "scale")]
    if any(n not in recording.signals for n in names):
        return None
    cx, cy = centre
    dx, dy, turn_deg, scale = (np.asarray(recording.signals[n], float) for n in names)
    a, b = scale * np.cos(np.radians(turn_deg)), scale * np.sin(np.radians(turn_deg))
    return a * cx - b * cy + dx - cx, b * cx + a * cy + dy - cy


# the floor's shift is taken off the foot's where it was told on at least this share of frames
# (the gaps between filled in); else the foot's motion is read against the picture. A plain
# floor told on two frames in three (a scanned foot on white boards) moved against a whole-foot
# shake by a quarter of it and the size read 1.23 of the shake (0.98 against the picture); on
# the other photo-based videos looked at, the floor was told on 82-100 % of frames.
MIN_FLOOR_SHARE = 0.8


def _floor_told(recording: Recording, foot: str) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The floor's shift (px) at the toes' centre as tracked (NaN where not told) and the frames
    it was told on; None where the recording holds no floor motion."""
    names = [f"{foot}_floor_d{axis}_px" for axis in "xy"]
    if any(n not in recording.signals for n in names):
        return None
    dx, dy = (np.asarray(recording.signals[n], float) for n in names)
    return dx, dy, np.isfinite(dx) & np.isfinite(dy)


def floor_shift(recording: Recording, foot: str) -> tuple[np.ndarray, np.ndarray] | None:
    """The floor's shift (px) at the toes' centre, frame by frame: the camera's own motion."""
    floor = _floor_told(recording, foot)
    if floor is None or floor[2].mean() < MIN_FLOOR_SHARE:
        return None
    dx, dy, told = floor
    t = recording.time_s
    return np.interp(t, t[told], dx[told]), np.interp(t, t[told], dy[told])


def floor_followed_pct(recording: Recording) -> float:
    """The share of frames (%) on which the floor in front of the toes was followed, for the
    foot where it was followed least; 0 where the recording holds no floor motion."""
    floors = [_floor_told(recording, foot) for foot in recording.feet()]
    if not floors or any(f is None for f in floors):
        return 0.0
    return round(min(100.0 * float(f[2].mean()) for f in floors if f is not None), 1)


def toes_first_points(recording: Recording, foot: str) -> dict[str, np.ndarray]:
    """Each of the foot's points where it was first seen (px; front-view landmarks are
    first-frame pixels of the foot), by name."""
    firsts = {}
    for name, xy in recording.landmarks.items():
        seen = np.isfinite(xy[:, :2]).all(axis=1)
        if name.startswith(f"{foot}_") and seen.any():
            firsts[name] = xy[np.argmax(seen), :2]
    return firsts


def read_on_the_picture(result: TremorResult) -> bool:
    """Whether a tremor result was read from the toes' centre on the picture (the foot's motion
    with the toes it carries: ``centre_motions``' ``_picture_`` signals), not from the toes'
    own motion against the foot."""
    return "_picture_" in result.channel


def centre_motions(recording: Recording, *, against_floor: bool = True) -> Recording | None:
    """Each foot's shift and its toes' mean motion against it, both at the centre of the toes,
    and their sum, as signals ``{foot}_forefoot_x_px``/``_y_px``, ``{foot}_toes_x_px``/``_y_px``
    and ``{foot}_picture_x_px``/``_y_px`` (None when the recording holds no foot motion: a
    sensor, a landmark file). The foot's shift is against the floor in front of its toes where
    the tracker followed that floor (``{foot}_floor_dx_px``/``_dy_px``: the camera's own motion)
    and ``against_floor`` is set, else against the picture."""
    signals: dict[str, np.ndarray] = {}
    for foot in recording.feet():
        # each toe's motion from where it was first seen, so a toe lost for a while does not
        # move the mean
        first_points = toes_first_points(recording, foot)
        firsts = list(first_points.values())
        moved = [recording.landmarks[name][:, :2] - xy for name, xy in first_points.items()]
        shift = forefoot_shift(recording, foot, np.mean(firsts, axis=0)) if firsts else None
        if shift is None:
            continue
        floor = floor_shift(recording, foot) if against_floor else None
        if floor is not None:
            # the foot against the floor: a camera that moved (hand-held, knocked) moves both
            shift = (shift[0] - floor[0], shift[1] - floor[1])
        signals[f"{foot}_forefoot_x_px"], signals[f"{foot}_forefoot_y_px"] = shift
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a frame with no toe: no mean
            mean = np.nanmean(np.stack(moved), axis=0)
        signals[f"{foot}_toes_x_px"], signals[f"{foot}_toes_y_px"] = mean[:, 0], mean[:, 1]
        signals[f"{foot}_picture_x_px"] = shift[0] + mean[:, 0]
        signals[f"{foot}_picture_y_px"] = shift[1] + mean[:, 1]
    if not signals:
        return None
    meta = replace(recording.meta, signal_units={name: "px" for name in signals})
    return Recording(recording.time_s, {}, {}, signals, meta)


def _size(result: TremorResult) -> float:
    return float(result.amplitude or 0.0) if result.regular else 0.0


def which_part_shakes(foot: TremorResult, toes: TremorResult) -> ShakingPart | None:
    """``foot`` or ``toes`` from the two analyses (in one unit), or None when neither shakes
    with a regular rhythm, when the other shakes or moves too, at its own rhythm or at the
    shaking one's (they cannot be told apart), or when the shaking is under
    ``MIN_PART_SIZE_PX`` on the picture."""
    if not (foot.regular or toes.regular):
        return None
    shaking, other = (foot, toes) if _size(foot) > _size(toes) else (toes, foot)
    if _size(other) >= STILL_SHARE * _size(shaking) or other.movement_size >= _size(shaking):
        return None
    # the other moves at the rhythm too, though not regularly enough to call it a rhythm of its own
    rhythm_hz = float(shaking.dominant_frequency_hz or 0.0)
    at_rhythm = size_at(shaking, rhythm_hz)
    if at_rhythm > 0 and size_at(other, rhythm_hz) >= STILL_SHARE * at_rhythm:
        return None
    if foot.amplitude_unit == "px" and _size(shaking) < MIN_PART_SIZE_PX:
        return None
    return "foot" if shaking is foot else "toes"


def foot_lies_above_the_toes(points: dict[str, Any]) -> bool:
    """Whether a foot's toe points put its body above the toe line in the picture, where the
    tracker follows the foot (``toelab.track.tracker``): a camera in front of the toes.

    Seen from the top of the foot, the big toe lies on the side the foot's own turn gives it:
    with ``along`` from the little toe to the big toe, the ankle lies along ``along`` turned a
    quarter clockwise on the picture for a right foot, anticlockwise for a left one. Filmed
    from in front of the toes, that is up the picture; from above with the toes pointing away
    (up the picture), it is down, and the tracker's foot would lie on the floor beyond the toes.
    """
    toe1, toe5 = np.asarray(points["toe1"], float), np.asarray(points["toe5"], float)
    along_x, along_y = toe1 - toe5
    towards_ankle_y = -along_x if points.get("foot") == "right" else along_x
    return bool(towards_ankle_y < 0)


def feet_followed_as_feet(recording: Recording) -> bool:
    """Whether the tracker's motion of each foot is the foot's own: a front view whose toe
    points put the foot's body above the toes in the picture, where the tracker follows it
    (``foot_lies_above_the_toes``), and whose body was followed mostly on skin, not on the floor
    (``MIN_BODY_ON_SKIN_PCT``, on the first frame and over the frames)."""
    if recording.meta.view != "front":
        return False
    given = recording.meta.extra.get("points") or []
    fronts = [p for p in given if isinstance(p, dict) and p.get("view") == "front" and "toe1" in p]
    on_skin = recording.meta.extra.get("foot_body_features_on_skin_pct") or {}
    followed_on_skin = recording.meta.extra.get("foot_body_followed_on_skin_pct") or {}
    return (
        bool(fronts)
        and all(foot_lies_above_the_toes(p) for p in fronts)
        and all(float(pct) >= MIN_BODY_ON_SKIN_PCT for pct in [*on_skin.values(), *followed_on_skin.values()])
    )


def parts_shaking(recording: Recording, each_toe: TremorResult) -> PartsShaking | None:
    """Both parts' shaking in a tracked front-view video; None when the recording does not hold
    the foot's own motion (a sensor, a landmark file, the side view), when the toe points
    say the foot lies below the toes in the picture (filmed from above with the toes pointing
    away: the foot's own motion is then not where the tracker reads it, so no part is named),
    or when the foot's body was followed mostly on the floor (``MIN_BODY_ON_SKIN_PCT``, on the
    first frame or over the frames).
    ``each_toe`` is the test's own analysis of the toes' motion (``tremor_from_recording``)."""
    if not feet_followed_as_feet(recording):
        return None
    centre = centre_motions(recording)
    if centre is None:
        return None
    names = sorted(centre.signals)
    try:
        foot = tremor_from_recording(centre, channels=[n for n in names if "_forefoot_" in n])
        toes = tremor_from_recording(centre, channels=[n for n in names if "_toes_" in n])
        in_picture = tremor_from_recording(centre, channels=[n for n in names if "_picture_" in n])
    except ToelabError:
        return None  # the parts could not be followed apart: the toes' analysis stands alone
    return PartsShaking(which_part_shakes(foot, toes), foot, toes, each_toe, in_picture)
