"""Exports: CSV gives back every stored figure; FHIR R4 validates, with units in UCUM."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient

from toelab.cli.samples import DEMO_CO_MOVEMENT
from toelab.errors import ToelabError
from toelab.report import export_figures, fhir_bundle, read_figures_csv
from toelab.report.fhir import FIGURES_SYSTEM, UCUM, quantity
from toelab.store import Person, Store, open_store
from toelab.store.outcomes import store_outcome
from toelab.synthetic.movement import isolation_recording, rhythm_recording, rom_recording
from toelab.synthetic.tremor import tremor_recording
from toelab.tasks import AnalysisOptions, BeatSource, run_task

STARTED = datetime(2026, 2, 3, 17, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Person]]:
    """A person with one session of each test: isolation, big-toe extension, video tremor, rhythm."""
    folder = tmp_path_factory.mktemp("records")
    with open_store(f"sqlite:///{folder / 'toelab.db'}", home=folder) as store:
        person = store.people.add("Zoë Ørsted", birth_year=1961, dominant_foot="left")
        isolation, _ = isolation_recording(DEMO_CO_MOVEMENT, reps_per_toe=2, foot="left", seed=1)
        store_outcome(
            store, person, run_task(isolation, AnalysisOptions("isolation")), isolation, started_at=STARTED
        )
        rom, _ = rom_recording(52.0, foot="left")
        store_outcome(store, person, run_task(rom, AnalysisOptions("rom")), rom, started_at=STARTED)
        tremor = tremor_recording(6.0, 3.0, 12.0, 60.0, sensor="video", foot="left", seed=3)
        store_outcome(store, person, run_task(tremor, AnalysisOptions("tremor")), tremor, started_at=STARTED)
        rhythm, _ = rhythm_recording(
            90, asynchrony_mean_ms=-30, asynchrony_sd_ms=30, n_beats=16, feet=("left", "right"), seed=2
        )
        outcome = run_task(rhythm, AnalysisOptions("rhythm", beats=BeatSource(bpm=90, offset_s=1.0)))
        store_outcome(store, person, outcome, rhythm, started_at=STARTED)
        yield store, person


def stored_figures(store: Store, person: Person) -> list[tuple]:
    return [
        (h.session.id, t.task, r.foot, r.toe, r.name, r.value, r.unit)
        for h in store.sessions.history(person.id)
        for t in h.trials
        for r in t.results
    ]


def test_the_csv_gives_back_every_stored_figure_exactly(records):
    store, person = records
    rows = read_figures_csv(export_figures(store, person, "csv"))
    assert [
        (r["session_id"], r["task"], r["foot"], r["toe"], r["name"], r["value"], r["unit"]) for r in rows
    ] == (stored_figures(store, person))
    assert {r["person"] for r in rows} == {"Zoë Ørsted"}
    assert {r["session_date"] for r in rows} == {STARTED.isoformat()}
    names = {r["name"] for r in rows}
    assert {"toe_control_score_pct", "individuation_index", "big_toe_extension_deg"} <= names
    assert {"tremor_frequency_hz", "tremor_amplitude", "mean_asynchrony_ms", "sd_asynchrony_ms"} <= names


def test_a_person_without_sessions_exports_an_empty_table_and_a_bundle_with_the_patient(records):
    store, _ = records
    alone = store.people.add("Nobody Yet")
    assert read_figures_csv(export_figures(store, alone, "csv")) == []
    bundle = Bundle.model_validate_json(export_figures(store, alone, "fhir"))
    assert [type(e.resource) for e in bundle.entry] == [Patient]


def test_the_fhir_bundle_validates_and_survives_a_round_trip(records):
    store, person = records
    text = export_figures(store, person, "fhir")
    bundle = Bundle.model_validate_json(text)
    assert bundle.model_dump() == Bundle.model_validate(json.loads(text)).model_dump()
    assert bundle.type == "collection"
    patient, *observations = (e.resource for e in bundle.entry)
    assert isinstance(patient, Patient) and patient.birthDate == "1961"
    assert patient.name[0].text == "Zoë Ørsted"
    assert len(observations) == len(stored_figures(store, person))
    assert all(isinstance(o, Observation) for o in observations)
    patient_url = bundle.entry[0].fullUrl
    assert {o.subject.reference for o in observations} == {patient_url}
    assert len({e.fullUrl for e in bundle.entry}) == len(bundle.entry)
    assert {o.effectiveDateTime.isoformat() for o in observations} == {STARTED.isoformat()}
    # the same records export to the same bundle
    assert export_figures(store, person, "fhir") == text


def test_fhir_observations_carry_toelab_codes_ucum_units_and_the_foot_and_toe(records):
    store, person = records
    bundle = fhir_bundle(person, store.sessions.history(person.id))
    by_code = {}
    for entry in bundle.entry[1:]:
        observation = entry.resource
        assert observation.code.coding[0].system == FIGURES_SYSTEM
        by_code.setdefault(observation.code.coding[0].code, []).append(observation)
    frequency = by_code["tremor_frequency_hz"][0].valueQuantity
    assert (frequency.system, frequency.code) == (UCUM, "Hz")
    assert by_code["big_toe_extension_deg"][0].valueQuantity.code == "deg"
    assert by_code["toe_control_score_pct"][0].valueQuantity.code == "%"
    assert by_code["sd_asynchrony_ms"][0].valueQuantity.code == "ms"
    assert {o.valueQuantity.code for o in by_code["individuation_index"]} == {"1"}
    # a video without a scale measures in pixels: a UCUM annotation, not a made-up unit
    amplitude = by_code["tremor_amplitude"][0].valueQuantity
    assert (amplitude.code, amplitude.unit) == ("{pixel}", "px")
    second_toe = next(o for o in by_code["individuation_index"] if o.bodySite.coding[0].code == "left-toe2")
    assert second_toe.bodySite.text == "left foot, 2nd toe"
    assert {o.bodySite.text for o in by_code["sd_asynchrony_ms"]} == {"left foot", "right foot"}
    assert by_code["tremor_frequency_hz"][0].method.text == "Tremor test"


def test_units_map_to_ucum_and_an_unknown_unit_keeps_its_text_only():
    assert quantity(1.5, "m/s^2") == {"value": 1.5, "unit": "m/s^2", "system": UCUM, "code": "m/s2"}
    assert quantity(0.8, "") == {"value": 0.8, "unit": "1", "system": UCUM, "code": "1"}
    assert quantity(3.0, "furlongs") == {"value": 3.0, "unit": "furlongs"}


def test_an_unknown_export_format_is_refused(records):
    store, person = records
    with pytest.raises(ToelabError, match="unknown export format"):
        export_figures(store, person, "xml")


FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "-cmd|' /C calc'!A0"]


@pytest.mark.parametrize("name", FORMULAS)
def test_a_name_a_spreadsheet_would_run_is_written_as_text(records, name: str):
    import csv
    import io

    store, _ = records
    person = store.people.add(name)
    session = store.sessions.start(person, "assessment")
    store.sessions.add_trial(session, "rom", "left", (), {}, None, {"big_toe_extension_deg": -3.5})
    text = export_figures(store, person, "csv")
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["person"] == "'" + name  # OWASP: a leading quote makes it text
    assert row["value"] == "-3.5"  # numbers stay numbers
    assert read_figures_csv(text)[0]["person"] == name  # and read back as they were
