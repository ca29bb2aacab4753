"""Tremor: dominant frequency, amplitude, rhythmicity and stability of a shaking foot or toe.

Shaking while bending or holding the toes is an *action* tremor (kinetic or postural);
a *rest* tremor appears with the limb relaxed and supported. A tremor is a rhythmic
oscillation; a random twitch is not. This module measures; it never diagnoses. The
frequency bands it names are what the literature calls *typical* of a tremor type.

Pipeline (``analyze_tremor``)
-----------------------------
1. **Real timestamps.** Samples are put on a uniform grid at the median rate by
   interpolation on the real timestamps (phone jitter, dropped webcam frames): a cubic
   spline, which keeps the amplitude of a tremor sampled only 3-5 times per cycle where
   linear interpolation would shrink it, and linear across gaps longer than 3 frames. On
   a regular grid only NaN samples are filled (linearly). Many missing samples or long
   gaps give a warning.
2. **Detrend.** A zero-phase 4th-order Butterworth high-pass at 0.5 Hz removes offset
   (gravity on an accelerometer axis) and slow drift (the foot creeping in the frame).
3. **One signal from many channels.** Several channels are combined by the first
   principal component of their covariance restricted to the searched band (1.5 Hz up to
   the analysed limit, from the Fourier transform, i.e. of the band-passed channels). The
   component is the direction of the largest shaking; channels moving together reinforce
   it while independent tracking noise does not. Channels named ``<point>.<axis>`` or
   ``<point>_<axis>`` (``right_toe1.y``, ``acc_x``) are grouped by point, and the combined
   signal is the loading-weighted mean of each point's motion along its own principal
   direction, so the amplitude stays in the recording's unit (one point's, not a sum).
   Frequency and classification come from that combined signal; ``amplitude`` is the
   motion of the point with the largest loading along its own direction (the toe that
   shakes most). ``channel`` in the result says what was analysed.
4. **Frequency.** Read from the *displacement* spectrum whatever the sensor measures
   (``toelab.analysis.tremor_frequency``): a gyroscope's angular velocity is divided by
   ``(2 pi f)^2``, an accelerometer's acceleration by ``(2 pi f)^4``, so that a broad peak
   is not pushed up and a harmonic does not outweigh the fundamental; multitaper spectra,
   the peak standing most above its background from 2 Hz, its centre fitted over its top.
   A motion sensor's axes are combined along the direction that shakes most at the
   tremor. The classification figures below use the sensor's own Welch spectrum (Welch
   1967, IEEE Trans Audio Electroacoust 15:70, doi:10.1109/TAU.1967.1161901; Hann
   windows of up to 4 s, 50 % overlap, zero-padded 8x) over the analysed band (1 Hz up to
   20 Hz or 95 % of the Nyquist frequency), measured at that frequency over the peak's own
   width (+-0.5, 1 or 1.5 Hz, whichever stands out most: a wandering tremor's peak is broad).
5. **Amplitude.** The power in a narrow band around the peak (+-0.5 Hz, wider for short
   windows: the Hann main lobe), minus the background expected there, is the sinusoid's
   power ``A^2 / 2``; ``amplitude = sqrt(2 * power)`` is half the peak-to-peak excursion.

Classification features (all scale-free, so they hold across units and scales)
-----------------------------------------------------------------------------
* ``peak_to_background_db``: power in the peak band over the background expected there.
  The background is interpolated (log power vs log frequency) between the medians of the
  spectrum in two flanks beside the peak, so a smooth 1/f^a spectrum (coloured noise,
  slow drift) gives about 0 dB wherever the "peak" falls, while a tremor stands out.
* ``rhythmicity`` (0..1): the share of the power in the tremor band (from 3 Hz, or the
  peak's lower edge if lower) that is peak above background, i.e. how much of the movement
  there is the one oscillation (voluntary movement, which reaches up to ~3 Hz and can be a
  hundred times a physiological tremor, does not hide a small tremor). A clean sinusoid
  gives ~1, white or coloured noise ~0.
* ``peak_persistence`` (0..1): the share of independent 3-s windows in which the power
  around the dominant frequency stands >= 3 dB above that window's own background: a
  tremor is there throughout, a chance peak of noise is not.
* ``kurtosis`` (excess), of the movement from 3 Hz up: sparse brief jerks make heavy tails
  (a sinusoid gives -1.5, Gaussian noise 0); the starts and stops of voluntary reaching,
  slower than 3 Hz, are left out so that they are not taken for jerks, and so are the first
  and last half second, where the filters ring.
* ``spectral_flatness`` (0..1, Wiener entropy): geometric over arithmetic mean of the
  spectrum; reported for reference.

``rhythmic``: peak >= 8 dB above background, rhythmicity >= 0.15, persistence >= 0.5 and
excess kurtosis < 3 (jerks do not dominate). ``irregular``: not rhythmic, but a peak
(>= 7 dB) present in at least a quarter of the windows, a broad peak (>= 5 dB, rhythmicity
>= 0.3) present in nearly all of them, or heavy-tailed jerks (excess kurtosis >= 2; on a
video's picture, in pixels, only jerks reaching ``JERKS_SEEN_PX``: tracked points jump by
themselves).
From 20 s on, a peak >= 5 dB above its flanks in the multitaper displacement spectrum,
present in a quarter of the windows, is also ``irregular`` (a weak tremor that comes and
goes). ``none``: neither (measurement noise, no movement). The thresholds were set
on synthetic tremor, twitch and white/pink/brown noise of 5-10 s (``toelab.synthetic.tremor``):
no noise record of 10 s was called rhythmic in 450 tries, every noisy tremor was.

Tremor stability index
----------------------
di Biase et al. 2017 (Brain 140:1977): the signal is band-passed around the dominant
frequency (+-2 Hz); each cycle's frequency is the inverse of its duration, cycles being
delimited where the unwrapped Hilbert phase passes a multiple of 2 pi (sub-sample timing
even at 5 samples per cycle); the TSI is the inter-quartile range (Hz) of the change in
frequency between consecutive cycles. A steady tremor gives a small TSI; a tremor whose
frequency wanders from cycle to cycle a larger one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import fft, signal, stats

from toelab.analysis.quality import SMALLEST_SEEN_PX, Quality, quality_keys
from toelab.analysis.spectral import (
    UniformSeries,
    band_power,
    bandpass,
    highpass,
    interpolated_peaks,
    spectrogram,
    to_uniform,
    welch_psd,
)
from toelab.analysis.tremor_frequency import (
    FLANK_WIDTH_HZ,
    ORDERS,
    dominant_frequency,
    peak_and_background,
    tremor_direction,
)
from toelab.errors import ToelabError
from toelab.recording import Recording

CLASSIFICATIONS = ("rhythmic", "irregular", "none")

HIGHPASS_HZ = 0.5
ANALYSIS_LOW_HZ = 1.0
ANALYSIS_HIGH_HZ = 20.0
SEARCH_LOW_HZ = 2.0
TREMOR_BAND_HZ = (3.0, 12.0)
PEAK_HALF_WIDTH_HZ = 0.5
PEAK_HALF_WIDTHS_HZ = (1.0, 1.5)
MAX_SEGMENT_S = 4.0
SPECTROGRAM_WINDOW_S = 3.0
SPECTROGRAM_STEP_S = 0.5
TSI_HALF_BAND_HZ = 2.0

MIN_DURATION_S = 2.0
RELIABLE_DURATION_S = 5.0
MIN_SAMPLES = 32
MIN_RATE_HZ = 10.0
MISSING_WARN_FRACTION = 0.1
GAP_WARN_S = 0.5
# Orthostatic tremor reaches 18 Hz: Nyquist needs >= 36 Hz sampling; 60 fps leaves margin.
RECOMMENDED_RATE_HZ = 60.0

RHYTHMIC_PEAK_DB = 8.0
RHYTHMIC_MIN_RHYTHMICITY = 0.15
RHYTHMIC_MIN_PERSISTENCE = 0.5
RHYTHMIC_MAX_KURTOSIS = 3.0
IRREGULAR_PEAK_DB = 7.0
IRREGULAR_MIN_PERSISTENCE = 0.25
WINDOW_PEAK_DB = 3.0
MAX_RATIO_DB = 120.0
IRREGULAR_MIN_KURTOSIS = 2.0
JERK_EDGE_S = 0.5
# A tracked video's points jump by themselves: on still feet filmed with sensor noise and
# exposure drift, by a drifting hand-held camera, or both at 60 fps, the toes' tracked movement
# was jerky (kurtosis from 3 Hz up 2-5) with jerks reaching up to 1.2 px (99th percentile of
# its distance from rest; videos made from photos of ten real feet, benchmarks/video_accuracy.py),
# while a spectral peak stands out of such noise at a twentieth of a pixel. Jerks alone name a
# movement on the picture only from this size on. toelab's line.
JERKS_SEEN_PX = 2.0
# a broad peak (a tremor whose frequency wanders widely) stands out less from its flanks but
# holds much of the movement in the tremor range and is there in nearly every window
BROAD_PEAK_DB = 5.0
BROAD_MIN_PERSISTENCE = 0.9
BROAD_MIN_RHYTHMICITY = 0.3
# a long record's low-variance multitaper displacement spectrum (8-s windows, 3 tapers, many
# windows) shows a weak or intermittent tremor that the 4-s Welch spectrum leaves at 6-7 dB:
# from 20 s on no record without tremor reached 3.0 dB there (30-s simulated wrists with
# slow or reaching movement, white/pink/brown noise; benchmarks/tremor_frequency.py)
LONG_RECORD_S = 20.0
LONG_RECORD_PEAK_DB = 5.0

# Frequency bands typical of tremor types (seed 003 of the domain brief; Deuschl, Bain &
# Brin 1998, Mov Disord 13 Suppl 3:2; Bhatia et al. 2018, Mov Disord 33:75). A band says
# what is *typical*, never what a person has. Dystonic tremor is typically irregular, so
# it is named only for an irregular oscillation.
# the figures given for each part of the foot (TremorResult.parts)
PART_KEYS = ("dominant_frequency_hz", "amplitude", "amplitude_unit", "classification")
TYPICAL_BANDS: tuple[tuple[float, float, str, bool], ...] = (
    (2.0, 5.0, "cerebellar/Holmes tremor", False),
    (3.0, 6.0, "Parkinsonian rest tremor", False),
    (4.0, 10.0, "dystonic tremor (often irregular)", True),
    (4.0, 12.0, "essential tremor", False),
    (8.0, 12.0, "physiological/enhanced physiological tremor", False),
    (13.0, 18.0, "orthostatic tremor", False),
)

# a point's axis channels: ``right_toe1.x``, ``acc_x``, ``right_toes_x_px`` (an axis, then its unit)
_AXIS_SUFFIX = re.compile(r"^(.+)(?:[._][xyz]|\.\d+)(?:_(?:px|mm|m|cm|deg|rad|g|dps|mps2))?$", re.IGNORECASE)


@dataclass(frozen=True, eq=False)
class TremorResult:
    """What ``analyze_tremor`` found. Frequencies in Hz, amplitudes in ``amplitude_unit``."""

    dominant_frequency_hz: float | None  # None when classification is "none" (or withheld)
    amplitude: (
        float | None
    )  # None when withheld; half peak-to-peak of the oscillation at the dominant frequency; 0 if "none"
    amplitude_unit: str
    rms_amplitude: float  # RMS of all movement in the analysed band (1-20 Hz), combined signal
    band_power_fraction: float  # share of analysed power in 3-12 Hz
    classification: str  # "rhythmic" | "irregular" | "none"
    rhythmicity: float  # share of analysed power that is peak above background (0..1)
    peak_to_background_db: float
    peak_persistence: float  # share of spectrogram windows peaking near the dominant frequency
    spectral_flatness: float
    kurtosis: float  # excess kurtosis of the movement from 3 Hz up
    tremor_stability_index: float | None  # Hz; None when no tremor or too few cycles
    typical_band: str | None
    frequencies_hz: np.ndarray  # the analysed spectrum, for plots
    power: np.ndarray  # power spectral density, amplitude_unit^2/Hz
    peak_frequency_time_s: np.ndarray  # spectrogram window centres, from the first sample
    peak_frequency_over_time_hz: np.ndarray
    sampling_rate_hz: float
    duration_s: float
    channel: str
    warnings: tuple[str, ...]
    quality: Quality | None = None
    # a tracked video: which part shakes (foot, toes, foot and toes; None: neither regularly)
    # and each part's figures (toelab.analysis.shaking_part); None for sensors and landmark files
    shaking_part: str | None = None
    parts: Mapping[str, Mapping[str, Any]] | None = None
    # the size alone withheld (the rest measured): what went wrong and how to redo, in plain words
    size_not_measured: tuple[str, str] | None = None

    @property
    def regular(self) -> bool:
        """A regular shaking rhythm with its frequency and amplitude."""
        return (
            self.classification == "rhythmic"
            and self.dominant_frequency_hz is not None
            and self.amplitude is not None
        )

    @property
    def movement_size(self) -> float:
        """How far the movement goes in the band, rhythmic or not: a regular shaking's
        amplitude, else the amplitude of a sine of the same RMS (√2 × RMS); 0 where no movement
        was found."""
        if self.regular:
            return float(self.amplitude or 0.0)
        if self.classification == "none":
            return 0.0
        return float(np.sqrt(2.0) * self.rms_amplitude)

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe summary (no arrays): the contract keys plus the supporting figures."""

        def number(value: float | None, digits: int = 4) -> float | None:
            return None if value is None or not math.isfinite(value) else round(float(value), digits)

        return {
            "dominant_frequency_hz": number(self.dominant_frequency_hz, 3),
            "amplitude": number(self.amplitude, 6),
            "amplitude_unit": self.amplitude_unit,
            "rms_amplitude": number(self.rms_amplitude, 6),
            "band_power_fraction": number(self.band_power_fraction),
            "classification": self.classification,
            "rhythmicity": number(self.rhythmicity),
            "peak_to_background_db": number(self.peak_to_background_db, 2),
            "peak_persistence": number(self.peak_persistence),
            "spectral_flatness": number(self.spectral_flatness),
            "kurtosis": number(self.kurtosis, 3),
            "tremor_stability_index": number(self.tremor_stability_index),
            "typical_band": self.typical_band,
            "sampling_rate_hz": number(self.sampling_rate_hz, 3),
            "duration_s": number(self.duration_s, 3),
            "channel": self.channel,
            "shaking_part": self.shaking_part,
            "parts": None if self.parts is None else {k: dict(v) for k, v in self.parts.items()},
            **self._size_keys(),
            "warnings": list(self.warnings),
            **quality_keys(self.quality),
        }

    def _size_keys(self) -> dict[str, Any]:
        """``amplitude_measured``, and why the size alone was withheld with how to redo it."""
        if self.size_not_measured is None:
            return {"amplitude_measured": self.amplitude is not None}
        why, redo = self.size_not_measured
        return {
            "amplitude_measured": False,
            "amplitude_not_measured_reason": why,
            "amplitude_how_to_redo": redo,
        }

    def part_summary(self) -> dict[str, Any]:
        """The headline figures of one part's shaking (for ``parts``)."""
        full = self.as_dict()
        return {k: full[k] for k in PART_KEYS}


