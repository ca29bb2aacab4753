"""`toelab analyze VIDEO` end to end on generated H.264 videos with known toe motion."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner
from videogen import add_sound_track, click_track, lift_pulses, render_front, render_side

from toelab.cli import app
from toelab.io.video import probe_video
from toelab.synthetic.movement import individuation_truth

runner = CliRunner()

# the little toe follows the 4th at 60 %, the 2nd follows the 3rd at 30 %
CO_MOVEMENT = np.eye(5)
CO_MOVEMENT[3, 4] = 0.6
CO_MOVEMENT[2, 1] = 0.3
LIFT_PX = 14.0


def isolation_motion(t: np.ndarray) -> np.ndarray:
    """Each toe instructed twice in turn; neighbours follow by CO_MOVEMENT."""
    heights = np.zeros((t.size, 5))
    onset = 0.5
    for toe in range(5):
        for _ in range(2):
            pulse = lift_pulses(t, [onset], LIFT_PX, duration_s=0.5)
            heights += pulse[:, None] * CO_MOVEMENT[toe][None, :]
            onset += 0.9
    return heights


def analyze(*args: str) -> dict:
    result = runner.invoke(app, ["analyze", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def isolation_video(tmp_path_factory):
    folder = tmp_path_factory.mktemp("isolation")
    truth = render_front(
        folder / "isolation.mp4",
        isolation_motion,
        fps=30.0,
        duration_s=10.0,
        floor="wood",
        skin="dark",
        shake_px=1.0,
        seed=3,
    )
    return folder / "isolation.mp4", truth.write_points(folder / "points.json")


def test_isolation_on_video_matches_the_drawn_co_movement(isolation_video, tmp_path):
    video, points = isolation_video
    overlay = tmp_path / "overlay.mp4"
    payload = analyze(str(video), "--task", "isolation", "--points", str(points), "--overlay", str(overlay))
    results = payload["results"]
    expected = individuation_truth(CO_MOVEMENT)
    for toe, truth in zip(results["toes"], expected, strict=True):
        assert toe["individuation_index"] == pytest.approx(truth, abs=0.07)
    assert 5 in results["toes"][3]["co_moved"]
    info = probe_video(overlay)
    assert (info.width, info.height) == (640, 480) and info.duration_s == pytest.approx(10.0, abs=0.2)


def test_points_are_proposed_when_no_file_is_given(isolation_video):
    video, _ = isolation_video
    result = runner.invoke(app, ["analyze", str(video), "--task", "isolation", "--json"])
    # a confident proposal gives the same figures; an unsure one asks for points, never guesses
    if result.exit_code == 0:
        toes = json.loads(result.stdout)["results"]["toes"]
        assert [t["individuation_index"] for t in toes] == pytest.approx(
            individuation_truth(CO_MOVEMENT), abs=0.07
        )
    else:
        assert result.exit_code == 2 and "--points" in result.stderr


def test_big_toe_extension_on_a_side_view_video(tmp_path):
    def angle(t):
        return 48.0 * 0.5 * (1 - np.cos(2 * np.pi * np.clip((t - 0.5) / 2.0, 0, 1)))

    truth = render_side(tmp_path / "side.mp4", angle, fps=30.0, duration_s=3.0, seed=2)
    points = truth.write_points(tmp_path / "side.json")
    results = analyze(str(tmp_path / "side.mp4"), "--task", "rom", "--points", str(points))["results"]
    assert results["max_extension_deg"] == pytest.approx(float(np.max(truth.hallux_angle_deg)), abs=3.0)
    assert results["grade"] == 0


def test_rhythm_takes_the_beats_from_the_videos_own_sound_track(tmp_path):
    bpm, asynchrony_s, duration_s = 100.0, -0.030, 12.0
    beats = np.arange(1.0, duration_s - 1.0, 60.0 / bpm)
    lift_s = 0.36

    def motion(t):
        # the top of each big-toe lift comes 30 ms before the click
        onsets = beats + asynchrony_s - lift_s / 2
        return np.column_stack([lift_pulses(t, list(onsets), LIFT_PX, lift_s)] + [np.zeros(t.size)] * 4)

    truth = render_front(tmp_path / "silent.mp4", motion, fps=60.0, duration_s=duration_s, seed=4)
    video = add_sound_track(
        tmp_path / "silent.mp4", tmp_path / "music.mp4", click_track(beats, duration_s), 48000
    )
    points = truth.write_points(tmp_path / "points.json")
    results = analyze(str(video), "--task", "rhythm", "--points", str(points))["results"]
    assert results["beats"]["count"] == len(beats)
    assert results["hits"] == len(beats) and results["misses"] == 0 and results["extras"] == 0
    assert results["mean_asynchrony_ms"] == pytest.approx(1000 * asynchrony_s, abs=5.0)


def test_a_file_that_is_not_a_video_is_refused_clearly(tmp_path):
    path = tmp_path / "clip.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200)
    result = runner.invoke(app, ["analyze", str(path), "--task", "tremor"])
    assert result.exit_code == 2 and "clip.mp4" in result.stderr
