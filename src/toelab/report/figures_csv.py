"""Every stored figure of a person as CSV: one row per figure, ready for a spreadsheet.

Values are written with Python's shortest exact float text, so reading the file back gives
the stored numbers bit for bit.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from toelab.errors import ToelabError
from toelab.report.spreadsheet import plain_text, spreadsheet_text
from toelab.store import Person, SessionHistory

COLUMNS = ("person", "session_id", "session_date", "kind", "task", "foot", "toe", "name", "value", "unit")


TEXT_COLUMNS = ("person", "kind", "task", "foot", "name", "unit")


def figure_rows(person: Person, sessions: Sequence[SessionHistory]) -> list[dict[str, Any]]:
    """One dict per figure; ``session_date`` is the session's start, ISO 8601 in UTC."""
    return [
        {
            "person": person.display_name,
            "session_id": history.session.id,
            "session_date": history.session.started_at.isoformat(),
            "kind": history.session.kind,
            "task": trial.task,
            "foot": figure.foot or "",
            "toe": "" if figure.toe is None else figure.toe,
            "name": figure.name,
            "value": repr(float(figure.value)),
            "unit": figure.unit,
        }
        for history in sessions
        for trial in history.trials
        for figure in trial.results
    ]


def figures_csv(person: Person, sessions: Sequence[SessionHistory]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    # names come from people: text that a spreadsheet would run as a formula is quoted
    for row in figure_rows(person, sessions):
        writer.writerow({k: spreadsheet_text(v) if k in TEXT_COLUMNS else v for k, v in row.items()})
    return buffer.getvalue()


def read_figures_csv(text: str) -> list[dict[str, Any]]:
    """Rows of a figures CSV with numbers as numbers (``toe`` and ``foot`` None when empty)."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or tuple(reader.fieldnames) != COLUMNS:
        raise ToelabError("not a toelab figures CSV", hint=f"the header must be {','.join(COLUMNS)}")
    rows = []
    for line, row in enumerate(reader, start=2):
        try:
            rows.append(
                {
                    **row,
                    **{k: plain_text(row[k]) for k in TEXT_COLUMNS},
                    "session_id": int(row["session_id"]),
                    "toe": int(row["toe"]) if row["toe"] else None,
                    "foot": row["foot"] or None,
                    "value": float(row["value"]),
                }
            )
        except (TypeError, ValueError) as exc:
            raise ToelabError(f"line {line} of the figures CSV is not valid: {exc}") from exc
    return rows
