"""Spans that must come out of translation byte-identical: URLs, numbers, placeholders...

Models are not told about these spans (real Argos models never saw any placeholder
convention, and a substituted token is as likely to be mangled as the original). Instead every
span is checked after translation: one the model mangled is recovered by replacing the closest
near-match in the output with the original, and what cannot be recovered is reported so the
segment gets flagged. Nothing is silently emitted broken.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from l10n.translate.qa import flag

# Order matters: earlier kinds win where matches overlap.
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("url", r"\b(?:https?|ftp)://[^\s<>\"'«»]+[^\s<>\"'«».,;:!?)\]]|\bwww\.[^\s<>\"'«»]+[^\s<>\"'«».,;:!?)\]]"),
    ("email", r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"),
    ("shortcode", r"\[/?[a-z_][\w-]*(?:\s+[^\]]*)?\]"),
    ("placeholder", r"%\([\w.]+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]|%[-#0 +]*\d*(?:\.\d+)?[sdif]"
                    r"|\{[\w.\[\]]*(?:![rsa])?(?::[^{}]*)?\}"),
    ("handle", r"(?<![\w@])@\w{2,}"),
    ("hashtag", r"(?<![\w&#])#\w*[^\W\d]\w*"),
    ("number", r"(?<![\w.,])\d+(?:[.,:/-]\d+)*(?![\w])"),
)
_SCANNER = re.compile("|".join(f"(?P<{kind}>{rx})" for kind, rx in _PATTERNS))
RECOVERY_SIMILARITY = 0.8  # how close a mangled span must be to be put back
_EDGE_PUNCTUATION = ".,;:!?()«»\"'“”„"
FLAG_FOR_KIND = {
    "url": flag("url_mismatch"), "email": flag("url_mismatch"),
    "number": flag("number_mismatch"),
    "placeholder": flag("placeholder_lost"), "shortcode": flag("placeholder_lost"),
    "handle": flag("placeholder_lost"), "hashtag": flag("placeholder_lost"),
}


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Checked:
    text: str  # the translation, with recovered spans restored
    recovered: tuple[str, ...]  # spans that were mangled and put back
    flags: tuple[str, ...]  # QA flags for spans lost, duplicated or unrecoverable


def find_spans(text: str) -> list[Span]:
    return [Span(m.lastgroup, m.start(), m.end(), m.group()) for m in _SCANNER.finditer(text)]


def check(source: str, translation: str) -> Checked:
    """Verify every protected span of `source` is in `translation` as often; recover or flag."""
    wanted = Counter(s.text for s in find_spans(source))
    kinds = {s.text: s.kind for s in find_spans(source)}
    text, recovered, flags = translation, [], set()
    for span, count in wanted.items():
        have = _count(text, span)
        while have < count:
            fixed = _recover(text, kinds[span], span)
            if fixed is None:
                flags.add(FLAG_FOR_KIND[kinds[span]])
                break
            text, have = fixed, have + 1
            recovered.append(span)
        if have > count:
            flags.add(FLAG_FOR_KIND[kinds[span]])
    # Spans the model invented (in the output, not in the source).
    for span in find_spans(text):
        if span.kind in ("number", "url", "email", "placeholder") and span.text not in wanted:
            flags.add(FLAG_FOR_KIND[span.kind])
    return Checked(text, tuple(recovered), tuple(sorted(flags)))


def _count(text: str, span: str) -> int:
    """Occurrences of `span` as a whole span of the text ("8" is not counted inside "18")."""
    return sum(1 for s in find_spans(text) if s.text == span)


def _recover(text: str, kind: str, span: str) -> str | None:
    """Replace the best near-match of `span` in `text` by `span`, if one is close enough."""
    if kind == "number":
        digits = re.sub(r"\D", "", span)
        for m in re.finditer(r"\d[\d\s.,\u00a0\u202f]*\d|\d", text):
            if re.sub(r"\D", "", m.group()) == digits and m.group() != span:
                return text[: m.start()] + span + text[m.end():]
        return None
    tokens = list(re.finditer(r"\S+", text))
    best, best_ratio = None, 0.0
    for i in range(len(tokens)):  # windows of 1 to 4 consecutive tokens
        for j in range(i, min(i + 4, len(tokens))):
            window = text[tokens[i].start():tokens[j].end()]
            core = window.strip(_EDGE_PUNCTUATION)
            if not core:
                continue
            ratio = SequenceMatcher(None, re.sub(r"\s+", "", core), span).ratio()
            if ratio > best_ratio:
                best_ratio = ratio
                best = (tokens[i].start() + window.find(core), core)
    if best is None or best_ratio < RECOVERY_SIMILARITY:
        return None
    begin, core = best
    return text[:begin] + span + text[begin + len(core):]
