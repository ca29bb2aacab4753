"""The report's plots: arrays in, SVG text out (matplotlib, Agg, text drawn as paths).

Text as paths keeps each SVG self-contained: it looks the same in a browser and in the PDF
without any font installed.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, ParamSpec

import matplotlib
import matplotlib.dates as mdates
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

from toelab.report.words import unit_text
from toelab.vocabulary import TOE_NAMES

FOOT_COLOURS = {"left": "#3b6ea5", "right": "#d9822b", "both": "#5b8c5a", None: "#5b8c5a"}
SERIES_COLOURS = ("#3b6ea5", "#d9822b", "#5b8c5a", "#8e6bb0", "#b5525c")
INK, GRID, SHADE = "#333333", "#dddddd", "#eef3f8"
WIDTH_IN, HEIGHT_IN = 6.4, 2.6

_STYLE: dict[RcKeyType, Any] = {
    "font.size": 8.5,
    "axes.edgecolor": "#999999",
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": GRID,
    "grid.linewidth": 0.6,
    "xtick.color": INK,
    "ytick.color": INK,
    "legend.frameon": False,
    "svg.fonttype": "path",
    "svg.hashsalt": "toelab",  # the same plot gives the same SVG
}


P = ParamSpec("P")


def _styled(plot: Callable[P, str]) -> Callable[P, str]:
    """Draw the whole plot under the report's style (no pyplot: no global figure state)."""

    @functools.wraps(plot)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> str:
        with matplotlib.rc_context(_STYLE):
            return plot(*args, **kwargs)

    return wrapper


def _figure(width_in: float = WIDTH_IN, height_in: float = HEIGHT_IN) -> tuple[Figure, Axes]:
    figure = Figure(figsize=(width_in, height_in))
    # fixed margins in inches: room for tick labels and axis titles without a layout pass
    figure.subplots_adjust(
        left=0.75 / width_in, right=1 - 0.15 / width_in, bottom=0.55 / height_in, top=1 - 0.15 / height_in
    )
    return figure, figure.add_subplot()


def _svg(figure: Figure, *, tight: bool = False) -> str:
    buffer = io.StringIO()
    if tight:
        figure.tight_layout()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _foot_label(foot: str | None) -> str:
    return f"{foot} foot" if foot in ("left", "right") else "both feet" if foot == "both" else "foot"


@_styled
def toe_bars(indices_by_foot: Mapping[str | None, Sequence[float | None]]) -> str:
    """Individuation index per toe (0–1), one bar per foot; a toe not measured shows no bar."""
    figure, axes = _figure()
    feet = list(indices_by_foot)
    width = 0.8 / max(len(feet), 1)
    for k, foot in enumerate(feet):
        values = [np.nan if v is None else v for v in indices_by_foot[foot]]
        x = np.arange(1, 6) + (k - (len(feet) - 1) / 2) * width
        axes.bar(x, values, width * 0.92, color=FOOT_COLOURS.get(foot), label=_foot_label(foot))
        for xi, v in zip(x, values, strict=True):
            if np.isfinite(v):
                axes.text(xi, v + 0.02, f"{v:.2f}", ha="center", va="bottom", fontsize=7, color=INK)
    axes.set_xticks(range(1, 6), [TOE_NAMES[t] for t in range(1, 6)])
    axes.set_ylim(0, 1.12)
    axes.set_ylabel("individuation index")
    axes.axhline(1.0, color="#999999", lw=0.6, ls=":")
    if len(feet) > 1:
        axes.legend(loc="lower right", ncols=len(feet))
    return _svg(figure)


@_styled
def co_movement_map(matrix: np.ndarray, title: str) -> str:
    """How far each toe moved (columns) while one was asked to lift (rows), 1 = its own full lift."""
    figure, axes = _figure(3.4, 3.0)
    values = np.asarray(matrix, dtype=float)
    image = axes.imshow(np.nan_to_num(values, nan=0.0), cmap="Blues", vmin=0.0, vmax=1.0)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            text = "—" if not np.isfinite(v) else f"{v:.2f}"
            colour = "white" if np.isfinite(v) and v > 0.6 else INK
            axes.text(j, i, text, ha="center", va="center", fontsize=7, color=colour)
    labels = [str(t) for t in range(1, 6)]
    axes.set_xticks(range(5), labels)
    axes.set_yticks(range(5), labels)
    axes.set_xlabel("toe that moved")
    axes.set_ylabel("toe asked to lift")
    axes.set_title(title, fontsize=8.5)
    axes.grid(False)
    figure.colorbar(image, ax=axes, shrink=0.8)
    return _svg(figure, tight=True)


