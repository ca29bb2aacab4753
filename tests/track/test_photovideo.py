"""Videos made from real foot photos with known motion (``photovideo``): the truth is what the
warp did, and the tracker on such a video.

The broader figures per source and condition are printed by
``benchmarks/video_accuracy.py``; these tests keep to a few seconds each.
"""

from __future__ import annotations

import av
import cv2
import numpy as np
import pytest
from photovideo import TOES, HalluxWarp, ToeField, ToeWarp, load, render, toelab_points
from videogen import lift_pulses

from toelab.track import parse_points, track_video


def _frames(path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="bgr24") for f in container.decode(video=0)]


def _patch(frame: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The 3x3 grey patch centred on a sub-pixel point."""
    grey = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY).astype(np.float32)
    return cv2.getRectSubPix(grey, (3, 3), tuple(map(float, at)))


def _found_shift(before: np.ndarray, after: np.ndarray, at: np.ndarray, guess: np.ndarray) -> np.ndarray:
    """Where a patch around ``at`` in ``before`` is in ``after``, searched near ``guess`` (sub-pixel)."""
    grey = [cv2.cvtColor(f, cv2.COLOR_BGR2GRAY).astype(np.float32) for f in (before, after)]
    template = cv2.getRectSubPix(grey[0], (13, 13), tuple(map(float, at)))
    window = cv2.getRectSubPix(grey[1], (45, 45), tuple(map(float, guess)))
    scores = cv2.matchTemplate(window, template, cv2.TM_SQDIFF)
    _, _, (bx, by), _ = cv2.minMaxLoc(scores)
    # parabolic refinement of the best match
    dx = dy = 0.0
    if 0 < bx < scores.shape[1] - 1:
        left, mid, right = scores[by, bx - 1 : bx + 2]
        dx = 0.5 * (left - right) / (left - 2 * mid + right)
    if 0 < by < scores.shape[0] - 1:
        up, mid, down = scores[by - 1 : by + 2, bx]
        dy = 0.5 * (up - down) / (up - 2 * mid + down)
    return np.asarray(guess) + (bx + dx - 16, by + dy - 16)


def test_the_warp_takes_each_marked_toe_exactly_where_its_truth_says():
    foot = load("197")
    warp = ToeWarp.for_foot(foot, 8.0)
    lo, hi = warp.tips.min(axis=0) - 80, warp.tips.max(axis=0) + 30
    field = ToeField(warp, lo, hi)
    drive = np.array([8.0, 0.0, 3.0, 0.0, 6.0])
    moved = field.moved(drive)
    # inverting the warp at the true positions gives back the marked points
    back_y = field.source_y(moved, drive)
    assert np.abs(back_y - warp.tips[:, 1]).max() < 0.01
    assert np.abs(moved[:, 0] - warp.tips[:, 0]).max() == 0
    # a toe that was not driven stays put wherever its neighbours' regions do not reach it
    still = (drive == 0) & (np.abs(drive @ field.leak) < 1e-9)
    assert np.allclose(moved[still], warp.tips[still])


@pytest.mark.parametrize("name", ["032", "197", "FOCUS_itw_000010"])
def test_an_oblique_toe_moves_with_its_own_point_along_its_length(name):
    # these feet lie obliquely on their pictures: each toe's axis runs from its point into the
    # foot along the direction marked on the picture, and its skin half a toe spacing back
    # along it moves with that point only
    foot = load(name)
    warp = ToeWarp.for_foot(foot, 8.0)
    assert warp.back @ np.array([0.0, -1.0]) > np.cos(np.radians(25))  # the toes point down the picture
    assert foot.toe_axis @ (load(name, mirror=True).toe_axis * (-1, 1)) == pytest.approx(1.0)
    behind = warp.tips + 0.5 * warp.spacing_px[:, None] * warp.back
    weights = warp._weights(behind)
    assert np.diag(weights).min() > 0.9
    assert (weights - np.diag(np.diag(weights))).max() < 0.1


def test_the_hallux_turns_by_the_angle_it_is_given():
    foot = load("003")
    warp = HalluxWarp.for_foot(foot, 60.0)
    tip = warp.tip(foot.points["hallux_tip"], np.radians(60.0))
    # the turned tip comes back from the inverse warp; heel and joint do not move
    back = warp.source(np.array([tip, foot.points["heel"], foot.points["mtp1"]]), np.radians(60.0))
    assert np.allclose(back[0], foot.points["hallux_tip"], atol=0.01)
    assert np.allclose(back[1:], [foot.points["heel"], foot.points["mtp1"]], atol=1e-6)


def test_a_rendered_lift_shows_in_the_pixels_where_the_truth_puts_it(tmp_path):
    foot = load("030")

    def drive(t):
        return np.outer(lift_pulses(t, [0.0], 9.0, 0.4), [1.0, 0.0, 1.0, 0.0, 0.0])

    truth = render(tmp_path / "lift.mp4", foot, toe_drive=drive, fps=30.0, duration_s=0.25, seed=0)
    frames = _frames(tmp_path / "lift.mp4")
    peak = int(np.argmax(truth.toe_lift_px[:, 0]))
    assert truth.toe_lift_px[peak, 0] > 8.0
    for toe in (1, 3):
        name = f"{foot.foot}_toe{toe}"
        start, end = truth.points[name][0], truth.points[name][peak]
        was = _patch(frames[0], start)
        # what was at the marked point is where the truth puts it, and no longer where it was
        moved_error = np.abs(_patch(frames[peak], end) - was).mean()
        stayed_error = np.abs(_patch(frames[peak], start) - was).mean()
        assert moved_error < 3.0 and stayed_error > 2 * moved_error, (toe, moved_error, stayed_error)
    # the floor beyond the toes does not move
    x, y = truth.points[f"{foot.foot}_toe3"][0].astype(int)
    while foot.alpha[y - 6 : y + 7, x - 6 : x + 7].max() >= 0.01:
        y += 1
    floor = np.array([x, y], float)
    assert np.linalg.norm(_found_shift(frames[0], frames[peak], floor, floor) - floor) < 0.5


def test_the_other_foot_is_the_mirror_image_with_its_points_mirrored():
    right_as_left = load("197", mirror=True)
    original = load("197")
    assert {original.foot, right_as_left.foot} == {"left", "right"}
    width = original.size[0]
    for toe in TOES:
        assert right_as_left.points[toe][0] == pytest.approx(width - 1 - original.points[toe][0])
    points = toelab_points(right_as_left)
    assert points["view"] == "front" and points["foot"] == right_as_left.foot
    # toelab's convention: the right foot shows its big toe on the image's right
    big_toe_right = points["toe1"][0] > points["toe5"][0]
    assert big_toe_right == (points["foot"] == "right")


@pytest.fixture(scope="module")
def tracked_lifts(tmp_path_factory):
    """The big toe, then the third toe, lift 9 px on a scanned foot (030) with sensor noise."""
    foot = load("030")

    def drive(t):
        zero = np.zeros(t.size)
        return np.column_stack(
            [lift_pulses(t, [0.05], 9.0, 0.4), zero, lift_pulses(t, [0.45], 9.0, 0.4), zero, zero]
        )

    path = tmp_path_factory.mktemp("photo") / "lifts.mp4"
    truth = render(path, foot, toe_drive=drive, fps=30.0, duration_s=0.9, noise=2.0, seed=3)
    return truth, track_video(path, parse_points(truth.first_points)).recording


@pytest.mark.parametrize("toe", [1, 3])
def test_the_tracker_follows_a_toe_lift_on_a_scanned_foot_within_1_5_px(tracked_lifts, toe):
    truth, recording = tracked_lifts
    name = f"{truth.foot}_toe{toe}"
    measured = recording.landmarks[name][:, 1]
    true = truth.points[name][:, 1]
    assert np.nanmax(np.abs((measured - measured[0]) - (true - true[0]))) < 1.5
