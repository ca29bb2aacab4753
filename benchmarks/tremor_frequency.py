"""Tremor frequency from a wrist IMU against what motion capture would report, per condition.

Run: ``python benchmarks/tremor_frequency.py [--trials 20]`` — prints, per condition, the
median absolute error (Hz) and how many recordings are within 0.5 Hz, for toelab
(``tremor_from_recording``; a recording called "none" counts as a miss) and for two plain
baselines: the peak of a Welch spectrum (4-s Hann windows) of the first principal component
of the gyroscope, and the same of the accelerometer, both searched in 2-15 Hz.

Data: ``toelab.synthetic.wearable.wrist_tremor_recording`` (30 s at 200 Hz; a forearm with
slow voluntary movement and a tremor whose frequency wanders; accelerometer with gravity,
gyroscope, sensor noise). The truth is the peak of the hand marker's tremor displacement
spectrum. Each condition changes one thing from the base (both sensors, moderate 0.5 deg
tremor at 3.5-9.5 Hz, frequency spread 0.5 Hz, low noise); the last rows count how often a
recording without tremor is called a tremor (rhythmic or irregular). The conditions after
"movement" are those real wrists add: irregular reaching far larger than the tremor (with the
gravity it turns through), a weak physiological tremor (0.05 deg, ~0.3 mm at the hand) at
7-12 Hz under it, a tremor in bursts, a frequency that drifts, a strong harmonic, and the
errors of a consumer MEMS IMU.
"""

from __future__ import annotations

import argparse
import zlib

import numpy as np

from toelab.analysis.tremor import tremor_from_recording
from toelab.synthetic.wearable import wrist_tremor_recording

BASE = {"amplitude_deg": 0.5, "frequency_sd_hz": 0.5, "sensors": "both"}
HIGH_NOISE = {"acc_noise_sd": 0.15, "gyro_noise_sd": 0.03}
REACHING = {"reach_deg": 20.0}
WEAK = {"amplitude_deg": 0.05}  # ~0.3 mm at the hand: a physiological tremor barely seen
REAL_WRIST = {"reach_deg": 20.0, "bursts": 0.6, "drift_hz": 1.0, "harmonic": 0.3, "mems": True}
CONDITIONS: tuple[tuple[str, str, dict, tuple[float, float]], ...] = (
    ("sensor", "gyroscope + accelerometer", {}, (3.5, 9.5)),
    ("sensor", "gyroscope only", {"sensors": "gyro"}, (3.5, 9.5)),
    ("sensor", "accelerometer only", {"sensors": "acc"}, (3.5, 9.5)),
    ("amplitude", "strong (2 deg, ~1.5 cm)", {"amplitude_deg": 2.0}, (3.5, 9.5)),
    ("amplitude", "moderate (0.5 deg)", {}, (3.5, 9.5)),
    ("amplitude", "weak physiological (0.08 deg, 7-11 Hz)", {"amplitude_deg": 0.08}, (7.0, 11.0)),
    (
        "amplitude",
        "weak physiological, accelerometer only",
        {"amplitude_deg": 0.08, "sensors": "acc"},
        (7.0, 11.0),
    ),
    ("drift", "steady (spread 0.1 Hz)", {"frequency_sd_hz": 0.1}, (3.5, 9.5)),
    ("drift", "drifting (spread 0.5 Hz)", {}, (3.5, 9.5)),
    ("drift", "broad (spread 0.8 Hz, 30 % harmonic)", {"frequency_sd_hz": 0.8, "harmonic": 0.3}, (3.5, 9.5)),
    (
        "drift",
        "broad, accelerometer only",
        {"frequency_sd_hz": 0.8, "harmonic": 0.3, "sensors": "acc"},
        (3.5, 9.5),
    ),
    ("noise", "low (0.02 m/s^2, 0.005 rad/s)", {}, (3.5, 9.5)),
    ("noise", "high (0.15 m/s^2, 0.03 rad/s)", HIGH_NOISE, (3.5, 9.5)),
    ("noise", "high, weak tremor (0.15 deg)", {**HIGH_NOISE, "amplitude_deg": 0.15}, (3.5, 9.5)),
    (
        "movement",
        "large voluntary movement (20 deg, 50 mm)",
        {"voluntary_deg": 20.0, "voluntary_mm": 50.0},
        (3.5, 9.5),
    ),
    # what real wrists add (toelab.synthetic.wrist_conditions)
    ("reaching", "irregular reaching (20 deg), moderate tremor", REACHING, (3.5, 9.5)),
    ("reaching", "reaching (20 deg), weak physiological (0.05 deg)", {**REACHING, **WEAK}, (7.0, 12.0)),
    (
        "reaching",
        "reaching (40 deg), weak physiological (0.05 deg)",
        {**REACHING, **WEAK, "reach_deg": 40.0},
        (7.0, 12.0),
    ),
    (
        "reaching",
        "reaching (20 deg), weak physiological, acc only",
        {**REACHING, **WEAK, "sensors": "acc"},
        (7.0, 12.0),
    ),
    (
        "reaching",
        "reaching (20 deg), weak physiological, gyro only",
        {**REACHING, **WEAK, "sensors": "gyro"},
        (7.0, 12.0),
    ),
    (
        "reaching",
        "reaching (20 deg), very weak (0.02 deg), MEMS",
        {**REACHING, "amplitude_deg": 0.02, "mems": True},
        (7.0, 12.0),
    ),
    ("bursts", "tremor on 40 % of the time", {"bursts": 0.4}, (3.5, 9.5)),
    ("bursts", "weak physiological on 50 % of the time", {**WEAK, "bursts": 0.5}, (7.0, 12.0)),
    ("drift", "frequency drifting 1.5 Hz over 30 s", {"drift_hz": 1.5}, (3.5, 9.5)),
    ("harmonic", "strong 2nd harmonic (50 %)", {"harmonic": 0.5}, (3.5, 9.5)),
    ("harmonic", "strong 2nd harmonic (50 %), acc only", {"harmonic": 0.5, "sensors": "acc"}, (3.5, 9.5)),
    ("noise", "MEMS IMU errors, weak physiological", {**WEAK, "mems": True}, (7.0, 12.0)),
    (
        "noise",
        "MEMS IMU errors, weak physiological, acc only",
        {**WEAK, "mems": True, "sensors": "acc"},
        (7.0, 12.0),
    ),
    ("all", "reaching, bursts, drift, harmonic, MEMS", REAL_WRIST, (3.5, 9.5)),
    ("all", "the same, weak physiological", {**REAL_WRIST, **WEAK}, (7.0, 12.0)),
)
# recordings without tremor: (name, sensors, changes from no tremor with slow voluntary movement)
NO_TREMOR: tuple[tuple[str, str, dict], ...] = (
    ("voluntary movement only", "both", {}),
    ("voluntary movement only", "acc", {}),
    ("irregular reaching (20 deg) only", "both", {"reach_deg": 20.0}),
    ("irregular reaching (40 deg) only", "both", {"reach_deg": 40.0}),
    ("irregular reaching (20 deg) only", "acc", {"reach_deg": 20.0}),
    ("irregular reaching (20 deg) only, MEMS", "gyro", {"reach_deg": 20.0, "mems": True}),
    (
        "sensor noise only (arm still)",
        "both",
        {"voluntary_deg": 0.0, "voluntary_mm": 0.0, "irregular_deg": 0.0},
    ),
    (
        "MEMS noise only (arm still)",
        "both",
        {"voluntary_deg": 0.0, "voluntary_mm": 0.0, "irregular_deg": 0.0, "mems": True},
    ),
)


