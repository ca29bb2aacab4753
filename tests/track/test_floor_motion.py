"""The floor in front of the toes tells the camera's own motion: a hand-held camera that shakes
moves the floor and the foot alike, and the foot's shaking is read against the floor, so the
camera's shake is not taken for the foot's. The tremor test follows the floor (its task reads
the camera's motion); the others leave it, at no cost to the tracker's speed."""

from __future__ import annotations

import numpy as np
import pytest
from videogen import render_front

from toelab.tasks import AnalysisOptions, run_task
from toelab.track import parse_points, track_video

pytestmark = pytest.mark.video

SHAKE_PX = 2.5  # the camera's shake (px) and turn (deg): a hand-held phone
SHAKE_DEG = 0.5


def _toes_shaking(frequency_hz: float, size_px: float):
    def lifts(t):
        return np.outer(size_px * np.sin(2 * np.pi * frequency_hz * t), [1.0, 0.8, 0.7, 0.6, 0.5])

    return lifts


def _floor(recording) -> np.ndarray:
    """The floor's shift at the toes, frame by frame: (n, 2) px."""
    return np.column_stack([recording.signals["right_floor_dx_px"], recording.signals["right_floor_dy_px"]])


def test_the_floor_s_shift_at_the_toes_is_the_camera_s(tmp_path):
    path = tmp_path / "hand-held.mp4"
    truth = render_front(
        path, None, duration_s=3.0, floor="wood", noise=1.0, shake_px=SHAKE_PX, shake_deg=SHAKE_DEG, seed=3
    )
    recording = track_video(path, parse_points(truth.first_points), follow_floor=True).recording
    # the camera's motion at the toes' centre: where the picture shows the toes, less where
    # the foot holds them
    names = [n for n in truth.points if n.startswith("right_toe")]
    camera = np.mean([truth.points[n] - truth.points_foot[n] for n in names], axis=0)
    camera -= camera[0]
    floor = _floor(recording)
    assert np.isfinite(floor).all(axis=1).mean() > 0.95
    assert np.ptp(camera, axis=0).max() > 3.0  # the camera did move
    error = np.linalg.norm(floor - camera, axis=1)
    assert np.nanpercentile(error, 95) < 0.3


@pytest.fixture(scope="module")
def toes_before_a_shaking_camera(tmp_path_factory):
    """Toes shaking at 4 Hz on a still foot, filmed by a camera that shakes (0.5-4 Hz)."""
    path = tmp_path_factory.mktemp("floor") / "toes.mp4"
    truth = render_front(
        path,
        _toes_shaking(4.0, 1.5),
        duration_s=6.0,
        floor="wood",
        noise=1.0,
        shake_px=SHAKE_PX,
        shake_deg=SHAKE_DEG,
        seed=0,
    )
    return path, truth


def test_toes_shaking_before_a_shaking_camera_are_the_toes_at_their_own_rhythm(toes_before_a_shaking_camera):
    path, truth = toes_before_a_shaking_camera
    recording = track_video(path, parse_points(truth.first_points), follow_floor=True).recording
    results = run_task(recording, AnalysisOptions(task="tremor")).results
    assert results["measured"] is True
    assert results["classification"] == "rhythmic"
    # the camera's own shake (0.5-4 Hz) is neither the frequency nor the part that shakes
    assert results["dominant_frequency_hz"] == pytest.approx(4.0, abs=0.2)
    assert results["shaking_part"] == "toes"
    assert results["parts"]["foot"]["classification"] != "rhythmic"
    # a toes' shake of 1.5 px on the picture is too small to size from a compressed video
    assert results["amplitude"] is None and results["amplitude_measured"] is False


def test_a_still_camera_leaves_the_floor_still(tmp_path):
    path = tmp_path / "still.mp4"
    truth = render_front(path, _toes_shaking(6.0, 1.5), duration_s=3.0, floor="tiles", noise=1.0, seed=1)
    recording = track_video(path, parse_points(truth.first_points), follow_floor=True).recording
    floor = _floor(recording)
    # the toes shake above it, the floor stays where it was
    assert np.nanmax(np.abs(floor)) < 0.2


def test_a_live_run_keeps_the_floor_s_motion_as_a_video_file_does(toes_before_a_shaking_camera):
    import av

    from toelab.web.contracts import parse_start
    from toelab.web.live import LiveSession

    path, truth = toes_before_a_shaking_camera
    with av.open(str(path)) as container:
        frames = [(float(f.time), f.to_ndarray(format="bgr24")) for f in container.decode(video=0)]
    request = parse_start({"type": "start", "task": "tremor", "points": truth.first_points})
    (t0, first), rest = frames[0], frames[1:]
    session = LiveSession(request, first, t0)
    for t, frame in rest:
        session.update(frame, t)
    recording = session.recording()
    assert {"right_floor_dx_px", "right_floor_dy_px"} <= set(recording.signals)
    results = run_task(recording, AnalysisOptions(task="tremor")).results
    assert results["dominant_frequency_hz"] == pytest.approx(4.0, abs=0.2)
    assert results["shaking_part"] == "toes"


def test_toelab_analyze_follows_the_floor_for_the_tremor_test_only(tmp_path):
    from typer.testing import CliRunner

    from toelab.cli import app
    from toelab.recording import Recording
    from toelab.tasks import TASKS

    assert [name for name, task in TASKS.items() if task.reads_camera_motion] == ["tremor"]
    path = tmp_path / "toes.mp4"
    truth = render_front(path, _toes_shaking(6.0, 1.5), duration_s=2.5, floor="tiles", seed=1)
    points = truth.write_points(tmp_path / "points.json")
    for task, followed in (("tremor", True), ("isolation", False)):
        saved = tmp_path / f"{task}.npz"
        args = ["analyze", str(path), "--task", task, "--points", str(points), "--save-tracks", str(saved)]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        assert ("right_floor_dx_px" in Recording.load(saved).signals) is followed
