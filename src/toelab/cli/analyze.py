"""``toelab analyze`` and ``toelab batch``: measuring recordings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from toelab.cli.app import app, console, error_console
from toelab.cli.options import (
    BeatsOption,
    BpmOption,
    EventOption,
    FpsOption,
    OffsetOption,
    TaskOption,
    TimeUnitOption,
    ToesOption,
)
from toelab.errors import ToelabError
from toelab.landmarks import parse_mapping
from toelab.recording import Recording
from toelab.tasks import (
    TASKS,
    AnalysisOptions,
    BeatSource,
    check_options,
    get_task,
    json_safe,
    load_input,
    parse_toes,
    rows_for,
    run_task,
)
from toelab.tasks.series import write_series
from toelab.vocabulary import EVENTS, FEET, TASK_NAMES, TIME_UNITS, check_option


def _options(
    task: str,
    fps: float | None,
    time_unit: str,
    beats: BeatSource,
    toes: str,
    event: str,
    *,
    foot: str | None = None,
    **more: Any,
) -> AnalysisOptions:
    """The options analyze and batch share, checked in one place (AnalysisOptions).

    The words typed on the command line are checked against the vocabulary here (in the order
    AnalysisOptions checks them, so the first wrong option is the one named).
    """
    toe_numbers = parse_toes(toes)
    return AnalysisOptions(
        check_option(task, TASK_NAMES, "task"),
        fps=fps,
        time_unit=check_option(time_unit, TIME_UNITS, "--time-unit"),
        beats=beats,
        toes=toe_numbers,
        event=check_option(event, EVENTS, "--event"),
        foot=None if foot is None else check_option(foot, FEET, "--foot"),
        **more,
    )


def lift_events(recording: Recording) -> dict[str, list[float]]:
    """Peak times of every toe's detected lifts, keyed by landmark name (for overlays)."""
    from toelab.analysis.lifts import lifts_from_recording
    from toelab.landmarks import TOES, landmark_key

    events: dict[str, list[float]] = {}
    feet: list[str | None] = list(recording.feet()) or [None]
    for foot in feet:
        if not any(recording.find_landmark(toe, foot) for toe in TOES):
            continue
        for toe, detection in lifts_from_recording(recording, foot=foot).items():
            events[landmark_key(f"toe{toe}", foot)] = [float(t) for t in detection.peak_times_s]
    return events


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
    if results.get("left_vs_right"):
        console.print("Left vs right:", results["left_vs_right"])
    for warning in warnings:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False)


@app.command()
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
    series: Annotated[
        Path | None, typer.Option(help="Write the per-sample series behind the figures (.csv).")
    ] = None,
    static: Annotated[
        Path | None,
        typer.Option(help="Oxford Foot Model static trial (.c3d): adds the hallux-to-forefoot angle to rom."),
    ] = None,
    flat_forefoot: Annotated[
        bool, typer.Option("--flat-forefoot", help="OFM option: the forefoot is flat in the static trial.")
    ] = False,
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
    options = _options(
        task,
        fps,
        time_unit,
        BeatSource(bpm=bpm, offset_s=offset, beats_path=beats),
        toes,
        event,
        mapping=tuple(parse_mapping(mapping or []).items()),
        foot=foot,
        points=points,
        mm_per_px=mm_per_px,
        static=static,
        flat_forefoot=flat_forefoot,
    )
    check_options(options)  # before a long read
    tremor_context = _tremor_context(context, task, person)
    if person is not None:
        from toelab.store import open_store

        with open_store() as store:
            store.people.get(person)  # a misspelt name fails before a long analysis
    loaded = load_input(input_path, options, follow_floor=TASKS[options.task].reads_camera_motion)
    if overlay is not None and not loaded.is_video:
        raise ToelabError("--overlay needs a video as input", input_path)
    if save_tracks is not None:
        loaded.recording.save(save_tracks)
    try:
        outcome = run_task(loaded.recording, options, input_path=input_path)
    except ToelabError:
        # what the reader noticed often explains the failure (a time column in milliseconds)
        for warning in loaded.warnings:
            error_console.print(f"[yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
        raise
    if overlay is not None:
        from toelab.track.overlay import write_overlay

        write_overlay(input_path, loaded.recording, overlay, events=lift_events(loaded.recording))
    if series is not None:
        write_series(series, *get_task(task).series(outcome, loaded.recording))
    warnings = get_task(task).reader_warnings(loaded.warnings, loaded.recording, options) + outcome.warnings
    if as_json:
        payload = {"task": task, "input": str(input_path), "results": outcome.results, "warnings": warnings}
        typer.echo(json.dumps(json_safe(payload), indent=2, allow_nan=False))
    else:
        condition = tremor_context.condition if tremor_context is not None else None
        print_summary(task, outcome.results, warnings, f"{task} — {input_path.name}", condition=condition)
    if person is not None:
        from toelab.store import open_store
        from toelab.store.outcomes import store_analysis

        with open_store() as store:
            stored = store_analysis(store, person, outcome, loaded.recording, input_path=input_path)
            if tremor_context is not None:
                store.sessions.set_context(stored.session, tremor_context)
        error_console.print(f"stored as session {stored.session.id} of {person}", highlight=False)


def _tremor_context(items: list[str] | None, task: str, person: str | None) -> Any:
    """The ``--context`` answers as a TremorContext, or None when none were given."""
    if not items:
        return None
    from toelab.protocols.context import TremorContext

    if not get_task(task).uses_context:
        takers = " and ".join(t.name for t in TASKS.values() if t.uses_context)
        raise ToelabError(f"--context is for the {takers} task")
    if person is None:
        raise ToelabError("--context is kept with a person's records", hint="add --person NAME")
    return TremorContext.parse(items)


@app.command()
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

    from toelab.batch import FileResult, run_batch, write_summary
    from toelab.limits import work_limits
    from toelab.store import open_store

    beat_source = BeatSource(bpm=bpm, offset_s=offset, beats_path=beats)
    points = None if points_from == "auto" else Path(points_from)
    options = _options(task, fps, time_unit, beat_source, toes, event, points=points)
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
