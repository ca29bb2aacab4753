"""Hardening a user would notice only when it is missing: security headers on every answer,
uploads over their limit or not what they claim refused with a clear message, other sites
refused, and malformed live frames answered without bringing the server down."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import cv2
import numpy as np
import pytest
import soundfile
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from videogen import click_track

from toelab.web import create_app
from toelab.web.access import route_access
from toelab.web.security import MB, SECURITY_HEADERS, FrameGuard, FrameRefused, Limits, jpeg_size, sniff

STATIC = Path(__file__).resolve().parents[2] / "src" / "toelab" / "web" / "static"


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("TOELAB_DATABASE_URL", raising=False)
    return tmp_path


@pytest.fixture()
def client(home: Path) -> TestClient:
    return TestClient(create_app(home=home))


def wav_bytes(folder: Path, seconds: float) -> bytes:
    path = folder / "clicks.wav"
    soundfile.write(path, click_track(np.arange(0.5, seconds, 0.5), seconds, 22050), 22050)
    return path.read_bytes()


def jpeg(width: int = 64, height: int = 48) -> bytes:
    image = np.random.default_rng(0).integers(0, 255, (height, width, 3), dtype=np.uint8)
    return cv2.imencode(".jpg", image)[1].tobytes()


def assert_security_headers(answer) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert answer.headers.get(name) == value, (answer.request.url, name)


def test_every_route_answers_with_the_security_headers(client: TestClient):
    for route in route_access(client.app):
        path = re.sub(r"\{[^}]+\}", "1", route.path)
        for method in route.methods:
            if method in ("GET", "POST"):
                assert_security_headers(client.request(method, path))
    for path in ("/static/app.js", "/static/index.html", "/no-such-page"):
        assert_security_headers(client.get(path))
    assert client.get("/api/protocols").headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in client.get("/").headers
    https = TestClient(client.app, base_url="https://testserver")
    assert https.get("/").headers["strict-transport-security"].startswith("max-age=")


def test_the_policy_allows_no_inline_code_and_the_pages_have_none():
    policy = SECURITY_HEADERS["content-security-policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "camera=(self)" in SECURITY_HEADERS["permissions-policy"]
    for page in STATIC.glob("*.html"):
        html = page.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), page.name
        assert not re.search(r"\s(style|on[a-z]+)=", html), page.name
        assert "<style" not in html, page.name
    for script in STATIC.glob("*.js"):
        code = script.read_text()
        assert not re.search(r"setAttribute\(\s*[\"'](style|on)", code), script.name
        assert "eval(" not in code and "new Function" not in code, script.name


def test_an_oversized_song_is_refused_before_it_is_read(home: Path):
    client = TestClient(create_app(home=home, limits=Limits(audio_bytes=1 * MB, video_bytes=2 * MB)))
    big = b"RIFF\x00\x00\x00\x00WAVE" + bytes(3 * MB)
    answer = client.post("/api/beats", files={"song": ("song.wav", big, "audio/wav")})
    assert answer.status_code == 413 and "larger than" in answer.json()["message"]
    within_body = b"RIFF\x00\x00\x00\x00WAVE" + bytes(int(1.5 * MB))
    answer = client.post("/api/beats", files={"song": ("song.wav", within_body, "audio/wav")})
    assert answer.status_code == 413 and "sound" not in answer.json()["message"]


def test_a_body_without_a_length_is_cut_off_at_the_limit(home: Path):
    client = TestClient(create_app(home=home, limits=Limits(json_bytes=1000)))

    def chunks():
        for _ in range(10):
            yield b" " * 500

    answer = client.post("/api/sessions", content=chunks(), headers={"content-type": "application/json"})
    assert answer.status_code == 413
    assert_security_headers(answer)
    big = {"task": "logged", "exercise_id": "x" * 2000}
    assert client.post("/api/sessions", json=big).status_code == 413


def test_a_long_song_is_refused_without_decoding_it(home: Path, tmp_path: Path):
    client = TestClient(create_app(home=home, limits=Limits(media_duration_s=5.0)))
    answer = client.post("/api/beats", files={"song": ("song.wav", wav_bytes(tmp_path, 8.0), "audio/wav")})
    assert answer.status_code == 413 and "longer than" in answer.json()["message"]


def test_uploads_are_judged_by_their_content_not_their_name(client: TestClient, home: Path, tmp_path: Path):
    song = wav_bytes(tmp_path, 4.0)
    # a name that would climb out of the upload folder is never used
    answer = client.post("/api/beats", files={"song": ("../../../evil.sh", song, "text/plain")})
    assert answer.status_code == 200 and len(answer.json()["beat_times_s"]) >= 5
    assert not (tmp_path.parent / "evil.sh").exists() and not list(home.rglob("evil.sh"))
    text = client.post("/api/beats", files={"song": ("song.wav", b"#!/bin/sh\nrm -rf /\n" * 10, "audio/wav")})
    assert text.status_code == 422 and "not a readable sound file" in text.json()["message"]
    broken = b"RIFF\x10\x00\x00\x00WAVEfmt " + bytes(200)  # a WAV header and nothing sensible
    answer = client.post("/api/beats", files={"song": ("song.wav", broken, "audio/wav")})
    assert answer.status_code == 422 and "toelab-upload" not in answer.text
    picture = client.post("/api/propose", files={"frame": ("still.jpg", song, "image/jpeg")})
    assert picture.status_code == 422 and "not a readable image" in picture.json()["message"]


def test_file_kinds_are_read_from_their_first_bytes():
    assert sniff(jpeg()[:16]) == "jpeg"
    assert sniff(b"RIFF\x00\x00\x00\x00WAVEfmt ") == "wav"
    assert sniff(b"RIFF\x00\x00\x00\x00AVI LIST") == "avi"
    assert sniff(b"\x00\x00\x00\x20ftypisom") == "mp4"
    assert sniff(b"ID3\x04") == "mp3" and sniff(b"\xff\xfb\x90\x00") == "mp3"
    assert sniff(b"YUV4MPEG2 W640") == "y4m"
    assert sniff(b"<html>") is None and sniff(b"") is None
    assert jpeg_size(jpeg(64, 48)) == (64, 48)
    assert jpeg_size(b"\xff\xd8\xff\xe0\x00") is None


def test_another_site_cannot_post_or_open_the_camera_socket_at_home(client: TestClient):
    evil = {"Origin": "https://evil.example"}
    entry = {"task": "logged", "exercise_id": "towel_scrunch"}
    assert client.post("/api/sessions", json=entry, headers=evil).status_code == 403
    assert (
        client.post("/api/sessions", json=entry, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    )
    assert (
        client.post("/api/sessions", json=entry, headers={"Origin": "http://testserver"}).status_code == 200
    )
    assert client.get("/api/protocols", headers=evil).status_code == 200  # reading gives them nothing
    with pytest.raises(WebSocketDisconnect), client.websocket_connect("/ws/live", headers=evil) as ws:
        ws.receive_text()


def test_at_home_other_host_names_are_refused(home: Path):
    app = create_app(home=home, allowed_hosts=["localhost", "127.0.0.1"])
    assert TestClient(app, base_url="http://127.0.0.1:8000").get("/api/protocols").status_code == 200
    rebound = TestClient(app, base_url="http://attacker.example:8000").get("/api/protocols")
    assert rebound.status_code == 400
    assert_security_headers(rebound)


def frame(seq: int, data: bytes, time_ms: float = 0.0) -> bytes:
    return struct.pack("<Id", seq, time_ms) + data


def test_malformed_live_frames_are_answered_and_the_connection_goes_on(client: TestClient):
    huge = bytearray(jpeg())
    at = huge.index(b"\xff\xc0")  # the frame header: claim 40000 x 40000 pixels
    huge[at + 5 : at + 9] = struct.pack(">HH", 40000, 40000)
    with client.websocket_connect("/ws/live") as ws:
        for seq, data, said in (
            (None, b"\x01\x02", "too short"),
            (1, b"GIF89a" + bytes(40), "not a readable JPEG"),
            (2, bytes(huge), "larger than a camera"),
            (3, b"\xff\xd8\xff" + bytes(2 * MB), "larger than"),
            (4, b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(30), "not a readable JPEG"),
        ):
            ws.send_bytes(data if seq is None else frame(seq, data))
            answer = ws.receive_json()
            assert answer["type"] == "error" and said in answer["message"] and answer["seq"] == seq
        ws.send_bytes(frame(4, jpeg()))
        assert "growing sequence" in ws.receive_json()["message"]
        for text, said in (
            ("not json", "not JSON"),
            ("[1, 2]", "JSON object"),
            ("x" * (3 * MB), "too large"),
        ):
            ws.send_text(text)
            assert said in ws.receive_json()["message"]
        ws.send_bytes(frame(5, jpeg()))
        assert ws.receive_json()["type"] == "idle"  # still serving: a good frame before a start
        ws.send_text(json.dumps({"type": "stop"}))
        assert "nothing is running" in ws.receive_json()["message"]


def test_a_client_sending_too_fast_gets_frames_dropped(home: Path):
    client = TestClient(create_app(home=home, limits=Limits(ws_max_fps=5.0, ws_burst_s=1.0)))
    with client.websocket_connect("/ws/live") as ws:
        kinds = []
        for seq in range(12):
            ws.send_bytes(frame(seq, jpeg()))
            kinds.append(ws.receive_json()["type"])
    assert kinds[:5] == ["idle"] * 5 and kinds.count("dropped") >= 6


def test_the_frame_rate_allowance_refills_with_time():
    now = [0.0]
    guard = FrameGuard(Limits(ws_max_fps=10.0, ws_burst_s=1.0), 12, clock=lambda: now[0])
    for seq in range(10):
        guard.check(frame(seq, jpeg()))
    with pytest.raises(FrameRefused) as refused:
        guard.check(frame(10, jpeg()))
    assert refused.value.dropped
    now[0] = 0.5  # half a second: five more
    for seq in range(11, 16):
        guard.check(frame(seq, jpeg()))
    with pytest.raises(FrameRefused):
        guard.check(frame(16, jpeg()))


def serve(monkeypatch: pytest.MonkeyPatch, home: Path, *args: str) -> tuple[str, dict]:
    """``toelab serve ARGS`` up to the point where uvicorn would start; what it said and was given."""
    import uvicorn
    from typer.testing import CliRunner

    from toelab.cli import app

    monkeypatch.setenv("TOELAB_HOME", str(home))
    given: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda asgi, **options: given.update(options, app=asgi))
    result = CliRunner().invoke(app, ["serve", *args])
    assert result.exit_code == 0, result.output
    return result.output, given


def test_home_mode_listens_on_this_computer_only_unless_told(monkeypatch: pytest.MonkeyPatch, home: Path):
    said, given = serve(monkeypatch, home)
    assert given["host"] == "127.0.0.1" and "Warning" not in said
    assert TestClient(given["app"], base_url="http://evil.example").get("/").status_code == 400
    said, given = serve(monkeypatch, home, "--host", "0.0.0.0")
    assert given["host"] == "0.0.0.0" and "without --clinic" in " ".join(said.split())
    said, given = serve(monkeypatch, home, "--host", "0.0.0.0", "--clinic")
    assert "without --clinic" not in " ".join(said.split()) and "No accounts yet" in said
    assert TestClient(given["app"]).get("/api/protocols").status_code == 401


def test_a_picture_declaring_too_many_pixels_is_refused_before_it_is_decoded(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
):
    # a small PNG whose header declares 6000x6000: refused by its header, never decoded
    bomb = cv2.imencode(".png", np.zeros((6000, 6000), np.uint8))[1].tobytes()
    assert len(bomb) < 200_000
    decoded: list[int] = []
    real = cv2.imdecode
    monkeypatch.setattr(cv2, "imdecode", lambda *a: decoded.append(1) or real(*a))
    answer = client.post("/api/propose", files={"frame": ("still.png", bomb, "image/png")})
    assert answer.status_code == 413 and "6000x6000 pixels" in answer.json()["message"]
    assert decoded == []
    fine = client.post("/api/propose", files={"frame": ("still.jpg", jpeg(640, 480), "image/jpeg")})
    assert fine.status_code == 200 and fine.json()["width"] == 640 and decoded == [1]


def flac_claiming(folder: Path, seconds: float, claimed_s: float, rate_hz: int = 8000) -> bytes:
    """A FLAC file holding ``seconds`` of clicks whose header says it lasts ``claimed_s``."""
    path = folder / "long.flac"
    soundfile.write(path, click_track(np.arange(0.5, seconds, 0.5), seconds, rate_hz), rate_hz)
    data = bytearray(path.read_bytes())
    assert data[:4] == b"fLaC" and data[4] & 0x7F == 0  # STREAMINFO comes first
    # STREAMINFO bytes 10..17: rate (20 bits), channels (3), bits (5), total samples (36)
    packed = int.from_bytes(data[18:26], "big")
    packed = (packed & ~((1 << 36) - 1)) | int(claimed_s * rate_hz)
    data[18:26] = packed.to_bytes(8, "big")
    data[26:42] = bytes(16)  # MD5 unknown
    return bytes(data)


def test_a_song_whose_header_understates_its_length_is_stopped_while_decoding(home: Path, tmp_path: Path):
    client = TestClient(create_app(home=home, limits=Limits(media_duration_s=5.0)))
    song = flac_claiming(tmp_path, seconds=12.0, claimed_s=1.0)
    answer = client.post("/api/beats", files={"song": ("song.flac", song, "audio/flac")})
    assert answer.status_code == 413 and "longer than" in answer.json()["message"]
    honest = flac_claiming(tmp_path, seconds=4.0, claimed_s=4.0)
    answer = client.post("/api/beats", files={"song": ("song.flac", honest, "audio/flac")})
    assert answer.status_code == 200 and len(answer.json()["beat_times_s"]) >= 5


def test_logged_records_are_limited_in_size_and_per_minute(client: TestClient, home: Path):
    big = {"task": "logged", "exercise_id": "towel_scrunch", "comment": "x" * (1 * MB)}
    answer = client.post("/api/sessions", json=big)
    assert answer.status_code == 413 and "kB" in answer.json()["message"]
    small = {"task": "logged", "exercise_id": "towel_scrunch", "reps": 10}
    codes = [client.post("/api/sessions", json=small).status_code for _ in range(40)]
    assert codes == [200] * 30 + [429] * 10
    assert len(list((home / "sessions").rglob("*.json"))) == 30  # one folder per person
