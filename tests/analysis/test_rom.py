import json

import numpy as np
import pytest

from toelab import Recording, ToelabError
from toelab.analysis.rom import grade_range, hallux_extension_deg, rom_from_recording
from toelab.recording import RecordingMeta
from toelab.synthetic.movement import rom_recording


@pytest.mark.parametrize("dims", [2, 3])
@pytest.mark.parametrize("max_deg", [8.0, 25.0, 45.0, 72.0])
def test_angle_from_exact_landmarks_is_within_1_degree(dims, max_deg):
    recording, truth = rom_recording(max_deg, dims=dims)
    result = rom_from_recording(recording, "right")
    np.testing.assert_allclose(result.angle_deg, truth["angle_deg"], atol=1e-6)
    assert abs(result.max_extension_deg - truth["max_extension_deg"]) < 1.0
    assert abs(result.time_of_max_s - truth["time_of_max_s"]) < 0.1


def test_bending_down_is_negative_and_in_line_is_zero():
    reference = np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]])
    mtp1 = np.array([[10.0, 0.0]] * 3)
    tip = np.array([[15.0, 0.0], [15.0, -5.0], [15.0, 5.0]])  # in line, up (−y), down
    np.testing.assert_allclose(hallux_extension_deg(reference, mtp1, tip), [0.0, 45.0, -45.0], atol=1e-9)


def test_3d_sign_comes_from_the_vertical_axis():
    reference = np.array([0.0, 0.0, 0.0])
    mtp1 = np.array([0.0, 10.0, 0.0])
    up_tip = np.array([0.0, 15.0, 5.0])
    assert hallux_extension_deg(reference, mtp1, up_tip) == pytest.approx(45.0)
    assert hallux_extension_deg(reference, mtp1, up_tip, up=(0, 0, -1)) == pytest.approx(-45.0)


def test_one_glitched_frame_does_not_set_the_maximum():
    recording, truth = rom_recording(40.0)
    tip = recording.landmarks["right_hallux_tip"]
    tip[10] = recording.landmarks["right_mtp1"][10] + [0.0, -50.0]  # one frame straight up: 90°
    result = rom_from_recording(recording)
    assert abs(result.max_extension_deg - truth["max_extension_deg"]) < 1.0


@pytest.mark.parametrize(
    ("max_deg", "grade"), [(75.0, None), (61.0, None), (50.0, 0), (35.0, 1), (20.0, 2), (10.0, 3), (4.0, 3)]
)
def test_grade_ranges_follow_coughlin_and_shurnas(max_deg, grade):
    assert grade_range(max_deg) == grade


def test_a_stiff_big_toe_is_described_in_range_words_not_diagnosed():
    recording, _ = rom_recording(25.0, noise_px=0.3)
    result = rom_from_recording(recording)
    assert result.grade == 2
    assert result.grade_text.startswith("in the range of grade 2")
    assert "examination" in result.grade_text
    assert result.toe_off_sufficient is False
    assert any("65°" in note and "knee" in note for note in result.notes)


def test_a_flexible_big_toe_is_enough_for_toe_off():
    recording, _ = rom_recording(75.0, dims=3)
    result = rom_from_recording(recording)
    assert result.grade is None
    assert "not in the range" in result.grade_text
    assert result.toe_off_sufficient is True
    assert result.notes == ()


def test_toe1_and_first_metatarsal_base_are_accepted_instead():
    recording, truth = rom_recording(30.0)
    landmarks = {
        "right_toe1": recording.landmarks["right_hallux_tip"],
        "right_mtp1": recording.landmarks["right_mtp1"],
        "right_mt1_base": recording.landmarks["right_heel"],
    }
    renamed = Recording(recording.time_s, landmarks, meta=recording.meta)
    assert abs(rom_from_recording(renamed).max_extension_deg - truth["max_extension_deg"]) < 1.0


def test_missing_points_are_named():
    recording = Recording(
        np.arange(5.0), {"right_toe1": np.zeros((5, 2))}, meta=RecordingMeta(foot="right", view="side")
    )
    with pytest.raises(ToelabError, match="mtp1") as error:
        rom_from_recording(recording, "right")
    assert "mt1_base or heel" in str(error.value)


def test_front_view_gets_a_warning_and_result_is_json_ready():
    recording, _ = rom_recording(50.0, view="front")
    result = rom_from_recording(recording)
    assert any("side view" in w for w in result.warnings)
    data = json.loads(json.dumps(result.as_dict()))
    assert data["grade"] == 0 and data["max_extension_deg"] == pytest.approx(50.0, abs=1.0)
