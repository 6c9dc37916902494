"""The demo material that ships in the repository: fixture corpus and fixture models.

The fixture models are tiny real CTranslate2 models that memorised `fixtures/corpus/`; they
let a fresh clone (and CI, which cannot reach the Argos index) translate the demo articles.
They are not general translators: any sentence outside the corpus comes back as noise.
"""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CORPUS_DIR = FIXTURES / "corpus"
MODELS_DIR = FIXTURES / "models"


def load_pair(source: str, target: str) -> list[tuple[str, str]]:
    """The parallel corpus for one pair, as (source, target) sentence pairs."""
    path = CORPUS_DIR / f"{source}-{target}.tsv"
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        cells = line.split("\t")
        if len(cells) != 2 or not all(cells):
            raise ValueError(f"{path}:{number}: expected two tab-separated cells")
        pairs.append((cells[0], cells[1]))
    return pairs


def model_files() -> list[Path]:
    """The bundled `.argosmodel` packages (empty outside a source checkout)."""
    return sorted(MODELS_DIR.glob("*.argosmodel")) if MODELS_DIR.is_dir() else []
