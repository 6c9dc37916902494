"""Language detection: six languages, undetermined input, the same answer in every process."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest

from l10n.config import Settings
from l10n.translate.detect import UNDETERMINED, detect
from tests.conftest import TARGETS

SETTINGS = Settings()


def _sample(corpus, lang: str) -> str:
    table = corpus["ru"]  # any table: its keys are the English sentences
    english = [s for s in table if len(s) > 40][:3]
    if lang == "en":
        return " ".join(english)
    return " ".join(corpus[lang][s] for s in english)


@pytest.mark.parametrize("lang", ("en",) + TARGETS)
def test_each_language(corpus, lang):
    found = detect(_sample(corpus, lang), SETTINGS)
    assert found.language == lang
    assert found.confidence >= SETTINGS.detect_min_confidence
    assert {c for c, _ in found.candidates} == {"en", "ru", "de", "fr", "pt", "es"}


@pytest.mark.parametrize("text", ["Hi", "  ", "12345 67890", "https://example.org/a/b/c/d/e"])
def test_too_short_is_undetermined(text):
    assert detect(text, SETTINGS).language == UNDETERMINED


def test_close_call_is_undetermined(corpus):
    mixed = _sample(corpus, "es") + " " + _sample(corpus, "pt")
    strict = replace(SETTINGS, detect_min_margin=0.99)
    assert detect(mixed, strict).language == UNDETERMINED
    assert detect(_sample(corpus, "es"), strict).language == "es"


def test_low_confidence_is_undetermined(corpus):
    impossible = replace(SETTINGS, detect_min_confidence=1.01)
    assert detect(_sample(corpus, "de"), impossible).language == UNDETERMINED


def test_identical_in_separate_processes():
    texts = ["Taxi Hotel Radio Bar Pizza Hamburg", "O rato roeu a roupa do rei de Roma",
             "Das ist ein kurzer Satz auf Deutsch."]
    code = ("import json,sys; from l10n.translate.detect import detect; from l10n.config import Settings;"
            "print(json.dumps([detect(t, Settings()).candidates for t in json.loads(sys.argv[1])]))")
    runs = [subprocess.run([sys.executable, "-c", code, json.dumps(texts)], check=True,
                           capture_output=True, text=True).stdout for _ in range(2)]
    assert runs[0] == runs[1]
    assert json.loads(runs[0])[2][0][0] == "de"
