"""One row per patient for a clinician's overview: last session, this week's practice,
where toe control and big-toe extension are heading, open warning signs and pain."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from toelab.store.overview import PersonOverview
from toelab.web.responses import FlagTitle, PainSummary, PatientRow, TrendArrow

# the figures whose trend the overview shows, with their name on the page
TREND_FIGURES = {"toe_control_score_pct": "toe_control", "big_toe_extension_deg": "big_toe_extension"}
# a trend as an arrow: up is better for both figures; unclear is fewer than 3 sessions
ARROWS = {"improving": "↑", "worsening": "↓", "steady": "→", "rising": "↑", "falling": "↓", "unclear": "?"}


def _trends(overview: PersonOverview) -> dict[str, list[TrendArrow]]:
    found: dict[str, list[TrendArrow]] = {name: [] for name in TREND_FIGURES.values()}
    for trend in overview.progress.trends:
        if trend.toe is None and trend.metric in TREND_FIGURES:
            found[TREND_FIGURES[trend.metric]].append(
                TrendArrow(foot=trend.foot, direction=trend.direction, arrow=ARROWS.get(trend.direction, "?"))
            )
    return found


def _this_week(overview: PersonOverview, today: date) -> float | None:
    """Share of this week's planned practice done so far; None without a plan or a target."""
    for week in overview.adherence:
        if week.week_start <= today and week.target and (today - week.week_start).days < 7:
            return week.fraction
    return None


def patient_row(overview: PersonOverview, today: date) -> PatientRow:
    last = overview.sessions[-1].session.started_at if overview.sessions else None
    pain = overview.pain
    return PatientRow(
        id=overview.person.id,
        display_name=overview.person.display_name,
        last_session=None if last is None else last.isoformat(),
        adherence_this_week=_this_week(overview, today),
        trends=_trends(overview),
        flags=[FlagTitle(title=f.flag.title, foot=f.foot) for f in overview.flags],
        pain=None
        if pain is None or not overview.checkins
        else PainSummary(direction=pain.direction, level=pain.level, latest=pain.latest, advice=pain.advice),
    )


def patient_rows(overviews: Sequence[PersonOverview], today: date) -> list[PatientRow]:
    """Patients with open warning signs first, then by name."""
    rows = [patient_row(o, today) for o in overviews]
    return sorted(rows, key=lambda r: (not r.flags, r.display_name.lower()))
