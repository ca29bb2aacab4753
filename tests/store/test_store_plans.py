"""The exercise log, red-flag answers and plans, as stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from toelab.errors import ToelabError
from toelab.store import Store

MONDAY = date(2026, 3, 2)


def test_logged_exercises_come_back_in_date_order_and_by_range(store: Store) -> None:
    store.exercise_log.log(store.people.add("Ann"), MONDAY + timedelta(days=1), "marble_pickup", reps=20)
    store.exercise_log.log(
        "Ann", MONDAY, "towel_scrunch", reps=30, minutes=4.5, pain=3, comment="left arch tight"
    )
    entries = store.exercise_log.entries("Ann")
    assert [e.exercise_id for e in entries] == ["towel_scrunch", "marble_pickup"]
    assert (entries[0].minutes, entries[0].pain, entries[0].comment) == (4.5, 3, "left arch tight")
    assert [e.day for e in store.exercise_log.entries("Ann", since=MONDAY + timedelta(days=1))] == [
        MONDAY + timedelta(days=1)
    ]


@pytest.mark.parametrize(
    ("exercise_id", "kwargs", "message"),
    [
        ("juggling", {}, "no exercise 'juggling'"),
        ("towel_scrunch", {"pain": 11}, "pain is rated 0"),
        ("towel_scrunch", {"reps": -1}, "cannot be negative"),
    ],
)
def test_an_impossible_log_entry_is_refused(
    store: Store, exercise_id: str, kwargs: dict, message: str
) -> None:
    person = store.people.add("Ann")
    with pytest.raises(ToelabError, match=message):
        store.exercise_log.log(person, MONDAY, exercise_id, **kwargs)
    assert store.exercise_log.entries(person) == []


def test_the_latest_questionnaire_raises_flags_knowing_about_diabetes(store: Store) -> None:
    store.people.add("Ann", diabetes=True)
    store.red_flag_answers.record("Ann", MONDAY, {"numbness_burning": True, "tremor_at_rest": False})
    answers = store.red_flag_answers.record(
        "Ann",
        MONDAY + timedelta(days=7),
        {"numbness_burning": False, "new_foot_symptom": True},
        {"new_foot_symptom": "blister"},
    )
    assert [(a.question_id, a.answer, a.note) for a in answers] == [
        ("numbness_burning", False, ""),
        ("new_foot_symptom", True, "blister"),
    ]
    flags = store.red_flag_answers.raised("Ann")
    assert [f.flag.id for f in flags] == ["diabetes_new_symptom"]
    assert flags[0].day == MONDAY + timedelta(days=7)


def test_no_questionnaire_means_no_flags(store: Store) -> None:
    assert store.red_flag_answers.raised(store.people.add("Ann")) == ()


def test_an_unknown_question_is_refused(store: Store) -> None:
    store.people.add("Ann")
    with pytest.raises(ToelabError, match="unknown red-flag question"):
        store.red_flag_answers.record("Ann", MONDAY, {"favourite_colour": True})


def test_a_plan_counts_sessions_done_and_missed_into_weekly_adherence(store: Store) -> None:
    person = store.people.add("Ann")
    old = store.plans.create(person, ["towel_scrunch"], MONDAY - timedelta(days=30))
    plan = store.plans.create(person, ["toe_isolation", "musical_toes"], MONDAY)
    assert store.plans.current(person, MONDAY - timedelta(days=1)) == old
    assert store.plans.current(person, MONDAY + timedelta(days=3)) == plan
    for offset in range(7):
        store.plans.mark_done(plan, MONDAY + timedelta(days=offset), "toe_isolation")  # once a day of twice
    store.plans.mark_done(plan, MONDAY, "toe_isolation")
    store.plans.mark_done(plan, MONDAY, "musical_toes")
    store.plans.mark_done(plan, MONDAY + timedelta(days=8), "musical_toes", times=2)
    missed = store.plans.mark_missed(plan, MONDAY + timedelta(days=3), "musical_toes")
    assert missed.times_done == 0
    first, second = store.plans.adherence(plan, until=MONDAY + timedelta(days=8))
    by_id = {e.exercise_id: e for e in first.exercises}
    assert (by_id["toe_isolation"].done, by_id["toe_isolation"].target) == (8, 14)
    assert (by_id["musical_toes"].done, by_id["musical_toes"].target) == (1, 2)
    assert first.fraction == pytest.approx(9 / 16)
    assert second.days_in_plan == 2
    assert {i.day for i in store.plans.items(plan)} >= {MONDAY, MONDAY + timedelta(days=8)}


@pytest.mark.parametrize(
    ("day", "exercise_id", "message"),
    [
        (MONDAY, "towel_scrunch", "not in this plan"),
        (MONDAY - timedelta(days=1), "toe_isolation", "plan starts"),
    ],
)
def test_marking_outside_the_plan_is_refused(store: Store, day: date, exercise_id: str, message: str) -> None:
    plan = store.plans.create(store.people.add("Ann"), ["toe_isolation"], MONDAY)
    with pytest.raises(ToelabError, match=message):
        store.plans.mark_done(plan, day, exercise_id)


def test_a_plan_with_an_unknown_exercise_is_refused(store: Store) -> None:
    with pytest.raises(ToelabError, match="no exercise"):
        store.plans.create(store.people.add("Ann"), ["toe_isolation", "moonwalk"], MONDAY)


@pytest.mark.parametrize("marked_before", [0, 1], ids=["first-of-the-day", "day-already-marked"])
def test_simultaneous_marks_all_count_and_the_first_of_a_day_never_fails(
    store: Store, marked_before: int
) -> None:
    # 20 threads start together: every mark must count once (no read-add-write losing marks),
    # and the first insert of the day's row must not fail on its unique constraint
    import threading

    person = store.people.add("Ann")
    plan = store.plans.create(person, ["towel_scrunch"], MONDAY)
    if marked_before:
        store.plans.mark_done(plan, MONDAY, "towel_scrunch", marked_before)
    threads_n, marks_each = 20, 10
    start = threading.Barrier(threads_n)
    errors: list[BaseException] = []

    def mark() -> None:
        try:
            start.wait()
            for _ in range(marks_each):
                store.plans.mark_done(plan, MONDAY, "towel_scrunch")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    workers = [threading.Thread(target=mark) for _ in range(threads_n)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert [i.times_done for i in store.plans.items(plan)] == [threads_n * marks_each + marked_before]
    assert store.plans.mark_missed(plan, MONDAY, "towel_scrunch").times_done == 0
    assert store.plans.mark_done(plan, MONDAY, "towel_scrunch", 3).times_done == 3
