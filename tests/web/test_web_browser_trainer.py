"""The trainer as a person uses it, in headless Chromium against a real ``toelab serve``:
the isolation test's figures step by step, the musical-toes beat to see beside the clicks,
a step for both feet left out when one foot is in view, rhythm figures from too few hits
withheld, and on a phone the running test, the camera picture and the results at the top
with nothing wider than the screen. Screenshots go to ``build/screenshots``."""

from __future__ import annotations

import numpy as np
import pytest
from feet_camera import FPS, LIFT_PX, chromium_args, write_y4m
from page_waits import wait_for_summary
from test_web_browser import calibrate
from test_web_browser_usability import go, new_page
from videogen import lift_pulses, render_front

# A 2.5 s loop (Chromium's camera repeats it): the big toe alone, the 2nd toe dragging the
# 3rd (90 % of its lift), the 4th toe alone; the little toe never lifts. Every 3 s step
# holds at least one of each lift.
STEPS_LOOP_S = 2.5
STEPS_PULSES = ((0.1, {1: 1.0}), (0.8, {2: 1.0, 3: 0.9}), (1.6, {4: 1.0}))


def steps_lifts(t: np.ndarray) -> np.ndarray:
    out = np.zeros((t.size, 5))
    for onset, toes in STEPS_PULSES:
        for toe, share in toes.items():
            out[:, toe - 1] += lift_pulses(t, [onset], LIFT_PX * share, 0.5)
    return out


