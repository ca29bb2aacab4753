"""Sign-in limits under attack: parallel guesses are counted before their password is checked,
the owner still gets in while someone else guesses, known and unknown names are answered
alike, and a flood of sign-ins leaves the signed-in people's pages free."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

import toelab.web.auth as auth
from toelab.store import open_store
from toelab.web import create_app
from toelab.web.auth import CSRF_COOKIE, Clinic, Policy, hash_password

PASSWORD = "correct horse battery"
T = TypeVar("T")


@pytest.fixture(scope="module")
def password_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture()
def clinic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, password_hash: str) -> Iterator[Clinic]:
    monkeypatch.delenv("TOELAB_DATABASE_URL", raising=False)
    with open_store(f"sqlite:///{tmp_path / 'toelab.db'}", home=tmp_path) as store:
        store.people.add("Ann")
        store.accounts.add_user("ann", password_hash, "patient", person="Ann")
        store.accounts.add_user("dr.smith", password_hash, "clinician")
        store.accounts.assign_patient("dr.smith", "Ann")
        yield Clinic(store, Policy())


@pytest.fixture()
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The password of every argon2 check made, in order."""
    made: list[str] = []
    lock = threading.Lock()
    real = auth.verify_password

    def counting(password_hash: str, password: str) -> bool:
        with lock:
            made.append(password)
        return real(password_hash, password)

    monkeypatch.setattr(auth, "verify_password", counting)
    return made


