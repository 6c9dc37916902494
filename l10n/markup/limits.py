"""Shape limits that keep the cost of parsing and placing markup bounded, whatever the input.

Size alone does not bound the work: html5lib spends time proportional to the depth of open
elements on every tag (8,000 nested `<b>` in 24 KB take over a minute), and placing marks
inside one sentence costs more than linearly in their number. A document deeper than
`max_nesting`, or a sentence carrying more than `max_tags` inline elements, is refused with a
413 naming the limit, before the expensive step runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from l10n.errors import TooLarge


@dataclass(frozen=True)
class Limits:
    max_nesting: int = 100  # elements open at once (HTML) / nested marks (Markdown)
    max_tags: int = 200  # inline elements (marks) in one sentence


def too_deep(limits: Limits) -> TooLarge:
    return TooLarge(f"markup nested deeper than {limits.max_nesting} levels "
                    "(L10N_MAX_NESTING)", code="nesting_too_deep")


def check_marks(count: int, limits: Limits) -> None:
    if count > limits.max_tags:
        raise TooLarge(f"a sentence carries {count} inline elements, more than "
                       f"{limits.max_tags} (L10N_MAX_TAGS_PER_SEGMENT)", code="too_many_tags")


DEFAULT_LIMITS = Limits()
