"""The frequency of a tremor as displacement shows it, from displacement, velocity or acceleration.

Why not simply the peak of the sensor's own spectrum
----------------------------------------------------
Tremor frequency is defined and referenced on the limb's displacement (motion capture, a
camera, the clinician's eye). A sensor that measures a derivative weights the movement's
spectrum: a gyroscope measures angular velocity, ``|2 pi f|^2`` times the power of the
angle; an accelerometer measures acceleration, ``|2 pi f|^4`` times the power of the
displacement. A real tremor is not a line but a broad peak (its frequency wanders from
cycle to cycle and drifts over seconds; Elble 2003, Clin Neurophysiol 114:624,
doi:10.1016/S1388-2457(03)00006-3). Multiplying a peak of width ``s`` at ``f0`` by ``f^4``
moves its maximum up by about ``4 s^2 / f0``: 0.5-1 Hz for the broad peaks of essential and
Parkinsonian tremor, the "too high" error of reading the accelerometer's own peak. The
same weighting lifts the 2nd harmonic 16-fold, so that a non-sinusoidal 5 Hz tremor can
peak at 10 Hz in acceleration. The spectrum is therefore turned back into displacement
(divided by ``(2 pi f)^(2 order)``, order 1 for velocity, 2 for acceleration) before the
peak is sought, which is the spectrum motion capture would see.

Method (``dominant_frequency``)
-------------------------------
1. **Multitaper spectra** (Thomson 1982, Proc IEEE 70:1055, doi:10.1109/PROC.1982.12433;
   Percival & Walden 1993): DPSS tapers (time-bandwidth 2, 3 tapers) on overlapping
   windows give a low-variance spectrum with a known, flat-topped resolution instead of a
   single Hann window's noisy one; averaged over windows they are the record's spectrum.
2. **Displacement spectrum**: each spectrum divided by ``(2 pi f)^(2 order)``.
3. **The peak** is the local maximum from 2 Hz that stands out most (in dB) above the
   background expected there (a power law through its two flanks, see
   ``peak_and_background``): the tremor is judged against the local spectral floor, not
   against the power of the voluntary movement (Elble & McNames 2016, Tremor Other
   Hyperkinet Mov 6, doi:10.5334/tohm.320). Every local maximum competes, not only
   the highest: a physiological tremor at 8-10 Hz can lie 30 dB below the slope of
   voluntary movement in displacement, lower than that slope's wiggles. Harmonic check: where half
   the winner's frequency is a peak too (>= 3 dB) holding more power above background, the
   fundamental is taken. Of the bumps on a broad or flat-topped peak (within +-1 Hz, or
   the peak band if wider) the one with the most power above background is its summit.
4. **Its centre** is the vertex of a parabola fitted (least squares) to the log of the
   power above background over the top of the peak (down to half its height, at most
   +-1 Hz): with the background's slope removed, a broad peak on the steep flank of
   voluntary movement is not pulled towards it; the fit uses every bin of the
   flat-topped multitaper peak, not only the three highest.

Not the median of time-resolved peaks: motion capture reports the peak of the whole
record's spectrum, which differs from the median of per-window peaks where the frequency
drifts, and between the bursts of an intermittent tremor a window's peak is noise. The
windows' evidence enters the classification instead (``peak_persistence`` in
``toelab.analysis.tremor``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

DISPLACEMENT, VELOCITY, ACCELERATION = 0, 1, 2
ORDERS = {"displacement": DISPLACEMENT, "velocity": VELOCITY, "acceleration": ACCELERATION}

SEARCH_LOW_HZ = 2.0
ANALYSIS_LOW_HZ = 1.0
FLANK_WIDTH_HZ = 1.5
MIN_PEAK_DB = 3.0
FIT_MAX_HALF_WIDTH_HZ = 1.0
FIT_ROUNDS = 3
TIME_BANDWIDTH = 2.0  # NW: 2 NW - 1 = 3 tapers, resolution +-2/T Hz
MAX_WINDOW_S = 8.0
PAD_FACTOR = 4


@dataclass(frozen=True)
class TremorPeak:
    """The displacement-domain tremor peak of one signal."""

    frequency_hz: float
    half_width_hz: float  # half width of the peak at half its height above background
    peak_to_background_db: float
    frequencies_hz: np.ndarray
    displacement_power: np.ndarray  # averaged multitaper spectrum in displacement units^2/Hz


def multitaper_spectra(
    x: np.ndarray, rate_hz: float, window_s: float, step_s: float, *, pad_factor: int = PAD_FACTOR
) -> tuple[np.ndarray, np.ndarray]:
    """One-sided multitaper power density of each window: frequencies and (windows, nf)."""
    from scipy.signal import windows

    nperseg = int(min(x.size, max(16, round(window_s * rate_hz))))
    step = max(1, round(step_s * rate_hz))
    tapers = windows.dpss(nperseg, TIME_BANDWIDTH, Kmax=int(2 * TIME_BANDWIDTH) - 1)  # unit energy
    segments = np.lib.stride_tricks.sliding_window_view(x, nperseg)[::step]
    segments = segments - segments.mean(axis=1, keepdims=True)
    nfft = nperseg * pad_factor
    spectra = np.zeros((segments.shape[0], nfft // 2 + 1))
    for taper in tapers:
        spectra += np.abs(np.fft.rfft(segments * taper, n=nfft)) ** 2
    spectra /= tapers.shape[0] * rate_hz
    spectra[:, 1 : None if nfft % 2 else -1] *= 2.0
    return np.fft.rfftfreq(nfft, d=1.0 / rate_hz), spectra


def to_displacement(freqs_hz: np.ndarray, power: np.ndarray, order: int) -> np.ndarray:
    """Power of a derivative of order ``order`` turned into the power of the displacement."""
    if order == DISPLACEMENT:
        return power
    weight = np.zeros_like(freqs_hz)
    positive = freqs_hz > 0
    weight[positive] = (2.0 * np.pi * freqs_hz[positive]) ** (-2.0 * order)
    return np.asarray(power * (weight if power.ndim == 1 else weight[:, None]), dtype=float)


def peak_and_background(
    freqs: np.ndarray, psd: np.ndarray, f0: float, half_width_hz: float, high_hz: float
) -> tuple[np.ndarray, np.ndarray]:
    """Power in the band ``f0 +- half_width_hz`` and the background expected there, per column.

    The background is interpolated in log power over log frequency between the medians of
    two flanks beside the peak band (one flank at the edge of the analysed band): a power
    law, the shape of the spectrum of slow movement and of coloured noise.
    """
    psd = psd.reshape(psd.shape[0], -1)
    df = float(freqs[1] - freqs[0])
    in_peak = (freqs >= f0 - half_width_hz) & (freqs <= f0 + half_width_hz)
    power = psd[in_peak].sum(axis=0) * df
    # the power law summed over the band's own bins: on a steep spectrum a wide band holds
    # far more background than its density at the centre times its width
    density = _background_density(freqs, psd, f0, half_width_hz, high_hz, freqs[in_peak])
    if density is None:
        return power, np.zeros_like(power)
    return power, density.sum(axis=0) * df


def _background_density(
    freqs: np.ndarray, psd: np.ndarray, f0: float, half_width_hz: float, high_hz: float, at_hz: np.ndarray
) -> np.ndarray | None:
    """The flanks' power law evaluated at ``at_hz``: (len(at_hz), columns), or None without flanks."""
    psd = psd.reshape(psd.shape[0], -1)
    left = (freqs >= max(ANALYSIS_LOW_HZ, f0 - half_width_hz - FLANK_WIDTH_HZ)) & (freqs < f0 - half_width_hz)
    right = (freqs > f0 + half_width_hz) & (freqs <= min(high_hz, f0 + half_width_hz + FLANK_WIDTH_HZ))
    flanks = [(float(np.mean(freqs[m])), np.median(psd[m], axis=0)) for m in (left, right) if m.sum() >= 2]
    if not flanks:
        return None
    tiny = np.finfo(float).tiny
    if len(flanks) == 1:
        return np.repeat(flanks[0][1][None, :], at_hz.size, axis=0)
    (fa, pa), (fb, pb) = flanks
    weight = (np.log(np.maximum(at_hz, tiny)) - math.log(fa)) / (math.log(fb) - math.log(fa))
    log_a, log_b = np.log(np.maximum(pa, tiny)), np.log(np.maximum(pb, tiny))
    return np.asarray(np.exp((1 - weight)[:, None] * log_a + weight[:, None] * log_b), dtype=float)


