"""The page fed from footage its tests did not draw: Chromium's fake camera plays a short
clip made from a real photo of a bare foot (``tests/photovideo.py``, ``tests/data/feet/``),
at desktop size (1280×800, mouse) and phone size (390×844, touch). toelab is unsure of the
toes on a real photo, so the points are placed by hand; during each step of the isolation
test the highlighted toe is the one the step names; nothing is wider than the phone's
screen; axe-core finds no serious or critical problem."""

from __future__ import annotations

import sys
from pathlib import Path

import av
import cv2
import numpy as np
import pytest
from feet_camera import FPS, chromium_args
from page_waits import wait_for_summary
from test_web_browser_usability import SIZES, axe_problems, go, new_page, press
from videogen import lift_pulses

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import photovideo  # noqa: E402

PHOTO = "FOCUS_itw_000813"  # a phone photo of a left foot on terracotta tiles, every toe marked sure
CLIP_S = 2.0
# the photo is 480×640 (portrait); the page asks the camera for 4:3, so the clip is the
# lower 480×360 of it, toes and forefoot (a camera stretches another shape to fit)
CROP_TOP_PX = 280


def cropped_y4m(video: Path, out: Path) -> Path:
    """The clip's frames from ``CROP_TOP_PX`` down, as the YUV4MPEG2 Chromium's camera plays."""
    with av.open(str(video)) as container, out.open("wb") as handle:
        for k, frame in enumerate(container.decode(video=0)):
            bgr = frame.to_ndarray(format="bgr24")[CROP_TOP_PX:]
            if k == 0:
                handle.write(
                    f"YUV4MPEG2 W{bgr.shape[1]} H{bgr.shape[0]} F{FPS}:1 Ip A1:1 C420jpeg\n".encode()
                )
            handle.write(b"FRAME\n" + cv2.cvtColor(bgr, cv2.COLOR_BGR2YUV_I420).tobytes())
    return out


def photo_lifts(t: np.ndarray) -> np.ndarray:
    """The big toe alone, then the other four together (px towards the ankle)."""
    out = np.zeros((t.size, 5))
    out[:, 0] = lift_pulses(t, [0.2], 12.0, 0.6)
    out[:, 1:] = lift_pulses(t, [1.2], 10.0, 0.6)[:, None]
    return out


@pytest.fixture(scope="module")
def photo_camera(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("photo-camera")
    truth = photovideo.render(
        folder / "photo.mp4",
        photovideo.load(PHOTO),
        toe_drive=photo_lifts,
        fps=FPS,
        duration_s=CLIP_S,
        noise=1.0,
    )
    points = {
        k: [v[0], v[1] - CROP_TOP_PX] if k.startswith("toe") else v for k, v in truth.first_points.items()
    }
    return points, cropped_y4m(folder / "photo.mp4", folder / "photo.y4m")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_real_foot_s_toes_placed_by_hand_and_each_step_highlights_its_toe(
    server, playwright_driver, photo_camera, screenshots, size
):
    first_points, y4m = photo_camera
    touch = SIZES[size][1]
    browser, page = new_page(playwright_driver, chromium_args(y4m), size)
    try:
        page.goto(f"{server.url}/?step_s=1.5&ready_s=1")
        page.wait_for_selector("body[data-ready='1']")
        page.click("#camera-start")
        page.wait_for_selector("#screen-calibrate:not([hidden])")
        page.select_option("#calib-foot", first_points["foot"])
        page.click("#snap")
        # toelab is unsure of the toes on a real photo: the person places them
        page.wait_for_selector("#calib-canvas[data-proposal='unsure']")
        assert page.is_disabled("#use-points")
        page.evaluate("document.querySelector('#calib-canvas').scrollIntoView({ block: 'center' })")
        canvas = page.locator("#calib-canvas")
        box = canvas.bounding_box()
        scale = page.evaluate("document.querySelector('#calib-canvas').width") / box["width"]
        for toe in range(1, 6):
            x, y = first_points[f"toe{toe}"]
            press(page, touch, box["x"] + x / scale, box["y"] + y / scale)
            assert canvas.bounding_box() == box  # the picture stays under the finger
        assert "All points are set" in page.inner_text("#calib-next")
        page.screenshot(path=screenshots / f"photo-calibrate-{size}.png")
        problems = [f"calibrate: {p}" for p in axe_problems(page)]
        page.click("#use-points")
        (points,) = page.evaluate("window.toelab.state.points")
        assert points["foot"] == first_points["foot"]
        for toe in range(1, 6):
            assert points[f"toe{toe}"] == pytest.approx(first_points[f"toe{toe}"], abs=2.0), toe

        steps = {
            c["instruction"]: sorted(c["toes"])
            for c in page.request.get(f"{server.url}/api/protocols").json()["battery"][0]["conditions"]
        }
        go(page, "assess")
        page.click("#test-toe_isolation")
        # what the live bars highlight, sampled through the run with the step shown
        page.evaluate(
            """() => {
                window.samples = [];
                setInterval(() => {
                    if (document.querySelector('#runner').hidden) return;
                    const step = document.querySelector('#step-instruction').textContent;
                    const toes = [...document.querySelectorAll('#assess-live [data-toe].target')]
                        .map((e) => Number(e.dataset.toe)).sort();
                    if (step) window.samples.push([step, toes]);
                }, 50);
            }"""
        )
        page.click("#guide-start")
        page.wait_for_selector("#assess-live .toe.target")
        page.screenshot(path=screenshots / f"photo-assess-running-{size}.png")
        # every step shown for a while (the last one a second): what was highlighted is known
        page.wait_for_function(
            """(n) => window.samples.filter(([s]) => s.startsWith(`${n} of ${n}:`)).length >= 20""",
            arg=len(steps),
            timeout=120000,
        )
        samples = page.evaluate("window.samples")
        seen: dict[str, set] = {}
        for step, toes in samples:
            instruction = step.split(": ", 1)[1]
            seen.setdefault(instruction, set()).add(tuple(toes))
        assert set(seen) == set(steps)
        for instruction, toes in steps.items():
            assert seen[instruction] == {tuple(toes)}, instruction

        # the page during the test's last step: nothing wider than a phone, nothing serious for axe
        page.screenshot(path=screenshots / f"photo-last-step-{size}.png", full_page=True)
        if size == "phone":
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
        problems += [f"last step: {p}" for p in axe_problems(page)]
        assert not problems, "\n".join(problems)
        # and the run's figures come back, step by step
        wait_for_summary(page, server, "#assess-results .summary[data-task='isolation']", 90000)
        assert page.locator("#assess-results .steps table[data-foot] caption").count() == 1
        page.screenshot(path=screenshots / f"photo-results-{size}.png", full_page=True)
    except Exception:
        page.screenshot(path=screenshots / f"failed-photo-{size}.png", full_page=True)
        raise
    finally:
        browser.close()
