"""A wrist-worn IMU (accelerometer and gyroscope) on a trembling arm, simulated from the physics.

The forearm is a rigid segment turning about the elbow. Its orientation is a slow voluntary
movement (the arm drifting, reaching, being held) composed with the tremor: a rotation of a
fraction of a degree to a few degrees about a tremor axis, whose frequency wanders slowly
and from cycle to cycle (a broad, drifting spectral peak, as measured tremor is: Elble 2003,
Clin Neurophysiol 114:624, doi:10.1016/S1388-2457(03)00006-3) and whose size waxes and
wanes; a little second harmonic gives the non-sinusoidal cycle of a real tremor.

What each sensor sees follows from that motion, not from a sine put on an axis:

* the **gyroscope** measures the segment's angular velocity in its own frame: the tremor's
  angle times ``2 pi f``, and nothing of gravity or of translation;
* the **accelerometer** measures specific force in its own frame, ``R^T (p'' + g z)``: the
  second derivative of the sensor's position (the tremor's displacement weighted by
  ``(2 pi f)^2``, i.e. its power by ``f^4``), the centripetal term (a component at twice the
  tremor frequency), and gravity projected onto axes that turn with the limb, so every
  rotation, slow or tremulous, leaks gravity into the signal;
* a **motion-capture** marker on the hand sees displacement. ``WristTremor.frequency_hz``
  is what it would report: the peak of the spectrum of the marker's tremor displacement.

Sensor noise is white with a constant bias per axis; the sensor sits in its strap at an
arbitrary angle, so no axis lines up with the movement.

Conditions real wrists add (``toelab.synthetic.wrist_conditions``), all off by default:
``reach_deg`` irregular voluntary reaching (minimum-jerk moves, 0.2-3 Hz, far larger than a
physiological tremor, which turns the accelerometer through gravity), ``bursts`` a tremor
present only part of the time, ``drift_hz`` a steady change of its frequency over the
recording, and ``mems`` the scale, misalignment, wandering bias and quantisation of a
consumer IMU.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from toelab.errors import ToelabError
from toelab.recording import Recording, RecordingMeta
from toelab.synthetic.wrist_conditions import (
    ACC_RANGE_M_S2,
    GYRO_RANGE_RAD_S,
    burst_gate,
    mems_errors,
    reaching_path,
)

GRAVITY_M_S2 = 9.81
_FINE_FACTOR = 5  # simulate at 5x the output rate, then keep every 5th sample
SENSORS = ("both", "acc", "gyro")


@dataclass(frozen=True)
class WristTremor:
    """A simulated recording and what motion capture of the same movement would report."""

    recording: Recording
    frequency_hz: float  # peak of the hand marker's tremor displacement spectrum
    displacement_mm: float  # half peak-to-peak (RMS * sqrt 2) of that displacement


def wrist_tremor_recording(
    frequency_hz: float = 5.0,
    amplitude_deg: float = 1.0,
    duration_s: float = 30.0,
    rate_hz: float = 200.0,
    *,
    sensors: str = "both",
    frequency_sd_hz: float = 0.3,
    harmonic: float = 0.15,
    voluntary_deg: float = 8.0,
    voluntary_mm: float = 20.0,
    irregular_deg: float = 0.05,
    lever_m: float = 0.25,
    acc_noise_sd: float = 0.02,
    gyro_noise_sd: float = 0.005,
    reach_deg: float = 0.0,
    reach_mm_per_deg: float = 3.0,
    bursts: float = 1.0,
    drift_hz: float = 0.0,
    mems: bool = False,
    seed: int = 0,
) -> WristTremor:
    """Simulate a wrist IMU on a forearm with tremor; see the module docstring for the physics.

    ``amplitude_deg``: tremor rotation (half peak-to-peak of the fundamental; 0 for no
    tremor). ``frequency_sd_hz``: spread of the instantaneous frequency (mostly wander
    from cycle to cycle, a tenth of its variance slow drift). ``voluntary_deg`` and
    ``voluntary_mm``: SD of the slow voluntary rotation and translation (each axis).
    ``lever_m``: elbow to sensor. ``irregular_deg``: SD of small irregular movement up to
    ~3 Hz (postural sway, corrections) that gives the broad background of real limb spectra. Noise SDs are per
    axis, in m/s^2 and rad/s. ``reach_deg``: SD of the targets of irregular reaching
    moves (rotation per axis; translation ``reach_mm_per_deg`` mm per degree). ``bursts``:
    share of the time the tremor is on. ``drift_hz``: change of the tremor's centre
    frequency from the start to the end (centred on ``frequency_hz``). ``mems``: add a
    consumer IMU's errors besides its white noise.
    """
    from scipy import signal
    from scipy.spatial.transform import Rotation

    if sensors not in SENSORS:
        raise ToelabError(f"sensors must be one of {SENSORS}")
    rng = np.random.default_rng(seed)
    real_wrist = np.random.default_rng([seed, 1])  # the added conditions draw apart
    fine_hz = rate_hz * _FINE_FACTOR
    n_fine = int(round(duration_s * fine_hz)) + 1
    time_s = np.arange(n_fine) / fine_hz

    def smooth_noise(cutoff_hz: float, order: int, size: int = 1) -> np.ndarray:
        """Gaussian noise low-passed (power ~ f^(-2 order) above the cutoff), unit SD per column."""
        sos = signal.butter(order, cutoff_hz, fs=fine_hz, output="sos")
        pad = int(5 * fine_hz / cutoff_hz)  # let the filter settle before the recording starts
        out = signal.sosfilt(sos, rng.normal(size=(n_fine + pad, size)), axis=0)[pad:]
        return out / out.std(axis=0)

    # instantaneous frequency: wander from cycle to cycle (~2 Hz) that broadens the peak, and a
    # little slow drift (~0.1 Hz) that moves it; smooth
    # (3rd order) so that its derivatives, which the accelerometer sees, stay band-limited
    wander = frequency_sd_hz * (0.3 * smooth_noise(0.1, 3)[:, 0] + 0.95 * smooth_noise(2.0, 3)[:, 0])
    wander = wander + drift_hz * (time_s / time_s[-1] - 0.5)
    phase = 2 * np.pi * np.cumsum(frequency_hz + wander) / fine_hz + rng.uniform(0, 2 * np.pi)
    envelope = np.exp(0.3 * smooth_noise(0.3, 3)[:, 0])
    envelope /= np.sqrt(np.mean(envelope**2))
    envelope = envelope * burst_gate(n_fine, fine_hz, bursts, real_wrist)
    tremor_rad = (
        np.deg2rad(amplitude_deg)
        * envelope
        * (np.sin(phase) + harmonic * np.sin(2 * phase + rng.uniform(0, 2 * np.pi)))
    )
    # tremor axis: mostly flexion-extension at the elbow/wrist, partly pronation-supination
    axis = np.array([rng.uniform(0.2, 0.6), 1.0, rng.uniform(-0.4, 0.4)])
    axis /= np.linalg.norm(axis)
    reach = reaching_path(n_fine, fine_hz, 1.0, 6, real_wrist) if reach_deg > 0 else np.zeros((n_fine, 6))
    voluntary = Rotation.from_rotvec(
        np.deg2rad(voluntary_deg) * smooth_noise(0.5, 3, 3)
        + np.deg2rad(irregular_deg) * smooth_noise(3.0, 2, 3)
        + np.deg2rad(reach_deg) * reach[:, :3]
    )
    holding = Rotation.from_euler("xyz", [rng.uniform(-30, 30), rng.uniform(-20, 20), 0.0], degrees=True)
    orientation = holding * voluntary * Rotation.from_rotvec(tremor_rad[:, None] * axis)
    still = holding * voluntary
    centre_m = (
        1e-3 * voluntary_mm * smooth_noise(0.4, 3, 3) + 1e-3 * reach_mm_per_deg * reach_deg * reach[:, 3:]
    )

    sensor_arm = np.array([lever_m, 0.0, 0.03])  # on the back of the wrist
    marker_arm = np.array([lever_m + 0.08, 0.0, 0.03])  # on the back of the hand
    position_m = centre_m + orientation.apply(sensor_arm)
    step = 1.0 / fine_hz
    acceleration = np.gradient(np.gradient(position_m, step, axis=0), step, axis=0)
    specific_force = orientation.inv().apply(acceleration + np.array([0.0, 0.0, GRAVITY_M_S2]))
    rate_rad_s = np.zeros((n_fine, 3))
    rate_rad_s[:-1] = (orientation[:-1].inv() * orientation[1:]).as_rotvec() * fine_hz
    rate_rad_s[-1] = rate_rad_s[-2]

    strap = Rotation.from_euler("xyz", rng.uniform(-40, 40, 3), degrees=True)
    keep = slice(None, None, _FINE_FACTOR)
    out_time_s = time_s[keep]
    n = out_time_s.size
    signals: dict[str, np.ndarray] = {}
    units: dict[str, str] = {}
    if sensors in ("both", "acc"):
        acc = strap.inv().apply(specific_force[keep])
        acc += rng.normal(0.0, 0.05, 3) + rng.normal(0.0, acc_noise_sd, (n, 3))
        if mems:
            acc = mems_errors(acc, rate_hz, ACC_RANGE_M_S2, 0.005, real_wrist)
        signals.update({f"acc_{a}": acc[:, j] for j, a in enumerate("xyz")})
        units.update({f"acc_{a}": "m/s^2" for a in "xyz"})
    if sensors in ("both", "gyro"):
        gyro = strap.inv().apply(rate_rad_s[keep])
        gyro += rng.normal(0.0, 0.01, 3) + rng.normal(0.0, gyro_noise_sd, (n, 3))
        if mems:
            gyro = mems_errors(gyro, rate_hz, GYRO_RANGE_RAD_S, 0.002, real_wrist)
        signals.update({f"gyro_{a}": gyro[:, j] for j, a in enumerate("xyz")})
        units.update({f"gyro_{a}": "rad/s" for a in "xyz"})

    marker_tremor_mm = 1e3 * (orientation.apply(marker_arm) - still.apply(marker_arm))[keep]
    truth_hz, displacement_mm = (
        _displacement_peak(marker_tremor_mm, rate_hz) if amplitude_deg > 0 else (float("nan"), 0.0)
    )
    meta = RecordingMeta(fps=rate_hz, signal_units=units, source="synthetic")
    return WristTremor(Recording(out_time_s, signals=signals, meta=meta), truth_hz, displacement_mm)


def _displacement_peak(displacement: np.ndarray, rate_hz: float) -> tuple[float, float]:
    """Peak (Hz) of the displacement spectrum along its principal direction, and its size.

    Welch, 5-s Hann windows, 50 % overlap, zero-padded 16x, parabolic refinement: a
    motion-capture analysis of the tremor alone.
    """
    from scipy import signal

    centred = displacement - displacement.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    main = centred @ vt[0]
    if not np.any(main):
        return float("nan"), 0.0
    nperseg = int(5 * rate_hz)
    freqs, psd = signal.welch(main, rate_hz, nperseg=nperseg, nfft=16 * nperseg)
    band = np.flatnonzero((freqs >= 1.5) & (freqs <= 20.0))
    i = band[np.argmax(psd[band])]
    a, b, c = np.log(psd[i - 1 : i + 2])
    offset = 0.5 * (a - c) / (a - 2 * b + c) if a - 2 * b + c < 0 else 0.0
    return float(freqs[i] + offset * (freqs[1] - freqs[0])), float(np.sqrt(2.0) * main.std())