@_styled
def tremor_spectrum(
    frequencies_hz: np.ndarray, power: np.ndarray, dominant_hz: float | None, unit: str
) -> str:
    """Power spectrum of the shaking, the 3–12 Hz band shaded and the dominant frequency marked."""
    figure, axes = _figure()
    axes.axvspan(3.0, 12.0, color=SHADE, label="3–12 Hz, where most tremors lie")
    axes.plot(frequencies_hz, power, color=FOOT_COLOURS["both"], lw=1.2)
    if dominant_hz is not None:
        axes.axvline(dominant_hz, color=FOOT_COLOURS["right"], lw=1, ls="--", label=f"{dominant_hz:.1f} Hz")
    axes.set_xlim(0, float(np.max(frequencies_hz)) if len(frequencies_hz) else 20.0)
    axes.set_xlabel("frequency (Hz)")
    shown = unit_text(unit).strip()
    axes.set_ylabel(f"power ({shown})²/Hz" if shown else "power per Hz")
    axes.legend(loc="upper right")
    return _svg(figure)


@_styled
def angle_curve(time_s: np.ndarray, angle_deg: np.ndarray, max_deg: float | None) -> str:
    """The big toe's extension angle over the trial, with the ~65° a normal push-off needs."""
    figure, axes = _figure()
    axes.plot(time_s, angle_deg, color=FOOT_COLOURS["both"], lw=1.4, label="big-toe extension")
    # Root, Orien & Weed 1977: about 65–75° at the 1st MTP joint for a normal toe-off
    axes.axhline(65.0, color="#999999", lw=0.8, ls="--", label="~65° for a normal push-off")
    if max_deg is not None:
        top = int(np.nanargmax(angle_deg))
        axes.plot(
            [time_s[top]], [angle_deg[top]], "o", color=FOOT_COLOURS["right"], label=f"max {max_deg:.0f}°"
        )
    # headroom above the 65° line for the legend
    axes.set_ylim(min(0.0, float(np.nanmin(angle_deg)) - 5), max(100.0, float(np.nanmax(angle_deg)) + 30))
    axes.set_xlabel("time (s)")
    axes.set_ylabel("angle (°)")
    axes.legend(loc="upper right")
    return _svg(figure)


@_styled
def asynchrony_histogram(asynchronies_by_foot: Mapping[str | None, np.ndarray]) -> str:
    """Lift time minus beat time (ms); negative = before the beat."""
    figure, axes = _figure()
    finite = [np.asarray(a, dtype=float) for a in asynchronies_by_foot.values()]
    everything = np.concatenate(finite) if finite else np.array([0.0])
    reach = max(100.0, float(np.nanmax(np.abs(everything))) if everything.size else 100.0)
    bins = np.linspace(-reach, reach, 21).tolist()
    for foot, values in asynchronies_by_foot.items():
        axes.hist(values, bins=bins, alpha=0.6, color=FOOT_COLOURS.get(foot), label=_foot_label(foot))
    axes.axvline(0.0, color=INK, lw=0.8)
    axes.set_xlabel("lift − beat (ms); negative = early")
    axes.set_ylabel("lifts")
    axes.legend(loc="upper right")
    return _svg(figure)


@_styled
def trend_chart(
    series: Mapping[str, Sequence[tuple[date, float]]],
    ylabel: str,
    *,
    colours: Mapping[str, str] | None = None,
    reference: tuple[float, str] | None = None,
    ylim: tuple[float, float] | None = None,
    min_span: float = 0.0,
) -> str:
    """One line per series (e.g. left and right foot) over the weeks.

    ``min_span``: the y axis shows at least this range, so scatter within a figure's
    measurement error does not fill the plot as if it were a change.
    """
    figure, axes = _figure(WIDTH_IN, 2.3)
    for k, (label, points) in enumerate(series.items()):
        if not points:
            continue
        days, values = zip(*points, strict=True)
        colour = (colours or {}).get(label, SERIES_COLOURS[k % len(SERIES_COLOURS)])
        axes.plot(days, values, "o-", color=colour, lw=1.4, ms=3.5, label=label)
    if reference is not None:
        axes.axhline(reference[0], color="#999999", lw=0.8, ls="--", label=reference[1])
    if ylim is not None:
        axes.set_ylim(*ylim)
    else:
        low, high = axes.get_ylim()
        if high - low < min_span:
            middle = (low + high) / 2
            axes.set_ylim(middle - min_span / 2, middle + min_span / 2)
    axes.ticklabel_format(axis="y", useOffset=False)
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    axes.set_ylabel(ylabel)
    axes.legend(loc="best", ncols=min(len(series) + (reference is not None), 3))
    return _svg(figure)


@_styled
def adherence_bars(weeks: Sequence[tuple[date, float]]) -> str:
    """Share of each week's plan done (%)."""
    figure, axes = _figure(WIDTH_IN, 2.0)
    labels = [d.strftime("%d %b") for d, _ in weeks]
    values = [100.0 * f for _, f in weeks]
    colours = [FOOT_COLOURS["both"] if v >= 80 else "#c9a227" for v in values]
    axes.bar(range(len(values)), values, color=colours, width=0.7)
    axes.axhline(80.0, color="#999999", lw=0.8, ls="--")
    axes.set_xticks(range(len(values)), labels)
    axes.set_ylim(0, 105)
    axes.set_ylabel("plan done (%)")
    axes.set_xlabel("week starting")
    return _svg(figure)
