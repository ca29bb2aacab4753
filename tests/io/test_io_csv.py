import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toelab import Recording, ToelabError
from toelab.io import read, read_csv

PHYPHOX_ACC = (
    '"Time (s)","Acceleration x (m/s^2)","Acceleration y (m/s^2)","Acceleration z (m/s^2)",'
    '"Absolute acceleration (m/s^2)"\n'
    "0.000000000E0,1.0E-1,2.0E-1,9.8E0,9.80255E0\n"
    "1.000000000E-2,1.5E-1,2.5E-1,9.7E0,9.7044E0\n"
    "2.000000000E-2,2.0E-1,3.0E-1,9.6E0,9.6068E0\n"
)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_phyphox_accelerometer_export_gives_acc_signals_with_units(tmp_path):
    rec = read(write(tmp_path, "Raw Data.csv", PHYPHOX_ACC))
    assert set(rec.signals) == {"acc_x", "acc_y", "acc_z", "acc_abs"}
    np.testing.assert_allclose(rec.time_s, [0.0, 0.01, 0.02])
    np.testing.assert_allclose(rec.signals["acc_z"], [9.8, 9.7, 9.6])
    assert rec.meta.signal_units["acc_x"] == "m/s^2"
    assert rec.meta.source == "csv"
    assert rec.meta.extra["app"] == "phyphox"


@pytest.mark.parametrize(
    ("delimiter", "decimal"), [(",", "."), (";", "."), ("\t", "."), (";", ","), ("\t", ",")]
)
def test_phyphox_gyroscope_loads_in_every_export_style(tmp_path, delimiter, decimal):
    header = [
        "Time (s)",
        "Gyroscope x (rad/s)",
        "Gyroscope y (rad/s)",
        "Gyroscope z (rad/s)",
        "Absolute (rad/s)",
    ]
    rows = [[0.0, 0.1, -0.2, 0.3, 0.374], [0.005, 0.2, -0.1, 0.25, 0.335]]
    lines = [delimiter.join(f'"{h}"' for h in header)]
    lines += [delimiter.join(f"{v:.3f}".replace(".", decimal) for v in row) for row in rows]
    rec = read(write(tmp_path, "Gyroscope.csv", "\n".join(lines) + "\n"))
    assert set(rec.signals) == {"gyro_x", "gyro_y", "gyro_z", "gyro_abs"}
    np.testing.assert_allclose(rec.signals["gyro_y"], [-0.2, -0.1])
    np.testing.assert_allclose(rec.time_s, [0.0, 0.005])
    assert rec.meta.signal_units["gyro_z"] == "rad/s"


@pytest.mark.parametrize(
    ("file_name", "prefix", "unit"),
    [("Accelerometer.csv", "acc", "m/s^2"), ("Gyroscope.csv", "gyro", "rad/s")],
)
def test_sensor_logger_files_use_seconds_elapsed_not_epoch_time(tmp_path, file_name, prefix, unit):
    text = (
        "time,seconds_elapsed,z,y,x\n"
        "1700000000000000000,0.0,0.3,0.2,0.1\n"
        "1700000000010000000,0.01,0.31,0.21,0.11\n"
        "1700000000020000000,0.02,0.32,0.22,0.12\n"
    )
    rec = read(write(tmp_path, file_name, text))
    np.testing.assert_allclose(rec.time_s, [0.0, 0.01, 0.02])
    assert set(rec.signals) == {f"{prefix}_x", f"{prefix}_y", f"{prefix}_z"}
    np.testing.assert_allclose(rec.signals[f"{prefix}_x"], [0.1, 0.11, 0.12])
    assert rec.meta.signal_units[f"{prefix}_y"] == unit
    assert rec.meta.extra["app"] == "sensor_logger"


