"""Each toe's own pixels (``toe_regions``): skin told from a busy floor, each toe kept apart from
its neighbours, and the plain box kept where colour cannot tell skin from floor."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from toelab.track import parse_points
from toelab.track.toe_regions import NOT_SKIN, skin_model
from toelab.track.tracker import ToeTracker

SKIN_BGR = (150, 170, 215)


def _oblique_foot(floor: str, seed: int = 0, smooth: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """A right foot seen from above on a 480x360 picture, toes pointing to the lower right
    (the row of toe points at 45°), on a floor of granite-like grey speckles or of skin's own
    colour. Returns the picture and the five toe points (big toe first)."""
    rng = np.random.default_rng(seed)
    height, width = 360, 480
    if floor == "granite":
        speckle = cv2.GaussianBlur(rng.normal(0, 1, (height, width)).astype(np.float32), (0, 0), 1.5)
        grey = np.clip(120 + 260 * speckle, 20, 235)
        image = np.repeat(grey[..., None], 3, axis=2)
    else:
        image = np.empty((height, width, 3), np.float32)
        image[:] = SKIN_BGR
        image += rng.normal(0, 3, image.shape)
    along = np.array([1.0, -1.0]) / np.sqrt(2)  # little toe -> big toe
    back = np.array([-1.0, -1.0]) / np.sqrt(2)  # tips -> ankle
    centre = np.array([250.0, 200.0])
    points = np.array([centre + along * a for a in (52.0, 26.0, 0.0, -24.0, -46.0)])
    skin = np.zeros((height, width), np.uint8)
    body = np.array(
        [
            centre + back * 40 + along * 80,
            centre + back * 40 - along * 80,
            centre + back * 300 - along * 80,
            centre + back * 300 + along * 80,
        ]
    )
    cv2.fillConvexPoly(skin, np.round(body).astype(np.int32), 255)
    for point, radius in zip(points, (13, 10, 9, 9, 8), strict=True):
        end = point + back * 45
        cv2.line(skin, tuple(np.round(point).astype(int)), tuple(np.round(end).astype(int)), 255, 2 * radius)
        cv2.circle(skin, tuple(np.round(point).astype(int)), radius, 255, -1)
    # the skin's own texture: creases and a little shading (faint where ``smooth``)
    texture = cv2.GaussianBlur(rng.normal(0, 1, (height, width)).astype(np.float32), (0, 0), 1.0)
    skin_colour = np.array(SKIN_BGR, np.float32) + (4 if smooth else 60) * texture[..., None]
    image = np.where(skin[..., None] > 0, skin_colour, image)
    return np.clip(image, 0, 255).astype(np.uint8), points


def _geometry(points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    gaps = np.array(
        [np.min(np.linalg.norm(np.delete(points, i, axis=0) - p, axis=1)) for i, p in enumerate(points)]
    )
    along = (points[0] - points[-1]) / np.linalg.norm(points[0] - points[-1])
    up = np.array([along[1], -along[0]])
    return gaps, along, up if up[1] < 0 else -up


def test_on_a_busy_floor_each_toe_gets_its_own_skin_and_no_floor():
    image, points = _oblique_foot("granite")
    gaps, along, up = _geometry(points)
    model = skin_model(image, points, gaps, along, up)
    assert model is not None
    labels = model.toe_labels((150, 100, 350, 300))
    for toe, point in enumerate(points):
        x, y = np.round(point).astype(int) - (150, 100)
        assert labels[y, x] == toe
    # beyond the tips (towards the lower right) lies floor only
    beyond = points.mean(axis=0) - 2.0 * up * gaps.mean()
    x, y = np.round(beyond).astype(int) - (150, 100)
    assert (labels[y - 3 : y + 4, x - 3 : x + 4] == NOT_SKIN).all()


def test_a_floor_of_skin_colour_leaves_the_toes_their_boxes():
    image, points = _oblique_foot("skin")
    gaps, along, up = _geometry(points)
    assert skin_model(image, points, gaps, along, up) is None
    assert skin_model(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), points, gaps, along, up) is None


@pytest.mark.parametrize(
    ("floor", "in_colour", "told"),
    [("granite", True, True), ("skin", True, False), ("granite", False, False)],
)
def test_the_tracker_says_whether_it_told_the_toes_from_the_floor(floor, in_colour, told):
    image, points = _oblique_foot(floor)
    foot = {"view": "front", "foot": "right"}
    foot.update({f"toe{i + 1}": [float(v) for v in p] for i, p in enumerate(points)})
    first = image if in_colour else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    assert ToeTracker(parse_points(foot), first, 0.0).toes_told_from_floor == {"right": told}


def test_the_tracker_says_how_much_of_the_foot_body_it_follows_on_skin():
    image, points = _oblique_foot("granite")
    foot = {"view": "front", "foot": "right"}
    foot.update({f"toe{i + 1}": [float(v) for v in p] for i, p in enumerate(points)})
    # the body behind the toes lies on the foot's skin (the toes point to the lower right)
    assert ToeTracker(parse_points(foot), image, 0.0).body_features_on_skin_pct["right"] >= 80.0
    # no colour model: the share is not known
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    assert ToeTracker(parse_points(foot), grey, 0.0).body_features_on_skin_pct == {}


@pytest.mark.parametrize("mirror", [False, True])
def test_the_tracker_looks_for_a_toes_features_on_its_skin_only(mirror):
    image, points = _oblique_foot("granite", seed=1)
    if mirror:
        image = cv2.flip(image, 1)
        points = points * (-1, 1) + (image.shape[1] - 1, 0)
    foot = {"view": "front", "foot": "left" if mirror else "right"}
    foot.update({f"toe{i + 1}": [float(v) for v in p] for i, p in enumerate(points)})
    skin = cv2.cvtColor(image, cv2.COLOR_BGR2LAB)[..., 1] > 135  # skin is redder than grey granite
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    with_colour = ToeTracker(parse_points(foot), grey, 0.0, first_colour=image).feet[0].toes
    grey_only = ToeTracker(parse_points(foot), grey, 0.0).feet[0].toes
    on_floor = [not skin[int(round(y)), int(round(x))] for x, y in with_colour.pts[with_colour.valid]]
    assert sum(on_floor) == 0
    assert (with_colour.valid.sum(axis=1) >= 5).all()
    # without colour the boxes reach onto the floor beyond the tips
    on_floor_grey = [not skin[int(round(y)), int(round(x))] for x, y in grey_only.pts[grey_only.valid]]
    assert sum(on_floor_grey) >= 3


def test_a_toe_of_smooth_skin_keeps_the_features_of_its_box():
    image, points = _oblique_foot("granite", seed=2, smooth=True)
    foot = {"view": "front", "foot": "right"}
    foot.update({f"toe{i + 1}": [float(v) for v in p] for i, p in enumerate(points)})
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    with_colour = ToeTracker(parse_points(foot), grey, 0.0, first_colour=image).feet[0].toes.valid.sum(axis=1)
    grey_only = ToeTracker(parse_points(foot), grey, 0.0).feet[0].toes.valid.sum(axis=1)
    # a toe short of features of its own is tracked from its box's as well, as without colour
    assert (with_colour >= np.minimum(grey_only, 6)).all()
    assert grey_only.sum() >= 5


def _little_toe_lift_frames(lift_px: np.ndarray, seed: int = 4) -> tuple[list[np.ndarray], dict]:
    """Frames of a right foot seen from the front on a granite floor whose little toe (small,
    its box mostly floor) lifts by ``lift_px`` per frame; the other toes and the floor stay."""
    rng = np.random.default_rng(seed)
    height, width = 240, 320
    speckle = cv2.GaussianBlur(rng.normal(0, 1, (height, width)).astype(np.float32), (0, 0), 1.2)
    floor = np.repeat(np.clip(120 + 300 * speckle, 10, 245)[..., None], 3, axis=2)
    texture = cv2.GaussianBlur(rng.normal(0, 1, (height, width)).astype(np.float32), (0, 0), 1.0)
    skin = np.array(SKIN_BGR, np.float32) + 60 * texture[..., None]
    points = np.array([[110.0, 150.0], [140.0, 148.0], [165.0, 150.0], [187.0, 153.0], [206.0, 157.0]])
    body, little = np.zeros((height, width), np.uint8), np.zeros((height, width), np.uint8)
    cv2.rectangle(body, (88, 20), (214, 125), 255, -1)
    for i, (point, radius) in enumerate(zip(points, (13, 10, 9, 8, 5), strict=True)):
        target = little if i == 4 else body
        x, y = np.round(point).astype(int)
        cv2.rectangle(target, (x - radius, 100), (x + radius, y), 255, -1)
        cv2.circle(target, (x, y), radius, 255, -1)
    frames = []
    for lift in lift_px:
        up = np.float32([[1, 0, 0], [0, 1, -lift]])
        moved_mask = cv2.warpAffine(little, up, (width, height), flags=cv2.INTER_LINEAR) > 127
        moved_skin = cv2.warpAffine(skin, up, (width, height), flags=cv2.INTER_LINEAR)
        image = np.where(body[..., None] > 0, skin, floor)
        image = np.where(moved_mask[..., None], moved_skin, image)
        frames.append(np.clip(image, 0, 255).astype(np.uint8))
    foot = {"view": "front", "foot": "right"}
    foot.update({f"toe{i + 1}": [float(v) for v in p] for i, p in enumerate(points)})
    return frames, foot


def test_a_little_toe_on_a_busy_floor_is_followed_when_its_skin_is_told_from_the_floor():
    # the little toe fills half its box; the floor's corners outnumber its own, and followed by
    # its features (as on a grey picture) its 8 px lift read about 0.3 px
    t = np.arange(45) / 30.0
    lift = 8.0 * np.sin(np.pi * np.clip((t - 0.2) / 1.0, 0, 1)) ** 2
    frames, foot = _little_toe_lift_frames(lift)
    grey = [cv2.cvtColor(f, cv2.COLOR_BGR2GRAY) for f in frames]
    tracker = ToeTracker(parse_points(foot), grey[0], 0.0, first_colour=frames[0])
    states = [tracker.initial_state] + [tracker.update(g, k / 30.0) for k, g in enumerate(grey[1:], 1)]
    y = np.array([s.points["right_toe5"].xy[1] for s in states])
    assert np.nanmax(np.abs((y[0] - y) - lift)) < 0.5
    # the toes that stay, stay
    for toe in (1, 2, 3, 4):
        y = np.array([s.points[f"right_toe{toe}"].xy[1] for s in states])
        assert np.nanmax(np.abs(y - y[0])) < 0.5
