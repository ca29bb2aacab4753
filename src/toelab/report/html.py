"""The report as one self-contained HTML page: inline CSS, plots as SVG data URIs.

The same page is printed to PDF, so everything here is laid out for paper as well.
"""

from __future__ import annotations

import base64
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from html import escape

from toelab import __version__
from toelab.analysis.progress import Asymmetry, Measurement, Trend
from toelab.protocols.context import TremorPoint, line_up
from toelab.protocols.exercises import get_exercise
from toelab.protocols.red_flags import RaisedFlag
from toelab.report import plots
from toelab.report.checkin_words import HEADERS as CHECKIN_HEADERS
from toelab.report.checkin_words import checkin_rows, pain_summary
from toelab.report.detail import Plot, TrialView
from toelab.report.handout import Handout, camera_view, handout
from toelab.report.style import CSS
from toelab.report.tremor_context import (
    CONTEXT_HEADERS,
    CONTEXT_NUMERIC,
    INTRO,
    NO_CONTEXT,
    comparison_sentences,
    context_rows,
    has_context,
    not_yet_compared,
)
from toelab.report.words import (
    KEY_FIGURES,
    figure_label,
    foot_word,
    format_change,
    format_value,
    session_key_figures,
    trend_words,
    unit_text,
)
from toelab.store import SessionHistory, tremor_points_of
from toelab.store.overview import PersonOverview
from toelab.tasks import TASKS
from toelab.vocabulary import TOE_NAMES

ABOUT = (
    "toelab measures toe movement from video, motion-capture or sensor recordings and shows how it "
    "changes over time. It informs and points to the right professional; it does not diagnose. "
    "Figures from a home recording depend on light, camera angle and how tired the foot is: look at "
    "the trend over several sessions rather than at one session."
)


def _e(text: object) -> str:
    return escape(str(text))


def _img(svg: str, alt: str) -> str:
    data = base64.b64encode(svg.encode()).decode("ascii")
    return f'<img src="data:image/svg+xml;base64,{data}" alt="{_e(alt)}">'


def _figure(plot: Plot, css_class: str = "") -> str:
    attribute = f' class="{css_class}"' if css_class else ""
    caption = f"<figcaption>{_e(plot.caption)}</figcaption>"
    return f"<figure{attribute}>{_img(plot.svg, plot.caption)}{caption}</figure>"


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = ()) -> str:
    def cell(tag: str, i: int, text: str) -> str:
        return f'<{tag} class="num">{text}</{tag}>' if i in numeric else f"<{tag}>{text}</{tag}>"

    head = "".join(cell("th", i, _e(h)) for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>" for row in rows)
    # a wide table scrolls within its own box on a phone, not the whole page sideways (and can
    # be scrolled from the keyboard)
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="table" tabindex="0">{table}</div>'


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>{body}"
        f'<p class="muted">Made with toelab {_e(__version__)}.</p></body></html>\n'
    )


def _header(overview: PersonOverview, heading: str, lead: str) -> str:
    person = overview.person
    details = [f"Report date {overview.today.isoformat()}"]
    if person.birth_year:
        details.append(f"born {person.birth_year}")
    if person.dominant_foot:
        details.append(f"dominant foot: {person.dominant_foot}")
    if person.diabetes:
        details.append("has diabetes")
    return (
        f"<header><h1>{_e(heading)}: {_e(person.display_name)}</h1>"
        f'<p class="lead">{_e(lead)}<br>{_e(" · ".join(details))}</p></header>'
    )