def client_at(app, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def sign_in(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    if not client.cookies.get(CSRF_COOKIE):
        await client.get("/login")
    return await client.post(
        "/api/login",
        json={"username": username, "password": password},
        headers={"X-CSRF-Token": client.cookies.get(CSRF_COOKIE, "")},
    )


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` on an event loop of its own, in a thread of its own: the test may run
    where another event loop is already running (the browser tests leave one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def parallel(client: httpx.AsyncClient, attempts: list[tuple[str, str]]) -> list[int]:
    await client.get("/login")
    answers = await asyncio.gather(*(sign_in(client, name, password) for name, password in attempts))
    return [a.status_code for a in answers]


def unhurried(clinic: Clinic) -> Clinic:
    """The clinic with no "busy" answers: what stops parallel guesses is then the limits alone."""
    return Clinic(clinic.store, Policy(max_waiting_checks=10_000))


def test_parallel_wrong_passwords_for_one_account_are_checked_no_more_than_allowed(
    clinic: Clinic, tmp_path: Path, checks: list[str]
) -> None:
    clinic = unhurried(clinic)
    app = create_app(home=tmp_path, clinic=clinic)

    async def attack() -> list[int]:
        async with client_at(app, "10.0.0.9") as client:
            return await parallel(client, [("ann", f"guess {i}") for i in range(60)])

    codes = run(attack())
    assert len(checks) == clinic.policy.free_failures
    assert codes.count(401) == clinic.policy.free_failures and codes.count(429) == 55


def test_parallel_unknown_names_from_one_address_are_checked_no_more_than_allowed(
    clinic: Clinic, tmp_path: Path, checks: list[str]
) -> None:
    clinic = unhurried(clinic)
    app = create_app(home=tmp_path, clinic=clinic)

    async def attack() -> list[int]:
        async with client_at(app, "10.0.0.9") as client:
            return await parallel(client, [(f"nobody{i}", "guess guess") for i in range(100)])

    codes = run(attack())
    assert len(checks) == clinic.policy.ip_failures
    assert codes.count(401) == clinic.policy.ip_failures and codes.count(429) == 80


def test_the_owner_still_signs_in_while_others_guess_their_password(clinic: Clinic, tmp_path: Path) -> None:
    app = create_app(home=tmp_path, clinic=clinic)

    async def scenario() -> dict[str, int]:
        async with client_at(app, "10.0.0.50") as owner_device:
            # the owner's browser has signed in before: it holds the device cookie
            assert (await sign_in(owner_device, "ann", PASSWORD)).status_code == 200
            owner_device.cookies.delete("toelab_session")
            # guessers on 12 addresses, more than the name's own allowance in all
            for n in range(12):
                async with client_at(app, f"10.0.1.{n}") as guesser:
                    for _ in range(clinic.policy.free_failures + 1):
                        await sign_in(guesser, "ann", "not the password")
            async with client_at(app, "10.0.1.0") as guesser:
                guesser_right = (await sign_in(guesser, "ann", PASSWORD)).status_code
            # the owner mistypes once on their own device, then types it right
            await sign_in(owner_device, "ann", "typo typo typo")
            own_device = (await sign_in(owner_device, "ann", PASSWORD)).status_code
            async with client_at(app, "10.0.2.1") as fresh:  # a clean address, no cookie
                clean_address = (await sign_in(fresh, "ann", PASSWORD)).status_code
            return {"guesser": guesser_right, "own device": own_device, "clean address": clean_address}

    got = run(scenario())
    # the guessing address waits even with the right password; the owner gets in at once
    assert got == {"guesser": 429, "own device": 200, "clean address": 200}


def test_known_and_unknown_names_get_identical_answers(clinic: Clinic, tmp_path: Path) -> None:
    app = create_app(home=tmp_path, clinic=clinic)

    async def answers(name: str, address: str) -> list[tuple[int, str, str | None]]:
        async with client_at(app, address) as client:
            got = []
            for _ in range(clinic.policy.free_failures + 3):
                answer = await sign_in(client, name, "not the password")
                # the seconds to wait depend on how long each check took: compared as "N"
                waiting = answer.headers.get("retry-after")
                got.append((answer.status_code, re.sub(r"\d+", "N", answer.text), waiting is not None))
            return got

    known = run(answers("ann", "10.0.3.1"))
    unknown = run(answers("nobody", "10.0.3.2"))
    assert known == unknown
    assert [code for code, _, _ in known] == [401] * clinic.policy.free_failures + [429] * 3


def test_a_flood_of_sign_ins_leaves_signed_in_pages_free(
    clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # password checks that take as long as the flood lasts: whatever holds them must not be
    # what the other routes need
    release = threading.Event()
    real = auth.verify_password

    def slow(password_hash: str, password: str) -> bool:
        if password != PASSWORD:
            release.wait(30)
        return real(password_hash, password)

    monkeypatch.setattr(auth, "verify_password", slow)
    app = create_app(home=tmp_path, clinic=clinic)

    async def guess(address: str) -> httpx.Response:
        async with client_at(app, address) as client:
            return await sign_in(client, "ann", "guess!guess")

    async def scenario() -> tuple[int, list[int]]:
        async with client_at(app, "10.0.4.1") as doctor:
            signed = await sign_in(doctor, "dr.smith", PASSWORD)
            assert signed.status_code == 200
            flood = [asyncio.create_task(guess(f"10.1.0.{n}")) for n in range(60)]
            await asyncio.sleep(0.5)
            try:
                page = await asyncio.wait_for(doctor.get("/api/me"), timeout=10)
            finally:
                release.set()
            codes = [answer.status_code for answer in await asyncio.gather(*flood)]
            return page.status_code, codes

    page, codes = run(scenario())
    assert page == 200
    # checks beyond the waiting allowance are answered "busy" at once, not queued
    assert codes.count(503) == 60 - clinic.policy.max_waiting_checks
    assert codes.count(401) == clinic.policy.max_waiting_checks


@pytest.mark.parametrize("password", [" " * 10, "a b c d e f g h i", "\t\t\t\t\t\t\t\t\t\t\t"])
def test_a_password_needs_ten_characters_besides_spaces(password: str) -> None:
    from toelab.errors import ToelabError

    with pytest.raises(ToelabError, match="10 characters besides spaces"):
        hash_password(password)
    assert hash_password("abcdefghij ")
