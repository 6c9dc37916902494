"""Quality flags a reviewer can act on, per translated segment: the registry, and the checks
on a translation's shape.

`FLAGS` is the one list of flags (code → what it means); whatever raises a flag names it with
`flag(code)`, which refuses a code the registry does not have. The API document, the README
table and the preview page's explanations are checked against it (tests/translate/test_qa.py).

The checks here:

- `same_as_source`: the translation equals the source (a segment with at least 4 letters).
- `wrong_language`: the translation is detected as another language with a calibrated
  confidence of at least `detect_flag_confidence` (0.9: right 99.7% of the time on the
  detection bench), on segments of at least 20 letters. Portuguese and Spanish included.
- `length_ratio`: translation/source length outside LENGTH_RATIO_BAND (segments of at least
  20 characters); typical ratios for English into these languages are 0.9–1.4.
- `repetition`: the output's most repeated word (over 3 letters) or 2–3-word sequence occurs
  at least 3 times more often than the source's most repeated one, or the output repeats a
  word 3 times in a row where the source does not (the NMT "salad").
"""

from __future__ import annotations

import re
from collections import Counter

from l10n.config import Settings
from l10n.translate.detect import detect

FLAGS: dict[str, str] = {
    "placeholder_lost": "a placeholder, shortcode, hashtag or handle is missing or duplicated",
    "number_mismatch": "a number is missing, changed or invented",
    "url_mismatch": "a URL or e-mail address is missing, changed or invented",
    "tag_mismatch": "the field's markup differs from the source's (e.g. the model wrote "
                    "Markdown syntax)",
    "tag_position_uncertain": "a tag had to be placed by relative position",
    "repetition": "a word or phrase repeated far beyond the source (the NMT \"salad\")",
    "same_as_source": "the translation equals the source",
    "wrong_language": "the translation is detected as another language, at "
                      "`L10N_DETECT_FLAG_CONFIDENCE` (segments of 20+ letters; Portuguese and "
                      "Spanish included)",
    "length_ratio": "translation/source length outside 0.5–2.2 (segments of 20+ characters)",
    "name_unresolved": "a glossary name of the source has no trace in the translation",
    "other_language": "the segment is in another language than the article's and no "
                      "installed model translates it; kept as written",
}


def flag(code: str) -> str:
    """`code`, which must be a registered flag: a typo fails at import, not in a review."""
    if code not in FLAGS:
        raise KeyError(f"unregistered QA flag {code!r} (l10n/translate/qa.py FLAGS)")
    return code


SAME_AS_SOURCE, WRONG_LANGUAGE = flag("same_as_source"), flag("wrong_language")
LENGTH_RATIO, REPETITION = flag("length_ratio"), flag("repetition")
LENGTH_RATIO_BAND = (0.5, 2.2)
MIN_CHARS_FOR_RATIO = 20
MIN_LETTERS_FOR_LANGUAGE = 20
REPETITION_EXCESS = 3
_WORDS = re.compile(r"\w+", re.UNICODE)


def _most_repeated(words: list[str], n: int) -> int:
    grams = Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1)
                    if n > 1 or len(words[i]) > 3)
    return max(grams.values(), default=0)


def _longest_run(words: list[str]) -> int:
    best = run = 0
    for i, word in enumerate(words):
        run = run + 1 if i and word == words[i - 1] else 1
        best = max(best, run)
    return best


def repetition(source: str, target: str) -> bool:
    """Compared by shape, not by words: source and target are in different languages."""
    src = [w.lower() for w in _WORDS.findall(source)]
    tgt = [w.lower() for w in _WORDS.findall(target)]
    if any(_most_repeated(tgt, n) >= _most_repeated(src, n) + REPETITION_EXCESS for n in (1, 2, 3)):
        return True
    return _longest_run(tgt) >= 3 and _longest_run(tgt) > _longest_run(src)


def flags(source: str, target: str, source_lang: str, target_lang: str,
          settings: Settings) -> set[str]:
    found: set[str] = set()
    letters = sum(ch.isalpha() for ch in source)
    if source_lang != target_lang and letters >= 4 and source.strip() == target.strip():
        found.add(SAME_AS_SOURCE)
    if len(source) >= MIN_CHARS_FOR_RATIO:
        ratio = len(target) / len(source)
        if not LENGTH_RATIO_BAND[0] <= ratio <= LENGTH_RATIO_BAND[1]:
            found.add(LENGTH_RATIO)
    if repetition(source, target):
        found.add(REPETITION)
    if other_language(target, target_lang, settings) is not None:
        found.add(WRONG_LANGUAGE)
    return found


def other_language(text: str, expected: str, settings: Settings) -> str | None:
    """The language `text` is surely written in when it is not `expected` (at least
    MIN_LETTERS_FOR_LANGUAGE letters, detected at `detect_flag_confidence`), else None. The one
    rule for wrong_language here and for segments in another language in the pipeline."""
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS_FOR_LANGUAGE:
        return None
    guess = detect(text, settings)
    if guess.best != expected and guess.confidence >= settings.detect_flag_confidence:
        return guess.best
    return None