def _flags(flags: Sequence[RaisedFlag]) -> str:
    if not flags:
        return (
            '<section class="box calm"><h2 style="border:0;margin-top:0">When to see a professional</h2>'
            "<p>No warning signs in the latest answers or in the measurements. If something new comes up "
            "(sudden weakness, numbness or burning, a change in the shape of the toes, shaking at rest), "
            "do not wait for the next session: see your GP.</p></section>"
        )
    items = []
    for raised in flags:
        flag = raised.flag
        where = f" ({raised.foot} foot)" if raised.foot in ("left", "right") else ""
        items.append(
            f'<div class="flag"><strong>{_e(flag.title)}{_e(where)}</strong><br>'
            f"{_e(raised.reason)}<br>{_e(flag.advice)}<br>"
            f"<em>Who to see:</em> {_e(flag.see)} — {_e(flag.when)}.</div>"
        )
    return (
        '<section class="box flags"><h2 style="border:0;margin-top:0">When to see a professional</h2>'
        + "".join(items)
        + '<p class="muted">These signs are reasons to ask a professional; they are not a diagnosis.</p>'
        "</section>"
    )


def _units(overview: PersonOverview) -> dict[str, str]:
    units: dict[str, str] = {}
    for history in overview.sessions:
        for trial in history.trials:
            for r in trial.results:
                units.setdefault(r.name, r.unit)
    return units


def _summary(overview: PersonOverview) -> str:
    units = _units(overview)
    trends = {(t.metric, t.foot, t.toe): t for t in overview.progress.trends}
    rows = []
    for change in sorted(
        (c for c in overview.progress.changes if c.metric in KEY_FIGURES and c.toe is None),
        key=lambda c: (KEY_FIGURES.index(c.metric), c.foot or ""),
    ):
        unit = units.get(change.metric, "")
        rows.append(
            (
                _e(figure_label(change.metric)),
                _e(foot_word(change.foot)),
                f"{_e(format_value(change.metric, change.baseline_value, unit))}"
                f'<br><span class="muted">{change.baseline_day.isoformat()}</span>',
                f"{_e(format_value(change.metric, change.latest_value, unit))}"
                f'<br><span class="muted">{change.latest_day.isoformat()}</span>',
                _e(format_change(change.metric, change.change, unit))
                if change.latest_day != change.baseline_day
                else "—",
                _trend_cell(trends.get((change.metric, change.foot, None))),
            )
        )
    if not rows:
        return "<h2>Summary</h2><p>No measurements stored yet.</p>"
    sessions = f"{len(overview.sessions)} session{'' if len(overview.sessions) == 1 else 's'}"
    parts = [
        "<h2>Summary</h2>",
        f"<p>{sessions} from {overview.sessions[0].session.started_at.date()} "
        f"to {overview.sessions[-1].session.started_at.date()}. First and latest value of each key figure "
        "and the trend over all sessions (a robust slope; “no clear change” when it is within the "
        "scatter).</p>",
        _table(("Figure", "Foot", "First", "Latest", "Change", "Trend"), rows, numeric=(2, 3, 4)),
    ]
    parts.extend(_asymmetry_lines(overview.progress.asymmetries, units))
    parts.extend(_plateau_lines(overview))
    return "".join(parts)


def _trend_cell(trend: Trend | None) -> str:
    words = trend_words(trend)
    css = {"improving": "good", "getting worse": "watch"}.get(words)
    return f'<span class="{css}">{_e(words)}</span>' if css else _e(words)


def _asymmetry_lines(asymmetries: Sequence[Asymmetry], units: dict[str, str]) -> list[str]:
    latest: dict[str, Asymmetry] = {}
    for a in asymmetries:
        wanted = a.toe is None and a.metric in ("toe_control_score_pct", "big_toe_extension_deg")
        if wanted and (a.metric not in latest or a.day >= latest[a.metric].day):
            latest[a.metric] = a
    lines = []
    for metric, a in latest.items():
        if a.weaker_foot is None:
            continue
        stronger = "right" if a.weaker_foot == "left" else "left"
        weaker_value = a.left if a.weaker_foot == "left" else a.right
        stronger_value = a.right if a.weaker_foot == "left" else a.left
        if stronger_value <= 0:
            continue
        share = 100.0 * weaker_value / stronger_value
        unit = units.get(metric, "")
        lines.append(
            f"<p>Left vs right ({a.day.isoformat()}): the {a.weaker_foot} foot's "
            f"{_e(figure_label(metric).lower())} is {_e(format_value(metric, weaker_value, unit))}, "
            f"<strong>{share:.0f} %</strong> of the {stronger} foot's "
            f"({_e(format_value(metric, stronger_value, unit))}).</p>"
        )
    return lines


