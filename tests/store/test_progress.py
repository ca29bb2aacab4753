"""Progress over weeks: trends, asymmetry, change from baseline, plateaus."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest

from toelab.analysis.progress import (
    Measurement,
    asymmetries,
    change_from_baseline,
    detect_plateau,
    summarize_progress,
    symmetry_index_pct,
    trend,
)
from toelab.errors import ToelabError

START = date(2026, 1, 5)


def weekly(
    metric: str, values: list[float], foot: str | None = "right", toe: int | None = None
) -> list[Measurement]:
    return [Measurement(START + timedelta(weeks=i), metric, v, foot, toe) for i, v in enumerate(values)]


def full_adherence(weeks: int, fraction: float = 1.0) -> dict[date, float]:
    return {START + timedelta(weeks=i): fraction for i in range(weeks)}


def test_a_steadily_rising_control_score_is_improving_at_its_weekly_rate() -> None:
    result = trend(
        weekly("toe_control_score_pct", [40, 45, 50, 55, 60, 65]), "toe_control_score_pct", "right"
    )
    assert result is not None
    assert result.slope_per_week == pytest.approx(5.0)
    assert result.direction == "improving" and result.n_sessions == 6


def test_one_bad_session_does_not_bend_the_trend() -> None:
    values = [40, 45, 50, 10, 60, 65, 70]
    result = trend(weekly("toe_control_score_pct", values), "toe_control_score_pct", "right")
    assert result is not None and result.slope_per_week == pytest.approx(5.0)


def test_a_growing_tremor_amplitude_is_worsening_and_a_frequency_only_rises() -> None:
    amplitude = trend(weekly("tremor_amplitude", [1.0, 1.5, 2.0, 2.5]), "tremor_amplitude", "right")
    frequency = trend(weekly("tremor_frequency_hz", [5.0, 5.5, 6.0, 6.5]), "tremor_frequency_hz", "right")
    assert amplitude is not None and amplitude.direction == "worsening"
    assert frequency is not None and frequency.direction == "rising"


def test_two_sessions_give_a_slope_but_no_verdict_and_scatter_is_steady() -> None:
    two = trend(weekly("individuation_index", [0.4, 0.5]), "individuation_index", "right")
    assert two is not None and two.direction == "unclear" and two.slope_per_week == pytest.approx(0.1)
    noisy = trend(
        weekly("individuation_index", [0.5, 0.6, 0.4, 0.6, 0.4, 0.5]), "individuation_index", "right"
    )
    assert noisy is not None and noisy.direction == "steady"
    assert trend(weekly("individuation_index", [0.4]), "individuation_index", "right") is None


def test_the_weaker_foot_and_symmetry_index_are_reported_per_toe() -> None:
    data = weekly("individuation_index", [0.8], "right", 2) + weekly("individuation_index", [0.6], "left", 2)
    (row,) = asymmetries(data, "individuation_index", toe=2)
    assert row.symmetry_index_pct == pytest.approx((0.8 - 0.6) / 0.7 * 100)
    assert row.weaker_foot == "left"
    assert math.isnan(symmetry_index_pct(0.0, 0.0))


def test_lower_is_better_figures_call_the_larger_foot_weaker() -> None:
    data = weekly("sd_asynchrony_ms", [30.0], "right") + weekly("sd_asynchrony_ms", [60.0], "left")
    (row,) = asymmetries(data, "sd_asynchrony_ms")
    assert row.weaker_foot == "left"


def test_regaining_80_percent_of_previous_control_after_six_weeks() -> None:
    # seed 001: after six weeks of daily practice, 80 % of pre-surgery toe control regained
    data = weekly("toe_control_score_pct", [40, 46, 50, 55, 58, 62, 72])
    change = change_from_baseline(data, "toe_control_score_pct", "right", reference=90.0)
    assert change is not None
    assert (change.baseline_value, change.latest_value, change.change) == (40, 72, 32)
    assert change.change_pct == pytest.approx(80.0)
    assert change.pct_of_reference == pytest.approx(80.0)
    assert change.latest_day - change.baseline_day == timedelta(weeks=6)


def test_six_flat_weeks_of_consistent_practice_are_a_plateau_with_advice_to_see_a_professional() -> None:
    rng = np.random.default_rng(0)
    values = list(60 + rng.normal(0, 2, 7))
    plateau = detect_plateau(
        weekly("toe_control_score_pct", values), "toe_control_score_pct", full_adherence(7), "right"
    )
    assert plateau is not None and plateau.plateau and plateau.consistent
    assert plateau.weeks == pytest.approx(6.0)
    assert "physiotherapist or podiatrist" in plateau.advice


def test_flat_weeks_with_little_practice_ask_for_practice_not_a_professional() -> None:
    plateau = detect_plateau(
        weekly("toe_control_score_pct", [60] * 7), "toe_control_score_pct", full_adherence(7, 0.4), "right"
    )
    assert plateau is not None and not plateau.plateau and not plateau.consistent
    assert "More regular practice" in plateau.advice


def test_steady_improvement_is_no_plateau_and_too_short_a_history_gives_no_answer() -> None:
    rising = weekly("big_toe_extension_deg", [30, 32, 34, 36, 38, 40, 42])
    plateau = detect_plateau(rising, "big_toe_extension_deg", full_adherence(7), "right")
    assert plateau is not None and not plateau.plateau and plateau.advice is None
    assert plateau.improvement == pytest.approx(12.0)
    short = weekly("big_toe_extension_deg", [30, 30, 30, 30])
    assert detect_plateau(short, "big_toe_extension_deg", full_adherence(4), "right") is None


def test_the_plateau_window_looks_only_at_the_last_eight_weeks() -> None:
    values = [20, 30, 40, 50, 60] + [60] * 9
    plateau = detect_plateau(
        weekly("toe_control_score_pct", values), "toe_control_score_pct", full_adherence(14), "right"
    )
    assert plateau is not None and plateau.plateau
    assert plateau.window_start == START + timedelta(weeks=5)


def test_a_figure_without_a_better_direction_cannot_plateau() -> None:
    with pytest.raises(ToelabError, match="no better direction"):
        detect_plateau(weekly("tremor_frequency_hz", [5] * 7), "tremor_frequency_hz", full_adherence(7))
    with pytest.raises(ToelabError, match="no progress rule"):
        detect_plateau(weekly("shoe_size", [5] * 7), "shoe_size", full_adherence(7))


def test_a_summary_covers_every_series_and_both_feet() -> None:
    data = (
        weekly("toe_control_score_pct", [50, 50, 50, 50, 50, 50, 50], "right")
        + weekly("toe_control_score_pct", [40, 42, 44, 46, 48, 50, 52], "left")
        + weekly("tremor_frequency_hz", [6.0] * 7, "right")
    )
    summary = summarize_progress(data, full_adherence(7))
    assert [(t.metric, t.foot) for t in summary.trends] == [
        ("toe_control_score_pct", "left"),
        ("toe_control_score_pct", "right"),
        ("tremor_frequency_hz", "right"),
    ]
    assert len(summary.asymmetries) == 7 and summary.asymmetries[-1].weaker_foot == "right"
    assert [(p.foot, p.plateau) for p in summary.plateaus] == [("left", False), ("right", True)]
    assert len(summary.changes) == 3
