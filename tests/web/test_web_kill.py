"""``toelab serve`` stopped the hard way (kill -9) while a page is saving: every save the page
was told succeeded is kept, the database is whole, and the server starts again on it."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import threading
import time
import urllib.request
from pathlib import Path

from serving import serve_process

from toelab.store import open_store


def _save(url: str, n: int) -> int:
    """Log one exercise as the page does; the entry's id when the server answered 200."""
    body = json.dumps({"exercise_id": "towel_scrunch", "minutes": 1 + n % 30, "comment": f"save {n}"})
    request = urllib.request.Request(
        f"{url}/api/exercise-log",
        data=body.encode(),
        headers={"Content-Type": "application/json", "Origin": url},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200
        return json.loads(answer.read())["id"]


def test_killing_the_server_mid_save_keeps_every_answered_save(tmp_path: Path):
    env = {**os.environ, "TOELAB_HOME": str(tmp_path)}
    env.pop("TOELAB_DATABASE_URL", None)
    answered: dict[int, int] = {}  # save number -> entry id
    with serve_process([], env, "/api/protocols") as (url, process):
        stop = threading.Event()

        def page_saving() -> None:
            n = 0
            while not stop.is_set():
                n += 1
                try:
                    answered[n] = _save(url, n)
                except OSError:
                    return  # the server is gone

        savers = [threading.Thread(target=page_saving) for _ in range(3)]
        for saver in savers:
            saver.start()
        deadline = time.monotonic() + 30
        while len(answered) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)  # mid-save: three pages are sending
        process.wait(timeout=10)
        stop.set()
        for saver in savers:
            saver.join(timeout=15)
    assert process.returncode == -signal.SIGKILL
    assert len(answered) >= 40

    database = tmp_path / "toelab.db"
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with open_store(f"sqlite:///{database}", home=tmp_path) as store:
        kept = {entry.id for entry in store.exercise_log.entries("Me")}
    assert set(answered.values()) <= kept

    # the server starts again on the same records and keeps saving
    with serve_process([], env, "/api/protocols") as (url, _):
        again = _save(url, 10_000)
    with open_store(f"sqlite:///{database}", home=tmp_path) as store:
        assert again in {entry.id for entry in store.exercise_log.entries("Me")}