def _plateau_lines(overview: PersonOverview) -> list[str]:
    lines = []
    for p in overview.plateaus:
        if p.advice:
            where = f" ({p.foot} foot)" if p.foot in ("left", "right") else ""
            lines.append(f'<div class="box advice">{_e(p.advice)}{_e(where)}</div>')
    if overview.plateaus and not lines:
        lines.append(
            '<p class="good">Every trained figure improved meaningfully over the last weeks of practice.</p>'
        )
    return lines


def _daily(measurements: Sequence[Measurement], metric: str, foot: str | None, toe: int | None) -> list:
    by_day: dict[date, list[float]] = defaultdict(list)
    for m in measurements:
        if m.metric == metric and m.foot == foot and m.toe == toe and math.isfinite(m.value):
            by_day[m.day].append(m.value)
    return [(day, sum(v) / len(v)) for day, v in sorted(by_day.items())]


def _feet_series(measurements: Sequence[Measurement], metric: str) -> dict[str, list]:
    """One series per foot (at least two sessions each), labelled "left foot", "right foot"."""
    feet = {m.foot for m in measurements if m.metric == metric and m.toe is None}
    series = {}
    for foot in sorted(feet, key=lambda f: f or ""):
        points = _daily(measurements, metric, foot, None)
        if len(points) >= 2:
            series[f"{foot} foot" if foot in ("left", "right") else "all"] = points
    return series


_FOOT_COLOURS = {"left foot": plots.FOOT_COLOURS["left"], "right foot": plots.FOOT_COLOURS["right"]}

# figure, y label, y range, reference line, the least y range shown (a figure's measurement error)
_TREND_CHARTS = (
    ("toe_control_score_pct", "toe control score (%)", (0.0, 100.0), None, 0.0),
    ("big_toe_extension_deg", "big-toe extension (°)", None, (65.0, "~65° for a normal push-off"), 20.0),
    ("sd_asynchrony_ms", "timing spread, SD (ms)", None, None, 40.0),
    # video and accelerometer frequencies differ by up to ~0.8 Hz (TremAn3, Sensors 2026)
    ("tremor_frequency_hz", "tremor frequency (Hz)", None, None, 4.0),
    ("tremor_amplitude", "tremor amplitude", None, None, 0.0),
)

_TREND_CAPTIONS = {
    "toe_control_score_pct": "Toe control score per session (100 = every toe lifts on its own).",
    "big_toe_extension_deg": "How far the big toe bends back, per session.",
    "sd_asynchrony_ms": "Musical toes: spread of the timing around the beat (lower is steadier).",
    "tremor_frequency_hz": "Dominant frequency of the shaking at each tremor check.",
    "tremor_amplitude": "Size of the shaking at each tremor check (lower is calmer).",
}


def trend_plots(overview: PersonOverview) -> list[Plot]:
    """The progress charts: key figures per foot over the weeks, and each toe's individuation."""
    measurements = overview.measurements
    units = _units(overview)
    found = []
    for metric, ylabel, ylim, reference, min_span in _TREND_CHARTS:
        series = _feet_series(measurements, metric)
        if not series:
            continue
        if metric == "tremor_amplitude" and units.get(metric):
            ylabel += f" ({unit_text(units[metric]).strip()})"
        chart = plots.trend_chart(
            series, ylabel, colours=_FOOT_COLOURS, reference=reference, ylim=ylim, min_span=min_span
        )
        found.append(Plot(_TREND_CAPTIONS[metric], chart))
    feet = sorted({m.foot for m in measurements if m.metric == "individuation_index"}, key=lambda f: f or "")
    for foot in feet:
        series = {
            TOE_NAMES[toe]: points
            for toe in range(1, 6)
            if len(points := _daily(measurements, "individuation_index", foot, toe)) >= 2
        }
        if series:
            where = f"{foot.capitalize()} foot" if foot in ("left", "right") else "Each toe"
            found.append(
                Plot(
                    f"{where}: individuation index of each toe per session (1 = lifts alone).",
                    plots.trend_chart(series, "individuation index", ylim=(0.0, 1.05)),
                )
            )
    return found


