"""The person's records in the app: runs kept in the store, history, plan, red flags, reports."""

from __future__ import annotations

import json
import struct
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import cv2
import pytest
from fastapi.testclient import TestClient
from feet_camera import loops, paced

from toelab.protocols.red_flags import QUESTIONS
from toelab.report import pdf_available
from toelab.store import ResultFigure
from toelab.web.people import DEFAULT_PERSON, PERSON_COOKIE
from toelab.web.sessions import save_session


def run_live(client: TestClient, start: dict, frames, times_s, keep: bool = False) -> dict:
    with client.websocket_connect("/ws/live") as ws:
        ws.send_text(json.dumps({"type": "start", **start}))
        assert ws.receive_json()["type"] == "armed"
        for seq in paced(times_s[: len(frames)]):
            ok, jpeg = cv2.imencode(".jpg", frames[seq], [cv2.IMWRITE_JPEG_QUALITY, 80])
            ws.send_bytes(struct.pack("<Id", seq, 1000.0 + 1000.0 * times_s[seq]) + jpeg.tobytes())
            assert ws.receive_json()["type"] == "state"
        ws.send_text(json.dumps({"type": "stop", "keep": keep}))
        return ws.receive_json()


def test_a_finished_isolation_test_is_kept_for_the_chosen_person_and_shows_in_history(
    client: TestClient, video, tmp_path: Path
):
    truth, frames = video
    start = {"task": "isolation", "points": truth.first_points, "extra": {"test_id": "toe_isolation"}}
    frames, time_s = loops(frames, truth.time_s, 2)
    summary = run_live(client, start, frames, time_s)
    stored = summary["stored"]
    assert stored["kind"] == "assessment"
    people = client.get("/api/people").json()
    assert [p["display_name"] for p in people["people"]] == [DEFAULT_PERSON]
    assert stored["person_id"] == people["current"]
    # the do's and don'ts picked by the result: the 2nd toe does not move on its own
    assert "isolation_plan" in [c["id"] for c in summary["cards"]]

    history = client.get("/api/history").json()
    (session,) = history["sessions"]
    assert session["id"] == stored["session_id"] and session["status"] == "complete"
    (trial,) = session["trials"]
    names = {f["name"] for f in trial["figures"]}
    assert {"toe_control_score_pct", "individuation_index"} <= names
    score = next(f["value"] for f in trial["figures"] if f["name"] == "toe_control_score_pct")
    assert score == pytest.approx(summary["results"]["toe_control_score"])
    # the tracks are kept beside the database, and the plain-words summary as before
    store = client.app.state.store
    recording = store.sessions.load_recording(store.sessions.history(stored["person_id"])[0].trials[0])
    assert recording.time_s.size == len(frames)
    assert list((tmp_path / "sessions").rglob("*.json"))


def test_tremor_steps_form_one_session_with_the_context_beside_the_figures(client: TestClient, video):
    truth, frames = video
    context = {"part_of_day": "morning", "caffeine": True, "tired_after_exercise": False, "stress": "high"}
    stored = []
    for condition, last in (("rest", False), ("postural", True)):
        extra = {
            "test_id": "tremor",
            "run": "run-1",
            "last": last,
            "condition": condition,
            "context": context,
        }
        summary = run_live(
            client,
            {"task": "tremor", "points": truth.first_points, "extra": extra},
            frames[:80],
            truth.time_s[:80],
        )
        assert "stored" in summary, summary
        stored.append(summary["stored"])
    assert stored[0]["session_id"] == stored[1]["session_id"]
    history = client.get("/api/history").json()
    (session,) = history["sessions"]
    assert [t["condition"] for t in session["trials"]] == ["rest", "postural"]
    assert "caffeine" in session["context"] and "stress high" in session["context"]
    timeline = history["tremor"]["timeline"]
    assert {row["condition"] for row in timeline} == {"at rest", "holding"}
    assert all("caffeine" in row["context"] for row in timeline)
    assert history["tremor"]["caution"]


def test_a_wrong_tremor_context_answer_is_explained_before_the_run(client: TestClient, video):
    truth, _ = video
    with client.websocket_connect("/ws/live") as ws:
        extra = {"test_id": "tremor", "context": {"stress": "extreme"}}
        ws.send_text(
            json.dumps({"type": "start", "task": "tremor", "points": truth.first_points, "extra": extra})
        )
        answer = ws.receive_json()
    assert answer["type"] == "error" and "stress" in answer["message"]