def test_landmark_columns_become_named_tracks_with_confidence(tmp_path):
    text = (
        "time,BigToe_x,BigToe_y,BigToe_likelihood,heel_x,heel_y,force\n"
        "0.0,10,20,0.9,1,2,5\n"
        "0.5,11,,0.2,1,2,6\n"
    )
    rec = read_csv(write(tmp_path, "points.csv", text), foot="left")
    assert set(rec.landmarks) == {"left_toe1", "left_heel"}
    np.testing.assert_array_equal(rec.landmarks["left_toe1"][0], [10, 20])
    assert np.isnan(rec.landmarks["left_toe1"][1, 1])
    np.testing.assert_allclose(rec.confidence["left_toe1"], [0.9, 0.2])
    assert set(rec.signals) == {"force"}
    assert rec.meta.units == "px" and rec.meta.vertical_axis == "-y"
    assert rec.meta.foot == "left"


def test_map_option_overrides_the_default_name_table(tmp_path):
    text = "t,BigToe_x,BigToe_y\n0,1,2\n1,3,4\n"
    rec = read(write(tmp_path, "p.csv", text), mapping={"BigToe": "right_toe2"})
    assert list(rec.landmarks) == ["right_toe2"]


def test_three_dimensional_landmarks_in_mm_are_lab_coordinates(tmp_path):
    text = "time_s,toe1_x (mm),toe1_y (mm),toe1_z (mm)\n0,1,2,3\n0.01,1,2,4\n"
    rec = read(write(tmp_path, "lab.csv", text))
    assert rec.landmarks["toe1"].shape == (2, 3)
    assert rec.meta.units == "mm" and rec.meta.mm_per_unit == 1.0 and rec.meta.vertical_axis == "+z"


def test_milliseconds_from_option_or_from_header(tmp_path):
    by_option = read(write(tmp_path, "a.csv", "time,v\n0,1\n20,2\n"), time_unit="ms")
    by_header = read(write(tmp_path, "b.csv", "time_ms,v\n0,1\n20,2\n"))
    np.testing.assert_allclose(by_option.time_s, [0, 0.02])
    np.testing.assert_allclose(by_header.time_s, [0, 0.02])


def _five_seconds_at_60_hz(scale: float) -> str:
    t = np.arange(300) / 60.0
    return "time,toe1_x,toe1_y\n" + "".join(f"{ti * scale:.3f},100,{200 + np.sin(ti):.3f}\n" for ti in t)


def test_milliseconds_read_as_seconds_are_pointed_out(tmp_path):
    in_ms = write(tmp_path, "ms.csv", _five_seconds_at_60_hz(1000.0))
    warned = read(in_ms).meta.extra["warnings"]
    assert any("--time-unit ms" in w and "16.667" in w for w in warned), warned
    assert not read(in_ms, time_unit="ms").meta.extra["warnings"]
    in_s = write(tmp_path, "s.csv", _five_seconds_at_60_hz(1.0))
    assert not read(in_s).meta.extra["warnings"]


def test_unsorted_rows_are_sorted_and_exact_duplicates_dropped_with_warnings(tmp_path):
    text = "time,v\n0.2,3\n0.0,1\n0.1,2\n0.1,2\n"
    rec = read(write(tmp_path, "d.csv", text))
    np.testing.assert_allclose(rec.time_s, [0.0, 0.1, 0.2])
    np.testing.assert_allclose(rec.signals["v"], [1, 2, 3])
    warnings = rec.meta.extra["warnings"]
    assert any("sorted" in w for w in warnings) and any("duplicate" in w for w in warnings)


def test_two_different_rows_at_one_time_are_an_error(tmp_path):
    with pytest.raises(ToelabError, match="share the time"):
        read(write(tmp_path, "d.csv", "time,v\n0.0,1\n0.1,2\n0.1,5\n"))


def test_text_columns_are_left_out_with_a_warning(tmp_path):
    rec = read(write(tmp_path, "l.csv", "time,label,v\n0,a,1\n1,b,2\n"))
    assert set(rec.signals) == {"v"}
    assert any("label" in w for w in rec.meta.extra["warnings"])


