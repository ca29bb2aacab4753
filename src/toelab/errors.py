"""The one error type toelab raises for bad input.

Every reader and every analysis turns a problem with the user's data into a
``ToelabError`` that names the file (when there is one), what is wrong, and what
to do about it. The CLI prints it on one line and exits with status 2.
"""

from __future__ import annotations

from pathlib import Path


class ToelabError(Exception):
    """A problem with the user's input that toelab can explain."""

    def __init__(self, message: str, path: str | Path | None = None, hint: str | None = None):
        self.path = None if path is None else str(path)
        self.message = message
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}" if self.path else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text