def analysis_high_hz(rate_hz: float) -> float:
    """The top of the analysed band at a sampling rate: ``ANALYSIS_HIGH_HZ``, below Nyquist."""
    return min(ANALYSIS_HIGH_HZ, 0.95 * rate_hz / 2.0)


def welch_segment_s(duration_s: float) -> float:
    """The length of the spectrum's Welch segments for a recording this long."""
    return float(np.clip(duration_s / 2.5, 1.0, MAX_SEGMENT_S))


def peak_half_width_hz(segment_s: float) -> float:
    """The half width of a peak's band: the Hann window's main lobe (+-2 bins), at least
    ``PEAK_HALF_WIDTH_HZ``."""
    return max(PEAK_HALF_WIDTH_HZ, 2.0 / segment_s)


def recording_half_width_hz(duration_s: float) -> float:
    """A peak's half width in the spectrum of a recording this long: two rhythms closer than
    this are one."""
    return peak_half_width_hz(welch_segment_s(duration_s))


def _size_above_background(
    freqs: np.ndarray, psd: np.ndarray, f0: float, half_width_hz: float, high_hz: float
) -> float:
    """Half peak-to-peak of the oscillation at ``f0``: sqrt(2 * (peak-band power - background))."""
    power, background = peak_and_background(freqs, psd, f0, half_width_hz, high_hz)
    return math.sqrt(2.0 * max(float(power[0] - background[0]), 0.0))


