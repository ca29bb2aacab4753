"""Beat lists: one time per line, the first numeric column.

Plain text or CSV, ``#`` comments, an optional header row, and madmom's ``.beats`` format
(``time<TAB>beat_number``) all read the same way.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from toelab.errors import ToelabError
from toelab.io._common import require_file, time_factor_s
from toelab.io._text import read_text

_SEPARATOR = re.compile(r"[,;\t ]+")


def read_beats(path: str | Path, *, time_unit: str = "s") -> np.ndarray:
    """Beat times in seconds, strictly increasing.

    One time per line (the first number of the line, so madmom ``.beats`` files with a beat
    number after the time read too); ``#`` starts a comment.

    Parameters
    ----------
    path : str or Path
        The text file of beat times.
    time_unit : {"s", "ms"}
        Unit of the times in the file.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` beat times in seconds.

    Raises
    ------
    ToelabError
        When a line is not a time, the file holds none, or the times do not increase.
    """
    path = require_file(path)
    factor_s = time_factor_s(time_unit, path)
    times: list[float] = []
    seen_data = False
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        first = _SEPARATOR.split(text.strip('"'), maxsplit=1)[0].strip('"')
        try:
            value = float(first)
        except ValueError:
            if seen_data:
                raise ToelabError(
                    f"line {number}: {first!r} is not a time", path, hint="one time per line, in seconds"
                ) from None
            seen_data = True  # a header row
            continue
        seen_data = True
        if not np.isfinite(value):
            raise ToelabError(f"line {number}: {first!r} is not a time", path)
        times.append(value * factor_s)
    if not times:
        raise ToelabError("holds no beat times", path, hint="one time per line, in seconds")
    beats = np.asarray(times)
    if np.any(np.diff(beats) <= 0):
        raise ToelabError(
            "beat times are not strictly increasing",
            path,
            hint="sort the times and remove repeats; --time-unit ms for milliseconds",
        )
    return beats
