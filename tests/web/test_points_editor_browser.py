"""``toelab points --edit``: the page opens on the video's first frame, the toes are clicked
in order, Save writes the points file ``--points`` takes and the command ends."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from videogen import render_front

from toelab.track.points import load_points

WIDTH, HEIGHT = 640, 480
URL = re.compile(r"http://127\.0\.0\.1:\d+/\S+/")


def start_editor(video: Path, out: Path) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "toelab", "points", str(video), "--edit", "--no-browser", "--json"]
    process = subprocess.Popen(
        [*command, "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    line = process.stderr.readline()  # the page's address, on stderr: stdout keeps the one JSON answer
    found = URL.search(line)
    if not found:
        process.kill()
        pytest.fail(f"no address printed: {line!r} {process.stderr.read()}")
    return process, found.group(0)


def test_toes_clicked_on_the_page_are_saved_as_a_points_file(playwright_driver, tmp_path, screenshots):
    video = tmp_path / "foot.mp4"
    truth = render_front(video, None, duration_s=0.2, width=WIDTH, height=HEIGHT).first_points[0]
    out = tmp_path / "clicked.points.json"
    process, url = start_editor(video, out)
    browser = playwright_driver.chromium.launch(executable_path="/usr/bin/chromium")
    try:
        page = browser.new_page(viewport={"width": 900, "height": 1000})
        page.goto(url)
        page.wait_for_selector("body[data-ready='1']")
        # the proposal is on the page; the person places the points again by hand, 4 px off
        assert "toelab found the points" in page.inner_text("#proposal-msg")
        page.click("#place-points")
        canvas = page.locator("#points-canvas")
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        clicked = {}
        for toe in ("toe1", "toe2", "toe3", "toe4", "toe5"):
            x, y = truth[toe][0] + 4, truth[toe][1] - 4
            page.mouse.click(box["x"] + x * box["width"] / WIDTH, box["y"] + y * box["height"] / HEIGHT)
            clicked[toe] = (x, y)
        assert page.is_enabled("#save")
        page.screenshot(path=screenshots / "points-edit.png", full_page=True)
        page.click("#save")
        page.wait_for_selector("body[data-saved='1']")
        assert str(out) in page.inner_text("#status")
        stdout, stderr = process.communicate(timeout=20)
    finally:
        browser.close()
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, stderr
    answer = json.loads(stdout)
    assert answer["message"].endswith(f"saved to {out}")
    (foot,) = load_points(out, frame_size=(WIDTH, HEIGHT))
    assert foot.view == "front" and foot.foot == "right"
    for toe, where in clicked.items():
        assert np.hypot(*np.subtract(foot.points[toe], where)) < 1.5, (toe, foot.points[toe], where)
    assert answer["points"]["toe3"] == pytest.approx(list(foot.points["toe3"]))
