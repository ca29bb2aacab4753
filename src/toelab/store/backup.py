"""Backup and restore: the database and the track files in one ``.tar.gz`` archive.

The database is copied with its own engine's tools, each of which reads one consistent
snapshot while toelab keeps running:

* SQLite: the online backup API (``sqlite3.Connection.backup``), which copies a live WAL
  database page by page as of one moment; restoring uses the same API in reverse, so the
  target file is replaced in one step.
* PostgreSQL: ``pg_dump --format=custom`` (one transaction snapshot) and ``pg_restore
  --clean --single-transaction``, so a restore that fails leaves the target as it was.
  The client tools come from ``/usr/lib/postgresql/*/bin`` (newest) or the ``PATH``.

An archive restores into the same kind of database it came from. The database is copied
before the track files are listed: a trial is committed only after its tracks file is on
disk, so every trial in the copy finds its file in the archive. The manifest lists the
SHA-256 of the database copy and of each track file; restore checks every one of them and
refuses a mismatch before anything is replaced. (Archives made before the database was hashed
restore with their track files checked.)

Archive layout: ``manifest.json``, ``database.sqlite`` or ``database.pgdump``, and
``tracks/<2 hex>/<sha256>.npz``.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, make_url

from toelab import __version__
from toelab.errors import ToelabError
from toelab.hashing import file_sha256
from toelab.paths import PRIVATE_FILE, private_file, private_folder, toelab_home
from toelab.store import engine as engines
from toelab.store.tracks import TRACKS_DIR

ARCHIVE_FORMAT = "toelab-backup"
ARCHIVE_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
_TRACK_NAME = re.compile(rf"{TRACKS_DIR}/[0-9a-f]{{2}}/[0-9a-f]{{64}}\.npz")
_PG_HINT = (
    "install the PostgreSQL client tools of the server's version "
    "(Debian/Ubuntu: apt-get install postgresql-client)"
)


@dataclass(frozen=True)
class BackupInfo:
    """What an archive holds (after a backup or a restore)."""

    path: Path
    engine: str  # sqlite or postgresql
    schema_revision: str | None
    tracks: int
    created_at: str


def _engine_name(url: URL) -> str:
    name = url.get_backend_name()
    if name not in DATABASE_MEMBERS:
        raise ToelabError(f"backup and restore work with SQLite and PostgreSQL, not {name}")
    return name


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise ToelabError("an in-memory database cannot be backed up or restored")
    return Path(url.database).expanduser()


def _schema_revision(url: str) -> str | None:
    engine = engines.make_engine(url)
    try:
        with engines.connect(engine) as connection:
            return engines.current_revision(connection)
    finally:
        engine.dispose()


def _has_data(url: str) -> bool:
    """True when any table other than the schema version holds a row."""
    engine = engines.make_engine(url)
    try:
        with engines.connect(engine) as connection:
            for table in inspect(connection).get_table_names():
                if table == "alembic_version":
                    continue
                quoted = connection.dialect.identifier_preparer.quote(table)
                if connection.execute(text(f"SELECT 1 FROM {quoted} LIMIT 1")).first() is not None:
                    return True
    finally:
        engine.dispose()
    return False


# -- the PostgreSQL client tools -----------------------------------------------------------
def pg_tool(name: str) -> str:
    """The newest ``pg_dump``/``pg_restore`` installed, or a ToelabError saying how to get one."""

    def version(path: str) -> tuple[int, ...]:
        return tuple(int(p) for p in Path(path).parent.parent.name.split(".") if p.isdigit())

    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=version)
    path = found[-1] if found else shutil.which(name)
    if path is None:
        raise ToelabError(f"PostgreSQL's {name} was not found", hint=_PG_HINT)
    return path


def _pg_environment(url: URL) -> dict[str, str]:
    """libpq settings from the URL, handed over in the environment so no password shows in ``ps``."""
    query = url.query
    settings = {
        "PGHOST": query.get("host") or url.host,
        "PGPORT": query.get("port") or (None if url.port is None else str(url.port)),
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
    }
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    environment.update({k: str(v) for k, v in settings.items() if v})
    return environment


def _run_pg(arguments: list[str], url: URL) -> None:
    try:
        done = subprocess.run(arguments, env=_pg_environment(url), capture_output=True, text=True)
    except OSError as exc:
        raise ToelabError(f"cannot run {arguments[0]}: {exc}", hint=_PG_HINT) from exc
    if done.returncode:
        tool = Path(arguments[0]).name
        raise ToelabError(f"{tool} failed: {done.stderr.strip() or done.stdout.strip()}")


# -- backup ----------------------------------------------------------------------------
def _private_opener(path: str, flags: int) -> int:
    handle = os.open(path, flags, PRIVATE_FILE)
    os.fchmod(handle, PRIVATE_FILE)
    return handle


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a live database, through SQLite's online backup API."""
    if not source.exists():
        raise ToelabError("the database file does not exist", source)
    with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
        live.backup(copy)
        # a single self-contained file in the archive
        copy.execute("PRAGMA journal_mode=DELETE")
    live.close()
    copy.close()


