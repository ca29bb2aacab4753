import json

import numpy as np
import pytest

from toelab import ToelabError
from toelab.analysis.individuation import analyze_individuation, individuation_from_recording
from toelab.synthetic.movement import isolation_recording

PERFECT = np.eye(5)
PINKY_FOLLOWS_FOURTH = np.eye(5)
PINKY_FOLLOWS_FOURTH[3, 4] = 0.8
# Toe 3 cannot lift alone: toes 2 and 4 come along almost fully, the little toe half.
THIRD_TOE_NOT_ALONE = np.eye(5)
THIRD_TOE_NOT_ALONE[2, [1, 3, 4]] = [0.9, 0.9, 0.5]
THIRD_TOE_NOT_ALONE[1, 2] = THIRD_TOE_NOT_ALONE[3, 2] = 0.4
POOR_CONTROL = np.full((5, 5), 0.6)
np.fill_diagonal(POOR_CONTROL, 1.0)
SOME_CONTROL = np.full((5, 5), 0.3)
np.fill_diagonal(SOME_CONTROL, 1.0)


@pytest.mark.parametrize(
    "pattern",
    [PERFECT, PINKY_FOLLOWS_FOURTH, THIRD_TOE_NOT_ALONE, POOR_CONTROL],
    ids=["perfect", "pinky-follows-fourth", "third-not-alone", "poor-control"],
)
def test_individuation_index_matches_truth(pattern):
    recording, truth = isolation_recording(pattern, lift_height_px=[24, 20, 18, 16, 14], noise_px=0.3, seed=1)
    result = individuation_from_recording(recording, "right")
    measured = [t.individuation_index for t in result.toes]
    np.testing.assert_allclose(measured, truth["individuation_index"], atol=0.05)
    assert [t.n_trials for t in result.toes] == [3] * 5
    np.testing.assert_allclose(result.co_movement, truth["co_movement"], atol=0.08)
    assert abs(result.toe_control_score - truth["toe_control_score"]) < 5


def test_co_moving_toes_with_their_own_timing_are_still_measured():
    recording, truth = isolation_recording(THIRD_TOE_NOT_ALONE, jitter_s=0.04, noise_px=0.5, seed=2)
    result = individuation_from_recording(recording)
    np.testing.assert_allclose(
        [t.individuation_index for t in result.toes], truth["individuation_index"], atol=0.05
    )


def test_a_perfect_foot_has_every_toe_independent():
    recording, _ = isolation_recording(PERFECT, seed=3)
    result = individuation_from_recording(recording)
    assert all(t.independent and t.co_moved == () for t in result.toes)
    assert result.toe_control_score > 95
    assert result.warnings == ()


def test_the_little_toe_following_the_fourth_is_noted_not_alarming():
    recording, _ = isolation_recording(PINKY_FOLLOWS_FOURTH, seed=4)
    result = individuation_from_recording(recording)
    assert result.toe(4).co_moved == (5,)
    assert any("little toe" in note and "not a concern" in note for note in result.notes)
    assert result.warnings == ()


def test_a_toe_that_cannot_lift_alone_is_not_independent_and_names_its_neighbours():
    recording, _ = isolation_recording(THIRD_TOE_NOT_ALONE, seed=5)
    result = individuation_from_recording(recording)
    assert not result.toe(3).independent
    assert result.toe(3).co_moved == (2, 4, 5)
    assert result.toe(1).independent and result.toe(5).independent


def test_a_toe_that_never_lifts_is_not_measured_and_never_counts_as_zero():
    pattern = np.eye(5)
    pattern[1, 1] = 0.0  # toe 2 does not move at all
    recording, _ = isolation_recording(pattern, seed=6)
    result = individuation_from_recording(recording)
    toe = result.toe(2)
    assert toe.individuation_index is None and toe.independent is None and not toe.measured
    # the video cannot tell "it only rose with others" from "the camera missed it": it says both
    assert "no lift of this toe on its own was seen" in toe.not_measured_reason
    assert "camera did not see it" in toe.not_measured_reason
    # the score covers the four toes with an index; a missing toe is no 0
    assert result.toe_control_score == pytest.approx(100, abs=3)


def test_a_toe_that_led_only_one_lift_gets_no_index():
    recording, _ = isolation_recording(PERFECT, reps_per_toe=1, seed=11)
    result = individuation_from_recording(recording)
    assert all(t.individuation_index is None and not t.measured for t in result.toes)
    assert all("at least 2" in t.not_measured_reason for t in result.toes)
    assert result.toe_control_score is None


