"""A tremor test that found no shaking reads so in the history, the report and the page: not as a
size of "0.000 px", a frequency of "no steady rhythm", or an empty line of key figures."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from toelab.report import report_html
from toelab.store import open_store
from toelab.store.outcomes import store_analysis
from toelab.store.overview import person_overview
from toelab.synthetic.tremor import tremor_recording
from toelab.tasks import AnalysisOptions, run_task

STARTED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_a_tremor_test_that_found_no_shaking_says_so_in_the_history_and_the_report(
    tmp_path: Path, history_text
):
    still = tremor_recording(5.0, 0.0, 10.0, 60.0, sensor="video", foot="right", seed=2)
    outcome = run_task(still, AnalysisOptions("tremor"))
    result = outcome.by_foot["right"]
    assert result.quality.measured and result.classification == "none"
    with open_store(f"sqlite:///{tmp_path / 'toelab.db'}", home=tmp_path) as store:
        person = store.people.add("Ada")
        store_analysis(store, person, outcome, still, input_path=tmp_path / "still.csv")
        # a live exercise kept as a trial is no task's: the digest passes it by
        session = store.sessions.start(person, "training", started_at=STARTED)
        store.sessions.add_trial(session, "exercise", "right", parameters={"reps": {"right": 10}})
        store.sessions.finish(session, ended_at=STARTED)
        overview = person_overview(store, person, today=date(2026, 3, 3))
        history = history_text(overview)
        html = report_html(store, person, today=date(2026, 3, 3))
    # the session's key figures name the test's finding; the tables say it in words
    assert "tremor R no shaking found" in history
    for text in (history, html):
        assert "no shaking found" in text
        assert "0.000" not in text and "no steady rhythm" not in text
