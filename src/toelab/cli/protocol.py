"""``toelab protocol``: the tests and exercises with their instructions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from toelab.cli.app import app, console, error_console
from toelab.errors import ToelabError

protocol_app = typer.Typer(no_args_is_help=True, help="The tests and exercises, with instructions.")
app.add_typer(protocol_app, name="protocol")


@protocol_app.command("list")
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
