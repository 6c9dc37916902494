"""Fit the detector's two stages (l10n/translate/detect.py: FAST, FULL) on the fit split of
bench/data/detect.jsonl.gz and print them as the code to paste there (their accuracy and
calibration on the held-out test split: bench/detect.py):

    python bench/detect_fit.py

Each stage is a multinomial logistic regression with one weight per detector (on its
log-probabilities) and one bias per language, fitted by gradient descent on the log-loss:
few parameters, so the fit cannot learn the set by heart, and its probabilities are
calibrated by construction (checked here and by tests/test_detect.py on the test split).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from l10n.editions import LANGUAGES  # noqa: E402
from l10n.translate import detect  # noqa: E402

DATA = ROOT / "bench" / "data" / "detect.jsonl.gz"


def load(split: str | None = None) -> list[dict]:
    """The labelled rows (language, text, length, source, split), one split or all."""
    with gzip.open(DATA, "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    return [r for r in rows if split is None or r["split"] == split]


def features(rows: list[dict], names: tuple[str, ...]) -> np.ndarray:
    """(rows, detectors, 6) log-probabilities, as detect.probabilities computes them."""
    return np.array([[detect.log_probabilities(name, detect.clean(r["text"])) for name in names]
                     for r in rows])


def fit(x: np.ndarray, labels: np.ndarray, steps: int = 3000, rate: float = 0.5) -> tuple:
    weights, bias = np.full(x.shape[1], 0.5), np.zeros(x.shape[2])
    target = np.eye(x.shape[2])[labels]
    for _ in range(steps):
        scores = np.einsum("nkl,k->nl", x, weights) + bias
        p = np.exp(scores - scores.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        grad = (p - target) / len(target)
        weights -= rate * np.einsum("nl,nkl->k", grad, x)
        bias -= rate * grad.sum(0)
    return weights, bias - bias.mean()


def stage_code(name: str, detectors: tuple[str, ...], weights: np.ndarray, bias: np.ndarray) -> str:
    w = ", ".join(f'"{d}": {v:.4f}' for d, v in zip(detectors, weights))
    b = ", ".join(f'"{c}": {v:.4f}' for c, v in zip(LANGUAGES, bias))
    return f"{name} = Stage(weights={{{w}}},\n             bias={{{b}}})"


def main() -> int:
    train = load("fit")
    labels = np.array([LANGUAGES.index(r["language"]) for r in train])
    for name, detectors in (("FAST", ("py3langid",)), ("FULL", ("py3langid", "lingua"))):
        weights, bias = fit(features(train, detectors), labels)
        print(stage_code(name, detectors, weights, bias))
    return 0


if __name__ == "__main__":
    sys.exit(main())
