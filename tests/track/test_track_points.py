"""Toe points: the points file is checked, and the automatic proposal says when it is unsure."""

from __future__ import annotations

import json

import numpy as np
import pytest
from videogen import render_front, write_frames

from toelab.errors import ToelabError
from toelab.io.video import iter_frames
from toelab.track import load_points, parse_points, propose_points, track_video
from toelab.track.points import foot_label_warning

FRONT = {"view": "front", "foot": "right", **{f"toe{i}": [100.0 + 30 * i, 300.0] for i in range(1, 6)}}
SIDE = {"view": "side", "foot": "left", "heel": [100, 380], "mtp1": [400, 360], "hallux_tip": [480, 355]}


def _write(tmp_path, data) -> str:
    path = tmp_path / "points.json"
    path.write_text(json.dumps(data))
    return path


def test_one_front_foot_loads(tmp_path):
    (foot,) = load_points(_write(tmp_path, FRONT), frame_size=(640, 480))
    assert (foot.view, foot.foot) == ("front", "right")
    assert foot.points["toe3"] == (190.0, 300.0)
    assert foot.landmark("toe1") == "right_toe1"
    assert foot.size_px == pytest.approx(1.15 * 120)


def test_two_feet_load_from_a_list(tmp_path):
    left = {"view": "front", "foot": "left", **{f"toe{i}": [300.0 + 30 * i, 300.0] for i in range(1, 6)}}
    feet = load_points(_write(tmp_path, [FRONT, left]))
    assert [f.foot for f in feet] == ["right", "left"]


def test_side_view_points_load(tmp_path):
    (foot,) = load_points(_write(tmp_path, SIDE))
    assert foot.array().shape == (3, 2)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({k: v for k, v in FRONT.items() if k != "toe4"}, "missing toe4"),
        ({**FRONT, "view": "top"}, "view must be 'front' or 'side'"),
        ({**FRONT, "foot": "middle"}, "foot must be 'left' or 'right'"),
        ({**FRONT, "toe2": [10, "a"]}, r"toe2 must be \[x, y\]"),
        ({**FRONT, "toe5": [700, 300]}, "toe5 at .* is outside the 640x480 frame"),
        ({**SIDE, "toe1": [1, 2]}, "do not belong to the side view"),
        ({**FRONT, "toe2": FRONT["toe1"]}, "same place"),
        ([FRONT, FRONT], "same foot is given twice"),
        # one foot's points copied for the other: one foot would be tracked twice, as two
        ([FRONT, {**FRONT, "foot": "left"}], "right and left foot have toe1, .* at the same place"),
        ([FRONT, {**SIDE, "foot": "right"}], "same foot|same view"),
        ([], "lists no foot"),
    ],
)
def test_bad_points_file_is_explained(tmp_path, data, message):
    with pytest.raises(ToelabError, match=message):
        load_points(_write(tmp_path, data), frame_size=(640, 480))


def test_points_file_that_is_not_json_is_explained(tmp_path):
    path = tmp_path / "points.json"
    path.write_text("toe1 = 100, 200")
    with pytest.raises(ToelabError, match="points.json.*not valid JSON"):
        load_points(path)


# Varied scenes: skin tones light to very dark, plain/wood/tiled floors, one or two feet.
SCENES = [
    ("light", "plain", ("right",)),
    ("medium", "wood", ("left",)),
    ("dark", "tiles", ("right", "left")),
    ("very_dark", "plain", ("right",)),
    ("tan", "tiles", ("right",)),
    ("light", "wood", ("left",)),
]


def _first_frame(path):
    return next(iter_frames(path))[1]


def test_proposal_finds_the_toes_on_most_generated_scenes(tmp_path):
    found = 0
    for k, (skin, floor, feet) in enumerate(SCENES):
        truth = render_front(
            tmp_path / f"s{k}.mp4", None, feet=feet, skin=skin, floor=floor, duration_s=0.1, noise=2, seed=k
        )
        proposal = propose_points(_first_frame(tmp_path / f"s{k}.mp4"))
        if not proposal.ok:
            assert "click" in proposal.message
            continue
        # a confident proposal must be right: each foot labelled, every toe within 8 px
        assert sorted(f.foot for f in proposal.points) == sorted(feet)
        for foot in proposal.points:
            for name, xy in foot.points.items():
                assert np.hypot(*np.subtract(xy, truth.points[foot.landmark(name)][0])) < 8
        found += 1
    assert found >= len(SCENES) - 1


