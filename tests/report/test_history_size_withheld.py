"""A shaking whose size on the picture is too small to give keeps its rhythm and loses its size
everywhere: the history, the report, the CSV, FHIR and the trends say "not measured" with why and
how to redo, and no number stands for it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from toelab.report import export_figures, read_figures_csv, report_html
from toelab.store import open_store
from toelab.store.outcomes import store_outcome, trial_parameters
from toelab.store.overview import person_overview
from toelab.synthetic.tremor import tremor_recording
from toelab.tasks import AnalysisOptions, rows_for, run_task


def test_a_shaking_too_small_on_the_picture_to_size_keeps_its_rhythm_and_no_size(
    tmp_path: Path, history_text
):
    # a rhythm of 1 px on a video: its frequency holds, its size is what compression left of it
    small = tremor_recording(5.0, 1.0, 10.0, 60.0, sensor="video", foot="right", seed=2)
    outcome = run_task(small, AnalysisOptions("tremor"))
    results = outcome.results
    assert results["measured"] is True and results["classification"] == "rhythmic"
    assert abs(results["dominant_frequency_hz"] - 5.0) < 0.2
    assert results["amplitude"] is None and results["rms_amplitude"] is None
    assert results["amplitude_measured"] is False
    assert "under 2 pixels on the picture" in results["amplitude_not_measured_reason"]
    assert "closer" in results["amplitude_how_to_redo"]
    rows = {row[0]: row[1:] for row in rows_for("tremor", results)}
    assert rows["Size of the shaking"][0] == "not measured"
    assert "under 2 pixels" in rows["Size of the shaking"][1] and "closer" in rows["Size of the shaking"][1]
    assert rows["Dominant frequency"][0].startswith("5.0")

    with open_store(f"sqlite:///{tmp_path / 'toelab.db'}", home=tmp_path) as store:
        person = store.people.add("Ada")
        # three tests a day apart, so a trend could be drawn from sizes if any were kept
        for day in range(3):
            when = datetime(2026, 3, 2 + 7 * day, 9, 0, tzinfo=UTC)
            kept = trial_parameters(outcome)
            store_outcome(store, person, outcome, small, parameters=kept, started_at=when)
        overview = person_overview(store, person, today=date(2026, 3, 20))
        history = history_text(overview)
        html = report_html(store, person, today=date(2026, 3, 20))
        csv_rows = read_figures_csv(export_figures(store, person, "csv"))
        bundle = json.loads(export_figures(store, person, "fhir"))
        (point, *_) = store.sessions.tremor_points(person.id)

    # the rhythm is kept and trended; the size nowhere, as a number
    names = {r["name"] for r in csv_rows}
    assert "tremor_frequency_hz" in names and "tremor_amplitude" not in names
    assert "tremor_amplitude" not in {t.metric for t in overview.progress.trends}
    assert point.amplitude is None and point.frequency_hz is not None
    assert "under 2 pixels" in (point.size_not_measured or "")
    for text in (history, html):
        assert "tremor amplitude not measured (right foot)" in text
        assert "under 2 pixels on the picture" in text
        assert " px" not in text  # no size in pixels anywhere
    # FHIR: the size is an observation with no value and the reason as its dataAbsentReason
    observations = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"]
    sizes = [o for o in observations if o["code"]["coding"][0]["code"] == "tremor_amplitude"]
    assert sizes and all("valueQuantity" not in o for o in sizes)
    assert all("under 2 pixels" in o["dataAbsentReason"]["text"] for o in sizes)
    assert any(o["code"]["coding"][0]["code"] == "tremor_frequency_hz" for o in observations)


def test_the_latest_size_in_the_progress_table_is_dated_when_a_later_test_withheld_it(
    tmp_path: Path, history_text
):
    # two tests whose size was given, then one whose size was too small on the picture to give
    sized = tremor_recording(5.0, 3.0, 10.0, 60.0, sensor="video", foot="right", seed=2)
    small = tremor_recording(5.0, 1.0, 10.0, 60.0, sensor="video", foot="right", seed=2)
    with open_store(f"sqlite:///{tmp_path / 'toelab.db'}", home=tmp_path) as store:
        person = store.people.add("Ada")
        for day, recording in ((2, sized), (9, sized), (16, small)):
            outcome = run_task(recording, AnalysisOptions("tremor"))
            when = datetime(2026, 3, day, 9, 0, tzinfo=UTC)
            store_outcome(
                store, person, outcome, recording, parameters=trial_parameters(outcome), started_at=when
            )
        overview = person_overview(store, person, today=date(2026, 3, 20))
    history = history_text(overview)
    progress = history[history.index("Progress") :]
    size_row = next(line for line in progress.splitlines() if line.strip().startswith("│ Tremor amplitude"))
    row_below = progress.splitlines()[progress.splitlines().index(size_row) + 1]
    # the latest size given is the second test's, and says so: not the day of the third
    assert "2026-03-09" in row_below and "2026-03-16" not in row_below
