"""``toelab demo``: sample recordings of every test, their figures, and a sample person's report
(made by :mod:`toelab.cli.samples`, loaded when the command runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from toelab.cli.analyze import print_summary
from toelab.cli.app import app, console


@app.command()
def demo(
    out: Annotated[
        Path | None, typer.Option(help="Folder for the sample files (default: the toelab data folder).")
    ] = None,
) -> None:
    """Generate sample recordings, run every analysis on them and print what they show."""
    from toelab.cli.samples import run_demo

    run_demo(out, print_summary=print_summary, console=console)
