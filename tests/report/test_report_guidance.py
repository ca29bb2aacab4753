"""What a clinician hands to a patient with the report (instruction sheets, do's and don'ts with
the reason each was picked, plain explanations) and the context of each tremor test beside the
tremor trend, in the report and in ``toelab history``."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from html import escape
from pathlib import Path

import cv2
import numpy as np
import pytest
from rich.console import Console

from toelab.protocols.context import TremorContext
from toelab.protocols.exercises import get_exercise
from toelab.protocols.guidance import sheets_for
from toelab.report import pdf_available, report_html, write_report
from toelab.report.terminal import history_renderables
from toelab.store import Person, ResultFigure, Store, open_store
from toelab.store.overview import person_overview

TODAY = date(2026, 3, 2)
START = datetime(2026, 2, 2, 9, tzinfo=UTC)
PLAN = ("toe_isolation", "big_toe_mobilisation")
SVG_IMAGE = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')

# holding tests of the left foot: the shaking is larger on the days with caffeine
HOLDING_TESTS = (
    (True, "morning", 0.30, ""),
    (False, "evening", 0.12, ""),
    (True, "morning", 0.34, "new asthma inhaler"),
    (False, "evening", 0.10, ""),
)


def _session(store: Store, person: Person, day: int, hour: int = 9, context: TremorContext | None = None):
    started = START + timedelta(days=day, hours=hour - 9)
    return store.sessions.start(person, "assessment", started_at=started, context=context), started


def _tremor(store: Store, person: Person, day: int, context: TremorContext, amplitude: float, condition: str):
    session, started = _session(store, person, day, context=context)
    store.sessions.add_trial(
        session,
        "tremor",
        "left",
        parameters={"condition": condition, "classification": "rhythmic"},
        results=[
            ResultFigure("tremor_amplitude", amplitude, "mm", "left"),
            ResultFigure("tremor_frequency_hz", 5.2, "Hz", "left"),
        ],
    )
    store.sessions.finish(session, ended_at=started)


def _dana(store: Store) -> Person:
    """A person with a plan, a stiff big toe, poor toe control, and five tremor tests with their context."""
    person = store.people.add("Dana")
    store.plans.create(person, PLAN, TODAY - timedelta(weeks=4))
    session, started = _session(store, person, 0)
    store.sessions.add_trial(
        session, "rom", "right", results=[ResultFigure("big_toe_extension_deg", 38.0, "deg", "right")]
    )
    store.sessions.add_trial(
        session,
        "isolation",
        "left",
        toes=(1, 2, 3, 4, 5),
        results=[ResultFigure("toe_control_score_pct", 45.0, "%", "left")],
    )
    store.sessions.finish(session, ended_at=started)
    for k, (caffeine, part, amplitude, medicine) in enumerate(HOLDING_TESTS):
        context = TremorContext(
            condition="postural",
            part_of_day=part,
            caffeine=caffeine,
            tired_after_exercise=k == 2,
            stress="moderate",
            medication_change=medicine,
        )
        _tremor(store, person, 7 * (k + 1), context, amplitude, "postural")
    _tremor(store, person, 27, TremorContext(condition="rest", part_of_day="morning"), 0.2, "rest")
    return person


@pytest.fixture(scope="module")
def dana(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Person]]:
    folder = tmp_path_factory.mktemp("guidance")
    with open_store(f"sqlite:///{folder / 'toelab.db'}", home=folder) as store:
        yield store, _dana(store)


@pytest.fixture(scope="module")
def html(dana) -> str:
    store, person = dana
    return report_html(store, person, today=TODAY)


def svgs(page: str) -> list[str]:
    return [base64.b64decode(data).decode() for data in SVG_IMAGE.findall(page)]


def test_the_report_hands_over_the_instruction_sheet_of_each_planned_exercise(html):
    assert "To take home: your exercises" in html
    for exercise_id in PLAN:
        (sheet,) = sheets_for(f"exercise:{exercise_id}")
        assert escape(sheet.name) in html
        for section in sheet.sections:
            assert f"<h4>{escape(section.title)}</h4>" in html
            for line in section.lines:
                assert escape(line) in html
    # the isolation practice is filmed from the front: its camera picture is in the report
    (isolation,) = sheets_for("exercise:toe_isolation")
    assert isolation.diagram_svg in svgs(html)
    assert "Where the phone goes (front view)" in html
    # only the plan's exercises, not every exercise the cards could suggest
    assert escape(get_exercise("calf_raise_wedge").name) not in html.split("To take home: your exercises")[1]


def test_the_cards_follow_the_latest_results_and_say_why_each_was_picked(html):
    for title, reason in (
        ("When to see someone about shaking", "A steady shaking was measured while the foot rested."),
        ("Help the big toe bend", "The big toe bent back 38°, less than a full push-off uses."),
        ("Shoes with room for the toes", "The big toe bent back 38°"),
        ("Practise one toe at a time", "Some toes do not yet move on their own."),
        ("Note what goes with the shaking", "A steady shaking was measured."),
        ("Time barefoot", "Good for every foot."),
    ):
        assert escape(title) in html, title
        assert f"Why this card: {escape(reason)}" in html or escape(reason) in html, reason
    # 38° is more than the 30° from which the card to see a podiatrist is shown
    assert "When to see someone about a stiff big toe" not in html


def test_a_steady_shaking_at_rest_is_explained_with_the_advice_to_see_a_doctor(html):
    assert "Tremor test (rest)" in html
    assert "while the foot rested. That is worth a medical opinion" in html
    assert "When to see someone" in html


def test_the_tremor_trend_shows_each_tests_context_and_what_went_with_a_stronger_shaking(html):
    section = html.split("Tremor and what went with it")[1].split("<h2>")[0]
    for header in ("Date", "Condition", "Time of day", "Caffeine", "Tired", "Stress", "Medicine change"):
        assert f"<th>{header}</th>" in section, header
    assert "2026-02-09" in section and "holding" in section and "at rest" in section
    assert "new asthma inhaler" in section and "0.340 mm" in section and "5.2 Hz" in section
    assert (
        "Left foot, holding, by caffeine: a stronger shaking went with caffeine in the hours before"
        in section
    )
    assert "caffeine in the hours before 0.32 mm (2 tests); no caffeine 0.11 mm (2 tests)" in section
    # one test per answer is too few to compare by
    assert "Not enough tests yet to compare by tiredness after exercise" in section
    assert "caused" not in html.lower()
    # the tremor charts stand beside the table
    assert section.count("<img") == 2


def test_a_session_report_notes_the_context_and_picks_cards_for_that_session(dana):
    store, person = dana
    tremor_session = store.sessions.history(person.id)[3]
    page = report_html(store, person, session_id=tremor_session.session.id, today=TODAY)
    assert "Noted before the tremor test:" in page
    assert (
        "morning, caffeine, tired after exercise, stress moderate, medicine changed: new asthma inhaler"
        in page
    )
    assert "Why this card: A steady shaking was measured." in page
    # this session measured no big toe: the mobility card is not picked
    assert "Help the big toe bend" not in page
    names = ", ".join(get_exercise(e).name for e in PLAN)
    assert f"The exercises of the plan: {escape(names)}. The progress report holds their instruction" in page


def test_without_a_plan_the_sheets_are_the_exercises_the_cards_suggest(tmp_path: Path):
    with open_store(f"sqlite:///{tmp_path / 'toelab.db'}", home=tmp_path) as store:
        person = store.people.add("Eli")
        session, started = _session(store, person, 0)
        store.sessions.add_trial(session, "rom", "left", results={"big_toe_extension_deg": 40.0})
        store.sessions.finish(session, ended_at=started)
        _tremor(store, person, 3, TremorContext(), 0.2, "postural")
        page = report_html(store, person, today=TODAY)
    sheets = page.split("To take home: your exercises")[1]
    assert "No exercise plan is stored. These are the exercises the cards above suggest" in sheets
    # a stiff big toe and a steady shaking: the mobility exercises and the foot-muscle exercise
    for exercise_id in ("tennis_ball_roll", "calf_raise_wedge", "foot_stretch_strength"):
        assert f"<h3>{escape(get_exercise(exercise_id).name)}</h3>" in sheets, exercise_id
    assert escape(get_exercise("toe_isolation").name) not in sheets
    assert "No context was noted with these tests." in page


def test_history_shows_the_tremor_tests_with_their_context(dana):
    store, person = dana
    console = Console(record=True, width=200)
    for shown in history_renderables(person_overview(store, person, today=TODAY)):
        console.print(shown)
    out = console.export_text()
    assert "Tremor tests and their context" in out
    assert "new asthma inhaler" in out and "evening" in out and "at rest" in out
    assert "a stronger shaking went with caffeine in the hours before" in out
    assert "not what causes it" in out


def test_the_pdf_carries_the_take_home_pages_with_the_camera_picture(dana, tmp_path: Path):
    if not pdf_available():
        pytest.fail("WeasyPrint cannot load Pango here (see scripts/test.sh for the packages)", pytrace=False)
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        pytest.fail("pdftoppm/pdftotext are missing (apt-get install poppler-utils)", pytrace=False)
    store, person = dana
    path = write_report(store, person, tmp_path / "report.pdf", today=TODAY)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    assert "Why this card" in text and "Tremor and what went with it" in text and "Common mistakes" in text
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = [cv2.imread(str(p)) for p in sorted(tmp_path.glob("page-*.png"))]
    # the front-view picture's foot colour (#f3d9c4, BGR) shows on a take-home page
    skin = [(np.abs(page.astype(int) - (0xC4, 0xD9, 0xF3)).max(axis=2) < 12).sum() for page in pages]
    assert max(skin) > 100