def _track_files(home: Path) -> dict[str, Path]:
    folder = home / TRACKS_DIR
    found = {}
    for path in sorted(folder.glob("*/*.npz")) if folder.is_dir() else []:
        name = path.relative_to(home).as_posix()
        if _TRACK_NAME.fullmatch(name):  # leaves out files still being written (``.partial-…``)
            found[name] = path
    return found


def backup_to(out: str | Path, *, url: str | None = None, home: Path | None = None) -> BackupInfo:
    """Write the database (``url``, default as toelab finds it) and ``home``'s track files to ``out``."""
    out = Path(out)
    home = home or toelab_home()
    parsed = make_url(engines.database_url(url))
    engine = _engine_name(parsed)
    rendered = parsed.render_as_string(hide_password=False)
    revision = _schema_revision(rendered)
    created_at = datetime.now(UTC).isoformat()
    with tempfile.TemporaryDirectory(prefix="toelab-backup-") as scratch:
        database = Path(scratch) / DATABASE_MEMBERS[engine]
        if engine == "sqlite":
            _copy_sqlite(_sqlite_path(parsed), database)
        else:
            _run_pg(
                [
                    pg_tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(database),
                ],
                parsed,
            )
        # listed after the database copy: every trial in the copy has its file by now
        tracks = _track_files(home)
        manifest: dict[str, Any] = {
            "format": ARCHIVE_FORMAT,
            "version": ARCHIVE_VERSION,
            "engine": engine,
            "database": database.name,
            "schema_revision": revision,
            "created_at": created_at,
            "toelab_version": __version__,
            "database_sha256": file_sha256(database),
            "tracks": {name: file_sha256(path) for name, path in tracks.items()},
        }
        manifest_path = Path(scratch) / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=1))
        partial = out.with_name(f".{out.name}.partial")
        try:
            # the archive holds everyone's records: its owner's alone, like the database
            with (
                open(partial, "wb", opener=_private_opener) as raw,
                tarfile.open(fileobj=raw, mode="w:gz") as archive,
            ):
                archive.add(manifest_path, MANIFEST)
                archive.add(database, database.name)
                for name, path in tracks.items():
                    archive.add(path, name)
            os.replace(partial, out)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise ToelabError(f"cannot write the backup: {exc.strerror or exc}", out) from exc
    return BackupInfo(out, engine, revision, len(tracks), created_at)


