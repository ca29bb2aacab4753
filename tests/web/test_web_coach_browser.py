"""Coaching in a real browser: a phone (fake camera, phone size) joins a big screen with its
code and drives the big screen's bars; the check-in after the run is kept and shown in the
history and the report; a clinician's overview lists only their own patients, and their
note reaches the patient; a code is refused when reused or tried by another account."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from clinic_setup import PASSWORD, clinic_env
from feet_camera import chromium_args
from serving import running_serve
from test_web_browser import calibrate

from toelab.store import open_store
from toelab.store.checkins import add_checkin

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def go(page, screen: str) -> None:
    """Open a screen; on a phone the screens sit behind the menu button."""
    if page.is_visible("#menu-toggle"):
        page.click("#menu-toggle")
    page.click(f"nav button[data-screen='{screen}']")


def test_a_phone_joins_the_big_screen_and_the_check_in_is_kept(
    server, playwright_driver, isolation_camera, screenshots
):
    browser = playwright_driver.chromium.launch(
        executable_path="/usr/bin/chromium", args=chromium_args(isolation_camera.y4m)
    )
    try:
        big = browser.new_context(viewport=DESKTOP, bypass_csp=True).new_page()
        big.goto(server.url)
        big.wait_for_selector("body[data-ready='1']")
        big.click("#pair-box summary")
        big.click("#pair-show")
        big.wait_for_selector("#pair-qr img")
        code = big.inner_text("#pair-code")
        assert len(code) == 6
        # the QR code shows as a picture (a broken image has no natural size)
        big.wait_for_function("document.querySelector('#pair-qr img').naturalWidth > 100")
        big.screenshot(path=screenshots / "pair-big-screen-code.png", full_page=True)

        phone_context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, bypass_csp=True)
        phone = phone_context.new_page()
        phone.goto(f"{server.url}/?pair={code}")  # what the QR code opens
        phone.wait_for_selector("body[data-ready='1']")
        phone.wait_for_function("document.querySelector('#pair-joined').textContent.includes('Joined')")
        big.wait_for_function("document.querySelector('#pair-state').textContent.includes('Phone connected')")
        assert big.is_hidden("#pair-code-box")  # the code is spent
        phone.screenshot(path=screenshots / "pair-phone-joined.png", full_page=True)

        calibrate(phone, isolation_camera.first_points)
        go(phone, "train")
        phone.select_option("#exercise", "toe_isolation")
        phone.select_option("#target", "1")
        phone.click("#train-start")
        # the phone's frames drive the big screen's bars: green when the big toe lifts alone
        big.wait_for_selector("#pair-live .toe.good[data-toe='1']", timeout=20000)
        big.wait_for_function("document.querySelector('#pair-cue').textContent !== ''")
        big.screenshot(path=screenshots / "pair-big-screen-live.png", full_page=True)
        phone.screenshot(path=screenshots / "pair-phone-training.png", full_page=True)
        phone.wait_for_function("Number(document.querySelector('#reps').textContent) >= 1", timeout=15000)
        phone.click("#train-stop")
        big.wait_for_selector("#pair-results .summary", timeout=20000)
        phone.wait_for_selector("#train-results .summary")
        assert phone.is_hidden("#checkin-box form")  # asked on the big screen, not on the floor

        # how it felt, on the big screen
        big.wait_for_selector("#checkin-box form")
        big.fill("#checkin-pain", "3")
        big.fill("#checkin-effort", "6")
        big.check("#checkin-box input[value='big_toe']")
        big.fill("#checkin-note", "a bit stiff")
        big.screenshot(path=screenshots / "checkin-form.png", full_page=True)
        big.click("#checkin-box button[type=submit]")
        big.wait_for_function("document.querySelector('#checkin-box').textContent.includes('kept')")
        go(big, "history")
        big.wait_for_selector("#checkin-history table")
        row = big.inner_text("#checkin-history tbody tr")
        assert "3" in row and "big toe" in row and "6" in row and "a bit stiff" in row
        big.screenshot(path=screenshots / "checkin-history.png", full_page=True)
        report = big.request.get(f"{server.url}/api/report?format=html").text()
        assert "Pain and effort after each session" in report and "a bit stiff" in report

        # the code worked once
        late = browser.new_context(viewport=PHONE, bypass_csp=True).new_page()
        late.goto(server.url)
        late.wait_for_selector("body[data-ready='1']")
        late.click("#pair-box summary")
        late.fill("#pair-input", code)
        late.click("#pair-join button")
        late.wait_for_function("document.querySelector('#pair-joined').textContent.includes('already used')")
    except Exception:
        for name, page in (("big", locals().get("big")), ("phone", locals().get("phone"))):
            if page is not None:
                page.screenshot(path=screenshots / f"failed-pair-{name}.png", full_page=True)
        raise
    finally:
        browser.close()


@pytest.fixture(scope="module")
def clinic_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("coach-clinic")
    env = clinic_env(
        home,
        ("Ann", "Cy", "Dee Elsewhere"),
        (
            ["dr.smith", "--role", "clinician"],
            ["dr.jones", "--role", "clinician"],
            ["ann", "--role", "patient", "--person", "Ann", "--clinician", "dr.smith"],
            ["cy", "--role", "patient", "--person", "Cy", "--clinician", "dr.smith"],
            ["dee", "--role", "patient", "--person", "Dee Elsewhere", "--clinician", "dr.jones"],
        ),
    )
    with open_store(f"sqlite:///{home / 'toelab.db'}", home=home) as store:
        start = datetime.now(UTC) - timedelta(days=12)
        for i, pain in enumerate((2, 2, 3, 5, 6, 7)):
            add_checkin(store, "Cy", pain=pain, effort=5, areas=["arch"], at=start + timedelta(days=2 * i))
        # Ann met her dose for two weeks: the next level is due
        today = date.today()
        store.plans.create("Ann", ["toe_isolation"], today - timedelta(days=20))
        for days_ago in (0, 2, 4, 6, 8, 10, 12):
            store.exercise_log.log("Ann", today - timedelta(days=days_ago), "toe_isolation", reps=10)
    with running_serve(["--clinic"], env, "/login") as url:
        yield url


def signed_in_page(browser, url: str, username: str, viewport=DESKTOP):
    page = browser.new_context(viewport=viewport, bypass_csp=True).new_page()
    page.goto(url)
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("body[data-ready='1']")
    return page


def test_a_clinician_sees_only_their_patients_and_leaves_a_note(clinic_url, playwright_driver, screenshots):
    browser = playwright_driver.chromium.launch(executable_path="/usr/bin/chromium")
    try:
        smith = signed_in_page(browser, clinic_url, "dr.smith")
        smith.wait_for_selector("#overview-tab:not([hidden])")
        go(smith, "overview")
        smith.wait_for_selector("#overview-body table")
        names = smith.locator("#overview-body tbody th").all_inner_texts()
        assert names == ["Cy", "Ann"]  # open warning signs first
        overview = smith.inner_text("#overview-body")
        assert "Dee" not in overview
        assert "Pain rising over the sessions" in overview and "↑ rising" in overview
        smith.screenshot(path=screenshots / "clinic-overview.png", full_page=True)
        smith.click("#overview-body [data-patient] >> text=Cy")
        smith.wait_for_selector("#note-form")
        assert smith.eval_on_selector("#person", "s => s.selectedOptions[0].textContent") == "Cy"
        smith.fill("#note-text", "Ease off the towel scrunches this week, please.")
        smith.click("#note-form button[type=submit]")
        smith.wait_for_selector("#patient-page .notes li")
        smith.screenshot(path=screenshots / "clinic-patient-page.png", full_page=True)

        jones = signed_in_page(browser, clinic_url, "dr.jones")
        go(jones, "overview")
        jones.wait_for_selector("#overview-body table")
        assert jones.locator("#overview-body tbody th").all_inner_texts() == ["Dee Elsewhere"]
        cy_id = smith.get_attribute("#overview-body [data-patient] >> text=Cy", "data-patient")
        assert jones.request.get(f"{clinic_url}/api/checkins?person_id={cy_id}").status == 403
        assert jones.request.get(f"{clinic_url}/api/notes?person_id={cy_id}").status == 403

        cy = signed_in_page(browser, clinic_url, "cy", PHONE)
        cy.wait_for_selector("#notes-box:not([hidden])")
        assert "Ease off the towel scrunches" in cy.inner_text("#notes-box")
        assert cy.is_hidden("#overview-tab")
        cy.screenshot(path=screenshots / "clinic-patient-note-phone.png", full_page=True)
        cy.click("#notes-box button")
        cy.wait_for_selector("#notes-box", state="hidden")

        # a code of Ann's big screen cannot be used by Cy's phone
        ann = signed_in_page(browser, clinic_url, "ann")
        ann.click("#pair-box summary")
        ann.click("#pair-show")
        ann.wait_for_selector("#pair-qr img")
        code = ann.inner_text("#pair-code")
        cy.click("#pair-box summary")
        cy.fill("#pair-input", code)
        cy.click("#pair-join button")
        cy.wait_for_function("document.querySelector('#pair-joined').textContent.includes('another account')")
    finally:
        browser.close()


def test_the_next_level_is_proposed_and_taken_up_and_the_clinician_can_set_one(
    clinic_url, playwright_driver, screenshots
):
    browser = playwright_driver.chromium.launch(executable_path="/usr/bin/chromium")
    try:
        ann = signed_in_page(browser, clinic_url, "ann", PHONE)
        go(ann, "plan")
        ann.wait_for_selector("#progression-box [data-proposal='toe_isolation']")
        assert "No hands" in ann.inner_text("#progression-box [data-proposal='toe_isolation']")
        assert ann.locator("#progression-box select").count() == 0  # only a clinician sets any level
        ann.screenshot(path=screenshots / "progression-proposed-phone.png", full_page=True)
        ann.click("#progression-box [data-proposal='toe_isolation'] button")
        ann.wait_for_selector("#progression-box [data-proposal]", state="detached")
        now = ann.inner_text("#progression-box [data-exercise='toe_isolation']")
        assert "No hands: the other toes stay down" in now

        smith = signed_in_page(browser, clinic_url, "dr.smith")
        smith.select_option("#person", label="Ann")
        smith.wait_for_function("document.querySelector('#status').textContent.includes('Ann')")
        go(smith, "plan")
        smith.wait_for_selector("#progression-box select")
        smith.select_option("#progression-box select", "band")
        smith.click("#progression-box [data-exercise='toe_isolation'] button:has-text('Set')")
        level_text = "document.querySelector('#progression-box [data-exercise]').textContent"
        smith.wait_for_function(f"{level_text}.includes('resistance band')")
        smith.screenshot(path=screenshots / "progression-clinician-sets.png", full_page=True)
    finally:
        browser.close()
