"""The translation engine: CTranslate2 models of installed Argos packages, batched.

argostranslate's own `translate()` sends one paragraph at a time through its sentence splitter
(which downloads a model on first use and so fails offline). This engine instead takes a list
of already segmented sentences and translates them in ONE `translate_batch` call per pair,
tokenising with the package's SentencePiece model.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import ctranslate2
import sentencepiece

from l10n.config import Settings
from l10n.packages.store import InstalledModel, ModelStore
from l10n.translate.types import Translation


class UnsupportedPair(LookupError):
    """No installed package translates this pair."""

    def __init__(self, source: str, target: str) -> None:
        super().__init__(f"no installed model translates {source} to {target}")
        self.source, self.target = source, target


@dataclass
class _Loaded:
    model: InstalledModel
    translator: ctranslate2.Translator
    tokenizer: sentencepiece.SentencePieceProcessor


class Engine:
    """Translates lists of segments; loads one translator per pair lazily, thread-safely."""

    def __init__(self, settings: Settings, store: ModelStore | None = None) -> None:
        self.settings = settings
        self.store = store or ModelStore(settings.packages_dir)
        self._loaded: dict[tuple[str, str], _Loaded] = {}
        self._lock = threading.Lock()
        self.calls = 0  # translate_batch calls made: the unit the pipeline economises
        self.segments = 0  # segments sent to CTranslate2

    # -- models
    def model_for(self, source: str, target: str) -> InstalledModel:
        return self._load(source, target).model

    def supports(self, source: str, target: str) -> bool:
        """Whether a package translates the pair. Answered from the loaded translators (a
        question about a pair is followed by work on it), so the packages folder is read once
        per pair, not on every request."""
        try:
            self._load(source, target)
        except UnsupportedPair:
            return False
        return True

    def reload(self) -> None:
        """Forget loaded translators (after an install or upgrade)."""
        with self._lock:
            self._loaded.clear()

    def _load(self, source: str, target: str) -> _Loaded:
        key = (source, target)
        loaded = self._loaded.get(key)
        if loaded is not None:
            return loaded
        with self._lock:
            if key not in self._loaded:
                model = self.store.find(source, target)
                if model is None:
                    raise UnsupportedPair(source, target)
                self._loaded[key] = _Loaded(
                    model=model,
                    translator=ctranslate2.Translator(
                        str(model.path / "model"), device="cpu",
                        compute_type=self.settings.compute_type,
                        inter_threads=self.settings.inter_threads,
                        intra_threads=self.settings.intra_threads,
                    ),
                    tokenizer=sentencepiece.SentencePieceProcessor(
                        model_file=str(model.path / "sentencepiece.model")),
                )
            return self._loaded[key]

    # -- translation
    def translate(self, source: str, target: str, segments: Sequence[str],
                  *, with_alignment: bool = False) -> list[Translation]:
        """Translate `segments` (sentences, not paragraphs) in one batched engine call.

        Over-long segments are cut into pieces of at most `max_input_tokens` tokens at the
        last whitespace before the limit and rejoined after translation, so nothing is
        silently truncated by CTranslate2's own limits.
        """
        if not segments:
            return []
        loaded = self._load(source, target)
        sp = loaded.tokenizer
        limit = self.settings.max_input_tokens
        units: list[list[str]] = []  # token lists actually sent
        owners: list[int] = []       # which segment each unit belongs to
        unit_texts: list[str] = []
        for index, text in enumerate(segments):
            for chunk in _chunks(text, sp, limit):
                units.append(sp.encode(chunk, out_type=str))
                unit_texts.append(chunk)
                owners.append(index)
        longest = max(len(u) for u in units)
        results = loaded.translator.translate_batch(
            units,
            beam_size=self.settings.beam_size,
            patience=self.settings.patience,
            max_batch_size=self.settings.max_batch_size,
            max_input_length=0,  # inputs are already bounded above; never cut here
            max_decoding_length=min(1024, 2 * longest + 16),
            return_attention=with_alignment,
        )
        self.calls += 1
        self.segments += len(units)
        pieces: list[list[Translation]] = [[] for _ in segments]
        for text, tokens, result, owner in zip(unit_texts, units, results, owners):
            pieces[owner].append(_translation(sp, text, tokens, result, with_alignment))
        return [_join(parts) for parts in pieces]


def _chunks(text: str, sp: sentencepiece.SentencePieceProcessor, limit: int) -> list[str]:
    if len(sp.encode(text)) <= limit:
        return [text]
    words = text.split(" ")
    chunks, current = [], []
    for word in words:
        if current and len(sp.encode(" ".join(current + [word]))) > limit:
            chunks.append(" ".join(current))
            current = []
        current.append(word)
    chunks.append(" ".join(current))
    return chunks


def _translation(sp, text: str, tokens: list[str], result, with_alignment: bool) -> Translation:
    hypothesis = result.hypotheses[0]
    if not with_alignment:
        return Translation(sp.decode(hypothesis))
    source = sp.encode(text, return_type="proto")
    decoded = sp.decode_pieces(hypothesis, return_type="proto")
    return Translation(
        text=decoded.text,
        source_spans=_char_spans(text, source.pieces),
        target_spans=_char_spans(decoded.text, decoded.pieces),
        alignment=tuple(max(range(len(row)), key=row.__getitem__) if row else -1
                        for row in result.attention[0][: len(hypothesis)]),
    )


def _char_spans(text: str, pieces) -> tuple[tuple[int, int], ...]:
    """SentencePiece reports UTF-8 byte offsets; alignment works on characters."""
    char_at = [0] * (len(text.encode("utf-8")) + 1)
    position = 0
    for index, char in enumerate(text):
        width = len(char.encode("utf-8"))
        for k in range(width):
            char_at[position + k] = index
        position += width
    char_at[position] = len(text)
    return tuple((char_at[p.begin], char_at[p.end]) for p in pieces)


def _join(parts: list[Translation]) -> Translation:
    if len(parts) == 1:
        return parts[0]
    # Alignment of rejoined chunks is not offered: callers fall back to other anchors.
    return Translation(" ".join(p.text for p in parts))

