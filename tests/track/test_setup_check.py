"""The set-up check before a test: a foot in view, big, lit and steady passes; a foot that left
the picture, moved, is too small or too dark is refused with what to change."""

from __future__ import annotations

import av
import numpy as np
import pytest
from videogen import render_front

from toelab.errors import ToelabError
from toelab.track.points import parse_points
from toelab.track.setup_check import check_setup

pytestmark = pytest.mark.video


def _lifts(t: np.ndarray) -> np.ndarray:
    out = np.zeros((t.size, 5))
    out[:, 1] = 14.0 * np.clip(np.sin(2 * np.pi * t), 0, None)  # the 2nd toe lifts now and then
    return out


def _video(tmp_path, name: str, **kwargs):
    path = tmp_path / f"{name}.mp4"
    truth = render_front(path, _lifts, fps=30, duration_s=2.0, noise=1.0, **kwargs)
    with av.open(str(path)) as container:
        frames = [f.to_ndarray(format="bgr24") for f in container.decode(video=0)]
    return frames, parse_points(truth.first_points, "truth")


def _check(still, burst, points):
    return check_setup(still, burst, [0.12 * i for i in range(len(burst))], points)


@pytest.fixture(scope="module")
def foot(tmp_path_factory):
    return _video(tmp_path_factory.mktemp("setup"), "foot")


def test_a_foot_in_view_big_lit_and_steady_passes(foot):
    frames, points = foot
    result = _check(frames[0], frames[20:44:3], points)
    assert result.ok, result.quality.reason
    answer = result.as_dict()
    assert answer["problem"] is None and all(c["passed"] for c in answer["checks"])
    assert answer["figures"]["toes_tracked"] == 5


def test_a_foot_out_of_view_is_refused_in_one_plain_sentence(foot):
    frames, points = foot
    rng = np.random.default_rng(1)
    floor = [np.clip(rng.normal(120, 4, frames[0].shape), 0, 255).astype(np.uint8) for _ in range(8)]
    result = _check(frames[0], floor, points)
    assert not result.ok
    answer = result.as_dict()
    # one reason, not a pile of figures about a foot that is not there
    assert answer["problem"] == "Your foot is not in the picture: it is out of view or covered"
    assert "set up the camera again" in answer["change"]
    assert answer["figures"]["toes_tracked"] is None


def test_a_foot_that_moved_since_the_set_up_is_refused(foot):
    frames, points = foot
    moved = [np.roll(f, 150, axis=1) for f in frames[20:44:3]]
    result = _check(frames[0], moved, points)
    assert not result.ok
    assert result.quality.reason == "The foot has moved since you set up the camera"


def test_a_dark_picture_is_refused(foot):
    frames, points = foot
    dim = [(f * 0.15).astype(np.uint8) for f in frames[:24:3]]
    result = _check(dim[0], dim[1:], points)
    assert not result.ok
    assert "too dark" in result.quality.reason and "light" in result.quality.redo


def test_toes_too_small_on_the_picture_are_refused(tmp_path):
    frames, points = _video(tmp_path, "far", foot_width_px=60.0)
    result = _check(frames[0], frames[20:44:3], points)
    assert not result.ok
    assert result.as_dict()["figures"]["toe_width_px"] < 15
    assert "too small" in result.quality.reason and "closer" in result.quality.redo


def test_a_burst_of_another_size_is_refused_in_one_line(foot):
    frames, points = foot
    with pytest.raises(ToelabError, match="changed size"):
        _check(frames[0], [f[:200] for f in frames[:4]], points)
