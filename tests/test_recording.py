import numpy as np
import pytest

from toelab import Recording, ToelabError
from toelab.recording import RecordingMeta


def make_recording(n: int = 50) -> Recording:
    rng = np.random.default_rng(0)
    time_s = np.cumsum(rng.uniform(0.02, 0.04, n))  # irregular, like a phone camera
    return Recording(
        time_s,
        landmarks={"right_toe1": rng.normal(size=(n, 2)), "left_heel": rng.normal(size=(n, 3))},
        confidence={"right_toe1": rng.uniform(size=n)},
        signals={"acc_x": rng.normal(size=n)},
        meta=RecordingMeta(
            fps=30.0,
            foot="both",
            units="px",
            signal_units={"acc_x": "m/s^2"},
            source="test",
            extra={"note": "é"},
        ),
    )


def test_save_and_load_keep_every_value(tmp_path):
    original = make_recording()
    original.landmarks["right_toe1"][3] = np.nan
    loaded = Recording.load(original.save(tmp_path / "r.npz"))
    assert np.array_equal(loaded.time_s, original.time_s)
    for name, xy in original.landmarks.items():
        np.testing.assert_array_equal(loaded.landmarks[name], xy)
    np.testing.assert_array_equal(loaded.confidence["right_toe1"], original.confidence["right_toe1"])
    np.testing.assert_array_equal(loaded.signals["acc_x"], original.signals["acc_x"])
    assert loaded.meta == original.meta


def test_timestamps_must_increase():
    with pytest.raises(ToelabError, match="strictly increasing"):
        Recording(np.array([0.0, 0.1, 0.1]))


def test_landmark_shape_is_checked():
    with pytest.raises(ToelabError, match="shape"):
        Recording(np.arange(4.0), landmarks={"toe1": np.zeros((3, 2))})


def test_resampled_is_uniform_and_keeps_values_on_a_line():
    time_s = np.array([0.0, 0.03, 0.07, 0.1, 0.13, 0.17, 0.2])
    rec = Recording(time_s, signals={"x": 2.0 * time_s})
    uniform = rec.resampled(50.0)
    assert uniform.is_regular()
    np.testing.assert_allclose(uniform.signals["x"], 2.0 * uniform.time_s)


def test_loading_a_foreign_npz_names_the_problem(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, a=np.zeros(3))
    with pytest.raises(ToelabError, match="not a toelab recording"):
        Recording.load(path)


def test_vertical_points_up_in_image_coordinates():
    rec = Recording(np.arange(3.0), landmarks={"toe1": np.array([[0, 10.0], [0, 8.0], [0, 9.0]])})
    np.testing.assert_array_equal(rec.vertical("toe1"), [-10.0, -8.0, -9.0])
