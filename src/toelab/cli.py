"""The ``toelab`` command line: a thin layer over :mod:`toelab.pipeline`."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from toelab import __version__
from toelab.errors import ToelabError
from toelab.explain import rows_for
from toelab.landmarks import parse_mapping
from toelab.pipeline import (
    TASKS,
    BeatSource,
    check_task,
    json_safe,
    load_input,
    parse_toes,
    run_task,
    write_overlay_video,
)

# options that analyze and batch share
TaskOption = Annotated[str, typer.Option(help=f"One of: {', '.join(TASKS)}.")]
FpsOption = Annotated[float | None, typer.Option(help="Frame rate of frame-indexed inputs.")]
BpmOption = Annotated[float | None, typer.Option(help="Metronome tempo for the rhythm task.")]
OffsetOption = Annotated[float, typer.Option(help="Time of the first beat in seconds.")]
BeatsOption = Annotated[Path | None, typer.Option(help="File of beat times (one per line).")]
ToesOption = Annotated[str, typer.Option(help="Toes that lift to the beat: 1 or 2-5.")]
EventOption = Annotated[str, typer.Option(help="Lift time: peak (top of the lift) or onset.")]
TimeUnitOption = Annotated[str, typer.Option(help="Unit of a CSV time column: s or ms.")]

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="toelab: assess, train and track toe function.",
    pretty_exceptions_enable=False,
)
console = Console()
error_console = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(command: F) -> F:
    """Print a ToelabError on one line and exit with status 2 instead of a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ToelabError as error:
            error_console.print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        console.print(f"toelab {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """toelab: assess, train and track toe function."""


def print_summary(
    task: str, results: dict[str, Any], warnings: list[str], title: str, *, condition: str | None = None
) -> None:
    """A readable table of a task's key figures and what they mean (``condition``: a tremor test's)."""
    feet = results.get("feet") or {str(results.get("foot")): results}
    for foot, figures in feet.items():
        heading = title if foot in ("None", "none") else f"{title} — {foot} foot"
        table = Table(title=heading, title_justify="left", show_lines=False, expand=False)
        table.add_column("Figure", style="bold")
        table.add_column("Value", justify="right")
        table.add_column("What it means")
        for label, value, meaning in rows_for(task, figures, condition=condition):
            table.add_row(label, value, meaning)
        console.print(table)
    if "left_vs_right" in results:
        console.print("Left vs right:", results["left_vs_right"])
    for warning in warnings:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False)


@app.command()
@friendly_errors
def analyze(
    input_path: Annotated[
        Path, typer.Argument(metavar="INPUT", help="Landmark/sensor file, folder or video.")
    ],
    task: TaskOption,
    fps: FpsOption = None,
    bpm: BpmOption = None,
    offset: OffsetOption = 0.0,
    beats: BeatsOption = None,
    toes: ToesOption = "1",
    event: EventOption = "peak",
    time_unit: TimeUnitOption = "s",
    mapping: Annotated[
        list[str] | None, typer.Option("--map", help="Rename a landmark: name=toelab_name (repeatable).")
    ] = None,
    foot: Annotated[str | None, typer.Option(help="Foot of landmarks without one: left or right.")] = None,
    points: Annotated[Path | None, typer.Option(help="Toe points JSON for a video.")] = None,
    mm_per_px: Annotated[float | None, typer.Option(help="Scale of pixel coordinates.")] = None,
    save_tracks: Annotated[Path | None, typer.Option(help="Write the Recording (.npz).")] = None,
    overlay: Annotated[
        Path | None, typer.Option(help="Write the video with the tracked points and lifts drawn (.mp4).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    person: Annotated[
        str | None, typer.Option(help="Store the measurement in this person's records (`toelab person add`).")
    ] = None,
    context: Annotated[
        list[str] | None,
        typer.Option(
            "--context",
            help="What went on at a tremor test, stored with it (repeatable): condition=rest|holding|moving, "
            "part_of_day=morning|afternoon|evening|night, caffeine=yes|no, tired=yes|no, "
            "stress=low|moderate|high, medication=TEXT.",
        ),
    ] = None,
) -> None:
    """Measure one task on a recording and print the figures."""
    check_task(task, time_unit)
    if foot not in (None, "left", "right"):
        raise ToelabError(f"--foot {foot!r} is not left or right")
    tremor_context = _tremor_context(context, task, person)
    if person is not None:
        from toelab.store import open_store

        with open_store() as store:
            store.get_person(person)  # a misspelt name fails before a long analysis
    loaded = load_input(
        input_path,
        fps=fps,
        time_unit=time_unit,
        mapping=parse_mapping(mapping or []),
        foot=foot,
        points_path=points,
        mm_per_px=mm_per_px,
    )
    if overlay is not None and not loaded.is_video:
        raise ToelabError("--overlay needs a video as input", input_path)
    if save_tracks is not None:
        loaded.recording.save(save_tracks)
    beat_source = BeatSource(bpm=bpm, offset_s=offset, beats_path=beats)
    try:
        outcome = run_task(
            loaded.recording,
            task,
            beats=beat_source,
            toes=parse_toes(toes),
            event=event,
            input_path=input_path,
            time_unit=time_unit,
        )
    except ToelabError:
        # what the reader noticed often explains the failure (a time column in milliseconds)
        for warning in loaded.warnings:
            error_console.print(f"[yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
        raise
    if overlay is not None:
        write_overlay_video(input_path, loaded.recording, overlay)
    warnings = loaded.warnings + outcome.warnings
    if as_json:
        payload = {"task": task, "input": str(input_path), "results": outcome.results, "warnings": warnings}
        typer.echo(json.dumps(json_safe(payload), indent=2, allow_nan=False))
    else:
        condition = tremor_context.condition if tremor_context is not None else None
        print_summary(task, outcome.results, warnings, f"{task} — {input_path.name}", condition=condition)
    if person is not None:
        from toelab.records import store_analysis

        with open_store() as store:
            stored = store_analysis(
                store,
                person,
                outcome,
                loaded.recording,
                input_path=input_path,
                beats=beat_source,
                toes=parse_toes(toes),
                event=event,
                time_unit=time_unit,
            )
            if tremor_context is not None:
                store.set_session_context(stored.session, tremor_context)
        error_console.print(f"stored as session {stored.session.id} of {person}", highlight=False)


def _tremor_context(items: list[str] | None, task: str, person: str | None) -> Any:
    """The ``--context`` answers as a TremorContext, or None when none were given."""
    if not items:
        return None
    from toelab.protocols.context import TremorContext

    if task != "tremor":
        raise ToelabError("--context is for the tremor task")
    if person is None:
        raise ToelabError("--context is kept with a person's records", hint="add --person NAME")
    return TremorContext.parse(items)


@app.command()
@friendly_errors
def batch(
    folder: Annotated[
        Path, typer.Argument(help="Folder of videos and landmark files (searched recursively).")
    ],
    task: TaskOption,
    points_from: Annotated[
        str, typer.Option(help="Toe points JSON for every video, or auto to place them in each video.")
    ] = "auto",
    engine: Annotated[str, typer.Option(help="dask (worker processes) or local (in this process).")] = "dask",
    scheduler: Annotated[
        str | None, typer.Option(help="A running Dask scheduler, tcp://HOST:PORT (default: a local cluster).")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="Workers of the local cluster (default: one per core).")
    ] = None,
    fps: FpsOption = None,
    bpm: BpmOption = None,
    offset: OffsetOption = 0.0,
    beats: BeatsOption = None,
    toes: ToesOption = "1",
    event: EventOption = "peak",
    time_unit: TimeUnitOption = "s",
    person: Annotated[str, typer.Option(help="Person the results are stored under.")] = "batch",
    summary: Annotated[Path | None, typer.Option(help="Write one row per file (.csv or .parquet).")] = None,
    max_file_time: Annotated[float, typer.Option(help="Seconds one file may take.")] = 1800.0,
    max_file_memory: Annotated[float, typer.Option(help="GB of memory one file may use.")] = 4.0,
    follow_links: Annotated[bool, typer.Option(help="Follow links that lead out of the folder.")] = False,
) -> None:
    """Analyse every recording in a folder, one stored row per file; files done before are skipped."""
    from rich.markup import escape
    from rich.progress import Progress

    from toelab.batch import BatchOptions, FileResult, run_batch, write_summary
    from toelab.limits import work_limits
    from toelab.store import open_store

    points = None if points_from == "auto" else Path(points_from)
    options = BatchOptions(task, points, fps, time_unit, bpm, offset, beats, parse_toes(toes), event)
    with open_store() as store, Progress(console=console, transient=True) as progress:
        bar = progress.add_task("analysing", total=None)

        def started(total: int, to_do: int) -> None:
            progress.update(bar, total=to_do)
            console.print(f"{total} recordings, {total - to_do} analysed in an earlier run")

        def finished(result: FileResult) -> None:
            progress.advance(bar)
            failed = f"[red]failed[/] {escape(result.error or '')}"
            outcome = "[green]ok[/]" if result.status == "ok" else failed
            console.print(f"{escape(result.name)}: {outcome}", highlight=False, soft_wrap=True)

        report = run_batch(
            folder,
            options,
            store,
            person=person,
            engine=engine,
            scheduler=scheduler,
            workers=workers,
            on_start=started,
            on_result=finished,
            limits=work_limits(max_file_time, max_file_memory),
            follow_links=follow_links,
        )
    for name, why in report.skipped:
        console.print(f"skipped {escape(name)}: {escape(why)}", highlight=False, soft_wrap=True)
    if summary is not None:
        write_summary(report.results, summary)
    console.print(
        f"{report.count('ok')} ok, {report.count('failed')} failed, {report.done_before} analysed before, "
        f"{len(report.skipped)} skipped (not recordings)"
    )
    if report.count("failed"):
        raise typer.Exit(1)


@app.command()
@friendly_errors
def backup(out: Annotated[Path, typer.Argument(help="Archive to write (.tar.gz).")]) -> None:
    """Copy the database and the track files into one archive (safe while toelab is running)."""
    from toelab.backup import backup_to

    made = backup_to(out)
    console.print(f"backed up the {made.engine} database and {made.tracks} track files to {made.path}")


@app.command()
@friendly_errors
def restore(
    archive: Annotated[Path, typer.Argument(help="Archive written by `toelab backup`.")],
    force: Annotated[bool, typer.Option("--force", help="Replace a database that holds data.")] = False,
) -> None:
    """Put the database and the track files back from a backup archive."""
    from toelab.backup import restore_from

    done = restore_from(archive, force=force)
    console.print(f"restored the {done.engine} database and {done.tracks} track files from {done.path}")


@app.command()
@friendly_errors
def demo(
    out: Annotated[
        Path | None, typer.Option(help="Folder for the sample files (default: the toelab data folder).")
    ] = None,
) -> None:
    """Generate sample recordings, run every analysis on them and print what they show."""
    from toelab.demo import run_demo

    run_demo(out, print_summary=print_summary, console=console)


person_app = typer.Typer(no_args_is_help=True, help="The people whose records toelab keeps.")
db_app = typer.Typer(no_args_is_help=True, help="The database of records.")
app.add_typer(person_app, name="person")
app.add_typer(db_app, name="db")


@person_app.command("add")
@friendly_errors
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
        added = store.add_person(
            name, birth_year=birth_year, dominant_foot=dominant_foot, diabetes=diabetes, notes=notes
        )
    console.print(f"added {added.display_name} (no. {added.id})", highlight=False)


@person_app.command("list")
@friendly_errors
def person_list() -> None:
    """List the people in the records."""
    from toelab.store import open_store

    with open_store() as store:
        people = store.list_people()
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
@friendly_errors
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

    from toelab.records import log_exercise
    from toelab.store import open_store

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
@friendly_errors
def history(person: Annotated[str, typer.Argument(help="Person's display name.")]) -> None:
    """A person's sessions, key figures, trends and warning signs."""
    from toelab.records import person_overview
    from toelab.report.terminal import history_renderables
    from toelab.store import open_store

    with open_store() as store:
        overview = person_overview(store, person)
    for shown in history_renderables(overview):
        console.print(shown)