# -- restore ---------------------------------------------------------------------------
def _read_manifest(archive: tarfile.TarFile, path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(_member_bytes(archive, MANIFEST, path))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ToelabError(f"damaged backup manifest: {exc}", path) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != ARCHIVE_FORMAT:
        raise ToelabError("is not a toelab backup", path, hint="pass an archive made by `toelab backup`")
    if manifest.get("version") != ARCHIVE_VERSION:
        raise ToelabError(f"backup format version {manifest.get('version')} is not known here", path)
    tracks = manifest.get("tracks")
    if (
        manifest.get("engine") not in DATABASE_MEMBERS
        or manifest.get("database") != DATABASE_MEMBERS.get(str(manifest.get("engine")))
        or not isinstance(tracks, dict)
        or not all(_TRACK_NAME.fullmatch(str(name)) for name in tracks)
    ):
        raise ToelabError("damaged backup manifest", path)
    return manifest


def _member(archive: tarfile.TarFile, name: str, path: Path) -> IO[bytes]:
    """One regular file of the archive, by its exact name (nothing else is ever extracted)."""
    try:
        member = archive.getmember(name)
        handle = archive.extractfile(member) if member.isfile() else None
    except KeyError:
        handle = None
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise ToelabError(f"damaged backup archive: {exc}", path) from exc
    if handle is None:
        raise ToelabError(f"the backup lacks {name}", path)
    return handle


def _member_bytes(archive: tarfile.TarFile, name: str, path: Path) -> bytes:
    try:
        return _member(archive, name, path).read()
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise ToelabError(f"damaged backup archive: {exc}", path) from exc


def _extract(archive: tarfile.TarFile, name: str, target: Path, path: Path) -> str:
    """Copy a member to ``target`` (complete under that name, or not at all); returns its SHA-256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".partial-", dir=target.parent)
    digest = hashlib.sha256()
    try:
        source = _member(archive, name, path)
        with os.fdopen(handle, "wb") as written:
            while chunk := source.read(1 << 20):
                digest.update(chunk)
                written.write(chunk)
            written.flush()
            os.fsync(written.fileno())
        os.replace(temporary, target)
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ToelabError(f"damaged backup archive: {exc}", path) from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return digest.hexdigest()


def _restore_tracks(archive: tarfile.TarFile, manifest: dict[str, Any], home: Path, path: Path) -> None:
    for name, sha256 in manifest["tracks"].items():
        target = home / name
        if target.exists() and file_sha256(target) == sha256:
            continue
        if _extract(archive, name, target, path) != sha256:
            target.unlink()
            raise ToelabError(f"track file {name} in the backup is damaged (its hash does not match)", path)


def _restore_sqlite(database: Path, target: Path) -> None:
    with sqlite3.connect(database) as copy:
        if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise ToelabError("the database in the backup is damaged")
    copy.close()
    private_file(private_folder(target.parent) / target.name)
    # the backup API in reverse: the target's pages are replaced in one transaction
    with sqlite3.connect(database) as copy, sqlite3.connect(target, timeout=30) as live:
        copy.backup(live)
    copy.close()
    live.close()


def restore_from(
    archive_path: str | Path, *, url: str | None = None, home: Path | None = None, force: bool = False
) -> BackupInfo:
    """Put back the database and track files of a backup; a database holding data is replaced
    only with ``force``. Track files are added beside any already there."""
    path = Path(archive_path)
    home = home or toelab_home()
    parsed = make_url(engines.database_url(url))
    engine = _engine_name(parsed)
    rendered = parsed.render_as_string(hide_password=False)
    if not path.is_file():
        raise ToelabError("backup archive not found", path)
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 - opened here to turn its errors into ours
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise ToelabError(f"is not a readable .tar.gz archive: {exc}", path) from exc
    with archive:
        manifest = _read_manifest(archive, path)
        if manifest["engine"] != engine:
            raise ToelabError(
                f"this backup holds a {manifest['engine']} database and the target is {engine}",
                path,
                hint="restore it into the same kind of database (set TOELAB_DATABASE_URL)",
            )
        target_exists = engine == "postgresql" or _sqlite_path(parsed).exists()
        if target_exists and not force and _has_data(rendered):
            raise ToelabError(
                "the database already holds data", hint="pass --force to replace it with the backup"
            )
        with tempfile.TemporaryDirectory(prefix="toelab-restore-") as scratch:
            copy = Path(scratch) / manifest["database"]
            database_sha256 = _extract(archive, manifest["database"], copy, path)
            if manifest.get("database_sha256", database_sha256) != database_sha256:
                raise ToelabError(
                    "the database in the backup is damaged (its hash does not match)",
                    path,
                    hint="restore an older backup",
                )
            # the files first: a restored trial must never point at a missing file
            _restore_tracks(archive, manifest, home, path)
            if engine == "sqlite":
                _restore_sqlite(copy, _sqlite_path(parsed))
            else:
                _run_pg(
                    [
                        pg_tool("pg_restore"),
                        "--clean",
                        "--if-exists",
                        "--no-owner",
                        "--no-privileges",
                        "--single-transaction",
                        "--exit-on-error",
                        "--dbname",
                        parsed.database or "",
                        str(copy),
                    ],
                    parsed,
                )
    return BackupInfo(
        path, engine, manifest["schema_revision"], len(manifest["tracks"]), manifest["created_at"]
    )
