"""Language detection (langdetect), restricted to the languages this service handles.

langdetect is randomised; the factory is seeded so that a text gets the same answer in every
process. Only the profiles of the supported languages are loaded, so probabilities are shared
among those and a German text is never reported as, say, Dutch.

A text is "undetermined" (`und`) when it has fewer than `detect_min_chars` letters, when the
best language is below `detect_min_confidence`, or when the best two are closer than
`detect_min_margin`: a CMS should then ask the editor rather than guess.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

from langdetect.detector_factory import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from l10n.config import Settings
from l10n.editions import LANGUAGES

UNDETERMINED = "und"
SEED = 0
_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|[@#]\w+|<[^>]+>|&\w+;|\d+")
_factory: DetectorFactory | None = None
_factory_lock = threading.Lock()


@dataclass(frozen=True)
class Detection:
    language: str  # an ISO 639-1 code, or "und"
    confidence: float  # probability of the best language, 0..1
    candidates: tuple[tuple[str, float], ...]  # every supported language, best first

    @property
    def reliable(self) -> bool:
        return self.language != UNDETERMINED


def _get_factory() -> DetectorFactory:
    global _factory
    with _factory_lock:
        if _factory is None:
            import langdetect

            profiles = Path(langdetect.__file__).parent / "profiles"
            factory = DetectorFactory()
            factory.load_json_profile(
                [(profiles / code).read_text(encoding="utf-8") for code in LANGUAGES])
            factory.set_seed(SEED)
            _factory = factory
        return _factory


def detect(text: str, settings: Settings) -> Detection:
    clean = _NOISE.sub(" ", text)
    letters = sum(ch.isalpha() for ch in clean)
    if letters < settings.detect_min_chars:
        return Detection(UNDETERMINED, 0.0, ())
    detector = _get_factory().create()
    detector.append(clean)
    try:
        ranked = detector.get_probabilities()
    except LangDetectException:
        return Detection(UNDETERMINED, 0.0, ())
    candidates = tuple((c.lang, round(c.prob, 4)) for c in ranked)
    found = dict(candidates)
    candidates += tuple((code, 0.0) for code in LANGUAGES if code not in found)
    best, confidence = candidates[0]
    runner_up = candidates[1][1]
    if confidence < settings.detect_min_confidence or confidence - runner_up < settings.detect_min_margin:
        return Detection(UNDETERMINED, confidence, candidates)
    return Detection(best, confidence, candidates)
