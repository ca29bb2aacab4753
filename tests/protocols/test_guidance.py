"""Guidance a person can follow: instructions for every step, plain words, sources, no diagnosis.

Reading level: every block of patient-facing text (one section of an instruction sheet, one
card, one explanation, one question) must reach a Flesch reading ease of at least 60 *and*
a Flesch-Kincaid grade of at most 8, measured with textstat 0.7.4. Both at once: the first
keeps words short, the second keeps sentences short.
"""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone

import pytest
import textstat
from typer.testing import CliRunner

from toelab.cli import app
from toelab.errors import ToelabError
from toelab.protocols import BATTERY, EXERCISES, get_test
from toelab.protocols.battery import Condition
from toelab.protocols.cards import (
    CARDS,
    Card,
    Findings,
    cards_for,
)
from toelab.protocols.context import CAUTION, QUESTIONS, TremorContext, TremorPoint, line_up, part_of_day
from toelab.protocols.diagrams import camera_diagram
from toelab.protocols.guidance import (
    EXERCISE_GUIDES,
    TEST_GUIDES,
    guide_for_exercise,
    list_protocols,
    sheet_for_exercise,
    sheet_for_test,
    sheets_for,
)
from toelab.protocols.red_flags import FLAGS
from toelab.protocols.sources import SOURCES
from toelab.tasks import TASKS, explain, rows_for

runner = CliRunner()

# phrasing that states a diagnosis, and conditions that must never be named as a conclusion
DIAGNOSTIC = re.compile(
    r"you have|you suffer|diagnos|this means you|is caused by|parkinson|essential tremor|dystonia|"
    r"hallux rigidus|rigidus|neuropathy|multiple sclerosis|stroke|arthritis|hammertoe|bunion|"
    r"disease|disorder",
    re.IGNORECASE,
)
# a number with a unit of angle, frequency or time between events
FIGURE_WITH_UNIT = re.compile(
    r"\d+(?:\.\d+)?\s*(?:°|deg\b|degrees?\b|Hz\b|ms\b|milliseconds?\b|times a second)", re.IGNORECASE
)
MIN_READING_EASE = 60.0
MAX_GRADE = 8.0

# figures of each task as the analyses give them, chosen to reach every wording
SAMPLE_RESULTS = {
    "tremor": [
        {
            "classification": "rhythmic",
            "dominant_frequency_hz": 5.0,
            "amplitude": 0.4,
            "amplitude_unit": "mm",
            "band_power_fraction": 0.8,
            "tremor_stability_index": 0.4,
            "sampling_rate_hz": 30.0,
        },
        {
            "classification": "rhythmic",
            "dominant_frequency_hz": 9.5,
            "amplitude": 0.2,
            "amplitude_unit": "px",
            "band_power_fraction": 0.6,
            "sampling_rate_hz": 15.0,
        },
        {
            "classification": "irregular",
            "dominant_frequency_hz": 6.0,
            "amplitude": 0.1,
            "amplitude_unit": "px",
        },
        {"classification": "none", "dominant_frequency_hz": None, "amplitude": 0.0, "amplitude_unit": "px"},
    ],
    "isolation": [
        {
            "toes": [
                {"toe": 1, "individuation_index": 0.9, "independent": True, "co_moved": []},
                {"toe": 2, "individuation_index": 0.6, "independent": False, "co_moved": [3]},
                {"toe": 4, "individuation_index": None, "independent": False, "co_moved": []},
                {"toe": 5, "individuation_index": 0.3, "independent": False, "co_moved": [3, 4]},
            ],
            "toe_control_score": 45.0,
        }
    ],
    "rom": [
        {"max_extension_deg": 72.0, "grade": None},
        {"max_extension_deg": 40.0, "grade": 0},
        {"max_extension_deg": 25.0, "grade": 2},
        {"max_extension_deg": 8.0, "grade": 3},
        {"max_extension_deg": None},
    ],
    "rhythm": [
        {
            "mean_asynchrony_ms": -38.0,
            "sd_asynchrony_ms": 45.0,
            "hits": 48,
            "misses": 2,
            "extras": 1,
            "circular_r": 0.93,
        },
        {"mean_asynchrony_ms": 20.0, "sd_asynchrony_ms": 80.0, "hits": 30, "misses": 20, "extras": 5},
    ],
}


