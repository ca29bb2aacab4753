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


def test_a_toe_that_never_lifts_has_no_index_and_counts_as_zero():
    pattern = np.eye(5)
    pattern[1, 1] = 0.0  # toe 2 does not move at all
    recording, truth = isolation_recording(pattern, seed=6)
    result = individuation_from_recording(recording)
    assert result.toe(2).individuation_index is None
    assert not result.toe(2).independent
    assert any("toe 2 never lifted" in w for w in result.warnings)
    assert result.toe_control_score == pytest.approx(80, abs=3)
    assert truth["toe_control_score"] == pytest.approx(80)


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
