import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from io_samples import DLC_CSV, DLC_H5, dlc_frame, toe_track, write_video

from toelab import Recording, ToelabError
from toelab.io import detect_format, read, read_deeplabcut

STEM = "toesDLC_resnet50_toesJan1shuffle1_1000"


def predictions(n=6):
    parts = {"BigToe": toe_track(n, 1), "Heel": toe_track(n, 2)}
    likelihood = {"BigToe": np.linspace(0.1, 0.9, n), "Heel": np.full(n, 0.99)}
    return parts, likelihood


def test_predictions_csv_gives_landmarks_confidence_and_frame_times(tmp_path):
    parts, likelihood = predictions()
    path = tmp_path / f"{STEM}.csv"
    dlc_frame(parts, likelihood).to_csv(path)
    rec = read(path, fps=50, foot="right")
    assert detect_format(path) == "deeplabcut"
    assert set(rec.landmarks) == {"right_toe1", "right_heel"}
    np.testing.assert_allclose(rec.landmarks["right_toe1"], parts["BigToe"])
    np.testing.assert_allclose(rec.confidence["right_toe1"], likelihood["BigToe"])
    np.testing.assert_allclose(rec.time_s, np.arange(6) / 50)
    assert rec.meta.source == "deeplabcut" and rec.meta.units == "px" and rec.meta.vertical_axis == "-y"
    assert rec.meta.fps == 50


def test_predictions_h5_reads_the_same_as_csv(tmp_path):
    parts, likelihood = predictions()
    frame = dlc_frame(parts, likelihood)
    frame.to_csv(tmp_path / f"{STEM}.csv")
    frame.to_hdf(tmp_path / f"{STEM}.h5", key="df_with_missing", format="table")
    from_csv = read(tmp_path / f"{STEM}.csv", fps=30)
    from_h5 = read(tmp_path / f"{STEM}.h5", fps=30)
    assert detect_format(tmp_path / f"{STEM}.h5") == "deeplabcut"
    for name in from_csv.landmarks:
        np.testing.assert_allclose(from_h5.landmarks[name], from_csv.landmarks[name])
        np.testing.assert_allclose(from_h5.confidence[name], from_csv.confidence[name])


def test_frame_rate_comes_from_the_video_beside_the_file(tmp_path):
    parts, likelihood = predictions()
    dlc_frame(parts, likelihood).to_csv(tmp_path / f"{STEM}.csv")
    write_video(tmp_path / "toes.mp4", fps=25)
    rec = read(tmp_path / f"{STEM}.csv")
    assert rec.meta.fps == pytest.approx(25)
    np.testing.assert_allclose(rec.time_s, np.arange(6) / 25)
    assert rec.meta.extra["video"].endswith("toes.mp4")


def test_without_fps_or_video_the_frame_rate_is_asked_for(tmp_path):
    parts, likelihood = predictions()
    dlc_frame(parts, likelihood).to_csv(tmp_path / f"{STEM}.csv")
    with pytest.raises(
        ToelabError, match="frame rate unknown: pass --fps N or place the video beside the file"
    ):
        read(tmp_path / f"{STEM}.csv")


def test_multi_animal_individuals_named_left_and_right_are_feet(tmp_path):
    n = 5
    parts = {
        ("L", "BigToe"): toe_track(n, 1),
        ("right", "BigToe"): toe_track(n, 2),
        ("mouse", "snout"): toe_track(n, 3),
    }
    likelihood = {key: np.full(n, 0.8) for key in parts}
    path = tmp_path / f"{STEM}_el.csv"
    dlc_frame(parts, likelihood, individuals=True).to_csv(path)
    rec = read(path, fps=10)
    assert set(rec.landmarks) == {"left_toe1", "right_toe1", "mouse_snout"}
    np.testing.assert_allclose(rec.landmarks["right_toe1"], parts[("right", "BigToe")])
    assert rec.meta.foot == "both"


def test_real_labelled_data_csv_and_h5_load_alike():
    from_csv = read(DLC_CSV, fps=30)
    from_h5 = read(DLC_H5, fps=30)
    assert set(from_csv.landmarks) == {"Hand", "Finger1", "Tongue", "Joystick1", "Joystick2"}
    assert from_csv.n_samples == from_h5.n_samples > 40
    assert from_csv.meta.extra["labelled_data"] is True
    assert np.all(np.diff(from_csv.time_s) > 0)
    assert from_csv.confidence == {}
    # img005.png is frame 5; the tongue is not visible in it
    assert from_csv.time_s[0] == pytest.approx(5 / 30)
    np.testing.assert_allclose(from_csv.landmarks["Hand"][0], [185.25173502386923, 610.3622760638572])
    assert np.isnan(from_csv.landmarks["Tongue"][0]).all()
    for name in from_csv.landmarks:
        np.testing.assert_allclose(from_h5.landmarks[name], from_csv.landmarks[name], equal_nan=True)


