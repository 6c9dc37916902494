"""The translation engine: CTranslate2 models of installed Argos packages, batched.

argostranslate's own `translate()` sends one paragraph at a time through its sentence splitter
(which downloads a model on first use and so fails offline). This engine instead takes a list
of already segmented sentences and translates them in ONE `translate_batch` call per pair,
tokenising with the package's own tokenizer (SentencePiece or BPE, tokenizers.py) and forcing
the package's `target_prefix` when it has one, as argostranslate does.

Pairs without a package of their own are translated through English (`route`). A package
installed, upgraded or removed while the service runs is picked up by the next request in
every process (`refresh`): the store stamps the packages folder, the engine compares the
stamp, and swaps in a fresh set of translators; requests in flight finish on the old ones.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import ctranslate2

from l10n.config import Settings
from l10n.packages import tokenizers
from l10n.packages.store import InstalledModel, ModelStore, PackageError
from l10n.packages.tokenizers import Tokenizer
from l10n.translate.types import Translation

log = logging.getLogger(__name__)
PIVOT = "en"


class UnsupportedPair(LookupError):
    """No installed package (nor pivot through English) translates this pair."""

    def __init__(self, source: str, target: str, missing: Sequence[str] = ()) -> None:
        missing = tuple(missing) or (f"{source}-{target}",)
        detail = "" if missing == (f"{source}-{target}",) else \
            f" (directly or through English: missing {', '.join(missing)})"
        super().__init__(f"no installed model translates {source} to {target}{detail}")
        self.source, self.target, self.missing = source, target, missing


class BrokenPackage(LookupError):
    """An installed package cannot be loaded: its pair is unavailable, the rest still serve."""


@dataclass(frozen=True)
class Device:
    """Where the translators run, as CTranslate2 names it."""

    device: str  # cpu | cuda
    index: int
    compute_type: str

    def as_json(self) -> dict[str, object]:
        return {"device": self.device, "index": self.index, "compute_type": self.compute_type}


def choose_device(settings: Settings) -> Device:
    """L10N_DEVICE / L10N_COMPUTE_TYPE resolved: auto picks CUDA when a GPU is visible, and
    int8 on CPU, int8_float16 (else float16) on CUDA."""
    device = settings.device
    if device == "auto":
        device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    compute = settings.compute_type
    if compute == "auto":
        if device == "cpu":
            compute = "int8"
        else:
            supported = ctranslate2.get_supported_compute_types("cuda", settings.device_index)
            compute = next((c for c in ("int8_float16", "float16") if c in supported), "float32")
    return Device(device, settings.device_index if device == "cuda" else 0, compute)


@dataclass
class _Loaded:
    model: InstalledModel
    translator: ctranslate2.Translator
    tokenizer: Tokenizer
    target_prefix: str
    identity: tuple[int, int]  # the package folder's inode and mtime when it was loaded


def _identity(folder: Path) -> tuple[int, int]:
    """Changes when a package folder is replaced (a reinstall renames a new one into place)."""
    found = folder.stat()
    return found.st_ino, found.st_mtime_ns


class Engine:
    """Translates lists of segments; loads one translator per pair lazily, thread-safely."""

    def __init__(self, settings: Settings, store: ModelStore | None = None) -> None:
        self.settings = settings
        self.store = store or ModelStore(settings.packages_dir)
        self.device = choose_device(settings)
        self._loaded: dict[tuple[str, str], _Loaded] = {}
        self._broken: dict[tuple[str, str], str] = {}
        self._missing: set[tuple[str, str]] = set()  # no package, as of the last stamp
        self._lock = threading.Lock()
        self._stamp = self.store.stamp()
        self.calls = 0  # translate_batch calls made: the unit the pipeline economises
        self.segments = 0  # segments sent to CTranslate2

    # -- models
    def model_for(self, source: str, target: str) -> InstalledModel:
        return self._load(source, target).model

    def supports(self, source: str, target: str) -> bool:
        """Whether a package translates the pair. Answered from the loaded translators (a
        question about a pair is followed by work on it) and the pairs known to be missing,
        so the packages folder is read once per pair until it changes, not on every request."""
        try:
            self._load(source, target)
        except (UnsupportedPair, BrokenPackage):
            return False
        return True

    def route(self, source: str, target: str) -> tuple[str, ...]:
        """The languages a text goes through: (source, target) when a package translates the
        pair, (source, "en", target) when two do through English; else UnsupportedPair
        naming every missing package."""
        if source == target:
            return (source,)
        if self.supports(source, target) or PIVOT in (source, target):
            self._load(source, target)  # raises the pair's own error
            return (source, target)
        missing = [f"{a}-{b}" for a, b in ((source, PIVOT), (PIVOT, target))
                   if not self.supports(a, b)]
        if missing:
            raise UnsupportedPair(source, target, [f"{source}-{target}"] + missing)
        return (source, PIVOT, target)

    def refresh(self) -> bool:
        """Pick up packages installed, upgraded or removed since the last look (one stat of
        the packages folder and its stamp file). Translators of unchanged packages are kept;
        the others are dropped from the table, not closed, so threads using them finish."""
        stamp = self.store.stamp()
        if stamp == self._stamp:
            return False
        with self._lock:
            if stamp != self._stamp:
                kept = {k: v for k, v in self._loaded.items()
                        if (m := self.store.find(*k)) is not None and m.path == v.model.path
                        and _identity(m.path) == v.identity}
                log.info("packages changed on disk: %d translators kept, %d dropped",
                         len(kept), len(self._loaded) - len(kept))
                self._loaded = kept
                self._broken = {}
                self._missing = set()
                self._stamp = stamp
        return True

    def _load(self, source: str, target: str) -> _Loaded:
        key = (source, target)
        loaded = self._loaded.get(key)
        if loaded is not None:
            return loaded
        with self._lock:
            if key in self._broken:
                raise BrokenPackage(self._broken[key])
            if key in self._missing:
                raise UnsupportedPair(source, target)
            if key not in self._loaded:
                model = self.store.find(source, target)
                if model is None:
                    self._missing.add(key)
                    raise UnsupportedPair(source, target)
                try:
                    self._loaded[key] = self._open(model)
                except (OSError, RuntimeError, ValueError, PackageError) as exc:
                    message = f"the installed {model.pair} package cannot be loaded: {exc}"
                    log.error(message)
                    self._broken[key] = message
                    raise BrokenPackage(message) from None
            return self._loaded[key]

    def _open(self, model: InstalledModel) -> _Loaded:
        return _Loaded(
            model=model, identity=_identity(model.path),
            translator=ctranslate2.Translator(
                str(model.path / "model"), device=self.device.device,
                device_index=self.device.index, compute_type=self.device.compute_type,
                inter_threads=self.settings.inter_threads,
                intra_threads=self.settings.intra_threads,
            ),
            tokenizer=tokenizers.load(model.path, model.source, model.target),
            target_prefix=model.target_prefix,
        )

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
        tok = loaded.tokenizer
        limit = self.settings.max_input_tokens
        units: list[list[str]] = []  # token lists actually sent
        owners: list[int] = []       # which segment each unit belongs to
        unit_texts: list[str] = []
        for index, text in enumerate(segments):
            for chunk in _chunks(text, tok, limit):
                units.append(tok.encode(chunk))
                unit_texts.append(chunk)
                owners.append(index)
        prefix = [loaded.target_prefix] if loaded.target_prefix else []
        longest = max(len(u) for u in units)
        results = loaded.translator.translate_batch(
            units,
            target_prefix=[prefix] * len(units) if prefix else None,
            beam_size=self.settings.beam_size,
            patience=self.settings.patience,
            max_batch_size=self.settings.max_batch_size,
            max_input_length=0,  # inputs are already bounded above; never cut here
            max_decoding_length=min(1024, 2 * longest + 16 + len(prefix)),
            return_attention=with_alignment,
        )
        with self._lock:  # editions run in threads: counters must not lose updates
            self.calls += 1
            self.segments += len(units)
        pieces: list[list[Translation]] = [[] for _ in segments]
        for text, tokens, result, owner in zip(unit_texts, units, results, owners):
            pieces[owner].append(_translation(tok, text, tokens, result, loaded.target_prefix,
                                              with_alignment))
        return [_join(parts) for parts in pieces]


def _chunks(text: str, tok: Tokenizer, limit: int) -> list[str]:
    if len(tok.encode(text)) <= limit:
        return [text]
    words = text.split(" ")
    chunks: list[str] = []
    current: list[str] = []
    for word in words:
        if current and len(tok.encode(" ".join(current + [word]))) > limit:
            chunks.append(" ".join(current))
            current = []
        current.append(word)
    chunks.append(" ".join(current))
    return chunks


def _translation(tok: Tokenizer, text: str, tokens: list[str], result: object, prefix: str,
                 with_alignment: bool) -> Translation:
    """The best hypothesis, without the target prefix: CTranslate2 returns a forced prefix
    token, except when the model starts decoding from it (no decoder_start_token)."""
    hypothesis = result.hypotheses[0]  # type: ignore[attr-defined]
    skip = 1 if prefix and hypothesis[:1] == [prefix] else 0
    hypothesis = hypothesis[skip:]
    if not with_alignment:
        return Translation(tok.decode(hypothesis))
    decoded, target_spans = tok.decode_with_spans(hypothesis)
    source_spans = tok.source_spans(text, tokens)
    attention = result.attention[0][skip: skip + len(hypothesis)]  # type: ignore[attr-defined]
    if not source_spans or len(target_spans) != len(hypothesis):
        return Translation(decoded)  # no reliable offsets: placement uses other anchors
    return Translation(
        text=decoded, source_spans=source_spans, target_spans=target_spans,
        alignment=tuple(max(range(len(row)), key=row.__getitem__) if row else -1
                        for row in attention),
    )


def _join(parts: list[Translation]) -> Translation:
    if len(parts) == 1:
        return parts[0]
    # Alignment of rejoined chunks is not offered: callers fall back to other anchors.
    return Translation(" ".join(p.text for p in parts))


def compose(first: Translation, second: Translation) -> Translation:
    """A pivot translation (source → English → target) as one source → target translation:
    each target piece aligned to the source piece that its English piece came from, matched
    through character offsets (the two legs tokenise English differently)."""
    if not (first.alignment and second.alignment):
        return Translation(second.text)

    def english_piece(char: int) -> int:
        for k, (start, end) in enumerate(first.target_spans):
            if start <= char < end:
                return k
        return len(first.target_spans) - 1

    alignment = []
    for source_piece in second.alignment:
        if not 0 <= source_piece < len(second.source_spans):
            alignment.append(-1)
            continue
        k = english_piece(second.source_spans[source_piece][0])
        alignment.append(first.alignment[k] if 0 <= k < len(first.alignment) else -1)
    return Translation(second.text, first.source_spans, second.target_spans, tuple(alignment))
