"""Plain-language lines for each task's figures, shared by the CLI summary and the web pages.

Each function takes the JSON figures of one task (``TaskOutcome.results``) and returns rows
``(figure, value, what it means)``. The words inform; they never diagnose.
"""

from __future__ import annotations

from typing import Any

Row = tuple[str, str, str]

TOE_NAMES = {1: "big toe", 2: "2nd toe", 3: "3rd toe", 4: "4th toe", 5: "little toe"}


def _fmt(value: Any, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "—"
    text = f"{value:.{digits}f}" if isinstance(value, float) else str(value)
    return f"{text} {unit}".strip()


def tremor_rows(results: dict[str, Any]) -> list[Row]:
    kind = results.get("classification")
    frequency = results.get("dominant_frequency_hz")
    meaning = {
        "rhythmic": "a regular shaking rhythm was found",
        "irregular": "movement was found, but not a regular rhythm (twitches or restlessness look like this)",
        "none": "no shaking beyond the measurement noise",
    }.get(kind, "")
    rows = [("Shaking pattern", _fmt(kind), meaning)]
    if frequency is not None:
        band = results.get("typical_band") or ""
        rows.append(
            (
                "Dominant frequency",
                _fmt(frequency, "Hz", 2),
                " ".join(
                    part
                    for part in (
                        "cycles per second of the shaking.",
                        band and band.rstrip(".") + ".",
                        "A frequency alone does not identify a cause.",
                    )
                    if part
                ),
            )
        )
    rows.append(
        (
            "Amplitude",
            _fmt(results.get("amplitude"), results.get("amplitude_unit", ""), 2),
            "half the peak-to-peak size of the shaking at that frequency",
        )
    )
    rows.append(
        (
            "Power in 3–12 Hz",
            _fmt(100 * results["band_power_fraction"], "%", 0)
            if results.get("band_power_fraction") is not None
            else "—",
            "share of the movement in the band where most tremors lie",
        )
    )
    tsi = results.get("tremor_stability_index")
    if tsi is not None:
        rows.append(
            (
                "Tremor stability index",
                _fmt(tsi, "Hz", 2),
                "how much the rhythm changes from one cycle to the next; lower is steadier "
                "(di Biase et al. 2017)",
            )
        )
    return rows


def isolation_rows(results: dict[str, Any]) -> list[Row]:
    rows = []
    for toe in results.get("toes", []):
        number = toe["toe"]
        index = toe.get("individuation_index")
        followers = [TOE_NAMES.get(t, str(t)) for t in toe.get("co_moved", [])]
        if index is None:
            meaning = "not lifted on its own during the test"
        elif toe.get("independent"):
            meaning = "moves on its own"
        else:
            meaning = "does not yet move on its own"
        if followers:
            meaning += "; " + ", ".join(followers) + (" follows" if len(followers) == 1 else " follow")
        if number == 5 and 4 in toe.get("co_moved", []):
            meaning += " (the little toe and 4th toe share tendons: moving together is common)"
        rows.append((f"{TOE_NAMES.get(number, number)} individuation", _fmt(index, digits=2), meaning))
    rows.append(
        (
            "Toe control score",
            _fmt(results.get("toe_control_score"), "/ 100", 0),
            "100 = every toe lifts on its own with the others staying down",
        )
    )
    return rows


def rom_rows(results: dict[str, Any]) -> list[Row]:
    angle = results.get("max_extension_deg")
    grade = results.get("grade")
    if angle is None:
        return [("Big-toe extension", "—", "the angle could not be measured")]
    if angle >= 65:
        meaning = "enough bend for a normal push-off when walking (about 65° is needed, Root et al. 1977)"
    elif angle >= 40:
        meaning = "somewhat less than the ~65° a normal push-off uses; mobility exercises can help"
    else:
        meaning = (
            "clearly limited; a stiff big toe shifts load up the leg. Worth showing a physiotherapist "
            "or podiatrist"
        )
    rows = [("Big-toe extension (max)", _fmt(angle, "°"), meaning)]
    if grade is not None:
        rows.append(
            (
                "Range",
                f"grade {grade} range",
                "the stiffness grades of Coughlin & Shurnas (2003) by angle alone; "
                "only an examination can grade a joint",
            )
        )
    return rows


def rhythm_rows(results: dict[str, Any]) -> list[Row]:
    mean_ms = results.get("mean_asynchrony_ms")
    if mean_ms is None:
        timing = "no lifts matched the beats"
    elif mean_ms < 0:
        timing = "lifts come before the beat on average (people tapping are usually ~40 ms early)"
    else:
        timing = "lifts come after the beat on average"
    return [
        ("Mean asynchrony", _fmt(mean_ms, "ms"), timing),
        (
            "Asynchrony spread (SD)",
            _fmt(results.get("sd_asynchrony_ms"), "ms"),
            "how steady the timing is; ~40 ms is typical for finger tapping at 100 bpm",
        ),
        (
            "Hits / misses / extra lifts",
            f"{results.get('hits')} / {results.get('misses')} / {results.get('extras')}",
            "beats met by a lift, beats without one, lifts between beats",
        ),
        (
            "Consistency R",
            _fmt(results.get("circular_r"), digits=2),
            "1 = every lift at the same point of the beat, 0 = no relation to the beat",
        ),
    ]


ROWS = {"tremor": tremor_rows, "isolation": isolation_rows, "rom": rom_rows, "rhythm": rhythm_rows}


def rows_for(task: str, results: dict[str, Any]) -> list[Row]:
    return ROWS[task](results)
