"""A shaking camera against a shaking foot: how far a movement stands above what the floor shows.

    python benchmarks/camera_rhythm.py                       # 11 top-view feet x 12 renders
    python benchmarks/camera_rhythm.py --renders 18 --first 12 --sources 197,057

Videos made from photos of real feet (``tests/photovideo.py``, 30 fps, 6 s, either foot): the
camera shaken 1.5 px at 3.5-10 Hz at a random heading (four renders in six) or still, and the
foot still, or its toes or the whole foot shaking 1.5 px at 4, 6 or 9 Hz (never within 1.5 Hz of
the camera's rhythm). Each is read as ``toelab analyze --task tremor`` reads it. For every
movement found at the rhythm the picture itself moved most at (``camera_shook_at_the_rhythm``),
it prints how many times what the floor showed at that rhythm the movement was
(``movement_over_camera``), split by what made it: the camera (a still foot, or a rhythm that is
not the foot's) or the foot; where the floor was followed (elsewhere the picture's motion is the
foot's own on the picture, and the test withholds the movement for that). toelab's line,
``tasks.tremor.MIN_MOVEMENT_OVER_CAMERA_AT_ITS_RHYTHM``, is printed beside them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS.parent / "tests"))

import photovideo  # noqa: E402

from toelab.analysis.shaking_part import MIN_FLOOR_SHARE, floor_followed_pct  # noqa: E402
from toelab.tasks import AnalysisOptions, run_task  # noqa: E402
from toelab.tasks.tremor import MIN_MOVEMENT_OVER_CAMERA_AT_ITS_RHYTHM  # noqa: E402
from toelab.track import parse_points, track_video  # noqa: E402

SHAKE_PX = 1.5
CAMERA_HZ = (3.5, 5.0, 6.0, 8.0, 10.0)
PART_HZ = (4.0, 6.0, 9.0)


def _render(path: Path, source: str, seed: int) -> dict:
    """One video and what made it: the part that shook (``still``, ``toes``, ``foot``), its
    rhythm and the camera's (None: still)."""
    rng = np.random.default_rng(5000 + seed)
    camera_hz = float(rng.choice(CAMERA_HZ))
    camera_heading = rng.uniform(0, 2 * np.pi)
    part = ("still", "toes", "foot")[seed % 3]
    part_hz = float(rng.choice([f for f in PART_HZ if abs(f - camera_hz) > 1.5]))
    heading = rng.uniform(0, 2 * np.pi)
    camera_on = seed % 6 < 4

    def wave(t, hz):
        return SHAKE_PX * np.sin(2 * np.pi * hz * t)

    motion = {}
    if part == "toes":
        motion["toe_drive"] = lambda t: np.outer(wave(t, part_hz), [1.0, 0.8, 0.7, 0.6, 0.5])
    elif part == "foot":
        motion["foot_shift"] = lambda t: np.outer(wave(t, part_hz), [np.cos(heading), np.sin(heading)])
    if camera_on:
        motion["camera_shift"] = lambda t: np.outer(
            wave(t, camera_hz), [np.cos(camera_heading), np.sin(camera_heading)]
        )
    foot = photovideo.load(source, mirror=seed % 2 == 1)
    truth = photovideo.render(path, foot, duration_s=6.0, seed=seed, fps=30.0, **motion)
    return {
        "first_points": truth.first_points,
        "part": part,
        "part_hz": None if part == "still" else part_hz,
        "camera_hz": camera_hz if camera_on else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sources", help="photo sources, comma-separated (default: every top view)")
    parser.add_argument("--renders", type=int, default=12, help="renders per source")
    parser.add_argument("--first", type=int, default=0, help="first render's seed")
    args = parser.parse_args()
    sources = args.sources.split(",") if args.sources else photovideo.image_names("top")
    by_maker: dict[str, list[float]] = {"camera": [], "foot": []}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "render.mp4"
        for source in sources:
            for seed in range(args.first, args.first + args.renders):
                made = _render(path, source, seed)
                recording = track_video(path, parse_points(made["first_points"]), follow_floor=True).recording
                results = run_task(recording, AnalysisOptions(task="tremor")).results
                floor_pct = floor_followed_pct(recording)
                quality = results.get("quality") or {}
                ratio = quality.get("movement_over_camera")
                found_hz = quality.get("dominant_frequency_hz")
                said = (
                    f"{results['classification']}, {results['dominant_frequency_hz']}"
                    if results["measured"]
                    else f"withheld ({(results.get('not_measured_reason') or '')[:70]})"
                )
                print(
                    f"  {source:18s} seed {seed:3d}: {made['part']:5s} at {made['part_hz']} Hz, camera at "
                    f"{made['camera_hz']} Hz; floor followed {floor_pct:.0f} %, picture's rhythm "
                    f"{quality.get('camera_rhythm_hz')} Hz, "
                    f"movement / floor {ratio}; {said}",
                    flush=True,
                )
                if not quality.get("camera_shook_at_the_rhythm") or ratio is None or found_hz is None:
                    continue
                if floor_pct < 100.0 * MIN_FLOOR_SHARE:
                    continue  # the picture's motion is then the foot's own on the picture
                foot_made_it = made["part_hz"] is not None and abs(found_hz - made["part_hz"]) <= 0.2
                by_maker["foot" if foot_made_it else "camera"].append(float(ratio))
    print(
        "\nmovements found at the rhythm the picture moved most at, the floor followed: movement / what "
        f"the floor showed (toelab's line {MIN_MOVEMENT_OVER_CAMERA_AT_ITS_RHYTHM:g})"
    )
    for maker, ratios in by_maker.items():
        low = ", ".join(f"{r:.2f}" for r in sorted(ratios)[:8]) or "none"
        high = ", ".join(f"{r:.2f}" for r in sorted(ratios)[-4:]) or "none"
        print(f"  made by the {maker}: {len(ratios)} renders; lowest {low}; highest {high}")


if __name__ == "__main__":
    main()
