"""A person's figures as a FHIR R4 Bundle: one Patient and one Observation per figure.

Built with ``fhir.resources`` (its R4B models: R4B is FHIR 4.3, whose Bundle, Patient and
Observation are those of R4 4.0.1), so every resource is validated as it is made.

* Bundle ``type`` is ``collection``; entries are linked by ``urn:uuid`` full URLs that are
  the same for the same record on every export.
* Observation ``code``: toelab's own code system (the figure's name as code, its label as
  display); ``category`` is ``exam``.
* ``valueQuantity`` in UCUM: Hz, deg, ms, s, %, mm, m/s2, and ``1`` for unitless figures.
  Pixels are not a UCUM unit: a figure in pixels (no scale was known) gets the UCUM
  annotation ``{pixel}``, which UCUM treats as a dimensionless count, with ``unit`` "px".
  Figures measured with a known scale are already in mm.
* ``bodySite``: the foot, and the toe for a per-toe figure, in toelab's body-site code system.
* ``method``: the test (and its condition, e.g. a tremor test at rest).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from toelab.report.words import figure_label
from toelab.store import Person, ResultFigure, SessionHistory, Trial
from toelab.tasks import TASKS, trial_title
from toelab.vocabulary import TOE_NAMES

FIGURES_SYSTEM = "https://toelab.org/fhir/CodeSystem/toelab-figures"
BODY_SITE_SYSTEM = "https://toelab.org/fhir/CodeSystem/toelab-body-site"
PERSON_ID_SYSTEM = "https://toelab.org/fhir/NamingSystem/person-id"
UCUM = "http://unitsofmeasure.org"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
DATA_ABSENT_SYSTEM = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
UCUM_CODES = {
    "Hz": "Hz",
    "deg": "deg",
    "ms": "ms",
    "s": "s",
    "%": "%",
    "": "1",
    "mm": "mm",
    "m/s^2": "m/s2",
    "rad/s": "rad/s",
    "deg/s": "deg/s",
    "px": "{pixel}",
}
_NAMESPACE = uuid.UUID("5d8f6a0e-3c1b-4f57-9a0e-70e1ab000001")


def _urn(*parts: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, '/'.join(map(str, parts)))}"


def quantity(value: float, unit: str) -> dict[str, Any]:
    """A FHIR Quantity in UCUM; a unit UCUM has no code for keeps its text only."""
    code = UCUM_CODES.get(unit)
    if code is None:
        return {"value": value, "unit": unit}
    return {"value": value, "unit": unit or "1", "system": UCUM, "code": code}


def body_site(foot: str | None, toe: int | None) -> dict[str, Any] | None:
    if foot not in ("left", "right", "both"):
        return None
    where = "both feet" if foot == "both" else f"{foot} foot"
    code = f"{foot}-foot" if toe is None else f"{foot}-toe{toe}"
    text = where if toe is None else f"{where}, {TOE_NAMES.get(toe, f'toe {toe}')}"
    return {"coding": [{"system": BODY_SITE_SYSTEM, "code": code, "display": text}], "text": text}


def _patient(person: Person) -> dict[str, Any]:
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "identifier": [{"system": PERSON_ID_SYSTEM, "value": str(person.id)}],
        "name": [{"text": person.display_name}],
    }
    if person.birth_year is not None:
        patient["birthDate"] = str(person.birth_year)
    return patient


def _withheld_observation(
    patient_url: str, history: SessionHistory, trial: Trial, foot: str, why: str, name: str | None = None
) -> dict[str, Any]:
    """A result the recording could not support (the task's headline figure, or the figure
    ``name`` withheld on its own): no value, ``dataAbsentReason`` with the reason."""
    name = name or TASKS[trial.task].headline_figure
    figure = ResultFigure(name, float("nan"), "", None if foot == "none" else foot)
    observation = _observation(patient_url, history, trial, figure)
    del observation["valueQuantity"]
    observation["dataAbsentReason"] = {
        "coding": [{"system": DATA_ABSENT_SYSTEM, "code": "error", "display": "Error"}],
        "text": f"not measured — {why}",
    }
    return observation


def _observation(
    patient_url: str, history: SessionHistory, trial: Trial, figure: ResultFigure
) -> dict[str, Any]:
    method = trial_title(trial.task)
    if trial.parameters.get("condition"):
        method += f", {str(trial.parameters['condition']).replace('_', ' ')}"
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": "exam", "display": "Exam"}]}],
        "code": {
            "coding": [{"system": FIGURES_SYSTEM, "code": figure.name, "display": figure_label(figure.name)}],
            "text": figure_label(figure.name, figure.toe),
        },
        "subject": {"reference": patient_url},
        "effectiveDateTime": history.session.started_at.isoformat(),
        "valueQuantity": quantity(figure.value, figure.unit),
        "method": {"text": method},
    }
    site = body_site(figure.foot, figure.toe)
    if site is not None:
        observation["bodySite"] = site
    return observation


def fhir_bundle(person: Person, sessions: Sequence[SessionHistory]) -> Any:
    """The person and every stored figure, validated by ``fhir.resources``."""
    patient_url = _urn("person", person.id)
    entries = [{"fullUrl": patient_url, "resource": _patient(person)}]
    for history in sessions:
        for trial in history.trials:
            for index, figure in enumerate(trial.results):
                entries.append(
                    {
                        "fullUrl": _urn("trial", trial.id, index),
                        "resource": _observation(patient_url, history, trial, figure),
                    }
                )
            withheld = (trial.parameters.get("not_measured") or {}) if trial.task in TASKS else {}
            for foot, why in sorted(withheld.items()):
                entries.append(
                    {
                        "fullUrl": _urn("trial", trial.id, "not_measured", foot),
                        "resource": _withheld_observation(patient_url, history, trial, foot, why),
                    }
                )
            # a figure withheld on its own while the rest was measured (a shaking's size)
            for name, marks in sorted((trial.parameters.get("not_measured_figures") or {}).items()):
                for foot, why in sorted(marks.items()):
                    entries.append(
                        {
                            "fullUrl": _urn("trial", trial.id, "not_measured", name, foot),
                            "resource": _withheld_observation(patient_url, history, trial, foot, why, name),
                        }
                    )
    from fhir.resources.R4B.bundle import Bundle  # an optional part (toelab[reports])

    return Bundle.model_validate({"resourceType": "Bundle", "type": "collection", "entry": entries})


def fhir_json(person: Person, sessions: Sequence[SessionHistory]) -> str:
    return fhir_bundle(person, sessions).model_dump_json(indent=2)