def size_at(result: TremorResult, frequency_hz: float) -> float:
    """Half peak-to-peak of ``result``'s movement at ``frequency_hz``, in its unit, read from its
    kept spectrum as a rhythm's ``amplitude`` is read; 0 where the spectrum holds nothing there
    (or none was kept)."""
    freqs, psd = np.asarray(result.frequencies_hz, float), np.asarray(result.power, float)
    if freqs.size < 3 or not freqs[0] <= frequency_hz <= freqs[-1]:
        return 0.0
    half_width_hz = recording_half_width_hz(result.duration_s)
    return _size_above_background(freqs, psd, frequency_hz, half_width_hz, float(freqs[-1]))


def analyze_tremor(
    time_s: np.ndarray,
    values: np.ndarray,
    *,
    unit: str = "",
    channel_names: Sequence[str] | None = None,
    measures: str = "displacement",
) -> TremorResult:
    """Analyse the tremor in ``values`` ((n,) or (n, k)) sampled at ``time_s`` (seconds).

    Columns without ``channel_names`` are taken as the axes of one point or sensor.
    ``measures`` says what the values are: ``"displacement"`` (landmarks, markers),
    ``"velocity"`` (a gyroscope's angular velocity) or ``"acceleration"`` (an
    accelerometer); the frequency is read from the displacement spectrum either way (see
    ``toelab.analysis.tremor_frequency``). See the module docstring for the method.

    Parameters
    ----------
    time_s : numpy.ndarray
        ``(n,)`` sample times in seconds, strictly increasing (irregular allowed).
    values : numpy.ndarray
        ``(n,)`` or ``(n, k)`` samples; NaN = missing.
    unit : str
        Unit of ``values``, carried into the amplitude's unit.
    channel_names : sequence of str, optional
        One name per column (``right_toe1.y``, ``acc_x``); points are grouped by name.
    measures : {"displacement", "velocity", "acceleration"}
        What the values are.

    Returns
    -------
    TremorResult
        Dominant frequency (Hz), amplitude, classification, rhythmicity, stability, the
        typical band (:func:`typical_band`, from the literature) and the quality of the data;
        a warning when the sampling rate cannot see every typical band (nothing above half the
        rate can be seen).

    Raises
    ------
    ToelabError
        When the input is too short (under the minimum duration or sample count), sampled too
        slowly to see a tremor, has no channel with enough valid samples, or is malformed.

    References
    ----------
    .. [1] shannon1949, doi:10.1109/JRPROC.1949.232969
       Shannon 1949. Proc IRE 37:10 (a camera sees only up to half its frame rate).
    """
    if measures not in ORDERS:
        raise ToelabError(f"measures must be one of {', '.join(ORDERS)}, not {measures!r}")
    order = ORDERS[measures]
    time_s, values, names = _validated(time_s, values, channel_names)
    series = to_uniform(time_s, values)
    if not series.kept.any():
        raise ToelabError(
            "no channel has enough valid samples for a tremor analysis (more than half are missing)",
            hint="check the tracking or choose other channels",
        )
    dropped = [n for n, keep in zip(names, series.kept, strict=True) if not keep]
    names = [n for n, keep in zip(names, series.kept, strict=True) if keep]
    rate_hz = series.rate_hz
    duration_s = float(series.time_s[-1] - series.time_s[0])
    _check_length(series.time_s.size, duration_s, rate_hz)

    warnings = _data_warnings(series, dropped)
    warnings += _rate_warnings(rate_hz)
    if duration_s < RELIABLE_DURATION_S:
        warnings.append(
            f"the recording lasts {duration_s:.1f} s; frequencies are reliable from "
            f"{RELIABLE_DURATION_S:.0f} s on (10-30 s of steady holding is better)"
        )

    high_hz = analysis_high_hz(rate_hz)
    detrended = highpass(series.values, rate_hz, HIGHPASS_HZ)
    segment_s = welch_segment_s(duration_s)
    half_width_hz = peak_half_width_hz(segment_s)
    if order == 0:
        y, y_top, channel = _combine(detrended, names, rate_hz, high_hz)
    else:
        y, channel = _sensor_signal(detrended, names, rate_hz, order, high_hz, half_width_hz)
        y_top = y
    freqs, psd = welch_psd(y, rate_hz, segment_s, pad_factor=8)
    analysed = (freqs >= ANALYSIS_LOW_HZ) & (freqs <= high_hz)
    freqs, psd = freqs[analysed], psd[analysed]
    total = band_power(freqs, psd, ANALYSIS_LOW_HZ, high_hz)

    peak = dominant_frequency(y, rate_hz, order, high_hz, half_width_hz)
    f0 = peak.frequency_hz
    # A broad tremor peak (its frequency wanders) is measured over its own width: of the peak
    # bands +-0.5 (or the Hann main lobe), 1.0 and 1.5 Hz the one standing out most from the
    # background of its flanks, so that a broad peak's own shoulders are not taken for background.
    tiny = np.finfo(float).tiny
    bands = []
    # (a wider band only where both flanks remain to measure the background on)
    wider = (w for w in PEAK_HALF_WIDTHS_HZ if half_width_hz < w <= f0 - ANALYSIS_LOW_HZ - FLANK_WIDTH_HZ / 2)
    for width_hz in (half_width_hz, *wider):
        power, background = (float(v[0]) for v in peak_and_background(freqs, psd, f0, width_hz, high_hz))
        ratio = max(power, tiny) / max(background, power * 1e-12, tiny)
        bands.append((ratio, width_hz, power, background))
    _, half_width_hz, power, background = max(bands)
    excess = max(power - background, 0.0)
    ratio_db = min(10.0 * math.log10(max(power, tiny) / max(background, power * 1e-12, tiny)), MAX_RATIO_DB)
    # share of the movement in the tremor band (from 3 Hz, or the peak's lower edge) that is
    # the peak: voluntary movement (up to ~3 Hz, far larger than a physiological tremor) does
    # not hide a small tremor (Elble & McNames 2016 judge a tremor by its peak against the
    # spectrum around it, not against all the movement)
    range_low_hz = max(ANALYSIS_LOW_HZ, min(TREMOR_BAND_HZ[0], f0 - half_width_hz))
    tremor_range = band_power(freqs, psd, range_low_hz, high_hz)
    rhythmicity = min(excess / tremor_range, 1.0) if tremor_range > 0 else 0.0
    flatness = float(np.exp(np.mean(np.log(np.maximum(psd, tiny)))) / max(np.mean(psd), tiny))
    kurtosis, jerk_size = _jerks(y, rate_hz)
    times, peaks_hz, persistence = _time_course(y, rate_hz, duration_s, f0, high_hz, half_width_hz)
    # jerks on the picture only where they pass what the tracking's own jumps reach
    jerky = kurtosis >= IRREGULAR_MIN_KURTOSIS and (unit != "px" or jerk_size >= JERKS_SEEN_PX)
    if (
        ratio_db >= RHYTHMIC_PEAK_DB
        and rhythmicity >= RHYTHMIC_MIN_RHYTHMICITY
        and persistence >= RHYTHMIC_MIN_PERSISTENCE
        and kurtosis < RHYTHMIC_MAX_KURTOSIS
    ):
        classification = "rhythmic"
    elif (
        (ratio_db >= IRREGULAR_PEAK_DB and persistence >= IRREGULAR_MIN_PERSISTENCE)
        or (
            ratio_db >= BROAD_PEAK_DB
            and persistence >= BROAD_MIN_PERSISTENCE
            and rhythmicity >= BROAD_MIN_RHYTHMICITY
        )
        or jerky
        or (
            duration_s >= LONG_RECORD_S
            and peak.peak_to_background_db >= LONG_RECORD_PEAK_DB
            and persistence >= IRREGULAR_MIN_PERSISTENCE
        )
    ):
        classification = "irregular"
    else:
        classification = "none"
    # movement of tracked points within a camera's own noise has no pattern to name
    if unit == "px" and math.sqrt(total) < SMALLEST_SEEN_PX:
        classification = "none"

    amplitude = 0.0
    if classification != "none":
        amplitude = (
            math.sqrt(2.0 * excess)
            if y_top is y
            else _amplitude(y_top, rate_hz, segment_s, f0, half_width_hz, high_hz)
        )
    # ... nor a peak whose own size on the picture is within that noise: still feet filmed with
    # sensor noise and exposure drift read "rhythmic, 12.8 Hz, 0.047 px" and "irregular, 12.7 Hz,
    # 0.02 px" (a size the report then called too small for the camera to measure)
    if unit == "px" and classification != "none" and amplitude < SMALLEST_SEEN_PX and not jerky:
        classification, amplitude = "none", 0.0
    dominant_hz = None if classification == "none" else f0
    tsi = None if dominant_hz is None else _tremor_stability_index(y, rate_hz, dominant_hz)
    if dominant_hz is not None and dominant_hz > 0.8 * rate_hz / 2.0:
        warnings.append(
            f"the peak at {dominant_hz:.1f} Hz is close to the {rate_hz / 2.0:.1f} Hz limit of this sampling "
            "rate and may be a faster tremor folded down (aliasing); record at a higher frame rate to check"
        )
    return TremorResult(
        dominant_frequency_hz=dominant_hz,
        amplitude=amplitude,
        amplitude_unit=unit,
        rms_amplitude=math.sqrt(total),
        band_power_fraction=band_power(freqs, psd, *TREMOR_BAND_HZ) / total if total > 0 else 0.0,
        classification=classification,
        rhythmicity=float(rhythmicity),
        peak_to_background_db=float(ratio_db),
        peak_persistence=persistence,
        spectral_flatness=flatness,
        kurtosis=kurtosis,
        tremor_stability_index=tsi,
        typical_band=typical_band(dominant_hz, classification),
        frequencies_hz=_frozen(freqs),
        power=_frozen(psd),
        peak_frequency_time_s=_frozen(times),
        peak_frequency_over_time_hz=_frozen(peaks_hz),
        sampling_rate_hz=rate_hz,
        duration_s=duration_s,
        channel=channel,
        warnings=tuple(warnings),
    )


