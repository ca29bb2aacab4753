"""The Oxford Foot Model's hallux-to-forefoot angle, as a gait lab meets it: a Vicon static and
walking trial in, both feet's HXFFA out, and clear lines for the trials that cannot give it."""

import csv
import json

import numpy as np
import pytest
from io_samples import DATA, write_c3d
from typer.testing import CliRunner

from toelab.analysis.ofm import OfmOptions, calibrate_foot, hallux_forefoot_angles
from toelab.cli import app
from toelab.io.c3d import read_c3d
from toelab.tasks import rows_for

MA1 = DATA / "ofm-c3d" / "MA1"
runner = CliRunner()

# A right foot standing flat, in mm: D1M, P5M, D5M on the plane z = 5, TOE straight ahead of
# the bases' midpoint, so the forefoot's axes are the lab's (x right, y forwards, z up). HLX sits
# 7 mm higher than D1M, as skin markers often do.
RIGHT_FOOT = {
    "P1M": (-20.0, 10.0, 45.0),
    "P5M": (30.0, 0.0, 5.0),
    "D5M": (35.0, 60.0, 5.0),
    "D1M": (-25.0, 75.0, 5.0),
    "TOE": (5.0, 80.0, 20.0),
}
HALLUX_BASE = np.array([-25.0, 75.0, 12.0])
HALLUX_MM = 28.0


def _rotation(axis: int, degrees: float) -> np.ndarray:
    c, s = np.cos(np.radians(degrees)), np.sin(np.radians(degrees))
    i, j = [k for k in range(3) if k != axis]
    r = np.eye(3)
    r[i, i], r[i, j], r[j, i], r[j, j] = c, -s, s, c
    return r


def _foot(sagittal_deg: np.ndarray, transverse_deg: np.ndarray, side: str, motion: bool) -> dict:
    """Markers over time with the hallux turned up by ``sagittal_deg`` and towards the other
    foot by ``transverse_deg``; the whole foot also moves as in walking when ``motion``."""
    n = len(sagittal_deg)
    hallux = np.stack(
        [
            _rotation(0, a) @ _rotation(2, b) @ (0.0, HALLUX_MM, 0.0)
            for a, b in zip(sagittal_deg, transverse_deg, strict=True)
        ]
    )
    markers = {name: np.tile(position, (n, 1)) for name, position in RIGHT_FOOT.items()}
    markers["HLX"] = HALLUX_BASE + hallux
    mirror = np.diag([-1.0 if side == "left" else 1.0, 1.0, 1.0])
    markers = {name: track @ mirror.T for name, track in markers.items()}
    if motion:
        rng = np.random.default_rng(3)
        for k in range(n):
            q = (
                _rotation(0, rng.uniform(-40, 40))
                @ _rotation(1, rng.uniform(-20, 20))
                @ _rotation(2, rng.uniform(-180, 180))
            )
            shift = rng.uniform(-500, 500, 3)
            for track in markers.values():
                track[k] = q @ track[k] + shift
    return markers


@pytest.mark.parametrize("side", ["left", "right"])
def test_known_hallux_turns_come_back_as_dorsiflexion_and_adduction(side):
    static = _foot(np.zeros(5), np.zeros(5), side, motion=False)
    calibration = calibrate_foot(static, side, np.array([0.0, 0.0, 1.0]))
    assert calibration.static_hallux_deg[0] == pytest.approx(0.0, abs=1e-6)  # HLX's higher seat is taken out
    sagittal = np.array([-20.0, 0.0, 15.0, 45.0, 60.0, 30.0])
    transverse = np.array([0.0, 10.0, -12.0, 5.0, 0.0, -20.0])
    dynamic = _foot(sagittal, transverse, side, motion=True)
    del dynamic["D1M"]  # only in the static trial, as in the lab
    angles = hallux_forefoot_angles(np.arange(6) / 100, dynamic, calibration)
    np.testing.assert_allclose(angles.sagittal_deg, sagittal, atol=1e-6)
    np.testing.assert_allclose(angles.transverse_deg, transverse, atol=1e-6)
    np.testing.assert_allclose(angles.frontal_deg, 0.0, atol=1e-6)


