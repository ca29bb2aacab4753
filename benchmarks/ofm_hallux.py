"""The Oxford Foot Model's hallux-to-forefoot angle (HXFFA) on real Vicon trials.

For each session folder (a ``*static*.c3d`` and walking trials beside it) prints, per trial and
foot, the sagittal range, the peak dorsiflexion of each push-off and the transverse range.
Model outputs written by Vicon Nexus (``*_processed.c3d``) are never read as input. Where a
reference is given (``--reference WALK.c3d=NEXUS_OUTPUT.c3d``: a C3D holding Nexus's
``LHXFFA``/``RHXFFA``), also prints the RMS difference and the difference of peak dorsiflexion
against it, sample by sample on the C3D frame numbers.

    python benchmarks/ofm_hallux.py ../shared/data/ofm-c3d
    python benchmarks/ofm_hallux.py ../shared/data/ofm-c3d --reference MA1/dynamic.c3d=ref.c3d
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from scipy.signal import find_peaks

from toelab.io.c3d import read_c3d
from toelab.tasks.ofm import apply_ofm, load_static

PUSH_OFF_PROMINENCE_DEG = 10.0  # a push-off lifts the hallux well above its stance angle
STRIDE_MIN_S = 0.6  # one push-off per foot per stride


def push_off_peaks_deg(time_s: np.ndarray, sagittal_deg: np.ndarray) -> np.ndarray:
    """The peak dorsiflexion of each push-off (one per stride)."""
    finite = np.isfinite(sagittal_deg)
    if finite.sum() < 3:
        return np.array([])
    rate_hz = 1.0 / np.median(np.diff(time_s))
    filled = np.interp(time_s, time_s[finite], sagittal_deg[finite])
    peaks, _ = find_peaks(
        filled, prominence=PUSH_OFF_PROMINENCE_DEG, distance=max(1, int(STRIDE_MIN_S * rate_hz))
    )
    return filled[peaks]


def compare(ours: np.ndarray, our_first_frame: int, reference_path: Path, foot: str) -> str:
    """RMS and peak differences of our sagittal angle against Nexus's ``<L|R>HXFFA_x``."""
    reference = read_c3d(reference_path)
    name = f"{'L' if foot == 'left' else 'R'}HXFFA_x"
    if name not in reference.signals:
        return f"reference has no {name}"
    theirs = reference.signals[name]
    shift = int(reference.meta.extra["first_frame"]) - our_first_frame
    ours_on_theirs = np.full(theirs.shape, np.nan)
    index = np.arange(theirs.size) + shift
    inside = (index >= 0) & (index < ours.size)
    ours_on_theirs[inside] = ours[index[inside]]
    both = np.isfinite(ours_on_theirs) & np.isfinite(theirs)
    if not both.any():
        return "no common frames with the reference"
    rms = float(np.sqrt(np.mean((ours_on_theirs[both] - theirs[both]) ** 2)))
    peak = float(np.max(ours_on_theirs[both]) - np.max(theirs[both]))
    return f"vs Nexus: RMS {rms:.2f}°, peak dorsiflexion {peak:+.2f}° over {both.sum()} frames"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, nargs="?", default=Path("../shared/data/ofm-c3d"))
    parser.add_argument("--reference", action="append", default=[], help="WALK.c3d=NEXUS_OUTPUT.c3d")
    parser.add_argument("--flat-forefoot", action="store_true")
    args = parser.parse_args()
    references = {}
    for pair in args.reference:
        walk, _, output = pair.partition("=")
        references[(args.data / walk).resolve()] = Path(output)
    for session in sorted(p for p in args.data.iterdir() if p.is_dir()):
        statics = sorted(session.glob("*static*.c3d"))
        walks = sorted(p for p in session.glob("*.c3d") if p not in statics and "_processed" not in p.name)
        if len(statics) != 1 or not walks:
            continue
        static = load_static(statics[0], flat_forefoot=args.flat_forefoot)
        for walk in walks:
            dynamic = read_c3d(walk)
            ofm = apply_ofm(dynamic, static)
            rate = dynamic.meta.fps
            for foot, angles in ofm.angles.items():
                figures = angles.as_dict()
                sagittal, transverse = figures["sagittal"], figures["transverse"]
                peaks = push_off_peaks_deg(angles.time_s, angles.sagittal_deg)
                line = (
                    f"{session.name}/{walk.name} {foot:5s} "
                    f"({rate:.0f} Hz, {100 * angles.coverage:.0f} % measured): "
                    f"sagittal {sagittal['min']:.1f} to {sagittal['max']:.1f}° "
                    f"(push-off peaks {', '.join(f'{p:.1f}' for p in peaks) or 'none'}°), "
                    f"transverse {transverse['min']:.1f} to {transverse['max']:.1f}°, "
                    f"static transverse {figures['static']['transverse']:.1f}°"
                )
                reference = references.get(walk.resolve())
                if reference is not None:
                    line += "; " + compare(
                        angles.sagittal_deg, int(dynamic.meta.extra["first_frame"]), reference, foot
                    )
                print(line)


if __name__ == "__main__":
    main()
