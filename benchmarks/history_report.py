"""``toelab history`` and report generation with 10 000 sessions for 500 people, on SQLite and
PostgreSQL.

    python benchmarks/history_report.py                       # both engines
    python benchmarks/history_report.py --engine sqlite --people 100

The person timed is the demo's sample person (made through the store API: weekly
assessments with their tracks, a plan, an exercise log), with as many sessions as everyone
else. The other people's sessions are bulk-inserted straight into the tables in one
transaction (the faster path: SQLAlchemy Core ``executemany`` over the store's own tables,
skipping the per-call checks of the store API), each a weekly assessment with the figures of
the sample person's sessions: isolation, big-toe extension and rhythm on both feet, a tremor check.

Timed, as the median of ``--repeat`` runs after one warm-up run:
* ``history``: :func:`toelab.store.overview.person_overview` and the Rich tables ``toelab history``
  prints (rendered into a string);
* ``report html``: :func:`toelab.report.report_html`, the progress report with every plot
  (the latest tests re-analysed from their tracks);
* ``report pdf``: that HTML printed by WeasyPrint (when it can load here).

PostgreSQL is started here the way the store tests start it (Debian's ``postgresql``: initdb
and pg_ctl on a unix socket, as the ``postgres`` user when run as root, fsync off).
"""

from __future__ import annotations

import argparse
import getpass
import glob
import io
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
from rich.console import Console
from sqlalchemy import func, insert, select, text

from toelab.cli.samples import add_sample_person
from toelab.report import html_to_pdf, pdf_available, report_html
from toelab.report.terminal import history_renderables
from toelab.store import Store, open_store
from toelab.store.models import PersonModel, ResultModel, SessionModel, TrialModel
from toelab.store.overview import person_overview

TODAY = date(2026, 6, 1)