def _sheets():
    return [sheet_for_test(t) for t in BATTERY] + [sheet_for_exercise(e) for e in EXERCISES]


def _explanations():
    return [
        e
        for task, samples in SAMPLE_RESULTS.items()
        for results in samples
        for condition in ("rest", "postural", None)
        for e in explain(task, results, condition=condition)
    ]


def _point(day: int, amplitude: float, **context: object) -> TremorPoint:
    when = datetime(2026, 3, 1, 9, tzinfo=UTC) + timedelta(days=day)
    return TremorPoint(when, "right", "postural", amplitude, "mm", 6.0, "rhythmic", TremorContext(**context))


def _context_summaries() -> list[str]:
    points = [_point(i, 1.0 + (i % 2), caffeine=bool(i % 2), stress="high") for i in range(6)]
    lined = line_up(points + [_point(9, 1.0, medication_change="started a new inhaler")])
    return [c.summary for c in lined.comparisons] + [lined.caution]


def _text_blocks() -> list[tuple[str, str]]:
    """Every block of patient-facing text, named by where it comes from."""
    blocks = []
    for sheet in _sheets():
        blocks.append((f"{sheet.kind}:{sheet.id} purpose", sheet.purpose))
        blocks += [(f"{sheet.kind}:{sheet.id} {s.title}", " ".join(s.lines)) for s in sheet.sections]
    blocks += [(f"card {c.id}", f"{c.title}. {c.text}") for c in CARDS.values()]
    blocks += [(f"explanation {e.figure}", e.meaning) for e in _explanations()]
    blocks += [(f"question {q.id}", q.text) for q in QUESTIONS]
    blocks += [("context summary", text) for text in _context_summaries()]
    blocks.append(("context caution", CAUTION))
    blocks += [(f"flag {f.id}", f.advice) for f in FLAGS.values()]
    return blocks


def _hard_to_read(text: str) -> bool:
    return (
        textstat.flesch_reading_ease(text) < MIN_READING_EASE
        or textstat.flesch_kincaid_grade(text) > MAX_GRADE
    )


# -- instructions for every step -----------------------------------------------------------------


def test_every_step_of_every_test_has_instructions() -> None:
    for test in BATTERY:
        guide = TEST_GUIDES[test.id]
        assert guide.camera is not None, test.id
        assert guide.camera.phone and guide.camera.light and guide.camera.must_see, test.id
        assert guide.setup and guide.mistakes and guide.meaning, test.id
        for condition in test.conditions:
            step = guide.step(condition.id)
            assert step.how_many.strip() and step.tip.strip() and condition.instruction.strip()
        # no guidance left over for a step the test no longer has
        assert {s.step_id for s in guide.steps} == {c.id for c in test.conditions}, test.id
        sheet = sheet_for_test(test)
        titles = [s.title for s in sheet.sections]
        assert titles[0] == "Set-up" and "What to do" in titles and "What the result means" in titles
        assert all(s.lines and all(line.strip() for line in s.lines) for s in sheet.sections)
        (what_to_do,) = [s for s in sheet.sections if s.title == "What to do"]
        assert len(what_to_do.lines) == len(test.conditions)
        assert all("How many:" in line and "seconds" in line for line in what_to_do.lines)


def test_every_exercise_of_the_programme_has_instructions() -> None:
    assert set(EXERCISE_GUIDES) == {e.id for e in EXERCISES}
    for exercise in EXERCISES:
        guide = guide_for_exercise(exercise)
        assert guide.setup and guide.mistakes and guide.meaning, exercise.id
        assert (guide.camera is not None) == exercise.camera_judged, exercise.id
        sheet = sheet_for_exercise(exercise)
        text = {s.title: s.lines for s in sheet.sections}
        assert text["What to do"] == exercise.steps
        assert len(text["Step by step, harder"]) == len(exercise.progression)
        assert exercise.frequency.label.lower() in text["How long and how many"][0].lower()


