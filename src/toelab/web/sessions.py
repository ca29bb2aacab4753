"""Session results in plain words, one JSON file per run under ``<toelab home>/sessions/``: what
the Results screen lists. The person's records (history, trends, plan, reports) are in the
store (see :mod:`toelab.web.keeping`). Files written before the store existed stay readable
here and are not moved into it: they hold the words and figures shown, not the tracks or the
per-figure names the store keeps, so a run from then cannot become a faithful stored trial."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from toelab.errors import ToelabError
from toelab.paths import private_folder, write_private
from toelab.tasks import json_safe


def save_session(folder: Path, record: dict[str, Any]) -> dict[str, Any]:
    """Write one session record (adds ``id`` and ``saved_at``) and return it as written."""
    private_folder(folder)
    now = datetime.now(UTC)
    saved = json_safe(
        {"id": f"{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}", "saved_at": now.isoformat(), **record}
    )
    path = folder / f"{saved['id']}.json"
    write_private(path, json.dumps(saved, indent=1, allow_nan=False).encode("utf-8"))
    return saved


def last_sessions(folder: Path, limit: int = 10) -> list[dict[str, Any]]:
    """The newest session records first; unreadable files are skipped."""
    if limit < 1:
        raise ToelabError(f"limit must be at least 1, not {limit}")
    records = []
    for path in sorted(folder.glob("*.json"), reverse=True)[:limit]:
        try:
            records.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
    return records
