"""Tracking accuracy on generated videos whose true toe motion is known."""

from __future__ import annotations

import numpy as np
import pytest
from videogen import lift_pulses, render_front, render_side

from toelab.analysis.rom import hallux_extension_deg
from toelab.io.video import iter_frames
from toelab.track import ToeTracker, parse_points, track_video, write_overlay


def _one_toe_at_a_time(t: np.ndarray) -> np.ndarray:
    """Each toe lifts 8 px on its own, one after the other (an isolation trial)."""
    return np.stack([lift_pulses(t, [0.3 + 0.5 * i], 8.0, 0.45) for i in range(5)], axis=1)


def _lift_errors_px(result, truth, foot: str = "right", f_idx: int = 0) -> np.ndarray:
    rec = result.recording
    errors = []
    for i in range(5):
        y = rec.landmarks[f"{foot}_toe{i + 1}"][:, 1]
        estimated = -(y - y[0])
        errors.append(np.sqrt(np.mean((estimated - truth.params["lifts_px"][:, f_idx, i]) ** 2)))
    return np.array(errors)


@pytest.fixture(scope="module")
def isolation(tmp_path_factory):
    path = tmp_path_factory.mktemp("iso") / "isolation.mp4"
    truth = render_front(path, _one_toe_at_a_time, duration_s=3.0, floor="wood", skin="dark")
    return path, truth, track_video(path, parse_points(truth.first_points))


def test_each_toe_lift_is_measured_to_a_fraction_of_a_pixel(isolation):
    _, _, result = isolation
    errors = _lift_errors_px(result, isolation[1])
    assert np.all(errors < 0.25), errors
    assert result.warnings == []


def test_resting_toes_stay_still_while_one_lifts(isolation):
    _, truth, result = isolation
    rec = result.recording
    during_toe3 = (rec.time_s > 1.3) & (rec.time_s < 1.75)
    for other in (1, 2, 4, 5):
        y = rec.landmarks[f"right_toe{other}"][:, 1]
        assert np.max(np.abs(y[during_toe3] - y[0])) < 0.5
    y3 = rec.landmarks["right_toe3"][:, 1]
    assert (y3[0] - y3[during_toe3]).max() == pytest.approx(8.0, abs=0.5)


def test_recording_carries_what_the_analyses_need(isolation):
    path, truth, result = isolation
    rec = result.recording
    assert sorted(rec.landmarks) == [f"right_toe{i}" for i in range(1, 6)]
    assert rec.meta.view == "front" and rec.meta.foot == "right" and rec.meta.units == "px"
    assert rec.meta.vertical_axis == "-y" and rec.meta.source == "video" and rec.meta.path == str(path)
    assert rec.meta.fps == pytest.approx(30.0)
    assert rec.meta.extra["foot_width_px"]["right"] > 150
    np.testing.assert_allclose(rec.time_s, truth.time_s, atol=1e-4)
    assert all(np.nanmean(c) > 0.8 for c in rec.confidence.values())
    # lifted = higher: the analyses read height with Recording.vertical
    assert rec.vertical("right_toe1").max() - rec.vertical("right_toe1")[0] == pytest.approx(8.0, abs=0.5)


def test_camera_shake_and_flicker_are_compensated(tmp_path):
    path = tmp_path / "shaky.mp4"
    truth = render_front(
        path,
        _one_toe_at_a_time,
        duration_s=3.0,
        shake_px=4.0,
        shake_deg=1.0,
        flicker=0.04,
        noise=2.0,
        floor="tiles",
        skin="light",
        seed=3,
    )
    result = track_video(path, parse_points(truth.first_points))
    assert np.all(_lift_errors_px(result, truth) < 0.4)
    # the camera's own motion is reported separately
    assert np.ptp(result.recording.signals["right_foot_dx_px"]) > 2.0


def test_half_pixel_tremor_at_8_hz_is_measurable_at_60_fps(tmp_path):
    path = tmp_path / "tremor.mp4"

    def tremor(t):
        return np.stack([0.5 * np.sin(2 * np.pi * 8.0 * t)] + [np.zeros_like(t)] * 4, axis=1)

    truth = render_front(path, tremor, fps=60, duration_s=2.0, noise=1.0, seed=5)
    rec = track_video(path, parse_points(truth.first_points)).recording
    height = rec.vertical("right_toe1")
    height = height - height.mean()
    spectrum = np.abs(np.fft.rfft(height * np.hanning(height.size)))
    freqs = np.fft.rfftfreq(height.size, 1 / 60)
    assert freqs[np.argmax(spectrum)] == pytest.approx(8.0, abs=0.5)
    amplitude = np.sqrt(2) * np.std(height)
    assert amplitude == pytest.approx(0.5, abs=0.1)


