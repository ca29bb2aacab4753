import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from io_samples import C3D_FILE, DLC_CSV, write_video

from toelab import Recording, ToelabError
from toelab.io import detect_format, read
from toelab.recording import RecordingMeta


def test_format_is_picked_by_content_not_by_extension(tmp_path):
    disguised_dlc = tmp_path / "points.txt"
    disguised_dlc.write_bytes(DLC_CSV.read_bytes())
    disguised_c3d = tmp_path / "trial.dat"
    disguised_c3d.write_bytes(C3D_FILE.read_bytes())
    plain = tmp_path / "data.c3d"
    plain.write_text("time,acc_x\n0,1\n0.1,2\n")
    assert detect_format(disguised_dlc) == "deeplabcut"
    assert detect_format(disguised_c3d) == "c3d"
    assert detect_format(plain) == "csv"
    assert read(plain).signals["acc_x"].tolist() == [1.0, 2.0]


def test_toelab_recording_loads_back_unchanged(tmp_path):
    original = Recording(
        np.array([0.0, 0.04, 0.07]),
        landmarks={"right_toe1": np.array([[1.0, 2.0], [np.nan, np.nan], [3.0, 4.0]])},
        signals={"acc_x": np.array([0.1, 0.2, 0.3])},
        meta=RecordingMeta(fps=25.0, source="csv"),
    )
    path = original.save(tmp_path / "session.npz")
    assert detect_format(path) == "toelab"
    loaded = read(path)
    np.testing.assert_array_equal(loaded.landmarks["right_toe1"], original.landmarks["right_toe1"])
    assert loaded.meta == original.meta


def test_zip_that_is_not_a_recording_is_reported(tmp_path):
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Accelerometer.csv", "time,seconds_elapsed,z,y,x\n")
    with pytest.raises(ToelabError, match="not a toelab recording"):
        read(path)


def test_damaged_recording_is_reported(tmp_path):
    path = tmp_path / "broken.npz"
    np.savez(
        path, __toelab_recording__=np.frombuffer(b'{"version": 1, "meta": {"colour": 1}}', dtype=np.uint8)
    )
    with pytest.raises(ToelabError) as caught:
        read(path)
    assert caught.value.path == str(path)


def test_video_passed_as_data_is_explained(tmp_path):
    video = write_video(tmp_path / "clip.mp4", fps=30)
    with pytest.raises(ToelabError, match="video"):
        read(video)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary", "unknown binary"),
        (b"# only a comment\n\n", "no data"),
        (b'{"a": 1}', "JSON"),
    ],
)
def test_files_that_hold_no_supported_data_are_reported(tmp_path, content, message):
    path = tmp_path / "input"
    path.write_bytes(content)
    with pytest.raises(ToelabError, match=message) as caught:
        read(path)
    assert caught.value.path == str(path)


def test_missing_path_and_empty_folder_are_reported(tmp_path):
    with pytest.raises(ToelabError, match="not found"):
        read(tmp_path / "missing.csv")
    with pytest.raises(ToelabError, match="no OpenPose JSON"):
        read(tmp_path)


def test_bad_fps_is_reported(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("frame,v\n0,1\n1,2\n")
    with pytest.raises(ToelabError, match="not a positive number"):
        read(path, fps=0)


SEEDS = [
    b"time,toe1_x,toe1_y\n0,1,2\n0.1,2,3\n",
    DLC_CSV.read_bytes()[:600],
    b"\x89HDF\r\n\x1a\n" + bytes(100),
    b"PK\x03\x04" + bytes(60),
    C3D_FILE.read_bytes()[:3000],
]


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_any_file_gives_a_recording_or_a_clear_error(tmp_path, data):
    blob = bytearray(data.draw(st.sampled_from(SEEDS)))
    for _ in range(data.draw(st.integers(0, 6))):
        blob[data.draw(st.integers(0, len(blob) - 1))] = data.draw(st.integers(0, 255))
    blob = bytes(blob[: data.draw(st.integers(0, len(blob)))]) + data.draw(st.binary(max_size=20))
    path = tmp_path / "fuzz.bin"
    path.write_bytes(blob)
    try:
        assert isinstance(read(path, fps=30), Recording)
    except ToelabError as error:
        assert error.path == str(path)


def test_a_c3d_file_cut_anywhere_in_its_parameters_gives_a_clear_error(tmp_path):
    # a cut just after a parameter's name once left its type byte the file's last
    seed = C3D_FILE.read_bytes()[:3000]
    path = tmp_path / "cut.c3d"
    for cut in range(520, 1100):
        path.write_bytes(seed[:cut] + b"!\x00\x00\x00")
        try:
            read(path)
        except ToelabError as error:
            assert error.path == str(path)


def test_a_read_recording_saves_and_reads_back_with_its_metadata(tmp_path):
    original = read(C3D_FILE)
    loaded = read(original.save(tmp_path / "trial.npz"))
    assert loaded.meta == original.meta
    np.testing.assert_array_equal(loaded.landmarks["left_toe1"], original.landmarks["left_toe1"])
