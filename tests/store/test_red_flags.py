"""When to see a professional: plain advice, who to see and how soon, never a diagnosis."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from toelab.analysis.progress import PLATEAU_ADVICE, Measurement, detect_plateau
from toelab.errors import ToelabError
from toelab.protocols import BATTERY, EXERCISES
from toelab.protocols.red_flags import (
    FLAGS,
    QUESTIONS,
    URGENCIES,
    RestTremorReading,
    flags_from_answers,
    flags_from_measurements,
)

DAY = date(2026, 4, 6)

# phrasing that states a diagnosis, and conditions that must never be named as a conclusion
DIAGNOSTIC = re.compile(
    r"you have|you suffer|diagnos|this means you|is caused by|parkinson|essential tremor|dystonia|"
    r"hallux rigidus|rigidus|neuropathy|multiple sclerosis|stroke|arthritis|hammertoe|bunion",
    re.IGNORECASE,
)


def _all_user_text() -> list[str]:
    texts = [q.text for q in QUESTIONS]
    texts += [text for f in FLAGS.values() for text in (f.title, f.advice, f.see, f.when)]
    for exercise in EXERCISES:
        texts += [exercise.name, exercise.trains, *exercise.steps]
        texts += [t for level in exercise.progression for t in (level.instruction, level.advance_when)]
    for test in BATTERY:
        texts += [test.name, test.purpose, *test.setup, *(c.instruction for c in test.conditions)]
    texts.append(PLATEAU_ADVICE)
    everything = {q.id: True for q in QUESTIONS}
    texts += [r.reason for r in flags_from_answers(everything, diabetes=True)]
    return texts


def test_no_advice_question_or_instruction_reads_as_a_diagnosis() -> None:
    offending = [text for text in _all_user_text() if DIAGNOSTIC.search(text)]
    assert offending == []


def test_the_scan_would_catch_a_diagnosis() -> None:
    assert DIAGNOSTIC.search("You have Parkinson's disease.")
    assert DIAGNOSTIC.search("This looks like hallux rigidus.")


def test_every_flag_names_who_to_see_and_how_soon() -> None:
    professionals = ("podiatrist", "neurologist", "physiotherapist", "GP", "diabetes foot team")
    for flag in FLAGS.values():
        assert flag.urgency in URGENCIES
        assert any(p in flag.see for p in professionals), flag.id
        assert any(p.lower() in flag.advice.lower() for p in professionals), flag.id


def test_each_warning_sign_in_the_questionnaire_raises_its_flag() -> None:
    expected = {
        "sudden_weakness": "sudden_weakness",
        "numbness_burning": "numbness_burning",
        "visible_deformity": "visible_deformity",
        "no_improvement": "no_improvement",
        "tremor_persists": "tremor_persistent",
        "tremor_at_rest": "tremor_at_rest",
    }
    for question, flag in expected.items():
        (raised,) = flags_from_answers({question: True})
        assert raised.flag.id == flag
    assert flags_from_answers({q.id: False for q in QUESTIONS}) == ()


def test_sudden_weakness_is_for_today_and_comes_first() -> None:
    raised = flags_from_answers({"no_improvement": True, "sudden_weakness": True})
    assert [r.flag.id for r in raised] == ["sudden_weakness", "no_improvement"]
    assert raised[0].flag.when == "today"


def test_with_diabetes_any_new_foot_symptom_points_to_the_diabetes_foot_team() -> None:
    assert flags_from_answers({"new_foot_symptom": True}) == ()
    (raised,) = flags_from_answers({"new_foot_symptom": True}, diabetes=True)
    assert "diabetes foot team" in raised.flag.see
    with_numbness = flags_from_answers({"numbness_burning": True}, diabetes=True)
    assert {r.flag.id for r in with_numbness} == {"numbness_burning", "diabetes_new_symptom"}


def test_an_unknown_question_is_refused() -> None:
    with pytest.raises(ToelabError, match="unknown red-flag question"):
        flags_from_answers({"sudden_weaknes": True})


def test_a_rhythmic_tremor_in_a_rest_trial_raises_the_rest_tremor_flag() -> None:
    readings = [
        RestTremorReading(DAY, "left", rhythmic=True, frequency_hz=4.6),
        RestTremorReading(DAY, "right", rhythmic=False, frequency_hz=9.0),
    ]
    (raised,) = flags_from_measurements(rest_tremor=readings)
    assert raised.flag.id == "tremor_at_rest" and raised.foot == "left"
    assert "4.6" in raised.reason and "neurologist" in raised.flag.see


def test_a_sudden_drop_in_a_toes_control_between_sessions_is_flagged() -> None:
    data = [
        Measurement(DAY, "individuation_index", 0.75, "right", 3),
        Measurement(DAY + timedelta(days=7), "individuation_index", 0.70, "right", 3),
        Measurement(DAY + timedelta(days=14), "individuation_index", 0.45, "right", 3),
        Measurement(DAY, "toe_control_score_pct", 70.0, "left"),
        Measurement(DAY + timedelta(days=7), "toe_control_score_pct", 55.0, "left"),
    ]
    (raised,) = flags_from_measurements(data)
    assert raised.flag.id == "control_drop"
    assert (raised.foot, raised.day) == ("right", DAY + timedelta(days=14))
    assert "toe 3" in raised.reason


def test_a_big_toe_bending_back_10_degrees_or_less_is_flagged_on_the_latest_session() -> None:
    stiff = [
        Measurement(DAY, "big_toe_extension_deg", 25.0, "right", 1),
        Measurement(DAY + timedelta(days=7), "big_toe_extension_deg", 9.0, "right", 1),
        Measurement(DAY + timedelta(days=7), "big_toe_extension_deg", 11.0, "left", 1),
    ]
    (raised,) = flags_from_measurements(stiff)
    assert raised.flag.id == "big_toe_stiff" and raised.foot == "right"
    assert "podiatrist" in raised.flag.see
    recovered = [
        Measurement(DAY, "big_toe_extension_deg", 8.0),
        Measurement(DAY + timedelta(days=7), "big_toe_extension_deg", 20.0),
    ]
    assert flags_from_measurements(recovered) == ()


def test_a_plateau_raises_the_no_improvement_flag_with_its_advice() -> None:
    data = [Measurement(DAY + timedelta(weeks=i), "toe_control_score_pct", 60.0, "right") for i in range(7)]
    adherence = {DAY + timedelta(weeks=i): 0.9 for i in range(7)}
    plateau = detect_plateau(data, "toe_control_score_pct", adherence, "right")
    (raised,) = flags_from_measurements(data, plateaus=[plateau])
    assert raised.flag.id == "no_improvement" and raised.reason == plateau.advice
