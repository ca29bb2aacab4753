"""Command-line options that several commands share."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from toelab.vocabulary import TASK_NAMES

TaskOption = Annotated[str, typer.Option(help=f"One of: {', '.join(TASK_NAMES)}.")]
FpsOption = Annotated[float | None, typer.Option(help="Frame rate of frame-indexed inputs.")]
BpmOption = Annotated[float | None, typer.Option(help="Metronome tempo for the rhythm task.")]
OffsetOption = Annotated[float, typer.Option(help="Time of the first beat in seconds.")]
BeatsOption = Annotated[Path | None, typer.Option(help="File of beat times (one per line).")]
ToesOption = Annotated[str, typer.Option(help="Toes that lift to the beat: 1 or 2-5.")]
EventOption = Annotated[str, typer.Option(help="Lift time: peak (top of the lift) or onset.")]
TimeUnitOption = Annotated[str, typer.Option(help="Unit of a CSV time column: s or ms.")]
PersonArgument = Annotated[str, typer.Argument(help="Person's display name.")]
