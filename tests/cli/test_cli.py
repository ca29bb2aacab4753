"""The `toelab` command line as a user runs it: the JSON contract, readable output, clear errors."""

import json
import re
import subprocess
import sys

import numpy as np
import pytest
from io_samples import dlc_frame
from typer.testing import CliRunner

from toelab.cli import app
from toelab.cli.samples import DEMO_CO_MOVEMENT, write_phyphox_csv
from toelab.synthetic.movement import isolation_recording, rhythm_recording, rom_recording
from toelab.synthetic.tremor import tremor_recording

runner = CliRunner()


def analyze_json(*args: str) -> dict:
    result = runner.invoke(app, ["analyze", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_tremor_json_contract_on_a_phone_export(tmp_path):
    path = write_phyphox_csv(
        tremor_recording(6.5, 0.4, 15.0, 100.0, sensor="imu", seed=4), tmp_path / "Accelerometer.csv"
    )
    payload = analyze_json(str(path), "--task", "tremor")
    assert payload["task"] == "tremor" and payload["input"] == str(path)
    results = payload["results"]
    assert set(results) >= {
        "dominant_frequency_hz",
        "amplitude",
        "amplitude_unit",
        "band_power_fraction",
        "classification",
        "tremor_stability_index",
    }
    assert results["dominant_frequency_hz"] == pytest.approx(6.5, abs=0.1)
    assert results["amplitude"] == pytest.approx(0.4, rel=0.1)
    assert results["amplitude_unit"] == "m/s^2"
    assert results["classification"] == "rhythmic"
    assert isinstance(payload["warnings"], list)


def test_isolation_from_a_deeplabcut_file_with_renamed_points(tmp_path):
    recording, truth = isolation_recording(DEMO_CO_MOVEMENT, fps=60, seed=5)
    names = ["Hallux", "Second", "Third", "Fourth", "Fifth"]
    parts = {name: recording.landmarks[f"right_toe{i + 1}"] for i, name in enumerate(names)}
    likelihood = {name: np.full(recording.n_samples, 0.99) for name in names}
    path = tmp_path / "feetDLC_resnet50_toesJan1shuffle1_1000.csv"
    dlc_frame(parts, likelihood).to_csv(path)
    maps = [f"--map={name}=right_toe{i + 1}" for i, name in enumerate(names)]
    results = analyze_json(str(path), "--task", "isolation", "--fps", "60", *maps)["results"]
    assert [toe["toe"] for toe in results["toes"]] == [1, 2, 3, 4, 5]
    for toe, expected in zip(results["toes"], truth["individuation_index"], strict=True):
        assert toe["individuation_index"] == pytest.approx(expected, abs=0.05)
        assert set(toe) >= {"toe", "individuation_index", "independent", "co_moved"}
    assert 5 in results["toes"][3]["co_moved"]  # the little toe follows the 4th
    assert 0 <= results["toe_control_score"] <= 100


def test_frame_indexed_input_without_a_frame_rate_says_what_to_do(tmp_path):
    recording, _ = isolation_recording(DEMO_CO_MOVEMENT, fps=60, seed=5)
    parts = {"toe1": recording.landmarks["right_toe1"]}
    path = tmp_path / "clipDLC_resnet50.csv"
    dlc_frame(parts, {"toe1": np.ones(recording.n_samples)}).to_csv(path)
    result = runner.invoke(app, ["analyze", str(path), "--task", "isolation"])
    assert result.exit_code == 2
    assert "--fps" in result.stderr and "Traceback" not in result.output


def test_a_failed_analysis_still_shows_what_the_reader_noticed(tmp_path):
    # a phone export with its times in milliseconds, read as seconds: the tremor analysis
    # cannot work at 0.01 samples/s, and the reader's hint says why
    recording = tremor_recording(5.0, 0.35, 10.0, 100.0, sensor="imu", seed=2)
    path = tmp_path / "ms.csv"
    table = np.column_stack([recording.time_s * 1000.0] + [recording.signals[f"acc_{a}"] for a in "xyz"])
    np.savetxt(path, table, delimiter=",", header="time,acc_x,acc_y,acc_z", comments="", fmt="%.6f")
    result = runner.invoke(app, ["analyze", str(path), "--task", "tremor"])
    assert result.exit_code == 2
    assert "--time-unit ms" in result.stderr and "Traceback" not in result.output
    fixed = analyze_json(str(path), "--task", "tremor", "--time-unit", "ms")
    assert fixed["results"]["dominant_frequency_hz"] == pytest.approx(5.0, abs=0.2)


def test_rom_json_contract(tmp_path):
    recording, _ = rom_recording(34.0, fps=30)
    results = analyze_json(str(recording.save(tmp_path / "side.npz")), "--task", "rom")["results"]
    assert results["max_extension_deg"] == pytest.approx(34.0, abs=1.0)
    assert results["grade"] == 1


@pytest.mark.parametrize("event", ["peak", "onset"])
def test_rhythm_json_contract_with_the_other_four_toes(tmp_path, event):
    recording, truth = rhythm_recording(
        90,
        asynchrony_mean_ms=-40,
        asynchrony_sd_ms=20,
        n_beats=20,
        toes=(2, 3, 4, 5),
        timed_event=event,
        missed_beats=(5,),
        seed=6,
    )
    beats = tmp_path / "beats.txt"
    np.savetxt(beats, truth["beat_times_s"])
    results = analyze_json(
        str(recording.save(tmp_path / "r.npz")),
        "--task",
        "rhythm",
        "--beats",
        str(beats),
        "--toes",
        "2-5",
        "--event",
        event,
    )["results"]
    assert set(results) >= {
        "mean_asynchrony_ms",
        "sd_asynchrony_ms",
        "hits",
        "misses",
        "extras",
        "circular_r",
    }
    (hits, misses) = (results["hits"], results["misses"])
    assert (hits, misses, results["extras"]) == (19, 1, 0)
    key = "asynchrony_ms" if event == "peak" else "onset_asynchrony_ms"
    true_mean_ms = float(np.mean(truth["right"][key]))
    assert results["mean_asynchrony_ms"] == pytest.approx(true_mean_ms, abs=2.0)


def test_rhythm_both_feet_compares_left_and_right(tmp_path):
    recording, _ = rhythm_recording(
        100,
        asynchrony_mean_ms={"left": -60, "right": -20},
        asynchrony_sd_ms={"left": 50, "right": 10},
        n_beats=24,
        feet=("left", "right"),
        seed=7,
    )
    results = analyze_json(
        str(recording.save(tmp_path / "both.npz")), "--task", "rhythm", "--bpm", "100", "--offset", "1"
    )["results"]
    assert set(results["feet"]) == {"left", "right"}
    assert results["feet"]["left"]["mean_asynchrony_ms"] < results["feet"]["right"]["mean_asynchrony_ms"]
    assert results["left_vs_right"]["more_consistent"] == "right"


def test_rhythm_without_beats_explains_how_to_give_them(tmp_path):
    recording, _ = rhythm_recording(100, asynchrony_mean_ms=0, asynchrony_sd_ms=10, n_beats=8)
    result = runner.invoke(app, ["analyze", str(recording.save(tmp_path / "r.npz")), "--task", "rhythm"])
    assert result.exit_code == 2 and "--bpm" in result.stderr


def test_readable_summary_shows_figures_and_meaning(tmp_path):
    recording, _ = rom_recording(70.0, fps=30)
    result = runner.invoke(app, ["analyze", str(recording.save(tmp_path / "side.npz")), "--task", "rom"])
    assert result.exit_code == 0
    angle = float(re.search(r"(\d+\.\d) °", result.stdout)[1])
    assert angle == pytest.approx(70.0, abs=1.0)
    assert "push-off" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"time,acc_x\n0.0,1\n0.01,abc\n", "not a number"),
        (b"\x00\x01garbage" * 20, "not a"),
    ],
)
def test_a_broken_file_gives_one_line_and_exit_status_2(tmp_path, content, message):
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    completed = subprocess.run(
        [sys.executable, "-m", "toelab", "analyze", str(path), "--task", "tremor"],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert len(completed.stderr.strip().splitlines()) == 1
    assert "broken.csv" in completed.stderr


def test_unknown_task_and_bad_toes_are_refused(tmp_path):
    recording, _ = rom_recording(34.0, fps=30)
    path = str(recording.save(tmp_path / "side.npz"))
    assert runner.invoke(app, ["analyze", path, "--task", "balance"]).exit_code == 2
    result = runner.invoke(app, ["analyze", path, "--task", "rhythm", "--bpm", "90", "--toes", "6"])
    assert result.exit_code == 2 and "--toes" in result.stderr


def test_save_tracks_writes_a_recording_that_analyses_the_same(tmp_path):
    recording, _ = rom_recording(45.0, fps=30)
    saved = tmp_path / "copy.npz"
    first = analyze_json(
        str(recording.save(tmp_path / "side.npz")), "--task", "rom", "--save-tracks", str(saved)
    )
    again = analyze_json(str(saved), "--task", "rom")
    assert first["results"]["max_extension_deg"] == again["results"]["max_extension_deg"]


def test_demo_runs_every_analysis_and_says_where_the_samples_are(tmp_path):
    result = runner.invoke(app, ["demo", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for heading in ("Toe isolation test", "Tremor test", "Big-toe extension test", "Musical toes"):
        assert heading in result.stdout
    assert "rhythmic" in result.stdout and "Toe control score" in result.stdout
    assert len(list(tmp_path.iterdir())) == 6  # five samples and the sample person's records


def test_the_command_line_starts_without_the_slow_scipy_modules():
    # scipy.stats and scipy.signal take most of a second to import; analysing a video from a
    # points file needs neither, so `toelab analyze` must not pay for them at start-up
    code = (
        "import sys, toelab.cli, toelab.tasks, toelab.track, toelab.analysis.individuation;"
        "print(sorted(m for m in ('scipy.stats', 'scipy.signal') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
