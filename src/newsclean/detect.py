"""Language of the cleaned text: langdetect, made deterministic and bounded.

langdetect samples n-grams at random. Its module-level ``detect()`` shares one factory whose
seed is a class attribute: setting it changes every caller in the process. We build our *own*
factory (profiles loaded once per process, then never changed) with our seed, so the same text
gives the same answer on any machine, in any worker, whatever else the process does.

Only a prefix of the text is judged (``DetectConfig.prefix_chars``): a few hundred characters
decide the language as surely as the whole article, at a fraction of the cost. Text with fewer
letters than ``min_letters`` is ``und``: a guess on three words is worse than no answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from newsclean.config import DetectConfig

UNDETERMINED = "und"


@dataclass(frozen=True, slots=True)
class Detection:
    """ISO 639-1 code (or ``und``) and the detector's probability for it."""

    language: str
    confidence: float


@cache
def _factory(seed: int) -> Any:
    # Imported here: loading 55 profiles takes ~0.4 s, paid once per process, on first use.
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(seed)
    return factory


def detect(text: str, config: DetectConfig | None = None) -> Detection:
    """Detect the language of ``text``; never raises."""
    cfg = config or DetectConfig()
    sample = _prefix(text, cfg.prefix_chars)
    if sum(ch.isalpha() for ch in sample) < cfg.min_letters:
        return Detection(UNDETERMINED, 0.0)
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory(cfg.seed).create()
    detector.append(sample)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return Detection(UNDETERMINED, 0.0)
    return Detection(_iso639_1(best.lang), round(float(best.prob), 4))


def _prefix(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit]


def _iso639_1(code: str) -> str:
    """langdetect says 'zh-cn' / 'zh-tw'; records use the primary subtag."""
    return code.split("-", maxsplit=1)[0].lower()
