"""Clinic mode: nothing without signing in, each account sees only its own people, CSRF tokens,
cookie flags and sign-in rate limiting. The access checks walk the app's route table, so a
route added later is checked too."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import cv2
import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from toelab.store import Store, open_store
from toelab.web import create_app
from toelab.web.access import RouteAccess, route_access
from toelab.web.auth import CSRF_COOKIE, Clinic, Policy, hash_password, token_hash
from toelab.web.people import PERSON_COOKIE

PASSWORD = "correct horse battery"
OTHER = "Bob Zzyzx-Other"  # a name that shows up in an answer only if Bob's records leak
# the only routes anyone may use without signing in
PUBLIC = {("/login", "GET"), ("/api/login", "POST")}


@pytest.fixture(scope="module")
def password_hash() -> str:
    return hash_password(PASSWORD)


def make_clinic(store: Store, password_hash: str) -> dict[str, int]:
    ids = {name: store.people.add(name).id for name in ("Ann", OTHER, "Cy")}
    accounts = store.accounts
    accounts.add_user("admin", password_hash, "admin")
    accounts.add_user("dr.smith", password_hash, "clinician")
    accounts.add_user("dr.jones", password_hash, "clinician")
    accounts.add_user("ann", password_hash, "patient", person="Ann", clinician="dr.smith")
    accounts.add_user("bob", password_hash, "patient", person=OTHER, clinician="dr.jones")
    accounts.assign_patient("dr.smith", "Cy")
    return ids


@pytest.fixture()
def clinic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, password_hash: str) -> Iterator[Clinic]:
    monkeypatch.delenv("TOELAB_DATABASE_URL", raising=False)
    with open_store(f"sqlite:///{tmp_path / 'toelab.db'}", home=tmp_path) as store:
        make_clinic(store, password_hash)
        yield Clinic(store, Policy(first_lockout_s=30.0))


@pytest.fixture()
def app(clinic: Clinic, tmp_path: Path):
    return create_app(home=tmp_path, clinic=clinic)


def person(clinic: Clinic, name: str) -> int:
    return clinic.store.people.get(name).id


def sign_in(client: TestClient, username: str, password: str = PASSWORD):
    client.get("/login")
    return client.post(
        "/api/login",
        json={"username": username, "password": password},
        headers={"X-CSRF-Token": client.cookies.get(CSRF_COOKIE, "")},
    )


def signed_in_client(app, username: str) -> TestClient:
    client = TestClient(app)
    answer = sign_in(client, username)
    assert answer.status_code == 200, answer.text
    client.headers["X-CSRF-Token"] = answer.json()["csrf"]
    return client


def http_routes(app) -> list[tuple[RouteAccess, str]]:
    return [(r, m) for r in route_access(app) for m in r.methods if m not in ("HEAD", "WEBSOCKET")]


def url(route: RouteAccess, person_id: int | None = None) -> str:
    path = route.path
    for name in route.path_params:
        value = person_id if name == "person_id" and person_id is not None else 1
        path = path.replace("{" + name + "}", str(value))
    if person_id is not None and route.takes_person_id and "person_id" not in route.path_params:
        path += f"?person_id={person_id}"
    return path


def call(client: TestClient, method: str, path: str):
    body = {"json": {}} if method in ("POST", "PUT", "PATCH") else {}
    return client.request(method, path, follow_redirects=False, **body)


def test_every_route_declares_who_may_use_it(app):
    for route in route_access(app):
        if route.path == "/static":
            continue  # the page's own files: public by the gate's rule for /static/
        assert route.rules, (
            f"{route.methods} {route.path} declares no access rule (public, signed_in or person)"
        )
        if "public" in route.rules:
            assert {(route.path, m) for m in route.methods} <= PUBLIC, f"{route.path} is public"


def test_without_signing_in_only_the_sign_in_page_and_static_files_answer(app):
    client = TestClient(app)
    checked = 0
    for route, method in http_routes(app):
        if (route.path, method) in PUBLIC:
            continue  # signing in: see the CSRF and rate-limit tests
        answer = call(client, method, url(route))
        assert answer.status_code in (401, 403, 303), f"{method} {route.path}: {answer.status_code}"
        if answer.status_code == 303:
            assert answer.headers["location"] == "/login"
        checked += 1
    assert checked >= 10
    assert client.get("/static/app.js").status_code == 200
    assert "Sign in" in client.get("/login").text
    for route in route_access(app):
        if "WEBSOCKET" in route.methods:
            with pytest.raises(WebSocketDisconnect), client.websocket_connect(url(route)) as ws:
                ws.receive_text()


def _records_of(store: Store, name: str) -> tuple[object, ...]:
    """A person's sessions, exercise log and current plan, to see whether anything changed."""
    return (store.sessions.history(name), store.exercise_log.entries(name), store.plans.current(name))


