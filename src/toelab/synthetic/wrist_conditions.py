"""What real wrist recordings add to a tremor: reaching, tremor in bursts, and MEMS sensor errors.

Used by ``toelab.synthetic.wearable``; each function draws from its own generator so that a
recording without these conditions is the same as before they existed.

* **Reaching** (``reaching_path``): irregular voluntary movement as a chain of
  minimum-jerk point-to-point moves (Flash & Hogan 1985, J Neurosci 5:1688,
  doi:10.1523/JNEUROSCI.05-07-01688.1985) of 0.7-3 s with holds between them: most of its
  power lies at 0.2-3 Hz, it starts and stops abruptly (not a stationary noise), and it can
  be a hundred times the size of a physiological tremor.
* **Bursts** (``burst_gate``): a tremor that comes and goes (on for 1-4 s, off for 1-4 s, with
  0.3-s ramps), as enhanced physiological and functional tremor often do.
* **MEMS errors** (``mems_errors``): what a consumer IMU at 200 Hz adds besides white noise:
  scale-factor errors (+-2 %) and axis misalignment (+-1 %), an in-run bias that wanders
  (a random walk), and 16-bit quantisation at +-16 g and +-2000 deg/s (the ranges of wrist
  IMUs such as the Bosch BMI160 / ST LSM6DS family; their data sheets give white noise of
  about 180 ug/sqrt(Hz) and 0.007 deg/s/sqrt(Hz), i.e. ~0.02 m/s^2 and ~0.0012 rad/s RMS over
  100 Hz).
"""

from __future__ import annotations

import numpy as np

ACC_RANGE_M_S2 = 16 * 9.81
GYRO_RANGE_RAD_S = np.deg2rad(2000.0)
ADC_BITS = 16
MOVE_S = (0.7, 3.0)
HOLD_PROBABILITY = 0.3
BURST_S = (1.0, 4.0)
BURST_RAMP_S = 0.3


def minimum_jerk(fraction: np.ndarray) -> np.ndarray:
    """Flash & Hogan's minimum-jerk profile 10 t^3 - 15 t^4 + 6 t^5 on t in [0, 1]."""
    t = np.clip(fraction, 0.0, 1.0)
    return np.asarray(t**3 * (10.0 - 15.0 * t + 6.0 * t**2), dtype=float)


def reaching_path(n: int, rate_hz: float, size: float, columns: int, rng: np.random.Generator) -> np.ndarray:
    """(n, columns) chain of minimum-jerk moves between random targets (SD ``size``), with holds."""
    path = np.zeros((n, columns))
    start = rng.normal(0.0, size, columns)
    i = 0
    while i < n:
        length = max(2, int(rng.uniform(*MOVE_S) * rate_hz))
        target = start if rng.uniform() < HOLD_PROBABILITY else rng.normal(0.0, size, columns)
        shape = minimum_jerk(np.arange(length) / (length - 1))
        stop = min(n, i + length)
        path[i:stop] = start + np.outer(shape[: stop - i], target - start)
        start, i = target, stop
    return path


def burst_gate(n: int, rate_hz: float, on_fraction: float, rng: np.random.Generator) -> np.ndarray:
    """(n,) gate in [0, 1]: on for about ``on_fraction`` of the time, in bursts of 1-4 s."""
    if on_fraction >= 1.0:
        return np.ones(n)
    gate = np.zeros(n)
    i = int(rng.uniform(0, BURST_S[1]) * rate_hz)
    while i < n:
        on = int(rng.uniform(*BURST_S) * rate_hz)
        gate[i : i + on] = 1.0
        mean_on = 0.5 * sum(BURST_S)
        off = rng.exponential(mean_on * (1.0 - on_fraction) / max(on_fraction, 1e-3))
        i += on + max(1, int(off * rate_hz))
    ramp = np.hanning(max(3, int(BURST_RAMP_S * rate_hz)))
    return np.asarray(np.clip(np.convolve(gate, ramp / ramp.sum(), mode="same"), 0.0, 1.0), dtype=float)


def mems_errors(
    values: np.ndarray, rate_hz: float, full_scale: float, bias_walk: float, rng: np.random.Generator
) -> np.ndarray:
    """``values`` (n, 3) as a MEMS IMU reports them: scale and misalignment, a bias random walk
    (``bias_walk`` per sqrt(s)), clipping to ``full_scale`` and 16-bit quantisation."""
    n = values.shape[0]
    gains = np.eye(3) + np.diag(rng.uniform(-0.02, 0.02, 3))
    gains += (1 - np.eye(3)) * rng.uniform(-0.01, 0.01, (3, 3))
    bias = np.cumsum(rng.normal(0.0, bias_walk / np.sqrt(rate_hz), (n, 3)), axis=0)
    out = values @ gains.T + bias
    lsb = 2.0 * full_scale / 2**ADC_BITS
    return np.asarray(np.round(np.clip(out, -full_scale, full_scale - lsb) / lsb) * lsb, dtype=float)
