"""Coaching over the web: check-ins, notes to the patient, levels, and the clinician's
overview, each seen only by the person and their own clinician."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from test_web_clinic import OTHER, app, clinic, password_hash, person, signed_in_client  # noqa: F401

from toelab.store import checkins as coaching
from toelab.web.auth import Clinic


def test_a_check_in_is_kept_and_shown_with_the_pain_trend(app, clinic: Clinic):  # noqa: F811
    ann = signed_in_client(app, "ann")
    for pain in (1, 1, 2, 3, 4, 4):
        answer = ann.post("/api/checkins", json={"pain": pain, "effort": 5, "areas": ["arch"]})
        assert answer.status_code == 200, answer.text
    shown = ann.get("/api/checkins").json()
    assert [c["pain"] for c in shown["checkins"]] == [4, 4, 3, 2, 1, 1]  # newest first
    assert shown["checkins"][0]["where"] == "arch"
    assert shown["pain"]["level"] == "ease_off" and "Ease off" in shown["pain"]["advice"]
    report = ann.get("/api/report?format=html").text
    assert "Pain and effort after each session" in report
    refused = ann.post("/api/checkins", json={"pain": 12, "effort": 5})
    assert refused.status_code == 422
    assert len(coaching.checkins(clinic.store, "Ann")) == 6


def test_a_check_in_cannot_name_another_persons_session(app, clinic: Clinic):  # noqa: F811
    theirs = clinic.store.sessions.start(OTHER, "training")
    ann = signed_in_client(app, "ann")
    answer = ann.post("/api/checkins", json={"pain": 2, "effort": 3, "session_id": theirs.id})
    assert answer.status_code == 422
    assert "not one of this person's sessions" in answer.json()["message"]


def test_the_overview_lists_only_the_clinicians_own_patients(app, clinic: Clinic):  # noqa: F811
    for pain in (2, 2, 3, 5, 6, 7):
        coaching.add_checkin(clinic.store, OTHER, pain=pain, effort=5)
    coaching.add_checkin(clinic.store, "Ann", pain=1, effort=3)
    smith = signed_in_client(app, "dr.smith")
    rows = smith.get("/api/clinic/overview").json()["patients"]
    assert [r["display_name"] for r in rows] == ["Ann", "Cy"]
    assert OTHER not in smith.get("/api/clinic/overview").text
    jones = signed_in_client(app, "dr.jones")
    (bob,) = jones.get("/api/clinic/overview").json()["patients"]
    assert bob["display_name"] == OTHER
    assert bob["pain"]["direction"] == "up"
    assert [f["title"] for f in bob["flags"]] == ["Pain rising over the sessions"]
    for reader in ("ann", "admin"):
        assert signed_in_client(app, reader).get("/api/clinic/overview").status_code == 403
    ann_id = person(clinic, "Ann")
    assert jones.get(f"/api/checkins?person_id={ann_id}").status_code == 403
    assert jones.post(f"/api/notes?person_id={ann_id}", json={"text": "hello"}).status_code == 403
    assert coaching.notes(clinic.store, "Ann") == []


def test_a_clinicians_note_is_shown_to_the_patient_until_read(app, clinic: Clinic):  # noqa: F811
    smith = signed_in_client(app, "dr.smith")
    ann_id = person(clinic, "Ann")
    kept = smith.post(f"/api/notes?person_id={ann_id}", json={"text": "Hold each lift 3 seconds."})
    assert kept.status_code == 200, kept.text
    ann = signed_in_client(app, "ann")
    (note,) = ann.get("/api/notes").json()["notes"]
    assert (note["text"], note["author"], note["seen"]) == ("Hold each lift 3 seconds.", "dr.smith", False)
    assert ann.post("/api/notes", json={"text": "a patient cannot write notes"}).status_code == 403
    ann.post("/api/notes/seen", json={"ids": [note["id"]]})
    assert ann.get("/api/notes").json()["notes"][0]["seen"] is True


def test_the_next_level_is_proposed_after_two_weeks_and_taken_up(app, clinic: Clinic):  # noqa: F811
    store = clinic.store
    today = date.today()
    store.plans.create("Ann", ["toe_isolation"], today - timedelta(days=20))
    ann = signed_in_client(app, "ann")
    (row,) = ann.get("/api/progression").json()["exercises"]
    assert row["level"]["id"] == "assisted" and not row["ready"]
    early = ann.post("/api/progression", json={"exercise_id": "toe_isolation", "level_id": "unassisted"})
    assert early.status_code == 422
    for days_ago in (0, 2, 4, 6, 8, 10, 12):
        store.exercise_log.log("Ann", today - timedelta(days=days_ago), "toe_isolation", reps=10)
    (row,) = ann.get("/api/progression").json()["exercises"]
    assert row["ready"] and row["next"]["id"] == "unassisted"
    taken = ann.post("/api/progression", json={"exercise_id": "toe_isolation", "level_id": "unassisted"})
    (row,) = taken.json()["exercises"]
    assert row["level"]["id"] == "unassisted" and not row["ready"]  # two weeks at the new level first
    smith = signed_in_client(app, "dr.smith")
    ann_id = person(clinic, "Ann")
    set_by = smith.post(
        f"/api/progression?person_id={ann_id}", json={"exercise_id": "toe_isolation", "level_id": "band"}
    )
    assert set_by.status_code == 200
    assert coaching.level_choices(store, "Ann")["toe_isolation"].accepted_by == "dr.smith"


def test_the_overview_row_shows_trends_this_weeks_practice_and_the_last_session(app, clinic: Clinic):  # noqa: F811
    store = clinic.store
    today = date.today()
    start = datetime.now(UTC) - timedelta(days=28)
    for week, (score, extension) in enumerate(((40, 50), (50, 45), (60, 40), (70, 35))):
        session = store.sessions.start("Ann", "assessment", started_at=start + timedelta(days=7 * week))
        store.sessions.add_trial(session, "isolation", "right", results={"toe_control_score_pct": score})
        store.sessions.add_trial(session, "rom", "right", results={"big_toe_extension_deg": extension})
        store.sessions.finish(session)
    plan = store.plans.create("Ann", ["big_toe_plant"], today - timedelta(days=today.weekday() + 7))
    weeks = store.plans.adherence(plan, until=today)
    week_start = next(w.week_start for w in weeks if (today - w.week_start).days < 7)
    store.plans.mark_done(plan, week_start, "big_toe_plant")
    smith = signed_in_client(app, "dr.smith")
    ann = next(r for r in smith.get("/api/clinic/overview").json()["patients"] if r["display_name"] == "Ann")
    assert ann["trends"]["toe_control"] == [{"foot": "right", "direction": "improving", "arrow": "↑"}]
    assert ann["trends"]["big_toe_extension"] == [{"foot": "right", "direction": "worsening", "arrow": "↓"}]
    assert ann["last_session"].startswith((start + timedelta(days=21)).date().isoformat())
    days_in = (today - week_start).days + 1
    assert ann["adherence_this_week"] == pytest.approx(1 / days_in)
    assert ann["pain"] is None  # no check-ins: no pain trend to show
