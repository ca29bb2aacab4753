"""Spectral building blocks shared by the analyses: uniform resampling, detrending, spectra, peaks.

All functions are pure and work on numpy arrays with time along axis 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import signal

from toelab.resample import interpolate, uniform_grid

# Intervals within this fraction of the median count as regular (no resampling needed).
REGULAR_TOLERANCE = 0.01
# Irregular samples are joined by a cubic spline across gaps up to this many intervals and by
# a straight line across longer ones (a spline would swing through a long gap).
SPLINE_MAX_GAP_INTERVALS = 3.0


@dataclass(frozen=True)
class UniformSeries:
    """Samples on a uniform grid, with what it took to get there."""

    time_s: np.ndarray  # (m,) uniform grid
    values: np.ndarray  # (m, k), no NaN in kept channels
    rate_hz: float
    kept: np.ndarray  # (k_in,) bool: channels with enough valid samples
    missing_fraction: float  # share of the expected samples that were dropped or NaN
    longest_gap_s: float  # longest stretch bridged by interpolation
    resampled: bool


def to_uniform(time_s: np.ndarray, values: np.ndarray, *, min_valid_fraction: float = 0.5) -> UniformSeries:
    """Put ``values`` (n, k) sampled at ``time_s`` onto a uniform grid at the median rate.

    Irregular timestamps (phone jitter, dropped frames) are resampled by a cubic spline on
    the real timestamps, linear across gaps over ``SPLINE_MAX_GAP_INTERVALS`` intervals (see
    :func:`toelab.resample.interpolate`); on a regular grid only NaN samples are filled,
    linearly. Values are held flat before the first and after the last valid sample. A
    channel with fewer than
    ``min_valid_fraction`` valid samples is dropped (``kept`` is False for it).
    """
    dt = np.diff(time_s)
    step_s = float(np.median(dt))
    rate_hz = 1.0 / step_s
    regular = bool(np.max(np.abs(dt - step_s)) <= REGULAR_TOLERANCE * step_s)
    finite = np.isfinite(values)
    kept = finite.mean(axis=0) >= min_valid_fraction
    grid = time_s if regular else uniform_grid(float(time_s[0]), float(time_s[-1]), rate_hz)
    out = np.empty((grid.size, values.shape[1]))
    longest_gap_s = float(np.max(dt)) - step_s if not regular else 0.0
    complete = kept & finite.all(axis=0)
    if regular and complete.any():
        out[:, complete] = values[:, complete]
        kept_to_fill = kept & ~complete
    else:
        kept_to_fill = kept
    # channels missing the same samples (a landmark's x and y) are interpolated in one go
    groups: dict[bytes, list[int]] = {}
    for j in np.flatnonzero(kept_to_fill):
        groups.setdefault(np.packbits(finite[:, j]).tobytes(), []).append(int(j))
    for columns in groups.values():
        ok = finite[:, columns[0]]
        t_ok = time_s[ok]
        # on a regular grid only the missing samples need filling: the others are read back as they are
        out[:, columns] = interpolate(
            grid,
            t_ok,
            values[np.ix_(ok, columns)],
            max_gap_s=SPLINE_MAX_GAP_INTERVALS * step_s,
            across_long_gaps="linear",
            method="linear" if regular else "cubic",
        )
        if not ok.all():
            longest_gap_s = max(longest_gap_s, float(np.max(np.diff(t_ok), initial=0.0)) - step_s)
            # leading/trailing NaNs are held flat; count them as a gap too
            longest_gap_s = max(longest_gap_s, float(t_ok[0] - time_s[0]), float(time_s[-1] - t_ok[-1]))
    expected = grid.size
    dropped = max(expected - time_s.size, 0)
    nan_share = float(1.0 - finite[:, kept].mean()) if kept.any() else 1.0
    missing_fraction = (dropped + nan_share * time_s.size) / expected
    return UniformSeries(
        grid, out[:, kept], rate_hz, kept, float(missing_fraction), max(longest_gap_s, 0.0), not regular
    )


def highpass(values: np.ndarray, rate_hz: float, cutoff_hz: float, order: int = 4) -> np.ndarray:
    """Zero-phase Butterworth high-pass along axis 0 (removes drift and offset, keeps phase)."""
    sos = signal.butter(order, cutoff_hz, btype="highpass", fs=rate_hz, output="sos")
    centred = values - values.mean(axis=0)
    return signal.sosfiltfilt(sos, centred, axis=0)


def bandpass(values: np.ndarray, rate_hz: float, low_hz: float, high_hz: float, order: int = 2) -> np.ndarray:
    """Zero-phase Butterworth band-pass along axis 0."""
    sos = signal.butter(order, [low_hz, high_hz], btype="bandpass", fs=rate_hz, output="sos")
    return signal.sosfiltfilt(sos, values, axis=0)


def _segment_spectra(
    x: np.ndarray, rate_hz: float, nperseg: int, step: int, nfft: int
) -> tuple[np.ndarray, np.ndarray]:
    """One-sided power density of each Hann-windowed, mean-removed segment: (freqs, (nseg, nf))."""
    segments = np.lib.stride_tricks.sliding_window_view(x, nperseg)[::step]
    window = signal.get_window("hann", nperseg)
    spectra = np.abs(np.fft.rfft((segments - segments.mean(axis=1, keepdims=True)) * window, n=nfft)) ** 2
    spectra /= rate_hz * np.sum(window**2)
    # one-sided: double every bin except DC (and Nyquist for even nfft)
    spectra[:, 1 : None if nfft % 2 else -1] *= 2.0
    return np.fft.rfftfreq(nfft, d=1.0 / rate_hz), spectra


def welch_psd(
    x: np.ndarray, rate_hz: float, segment_s: float, pad_factor: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Welch power spectral density (unit^2/Hz) of a 1-D signal: Hann windows, 50 % overlap.

    ``pad_factor`` zero-pads each segment to refine the frequency grid (for peak
    interpolation); the integrated power stays the signal's mean power.
    """
    nperseg = int(min(x.size, max(8, round(segment_s * rate_hz))))
    freqs, spectra = _segment_spectra(x, rate_hz, nperseg, max(1, nperseg // 2), nperseg * pad_factor)
    return freqs, spectra.mean(axis=0)


def band_power(freqs_hz: np.ndarray, psd: np.ndarray, low_hz: float, high_hz: float) -> float:
    """Power (unit^2) of a one-sided PSD between ``low_hz`` and ``high_hz`` (inclusive)."""
    df = float(freqs_hz[1] - freqs_hz[0])
    mask = (freqs_hz >= low_hz) & (freqs_hz <= high_hz)
    return float(psd[mask].sum() * df)


def interpolated_peaks(freqs_hz: np.ndarray, psd: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Peak frequencies refined by a parabola through log power at each peak's 3 bins.

    ``psd`` is (nf,) or (nf, m) with one peak ``index`` per column.
    """
    psd = psd.reshape(psd.shape[0], -1)
    index = np.asarray(index).reshape(-1)
    inner = np.clip(index, 1, psd.shape[0] - 2)
    columns = np.arange(psd.shape[1]) if index.size == psd.shape[1] else np.zeros(index.size, dtype=int)
    tiny = np.finfo(float).tiny
    a, b, c = (np.log(np.maximum(psd[inner + d, columns], tiny)) for d in (-1, 0, 1))
    curvature = a - 2.0 * b + c
    usable = (inner == index) & (curvature < 0)
    # the vertex of a parabola through a true maximum lies within half a bin of it
    offset = np.clip(np.where(usable, 0.5 * (a - c) / np.where(usable, curvature, -1.0), 0.0), -0.5, 0.5)
    peak_hz: np.ndarray = freqs_hz[index] + offset * (freqs_hz[1] - freqs_hz[0])
    return peak_hz


def spectrogram(
    x: np.ndarray, rate_hz: float, window_s: float, step_s: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hann spectrogram (density, zero-padded 4x): frequencies (Hz), window centres (s), (nf, nt) power."""
    nperseg = int(min(x.size, max(8, round(window_s * rate_hz))))
    step = max(1, round(step_s * rate_hz))
    freqs, spectra = _segment_spectra(x, rate_hz, nperseg, step, nperseg * 4)
    times = (np.arange(spectra.shape[0]) * step + nperseg / 2.0) / rate_hz
    return freqs, times, spectra.T
