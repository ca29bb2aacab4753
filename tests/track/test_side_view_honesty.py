"""The big-toe angle from a side-view video made from real feet (``photovideo``): when the
tracked hallux no longer sits on the toe, the angle is withheld, not reported wrong.

On render 003 (a small toe on a sandy floor) the hallux's features hold to the floor while
the toe lifts: the angle once read about -19° throughout for a toe that rose to 31°, with
every frame "measured". On render 038 the tracker follows the toe; its angle must stay."""

from __future__ import annotations

import numpy as np
import pytest
from photovideo import load, render

from toelab.analysis.rom import hallux_extension_deg
from toelab.tasks import AnalysisOptions, run_task
from toelab.track import parse_points, track_video

pytestmark = pytest.mark.video

DURATION_S = 3.0


def _lift(t: np.ndarray) -> np.ndarray:
    return 50.0 * np.sin(np.pi * t / DURATION_S) ** 2


def _rom(tmp_path, name: str):
    foot = load(name)
    truth = render(tmp_path / f"{name}.mp4", foot, hallux_deg=_lift, duration_s=DURATION_S, seed=0)
    recording = track_video(tmp_path / f"{name}.mp4", parse_points(truth.first_points)).recording
    result = run_task(recording, AnalysisOptions("rom")).by_foot[foot.foot]
    angle = hallux_extension_deg(
        *(recording.landmarks[f"{foot.foot}_{p}"] for p in ("heel", "mtp1", "hallux_tip"))
    )
    return result, angle, truth.hallux_angle_deg


def test_a_hallux_left_behind_by_the_toe_gives_no_angle(tmp_path):
    result, angle, want = _rom(tmp_path, "003")
    assert result.max_extension_deg is None and result.quality is not None and not result.quality.measured
    assert "tracked well" in (result.quality.reason or "")
    # the frames that still carry an angle are the ones where it is right
    measured = np.isfinite(angle)
    assert np.all(np.abs(angle - want)[measured] < 5.0)


def test_a_followed_hallux_keeps_its_angle(tmp_path):
    result, angle, want = _rom(tmp_path, "038")
    assert result.max_extension_deg == pytest.approx(float(np.max(want)), abs=3.0)
    assert np.isfinite(angle).mean() >= 0.75
