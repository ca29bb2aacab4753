"""Session results in plain words, one JSON file per run under ``<toelab home>/sessions/``: what
the Results screen lists. The person's records (history, trends, plan, reports) are in the
store (see :mod:`toelab.web.keeping`). Files written before the store existed stay readable
here and are not moved into it: they hold the words and figures shown, not the tracks or the
per-figure names the store keeps, so a run from then cannot become a faithful stored trial."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from toelab.errors import ToelabError
from toelab.paths import private_folder, write_private
from toelab.tasks import json_safe


def save_session(folder: Path, record: dict[str, Any]) -> dict[str, Any]:
    """Write one session record (adds ``id``, which sorts by the time to the microsecond, and
    ``saved_at``) and return it as written. The id names the file: one the record brings
    (a hand-logged entry is the page's own JSON) is replaced, never used."""
    private_folder(folder)
    now = datetime.now(UTC)
    given = {k: v for k, v in record.items() if k not in ("id", "saved_at")}
    saved = json_safe(
        {"id": f"{now:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:6]}", "saved_at": now.isoformat(), **given}
    )
    path = folder / f"{saved['id']}.json"
    write_private(path, json.dumps(saved, indent=1, allow_nan=False).encode("utf-8"))
    return saved


def last_sessions(
    folder: Path,
    limit: int = 10,
    offset: int = 0,
    *,
    shared: Path | None = None,
    owns: Callable[[dict[str, Any]], bool] | None = None,
) -> list[dict[str, Any]]:
    """One person's session records, newest first, ``limit`` of them after skipping the
    ``offset`` newest; unreadable files are skipped. ``shared``: a folder of files written
    before each person had their own (a household's), of which only those ``owns`` accepts
    count."""
    if limit < 1:
        raise ToelabError(f"limit must be at least 1, not {limit}")
    if offset < 0:
        raise ToelabError(f"offset must be 0 or more, not {offset}")
    paths = [(p.name, p, False) for p in folder.glob("*.json")]
    if shared is not None:
        paths += [(p.name, p, True) for p in shared.glob("*.json")]
    records: list[dict[str, Any]] = []
    skip = offset
    # file names start with the time they were saved: newest first across both folders
    for _, path, from_shared in sorted(paths, key=lambda item: item[0], reverse=True):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        if not isinstance(record, dict) or (from_shared and not (owns and owns(record))):
            continue
        if not (isinstance(record.get("id"), str) and isinstance(record.get("saved_at"), str)):
            continue  # not a file save_session wrote
        if skip:
            skip -= 1
            continue
        records.append(record)
        if len(records) == limit:
            break
    return records


def stored_person(record: dict[str, Any]) -> int | None:
    """The person a session record was kept for, when it says."""
    stored = record.get("stored")
    person = stored.get("person_id") if isinstance(stored, dict) else None
    return person if isinstance(person, int) else None