@app.command()
@friendly_errors
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
@friendly_errors
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


@db_app.command("upgrade")
@friendly_errors
def db_upgrade() -> None:
    """Bring the database's schema up to this toelab's (keep a backup first)."""
    from toelab.store import database_url, upgrade

    revision = upgrade()
    console.print(f"{database_url()} is at schema version {revision}", highlight=False, soft_wrap=True)


@app.command()
@friendly_errors
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0 for other devices).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    https: Annotated[
        bool, typer.Option("--https", help="Serve https with a self-signed certificate.")
    ] = False,
    clinic: Annotated[
        bool, typer.Option("--clinic", help="Accounts and sign-in for many people (see `toelab user add`).")
    ] = False,
) -> None:
    """Start the live toe trainer in the browser (this computer only, unless --host says otherwise)."""
    from toelab.web.server import run_server

    run_server(host, port, https, say=console.print, clinic=clinic)


user_app = typer.Typer(no_args_is_help=True, help="Accounts for the clinic mode (toelab serve --clinic).")
app.add_typer(user_app, name="user")


@user_app.command("add")
@friendly_errors
def user_add(
    username: Annotated[str, typer.Argument(help="User name to sign in with.")],
    role: Annotated[str, typer.Option(help="admin, clinician or patient.")],
    person: Annotated[str | None, typer.Option(help="A patient's person (display name).")] = None,
    clinician: Annotated[str | None, typer.Option(help="The clinician who looks after a patient.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Add an account; the password is asked for (or read from standard input)."""
    import sys

    from toelab.store import open_store
    from toelab.web.auth import hash_password

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with open_store() as store:
        added = store.accounts.add_user(
            username, hash_password(password), role, person=person, clinician=clinician
        )
    console.print(f"added {added.role} {added.username}", highlight=False)


protocol_app = typer.Typer(no_args_is_help=True, help="The tests and exercises, with instructions.")
app.add_typer(protocol_app, name="protocol")


@protocol_app.command("list")
@friendly_errors
def protocol_list() -> None:
    """List the tests and exercises, with the names to show them by."""
    from toelab.protocols.guidance import list_protocols

    table = Table(title="Tests and exercises", title_justify="left")
    for column in ("Name", "Kind", "Title", "What for / how much"):
        table.add_column(column)
    for entry in list_protocols():
        table.add_row(entry.key, entry.kind, entry.name, entry.summary)
    console.print(table)


@protocol_app.command("show")
@friendly_errors
def protocol_show(
    name: Annotated[str, typer.Argument(help="A name from `toelab protocol list`, e.g. test:tremor.")],
    svg: Annotated[
        Path | None, typer.Option(help="Also write the camera diagram (.svg) to this file.")
    ] = None,
) -> None:
    """Show how to do a test or an exercise: set-up, steps, mistakes, what the result means."""
    from rich.markup import escape
    from rich.panel import Panel

    from toelab.protocols.guidance import sheets_for

    sheets = sheets_for(name)
    for sheet in sheets:
        body = [f"[italic]{escape(sheet.purpose)}[/]"]
        for section in sheet.sections:
            body.append(f"\n[bold]{escape(section.title)}[/]")
            body += [f"• {escape(line)}" for line in section.lines]
        if sheet.sources:
            body.append("\n[bold]Sources[/]")
            body += [f"• {escape(source)}" for source in sheet.sources]
        title = f"{sheet.name} ({sheet.kind}:{sheet.id})"
        console.print(Panel("\n".join(body), title=escape(title), title_align="left", expand=False))
    diagrams = [sheet.diagram_svg for sheet in sheets if sheet.diagram_svg]
    if svg is not None:
        if not diagrams:
            raise ToelabError(f"{name!r} needs no camera, so it has no diagram")
        try:
            svg.write_text(diagrams[0], encoding="utf-8")
        except OSError as exc:
            raise ToelabError(f"cannot write the diagram: {exc.strerror}", svg) from exc
        error_console.print(f"camera diagram written to {svg}", highlight=False, soft_wrap=True)
