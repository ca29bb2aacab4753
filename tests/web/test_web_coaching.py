"""What keeps people practising, in the page, at desktop (1280×800) and phone (390×844) size in
headless Chromium with a fake camera: the camera picture with the tracked points during a
test, the set-up check refusing a foot out of view, spoken cues in order (the page's
speechSynthesis is replaced by a recorder), an animated demonstration for every test step and
exercise, the manifest and offline page, reminders and the plan's calendar file.
Screenshots go to ``build/screenshots``."""

from __future__ import annotations

import base64

import av
import cv2
import pytest
from feet_camera import chromium_args
from icalendar import Calendar
from page_waits import wait_for_summary
from test_web_browser import calibrate
from test_web_browser_usability import SIZES, blank_camera, go  # noqa: F401 (a fixture)

from toelab.protocols import BATTERY, EXERCISES
from toelab.protocols.battery import ISOLATION_TEST

pytestmark = pytest.mark.browser

# the page's speech goes to a list instead of the speakers, each cue "ending" 50 ms later
RECORD_SPEECH = """
window.__spoken = [];
window.speechSynthesis.speak = (u) => {
  window.__spoken.push({ text: u.text, lang: u.lang, volume: u.volume });
  setTimeout(() => u.onend && u.onend(new Event("end")), 50);
};
window.speechSynthesis.cancel = () => {};
"""
PICTURE_STATS = """(sel) => {
  const c = document.querySelector(sel);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let sum = 0, sq = 0, n = 0;
  for (let i = 0; i < d.length; i += 4 * 97) { const v = d[i + 1]; sum += v; sq += v * v; n += 1; }
  const mean = sum / n;
  return { width: c.width, std: Math.sqrt(sq / n - mean * mean), ...c.dataset };
}"""


def new_page(driver, camera_y4m, size: str, url: str):
    viewport, touch = SIZES[size]
    browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=chromium_args(camera_y4m))
    context = browser.new_context(viewport=viewport, has_touch=touch, is_mobile=touch, bypass_csp=True)
    context.add_init_script(RECORD_SPEECH)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")
    return browser, page


def spoken(page) -> list[str]:
    return [u["text"] for u in page.evaluate("window.__spoken")]


def in_order(said: list[str], expected: list[str]) -> bool:
    """Every expected cue was said, in this order (others may come between)."""
    rest = iter(said)
    return all(any(text == cue for text in rest) for cue in expected)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_camera_picture_shows_the_points_and_the_target_toe_during_a_test(
    server, playwright_driver, isolation_camera, screenshots, size
):
    url = f"{server.url}/?step_s=3&ready_s=1"
    browser, page = new_page(playwright_driver, isolation_camera.y4m, size, url)
    try:
        calibrate(page, isolation_camera.first_points)
        go(page, "assess")
        page.click("#test-toe_isolation")
        page.click("#guide-start")
        # the set-up check passes (the foot is where it was set up), then the test runs
        page.wait_for_selector("#runner:not([hidden])", timeout=20000)
        assert page.get_attribute("#setup-check", "data-ok") == "1"
        page.wait_for_function(
            "document.querySelector('#assess-live-picture')?.dataset.tracked === '1'", timeout=15000
        )
        picture = page.evaluate(PICTURE_STATS, "#assess-live-picture")
        assert picture["points"] == "5" and picture["targets"] == "1", picture
        assert picture["width"] == 640 and picture["std"] > 10, picture  # the camera's picture, not a blank
        assert page.is_visible("#assess-live-picture") and page.is_visible("#assess-live [data-toe='1']")
        # on a phone the picture sits above the bars, within the screen's width
        box = page.locator("#assess-live-picture").bounding_box()
        assert box["width"] <= SIZES[size][0]["width"]
        assert page.locator("#runner .demo[data-demo='lift_toe1'] svg").count() == 1
        page.screenshot(path=screenshots / f"coach-test-picture-{size}.png", full_page=True)
        # the next step rings the next toe
        page.wait_for_function("document.querySelector('#step-instruction').textContent.includes('2nd toe')")
        page.wait_for_function("document.querySelector('#assess-live-picture').dataset.targets === '2'")
        assert page.locator("#runner .demo[data-demo='lift_toe2']").count() == 1
        if size == "phone":
            page.click("#runner-cancel")
            return
        wait_for_summary(page, server, "#assess-results .summary[data-task='isolation']", 90000)
        said = spoken(page)
        steps = [c.instruction for c in ISOLATION_TEST.conditions]
        expected = [steps[0], "1", "Go", "3", "2", "1", "Down"]
        for step in steps[1:]:
            expected += [f"Next. {step}", "3", "2", "1", "Down"]
        expected.append(f"{ISOLATION_TEST.name} done.")
        assert in_order(said, expected), said
        utterances = page.evaluate("window.__spoken")
        assert {u["lang"] for u in utterances} == {"en"}
    except Exception:
        page.screenshot(path=screenshots / f"failed-coach-picture-{size}.png", full_page=True)
        raise
    finally:
        browser.close()


