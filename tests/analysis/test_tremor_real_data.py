"""Tremor figures on real motion-capture data (tests/data/c3d-toe-clusters, Vicon at 240 Hz).

The file holds toe, foot, heel and shank marker clusters of a person moving about: large,
slow, voluntary movement and no tremor. A user would expect toelab not to call that a
rhythmic tremor, and to keep the figures in the file's own unit (mm).
"""

from pathlib import Path

import pytest

from toelab.analysis.tremor import tremor_from_recording
from toelab.io import read

C3D = Path(__file__).resolve().parents[1] / "data" / "c3d-toe-clusters" / "dynamic01.c3d"


@pytest.fixture(scope="module")
def recording():
    return read(C3D)


@pytest.mark.parametrize("channels", [["left_toe1"], ["right_toe1"], None])
def test_voluntary_foot_movement_is_not_called_a_rhythmic_tremor(recording, channels):
    result = tremor_from_recording(recording, channels=channels)
    assert result.classification != "rhythmic"
    assert result.amplitude_unit == "mm"
    assert result.sampling_rate_hz == pytest.approx(240.0)
    # nearly all of the movement lies below the tremor band
    assert result.band_power_fraction < 0.05
    assert result.typical_band is None or "dystonic" in result.typical_band