def typical_band(frequency_hz: float | None, classification: str = "rhythmic") -> str | None:
    """The tremor bands ``frequency_hz`` falls in, worded as what is typical, or None.

    Parameters
    ----------
    frequency_hz : float or None
        The dominant frequency.
    classification : {"rhythmic", "irregular", "none"}
        The tremor's classification; an irregular movement is only set beside the tremor
        that is itself irregular, and ``"none"`` has no band.

    Returns
    -------
    str or None
        ``"<low>–<high> Hz: typical of <tremor kind>"`` for each band holding the frequency, or None.
        What is typical, never a diagnosis.

    References
    ----------
    .. [1] deuschl1998, doi:10.1002/mds.870131303
       Deuschl, Bain & Brin 1998. Mov Disord 13 Suppl 3:2.
    .. [2] bhatia2018, doi:10.1002/mds.27121
       Bhatia et al. 2018. Mov Disord 33:75.
    """
    if frequency_hz is None or classification == "none":
        return None
    parts = [
        f"{lo:g}–{hi:g} Hz: typical of {name}"
        for lo, hi, name, irregular_only in TYPICAL_BANDS
        # an irregular movement is only set beside the tremor that is itself irregular
        if lo <= frequency_hz <= hi and irregular_only == (classification == "irregular")
    ]
    return "; ".join(parts) or None


