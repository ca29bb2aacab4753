import numpy as np
import pytest
from io_samples import C3D_FILE, write_c3d

from toelab import ToelabError
from toelab.io import detect_format, read, read_c3d

OXFORD = ["LHLX", "RD1M", "LP1M", "RTOE", "LHEE", "RHEE"]


def markers(n_frames=50):
    rng = np.random.default_rng(4)
    return rng.uniform(-500, 500, size=(len(OXFORD), n_frames, 3))


def test_oxford_foot_model_markers_get_toelab_names_in_lab_coordinates(tmp_path):
    xyz = markers()
    path = write_c3d(tmp_path / "ofm.c3d", OXFORD, xyz, rate_hz=200.0)
    rec = read(path)
    assert detect_format(path) == "c3d"
    assert set(rec.landmarks) == {
        "left_hallux_tip",
        "right_mtp1",
        "left_mt1_base",
        "right_forefoot",
        "left_heel",
        "right_heel",
    }
    np.testing.assert_allclose(rec.landmarks["right_mtp1"], xyz[1], rtol=1e-6)
    np.testing.assert_allclose(rec.time_s, np.arange(50) / 200.0)
    assert rec.meta.units == "mm" and rec.meta.mm_per_unit == 1.0 and rec.meta.vertical_axis == "+z"
    assert rec.meta.fps == 200.0 and rec.meta.source == "c3d" and rec.meta.foot == "both"


def test_metres_give_the_scale_to_millimetres(tmp_path):
    rec = read_c3d(write_c3d(tmp_path / "m.c3d", OXFORD, markers() / 1000, units="m"))
    assert rec.meta.units == "m" and rec.meta.mm_per_unit == 1000.0


def test_negative_residual_and_zero_position_are_gaps(tmp_path):
    xyz = markers(10)
    xyz[0, 3] = 0.0
    residuals = np.ones((len(OXFORD), 10))
    residuals[1, 5] = -1.0
    rec = read_c3d(write_c3d(tmp_path / "gaps.c3d", OXFORD, xyz, residuals=residuals))
    assert np.isnan(rec.landmarks["left_hallux_tip"][3]).all()
    assert np.isnan(rec.landmarks["right_mtp1"][5]).all()
    assert np.isfinite(rec.landmarks["right_mtp1"][4]).all()


def test_mapping_and_default_foot_apply_to_marker_names(tmp_path):
    rec = read_c3d(
        write_c3d(tmp_path / "x.c3d", ["HLX", "TOE1"], markers()[:2]),
        foot="left",
        mapping={"TOE1": "left_toe2"},
    )
    assert set(rec.landmarks) == {"left_hallux_tip", "left_toe2"}


def test_real_vicon_toe_cluster_file_loads():
    rec = read(C3D_FILE)
    assert rec.n_samples == 4564 and rec.meta.fps == 240.0
    assert rec.meta.units == "mm" and rec.meta.vertical_axis == "+z"
    assert {"left_toe1", "left_toe4", "right_toe1", "right_toe4"} <= set(rec.landmarks)
    assert rec.landmarks["right_toe1"].shape == (4564, 3)
    assert rec.meta.extra["unlabelled_markers"] == 3
    assert rec.time_s[-1] == pytest.approx(4563 / 240)
    assert np.isfinite(rec.landmarks["left_toe1"]).mean() > 0.5


def test_cut_short_c3d_is_reported(tmp_path):
    cut = tmp_path / "cut.c3d"
    cut.write_bytes(C3D_FILE.read_bytes()[:1_000_000])
    with pytest.raises(ToelabError, match="cut short") as caught:
        read(cut)
    assert caught.value.path == str(cut)


def test_damaged_parameter_section_is_reported(tmp_path):
    data = bytearray(C3D_FILE.read_bytes())
    data[520:600] = b"\xff" * 80
    damaged = tmp_path / "damaged.c3d"
    damaged.write_bytes(bytes(data))
    with pytest.raises(ToelabError, match="damaged"):
        read_c3d(damaged)


def test_a_file_that_is_not_c3d_is_reported(tmp_path):
    other = tmp_path / "x.c3d"
    other.write_text("time,v\n0,1\n")
    with pytest.raises(ToelabError, match="not a C3D file"):
        read_c3d(other)


def test_model_angles_become_signals_in_degrees(tmp_path):
    xyz = markers(10)[:2]
    parameters = {"ANGLES": ["LHXFFA"], "ANGLE_UNITS": ["deg"]}
    rec = read_c3d(write_c3d(tmp_path / "model.c3d", ["LHLX", "LHXFFA"], xyz, point_parameters=parameters))
    assert set(rec.landmarks) == {"left_hallux_tip"}
    np.testing.assert_allclose(rec.signals["LHXFFA_x"], xyz[1, :, 0], rtol=1e-6)
    assert rec.meta.signal_units["LHXFFA_z"] == "deg"


def test_a_layout_number_written_as_text_is_reported_not_a_crash(tmp_path):
    # ezc3d reads POINT:SCALE as a number; given as text it crashed the process
    path = write_c3d(tmp_path / "trial.c3d", ["HLX", "D1M"], np.zeros((2, 10, 3)), rate_hz=100.0)
    data = bytearray(path.read_bytes())
    at = data.index(b"\x01SCALE") + len(b"\x01SCALE") + 2  # past the name and the step
    assert data[at] == 4  # a float
    data[at] = 0xFF  # text
    path.write_bytes(bytes(data))
    with pytest.raises(ToelabError, match="parameter section is damaged"):
        read(path)
