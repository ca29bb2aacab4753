"""Health data on disk is its owner's alone: the data folder, the database, track files,
session files and backups are created 0700 (folders) and 0600 (files), whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from toelab.paths import toelab_home
from toelab.recording import Recording, RecordingMeta
from toelab.store import open_store
from toelab.store.backup import backup_to
from toelab.web.sessions import save_session


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0o022)  # what most systems give a user: files 0644, readable by everyone
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_toelab_creates_its_files_for_their_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, open_umask: None
) -> None:
    home = tmp_path / "data" / "toelab"
    monkeypatch.setenv("TOELAB_HOME", str(home))
    monkeypatch.delenv("TOELAB_DATABASE_URL", raising=False)
    assert toelab_home() == home
    recording = Recording(
        np.arange(30) / 30.0, {"right_toe1": np.ones((30, 2))}, meta=RecordingMeta(fps=30.0)
    )
    with open_store(home=home) as store:
        store.people.add("Ann")
        session = store.sessions.start("Ann", "assessment")
        trial = store.sessions.add_trial(session, "isolation", "right", [1], {}, recording, {"x": 1.0})
    session_file = save_session(home / "sessions", {"task": "logged", "exercise_id": "towel_scrunch"})
    archive = backup_to(tmp_path / "backup.tar.gz").path
    track = home / trial.tracks_path
    folders = [home, home.parent, home / "sessions", track.parent, track.parent.parent]
    files = [home / "toelab.db", track, home / "sessions" / f"{session_file['id']}.json", archive]
    assert {str(f): oct(mode(f)) for f in folders} == {str(f): "0o700" for f in folders}
    assert {str(f): oct(mode(f)) for f in files} == {str(f): "0o600" for f in files}
    wal = home / "toelab.db-wal"
    assert not wal.exists() or mode(wal) == 0o600
