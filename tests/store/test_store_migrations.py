"""Creating, upgrading and finding the database."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from pathlib import Path
from unittest import mock

import pytest
from sqlalchemy import create_engine, inspect, text

from toelab.errors import ToelabError
from toelab.store import database_url, head_revision, open_store, upgrade


def _fill_at_first_revision(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        when = datetime(2026, 2, 1, 8, 30)
        stamp = when.replace(tzinfo=UTC) if connection.dialect.name == "postgresql" else when
        connection.execute(
            text(
                "INSERT INTO people (display_name, birth_year, dominant_foot, diabetes, notes, created_at) "
                "VALUES ('Ann', 1970, 'right', false, 'runner', :t)"
            ),
            {"t": stamp},
        )
        connection.execute(
            text(
                "INSERT INTO sessions (person_id, kind, started_at, ended_at, device, fps, notes, status) "
                "SELECT id, 'assessment', :t, :t, 'phone', 60.0, '', 'complete' FROM people"
            ),
            {"t": stamp},
        )
        connection.execute(
            text(
                "INSERT INTO trials (session_id, task, foot, toes, parameters, created_at) "
                "SELECT id, 'rom', 'right', '[1]', '{\"mode\": \"active\"}', :t FROM sessions"
            ),
            {"t": stamp},
        )
        connection.execute(
            text(
                "INSERT INTO results (trial_id, name, value, unit, foot, toe) "
                "SELECT id, 'big_toe_extension_deg', 52.5, 'deg', 'right', 1 FROM trials"
            )
        )
        connection.execute(
            text(
                "INSERT INTO exercise_log (person_id, day, exercise_id, reps, pain, comment) "
                "SELECT id, :d, 'towel_scrunch', 30, 2, 'easy' FROM people"
            ),
            {"d": date(2026, 2, 2)},
        )
    engine.dispose()


def test_data_written_at_the_first_schema_survives_the_upgrade(empty_database_url: str, home: Path) -> None:
    assert upgrade(empty_database_url, "0001") == "0001"
    _fill_at_first_revision(empty_database_url)
    assert upgrade(empty_database_url) == head_revision() == "0006"
    with open_store(empty_database_url, home=home) as store:
        (history,) = store.sessions.history("Ann")
        assert history.session.started_at == datetime(2026, 2, 1, 8, 30, tzinfo=UTC)
        assert history.session.status == "complete" and history.session.fps == 60.0
        (trial,) = history.trials
        assert trial.toes == (1,) and trial.parameters == {"mode": "active"}
        assert trial.figure("big_toe_extension_deg", foot="right", toe=1) == 52.5
        (entry,) = store.exercise_log.entries("Ann")
        assert (entry.day, entry.reps, entry.pain, entry.comment) == (date(2026, 2, 2), 30, 2, "easy")
        # the tables the second migration added work
        plan = store.plans.create("Ann", ["toe_isolation"], date(2026, 2, 3))
        assert store.plans.current("Ann", date(2026, 2, 4)) == plan
        assert store.people.add("Bea").id != store.people.get("Ann").id


def test_an_old_database_is_not_opened_until_it_is_upgraded(empty_database_url: str, home: Path) -> None:
    upgrade(empty_database_url, "0001")
    with pytest.raises(ToelabError, match="toelab db upgrade"):
        open_store(empty_database_url, home=home)
    upgrade(empty_database_url)
    open_store(empty_database_url, home=home).close()


def test_a_database_of_another_program_is_refused(empty_database_url: str, home: Path) -> None:
    engine = create_engine(empty_database_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(ToelabError, match="not a toelab database"):
        open_store(empty_database_url, home=home)


def test_a_new_database_is_created_at_the_newest_schema(empty_database_url: str, home: Path) -> None:
    with open_store(empty_database_url, home=home) as store:
        assert store.people.all() == []
    assert upgrade(empty_database_url) == head_revision()


def test_by_default_the_database_lives_in_the_data_folder_in_wal_mode_with_foreign_keys(home: Path) -> None:
    assert database_url() == f"sqlite:///{home / 'toelab.db'}"
    with open_store() as store:
        store.people.add("Ann")
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert (home / "toelab.db").is_file()


def test_the_database_url_variable_chooses_the_database(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere" / "t.db"
    monkeypatch.setenv("TOELAB_DATABASE_URL", f"sqlite:///{elsewhere}")
    with open_store() as store:
        store.people.add("Ann")
    assert elsewhere.is_file() and not (home / "toelab.db").exists()


def test_a_bad_database_url_is_explained(home: Path) -> None:
    with pytest.raises(ToelabError, match="cannot use database URL"):
        open_store("nosuchdb://x")


def test_an_unreachable_server_is_explained(home: Path, tmp_path: Path) -> None:
    with pytest.raises(ToelabError, match="cannot connect to the database"):
        open_store(f"postgresql+psycopg://nobody@/toelab?host={tmp_path}&port=1")


def test_a_failed_upgrade_leaves_the_database_as_it_was(empty_database_url: str, home: Path) -> None:
    from alembic import op

    upgrade(empty_database_url, "0001")
    create_table = op.create_table

    def fail_on_last_table(name: str, *columns: object, **kwargs: object) -> object:
        if name == "plan_items":
            raise RuntimeError("disk full")
        return create_table(name, *columns, **kwargs)

    with (
        mock.patch.object(op, "create_table", fail_on_last_table),
        pytest.raises(RuntimeError, match="disk full"),
    ):
        upgrade(empty_database_url)
    engine = create_engine(empty_database_url)
    with engine.connect() as connection:
        assert "plans" not in inspect(connection).get_table_names()
    engine.dispose()
    assert upgrade(empty_database_url) == head_revision()
    with open_store(empty_database_url, home=home) as store:
        store.plans.create(store.people.add("Ann"), ["toe_isolation"], date(2026, 1, 5))
        if store.engine.dialect.name == "sqlite":
            with store.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_two_programs_opening_a_new_database_at_once_both_succeed(
    empty_database_url: str, home: Path
) -> None:
    start = threading.Barrier(3, timeout=30)
    errors: list[BaseException] = []

    def open_and_add(name: str) -> None:
        start.wait()
        try:
            with open_store(empty_database_url, home=home) as store:
                store.people.add(name)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_and_add, args=(name,)) for name in ("Ann", "Bea", "Cy")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    with open_store(empty_database_url, home=home) as store:
        assert [p.display_name for p in store.people.all()] == ["Ann", "Bea", "Cy"]
