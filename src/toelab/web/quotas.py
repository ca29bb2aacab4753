"""How much a person may write through ``POST /api/sessions``: records of a logged exercise
are small and come a few a day, so a client sending megabytes a second is refused."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from toelab.errors import ToelabError

KB = 1024


class OverQuota(ToelabError):
    """Too many records too fast: answered with status 429."""


@dataclass
class RecordQuota:
    """At most ``per_minute`` records a minute per person, each at most ``record_bytes``."""

    record_bytes: int = 64 * KB
    per_minute: int = 30
    clock: Callable[[], float] = time.monotonic
    _recent: dict[int, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def admit(self, person_id: int, record: dict[str, Any]) -> None:
        """Count one record for ``person_id``; a ToelabError when it is too large or too many."""
        size = len(json.dumps(record, default=str).encode())
        if size > self.record_bytes:
            from toelab.web.security import TooLarge

            raise TooLarge(
                f"the record is {size // KB} kB, more than {self.record_bytes // KB} kB",
                hint="a logged exercise needs only its id, counts and a short comment",
            )
        with self._lock:
            now = self.clock()
            recent = self._recent.setdefault(person_id, deque())
            while recent and now - recent[0] >= 60.0:
                recent.popleft()
            if len(recent) >= self.per_minute:
                raise OverQuota(f"more than {self.per_minute} records a minute", hint="wait a minute")
            recent.append(now)
