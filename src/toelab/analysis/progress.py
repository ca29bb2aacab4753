"""Progress over weeks: trends, left/right asymmetry, change from baseline, plateaus.

Input is a list of dated :class:`Measurement` figures (one per session, foot and toe);
output is frozen dataclasses. Nothing here reads a database or prints.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

from toelab.errors import ToelabError


@dataclass(frozen=True)
class Measurement:
    day: date
    metric: str
    value: float
    foot: str | None = None
    toe: int | None = None  # 1 = big toe; None for a figure of the whole foot


@dataclass(frozen=True)
class MetricSpec:
    """What counts as better for a figure, and the smallest change that counts as real."""

    label: str
    higher_is_better: bool | None  # None: neither direction is better (e.g. a frequency)
    meaningful_change: float
    relative: bool = False  # True: ``meaningful_change`` is a fraction of the figure's level


METRICS: dict[str, MetricSpec] = {
    # toelab's own threshold (no published minimal important change exists for toes): one toe
    # going from moving with its neighbours to moving alone is worth 20 points of the 0–100
    # score, so a real change is at least half of that
    "toe_control_score_pct": MetricSpec("toe control score", True, 10.0),
    # the same reasoning on the 0–1 individuation index (Häger-Ross & Schieber 2000)
    "individuation_index": MetricSpec("toe individuation", True, 0.1),
    # goniometer and photo measurements agree within a few degrees (Otter et al. 2015,
    # J Foot Ankle Res 8:30), so smaller changes are within measurement error
    "big_toe_extension_deg": MetricSpec("big-toe extension", True, 5.0),
    # video and accelerometer tremor frequencies differ by 0.54–0.76 Hz on average
    # (TremAn3, Sensors 2026): a change under 1 Hz is within the method's error
    "tremor_frequency_hz": MetricSpec("tremor frequency", None, 1.0),
    # tremor amplitude varies widely from day to day; toelab counts a change of 30 % as real
    "tremor_amplitude": MetricSpec("tremor amplitude", False, 0.3, relative=True),
    # people tap about 40 ms early with an SD of about 40 ms (Repp 2005): 20 ms is half that
    "mean_asynchrony_ms": MetricSpec("mean asynchrony", None, 20.0),
    "sd_asynchrony_ms": MetricSpec("timing variability", False, 10.0),
}

# "consistent practice": toelab's own reading of seed 001's "6–8 weeks of consistent
# exercise" as at least 80 % of the plan's sessions done, on average over the weeks
CONSISTENT_ADHERENCE = 0.8
# seed 001: see a professional after 6–8 weeks of consistent exercise without improvement
PLATEAU_MIN_WEEKS = 6.0
PLATEAU_MAX_WEEKS = 8.0
PLATEAU_MIN_SESSIONS = 3

PLATEAU_ADVICE = (
    "No meaningful improvement in {label} after {weeks:.0f} weeks of consistent practice. "
    "It is worth reviewing the programme with a physiotherapist or podiatrist."
)
LOW_ADHERENCE_ADVICE = (
    "Little change in {label} so far, with practice below {pct:.0f} % of the plan. "
    "More regular practice comes first; then look again."
)


@dataclass(frozen=True)
class Trend:
    metric: str
    foot: str | None
    toe: int | None
    n_sessions: int
    first_day: date
    last_day: date
    slope_per_week: float  # Theil–Sen slope, figure units per week
    slope_low_per_week: float  # 95 % confidence interval of the slope
    slope_high_per_week: float
    direction: str  # improving, worsening, rising, falling, steady, unclear (fewer than 3 sessions)


@dataclass(frozen=True)
class Asymmetry:
    metric: str
    toe: int | None
    day: date
    left: float
    right: float
    # (right − left) / mean(left, right) × 100 (Robinson et al. 1987, J Manipulative Physiol
    # Ther 10:172); 0 = symmetric, positive = right larger; NaN when the mean is 0
    symmetry_index_pct: float
    weaker_foot: str | None  # None when neither direction is better, or both are equal


@dataclass(frozen=True)
class BaselineChange:
    metric: str
    foot: str | None
    toe: int | None
    baseline_day: date
    baseline_value: float
    latest_day: date
    latest_value: float
    change: float
    change_pct: float  # change relative to the baseline; NaN when the baseline is 0
    # the latest value as a share of a reference (e.g. the level before an injury, or the
    # other foot): seed 001's "regained 80 % of pre-surgery toe control"
    pct_of_reference: float | None


@dataclass(frozen=True)
class Plateau:
    metric: str
    foot: str | None
    toe: int | None
    window_start: date
    window_end: date
    weeks: float
    improvement: float  # over the window, in the better direction (relative for relative figures)
    meaningful_change: float
    mean_adherence: float  # NaN when no adherence was recorded for the window
    consistent: bool
    plateau: bool
    advice: str | None


@dataclass(frozen=True)
class ProgressSummary:
    trends: tuple[Trend, ...]
    asymmetries: tuple[Asymmetry, ...]
    changes: tuple[BaselineChange, ...]
    plateaus: tuple[Plateau, ...]


def metric_spec(metric: str) -> MetricSpec:
    try:
        return METRICS[metric]
    except KeyError:
        raise ToelabError(
            f"no progress rule for figure {metric!r}", hint=f"known: {', '.join(METRICS)}"
        ) from None


def _daily(
    measurements: Iterable[Measurement], metric: str, foot: str | None, toe: int | None
) -> list[tuple[date, float]]:
    """The mean value per day of one series, days in order, non-finite values dropped."""
    by_day: dict[date, list[float]] = defaultdict(list)
    for m in measurements:
        if m.metric == metric and m.foot == foot and m.toe == toe and np.isfinite(m.value):
            by_day[m.day].append(float(m.value))
    return [(day, float(np.mean(values))) for day, values in sorted(by_day.items())]


def _theilslopes(values: np.ndarray, weeks: np.ndarray, alpha: float = 0.95) -> Any:
    """scipy's Theil–Sen fit (slope, intercept, low_slope, high_slope)."""
    # imported here: scipy.stats takes most of a second to import, and every command that
    # only measures (``toelab analyze``) would pay for it
    from scipy.stats import theilslopes

    return theilslopes(values, weeks, alpha=alpha)


