"""The tremor test of two code versions on the same videos: each render is made once, read by both.

    python benchmarks/tremor_same_videos.py HEAD~3             # that revision against the working tree
    python benchmarks/tremor_same_videos.py HEAD~3 . --quick   # 4 feet, 3 conditions
    python benchmarks/tremor_same_videos.py HEAD~3 . --sources 030,052 --conditions "30fps;camera shake"

x264 does not give the same picture on every run of the same frames (two runs of one render
with sensor noise gave different files, and the tracked toes differed), so two runs of
``video_accuracy.py`` compare two sets of videos as well as two versions. Here the tremor
renders of ``video_accuracy.py`` (the drawn scene and the photo-based feet, toes or the whole
foot shaking 1.5 px at 4, 6 or 9 Hz, or a still foot, under each condition) are made once and
each version reads every file as ``toelab analyze --task tremor`` does, in its own process. Each
render counts right / withheld / wrong by the benchmark's own rule
(``video_truth.tremor_verdict``); the renders whose verdict changed are listed. A version is a
git revision, ``.`` for the working tree, or a folder holding a copy of ``src``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS))
sys.path.insert(0, str(BENCHMARKS.parent / "tests"))

import photovideo  # noqa: E402
from common import export_source  # noqa: E402
from video_truth import (  # noqa: E402
    CONDITIONS,
    QUICK_CONDITIONS,
    QUICK_TOP,
    TREMOR_CONDITIONS,
    render_tremor,
    tremor_verdict,
)

# each version reads every case in one process of its own, from its own src
CHILD = """
import json, sys
sys.path.insert(0, sys.argv[2])
from video_truth import tremor_reading
for case in json.load(open(sys.argv[1])):
    reading = tremor_reading(case["path"], case["first_points"])
    names = ("classification", "found", "said", "size", "size_withheld")
    print(json.dumps(dict(zip(names, reading, strict=True))), flush=True)
"""


def _cases(folder: Path, sources: list[str], conditions: list[str], renders: int) -> list[dict]:
    cases = []
    every = [("drawn", "medium skin, wood"), *(("photo", source) for source in sources)]
    for generator, source in every:
        for part in ("toes", "foot", "still"):
            if generator == "drawn" and part == "foot":
                continue  # the drawn generator cannot move the foot over its floor
            for condition in conditions:
                for seed in range(renders):
                    path = folder / f"tremor-{len(cases):04d}.mp4"
                    first, frequency_hz = render_tremor(path, generator, source, part, condition, seed)
                    label = f"{generator} {source} {part} {condition} seed {seed}"
                    cases.append(
                        dict(
                            path=str(path),
                            first_points=first,
                            part=part,
                            frequency_hz=frequency_hz,
                            label=label if part == "still" else f"{label} ({frequency_hz:g} Hz)",
                        )
                    )
    return cases


def _read(source: Path, cases_file: Path) -> list[dict]:
    env = {**os.environ, "PYTHONPATH": str(source)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(cases_file), str(BENCHMARKS)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def _verdict(case: dict, reading: dict, judge_size: bool = True) -> str:
    said = (reading[k] for k in ("classification", "found", "said", "size", "size_withheld"))
    return tremor_verdict(case["part"], case["frequency_hz"], *said, judge_size=judge_size)


def _said(reading: dict) -> str:
    if reading["classification"] is None:
        return "withheld"
    found = "" if reading["found"] is None else f" {reading['found']:.2f} Hz"
    size = "" if reading["size"] is None else f" {reading['size']:.2f} px"
    if reading["size_withheld"]:
        size = " size withheld"
    return f"{reading['classification']}{found}{size} part {reading['said']}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="git revision to compare against")
    parser.add_argument("new", nargs="?", default=".", help="git revision, or . for the working tree")
    parser.add_argument("--renders", type=int, default=2, help="renders per condition")
    parser.add_argument("--quick", action="store_true", help="4 feet; 30 fps, 'all' and the camera shake")
    parser.add_argument("--sources", help="photo sources, comma-separated (default: every top view)")
    parser.add_argument("--conditions", help="conditions, separated by ';' (default: every one)")
    args = parser.parse_args()
    if args.sources:
        sources = args.sources.split(",")
    else:
        sources = list(QUICK_TOP) if args.quick else photovideo.image_names("top", all_toes_visible=True)
    if args.conditions:
        conditions = args.conditions.split(";")
    else:
        conditions = [*(QUICK_CONDITIONS if args.quick else CONDITIONS), *TREMOR_CONDITIONS]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = _cases(folder, sources, conditions, args.renders)
        cases_file = folder / "cases.json"
        cases_file.write_text(json.dumps(cases))
        print(f"{len(cases)} renders made once ({time.perf_counter() - started:.0f} s); read by each version")
        readings = {}
        for name, revision in (("base", args.base), ("new", args.new)):
            source = export_source(revision, folder)
            readings[name] = _read(source, cases_file)
            if len(readings[name]) != len(cases):
                raise SystemExit(f"{name} ({revision}) read {len(readings[name])} of {len(cases)} renders")
    verdicts = {n: [_verdict(c, r) for c, r in zip(cases, rs, strict=True)] for n, rs in readings.items()}
    print(f"\ntremor on the same {len(cases)} videos ({time.perf_counter() - started:.0f} s):")
    rhythm = {
        n: [_verdict(c, r, judge_size=False) for c, r in zip(cases, rs, strict=True)]
        for n, rs in readings.items()
    }
    for name, revision in (("base", args.base), ("new", args.new)):
        n, m = Counter(verdicts[name]), Counter(rhythm[name])
        print(
            f"  {name} {revision}: right {n['right']}, withheld {n['withheld']}, wrong {n['wrong']}; "
            f"the rhythm alone (frequency and part): right {m['right']}, withheld {m['withheld']}, "
            f"wrong {m['wrong']}"
        )
    changed = [i for i in range(len(cases)) if verdicts["base"][i] != verdicts["new"][i]]
    print(f"\nverdicts that changed ({len(changed)}):")
    for i in changed:
        print(
            f"  {cases[i]['label']}: {verdicts['base'][i]} -> {verdicts['new'][i]} "
            f"({_said(readings['base'][i])} -> {_said(readings['new'][i])})"
        )
    print("\nwrong in the new version:")
    for i, verdict in enumerate(verdicts["new"]):
        if verdict == "wrong":
            print(f"  {cases[i]['label']}: {_said(readings['new'][i])}")


if __name__ == "__main__":
    main()
