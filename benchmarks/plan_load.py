"""Many clients marking plan exercises done and logging exercises at once: is every
acknowledged mark counted? On SQLite and on PostgreSQL.

    python benchmarks/plan_load.py                        # 20 clients, 60 s, both engines
    python benchmarks/plan_load.py --clients 5 --seconds 10 --engine sqlite

``toelab serve`` runs as its own process (home mode, loopback only) on a fresh data folder,
with a plan of one exercise for the household's person. Each client is a thread with its
own HTTP connection that, as fast as the server answers, alternates ``POST /api/plan/mark``
and ``POST /api/exercise-log`` (which also counts the exercise done in the plan).

Printed per engine: requests answered per second, the marks the server acknowledged (200),
the times done the store holds for the day, the log entries it holds, and the difference:
**lost** marks (acknowledged but not counted) and **errors** (answers other than 200).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import load_note, serve_process  # noqa: E402
from history_report import postgresql_server  # noqa: E402

from toelab.store import open_store  # noqa: E402

EXERCISE = "towel_scrunch"


def run(engine: str, url: str | None, clients: int, seconds: float) -> dict[str, float]:
    home = Path(tempfile.mkdtemp(prefix=f"toelab-plan-load-{engine}-"))
    env = {**os.environ, "TOELAB_HOME": str(home)}
    env.pop("TOELAB_DATABASE_URL", None)
    if url:
        env["TOELAB_DATABASE_URL"] = url
    with serve_process([], env, "/api/protocols") as (base, _):
        with httpx.Client(base_url=base) as setup:
            setup.post("/api/plan", json={"exercise_ids": [EXERCISE]}).raise_for_status()
        acknowledged: Counter[str] = Counter()
        statuses: Counter[int] = Counter()
        lock = threading.Lock()
        start = threading.Barrier(clients + 1)
        stop_at: list[float] = []

        def client() -> None:
            mine: Counter[str] = Counter()
            codes: Counter[int] = Counter()
            with httpx.Client(base_url=base, timeout=60) as http:
                start.wait()
                turn = 0
                while time.monotonic() < stop_at[0]:
                    if turn % 2 == 0:
                        answer = http.post("/api/plan/mark", json={"exercise_id": EXERCISE, "done": True})
                        kind = "mark"
                    else:
                        answer = http.post("/api/exercise-log", json={"exercise_id": EXERCISE, "reps": 5})
                        kind = "log"
                    codes[answer.status_code] += 1
                    if answer.status_code == 200:
                        mine[kind] += 1
                    turn += 1
            with lock:
                acknowledged.update(mine)
                statuses.update(codes)

        threads = [threading.Thread(target=client) for _ in range(clients)]
        for thread in threads:
            thread.start()
        stop_at.append(time.monotonic() + seconds)
        started = time.monotonic()
        start.wait()
        for thread in threads:
            thread.join()
        wall_s = time.monotonic() - started
    with open_store(url or f"sqlite:///{home / 'toelab.db'}", home=home) as store:
        person = store.people.all()[0]
        plan = store.plans.current(person.id)
        assert plan is not None
        counted = sum(i.times_done for i in store.plans.items(plan) if i.day == date.today())
        logged = len(store.exercise_log.entries(person.id))
    expected = acknowledged["mark"] + acknowledged["log"]
    return {
        "requests_per_s": sum(statuses.values()) / wall_s,
        "acknowledged_marks": expected,
        "counted": counted,
        "acknowledged_logs": acknowledged["log"],
        "logged": logged,
        "lost": expected - counted + acknowledged["log"] - logged,
        "errors": sum(n for code, n in statuses.items() if code != 200),
    }


def main() -> None:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    print(f"{args.clients} clients marking and logging for {args.seconds:g} s, toelab serve on loopback")
    for engine in engines:
        if engine == "sqlite":
            figures = run(engine, None, args.clients, args.seconds)
        else:
            with postgresql_server() as url:
                figures = run(engine, url, args.clients, args.seconds)
        print(
            f"{engine:10s} {figures['requests_per_s']:6.0f} requests/s; "
            f"marks acknowledged {figures['acknowledged_marks']}, counted {figures['counted']}; "
            f"logs acknowledged {figures['acknowledged_logs']}, stored {figures['logged']}; "
            f"lost {figures['lost']}, errors {figures['errors']}"
        )
    print(f"python {sys.version.split()[0]}{load_note()}")


if __name__ == "__main__":
    main()