def test_a_kept_training_run_counts_as_done_in_today_s_plan(client: TestClient, video):
    truth, frames = video
    client.post("/api/plan", json={"exercise_ids": ["toe_isolation", "towel_scrunch"]})
    start = {
        "task": "train",
        "points": truth.first_points,
        "target": [1],
        "extra": {"exercise_id": "toe_isolation"},
    }
    summary = run_live(client, start, frames, truth.time_s, keep=True)
    assert summary["stored"]["kind"] == "training" and summary["stored"]["plan_marked"]
    plan = client.get("/api/plan").json()
    todays = {e["id"]: e for e in plan["todays"]}
    assert todays["toe_isolation"]["times_done"] == 1
    assert plan["log"][0]["exercise_id"] == "toe_isolation"
    (session,) = client.get("/api/history").json()["sessions"]
    assert session["kind"] == "training" and session["trials"][0]["task"] == "exercise"


def test_people_are_chosen_in_the_page_and_keep_their_own_records(client: TestClient):
    me = client.get("/api/people").json()["current"]
    added = client.post("/api/people", json={"display_name": "Grandad", "diabetes": True})
    grandad = added.json()["current"]
    assert grandad != me and added.cookies.get(PERSON_COOKIE) == str(grandad)
    client.cookies.set(PERSON_COOKIE, str(grandad))
    client.post("/api/exercise-log", json={"exercise_id": "towel_scrunch", "minutes": 3, "pain": 1})
    assert client.get("/api/history").json()["person"]["display_name"] == "Grandad"
    client.cookies.set(PERSON_COOKIE, str(me))
    assert client.get("/api/history").json()["person"]["display_name"] == DEFAULT_PERSON
    assert client.post("/api/people/choose", json={"id": 999}).status_code == 422
    assert client.post("/api/people", json={"display_name": "Grandad"}).status_code == 422
    client.cookies.set(PERSON_COOKIE, "999")  # a person removed since: the default again
    assert client.get("/api/people").json()["current"] == me


def test_results_are_the_chosen_person_s_runs_newest_first_in_pages(
    client: TestClient, tmp_path: Path, video
):
    truth, frames = video
    me = client.get("/api/people").json()["current"]
    grandad = client.post("/api/people", json={"display_name": "Grandad"}).json()["current"]
    # files written when the household shared one folder: to the person each was kept for,
    # or (naming no one) to the household's first person
    save_session(tmp_path / "sessions", {"task": "logged", "exercise_id": "old_mine"})
    save_session(
        tmp_path / "sessions", {"task": "logged", "exercise_id": "old_his", "stored": {"person_id": grandad}}
    )
    client.cookies.set(PERSON_COOKIE, str(me))
    mine = [
        client.post("/api/sessions", json={"task": "logged", "exercise_id": f"mine_{i}"}).json()["id"]
        for i in range(7)
    ]
    client.cookies.set(PERSON_COOKIE, str(grandad))
    start = {"task": "isolation", "points": truth.first_points, "label": "his test"}
    his_test = run_live(client, start, frames[:60], truth.time_s[:60], keep=True)
    assert his_test["stored"]["person_id"] == grandad
    his = [client.post("/api/sessions", json={"task": "logged", "exercise_id": "his"}).json()["id"]]

    def listed(person: int, **query: int) -> list[str]:
        client.cookies.set(PERSON_COOKIE, str(person))
        answer = client.get("/api/sessions", params=query)
        assert answer.status_code == 200
        return [r.get("exercise_id") or r["label"] for r in answer.json()]

    assert listed(grandad) == ["his", "his test", "old_his"]
    assert listed(me, limit=6) == [f"mine_{i}" for i in (6, 5, 4, 3, 2, 1)]
    assert listed(me, limit=6, offset=6) == ["mine_0", "old_mine"]  # the older page
    assert listed(me, limit=1) == ["mine_6"]  # what Home shows
    assert client.get("/api/sessions", params={"offset": -1}).status_code == 422
    assert len(his) == 1 and len(mine) == 7