def first_frame_png(mp4) -> str:
    with av.open(str(mp4)) as container:
        frame = next(container.decode(video=0)).to_ndarray(format="bgr24")
    return base64.b64encode(cv2.imencode(".png", frame)[1].tobytes()).decode()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_set_up_check_refuses_a_foot_out_of_view(
    server, playwright_driver, blank_camera, isolation_camera, screenshots, size  # noqa: F811
):
    """Set up with the foot in view; now the camera sees only the floor."""
    browser, page = new_page(playwright_driver, blank_camera, size, f"{server.url}/?ready_s=1")
    try:
        page.click("#camera-start")
        page.wait_for_selector("#screen-calibrate:not([hidden])")
        page.evaluate(
            """async ([png, points]) => {
              const image = new Image();
              image.src = `data:image/png;base64,${png}`;
              await image.decode();
              const still = document.createElement('canvas');
              still.width = image.width; still.height = image.height;
              still.getContext('2d').drawImage(image, 0, 0);
              Object.assign(window.toelab.state, { still, points, view: 'front' });
            }""",
            [first_frame_png(isolation_camera.mp4), isolation_camera.first_points],
        )
        go(page, "assess")
        page.click("#test-toe_isolation")
        page.click("#guide-start")
        page.wait_for_selector("#setup-check[data-ok='0']", timeout=20000)
        problem = page.inner_text("#setup-problem")
        assert problem.startswith("Not ready. Your foot is not in the picture"), problem
        assert "set up the camera again" in problem
        assert page.locator("#setup-check [data-check='forefoot_match'].fail").count() == 1
        # the test did not start: no run, no countdown
        assert page.is_hidden("#runner")
        assert page.evaluate("window.toelab.link.streaming") is False
        assert spoken(page)[-1] == "Not ready. Your foot is not in the picture: it is out of view or covered."
        page.locator("#setup-check").scroll_into_view_if_needed()
        page.screenshot(path=screenshots / f"coach-setup-refused-{size}.png", full_page=True)
    finally:
        browser.close()


def test_training_says_which_toes_followed(server, playwright_driver, isolation_camera, screenshots):
    browser, page = new_page(playwright_driver, isolation_camera.y4m, "desktop", server.url)
    try:
        calibrate(page, isolation_camera.first_points)
        go(page, "train")
        page.select_option("#exercise", "toe_isolation")
        page.select_option("#target", "2")
        page.click("#train-start")
        # the video's 2nd toe drags the 3rd and 4th along once per 6 s loop
        page.wait_for_function(
            "window.__spoken.some((u) => u.text.includes('followed'))", timeout=20000, polling=200
        )
        page.wait_for_function("document.querySelector('#train-live-picture')?.dataset.targets === '2'")
        page.screenshot(path=screenshots / "coach-train-picture-desktop.png", full_page=True)
        page.click("#train-stop")
        said = spoken(page)
        assert said[0] == "Lift the 2nd toe (the others stay down)."
        assert "3rd toe and 4th toe followed — keep them down" in said, said
    finally:
        browser.close()


def test_every_test_step_and_exercise_has_a_moving_demonstration(
    server, playwright_driver, isolation_camera, screenshots
):
    browser, page = new_page(playwright_driver, isolation_camera.y4m, "phone", server.url)
    try:
        ids = set(page.evaluate("import('/static/demo.js').then((m) => m.demoIds())"))
        wanted = {c.id for t in BATTERY for c in t.conditions} | {x.id for x in EXERCISES}
        assert wanted <= ids, wanted - ids
        go(page, "train")
        for exercise in EXERCISES:
            page.select_option("#exercise", exercise.id)
            demo = page.locator(f"#exercise-info .demo[data-demo='{exercise.id}'] svg")
            demo.wait_for()
            # it moves: the drawing changes between two moments
            before = demo.inner_html()
            page.wait_for_timeout(400)
            assert demo.inner_html() != before, exercise.id
            if exercise.id in ("towel_scrunch", "calf_raise_wedge", "toe_isolation"):
                demo.scroll_into_view_if_needed()
                page.screenshot(path=screenshots / f"coach-demo-{exercise.id}-phone.png")
        # toe isolation moves on to a band: the resisted lift is shown too
        page.select_option("#exercise", "toe_isolation")
        page.locator("#exercise-info .demo[data-demo='toe_isolation_band'] .band").wait_for()
    finally:
        browser.close()