def _practice(overview: PersonOverview) -> str:
    parts = ["<h2>Practice</h2>"]
    if overview.plan is not None:
        names = ", ".join(
            f"{e.name} ({e.frequency.label})"
            for e in (get_exercise(i) for i in overview.plan.plan.exercise_ids)
        )
        parts.append(f"<p>Plan since {overview.plan.plan.start_date.isoformat()}: {_e(names)}.</p>")
        weeks = [(w.week_start, w.fraction) for w in overview.adherence if w.target]
        if weeks:
            mean = 100.0 * sum(f for _, f in weeks) / len(weeks)
            parts.append(f"<p>On average {mean:.0f} % of the planned practice was done each week.</p>")
            parts.append(
                _figure(
                    Plot(
                        "Share of each week's planned practice done; the dashed line is 80 %, "
                        "toelab's mark for consistent practice.",
                        plots.adherence_bars(weeks),
                    )
                )
            )
    else:
        parts.append("<p>No exercise plan is stored.</p>")
    log = overview.exercise_log
    if log:
        pains = [entry.pain for entry in log if entry.pain is not None]
        summary = f"{len(log)} exercise entries logged"
        if pains:
            summary += f"; pain (0–10) from {pains[0]} at first to {pains[-1]} most recently"
        parts.append(f"<p>{_e(summary)}.</p>")
        rows = [
            (
                entry.day.isoformat(),
                _e(get_exercise(entry.exercise_id).name),
                "" if entry.reps is None else str(entry.reps),
                "" if entry.holds is None else str(entry.holds),
                "" if entry.minutes is None else f"{entry.minutes:g}",
                "" if entry.pain is None else str(entry.pain),
                _e(entry.comment),
            )
            for entry in log[-10:]
        ]
        parts.append(
            _table(("Day", "Exercise", "Reps", "Holds", "Minutes", "Pain", "Comment"), rows, (2, 3, 4, 5))
        )
    return "".join(parts)


def _checkins(overview: PersonOverview) -> str:
    """How the sessions felt: pain, where, effort, beside the measures."""
    trend = overview.pain
    css = "box flags" if trend is not None and trend.advice else "box calm"
    parts = [f'<h2>Pain and effort after each session</h2><p class="{css}">{_e(pain_summary(overview))}</p>']
    rows = [tuple(_e(cell) for cell in row) for row in checkin_rows(overview)]
    if rows:
        parts.append(_table(CHECKIN_HEADERS, rows, (1, 3)))
    return "".join(parts)


def _value_cell(value: str) -> str:
    """A figure's value keeps to one line; a value in words (whom to see) wraps."""
    return f'<span class="long">{_e(value)}</span>' if len(value) > 16 else _e(value)


def _trial(view: TrialView) -> str:
    day = f" — {view.day.isoformat()}" if view.day else ""
    parts = [f'<div class="trial"><h3>{_e(view.title)}{day}</h3>']
    for heading, rows in view.rows:
        if heading:
            parts.append(f'<p class="foot">{_e(heading)}</p>')
        cells = [(_e(figure), _value_cell(value), _e(meaning)) for figure, value, meaning in rows]
        parts.append(_table(("Figure", "Value", "What it means"), cells, (1,)))
    for note in view.notes:
        parts.append(f'<p class="muted">{_e(note)}</p>')
    square = [p for p in view.plots if "how far each toe moved" in p.caption]
    for plot in view.plots:
        parts.append(_figure(plot, "half" if plot in square else ""))
    parts.append("</div>")
    return "".join(parts)


