"""Pure analysis functions: numpy arrays or a Recording in, frozen dataclasses out.

No I/O and no globals; units are in the names. The submodules load when first used, so
importing :mod:`toelab.analysis` costs nothing (the way SciPy and scikit-image load theirs).

Toe isolation
=============
``individuation_from_recording``  individuation index per toe and the toe control score
``analyze_individuation``         the same from toe heights (time × 5 toes)
``lifts_from_recording``          each toe's detected lifts
``detect_lifts``                  lifts in one height signal, against its own baseline
``toe_heights``                   each toe's height above its resting position

Big-toe extension
=================
``rom_from_recording``            maximum extension of the big toe and its grade range
``analyze_rom``                   the same from an angle series
``hallux_extension_deg``          signed extension angle from three points (2-D or 3-D)
``grade_range``                   the Coughlin & Shurnas (2003) grade range of an angle

Tremor
======
``tremor_from_recording``         dominant frequency, amplitude, classification, stability
``analyze_tremor``                the same from uniform samples
``typical_band``                  the tremor kinds whose range holds a frequency

Rhythm
======
``rhythm_from_recording``         asynchrony of toe lifts against beats; hits, misses, extras
``analyze_rhythm``                the same from lift and beat times
``beats_from_bpm``                metronome beat times
``beats_from_audio``              beat times from a sound track (clicks or music)
``compare_feet``                  left against right

Progress
========
``summarize_progress``            trends, changes from baseline, left/right asymmetries
``detect_plateau``                no change over weeks of consistent practice
``trend``                         a robust (Theil–Sen) trend of one figure

Live feedback
=============
``LiveScorer``                    reps, holds and followers while a camera runs
``beat_asynchrony_ms``            one lift against its nearest beat
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "individuation_from_recording": "individuation",
    "analyze_individuation": "individuation",
    "IndividuationResult": "individuation",
    "lifts_from_recording": "lifts",
    "detect_lifts": "lifts",
    "toe_heights": "lifts",
    "LiftDetection": "lifts",
    "rom_from_recording": "rom",
    "analyze_rom": "rom",
    "hallux_extension_deg": "rom",
    "grade_range": "rom",
    "RomResult": "rom",
    "tremor_from_recording": "tremor",
    "analyze_tremor": "tremor",
    "typical_band": "tremor",
    "TremorResult": "tremor",
    "rhythm_from_recording": "rhythm",
    "analyze_rhythm": "rhythm",
    "beats_from_bpm": "rhythm",
    "compare_feet": "rhythm",
    "RhythmResult": "rhythm",
    "beats_from_audio": "beats",
    "BeatTrack": "beats",
    "summarize_progress": "progress",
    "detect_plateau": "progress",
    "trend": "progress",
    "Measurement": "progress",
    "LiveScorer": "live",
    "beat_asynchrony_ms": "live",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)


def __dir__() -> list[str]:
    return __all__
