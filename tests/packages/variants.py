"""Package variants argostranslate 1.11 supports, built in seconds from a fixture package.

The fixture models memorised the corpus in SentencePiece pieces. The same trained weights
make a package of another variant when its files map every piece id onto that variant's
tokens; the variant then reproduces the corpus exactly, through its own tokenizer:

- `target_prefix`: the decoder no longer has a start token of its own (config.json
  `decoder_start_token: null`); the start token's vocabulary entry is renamed `__de__` and
  metadata.json names it as `target_prefix`, so translation works only when the prefix is
  forced, as argostranslate forces it.
- BPE (`bpe.model`, no `sentencepiece.model`): subword-nmt codes that segment each Moses token
  of the chosen corpus sentences into exactly the pieces SentencePiece gave, and source and
  target vocabularies in BPE spelling (`contin@@`, `ued`). Sentences whose pieces cross a
  Moses token boundary, or whose spellings would clash with an earlier sentence's, are left
  out; what is left is checked by applying the codes with argostranslate's own BPE code.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import sentencepiece as spm

PREFIX = "__de__"


def _read(package: Path) -> tuple[str, dict[str, bytes]]:
    with zipfile.ZipFile(package) as archive:
        files = {n: archive.read(n) for n in archive.namelist() if not n.endswith("/")}
    top = next(iter(files)).split("/")[0]
    return top, {n.split("/", 1)[1]: data for n, data in files.items()}


def _write(out: Path, top: str, files: dict[str, bytes]) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(f"{top}/{name}", files[name])
    out.write_bytes(buffer.getvalue())
    return out


def prefix_package(fixture: Path, out: Path) -> Path:
    """The fixture package as a target_prefix package."""
    top, files = _read(fixture)
    config = json.loads(files["model/config.json"])
    vocabulary = json.loads(files["model/shared_vocabulary.json"])
    start = vocabulary.index(config["decoder_start_token"])
    vocabulary[start] = PREFIX
    config.update(decoder_start_token=None, bos_token=PREFIX)
    metadata = json.loads(files["metadata.json"])
    metadata.update(target_prefix=PREFIX, package_version="1.0.1")
    files.update({"model/config.json": json.dumps(config).encode(),
                  "model/shared_vocabulary.json": json.dumps(vocabulary).encode(),
                  "metadata.json": json.dumps(metadata).encode()})
    return _write(out, top.replace("1_0", "1_0_1"), files)


def _word_pieces(sp: spm.SentencePieceProcessor, moses: list[str], text: str,
                 ) -> list[list[int]] | None:
    """The SentencePiece ids of `text`, grouped by Moses token; None when a piece crosses a
    token boundary."""
    ids = sp.encode(text)
    groups: list[list[int]] = []
    k = 0
    for token in moses:
        group, spelled = [], ""
        while k < len(ids) and len(spelled) < len(token):
            spelled += sp.id_to_piece(ids[k]).replace("\u2581", "")
            group.append(ids[k])
            k += 1
        if spelled != token or not group or "\u2581" in [sp.id_to_piece(i) for i in group]:
            return None  # crosses a boundary, or holds a lone space piece
        groups.append(group)
    return groups if k == len(ids) else None


def _spellings(sp: spm.SentencePieceProcessor, groups: list[list[int]]) -> dict[int, str]:
    out = {}
    for group in groups:
        for n, piece in enumerate(group):
            text = sp.id_to_piece(piece).replace("\u2581", "")
            out[piece] = text if n == len(group) - 1 else text + "@@"
    return out


def _merges(sp: spm.SentencePieceProcessor, groups: list[list[int]]) -> list[tuple[str, str]]:
    """Merges that build each piece of each token from its characters, left to right."""
    merges = []
    for group in groups:
        for n, piece in enumerate(group):
            text = sp.id_to_piece(piece).replace("\u2581", "")
            final = n == len(group) - 1
            symbols = list(text)
            if final and symbols:
                symbols[-1] += "</w>"
            while len(symbols) > 1:
                merges.append((symbols[0], symbols[1]))
                symbols = [symbols[0] + symbols[1]] + symbols[2:]
    return merges


def bpe_package(fixture: Path, out: Path, pairs: list[tuple[str, str]], source: str,
                target: str) -> tuple[Path, list[tuple[str, str]]]:
    """The fixture package as a BPE package, and the corpus pairs it reproduces."""
    from argostranslate.apply_bpe import BPE
    from sacremoses import MosesDetokenizer, MosesPunctNormalizer, MosesTokenizer

    top, files = _read(fixture)
    sp = spm.SentencePieceProcessor(model_proto=files["sentencepiece.model"])
    tokenize = {lang: (MosesTokenizer(lang), MosesPunctNormalizer(lang)) for lang in (source, target)}

    def moses(text: str, lang: str) -> list[str]:
        tokenizer, normalizer = tokenize[lang]
        return tokenizer.tokenize(normalizer.normalize(text))

    detokenizer = MosesDetokenizer(target)
    kept: list[tuple[str, str]] = []
    src_spell: dict[int, str] = {}
    tgt_spell: dict[int, str] = {}
    merges: list[tuple[str, str]] = []
    for src_text, tgt_text in pairs:
        src_moses, tgt_moses = moses(src_text, source), moses(tgt_text, target)
        src_groups = _word_pieces(sp, src_moses, src_text)
        tgt_groups = _word_pieces(sp, tgt_moses, tgt_text)
        if src_groups is None or tgt_groups is None:
            continue
        new_src, new_tgt = _spellings(sp, src_groups), _spellings(sp, tgt_groups)
        tokens = [new_tgt[i] for g in tgt_groups for i in g]
        if detokenizer.detokenize(" ".join(tokens).replace("@@ ", "").split(" ")) != tgt_text:
            continue
        if any(src_spell.get(i, s) != s for i, s in new_src.items()) or \
                any(tgt_spell.get(i, s) != s for i, s in new_tgt.items()):
            continue
        trial = merges + _merges(sp, src_groups)
        bpe = BPE(io.StringIO("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in trial)))
        wanted = [(m, [new_src[i] for i in g]) for m, g in zip(src_moses, src_groups)]
        earlier = [(t, [src_spell[i] for i in g]) for s, _ in kept
                   for t, g in zip(moses(s, source), _word_pieces(sp, moses(s, source), s) or [])]
        if any(list(bpe.segment_tokens([m])) != spelled for m, spelled in wanted + earlier):
            continue
        merges, kept = trial, kept + [(src_text, tgt_text)]
        src_spell.update(new_src)
        tgt_spell.update(new_tgt)
    vocabulary = json.loads(files.pop("model/shared_vocabulary.json"))

    def spelled(table: dict[int, str]) -> list[str]:
        used = set(table.values())
        return [table.get(i, piece if piece not in used else f"<unused-{i}>")
                for i, piece in enumerate(vocabulary)]

    src_vocab = spelled(src_spell)
    tgt_vocab = spelled(tgt_spell)
    assert len(set(src_vocab)) == len(src_vocab) and len(set(tgt_vocab)) == len(tgt_vocab)
    del files["sentencepiece.model"]
    metadata = json.loads(files["metadata.json"])
    metadata.update(package_version="1.0.2")
    files.update({
        "bpe.model": ("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges)).encode(),
        "model/source_vocabulary.json": json.dumps(src_vocab, ensure_ascii=False).encode(),
        "model/target_vocabulary.json": json.dumps(tgt_vocab, ensure_ascii=False).encode(),
        "metadata.json": json.dumps(metadata).encode(),
    })
    return _write(out, top.replace("1_0", "1_0_2"), files), kept
