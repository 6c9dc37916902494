"""The house rules for translations: typography and consistency, reported as warnings.

Why warnings: these are style rules with legitimate exceptions (a `.desktop` keyword list
where a space before `;` would break the file, a label that drops the source's colon), so
they must not fail CI by default. A catalog can turn a rule off or make it an error with a
header field, e.g. `"X-House-Rules: punctuation=off, french-spacing=error\\n"`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import polib

RULES = ("whitespace", "punctuation", "french-spacing", "same-as-source")
SEVERITIES = ("off", "warning", "error")
HEADER = "X-House-Rules"
FRENCH_MARKS = re.compile(r"(?<=\S)(?P<space>[ \u00a0\u202f]?)(?P<marks>[;:!?]+)(?=\s|$)")
NO_BREAK_SPACES = ("\u00a0", "\u202f")
_CLOSING = "\"'»”’)]"
_FINAL_MARKS = ".!?:;,…"
_LIST = re.compile(r"(?:[^;\s][^;]*;)+")  # "Calculator;Math;": a keyword list, not prose


def severities(po: polib.POFile) -> tuple[dict[str, str], list[str]]:
    """Each rule's severity for this catalog, and what is wrong with its header field."""
    chosen = dict.fromkeys(RULES, "warning")
    problems = []
    for item in filter(None, (part.strip() for part in po.metadata.get(HEADER, "").split(","))):
        rule, _, severity = (p.strip() for p in item.partition("="))
        if rule not in RULES or severity not in SEVERITIES:
            problems.append(f"{HEADER}: {item!r} is not RULE=SEVERITY "
                            f"(rules: {', '.join(RULES)}; severities: {', '.join(SEVERITIES)})")
        else:
            chosen[rule] = severity
    return chosen, problems


def _edges(text: str) -> tuple[str, str]:
    """Leading and trailing spaces and tabs (newlines are the newline check's business)."""
    return text[: len(text) - len(text.lstrip(" \t"))], text[len(text.rstrip(" \t")):]


def _final_mark(text: str) -> str:
    core = text.rstrip().rstrip(_CLOSING).rstrip(" \u00a0\u202f").replace("...", "…")
    return core[-1] if core and core[-1] in _FINAL_MARKS else ""


def problems(lang: str | None, label: str, source: str, text: str) -> Iterator[tuple[str, str]]:
    """(rule, message) for one translated string."""
    if _edges(source) != _edges(text):
        yield "whitespace", f"{label}: leading/trailing whitespace differs from the source"
    if _final_mark(source) != _final_mark(text):
        yield "punctuation", (f"{label}: ends with {_final_mark(text) or 'no punctuation'!r}, "
                              f"the source with {_final_mark(source) or 'no punctuation'!r}")
    if lang and lang.split("_")[0] == "fr":
        keyword_list = _LIST.fullmatch(source.strip()) is not None
        for match in FRENCH_MARKS.finditer(text):
            if match["space"] in NO_BREAK_SPACES or (keyword_list and match["marks"] == ";"):
                continue
            yield "french-spacing", (f"{label}: French needs a no-break space (U+00A0) "
                                     f"before {match['marks']!r}")


def typeset(lang: str, source: str, text: str) -> str:
    """House typography on machine output: the source's leading and trailing whitespace,
    and in French a no-break space before ; : ! ?."""
    if lang == "fr":
        text = FRENCH_MARKS.sub(lambda m: (m["space"] if m["space"] in NO_BREAK_SPACES
                                           else "\u00a0") + m["marks"], text)
    if not source.strip():
        return text
    lead, trail = source[: len(source) - len(source.lstrip())], source[len(source.rstrip()):]
    return lead + text.strip() + trail
