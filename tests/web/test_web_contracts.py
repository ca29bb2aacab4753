"""The web layer's contracts: the live start and target messages are checked in one place and
refused with one plain line naming the field; the JSON routes declare the models of their
answers, which the app's OpenAPI schema names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from toelab.errors import ToelabError
from toelab.web import create_app
from toelab.web.contracts import parse_start, parse_target

FRONT = {
    "view": "front",
    "foot": "right",
    **{f"toe{t}": [100.0 + 40 * t, 200.0 + 5 * t] for t in range(1, 6)},
}
START = {"type": "start", "task": "isolation", "points": [FRONT], "target": [1]}
# what a refusal must never show the page: pydantic's words, locations or a traceback
INTERNALS = ("validation error", "Input should", "pydantic", "Traceback", "type=", "For further information")


@pytest.fixture()
def client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(home=tmp_path))


BAD_STARTS = [
    ({"task": 5}, "task"),
    ({"task": "dance"}, "task"),
    ({"task": None}, "task"),
    ({"points": "the toes"}, "points"),
    ({"points": [dict(FRONT, toe3="middle")]}, "points"),
    ({"points": []}, "points"),
    ({"target": "1"}, "target"),
    ({"target": ["big"]}, "target"),
    ({"target": 1}, "target"),
    ({"target": [True]}, "target"),
    ({"target": [1, 2, 3, 4, 5, 1]}, "target"),
    ({"target": [0]}, "target"),
    ({"target": [6]}, "target"),
    ({"target": [1.5]}, "target"),
    ({"hold_s": "long"}, "hold_s"),
    ({"hold_s": 0}, "hold_s"),
    ({"hold_s": [3]}, "hold_s"),
    ({"beat_times_s": "soon"}, "beat_times_s"),
    ({"beat_times_s": [0.5, "then"]}, "beat_times_s"),
    ({"task": "rhythm"}, "beat_times_s"),
    ({"label": ["a", "list"]}, "label"),
    ({"extra": "notes"}, "extra"),
    ({"extra": {"context": ["rest"]}}, "extra.context"),
    ({"extra": {"context": {"caffeine": "maybe"}}}, "extra.context"),
    ({"extra": {"context": {"mood": "fine"}}}, "extra.context"),
]


def assert_one_plain_line(error: ToelabError | dict, field: str) -> None:
    message, hint = (
        (error.message, error.hint) if isinstance(error, ToelabError) else (error["message"], error["hint"])
    )
    assert field in message, message
    assert "\n" not in message and not any(word in message for word in INTERNALS), message
    assert isinstance(hint, str) and hint and "\n" not in hint, hint  # what to send instead


@pytest.mark.parametrize(("change", "field"), BAD_STARTS)
def test_a_bad_start_message_is_one_line_naming_the_field(change: dict, field: str):
    with pytest.raises(ToelabError) as refused:
        parse_start({**START, **change})
    assert_one_plain_line(refused.value, field)


def test_the_page_hears_the_refusal_and_the_run_can_start_after_it(client: TestClient):
    with client.websocket_connect("/ws/live") as ws:
        for change, field in BAD_STARTS:
            ws.send_text(json.dumps({**START, **change}))
            answer = ws.receive_json()
            assert answer["type"] == "error", change
            assert_one_plain_line(answer, field)
        ws.send_text(json.dumps(START))
        assert ws.receive_json() == {"type": "armed", "task": "isolation"}


def test_what_the_page_sends_is_still_taken():
    """The inputs the page has always sent, and the defaults of what it leaves out."""
    bare = parse_start({"type": "start", "task": "train", "points": FRONT})
    assert (bare.target, bare.hold_s, bare.beat_times_s, bare.label, bare.extra) == ((1,), None, (), "", {})
    given = parse_start(
        {
            **START,
            "task": "tremor",
            "target": [],
            "hold_s": "3",
            "label": None,
            "extra": {"condition": "rest", "context": {"caffeine": True}, "test_id": "tremor"},
            "keep": True,  # what a later page adds goes unread
        }
    )
    assert given.target == (1,) and given.hold_s == 3.0 and given.label == ""
    assert given.condition == "rest" and given.options.task == "tremor" and given.options.toes == (1,)
    rhythm = parse_start({**START, "task": "rhythm", "target": [2, 3, 4, 5], "beat_times_s": [0.5, 1, 1.5]})
    assert rhythm.options.toes == (2, 3, 4, 5) and rhythm.options.beats.times_s == (0.5, 1.0, 1.5)
    assert parse_start({**START, "extra": None}).extra == {}


def test_a_target_message_is_checked_by_the_same_rules():
    assert parse_target({"type": "target", "target": [2], "step": "lift_toe2"}).target == (2,)
    assert parse_target({"type": "target"}).target == (1,)
    assert parse_target({"target": [2], "step": "s" * 100}).step == "s" * 40
    for target in (["x"], [9], [1, 2, 3, 4, 5, 5], "2"):
        with pytest.raises(ToelabError) as refused:
            parse_target({"type": "target", "target": target})
        assert_one_plain_line(refused.value, "target")


# the routes the page reads and the model each one answers with
TYPED_ROUTES = {
    ("/api/people", "get"): "People",
    ("/api/people", "post"): "People",
    ("/api/people/choose", "post"): "People",
    ("/api/protocols", "get"): "Protocols",
    ("/api/vocabulary", "get"): "Vocabulary",
    ("/api/propose", "post"): "ProposedPoints",
    ("/api/beats", "post"): "SongBeats",
    ("/api/sessions", "post"): "SessionRecord",
    ("/api/history", "get"): "History",
    ("/api/plan", "get"): "PlanToday",
    ("/api/plan", "post"): "PlanToday",
    ("/api/plan/mark", "post"): "PlanToday",
    ("/api/exercise-log", "post"): "ExerciseLogged",
    ("/api/red-flags", "get"): "RedFlags",
    ("/api/red-flags", "post"): "RedFlags",
    ("/api/guidance/{kind}/{item_id}", "get"): "Guidance",
    ("/api/tremor-context", "get"): "TremorQuestions",
    ("/api/checkins", "get"): "CheckIns",
    ("/api/checkins", "post"): "CheckIns",
    ("/api/progression", "get"): "Progression",
    ("/api/progression", "post"): "Progression",
    ("/api/notes", "get"): "Notes",
    ("/api/notes", "post"): "Notes",
    ("/api/notes/seen", "post"): "Notes",
    ("/api/clinic/overview", "get"): "ClinicOverview",
    ("/api/setup-check", "post"): "SetupCheck",
    ("/api/pair", "post"): "PairCode",
    ("/api/pair/join", "post"): "PairRoom",
}


def test_the_openapi_schema_names_each_routes_answer(tmp_path: Path):
    app = create_app(home=tmp_path)
    schema = app.openapi()
    for (path, method), model in TYPED_ROUTES.items():
        answer = schema["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
        assert answer.get("$ref") == f"#/components/schemas/{model}", (path, method, answer)
    listing = schema["paths"]["/api/sessions"]["get"]["responses"]["200"]["content"]["application/json"]
    assert listing["schema"]["items"]["$ref"] == "#/components/schemas/SessionRecord"
    models = schema["components"]["schemas"]
    assert list(models["People"]["properties"]) == ["people", "current", "account", "can_add"]
    assert {"todays", "adherence", "log"} <= set(models["PlanToday"]["properties"])
    assert "pain" in models["PatientRow"]["properties"] and "checks" in models["SetupCheck"]["properties"]
    # the schema is for contributors: the app itself serves no schema or API pages
    assert TestClient(app).get("/openapi.json").status_code == 404


def test_answers_keep_their_keys_and_add_no_nulls(client: TestClient):
    assert list(client.get("/api/plan").json()) == ["plan", "today", "exercises"]
    client.post("/api/plan", json={"exercise_ids": ["towel_scrunch"]})
    planned = client.get("/api/plan").json()
    assert list(planned) == ["plan", "today", "exercises", "todays", "adherence", "log"]
    people = client.get("/api/people").json()
    assert people == {
        "people": [{"id": 1, "display_name": "Me"}],
        "current": 1,
        "account": None,
        "can_add": True,
    }
    words = client.get("/api/vocabulary").json()
    assert words["train_targets"]["toe_isolation"][0] == {
        "toes": [1],
        "label": "the big toe (the others stay down)",
    }
    assert list(client.get("/api/checkins").json()) == ["areas", "checkins", "pain"]


def test_a_logged_entry_cannot_name_its_own_file(client: TestClient, tmp_path: Path):
    logged = {"task": "logged", "exercise_id": "towel_scrunch", "id": "../../escaped", "saved_at": "never"}
    saved = client.post("/api/sessions", json=logged).json()
    assert saved["id"] != "../../escaped" and saved["saved_at"] != "never"
    assert not (tmp_path / "escaped.json").exists()
    assert [r["id"] for r in client.get("/api/sessions").json()] == [saved["id"]]


def test_a_session_file_without_its_id_is_skipped(client: TestClient, tmp_path: Path):
    saved = client.post("/api/sessions", json={"task": "logged", "exercise_id": "towel_scrunch"}).json()
    folder = next((tmp_path / "sessions").iterdir())
    (folder / "99999999T999999-odd.json").write_text(json.dumps({"id": 7, "task": "logged"}))
    assert [r["id"] for r in client.get("/api/sessions").json()] == [saved["id"]]