def test_flat_forefoot_option_measures_from_the_floor():
    static = _foot(np.zeros(3), np.zeros(3), "right", motion=False)
    static["D5M"] = static["D5M"] + (0.0, 0.0, 10.0)  # the plane of D1M, P5M, D5M now tilts
    up = np.array([0.0, 0.0, 1.0])
    plane = calibrate_foot(static, "right", up)
    flat = calibrate_foot(static, "right", up, OfmOptions(flat_forefoot=True))
    dynamic = _foot(np.full(3, 30.0), np.zeros(3), "right", motion=False)
    dynamic["D5M"] = dynamic["D5M"] + (0.0, 0.0, 10.0)
    from_floor = hallux_forefoot_angles(np.arange(3) / 100, dynamic, flat)
    from_plane = hallux_forefoot_angles(np.arange(3) / 100, dynamic, plane)
    np.testing.assert_allclose(from_floor.sagittal_deg, 30.0, atol=0.1)  # its yaw comes from the plane
    assert abs(from_plane.sagittal_deg[0] - 30.0) > 0.5


def _analyze(*args: str):
    return runner.invoke(app, ["analyze", *args])


def test_vicon_walk_with_its_static_gives_both_feet_hallux_to_forefoot_angles(tmp_path):
    series = tmp_path / "ma1.csv"
    result = _analyze(
        str(MA1 / "dynamic.c3d"),
        "--task",
        "rom",
        "--static",
        str(MA1 / "static.c3d"),
        "--json",
        "--series",
        str(series),
    )
    assert result.exit_code == 0, result.output
    feet = json.loads(result.stdout)["results"]["feet"]
    for foot in ("left", "right"):
        hxffa = feet[foot]["hallux_forefoot_deg"]
        # walking: the hallux bends up 35-55° at push-off and a little down in swing
        assert 35 <= hxffa["sagittal"]["max"] <= 55
        assert -20 <= hxffa["sagittal"]["min"] <= 0
        assert hxffa["static"]["sagittal"] == pytest.approx(0.0, abs=1e-6)
        assert hxffa["frontal"]["range"] == pytest.approx(0.0, abs=1e-6)
        assert -40 <= hxffa["transverse"]["min"] < hxffa["transverse"]["max"] <= 5
        assert feet[foot]["max_extension_deg"] is not None  # toelab's own angle, with D1M rebuilt
    with series.open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == read_c3d(MA1 / "dynamic.c3d").n_samples
    for foot in ("left", "right"):
        for column in (
            "hallux_angle_deg",
            *(f"hallux_forefoot_{p}_deg" for p in ("sagittal", "frontal", "transverse")),
        ):
            assert f"{foot}_{column}" in rows[0]
    peak = max(float(row["left_hallux_forefoot_sagittal_deg"]) for row in rows)
    assert peak == pytest.approx(feet["left"]["hallux_forefoot_deg"]["sagittal"]["max"], abs=1e-3)
    # how exact: the words are the markers', not a photo measure's
    exact = {row[0]: row[1:] for row in rows_for("rom", feet["left"])}["How exact"]
    assert exact[0] == "from skin markers" and "photo" not in exact[1]


def _one_line_error(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) <= 2  # one line (wrapped at most once)
    for word in words:
        assert word in result.output


def test_a_walk_without_its_static_trial_asks_for_it():
    _one_line_error(_analyze(str(MA1 / "dynamic.c3d"), "--task", "rom"), "D1M", "--static")


