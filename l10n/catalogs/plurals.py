"""Plural-Forms headers as rules: parsed, evaluated, compared by what they compute.

Why: two headers that differ only in spelling (`n != 1` and `(n != 1)`) are the same rule,
and two that look alike can differ for one number. Rules are compared by evaluating both
over n = 0...1000 (and a few large numbers), as gettext and Babel evaluate them.
"""

from __future__ import annotations

import functools
import gettext
import re
from collections.abc import Callable
from dataclasses import dataclass

from babel.core import UnknownLocaleError
from babel.messages.plurals import get_plural

SAMPLE_NUMBERS = (*range(1001), 10_000, 100_000, 1_000_000, 1_000_001)


@dataclass(frozen=True)
class PluralRule:
    nplurals: int
    form: Callable[[int], int]
    values: tuple[int, ...]  # the form of each of SAMPLE_NUMBERS
    shared_forms: frozenset[int]  # forms used for more than one n: they must show the number

    def first_difference(self, other: PluralRule) -> int | None:
        """The first sample n the two rules send to different forms (None: the same rule)."""
        return next((n for n, a, b in zip(SAMPLE_NUMBERS, self.values, other.values, strict=True)
                     if a != b), None)


@functools.lru_cache(maxsize=64)  # serving asks for it on every request
def plural_rule(header: str) -> PluralRule:
    """Parse and evaluate a Plural-Forms header; ValueError says what is wrong with it."""
    match = re.fullmatch(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*", header)
    if not match:
        raise ValueError(f"not 'nplurals=N; plural=EXPRESSION;': {header!r}")
    nplurals, expression = int(match.group(1)), match.group(2)
    try:  # Python's own parser of C plural expressions: what gettext.GNUTranslations uses
        form = gettext.c2py(expression)
        values = tuple(int(form(n)) for n in SAMPLE_NUMBERS)
    except (ValueError, SyntaxError, ArithmeticError) as exc:
        raise ValueError(f"invalid plural expression {expression!r} ({exc})") from None
    uses: dict[int, int] = {}
    for n, value in zip(SAMPLE_NUMBERS, values, strict=True):
        if not 0 <= value < nplurals:
            raise ValueError(f"plural expression gives {value} for n={n}, "
                             f"but nplurals={nplurals}")
        uses[value] = uses.get(value, 0) + 1
    return PluralRule(nplurals, form, values,
                      frozenset(v for v, count in uses.items() if count > 1))


def locale_plural_forms(locale: str) -> str | None:
    """The Plural-Forms Babel writes for a locale (its gettext table), None if unknown."""
    try:
        plural = get_plural(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None
    return str(plural)


def rule_mismatch(header: str, expected: str) -> str | None:
    """How the rule of `header` differs from `expected`'s, or None if they compute alike."""
    have, want = plural_rule(header), plural_rule(expected)
    if have.nplurals != want.nplurals:
        return f"nplurals={have.nplurals}, {want.nplurals} expected"
    n = have.first_difference(want)
    if n is None:
        return None
    return f"n={n} gets form {have.form(n)}, form {want.form(n)} expected"
