"""The pain and effort check-ins in the words every report uses (HTML, PDF, terminal)."""

from __future__ import annotations

from toelab.store.overview import PersonOverview

HEADERS = ("Date", "Pain (0–10)", "Where", "Effort (0–10)", "Note")
SHOWN = 10  # the latest check-ins a report lists


def checkin_rows(overview: PersonOverview) -> list[tuple[str, str, str, str, str]]:
    """The latest check-ins, oldest first, as table rows (plain text)."""
    return [
        (c.at.date().isoformat(), str(c.pain), c.area_words, str(c.effort), c.note)
        for c in overview.checkins[-SHOWN:]
    ]


def pain_summary(overview: PersonOverview) -> str:
    """One or two sentences: the pain trend and, when there is one, the advice."""
    trend = overview.pain
    if trend is None or not overview.checkins:
        return "No pain and effort check-ins yet."
    if trend.level == "not_enough":
        return f"Pain trend: not judged yet ({trend.reason})."
    words = {"up": "going up", "down": "going down", "flat": "steady"}.get(trend.direction, "not judged")
    summary = f"Pain is {words}: {trend.reason}."
    return f"{summary} {trend.advice}" if trend.advice else summary