def tremor_direction(
    x: np.ndarray, rate_hz: float, order: int, high_hz: float, half_width_hz: float
) -> tuple[np.ndarray, float]:
    """Unit weights of the channels of ``x`` (n, k) that follow the tremor, and its rough frequency.

    The peak is first sought in the sum of the channels' displacement spectra (the trace of
    the cross-spectral matrix, which does not depend on how the sensor sits); the weights
    are then the first principal component of the cross-spectral matrix summed over that
    peak +-1 Hz: the direction of the largest shaking *at the tremor*, not of the slow
    voluntary movement, which carries far more displacement.
    """
    if x.shape[1] == 1:
        return np.ones(1), float("nan")
    window_s = _window_s(x.shape[0] / rate_hz)
    columns = [multitaper_spectra(column, rate_hz, window_s, window_s / 2.0) for column in x.T]
    freqs = columns[0][0]
    trace = np.sum([spectra.mean(axis=0) for _, spectra in columns], axis=0)
    analysed = (freqs >= ANALYSIS_LOW_HZ) & (freqs <= high_hz)
    freqs = freqs[analysed]
    f1, _ = _best_peak(freqs, to_displacement(freqs, trace[analysed], order), half_width_hz, high_hz)
    n_fft = x.shape[0]
    spectrum = np.fft.rfft(x - x.mean(axis=0), n=n_fft, axis=0)
    bins = np.fft.rfftfreq(n_fft, d=1.0 / rate_hz)
    band = spectrum[np.abs(bins - f1) <= 1.0]
    _, vectors = np.linalg.eigh((band.conj().T @ band).real)
    return vectors[:, -1], f1


