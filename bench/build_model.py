"""Build the benchmark model: random weights in the shape of a real Argos Translate model.

Real Argos packages are too big to commit and cannot be downloaded in CI, yet speed figures
from the tiny fixture models (d 256, 3+3 layers, 900-token vocabulary) say nothing about
production. What makes a model slow is its shape, not what its weights learned, so this
script builds a model with the shape of Argos' transformer-base packages (6+6 layers,
d_model 512, 8 heads, FFN 2048, ~50k shared vocabulary, int8) from random weights:

- the network and its CTranslate2 conversion are those of `scripts/build_test_models.py`
  (its `Transformer` and `FixtureConverter`, sized by its module-level shape constants);
- the tokenizer is a SentencePiece model trained on the fixture corpus (random weights still
  need a real tokenizer); CTranslate2's vocabulary is that tokenizer's pieces padded with
  unused `<pad_N>` tokens to 50,000 entries, so the embedding and output layers have the
  production size;
- it is packed as `.argosmodel` by the same `pack()` and installed by `ModelStore`, so the
  package code, the engine and argostranslate load it exactly like a downloaded package, one
  package per edition pair (en→ru, de, fr, pt, es);
- each package carries a `spacy/` folder holding a blank English spaCy pipeline, so that
  argostranslate's own `translate()` (the naive baseline in bench/run.py) can split sentences
  offline with `ARGOS_CHUNK_TYPE=SPACY` instead of downloading a MiniSBD model.

Random weights never predict end-of-sentence, so every hypothesis would run to the decoding
cap (the engine's `2 × longest input + 16` tokens, argostranslate's fixed 256): 3-10× the
work of a trained model, and a different amount for each way of calling the model, which
would make the comparison in bench/run.py meaningless. So the random network gets a *length
head* (`add_length_head`): three of the 512 residual dimensions carry a position clock, the
last decoder layer's cross-attention reads the source length from it, and the output layer
emits `</s>` once the target is about `OUTPUT_PER_SOURCE_TOKEN` times as long as the source,
like a trained model. Everything else stays random; the amount of arithmetic is unchanged.
The output is noise; only its cost is meaningful.

    python bench/build_model.py            # → bench/work/packages/en_XX.argosmodel (~30 s)

Deterministic (fixed seeds: the same weights and vocabulary on every run); skipped when
the packages already exist with this shape.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
sys.path.insert(0, str(ROOT / "scripts"))

import build_test_models as fixture  # noqa: E402  (their network, converter and packer)

from l10n.packages.demo import load_pair  # noqa: E402

SHAPE = {"LAYERS": 6, "D_MODEL": 512, "HEADS": 8, "FFN": 2048}
VOCABULARY_SIZE = 50_000
TARGETS = ("ru", "de", "fr", "pt", "es")
SEED = 2026
# The length head (add_length_head). Three residual dimensions become clocks: the last
# cosine pairs of the sinusoid table, whose frequency is so low that they are constant over
# any sentence and carry nothing. 0.6 × the source tokens of this 900-piece tokenizer
# (~2.2 tokens a word) ≈ the ~1.5 tokens a word that a 50k-vocabulary model writes when it
# translates English into these languages (~1.3 tokens a word, translations ~15% longer).
SOURCE_CLOCK, TARGET_CLOCK, ZERO = 510, 511, 509
CLOCK_RATE = 0.1
OUTPUT_PER_SOURCE_TOKEN = 0.6
STAMP = "shape.json"  # what the packages in a folder were built with


def build_vocabulary(workdir: Path) -> tuple[Path, list[str], list[list[int]]]:
    """A SentencePiece model trained on every fixture corpus, the padded vocabulary, and
    the corpus' English sentences encoded (to calibrate the length head)."""
    pairs = [pair for target in TARGETS for pair in load_pair("en", target)]
    sp = fixture.train_sentencepiece(pairs, workdir)
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    padding = [f"<pad_{i}>" for i in range(VOCABULARY_SIZE - len(pieces))]
    samples = [sp.encode(source) for source, _ in pairs[:50]]
    return workdir / "sentencepiece.model", pieces + padding, samples


def convert_random_model(vocabulary: list[str], samples: list[list[int]],
                         model_dir: Path) -> None:
    """Random weights, Argos shape, a length head; converted to CTranslate2 int8 by the
    fixture converter."""
    for name, value in SHAPE.items():  # the fixture network reads its shape from globals
        setattr(fixture, name, value)
    torch.manual_seed(SEED)
    model = fixture.Transformer(len(vocabulary), pad=len(vocabulary) - 1).eval()
    with torch.no_grad():
        add_length_head(model, vocabulary.index("</s>"), samples)
        fixture.FixtureConverter(model, vocabulary).convert(
            str(model_dir), quantization="int8", force=True)