def test_both_feet_in_one_frame(tmp_path):
    path = tmp_path / "both.mp4"

    def lifts(t):
        right = np.zeros((t.size, 5))
        left = np.zeros((t.size, 5))
        left[:, 0] = lift_pulses(t, [0.5], 6.0)
        right[:, 4] = lift_pulses(t, [1.0], 6.0)
        return np.stack([right, left], axis=1)

    truth = render_front(path, lifts, feet=("right", "left"), duration_s=2.0, skin="tan", seed=7)
    result = track_video(path, parse_points(truth.first_points))
    assert len(result.recording.landmarks) == 10
    assert result.recording.meta.foot == "both"
    assert np.all(_lift_errors_px(result, truth, "right", 0) < 0.3)
    assert np.all(_lift_errors_px(result, truth, "left", 1) < 0.3)


def test_variable_frame_rate_keeps_the_real_times(tmp_path):
    path = tmp_path / "vfr.mp4"
    truth = render_front(path, _one_toe_at_a_time, duration_s=2.0, vfr=True, seed=9)
    result = track_video(path, parse_points(truth.first_points))
    np.testing.assert_allclose(result.recording.time_s, truth.time_s, atol=1e-4)
    assert np.all(_lift_errors_px(result, truth) < 0.3)


def test_millimetres_when_the_scale_is_known(tmp_path):
    path = tmp_path / "mm.mp4"
    truth = render_front(path, _one_toe_at_a_time, duration_s=1.0)
    result = track_video(path, parse_points(truth.first_points), mm_per_px=0.4)
    assert result.recording.meta.mm_per_unit == 0.4
    points = parse_points(truth.first_points)
    frames = iter_frames(path, gray=True)
    t0, first = next(frames)
    tracker = ToeTracker(points, first, t0, mm_per_px=0.4)
    states = [tracker.update(frame, t) for t, frame in frames]
    peak = max(states, key=lambda s: s.points["right_toe1"].lift_mm)
    assert peak.points["right_toe1"].lift_mm == pytest.approx(0.4 * 8.0, abs=0.2)
    assert peak.points["right_toe1"].lift == pytest.approx(8.0 / points[0].size_px, abs=0.003)


def test_live_tracker_gives_the_same_tracks_as_the_file(isolation):
    path, truth, result = isolation
    frames = iter_frames(path, gray=True)
    t0, first = next(frames)
    _, first_colour = next(iter_frames(path, gray=False))
    tracker = ToeTracker(parse_points(truth.first_points), first, t0, first_colour=first_colour)
    ys = [tracker.initial_state.points["right_toe2"].xy[1]]
    ys += [tracker.update(frame, t).points["right_toe2"].xy[1] for t, frame in frames]
    np.testing.assert_allclose(ys, result.recording.landmarks["right_toe2"][:, 1], atol=1e-6)


@pytest.mark.parametrize(
    "scene",
    [dict(), dict(shake_px=3.0, shake_deg=0.8, flicker=0.04, noise=2.0, floor="wood", skin="very_dark")],
    ids=["steady", "shaky-flicker"],
)
def test_hallux_extension_angle_within_3_degrees(tmp_path, scene):
    path = tmp_path / "side.mp4"
    truth = render_side(path, lambda t: 50 * np.sin(np.pi * t / 3) ** 2, duration_s=3.0, seed=11, **scene)
    rec = track_video(path, parse_points(truth.first_points)).recording
    assert sorted(rec.landmarks) == ["right_hallux_tip", "right_heel", "right_mtp1"]
    angle = hallux_extension_deg(
        rec.landmarks["right_heel"], rec.landmarks["right_mtp1"], rec.landmarks["right_hallux_tip"]
    )
    assert np.max(np.abs(angle - truth.hallux_angle_deg)) < 3.0
    from toelab.analysis.rom import rom_from_recording

    rom = rom_from_recording(rec, "right")
    assert rom.max_extension_deg == pytest.approx(truth.hallux_angle_deg.max(), abs=3.0)


def test_overlay_video_has_every_frame(isolation, tmp_path):
    path, _, result = isolation
    out = write_overlay(path, result.recording, tmp_path / "overlay.mp4", events={"toe3": [1.3]})
    times = [t for t, _ in iter_frames(out)]
    np.testing.assert_allclose(times, result.recording.time_s, atol=1e-3)
