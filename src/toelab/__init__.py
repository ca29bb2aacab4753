"""toelab: assess, train and track toe function.

``toelab.read(path)`` reads any supported file (CSV, DeepLabCut, SLEAP, OpenPose, C3D, toelab
``.npz``) into a :class:`Recording`; ``toelab.load(path)`` also tracks a video's toes. Run a
test on it with :func:`toelab.tasks.run_task`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from toelab.errors import ToelabError
from toelab.recording import Recording

__all__ = ["Recording", "ToelabError", "__version__", "load", "read"]
__version__ = "0.1.0"


def read(path: str | Path, **options: Any) -> Recording:
    """Read a landmark or sensor file (or an OpenPose folder) into a Recording, by its content.

    ``options`` are those of :func:`toelab.io.read` (``fps``, ``time_unit``, ``mapping``, ``foot``).
    """
    from toelab.io import read as read_file

    return read_file(path, **options)


def load(path: str | Path, **options: Any) -> Recording:
    """Any input as a Recording: a file or folder as :func:`read` reads it, or a video with its
    toes tracked. ``options`` are those of :class:`toelab.tasks.AnalysisOptions` except ``task``
    (``points`` for a video's first-frame points, ``mm_per_px`` …)."""
    from toelab.tasks import AnalysisOptions, load_input

    # reading does not depend on the task; any task makes valid options
    return load_input(path, AnalysisOptions("isolation", **options)).recording
