"""Backup and restore of the database and the track files, on SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from store.conftest import _create_database, _database_url, _drop_database
from typer.testing import CliRunner

from toelab.cli import app
from toelab.errors import ToelabError
from toelab.recording import Recording, RecordingMeta
from toelab.store import Store, backup, open_store
from toelab.store.backup import backup_to, restore_from
from toelab.store.tracks import content_sha256

runner = CliRunner()


@pytest.fixture(params=["sqlite", "postgresql"])
def two_databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The URLs of two empty databases on one engine: where the data lives, where it goes back."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'live' / 'toelab.db'}", f"sqlite:///{tmp_path / 'new' / 'toelab.db'}"
        return
    server = request.getfixturevalue("postgresql_server")
    names = [_create_database(server), _create_database(server)]
    yield _database_url(server, names[0]), _database_url(server, names[1])
    for name in names:
        _drop_database(server, name)


def _recording(seed: int) -> Recording:
    rng = np.random.default_rng(seed)
    landmarks = {f"right_toe{t}": rng.normal(100.0, 2.0, (90, 2)) for t in (1, 2)}
    return Recording(np.arange(90) / 30.0, landmarks, meta=RecordingMeta(fps=30.0, foot="right"))


def _fill(store: Store, people: tuple[str, ...] = ("Ann", "Bo")) -> None:
    for k, name in enumerate(people):
        store.people.add(name, birth_year=1980 + k, dominant_foot="right", diabetes=k == 1)
        session = store.sessions.start(name, "assessment", fps=30.0, notes="first visit")
        for rep in range(3):
            figures = {"toe_control_score_pct": 50.0 + rep + k, "tremor_frequency_hz": 5.125 + rep}
            store.sessions.add_trial(
                session, "isolation", "right", [1, 2], {"rep": rep}, _recording(10 * k + rep), figures
            )
        store.sessions.finish(session)
        store.exercise_log.log(name, date(2026, 3, 2), "towel_scrunch", reps=10, pain=1, comment="ok")


def _everything(store: Store) -> tuple:
    people = store.people.all()
    return (
        people,
        [store.sessions.history(p.id) for p in people],
        [store.exercise_log.entries(p.id) for p in people],
    )


def _file_hashes(home: Path) -> dict[str, str]:
    return {
        path.relative_to(home).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((home / "tracks").rglob("*.npz"))
    }


def test_backup_and_restore_give_back_the_same_history_and_track_files(
    two_databases: tuple[str, str], tmp_path: Path
) -> None:
    live_url, new_url = two_databases
    with open_store(live_url, home=tmp_path / "live") as store:
        _fill(store)
        before = _everything(store)
    made = backup_to(tmp_path / "toelab.tar.gz", url=live_url, home=tmp_path / "live")
    assert made.tracks == 6 and made.schema_revision is not None

    restored = restore_from(made.path, url=new_url, home=tmp_path / "new")
    assert (restored.engine, restored.tracks) == (made.engine, 6)
    with open_store(new_url, home=tmp_path / "new") as store:
        assert _everything(store) == before
        trial = before[1][0][0].trials[0]
        assert content_sha256(store.sessions.load_recording(trial)) == trial.tracks_sha256
        # the restored database takes new work, with ids after the restored ones
        session = store.sessions.start("Ann", "training")
        assert session.id > max(h.session.id for histories in before[1] for h in histories)
    assert _file_hashes(tmp_path / "new") == _file_hashes(tmp_path / "live")


def test_restore_refuses_to_replace_data_unless_forced(
    two_databases: tuple[str, str], tmp_path: Path
) -> None:
    live_url, new_url = two_databases
    with open_store(live_url, home=tmp_path / "live") as store:
        _fill(store)
        before = _everything(store)
    archive = backup_to(tmp_path / "toelab.tar.gz", url=live_url, home=tmp_path / "live").path
    with open_store(new_url, home=tmp_path / "new") as store:
        _fill(store, ("Cy",))
        other = _everything(store)

    with pytest.raises(ToelabError, match="already holds data"):
        restore_from(archive, url=new_url, home=tmp_path / "new")
    with open_store(new_url, home=tmp_path / "new") as store:
        assert _everything(store) == other  # untouched

    restore_from(archive, url=new_url, home=tmp_path / "new", force=True)
    with open_store(new_url, home=tmp_path / "new") as store:
        assert _everything(store) == before


def test_restore_into_an_empty_new_schema_needs_no_force(
    two_databases: tuple[str, str], tmp_path: Path
) -> None:
    live_url, new_url = two_databases
    with open_store(live_url, home=tmp_path / "live") as store:
        _fill(store)
        before = _everything(store)
    archive = backup_to(tmp_path / "toelab.tar.gz", url=live_url, home=tmp_path / "live").path
    open_store(new_url, home=tmp_path / "new").close()  # tables, no rows
    restore_from(archive, url=new_url, home=tmp_path / "new")
    with open_store(new_url, home=tmp_path / "new") as store:
        assert _everything(store) == before


WRITER = """
import itertools, sys
from pathlib import Path
import numpy as np
from toelab.recording import Recording
from toelab.store import open_store