def test_a_test_step_without_instructions_is_caught() -> None:
    tremor = get_test("tremor")
    added = dataclasses.replace(
        tremor, conditions=(*tremor.conditions, Condition("standing", "Stand on the foot.", 20.0))
    )
    with pytest.raises(ToelabError, match="no guidance for step 'standing'"):
        sheet_for_test(added)


def test_set_up_says_barefoot_position_phone_light_and_what_the_camera_must_see() -> None:
    (sheet,) = sheets_for("test:big_toe_extension")
    setup = " ".join(next(s.lines for s in sheet.sections if s.title == "Set-up"))
    for words in ("Barefoot", "Phone:", "Light:", "The camera must see:", "height of the foot"):
        assert words in setup


def test_a_shared_name_shows_both_the_test_and_the_exercise() -> None:
    assert [s.kind for s in sheets_for("toe_isolation")] == ["test", "exercise"]
    assert [s.kind for s in sheets_for("exercise:toe_isolation")] == ["exercise"]
    assert all(json.loads(json.dumps(s.as_dict()))["sections"] for s in _sheets())
    with pytest.raises(ToelabError, match="no test or exercise"):
        sheets_for("test:tennis_ball_roll")
    with pytest.raises(ToelabError, match="test:ID or exercise:ID"):
        sheets_for("drill:toe_isolation")


# -- diagrams ------------------------------------------------------------------------------------


def _points(svg: str) -> set[str]:
    root = ET.fromstring(svg)
    return {e.get("data-point") for e in root.iter() if e.get("data-point")}


