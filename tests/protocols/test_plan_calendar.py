"""The plan as a calendar file: RFC 5545 that a calendar reads back, one repeating event per
session, on the plan's practice days, with a reminder."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from toelab.errors import ToelabError
from toelab.protocols.calendar import parse_time, plan_calendar
from toelab.protocols.plan import Plan, practice_day


def test_each_exercise_repeats_on_its_practice_days_with_a_reminder():
    start = date(2026, 3, 2)  # a Monday
    plan = Plan(("toe_isolation", "towel_scrunch", "musical_toes"), start)
    calendar = Calendar.from_ical(plan_calendar(plan, [time(18, 30), time(8, 0)]))
    events = calendar.walk("VEVENT")
    by_summary: dict[str, list] = {}
    for event in events:
        by_summary.setdefault(str(event["summary"]), []).append(event)
    # toe isolation is twice daily: a morning and an evening session
    isolation = by_summary["toelab: One toe at a time"]
    starts = sorted(e.decoded("dtstart") for e in isolation)
    assert starts == [datetime(2026, 3, 2, 8, 0), datetime(2026, 3, 2, 18, 30)]
    assert all(e["rrule"]["FREQ"] == ["DAILY"] for e in isolation)
    (towel,) = by_summary["toelab: Towel scrunches"]
    assert towel.decoded("dtstart") == datetime(2026, 3, 2, 18, 30)
    # twice a week on the days the plan counts (toelab.protocols.plan.practice_day)
    (calf,) = by_summary["toelab: Musical toes"]
    assert calf["rrule"]["FREQ"] == ["WEEKLY"]
    days = [start + timedelta(days=i) for i in range(7)]
    expected = [("MO", "TU", "WE", "TH", "FR", "SA", "SU")[d.weekday()] for d in days if practice_day(
        plan.exercises[2].frequency, start, d)]
    assert calf["rrule"]["BYDAY"] == expected
    for event in events:
        (alarm,) = event.walk("VALARM")
        assert alarm["action"] == "DISPLAY"
        assert event["uid"].endswith("@toelab")
    assert len({str(e["uid"]) for e in events}) == len(events)


def test_a_wrong_time_is_refused_in_one_line():
    with pytest.raises(ToelabError, match="not a time of day"):
        parse_time("half past six")
