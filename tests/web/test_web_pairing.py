"""Two screens: a code (with its QR code) joins a phone to a big screen once, within minutes,
for the same account only; the phone's live messages reach the big screen."""

from __future__ import annotations

import json

import pytest
from starlette.websockets import WebSocketDisconnect
from test_web_clinic import app, clinic, password_hash, signed_in_client  # noqa: F401

from toelab.errors import ToelabError
from toelab.web.pairing import Pairings


def test_a_code_comes_with_a_qr_code_of_the_page_address(app):  # noqa: F811
    screen = signed_in_client(app, "ann")
    answer = screen.post("/api/pair", json={}).json()
    assert len(answer["code"]) == 6 and answer["code"].isdigit()
    assert answer["url"] == f"http://testserver/?pair={answer['code']}"
    svg = answer["qr_svg"]
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and "<path" in svg


def test_the_phone_joins_once_and_its_messages_show_on_the_big_screen(app):  # noqa: F811
    screen = signed_in_client(app, "ann")
    phone = signed_in_client(app, "ann")
    code = screen.post("/api/pair", json={}).json()["code"]
    csrf = screen.headers["X-CSRF-Token"]
    with screen.websocket_connect(f"/ws/pair?code={code}&csrf={csrf}") as big:
        joined = phone.post("/api/pair/join", json={"code": code})
        assert joined.status_code == 200, joined.text
        again = phone.post("/api/pair/join", json={"code": code})
        assert again.status_code == 422 and "already used" in again.json()["message"]
        room = joined.json()["room"]
        phone_csrf = phone.headers["X-CSRF-Token"]
        with phone.websocket_connect(f"/ws/live?csrf={phone_csrf}&pair={room}") as live:
            assert json.loads(big.receive_text()) == {"type": "paired"}
            live.send_text(json.dumps({"type": "stop"}))
            said = json.loads(live.receive_text())
            assert said["type"] == "error" and "nothing is running" in said["message"]
            assert json.loads(big.receive_text()) == said  # the big screen sees the same


def test_an_expired_code_is_refused(app):  # noqa: F811
    app.state.pairings = Pairings(code_ttl_s=0.0)
    screen = signed_in_client(app, "ann")
    code = screen.post("/api/pair", json={}).json()["code"]
    answer = signed_in_client(app, "ann").post("/api/pair/join", json={"code": code})
    assert answer.status_code == 422 and "expired" in answer.json()["message"]


def test_another_account_cannot_join_watch_or_use_the_room(app):  # noqa: F811
    screen = signed_in_client(app, "ann")
    code = screen.post("/api/pair", json={}).json()["code"]
    bob = signed_in_client(app, "bob")
    refused = bob.post("/api/pair/join", json={"code": code})
    assert refused.status_code == 403
    bob_csrf = bob.headers["X-CSRF-Token"]
    watch = f"/ws/pair?code={code}&csrf={bob_csrf}"
    with pytest.raises(WebSocketDisconnect), bob.websocket_connect(watch) as ws:
        ws.receive_text()
    room = signed_in_client(app, "ann").post("/api/pair/join", json={"code": code}).json()["room"]
    camera = f"/ws/live?csrf={bob_csrf}&pair={room}"
    with pytest.raises(WebSocketDisconnect), bob.websocket_connect(camera) as ws:
        ws.receive_text()
    assert signed_in_client(app, "ann").post("/api/pair/join", json={"code": "000000x"}).status_code == 422


def test_guessing_codes_voids_the_open_ones():
    pairings = Pairings()
    room = pairings.create(None)
    for guess in range(19):
        with pytest.raises(ToelabError, match="no such code"):
            pairings.join(f"x{guess}", None)
    assert pairings.join(room.code, None) is room  # 19 wrong guesses: the code still works
    second = pairings.create(None)
    for guess in range(20):
        with pytest.raises(ToelabError):
            pairings.join(f"y{guess}", None)
    with pytest.raises(ToelabError, match="no such code"):
        pairings.join(second.code, None)