def _weeks(days: Sequence[date], origin: date) -> np.ndarray:
    return np.array([(d - origin).days / 7.0 for d in days])


def trend(
    measurements: Iterable[Measurement], metric: str, foot: str | None = None, toe: int | None = None
) -> Trend | None:
    """Theil–Sen slope per week of one series (robust to a single bad session); None below 2 sessions.

    Parameters
    ----------
    measurements : iterable of Measurement
        Stored figures; those of ``metric``, ``foot`` and ``toe`` are used.
    metric : str
        The figure's name.
    foot : str or None
        The foot of the series.
    toe : int or None
        The toe of the series, for per-toe figures.

    Returns
    -------
    Trend or None
        The slope per week with its 95 % confidence interval and direction, or None.

    References
    ----------
    .. [1] sen1968, doi:10.1080/01621459.1968.10480934
       Sen 1968. Estimates of the regression coefficient based on Kendall's tau. J Am Stat Assoc
       63:1379.
    """
    series = _daily(measurements, metric, foot, toe)
    if len(series) < 2:
        return None
    days = [d for d, _ in series]
    values = np.array([v for _, v in series])
    fit = _theilslopes(values, _weeks(days, days[0]), alpha=0.95)
    slope, low, high = float(fit.slope), float(fit.low_slope), float(fit.high_slope)
    better = METRICS[metric].higher_is_better if metric in METRICS else None
    if len(series) < 3:
        direction = "unclear"
    elif low <= 0.0 <= high:
        direction = "steady"
    elif better is None:
        direction = "rising" if slope > 0 else "falling"
    else:
        direction = "improving" if (slope > 0) == better else "worsening"
    return Trend(metric, foot, toe, len(series), days[0], days[-1], slope, low, high, direction)


def symmetry_index_pct(left: float, right: float) -> float:
    """(right − left) / mean(left, right) × 100 (Robinson et al. 1987); NaN when the mean is 0."""
    mean = (left + right) / 2.0
    return float((right - left) / mean * 100.0) if mean != 0 else float("nan")


def asymmetries(
    measurements: Iterable[Measurement], metric: str, toe: int | None = None
) -> tuple[Asymmetry, ...]:
    """Left against right on every day both feet were measured."""
    measurements = list(measurements)
    left = dict(_daily(measurements, metric, "left", toe))
    right = dict(_daily(measurements, metric, "right", toe))
    better = METRICS[metric].higher_is_better if metric in METRICS else None
    rows = []
    for day in sorted(left.keys() & right.keys()):
        lv, rv = left[day], right[day]
        weaker = None
        if better is not None and lv != rv:
            weaker = "left" if (lv < rv) == better else "right"
        rows.append(Asymmetry(metric, toe, day, lv, rv, symmetry_index_pct(lv, rv), weaker))
    return tuple(rows)


def change_from_baseline(
    measurements: Iterable[Measurement],
    metric: str,
    foot: str | None = None,
    toe: int | None = None,
    reference: float | None = None,
) -> BaselineChange | None:
    """The latest session against the first; None without a series."""
    series = _daily(measurements, metric, foot, toe)
    if not series:
        return None
    (first_day, first), (last_day, last) = series[0], series[-1]
    change = last - first
    change_pct = change / abs(first) * 100.0 if first != 0 else float("nan")
    of_reference = last / reference * 100.0 if reference else None
    return BaselineChange(
        metric, foot, toe, first_day, first, last_day, last, change, change_pct, of_reference
    )


