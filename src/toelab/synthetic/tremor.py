"""Synthetic tremor, twitch and noise signals with known truth, and recordings built from them.

Signals are returned as ``(time_s, values)``; timestamps may be irregular (``jitter_s``,
``drop_fraction``) the way phone cameras and webcams deliver frames, and every value is
the true signal at its own timestamp.
"""

from __future__ import annotations

import numpy as np

from toelab.errors import ToelabError
from toelab.recording import Recording, RecordingMeta

GRAVITY_M_S2 = 9.81


def sample_times(
    duration_s: float, rate_hz: float, *, jitter_s: float = 0.0, drop_fraction: float = 0.0, seed: int = 0
) -> np.ndarray:
    """Timestamps at ``rate_hz`` with uniform jitter (+-``jitter_s``) and randomly dropped frames."""
    rng = np.random.default_rng(seed)
    n = int(round(duration_s * rate_hz)) + 1
    time_s = np.arange(n) / rate_hz
    if jitter_s > 0:
        # keep the order: jitter stays below 40 % of the frame interval
        limit_s = min(jitter_s, 0.4 / rate_hz)
        time_s = time_s + rng.uniform(-limit_s, limit_s, n)
    if drop_fraction > 0:
        keep = rng.random(n) >= drop_fraction
        keep[[0, -1]] = True
        time_s = time_s[keep]
    return time_s - time_s[0]