def add_length_head(model: fixture.Transformer, eos: int, samples: list[list[int]]) -> None:
    """Make the random network end its output like a trained one (see the module docstring).

    - Dimension SOURCE_CLOCK of the position table counts positions (CLOCK_RATE each),
      TARGET_CLOCK too, ZERO is always 0; no embedding and no layer writes into the three
      (their rows in every residual-writing projection are scaled to ~0), so they survive
      the random layers exactly. After a layer norm `clock - zero` is `position / scale`,
      whatever the per-position mean, with `scale` (the residual's standard deviation) the
      same for every position within ~3%.
    - Head 0 of the last decoder layer's cross-attention has a constant query and keys equal
      to the source clock: a sharp softmax puts it on the last source token, whose clock
      value (the source length) it writes, scaled, negatively into TARGET_CLOCK.
    - The output row of `</s>` reads `TARGET_CLOCK - ZERO`: strongly negative until the
      target position passes OUTPUT_PER_SOURCE_TOKEN × the source length, then positive.
    """
    clocks = [SOURCE_CLOCK, TARGET_CLOCK, ZERO]
    position = torch.arange(model.pe.shape[0], dtype=torch.float32)
    model.pe[:, SOURCE_CLOCK] = CLOCK_RATE * position
    model.pe[:, TARGET_CLOCK] = CLOCK_RATE * position
    model.pe[:, ZERO] = 0.0
    for embedding in (model.src_emb, model.tgt_emb):
        embedding.weight[:, clocks] = 0.0
    writers = [w for layer in model.encoder for w in (layer.attn.o, layer.ffn.w2)]
    writers += [w for layer in model.decoder
                for w in (layer.self_attn.o, layer.cross_attn.o, layer.ffn.w2)]
    for linear in writers:
        linear.weight[clocks, :] *= 1e-6  # not 0: int8 scales are computed per row
        linear.bias[clocks] = 0.0
    scale = _encoder_scale(model, samples)
    head = model.decoder[-1].cross_attn
    size = SHAPE["D_MODEL"] // SHAPE["HEADS"]
    for linear in (head.q, head.k, head.v):
        linear.weight[:size] *= 1e-6
        linear.bias[:size] = 0.0
    head.q.bias[0] = 9000.0  # scores step by 9000/8 × 0.1/scale ≈ 5 per source position
    for linear in (head.k, head.v):
        linear.weight[0, SOURCE_CLOCK], linear.weight[0, ZERO] = 1.0, -1.0
    head.o.weight[TARGET_CLOCK, :] = 0.0
    head.o.weight[TARGET_CLOCK, 0] = -OUTPUT_PER_SOURCE_TOKEN * scale
    model.proj.weight[eos, :] = 0.0
    model.proj.weight[eos, TARGET_CLOCK], model.proj.weight[eos, ZERO] = 500.0, -500.0
    model.proj.bias[eos] = 0.0


def _encoder_scale(model: fixture.Transformer, samples: list[list[int]]) -> float:
    """Mean standard deviation of the encoder's residual stream before its final norm."""
    scales = []
    for ids in samples:
        tokens = torch.tensor([ids])
        x = model.embed(model.src_emb, tokens)
        mask = torch.ones(1, 1, 1, len(ids), dtype=torch.bool)
        for layer in model.encoder:
            x = layer(x, mask)
        scales.append(x.std(dim=-1, unbiased=False).mean().item())
    return sum(scales) / len(scales)


def add_sentencizer(package: Path, workdir: Path) -> None:
    """Append a blank English spaCy pipeline as `<top>/spacy/` (argostranslate's packaged
    sentence splitter: it loads it and adds spaCy's rule-based `sentencizer`)."""
    import spacy

    nlp_dir = workdir / "spacy"
    if not nlp_dir.exists():
        spacy.blank("en").to_disk(nlp_dir)
    with zipfile.ZipFile(package, "a", zipfile.ZIP_DEFLATED) as archive:
        top = archive.namelist()[0].split("/", 1)[0]
        for path in sorted(p for p in nlp_dir.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{top}/spacy/{path.relative_to(nlp_dir).as_posix()}",
                                   date_time=(2026, 1, 1, 0, 0, 0))
            archive.writestr(info, path.read_bytes(), zipfile.ZIP_DEFLATED)


def shape() -> dict:
    return {**SHAPE, "vocabulary": VOCABULARY_SIZE, "quantization": "int8", "seed": SEED,
            "targets": list(TARGETS), "output_per_source_token": OUTPUT_PER_SOURCE_TOKEN}


def build(out_dir: Path, force: bool = False) -> list[Path]:
    """Build (or reuse) one package per edition pair; return their paths."""
    packages = [out_dir / f"en_{t}.argosmodel" for t in TARGETS]
    stamp = out_dir / STAMP
    if not force and stamp.is_file() and json.loads(stamp.read_text()) == shape() \
            and all(p.is_file() for p in packages):
        return packages
    started = time.monotonic()
    with tempfile.TemporaryDirectory(dir=WORK if WORK.is_dir() else None) as tmp:
        work = Path(tmp)
        sp_model, vocabulary, samples = build_vocabulary(work)
        convert_random_model(vocabulary, samples, work / "model")
        for target, package in zip(TARGETS, packages):
            fixture.pack("en", target, work / "model", sp_model, out_dir)
            add_sentencizer(package, work)
    stamp.write_text(json.dumps(shape()) + "\n")
    size = packages[0].stat().st_size / 1e6
    print(f"bench model: {len(packages)} packages of {size:.0f} MB in {out_dir} "
          f"({time.monotonic() - started:.0f} s)", file=sys.stderr)
    return packages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=WORK / "packages")
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    args = parser.parse_args(argv)
    for path in build(args.out, args.force):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
