"""Where toelab keeps its data: ``$TOELAB_HOME``, or the platform's user data folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def toelab_home() -> Path:
    """The data folder (created when missing)."""
    home = Path(os.environ.get("TOELAB_HOME") or platformdirs.user_data_dir("toelab"))
    home.mkdir(parents=True, exist_ok=True)
    return home
