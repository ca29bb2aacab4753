"""The store: one database and the tracks folder beside it, shared by its repositories, one per
topic: ``store.people``, ``store.sessions`` (sessions, trials and their figures),
``store.exercise_log``, ``store.red_flag_answers``, ``store.plans`` and ``store.accounts``.

Every repository call runs in its own transaction over the store's one unit of work and hands
back frozen records.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine

from toelab.errors import ToelabError
from toelab.paths import toelab_home
from toelab.store import engine as engines
from toelab.store.accounts import Accounts
from toelab.store.exercise_log import ExerciseLog
from toelab.store.people import People
from toelab.store.plan_records import Plans
from toelab.store.red_flag_answers import RedFlagAnswers
from toelab.store.session_records import STALE_AFTER, Sessions
from toelab.store.unit_of_work import UnitOfWork


class Store:
    """The database and the tracks folder beside it, and a repository per topic over one unit of
    work. Open one with :func:`open_store`."""

    def __init__(self, engine: Engine, home: Path):
        self.engine = engine
        self.home = home
        self.work = UnitOfWork(engine)
        self.people = People(self.work)
        self.sessions = Sessions(self.work, home)
        self.exercise_log = ExerciseLog(self.work)
        self.red_flag_answers = RedFlagAnswers(self.work)
        self.plans = Plans(self.work)
        # the clinic mode's accounts and signed-in sessions
        self.accounts = Accounts(self.work)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_store(
    url: str | None = None, *, home: Path | None = None, stale_after: timedelta = STALE_AFTER
) -> Store:
    """Open (and on first use create) the database, and mark long-abandoned sessions interrupted.

    ``url`` defaults to ``$TOELAB_DATABASE_URL``, else SQLite at ``toelab.db`` in ``home``;
    tracks files go under ``home`` (default ``$TOELAB_HOME``).
    """
    engine = engines.make_engine(engines.database_url(url, home))
    try:
        with engines.connect(engine) as connection:
            revision = engines.current_revision(connection)
            empty = revision is None and not engines.has_tables(connection)
        if empty:
            engines.upgrade_engine(engine)
        elif revision is None:
            raise ToelabError(
                "this database holds tables but is not a toelab database",
                hint="point toelab at another database",
            )
        elif revision != engines.head_revision():
            if revision in engines.known_revisions():
                raise ToelabError(
                    f"the database is at schema version {revision}, older than this toelab",
                    hint="run `toelab db upgrade` (keep a backup of the database first)",
                )
            raise ToelabError(
                f"the database is at schema version {revision}, made by a newer toelab", hint="upgrade toelab"
            )
    except BaseException:
        engine.dispose()
        raise
    store = Store(engine, home or toelab_home())
    store.sessions.mark_interrupted(stale_after)
    return store