def tremor_signal(
    frequency_hz: float,
    amplitude: float,
    duration_s: float = 10.0,
    rate_hz: float = 60.0,
    *,
    noise_sd: float = 0.0,
    drift: float = 0.0,
    am_depth: float = 0.0,
    am_rate_hz: float = 0.3,
    cycle_jitter_hz: float = 0.0,
    jitter_s: float = 0.0,
    drop_fraction: float = 0.0,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """A sinusoidal tremor of ``amplitude`` (half peak-to-peak) at ``frequency_hz``.

    ``drift`` adds a slow baseline (a ramp plus a 0.1 Hz sway, both of that size);
    ``am_depth`` modulates the amplitude by ``1 + am_depth * sin(2 pi am_rate_hz t)``;
    ``cycle_jitter_hz`` draws each cycle's frequency from a normal distribution of that SD
    (a tremor whose frequency wanders from cycle to cycle); ``noise_sd`` adds white noise.
    """
    rng = np.random.default_rng(seed + 1)
    time_s = sample_times(duration_s, rate_hz, jitter_s=jitter_s, drop_fraction=drop_fraction, seed=seed)
    phase = _phase(time_s, frequency_hz, cycle_jitter_hz, rng)
    envelope = amplitude * (1.0 + am_depth * np.sin(2 * np.pi * am_rate_hz * time_s))
    values = envelope * np.sin(phase)
    if drift:
        values = values + drift * (time_s / duration_s + np.sin(2 * np.pi * 0.1 * time_s))
    if noise_sd:
        values = values + rng.normal(0.0, noise_sd, time_s.size)
    return time_s, values


def twitch_signal(
    duration_s: float = 10.0,
    rate_hz: float = 60.0,
    *,
    twitches_per_s: float = 0.5,
    amplitude: float = 1.0,
    width_s: tuple[float, float] = (0.04, 0.12),
    noise_sd: float = 0.0,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Sparse brief jerks at random (Poisson) times: each a quick bump out and back.

    Each twitch is a Gaussian bump of random width in ``width_s``, random sign and a size
    between half and the full ``amplitude``.
    """
    rng = np.random.default_rng(seed)
    time_s = sample_times(duration_s, rate_hz, seed=seed)
    count = max(1, rng.poisson(twitches_per_s * duration_s))
    onsets_s = np.sort(rng.uniform(0.0, duration_s, count))
    values = np.zeros(time_s.size)
    for onset_s in onsets_s:
        sigma_s = rng.uniform(*width_s) / 2.0
        size = amplitude * rng.uniform(0.5, 1.0) * rng.choice([-1.0, 1.0])
        values += size * np.exp(-0.5 * ((time_s - onset_s) / sigma_s) ** 2)
    if noise_sd:
        values = values + rng.normal(0.0, noise_sd, time_s.size)
    return time_s, values


def noise_signal(
    duration_s: float = 10.0, rate_hz: float = 60.0, *, sd: float = 1.0, colour: str = "white", seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Measurement noise without movement: ``white``, ``pink`` (1/f) or ``brown`` (1/f^2), SD ``sd``."""
    exponents = {"white": 0.0, "pink": 1.0, "brown": 2.0}
    if colour not in exponents:
        raise ToelabError(f"noise colour must be one of {sorted(exponents)}")
    rng = np.random.default_rng(seed)
    time_s = sample_times(duration_s, rate_hz, seed=seed)
    spectrum = np.fft.rfft(rng.normal(size=time_s.size))
    freqs = np.fft.rfftfreq(time_s.size, d=1.0 / rate_hz)
    freqs[0] = freqs[1]
    values = np.fft.irfft(spectrum / freqs ** (exponents[colour] / 2.0), n=time_s.size)
    values = values - values.mean()
    return time_s, sd * values / values.std()


def tremor_recording(
    frequency_hz: float = 5.0,
    amplitude: float = 3.0,
    duration_s: float = 20.0,
    rate_hz: float = 60.0,
    *,
    sensor: str = "video",
    foot: str = "right",
    noise_sd: float | None = None,
    jitter_s: float = 0.0,
    drop_fraction: float = 0.0,
    direction: tuple[float, float, float] = (0.0, 1.0, 0.0),
    seed: int = 0,
) -> Recording:
    """A recording of a shaking foot with known tremor.

    ``sensor="video"``: the big-toe landmark (``<foot>_toe1``) shakes along ``direction``
    (x, y) by ``amplitude`` px over a slow drift; the other toes, the 1st MTP joint and the
    heel shake less (proportionally to their distance from the heel) and all carry tracking
    noise (``noise_sd`` px, default 0.3).
    ``sensor="imu"``: a phone strapped on the foot: ``acc_x/y/z`` in m/s^2 with gravity on
    z, the tremor (``amplitude`` m/s^2) along ``direction`` (normalised), sensor noise
    (``noise_sd``, default 0.02 m/s^2) and a slow tilt that shifts gravity between axes.
    """
    rng = np.random.default_rng(seed + 7)
    time_s = sample_times(duration_s, rate_hz, jitter_s=jitter_s, drop_fraction=drop_fraction, seed=seed)
    shake = np.sin(2 * np.pi * frequency_hz * time_s + rng.uniform(0, 2 * np.pi))
    if sensor == "imu":
        sd = 0.02 if noise_sd is None else noise_sd
        unit = np.asarray(direction, dtype=float) / np.linalg.norm(direction)
        tilt_rad = 0.05 * np.sin(2 * np.pi * 0.07 * time_s)
        gravity = GRAVITY_M_S2 * np.column_stack(
            [np.sin(tilt_rad), np.zeros_like(tilt_rad), np.cos(tilt_rad)]
        )
        acc = gravity + amplitude * shake[:, None] * unit + rng.normal(0.0, sd, (time_s.size, 3))
        signals = {f"acc_{axis}": acc[:, j] for j, axis in enumerate("xyz")}
        meta = RecordingMeta(
            fps=rate_hz,
            foot=foot,
            signal_units={name: "m/s^2" for name in signals},
            source="synthetic",
        )
        return Recording(time_s, signals=signals, meta=meta)
    if sensor != "video":
        raise ToelabError("sensor must be 'video' or 'imu'")
    sd = 0.3 if noise_sd is None else noise_sd
    planar = np.asarray(direction[:2], dtype=float)
    planar = planar / np.linalg.norm(planar)
    heel = np.array([320.0, 400.0])
    points = {
        "toe1": (300.0, 160.0),
        "toe2": (330.0, 165.0),
        "toe3": (355.0, 175.0),
        "toe4": (375.0, 190.0),
        "toe5": (392.0, 205.0),
        "mtp1": (305.0, 240.0),
        "heel": (320.0, 400.0),
    }
    reach = np.linalg.norm(np.array(points["toe1"]) - heel)
    drift = np.column_stack([2.0 * time_s / duration_s, 1.5 * np.sin(2 * np.pi * 0.05 * time_s)])
    landmarks = {}
    for point, xy in points.items():
        share = np.linalg.norm(np.array(xy) - heel) / reach
        track = np.array(xy) + drift + share * amplitude * shake[:, None] * planar
        landmarks[f"{foot}_{point}"] = track + rng.normal(0.0, sd, track.shape)
    meta = RecordingMeta(fps=rate_hz, foot=foot, view="top", units="px", source="synthetic")
    return Recording(time_s, landmarks=landmarks, meta=meta)


def _phase(
    time_s: np.ndarray, frequency_hz: float, cycle_jitter_hz: float, rng: np.random.Generator
) -> np.ndarray:
    """Phase (rad) at ``time_s``; with jitter each cycle runs at its own random frequency."""
    if cycle_jitter_hz <= 0:
        return 2 * np.pi * frequency_hz * time_s + rng.uniform(0, 2 * np.pi)
    cycles = int(np.ceil(time_s[-1] * frequency_hz * 2)) + 4
    cycle_hz = np.clip(rng.normal(frequency_hz, cycle_jitter_hz, cycles), 0.3 * frequency_hz, None)
    cycle_starts_s = np.concatenate([[0.0], np.cumsum(1.0 / cycle_hz)])
    return 2 * np.pi * np.interp(time_s, cycle_starts_s, np.arange(cycles + 1))