def welch_peak(values: np.ndarray, rate_hz: float) -> float:
    """The plain baseline: Welch (4-s Hann) of the first principal component, peak in 2-15 Hz."""
    from scipy import signal

    centred = values - values.mean(axis=0)
    component = centred @ np.linalg.svd(centred, full_matrices=False)[2][0]
    freqs, psd = signal.welch(component, rate_hz, nperseg=int(4 * rate_hz))
    band = (freqs >= 2.0) & (freqs <= 15.0)
    return float(freqs[band][np.argmax(psd[band])])


def axes(recording, prefix: str) -> np.ndarray:
    return np.column_stack([recording.signals[f"{prefix}_{a}"] for a in "xyz"])


def summary(errors: list[float]) -> str:
    errors_hz = np.array(errors)
    return f"{np.median(errors_hz):5.2f} Hz {int(np.sum(errors_hz <= 0.5)):3d}/{errors_hz.size}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    trials = parser.parse_args().trials
    print(f"{trials} recordings per condition; median |error| and number within 0.5 Hz")
    print(f"{'factor':10} {'condition':48} {'toelab':>14} {'Welch gyro PC1':>15} {'Welch acc PC1':>15}")
    for factor, name, change, (low_hz, high_hz) in CONDITIONS:
        rng = np.random.default_rng(zlib.crc32(name.encode()))
        errors: dict[str, list[float]] = {"toelab": [], "gyro": [], "acc": []}
        for trial in range(trials):
            parameters = {**BASE, **change}
            case = wrist_tremor_recording(rng.uniform(low_hz, high_hz), seed=1000 + trial, **parameters)
            found = tremor_from_recording(case.recording).dominant_frequency_hz
            errors["toelab"].append(abs(found - case.frequency_hz) if found is not None else np.inf)
            for sensor in ("gyro", "acc"):
                if f"{sensor}_x" in case.recording.signals:
                    peak_hz = welch_peak(axes(case.recording, sensor), 200.0)
                    errors[sensor].append(abs(peak_hz - case.frequency_hz))
        cells = [summary(errors[k]) if errors[k] else "-" for k in ("toelab", "gyro", "acc")]
        print(f"{factor:10} {name:48} {cells[0]:>14} {cells[1]:>15} {cells[2]:>15}", flush=True)
    for name, sensors, change in NO_TREMOR:
        called = 0
        for trial in range(trials):
            case = wrist_tremor_recording(6.0, 0.0, sensors=sensors, seed=2000 + trial, **change)
            called += tremor_from_recording(case.recording).classification != "none"
        print(
            f"{'no tremor':10} {sensors + ' sensors, ' + name:48} called a tremor {called}/{trials}",
            flush=True,
        )


if __name__ == "__main__":
    main()