def detect_plateau(
    measurements: Iterable[Measurement],
    metric: str,
    adherence: Mapping[date, float],
    foot: str | None = None,
    toe: int | None = None,
) -> Plateau | None:
    """Whether a figure stopped improving over the last 6–8 weeks of consistent practice.

    ``adherence`` maps each week's first day to the share of the plan done that week (0..1).
    The window is the last 8 weeks of sessions; it must span at least 6 weeks and hold at
    least 3 sessions, otherwise the answer is None (too early to say). The improvement is the
    Theil–Sen slope × the window's length, in the figure's better direction; below the
    figure's meaningful change, with consistent practice, it is a plateau.

    Parameters
    ----------
    measurements, metric, foot, toe
        The series, as for :func:`trend`.
    adherence : mapping of date to float
        Each week's first day to the share of the plan done that week.

    Returns
    -------
    Plateau or None
        The plateau, or None when there is none or it is too early to say.

    Raises
    ------
    ToelabError
        When the figure is unknown or has no better direction.

    References
    ----------
    .. [1] sen1968, doi:10.1080/01621459.1968.10480934
       Sen 1968. Estimates of the regression coefficient based on Kendall's tau. J Am Stat Assoc
       63:1379.
    """
    spec = metric_spec(metric)
    if spec.higher_is_better is None:
        raise ToelabError(f"{spec.label} has no better direction, so it cannot stop improving")
    series = _daily(measurements, metric, foot, toe)
    if not series:
        return None
    end = series[-1][0]
    window = [(d, v) for d, v in series if d >= end - timedelta(weeks=PLATEAU_MAX_WEEKS)]
    start = window[0][0]
    weeks = (end - start).days / 7.0
    if weeks < PLATEAU_MIN_WEEKS or len(window) < PLATEAU_MIN_SESSIONS:
        return None
    values = np.array([v for _, v in window])
    slope = float(_theilslopes(values, _weeks([d for d, _ in window], start)).slope)
    improvement = slope * weeks
    if not spec.higher_is_better:
        improvement = -improvement
    if spec.relative:
        level = float(np.median(np.abs(values)))
        improvement = improvement / level if level > 0 else float("nan")
    weekly = [f for week_start, f in adherence.items() if start - timedelta(days=6) <= week_start <= end]
    mean_adherence = float(np.mean(weekly)) if weekly else float("nan")
    consistent = bool(weekly) and mean_adherence >= CONSISTENT_ADHERENCE
    flat = not improvement >= spec.meaningful_change
    advice = None
    if flat and consistent:
        advice = PLATEAU_ADVICE.format(label=spec.label, weeks=weeks)
    elif flat:
        advice = LOW_ADHERENCE_ADVICE.format(label=spec.label, pct=CONSISTENT_ADHERENCE * 100)
    return Plateau(
        metric,
        foot,
        toe,
        start,
        end,
        weeks,
        improvement,
        spec.meaningful_change,
        mean_adherence,
        consistent,
        flat and consistent,
        advice,
    )


def summarize_progress(
    measurements: Sequence[Measurement], adherence: Mapping[date, float] | None = None
) -> ProgressSummary:
    """Trends and changes of every series, asymmetries of every figure measured on both feet.

    Plateaus are looked for, when ``adherence`` is given, in the figures with a better direction.

    Parameters
    ----------
    measurements : sequence of Measurement
        Every stored figure, with its day, foot and toe.
    adherence : mapping of date to float, optional
        Each week's first day to the share of the plan done that week (0..1).

    Returns
    -------
    ProgressSummary
        Trends (Theil–Sen slope per week), changes from the first session, left/right
        asymmetries and plateaus.

    References
    ----------
    .. [1] sen1968, doi:10.1080/01621459.1968.10480934
       Sen 1968. Estimates of the regression coefficient based on Kendall's tau. J Am Stat Assoc
       63:1379.
    """
    keys = sorted(
        {(m.metric, m.foot, m.toe) for m in measurements},
        key=lambda k: (k[0], k[1] or "", -1 if k[2] is None else k[2]),
    )
    trends = [t for k in keys if (t := trend(measurements, *k)) is not None]
    changes = [c for k in keys if (c := change_from_baseline(measurements, *k)) is not None]
    sided = sorted(
        {(metric, toe) for metric, foot, toe in keys if foot in ("left", "right")},
        key=lambda k: (k[0], k[1] or 0),
    )
    asym = [a for metric, toe in sided for a in asymmetries(measurements, metric, toe)]
    plateaus = []
    if adherence is not None:
        plateaus = [
            p
            for metric, foot, toe in keys
            if metric in METRICS
            and METRICS[metric].higher_is_better is not None
            and (p := detect_plateau(measurements, metric, adherence, foot, toe)) is not None
        ]
    return ProgressSummary(tuple(trends), tuple(asym), tuple(changes), tuple(plateaus))
