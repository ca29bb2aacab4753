"""Small SVG pictures of where the phone goes, for the front and the side camera views.

The points drawn are the ones toelab tracks: the five toe tips for the front view; the
heel, the base joint of the big toe and its tip for the side view.
"""

from __future__ import annotations

from toelab.errors import ToelabError

_STYLE = (
    "<style>.foot{fill:#f3d9c4;stroke:#7a5a44;stroke-width:2}"
    ".phone{fill:#333;stroke:#111}.lens{fill:#7fc8ff}"
    ".view{fill:#7fc8ff;fill-opacity:.18;stroke:#3a8fd0;stroke-dasharray:4 3}"
    ".point{fill:#1b9e4b;stroke:#fff;stroke-width:1.5}.floor{stroke:#999;stroke-width:2}"
    "text{font:12px sans-serif;fill:#222}</style>"
)


def _svg(title: str, body: str, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 {height}" width="320" '
        f'height="{height}" role="img" aria-labelledby="title"><title id="title">{title}</title>'
        f"{_STYLE}{body}</svg>"
    )


# The drawn right foot, toes up (before it is turned round to face the phone): each toe as
# (x, y, radius) from the big toe to the little toe, and the outline of the forefoot and sole.
# The page's animated demonstrations draw from the same numbers (/api/foot-geometry).
FRONT_TOES = ((118, 62, 11), (144, 56, 8), (164, 58, 7), (182, 63, 6), (198, 71, 6))
FRONT_OUTLINE = "M110 70 C100 120 112 170 135 190 C160 205 200 190 204 150 C208 115 206 85 196 72 Z"
# The side view: heel, base joint of the big toe and its tip, the outline, and the floor's height.
SIDE_POINTS = (("heel", 62, 168), ("mtp1", 205, 172), ("hallux_tip", 250, 140))
# the outline in two parts: the foot up to the big toe's base joint, and the big toe from there
SIDE_BODY = "M52 178 C40 150 60 120 90 112 C120 100 140 70 150 40 L185 40 C190 90 200 140 206 168"
SIDE_HALLUX = "L246 134 C256 130 262 140 255 148 L214 180"
SIDE_OUTLINE = f"{SIDE_BODY} {SIDE_HALLUX} Z"
SIDE_FLOOR_Y = 180


def foot_geometry() -> dict[str, object]:
    """The numbers both views' diagrams are drawn from, for drawings on the page."""
    return {
        "front": {"toes": [list(t) for t in FRONT_TOES], "outline": FRONT_OUTLINE},
        "side": {
            "points": {name: [x, y] for name, x, y in SIDE_POINTS},
            "outline": SIDE_OUTLINE,
            "body": f"{SIDE_BODY} L214 180 Z",
            "hallux": f"M206 168 {SIDE_HALLUX} Z",
            "floor_y": SIDE_FLOOR_Y,
        },
    }


def _front() -> str:
    toes = FRONT_TOES
    tips = "".join(
        f'<ellipse class="foot" cx="{x}" cy="{y}" rx="{r}" ry="{r + 3}"/>' for x, y, r in toes
    ) + "".join(
        f'<circle class="point" data-point="toe{n}" cx="{x}" cy="{y - r}" r="4"/>'
        for n, (x, y, r) in enumerate(toes, start=1)
    )
    # drawn toes up, then turned round so the toes point at the phone (a right foot from above)
    foot = (
        '<g transform="rotate(180 160 130)">'
        f'<path class="foot" d="{FRONT_OUTLINE}"/>'
        f"{tips}</g>"
    )
    body = (
        '<text x="6" y="16">seen from above</text>'
        '<polygon class="view" points="160,256 80,120 240,120"/>'
        f"{foot}"
        '<text x="222" y="196">1 = big toe</text><text x="100" y="200">5</text>'
        '<text x="150" y="56">heel</text>'
        '<rect class="phone" data-part="phone" x="140" y="252" width="40" height="20" rx="4"/>'
        '<circle class="lens" cx="160" cy="256" r="3"/>'
        '<text x="134" y="262" text-anchor="end">phone on the floor,</text>'
        '<text x="134" y="276" text-anchor="end">camera facing the toes</text>'
    )
    return _svg("Front view: the phone on the floor in front of the toes, seen from above", body, 290)


def _side() -> str:
    points = SIDE_POINTS
    dots = "".join(
        f'<circle class="point" data-point="{name}" cx="{x}" cy="{y}" r="4"/>' for name, x, y in points
    )
    body = (
        '<text x="6" y="16">what the camera sees</text>'
        f'<line class="floor" x1="10" y1="{SIDE_FLOOR_Y}" x2="310" y2="{SIDE_FLOOR_Y}"/>'
        f'<path class="foot" d="{SIDE_OUTLINE}"/>'
        '<path d="M235 172 A30 30 0 0 0 228 150" fill="none" stroke="#1b9e4b" stroke-width="2"/>'
        f"{dots}"
        '<text x="40" y="198">heel</text><text x="170" y="198">base of big toe</text>'
        '<text x="236" y="126">tip</text>'
        '<text x="6" y="226">seen from above</text>'
        '<path class="foot" d="M70 250 C70 236 120 232 180 234 C230 236 250 240 250 250 '
        'C250 260 230 264 180 266 C120 268 70 264 70 250 Z"/>'
        '<polygon class="view" points="160,292 60,236 260,236"/>'
        '<rect class="phone" data-part="phone" x="140" y="288" width="40" height="20" rx="4"/>'
        '<circle class="lens" cx="160" cy="292" r="3"/>'
        '<text x="188" y="300">phone at foot height,</text>'
        '<text x="188" y="314">beside the inner foot</text>'
    )
    return _svg("Side view: the phone at the height of the foot, beside its inner side", body, 320)


_DIAGRAMS = {"front": _front, "side": _side}


def camera_diagram(view: str) -> str:
    """An SVG (as text) of the phone's place and the tracked points for ``view``: front or side."""
    try:
        return _DIAGRAMS[view]()
    except KeyError:
        raise ToelabError(f"there is no camera view {view!r}", hint="views: front, side") from None
