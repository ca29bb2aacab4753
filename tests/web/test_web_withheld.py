"""A withheld figure in the page's History and in the downloaded report: "not measured — why —
how to redo", never a number, a grade or a referral; screenshots go to ``build/screenshots``."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from toelab.store import open_store
from toelab.store.outcomes import store_outcome
from toelab.synthetic.movement import rom_recording
from toelab.tasks import AnalysisOptions, run_task


def store_a_side_view_lost_on_99_percent(home: Path, person_id: int) -> None:
    """A 72° bend whose heel and joint the tracker was unsure of on 99 % of frames."""
    recording, _ = rom_recording(72.0, duration_s=10.0)
    for name in recording.landmarks:
        recording.confidence[name] = np.full(recording.n_samples, 0.9)
    for name in ("right_heel", "right_mtp1"):
        recording.confidence[name][3:] = 0.05
    url = os.environ.get("TOELAB_DATABASE_URL") or f"sqlite:///{home / 'toelab.db'}"
    with open_store(url, home=home) as store:
        store_outcome(store, person_id, run_task(recording, AnalysisOptions("rom")), recording)


def test_history_and_report_say_not_measured(server, playwright_driver, screenshots):
    browser = playwright_driver.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    try:
        page.goto(f"{server.url}/")
        page.wait_for_selector("body[data-ready='1']")
        me = page.request.get(f"{server.url}/api/people").json()["current"]
        store_a_side_view_lost_on_99_percent(server.home, me)
        page.click("nav button[data-screen='history']")
        page.wait_for_selector("#history-body li[data-session]")
        history = page.inner_text("#history-body")
        assert (
            "Big-toe extension test: not measured (right foot) — The big-toe points were tracked well "
            "on only 1 %" in history
        )
        assert "Film from the side" in history
        page.screenshot(path=screenshots / "history-not-measured.png", full_page=True)

        with page.expect_download() as download:
            page.click("#report-html")
        text = Path(download.value.path()).read_text(encoding="utf-8")
        assert "not measured" in text and "grade 3" not in text
        report = screenshots / "report-not-measured.html"
        report.write_text(text, encoding="utf-8")
        shown = browser.new_page(viewport={"width": 900, "height": 1200})
        shown.goto(report.resolve().as_uri())
        section = shown.locator(".trial", has_text="Big-toe extension test")
        assert "not measured" in section.inner_text() and "°" not in section.inner_text()
        section.screenshot(path=screenshots / "report-not-measured.png")
    finally:
        browser.close()