def test_the_page_installs_and_says_offline_that_it_needs_its_server(
    server, playwright_driver, isolation_camera, screenshots
):
    browser, page = new_page(playwright_driver, isolation_camera.y4m, "phone", server.url)
    try:
        manifest = page.evaluate(
            "fetch(document.querySelector('link[rel=manifest]').href).then((r) => r.json())"
        )
        assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
        assert {"192x192", "512x512"} <= {i["sizes"] for i in manifest["icons"]}
        for icon in manifest["icons"]:
            assert page.evaluate(f"fetch('{icon['src']}').then((r) => r.status)") == 200
        scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
        assert scope == f"{server.url}/"
        page.reload()
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        page.context.set_offline(True)
        page.reload()
        text = page.inner_text("body")
        assert "toelab needs its server" in text and "toelab serve" in text
        page.screenshot(path=screenshots / "coach-offline-phone.png", full_page=True)
        page.context.set_offline(False)
    finally:
        browser.close()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_plan_reminds_and_its_calendar_file_holds_the_plan(
    server, playwright_driver, isolation_camera, screenshots, size
):
    browser, page = new_page(playwright_driver, isolation_camera.y4m, size, server.url)
    try:
        page.context.grant_permissions(["notifications"], origin=server.url)
        go(page, "plan")
        page.wait_for_selector("#plan-form", state="attached")
        if page.evaluate("fetch('/api/plan').then((r) => r.json())")["plan"] is None:
            page.click("#plan-form button[type=submit]")
        page.wait_for_selector("#plan-body ul.today")
        page.fill("#reminder-time", "07:45")
        page.click("#reminder-on")
        page.wait_for_function("document.querySelector('#reminder-msg').textContent.includes('07:45')")
        with page.expect_download() as download:
            page.click("#plan-ics")
        data = download.value.path().read_bytes()
        plan = page.evaluate("fetch('/api/plan').then((r) => r.json())")["plan"]
        calendar = Calendar.from_ical(data)
        names = {x.id: x.name for x in EXERCISES}
        summaries = {str(e["summary"]) for e in calendar.walk("VEVENT")}
        assert summaries == {f"toelab: {names[i]}" for i in plan["exercise_ids"]}
        starts = {e.decoded("dtstart").strftime("%H:%M") for e in calendar.walk("VEVENT")}
        # the chosen time, and ten hours later for an exercise done twice a day
        twice = any(x.frequency.sessions_per_day == 2 for x in EXERCISES if x.id in plan["exercise_ids"])
        assert starts == ({"07:45", "17:45"} if twice else {"07:45"}), starts
        page.locator("#reminders").scroll_into_view_if_needed()
        page.screenshot(path=screenshots / f"coach-plan-reminders-{size}.png", full_page=True)
    finally:
        browser.close()


def test_the_voice_can_be_switched_off_and_stays_under_the_metronome(
    server, playwright_driver, isolation_camera
):
    browser, page = new_page(playwright_driver, isolation_camera.y4m, "desktop", server.url)
    try:
        page.fill("#speech-volume", "0.6")  # fires the slider's change
        page.wait_for_function("window.__spoken.length >= 1")
        first = page.evaluate("window.__spoken[0]")
        assert (first["text"], first["lang"]) == ("This loud.", "en")
        assert first["volume"] == pytest.approx(0.6)
        page.click("#camera-start")  # a click: the page may start its sound
        page.evaluate("window.toelab.beat.metronome(100, 3, 4)")
        page.evaluate("window.toelab.speaker.say('Lift the big toe.')")
        page.wait_for_function("window.__spoken.some((u) => u.text === 'Lift the big toe.')")
        # while the clicks play, the voice is at half the chosen volume
        assert page.evaluate("window.__spoken.at(-1).volume") == pytest.approx(0.3)
        page.uncheck("#speech-on")
        page.evaluate("window.toelab.speaker.say('Go')")
        page.wait_for_timeout(300)
        assert spoken(page) == ["This loud.", "Lift the big toe."]
        # the choice is kept for the next visit
        page.reload()
        page.wait_for_selector("body[data-ready='1']")
        assert not page.is_checked("#speech-on")
    finally:
        browser.close()