store = open_store(sys.argv[1], home=Path(sys.argv[2]))
session = store.sessions.start(store.people.add("Ann"), "training")
for rep in itertools.count():
    rng = np.random.default_rng(rep)
    recording = Recording(np.arange(300) / 60.0, {"right_toe1": rng.normal(0.0, 1.0, (300, 2))})
    store.sessions.add_trial(
        session, "exercise", "right", [1], {"rep": rep}, recording, {"figure": float(rep)}
    )
    print(rep, flush=True)
"""


def test_a_backup_taken_while_trials_are_being_written_is_consistent(tmp_path: Path) -> None:
    url, home = f"sqlite:///{tmp_path / 'live' / 'toelab.db'}", tmp_path / "live"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, url, str(home)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None
        while int(writer.stdout.readline()) < 5:
            pass
        archives = []
        for k in range(3):
            archives.append(backup_to(tmp_path / f"backup{k}.tar.gz", url=url, home=home).path)
            time.sleep(0.05)
    finally:
        writer.kill()
        writer.wait()
    counts = []
    for archive in archives:
        new_url, new_home = f"sqlite:///{archive.with_suffix('.db')}", archive.with_suffix(".home")
        restore_from(archive, url=new_url, home=new_home)
        with open_store(new_url, home=new_home) as store:
            with store.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            [history] = store.sessions.history("Ann")
            for rep, trial in enumerate(history.trials):
                assert trial.parameters == {"rep": rep} and trial.figure("figure") == rep
                assert content_sha256(store.sessions.load_recording(trial)) == trial.tracks_sha256
            counts.append(len(history.trials))
    assert counts[0] >= 5 and counts == sorted(counts)


def test_backup_and_restore_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOELAB_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TOELAB_DATABASE_URL", raising=False)
    with open_store() as store:
        _fill(store)
        before = _everything(store)
    archive = tmp_path / "toelab.tar.gz"
    done = runner.invoke(app, ["backup", str(archive)])
    assert done.exit_code == 0, done.output
    assert "6 track files" in done.output

    refused = runner.invoke(app, ["restore", str(archive)])
    assert refused.exit_code == 2 and "--force" in refused.output
    monkeypatch.setenv("TOELAB_HOME", str(tmp_path / "elsewhere"))
    done = runner.invoke(app, ["restore", str(archive)])
    assert done.exit_code == 0, done.output
    with open_store() as store:
        assert _everything(store) == before


def test_archives_that_are_not_toelab_backups_are_refused_with_a_reason(tmp_path: Path) -> None:
    url, home = f"sqlite:///{tmp_path / 'toelab.db'}", tmp_path / "home"
    plain = tmp_path / "plain.tar.gz"
    (tmp_path / "notes.txt").write_text("hello")
    with tarfile.open(plain, "w:gz") as archive:
        archive.add(tmp_path / "notes.txt", "notes.txt")
    with pytest.raises(ToelabError, match="lacks manifest.json"):
        restore_from(plain, url=url, home=home)
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"\x1f\x8b" + bytes(100))
    with pytest.raises(ToelabError):
        restore_from(garbage, url=url, home=home)


def test_a_damaged_track_file_in_the_archive_is_found(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'toelab.db'}", home=tmp_path / "live") as store:
        _fill(store, ("Ann",))
    made = backup_to(
        tmp_path / "toelab.tar.gz", url=f"sqlite:///{tmp_path / 'toelab.db'}", home=tmp_path / "live"
    )
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(made.path) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("tracks/") and member.name.endswith(".npz"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    with pytest.raises(ToelabError, match="damaged"):
        restore_from(damaged, url=f"sqlite:///{tmp_path / 'new.db'}", home=tmp_path / "new")


def test_without_pg_dump_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup.glob, "glob", lambda pattern: [])
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(ToelabError, match="pg_dump was not found.*postgresql-client"):
        backup.pg_tool("pg_dump")


def test_a_changed_figure_in_the_archived_database_is_refused(tmp_path: Path) -> None:
    import struct

    url = f"sqlite:///{tmp_path / 'toelab.db'}"
    with open_store(url, home=tmp_path / "live") as store:
        store.people.add("Ann")
        session = store.sessions.start("Ann", "assessment")
        figures = {"toe_control_score_pct": 82.156}
        store.sessions.add_trial(session, "isolation", "right", [1], {}, _recording(1), figures)
    made = backup_to(tmp_path / "toelab.tar.gz", url=url, home=tmp_path / "live")
    stored, changed = struct.pack(">d", 82.156), struct.pack(">d", 82.406)  # one byte apart
    assert sum(a != b for a, b in zip(stored, changed, strict=True)) == 1
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(made.path) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "database.sqlite":
                assert data.count(stored) == 1
                data = data.replace(stored, changed)
            target.addfile(member, io.BytesIO(data))
    new_url = f"sqlite:///{tmp_path / 'new' / 'toelab.db'}"
    with pytest.raises(ToelabError, match="database in the backup is damaged"):
        restore_from(damaged, url=new_url, home=tmp_path / "new")
    with open_store(new_url, home=tmp_path / "new") as store:
        assert store.people.all() == []  # nothing was put back
