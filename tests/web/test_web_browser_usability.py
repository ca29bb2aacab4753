"""The page as a person at home meets it, at desktop size (1280×800, mouse) and phone size
(390×844 and 360 wide, touch), in headless Chromium against a real ``toelab serve``:
toe points placed by hand when toelab is unsure of them, red-flag questions that start
unanswered, nothing wider than a phone's screen, no serious accessibility problem (axe-core),
and a refused camera explained. Screenshots go to ``build/screenshots``."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from feet_camera import chromium_args
from page_waits import wait_for_summary
from test_web_browser import calibrate
from test_web_browser_records import seed_earlier_weeks

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SCREENS = ("home", "calibrate", "assess", "train", "music", "results", "history", "plan", "flags")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SIZES = {"desktop": (DESKTOP, False), "phone": (PHONE, True)}


@pytest.fixture(scope="module")
def blank_camera(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A camera that sees a grey floor and no feet: toelab cannot propose toe points."""
    path = tmp_path_factory.mktemp("blank") / "floor.y4m"
    rng = np.random.default_rng(1)
    width, height = 640, 480
    with path.open("wb") as handle:
        handle.write(f"YUV4MPEG2 W{width} H{height} F30:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(10):
            luma = np.clip(rng.normal(120, 4, (height, width)), 0, 255).astype(np.uint8)
            handle.write(b"FRAME\n" + luma.tobytes() + bytes([128]) * (width * height // 2))
    return path


def new_page(driver, args: list[str], size: str):
    viewport, touch = SIZES[size]
    browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=args)
    # the tests wait on page conditions written as JavaScript, which the page's CSP would refuse
    context = browser.new_context(viewport=viewport, has_touch=touch, is_mobile=touch, bypass_csp=True)
    return browser, context.new_page()


def go(page, screen: str) -> None:
    """Open a screen as a person would: on a phone through the menu button."""
    if page.is_visible("#menu-toggle"):
        page.click("#menu-toggle")
    page.click(f"nav button[data-screen='{screen}']")
    page.wait_for_selector(f"#screen-{screen}:not([hidden])")


def press(page, touch: bool, x: float, y: float) -> None:
    if touch:
        page.touchscreen.tap(x, y)
    else:
        page.mouse.click(x, y)


def drag(page, cdp, touch: bool, start: tuple[float, float], end: tuple[float, float]) -> None:
    """A finger (or the mouse) pressed on ``start``, moved in steps to ``end`` and lifted."""
    steps = [start + (np.array(end) - start) * k / 5 for k in range(6)]
    if not touch:
        page.mouse.move(*start)
        page.mouse.down()
        for x, y in steps[1:]:
            page.mouse.move(x, y)
        page.mouse.up()
        return
    cdp.send(
        "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": start[0], "y": start[1]}]}
    )
    for x, y in steps[1:]:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_toe_points_are_placed_by_hand_when_toelab_is_unsure(
    server, playwright_driver, blank_camera, screenshots, size
):
    browser, page = new_page(playwright_driver, chromium_args(blank_camera), size)
    touch = SIZES[size][1]
    try:
        page.goto(server.url)
        page.wait_for_selector("body[data-ready='1']")
        page.click("#camera-start")
        page.wait_for_selector("#screen-calibrate:not([hidden])")
        page.click("#snap")
        page.wait_for_selector("#calib-canvas[data-proposal='unsure']")
        # the server's advice whole, not cut off at its colon
        message = page.inner_text("#calib-msg")
        assert "no foot could be told apart from the floor (none in the picture, or" in message.lower()
        assert page.is_disabled("#use-points")

        canvas = page.locator("#calib-canvas")
        canvas.scroll_into_view_if_needed()  # as a person scrolls to the picture
        box = canvas.bounding_box()
        scale = 640 / box["width"]
        # five toes across the picture, big toe on the right (a right foot)
        fractions = [(0.70, 0.45), (0.60, 0.40), (0.52, 0.40), (0.45, 0.43), (0.38, 0.48)]
        toes = ("big toe", "2nd toe", "3rd toe", "4th toe", "little toe")
        tapped = []
        for (fx, fy), toe in zip(fractions, toes, strict=True):
            assert toe in page.inner_text("#calib-next"), page.inner_text("#calib-next")
            x, y = box["x"] + fx * box["width"], box["y"] + fy * box["height"]
            press(page, touch, x, y)
            tapped.append(((x - box["x"]) * scale, (y - box["y"]) * scale))
            # the picture stays where it was under the finger
            assert canvas.bounding_box() == box
        assert "All points are set" in page.inner_text("#calib-next")
        assert page.is_enabled("#use-points")

        # the 3rd toe's point dragged down by 20 screen pixels
        start = (box["x"] + 0.52 * box["width"], box["y"] + 0.40 * box["height"])
        drag(page, page.context.new_cdp_session(page), touch, start, (start[0], start[1] + 20))
        assert canvas.bounding_box() == box
        # the little toe's point moved left with the arrow keys: 3 steps of 2 picture pixels
        page.select_option("#point-select", index=4)
        page.focus("#calib-canvas")
        for _ in range(3):
            page.keyboard.press("ArrowLeft")
        # (a full-page screenshot scrolls a phone's page: taken once the points are set)
        page.screenshot(path=screenshots / f"calibrate-by-hand-{size}.png", full_page=True)

        page.click("#use-points")
        (points,) = page.evaluate("window.toelab.state.points")
        assert points["view"] == "front" and points["foot"] == "right"
        expected = [list(p) for p in tapped]
        expected[2][1] += 20 * scale
        expected[4][0] -= 6
        for toe, (x, y) in enumerate(expected, start=1):
            assert points[f"toe{toe}"] == pytest.approx([x, y], abs=2.0), toe
    except Exception:
        page.screenshot(path=screenshots / f"failed-calibrate-by-hand-{size}.png", full_page=True)
        raise
    finally:
        browser.close()


