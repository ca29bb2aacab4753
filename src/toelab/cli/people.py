"""The records: people, the exercise log, history, reports and exports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from toelab.cli.app import app, console, error_console
from toelab.errors import ToelabError

person_app = typer.Typer(no_args_is_help=True, help="The people whose records toelab keeps.")
app.add_typer(person_app, name="person")


@person_app.command("add")
def person_add(
    name: Annotated[str, typer.Argument(help="Display name (unique).")],
    birth_year: Annotated[int | None, typer.Option(help="Year of birth.")] = None,
    dominant_foot: Annotated[str | None, typer.Option(help="left or right.")] = None,
    diabetes: Annotated[bool, typer.Option("--diabetes/--no-diabetes", help="Has diabetes.")] = False,
    notes: Annotated[str, typer.Option(help="Free notes.")] = "",
) -> None:
    """Add a person to the records."""
    from toelab.store import open_store

    with open_store() as store:
        added = store.people.add(
            name, birth_year=birth_year, dominant_foot=dominant_foot, diabetes=diabetes, notes=notes
        )
    console.print(f"added {added.display_name} (no. {added.id})", highlight=False)


@person_app.command("list")
def person_list() -> None:
    """List the people in the records."""
    from toelab.store import open_store

    with open_store() as store:
        people = store.people.all()
    table = Table(title="People", title_justify="left")
    for column in ("No.", "Name", "Born", "Dominant foot", "Diabetes", "Notes"):
        table.add_column(column)
    for p in people:
        born = "" if p.birth_year is None else str(p.birth_year)
        table.add_row(
            str(p.id), p.display_name, born, p.dominant_foot or "", "yes" if p.diabetes else "", p.notes
        )
    console.print(table if people else "no people yet: add one with `toelab person add NAME`")


@app.command()
def log(
    person: Annotated[str, typer.Argument(help="Person's display name.")],
    exercise_id: Annotated[str, typer.Argument(help="Exercise, e.g. toe_isolation, tennis_ball_roll.")],
    reps: Annotated[int | None, typer.Option(help="Repetitions done.")] = None,
    holds: Annotated[int | None, typer.Option(help="Holds done.")] = None,
    minutes: Annotated[float | None, typer.Option(help="Minutes spent.")] = None,
    pain: Annotated[int | None, typer.Option(help="Pain from 0 (none) to 10 (worst).")] = None,
    comment: Annotated[str, typer.Option(help="A note.")] = "",
    day: Annotated[str | None, typer.Option("--date", help="Day done, YYYY-MM-DD (default: today).")] = None,
) -> None:
    """Log an exercise done by hand; it counts in the person's plan when the plan has it."""
    from datetime import date

    from toelab.store import open_store
    from toelab.store.outcomes import log_exercise

    try:
        done_on = date.fromisoformat(day) if day else date.today()
    except ValueError:
        raise ToelabError(f"--date {day!r} is not a date", hint="write it as YYYY-MM-DD") from None
    with open_store() as store:
        entry, in_plan = log_exercise(
            store,
            person,
            exercise_id,
            done_on,
            reps=reps,
            holds=holds,
            minutes=minutes,
            pain=pain,
            comment=comment,
        )
    counted = " (counted in the plan)" if in_plan else ""
    console.print(f"logged {entry.exercise_id} for {person} on {entry.day}{counted}", highlight=False)


@app.command()
def history(person: Annotated[str, typer.Argument(help="Person's display name.")]) -> None:
    """A person's sessions, key figures, trends and warning signs."""
    from toelab.report.terminal import history_renderables
    from toelab.store import open_store
    from toelab.store.overview import person_overview

    with open_store() as store:
        overview = person_overview(store, person)
    for shown in history_renderables(overview):
        console.print(shown)


@app.command()
def report(
    person: Annotated[str, typer.Argument(help="Person's display name.")],
    pdf: Annotated[bool, typer.Option("--pdf", help="Write a PDF instead of HTML.")] = False,
    out: Annotated[Path | None, typer.Option(help="File to write (default: in the data folder).")] = None,
    session: Annotated[int | None, typer.Option(help="Report one session (its number) instead.")] = None,
) -> None:
    """Write a progress report (or one session's report) as HTML or PDF."""
    from toelab.report import write_report
    from toelab.store import open_store

    with open_store() as store:
        path = write_report(store, person, out, pdf=pdf, session_id=session)
    console.print(f"report written to {path}", highlight=False, soft_wrap=True)


@app.command()
def export(
    person: Annotated[str, typer.Argument(help="Person's display name.")],
    fhir: Annotated[bool, typer.Option("--fhir", help="A FHIR R4 Bundle (JSON).")] = False,
    csv: Annotated[bool, typer.Option("--csv", help="CSV, one row per figure.")] = False,
    out: Annotated[Path | None, typer.Option(help="File to write (default: standard output).")] = None,
) -> None:
    """Export every stored figure of a person as FHIR or CSV."""
    from toelab.report import export_figures
    from toelab.store import open_store

    if fhir == csv:
        raise ToelabError("choose one format: --fhir or --csv")
    with open_store() as store:
        text = export_figures(store, person, "fhir" if fhir else "csv")
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ToelabError(f"cannot write the export: {exc.strerror}", out) from exc
    error_console.print(f"exported to {out}", highlight=False, soft_wrap=True)
