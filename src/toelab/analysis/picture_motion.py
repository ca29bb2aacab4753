"""The picture's own motion in a tracked video of the feet, and what of a movement follows it.

A camera that moves (a hand-held phone, a knocked stand) moves the whole picture: the floor in
front of the toes, the foot and its toes alike. The tracker follows each of them from the
first frame (:mod:`toelab.track.tracker`), but not with the same error, and a still foot then
seems to move a little at the camera's rhythm. On videos made of real photos of a still foot
with the camera shaken 1.5 px at 4 or 8 Hz (H.264, crf 23, ``tests/photovideo.py``) the
tremor test read "rhythmic, 4 or 8 Hz, 0.1-0.6 px" on five of eight feet, and under a slow
hand-held drift (5 px at 0.05-0.4 Hz) "irregular, 0.1-0.3 px": the foot's tracked pose
jitters by 0.1-0.4 px in the tremor band as the picture drifts, and the toes' motion against
the foot carries that jitter back (with a gain near 1). Two things keep the camera's motion
out of the test:

* :func:`toes_without_the_foot_s_motion` takes off each toe's motion against its foot the part
  that follows the foot's own motion on the picture at that toe (least squares in the tremor
  analysis band, 1-20 Hz), where it follows with a gain of at most ``MAX_FOLLOWING_GAIN``. A
  toe that shakes on its own barely moves its foot's tracked pose (under 1 % of its shaking on
  those videos: a gain of a hundred and more), so its own shaking is kept.
* :func:`camera_shaking_px` gives how much the picture itself moved at the rhythm a movement
  was found at (the floor's motion where it was followed, else the foot's on the picture); a
  movement no larger than that cannot be told from what is left of the camera's; where the
  picture moved most at that very rhythm (:func:`strongest_rhythm_hz`), the camera shook at it,
  and a floor can read such a shake short (a grout line alone in front of the toes read 0.2-0.3
  of it), so more is asked of the movement (``tasks.tremor``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from toelab.analysis.shaking_part import feet_followed_as_feet, floor_shift, forefoot_shift, toes_first_points
from toelab.analysis.spectral import band_power, bandpass, to_uniform, welch_psd
from toelab.analysis.tremor import ANALYSIS_LOW_HZ, analysis_high_hz, peak_half_width_hz, welch_segment_s
from toelab.recording import Recording

# A toe's motion against its foot follows the foot's own motion on the picture with a gain near
# 1 where it is the foot's tracking error (0.6-1.3 on the videos above) and near 0 where the
# toe moves with its foot; a toe's own shaking moves the foot's tracked pose by under 1 % of it
# (gain 100 and more). toelab's line, between the two.
MAX_FOLLOWING_GAIN = 1.5
# a direction in which the picture moved under this share of its main direction is not fitted
# (a camera shaken along one line has no motion across it to fit to)
MIN_DIRECTION_SHARE = 0.1
# the fewest samples a motion is band-passed or its spectrum read on
MIN_SAMPLES = 30


def _filled(values: np.ndarray, time_s: np.ndarray) -> np.ndarray | None:
    """``values`` (n, k) with missing samples filled in along time; None where a column has
    fewer than ``MIN_SAMPLES`` finite samples."""
    out = np.array(values, dtype=float)
    for column in out.T:
        seen = np.isfinite(column)
        if seen.sum() < MIN_SAMPLES:
            return None
        column[~seen] = np.interp(time_s[~seen], time_s[seen], column[seen])
    return out


def _analysis_band(values: np.ndarray, time_s: np.ndarray) -> np.ndarray | None:
    """``values`` (n, k) band-passed to the tremor analysis band (below the Nyquist
    frequency); None where too few samples were seen."""
    if time_s.size < MIN_SAMPLES:
        return None
    filled = _filled(values, time_s)
    rate_hz = float(1.0 / np.median(np.diff(time_s)))
    high_hz = analysis_high_hz(rate_hz)
    if filled is None or high_hz <= ANALYSIS_LOW_HZ:
        return None
    return bandpass(filled - filled.mean(axis=0), rate_hz, ANALYSIS_LOW_HZ, high_hz)


def following_part(values: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """The part of ``values`` (n,) that follows ``reference`` (n, 2) linearly with a gain of at
    most ``MAX_FOLLOWING_GAIN`` in each of the reference's directions of motion (both already
    band-passed); zero in a direction where it follows more steeply (it is not the reference's)."""
    u, s, _ = np.linalg.svd(reference, full_matrices=False)
    part = np.zeros(values.shape[0])
    for k, size in enumerate(s):
        if size <= 0 or size < MIN_DIRECTION_SHARE * s[0]:
            continue
        gain = float(u[:, k] @ values) / size
        if abs(gain) <= MAX_FOLLOWING_GAIN:
            part += gain * size * u[:, k]
    return part


def toes_without_the_foot_s_motion(recording: Recording) -> Recording:
    """``recording`` with each toe's motion against its foot less the part that follows the
    foot's own motion on the picture at that toe (:func:`following_part`, in the band); the
    recording itself where it holds no foot motion (a landmark file, a sensor, the side view)
    or where the tracker's motion of the foot is not the foot's own
    (:func:`~toelab.analysis.shaking_part.feet_followed_as_feet`): a foot whose body was
    followed mostly on the floor carries part of its own shaking there, and that part of the
    toes' motion would be taken off with it (a 1.5 px whole-foot shake on a scanned foot on
    mosaic tiles then read 0.38 of its size, 0.68 with the toes' motion as it was)."""
    if not feet_followed_as_feet(recording):
        return recording
    time_s = recording.time_s
    landmarks = dict(recording.landmarks)
    for foot in recording.feet():
        for name, first in toes_first_points(recording, foot).items():
            shift = forefoot_shift(recording, foot, first)
            reference = None if shift is None else _analysis_band(np.column_stack(shift), time_s)
            moved = _analysis_band(landmarks[name][:, :2], time_s)
            if reference is None or moved is None:
                continue
            xy = np.array(landmarks[name], dtype=float)
            for axis in range(2):
                xy[:, axis] -= following_part(moved[:, axis], reference)
            landmarks[name] = xy
    return replace(recording, landmarks=landmarks)


def picture_motion_px(recording: Recording, foot: str) -> np.ndarray | None:
    """The picture's own motion at the foot's toes, (n, 2) px: the floor's shift where the
    floor was followed, else the foot's shift on the picture (a still foot moves on it only
    with the camera); None where the recording holds neither."""
    floor = floor_shift(recording, foot)
    if floor is not None:
        return np.column_stack(floor)
    firsts = toes_first_points(recording, foot)
    if not firsts:
        return None
    shift = forefoot_shift(recording, foot, np.mean(list(firsts.values()), axis=0))
    return None if shift is None else np.column_stack(shift)


@dataclass(frozen=True)
class PictureSpectrum:
    """The power spectrum of the picture's own motion at one foot's toes (x and y together)."""

    frequencies_hz: np.ndarray
    power: np.ndarray  # px^2/Hz
    segment_s: float  # its Welch segments' length
    high_hz: float  # the top of the analysed band


def picture_spectra(recording: Recording) -> list[PictureSpectrum]:
    """The spectrum of the picture's own motion (:func:`picture_motion_px`) at each foot, read
    as the tremor analysis reads a movement's (on a uniform grid, the same Welch segments);
    none where the recording holds no picture motion."""
    spectra = []
    for foot in recording.feet():
        motion = picture_motion_px(recording, foot)
        if motion is None or recording.time_s.size < MIN_SAMPLES:
            continue
        series = to_uniform(recording.time_s, motion)
        if not series.kept.all():
            continue
        segment_s = welch_segment_s(float(series.time_s[-1] - series.time_s[0]))
        rate_hz = series.rate_hz
        x, y = (welch_psd(axis - axis.mean(), rate_hz, segment_s, pad_factor=8) for axis in series.values.T)
        spectra.append(PictureSpectrum(x[0], x[1] + y[1], segment_s, analysis_high_hz(rate_hz)))
    return spectra


def shaking_in(spectra: list[PictureSpectrum], frequency_hz: float | None) -> float | None:
    """How far the picture itself moved (px, the amplitude of a sine of the same power) at
    ``frequency_hz`` (within the tremor analysis's peak width of it: a shake 2 Hz away is not
    counted), or over the analysis band where no frequency is given; the most over the feet,
    None with no spectrum."""
    sizes = []
    for spectrum in spectra:
        low_hz, high_hz = ANALYSIS_LOW_HZ, spectrum.high_hz
        if frequency_hz is not None:
            half_width_hz = peak_half_width_hz(spectrum.segment_s)
            low_hz, high_hz = frequency_hz - half_width_hz, min(high_hz, frequency_hz + half_width_hz)
        power = band_power(spectrum.frequencies_hz, spectrum.power, low_hz, high_hz)
        sizes.append(float(np.sqrt(2.0 * power)))
    return max(sizes) if sizes else None


def strongest_rhythm_hz(spectra: list[PictureSpectrum]) -> float | None:
    """The rhythm the picture itself moved at most: the highest point of the analysis band's
    spectrum, at the foot whose picture moved most over the band; None with no spectrum."""
    best: tuple[float, float] | None = None
    for spectrum in spectra:
        band = (spectrum.frequencies_hz >= ANALYSIS_LOW_HZ) & (spectrum.frequencies_hz <= spectrum.high_hz)
        if not band.any():
            continue
        total = band_power(spectrum.frequencies_hz, spectrum.power, ANALYSIS_LOW_HZ, spectrum.high_hz)
        if best is None or total > best[0]:
            highest = int(np.argmax(np.where(band, spectrum.power, -np.inf)))
            best = (total, float(spectrum.frequencies_hz[highest]))
    return None if best is None else best[1]


def camera_shaking_px(recording: Recording, frequency_hz: float | None) -> float | None:
    """:func:`shaking_in` the recording's picture spectra."""
    return shaking_in(picture_spectra(recording), frequency_hz)
