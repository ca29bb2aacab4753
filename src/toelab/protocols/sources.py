"""Where the figures in toelab's guidance come from.

Every guide, card and explanation that gives a number with a unit (degrees, Hz, ms, times a
second) names its sources by these keys. ``toelab`` marks a rule of thumb that is toelab's own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from toelab.errors import ToelabError


@dataclass(frozen=True)
class Source:
    key: str
    citation: str
    short: str = ""  # "Root et al. 1977": shown beside a figure; empty for articles and own rules
    doi: str = ""

    @property
    def reference(self) -> str:
        """The citation with its DOI, as reports and docstrings give it."""
        return f"{self.citation} doi:{self.doi}" if self.doi else self.citation


TOELAB_RULE = "toelab"

SOURCES: dict[str, Source] = {
    source.key: source
    for source in (
        Source(
            "root1977",
            "Root, Orien & Weed 1977. Normal and Abnormal Function of the Foot.",
            "Root et al. 1977",
        ),
        Source("bojsen_moller1979", "Bojsen-Møller 1979. J Anat 129:165.", "Bojsen-Møller 1979"),
        Source(
            "coughlin2003",
            "Coughlin & Shurnas 2003. J Bone Joint Surg Am 85:2072.",
            "Coughlin & Shurnas 2003",
        ),
        Source("otter2015", "Otter et al. 2015. J Foot Ankle Res 8:30.", "Otter et al. 2015"),
        Source(
            "hager_ross2000",
            "Häger-Ross & Schieber 2000. J Neurosci 20:8542.",
            "Häger-Ross & Schieber 2000",
            "10.1523/JNEUROSCI.20-22-08542.2000",
        ),
        Source("abe2026", "Abe et al. 2026. J Funct Morphol Kinesiol 11(1):93.", "Abe et al. 2026"),
        Source("dibiase2017", "di Biase et al. 2017. Brain 140:1977.", "di Biase et al. 2017"),
        Source(
            "deuschl1998",
            "Deuschl, Bain & Brin 1998. Mov Disord 13 Suppl 3:2.",
            "Deuschl et al. 1998",
            "10.1002/mds.870131303",
        ),
        Source(
            "bhatia2018", "Bhatia et al. 2018. Mov Disord 33:75.", "Bhatia et al. 2018", "10.1002/mds.27121"
        ),
        Source(
            "repp2005",
            "Repp 2005. Sensorimotor synchronization: a review. Psychon Bull Rev 12:969.",
            "Repp 2005",
            "10.3758/BF03206433",
        ),
        Source(
            "shannon1949",
            "Shannon 1949. Proc IRE 37:10 (a camera sees only up to half its frame rate).",
            "Shannon 1949",
            "10.1109/JRPROC.1949.232969",
        ),
        Source("toe_control_guide", "Article: trouble moving toes one at a time, reasons and what to do."),
        Source("big_toe_article", "Article: why the big toe will not move on its own."),
        Source("musical_toes", "Phillips, StrideUK: Musical Toes, a toe exercise for runners."),
        Source("foot_shake_article", "Article: why the foot shakes when the toes bend."),
        Source("big_toe_knee_article", "Article: the big toe and knee pain in running."),
        Source(
            "carson2001",
            "Carson et al. 2001. Kinematic analysis of a multi-segment foot model for research and "
            "clinical applications. J Biomech 34:1299.",
            "Carson et al. 2001",
        ),
        Source(
            "stebbins2006",
            "Stebbins et al. 2006. Repeatability of a model for measuring multi-segment foot kinematics "
            "in children. Gait Posture 23:401.",
            "Stebbins et al. 2006",
            "10.1016/j.gaitpost.2005.03.002",
        ),
        Source(
            "dixon2025",
            "Dixon et al. 2025. openOFM. Comput Methods Biomech Biomed Engin.",
            "Dixon et al. 2025",
            "10.1080/10255842.2024.2448558",
        ),
        Source(
            "salarian2007",
            "Salarian et al. 2007. Quantification of tremor and bradykinesia in Parkinson's disease using a "
            "novel ambulatory monitoring system. IEEE Trans Biomed Eng 54:313.",
            "Salarian et al. 2007",
            "10.1109/TBME.2006.886670",
        ),
        Source(
            "sen1968",
            "Sen 1968. Estimates of the regression coefficient based on Kendall's tau. "
            "J Am Stat Assoc 63:1379.",
            "Sen 1968",
            "10.1080/01621459.1968.10480934",
        ),
        Source(TOELAB_RULE, "toelab's own rule of thumb, not a figure from the literature."),
    )
}


def short_citations(keys: Iterable[str]) -> str:
    """``Root et al. 1977; Bojsen-Møller 1979`` for the literature among ``keys``, or ``""``."""
    return "; ".join(SOURCES[key].short for key in dict.fromkeys(keys) if SOURCES[key].short)


def citations(keys: Iterable[str]) -> tuple[str, ...]:
    """The citations of ``keys``, in order, each once."""
    seen: list[str] = []
    for key in keys:
        if key not in SOURCES:
            raise ToelabError(f"there is no source {key!r}", hint=f"sources: {', '.join(SOURCES)}")
        if key not in seen:
            seen.append(key)
    return tuple(SOURCES[key].reference for key in seen)
