"""What of a toe's motion against its foot follows the foot's own motion on the picture (the
tracker's error as the camera moves) is taken off; a toe's own shaking is kept."""

from __future__ import annotations

import numpy as np
import pytest

from toelab.analysis.picture_motion import camera_shaking_px, following_part, toes_without_the_foot_s_motion
from toelab.analysis.tremor import tremor_from_recording
from toelab.recording import Recording, RecordingMeta

RATE_HZ = 30.0
TOES = {"right_toe1": (300.0, 400.0), "right_toe3": (260.0, 405.0), "right_toe5": (220.0, 415.0)}


def _band_noise(n: int, rng: np.random.Generator, size_px: float) -> np.ndarray:
    """Smooth random motion in the tremor band (px)."""
    white = rng.normal(0, 1, n + 8)
    smooth = np.convolve(white, np.ones(3) / 3, mode="same")[4:-4]
    return size_px * smooth / smooth.std()


def _recording(
    toe_motion: np.ndarray,
    foot_motion: np.ndarray,
    floor: np.ndarray | None = None,
    body_on_skin_pct: float = 90.0,
) -> Recording:
    """A tracked front view: the foot's motion on the picture (a pure shift, px) and each toe's
    motion against its foot; ``floor`` the floor's shift where it was followed."""
    n = foot_motion.shape[0]
    t = np.arange(n) / RATE_HZ
    landmarks = {
        name: np.column_stack([x + toe_motion[:, 0], y + toe_motion[:, 1]]) for name, (x, y) in TOES.items()
    }
    signals = {
        "right_foot_dx_px": foot_motion[:, 0],
        "right_foot_dy_px": foot_motion[:, 1],
        "right_foot_rotation_deg": np.zeros(n),
        "right_foot_scale": np.ones(n),
    }
    if floor is not None:
        signals["right_floor_dx_px"], signals["right_floor_dy_px"] = floor[:, 0], floor[:, 1]
    # the toe points as given (the foot's body above them in the picture), its body followed on skin
    points = {
        "view": "front",
        "foot": "right",
        **{f"toe{k}": [300.0 - 20 * (k - 1), 400.0] for k in range(1, 6)},
    }
    extra = {"points": [points], "foot_body_features_on_skin_pct": {"right": body_on_skin_pct}}
    meta = RecordingMeta(fps=RATE_HZ, foot="right", view="front", units="px", source="video", extra=extra)
    return Recording(t, landmarks, {}, signals, meta)


def test_the_foot_s_tracking_jitter_carried_into_the_toes_is_taken_off():
    rng = np.random.default_rng(1)
    n = 240
    # the foot's tracked pose jitters as the picture drifts; the toes, still on the picture,
    # carry it back (against the foot) with a gain of -1
    jitter = np.column_stack([_band_noise(n, rng, 0.3), _band_noise(n, rng, 0.3)])
    before = tremor_from_recording(_recording(-jitter, jitter))
    after = tremor_from_recording(toes_without_the_foot_s_motion(_recording(-jitter, jitter)))
    assert before.rms_amplitude > 0.2  # read as a movement of the toes
    assert after.rms_amplitude < 0.15 * before.rms_amplitude


def test_a_toe_s_own_shaking_is_kept_under_a_moving_camera():
    rng = np.random.default_rng(2)
    t = np.arange(240) / RATE_HZ
    shake = np.column_stack([np.zeros_like(t), 1.5 * np.sin(2 * np.pi * 6.0 * t)])
    # the camera shakes at 8 Hz; the foot's tracking keeps 20 % of it in the toes
    camera = np.outer(1.5 * np.sin(2 * np.pi * 8.0 * t), [0.8, 0.6]) + 0.02 * rng.normal(size=(t.size, 2))
    result = tremor_from_recording(toes_without_the_foot_s_motion(_recording(shake + 0.2 * camera, camera)))
    assert result.classification == "rhythmic"
    assert result.dominant_frequency_hz == pytest.approx(6.0, abs=0.2)
    assert result.amplitude == pytest.approx(1.5, rel=0.1)


def test_a_toe_shaking_on_a_still_foot_keeps_its_shaking_though_its_foot_s_pose_follows_a_little():
    t = np.arange(240) / RATE_HZ
    shake = np.column_stack([np.zeros_like(t), 1.5 * np.sin(2 * np.pi * 6.0 * t)])
    # the foot's tracked pose moves with 1 % of the toes' shaking: not the foot's error
    recording = _recording(shake, 0.01 * shake)
    result = tremor_from_recording(toes_without_the_foot_s_motion(recording))
    assert result.amplitude == pytest.approx(tremor_from_recording(recording).amplitude, rel=0.02)


def test_a_foot_followed_mostly_on_the_floor_keeps_its_toes_motion_as_it_is():
    """Where the foot's body was followed on the floor, the foot's tracked motion carries part of
    its own shaking; the toes' motion, the rest of it, is not taken off with it."""
    t = np.arange(240) / RATE_HZ
    shake = np.column_stack([np.zeros_like(t), 1.5 * np.sin(2 * np.pi * 4.0 * t)])
    recording = _recording(0.5 * shake, 0.5 * shake, body_on_skin_pct=20.0)
    cleaned = toes_without_the_foot_s_motion(recording)
    for name, xy in recording.landmarks.items():
        np.testing.assert_array_equal(cleaned.landmarks[name], xy)
    on_skin = toes_without_the_foot_s_motion(_recording(0.5 * shake, 0.5 * shake))
    assert not np.allclose(on_skin.landmarks["right_toe1"], recording.landmarks["right_toe1"])


def test_following_part_fits_only_where_the_reference_moves():
    t = np.arange(240) / RATE_HZ
    along = np.sin(2 * np.pi * 5.0 * t)
    reference = np.column_stack([along, 1e-6 * np.cos(2 * np.pi * 3.0 * t)])  # a shake along one line
    values = 0.5 * along + np.cos(2 * np.pi * 3.0 * t)
    np.testing.assert_allclose(following_part(values, reference), 0.5 * along, atol=1e-6)


def test_the_camera_s_shaking_is_read_at_the_rhythm_asked_for():
    t = np.arange(300) / RATE_HZ
    floor = np.outer(1.5 * np.sin(2 * np.pi * 8.0 * t), [0.6, 0.8])
    recording = _recording(np.zeros((t.size, 2)), floor, floor)
    assert camera_shaking_px(recording, 8.0) == pytest.approx(1.5, rel=0.1)
    assert camera_shaking_px(recording, 6.0) < 0.1  # a shake 2 Hz away is not this rhythm's
    assert camera_shaking_px(recording, None) == pytest.approx(1.5, rel=0.1)
    # no picture motion in a landmark file
    assert camera_shaking_px(Recording(t, {"right_toe1": np.zeros((t.size, 2))}), 8.0) is None
