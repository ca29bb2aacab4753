"""Raw tracks beside the database: one compressed file per recording, named by its content.

The name is the SHA-256 of the recording's content (timestamps, every track and signal, and
the metadata), not of the file's bytes, which carry the time of writing: the same recording
saved twice lands in the same file. Files are written to a temporary name and moved into
place, so a file under its final name is always complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path, PurePosixPath

import numpy as np

from toelab.paths import private_folder
from toelab.recording import Recording

TRACKS_DIR = "tracks"


def content_sha256(recording: Recording) -> str:
    digest = hashlib.sha256()

    def add(name: str, values: np.ndarray) -> None:
        values = np.ascontiguousarray(values)
        digest.update(f"{name}|{values.dtype.str}|{values.shape}|".encode())
        digest.update(values.tobytes())

    add("time_s", recording.time_s)
    for group, arrays in (
        ("landmark", recording.landmarks),
        ("confidence", recording.confidence),
        ("signal", recording.signals),
    ):
        for name in sorted(arrays):
            add(f"{group}/{name}", arrays[name])
    digest.update(json.dumps(asdict(recording.meta), sort_keys=True, default=str).encode())
    return digest.hexdigest()


def relative_path(sha256: str) -> str:
    """Where a recording lives under the data folder, with forward slashes on every system."""
    return str(PurePosixPath(TRACKS_DIR, sha256[:2], f"{sha256}.npz"))


def save_tracks(recording: Recording, home: Path) -> tuple[str, str]:
    """Save ``recording`` under ``home`` (once per content); returns its hash and relative path."""
    sha256 = content_sha256(recording)
    relative = relative_path(sha256)
    target = home / relative
    if target.exists():
        return sha256, relative
    private_folder(target.parent)
    handle, temporary = tempfile.mkstemp(prefix=".partial-", suffix=".npz", dir=target.parent)  # 0600
    os.close(handle)
    try:
        recording.save(temporary)
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return sha256, relative
