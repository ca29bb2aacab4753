"""Live biofeedback, one frame at a time: is the target toe up, on its own, and for how long?

The live trainer sees a toe's lift (upward displacement as a fraction of foot width, as the
tracker reports it) frame by frame and answers at once:

* **rest level** – each toe's running 10th percentile (as in :mod:`toelab.analysis.lifts`)
  over the last ``REST_WINDOW_S`` of the samples where the toe was down, so a held lift
  never becomes the new rest level;
* **up** – a toe is up once it rises ``UP_FRACTION`` of foot width above its rest level and
  stays up until it falls below ``DOWN_FRACTION`` (hysteresis, so noise does not flicker);
* **target up** – the mean level of the target toes (one toe, or e.g. the other four) is up;
* **followers** – non-target toes that are up while the target is up;
* **isolated** – target up and no follower (the green light);
* **rep** – one rise and fall of the target; *clean* when followers showed on at most
  ``FOLLOWER_TOLERANCE`` of its frames and, for a hold exercise, the hold was reached;
* **hold timer** – counts only while the target is isolated, reset at each new rep.

The thresholds are toelab's choice: 3 % of foot width is about 3 mm on a 100 mm forefoot,
well above the tracker's sub-pixel noise and well below a deliberate toe lift (1–2 cm).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from toelab.analysis.lifts import BASELINE_PERCENTILE
from toelab.analysis.rhythm import MATCH_WINDOW_PERIODS
from toelab.errors import ToelabError

UP_FRACTION = 0.03
DOWN_FRACTION = 0.015
REST_WINDOW_S = 10.0
# a follower seen on a single frame or two (tracking flicker) does not spoil a rep
FOLLOWER_TOLERANCE = 0.2
N_TOES = 5


@dataclass(frozen=True)
class Rep:
    """One finished lift of the target: the time and height of its top, and whether it was clean."""

    start_s: float
    peak_s: float
    end_s: float
    height: float
    clean: bool
    held_s: float
    followers: tuple[int, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "start_s": self.start_s,
            "peak_s": self.peak_s,
            "end_s": self.end_s,
            "height": self.height,
            "clean": self.clean,
            "held_s": self.held_s,
            "followers": list(self.followers),
        }


@dataclass(frozen=True)
class LiveState:
    """What the trainer shows on one frame."""

    time_s: float
    level: tuple[float | None, ...]  # per toe 1..5: lift above rest, fraction of foot width
    up: tuple[bool, ...]
    target: tuple[int, ...]
    target_up: bool
    isolated: bool
    followers: tuple[int, ...]  # toe numbers that are up with the target
    reps: int
    clean_reps: int
    held_s: float  # time held correctly in the current rep
    hold_target_s: float | None
    hold_reached: bool
    finished_rep: Rep | None  # set on the frame a rep ends

    def as_dict(self) -> dict[str, Any]:
        return {
            "time_s": self.time_s,
            "level": list(self.level),
            "up": list(self.up),
            "target": list(self.target),
            "target_up": self.target_up,
            "isolated": self.isolated,
            "followers": list(self.followers),
            "reps": self.reps,
            "clean_reps": self.clean_reps,
            "held_s": self.held_s,
            "hold_target_s": self.hold_target_s,
            "hold_remaining_s": None
            if self.hold_target_s is None
            else max(0.0, self.hold_target_s - self.held_s),
            "hold_reached": self.hold_reached,
            "finished_rep": None if self.finished_rep is None else self.finished_rep.as_dict(),
        }


class LiveScorer:
    """Feed ``update(time_s, lifts)`` one frame at a time; ``lifts`` holds toes 1..5 (NaN = lost)."""

    def __init__(self, target: Sequence[int], hold_s: float | None = None):
        target = tuple(sorted(set(int(t) for t in target)))
        if not target or any(t not in range(1, N_TOES + 1) for t in target):
            raise ToelabError(f"target toes must be numbers 1..5, got {target}")
        if hold_s is not None and not hold_s > 0:
            raise ToelabError(f"a hold must last a positive time, not {hold_s} s")
        self.target = target
        self.hold_target_s = hold_s
        self._rest: list[deque[tuple[float, float]]] = [deque() for _ in range(N_TOES)]
        self._up = [False] * N_TOES
        self._target_up = False
        self._last_s: float | None = None
        self.reps: list[Rep] = []
        self._rep_start_s = 0.0
        self._rep_peak = (0.0, -np.inf)
        self._rep_frames = 0
        self._rep_follower_frames = 0
        self._rep_followers: set[int] = set()
        self._held_s = 0.0

    def retarget(self, target: Sequence[int]) -> None:
        """Score other toes from now on (the next step of a test): the rest levels stay, a rep
        of the old target that is still up is dropped, not counted."""
        replacement = LiveScorer(target, self.hold_target_s)
        self.target = replacement.target
        self._target_up = False
        self._held_s = 0.0

    def _rest_level(self, toe: int, time_s: float) -> float | None:
        rest = self._rest[toe]
        while rest and rest[0][0] < time_s - REST_WINDOW_S:
            rest.popleft()
        if not rest:
            return None
        return float(np.percentile([v for _, v in rest], BASELINE_PERCENTILE))

    def update(self, time_s: float, lifts: Sequence[float]) -> LiveState:
        values = np.asarray(lifts, dtype=float)
        if values.shape != (N_TOES,):
            raise ToelabError(f"expected one lift per toe (5), got {values.shape}")
        if self._last_s is not None and time_s <= self._last_s:
            raise ToelabError("frame times must increase")
        dt = 0.0 if self._last_s is None else time_s - self._last_s
        self._last_s = time_s

        level: list[float | None] = []
        for toe in range(N_TOES):
            value = values[toe]
            if not np.isfinite(value):
                self._up[toe] = False
                level.append(None)
                continue
            rest = self._rest_level(toe, time_s)
            above = 0.0 if rest is None else float(value - rest)
            self._up[toe] = above > (DOWN_FRACTION if self._up[toe] else UP_FRACTION)
            if not self._up[toe]:
                self._rest[toe].append((time_s, float(value)))
            level.append(above)

        target_levels = [v for t in self.target if (v := level[t - 1]) is not None]
        group = float(np.mean(target_levels)) if target_levels else 0.0
        was_up = self._target_up
        self._target_up = group > (DOWN_FRACTION if was_up else UP_FRACTION)
        followers = (
            tuple(t for t in range(1, N_TOES + 1) if t not in self.target and self._up[t - 1])
            if self._target_up
            else ()
        )
        isolated = self._target_up and not followers

        finished: Rep | None = None
        if self._target_up and not was_up:
            self._rep_start_s, self._rep_peak = time_s, (time_s, group)
            self._rep_frames = self._rep_follower_frames = 0
            self._rep_followers = set()
            self._held_s = 0.0
        if self._target_up:
            self._rep_frames += 1
            self._rep_follower_frames += bool(followers)
            self._rep_followers.update(followers)
            if group > self._rep_peak[1]:
                self._rep_peak = (time_s, group)
            if isolated and was_up:
                self._held_s += dt
        elif was_up:
            finished = self._finish_rep(time_s)
        return LiveState(
            time_s=float(time_s),
            level=tuple(level),
            up=tuple(self._up),
            target=self.target,
            target_up=self._target_up,
            isolated=isolated,
            followers=followers,
            reps=len(self.reps),
            clean_reps=sum(r.clean for r in self.reps),
            held_s=self._held_s if (self._target_up or finished) else 0.0,
            hold_target_s=self.hold_target_s,
            hold_reached=self.hold_target_s is not None and self._held_s >= self.hold_target_s,
            finished_rep=finished,
        )

    def _finish_rep(self, time_s: float) -> Rep:
        held_ok = self.hold_target_s is None or self._held_s >= self.hold_target_s
        clean = held_ok and self._rep_follower_frames <= FOLLOWER_TOLERANCE * self._rep_frames
        rep = Rep(
            start_s=self._rep_start_s,
            peak_s=self._rep_peak[0],
            end_s=float(time_s),
            height=float(self._rep_peak[1]),
            clean=bool(clean),
            held_s=self._held_s,
            followers=tuple(sorted(self._rep_followers)),
        )
        self.reps.append(rep)
        return rep


def beat_asynchrony_ms(lift_s: float, beat_times_s: Sequence[float] | np.ndarray) -> float | None:
    """Lift time minus the nearest beat (ms), or None for an extra lift: farther from every beat
    than the summary's matching window (:data:`toelab.analysis.rhythm.MATCH_WINDOW_PERIODS`).

    Parameters
    ----------
    lift_s : float
        The lift's time in seconds.
    beat_times_s : array-like
        The beat times in seconds.

    Returns
    -------
    float or None
        The asynchrony in milliseconds (negative = early), or None.
    """
    beats = np.sort(np.asarray(beat_times_s, dtype=float))
    if beats.size == 0:
        return None
    i = int(np.argmin(np.abs(beats - lift_s)))
    if beats.size > 1:
        neighbour = beats[i + 1] if i + 1 < beats.size else beats[i - 1]
        period_s = abs(neighbour - beats[i])
    else:
        period_s = np.inf
    offset_s = lift_s - beats[i]
    if abs(offset_s) > MATCH_WINDOW_PERIODS * period_s:
        return None
    return float(1000.0 * offset_s)