def _sessions_table(sessions: Sequence[SessionHistory]) -> str:
    rows = [
        (
            str(h.session.id),
            h.session.started_at.date().isoformat(),
            _e(h.session.kind),
            _e(h.session.status.replace("_", " ")),
            _e(", ".join(sorted({t.task for t in h.trials})) or "—"),
            _e(session_key_figures(h)),
        )
        for h in sessions
    ]
    return "<h2>All sessions</h2>" + _table(("No.", "Date", "Kind", "Status", "Tests", "Key figures"), rows)


_TREMOR_CAPTIONS = (_TREND_CAPTIONS["tremor_frequency_hz"], _TREND_CAPTIONS["tremor_amplitude"])


def _tremor_context(points: Sequence[TremorPoint], charts: Sequence[Plot]) -> str:
    """The tremor charts with each test's context beside them, and what went with a stronger shaking."""
    parts = ["<h3>Tremor and what went with it</h3>"]
    parts.extend(_figure(plot) for plot in charts)
    parts.append(f"<p>{_e(INTRO if has_context(points) else NO_CONTEXT)}</p>")
    rows = [tuple(_e(cell) for cell in row) for row in context_rows(points)]
    parts.append(f'<div class="context">{_table(CONTEXT_HEADERS, rows, CONTEXT_NUMERIC)}</div>')
    lineup = line_up(points)
    sentences = comparison_sentences(lineup)
    if sentences:
        parts.append("<ul>" + "".join(f"<li>{_e(s)}</li>" for s in sentences) + "</ul>")
    waiting = not_yet_compared(lineup)
    if waiting:
        parts.append(f"<p>{_e(waiting)}</p>")
    if lineup.comparisons:
        parts.append(f'<p class="muted">{_e(lineup.caution)}</p>')
    return "".join(parts)


def _trends(overview: PersonOverview) -> str:
    charts = trend_plots(overview)
    points = tremor_points_of(overview.sessions)
    if not charts and not points:
        return ""
    tremor_charts = [plot for plot in charts if plot.caption in _TREMOR_CAPTIONS]
    parts = ["<h2>Trends over the weeks</h2>"]
    parts.extend(_figure(plot) for plot in charts if plot not in tremor_charts)
    if points:
        parts.append(_tremor_context(points, tremor_charts))
    return "".join(parts)


_CARD_KINDS = {"do": "Do", "dont": "Don't", "plan": "Practise", "see": "See someone"}


def _cards(chosen: Handout, source: str) -> str:
    parts = [
        "<h2>To take home: do’s and don’ts</h2>",
        f"<p>Picked for {_e(source)}. Under each card: why it was picked.</p>",
        '<div class="cards">',
    ]
    for choice in chosen.cards:
        card = choice.card
        linked = f"<p><em>Exercises:</em> {_e(', '.join(card.exercise_names))}.</p>" if card.exercises else ""
        parts.append(
            f'<div class="card {_e(card.kind)}"><p class="kind">{_e(_CARD_KINDS.get(card.kind, card.kind))}'
            f"</p><strong>{_e(card.title)}</strong><p>{_e(card.text)}</p>{linked}"
            f'<p class="why">Why this card: {_e(choice.reason)}</p></div>'
        )
    parts.append("</div>")
    return "".join(parts)


