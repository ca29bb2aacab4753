"""Where toelab keeps its data: ``$TOELAB_HOME``, or the platform's user data folder."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import platformdirs

# Health data: folders toelab makes are its user's alone (0700), and so are its files (0600),
# whatever the umask.
PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


def toelab_home() -> Path:
    """The data folder (created when missing, readable by its owner only)."""
    return private_folder(Path(os.environ.get("TOELAB_HOME") or platformdirs.user_data_dir("toelab")))


def private_folder(path: Path) -> Path:
    """``path`` as a folder; the folders toelab creates on the way, only their owner may enter."""
    missing = []
    folder = path
    while not folder.is_dir() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
        os.chmod(folder, PRIVATE_FOLDER)  # mkdir's mode is masked by the umask
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty, for its owner only, unless it exists (then it is left alone)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a new or existing file that only its owner may read."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.chmod(path, PRIVATE_FILE)