def _lift(time_s: np.ndarray, peak_s: float, height: float, half_width_s: float = 0.25) -> np.ndarray:
    return height * np.clip(1 - ((time_s - peak_s) / half_width_s) ** 2, 0, None)


def test_lifts_of_one_toe_that_disagree_give_it_no_index():
    time_s = np.arange(0, 12, 1 / 60)
    heights = np.random.default_rng(0).normal(0, 0.05, (time_s.size, 5))
    for k in range(5):
        for rep in range(2):
            peak = 1 + 2 * k + rep
            heights[:, k] += _lift(time_s, peak, 10)
            if k == 2:
                # the 3rd toe's first lift drags the 2nd and 4th almost fully, its second none
                follow = 9.0 if rep == 0 else 0.0
                heights[:, 1] += _lift(time_s, peak, follow)
                heights[:, 3] += _lift(time_s, peak, follow)
    result = analyze_individuation(time_s, heights)
    third = result.toe(3)
    assert third.individuation_index is None and not third.measured
    assert "lifts disagreed" in third.not_measured_reason
    assert all(result.toe(t).individuation_index > 0.9 for t in (1, 2, 4, 5))


def test_toes_whose_lifts_top_on_the_same_frame_are_one_movement_not_a_crash():
    """Two toes that lift together top on the same frame; ordering those lifts by their top
    once compared the lift objects themselves and failed (a live run then got no figures)."""
    time_s = np.arange(0, 12, 1 / 30)
    heights = np.zeros((time_s.size, 5))
    for k in range(5):
        for rep in range(2):
            top_s = 1 + 2.2 * k + 1.1 * rep
            heights[:, k] += _lift(time_s, top_s, 10)
            if k == 1:  # the 3rd toe comes along with the 2nd, topping on the same frame
                heights[:, 2] += _lift(time_s, top_s, 8)
    result = analyze_individuation(time_s, heights)
    assert result.toe(2).co_moved == (3,)
    assert result.toe(1).individuation_index == pytest.approx(1.0, abs=0.05)


@pytest.mark.parametrize("wander", [0.0, 0.6])
def test_toes_whose_rest_wanders_give_no_index_rather_than_a_wrong_one(wander):
    """A hand-held camera or flickering light makes each toe's rest position waver; how far a
    toe "followed" is read as its highest point in the lift's window, so the wavering reads as
    following and the index errs (by 0.1 on videos of real feet). Past the line: not measured."""
    time_s = np.arange(0, 14, 1 / 30)
    rng = np.random.default_rng(3)
    heights = np.zeros((time_s.size, 5))
    for k in range(5):
        # each toe's rest wavers slowly (about 1 Hz), in its own way
        phase, rate = rng.uniform(0, 2 * np.pi, 2), rng.uniform(0.7, 1.3, 2)
        waves = np.sin(2 * np.pi * rate[:, None] * time_s + phase[:, None])
        heights[:, k] = wander * waves.sum(axis=0)
        for rep in range(2):
            heights[:, k] += _lift(time_s, 1 + 2.5 * k + 1.2 * rep, 10)
    result = analyze_individuation(time_s, heights)
    if wander == 0.0:
        assert all(t.measured and t.individuation_index == pytest.approx(1.0, abs=0.05) for t in result.toes)
        assert all(t.rest_noise_pct < 1.0 for t in result.toes)
    else:
        assert all(not t.measured and t.individuation_index is None for t in result.toes)
        assert all("resting positions wavered" in t.not_measured_reason for t in result.toes)
        assert result.toe_control_score is None


def test_a_lift_that_seems_to_last_seconds_does_not_swallow_the_lifts_around_it():
    """A toe point drifting up for 4 s (or a toe held up) once merged every lift inside it
    into one movement, so the other toes were compared with each other's lifts."""
    time_s = np.arange(0, 14, 1 / 30)
    heights = np.random.default_rng(1).normal(0, 0.05, (time_s.size, 5))
    for k in range(5):
        for rep in range(2):
            heights[:, k] += _lift(time_s, 1 + 2.2 * k + 1.1 * rep, 10)
    heights[:, 4] += 9.0 * ((time_s > 3.2) & (time_s < 7.3))  # the little toe's point drifts up
    result = analyze_individuation(time_s, heights)
    # every instructed lift is its own movement, led by the toe that lifted
    assert [t.n_trials for t in result.toes[:4]] == [2, 2, 2, 2]
    assert result.toe(1).individuation_index == pytest.approx(1.0, abs=0.07)
    # the 4th toe's first lift ends the drift: right, or not measured — never a wrong number
    fourth = result.toe(4)
    assert fourth.individuation_index is None or fourth.individuation_index == pytest.approx(1.0, abs=0.07)


