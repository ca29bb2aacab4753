"""The battery and the programme as data, and what a plan asks for each day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from toelab.analysis.progress import METRICS
from toelab.errors import ToelabError
from toelab.protocols import (
    BATTERY,
    EXERCISES,
    Plan,
    PlanItem,
    get_exercise,
    get_test,
    todays_exercises,
    weekly_adherence,
)
from toelab.store.models import TRIAL_TASKS

START = date(2026, 3, 2)


def test_the_camera_judges_isolation_big_toe_plant_and_musical_toes_only() -> None:
    judged = {e.id for e in EXERCISES if e.camera_judged}
    assert judged == {"toe_isolation", "big_toe_plant", "musical_toes"}
    for exercise in EXERCISES:
        assert (exercise.task is not None) == exercise.camera_judged
        assert exercise.task is None or exercise.task in TRIAL_TASKS


def test_every_exercise_has_steps_a_dose_and_a_progression() -> None:
    assert len({e.id for e in EXERCISES}) == len(EXERCISES)
    for exercise in EXERCISES:
        assert exercise.steps and all(step.endswith(".") for step in exercise.steps)
        dose = exercise.dose
        assert dose.reps or dose.minutes
        assert exercise.progression


def test_doses_and_frequencies_follow_the_programme() -> None:
    isolation = get_exercise("toe_isolation")
    assert (isolation.dose.reps, isolation.frequency.label) == (10, "twice daily")
    assert get_exercise("musical_toes").frequency.label == "twice a week"
    assert get_exercise("tennis_ball_roll").frequency.label == "daily"
    assert get_exercise("textures_walk").frequency.label == "5–7 days a week"
    assert get_exercise("big_toe_plant").dose.hold_s == 5.0


def test_progressions_go_slow_fast_song_and_assisted_unassisted_band() -> None:
    musical = get_exercise("musical_toes")
    assert [level.id for level in musical.progression][:4] == ["slow", "fast", "song", "double"]
    isolation = get_exercise("toe_isolation")
    assert isolation.next_level("assisted").id == "unassisted"
    assert isolation.next_level("unassisted").id == "band"
    assert isolation.next_level("band") is None
    with pytest.raises(ToelabError, match="no level 'expert'"):
        isolation.level("expert")


def test_the_battery_covers_the_four_tests_and_their_tasks() -> None:
    assert [t.id for t in BATTERY] == ["toe_isolation", "big_toe_extension", "tremor", "musical_toes"]
    assert {t.task for t in BATTERY} == {"isolation", "rom", "tremor", "rhythm"}
    isolation = get_test("toe_isolation")
    assert [c.toes for c in isolation.conditions][:5] == [(1,), (2,), (3,), (4,), (5,)]
    assert {c.id for c in get_test("tremor").conditions} == {"rest", "postural", "kinetic"}
    with pytest.raises(ToelabError, match="no test"):
        get_test("balance")


def test_every_figure_progress_follows_is_produced_by_a_test_of_the_battery() -> None:
    measured = {name for test in BATTERY for name in test.measures}
    assert set(METRICS) <= measured


def test_twice_a_week_exercises_fall_on_two_days_of_each_week() -> None:
    plan = Plan(("toe_isolation", "musical_toes"), START)
    days = [START + timedelta(days=i) for i in range(14)]
    musical_days = [d for d in days if get_exercise("musical_toes") in todays_exercises(plan, d)]
    assert [(d - START).days for d in musical_days] == [0, 4, 7, 11]
    assert all(get_exercise("toe_isolation") in todays_exercises(plan, d) for d in days)
    assert todays_exercises(plan, START - timedelta(days=1)) == ()


def test_a_week_of_full_practice_is_full_adherence_and_extra_sessions_do_not_count_twice() -> None:
    plan = Plan(("toe_isolation", "textures_walk"), START)
    items = [PlanItem(START + timedelta(days=i), "toe_isolation", 3) for i in range(7)]
    items += [PlanItem(START + timedelta(days=i), "textures_walk", 1) for i in range(5)]
    week = weekly_adherence(plan, items, START)
    assert (week.done, week.target, week.fraction) == (19, 19, 1.0)


def test_a_week_the_plan_started_in_midway_asks_only_for_its_share() -> None:
    plan = Plan(("tennis_ball_roll",), START)
    week = weekly_adherence(plan, [PlanItem(START, "tennis_ball_roll", 1)], START - timedelta(days=4))
    assert (week.days_in_plan, week.target, week.done) == (3, 3, 1)


def test_a_plan_must_list_known_exercises_once() -> None:
    with pytest.raises(ToelabError, match="same exercise twice"):
        Plan(("toe_isolation", "toe_isolation"), START)
    with pytest.raises(ToelabError, match="at least one"):
        Plan((), START)