def test_a_patient_cannot_read_or_change_another_patients_records(app, clinic: Clinic):
    ann = signed_in_client(app, "ann")
    other = person(clinic, OTHER)
    before = _records_of(clinic.store, OTHER)
    person_routes = 0
    for route, method in http_routes(app):
        if route.takes_person_id:
            answer = call(ann, method, url(route, other))
            assert answer.status_code == 403, f"{method} {route.path}: {answer.status_code}"
            person_routes += 1
        if method == "GET" and not route.path_params:
            answer = call(ann, method, url(route))
            assert OTHER not in answer.text, f"GET {route.path} shows another patient's name"
    assert person_routes >= 5
    after = _records_of(clinic.store, OTHER)
    assert after == before
    for route in route_access(app):
        if "WEBSOCKET" in route.methods:
            csrf = ann.headers["X-CSRF-Token"]
            with (
                pytest.raises(WebSocketDisconnect),
                ann.websocket_connect(f"{url(route, other)}&csrf={csrf}") as ws,
            ):
                ws.receive_text()


def test_a_patient_works_on_their_own_records(app, clinic: Clinic):
    ann = signed_in_client(app, "ann")
    me = ann.get("/api/me").json()
    assert me["role"] == "patient" and [p["display_name"] for p in me["people"]] == ["Ann"]
    logged = ann.post("/api/exercise-log", json={"exercise_id": "towel_scrunch", "minutes": 3})
    assert logged.status_code == 200, logged.text
    assert len(clinic.store.exercise_log.entries("Ann")) == 1
    assert ann.get("/api/history").json()["person"]["display_name"] == "Ann"


def test_a_clinician_sees_their_own_patients_only(app, clinic: Clinic):
    smith = signed_in_client(app, "dr.smith")
    assert {p["display_name"] for p in smith.get("/api/me").json()["people"]} == {"Ann", "Cy"}
    assert smith.get(f"/api/history?person_id={person(clinic, 'Ann')}").status_code == 200
    assert smith.get(f"/api/history?person_id={person(clinic, 'Cy')}").status_code == 200
    assert smith.get(f"/api/history?person_id={person(clinic, OTHER)}").status_code == 403
    assert smith.get("/api/history").status_code == 400  # which patient?
    smith.cookies.set(PERSON_COOKIE, str(person(clinic, "Cy")))  # chosen in the page
    assert smith.get("/api/history").json()["person"]["display_name"] == "Cy"
    smith.cookies.set(PERSON_COOKIE, str(person(clinic, OTHER)))
    assert smith.get("/api/history").status_code == 400
    for route, method in http_routes(app):
        if route.takes_person_id:
            answer = call(smith, method, url(route, person(clinic, OTHER)))
            assert answer.status_code == 403, f"{method} {route.path}: {answer.status_code}"
    admin = signed_in_client(app, "admin")
    assert admin.get("/api/me").json()["people"] == []
    assert admin.get(f"/api/history?person_id={person(clinic, 'Ann')}").status_code == 403


