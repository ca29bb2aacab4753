"""One resampler for recordings and spectra: a uniform grid, and what happens across gaps."""

from __future__ import annotations

import numpy as np
import pytest

from toelab.analysis.spectral import to_uniform
from toelab.recording import Recording
from toelab.resample import interpolate, uniform_grid


def test_the_grid_keeps_the_last_sample_despite_rounding_in_the_timestamps():
    grid = uniform_grid(0.1, 0.1 + 99 * 0.01 - 1e-13, 100.0)
    assert grid.size == 100
    np.testing.assert_allclose(np.diff(grid), 0.01)


def _gappy_line() -> tuple[np.ndarray, np.ndarray]:
    # 30 fps with one dropped frame (at 0.1 s) and six dropped frames (0.2-0.4 s)
    time_s = np.delete(np.arange(20) / 30.0, [3, 6, 7, 8, 9, 10, 11])
    return time_s, 2.0 * time_s


@pytest.mark.parametrize("method", ["linear", "cubic"])
def test_a_long_gap_is_left_empty_or_bridged_by_a_line_and_a_short_one_is_filled(method):
    time_s, values = _gappy_line()
    grid = uniform_grid(time_s[0], time_s[-1], 30.0)
    gap_s = 2.5 / 30.0
    empty = interpolate(grid, time_s, values, max_gap_s=gap_s, across_long_gaps="nan", method=method)
    inside = (grid > 5.5 / 30.0) & (grid < 11.5 / 30.0)
    assert np.isnan(empty[inside]).all()
    np.testing.assert_allclose(empty[~inside], 2.0 * grid[~inside], atol=1e-12)  # the short gap too
    bridged = interpolate(grid, time_s, values, max_gap_s=gap_s, across_long_gaps="linear", method=method)
    np.testing.assert_allclose(bridged, 2.0 * grid, atol=1e-12)


def test_a_cubic_spline_keeps_a_fast_oscillation_that_a_line_shrinks():
    # a 6 Hz tremor on a jittery 30 fps webcam: 5 frames per cycle
    rng = np.random.default_rng(3)
    time_s = np.arange(300) / 30.0 + rng.uniform(-0.008, 0.008, 300)
    values = np.sin(2 * np.pi * 6.0 * time_s)
    grid = uniform_grid(time_s[0], time_s[-1], 30.0)
    amplitudes = {}
    for method in ("linear", "cubic"):
        out = interpolate(grid, time_s, values, max_gap_s=0.1, across_long_gaps="linear", method=method)
        amplitudes[method] = np.sqrt(2.0) * out[10:-10].std()
    assert amplitudes["cubic"] == pytest.approx(1.0, abs=0.05)
    assert amplitudes["linear"] < 0.9


def test_values_are_held_flat_beyond_the_data_and_one_sample_gives_none():
    time_s = np.array([0.1, 0.2, 0.3, 0.4, 0.5])
    values = np.column_stack([time_s, -time_s])
    ends = np.array([0.0, 0.6])
    out = interpolate(ends, time_s, values, max_gap_s=1.0, across_long_gaps="nan", method="cubic")
    np.testing.assert_array_equal(out, [[0.1, -0.1], [0.5, -0.5]])
    alone = interpolate(ends, time_s[:1], values[:1], max_gap_s=1.0, across_long_gaps="linear")
    assert alone.shape == (2, 2) and np.isnan(alone).all()


def test_a_recording_and_a_tremor_spectrum_treat_the_same_gap_each_its_own_way():
    time_s, values = _gappy_line()
    recording = Recording(time_s, signals={"x": values}).resampled(30.0)
    series = to_uniform(time_s + np.linspace(0, 1e-3, time_s.size), values[:, None])
    assert np.isnan(recording.signals["x"]).sum() == 6  # lifts are not invented in dropped frames
    assert np.isfinite(series.values).all()  # a spectrum needs a signal without holes