def test_the_front_diagram_shows_the_phone_and_the_five_toes() -> None:
    svg = camera_diagram("front")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg") and root.find("{http://www.w3.org/2000/svg}title") is not None
    assert _points(svg) == {f"toe{n}" for n in range(1, 6)}
    assert any(e.get("data-part") == "phone" for e in root.iter())


def test_the_side_diagram_shows_heel_base_joint_and_tip_of_the_big_toe() -> None:
    assert _points(camera_diagram("side")) == {"heel", "mtp1", "hallux_tip"}
    with pytest.raises(ToelabError, match="no camera view"):
        camera_diagram("top")


def test_each_sheet_carries_the_diagram_of_its_camera_view() -> None:
    (extension,) = sheets_for("test:big_toe_extension")
    (isolation,) = sheets_for("test:toe_isolation")
    (towel,) = sheets_for("exercise:towel_scrunch")
    assert extension.diagram_svg == camera_diagram("side")
    assert isolation.diagram_svg == camera_diagram("front")
    assert towel.diagram_svg is None


# -- plain words, sources, no diagnosis ----------------------------------------------------------


def test_patient_facing_text_reads_plainly() -> None:
    hard = [
        (where, round(textstat.flesch_reading_ease(text)), round(textstat.flesch_kincaid_grade(text), 1))
        for where, text in _text_blocks()
        if _hard_to_read(text)
    ]
    assert hard == []


def test_the_reading_check_would_catch_jargon() -> None:
    assert _hard_to_read(
        "Electrophysiological characterisation of neuromuscular synchronisation necessitates "
        "comprehensive interdisciplinary evaluation of proprioceptive afferent contributions."
    )


def _sourced_texts() -> list[tuple[str, str, tuple[str, ...]]]:
    texts = []
    for guide in [*TEST_GUIDES.values(), *EXERCISE_GUIDES.values()]:
        words = [*guide.setup, *guide.mistakes, guide.meaning, guide.before]
        words += [f"{s.tip} {s.how_many}" for s in guide.steps]
        if guide.camera is not None:
            words += [guide.camera.phone, guide.camera.light, guide.camera.must_see]
        texts += [(f"{guide.kind}:{guide.id}", w, guide.sources) for w in words]
    for test in BATTERY:
        words = [test.purpose, *test.setup, *(c.instruction for c in test.conditions)]
        texts += [(f"test:{test.id}", w, TEST_GUIDES[test.id].sources) for w in words]
    for exercise in EXERCISES:
        words = [exercise.trains, *exercise.steps]
        words += [f"{level.instruction} {level.advance_when}" for level in exercise.progression]
        texts += [(f"exercise:{exercise.id}", w, EXERCISE_GUIDES[exercise.id].sources) for w in words]
    texts += [(f"card {c.id}", f"{c.title} {c.text}", c.sources) for c in CARDS.values()]
    texts += [(f"explanation {e.figure}", e.meaning, e.sources) for e in _explanations()]
    texts += [(f"flag {f.id}", f"{f.title} {f.advice}", f.sources) for f in FLAGS.values()]
    return texts


def _unsourced(texts: list[tuple[str, str, tuple[str, ...]]]) -> list[str]:
    return [where for where, text, sources in texts if FIGURE_WITH_UNIT.search(text) and not sources]


def test_every_figure_with_a_unit_names_its_source() -> None:
    texts = _sourced_texts()
    assert _unsourced(texts) == []
    assert all(key in SOURCES for _, _, sources in texts for key in sources)


def test_the_source_check_would_catch_an_unsourced_angle() -> None:
    card = Card("bare", "do", "Bend", "A push-off uses about 65° of bend.")
    assert _unsourced([("card bare", card.text, card.sources)]) == ["card bare"]


def test_literature_figures_are_cited_beside_them_on_screen() -> None:
    (angle, *_) = rows_for("rom", {"max_extension_deg": 72.0})
    assert "Root et al. 1977" in angle[2]
    assert any("di Biase et al. 2017" in row[2] for row in rows_for("tremor", SAMPLE_RESULTS["tremor"][0]))


def test_nothing_shown_reads_as_a_diagnosis() -> None:
    texts = [text for _, text in _text_blocks()]
    texts += [sheet.name for sheet in _sheets()]
    texts += [c.reason for c in cards_for(_everything(), general=True)]
    texts += [
        " ".join(row)
        for task, samples in SAMPLE_RESULTS.items()
        for r in samples
        for row in rows_for(task, r)
    ]
    offending = [text for text in texts if DIAGNOSTIC.search(text)]
    assert offending == []


# -- explanations next to every figure -----------------------------------------------------------


def test_an_individuation_index_of_0_6_names_the_toes_that_followed_and_how_far() -> None:
    toe = {"toe": 2, "individuation_index": 0.6, "independent": False, "followers": {"3": 0.8, "1": 0.5}}
    (row, *_) = rows_for("isolation", {"toes": [toe]})
    assert row[0] == "2nd toe individuation" and row[1] == "0.60"
    assert row[2].startswith("does not yet move on its own")
    assert "the 3rd toe rose 80 % and the big toe rose 50 % of their own lift" in row[2]


def test_40_degrees_of_extension_is_explained_for_walking_and_running() -> None:
    (angle, *_) = explain("rom", {"max_extension_deg": 40.0})
    assert "65 to 75°" in angle.meaning and "running" in angle.meaning and "knee" in angle.meaning
    assert angle.flag is None


def test_5_hz_says_what_it_means_and_what_it_does_not() -> None:
    rows = {e.figure: e for e in explain("tremor", SAMPLE_RESULTS["tremor"][0])}
    frequency = rows["Dominant frequency"]
    assert frequency.value == "5.00 Hz"
    assert "times a second" in frequency.meaning and "does not tell the cause" in frequency.meaning


def test_an_irregular_movement_gives_no_shaking_rate_to_read_or_trend() -> None:
    from toelab.analysis.tremor import analyze_tremor
    from toelab.synthetic.tremor import twitch_signal
    from toelab.tasks import get_task

    result = analyze_tremor(*twitch_signal(12.0, 60.0, seed=1))
    assert result.classification == "irregular" and result.dominant_frequency_hz is not None
    rows = {e.figure: e for e in explain("tremor", result.as_dict())}
    assert "Dominant frequency" not in rows
    assert "not how many times a second" in rows["Strongest frequency"].meaning
    task = get_task("tremor")
    assert "tremor_frequency_hz" not in [f.name for f in task.figures(result, None)]
    rhythmic = dataclasses.replace(result, classification="rhythmic")
    assert "tremor_frequency_hz" in [f.name for f in task.figures(rhythmic, None)]


def test_a_rhythm_at_rest_carries_the_advice_to_see_a_doctor() -> None:
    rows = rows_for("tremor", SAMPLE_RESULTS["tremor"][0], condition="rest")
    assert rows[-1][0] == "When to see someone" and "neurologist" in rows[-1][1]
    holding = rows_for("tremor", SAMPLE_RESULTS["tremor"][0], condition="postural")
    assert all(row[0] != "When to see someone" for row in holding)


def test_a_big_toe_that_hardly_bends_carries_the_advice_to_see_a_podiatrist() -> None:
    rows = rows_for("rom", {"max_extension_deg": 8.0, "grade": 3})
    assert rows[-1][0] == "When to see someone" and "podiatrist" in rows[-1][1]


def test_a_slow_camera_is_pointed_out() -> None:
    rows = {e.figure: e for e in explain("tremor", SAMPLE_RESULTS["tremor"][1])}
    assert "7.5 times a second" in rows["Frame rate"].meaning


# -- do's and don'ts cards -----------------------------------------------------------------------


def _everything() -> Findings:
    return Findings(
        big_toe_extension_deg=20.0,
        toe_control_score_pct=40.0,
        toes_not_independent=(2,),
        little_toe_with_fourth=True,
        tremor_rhythmic=True,
        tremor_at_rest=True,
        diabetes=True,
        plateau=True,
    )


def findings_from_results(task: str, results: dict, condition: str | None = None) -> Findings:
    return TASKS[task].findings(results, condition)


def _ids(findings: Findings, general: bool = False) -> list[str]:
    return [c.card.id for c in cards_for(findings, general=general)]


def test_a_stiff_big_toe_shows_the_mobility_exercises_and_the_footwear_card() -> None:
    chosen = cards_for(findings_from_results("rom", {"max_extension_deg": 45.0}), general=False)
    ids = [c.card.id for c in chosen]
    assert {"mobility_plan", "wide_toe_box"} <= set(ids) and "stiff_toe_see_someone" not in ids
    mobility = CARDS["mobility_plan"]
    assert (
        "Tennis-ball roll" in mobility.exercise_names
        and "Calf raises through the big toe" in mobility.exercise_names
    )
    assert "45°" in chosen[0].reason
    assert "stiff_toe_see_someone" in _ids(Findings(big_toe_extension_deg=25.0))
    assert _ids(Findings(big_toe_extension_deg=70.0)) == []


def test_poor_toe_isolation_shows_the_isolation_plan() -> None:
    results = SAMPLE_RESULTS["isolation"][0]
    ids = _ids(findings_from_results("isolation", results))
    assert ids[0] == "isolation_plan" and "little_toe" in ids
    assert "toe_isolation" in CARDS["isolation_plan"].exercises
    assert _ids(Findings(toe_control_score_pct=92.0)) == []


def test_a_rhythmic_tremor_shows_the_context_card_and_when_to_see_someone() -> None:
    rhythmic = SAMPLE_RESULTS["tremor"][0]
    assert _ids(findings_from_results("tremor", rhythmic))[:2] == ["tremor_context", "tremor_see_someone"]
    at_rest = _ids(findings_from_results("tremor", rhythmic, condition="rest"))
    assert at_rest[0] == "tremor_see_someone"
    assert _ids(findings_from_results("tremor", SAMPLE_RESULTS["tremor"][3])) == []


def test_diabetes_in_the_profile_shows_the_foot_check_card() -> None:
    assert _ids(Findings(diabetes=True)) == ["diabetes_foot_checks"]


def test_general_cards_come_last_and_each_card_only_once() -> None:
    ids = _ids(_everything(), general=True)
    assert len(ids) == len(set(ids))
    # the footwear card came earlier, for the stiff big toe
    assert ids[-3:] == ["barefoot_time", "exercise_often", "numbness"] and "wide_toe_box" in ids[:-3]
    assert _ids(Findings(), general=True) == ["wide_toe_box", "barefoot_time", "exercise_often", "numbness"]


def test_findings_from_stored_figures_keep_the_lowest_angle_and_score() -> None:
    found = Findings(diabetes=True)
    for figures in (
        {"big_toe_extension_deg": 50.0},
        {"big_toe_extension_deg": 30.0},
        {"toe_control_score_pct": 60.0},
    ):
        found = found.merged(Findings(**figures))
    assert (found.big_toe_extension_deg, found.toe_control_score_pct, found.diabetes) == (30.0, 60.0, True)
    assert _ids(found)[:2] == ["diabetes_foot_checks", "mobility_plan"]


def test_findings_from_two_feet_keep_the_worse_figures() -> None:
    both = Findings(big_toe_extension_deg=70.0, toe_control_score_pct=50.0).merged(
        Findings(big_toe_extension_deg=35.0, tremor_rhythmic=True)
    )
    assert (both.big_toe_extension_deg, both.toe_control_score_pct, both.tremor_rhythmic) == (
        35.0,
        50.0,
        True,
    )


# -- tremor context ------------------------------------------------------------------------------


def test_context_words_from_the_command_line_are_understood() -> None:
    context = TremorContext.parse(
        ["condition=holding", "caffeine=yes", "tired=no", "stress=High", "medication=stopped beta blocker"]
    )
    assert context == TremorContext("postural", None, True, False, "high", "stopped beta blocker")
    assert TremorContext.from_dict(context.as_dict()) == context
    assert context.labels() == (
        "holding",
        "caffeine",
        "stress high",
        "medicine changed: stopped beta blocker",
    )


def test_the_part_of_day_follows_the_local_clock() -> None:
    local = datetime(2026, 3, 2, 23, 30, tzinfo=UTC).astimezone(timezone(timedelta(hours=9)))
    assert part_of_day(local) == "morning"
    assert [part_of_day(datetime(2026, 3, 2, h)) for h in (4, 5, 12, 17, 22)] == [
        "night",
        "morning",
        "afternoon",
        "evening",
        "night",
    ]


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (["caffeine=lots"], "yes or no"),
        (["condition=jogging"], "rest, holding or moving"),
        (["stress=extreme"], "low, moderate, high"),
        (["mood=ok"], "unknown tremor context"),
        (["caffeine"], "key=value"),
    ],
)
def test_wrong_context_words_are_explained(words: list[str], message: str) -> None:
    with pytest.raises(ToelabError, match=message):
        TremorContext.parse(words)