def tremor_from_recording(recording: Recording, *, channels: Sequence[str] | None = None) -> TremorResult:
    """Analyse the tremor in a recording.

    Gyroscope signals (``gyro*``, all axes together) are preferred, then accelerometer
    signals (``acc*``), then every landmark's coordinates (all points and axes, combined
    by principal components). A gyroscope sees the limb's rotation and nothing of gravity
    or of translation, and its angular velocity weights the movement's spectrum by only
    ``f^2`` where acceleration weights it by ``f^4`` (see ``toelab.analysis.tremor_frequency``);
    gyroscopes are the usual tremor sensor for that reason [1]_. ``channels`` restricts the
    analysis to the named signals or landmarks. Landmark coordinates are converted to mm when
    ``meta.mm_per_unit`` is set.

    Parameters
    ----------
    recording : Recording
        Motion-sensor signals or landmark tracks.
    channels : sequence of str, optional
        The signals or landmarks to analyse; None picks as above.

    Returns
    -------
    TremorResult
        As :func:`analyze_tremor`.

    Raises
    ------
    ToelabError
        As :func:`analyze_tremor`, and when the chosen channels measure different things.

    References
    ----------
    .. [1] salarian2007, doi:10.1109/TBME.2006.886670
       Salarian et al. 2007. Quantification of tremor and bradykinesia in Parkinson's disease using
       a novel ambulatory monitoring system. IEEE Trans Biomed Eng 54:313.
    """
    names, columns, units = _pick_channels(recording, channels)
    distinct = sorted(set(units))
    kinds = sorted({_measures(name, recording) for name in names})
    if len(distinct) > 1 or len(kinds) > 1:
        raise ToelabError(
            f"the channels {', '.join(names)} measure different things or have different units "
            f"({', '.join(kinds if len(kinds) > 1 else distinct)})",
            recording.meta.path,
            hint="analyse channels of one kind at a time with channels=[...]",
        )
    return analyze_tremor(
        recording.time_s, np.column_stack(columns), unit=distinct[0], channel_names=names, measures=kinds[0]
    )


