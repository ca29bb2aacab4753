"""Reading delimited text the way spreadsheets and phone apps write it."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np

from toelab.errors import ToelabError
from toelab.io._common import read_bytes

DELIMITERS = (",", ";", "\t")
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d*,\d+(?:[eE][-+]?\d+)?\s*$")


def read_text(path: Path) -> str:
    """The file's text (UTF-8, with or without BOM; else Latin-1); a ToelabError for binary data."""
    data = read_bytes(path)
    if b"\x00" in data[:65536]:
        raise ToelabError("is a binary file, not text", path, hint="check that this is the exported CSV")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def content_lines(text: str) -> list[str]:
    """Lines without blank ones and without ``#`` comments."""
    return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def sniff_delimiter(header: str) -> str:
    """The delimiter of a header line: whichever of comma, semicolon, tab is most frequent outside quotes."""
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def split_rows(lines: list[str], delimiter: str) -> list[list[str]]:
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(lines, delimiter=delimiter)]
    except csv.Error as exc:
        raise ToelabError(f"malformed CSV: {exc}") from exc


def to_float(cell: str, decimal_comma: bool) -> float | None:
    """A cell's number (empty or ``nan`` -> NaN), or None when the cell is not a number."""
    text = cell.strip().strip('"')
    if not text:
        return float("nan")
    if decimal_comma and _DECIMAL_COMMA.match(text):
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def uses_decimal_comma(rows: list[list[str]], delimiter: str) -> bool:
    """True when a semicolon/tab file writes numbers like ``0,25`` (phyphox's decimal-comma export)."""
    if delimiter == ",":
        return False
    return any(_DECIMAL_COMMA.match(cell) for row in rows[:50] for cell in row)


def column_values(cells: list[str], decimal_comma: bool) -> tuple[np.ndarray, int | None]:
    """A column's numbers and the index of the first cell that is not a number (None when all are)."""
    if not decimal_comma:
        try:
            return np.array([c if c else "nan" for c in cells], dtype=float), None
        except ValueError:
            pass
    values = np.empty(len(cells))
    bad: int | None = None
    for i, cell in enumerate(cells):
        number = to_float(cell, decimal_comma)
        if number is None:
            bad = i if bad is None else bad
            number = float("nan")
        values[i] = number
    return values, bad
