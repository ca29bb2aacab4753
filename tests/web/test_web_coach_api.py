"""The coaching routes over HTTP: the set-up check on the isolation video, its refusals in one
line, the plan's calendar file and the install files."""

from __future__ import annotations

import json

import cv2
from icalendar import Calendar


def jpeg(image) -> bytes:
    return cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 85])[1].tobytes()


def check(client, still, frames, points):
    files = [("still", ("still.jpg", jpeg(still), "image/jpeg"))] + [
        ("frames", (f"f{i}.jpg", jpeg(f), "image/jpeg")) for i, f in enumerate(frames)
    ]
    data = {"points": json.dumps(points), "times_s": json.dumps([0.12 * i for i in range(len(frames))])}
    return client.post("/api/setup-check", files=files, data=data)


def test_the_set_up_check_passes_the_foot_it_was_set_up_on(client, video):
    camera, frames = video
    answer = check(client, frames[0], frames[30:54:3], camera.first_points)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["ok"] is True and body["problem"] is None
    assert body["figures"]["toes_tracked"] == 5


def test_the_set_up_check_refuses_bad_requests_in_one_line(client, video):
    camera, frames = video
    one = check(client, frames[0], frames[:1], camera.first_points)
    assert one.status_code == 422 and one.json()["message"] == "the set-up check needs 2 to 12 frames"
    wrong = check(client, frames[0], frames[:3], [{"view": "front", "foot": "right", "toe1": [1, 2]}])
    assert wrong.status_code == 422 and "\n" not in wrong.json()["message"]


def test_the_calendar_file_needs_a_plan_and_a_time_of_day(client):
    none = client.get("/api/plan.ics")
    assert none.status_code == 422 and none.json()["message"] == "there is no plan yet"
    client.post("/api/plan", json={"exercise_ids": ["toe_isolation", "towel_scrunch"]})
    answer = client.get("/api/plan.ics", params={"at": "19:00"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/calendar")
    assert "attachment" in answer.headers["content-disposition"]
    events = Calendar.from_ical(answer.content).walk("VEVENT")
    starts = sorted(e.decoded("dtstart").strftime("%H:%M") for e in events)
    assert starts == ["09:00", "19:00", "19:00"]  # toe isolation twice daily, towel once
    wrong = client.get("/api/plan.ics", params={"at": "7pm"})
    assert wrong.status_code == 422 and "not a time of day" in wrong.json()["message"]


def test_the_install_files_are_served(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    assert manifest.json()["start_url"] == "/"
    worker = client.get("/sw.js")
    assert worker.headers["content-type"].startswith("text/javascript")
    assert "offline.html" in worker.text
    assert client.get("/static/offline.html").status_code == 200
    geometry = client.get("/api/foot-geometry").json()
    assert len(geometry["front"]["toes"]) == 5
    assert set(geometry["side"]["points"]) == {"heel", "mtp1", "hallux_tip"}
