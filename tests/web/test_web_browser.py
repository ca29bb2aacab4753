"""End to end: ``toelab serve`` + headless Chromium whose camera plays a generated foot video.

The page is driven as a person would: start the camera, take the still picture, accept the
toe points, run the toe isolation test and a musical-toes run, train one toe; what the page
then says is checked against the video's ground truth.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from feet_camera import ISOLATION_LOOP_S, ISOLATION_PULSES, MUSIC_PERIOD_S, chromium_args, snap_until_proposed
from page_waits import wait_for_summary


def open_page(driver, camera, url: str):
    browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=chromium_args(camera.y4m))
    # the tests wait on page conditions written as JavaScript, which the page's CSP would refuse
    page = browser.new_page(viewport={"width": 1000, "height": 900}, bypass_csp=True)
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")
    return browser, page


def calibrate(page, truth_points: list[dict], screenshot=None) -> list[dict]:
    """Start the camera, take the still until toelab finds the toes, accept the points."""
    page.click("#camera-start")
    page.wait_for_selector("#screen-calibrate:not([hidden])")
    assert snap_until_proposed(page)
    # move the big toe's point with the keyboard and back: the points can be fixed by hand
    page.select_option("#point-select", index=0)
    page.focus("#calib-canvas")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowLeft")
    if screenshot:
        page.screenshot(path=screenshot, full_page=True)
    page.click("#use-points")
    points = page.evaluate("window.toelab.state.points")
    assert len(points) == 1 and points[0]["foot"] == truth_points[0]["foot"]
    for toe in range(1, 6):
        found = np.array(points[0][f"toe{toe}"])
        true = np.array(truth_points[0][f"toe{toe}"])
        # the still may catch a toe mid-lift (up to 14 px)
        assert np.linalg.norm(found - true) < 25, (toe, found, true)
    return points


def figure(page, scope: str, label: str) -> tuple[str, str]:
    row = page.locator(f"{scope} tr[data-figure='{label}']").first
    return row.locator("td").nth(0).inner_text(), row.locator("td").nth(1).inner_text()


def test_isolation_test_and_training_report_the_video_s_toes(
    server, playwright_driver, isolation_camera, screenshots
):
    browser, page = open_page(playwright_driver, isolation_camera, f"{server.url}/?step_s=2&ready_s=1")
    try:
        page.screenshot(path=screenshots / "home.png", full_page=True)
        calibrate(page, isolation_camera.first_points, screenshots / "calibrate.png")

        page.click("nav button[data-screen='assess']")
        page.click("#test-toe_isolation")
        page.click("#guide-start")  # after reading the instructions
        page.wait_for_selector("#assess-live .toe.good", timeout=20000)
        page.screenshot(path=screenshots / "assess-running.png", full_page=True)
        wait_for_summary(page, server, "#assess-results .summary[data-task='isolation']", 40000)
        page.screenshot(path=screenshots / "assess-results.png", full_page=True)
        scope = "#assess-results"
        _, big = figure(page, scope, "big toe individuation")
        assert big.startswith("moves on its own")
        _, second = figure(page, scope, "2nd toe individuation")
        assert second.startswith("does not yet move on its own")
        assert "3rd toe" in second and "4th toe" in second
        for label in ("3rd toe individuation", "4th toe individuation", "little toe individuation"):
            assert figure(page, scope, label)[1].startswith("moves on its own"), label
        score = float(figure(page, scope, "Toe control score")[0].split()[0])
        assert 60 <= score <= 100

        # every lift of the video in the recorded span is seen, each under its leading toe
        duration_s = float(re.search(r"Recorded ([\d.]+) s", page.inner_text(f"{scope} .summary")).group(1))
        counts = [int(n) for n in re.findall(r"toe (\d+)", page.inner_text(f"{scope} .lifts"))]
        expected_per_toe = duration_s / ISOLATION_LOOP_S
        assert len(counts) == 5
        for count in counts:
            assert abs(count - expected_per_toe) <= 1.0
        assert abs(sum(counts) - len(ISOLATION_PULSES) * expected_per_toe) <= 1.5

        # training the 2nd toe: a neighbour that follows is marked on the live bars
        page.click("nav button[data-screen='train']")
        page.select_option("#exercise", "toe_isolation")
        page.select_option("#target", "2")
        page.click("#train-start")
        page.wait_for_selector("#train-live .toe.follower[data-toe='3']", timeout=10000)
        page.screenshot(path=screenshots / "train-follower.png", full_page=True)
        # then the big toe: green when it lifts on its own, reps counted
        page.click("#train-stop")
        page.wait_for_selector("#train-results .summary")
        page.select_option("#target", "1")
        page.click("#train-start")
        page.wait_for_selector("#train-live .toe.good[data-toe='1']", timeout=10000)
        page.screenshot(path=screenshots / "train-green.png", full_page=True)
        page.wait_for_function("Number(document.querySelector('#reps').textContent) >= 1", timeout=10000)
        page.click("#train-stop")
        page.wait_for_selector("#train-results .summary")
        assert int(page.inner_text("#clean-reps")) >= 1

        page.click("nav button[data-screen='results']")
        page.wait_for_selector("#results-list .summary[data-task='isolation']")
        page.screenshot(path=screenshots / "results.png", full_page=True)
        saved = list((server.home / "sessions").rglob("*.json"))
        assert len(saved) >= 3  # the test and two training runs

        # the side view (big-toe extension): the three points are clicked on the still
        page.click("nav button[data-screen='calibrate']")
        page.select_option("#view", "side")
        page.click("#snap")
        box = page.locator("#calib-canvas").bounding_box()
        for x, y in ((0.2, 0.8), (0.6, 0.75), (0.75, 0.7)):
            page.mouse.click(box["x"] + x * box["width"], box["y"] + y * box["height"])
        page.screenshot(path=screenshots / "calibrate-side.png", full_page=True)
        page.click("#use-points")
        side = page.evaluate("window.toelab.state.points")
        assert side[0]["view"] == "side" and set(side[0]) >= {"heel", "mtp1", "hallux_tip"}
        assert side[0]["mtp1"][0] == pytest.approx(0.6 * 640, abs=2)
        page.wait_for_selector("#screen-assess:not([hidden])")
    except Exception:
        page.screenshot(path=screenshots / "failed-isolation.png", full_page=True)
        raise
    finally:
        browser.close()


def test_musical_toes_scores_lifts_against_the_metronome(
    server, playwright_driver, music_camera, screenshots
):
    run_s = 8.0
    browser, page = open_page(playwright_driver, music_camera, f"{server.url}/?step_s={run_s}")
    try:
        calibrate(page, music_camera.first_points)
        # Chromium's camera loops the video whatever the page plays, so the test starts the
        # metronome in phase with the video's lifts, as a person would follow the clicks: the
        # lifts' phase comes from a short training run on the same page.
        page.click("nav button[data-screen='train']")
        page.select_option("#exercise", "toe_isolation")
        page.select_option("#target", "1")
        page.click("#train-start")
        page.wait_for_function("window.toelab.state.repLog.length >= 3", timeout=10000)
        page.click("#train-stop")
        page.wait_for_selector("#train-results .summary")
        page.click("nav button[data-screen='music']")
        page.click("button[data-bpm='100']")
        assert page.input_value("#bpm") == "100"
        page.evaluate(
            """(period) => {
                const peaks = window.toelab.state.repLog.map((r) => r.peak_s * 1000);
                const phase = peaks[peaks.length - 1];
                // the first click is heard 600 ms after Start plus the output delay
                const lead = 600 + window.toelab.beat.outputDelayS() * 1000;
                const now = performance.now();
                const wait = (((phase - now - lead) % period) + 2 * period) % period;
                setTimeout(() => document.querySelector('#music-start').click(), wait);
            }""",
            MUSIC_PERIOD_S * 1000,
        )
        page.wait_for_function(
            "document.querySelector('#music-cue').textContent.includes('hits')", timeout=10000
        )
        page.screenshot(path=screenshots / "music-running.png", full_page=True)
        wait_for_summary(page, server, "#music-results .summary[data-task='rhythm']", 30000)
        page.screenshot(path=screenshots / "music-results.png", full_page=True)
        n_beats = len(page.evaluate("window.toelab.state.music.beats.page_s"))
        assert n_beats == int(np.ceil(run_s / MUSIC_PERIOD_S))
        hits, misses, extras = (
            int(v) for v in figure(page, "#music-results", "Hits / misses / extra lifts")[0].split(" / ")
        )
        # the video lifts the big toe once per beat period: every beat in the run is met
        assert hits >= n_beats - 2
        assert misses <= 2
        assert extras <= 1
        sd_ms = float(figure(page, "#music-results", "Asynchrony spread (SD)")[0].split()[0])
        assert sd_ms < 40.0  # frame timing jitter only: the video's lifts are exactly periodic

        # the timing check: the median of taps minus heard clicks, stray taps ignored
        offset = page.evaluate(
            """import('/static/metronome.js').then((m) =>
                m.tapOffsetMs([1030, 1640, 2230, 2850, 3400, 5000], [1000, 1600, 2200, 2800, 3400, 4000]))"""
        )
        assert offset == pytest.approx(30.0)  # offsets 30, 40, 30, 50, 0; the tap at 5000 is stray

        page.set_viewport_size({"width": 390, "height": 844})  # a phone
        page.screenshot(path=screenshots / "music-phone.png", full_page=True)
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 390)"
            ".map((e) => e.tagName + '#' + e.id + '.' + e.className)"
        )
        assert not wide
    finally:
        browser.close()


LIVE_MARKS = """() => ({
    step: document.querySelector('#step-instruction').textContent,
    running: !document.querySelector('#runner').hidden,
    targets: [...document.querySelectorAll('#assess-live [data-toe].target')]
        .map((t) => Number(t.dataset.toe)),
    flags: [...document.querySelectorAll('#assess-live [data-toe] .flag')].map((f) => f.textContent),
    bars: document.querySelectorAll('#assess-live [data-toe]').length,
})"""


def watch_live(page, results: str, shots: dict | None = None) -> list[dict]:
    """What the live bars showed, sampled until the test's results appear (or it stops);
    ``shots``: a screenshot the first time a step (a part of its instruction) is seen."""
    seen = []
    shots = dict(shots or {})
    for _ in range(900):
        marks = page.evaluate(LIVE_MARKS)
        if marks["running"] and marks["bars"]:
            seen.append(marks)
            for words in [w for w in shots if w in marks["step"]]:
                page.screenshot(path=shots.pop(words), full_page=True)
        if page.locator(results).count() or (seen and not marks["running"]):
            return seen
        page.wait_for_timeout(100)
    raise AssertionError("no results within 90 s")


def test_the_live_target_follows_each_step_and_the_tremor_test_has_none(
    server, playwright_driver, isolation_camera, screenshots
):
    from toelab.protocols.battery import ISOLATION_TEST

    # 3 s steps: a tremor analysis needs 2 s at least
    browser, page = open_page(playwright_driver, isolation_camera, f"{server.url}/?step_s=3&ready_s=1")
    try:
        calibrate(page, isolation_camera.first_points)
        page.click("nav button[data-screen='assess']")
        page.click("#test-toe_isolation")
        page.click("#guide-start")
        shots = {
            "2nd toe": screenshots / "assess-step-2nd-toe.png",
            "other four": screenshots / "assess-step-four.png",
        }
        seen = watch_live(page, "#assess-results .summary[data-task='isolation']", shots)
        page.screenshot(path=screenshots / "assess-isolation-results.png", full_page=True)
        steps = {c.instruction: list(c.toes) for c in ISOLATION_TEST.conditions}
        checked = set()
        for marks in seen:
            instruction = marks["step"].split(": ", 1)[1]
            assert marks["targets"] == steps[instruction], marks
            checked.add(instruction)
            if len(steps[instruction]) == 4:
                assert "on its own ✓" not in marks["flags"], marks
        assert checked == set(steps)  # every step was seen
        # the bars belong to the run: once the results show, they are gone
        assert page.evaluate(LIVE_MARKS)["bars"] == 0
        assert page.locator("#assess-live").is_hidden()

        page.click("#test-tremor")
        page.click("#guide-start")
        shots = {"Curl": screenshots / "assess-tremor-hold.png"}
        seen = watch_live(page, "#assess-results .summary[data-task='tremor']", shots)
        page.screenshot(path=screenshots / "assess-tremor-results.png", full_page=True)
        assert sum("Curl" in m["step"] for m in seen) >= 10
        for marks in seen:
            assert marks["targets"] == [], marks
            assert not any("✓" in f or "follow" in f for f in marks["flags"]), marks
        assert page.evaluate(LIVE_MARKS)["bars"] == 0
    except Exception:
        page.screenshot(path=screenshots / "failed-live-target.png", full_page=True)
        raise
    finally:
        browser.close()