def _pg_binary(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    path = found[-1] if found else shutil.which(name)
    if path is None:
        raise SystemExit(f"PostgreSQL's {name} was not found (Debian/Ubuntu: apt-get install postgresql)")
    return path


@contextmanager
def postgresql_server() -> Iterator[str]:
    """A throwaway PostgreSQL server; yields the URL of a new database on it."""
    root = Path(tempfile.mkdtemp(prefix="toelab-bench-pg-"))
    run_as, user = [], getpass.getuser()
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(root, "postgres", "postgres")
        run_as, user = ["runuser", "-u", "postgres", "--"], "postgres"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = root / "data"
    options = f"-k {root} -p {port} -c listen_addresses='' -c fsync=off"

    def run(*args: str | Path) -> None:
        subprocess.run([*run_as, *map(str, args)], check=True, capture_output=True)

    run(_pg_binary("initdb"), "-D", data, "-A", "trust", "-U", user, "-E", "UTF8", "--no-sync")
    run(_pg_binary("pg_ctl"), "-D", data, "-l", root / "server.log", "-w", "-o", options, "start")
    try:
        run(_pg_binary("createdb"), "-h", root, "-p", str(port), "-U", user, "toelab_bench")
        yield f"postgresql+psycopg://{user}@/toelab_bench?host={root}&port={port}"
    finally:
        run(_pg_binary("pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


def _figures(rng: np.random.Generator, week: int) -> list[tuple[str, str, list[tuple]]]:
    """(task, trial foot, [(name, value, unit, foot, toe)]) of one weekly assessment."""
    gain = 1 - np.exp(-week / 4)
    trials = []
    for foot in ("left", "right"):
        indices = np.clip(rng.normal(0.5 + 0.3 * gain, 0.08, 5), 0, 1)
        figures = [("toe_control_score_pct", 100 * indices.mean(), "%", foot, None)]
        figures += [("individuation_index", v, "", foot, toe) for toe, v in enumerate(indices, start=1)]
        trials.append(("isolation", foot, figures))
        trials.append(
            ("rom", foot, [("big_toe_extension_deg", rng.normal(45 + 15 * gain, 3), "deg", foot, None)])
        )
    rhythm = []
    for foot in ("left", "right"):
        rhythm += [
            ("mean_asynchrony_ms", rng.normal(-40, 10), "ms", foot, None),
            ("sd_asynchrony_ms", rng.normal(60 - 25 * gain, 5), "ms", foot, None),
            ("circular_r", rng.uniform(0.8, 0.95), "", foot, None),
            ("hit_rate_pct", rng.uniform(85, 100), "%", foot, None),
        ]
    trials.append(("rhythm", "both", rhythm))
    trials.append(
        (
            "tremor",
            "right",
            [
                ("tremor_amplitude", rng.uniform(0.05, 0.3), "m/s^2", "right", None),
                ("tremor_frequency_hz", rng.normal(9, 0.5), "Hz", "right", None),
            ],
        )
    )
    return trials


def bulk_insert(store: Store, people: int, sessions_per_person: int, seed: int = 0) -> int:
    """``people`` people with ``sessions_per_person`` weekly sessions each, in one transaction;
    returns the number of figures written."""
    rng = np.random.default_rng(seed)
    with store.engine.begin() as connection:
        start = {
            model: (connection.scalar(select(func.max(model.id))) or 0) + 1
            for model in (PersonModel, SessionModel, TrialModel, ResultModel)
        }
        ids = dict(start)
        now = datetime.now(UTC)
        person_rows, session_rows, trial_rows, result_rows = [], [], [], []
        for p in range(people):
            person_id = ids[PersonModel]
            ids[PersonModel] += 1
            person_rows.append(
                {
                    "id": person_id,
                    "display_name": f"Person {p:05d}",
                    "diabetes": False,
                    "notes": "",
                    "created_at": now,
                }
            )
            first = datetime.combine(TODAY - timedelta(weeks=sessions_per_person), datetime.min.time(), UTC)
            for week in range(sessions_per_person):
                session_id = ids[SessionModel]
                ids[SessionModel] += 1
                started = first + timedelta(weeks=week, hours=int(rng.integers(8, 20)))
                session_rows.append(
                    {
                        "id": session_id,
                        "person_id": person_id,
                        "kind": "assessment",
                        "started_at": started,
                        "ended_at": started + timedelta(minutes=20),
                        "notes": "",
                        "status": "complete",
                    }
                )
                for task, foot, figures in _figures(rng, week):
                    trial_id = ids[TrialModel]
                    ids[TrialModel] += 1
                    trial_rows.append(
                        {
                            "id": trial_id,
                            "session_id": session_id,
                            "task": task,
                            "foot": foot,
                            "toes": [],
                            "parameters": {},
                            "created_at": started,
                        }
                    )
                    for name, value, unit, figure_foot, toe in figures:
                        result_rows.append(
                            {
                                "id": ids[ResultModel],
                                "trial_id": trial_id,
                                "name": name,
                                "value": float(value),
                                "unit": unit,
                                "foot": figure_foot,
                                "toe": toe,
                            }
                        )
                        ids[ResultModel] += 1
        for model, rows in (
            (PersonModel, person_rows),
            (SessionModel, session_rows),
            (TrialModel, trial_rows),
            (ResultModel, result_rows),
        ):
            for chunk in range(0, len(rows), 20_000):
                connection.execute(insert(model.__table__), rows[chunk : chunk + 20_000])
        if connection.dialect.name == "postgresql":
            # explicit ids leave the sequences behind: move them on for later inserts
            for model in (PersonModel, SessionModel, TrialModel, ResultModel):
                table = model.__tablename__
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
    return len(result_rows)


def median_s(work: Callable[[], object], repeat: int) -> float:
    work()  # warm-up: imports, caches, the database's own caches
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def history_text(store: Store, person: str) -> str:
    console = Console(file=io.StringIO(), width=120)
    for shown in history_renderables(person_overview(store, person, TODAY)):
        console.print(shown)
    return console.file.getvalue()  # type: ignore[attr-defined]


def bench(engine: str, url: str, home: Path, people: int, sessions: int, repeat: int) -> dict[str, float]:
    with open_store(url, home=home) as store:
        started = time.perf_counter()
        person = add_sample_person(store, today=TODAY, weeks=sessions - 1)
        sample_s = time.perf_counter() - started
        started = time.perf_counter()
        figures = bulk_insert(store, people - 1, sessions)
        bulk_s = time.perf_counter() - started
        with store.engine.connect() as connection:
            total = connection.scalar(select(func.count()).select_from(SessionModel))
        name = person.display_name
        results = {
            "sessions": float(total),
            "sample person (store API) s": sample_s,
            "bulk insert s": bulk_s,
            "bulk figures": float(figures),
            "history s": median_s(lambda: history_text(store, name), repeat),
            "history of a bulk person s": median_s(lambda: history_text(store, "Person 00000"), repeat),
            "report html s": median_s(lambda: report_html(store, name, today=TODAY), repeat),
        }
        if pdf_available():
            html = report_html(store, name, today=TODAY)
            results["report pdf s"] = median_s(lambda: html_to_pdf(html), max(1, repeat // 2))
    print(f"\n{engine}: {int(results['sessions'])} sessions for {people} people")
    for label, value in results.items():
        if label not in ("sessions",):
            print(f"  {label:<34} {value:10.3f}" if label.endswith(" s") else f"  {label:<34} {value:10.0f}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--sessions", type=int, default=20, help="sessions per person")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="toelab-bench-") as folder:
        home = Path(folder)
        if args.engine in ("sqlite", "both"):
            (home / "sqlite").mkdir()
            url = f"sqlite:///{home / 'sqlite' / 'toelab.db'}"
            bench("SQLite", url, home / "sqlite", args.people, args.sessions, args.repeat)
        if args.engine in ("postgresql", "both"):
            with postgresql_server() as url:
                (home / "pg").mkdir()
                bench("PostgreSQL", url, home / "pg", args.people, args.sessions, args.repeat)


if __name__ == "__main__":
    main()
