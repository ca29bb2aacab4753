"""The side view's foot body alignment on a picture that did not move: no shift, whatever the
size of the body's box (an odd-sized box halved is scaled by a little more than a half, and
the body aligned on it sat 0.6 px off on a still picture, moving the joint and the angle)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from toelab.track.tracker import _aligned_body, _cut_body_look, _even, _half


def _textured(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    noise = rng.normal(128, 40, (480, 640)).astype(np.float32)
    return np.clip(cv2.GaussianBlur(noise, (0, 0), 3.0) * 4 - 384, 0, 255).astype(np.uint8)


@pytest.mark.parametrize(("width", "height"), [(300, 120), (301, 120), (300, 121), (301, 121)])
def test_a_still_body_is_aligned_where_it_was(width, height):
    gray = _textured()
    x0, y0 = 100.0, 200.0
    outline = np.array([[x0, y0], [x0 + width, y0], [x0 + width, y0 + height], [x0, y0 + height]])
    look = _cut_body_look(gray, outline)
    assert look is not None
    found = _aligned_body(look, _half(_even(gray)).astype(np.float32), np.array([[1.0, 0, 0], [0, 1.0, 0]]))
    assert found is not None
    # a joint at the box's far corner stays where it was
    corner = np.array([x0 + width, y0 + height, 1.0])
    assert np.hypot(*(found @ corner - corner[:2])) < 0.1
