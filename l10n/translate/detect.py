"""Language detection among the six supported languages, with a confidence that is a probability.

Two stages, chosen by measurement (docs/bench.md, "Language detection"):

1. py3langid (naive Bayes over byte n-grams; about 20,000 short texts a second on one core)
   answers alone when its calibrated confidence reaches FAST_ACCEPT — most medium and long
   texts, and about three short ones in four;
2. otherwise lingua (slower, better on short texts) is consulted too and the two are combined.

Each stage turns its detectors' log-probabilities into six scores (a weight per detector, a
bias per language) and a softmax: a logistic regression fitted on the "fit" half of the
labelled set in bench/data (bench/detect_fit.py prints the table below). The confidence is
therefore calibrated: on the held-out half, answers given at >= 0.9 are right 99.7% of the
time. Both detectors are deterministic and ship their models inside their wheels.

A text is undetermined ("und") when it has no letters, or when the best language is below
`detect_min_confidence` (0.5: the guess is then more likely wrong than right, e.g. "Taxi" or
"Popular"). `best` and the ranked candidates are given all the same, so that a caller who must
guess (LibreTranslate's /detect) can. Known weak spot: a lone international word can still be
overconfident ("Hotel": German at 0.93); the labelled set has few of them.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from l10n.config import Settings
from l10n.editions import LANGUAGES

UNDETERMINED = "und"
MAX_CHARS = 3000  # the first 3,000 characters decide: enough for any article, bounded time
FAST_ACCEPT = 0.99  # stage 1's confidence at which lingua is not consulted
_FLOOR = 1e-4  # a detector's probability below this counts as this (log of 0 is no evidence)
_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|[@#]\w+|<[^>]+>|&\w+;|\d+")


@dataclass(frozen=True)
class Stage:
    """A fitted combination: score(lang) = sum(weight[d] * log p_d(lang)) + bias[lang]."""

    weights: dict[str, float]
    bias: dict[str, float]


# Fitted by bench/detect_fit.py on the fit split of bench/data/detect.jsonl.gz.
FAST = Stage(weights={"py3langid": 2.3489},
             bias={"en": 0.2291, "ru": -0.2356, "de": 0.2758, "fr": -0.1777, "pt": -0.1565,
                   "es": 0.0649})
FULL = Stage(weights={"py3langid": 1.7605, "lingua": 0.8734},
             bias={"en": 0.0130, "ru": 0.3286, "de": 0.1196, "fr": -0.2254, "pt": -0.1551,
                   "es": -0.0807})


@dataclass(frozen=True)
class Detection:
    language: str  # an ISO 639-1 code, or "und"
    confidence: float  # calibrated probability that `best` is right, 0..1
    candidates: tuple[tuple[str, float], ...]  # all six, best first; () for text without letters

    @property
    def reliable(self) -> bool:
        return self.language != UNDETERMINED

    @property
    def best(self) -> str:
        """The most likely language even when undetermined ("und" only without letters)."""
        return self.candidates[0][0] if self.candidates else UNDETERMINED


_lock = threading.Lock()
_backends: dict[str, Callable[[str], dict[str, float]]] = {}


def _load_py3langid() -> Callable[[str], dict[str, float]]:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return lambda text: dict(identifier.rank(text))


def _load_lingua() -> Callable[[str], dict[str, float]]:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = {Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())): code
                 for code in LANGUAGES}
    detector = LanguageDetectorBuilder.from_languages(*languages).build()
    return lambda text: {languages[c.language]: c.value
                         for c in detector.compute_language_confidence_values(text)}


_LOADERS: dict[str, Callable[[], Callable[[str], dict[str, float]]]] = {
    "py3langid": _load_py3langid, "lingua": _load_lingua}


def backend(name: str) -> Callable[[str], dict[str, float]]:
    """One detector restricted to the six languages, loaded once per process (thread-safe)."""
    with _lock:
        if name not in _backends:
            _backends[name] = _LOADERS[name]()
        return _backends[name]


def clean(text: str) -> str:
    """What detection reads: no URLs, addresses, tags, entities or digits; bounded length."""
    return _NOISE.sub(" ", text[:MAX_CHARS])


def log_probabilities(name: str, text: str) -> list[float]:
    """A detector's log-probabilities of the six languages, in LANGUAGES order."""
    found = backend(name)(text)
    values = [max(float(found.get(code, 0.0)), 0.0) for code in LANGUAGES]
    total = sum(values)
    return [math.log(max(v / total, _FLOOR)) if total > 0 else math.log(1 / 6) for v in values]


def combine(stage: Stage, features: dict[str, list[float]]) -> list[float]:
    """The stage's probabilities of the six languages (softmax of the weighted scores)."""
    scores = [stage.bias[code] + sum(w * features[d][i] for d, w in stage.weights.items())
              for i, code in enumerate(LANGUAGES)]
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def probabilities(text: str) -> list[float]:
    """Calibrated probabilities of the six languages for a cleaned text with letters."""
    features = {"py3langid": log_probabilities("py3langid", text)}
    fast = combine(FAST, features)
    if max(fast) >= FAST_ACCEPT:
        return fast
    features["lingua"] = log_probabilities("lingua", text)
    return combine(FULL, features)


def detect(text: str, settings: Settings) -> Detection:
    cleaned = clean(text)
    if not any(ch.isalpha() for ch in cleaned):
        return Detection(UNDETERMINED, 0.0, ())
    ranked = sorted(zip(LANGUAGES, probabilities(cleaned)), key=_rank)
    candidates = tuple((code, round(p, 4)) for code, p in ranked)
    best, confidence = candidates[0]
    language = best if confidence >= settings.detect_min_confidence else UNDETERMINED
    return Detection(language, confidence, candidates)


def _rank(candidate: tuple[str, Any]) -> tuple[float, int]:
    """Best first; ties in LANGUAGES order, so the order is the same everywhere."""
    code, p = candidate
    return -p, LANGUAGES.index(code)
