"""A person's history for the terminal: sessions, trends and warning signs as Rich tables."""

from __future__ import annotations

from rich.console import JustifyMethod, RenderableType
from rich.table import Table
from rich.text import Text

from toelab.protocols.context import line_up
from toelab.report.checkin_words import HEADERS as CHECKIN_HEADERS
from toelab.report.checkin_words import checkin_rows, pain_summary
from toelab.report.tremor_context import (
    NO_CONTEXT,
    TIMELINE_HEADERS,
    TIMELINE_NUMERIC,
    comparison_sentences,
    has_context,
    not_yet_compared,
    timeline_row,
)
from toelab.report.words import (
    KEY_FIGURES,
    figure_label,
    foot_word,
    format_change,
    format_value,
    session_key_figures,
    trend_words,
)
from toelab.store import tremor_points_of
from toelab.store.overview import PersonOverview


def sessions_table(overview: PersonOverview) -> Table:
    table = Table(title=f"Sessions of {overview.person.display_name}", title_justify="left")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("No.", "right"),
        ("Date", "left"),
        ("Kind", "left"),
        ("Status", "left"),
    )
    for column, justify in columns:
        table.add_column(column, justify=justify)
    table.add_column("Tests")
    table.add_column("Key figures")
    for h in overview.sessions:
        table.add_row(
            str(h.session.id),
            h.session.started_at.date().isoformat(),
            h.session.kind,
            h.session.status.replace("_", " "),
            ", ".join(sorted({t.task for t in h.trials})) or "—",
            session_key_figures(h),
        )
    return table


def trends_table(overview: PersonOverview) -> Table:
    units = {r.name: r.unit for h in overview.sessions for t in h.trials for r in t.results}
    trends = {(t.metric, t.foot, t.toe): t for t in overview.progress.trends}
    table = Table(title="Progress", title_justify="left")
    table.add_column("Figure", style="bold")
    table.add_column("Foot")
    table.add_column("First", justify="right")
    table.add_column("Latest", justify="right")
    table.add_column("Change", justify="right")
    table.add_column("Trend")
    changes = sorted(
        (c for c in overview.progress.changes if c.metric in KEY_FIGURES and c.toe is None),
        key=lambda c: (KEY_FIGURES.index(c.metric), c.foot or ""),
    )
    for c in changes:
        unit = units.get(c.metric, "")
        words = trend_words(trends.get((c.metric, c.foot, None)))
        style = {"improving": "green", "getting worse": "yellow"}.get(words, "")
        table.add_row(
            figure_label(c.metric),
            foot_word(c.foot),
            # each value with its day, as the page and the report give them: the latest value
            # is the latest measured, which a later test that withheld it may follow
            Text(format_value(c.metric, c.baseline_value, unit)).append(f"\n{c.baseline_day}", style="dim"),
            Text(format_value(c.metric, c.latest_value, unit)).append(f"\n{c.latest_day}", style="dim"),
            format_change(c.metric, c.change, unit) if c.latest_day != c.baseline_day else "—",
            Text(words, style=style),
        )
    return table


def tremor_context_renderables(overview: PersonOverview) -> list[RenderableType]:
    """Each tremor test with its context, and what went with a stronger shaking (nothing without tests)."""
    points = tremor_points_of(overview.sessions)
    if not points:
        return []
    lineup = line_up(points)
    table = Table(title="Tremor tests and their context", title_justify="left")
    for i, header in enumerate(TIMELINE_HEADERS):
        # dates and figures keep to one line; the context wraps
        table.add_column(header, justify="right" if i in TIMELINE_NUMERIC else "left", no_wrap=i != 3)
    for row in lineup.timeline:
        table.add_row(*timeline_row(row))
    shown: list[RenderableType] = [table]
    if not has_context(points):
        shown.append(Text(NO_CONTEXT, style="dim"))
    shown.extend(Text(f"• {sentence}") for sentence in comparison_sentences(lineup))
    waiting = not_yet_compared(lineup)
    if waiting:
        shown.append(Text(waiting))
    if lineup.comparisons:
        shown.append(Text(lineup.caution, style="dim"))
    return shown


def flags_text(overview: PersonOverview) -> Text:
    if not overview.flags:
        return Text("No warning signs in the latest answers or in the measurements.", style="green")
    text = Text("When to see a professional\n", style="bold yellow")
    for raised in overview.flags:
        where = f" ({raised.foot} foot)" if raised.foot in ("left", "right") else ""
        text.append(f"• {raised.flag.title}{where}: ", style="bold")
        text.append(
            f"{raised.reason} {raised.flag.advice} Who to see: {raised.flag.see}, {raised.flag.when}.\n"
        )
    text.append("These are reasons to ask a professional, not a diagnosis.", style="dim")
    return text


def history_renderables(overview: PersonOverview) -> list[RenderableType]:
    """What ``toelab history`` prints: sessions, progress, the tremor tests' context, plateau
    advice, warning signs."""
    if not overview.sessions:
        shown: list[RenderableType] = [Text(f"{overview.person.display_name} has no sessions yet.")]
    else:
        shown = [sessions_table(overview), trends_table(overview), *tremor_context_renderables(overview)]
    shown.extend(Text(p.advice, style="yellow") for p in overview.plateaus if p.advice)
    weeks = [w.fraction for w in overview.adherence if w.target]
    if weeks:
        shown.append(
            Text(f"Plan done: {100 * sum(weeks) / len(weeks):.0f} % on average over {len(weeks)} weeks.")
        )
    if overview.checkins:
        felt = Table(*CHECKIN_HEADERS, title="Pain and effort after each session")
        for row in checkin_rows(overview):
            felt.add_row(*row)
        shown.append(felt)
        advice = overview.pain is not None and bool(overview.pain.advice)
        shown.append(Text(pain_summary(overview), style="yellow" if advice else ""))
    shown.append(flags_text(overview))
    return shown
