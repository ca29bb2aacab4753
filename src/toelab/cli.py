"""The ``toelab`` command line: a thin layer over :mod:`toelab.pipeline`."""

from __future__ import annotations

import functools
import json
import math
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
from toelab.pipeline import TASKS, BeatSource, load_input, parse_toes, run_task, write_overlay_video

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


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def print_summary(task: str, results: dict[str, Any], warnings: list[str], title: str) -> None:
    """A readable table of a task's key figures and what they mean."""
    feet = results.get("feet") or {str(results.get("foot")): results}
    for foot, figures in feet.items():
        heading = title if foot in ("None", "none") else f"{title} — {foot} foot"
        table = Table(title=heading, title_justify="left", show_lines=False, expand=False)
        table.add_column("Figure", style="bold")
        table.add_column("Value", justify="right")
        table.add_column("What it means")
        for label, value, meaning in rows_for(task, figures):
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
    task: Annotated[str, typer.Option(help=f"One of: {', '.join(TASKS)}.")],
    fps: Annotated[float | None, typer.Option(help="Frame rate of frame-indexed inputs.")] = None,
    bpm: Annotated[float | None, typer.Option(help="Metronome tempo for the rhythm task.")] = None,
    offset: Annotated[float, typer.Option(help="Time of the first beat in seconds.")] = 0.0,
    beats: Annotated[Path | None, typer.Option(help="File of beat times (one per line).")] = None,
    toes: Annotated[str, typer.Option(help="Toes that lift to the beat: 1 or 2-5.")] = "1",
    event: Annotated[str, typer.Option(help="Lift time: peak (top of the lift) or onset.")] = "peak",
    time_unit: Annotated[str, typer.Option(help="Unit of a CSV time column: s or ms.")] = "s",
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
) -> None:
    """Measure one task on a recording and print the figures."""
    if task not in TASKS:
        raise ToelabError(f"unknown task {task!r}", hint=f"choose one of {', '.join(TASKS)}")
    if time_unit not in ("s", "ms"):
        raise ToelabError(f"--time-unit {time_unit!r} is not s or ms")
    if foot not in (None, "left", "right"):
        raise ToelabError(f"--foot {foot!r} is not left or right")
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
    outcome = run_task(
        loaded.recording,
        task,
        beats=BeatSource(bpm=bpm, offset_s=offset, beats_path=beats),
        toes=parse_toes(toes),
        event=event,
        input_path=input_path,
        time_unit=time_unit,
    )
    if overlay is not None:
        write_overlay_video(input_path, loaded.recording, overlay)
    warnings = loaded.warnings + outcome.warnings
    if as_json:
        payload = {"task": task, "input": str(input_path), "results": outcome.results, "warnings": warnings}
        typer.echo(json.dumps(_json_safe(payload), indent=2, allow_nan=False))
    else:
        print_summary(task, outcome.results, warnings, f"{task} — {input_path.name}")


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
