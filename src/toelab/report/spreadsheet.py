"""Text that goes into a CSV meant for spreadsheets, made safe against formula injection.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken by
spreadsheet programs as a formula; a person's name or a file name chosen by someone else
could then run one when the file is opened. As OWASP's "CSV Injection" page recommends, such
text is prefixed with a single quote, which spreadsheets show as text (numbers are written as
numbers and never prefixed).
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """``text`` as a cell that a spreadsheet shows as text, never runs."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def plain_text(cell: str) -> str:
    """The text :func:`spreadsheet_text` was given (reading a CSV toelab wrote)."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell
