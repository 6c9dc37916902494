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


NOTICE = ("made by a demo model: it knows only the ~210 sentences of the repository's demo "
          "corpus, anything else comes back as noise. Install real models: "
          "`l10n models install` (Argos index) or `l10n models install FILE.argosmodel`; "
          "see docs/models.md")


def is_demo(metadata: dict) -> bool:
    """Whether a package's metadata.json marks it as one of the repository's fixture models
    (`"l10n_demo": true`, or the fixture builder's name suffix)."""
    return metadata.get("l10n_demo") is True or \
        str(metadata.get("name", "")).endswith("(l10n test fixture)")
