"""The live trainer's judgement, frame by frame: green when the target toe lifts alone, a
neighbour that follows is named, reps counted, the hold timer counts only while right."""

from __future__ import annotations

import numpy as np
import pytest

from toelab.analysis.live import UP_FRACTION, LiveScorer, beat_asynchrony_ms
from toelab.errors import ToelabError

FPS = 30.0


def pulse(t: np.ndarray, start_s: float, length_s: float, height: float) -> np.ndarray:
    phase = (t - start_s) / length_s
    inside = (phase >= 0) & (phase <= 1)
    out = np.zeros_like(t)
    out[inside] = height * 0.5 * (1 - np.cos(2 * np.pi * phase[inside]))
    return out


def run(scorer: LiveScorer, lifts: np.ndarray, t: np.ndarray) -> list:
    return [scorer.update(float(tk), row) for tk, row in zip(t, lifts, strict=True)]


def test_target_toe_lifting_alone_turns_green_and_counts_clean_reps():
    t = np.arange(0, 6, 1 / FPS)
    lifts = np.zeros((t.size, 5))
    for start in (1.0, 3.0, 5.0):
        lifts[:, 0] += pulse(t, start, 0.6, 0.07)
    lifts += np.random.default_rng(0).normal(0, 0.002, lifts.shape)  # tracking noise
    states = run(LiveScorer([1]), lifts, t)
    assert any(s.isolated for s in states)
    assert not any(s.followers for s in states)
    assert states[-1].reps == 3
    finished = [s.finished_rep for s in states if s.finished_rep]
    assert all(r.clean for r in finished)
    assert [round(r.peak_s, 1) for r in finished] == [1.3, 3.3, 5.3]


def test_a_neighbour_that_follows_is_named_and_spoils_the_rep():
    t = np.arange(0, 4, 1 / FPS)
    lifts = np.zeros((t.size, 5))
    lifts[:, 1] = pulse(t, 1.0, 0.8, 0.07)
    lifts[:, 2] = pulse(t, 1.0, 0.8, 0.05)  # the 3rd toe comes along
    states = run(LiveScorer([2]), lifts, t)
    assert {3} == {f for s in states for f in s.followers}
    assert not any(s.isolated for s in states[30:60] if s.followers)
    rep = next(s.finished_rep for s in states if s.finished_rep)
    assert rep.followers == (3,) and not rep.clean
    assert states[-1].reps == 1 and states[-1].clean_reps == 0


def test_small_wobble_below_the_threshold_is_not_a_lift():
    t = np.arange(0, 3, 1 / FPS)
    lifts = np.zeros((t.size, 5))
    lifts[:, 0] = pulse(t, 1.0, 0.5, 0.8 * UP_FRACTION)
    states = run(LiveScorer([1]), lifts, t)
    assert not any(s.target_up for s in states) and states[-1].reps == 0


def test_hold_timer_counts_only_while_the_position_is_right():
    t = np.arange(0, 8, 1 / FPS)
    lifts = np.zeros((t.size, 5))
    up = (t >= 1.0) & (t < 6.0)
    lifts[up, 1:] = 0.06  # the other four held up for 5 s
    wrong = (t >= 2.0) & (t < 3.5)
    lifts[wrong, 0] = 0.05  # for 1.5 s the big toe comes up too
    states = run(LiveScorer([2, 3, 4, 5], hold_s=3.0), lifts, t)
    during = [s for s in states if 2.2 < s.time_s < 2.8]
    assert all(s.followers == (1,) and not s.isolated for s in during)
    assert during[0].held_s == pytest.approx(during[-1].held_s)  # paused while wrong
    at_end = [s for s in states if s.time_s < 6.0][-1]
    assert at_end.held_s == pytest.approx(3.5, abs=0.1)  # 5 s up, 1.5 s of it wrong
    assert at_end.hold_reached
    rep = next(s.finished_rep for s in states if s.finished_rep)
    assert rep.held_s == pytest.approx(3.5, abs=0.1)
    assert not rep.clean  # the big toe followed for 30 % of the rep


def test_a_hold_cut_short_is_not_a_clean_rep():
    t = np.arange(0, 4, 1 / FPS)
    lifts = np.zeros((t.size, 5))
    lifts[(t >= 1.0) & (t < 2.0), 0] = 0.06
    states = run(LiveScorer([1], hold_s=3.0), lifts, t)
    rep = next(s.finished_rep for s in states if s.finished_rep)
    assert rep.held_s == pytest.approx(1.0, abs=0.1) and not rep.clean
    assert not any(s.hold_reached for s in states)


def test_rest_level_follows_a_first_frame_taken_mid_lift():
    t = np.arange(0, 6, 1 / FPS)
    lifts = np.zeros((t.size, 5))
    lifts[:, 0] = -0.07  # tracking began with the toe up: at rest it reads below zero
    lifts[:5, 0] = 0.0
    lifts[:, 0] += pulse(t, 3.0, 0.6, 0.07)
    states = run(LiveScorer([1]), lifts, t)
    assert states[-1].reps == 1
    assert not any(s.target_up for s in states if s.time_s < 2.9)


def test_lost_toes_are_reported_and_never_counted_as_up():
    scorer = LiveScorer([1])
    state = scorer.update(0.0, [np.nan, 0, 0, 0, 0])
    assert state.level[0] is None and not state.up[0]


def test_bad_input_is_explained():
    with pytest.raises(ToelabError, match="target toes"):
        LiveScorer([6])
    with pytest.raises(ToelabError, match="hold"):
        LiveScorer([1], hold_s=0)
    scorer = LiveScorer([1])
    scorer.update(1.0, [0] * 5)
    with pytest.raises(ToelabError, match="increase"):
        scorer.update(1.0, [0] * 5)
    with pytest.raises(ToelabError, match="one lift per toe"):
        scorer.update(2.0, [0] * 4)


def test_lifts_are_scored_against_the_nearest_beat():
    beats = np.arange(0, 10, 0.6)
    assert beat_asynchrony_ms(1.2 - 0.04, beats) == pytest.approx(-40.0)
    assert beat_asynchrony_ms(1.8 + 0.2, beats) == pytest.approx(200.0)
    assert beat_asynchrony_ms(1.5, beats) is None  # halfway between beats: an extra lift
    assert beat_asynchrony_ms(1.0, []) is None