def test_a_clinician_chooses_among_their_own_patients_in_the_page(app, clinic: Clinic):
    smith = signed_in_client(app, "dr.smith")
    listed = smith.get("/api/people").json()
    assert {p["display_name"] for p in listed["people"]} == {"Ann", "Cy"}
    assert listed["current"] is None and listed["can_add"] is False
    assert listed["account"] == {"username": "dr.smith", "role": "clinician"}
    assert smith.post("/api/people/choose", json={"id": person(clinic, OTHER)}).status_code == 403
    chosen = smith.post("/api/people/choose", json={"id": person(clinic, "Cy")})
    assert chosen.status_code == 200 and chosen.json()["current"] == person(clinic, "Cy")
    assert smith.get("/api/history").json()["person"]["display_name"] == "Cy"
    assert smith.post("/api/people", json={"display_name": "Eve"}).status_code == 403
    ann = signed_in_client(app, "ann")
    assert ann.get("/api/people").json()["current"] == person(clinic, "Ann")
    assert ann.post("/api/people/choose", json={"id": person(clinic, "Cy")}).status_code == 403
    assert signed_in_client(app, "admin").get("/api/people").json()["people"] == []


def test_state_changing_requests_need_the_csrf_token_and_the_pages_origin(app):
    ann = signed_in_client(app, "ann")
    token = ann.headers.pop("X-CSRF-Token")
    entry = {"exercise_id": "towel_scrunch", "minutes": 3}
    assert ann.post("/api/exercise-log", json=entry).status_code == 403
    assert ann.post("/api/exercise-log", json=entry, headers={"X-CSRF-Token": "forged"}).status_code == 403
    odd = {"X-CSRF-Token": "caf\u00e9".encode()}  # not ASCII: any bytes a client may send
    assert ann.post("/api/exercise-log", json=entry, headers=odd).status_code == 403
    evil = {"X-CSRF-Token": token, "Origin": "https://evil.example"}
    assert ann.post("/api/exercise-log", json=entry, headers=evil).status_code == 403
    own = {"X-CSRF-Token": token, "Origin": "http://testserver"}
    assert ann.post("/api/exercise-log", json=entry, headers=own).status_code == 200
    # signing in itself needs the token the sign-in page set
    fresh = TestClient(app)
    assert fresh.post("/api/login", json={"username": "ann", "password": PASSWORD}).status_code == 403


def test_the_live_camera_needs_the_csrf_token_and_the_pages_origin(app, clinic: Clinic, isolation_camera):
    ann = signed_in_client(app, "ann")
    token = ann.headers["X-CSRF-Token"]
    for path, headers in (
        ("/ws/live", {}),
        ("/ws/live?csrf=forged", {}),
        (f"/ws/live?csrf={token}", {"Origin": "https://evil.example"}),
    ):
        with pytest.raises(WebSocketDisconnect), ann.websocket_connect(path, headers=headers) as ws:
            ws.receive_text()
    import av

    with av.open(str(isolation_camera.mp4)) as container:
        frames = [f.to_ndarray(format="bgr24") for f in container.decode(video=0)][:12]
    with ann.websocket_connect(f"/ws/live?csrf={token}", headers={"Origin": "http://testserver"}) as ws:
        ws.send_text(json.dumps({"type": "start", "task": "train", "points": isolation_camera.first_points}))
        assert ws.receive_json()["type"] == "armed"
        for seq, image in enumerate(frames):
            jpeg = cv2.imencode(".jpg", image)[1].tobytes()
            ws.send_bytes(struct.pack("<Id", seq, 1000.0 + 33.3 * seq) + jpeg)
            assert ws.receive_json()["type"] == "state"