def test_proposal_on_an_empty_floor_asks_for_points(tmp_path):
    rng = np.random.default_rng(0)
    floor = np.clip(rng.normal(150, 3, (480, 640, 3)), 0, 255).astype(np.uint8)
    proposal = propose_points(floor)
    assert not proposal.ok
    assert proposal.confidence < 0.5
    assert "no foot could be told apart from the floor" in proposal.message


def test_side_view_is_not_guessed():
    proposal = propose_points(np.zeros((480, 640, 3), np.uint8), view="side")
    assert not proposal.ok and "front view only" in proposal.message
    assert "needs its points clicked by hand" in proposal.message


def test_tracking_without_points_on_an_unclear_video_asks_for_a_points_file(tmp_path):
    rng = np.random.default_rng(0)
    frames = [np.clip(rng.normal(150, 3, (240, 320, 3)), 0, 255).astype(np.uint8) for _ in range(5)]
    path = write_frames(tmp_path / "floor.mp4", frames, np.arange(5) / 30)
    with pytest.raises(ToelabError, match="--points FILE"):
        track_video(path)


@pytest.mark.parametrize("foot", ["left", "right"])
def test_a_side_view_labelled_as_the_other_foot_is_said_to_be(tmp_path, foot):
    """Seen from its inner side, a left foot's toes point to the picture's right and a right
    foot's to its left: a video whose label says otherwise gets its figures with a warning
    naming the mismatch, and one that agrees gets none."""
    from videogen import render_side

    truth = render_side(tmp_path / "side.mp4", lambda t: 20.0 * np.sin(t) ** 2, duration_s=0.5, foot=foot)
    (points,) = truth.first_points
    toes_right = points["hallux_tip"][0] > points["heel"][0]
    assert toes_right == (foot == "left")
    agreed = track_video(tmp_path / "side.mp4", parse_points(points))
    assert not [w for w in agreed.warnings if "inner side" in w]
    other = "right" if foot == "left" else "left"
    swapped = track_video(tmp_path / "side.mp4", parse_points({**points, "foot": other}))
    (line,) = [w for w in swapped.warnings if "inner side" in w]
    assert f"points are for the {other} foot" in line and f"as a {foot} foot's do" in line
    # the front view's toe order also tells a view from above from one in front: no warning
    assert foot_label_warning(load_points(_write(tmp_path, {**FRONT, "foot": "left"}))[0]) is None


def test_points_outside_the_video_are_named_as_the_points_to_fix(tmp_path):
    """The points file was read before the video's size was known: the error names the points
    (which the person fixes) and the video's frame, not the video alone."""
    frames = [np.full((240, 320, 3), 150, np.uint8) for _ in range(5)]
    path = write_frames(tmp_path / "feet.mp4", frames, np.arange(5) / 30)
    (foot,) = parse_points({**FRONT, "toe5": [400.0, 300.0]})  # outside 320x240
    with pytest.raises(
        ToelabError, match=r"^the points for feet\.mp4: .*toe[0-9] at .* is outside the 320x240 frame"
    ):
        track_video(path, [foot])


def test_a_toe_unsure_from_the_first_frame_is_not_said_to_be_hidden(tmp_path):
    """A real photo (FOUND_itw_3) made into a still video, its 2nd toe smoothed to skin without
    any mark: that toe holds too few features of its own from the first frame on, which is what
    the warning says, with how to film; not "hidden, blurred or out of view" (said of toes 17 px
    apart on a sharp, still picture)."""
    import cv2
    from photovideo import load, toelab_points

    foot = load("FOUND_itw_3")
    image = np.clip(foot.image, 0, 255).astype(np.uint8)
    x, y = np.round(foot.points["toe2"]).astype(int)
    disc = np.zeros(image.shape[:2], np.uint8)
    cv2.circle(disc, (int(x), int(y)), 9, 255, -1)
    smooth = np.full_like(image, np.median(image[disc > 0], axis=0).astype(np.uint8))
    image = np.where(disc[..., None] > 0, smooth, image)
    path = write_frames(tmp_path / "still.mp4", [image] * 30, np.arange(30) / 30)
    warnings = track_video(path, parse_points(toelab_points(foot))).warnings
    toe2 = [w for w in warnings if w.startswith(f"{foot.foot}_toe2")]
    assert toe2 and "too few features of its own to follow from the first frame on" in toe2[0]
    assert "film closer" in toe2[0]
    assert not any("hidden, blurred or out of view" in w for w in warnings)