def test_red_flag_questions_start_unanswered_and_saving_needs_every_answer(
    server, playwright_driver, blank_camera, screenshots
):
    browser, page = new_page(playwright_driver, chromium_args(blank_camera), "phone")
    try:
        page.goto(server.url)
        page.wait_for_selector("body[data-ready='1']")
        before = page.request.get(f"{server.url}/api/red-flags").json()
        go(page, "flags")
        page.wait_for_selector("#flags-questions fieldset")
        questions = page.locator("#flags-questions fieldset")
        n = questions.count()
        assert n == len(before["questions"]) >= 3
        assert page.locator("#flags-questions input:checked").count() == 0  # not a single "No" for them

        # one tap answers one question; saving is refused and the rest are marked
        page.locator("[data-question='numbness_burning'] input[value='no']").tap()
        page.click("#flags-submit")
        assert f"{n - 1} questions have no answer yet" in page.inner_text("#flags-missing")
        assert page.locator("#flags-questions fieldset.missing").count() == n - 1
        page.screenshot(path=screenshots / "red-flags-unanswered.png", full_page=True)
        assert (
            page.request.get(f"{server.url}/api/red-flags").json()["last_answers"] == before["last_answers"]
        )

        for question in questions.all():
            question.locator("input[value='no']").tap()
        assert page.locator("#flags-questions fieldset.missing").count() == 0
        page.click("#flags-submit")
        page.wait_for_function("document.querySelector('#status').textContent === 'Answers kept.'")
        kept = page.request.get(f"{server.url}/api/red-flags").json()["last_answers"]
        assert kept == {q["id"]: False for q in before["questions"]}

        # opened again: unanswered, with the answers of before offered to fill in
        page.reload()
        page.wait_for_selector("body[data-ready='1']")
        go(page, "flags")
        page.wait_for_selector("#flags-use-last")
        assert page.locator("#flags-questions input:checked").count() == 0
        page.tap("#flags-use-last")
        assert page.locator("#flags-questions input[value='no']:checked").count() == n
    finally:
        browser.close()


