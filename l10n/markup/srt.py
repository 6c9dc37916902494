"""SubRip subtitles (.srt): each cue's text translated, its number and timing kept as they were.

A cue is a number line, a timing line (`00:00:01,000 --> 00:00:04,000`, maybe with position
settings) and one or more text lines; cues are separated by blank lines. Each cue is one plain
text part, its lines kept as lines. The file's line ends (LF or CRLF) are kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from l10n.errors import InputError
from l10n.markup.archive import Limits
from l10n.markup.parts import Parts
from l10n.markup.textfiles import decode

_TIMING = re.compile(r"\s*\d{1,3}:\d{2}:\d{2}[,.]\d{1,3}\s*-->\s*\d{1,3}:\d{2}:\d{2}[,.]\d{1,3}.*")


def read(data: bytes, limits: Limits) -> Parts:
    text = decode(data)
    newline = "\r\n" if "\r\n" in text else "\n"
    blocks = [b for b in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").strip("\n")) if b]
    heads: list[str] = []
    texts: list[str] = []
    for number, block in enumerate(blocks, 1):
        lines = block.split("\n")
        timing = next((i for i, line in enumerate(lines[:2]) if _TIMING.fullmatch(line)), None)
        if timing is None:
            raise InputError(f"cue {number}: no timing line ('00:00:01,000 --> 00:00:04,000')",
                             code="invalid_document")
        heads.append("\n".join(lines[:timing + 1]))
        texts.append("\n".join(lines[timing + 1:]))

    def rebuild(translations: Sequence[str]) -> bytes:
        cues = [head + ("\n" + body if body else "") for head, body in zip(heads, translations)]
        return ("\n\n".join(cues) + "\n").replace("\n", newline).encode("utf-8")

    return Parts("text", tuple(texts), tuple(f"cue {i}" for i in range(1, len(texts) + 1)),
                 rebuild)
