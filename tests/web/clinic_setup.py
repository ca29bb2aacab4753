"""A clinic's data folder for the browser tests: people and accounts made with the command
line, as an administrator would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

PASSWORD = "correct horse battery"


def clinic_env(home: Path, people: Sequence[str], users: Sequence[Sequence[str]]) -> dict[str, str]:
    """Add ``people`` and ``users`` (``toelab user add`` arguments, all with PASSWORD) to the
    store in ``home``; returns the environment ``toelab serve`` runs in."""
    env = {**os.environ, "TOELAB_HOME": str(home)}
    env.pop("TOELAB_DATABASE_URL", None)
    toelab = str(Path(sys.executable).with_name("toelab"))
    for name in people:
        subprocess.run([toelab, "person", "add", name], env=env, check=True, capture_output=True)
    for user in users:
        subprocess.run(
            [toelab, "user", "add", *user, "--password-stdin"],
            env=env,
            input=PASSWORD.encode(),
            check=True,
            capture_output=True,
        )
    return env