def dominant_frequency(
    y: np.ndarray, rate_hz: float, order: int, high_hz: float, half_width_hz: float
) -> TremorPeak:
    """The tremor's frequency as displacement shows it (see the module docstring)."""
    window_s = _window_s(y.size / rate_hz)
    freqs, spectra = multitaper_spectra(y, rate_hz, window_s, window_s / 2.0)
    analysed = (freqs >= ANALYSIS_LOW_HZ) & (freqs <= high_hz)
    freqs = freqs[analysed]
    power = to_displacement(freqs, spectra[:, analysed].mean(axis=0), order)
    half_width_hz = max(half_width_hz, 2.0 * TIME_BANDWIDTH / window_s)
    f0, ratio_db = _best_peak(freqs, power, half_width_hz, high_hz)
    centre, peak_half_width_hz = _fitted_centre(freqs, power, f0, half_width_hz, high_hz)
    return TremorPeak(centre, peak_half_width_hz, ratio_db, freqs, power)


def _window_s(duration_s: float) -> float:
    return float(np.clip(duration_s / 2.5, 1.0, MAX_WINDOW_S))


def _best_peak(
    freqs: np.ndarray, power: np.ndarray, half_width_hz: float, high_hz: float
) -> tuple[float, float]:
    """The most prominent local maximum from 2 Hz (dB above its own background), moved to its
    sub-harmonic where that is a peak too and holds more power; and its prominence (dB).

    Every local maximum is a candidate, not only the highest: in a displacement spectrum
    the slope of voluntary movement lies tens of dB above a physiological tremor, so its
    small wiggles at 2-4 Hz outrank the tremor's peak at 8-10 Hz in absolute power. The
    winner is the peak that stands out most from the local spectral floor (Elble & McNames
    2016, Tremor Other Hyperkinet Mov 6, doi:10.5334/tohm.320, read a tremor as a
    peak above the background of the spectrum, not as a share of the total power); power
    above background (absolute) would again favour the slope's bumps.
    """
    from scipy.signal import find_peaks

    search = np.flatnonzero(freqs >= SEARCH_LOW_HZ)
    local, _ = find_peaks(power)
    candidates = [int(i) for i in local if freqs[i] >= SEARCH_LOW_HZ]
    if not candidates:  # a monotone spectrum has no local maximum: its largest value
        candidates = [int(search[np.argmax(power[search])])]
    at = np.array(candidates)
    tiny = np.finfo(float).tiny
    ratios_db, excess = np.empty(at.size), np.empty(at.size)
    for k, i in enumerate(at):
        peak, background = (
            float(v[0]) for v in peak_and_background(freqs, power, freqs[i], half_width_hz, high_hz)
        )
        ratios_db[k] = 10.0 * math.log10(max(peak, tiny) / max(background, peak * 1e-12, tiny))
        excess[k] = peak - background
    best = int(np.argmax(ratios_db))
    # harmonic check: a non-sinusoidal tremor also peaks at twice its frequency, and that
    # peak can be the sharper; the fundamental, a peak itself, moves the limb more
    sub = np.flatnonzero(
        (np.abs(freqs[at] - freqs[at[best]] / 2.0) <= max(half_width_hz, 0.1 * freqs[at[best]] / 2.0))
        & (ratios_db >= MIN_PEAK_DB)
        & (excess > excess[best])
    )
    if sub.size:
        best = int(sub[np.argmax(ratios_db[sub])])
    # a broad (wandering) tremor's peak, and the flat top of a multitaper peak, have bumps on
    # top: of those within reach the one holding most power above background is its summit
    reach_hz = max(FIT_MAX_HALF_WIDTH_HZ, half_width_hz) + 0.5 * float(freqs[1] - freqs[0])
    near = np.flatnonzero((np.abs(freqs[at] - freqs[at[best]]) <= reach_hz) & (ratios_db >= MIN_PEAK_DB))
    if near.size:
        best = int(near[np.argmax(excess[near])])
    return float(freqs[at[best]]), float(ratios_db[best])