def test_better_control_gives_a_higher_toe_control_score():
    scores = []
    for pattern in (PERFECT, PINKY_FOLLOWS_FOURTH, SOME_CONTROL, POOR_CONTROL):
        recording, _ = isolation_recording(pattern, seed=7)
        scores.append(individuation_from_recording(recording).toe_control_score)
    assert scores == sorted(scores, reverse=True)
    assert scores[0] - scores[-1] > 40


def test_result_is_json_ready_with_five_toes():
    recording, _ = isolation_recording(PINKY_FOLLOWS_FOURTH, seed=8)
    data = json.loads(json.dumps(individuation_from_recording(recording).as_dict()))
    assert [t["toe"] for t in data["toes"]] == [1, 2, 3, 4, 5]
    assert {"individuation_index", "independent", "co_moved"} <= set(data["toes"][0])
    assert len(data["co_movement"]) == 5 and data["co_movement"][0][0] == 1.0
    assert 0 <= data["toe_control_score"] <= 100


def test_an_untracked_toe_is_reported_not_guessed():
    recording, _ = isolation_recording(PERFECT, seed=9)
    time_s = recording.time_s
    heights = np.column_stack([-recording.landmarks[f"right_toe{i}"][:, 1] for i in range(1, 6)])
    heights[:, 4] = np.nan
    result = analyze_individuation(time_s, heights)
    assert result.toe(5).individuation_index is None
    assert "toe 5 is not tracked" in result.warnings
    assert result.toe(1).individuation_index > 0.9


def test_wrong_shape_is_explained():
    with pytest.raises(ToelabError, match="one column per toe"):
        analyze_individuation(np.arange(10.0), np.zeros((10, 4)))


def test_a_toe_followed_by_one_whose_own_lift_is_unknown_gets_no_index():
    # the little toe never lifts on its own and rises 60 % with the 4th: its own lift, the size
    # its following is read against, is unknown, so the 4th toe's index cannot be read (left out
    # of the mean, the 4th toe read as moving on its own)
    pattern = np.eye(5)
    pattern[3, 4] = 0.6
    pattern[4, 4] = 0.0
    recording, _ = isolation_recording(pattern, seed=5)
    toes = {t.toe: t for t in individuation_from_recording(recording).toes}
    assert toes[4].individuation_index is None and toes[4].measured is False
    assert "the little toe rose with it, and how far cannot be read" in toes[4].not_measured_reason
    assert toes[5].individuation_index is None
    assert all(toes[t].individuation_index > 0.9 for t in (1, 2, 3))


def test_a_toe_that_rose_higher_with_another_than_on_its_own_leaves_that_toe_without_an_index():
    from toelab.analysis.individuation import _rose_higher

    # the little toe went 60 % higher with the 4th than in its own lifts: its own lifts were not
    # seen in full (or the test was not done as asked), and the 4th toe's index is not given
    pattern = np.eye(5)
    pattern[3, 4] = 1.6
    recording, _ = isolation_recording(pattern, lift_height_px=[20, 20, 20, 20, 8], seed=6)
    toes = {t.toe: t for t in individuation_from_recording(recording).toes}
    assert toes[4].individuation_index is None and "the little toe rose" in toes[4].not_measured_reason
    assert all(toes[t].individuation_index > 0.9 for t in (1, 2, 3))
    shares = np.array([0.1, 0.2, 1.0, 0.3, 1.89])
    assert "the little toe rose higher with it (189 % of its own lift)" in _rose_higher(shares, [0, 1, 3, 4])
    assert "(122 % of its own lift)" in _rose_higher(np.array([0.1, 0.2, 1.0, 0.3, 1.22]), [0, 1, 3, 4])
    assert _rose_higher(np.array([0.1, 0.2, 1.0, 0.3, 1.05]), [0, 1, 3, 4]) is None


def test_a_lift_at_the_very_start_has_its_trial_within_the_recording():
    """A toe lifting as the recording starts: its trial's window (its top ± a lift's half-width)
    reached before the first frame and was given a negative start time."""
    time_s = np.arange(0, 6, 1 / 30)
    heights = np.zeros((time_s.size, 5))
    for toe, top_s in enumerate((0.15, 1.2, 2.4, 3.6, 4.8)):
        heights[:, toe] = 10.0 * np.exp(-0.5 * ((time_s - top_s) / 0.12) ** 2)
    result = analyze_individuation(time_s, heights)
    assert result.trials
    assert all(time_s[0] <= t.start_s < t.end_s <= time_s[-1] for t in result.trials)