def test_caffeine_is_lined_up_beside_a_stronger_shaking() -> None:
    points = [
        _point(0, 1.5, caffeine=True),
        _point(1, 0.5, caffeine=False),
        _point(2, 1.7, caffeine=True),
        _point(3, 0.7, caffeine=False),
        _point(4, 0.6, caffeine=False),
    ]
    lined = line_up(points)
    (caffeine,) = [c for c in lined.comparisons if c.factor == "caffeine"]
    assert caffeine.enough and caffeine.condition == "holding" and caffeine.foot == "right"
    assert [(g.label, g.tests) for g in caffeine.groups] == [("with caffeine", 2), ("without", 3)]
    assert caffeine.groups[0].mean_amplitude == pytest.approx(1.6)
    assert caffeine.groups[1].mean_amplitude == pytest.approx(0.6)
    assert "largest with caffeine" in caffeine.summary and "1.6 mm (2 tests)" in caffeine.summary
    assert [row.amplitude for row in lined.timeline] == [1.5, 0.5, 1.7, 0.7, 0.6]
    assert lined.timeline[0].context == ("caffeine",) and lined.timeline[0].condition == "holding"


def test_one_test_on_a_side_is_not_enough_to_compare() -> None:
    lined = line_up(
        [_point(0, 1.5, caffeine=True), _point(1, 0.5, caffeine=False), _point(2, 0.6, caffeine=False)]
    )
    (caffeine,) = [c for c in lined.comparisons if c.factor == "caffeine"]
    assert not caffeine.enough and "not enough tests yet" in caffeine.summary


