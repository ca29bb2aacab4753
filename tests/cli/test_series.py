"""`--series FILE.csv`: the per-sample series behind each task's figures, for a lab's own plots."""

import csv

import numpy as np
import pytest
from typer.testing import CliRunner

from toelab.cli import app
from toelab.cli.samples import DEMO_CO_MOVEMENT, write_phyphox_csv
from toelab.synthetic.movement import isolation_recording, rhythm_recording, rom_recording
from toelab.synthetic.tremor import tremor_recording

runner = CliRunner()


def _series(tmp_path, input_path, *args: str) -> list[dict[str, str]]:
    out = tmp_path / "series.csv"
    result = runner.invoke(app, ["analyze", str(input_path), *args, "--series", str(out), "--json"])
    assert result.exit_code == 0, result.output
    with out.open() as handle:
        return list(csv.DictReader(handle))


def test_rom_series_holds_the_angle_whose_maximum_is_reported(tmp_path):
    recording, _ = rom_recording(34.0, fps=30)
    rows = _series(tmp_path, recording.save(tmp_path / "side.npz"), "--task", "rom")
    assert len(rows) == recording.n_samples
    column = next(c for c in rows[0] if c.endswith("hallux_angle_deg"))
    angles = [float(r[column]) for r in rows if r[column]]
    assert max(angles) == pytest.approx(34.0, abs=3.0)
    assert float(rows[1]["time_s"]) == pytest.approx(recording.time_s[1], abs=1e-6)


def test_isolation_series_has_each_toes_lift(tmp_path):
    recording, _ = isolation_recording(DEMO_CO_MOVEMENT, fps=60, seed=5)
    rows = _series(tmp_path, recording.save(tmp_path / "iso.npz"), "--task", "isolation")
    lifts = [column for column in rows[0] if "_lift_" in column]
    assert len(lifts) == 5 and all(f"toe{k}_lift_" in " ".join(lifts) for k in range(1, 6))
    assert max(float(r[lifts[0]]) for r in rows if r[lifts[0]]) > 3 * abs(
        float(rows[0][lifts[0]] or 0) + 1e-9
    )


def test_tremor_series_holds_the_analysed_signal(tmp_path):
    path = write_phyphox_csv(
        tremor_recording(6.5, 0.4, 15.0, 100.0, sensor="imu", seed=4), tmp_path / "Accelerometer.csv"
    )
    rows = _series(tmp_path, path, "--task", "tremor")
    signal = [c for c in rows[0] if c != "time_s"]
    assert signal and all(c.startswith("acc") for c in signal)
    times = np.array([float(r["time_s"]) for r in rows])
    values = np.array([[float(r[c]) for c in signal] for r in rows])
    spectrum = np.abs(np.fft.rfft(values - values.mean(axis=0), axis=0)).sum(axis=1)
    freqs = np.fft.rfftfreq(len(rows), d=np.median(np.diff(times)))
    band = freqs >= 1.0  # above the slow drift of a hand-held phone
    assert freqs[band][np.argmax(spectrum[band])] == pytest.approx(6.5, abs=0.3)


def test_rhythm_series_marks_lifts_and_beats(tmp_path):
    recording, truth = rhythm_recording(100, asynchrony_mean_ms=0, asynchrony_sd_ms=10, n_beats=8)
    rows = _series(tmp_path, recording.save(tmp_path / "r.npz"), "--task", "rhythm", "--bpm", "100")
    beats = [float(r["time_s"]) for r in rows if r["beat_event"] == "1"]
    lift_column = next(c for c in rows[0] if c.endswith("lift_event"))
    lifts = [float(r["time_s"]) for r in rows if r[lift_column] == "1"]
    assert len(beats) >= 8 and np.allclose(np.diff(beats), 0.6, atol=0.02)
    assert len(lifts) == 8
    assert any(c.endswith(("lift_mm", "lift_px")) for c in rows[0])
