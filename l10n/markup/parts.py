"""A document file reduced to its translatable parts, and rebuilt from their translations.

Every file format (docx.py, odt.py, srt.py, textfiles.py) reads a file into `Parts`: texts in
one of the article formats (text, html, markdown), a label for each so that a QA report can
say where a flagged sentence is ("paragraph 12", "cue 7"), and `rebuild`, which writes the
same file around translated texts. Everything that is not a part is kept byte for byte or
element for element.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from lxml import etree

from l10n.markup.archive import Archive, Limits


@dataclass(frozen=True)
class Parts:
    format: str  # the article format of every text: "text", "html" or "markdown"
    texts: tuple[str, ...]
    labels: tuple[str, ...]
    rebuild: Callable[[Sequence[str]], bytes]


Reader = Callable[[bytes, Limits], Parts]
Apply = Callable[[str], None]
"""Puts one translated text back into the element it came from."""


def paragraph_parts(archive: Archive, names: Iterable[str],
                    paragraphs: Callable[[etree._Element], Iterable[etree._Element]],
                    texts_of: Callable[[etree._Element], list[tuple[str, Apply]]]) -> Parts:
    """The parts of a zipped XML document (Word, OpenDocument): in each of the XML entries
    `names`, every paragraph's texts (`texts_of`, labelled "<entry> paragraph <n>"), and a
    rebuild that applies the translations and writes every other entry back as it was."""
    texts: list[str] = []
    labels: list[str] = []
    applies: list[Apply] = []
    roots = {}
    for name in names:
        root = roots[name] = archive.xml(name)
        number = 0
        for paragraph in paragraphs(root):
            found = texts_of(paragraph)
            if found:
                number += 1
            for markup, apply in found:
                texts.append(markup)
                labels.append(f"{name} paragraph {number}")
                applies.append(apply)

    def rebuild(translations: Sequence[str]) -> bytes:
        for apply, translation in zip(applies, translations, strict=True):
            apply(translation)
        for name, root in roots.items():
            archive.replace(name, root)
        return archive.to_bytes()

    return Parts("html", tuple(texts), tuple(labels), rebuild)
