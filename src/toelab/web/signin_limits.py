"""Sign-in limits that slow a password guesser without locking the account's owner out.

Three tallies of failed sign-ins, all in memory and all keyed by the user name *as typed*, so
a name that exists and one that does not are limited, and answered, alike:

- a client address and a user name together (the pair): ``free_failures`` wrong passwords in
  a row, then a wait that doubles with each further failure;
- a client address over all names: ``ip_failures`` within ``ip_window_s``, then the same backoff;
- a user name over all addresses: ``name_failures`` in a row, then the same backoff, but only
  for clients that are not clean. A clean client has not failed on that name from its address
  lately, or holds the device cookie a successful sign-in on that name gave it. So a guesser
  spread over many addresses gets one try per fresh address, while the owner, typing the right
  password on their own device or from an address that has not been guessing, still gets in
  (OWASP's "device cookies" against lockout as denial of service).

Each attempt is counted as a failure *before* its password is checked and taken back when the
password is right: parallel requests cannot all pass the check before any failure is written.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

# a name's or pair's failures in a row are forgotten after a day without one
FORGET_AFTER_S = 24 * 3600.0
# more entries than this: the oldest are forgotten first (memory stays bounded under a flood)
MAX_ENTRIES = 100_000


def backoff_s(failures: int, free: int, first_s: float, max_s: float) -> float:
    """Seconds to wait after ``failures`` (0 while within the ``free`` ones), doubling up to ``max_s``."""
    if failures < free:
        return 0.0
    return min(first_s * 2.0 ** min(failures - free, 64), max_s)


@dataclass(frozen=True)
class Policy:
    """How long a sign-in lasts and how failed sign-ins slow an attacker down."""

    session_ttl: timedelta = timedelta(hours=8)
    free_failures: int = 5  # wrong passwords in a row, per address and name, before the first wait
    first_lockout_s: float = 30.0  # doubles with each further failure
    max_lockout_s: float = 15 * 60.0
    ip_window_s: float = 15 * 60.0
    ip_failures: int = 20  # per address and window, over all user names
    name_failures: int = 10  # per name in a row, over all addresses (clients not clean only)
    # sign-ins being answered at once; more are answered "busy" (503)
    max_waiting_checks: int = 16
    # a refused sign-in (429, 503) is answered after this pause
    refusal_delay_s: float = 1.0

    def lockout_s(self, failures: int) -> float:
        """Seconds locked after ``failures`` wrong passwords in a row (0 while below the free ones)."""
        return backoff_s(failures, self.free_failures, self.first_lockout_s, self.max_lockout_s)


@dataclass
class _Tally:
    times: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Attempt:
    """A sign-in let through to the password check, counted as failed until it succeeds."""

    name: str
    address: str
    at: float


class SignInLimiter:
    """The three tallies, behind one lock."""

    def __init__(self, policy: Policy, clock: Callable[[], float] = time.monotonic):
        self.policy = policy
        self.clock = clock
        self._lock = threading.Lock()
        self._pairs: dict[tuple[str, str], _Tally] = {}
        self._addresses: dict[str, _Tally] = {}
        self._names: dict[str, _Tally] = {}
        self._device_key = secrets.token_bytes(32)

    # -- device cookies ------------------------------------------------------------------
    def device_token(self, name: str) -> str:
        """A cookie value proving that this browser signed in as ``name`` before."""
        nonce = secrets.token_urlsafe(12)
        return f"{nonce}.{self._signature(name, nonce)}"

    def trusted(self, name: str, token: str | None) -> bool:
        if not token or "." not in token:
            return False
        nonce, signature = token.split(".", 1)
        return hmac.compare_digest(signature.encode(), self._signature(name, nonce).encode())

    def _signature(self, name: str, nonce: str) -> str:
        message = f"{_key(name)}\x00{nonce}".encode()
        return hmac.new(self._device_key, message, hashlib.sha256).hexdigest()

    # -- limits --------------------------------------------------------------------------
    def begin(self, name: str, address: str, *, trusted_device: bool = False) -> Attempt | float:
        """An :class:`Attempt` to check the password for, already counted as failed; or the
        seconds to wait when a limit is reached (nothing is counted then)."""
        p = self.policy
        key = _key(name)
        with self._lock:
            now = self.clock()
            pair = self._pairs.get((key, address))
            address_times = self._recent(self._addresses.get(address), now, p.ip_window_s)
            waits = [
                self._wait(pair, now, p.free_failures),
                self._wait_times(address_times, now, p.ip_failures),
            ]
            clean = trusted_device or pair is None or now - pair.times[-1] >= p.ip_window_s
            if not clean:
                waits.append(self._wait(self._names.get(key), now, p.name_failures))
            wait = max(waits)
            if wait > 0:
                return wait
            counted: tuple[tuple[dict[Any, _Tally], object], ...] = (
                (self._pairs, (key, address)),
                (self._addresses, address),
                (self._names, key),
            )
            for tallies, k in counted:
                tally = tallies.setdefault(k, _Tally())
                tally.times.append(now)
                if len(tally.times) > 256:  # the backoff is at its longest long before this
                    del tally.times[:128]
            self._forget(now)
            return Attempt(key, address, now)

    def succeeded(self, attempt: Attempt) -> None:
        """The password was right: the pair and the name start afresh; the address forgets this attempt."""
        with self._lock:
            self._pairs.pop((attempt.name, attempt.address), None)
            self._names.pop(attempt.name, None)
            tally = self._addresses.get(attempt.address)
            if tally is not None and attempt.at in tally.times:
                tally.times.remove(attempt.at)

    def _wait(self, tally: _Tally | None, now: float, free: int) -> float:
        if tally is None or not tally.times:
            return 0.0
        p = self.policy
        wait = backoff_s(len(tally.times), free, p.first_lockout_s, p.max_lockout_s)
        return max(0.0, tally.times[-1] + wait - now) if wait else 0.0

    def _wait_times(self, times: list[float], now: float, free: int) -> float:
        return self._wait(_Tally(times), now, free) if times else 0.0

    @staticmethod
    def _recent(tally: _Tally | None, now: float, window_s: float) -> list[float]:
        if tally is None:
            return []
        tally.times = [t for t in tally.times if now - t < window_s]
        return tally.times

    def _forget(self, now: float) -> None:
        every: tuple[dict[Any, _Tally], ...] = (self._pairs, self._addresses, self._names)
        for tallies in every:
            if len(tallies) <= MAX_ENTRIES:
                continue
            quiet = {k: t for k, t in tallies.items() if t.times and now - t.times[-1] < FORGET_AFTER_S}
            if len(quiet) > MAX_ENTRIES // 2:  # a flood of fresh keys: keep the newest half
                newest = sorted(quiet.items(), key=lambda item: item[1].times[-1])[-MAX_ENTRIES // 2 :]
                quiet = dict(newest)
            tallies.clear()
            tallies.update(quiet)


def _key(name: str) -> str:
    # bounded and case-folded: "Ann" and "ann" are one name to the limits
    return name.strip().casefold()[:128]
