"""The isolation test step by step: the other toes' rise as a share of the named toes' lift,
and a step the data cannot support said plainly, with no figure."""

from __future__ import annotations

import numpy as np
import pytest
from videogen import lift_pulses

from toelab.analysis.isolation_steps import StepSpan, step_figures
from toelab.tasks.isolation_steps import compare_rows, step_rows

FPS = 30.0
T = np.arange(0, 12, 1 / FPS)
STEPS = (
    StepSpan("big_toe_alone", 0.0, 4.0, (1,)),
    StepSpan("other_four", 4.0, 8.0, (2, 3, 4, 5)),
    StepSpan("lift_toe3", 8.0, 12.0, (3,)),
)


def heights(follow_big: float, follow_four: float) -> np.ndarray:
    """The big toe lifts 10 px twice, with the others at ``follow_big`` of it; then the four
    lift 8 px twice with the big toe at ``follow_four``; nothing lifts in the last step."""
    out = np.zeros((T.size, 5))
    big = lift_pulses(T, [1.0, 2.5], 10.0, 0.6)
    four = lift_pulses(T, [5.0, 6.5], 8.0, 0.6)
    out[:, 0] = big + follow_four * four
    out[:, 1:] = (follow_big * big + four)[:, None]
    return out + np.random.default_rng(1).normal(0, 0.1, out.shape)


def test_each_step_says_how_far_the_other_toes_rose():
    good = np.ones((T.size, 5), dtype=bool)
    big, four, none = step_figures(T, heights(0.1, 0.7), good, STEPS, foot_width=200.0)
    assert big.measured and big.lifts == 2
    assert big.lift == pytest.approx(10.0, abs=0.6)
    assert big.lift_pct_of_foot_width == pytest.approx(5.0, abs=0.3)
    assert big.highest_rise[1] == pytest.approx(10.0, abs=4.0)
    assert four.measured and four.lift == pytest.approx(8.0, abs=0.6)
    assert dict(four.rise_pct_by_toe)[1] == pytest.approx(70.0, abs=6.0)
    assert not none.measured and none.lift is None and "did not lift" in none.reason

    rows = step_rows(big.as_dict())
    assert rows[0][0] == "Big toe alone: did the other four stay down?"
    assert rows[0][2].startswith("yes: the other four stayed down — the big toe moves on its own")
    rows = step_rows(four.as_dict())
    assert rows[0][0] == "Other four: did the big toe stay down?"
    assert rows[0][2].startswith(
        "no: the big toe rose with it — the other four toes do not yet move on their own"
    )
    assert rows[1][1] == "4 % of the foot's width"
    (row,) = step_rows(none.as_dict())
    assert row[1] == "not measured"
    assert row[2] == (
        "the 3rd toe did not lift during this step — "
        "lift the 3rd toe slowly, 3 times, while the step's timer runs"
    )
    assert not any(ch.isdigit() for ch in row[1])


def test_a_step_whose_toe_was_lost_gives_no_figure():
    good = np.ones((T.size, 5), dtype=bool)
    good[(T >= 4.0) & (T < 7.0), 1] = False  # the 2nd toe lost for most of the second step
    big, four, _ = step_figures(T, heights(0.1, 0.1), good, STEPS)
    assert big.measured
    assert not four.measured and four.lift is None and four.rise_pct_by_toe == ()
    assert "2nd toe was tracked well on only 25 % of this step's frames" in four.reason
    assert "in view" in four.redo
    short = step_figures(T, heights(0.1, 0.1), good, (StepSpan("lift_toe1", 0.0, 1.0, (1,)),))[0]
    assert not short.measured and "only 1.0 s" in short.reason


def test_left_against_right_names_the_foot_whose_other_toes_stayed_lower():
    good = np.ones((T.size, 5), dtype=bool)
    right = [f.as_dict() for f in step_figures(T, heights(0.1, 0.1), good, STEPS)]
    left = [f.as_dict() for f in step_figures(T, heights(0.7, 0.12), good, STEPS)]
    big, four, none = compare_rows({"left": left, "right": right})
    assert big[0] == "Big toe alone" and big[2].startswith("the other four stayed lower on the right foot")
    assert four[2].startswith("about the same on both feet")
    assert none[1] == "not compared" and "not measured on the left and right foot" in none[2]
    assert compare_rows({"right": right}) == []