def test_two_body_parts_mapping_to_one_name_are_an_error(tmp_path):
    parts = {"BigToe": toe_track(4), "big_toe": toe_track(4, 5)}
    likelihood = {key: np.ones(4) for key in parts}
    dlc_frame(parts, likelihood).to_csv(tmp_path / f"{STEM}.csv")
    with pytest.raises(ToelabError, match="both map to"):
        read(tmp_path / f"{STEM}.csv", fps=30)


def test_h5_without_the_deeplabcut_key_is_reported(tmp_path):
    parts, likelihood = predictions()
    dlc_frame(parts, likelihood).to_hdf(tmp_path / "x.h5", key="other", format="table")
    with pytest.raises(ToelabError, match="unknown kind"):
        read(tmp_path / "x.h5", fps=30)
    with pytest.raises(ToelabError, match="df_with_missing"):
        read_deeplabcut(tmp_path / "x.h5", fps=30)


VALID = DLC_CSV.read_text()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("scorer,a,a\n", "without data rows"),
        ("bodyparts,a,a\ncoords,x,y\n0,1,2\n", "scorer"),
        ("scorer,a,a\nbodyparts,t,t\ncoords,x,q\n0,1,2\n", "coordinate"),
        ("scorer,a,a\nbodyparts,t,t\ncoords,x,y\n0,1\n", "has 2 values"),
        ("scorer,a,a\nbodyparts,t,t\ncoords,x,y\n0,1,zz\n", "not a number"),
        ("scorer,a,a\nbodyparts,t,t\ncoords,x,y\n0,1,2\n0,3,4\n", "appears twice"),
        (
            "scorer,a,a\nbodyparts,t,t\ncoords,x,y\nlabeled-data/v1/a.png,1,2\nlabeled-data/v2/b3.png,3,4\n",
            "neither",
        ),
        (VALID.replace("reachingvideo1/img020", "othervideo/img020"), "2 videos"),
    ],
)
def test_malformed_deeplabcut_csv_is_reported(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ToelabError, match=message) as caught:
        read_deeplabcut(path, fps=30)
    assert caught.value.path == str(path)


@settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_mutated_deeplabcut_csv_gives_a_recording_or_a_clear_error(tmp_path, data):
    base = "\n".join(VALID.splitlines()[:8]).encode()
    blob = bytearray(base)
    for _ in range(data.draw(st.integers(1, 10))):
        blob[data.draw(st.integers(0, len(blob) - 1))] = data.draw(st.integers(0, 255))
    blob = bytes(blob[: data.draw(st.integers(0, len(blob)))])
    path = tmp_path / "fuzz.csv"
    path.write_bytes(blob)
    try:
        assert isinstance(read_deeplabcut(path, fps=30), Recording)
    except ToelabError as error:
        assert error.path == str(path)


def test_labelled_data_with_three_index_columns_reads_frames_from_image_names(tmp_path):
    text = (
        "scorer,,,me,me\n"
        "bodyparts,,,BigToe,BigToe\n"
        "coords,,,x,y\n"
        "labeled-data,walk,img0012.png,5,6\n"
        "labeled-data,walk,img0003.png,1,2\n"
    )
    path = tmp_path / "CollectedData_me.csv"
    path.write_text(text)
    rec = read(path, fps=10)
    np.testing.assert_allclose(rec.time_s, [0.3, 1.2])
    np.testing.assert_allclose(rec.landmarks["toe1"], [[1, 2], [5, 6]])


def test_labelled_data_finds_its_video_in_the_project_and_reads_windows_paths(tmp_path):
    folder = tmp_path / "project" / "labeled-data" / "walk"
    folder.mkdir(parents=True)
    (tmp_path / "project" / "videos").mkdir()
    write_video(tmp_path / "project" / "videos" / "walk.mp4", fps=40)
    text = (
        "scorer,me,me\nbodyparts,Heel,Heel\ncoords,x,y\n"
        "labeled-data\\walk\\img004.png,1,2\nlabeled-data\\walk\\img008.png,3,4\n"
    )
    (folder / "CollectedData_me.csv").write_text(text)
    rec = read(folder / "CollectedData_me.csv")
    assert rec.meta.fps == pytest.approx(40)
    np.testing.assert_allclose(rec.time_s, [0.1, 0.2])
