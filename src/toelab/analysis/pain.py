"""Pain over sessions: is it rising, and is it time to ease off or to see a professional.

The person rates pain after each session on the 0–10 numeric rating scale. The rule:

* **Rising** — the mean of the last ``RECENT`` check-ins is at least ``RISE_POINTS`` (2) above
  the mean of the check-ins before them (up to ``EARLIER`` of them). Two points on the 0–10
  scale is the smallest change people themselves judge as a real change (Farrar et al. 2001,
  doi:10.1016/S0304-3959(01)00349-9); a smaller drift is within the scale's day-to-day noise.
* **Too hard** — the last two check-ins are both above ``ACCEPTABLE_PAIN`` (5). The pain-
  monitoring model of exercise lets pain reach 5/10 during practice as long as it settles by
  the next morning and does not build week on week (Silbernagel et al. 2007,
  doi:10.1177/0363546506298279); above 5 twice in a row is more than the model accepts.
* Rising **or** too hard → **ease off**: fewer reps, an easier level, more rest.
* Rising **and** too hard → **see a professional**: pain that keeps building past the
  acceptable ceiling despite practice is for a physiotherapist or podiatrist to look at.

Fewer than ``MIN_CHECKINS`` check-ins say nothing about a trend: the answer says so and
raises no finding. The advice informs and refers; it never names a cause.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from toelab.errors import ToelabError

RECENT = 3
EARLIER = 3
MIN_CHECKINS = RECENT + 1
RISE_POINTS = 2.0  # Farrar et al. 2001: the smallest change on the 0–10 scale people feel as real
ACCEPTABLE_PAIN = 5  # Silbernagel et al. 2007: the most pain the exercise pain-monitoring model accepts

LEVELS = ("not_enough", "steady", "ease_off", "see_professional")

EASE_OFF = (
    "Pain has gone up over your last sessions. Ease off: do fewer repetitions, go back to an "
    "easier level and rest a day between sessions. During practice pain should stay at 5 out of "
    "10 or below and settle by the next morning."
)
SEE_PROFESSIONAL = (
    "Pain has gone up over your last sessions and stayed above 5 out of 10. Stop the exercises "
    "that hurt and see a physiotherapist or podiatrist within the next few days, before you "
    "carry on. toelab cannot tell why it hurts."
)
TOO_HARD = (
    "Your last two sessions hurt more than 5 out of 10. Ease off: fewer repetitions or an easier "
    "level, so that pain stays at 5 or below and settles by the next morning."
)


@dataclass(frozen=True)
class PainReading:
    day: date
    pain: int  # 0 (none) to 10 (worst imaginable)


@dataclass(frozen=True)
class PainTrend:
    """What the check-ins say about pain; ``advice`` is empty when there is nothing to act on."""

    level: str  # one of LEVELS
    n_checkins: int
    recent_mean: float | None  # mean pain of the last RECENT check-ins
    earlier_mean: float | None  # mean pain of the check-ins before them
    rise_points: float | None  # recent_mean - earlier_mean
    latest: int | None
    reason: str  # in plain words: what the figures were
    advice: str

    @property
    def direction(self) -> str:
        """``up``, ``down``, ``flat`` or ``unknown`` (too few check-ins), for a trend arrow."""
        if self.rise_points is None:
            return "unknown"
        if self.rise_points >= RISE_POINTS:
            return "up"
        if self.rise_points <= -RISE_POINTS:
            return "down"
        return "flat"


def _mean(values: Sequence[int]) -> float:
    return sum(values) / len(values)


def pain_trend(readings: Sequence[PainReading]) -> PainTrend:
    """Judge pain over the check-ins, oldest first (see the module's rule)."""
    for reading in readings:
        if not 0 <= reading.pain <= 10:
            raise ToelabError(f"pain is rated 0 (none) to 10 (worst), not {reading.pain}")
    ordered = sorted(readings, key=lambda r: r.day)
    pains = [r.pain for r in ordered]
    latest = pains[-1] if pains else None
    too_hard = len(pains) >= 2 and all(p > ACCEPTABLE_PAIN for p in pains[-2:])
    if len(pains) < MIN_CHECKINS:
        reason = f"{len(pains)} check-in(s); a trend needs at least {MIN_CHECKINS}"
        return PainTrend(
            "ease_off" if too_hard else "not_enough",
            len(pains),
            None,
            None,
            None,
            latest,
            reason,
            TOO_HARD if too_hard else "",
        )
    recent = pains[-RECENT:]
    earlier = pains[:-RECENT][-EARLIER:]
    recent_mean, earlier_mean = _mean(recent), _mean(earlier)
    rise = recent_mean - earlier_mean
    rising = rise >= RISE_POINTS
    reason = (
        f"pain {recent_mean:.1f}/10 on average over the last {len(recent)} check-ins, "
        f"{earlier_mean:.1f}/10 over the {len(earlier)} before"
    )
    if rising and too_hard:
        level, advice = "see_professional", SEE_PROFESSIONAL
    elif rising:
        level, advice = "ease_off", EASE_OFF
    elif too_hard:
        level, advice = "ease_off", TOO_HARD
    else:
        level, advice = "steady", ""
    return PainTrend(level, len(pains), recent_mean, earlier_mean, rise, latest, reason, advice)
