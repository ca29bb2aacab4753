import numpy as np
import pytest

from toelab import ToelabError
from toelab.analysis.rhythm import analyze_rhythm, beats_from_bpm, compare_feet, rhythm_from_recording
from toelab.synthetic.movement import rhythm_recording


@pytest.mark.parametrize("event", ["peak", "onset"])
@pytest.mark.parametrize("bpm", [60, 100])
def test_mean_asynchrony_is_within_2_ms_at_60_hz(bpm, event):
    recording, truth = rhythm_recording(
        bpm, asynchrony_mean_ms=-40, asynchrony_sd_ms=40, n_beats=60, timed_event=event, seed=bpm
    )
    result = rhythm_from_recording(recording, truth["beat_times_s"], event=event)
    key = "asynchrony_ms" if event == "peak" else "onset_asynchrony_ms"
    expected = np.asarray(truth["right"][key])
    assert result.hits == 60 and result.misses == 0 and result.extras == 0
    assert abs(result.mean_asynchrony_ms - expected.mean()) < 2.0
    assert abs(result.sd_asynchrony_ms - expected.std(ddof=1)) < 3.0
    assert result.circular_r > 0.9
    assert result.rayleigh_p < 1e-6
    assert abs(result.tempo_ratio - 1.0) < 0.05


def test_missed_beats_and_extra_lifts_are_counted():
    recording, truth = rhythm_recording(
        70,
        asynchrony_mean_ms=-30,
        asynchrony_sd_ms=25,
        n_beats=40,
        missed_beats=(3, 10, 11, 25),
        extra_lifts=3,
    )
    result = rhythm_from_recording(recording, truth["beat_times_s"])
    assert (result.hits, result.misses, result.extras) == (36, 4, 3)
    assert result.hit_rate == pytest.approx(0.9)


def test_a_group_of_toes_keeps_time_as_one_signal():
    recording, truth = rhythm_recording(
        90, asynchrony_mean_ms=-20, asynchrony_sd_ms=30, n_beats=30, toes=(2, 3, 4, 5)
    )
    result = rhythm_from_recording(recording, truth["beat_times_s"], toes=(2, 3, 4, 5))
    assert result.hits == 30
    assert abs(result.mean_asynchrony_ms - np.mean(truth["right"]["asynchrony_ms"])) < 2.0


def test_random_lifts_have_low_consistency():
    rng = np.random.default_rng(3)
    beats = np.arange(1.0, 181.0, 0.6)
    lifts = np.sort(rng.uniform(0.5, 181.0, beats.size))
    result = analyze_rhythm(lifts, beats)
    assert result.circular_r < 0.4
    assert result.rayleigh_p > 0.01
    assert result.inter_lift_interval_cv > 0.5


def test_steady_tapping_is_consistent_and_early_by_the_set_amount():
    beats = np.arange(0.0, 30.0, 0.6)
    lifts = beats - 0.040
    result = analyze_rhythm(lifts, beats)
    assert result.circular_r == pytest.approx(1.0)
    assert result.mean_asynchrony_ms == pytest.approx(-40.0)
    assert result.mean_phase_deg == pytest.approx(-24.0)  # 360 * -40 / 600
    assert result.inter_lift_interval_cv == pytest.approx(0.0, abs=1e-9)


def test_each_lift_is_used_once_and_far_lifts_do_not_count():
    beats = np.array([1.0, 2.0, 3.0, 4.0])
    lifts = np.array([1.02, 1.05, 2.45, 3.9])  # two near beat 1; 2.45 is beyond ±0.4 period
    result = analyze_rhythm(lifts, beats)
    assert (result.hits, result.misses, result.extras) == (2, 2, 2)
    np.testing.assert_allclose(result.asynchronies_ms, [20.0, -100.0])


def test_only_beats_within_the_recording_count():
    recording, truth = rhythm_recording(60, asynchrony_mean_ms=0, asynchrony_sd_ms=10, n_beats=20)
    beats = beats_from_bpm(60, truth["beat_times_s"][0], -30.0, 120.0)
    result = rhythm_from_recording(recording, beats)
    # the lead-in beat at 0 s is not a miss: a lift meeting it could lie before the recording
    assert result.n_beats == 20
    assert result.hits == 20
    result = rhythm_from_recording(recording, np.concatenate(([0.5], beats)))
    assert (result.n_beats, result.misses) == (21, 1)  # a beat inside the recording with no lift


def test_beats_from_bpm_fall_on_the_offset_grid():
    beats = beats_from_bpm(120, 0.25, 0.0, 2.0)
    np.testing.assert_allclose(beats, [0.25, 0.75, 1.25, 1.75])
    with pytest.raises(ToelabError, match="positive"):
        beats_from_bpm(0, 0, 0, 1)


def test_left_and_right_feet_are_compared():
    recording, truth = rhythm_recording(
        75,
        asynchrony_mean_ms={"left": -60.0, "right": -20.0},
        asynchrony_sd_ms={"left": 60.0, "right": 20.0},
        n_beats=50,
        feet=("left", "right"),
        seed=5,
    )
    assert recording.feet() == ["left", "right"]
    left = rhythm_from_recording(recording, truth["beat_times_s"], foot="left")
    right = rhythm_from_recording(recording, truth["beat_times_s"], foot="right")
    comparison = compare_feet(left, right)
    assert comparison["mean_asynchrony_diff_ms"] < -20
    assert comparison["sd_asynchrony_diff_ms"] > 20
    assert comparison["circular_r_diff"] < 0
    assert comparison["more_consistent"] == "right"
    assert abs(left.mean_asynchrony_ms - np.mean(truth["left"]["asynchrony_ms"])) < 2.0


def test_result_is_json_ready():
    result = analyze_rhythm(np.arange(0.0, 10.0, 0.5) + 0.01, np.arange(0.0, 10.0, 0.5))
    data = result.as_dict()
    assert data["hits"] == 20 and isinstance(data["circular_r"], float)
    assert all(not isinstance(v, np.ndarray) for v in data.values())


def test_unknown_event_or_toe_is_explained():
    recording, truth = rhythm_recording(60, asynchrony_mean_ms=0, asynchrony_sd_ms=10, n_beats=5)
    with pytest.raises(ToelabError, match="event"):
        rhythm_from_recording(recording, truth["beat_times_s"], event="middle")
    with pytest.raises(ToelabError, match="toes"):
        rhythm_from_recording(recording, truth["beat_times_s"], toes=(6,))
    with pytest.raises(ToelabError, match="two beats"):
        analyze_rhythm([1.0], [1.0])
