"""Reports of a person's records: progress over time or one session, as HTML and PDF;
every figure as CSV or as a FHIR R4 Bundle.

The HTML is self-contained (inline CSS, plots as SVG data URIs) and prints to PDF through
WeasyPrint, so both come from one source.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from toelab.errors import ToelabError
from toelab.report.detail import TrialView, trial_view
from toelab.report.fhir import fhir_bundle, fhir_json
from toelab.report.figures_csv import figures_csv, read_figures_csv
from toelab.report.html import progress_report_html, session_report_html
from toelab.report.pdf import html_to_pdf, pdf_available
from toelab.store import Person, Store
from toelab.store.overview import PersonOverview, person_overview
from toelab.tasks import TASKS

__all__ = [
    "TrialView",
    "export_figures",
    "fhir_bundle",
    "fhir_json",
    "figures_csv",
    "html_to_pdf",
    "latest_trial_views",
    "pdf_available",
    "progress_report_html",
    "read_figures_csv",
    "report_html",
    "report_path",
    "session_report_html",
    "trial_view",
    "write_report",
]


def latest_trial_views(store: Store, overview: PersonOverview) -> list[TrialView]:
    """The newest trial of each test for each foot (a tremor test per condition)."""
    latest = {}
    for history in overview.sessions:
        for trial in history.trials:
            if trial.task in TASKS:
                latest[(trial.task, trial.parameters.get("condition"), trial.foot)] = (
                    trial,
                    history.session.started_at.date(),
                )
    chosen = sorted(latest.values(), key=lambda td: (TASKS[td[0].task].report_rank, td[0].id))
    return [trial_view(store, trial, day) for trial, day in chosen]


def report_html(
    store: Store, person: int | str | Person, *, session_id: int | None = None, today: date | None = None
) -> str:
    """The progress report of a person, or the report of one of their sessions."""
    overview = person_overview(store, person, today)
    if session_id is not None:
        history = overview.session(session_id)
        day = history.session.started_at.date()
        return session_report_html(overview, history, [trial_view(store, t, day) for t in history.trials])
    return progress_report_html(overview, latest_trial_views(store, overview))


def export_figures(store: Store, person: int | str | Person, fmt: str) -> str:
    """Every stored figure of a person as ``csv`` text or a ``fhir`` R4 Bundle (JSON)."""
    if fmt not in ("csv", "fhir"):
        raise ToelabError(f"unknown export format {fmt!r}", hint="csv or fhir")
    found = store.people.get(person.id if isinstance(person, Person) else person)
    sessions = store.sessions.history(found.id)
    return fhir_json(found, sessions) if fmt == "fhir" else figures_csv(found, sessions)


def report_path(folder: Path, person: Person, *, pdf: bool, session_id: int | None, today: date) -> Path:
    """``<folder>/<name>-progress-<day>.html`` or ``…-session-<id>.pdf``."""
    slug = re.sub(r"[^a-z0-9]+", "-", person.display_name.lower()).strip("-") or f"person-{person.id}"
    what = f"session-{session_id}" if session_id is not None else f"progress-{today.isoformat()}"
    return folder / f"{slug}-{what}.{'pdf' if pdf else 'html'}"


def write_report(
    store: Store,
    person: int | str | Person,
    out: Path | None = None,
    *,
    pdf: bool = False,
    session_id: int | None = None,
    today: date | None = None,
) -> Path:
    """Write the report (HTML, or PDF with ``pdf``); ``out`` defaults to ``<data folder>/reports/``."""
    found = store.people.get(person.id if isinstance(person, Person) else person)
    today = today or date.today()
    path = out or report_path(store.home / "reports", found, pdf=pdf, session_id=session_id, today=today)
    if path.suffix.lower() not in (".pdf", ".html", ".htm"):
        raise ToelabError(f"a report is written as .html or .pdf, not {path.suffix or 'no suffix'}", path)
    pdf = pdf or path.suffix.lower() == ".pdf"
    if pdf and path.suffix.lower() != ".pdf":
        raise ToelabError("--pdf writes a .pdf file", path, hint="name the output file …pdf")
    html = report_html(store, found, session_id=session_id, today=today)
    content = html_to_pdf(html) if pdf else html.encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    except OSError as exc:
        raise ToelabError(f"cannot write the report: {exc.strerror}", path) from exc
    return path
