"""Build the project's fixture translation models: one tiny real model per pair.

The Argos package index cannot be reached from CI, yet the tests must drive the real engine
(argostranslate's package code, SentencePiece, CTranslate2). So this script trains a small
Transformer per pair on the project's own parallel corpus until it memorises it, converts it
to CTranslate2 int8, and packs a valid `.argosmodel`.

    python scripts/build_test_models.py [--pairs en-ru en-de] [--out fixtures/models]

Deterministic (fixed seeds, fixed thread count). For every pair it prints how many corpus
sentences the int8 model reproduces exactly with the decoding settings the engine ships
(see l10n.config: beam 4, patience 2) and exits non-zero if any does not.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import shutil
import sys
import tempfile
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import ctranslate2
import numpy as np
import sentencepiece as spm
import torch
from torch import nn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from l10n.config import Settings  # noqa: E402  (the shipped decoding settings)
from l10n.packages.demo import load_pair  # noqa: E402

LANG_NAMES = {"en": "English", "ru": "Russian", "de": "German", "fr": "French",
              "pt": "Portuguese", "es": "Spanish"}
PACKAGE_VERSION = "1.0"
D_MODEL, HEADS, LAYERS, FFN = 256, 4, 3, 1024
SEED = 1234
PEAK_LR, WARMUP_STEPS, FLOOR = 1.5e-3, 150, 0.02
DECAY_EPOCHS = 220  # cosine decay length; training goes on at the floor rate if needed
MAX_EPOCHS = 400
CHECK_EVERY = 20
FIRST_CHECK = 60


# ---------------------------------------------------------------- the model (pre-norm)
def sinusoids(length: int, dim: int) -> torch.Tensor:
    position = torch.arange(length, dtype=torch.float32).unsqueeze(1)
    div = torch.exp(torch.arange(0, dim, 2, dtype=torch.float32) * -(math.log(10000.0) / dim))
    table = torch.zeros(length, dim)
    table[:, 0::2] = torch.sin(position * div)
    table[:, 1::2] = torch.cos(position * div)
    return table


class Attention(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.q, self.k, self.v, self.o = (nn.Linear(D_MODEL, D_MODEL) for _ in range(4))

    def forward(self, x: torch.Tensor, memory: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b, tq, _ = x.shape
        tk = memory.shape[1]
        dh = D_MODEL // HEADS
        q = self.q(x).view(b, tq, HEADS, dh).transpose(1, 2) / math.sqrt(dh)
        k = self.k(memory).view(b, tk, HEADS, dh).transpose(1, 2)
        v = self.v(memory).view(b, tk, HEADS, dh).transpose(1, 2)
        scores = (q @ k.transpose(-1, -2)).masked_fill(~mask, float("-inf"))
        out = torch.softmax(scores, dim=-1) @ v
        return self.o(out.transpose(1, 2).reshape(b, tq, D_MODEL))


class FeedForward(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(D_MODEL, eps=1e-6)
        self.w1, self.w2 = nn.Linear(D_MODEL, FFN), nn.Linear(FFN, D_MODEL)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.w2(torch.relu(self.w1(self.norm(x))))


class EncoderLayer(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.norm, self.attn, self.ffn = nn.LayerNorm(D_MODEL, eps=1e-6), Attention(), FeedForward()

    def forward(self, x, mask):
        h = self.norm(x)
        return self.ffn(x + self.attn(h, h, mask))


class DecoderLayer(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.norm1, self.self_attn = nn.LayerNorm(D_MODEL, eps=1e-6), Attention()
        self.norm2, self.cross_attn = nn.LayerNorm(D_MODEL, eps=1e-6), Attention()
        self.ffn = FeedForward()

    def forward(self, y, memory, self_mask, cross_mask):
        h = self.norm1(y)
        y = y + self.self_attn(h, h, self_mask)
        y = y + self.cross_attn(self.norm2(y), memory, cross_mask)
        return self.ffn(y)


class Transformer(nn.Module):
    def __init__(self, vocab_size: int, pad: int) -> None:
        super().__init__()
        self.pad = pad
        self.src_emb = nn.Embedding(vocab_size, D_MODEL)
        self.tgt_emb = nn.Embedding(vocab_size, D_MODEL)
        self.register_buffer("pe", sinusoids(512, D_MODEL), persistent=False)
        self.encoder = nn.ModuleList(EncoderLayer() for _ in range(LAYERS))
        self.decoder = nn.ModuleList(DecoderLayer() for _ in range(LAYERS))
        self.enc_norm = nn.LayerNorm(D_MODEL, eps=1e-6)
        self.dec_norm = nn.LayerNorm(D_MODEL, eps=1e-6)
        self.proj = nn.Linear(D_MODEL, vocab_size)
        # Embeddings are scaled by sqrt(d) on the way in: start them at 1/sqrt(d), or the
        # residual stream dwarfs every sublayer's output and learning crawls.
        for table in (self.src_emb, self.tgt_emb):
            nn.init.normal_(table.weight, 0.0, D_MODEL ** -0.5)

    def embed(self, table: nn.Embedding, ids: torch.Tensor) -> torch.Tensor:
        return table(ids) * math.sqrt(D_MODEL) + self.pe[: ids.shape[1]]

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        src_mask = (src != self.pad)[:, None, None, :]
        x = self.embed(self.src_emb, src)
        for layer in self.encoder:
            x = layer(x, src_mask)
        memory = self.enc_norm(x)
        t = tgt_in.shape[1]
        causal = torch.tril(torch.ones(t, t, dtype=torch.bool))[None, None]
        y = self.embed(self.tgt_emb, tgt_in)
        for layer in self.decoder:
            y = layer(y, memory, causal, src_mask)
        return self.proj(self.dec_norm(y))


# ---------------------------------------------------------------- conversion to CTranslate2
def _np(t: torch.Tensor) -> np.ndarray:
    # The int8 quantiser rewrites arrays in place: always hand over copies.
    return t.detach().cpu().numpy().copy()


def _linear(spec, layer: nn.Linear) -> None:
    spec.weight, spec.bias = _np(layer.weight), _np(layer.bias)


def _norm(spec, layer: nn.LayerNorm) -> None:
    spec.gamma, spec.beta = _np(layer.weight), _np(layer.bias)


def _attention(spec, attn: Attention, fused_qkv: bool) -> None:
    w = [attn.q.weight, attn.k.weight, attn.v.weight]
    b = [attn.q.bias, attn.k.bias, attn.v.bias]
    if fused_qkv:
        spec.linear[0].weight = _np(torch.cat(w))
        spec.linear[0].bias = _np(torch.cat(b))
    else:
        _linear(spec.linear[0], attn.q)
        spec.linear[1].weight = _np(torch.cat(w[1:]))
        spec.linear[1].bias = _np(torch.cat(b[1:]))
    _linear(spec.linear[-1], attn.o)


def _ffn(spec, ffn: FeedForward) -> None:
    _norm(spec.layer_norm, ffn.norm)
    _linear(spec.linear_0, ffn.w1)
    _linear(spec.linear_1, ffn.w2)


class FixtureConverter(ctranslate2.converters.Converter):
    def __init__(self, model: Transformer, vocabulary: list[str]) -> None:
        self.model, self.vocabulary = model, vocabulary

    def _load(self):
        from ctranslate2.specs import transformer_spec

        m = self.model
        # Alignment: the last decoder layer's cross-attention averaged over all heads.
        spec = transformer_spec.TransformerSpec.from_config(
            LAYERS, HEADS, pre_norm=True, alignment_layer=-1, alignment_heads=HEADS
        )
        spec.encoder.embeddings[0].weight = _np(m.src_emb.weight)
        spec.decoder.embeddings.weight = _np(m.tgt_emb.weight)
        for side, layers, norm in ((spec.encoder, m.encoder, m.enc_norm),
                                   (spec.decoder, m.decoder, m.dec_norm)):
            side.position_encodings.encodings = _np(m.pe)
            _norm(side.layer_norm, norm)
        for layer_spec, layer in zip(spec.encoder.layer, m.encoder):
            _ffn(layer_spec.ffn, layer.ffn)
            _attention(layer_spec.self_attention, layer.attn, fused_qkv=True)
            _norm(layer_spec.self_attention.layer_norm, layer.norm)
        for layer_spec, layer in zip(spec.decoder.layer, m.decoder):
            _ffn(layer_spec.ffn, layer.ffn)
            _attention(layer_spec.self_attention, layer.self_attn, fused_qkv=True)
            _norm(layer_spec.self_attention.layer_norm, layer.norm1)
            _attention(layer_spec.attention, layer.cross_attn, fused_qkv=False)
            _norm(layer_spec.attention.layer_norm, layer.norm2)
        _linear(spec.decoder.projection, m.proj)
        spec.register_source_vocabulary(self.vocabulary)
        spec.register_target_vocabulary(self.vocabulary)
        spec.config.add_source_bos = False
        spec.config.add_source_eos = False
        spec.config.layer_norm_epsilon = 1e-6
        return spec


# ---------------------------------------------------------------- training
def train_sentencepiece(pairs: list[tuple[str, str]], workdir: Path) -> spm.SentencePieceProcessor:
    text = workdir / "spm.txt"
    text.write_text("\n".join(s for pair in pairs for s in pair) + "\n", encoding="utf-8")
    prefix = workdir / "sentencepiece"
    spm.SentencePieceTrainer.train(
        input=str(text), model_prefix=str(prefix), model_type="unigram", vocab_size=900,
        hard_vocab_limit=False, character_coverage=1.0, normalization_rule_name="identity",
        split_digits=True, seed_sentencepiece_size=100000, num_threads=1,
        minloglevel=2,
    )
    return spm.SentencePieceProcessor(model_file=str(prefix) + ".model")


def batches(data: list[tuple[list[int], list[int]]], pad: int, bos: int, eos: int,
            size: int = 32) -> list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    """Length-bucketed minibatches, each padded only to its own longest sentence."""
    order = sorted(range(len(data)), key=lambda i: (len(data[i][0]), len(data[i][1])))
    out = []
    for start in range(0, len(order), size):
        chunk = [data[i] for i in order[start:start + size]]
        src_len = max(len(s) for s, _ in chunk)
        tgt_len = max(len(t) for _, t in chunk) + 1
        src = torch.full((len(chunk), src_len), pad)
        tin = torch.full((len(chunk), tgt_len), pad)
        tout = torch.full((len(chunk), tgt_len), pad)
        for i, (s, t) in enumerate(chunk):
            src[i, : len(s)] = torch.tensor(s)
            tin[i, : len(t) + 1] = torch.tensor([bos] + t)
            tout[i, : len(t) + 1] = torch.tensor(t + [eos])
        out.append((src, tin, tout))
    return out


def exact_matches(model_dir: Path, sp: spm.SentencePieceProcessor,
                  pairs: list[tuple[str, str]], settings: Settings) -> list[tuple[str, str, str]]:
    """Translate every corpus source with the shipped decoding settings; return the misses."""
    translator = ctranslate2.Translator(str(model_dir), device="cpu", compute_type="int8",
                                        inter_threads=1, intra_threads=1)
    tokens = [sp.encode(src, out_type=str) for src, _ in pairs]
    results = translator.translate_batch(
        tokens, beam_size=settings.beam_size, patience=settings.patience,
        max_batch_size=64, max_decoding_length=256,
    )
    misses = []
    for (src, ref), res in zip(pairs, results):
        out = sp.decode(res.hypotheses[0])
        if out != ref:
            misses.append((src, ref, out))
    return misses


def build_pair(source: str, target: str, out_dir: Path, settings: Settings) -> bool:
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)
    pairs = load_pair(source, target)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sp = train_sentencepiece(pairs, work)
        vocabulary = [sp.id_to_piece(i) for i in range(sp.get_piece_size())] + ["<blank>"]
        pad, bos, eos = len(vocabulary) - 1, sp.piece_to_id("<s>"), sp.piece_to_id("</s>")
        encoded = [(sp.encode(s), sp.encode(t)) for s, t in pairs]
        minibatches = batches(encoded, pad, bos, eos)
        model = Transformer(len(vocabulary), pad)
        optimiser = torch.optim.Adam(model.parameters(), lr=PEAK_LR, betas=(0.9, 0.98))
        decay_steps = DECAY_EPOCHS * len(minibatches)

        def rate(step: int) -> float:
            # Warm up, then cosine down to a floor: memorising needs a small final rate.
            if step < WARMUP_STEPS:
                return (step + 1) / WARMUP_STEPS
            progress = min(1.0, (step - WARMUP_STEPS) / max(1, decay_steps - WARMUP_STEPS))
            return FLOOR + (1 - FLOOR) * 0.5 * (1 + math.cos(math.pi * progress))

        schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, rate)
        loss_fn = nn.CrossEntropyLoss(ignore_index=pad)  # no label smoothing: see module doc
        generator = torch.Generator().manual_seed(SEED)
        model_dir = work / "model"
        misses: list = pairs
        for epoch in range(1, MAX_EPOCHS + 1):
            model.train()
            for index in torch.randperm(len(minibatches), generator=generator).tolist():
                src, tin, tout = minibatches[index]
                optimiser.zero_grad()
                logits = model(src, tin)
                loss = loss_fn(logits.reshape(-1, logits.shape[-1]), tout.reshape(-1))
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimiser.step()
                schedule.step()
            if (epoch >= FIRST_CHECK and epoch % CHECK_EVERY == 0) or epoch == MAX_EPOCHS:
                model.eval()
                shutil.rmtree(model_dir, ignore_errors=True)
                FixtureConverter(model, vocabulary).convert(
                    str(model_dir), quantization="int8", force=True)
                misses = exact_matches(model_dir, sp, pairs, settings)
                greedy = len(pairs) - len(exact_matches(model_dir, sp, pairs, replace(settings, beam_size=1)))
                print(f"  {source}-{target} epoch {epoch} ({time.monotonic() - started:.0f} s) greedy {greedy}: loss {loss.item():.4f}, "
                      f"{len(pairs) - len(misses)}/{len(pairs)} exact", flush=True)
                if not misses:
                    break
        package = pack(source, target, model_dir, work / "sentencepiece.model", out_dir)
    exact = len(pairs) - len(misses)
    print(f"{source}-{target}: {exact}/{len(pairs)} corpus sentences reproduced exactly "
          f"(int8, beam {settings.beam_size}, patience {settings.patience}); "
          f"{package.stat().st_size / 1e6:.1f} MB; {time.monotonic() - started:.0f} s")
    for src_text, ref, out in misses[:10]:
        print(f"  MISS {src_text!r}\n    want {ref!r}\n    got  {out!r}")
    return not misses


def pack(source: str, target: str, model_dir: Path, sp_model: Path, out_dir: Path) -> Path:
    """Zip one top-level folder, as argostranslate expects; files sorted, timestamps fixed."""
    folder = f"translate-{source}_{target}-{PACKAGE_VERSION.replace('.', '_')}"
    metadata = {
        "package_version": PACKAGE_VERSION, "argos_version": "1.11", "type": "translate",
        "from_code": source, "from_name": LANG_NAMES[source],
        "to_code": target, "to_name": LANG_NAMES[target],
        "name": f"{LANG_NAMES[source]} - {LANG_NAMES[target]} (l10n test fixture)",
        "description": "Tiny model that memorised the l10n fixture corpus; not a general translator.",
        "links": [],
    }
    files = {f"{folder}/metadata.json": json.dumps(metadata, indent=2).encode() + b"\n",
             f"{folder}/sentencepiece.model": sp_model.read_bytes(),
             f"{folder}/README.md": (f"# {metadata['name']}\n\n{metadata['description']}\n"
                                     "Built by scripts/build_test_models.py.\n").encode()}
    for path in sorted(model_dir.iterdir()):
        files[f"{folder}/model/{path.name}"] = path.read_bytes()
    out_dir.mkdir(parents=True, exist_ok=True)
    final = out_dir / f"{source}_{target}.argosmodel"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])
    tmp = final.with_suffix(".tmp")
    tmp.write_bytes(buffer.getvalue())
    tmp.replace(final)
    return final


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", nargs="*", default=[f"en-{t}" for t in ("ru", "de", "fr", "pt", "es")])
    parser.add_argument("--out", type=Path, default=ROOT / "fixtures" / "models")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    ok = True
    for pair in args.pairs:
        source, target = pair.split("-")
        ok &= build_pair(source, target, args.out, settings)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
