"""``toelab points``: the points file ``toelab analyze --points`` takes, proposed on a video's
first frame (or a photo), checked and fixed by hand on a small local page with ``--edit``.

Points that toelab is not sure of are never written without the person's say: without
``--edit`` the file is written only when the proposal is confident.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from toelab.cli.app import app, console, error_console
from toelab.errors import ToelabError
from toelab.vocabulary import VIEWS

NOT_CONFIDENT_EXIT = 2


def _points_json(feet: list[Any]) -> object:
    """What ``--points`` takes: one foot object, or a list for two feet; None for none."""
    if not feet:
        return None
    body = [foot.to_json() for foot in feet]
    return body[0] if len(body) == 1 else body


def _answer(confident: bool, confidence: float, feet: list[Any], message: str) -> str:
    """The one JSON object ``--json`` prints."""
    return json.dumps(
        {
            "confident": confident,
            "confidence": round(confidence, 3),
            "points": _points_json(feet),
            "message": message,
        }
    )


def _write(path: Path, feet: list[Any]) -> None:
    try:
        path.write_text(json.dumps(_points_json(feet), indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        raise ToelabError(f"could not write the points file: {error.strerror}", path) from error


def _describe(feet: list[Any]) -> str:
    lines = []
    for foot in feet:
        where = ", ".join(f"{name} ({x:.0f}, {y:.0f})" for name, (x, y) in foot.points.items())
        lines.append(f"  {foot.foot} foot, {foot.view} view: {where}")
    return "\n".join(lines)


@app.command("points")
def points_command(
    source: Annotated[Path, typer.Argument(help="A video (its first frame is used) or a photo (JPEG, PNG).")],
    view: Annotated[str, typer.Option(help=f"Camera view: {' or '.join(VIEWS)}.")] = "front",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write the points file that 'toelab analyze --points' takes."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    edit: Annotated[
        bool, typer.Option("--edit", help="Check and fix the points on a local web page, then save.")
    ] = False,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="With --edit: print the page's address, do not open it.")
    ] = False,
) -> None:
    """Propose the toe points on the first frame; say plainly when toelab is not sure.

    Exit status 0 when the points are confident (or saved after --edit), 2 when toelab is not
    sure of them or the input is bad.
    """
    if view not in VIEWS:
        raise ToelabError(f"--view must be {' or '.join(VIEWS)}, not {view!r}")
    if no_browser and not edit:
        raise ToelabError("--no-browser goes with --edit")
    # imported here: OpenCV and SciPy are only needed once the command runs
    from toelab.io.still import read_still
    from toelab.track.points import propose_points

    try:
        frame = read_still(source)
    except ToelabError as error:
        if as_json:
            # a script reading stdout gets the same object, not nothing; the error goes to stderr too
            typer.echo(_answer(False, 0.0, [], str(error)))
        raise
    proposal = propose_points(frame, view)
    confident = proposal.ok
    feet = list(proposal.points) if confident else []
    message = proposal.message
    saved: Path | None = None
    if edit:
        from toelab.web.points_editor import edit_points

        saved = out or source.with_name(f"{source.stem}.points.json")

        def announce(url: str) -> None:
            error_console.print(f"Check the points on this page, then press Save: {url}", soft_wrap=True)

        feet = edit_points(frame, proposal, view, saved, open_browser=not no_browser, announce=announce)
        message = f"points checked by hand and saved to {saved}"
    elif out is not None and confident:
        _write(out, feet)
        saved = out
    elif out is not None:
        message = f"{message}; nothing was written to {out} (check the points by hand with --edit)"
    if as_json:
        typer.echo(_answer(confident, float(proposal.confidence), feet, message))
    elif confident or saved is not None:
        console.print(f"{message} (confidence {proposal.confidence:.2f})", highlight=False, soft_wrap=True)
        console.print(_describe(feet), highlight=False)
        if saved is not None:
            console.print(f"saved to {saved}", highlight=False, soft_wrap=True)
    else:
        console.print(
            f"not sure of the points (confidence {proposal.confidence:.2f}): {message}\n"
            f"mark them by hand: toelab points {source} --edit --out FILE",
            highlight=False,
            soft_wrap=True,
        )
    if not (confident or saved is not None):
        raise typer.Exit(NOT_CONFIDENT_EXIT)