def _static_without(tmp_path, label: str):
    static = read_c3d(MA1 / "static.c3d")
    sources = static.meta.extra["landmark_sources"]
    labels = [sources[name] for name in static.landmarks if sources[name] != label]
    xyz = np.stack([static.landmarks[name] for name in static.landmarks if sources[name] != label])
    return write_c3d(tmp_path / f"static_without_{label}.c3d", labels, np.nan_to_num(xyz), rate_hz=100.0)


@pytest.mark.parametrize("label", ["LD1M", "RTOE"])
def test_a_static_trial_missing_a_forefoot_marker_is_named(tmp_path, label):
    static = _static_without(tmp_path, label)
    result = _analyze(str(MA1 / "dynamic.c3d"), "--task", "rom", "--static", str(static))
    _one_line_error(result, label, "static")


def test_a_walk_whose_hallux_marker_is_never_seen_is_reported(tmp_path):
    walk = read_c3d(MA1 / "dynamic.c3d")
    sources = walk.meta.extra["landmark_sources"]
    labels = [sources[name] for name in walk.landmarks]
    xyz = np.stack([walk.landmarks[name] for name in walk.landmarks])
    xyz[labels.index("RP5M"), ::2] = 0.0  # a gap every other frame
    xyz[labels.index("RHLX"), 1::2] = 0.0  # and HLX gone in the others
    path = write_c3d(tmp_path / "gappy.c3d", labels, xyz, rate_hz=100.0)
    result = _analyze(str(path), "--task", "rom", "--static", str(MA1 / "static.c3d"))
    _one_line_error(result, "right", "gaps")


def test_static_must_be_a_c3d_and_is_for_rom(tmp_path):
    text = tmp_path / "static.csv"
    text.write_text("time,x\n0,1\n")
    _one_line_error(_analyze(str(MA1 / "dynamic.c3d"), "--task", "rom", "--static", str(text)), "C3D")
    _one_line_error(
        _analyze(str(MA1 / "dynamic.c3d"), "--task", "tremor", "--static", str(MA1 / "static.c3d")), "rom"
    )


def _walk_with(tmp_path, name: str, change) -> str:
    """The MA1 walk written again with ``change(labels, xyz)`` applied (markers, frames, 3)."""
    walk = read_c3d(MA1 / "dynamic.c3d")
    sources = walk.meta.extra["landmark_sources"]
    labels = [sources[n] for n in walk.landmarks]
    xyz = np.nan_to_num(np.stack([walk.landmarks[n] for n in walk.landmarks]))
    labels, xyz = change(labels, xyz)
    return str(write_c3d(tmp_path / name, labels, xyz, rate_hz=100.0))


def test_a_walk_missing_the_right_hallux_marker_names_it_instead_of_dropping_the_foot(tmp_path):
    def drop_rhlx(labels, xyz):
        keep = [i for i, label in enumerate(labels) if label != "RHLX"]
        return [labels[i] for i in keep], xyz[keep]

    walk = _walk_with(tmp_path, "no_rhlx.c3d", drop_rhlx)
    result = _analyze(walk, "--task", "rom", "--static", str(MA1 / "static.c3d"))
    _one_line_error(result, "RHLX", "dynamic", "right")


def test_a_static_trial_whose_forefoot_markers_are_never_seen_together_is_reported(tmp_path):
    static = read_c3d(MA1 / "static.c3d")
    sources = static.meta.extra["landmark_sources"]
    labels = [sources[name] for name in static.landmarks]
    xyz = np.nan_to_num(np.stack([static.landmarks[name] for name in static.landmarks]))
    xyz[labels.index("LTOE"), ::2] = 0.0  # gaps in every other frame
    xyz[labels.index("LD1M"), 1::2] = 0.0  # and in the frames between
    path = write_c3d(tmp_path / "gappy_static.c3d", labels, xyz, rate_hz=100.0)
    result = _analyze(str(MA1 / "dynamic.c3d"), "--task", "rom", "--static", str(path))
    _one_line_error(result, "static", "never", "left", "gaps")
