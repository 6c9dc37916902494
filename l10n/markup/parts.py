"""A document file reduced to its translatable parts, and rebuilt from their translations.

Every file format (docx.py, odt.py, srt.py, textfiles.py) reads a file into `Parts`: texts in
one of the article formats (text, html, markdown), a label for each so that a QA report can
say where a flagged sentence is ("paragraph 12", "cue 7"), and `rebuild`, which writes the
same file around translated texts. Everything that is not a part is kept byte for byte or
element for element.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from l10n.markup.archive import Limits


@dataclass(frozen=True)
class Parts:
    format: str  # the article format of every text: "text", "html" or "markdown"
    texts: tuple[str, ...]
    labels: tuple[str, ...]
    rebuild: Callable[[Sequence[str]], bytes]


Reader = Callable[[bytes, Limits], Parts]
