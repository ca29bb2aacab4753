"""Tremor frequency from a wrist IMU (accelerometer and gyroscope) as motion capture would report it.

The recordings are simulated from the physics (``toelab.synthetic.wearable``): a forearm
with slow voluntary movement and a tremor whose frequency wanders, seen by a gyroscope
and by an accelerometer that also feels gravity as the arm turns. The truth is the peak of
the hand marker's tremor displacement spectrum.
"""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from toelab import ToelabError
from toelab.analysis.tremor import analyze_tremor, tremor_from_recording
from toelab.cli import app
from toelab.synthetic.wearable import wrist_tremor_recording


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_accelerometer_of_a_5_hz_tremor_with_a_strong_harmonic_is_read_at_5_hz_not_10(seed):
    # a non-sinusoidal cycle: the 2nd harmonic, weighted by f^4 in acceleration, outweighs
    # the fundamental in the accelerometer's own spectrum (it used to say ~10 Hz)
    case = wrist_tremor_recording(5.0, 1.0, sensors="acc", frequency_sd_hz=0.4, harmonic=0.35, seed=seed)
    result = tremor_from_recording(case.recording)
    assert result.classification == "rhythmic"
    assert result.dominant_frequency_hz == pytest.approx(case.frequency_hz, abs=0.15)
    assert result.dominant_frequency_hz == pytest.approx(5.0, abs=0.2)
    assert result.amplitude_unit == "m/s^2"
    assert "acceleration" in result.channel


def test_with_both_sensors_the_gyroscope_gives_the_frequency_and_says_so():
    case = wrist_tremor_recording(6.2, 1.0, frequency_sd_hz=0.3, seed=3)
    result = tremor_from_recording(case.recording)
    assert result.dominant_frequency_hz == pytest.approx(case.frequency_hz, abs=0.1)
    assert "gyro_x, gyro_y, gyro_z" in result.channel
    assert result.amplitude_unit == "rad/s"
    assert result.as_dict()["channel"] == result.channel


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_weak_physiological_tremor_on_the_gyroscope_is_reported_as_a_tremor(seed):
    # 0.05 deg at 7.6 Hz (~0.3 mm at the hand) under slow voluntary movement: the slow
    # movement holds most of the gyroscope's power, yet the peak is clear and always there
    case = wrist_tremor_recording(7.6, 0.05, frequency_sd_hz=0.5, sensors="gyro", seed=seed)
    result = tremor_from_recording(case.recording)
    assert result.classification == "rhythmic"
    assert result.dominant_frequency_hz == pytest.approx(case.frequency_hz, abs=0.2)


@pytest.mark.parametrize("sensors", ["both", "acc", "gyro"])
@pytest.mark.parametrize("seed", [0, 1])
def test_voluntary_movement_without_tremor_is_no_tremor(sensors, seed):
    case = wrist_tremor_recording(6.0, 0.0, sensors=sensors, seed=seed)
    result = tremor_from_recording(case.recording)
    assert result.classification == "none"
    assert result.dominant_frequency_hz is None


def test_imu_csv_with_generic_columns_gives_the_frequency_on_the_command_line(tmp_path):
    case = wrist_tremor_recording(5.4, 0.8, frequency_sd_hz=0.5, seed=5)
    recording = case.recording
    names = ["acc_x", "acc_y", "acc_z", "gyro_x", "gyro_y", "gyro_z"]
    table = np.column_stack([recording.time_s, *(recording.signals[n] for n in names)])
    path = tmp_path / "wrist.csv"
    np.savetxt(path, table, delimiter=",", header=",".join(["time", *names]), comments="", fmt="%.6f")
    result = CliRunner().invoke(app, ["analyze", str(path), "--task", "tremor", "--json"])
    assert result.exit_code == 0, result.output
    results = json.loads(result.stdout)["results"]
    assert results["dominant_frequency_hz"] == pytest.approx(case.frequency_hz, abs=0.1)
    assert results["classification"] == "rhythmic"
    assert "gyro" in results["channel"]


def test_what_the_values_measure_must_be_known():
    time_s = np.arange(1000) / 100.0
    with pytest.raises(ToelabError, match="measures must be one of"):
        analyze_tremor(time_s, np.sin(2 * np.pi * 5 * time_s), measures="jerk")
