"""Progress and session reports: what a person reads in the HTML, and the PDF printed from it."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, date, datetime
from html import escape
from pathlib import Path

import cv2
import numpy as np
import pytest

from toelab.cli.samples import add_sample_person
from toelab.report import latest_trial_views, pdf_available, report_html, write_report
from toelab.store import Person, Store, open_store
from toelab.store.outcomes import store_outcome, trial_parameters
from toelab.store.overview import person_overview
from toelab.synthetic.movement import rom_recording
from toelab.synthetic.tremor import tremor_recording
from toelab.tasks import AnalysisOptions, rows_for, run_task

TODAY = date(2026, 3, 2)
SVG_IMAGE = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Person]]:
    folder = tmp_path_factory.mktemp("records")
    with open_store(f"sqlite:///{folder / 'toelab.db'}", home=folder) as store:
        yield store, add_sample_person(store, today=TODAY)


def svgs(html: str) -> list[str]:
    return [base64.b64decode(data).decode() for data in SVG_IMAGE.findall(html)]


def test_the_progress_report_shows_key_figures_trends_plots_and_their_meaning(sample):
    store, person = sample
    html = report_html(store, person, today=TODAY)
    for words in (
        "Progress report: Sample Person",
        "When to see a professional",
        "Toe control score",
        "Big-toe extension",
        "Rhythm: timing spread (SD)",
        "Tremor frequency",
        "Trends over the weeks",
        "Practice",
        "Latest result of each test",
        "of the left foot's",  # left vs right
    ):
        assert words in html, words
    # every figure of the latest tests comes with its plain-language meaning from its task
    views = latest_trial_views(store, person_overview(store, person, today=TODAY))
    assert {view.trial.task for view in views} == {"isolation", "rom", "rhythm", "tremor"}
    for view in views:
        for _, rows in view.rows:
            for figure, value, meaning in rows:
                assert escape(figure) in html and escape(value) in html and escape(meaning) in html
    assert "share tendons" in html.lower()
    plots = svgs(html)
    # 5 trend charts, 2 per-toe trend charts, adherence, and the latest tests' plots
    assert len(plots) >= 14
    for svg in plots:
        ET.fromstring(svg)  # each plot is well-formed SVG
    # self-contained: nothing is fetched from elsewhere
    assert "<link" not in html and 'src="http' not in html and "<script" not in html


def test_the_sample_person_regains_about_80_percent_of_control_in_six_weeks(sample):
    store, person = sample
    overview = person_overview(store, person, today=TODAY)
    week6 = {
        m.foot: m.value
        for m in overview.measurements
        if m.metric == "toe_control_score_pct"
        and (m.day - overview.sessions[0].session.started_at.date()).days == 42
    }
    assert 0.7 <= week6["right"] / week6["left"] <= 0.9
    directions = {(t.metric, t.foot): t.direction for t in overview.progress.trends}
    assert directions[("toe_control_score_pct", "right")] == "improving"
    assert directions[("big_toe_extension_deg", "right")] == "improving"
    assert directions[("sd_asynchrony_ms", "right")] == "improving"
    assert [len(h.trials) for h in overview.sessions] == [6] * 9
    assert overview.flags == ()  # a made-up person doing well raises no warning sign
    assert all(not p.plateau for p in overview.plateaus)


def test_a_session_report_shows_every_test_of_the_session_with_its_plots(sample):
    store, person = sample
    session = store.sessions.history(person.id)[-1].session
    html = report_html(store, person, session_id=session.id, today=TODAY)
    for title in ("Toe isolation test", "Big-toe extension test", "Musical toes", "Tremor test (postural)"):
        assert title in html
    # per foot: toe bars, co-movement map, angle curve; the asynchrony histogram; the spectrum
    assert len(svgs(html)) == 8
    assert "Left foot" in html and "Right foot" in html


def test_warning_signs_name_who_to_see_and_never_diagnose(tmp_path: Path):
    with open_store(f"sqlite:///{tmp_path / 'toelab.db'}", home=tmp_path) as store:
        person = store.people.add("Ann", diabetes=True)
        store.red_flag_answers.record(person, TODAY, {"numbness_burning": True, "tremor_at_rest": False})
        html = report_html(store, person, today=TODAY)
    assert "Numbness, burning or electric sensations" in html
    assert "GP or neurologist" in html and "GP or diabetes foot team" in html
    assert "not a diagnosis" in html
    assert "No measurements stored yet" in html


def test_a_rest_tremor_and_a_stiff_big_toe_show_as_warning_signs(tmp_path: Path):
    with open_store(f"sqlite:///{tmp_path / 'toelab.db'}", home=tmp_path) as store:
        person = store.people.add("Ben")
        started = datetime(2026, 3, 1, 9, tzinfo=UTC)
        tremor = tremor_recording(4.5, 0.3, 20.0, 100.0, sensor="imu", seed=5)
        outcome = run_task(tremor, AnalysisOptions("tremor"))
        parameters = trial_parameters(outcome, condition="rest")
        store_outcome(store, person, outcome, tremor, parameters=parameters, started_at=started)
        rom, _ = rom_recording(8.0, fps=30)
        store_outcome(store, person, run_task(rom, AnalysisOptions("rom")), rom, started_at=started)
        html = report_html(store, person, today=TODAY)
    assert "Shaking while the foot is at rest" in html
    assert "The big toe bends back very little" in html
    assert "Tremor test (rest)" in html


def test_a_trial_without_tracks_still_shows_its_figures(tmp_path: Path):
    with open_store(f"sqlite:///{tmp_path / 'toelab.db'}", home=tmp_path) as store:
        person = store.people.add("Cy")
        rom, _ = rom_recording(48.0, fps=30)
        stored = store_outcome(store, person, run_task(rom, AnalysisOptions("rom")), None)
        html = report_html(store, person, session_id=stored.session.id, today=TODAY)
    expected = rows_for("rom", {"max_extension_deg": stored.trials[0].figure("big_toe_extension_deg")})
    assert escape(expected[0][2]) in html  # what the angle means
    assert "48" in html


def _pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    if found is None:
        pytest.fail("pdftoppm is missing (Debian/Ubuntu: apt-get install poppler-utils)", pytrace=False)
    return found


def test_the_pdf_report_prints_the_same_report_on_a4_pages(sample, tmp_path: Path):
    if not pdf_available():
        pytest.fail("WeasyPrint cannot load Pango here (see scripts/test.sh for the packages)", pytrace=False)
    store, person = sample
    path = write_report(store, person, tmp_path / "report.pdf", today=TODAY)
    assert path.read_bytes().startswith(b"%PDF")
    subprocess.run([_pdftoppm(), "-r", "30", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 4
    first = cv2.imread(str(pages[0]))
    height, width = first.shape[:2]
    assert 1.35 < height / width < 1.45  # A4 portrait
    # the page carries text and the headings' blue, not a blank sheet
    assert (first.min(axis=2) < 128).mean() > 0.005
    blue = (first[:, :, 0].astype(int) - first[:, :, 2].astype(int)) > 40
    assert blue.any()
    trend_page = np.concatenate([cv2.imread(str(p)) for p in pages[1:3]])
    orange = (trend_page[:, :, 2].astype(int) - trend_page[:, :, 0].astype(int)) > 80
    assert orange.sum() > 50  # the right foot's lines in the trend charts


@pytest.mark.browser
def test_the_progress_report_fits_a_phone_its_wide_tables_scroll_in_their_own_box(sample, tmp_path):
    from playwright.sync_api import sync_playwright

    store, person = sample
    page_file = tmp_path / "report.html"
    page_file.write_text(report_html(store, person, today=TODAY), encoding="utf-8")
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path="/usr/bin/chromium")
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.goto(page_file.as_uri())
            # the page itself does not scroll sideways (the tremor test's context table is wide)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            widest = page.evaluate(
                "Math.max(...[...document.querySelectorAll('table')].map((t) => t.scrollWidth))"
            )
            assert widest > 390  # a table wider than the phone is still all there, in its own box
        finally:
            browser.close()