def test_session_cookie_is_httponly_samesite_and_secure_over_https(clinic: Clinic, tmp_path: Path):
    clinic.secure_cookies = True
    client = TestClient(create_app(home=tmp_path, clinic=clinic), base_url="https://testserver")
    answer = sign_in(client, "ann")
    assert answer.status_code == 200
    cookies = {c.split("=", 1)[0]: c.lower() for c in answer.headers.get_list("set-cookie")}
    session = cookies["toelab_session"]
    assert "httponly" in session and "samesite=strict" in session and "secure" in session
    assert "path=/" in session and "max-age=" in session
    csrf = cookies[CSRF_COOKIE]
    assert "httponly" not in csrf and "samesite=strict" in csrf and "secure" in csrf  # read by the page
    # the cookie holds a random token; the database keeps only its hash
    token = client.cookies.get("toelab_session")
    assert len(token) >= 40 and clinic.store.accounts.login_session(token) is None
    assert clinic.store.accounts.login_session(token_hash(token)).user.username == "ann"


def test_signing_out_ends_the_session(app):
    ann = signed_in_client(app, "ann")
    assert ann.get("/api/me").status_code == 200
    assert ann.post("/api/logout").status_code == 200
    assert ann.get("/api/me").status_code == 401


def test_wrong_passwords_lock_the_account_with_growing_waits(app, clinic: Clinic):
    client = TestClient(app)
    for _ in range(clinic.policy.free_failures):
        assert sign_in(client, "ann", "wrong password").status_code == 401
    locked = sign_in(client, "ann")  # even the right password waits now, from this client
    assert locked.status_code == 429 and 0 < int(locked.headers["retry-after"]) <= 31
    assert clinic.policy.lockout_s(6) == 2 * clinic.policy.lockout_s(5)
    assert clinic.policy.lockout_s(30) == clinic.policy.max_lockout_s
    # an unknown user name gets the same answer as a wrong password
    unknown = sign_in(client, "nobody", "wrong password")
    assert unknown.status_code == 401 and unknown.json() == sign_in(client, "bob", "nope").json()


def test_many_failures_from_one_address_lock_it_out_for_every_user_name(clinic: Clinic, tmp_path: Path):
    strict = Clinic(clinic.store, Policy(ip_failures=4, session_ttl=timedelta(hours=1)))
    client = TestClient(create_app(home=tmp_path, clinic=strict))
    for name in ("u1", "u2", "u3", "u4"):
        assert sign_in(client, name, "guess").status_code == 401
    assert sign_in(client, "bob").status_code == 429


def test_an_admin_adds_accounts_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from typer.testing import CliRunner

    from toelab.cli import app as cli
    from toelab.web.auth import verify_password

    monkeypatch.setenv("TOELAB_HOME", str(tmp_path))
    monkeypatch.delenv("TOELAB_DATABASE_URL", raising=False)
    runner = CliRunner()
    assert runner.invoke(cli, ["person", "add", "Ann"]).exit_code == 0
    done = runner.invoke(
        cli, ["user", "add", "dr.smith", "--role", "clinician", "--password-stdin"], input=PASSWORD
    )
    assert done.exit_code == 0 and "added clinician dr.smith" in done.output
    done = runner.invoke(
        cli,
        ["user", "add", "ann", "--role", "patient", "--person", "Ann", "--clinician", "dr.smith"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert done.exit_code == 0, done.output
    short = runner.invoke(cli, ["user", "add", "bob", "--role", "admin", "--password-stdin"], input="short")
    assert short.exit_code == 2 and "at least 10 characters" in short.output
    with open_store(home=tmp_path) as store:
        ann = store.accounts.get_user("ann")
        assert ann.password_hash.startswith("$argon2id$") and PASSWORD not in ann.password_hash
        assert verify_password(ann.password_hash, PASSWORD) and not verify_password(ann.password_hash, "x")
        smith = store.accounts.get_user("dr.smith")
        assert store.accounts.visible_person_ids(smith) == {store.people.get("Ann").id}
        assert store.accounts.get_user("bob") is None