def test_plan_for_today_with_done_and_missed_and_weekly_adherence(client: TestClient):
    assert client.get("/api/plan").json()["plan"] is None
    assert client.post("/api/plan/mark", json={"exercise_id": "towel_scrunch"}).status_code == 422
    plan = client.post("/api/plan", json={"exercise_ids": ["towel_scrunch", "toe_isolation"]}).json()
    assert {e["id"] for e in plan["todays"]} == {"towel_scrunch", "toe_isolation"}
    plan = client.post("/api/plan/mark", json={"exercise_id": "towel_scrunch", "done": True}).json()
    assert {e["id"]: e["times_done"] for e in plan["todays"]}["towel_scrunch"] == 1
    week = plan["adherence"][-1]
    assert week["done"] == 1 and week["target"] >= 3
    plan = client.post("/api/plan/mark", json={"exercise_id": "towel_scrunch", "done": False}).json()
    assert {e["id"]: e["times_done"] for e in plan["todays"]}["towel_scrunch"] == 0
    logged = client.post("/api/exercise-log", json={"exercise_id": "toe_isolation", "reps": 10}).json()
    assert logged["plan_marked"]
    assert client.post("/api/exercise-log", json={"exercise_id": "juggling"}).status_code == 422
    assert (
        client.post("/api/exercise-log", json={"exercise_id": "towel_scrunch", "pain": 11}).status_code == 422
    )


def test_red_flag_answers_are_kept_and_the_advice_names_whom_to_see(client: TestClient):
    asked = client.get("/api/red-flags").json()
    assert [q["id"] for q in asked["questions"]] == [q.id for q in QUESTIONS] and asked["flags"] == []
    assert asked["last_answers"] == {} and asked["answered_on"] is None
    answers = {q.id: q.id == "numbness_burning" for q in QUESTIONS}
    flags = client.post("/api/red-flags", json={"answers": answers}).json()["flags"]
    assert len(flags) == 1 and flags[0]["see"] and flags[0]["advice"]
    again = client.get("/api/red-flags").json()
    assert again["flags"] == flags
    # the form opens with these answers filled in
    assert again["last_answers"] == answers and again["answered_on"] == date.today().isoformat()
    assert client.get("/api/history").json()["flags"] == flags
    assert client.post("/api/red-flags", json={"answers": {"is_it_cancer": True}}).status_code == 422


def seed_weeks(client: TestClient) -> int:
    """Six weekly isolation checks on each foot, improving."""
    person = client.get("/api/people").json()["current"]
    store = client.app.state.store
    first = datetime.now(UTC) - timedelta(weeks=6)
    for week in range(6):
        session = store.sessions.start(person, "assessment", started_at=first + timedelta(weeks=week))
        figures = [
            ResultFigure("toe_control_score_pct", 40.0 + 8 * week + (5 if foot == "left" else 0), "%", foot)
            for foot in ("left", "right")
        ]
        store.sessions.add_trial(session, "isolation", "both", toes=(1, 2, 3, 4, 5), results=figures)
        store.sessions.finish(session, ended_at=first + timedelta(weeks=week, minutes=5))
    return person


def test_history_shows_trend_charts_asymmetry_and_change_from_baseline(client: TestClient):
    seed_weeks(client)
    history = client.get("/api/history").json()
    (chart,) = history["charts"]
    assert chart["svg"].lstrip().startswith("<") and "<svg" in chart["svg"] and chart["caption"]
    change = {c["foot"]: c for c in history["changes"] if c["metric"] == "toe_control_score_pct"}
    assert change["right"]["change"] == pytest.approx(40.0)
    assert change["right"]["change_pct"] == pytest.approx(100.0)
    (asym,) = history["asymmetries"]
    assert asym["left"] - asym["right"] == pytest.approx(5.0) and asym["weaker_foot"] == "right"
    assert {t["direction"] for t in history["trends"]} == {"improving"}


def test_history_after_one_test_speaks_plainly_and_shows_no_change(client: TestClient):
    client.get("/api/people")  # the store opens with the household's first person
    person = client.get("/api/people").json()["current"]
    store = client.app.state.store
    session = store.sessions.start(person, "assessment")
    rhythm = [ResultFigure("hit_rate_pct", 90.0, "%", "right"), ResultFigure("circular_r", 0.9, "", "right")]
    store.sessions.add_trial(session, "rhythm", "right", results=rhythm)
    shaking = [ResultFigure("tremor_amplitude", 0.004, "px", "right")]
    store.sessions.add_trial(session, "tremor", "right", parameters={"condition": "rest"}, results=shaking)
    store.sessions.finish(session)
    history = client.get("/api/history").json()
    # one day of tests: nothing to compare, so no "+0 %"
    assert history["changes"] == []
    figures = [f for t in history["sessions"][0]["trials"] for f in t["figures"]]
    labels = [f["label"] for f in figures]
    assert "circular r" not in labels and "hit rate pct" not in labels
    assert all("_" not in label and "pct" not in label for label in labels)
    size = next(f["text"] for f in figures if f["name"] == "tremor_amplitude")
    assert size.startswith("too small for the camera to measure") and "0.00" not in size
    assert history["tremor"]["timeline"][0]["size"] == size


