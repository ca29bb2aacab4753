"""Accounts of the clinic mode in the store: roles, a clinician's patients, signed-in sessions
and failed sign-ins, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from toelab.errors import ToelabError
from toelab.store import Store, open_store, upgrade

HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"  # the store keeps it as given


def clinic(store: Store) -> None:
    for name in ("Ann", "Bob", "Cy"):
        store.people.add(name)
    accounts = store.accounts
    accounts.add_user("admin", HASH, "admin")
    accounts.add_user("dr.smith", HASH, "clinician")
    accounts.add_user("dr.jones", HASH, "clinician")
    accounts.add_user("ann", HASH, "patient", person="Ann", clinician="dr.smith")
    accounts.add_user("bob", HASH, "patient", person="Bob", clinician="dr.jones")


def test_each_account_sees_only_its_own_people(store: Store):
    clinic(store)
    ann, bob, cy = (store.people.get(n).id for n in ("Ann", "Bob", "Cy"))
    accounts = store.accounts
    seen = {u.username: accounts.visible_person_ids(u) for u in accounts.users()}
    assert seen == {
        "admin": frozenset(),
        "ann": {ann},
        "bob": {bob},
        "dr.jones": {bob},
        "dr.smith": {ann},
    }
    accounts.assign_patient("dr.smith", "Cy")
    accounts.assign_patient("dr.smith", "Cy")  # once is enough
    assert accounts.visible_person_ids(accounts.get_user("dr.smith")) == {ann, cy}
    assert accounts.get_user("nobody") is None


def test_accounts_that_make_no_sense_are_refused(store: Store):
    clinic(store)
    accounts = store.accounts
    with pytest.raises(ToelabError, match="taken"):
        accounts.add_user("ann", HASH, "admin")
    with pytest.raises(ToelabError, match="taken"):
        accounts.add_user("ann2", HASH, "patient", person="Ann")  # Ann has her account
    with pytest.raises(ToelabError, match="names their person"):
        accounts.add_user("cy", HASH, "patient")
    with pytest.raises(ToelabError, match="names their person"):
        accounts.add_user("dr.who", HASH, "clinician", person="Cy")
    with pytest.raises(ToelabError, match="no clinician"):
        accounts.add_user("cy", HASH, "patient", person="Cy", clinician="ann")
    with pytest.raises(ToelabError, match="no person"):
        accounts.add_user("dan", HASH, "patient", person="Dan")
    with pytest.raises(ToelabError, match="role must be"):
        accounts.add_user("root", HASH, "superuser")
    with pytest.raises(ToelabError, match="not allowed"):
        accounts.add_user("../etc", HASH, "admin")
    # nothing half-made by the refusals
    assert [u.username for u in accounts.users()] == ["admin", "ann", "bob", "dr.jones", "dr.smith"]


def test_a_signed_in_session_lasts_until_it_expires_or_is_ended(store: Store):
    clinic(store)
    accounts = store.accounts
    ann = accounts.get_user("ann")
    now = datetime.now(UTC)
    accounts.start_login_session(ann.id, "a" * 64, "csrf-1", now + timedelta(hours=1))
    accounts.start_login_session(ann.id, "b" * 64, "csrf-2", now + timedelta(minutes=1))
    found = accounts.login_session("a" * 64)
    assert found.user.username == "ann" and found.csrf_token == "csrf-1"
    assert accounts.login_session("c" * 64) is None
    assert accounts.login_session("b" * 64, now + timedelta(minutes=2)) is None  # expired: gone
    assert accounts.login_session("b" * 64, now) is None
    accounts.end_login_session("a" * 64)
    assert accounts.login_session("a" * 64) is None
    accounts.start_login_session(ann.id, "d" * 64, "csrf-3", now + timedelta(minutes=1))
    assert accounts.end_expired_sessions(now + timedelta(minutes=5)) == 1


def test_failed_sign_ins_are_counted_until_one_succeeds(store: Store):
    clinic(store)
    accounts = store.accounts
    bob = accounts.get_user("bob")
    until = datetime.now(UTC) + timedelta(seconds=30)
    assert accounts.note_failed_login(bob.id, None) == 1
    assert accounts.note_failed_login(bob.id, until) == 2
    bob = accounts.get_user("bob")
    assert bob.failed_logins == 2 and bob.locked_until == until
    accounts.start_login_session(bob.id, "e" * 64, "csrf", datetime.now(UTC) + timedelta(hours=1))
    bob = accounts.get_user("bob")
    assert bob.failed_logins == 0 and bob.locked_until is None


def test_the_password_hash_is_not_shown_when_an_account_is_printed(store: Store):
    clinic(store)
    assert HASH not in repr(store.accounts.get_user("admin"))


def test_records_made_before_accounts_existed_get_accounts_after_the_upgrade(
    empty_database_url: str, home: Path
):
    assert upgrade(empty_database_url, "0003") == "0003"
    engine = create_engine(empty_database_url)
    with engine.begin() as connection:
        stamp = datetime(2026, 3, 1, 9, 0)
        if connection.dialect.name == "postgresql":
            stamp = stamp.replace(tzinfo=UTC)
        connection.execute(
            text(
                "INSERT INTO people (display_name, diabetes, notes, created_at) VALUES ('Ann', false, '', :t)"
            ),
            {"t": stamp},
        )
    engine.dispose()
    assert upgrade(empty_database_url) == "0006"
    with open_store(empty_database_url, home=home) as store:
        store.accounts.add_user("ann", HASH, "patient", person="Ann")
        ann = store.accounts.get_user("ann")
        assert store.accounts.visible_person_ids(ann) == {store.people.get("Ann").id}
