"""The tokenizers an Argos package may carry: SentencePiece (`sentencepiece.model`) or BPE.

argostranslate 1.11 (`argostranslate.package.Package`) picks `sentencepiece.model` when the
package has one, else `bpe.model` (subword-nmt codes applied after Moses normalisation and
tokenisation, sacremoses). The same choice is made here. Unlike argostranslate's own
SentencePiece decoder, ours never turns `_` into a space (URLs, `%(name)s` placeholders keep
their underscores), and both report character spans per token, which inline markup placement
needs; a BPE token whose text cannot be found (Moses normalised it) yields no spans, and
placement falls back to its other anchors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import sentencepiece

Spans = tuple[tuple[int, int], ...]


class Tokenizer(Protocol):
    def encode(self, text: str) -> list[str]: ...

    def decode(self, tokens: list[str]) -> str: ...

    def source_spans(self, text: str, tokens: list[str]) -> Spans:
        """Character span of each token of `encode(text)` in `text`; () when unknown."""
        ...

    def decode_with_spans(self, tokens: list[str]) -> tuple[str, Spans]: ...


class TokenizerMissing(FileNotFoundError):
    """A package folder has neither `sentencepiece.model` nor `bpe.model`."""


def load(package_dir: Path, source: str, target: str) -> Tokenizer:
    """The package's tokenizer, chosen as argostranslate chooses it."""
    sp_model = package_dir / "sentencepiece.model"
    if sp_model.is_file():
        return SentencePieceTokenizer(sp_model)
    bpe_model = package_dir / "bpe.model"
    if bpe_model.is_file():
        return BPETokenizer(bpe_model, source, target)
    raise TokenizerMissing(f"{package_dir.name}: no sentencepiece.model or bpe.model")


class SentencePieceTokenizer:
    def __init__(self, model_file: Path) -> None:
        self.processor = sentencepiece.SentencePieceProcessor(model_file=str(model_file))

    def encode(self, text: str) -> list[str]:
        tokens: list[str] = self.processor.encode(text, out_type=str)
        return tokens

    def decode(self, tokens: list[str]) -> str:
        text: str = self.processor.decode(tokens)
        return text

    def source_spans(self, text: str, tokens: list[str]) -> Spans:
        proto = self.processor.encode(text, return_type="proto")
        return _char_spans(text, proto.pieces)

    def decode_with_spans(self, tokens: list[str]) -> tuple[str, Spans]:
        proto = self.processor.decode_pieces(tokens, return_type="proto")
        return proto.text, _char_spans(proto.text, proto.pieces)


class BPETokenizer:
    """argostranslate's own BPE tokenizer (Moses + subword-nmt codes), with spans added."""

    def __init__(self, model_file: Path, source: str, target: str) -> None:
        from argostranslate.tokenizer import BPETokenizer as ArgosBPE  # light: no torch

        self.argos = ArgosBPE(model_file, source, target)
        self.argos.lazy_load()  # fail at load time, not on the first request

    def encode(self, text: str) -> list[str]:
        return list(self.argos.encode(text))

    def decode(self, tokens: list[str]) -> str:
        return str(self.argos.decode(tokens))

    def source_spans(self, text: str, tokens: list[str]) -> Spans:
        return _find_spans(text, [t.removesuffix("@@") for t in tokens])

    def decode_with_spans(self, tokens: list[str]) -> tuple[str, Spans]:
        text = self.decode(tokens)
        return text, _find_spans(text, [t.removesuffix("@@") for t in tokens])


def _find_spans(text: str, surfaces: list[str]) -> Spans:
    """Each surface located left to right; () as soon as one is not found verbatim."""
    spans, position = [], 0
    for surface in surfaces:
        start = text.find(surface, position)
        if start < 0 or not surface:
            return ()
        spans.append((start, start + len(surface)))
        position = start + len(surface)
    return tuple(spans)


def _char_spans(text: str, pieces: object) -> Spans:
    """SentencePiece reports UTF-8 byte offsets; alignment works on characters."""
    char_at = [0] * (len(text.encode("utf-8")) + 1)
    position = 0
    for index, char in enumerate(text):
        width = len(char.encode("utf-8"))
        for k in range(width):
            char_at[position + k] = index
        position += width
    char_at[position] = len(text)
    return tuple((char_at[p.begin], char_at[p.end]) for p in pieces)  # type: ignore[attr-defined]