def test_frame_column_with_fps_gives_time(tmp_path):
    rec = read(write(tmp_path, "f.csv", "frame,toe1_x,toe1_y\n0,1,1\n1,2,2\n3,3,3\n"), fps=30)
    np.testing.assert_allclose(rec.time_s, [0, 1 / 30, 3 / 30])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("time,v\n", "no data rows"),
        ("a,b\n1,2\n", "no time column"),
        ("time,v\n0,1\n1,2\n2", "has 1 values"),
        ("time,v\n0,1\n1,abc\n2,3\n", "not a number"),
        ("time,v\n0,1\n,2\n", "has no time"),
        ("time,v,v\n0,1,2\n", "more than once"),
        ("time\n0\n1\n", "no numeric data columns"),
        ("time,v\n1,1\n0,2\n0,3\n", "share the time"),
        ("frame,v\n0,1\n1,2\n", "frame rate unknown"),
    ],
)
def test_malformed_csv_names_the_file_and_the_problem(tmp_path, text, message):
    path = write(tmp_path, "bad.csv", text)
    with pytest.raises(ToelabError, match=message) as caught:
        read_csv(path)
    assert caught.value.path == str(path)


def test_missing_file_and_folder_are_reported(tmp_path):
    with pytest.raises(ToelabError, match="not found"):
        read_csv(tmp_path / "nope.csv")
    with pytest.raises(ToelabError, match="folder"):
        read_csv(tmp_path)


def test_unknown_time_unit_is_reported(tmp_path):
    with pytest.raises(ToelabError, match="time unit"):
        read_csv(write(tmp_path, "a.csv", "time,v\n0,1\n"), time_unit="fortnights")


VALID_CSV = "time,toe1_x,toe1_y,toe1_likelihood,acc_x\n0,1,2,0.5,9\n0.1,2,3,0.6,8\n0.2,3,4,0.7,7\n"


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_any_bytes_give_a_recording_or_a_clear_error(tmp_path, data):
    base = (VALID_CSV if data.draw(st.booleans()) else PHYPHOX_ACC).encode()
    kind = data.draw(st.sampled_from(["random", "mutate", "truncate"]))
    if kind == "random":
        blob = data.draw(st.binary(max_size=300))
    elif kind == "truncate":
        blob = base[: data.draw(st.integers(0, len(base)))]
    else:
        blob = bytearray(base)
        for _ in range(data.draw(st.integers(1, 8))):
            blob[data.draw(st.integers(0, len(blob) - 1))] = data.draw(st.integers(0, 255))
        blob = bytes(blob)
    path = tmp_path / "fuzz.csv"
    path.write_bytes(blob)
    try:
        assert isinstance(read_csv(path), Recording)
    except ToelabError as error:
        assert error.path == str(path)


def test_phyphox_linear_acceleration_and_magnetometer_are_signals_not_points(tmp_path):
    text = (
        '"Time (s)","Linear Acceleration x (m/s^2)","Linear Acceleration y (m/s^2)",'
        '"Linear Acceleration z (m/s^2)","Magnetic field x (µT)","Magnetic field y (µT)"\n'
        "0,0.1,0.2,0.3,20,30\n0.01,0.2,0.3,0.4,21,31\n"
    )
    rec = read(write(tmp_path, "Raw Data.csv", text))
    assert rec.landmarks == {}
    assert set(rec.signals) == {"linear_acc_x", "linear_acc_y", "linear_acc_z", "mag_x", "mag_y"}
    assert rec.meta.signal_units["mag_x"] == "µT"


def test_acc_columns_without_units_are_signals_not_a_point(tmp_path):
    rec = read(write(tmp_path, "imu.csv", "time,acc_x,acc_y,acc_z\n0,1,2,3\n0.01,1,2,3\n"))
    assert rec.landmarks == {} and set(rec.signals) == {"acc_x", "acc_y", "acc_z"}


def test_frame_rate_of_a_frame_column_is_kept_in_the_metadata(tmp_path):
    assert read(write(tmp_path, "f.csv", "frame,v\n0,1\n1,2\n"), fps=25).meta.fps == 25
