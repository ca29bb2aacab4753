import h5py
import numpy as np
import pytest
from io_samples import write_sleap, write_video

from toelab import ToelabError
from toelab.io import detect_format, read, read_sleap


def two_feet(n=8):
    rng = np.random.default_rng(3)
    xy = rng.uniform(0, 640, size=(n, 2, 2, 2))  # frames, nodes, xy, tracks
    xy[2, 0, :, 1] = np.nan  # the right big toe is lost in frame 2
    scores = rng.uniform(0.5, 1.0, size=(n, 2, 2))  # frames, nodes, tracks
    return xy, scores


def test_tracks_named_left_and_right_give_both_feet(tmp_path):
    xy, scores = two_feet()
    path = write_sleap(tmp_path / "toes.analysis.h5", xy, ["big_toe", "heel"], ["left", "right"], scores)
    rec = read(path, fps=60)
    assert detect_format(path) == "sleap"
    assert set(rec.landmarks) == {"left_toe1", "left_heel", "right_toe1", "right_heel"}
    np.testing.assert_allclose(rec.landmarks["left_heel"], xy[:, 1, :, 0])
    np.testing.assert_allclose(rec.confidence["right_toe1"], scores[:, 0, 1])
    assert np.isnan(rec.landmarks["right_toe1"][2]).all()
    np.testing.assert_allclose(rec.time_s, np.arange(8) / 60)
    assert rec.meta.source == "sleap" and rec.meta.foot == "both" and rec.meta.vertical_axis == "-y"


def test_single_unnamed_track_uses_the_foot_option_and_mapping(tmp_path):
    xy, _ = two_feet()
    path = write_sleap(tmp_path / "a.h5", xy[..., :1], ["big_toe", "heel"], [""])
    rec = read(path, fps=30, foot="right", mapping={"heel": "right_mtp1"})
    assert set(rec.landmarks) == {"right_toe1", "right_mtp1"}
    assert rec.confidence == {}


def test_other_track_names_prefix_the_node_names(tmp_path):
    xy, _ = two_feet()
    path = write_sleap(tmp_path / "a.h5", xy, ["big_toe", "heel"], ["subject1", "subject2"])
    rec = read(path, fps=30)
    assert "subject2_heel" in rec.landmarks and "subject1_big_toe" in rec.landmarks


def test_frame_rate_from_the_video_named_by_the_analysis_file(tmp_path):
    xy, _ = two_feet()
    write_video(tmp_path / "toes.mp4", fps=20)
    rec = read(write_sleap(tmp_path / "toes.mp4.analysis.h5", xy, ["big_toe", "heel"], ["L", "R"]))
    assert rec.meta.fps == pytest.approx(20)


def test_frame_rate_from_the_recorded_video_path(tmp_path):
    xy, _ = two_feet()
    write_video(tmp_path / "session.mp4", fps=15)
    path = write_sleap(
        tmp_path / "labels.h5", xy, ["big_toe", "heel"], ["L", "R"], video_path=r"C:\lab\session.mp4"
    )
    assert read(path).meta.fps == pytest.approx(15)


def test_without_fps_or_video_the_frame_rate_is_asked_for(tmp_path):
    xy, _ = two_feet()
    with pytest.raises(ToelabError, match="frame rate unknown"):
        read(write_sleap(tmp_path / "a.h5", xy, ["big_toe", "heel"], ["L", "R"]))


def test_h5_without_sleap_datasets_is_reported(tmp_path):
    path = tmp_path / "other.h5"
    with h5py.File(path, "w") as h5:
        h5["tracks"] = np.zeros((1, 2, 2, 3))
    with pytest.raises(ToelabError, match="unknown kind"):
        read(path, fps=30)
    with pytest.raises(ToelabError, match="node_names"):
        read_sleap(path, fps=30)


def test_tracks_of_the_wrong_shape_are_reported(tmp_path):
    path = tmp_path / "bad.h5"
    with h5py.File(path, "w") as h5:
        h5["tracks"] = np.zeros((1, 3, 2, 3))
        h5["node_names"] = np.array([b"a", b"b"])
    with pytest.raises(ToelabError, match="shape"):
        read_sleap(path, fps=30)


def test_damaged_h5_is_reported(tmp_path):
    xy, _ = two_feet()
    whole = write_sleap(tmp_path / "a.h5", xy, ["big_toe", "heel"], ["L", "R"]).read_bytes()
    cut = tmp_path / "cut.h5"
    cut.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(ToelabError) as caught:
        read(cut, fps=30)
    assert caught.value.path == str(cut)
