"""Plain words next to every figure, shared by the CLI summary, the web pages and the reports.

:func:`explain` takes the JSON figures of one task (``TaskOutcome.results``, per foot) and
returns one :class:`Explanation` per figure: what the number means, the sources of any
figure from the literature, and the advice on when to see someone where it applies.
:func:`rows_for` gives the same as ``(figure, value, what it means)`` rows. The words
inform; they never diagnose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from toelab.analysis.individuation import INDEPENDENT_II
from toelab.analysis.rom import TOE_OFF_NEEDED_DEG
from toelab.protocols.red_flags import BIG_TOE_STIFF_DEG, FLAGS, Flag
from toelab.protocols.sources import TOELAB_RULE, short_citations

Row = tuple[str, str, str]

TOE_NAMES = {1: "big toe", 2: "2nd toe", 3: "3rd toe", 4: "4th toe", 5: "little toe"}

# Deuschl, Bain & Brin 1998 (Mov Disord 13 Suppl 3:2): the fine shaking everyone has
# (physiological tremor) lies at 8–12 Hz
PHYSIOLOGICAL_LOW_HZ = 8.0
# toelab's own floor: below a twentieth of a pixel a camera's tracked points move with
# image noise alone, so a smaller amplitude is not told apart from none
SMALLEST_SEEN_PX = 0.05
# Coughlin & Shurnas 2003: below 40° of big-toe extension lies outside their grade 0 range
CLEARLY_LIMITED_DEG = 40.0


@dataclass(frozen=True)
class Explanation:
    figure: str
    value: str
    meaning: str
    sources: tuple[str, ...] = ()  # keys of toelab.protocols.sources.SOURCES
    flag: Flag | None = None  # when to see someone, where a result calls for it

    @property
    def row(self) -> Row:
        cite = short_citations(self.sources)
        return (self.figure, self.value, f"{self.meaning} ({cite})" if cite else self.meaning)


def _fmt(value: Any, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "—"
    text = f"{value:.{digits}f}" if isinstance(value, float) else str(value)
    return f"{text} {unit}".strip()


def amplitude_words(value: float | None, unit: str) -> str:
    """A tremor amplitude for people: ``0.42 pixels on the picture``; a size a camera
    cannot tell from its own noise is said so rather than given as ``0.00 px``."""
    if value is None:
        return "—"
    if unit == "px":
        if value < SMALLEST_SEEN_PX:
            return f"too small for the camera to measure (under {SMALLEST_SEEN_PX:g} pixels)"
        return f"{value:.2g} pixels on the picture"
    return f"{value:.2g} {unit}".strip()


def _tremor(results: dict[str, Any], condition: str | None) -> list[Explanation]:
    kind = results.get("classification")
    frequency = results.get("dominant_frequency_hz")
    rhythmic = kind == "rhythmic"
    meaning = {
        "rhythmic": "a regular shaking rhythm was found. Shaking while the toes hold or move is common, "
        "for example with tired muscles, caffeine or stress",
        "irregular": "movement was found, but not a regular rhythm (twitches or restlessness look like this)",
        "none": "no shaking was found beyond the small noise of any measurement",
    }.get(kind, "")
    flag = None
    if rhythmic and condition == "rest":
        flag = FLAGS["tremor_at_rest"]
        meaning = "a regular shaking rhythm was found while the foot rested. That is worth a medical opinion"
    rows = [Explanation("Shaking pattern", _fmt(kind), meaning, flag=flag)]
    if frequency is not None:
        words = (
            "how many times a second the foot shook. The same range holds many kinds of shaking, "
            "also shaking from tired muscles, caffeine or stress. This number alone does not tell "
            "the cause"
        )
        sources: tuple[str, ...] = ("deuschl1998", "bhatia2018")
        if frequency >= PHYSIOLOGICAL_LOW_HZ:
            words += ". 8 to 12 times a second is the range of the fine shaking everyone has, which "
            words += "tiredness, caffeine and stress can make stronger"
        rows.append(Explanation("Dominant frequency", _fmt(frequency, "Hz", 2), words, sources))
    rate = results.get("sampling_rate_hz")
    if rate is not None and rate < 24.0:
        rows.append(
            Explanation(
                "Frame rate",
                _fmt(rate, "per second"),
                f"at this frame rate the camera cannot see shaking faster than {rate / 2:.1f} times a "
                f"second. Use brighter light, or a camera set to 30 frames a second or more",
                ("shannon1949",),
            )
        )
    rows.append(
        Explanation(
            "Size of the shaking",
            amplitude_words(results.get("amplitude"), results.get("amplitude_unit", "")),
            "half the distance the toes moved to and fro at that frequency. Compare it with your own "
            "earlier tests, taken the same way",
        )
    )
    fraction = results.get("band_power_fraction")
    rows.append(
        Explanation(
            "Power in 3–12 Hz",
            "—" if fraction is None else _fmt(100 * fraction, "%", 0),
            "share of the movement in the 3 to 12 Hz range, where most shaking of the body lies",
            ("deuschl1998",),
        )
    )
    tsi = results.get("tremor_stability_index")
    if tsi is not None:
        rows.append(
            Explanation(
                "Tremor stability index",
                _fmt(tsi, "Hz", 2),
                "how much the rhythm changes from one shake to the next; lower is steadier",
                ("dibiase2017",),
            )
        )
    return rows


def _isolation(results: dict[str, Any]) -> list[Explanation]:
    rows = []
    for toe in results.get("toes", []):
        number = toe["toe"]
        index = toe.get("individuation_index")
        followers = [TOE_NAMES.get(t, str(t)) for t in toe.get("co_moved", [])]
        if index is None:
            meaning = "not lifted on its own during the test"
        elif toe.get("independent"):
            meaning = "moves on its own"
        elif toe.get("independent") is None:
            meaning = "moves on its own" if index >= INDEPENDENT_II else "does not yet move on its own"
        else:
            meaning = "does not yet move on its own"
        if index is not None:
            share = max(0.0, min(1.0, 1.0 - index))
            meaning += f". When it lifted, the other toes rose {100 * share:.0f} % of their own lift"
        if followers:
            meaning += ". " + " and ".join(followers).capitalize()
            meaning += " follows" if len(followers) == 1 else " follow"
        if number == 5 and 4 in toe.get("co_moved", []):
            meaning += ". The little toe and 4th toe share tendons, so moving together is common"
        rows.append(
            Explanation(
                f"{TOE_NAMES.get(number, number)} individuation",
                _fmt(index, digits=2),
                meaning,
                ("hager_ross2000",) if index is not None else (),
            )
        )
    rows.append(
        Explanation(
            "Toe control score",
            _fmt(results.get("toe_control_score"), "/ 100", 0),
            f"100 = every toe lifts on its own with the others staying down. Below "
            f"{100 * INDEPENDENT_II:.0f} some toes still move together; practice most often helps",
            (TOELAB_RULE,),
        )
    )
    return rows


def _rom(results: dict[str, Any]) -> list[Explanation]:
    angle = results.get("max_extension_deg")
    grade = results.get("grade")
    if angle is None:
        return [Explanation("Big-toe extension", "—", "the angle could not be measured")]
    flag = None
    if angle >= TOE_OFF_NEEDED_DEG:
        meaning = "enough bend for a normal push-off when walking and running (about 65 to 75° is used)"
        sources: tuple[str, ...] = ("root1977",)
    elif angle >= CLEARLY_LIMITED_DEG:
        meaning = (
            "less than the 65 to 75° a full push-off uses. Walking still works, but in running the "
            "foot may roll off the side and the knee and hip take more load. Mobility exercises can help"
        )
        sources = ("root1977", "big_toe_knee_article")
    else:
        meaning = (
            "clearly limited; a stiff big toe shifts load up the leg to the knee and hip. Worth "
            "showing a physiotherapist or podiatrist"
        )
        sources = ("root1977", "big_toe_knee_article")
        if angle <= BIG_TOE_STIFF_DEG:
            flag = FLAGS["big_toe_stiff"]
    rows = [Explanation("Big-toe extension (max)", _fmt(angle, "°"), meaning, sources, flag)]
    if grade is not None:
        rows.append(
            Explanation(
                "Range",
                f"grade {grade} range",
                "the range of a published stiffness grade, by angle alone. Only an examination "
                "can grade a joint",
                ("coughlin2003",),
            )
        )
    rows.append(
        Explanation(
            "How exact",
            "a few °",
            "a photo measure is most often within a few degrees of one taken by hand. Compare tests "
            "taken the same way",
            ("otter2015",),
        )
    )
    return rows


def _rhythm(results: dict[str, Any]) -> list[Explanation]:
    mean_ms = results.get("mean_asynchrony_ms")
    if mean_ms is None:
        timing = "no lifts matched the beats"
    elif mean_ms < 0:
        timing = (
            "lifts come before the beat on average (people tapping a finger are most often about 40 ms early)"
        )
    else:
        timing = (
            "lifts come after the beat on average (people tapping a finger are most often about 40 ms early)"
        )
    return [
        Explanation("Mean asynchrony", _fmt(mean_ms, "ms"), timing, ("repp2005",)),
        Explanation(
            "Asynchrony spread (SD)",
            _fmt(results.get("sd_asynchrony_ms"), "ms"),
            "how steady the timing is; about 40 ms is common for finger tapping. Toes are slower, "
            "so more is common",
            ("repp2005",),
        ),
        Explanation(
            "Hits / misses / extra lifts",
            f"{results.get('hits')} / {results.get('misses')} / {results.get('extras')}",
            "beats met by a lift, beats without one, lifts between beats",
        ),
        Explanation(
            "Consistency R",
            _fmt(results.get("circular_r"), digits=2),
            "1 = every lift at the same point of the beat, 0 = no relation to the beat",
        ),
    ]


_EXPLAIN = {"isolation": _isolation, "rom": _rom, "rhythm": _rhythm}


def explain(task: str, results: dict[str, Any], *, condition: str | None = None) -> list[Explanation]:
    """Plain-language explanations of one task's figures (one foot's).

    ``condition`` is a tremor trial's condition (rest, postural or kinetic) when known: a
    regular rhythm at rest carries the advice to see a doctor.
    """
    if task == "tremor":
        return _tremor(results, condition)
    return _EXPLAIN[task](results)


def rows_for(task: str, results: dict[str, Any], *, condition: str | None = None) -> list[Row]:
    """:func:`explain` as ``(figure, value, what it means)`` rows, with a row of advice on whom
    to see when a result calls for it."""
    explanations = explain(task, results, condition=condition)
    rows = [e.row for e in explanations]
    for flag in dict.fromkeys(e.flag for e in explanations if e.flag is not None):
        rows.append(("When to see someone", f"{flag.see}, {flag.when}", flag.advice))
    return rows
