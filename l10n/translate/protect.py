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

# Placeholder syntaxes: printf (C, PHP, Go, WordPress positional `%1$s`) and strftime, Python `%(name)s` and
# `{name}`, Ruby `%{name}`, Qt `%1`, Drupal `%name` and `:name` (its `@name` is a handle),
# i18next/Jinja/Handlebars `{{name}}` and `{% tag %}`, JavaScript `${name}`, shell `$NAME`,
# ICU's `#`.
_PRINTF = (r"%(?:\d+\$)?[-+#0']*(?:\*(?:\d+\$)?|\d+)?(?:\.(?:\*(?:\d+\$)?|\d+)?)?"
           r"(?:hh|ll|I64|I32|[hlLqjzZtI])?[A-Za-z%]")  # any letter: GNU %m, strftime, ld's %B %P
_PLACEHOLDERS = "|".join((
    r"\{\{[^{}]*\}\}", r"\{%[^{}]*%\}", r"\$\{[^{}]*\}", r"(?<![\w$])\$[A-Za-z_]\w*", r"%\{\w+\}", r"%<\w+>[-+#0 ]*\d*[a-zA-Z]",
    r"%\([\w.]+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]",
    r"(?<![\w%])%[A-Za-z_]\w+",  # Drupal %name (two characters at least: %s is printf)
    _PRINTF, r"%\d+(?![\d$])",
    r"\{[\w.\[\]]*(?:![rsa])?(?::[^{}]*)?\}",
    r"(?<![^\s\"'(])(?<!:):[A-Za-z_]\w*", r"(?<!\S)#(?!\S)",
))
# Order matters: earlier kinds win where matches overlap.
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("url", r"\b(?:https?|ftp)://[^\s<>\"'«»]+[^\s<>\"'«».,;:!?)\]]|\bwww\.[^\s<>\"'«»]+[^\s<>\"'«».,;:!?)\]]"),
    ("email", r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"),
    ("shortcode", r"\[/?[a-z_][\w-]*(?:\s+[^\]]*)?\]"),
    ("placeholder", _PLACEHOLDERS),
    ("handle", r"(?<![\w@])@\w{2,}"),
    ("hashtag", r"(?<![\w&#])#\w*[^\W\d]\w*"),
    ("number", r"(?<![\w.,])\d+(?:[.,:/-]\d+)*(?![\w])"),
)
_SCANNER = re.compile("|".join(f"(?P<{kind}>{rx})" for kind, rx in _PATTERNS))
# An ICU plural/select/selectordinal argument: kept whole (segment.py translates its texts).
ICU_HEAD = re.compile(r"\{\s*[\w.]+\s*,\s*(?:plural|selectordinal|select)\s*,")
RECOVERY_SIMILARITY = 0.8  # how close a mangled span must be to be put back
MAX_RECOVERIES = 16  # searches per segment; beyond, lost spans are flagged without one
_EDGE_PUNCTUATION = ".,;:!?()«»\"'“”„"
FLAG_FOR_KIND = {
    "url": flag("url_mismatch"), "email": flag("url_mismatch"),
    "number": flag("number_mismatch"),
    "placeholder": flag("placeholder_lost"), "shortcode": flag("placeholder_lost"),
    "icu": flag("placeholder_lost"),
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
    icu = icu_blocks(text)
    spans = [Span("icu", s, e, text[s:e]) for s, e in icu]
    spans += [Span(m.lastgroup or "", m.start(), m.end(), m.group()) for m in _SCANNER.finditer(text)
              if not any(s <= m.start() < e for s, e in icu)]
    return sorted(spans, key=lambda span: span.start)


def icu_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each outermost ICU plural/select argument, braces balanced (one pass
    pairs every brace, so many unbalanced heads cost no more than one)."""
    pairs: dict[int, int] = {}
    opened: list[int] = []
    for i, char in enumerate(text):
        if char == "{":
            opened.append(i)
        elif char == "}" and opened:
            pairs[opened.pop()] = i + 1
    out: list[tuple[int, int]] = []
    for head in ICU_HEAD.finditer(text):
        end = pairs.get(head.start())
        if end is not None and not (out and head.start() < out[-1][1]):
            out.append((head.start(), end))
    return out


def check(source: str, translation: str) -> Checked:
    """Verify every protected span of `source` is in `translation` as often; recover or flag.

    Spans are counted once per text (again only after a recovery edits it), and at most
    MAX_RECOVERIES searches are made per segment: a sentence of thousands of numbers the model
    dropped costs a scan, not thousands of them."""
    spans = find_spans(source)
    wanted = Counter(s.text for s in spans)
    kinds = {s.text: s.kind for s in spans}
    text, recovered, flags = translation, [], set()
    have = Counter(s.text for s in find_spans(text))
    attempts = 0
    for span, count in wanted.items():
        while have[span] < count:
            attempts += 1
            fixed = None if attempts > MAX_RECOVERIES else _recover(text, kinds[span], span)
            if fixed is None:
                flags.add(FLAG_FOR_KIND[kinds[span]])
                break
            text = fixed
            recovered.append(span)
            have = Counter(s.text for s in find_spans(text))
        if have[span] > count:
            flags.add(FLAG_FOR_KIND[kinds[span]])
    # Spans the model invented (in the output, not in the source).
    for found in find_spans(text):
        if found.kind in ("number", "url", "email", "placeholder", "icu") and found.text not in wanted:
            flags.add(FLAG_FOR_KIND[found.kind])
    return Checked(text, tuple(recovered), tuple(sorted(flags)))


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