def _fitted_centre(
    freqs: np.ndarray, power: np.ndarray, f0: float, half_width_hz: float, high_hz: float
) -> tuple[float, float]:
    """Vertex of a parabola fitted to log(power - background) over the top of the peak at ``f0``,
    and the peak's half width at half height (Hz).

    The fit reaches +-1 Hz, or three quarters of the peak band where the windows are short (a
    short record's multitaper peak is wider than 2 Hz), and is centred again on its own
    result: a fit window that cuts one flank of the peak pulls the vertex towards the other
    (a 4 Hz shake of 6 s read 0.2 Hz low before).
    """
    reach_hz = max(FIT_MAX_HALF_WIDTH_HZ, 0.75 * half_width_hz)
    centre, half_width = f0, 0.0
    for _ in range(FIT_ROUNDS):
        fitted = _fit_parabola(freqs, power, centre, half_width_hz, high_hz, reach_hz)
        if fitted is None:
            break
        moved = abs(fitted[0] - centre)
        centre, half_width = fitted
        if moved < 0.5 * float(freqs[1] - freqs[0]):
            break
    return centre, half_width


def _fit_parabola(
    freqs: np.ndarray, power: np.ndarray, f0: float, half_width_hz: float, high_hz: float, reach_hz: float
) -> tuple[float, float] | None:
    near = np.flatnonzero((np.abs(freqs - f0) <= reach_hz) & (freqs >= SEARCH_LOW_HZ))
    if near.size == 0:
        return None
    background = _background_density(freqs, power, f0, half_width_hz, high_hz, freqs[near])
    excess = power[near] - (0.0 if background is None else background[:, 0])
    top = int(np.argmin(np.abs(freqs[near] - f0)))
    while top + 1 < excess.size and excess[top + 1] > excess[top]:
        top += 1
    while top > 0 and excess[top - 1] > excess[top]:
        top -= 1
    if excess[top] <= 0:
        return f0, 0.0
    # the contiguous run of bins above half the peak's height
    lo = hi = top
    while lo > 0 and excess[lo - 1] >= 0.5 * excess[top]:
        lo -= 1
    while hi < excess.size - 1 and excess[hi + 1] >= 0.5 * excess[top]:
        hi += 1
    x = freqs[near[lo : hi + 1]] - freqs[near[top]]
    half_width = float(x[-1] - x[0]) / 2.0
    if hi - lo < 2:
        return float(freqs[near[top]]), half_width
    a, b, _ = np.polyfit(x, np.log(excess[lo : hi + 1]), 2)
    if a >= 0:
        return float(freqs[near[top]]), half_width
    return float(freqs[near[top]] + np.clip(-b / (2.0 * a), x[0], x[-1])), half_width
