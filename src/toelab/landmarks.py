"""toelab's landmark names and the default table that maps other tools' names to them.

toelab names a landmark ``<foot>_<point>`` (``right_toe1``, ``left_hallux_tip``) or just
``<point>`` when the foot is unknown. Points:

========== ==========================================================
toe1..toe5 toe nails/tips, toe1 = big toe (hallux) ... toe5 = little toe
mtp1       first metatarsophalangeal joint (ball of the big toe)
hallux_tip tip of the big toe (side view)
heel       heel, or any point along the sole / first metatarsal
mtp5       fifth metatarsal head
mt1_base   base of the first metatarsal (a point on the 1st metatarsal line)
mt5_base   base of the fifth metatarsal
forefoot   dorsum of the forefoot between the 2nd and 3rd metatarsal heads
========== ==========================================================

Names from other tools are matched case-insensitively after removing spaces,
dashes, underscores and dots, with the foot read from a left/right prefix or suffix
(``L``, ``R``, ``Left``, ``right_``, ``_r`` ...). A user's ``--map name=toelab_name``
overrides the table. Unknown names are kept as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from toelab.vocabulary import FEET

TOES = ("toe1", "toe2", "toe3", "toe4", "toe5")
POINTS = (*TOES, "mtp1", "mtp5", "hallux_tip", "heel", "mt1_base", "mt5_base", "forefoot")
# the side view's points in the order a person marks them, in plain words
SIDE_POINT_WORDS = {
    "heel": "heel",
    "mtp1": "ball of the foot (big-toe base)",
    "hallux_tip": "tip of the big toe",
}

# Default name table (normalised key -> toelab point). Sources:
# - Oxford Foot Model marker set (Carson et al. 2001; Stebbins et al. 2006): HLX hallux,
#   D1M/P1M distal/proximal 1st metatarsal, D5M/P5M 5th metatarsal, TOE, HEE heel.
# - OpenPose BODY_25 foot points: BigToe, SmallToe, Heel.
# - RTMPose/Halpe-26: big_toe, small_toe, heel. MediaPipe Pose: heel, foot_index.
DEFAULT_POINT_NAMES: dict[str, str] = {
    # toelab's own and plain-language names
    **{t: t for t in POINTS},
    "hallux": "toe1",
    "bigtoe": "toe1",
    "greattoe": "toe1",
    "toe1tip": "hallux_tip",
    "halluxtip": "hallux_tip",
    "secondtoe": "toe2",
    "thirdtoe": "toe3",
    "fourthtoe": "toe4",
    "fifthtoe": "toe5",
    "littletoe": "toe5",
    "smalltoe": "toe5",
    "pinkytoe": "toe5",
    "pinky": "toe5",
    "mtp": "mtp1",
    "mtpj1": "mtp1",
    "mth1": "mtp1",
    "mth5": "mtp5",
    "firstmtp": "mtp1",
    "ball": "mtp1",
    "calcaneus": "heel",
    "footindex": "toe1",
    # Oxford Foot Model
    "hlx": "hallux_tip",
    "d1m": "mtp1",
    "d5m": "mtp5",
    "p1m": "mt1_base",
    "p5m": "mt5_base",
    "hee": "heel",
    "toe": "forefoot",
}

_FOOT_PREFIX = re.compile(r"^(left|right|l|r)(?=[A-Z_\-. ]|$)", re.IGNORECASE)
_FOOT_SUFFIX = re.compile(r"[_\-. ](left|right|l|r)$", re.IGNORECASE)
_FOOT_WORD = {"l": "left", "left": "left", "r": "right", "right": "right"}


def _normalise(name: str) -> str:
    return re.sub(r"[\s_\-.]", "", name).lower()


def landmark_key(point: str, foot: str | None = None) -> str:
    """The toelab name of ``point`` on ``foot`` (``landmark_key("toe1", "right") == "right_toe1"``)."""
    return f"{foot}_{point}" if foot else point


def split_key(key: str) -> tuple[str | None, str]:
    """Split a toelab landmark name into (foot or None, point)."""
    for foot in FEET:
        if key.startswith(foot + "_"):
            return foot, key[len(foot) + 1 :]
    return None, key


def _split_foot(name: str) -> tuple[str | None, str]:
    stripped = name.strip()
    m = _FOOT_PREFIX.match(stripped)
    if m:
        rest = stripped[m.end() :].lstrip("_-. ")
        # "L"/"R" alone only counts as a foot before an upper-case marker code (LHLX, RD1M)
        if rest and (len(m.group(1)) > 1 or stripped[m.end()].isupper() or stripped[m.end()] in "_-. "):
            return _FOOT_WORD[m.group(1).lower()], rest
    m = _FOOT_SUFFIX.search(stripped)
    if m:
        return _FOOT_WORD[m.group(1).lower()], stripped[: m.start()]
    return None, stripped


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """Parse ``--map`` options of the form ``name=toelab_name``."""
    from toelab.errors import ToelabError

    mapping: dict[str, str] = {}
    for pair in pairs:
        if "=" not in pair:
            raise ToelabError(
                f"--map {pair!r} is not of the form name=toelab_name", hint="e.g. --map BigToe=right_toe1"
            )
        source, target = (part.strip() for part in pair.split("=", 1))
        if not source or not target:
            raise ToelabError(f"--map {pair!r} has an empty side", hint="e.g. --map BigToe=right_toe1")
        mapping[source] = target
    return mapping


def to_toelab_name(
    name: str, overrides: Mapping[str, str] | None = None, default_foot: str | None = None
) -> str:
    """Map another tool's landmark name to toelab's, or return it unchanged when unknown.

    ``overrides`` (from ``--map``) win over the default table and are matched exactly
    first, then case-insensitively.
    """
    if overrides:
        if name in overrides:
            return overrides[name]
        lowered = {k.lower(): v for k, v in overrides.items()}
        if name.lower() in lowered:
            return lowered[name.lower()]
    direct = DEFAULT_POINT_NAMES.get(_normalise(name))
    if direct is not None:
        return landmark_key(direct, default_foot)
    foot, rest = _split_foot(name)
    point = DEFAULT_POINT_NAMES.get(_normalise(rest))
    if point is None:
        return name
    return landmark_key(point, foot or default_foot)
