"""How well a recording supports a figure: :class:`Quality`, and the frame coverage it is built on.

A task states what it needs to measure well (frames covered by good tracking, number of lifts
or beats hit, sampling rate, recording length); each need is a :class:`Need` with the figure it
checks, the line, why, and how to redo the recording. Below any line the task's headline
figures are withheld (``None``) and the reason is said in plain words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from toelab.recording import Recording

# A tracked point below this confidence is "tracked poorly" on that frame: the share of its
# features the tracker still holds, lowered by their forward-backward error
# (toelab.track.tracker). The same line marks poorly tracked points in the video warnings.
GOOD_CONFIDENCE = 0.3
# toelab's own floor for a camera: below a twentieth of a pixel tracked points move with image
# noise alone (a still foot's points wander 0.005-0.01 px RMS over 1-20 Hz), so a smaller
# movement is not told apart from none
SMALLEST_SEEN_PX = 0.05
# toelab's tracker follows each toe from the texture inside a patch about the toe's width: under
# 15 px a toe holds too few features of its own and its neighbours' edges fill the flow window.
# The same line as the camera set-up check (toelab.track.setup_check).
MIN_TOE_WIDTH_PX = 15.0
# recordings whose points toelab's own tracker followed: a video file or the live camera
TRACKED_SOURCES = ("video", "camera")


@dataclass(frozen=True)
class Need:
    """One thing a figure needs: ``figure`` (a key of the quality figures) at least ``least``."""

    figure: str
    least: float
    why: str  # what went wrong, in plain words, when the need is not met
    redo: str  # how to record it again


@dataclass(frozen=True)
class Quality:
    """The quality figures of one measurement (named with their units) and the needs it missed."""

    figures: dict[str, Any] = field(default_factory=dict)
    missed: tuple[Need, ...] = ()

    @property
    def measured(self) -> bool:
        return not self.missed

    @property
    def reason(self) -> str | None:
        """What went wrong, in one plain sentence; None when the figure was measured."""
        if not self.missed:
            return None
        text = "; ".join(dict.fromkeys(n.why for n in self.missed))
        return text[0].upper() + text[1:]

    @property
    def redo(self) -> str | None:
        """How to record it again; None when the figure was measured."""
        if not self.missed:
            return None
        text = "; ".join(dict.fromkeys(n.redo for n in self.missed))
        return text[0].upper() + text[1:]

    def as_dict(self) -> dict[str, Any]:
        """The JSON keys every task's results carry: ``measured``, ``quality`` and, when the
        figure was withheld, ``not_measured_reason`` and ``how_to_redo``."""
        out: dict[str, Any] = {"measured": self.measured, "quality": dict(self.figures)}
        if not self.measured:
            out["not_measured_reason"] = self.reason
            out["how_to_redo"] = self.redo
        return out


def toe_width_px(recording: Recording, foot: str | None) -> float | None:
    """A toe's width on the picture (a fifth of the foot's width) where toelab's tracker followed
    the toes (a video or the live camera, front view); None for any other recording (the line
    is the tracker's, not a landmark file's)."""
    widths = recording.meta.extra.get("foot_width_px") if recording.meta.source in TRACKED_SOURCES else None
    if not widths:
        return None
    sizes = [float(w) for side, w in widths.items() if foot in (None, "both", side)]
    return round(min(sizes) / 5.0, 1) if sizes else None


def toes_told_from_floor(recording: Recording, foot: str | None) -> bool | None:
    """Whether toelab's tracker told the toes' skin from the floor by colour on the first frame
    (every foot asked for); None for any other recording, or one tracked before this was kept."""
    told = (
        recording.meta.extra.get("toes_told_from_floor") if recording.meta.source in TRACKED_SOURCES else None
    )
    if not told:
        return None
    feet = [bool(v) for side, v in told.items() if foot in (None, "both", side)]
    return all(feet) if feet else None


def toe_size_needs(figures: Mapping[str, Any]) -> list[Need]:
    """Toes wide enough to follow, where ``figures`` holds a ``toe_width_px`` (tracked videos)."""
    width = figures.get("toe_width_px")
    if width is None:
        return []
    return [
        Need(
            "toe_width_px",
            MIN_TOE_WIDTH_PX,
            f"the toes are too small on the picture (about {width:.0f} pixels wide; "
            f"{MIN_TOE_WIDTH_PX:.0f} are needed to follow each toe)",
            "bring the camera closer to the toes (about 30–40 cm), or film at a higher resolution",
        )
    ]


def judge(figures: dict[str, Any], needs: Sequence[Need]) -> Quality:
    """The quality of a measurement: ``needs`` whose figure is missing or below its line are missed."""
    missed = tuple(
        need
        for need in needs
        if figures.get(need.figure) is None or not float(figures[need.figure]) >= need.least
    )
    return Quality(figures, missed)


def quality_keys(quality: Quality | None) -> dict[str, Any]:
    """``quality.as_dict()``, or nothing when a result was made without one (pure analysis)."""
    return {} if quality is None else quality.as_dict()


def good_frames(recording: Recording, names: Sequence[str]) -> np.ndarray:
    """Per sample: every named point has a position and, where the source gave one, a
    confidence of at least :data:`GOOD_CONFIDENCE`."""
    good = np.ones(recording.n_samples, dtype=bool)
    for name in names:
        good &= np.isfinite(recording.landmarks[name]).all(axis=1)
        confidence = recording.confidence.get(name)
        if confidence is not None:
            good &= np.nan_to_num(confidence, nan=0.0) >= GOOD_CONFIDENCE
    return good


def good_share_pct(recording: Recording, names: Sequence[str]) -> float:
    """The share of samples (%) on which all the named points are tracked well."""
    if recording.n_samples == 0:
        return 0.0
    return round(100.0 * float(good_frames(recording, names).mean()), 1)
