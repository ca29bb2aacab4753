"""The page behind ``toelab points --edit``: reachable only under its random path, and Save
writes only points that parse as a points file inside the picture."""

from __future__ import annotations

import json

import numpy as np
from fastapi.testclient import TestClient

from toelab.track.points import Proposal, load_points
from toelab.web.points_editor import _Editing, editor_app

TOES = {f"toe{i}": [100.0 + 40 * i, 300.0] for i in range(1, 6)}


def client(tmp_path, view: str = "front") -> tuple[TestClient, _Editing]:
    frame = np.zeros((480, 640, 3), np.uint8)
    editing = _Editing(frame, Proposal([], 0.0, "unsure"), view, tmp_path / "out.json")
    return TestClient(editor_app(editing, "secret-path")), editing


def test_the_page_is_only_under_its_random_path(tmp_path):
    http, _ = client(tmp_path)
    assert http.get("/secret-path/").status_code == 200
    assert http.get("/secret-path/frame.png").content[:4] == b"\x89PNG"
    assert http.get("/guessed/").status_code == 404
    assert http.get("/guessed/frame.png").status_code == 404
    assert http.post("/guessed/save", json={"view": "front", "foot": "right", **TOES}).status_code == 404
    # only the page's own files are served
    assert http.get("/secret-path/static/point-editor.js").status_code == 200
    assert http.get("/secret-path/static/app.js").status_code == 404
    assert http.get("/secret-path/static/..%2Fpoints_editor.py").status_code == 404
    setup = http.get("/secret-path/setup").json()
    assert setup["view"] == "front" and setup["points"] == [] and setup["message"] == "unsure"


def test_save_writes_a_points_file_and_refuses_points_off_the_picture(tmp_path):
    http, editing = client(tmp_path)
    off = {**TOES, "toe5": [700.0, 300.0]}
    answer = http.post("/secret-path/save", json={"view": "front", "foot": "right", **off})
    assert answer.status_code == 422 and "outside the 640x480 frame" in answer.json()["message"]
    assert not editing.out.exists() and not editing.done.is_set()

    answer = http.post("/secret-path/save", json=[{"view": "front", "foot": "left", **TOES}])
    assert answer.status_code == 200 and answer.json()["saved"] == str(editing.out)
    assert editing.done.is_set()
    (foot,) = load_points(editing.out, frame_size=(640, 480))
    assert foot.foot == "left" and foot.points["toe3"] == (220.0, 300.0)
    assert isinstance(json.loads(editing.out.read_text()), dict)  # one foot: an object, not a list
