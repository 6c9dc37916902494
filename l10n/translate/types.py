"""Plain values the engine returns and every later step reads.

They live apart from engine.py so that the memory, the markup and anything else that only
handles translations can be imported (and tested) without CTranslate2 and SentencePiece.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Translation:
    """One translated segment, with what alignment needs: piece offsets and attention."""

    text: str
    source_spans: tuple[tuple[int, int], ...] = ()  # character span of each source piece
    target_spans: tuple[tuple[int, int], ...] = ()  # character span of each target piece
    alignment: tuple[int, ...] = ()  # per target piece: the source piece it attends to most
