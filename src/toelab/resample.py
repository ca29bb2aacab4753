"""Putting samples taken at real (possibly irregular) timestamps onto a uniform time grid.

The one resampler below :class:`toelab.recording.Recording` and :mod:`toelab.analysis`:
``uniform_grid`` makes the grid, ``interpolate`` fills it. What happens across a gap in the
data is the caller's choice, because the callers need different things from a gap:

* ``Recording.resampled`` (lift detection, timing) leaves a gap longer than 2.5 intervals
  empty (NaN): a lift that fell into dropped frames must not be invented, and a gap of one
  or two dropped frames is bridged.
* ``analysis.spectral.to_uniform`` (tremor spectra) needs a signal without holes: it bridges
  a long gap with a straight line, which adds no oscillation of its own, and uses a cubic
  spline across short ones, which keeps the amplitude of an oscillation sampled only a few
  times per cycle (see ``interpolate``).

Both hold the first and last valid value flat beyond the ends of the data.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy.interpolate import CubicSpline

Method = Literal["linear", "cubic"]
AcrossLongGaps = Literal["nan", "linear"]
# a cubic spline is only used through this many samples or more; below, linear
MIN_CUBIC_SAMPLES = 4


def uniform_grid(start_s: float, stop_s: float, rate_hz: float) -> np.ndarray:
    """Times from ``start_s`` every ``1 / rate_hz`` seconds up to ``stop_s``.

    ``stop_s`` is included when it lies on the grid (within a billionth of an interval,
    so that rounding in the timestamps does not drop the last sample).
    """
    count = int(np.floor((stop_s - start_s) * rate_hz + 1e-9)) + 1
    grid: np.ndarray = start_s + np.arange(count) / rate_hz
    return grid


def interpolate(
    grid_s: np.ndarray,
    time_s: np.ndarray,
    values: np.ndarray,
    *,
    max_gap_s: float,
    across_long_gaps: AcrossLongGaps,
    method: Method = "linear",
) -> np.ndarray:
    """Values ((n,) or (n, k), all finite) at ``time_s`` (increasing), read at ``grid_s``.

    Between two samples at most ``max_gap_s`` apart the values follow ``method``: a
    straight line, or a cubic spline through all the samples. Linear interpolation alone
    shrinks an oscillation sampled 5 times per cycle (a 6 Hz tremor on a 30 fps webcam) by
    ~15-20 %; a cubic spline keeps it within a few percent (it needs at least
    ``MIN_CUBIC_SAMPLES`` samples; with fewer, linear). Across a longer gap the grid gets
    ``across_long_gaps``: NaN, or a straight line. Outside the first and last sample the
    values are held flat. With fewer than two samples every value is NaN.
    """
    shape = (grid_s.size, *values.shape[1:])
    if time_s.size < 2:
        return np.full(shape, np.nan)
    columns = values.reshape(time_s.size, -1)
    out = np.empty((grid_s.size, columns.shape[1]))
    for j in range(columns.shape[1]):
        out[:, j] = np.interp(grid_s, time_s, columns[:, j])
    after = np.clip(np.searchsorted(time_s, grid_s), 1, time_s.size - 1)
    before_s, after_s = time_s[after - 1], time_s[after]
    long_gap = after_s - before_s > max_gap_s
    if method == "cubic" and time_s.size >= MIN_CUBIC_SAMPLES:
        smooth = ~long_gap & (grid_s >= time_s[0]) & (grid_s <= time_s[-1])
        out[smooth] = CubicSpline(time_s, columns, axis=0)(grid_s[smooth])
    if across_long_gaps == "nan":
        out[long_gap & (grid_s > before_s) & (grid_s < after_s)] = np.nan
    return out.reshape(shape)
