"""A plan as an iCalendar file (RFC 5545): one repeating event per exercise session, with a
reminder, for calendars that remind where the page cannot (no notifications allowed)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event, vRecur

from toelab import __version__
from toelab.errors import ToelabError
from toelab.protocols.exercises import Exercise
from toelab.protocols.guidance import dose_text
from toelab.protocols.plan import Plan, practice_day

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# an exercise dosed in reps rather than minutes gets this much room in the calendar
DEFAULT_SESSION_MIN = 10


def parse_time(text: str) -> time:
    """``HH:MM`` (24-hour clock) as a time, or a one-line error."""
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise ToelabError(f"{text!r} is not a time of day", hint="give it as HH:MM, e.g. 18:30") from None


def _rule(exercise: Exercise, start: date) -> vRecur:
    frequency = exercise.frequency
    if frequency.days_per_week >= 7:
        return vRecur(freq="DAILY")
    days = [start + timedelta(days=i) for i in range(7)]
    byday = [WEEKDAYS[d.weekday()] for d in days if practice_day(frequency, start, d)]
    return vRecur(freq="WEEKLY", byday=byday)


def plan_calendar(plan: Plan, times: Sequence[time], *, uid_prefix: str = "toelab-plan") -> bytes:
    """The plan as an ``.ics`` file: each exercise on its practice days, one event per session
    of the day, floating local time. ``times``: the chosen time first (an exercise done once a
    day is then), the others for exercises done more often."""
    if not times:
        raise ToelabError("a reminder needs at least one time of day")
    calendar = Calendar()
    calendar.add("prodid", f"-//toelab//toelab {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "toelab exercise plan")
    stamp = datetime.now().astimezone()
    for exercise in plan.exercises:
        sessions = list(times)[: exercise.frequency.sessions_per_day]
        minutes = int(exercise.dose.minutes or DEFAULT_SESSION_MIN)
        for session, at in enumerate(sessions, start=1):
            event = Event()
            event.add("uid", f"{uid_prefix}-{plan.start_date.isoformat()}-{exercise.id}-{session}@toelab")
            event.add("dtstamp", stamp)
            event.add("summary", f"toelab: {exercise.name}")
            event.add("description", f"{dose_text(exercise)} {exercise.trains}")
            start = datetime.combine(plan.start_date, at)
            event.add("dtstart", start)
            event.add("duration", timedelta(minutes=minutes))
            event.add("rrule", _rule(exercise, plan.start_date))
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Time for {exercise.name}")
            alarm.add("trigger", timedelta(0))
            event.add_component(alarm)
            calendar.add_component(event)
    return calendar.to_ical()
