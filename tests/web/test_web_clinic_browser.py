"""Clinic mode in a real browser: ``toelab serve --clinic`` as its own process, headless
Chromium signs in; the page works under the Content-Security-Policy, its requests carry the
CSRF token, and the camera WebSocket opens only with it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from clinic_setup import PASSWORD, clinic_env
from feet_camera import chromium_args
from serving import running_serve


@pytest.fixture(scope="module")
def clinic_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = clinic_env(
        tmp_path_factory.mktemp("clinic"),
        ("Ann", "Cy", "Dee"),
        (
            ["dr.smith", "--role", "clinician"],
            ["ann", "--role", "patient", "--person", "Ann", "--clinician", "dr.smith"],
            ["cy", "--role", "patient", "--person", "Cy", "--clinician", "dr.smith"],
        ),
    )
    with running_serve(["--clinic"], env, "/login") as url:
        yield url


OPEN_SOCKET = """async (withToken) => {
  const { csrfToken } = await import("/static/csrf.js");
  const query = withToken ? `?csrf=${encodeURIComponent(csrfToken())}` : "";
  const ws = new WebSocket(`ws://${location.host}/ws/live${query}`);
  return await new Promise((done) => {
    ws.onmessage = (event) => done(JSON.parse(event.data).type);
    ws.onopen = () => ws.send(JSON.stringify({ type: "stop" }));
    ws.onclose = () => done("closed");
  });
}"""


def test_a_patient_signs_in_and_the_page_works_under_the_policy(
    clinic_server: str, playwright_driver, isolation_camera, screenshots
):
    browser = playwright_driver.chromium.launch(
        executable_path="/usr/bin/chromium", args=chromium_args(isolation_camera.y4m)
    )
    try:
        page = browser.new_page()
        blocked: list[str] = []
        page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(clinic_server)
        assert page.url.endswith("/login")  # nothing but the sign-in page without an account
        page.fill("#username", "ann")
        page.fill("#password", "not the password")
        page.click("button[type=submit]")
        page.wait_for_function("() => document.querySelector('#login-status').textContent !== ''")
        assert "wrong user name or password" in page.inner_text("#login-status")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("body[data-ready='1']")
        page.screenshot(path=screenshots / "clinic-signed-in.png", full_page=True)
        assert page.evaluate(OPEN_SOCKET, True) == "error"  # open, and answers: nothing is running
        assert page.evaluate(OPEN_SOCKET, False) == "closed"
        status = page.evaluate(
            """async () => (await fetch("/api/exercise-log", {method: "POST",
                 headers: {"Content-Type": "application/json"},
                 body: JSON.stringify({exercise_id: "towel_scrunch", minutes: 2})})).status"""
        )
        assert status == 200  # the page's requests carry the CSRF token
        assert blocked == []
    finally:
        browser.close()


def test_a_clinician_picks_a_patient_and_signs_out(clinic_server: str, playwright_driver, screenshots):
    browser = playwright_driver.chromium.launch(executable_path="/usr/bin/chromium")
    try:
        page = browser.new_page(viewport={"width": 1000, "height": 800})
        page.goto(clinic_server)
        page.fill("#username", "dr.smith")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("body[data-ready='1']")
        assert "Signed in as dr.smith (clinician)" in page.inner_text("#account")
        # their own patients only (Dee is no one's), and none chosen yet
        options = page.locator("#person option").all_inner_texts()
        assert options == ["Choose a patient", "Ann", "Cy"]
        assert page.is_hidden("#person-add-box")
        assert "Choose a patient" in page.inner_text("#status")
        page.select_option("#person", label="Cy")
        page.wait_for_function("() => document.querySelector('#status').textContent.includes('Cy')")
        page.click("nav button[data-screen='history']")
        page.wait_for_function(
            "() => document.querySelector('#history-body').textContent.includes('Records of Cy')"
        )
        page.screenshot(path=screenshots / "clinic-clinician-patient.png")
        page.click("#sign-out")
        page.wait_for_url("**/login")
        assert page.request.get(f"{clinic_server}/api/people").status == 401
    finally:
        browser.close()