def axe_problems(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => (await axe.run(document, { resultTypes: ["violations"] })).violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 4).map((n) => n.target.join(" "))}`)"""
    )
    return list(found)


def test_every_screen_fits_a_phone_and_has_no_serious_accessibility_problem(
    server, playwright_driver, isolation_camera, screenshots
):
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `npm ci` in the repository root (scripts/test.sh does)")
    browser, page = new_page(playwright_driver, chromium_args(isolation_camera.y4m), "desktop")
    try:
        page.goto(f"{server.url}/?step_s=3&ready_s=1")
        page.wait_for_selector("body[data-ready='1']")
        # every screen with something in it: weeks of tests, a plan, a logged exercise, a tremor test
        me = page.request.get(f"{server.url}/api/people").json()["current"]
        seed_earlier_weeks(server.home, me)
        page.request.post(
            f"{server.url}/api/plan", data={"exercise_ids": ["toe_isolation", "big_toe_mobilisation"]}
        )
        page.request.post(
            f"{server.url}/api/exercise-log",
            data={"exercise_id": "big_toe_mobilisation", "minutes": 5, "pain": 1},
        )
        calibrate(page, isolation_camera.first_points)
        go(page, "assess")
        page.click("#test-tremor")
        page.click("#guide-start")
        wait_for_summary(page, server, "#assess-results .summary[data-task='tremor']", 60000)
        page.wait_for_function("document.querySelector('#runner').hidden", timeout=60000)
        # the camera's frame-rate warning concerns all three parts: said once
        results = page.inner_text("#assess-results")
        assert len(re.findall(r"fps or more", results)) <= 1, results
        assert "0.00 px" not in results

        problems = []
        for width in (1280, 390, 360):
            page.set_viewport_size({"width": width, "height": 844 if width < 600 else 800})
            for screen in SCREENS:
                go(page, screen)
                if screen == "history":
                    page.wait_for_selector("#history-body .lead", timeout=30000)
                if screen == "plan":
                    page.wait_for_selector("#plan-body h3", timeout=30000)
                if screen == "flags":
                    page.wait_for_selector("#flags-questions fieldset")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=screenshots / f"screen-{screen}-{width}.png", full_page=True)
                wide = page.evaluate("document.documentElement.scrollWidth")
                if wide > width:
                    problems.append(f"{screen} at {width} px is {wide} px wide")
                if width != 360:  # the rules do not change between the two phone widths
                    problems += [f"{screen} at {width} px: {p}" for p in axe_problems(page)]
            if width < 600:  # the phone's menu, opened
                page.click("#menu-toggle")
                if page.evaluate("document.documentElement.scrollWidth") > width:
                    problems.append(f"the open menu at {width} px is wider than the screen")
                page.screenshot(path=screenshots / f"menu-open-{width}.png")
                page.click("#menu-toggle")
        assert not problems, "\n".join(problems)
        # the tables of History: reachable by keyboard and named
        go(page, "history")
        page.wait_for_selector("#history-body .lead", timeout=30000)
        assert page.locator(".table-wrap").count() >= 2
        for region in page.locator(".table-wrap").all():
            assert region.get_attribute("tabindex") == "0" and region.get_attribute("role") == "region"
            assert region.get_attribute("aria-label")
    except Exception:
        page.screenshot(path=screenshots / "failed-usability.png", full_page=True)
        raise
    finally:
        browser.close()


def test_a_refused_camera_is_explained_with_a_way_forward(server, playwright_driver, screenshots):
    # without the fake permission prompt headless Chromium refuses the camera, as a person can
    args = [a for a in chromium_args(Path("unused.y4m")) if not a.startswith(("--use-fake-ui", "--use-file"))]
    browser, page = new_page(playwright_driver, args, "phone")
    try:
        page.goto(server.url)
        page.wait_for_selector("body[data-ready='1']")
        page.click("#camera-start")
        page.wait_for_selector("#camera-help:not([hidden])")
        help_text = page.inner_text("#camera-help")
        for where in ("Android (Chrome)", "iPhone or iPad (Safari)", "Computer"):
            assert where in help_text
        assert "Permission denied" not in page.inner_text("body")
        assert page.is_visible("#camera-retry")
        page.screenshot(path=screenshots / "camera-refused-phone.png", full_page=True)
    finally:
        browser.close()
