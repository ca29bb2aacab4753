"""Which database, how to connect to it, and bringing its schema up to date with Alembic.

SQLite by default, at ``$TOELAB_HOME/toelab.db``; PostgreSQL (or any SQLAlchemy URL) when
``TOELAB_DATABASE_URL`` or the ``url`` argument names one, e.g.
``postgresql+psycopg://user@host/toelab``.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from toelab.errors import ToelabError
from toelab.paths import private_file, private_folder, toelab_home

DATABASE_URL_VARIABLE = "TOELAB_DATABASE_URL"
MIGRATIONS = Path(__file__).with_name("migrations")
_UPGRADE_LOCK = 0x70E1AB  # PostgreSQL advisory lock key held while migrating


def database_url(url: str | None = None, home: Path | None = None) -> str:
    """``url``, else ``$TOELAB_DATABASE_URL``, else SQLite in the data folder (``home``, by
    default toelab's)."""
    url = url or os.environ.get(DATABASE_URL_VARIABLE)
    return url or f"sqlite:///{(home or toelab_home()) / 'toelab.db'}"


_WAL_ATTEMPTS = 100


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    # wait for another process's write instead of failing at once (set first: the journal
    # mode switch below needs the lock too)
    cursor.execute("PRAGMA busy_timeout=10000")
    # WAL: readers do not block the writer, and a killed writer leaves a consistent file.
    # SQLite answers "locked" at once, without the busy wait, when two programs switch a new
    # file to WAL together: try again for a moment.
    for attempt in range(_WAL_ATTEMPTS):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == _WAL_ATTEMPTS - 1:
                raise
            time.sleep(0.05)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


# the databases toelab's migrations and atomic counters are written for
BACKENDS = ("sqlite", "postgresql")


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() not in BACKENDS:
            raise ToelabError(
                f"cannot use database URL {url!r}: toelab keeps records in SQLite or PostgreSQL",
                hint="e.g. sqlite:///path/to/toelab.db or postgresql+psycopg://user@host/toelab",
            )
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                database = Path(parsed.database).expanduser()
                private_file(private_folder(database.parent) / database.name)  # SQLite's -wal follows
            engine = create_engine(parsed)
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        return create_engine(parsed, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise ToelabError(
            f"cannot use database URL {url!r}: {exc}",
            hint="e.g. sqlite:///path/to/toelab.db or postgresql+psycopg://user@host/toelab",
        ) from exc


def connect(engine: Engine) -> Connection:
    """A connection, with a connection failure turned into a ToelabError."""
    try:
        return engine.connect()
    except OperationalError as exc:
        raise ToelabError(
            f"cannot connect to the database: {exc.orig}",
            hint=f"check {DATABASE_URL_VARIABLE} and that the database server is running",
        ) from exc


def _alembic_config(connection: Connection | None = None) -> Config:
    # set in code, so no alembic.ini is needed anywhere
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def has_tables(connection: Connection) -> bool:
    return bool(inspect(connection).get_table_names())


def upgrade_engine(engine: Engine, revision: str = "head") -> str:
    with connect(engine) as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # a migration that rebuilds a table must not cascade deletes into its children
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            # Python's sqlite3 runs DDL outside any transaction unless one is open: open one, so
            # a failed upgrade leaves the schema as it was
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif connection.dialect.name == "postgresql":
            # two programs opening a new database at once: the second waits, then finds it done
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_UPGRADE_LOCK})")
        try:
            command.upgrade(_alembic_config(connection), revision)
            connection.commit()
        finally:
            if sqlite:
                connection.rollback()
                # the connection goes back to the pool: foreign keys on again, whatever happened
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise ToelabError(f"the upgrade left {len(broken)} rows pointing at missing rows")
        now = current_revision(connection)
    assert now is not None
    return now


def upgrade(url: str | None = None, revision: str = "head") -> str:
    """Apply the migrations up to ``revision`` (default: the newest); returns the revision reached."""
    engine = make_engine(database_url(url))
    try:
        return upgrade_engine(engine, revision)
    finally:
        engine.dispose()
