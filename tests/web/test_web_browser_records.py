"""End to end, the person's records: instructions before a test, the finished test in History,
the plan for today, the red-flag questions and the report download, in headless Chromium
against a real ``toelab serve``; screenshots of each screen go to ``build/screenshots``."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from feet_camera import chromium_args
from page_waits import wait_for_summary
from test_web_browser import calibrate

from toelab.protocols.context import TremorContext
from toelab.store import ResultFigure, open_store


def seed_earlier_weeks(home, person_id: int) -> None:
    """Five earlier weekly checks, so History has trends to draw and tremor context to show."""
    url = os.environ.get("TOELAB_DATABASE_URL") or f"sqlite:///{home / 'toelab.db'}"
    with open_store(url, home=home) as store:
        first = datetime.now(UTC) - timedelta(weeks=5)
        for week in range(5):
            when = first + timedelta(weeks=week)
            context = TremorContext(part_of_day="morning", caffeine=week % 2 == 0, stress="low")
            session = store.sessions.start(person_id, "assessment", started_at=when, context=context)
            store.sessions.add_trial(
                session,
                "isolation",
                "right",
                toes=(1, 2, 3, 4, 5),
                results=[ResultFigure("toe_control_score_pct", 45.0 + 6 * week, "%", "right")],
            )
            store.sessions.add_trial(
                session,
                "tremor",
                "right",
                parameters={"condition": "postural", "classification": "rhythmic"},
                results=[
                    ResultFigure("tremor_amplitude", 0.02 + 0.01 * (week % 2), "", "right"),
                    ResultFigure("tremor_frequency_hz", 9.0, "Hz", "right"),
                ],
            )
            store.sessions.finish(session, ended_at=when + timedelta(minutes=10))


def test_instructions_history_plan_red_flags_and_report(
    server, playwright_driver, isolation_camera, screenshots
):
    browser = playwright_driver.chromium.launch(
        executable_path="/usr/bin/chromium", args=chromium_args(isolation_camera.y4m)
    )
    # the tests wait on page conditions written as JavaScript, which the page's CSP would refuse
    page = browser.new_page(viewport={"width": 1000, "height": 900}, bypass_csp=True)
    try:
        page.goto(f"{server.url}/?step_s=2&ready_s=1")
        page.wait_for_selector("body[data-ready='1']")
        me = page.request.get(f"{server.url}/api/people").json()["current"]
        seed_earlier_weeks(server.home, me)
        calibrate(page, isolation_camera.first_points)

        # the tremor test asks what goes with the shaking before it starts
        page.click("nav button[data-screen='assess']")
        page.click("#test-tremor")
        page.wait_for_selector("#guide:not([hidden]) fieldset.context")
        for question in ("part_of_day", "caffeine", "tired_after_exercise", "stress", "medication_change"):
            assert page.locator(f"#guide [name='{question}']").count() >= 1, question
        assert page.is_checked("#guide [name='part_of_day']:checked")
        page.locator("#guide").screenshot(path=screenshots / "instructions-tremor.png")
        page.click("#guide-cancel")
        assert page.is_hidden("#guide") and page.is_hidden("#runner")

        # the instructions, with the camera diagram, come before the countdown
        page.click("#test-toe_isolation")
        page.wait_for_selector("#guide:not([hidden]) .diagram img")
        assert "Set-up" in page.inner_text("#guide")  # the short version; the rest behind "More"
        assert "Common mistakes" not in page.inner_text("#guide")
        page.click("#guide details.more summary")
        guide = page.inner_text("#guide")
        for heading in ("Set-up", "What to do", "Common mistakes"):
            assert heading in guide
        assert page.is_hidden("#runner") and page.inner_text("#countdown") == ""
        assert page.evaluate("document.querySelector('#guide .diagram img').naturalWidth") > 0
        page.locator("#guide").screenshot(path=screenshots / "instructions.png")
        page.click("#guide-start")
        wait_for_summary(page, server, "#assess-results .summary[data-task='isolation']", 40000)
        # the video's 2nd toe lifts its neighbours: the isolation practice card is shown
        assert page.locator("#assess-results .tip[data-card='isolation_plan']").count() == 1
        page.screenshot(path=screenshots / "assess-results-cards.png", full_page=True)

        # History: the finished test is there, with the earlier weeks' trend and tremor context
        newest = page.request.get(f"{server.url}/api/history").json()["sessions"][0]
        assert newest["kind"] == "assessment" and newest["trials"][0]["task"] == "isolation"
        page.click("nav button[data-screen='history']")
        page.wait_for_selector(f"#history-body li[data-session='{newest['id']}']")
        assert page.locator("#history-body .chart img").count() >= 1
        assert "caffeine" in page.inner_text("#history-body")
        page.screenshot(path=screenshots / "history.png", full_page=True)

        # the plan for today: made, then one exercise marked done
        page.click("nav button[data-screen='plan']")
        page.wait_for_selector("#plan-form")
        page.click("#plan-form button[type='submit']")
        item = page.locator("ul.today li[data-exercise='towel_scrunch']")
        item.locator("button", has_text="Done").click()
        page.wait_for_selector("ul.today li[data-exercise='towel_scrunch'] .count:has-text('1 of')")
        page.screenshot(path=screenshots / "plan.png", full_page=True)

        # the red-flag questions: an answer is kept and the advice names whom to see
        page.click("nav button[data-screen='flags']")
        page.wait_for_selector("[data-question='numbness_burning']")
        page.check("[data-question='numbness_burning'] input[value='yes']")
        others = "#flags-questions fieldset:not([data-question='numbness_burning'])"
        for question in page.locator(others).all():
            question.locator("input[value='no']").check()
        page.click("#flags-submit")
        page.wait_for_selector("#flags-advice .flag-box")
        advice = page.inner_text("#flags-advice")
        assert "See:" in advice
        flags = page.request.get(f"{server.url}/api/red-flags").json()["flags"]
        assert any(f["see"] in advice for f in flags)
        page.screenshot(path=screenshots / "red-flags.png", full_page=True)
        # opened again later, these answers are offered: filled in when the person asks
        page.reload()
        page.wait_for_selector("body[data-ready='1']")
        page.click("nav button[data-screen='flags']")
        page.wait_for_selector("#flags-last")
        assert page.locator("#flags-questions input:checked").count() == 0
        assert "Last time: yes" in page.inner_text("[data-question='numbness_burning']")
        page.click("#flags-use-last")
        assert page.is_checked("[data-question='numbness_burning'] input[value='yes']")
        assert page.is_checked("[data-question='visible_deformity'] input[value='no']")

        # the report downloads as a web page
        page.click("nav button[data-screen='history']")
        page.wait_for_selector("#history-body li[data-session]")
        with page.expect_download() as download:
            page.click("#report-html")
        report = Path(download.value.path()).read_text(encoding="utf-8")
        assert download.value.suggested_filename.endswith(".html")
        assert report.lstrip().lower().startswith("<!doctype html") and "Me" in report

        page.set_viewport_size({"width": 390, "height": 844})  # a phone
        page.screenshot(path=screenshots / "history-phone.png", full_page=True)
        wide = page.evaluate(
            "[...document.querySelectorAll('#screen-history *')]"
            ".filter((e) => e.getBoundingClientRect().right > 391 && !e.closest('.table-wrap'))"
            ".map((e) => e.tagName + '#' + e.id + '.' + e.className)"
        )
        assert not wide
    except Exception:
        page.screenshot(path=screenshots / "failed-records.png", full_page=True)
        raise
    finally:
        browser.close()


def test_home_and_results_show_the_chosen_person_s_runs_a_page_at_a_time(
    server, playwright_driver, isolation_camera, screenshots
):
    browser = playwright_driver.chromium.launch(
        executable_path="/usr/bin/chromium", args=chromium_args(isolation_camera.y4m)
    )
    page = browser.new_page(viewport={"width": 1000, "height": 900}, bypass_csp=True)
    log = """(name) => import('/static/dom.js').then((m) =>
        m.api('/api/sessions', { task: 'logged', exercise_id: 'towel_scrunch', exercise_name: name }))"""

    def shown(selector: str) -> str:
        return page.inner_text(selector)

    try:
        page.goto(server.url)
        page.wait_for_selector("body[data-ready='1']")
        page.click("#person-add-box summary")
        page.fill("#person-name", "Nan")
        page.click("#person-add button[type='submit']")
        page.wait_for_function("document.querySelector('#person').selectedOptions[0].textContent === 'Nan'")
        for i in range(8):
            page.evaluate(log, f"Nan's run {i}")
        page.select_option("#person", label="Me")
        page.wait_for_function("document.querySelector('#status').textContent.includes('records for Me')")
        for i in range(2):
            page.evaluate(log, f"My run {i}")

        page.click("nav button[data-screen='home']")
        page.wait_for_function("document.querySelector('#home-last').textContent.includes('My run 1')")
        page.click("nav button[data-screen='results']")
        page.wait_for_function("document.querySelector('#results-list').textContent.includes('My run 1')")
        assert "Nan" not in shown("#results-list") and "Nan" not in shown("#home-last")

        page.select_option("#person", label="Nan")
        page.wait_for_function(
            "document.querySelector('#results-list').textContent.includes(\"Nan's run 7\")"
        )
        page.screenshot(path=screenshots / "results-one-person.png", full_page=True)
        listed = shown("#results-list")
        assert "My run" not in listed
        assert [f"Nan's run {i}" in listed for i in range(8)] == [False, False] + [True] * 6
        page.click("#results-older")
        page.wait_for_function(
            "document.querySelector('#results-list').textContent.includes(\"Nan's run 0\")"
        )
        page.screenshot(path=screenshots / "results-older.png", full_page=True)
        older = shown("#results-list")
        assert (
            "Nan's run 1" in older
            and "Nan's run 2" not in older
            and page.locator("#results-older").count() == 0
        )
        page.click("nav button[data-screen='home']")
        page.wait_for_function("document.querySelector('#home-last').textContent.includes(\"Nan's run 7\")")
        assert "My run" not in shown("#home-last")
    except Exception:
        page.screenshot(path=screenshots / "failed-results-people.png", full_page=True)
        raise
    finally:
        browser.close()