def _sheets(chosen: Handout, overview: PersonOverview) -> str:
    parts = ["<h2>To take home: your exercises</h2>"]
    if not chosen.sheets:
        parts.append("<p>No exercise plan is stored, and the results call for no particular exercise.</p>")
        return "".join(parts)
    if chosen.from_plan and overview.plan is not None:
        since = overview.plan.plan.start_date.isoformat()
        parts.append(f"<p>The exercises of the plan since {since}: how to set up and what to do.</p>")
    else:
        parts.append(
            "<p>No exercise plan is stored. These are the exercises the cards above suggest: "
            "agree on a plan with your physiotherapist or podiatrist.</p>"
        )
    for sheet in chosen.sheets:
        parts.append(f'<div class="sheet"><h3>{_e(sheet.name)}</h3><p class="lead">{_e(sheet.purpose)}</p>')
        view = camera_view(sheet)
        if sheet.diagram_svg and view:
            parts.append(
                f'<figure class="diagram">{_img(sheet.diagram_svg, f"{sheet.name}: where the phone goes")}'
                f"<figcaption>Where the phone goes ({_e(view)} view).</figcaption></figure>"
            )
        for section in sheet.sections:
            items = "".join(f"<li>{_e(line)}</li>" for line in section.lines)
            parts.append(f"<h4>{_e(section.title)}</h4><ul>{items}</ul>")
        if sheet.sources:
            sources = "; ".join(source.rstrip(".") for source in sheet.sources)
            parts.append(f'<p class="muted">Sources: {_e(sources)}.</p>')
        parts.append("</div>")
    return "".join(parts)


def _handout(overview: PersonOverview) -> str:
    """The progress report's take-home pages: cards for the latest results, the exercise sheets."""
    chosen = handout(overview)
    return (
        f'<section class="handout">{_cards(chosen, "the latest result of each test")}'
        f'<div class="sheets">{_sheets(chosen, overview)}</div></section>'
    )


def _session_cards(overview: PersonOverview, history: SessionHistory) -> str:
    """A session report's cards for that session's results; the sheets are in the progress report."""
    chosen = handout(overview, (history,))
    names = ", ".join(sheet.name for sheet in chosen.sheets)
    where = "of the plan" if chosen.from_plan else "the cards suggest"
    pointer = (
        f"<p>The exercises {where}: {_e(names)}. The progress report holds their instruction sheets.</p>"
        if names
        else ""
    )
    return f'<section class="handout">{_cards(chosen, "the results of this session")}{pointer}</section>'


def progress_report_html(overview: PersonOverview, latest: Sequence[TrialView]) -> str:
    """The progress-over-time report: warning signs, summary, trends, practice, each test's latest result."""
    parts = [
        _header(
            overview,
            "Progress report",
            "How toe control, big-toe movement, rhythm and tremor changed over the sessions recorded.",
        ),
        _flags(overview.flags),
        _summary(overview),
    ]
    parts.append(_trends(overview))
    parts.append(_practice(overview))
    parts.append(_checkins(overview))
    if latest:
        parts.append("<h2>Latest result of each test</h2>")
        parts.extend(_trial(view) for view in latest)
    if overview.sessions:
        parts.append(_sessions_table(overview.sessions))
    parts.append(f'<h2>About this report</h2><p class="muted">{_e(ABOUT)}</p>')
    parts.append(_handout(overview))
    return _page(f"toelab progress report — {overview.person.display_name}", "".join(parts))


def _uses_context(kind: str) -> bool:
    return kind in TASKS and TASKS[kind].uses_context


def session_report_html(overview: PersonOverview, history: SessionHistory, views: Sequence[TrialView]) -> str:
    """One session's report: warning signs, then each test with its figures, meanings and plots."""
    session = history.session
    lead = (
        f"Session {session.id}, {session.kind}, {session.started_at.strftime('%Y-%m-%d %H:%M')} UTC"
        + (f", {session.device}" if session.device else "")
        + "."
    )
    parts = [_header(overview, "Session report", lead), _flags(overview.flags)]
    context = session.context
    noted = (
        f"<p><em>Noted before the tremor test:</em> {_e(', '.join(context.labels()))}.</p>"
        if context is not None and not context.is_empty
        else ""
    )
    for view in views:
        parts.append(_trial(view) + (noted if _uses_context(view.trial.task) else ""))
    if not views:
        parts.append("<p>This session holds no trials.</p>")
    parts.append(f'<h2>About this report</h2><p class="muted">{_e(ABOUT)}</p>')
    parts.append(_session_cards(overview, history))
    return _page(f"toelab session report — {overview.person.display_name}", "".join(parts))