def _history_of_one_tremor_trial(client: TestClient, parameters: dict, results: list[ResultFigure]) -> dict:
    """``/api/history`` after one session holding one stored tremor trial of the right foot."""
    client.get("/api/people")
    person = client.get("/api/people").json()["current"]
    store = client.app.state.store
    session = store.sessions.start(person, "assessment")
    store.sessions.add_trial(session, "tremor", "right", parameters=parameters, results=results)
    store.sessions.finish(session)
    return client.get("/api/history").json()


def test_a_tremor_test_that_found_no_shaking_reads_so_on_the_page(client: TestClient):
    none_found = [ResultFigure("tremor_amplitude", 0.0, "px", "right")]
    parameters = {"condition": "rest", "classification": "none"}
    history = _history_of_one_tremor_trial(client, parameters, none_found)
    (figure,) = [f for t in history["sessions"][0]["trials"] for f in t["figures"]]
    assert figure["text"] == "no shaking found"
    (row,) = history["tremor"]["timeline"]
    # said once, in the frequency's cell
    assert row["classification"] == "none" and row["frequency_hz"] is None and row["size"] == "—"
    assert row["frequency"] == "no shaking found"


def test_a_tremor_size_too_small_to_give_reads_not_measured_on_the_page(client: TestClient):
    rhythm = [ResultFigure("tremor_frequency_hz", 5.0, "Hz", "right")]
    why = "the shaking spanned under 2 pixels on the picture — bring the camera closer"
    parameters = {
        "classification": "rhythmic",
        "not_measured_figures": {"tremor_amplitude": {"right": why}},
    }
    history = _history_of_one_tremor_trial(client, parameters, rhythm)
    (trial,) = history["sessions"][0]["trials"]
    # the session says why the size is missing and how to redo
    assert any("tremor amplitude not measured (right foot)" in words for words in trial["not_measured"])
    assert any(why in words for words in trial["not_measured"])
    (row,) = history["tremor"]["timeline"]
    assert row["frequency"] == "5.0 Hz" and row["amplitude"] is None and row["size"] == "not measured"


def test_report_and_exports_download(client: TestClient):
    seed_weeks(client)
    report = client.get("/api/report")
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    assert (
        "attachment" in report.headers["content-disposition"]
        and ".html" in report.headers["content-disposition"]
    )
    assert DEFAULT_PERSON in report.text and "<svg" in report.text or "data:image/svg+xml" in report.text
    csv = client.get("/api/export?format=csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0].startswith("person,session_id") and len(csv.text.splitlines()) == 13
    bundle = client.get("/api/export?format=fhir").json()
    assert bundle["resourceType"] == "Bundle"
    assert sum(e["resource"]["resourceType"] == "Observation" for e in bundle["entry"]) == 12
    assert client.get("/api/export?format=xls").status_code == 422
    assert client.get("/api/report/available").json() == {"html": True, "pdf": pdf_available()}
    pdf = client.get("/api/report?format=pdf")
    if pdf_available():
        assert pdf.content.startswith(b"%PDF")
    else:
        assert pdf.status_code == 422 and "HTML" in pdf.json()["hint"]


def test_guidance_before_each_step_has_the_set_up_diagram_and_mistakes(client: TestClient):
    sheet = client.get("/api/guidance/test/toe_isolation").json()
    titles = [s["title"] for s in sheet["sections"]]
    assert "Set-up" in titles and "Common mistakes" in titles and "What to do" in titles
    assert sheet["diagram_svg"].lstrip().startswith("<svg")
    assert sheet["steps"]["lift_toe1"]["how_many"]
    side = client.get("/api/guidance/test/big_toe_extension").json()
    assert "<svg" in side["diagram_svg"] and side["diagram_svg"] != sheet["diagram_svg"]
    exercise = client.get("/api/guidance/exercise/towel_scrunch").json()
    assert exercise["kind"] == "exercise" and exercise["sections"]
    assert client.get("/api/guidance/test/juggling").status_code == 422
    assert client.get("/api/guidance/poem/x").status_code == 422
    questions = client.get("/api/tremor-context").json()["questions"]
    assert [q["id"] for q in questions][:2] == ["condition", "part_of_day"]