@pytest.fixture(scope="module")
def steps_camera(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("steps-camera")
    truth = render_front(folder / "steps.mp4", steps_lifts, fps=FPS, duration_s=STEPS_LOOP_S, noise=1.0)
    return truth, write_y4m(folder / "steps.mp4", folder / "steps.y4m")


def row(page, scope: str, label: str) -> tuple[str, str]:
    found = page.locator(f"{scope} tr[data-figure='{label}']")
    assert found.count() == 1, label
    return found.locator("td").nth(0).inner_text(), found.locator("td").nth(1).inner_text()


def top(page, selector: str) -> float:
    return page.evaluate(f"document.querySelector('{selector}').getBoundingClientRect().top + scrollY")


def overflow(page, width: int) -> int:
    page.set_viewport_size({"width": width, "height": 844})
    return page.evaluate("document.documentElement.scrollWidth")


def test_isolation_steps_have_their_own_figures_with_the_running_test_on_top_of_a_phone(
    server, playwright_driver, steps_camera, screenshots
):
    truth, y4m = steps_camera
    browser, page = new_page(playwright_driver, chromium_args(y4m), "phone")
    try:
        page.goto(f"{server.url}/?step_s=3&ready_s=1")
        page.wait_for_selector("body[data-ready='1']")
        # a compact menu: opened, the nine screens take under a quarter of the phone's screen
        page.click("#menu-toggle")
        assert page.locator("#screens").bounding_box()["height"] < 844 / 4
        page.screenshot(path=screenshots / "phone-menu-open.png")
        page.click("#menu-toggle")
        calibrate(page, [truth.first_points[0]])
        go(page, "calibrate")
        # the camera picture is on the first screen of a phone, above the choices
        page.evaluate("window.scrollTo(0, 0)")
        assert top(page, "#calib-canvas") < top(page, "#view") and top(page, ".stage") < 844 / 2
        page.screenshot(path=screenshots / "phone-calibrate.png")

        go(page, "assess")
        page.click("#test-toe_isolation")
        # the guide's short version on top, the detail behind "More"
        page.wait_for_selector("#guide:not([hidden])")
        assert top(page, "#guide") < top(page, "#test-list") and top(page, "#guide") < 844
        assert page.is_visible("#guide h4:text('Set-up')")
        assert page.is_hidden("#guide h4:text('Common mistakes')")
        page.click("#guide details.more summary")
        assert page.is_visible("#guide h4:text('Common mistakes')")
        page.screenshot(path=screenshots / "phone-guide.png")
        page.click("#guide-start")
        page.wait_for_selector("#runner:not([hidden])")
        # the running test is on the first screen, not below the test cards
        page.evaluate("window.scrollTo(0, 0)")
        assert top(page, "#runner") < top(page, "#test-list") and top(page, "#step-instruction") < 844
        page.wait_for_selector("#assess-live .toe.target", timeout=20000)
        page.screenshot(path=screenshots / "phone-assess-running.png")
        wait_for_summary(page, server, "#assess-results .summary[data-task='isolation']", 90000)
        page.evaluate("window.scrollTo(0, 0)")
        assert top(page, "#assess-results") < top(page, "#test-list") and top(page, "#assess-results") < 844
        page.screenshot(path=screenshots / "phone-steps-results.png", full_page=True)

        scope = "#assess-results .steps table[data-foot='right']"
        assert page.inner_text(f"{scope} caption") == "Right foot: each step"
        value, meaning = row(page, scope, "Big toe alone: did the other four stay down?")
        assert value.startswith("rose ") and value.endswith("% of the big toe's lift")
        assert meaning.startswith("yes: the other four stayed down — the big toe moves on its own")
        value, meaning = row(page, scope, "Big toe on its own: did the other four stay down?")
        assert meaning.startswith("yes: the other four stayed down")
        _, meaning = row(page, scope, "2nd toe on its own: did the other toes stay down?")
        assert meaning.startswith("no: the 3rd toe rose with it — the 2nd toe does not yet move on its own")
        _, meaning = row(page, scope, "4th toe on its own: did the other toes stay down?")
        assert meaning.startswith("yes: the other toes stayed down")
        _, meaning = row(page, scope, "Other four: did the big toe stay down?")
        assert meaning.startswith("yes: the big toe stayed down — the other four toes move on their own")
        value, _ = row(page, scope, "Other four: how high the other four toes went")
        assert value.endswith("% of the foot's width")
        # the little toe never lifts: no figure, why and how to redo
        value, meaning = row(page, scope, "Little toe on its own")
        assert value == "not measured"
        assert meaning == (
            "the little toe did not lift during this step — "
            "lift the little toe slowly, 3 times, while the step's timer runs"
        )
        # one foot filmed: nothing to compare
        assert "How does it compare with the left?" not in page.inner_text("#assess-results")
        # both feet filmed: the comparison the server words comes under its question
        shown = page.evaluate(
            """(steps) => import('/static/results.js').then((m) => {
                const box = m.renderSummary({ task: 'isolation', label: 'Both feet', rows: {}, steps });
                return [...box.querySelectorAll('.steps h5, .steps table.compare tr[data-figure] td')]
                    .map((e) => e.textContent);
            })""",
            {
                "rows": {"left": [], "right": []},
                "compare_title": "How does it compare with the left?",
                "compare": [
                    ["Big toe alone", "right 5 %, left 40 % of the lift", "the other four stayed lower"]
                ],
            },
        )
        assert shown == [
            "How does it compare with the left?",
            "right 5 %, left 40 % of the lift",
            "the other four stayed lower",
        ]

        assert overflow(page, 390) <= 390
        assert overflow(page, 360) <= 360
        page.set_viewport_size({"width": 1280, "height": 800})
        page.locator("#assess-results").screenshot(path=screenshots / "desktop-steps-results.png")
    except Exception:
        page.screenshot(path=screenshots / "failed-steps.png", full_page=True)
        raise
    finally:
        browser.close()


def watch_pulse(page, selector: str) -> None:
    """Record the page-clock time of every flash of the beat light."""
    page.evaluate(
        """(selector) => {
            const light = document.querySelector(selector);
            window.flashes = [];
            new MutationObserver(() => {
                if (light.classList.contains("on") && !light.wasOn) window.flashes.push(performance.now());
                light.wasOn = light.classList.contains("on");
            }).observe(light, { attributes: true, attributeFilter: ["class"] });
        }""",
        selector,
    )


def test_musical_toes_flashes_with_the_clicks_withholds_thin_timing_and_leaves_out_both_feet(
    server, playwright_driver, music_camera, screenshots
):
    browser, page = new_page(playwright_driver, chromium_args(music_camera.y4m), "desktop")
    try:
        # 3 s at 100 beats per minute: 5 beats, fewer than the 8 hits timing needs
        page.goto(f"{server.url}/?step_s=3&ready_s=1")
        page.wait_for_selector("body[data-ready='1']")
        calibrate(page, music_camera.first_points)
        go(page, "music")
        assert "this page plays the clicks" in page.inner_text("#screen-music")
        page.click("button[data-bpm='100']")
        watch_pulse(page, "#music-beat")
        page.click("#music-start")
        page.wait_for_function("window.flashes.length >= 2", timeout=10000)
        page.screenshot(path=screenshots / "desktop-music-pulse.png")
        wait_for_summary(page, server, "#music-results .summary[data-task='rhythm']", 30000)
        heard_ms = page.evaluate("window.toelab.state.music.beats.page_s.map((s) => s * 1000)")
        flashes = page.evaluate("window.flashes")
        # one flash per click, each within a frame or so of when the click is heard
        assert len(flashes) == len(heard_ms) == 5
        late = np.array(flashes) - np.array(heard_ms)
        assert np.all(late > -5) and np.all(late < 60), late
        # too few hits: the timing is withheld in words, with no figure
        results = page.inner_text("#music-results")
        assert "not measured" in results and "8 are needed to measure timing" in results
        assert page.locator("#music-results tr[data-figure='Asynchrony spread (SD)']").count() == 0

        # on a phone, the beat light and the bars are on the first screen while it runs
        page.set_viewport_size({"width": 390, "height": 844})
        page.evaluate("window.scrollTo(0, 0)")
        page.click("#music-start")
        page.wait_for_selector("#screen-music.running #music-beat:not([hidden])")
        page.wait_for_function("document.querySelector('#music-beat').classList.contains('on')")
        assert top(page, "#music-beat") < 844 and top(page, "#music-live") < top(page, "#bpm")
        page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_function("document.querySelector('#music-beat').classList.contains('on')")
        page.screenshot(path=screenshots / "phone-music-pulse.png")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.wait_for_selector("#screen-music:not(.running)", timeout=30000)

        # the test's "both feet" step is not offered with one foot in view, and the page says so
        page.set_viewport_size({"width": 1280, "height": 800})
        go(page, "assess")
        page.click("#test-musical_toes")
        page.click("#guide-start")
        page.wait_for_selector("#runner:not([hidden])")
        assert "Left out: “Both big toes together, with each click.” — only the right foot is in view" in (
            page.inner_text("#status")
        )
        page.wait_for_function("document.querySelector('#step-instruction').textContent.startsWith('1 of 3')")
        page.wait_for_selector("#runner-beat.on", state="attached", timeout=10000)
        wait_for_summary(page, server, "#assess-results .summary[data-task='rhythm']", 60000)
        page.wait_for_function("document.querySelector('#runner').hidden", timeout=60000)
        results = page.inner_text("#assess-results")
        assert results.count("8 are needed to measure timing") == 3
        assert "To do this step, set up the camera with both feet in view." in results
        page.locator("#assess-results").screenshot(path=screenshots / "desktop-music-test-results.png")
    except Exception:
        page.screenshot(path=screenshots / "failed-music-trainer.png", full_page=True)
        raise
    finally:
        browser.close()
