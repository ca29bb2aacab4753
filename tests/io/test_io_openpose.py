import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from io_samples import openpose_person, write_openpose, write_video

from toelab import Recording, ToelabError
from toelab.io import detect_format, read, read_openpose


def frames():
    confident = openpose_person(
        {22: (300.0, 400.0, 0.9), 19: (100.0, 410.0, 0.8), 21: (90.0, 300.0, 0.7)}, 0.6
    )
    faint = openpose_person({22: (5.0, 5.0, 0.1)}, 0.1)
    lost_toe = openpose_person({22: (0.0, 0.0, 0.0), 11: (280.0, 350.0, 0.9)}, 0.6)
    return [[faint, confident], [lost_toe], []]


def test_folder_of_json_gives_foot_landmarks_of_the_most_confident_person(tmp_path):
    folder = write_openpose(tmp_path / "clip", frames())
    rec = read(folder, fps=30)
    assert detect_format(folder) == "openpose"
    assert set(rec.landmarks) == {
        "left_toe1",
        "left_toe5",
        "left_heel",
        "right_toe1",
        "right_toe5",
        "right_heel",
        "left_ankle",
        "right_ankle",
    }
    np.testing.assert_allclose(rec.landmarks["right_toe1"][0], [300, 400])
    np.testing.assert_allclose(rec.confidence["right_toe1"], [0.9, 0.0, 0.0])
    assert np.isnan(rec.landmarks["right_toe1"][1]).all()  # c == 0 means not detected
    np.testing.assert_allclose(rec.landmarks["right_ankle"][1], [280, 350])
    assert np.isnan(rec.landmarks["left_heel"][2]).all()  # nobody in the last frame
    np.testing.assert_allclose(rec.time_s, np.arange(3) / 30)
    assert rec.meta.source == "openpose" and rec.meta.units == "px" and rec.meta.vertical_axis == "-y"


def test_frame_numbers_come_from_the_file_names(tmp_path):
    folder = write_openpose(tmp_path / "clip", frames())
    (folder / "clip_000000000001_keypoints.json").unlink()  # a dropped frame
    rec = read_openpose(folder, fps=10)
    np.testing.assert_allclose(rec.time_s, [0.0, 0.2])


def test_frame_rate_from_the_video_named_like_the_folder(tmp_path):
    folder = write_openpose(tmp_path / "walk", frames(), stem="walk")
    write_video(tmp_path / "walk.mp4", fps=24)
    assert read(folder).meta.fps == pytest.approx(24)


def test_mapping_renames_an_openpose_point(tmp_path):
    rec = read(write_openpose(tmp_path / "c", frames()), fps=30, mapping={"RBigToe": "right_toe2"})
    assert "right_toe2" in rec.landmarks and "right_toe1" not in rec.landmarks


def test_folder_without_json_and_a_single_json_file_are_reported(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ToelabError, match="no OpenPose JSON"):
        read(tmp_path / "empty", fps=30)
    folder = write_openpose(tmp_path / "clip", frames())
    with pytest.raises(ToelabError, match="folder"):
        read(folder / "clip_000000000000_keypoints.json", fps=30)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ('{"people": [', "not valid JSON"),
        ('{"version": 1.3}', "'people'"),
        ('{"people": [{"face": []}]}', "pose_keypoints_2d"),
        (json.dumps({"people": [{"pose_keypoints_2d": [1.0] * 54}]}), "COCO"),
        (json.dumps({"people": [{"pose_keypoints_2d": [1.0] * 10}]}), "expected 75"),
        (json.dumps({"people": [{"pose_keypoints_2d": ["a"] * 75}]}), "not numbers"),
    ],
)
def test_broken_frames_are_reported_with_their_file(tmp_path, document, message):
    folder = write_openpose(tmp_path / "clip", frames())
    broken = folder / "clip_000000000001_keypoints.json"
    broken.write_text(document)
    with pytest.raises(ToelabError, match=message) as caught:
        read_openpose(folder, fps=30)
    assert caught.value.path == str(broken)


@settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_mutated_json_gives_a_recording_or_a_clear_error(tmp_path, data):
    folder = write_openpose(tmp_path / "fuzz", frames()[:1])
    target = folder / "clip_000000000000_keypoints.json"
    blob = bytearray(target.read_bytes())
    for _ in range(data.draw(st.integers(1, 6))):
        blob[data.draw(st.integers(0, len(blob) - 1))] = data.draw(st.integers(0, 255))
    target.write_bytes(bytes(blob[: data.draw(st.integers(0, len(blob)))]))
    try:
        assert isinstance(read_openpose(folder, fps=30), Recording)
    except ToelabError as error:
        assert error.path == str(target)