def test_tests_in_other_units_or_conditions_are_not_mixed() -> None:
    base = _point(0, 1.0, part_of_day="morning")
    points = [
        base,
        dataclasses.replace(base, amplitude_unit="px", amplitude=40.0),
        dataclasses.replace(base, condition="rest"),
        _point(1, 2.0, part_of_day="evening"),
    ]
    by_time = [c for c in line_up(points).comparisons if c.factor == "part_of_day"]
    assert sorted((c.condition, c.amplitude_unit, sum(g.tests for g in c.groups)) for c in by_time) == [
        ("at rest", "mm", 1),
        ("holding", "mm", 2),
        ("holding", "px", 1),
    ]


def test_a_trial_without_its_own_condition_takes_the_context_s() -> None:
    point = TremorPoint(
        datetime(2026, 3, 1, tzinfo=UTC), None, None, 1.0, "mm", None, "irregular", TremorContext("rest")
    )
    (row,) = line_up([point]).timeline
    assert row.condition == "at rest" and row.context == ()


# -- command line --------------------------------------------------------------------------------


def test_protocol_list_names_every_test_and_exercise() -> None:
    result = runner.invoke(app, ["protocol", "list"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for entry in list_protocols():
        assert entry.key in result.stdout


def test_protocol_show_prints_the_instructions_and_writes_the_diagram(tmp_path) -> None:
    out = tmp_path / "side.svg"
    result = runner.invoke(
        app, ["protocol", "show", "test:big_toe_extension", "--svg", str(out)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    for heading in ("Set-up", "What to do", "Common mistakes", "What the result means", "Sources"):
        assert heading in result.stdout
    assert "Root, Orien & Weed 1977" in result.stdout
    assert _points(out.read_text()) == {"heel", "mtp1", "hallux_tip"}


def test_protocol_show_explains_an_unknown_name() -> None:
    result = runner.invoke(app, ["protocol", "show", "juggling"])
    assert result.exit_code == 2
    assert "no test or exercise 'juggling'" in result.stderr and "test:tremor" in result.stderr
    assert runner.invoke(app, ["protocol", "show", "exercise:towel_scrunch", "--svg", "x.svg"]).exit_code == 2


def test_context_given_with_a_tremor_measurement_is_stored_with_it(tmp_path, monkeypatch) -> None:
    from toelab.store import open_store
    from toelab.synthetic.tremor import tremor_recording

    monkeypatch.setenv("TOELAB_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TOELAB_DATABASE_URL", raising=False)
    path = tremor_recording(6.0, 3.0, 10.0, 60.0, seed=3).save(tmp_path / "shake.npz")
    assert runner.invoke(app, ["person", "add", "Ann"]).exit_code == 0
    args = ["analyze", str(path), "--task", "tremor", "--person", "Ann"]
    result = runner.invoke(app, [*args, "--context", "caffeine=yes", "--context", "condition=holding"])
    assert result.exit_code == 0, result.output
    assert "rhythmic" in result.stdout and "When to see someone" not in result.stdout
    with open_store() as store:
        (history,) = store.sessions.history("Ann")
        (point,) = store.sessions.tremor_points("Ann")
    assert history.session.context == TremorContext(condition="postural", caffeine=True)
    assert point.context == history.session.context and point.amplitude > 0
    at_rest = runner.invoke(app, [*args, "--context", "condition=rest"], env={"COLUMNS": "200"})
    assert at_rest.exit_code == 0 and "When to see someone" in at_rest.stdout


def test_context_needs_a_person_and_the_tremor_task(tmp_path) -> None:
    args = ["analyze", str(tmp_path / "none.npz"), "--context", "caffeine=yes"]
    alone = runner.invoke(app, [*args, "--task", "tremor"])
    assert alone.exit_code == 2 and "--person" in alone.stderr
    rom = runner.invoke(app, [*args, "--task", "rom", "--person", "Ann"])
    assert rom.exit_code == 2 and "tremor task" in rom.stderr


def test_no_shaking_shows_no_share_of_power_from_noise() -> None:
    rows = {e.figure: e for e in explain("tremor", {"classification": "none", "band_power_fraction": 0.21})}
    assert rows["Power in 3–12 Hz"].value == "—"
    shaking = {"classification": "rhythmic", "band_power_fraction": 0.21}
    rhythmic = {e.figure: e for e in explain("tremor", shaking)}
    assert rhythmic["Power in 3–12 Hz"].value == "21 %"
