"""The memory of toelab: people, sessions, trials and their figures, the exercise log,
red-flag answers and plans, in SQLite (default) or PostgreSQL; raw tracks as compressed
files beside the database, named by their content's hash.

:func:`open_store` gives a :class:`Store`, which holds one repository per topic over one unit of
work: ``store.people``, ``store.sessions``, ``store.exercise_log``, ``store.red_flag_answers``,
``store.plans`` and ``store.accounts``.
"""

from toelab.store.accounts import Account, Accounts, LoginSession
from toelab.store.engine import database_url, head_revision, upgrade
from toelab.store.records import (
    ExerciseLogEntry,
    Person,
    RedFlagAnswer,
    ResultFigure,
    SessionHistory,
    SessionInfo,
    StoredPlan,
    Trial,
    tremor_points_of,
)
from toelab.store.repository import Store, open_store

__all__ = [
    "Account",
    "Accounts",
    "LoginSession",
    "ExerciseLogEntry",
    "Person",
    "RedFlagAnswer",
    "ResultFigure",
    "SessionHistory",
    "SessionInfo",
    "Store",
    "StoredPlan",
    "Trial",
    "database_url",
    "head_revision",
    "open_store",
    "tremor_points_of",
    "upgrade",
]
