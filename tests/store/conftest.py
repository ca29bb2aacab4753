"""Fixtures: every store test runs on SQLite and on a real PostgreSQL server started here."""

from __future__ import annotations

import getpass
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import psycopg
import pytest

from toelab.recording import Recording, RecordingMeta
from toelab.store import Store, open_store, upgrade

PG_MISSING = (
    "PostgreSQL's {name} was not found in /usr/lib/postgresql/*/bin or on PATH; the store tests need a "
    "real PostgreSQL server (Debian/Ubuntu: apt-get install postgresql)"
)


def _pg_binary(name: str) -> str:
    def version(path: str) -> tuple[int, ...]:
        number = Path(path).parent.parent.name
        return tuple(int(p) for p in number.split(".") if p.isdigit())

    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=version)
    path = found[-1] if found else shutil.which(name)
    if path is None:
        pytest.fail(PG_MISSING.format(name=name), pytrace=False)
    return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[str]:
    """A throwaway PostgreSQL server on a unix socket; yields the URL of its ``postgres`` database."""
    initdb, pg_ctl = _pg_binary("initdb"), _pg_binary("pg_ctl")
    root = Path(tempfile.mkdtemp(prefix="toelab-pg-"))
    run_as: list[str] = []
    user = getpass.getuser()
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root: run it as the postgres user, which owns the folder
        try:
            shutil.chown(root, "postgres", "postgres")
        except LookupError:
            pytest.fail("running as root, but there is no postgres user to run PostgreSQL as", pytrace=False)
        run_as, user = ["runuser", "-u", "postgres", "--"], "postgres"
    data, port = root / "data", _free_port()
    options = f"-k {root} -p {port} -c listen_addresses='' -c fsync=off"

    def run(*args: str | Path) -> None:
        done = subprocess.run([*run_as, *map(str, args)], capture_output=True, text=True)
        if done.returncode:
            pytest.fail(f"{Path(str(args[0])).name} failed:\n{done.stdout}\n{done.stderr}", pytrace=False)

    run(initdb, "-D", data, "-A", "trust", "-U", user, "-E", "UTF8", "--no-sync")
    run(pg_ctl, "-D", data, "-l", root / "server.log", "-w", "-t", "60", "-o", options, "start")
    try:
        yield f"postgresql+psycopg://{user}@/postgres?host={root}&port={port}"
    finally:
        run(pg_ctl, "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


_numbers = itertools.count()


def _admin(server_url: str) -> str:
    return server_url.replace("postgresql+psycopg://", "postgresql://")


def _database_url(server_url: str, name: str) -> str:
    return server_url.replace("/postgres?", f"/{name}?")


def _create_database(server_url: str, template: str = "template1") -> str:
    """A new database copied from ``template``; returns its name."""
    name = f"toelab_test_{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(_admin(server_url), autocommit=True) as connection:
        # copying the files is several times faster than the default WAL strategy of PostgreSQL 15+
        strategy = " STRATEGY FILE_COPY" if connection.info.server_version >= 150000 else ""
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"{strategy}')
    return name


def _drop_database(server_url: str, name: str) -> None:
    with psycopg.connect(_admin(server_url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgresql_schema_database(postgresql_server: str) -> str:
    """One database at the newest schema, shared by the tests and emptied after each."""
    url = _database_url(postgresql_server, _create_database(postgresql_server))
    upgrade(url)
    return url


@pytest.fixture
def postgresql_url(postgresql_server: str) -> Iterator[str]:
    """A fresh, empty database on the test server."""
    name = _create_database(postgresql_server)
    yield _database_url(postgresql_server, name)
    _drop_database(postgresql_server, name)


@pytest.fixture
def postgresql_schema_url(postgresql_schema_database: str) -> Iterator[str]:
    """A database at the newest schema, empty at the start of the test."""
    yield postgresql_schema_database
    plain = _admin(postgresql_schema_database)
    with psycopg.connect(plain, autocommit=True) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables "
                "WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
            )
        ]
        connection.execute("SET lock_timeout = '10s'")
        connection.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database, on each engine."""
    if request.param == "sqlite":
        (tmp_path / "db").mkdir()
        return f"sqlite:///{tmp_path / 'db' / 'toelab.db'}"
    return request.getfixturevalue("postgresql_url")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a database ready for toelab, on each engine."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db' / 'toelab.db'}"
    return request.getfixturevalue("postgresql_schema_url")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data folder; ``TOELAB_HOME`` points at it so nothing lands in the user's folder."""
    folder = tmp_path / "home"
    monkeypatch.setenv("TOELAB_HOME", str(folder))
    monkeypatch.delenv("TOELAB_DATABASE_URL", raising=False)
    return folder


@pytest.fixture
def store(database_url: str, home: Path) -> Iterator[Store]:
    with open_store(database_url, home=home) as opened:
        yield opened


def make_recording(seed: int, n: int = 120) -> Recording:
    """A small two-toe recording whose content depends on ``seed``."""
    rng = np.random.default_rng(seed)
    time_s = np.arange(n) / 30.0
    landmarks = {f"right_toe{t}": rng.normal(100.0, 2.0, (n, 2)) for t in (1, 2)}
    return Recording(time_s, landmarks, meta=RecordingMeta(fps=30.0, foot="right", source="synthetic"))


@pytest.fixture
def recording_of() -> Callable[..., Recording]:
    return make_recording
