"""The pain rule and the progression rule, as pure functions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from toelab.analysis.pain import PainReading, pain_trend
from toelab.errors import ToelabError
from toelab.protocols.exercises import get_exercise
from toelab.protocols.progression import PracticeSet, readiness

DAY0 = date(2026, 3, 2)


def readings(*pains: int) -> list[PainReading]:
    return [PainReading(DAY0 + timedelta(days=i), p) for i, p in enumerate(pains)]


def test_too_few_check_ins_give_no_trend_and_no_advice() -> None:
    trend = pain_trend(readings(1, 2, 3))
    assert trend.level == "not_enough"
    assert trend.direction == "unknown"
    assert trend.advice == ""


def test_pain_rising_by_two_points_advises_easing_off_not_a_visit() -> None:
    trend = pain_trend(readings(1, 1, 2, 3, 4, 4))
    assert trend.level == "ease_off"
    assert trend.direction == "up"
    assert "Ease off" in trend.advice
    assert "physiotherapist" not in trend.advice


def test_pain_rising_past_five_twice_advises_seeing_a_professional() -> None:
    trend = pain_trend(readings(2, 2, 3, 5, 6, 7))
    assert trend.level == "see_professional"
    assert "physiotherapist or podiatrist" in trend.advice
    assert trend.rise_points == pytest.approx(6.0 - 7 / 3)


def test_a_small_drift_is_steady() -> None:
    trend = pain_trend(readings(2, 3, 2, 3, 3, 3))
    assert trend.level == "steady"
    assert trend.direction == "flat"
    assert trend.advice == ""


def test_steady_but_high_pain_advises_easing_off() -> None:
    trend = pain_trend(readings(6, 6, 6, 6, 6, 6))
    assert trend.level == "ease_off"
    assert "more than 5" in trend.advice


def test_pain_falling_is_no_finding() -> None:
    trend = pain_trend(readings(7, 7, 6, 3, 2, 1))
    assert trend.direction == "down"
    assert trend.level == "steady"


def test_check_ins_are_judged_in_date_order() -> None:
    shuffled = list(reversed(readings(1, 1, 2, 3, 4, 4)))
    assert pain_trend(shuffled).direction == "up"


def test_a_pain_outside_the_scale_is_refused() -> None:
    with pytest.raises(ToelabError, match="0 .none. to 10"):
        pain_trend(readings(1, 11))


TODAY = date(2026, 3, 30)
ISOLATION = get_exercise("toe_isolation")  # 10 reps a set, levels assisted → unassisted → band


def sets(clean: list[int], every_days: int = 2) -> list[PracticeSet]:
    return [
        PracticeSet(TODAY - timedelta(days=i * every_days), "toe_isolation", c, None)
        for i, c in enumerate(clean)
    ]


def test_the_dose_met_in_80_percent_of_sets_for_two_weeks_proposes_the_next_level() -> None:
    found = readiness(ISOLATION, None, sets([10, 10, 12, 9, 10, 10, 11]), TODAY)
    assert found.ready
    assert (found.level_id, found.next_level_id) == ("assisted", "unassisted")
    assert (found.sets, found.sets_met) == (7, 6)


def test_below_80_percent_proposes_nothing() -> None:
    found = readiness(ISOLATION, None, sets([10, 10, 8, 9, 10, 7, 11]), TODAY)
    assert not found.ready
    assert "4 of 7" in found.reason


def test_one_good_week_is_not_enough() -> None:
    found = readiness(ISOLATION, None, sets([10] * 6, every_days=1), TODAY)
    assert not found.ready
    assert "both weeks" in found.reason


def test_a_level_taken_up_recently_waits_two_weeks() -> None:
    found = readiness(ISOLATION, "unassisted", sets([10] * 7), TODAY, since=TODAY - timedelta(days=5))
    assert not found.ready
    assert found.level_id == "unassisted"


def test_the_last_level_proposes_nothing() -> None:
    found = readiness(ISOLATION, "band", sets([10] * 7), TODAY)
    assert found.next_level_id is None and not found.ready


def test_an_exercise_dosed_in_minutes_counts_minutes() -> None:
    music = get_exercise("musical_toes")
    practice = [PracticeSet(TODAY - timedelta(days=d), "musical_toes", None, 5.0) for d in (0, 3, 7, 10, 12)]
    assert readiness(music, None, practice, TODAY).ready
    short = [PracticeSet(p.day, p.exercise_id, None, 3.0) for p in practice]
    assert not readiness(music, None, short, TODAY).ready