def _measures(name: str, recording: Recording) -> str:
    """What a channel measures: a gyroscope angular velocity, an accelerometer acceleration,
    a landmark (or any other signal) a position."""
    base = name.rsplit(".", 1)[0] if name not in recording.signals else name
    if base in recording.landmarks:
        return "displacement"
    lowered = name.lower()
    if lowered.startswith("gyro"):
        return "velocity"
    if lowered.startswith("acc"):
        return "acceleration"
    return "displacement"


# -- internals ---------------------------------------------------------------------------


def _names(values: np.ndarray, channel_names: Sequence[str] | None) -> list[str]:
    k = values.shape[1]
    if channel_names is not None:
        return [str(n) for n in channel_names]
    if k == 1:
        return ["signal"]
    return [f"signal.{'xyz'[j]}" if k <= 3 else f"signal.{j}" for j in range(k)]


def _validated(
    time_s: np.ndarray, values: np.ndarray, channel_names: Sequence[str] | None
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    try:
        time_s = np.asarray(time_s, dtype=float)
        values = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ToelabError(f"tremor input must be numbers: {exc}") from exc
    if values.ndim == 1:
        values = values[:, None]
    if time_s.ndim != 1 or values.ndim != 2 or values.shape[0] != time_s.size:
        raise ToelabError(
            f"tremor input has {time_s.shape} timestamps and values of shape {values.shape}",
            hint="pass one timestamp per sample and values shaped (n,) or (n, channels)",
        )
    if values.shape[1] == 0:
        raise ToelabError("no channels to analyse for tremor")
    if channel_names is not None and len(channel_names) != values.shape[1]:
        raise ToelabError(f"{len(channel_names)} channel names for {values.shape[1]} channels")
    if time_s.size < MIN_SAMPLES:
        raise ToelabError(
            f"{time_s.size} samples are too few for a tremor analysis",
            hint=f"record at least {RELIABLE_DURATION_S:.0f} s (at least {MIN_SAMPLES} samples)",
        )
    if not np.all(np.isfinite(time_s)):
        raise ToelabError("some timestamps are missing or not numbers")
    if np.any(np.diff(time_s) <= 0):
        raise ToelabError("timestamps are not strictly increasing", hint="check the time column and its unit")
    return time_s, values, _names(values, channel_names)


def _check_length(n_samples: int, duration_s: float, rate_hz: float) -> None:
    if rate_hz < MIN_RATE_HZ:
        raise ToelabError(
            f"the sampling rate ({rate_hz:.1f} samples/s) is too low to see a tremor",
            hint=f"record at {MIN_RATE_HZ:.0f} samples/s or more; 60 fps or more covers 2-18 Hz",
        )
    if duration_s < MIN_DURATION_S or n_samples < MIN_SAMPLES:
        # the span from the first sample to the last: a 2 s clip at 30 fps spans 1.97 s, so it
        # is shown to the hundredth, or "2.0 s" would read as meeting the 2 s minimum
        raise ToelabError(
            f"the recording is too short for a tremor analysis ({duration_s:.2f} s from the first "
            f"sample to the last, {n_samples} samples)",
            hint=f"record at least {RELIABLE_DURATION_S:.0f} s of steady holding "
            f"(the least is {MIN_DURATION_S:.0f} s from the first sample to the last)",
        )


def _data_warnings(series: UniformSeries, dropped_channels: list[str]) -> list[str]:
    warnings = []
    if dropped_channels:
        warnings.append(f"left out (more than half of the samples missing): {', '.join(dropped_channels)}")
    if series.missing_fraction > MISSING_WARN_FRACTION:
        warnings.append(
            f"{100 * series.missing_fraction:.0f} % of the samples are missing or dropped and were "
            "interpolated; the figures may be less reliable"
        )
    if series.longest_gap_s > GAP_WARN_S:
        warnings.append(f"a gap of {series.longest_gap_s:.2f} s without samples was bridged by interpolation")
    return warnings


def _rate_warnings(rate_hz: float) -> list[str]:
    nyquist_hz = rate_hz / 2.0
    unseen = [f"{lo:g}–{hi:g} Hz ({name})" for lo, hi, name, _ in TYPICAL_BANDS if hi > 0.95 * nyquist_hz]
    if unseen:
        return [
            f"at {rate_hz:.1f} samples/s nothing above {nyquist_hz:.1f} Hz can be seen, so these bands "
            f"are not fully covered: {'; '.join(unseen)}. Record at {RECOMMENDED_RATE_HZ:.0f} fps or more "
            "(webcams drop frames in low light: add light)"
        ]
    if rate_hz < 0.97 * RECOMMENDED_RATE_HZ:  # a 60 fps camera with jitter is still 60 fps
        return [
            f"at {rate_hz:.1f} samples/s the 13–18 Hz band (orthostatic tremor) is only just resolved; "
            f"{RECOMMENDED_RATE_HZ:.0f} fps or more is recommended"
        ]
    return []


def _group(name: str) -> str:
    match = _AXIS_SUFFIX.match(name)
    return match.group(1) if match else name


def _combine(
    x: np.ndarray, names: list[str], rate_hz: float, high_hz: float
) -> tuple[np.ndarray, np.ndarray, str]:
    """The loading-weighted first principal component, and the top point's own motion along it."""
    if x.shape[1] == 1:
        return x[:, 0], x[:, 0], names[0]
    n_fft = fft.next_fast_len(x.shape[0], real=True)  # zero-pad: an awkward length is slow
    spectrum = fft.rfft(np.ascontiguousarray(x.T), n=n_fft, axis=1)
    freqs = fft.rfftfreq(n_fft, d=1.0 / rate_hz)
    band = spectrum[:, (freqs >= SEARCH_LOW_HZ - PEAK_HALF_WIDTH_HZ) & (freqs <= high_hz)]
    # Re(B B^H) as two real products (a complex matrix product is far slower here)
    real, imag = np.ascontiguousarray(band.real), np.ascontiguousarray(band.imag)
    _, vectors = np.linalg.eigh(real @ real.T + imag @ imag.T)
    loading = vectors[:, -1]
    groups = [_group(n) for n in names]
    order = list(dict.fromkeys(groups))
    members = [np.array([g == key for g in groups]) for key in order]
    norms = np.array([np.linalg.norm(loading[m]) for m in members])
    top = int(np.argmax(norms))
    y = x @ loading / norms.sum()
    y_top = x[:, members[top]] @ loading[members[top]] / norms[top]
    if x.shape[1] <= 3:
        channel = f"first principal component of {', '.join(names)}"
    else:
        channel = f"first principal component of {x.shape[1]} channels, mostly {order[top]}"
    return y, y_top, channel


def _sensor_signal(
    x: np.ndarray, names: list[str], rate_hz: float, order: int, high_hz: float, half_width_hz: float
) -> tuple[np.ndarray, str]:
    """A motion sensor's axes projected on the direction that shakes most at the tremor."""
    weights, _ = tremor_direction(x, rate_hz, order, high_hz, half_width_hz)
    quantity = "angular velocity" if order == 1 else "acceleration"
    if x.shape[1] == 1:
        return x[:, 0], f"{names[0]} ({quantity}; frequency read as displacement)"
    return x @ weights, (
        f"{', '.join(names)} along the direction of the tremor ({quantity}; frequency read as displacement)"
    )


def _amplitude(
    y: np.ndarray, rate_hz: float, segment_s: float, f0: float, half_width_hz: float, high_hz: float
) -> float:
    """Half peak-to-peak of the oscillation at ``f0`` in ``y`` (its own spectrum)."""
    freqs, psd = welch_psd(y, rate_hz, segment_s, pad_factor=8)
    return _size_above_background(freqs, psd, f0, half_width_hz, high_hz)


def _time_course(
    y: np.ndarray, rate_hz: float, duration_s: float, f0: float, high_hz: float, peak_half_width_hz: float
) -> tuple[np.ndarray, np.ndarray, float]:
    """Peak frequency per spectrogram window, and the share of windows where ``f0`` stands out.

    A window counts when the power around ``f0`` is at least 3 dB above that window's own
    background (same flank rule as the whole spectrum).
    """
    window_s = min(SPECTROGRAM_WINDOW_S, duration_s / 2.0)
    freqs, times, sxx = spectrogram(y, rate_hz, window_s, SPECTROGRAM_STEP_S)
    usable = (freqs >= ANALYSIS_LOW_HZ) & (freqs <= high_hz)
    freqs, sxx = freqs[usable], sxx[usable]
    search = np.flatnonzero(freqs >= SEARCH_LOW_HZ)
    if times.size == 0 or search.size < 3:
        return np.zeros(0), np.zeros(0), 0.0
    peaks_hz = interpolated_peaks(freqs, sxx, search[np.argmax(sxx[search], axis=0)])
    half_width_hz = max(peak_half_width_hz, 2.0 / window_s)
    # independent (non-overlapping) windows, so that one noise burst cannot count many times
    independent = np.arange(0, times.size, max(1, round(window_s / SPECTROGRAM_STEP_S)))
    power, background = peak_and_background(freqs, sxx[:, independent], f0, half_width_hz, high_hz)
    standing_out = power >= background * 10 ** (WINDOW_PEAK_DB / 10.0)
    return times, peaks_hz, float(np.mean(standing_out))


def _jerks(y: np.ndarray, rate_hz: float) -> tuple[float, float]:
    """The excess kurtosis of the movement from 3 Hz up, and the size its jerks reach (the 99th
    percentile of its distance from rest): brief jerks (tens of ms) keep their heavy tails
    there, while the starts and stops of voluntary movement (0.2-3 Hz, far larger than a
    tremor) do not make the signal look jerky. The first and last ``JERK_EDGE_S`` are left out:
    the zero-phase filters ring there, and a tracker's first and last frames jump (a still foot
    filmed by a drifting camera read a kurtosis of 4.5 with them, 1.1 without)."""
    fast = highpass(y, rate_hz, TREMOR_BAND_HZ[0]) if TREMOR_BAND_HZ[0] < 0.45 * rate_hz else y
    edge = int(round(JERK_EDGE_S * rate_hz))
    if y.size > 4 * edge:
        y, fast = y[edge : y.size - edge], fast[edge : fast.size - edge]
    if not np.std(fast) > 0:
        return 0.0, 0.0
    # the size on the movement itself: the high-pass takes two thirds off a brief jerk's height
    return float(stats.kurtosis(fast)), float(np.percentile(np.abs(y - np.median(y)), 99))


def _tremor_stability_index(y: np.ndarray, rate_hz: float, frequency_hz: float) -> float | None:
    """di Biase et al. 2017: IQR (Hz) of the cycle-to-cycle change in frequency.

    Cycles are delimited where the unwrapped Hilbert phase of the band-passed signal
    passes a multiple of 2 pi (sub-sample timing even at few samples per cycle).
    """
    low_hz = max(ANALYSIS_LOW_HZ, frequency_hz - TSI_HALF_BAND_HZ)
    high_hz = min(frequency_hz + TSI_HALF_BAND_HZ, 0.95 * rate_hz / 2.0)
    if high_hz <= low_hz:
        return None
    z = bandpass(y, rate_hz, low_hz, high_hz)
    edge = int(round(0.5 * rate_hz))  # filter and Hilbert start-up at both ends
    if z.size > 4 * edge:
        z = z[edge:-edge]
    phase = np.maximum.accumulate(np.unwrap(np.angle(signal.hilbert(z))))
    turns = np.arange(np.ceil(phase[0] / (2 * np.pi)), np.floor(phase[-1] / (2 * np.pi)) + 1) * 2 * np.pi
    starts = np.interp(turns, phase, np.arange(z.size))
    change_hz = np.diff(rate_hz / np.diff(starts))
    if change_hz.size < 8:
        return None
    q25, q75 = np.percentile(change_hz, [25, 75])
    return float(q75 - q25)


def _pick_channels(
    recording: Recording, channels: Sequence[str] | None
) -> tuple[list[str], list[np.ndarray], list[str]]:
    meta = recording.meta
    names: list[str] = []
    columns: list[np.ndarray] = []
    units: list[str] = []

    def add_signal(name: str) -> None:
        names.append(name)
        columns.append(recording.signals[name])
        units.append(meta.signal_units.get(name, ""))

    def add_landmark(name: str) -> None:
        xy = recording.landmarks[name]
        scale, unit = (
            (meta.mm_per_unit, "mm") if meta.mm_per_unit and meta.units != "mm" else (1.0, meta.units)
        )
        for axis in range(xy.shape[1]):
            names.append(f"{name}.{'xyz'[axis]}")
            columns.append(xy[:, axis] * scale)
            units.append(unit)

    if channels is not None:
        for name in channels:
            if name in recording.signals:
                add_signal(name)
            elif name in recording.landmarks:
                add_landmark(name)
            else:
                available = sorted(recording.signals) + sorted(recording.landmarks)
                raise ToelabError(
                    f"no signal or landmark named {name!r} in the recording",
                    meta.path,
                    hint=f"available: {', '.join(available) or 'none'}",
                )
    else:
        for prefix in ("gyro", "acc"):
            group = [n for n in recording.signals if n.lower().startswith(prefix)]
            if group:
                for name in group:
                    add_signal(name)
                break
        else:
            for name in recording.landmarks:
                add_landmark(name)
    if not names:
        raise ToelabError(
            "nothing to analyse for tremor: the recording has no accelerometer, gyroscope or landmark tracks",
            meta.path,
            hint="use a recording with tracked toe points or phone motion sensor data",
        )
    return names, columns, units


def _frozen(array: np.ndarray) -> np.ndarray:
    array = np.array(array, dtype=float)
    array.setflags(write=False)
    return array
