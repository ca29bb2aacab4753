"""The app's routes and the live WebSocket, without a browser (FastAPI's test client)."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import av
import cv2
import numpy as np
import pytest
import soundfile
from cryptography import x509
from fastapi.testclient import TestClient
from feet_camera import loops, paced
from videogen import click_track

from toelab.web.certs import make_certificate


def frame_message(seq: int, time_ms: float, image: np.ndarray) -> bytes:
    ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])
    assert ok
    return struct.pack("<Id", seq, time_ms) + jpeg.tobytes()


def test_page_and_protocols_are_served(client: TestClient):
    page = client.get("/")
    assert page.status_code == 200 and "Set up camera" in page.text
    assert client.get("/static/app.js").status_code == 200
    protocols = client.get("/api/protocols").json()
    assert {t["id"] for t in protocols["battery"]} >= {
        "toe_isolation",
        "big_toe_extension",
        "tremor",
        "musical_toes",
    }
    assert any(not x["camera_judged"] for x in protocols["exercises"])
    assert protocols["red_flags"]
    # how the page runs each test comes from its task in the registry
    rules = {t["id"]: t["page"] for t in protocols["battery"]}
    assert rules["big_toe_extension"]["view"] == "side" and rules["toe_isolation"]["view"] == "front"
    assert rules["toe_isolation"]["one_recording"] and not rules["tremor"]["one_recording"]
    assert not rules["tremor"]["live_target"] and rules["tremor"]["asks_context"]
    assert rules["musical_toes"]["needs_beats"] and rules["musical_toes"]["end_cue"] == "Stop"


def test_the_page_takes_its_words_from_the_package(client: TestClient):
    from toelab.protocols import BATTERY, EXERCISES
    from toelab.vocabulary import TOE_NAMES

    words = client.get("/api/vocabulary").json()
    assert words["toes"] == [TOE_NAMES[t] for t in range(1, 6)]
    assert words["points"] == {
        "front": ["toe1", "toe2", "toe3", "toe4", "toe5"],
        "side": ["heel", "mtp1", "hallux_tip"],
    }
    assert words["point_names"]["toe5"] == "little toe" and words["feet"]["left"] == "left foot"
    assert {test.task: test.name for test in BATTERY}.items() <= words["tasks"].items()
    assert words["exercises"] == {x.id: x.name for x in EXERCISES}
    plant = words["train_targets"]["big_toe_plant"]
    assert plant[0] == {"toes": [2, 3, 4, 5], "label": "the other four toes (big toe stays down)"}
    # no JavaScript file keeps its own list of toe names
    static = Path(__file__).resolve().parents[2] / "src" / "toelab" / "web" / "static"
    for script in static.glob("*.js"):
        assert "little toe" not in script.read_text(), script.name


def test_toe_points_are_proposed_on_a_still(client: TestClient, video):
    truth, frames = video
    ok, jpeg = cv2.imencode(".jpg", frames[0])
    answer = client.post("/api/propose", files={"frame": ("still.jpg", jpeg.tobytes(), "image/jpeg")}).json()
    assert answer["ok"] and answer["width"] == 640
    (foot,) = answer["points"]
    for toe in range(1, 6):
        assert np.hypot(*np.subtract(foot[f"toe{toe}"], truth.first_points[0][f"toe{toe}"])) < 6


def test_a_picture_that_is_not_an_image_is_explained(client: TestClient):
    answer = client.post("/api/propose", files={"frame": ("still.jpg", b"not a picture", "image/jpeg")})
    assert answer.status_code == 422 and "not a readable image" in answer.json()["message"]


def test_live_isolation_run_answers_every_frame_and_reports_the_toes(
    client: TestClient, video, tmp_path: Path
):
    truth, frames = video
    frames, time_s = loops(frames, truth.time_s, 2)  # two lifts of each toe
    with client.websocket_connect("/ws/live") as ws:
        ws.send_text(
            json.dumps({"type": "start", "task": "isolation", "points": truth.first_points, "target": [1]})
        )
        assert ws.receive_json()["type"] == "armed"
        states = []
        for seq in paced(time_s):
            ws.send_bytes(frame_message(seq, 1000.0 + 1000.0 * time_s[seq], frames[seq]))
            states.append(ws.receive_json())
        ws.send_text(json.dumps({"type": "stop"}))
        summary = ws.receive_json()
    assert [s["seq"] for s in states] == list(range(len(frames)))
    # (any other answer is shown: an error or a dropped frame, with its message)
    assert states[0]["started"] and all(s["type"] == "state" for s in states), [
        s for s in states if s["type"] != "state"
    ][:3]
    live = [s["feet"]["right"]["live"] for s in states]
    # the big toe lifts alone at 0.5 s: green then; the 2nd toe drags the 3rd and 4th at 1.7 s
    assert any(v["isolated"] for v, t in zip(live, time_s, strict=True) if 0.6 < t < 1.0)
    rep = next(s["feet"]["right"]["rep"] for s in states if "rep" in s["feet"]["right"])
    assert rep["clean"] and 0.6 < rep["peak_s"] - 1.0 < 0.9
    assert summary["type"] == "summary" and summary["task"] == "isolation"
    rows = {r[0]: r for r in summary["rows"]["right"]}
    assert rows["big toe individuation"][2].startswith("moves on its own")
    assert rows["2nd toe individuation"][2].startswith("does not yet move on its own")
    assert [t["n_trials"] for t in summary["results"]["toes"]] == [2, 2, 2, 2, 2]
    saved = json.loads(next((tmp_path / "sessions").rglob("*.json")).read_text())
    assert saved["task"] == "isolation" and saved["id"] == summary["id"]
    assert client.get("/api/sessions").json()[0]["id"] == summary["id"]


def test_the_next_step_of_a_run_scores_the_toes_it_names(client: TestClient, video):
    """One isolation recording, the target changed between steps: the live bars follow."""
    truth, frames = video
    with client.websocket_connect("/ws/live") as ws:
        ws.send_text(
            json.dumps({"type": "start", "task": "isolation", "points": truth.first_points, "target": [1]})
        )
        assert ws.receive_json()["type"] == "armed"
        states = []
        for seq in paced(truth.time_s[: len(frames)]):
            image = frames[seq]
            if truth.time_s[seq] >= 1.3 and states[-1]["feet"]["right"]["live"]["target"] == [1]:
                ws.send_text(json.dumps({"type": "target", "target": [2]}))
                assert ws.receive_json() == {"type": "targeted", "target": [2]}
            ws.send_bytes(frame_message(seq, 1000.0 + 1000.0 * truth.time_s[seq], image))
            states.append(ws.receive_json())
        ws.send_text(json.dumps({"type": "target", "target": [9]}))
        assert "toes must be numbers 1..5" in ws.receive_json()["message"]
        ws.send_text(json.dumps({"type": "target", "target": ["x"]}))
        assert "target must be numbers" in ws.receive_json()["message"]
    live = [(t, s["feet"]["right"]) for t, s in zip(truth.time_s, states, strict=True)]
    assert all(f["live"]["target"] == ([1] if t < 1.3 else [2]) for t, f in live)
    reps = [(t, f["rep"]) for t, f in live if "rep" in f]
    # the big toe's lift (0.5 s) was clean for the big toe; the 2nd toe's (1.7 s) dragged the 3rd and 4th
    assert reps[0][0] < 1.3 and reps[0][1]["clean"] and reps[0][1]["followers"] == []
    second = next(rep for t, rep in reps if 1.7 < t < 2.9)
    assert second["followers"] == [3, 4] and not second["clean"]
    # later, the 3rd, 4th and little toe lifting alone are not the 2nd toe's lift
    assert not any(f["live"]["target_up"] for t, f in live if 3.0 < t < 5.9)


def test_live_messages_that_make_no_sense_are_explained(client: TestClient, video):
    truth, frames = video
    with client.websocket_connect("/ws/live") as ws:
        ws.send_text(json.dumps({"type": "stop"}))
        assert "nothing is running" in ws.receive_json()["message"]
        ws.send_text(json.dumps({"type": "start", "task": "dance", "points": truth.first_points}))
        assert "unknown live task" in ws.receive_json()["message"]
        ws.send_text(
            json.dumps({"type": "start", "task": "train", "points": truth.first_points, "target": ["x"]})
        )
        assert "must be numbers" in ws.receive_json()["message"]
        ws.send_text(json.dumps({"type": "start", "task": "rhythm", "points": truth.first_points}))
        assert "beat times" in ws.receive_json()["message"]
        ws.send_bytes(struct.pack("<Id", 1, 0.0) + b"garbage")
        answer = ws.receive_json()
        assert "JPEG" in answer["message"] and answer["seq"] == 1  # the page frees the frame's slot
        ws.send_bytes(frame_message(2, 0.0, frames[0]))
        assert ws.receive_json()["type"] == "idle"  # frames before a start are not tracked
        outside = [dict(truth.first_points[0], toe1=[900.0, 10.0])]
        ws.send_text(json.dumps({"type": "start", "task": "train", "points": outside}))
        assert ws.receive_json()["type"] == "armed"
        ws.send_bytes(frame_message(3, 10.0, frames[0]))
        assert "outside the 640x480 frame" in ws.receive_json()["message"]
        ws.send_bytes(frame_message(4, 20.0, frames[1]))
        assert ws.receive_json()["type"] == "idle"  # the bad start is not retried on every frame


def test_hand_logged_exercise_is_kept(client: TestClient):
    saved = client.post("/api/sessions", json={"task": "logged", "exercise_id": "towel_scrunch"}).json()
    assert client.get("/api/sessions?limit=1").json()[0]["id"] == saved["id"]
    assert client.post("/api/sessions", json={"task": "isolation"}).status_code == 422


def test_song_beats_are_found(client: TestClient, tmp_path: Path):
    beats = np.arange(0.5, 9.5, 0.5)
    path = tmp_path / "clicks.wav"
    soundfile.write(path, click_track(beats, 10.0, 22050), 22050)
    answer = client.post("/api/beats", files={"song": ("clicks.wav", path.read_bytes(), "audio/wav")}).json()
    found = np.array(answer["beat_times_s"])
    assert found.size == beats.size and np.max(np.abs(found - beats)) < 0.01
    assert answer["tempo_bpm"] == pytest.approx(120, abs=1)


def test_https_certificate_names_the_lan_address(tmp_path: Path):
    cert_path, key_path = make_certificate(tmp_path, ["192.168.1.23", "toes.local"])
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "toes.local" in names.get_values_for_type(x509.DNSName)
    assert {str(ip) for ip in names.get_values_for_type(x509.IPAddress)} >= {"192.168.1.23", "127.0.0.1"}
    assert key_path.stat().st_mode & 0o077 == 0


def run_live(client: TestClient, start: dict, frames: list[np.ndarray], times_s: np.ndarray) -> dict:
    with client.websocket_connect("/ws/live") as ws:
        ws.send_text(json.dumps({"type": "start", **start}))
        assert ws.receive_json()["type"] == "armed"
        assert len(frames) == len(times_s)
        for seq in paced(times_s):
            ws.send_bytes(frame_message(seq, 1000.0 * times_s[seq], frames[seq]))
            assert ws.receive_json()["type"] == "state"
        ws.send_text(json.dumps({"type": "stop"}))
        return ws.receive_json()


def test_tremor_hold_reports_its_figures_in_plain_words(client: TestClient, video):
    truth, frames = video
    start = {"task": "tremor", "points": truth.first_points, "extra": {"condition": "rest"}}
    summary = run_live(client, start, frames, truth.time_s)
    rows = {r[0]: r for r in summary["rows"][next(iter(summary["rows"]))]}
    assert "Shaking pattern" in rows
    assert summary["results"]["classification"] in ("none", "irregular", "rhythmic")


def test_big_toe_extension_from_the_side_view(client: TestClient, tmp_path: Path):
    from videogen import render_side

    truth = render_side(tmp_path / "side.mp4", lambda t: 50.0 * np.clip(t / 2.0, 0, 1), duration_s=3.0)
    with av.open(str(tmp_path / "side.mp4")) as container:
        frames = [f.to_ndarray(format="bgr24") for f in container.decode(video=0)]
    summary = run_live(client, {"task": "rom", "points": truth.first_points}, frames, truth.time_s)
    angle = summary["results"]["max_extension_deg"]
    assert angle == pytest.approx(float(np.max(truth.hallux_angle_deg)), abs=5)
    assert summary["rows"]["right"][0][0] == "Big-toe extension (max)"


def test_unreadable_session_files_are_skipped(tmp_path: Path):
    from toelab.web.sessions import last_sessions, save_session

    first = save_session(tmp_path, {"task": "logged", "exercise_id": "towel_scrunch", "value": float("nan")})
    (tmp_path / "99999999T999999-broken.json").write_text("{not json")
    assert [s["id"] for s in last_sessions(tmp_path)] == [first["id"]]
    assert first["value"] is None  # kept as valid JSON


def test_serve_explains_a_bad_port():
    from typer.testing import CliRunner

    from toelab.cli import app

    result = CliRunner().invoke(app, ["serve", "--port", "70000"])
    assert result.exit_code == 2 and "not a port number" in result.output
