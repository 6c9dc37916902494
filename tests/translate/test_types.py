"""translate/types.py exists so that the markup and the memory can be used without the engine:
with CTranslate2 and SentencePiece unimportable, they still import and work."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

WITHOUT_ENGINE = """
import sys
sys.modules["ctranslate2"] = None  # any `import ctranslate2` now raises ImportError
sys.modules["sentencepiece"] = None
import l10n.markup.html, l10n.markup.inline, l10n.markup.markdown, l10n.markup.registry
import l10n.translate.memory, l10n.translate.memory.exchange
from l10n.translate.memory import Memory
from l10n.translate.types import Translation
memory = Memory(sys.argv[1])
memory.store("en", "de", "k", [("Hello", Translation("Hallo"))])
assert memory.lookup("en", "de", "k", ["Hello"])["Hello"].translation.text == "Hallo"
doc = l10n.markup.registry.parse_document("<p>Hello <b>world</b>.</p>", "html", "en")
assert [u.text for u in doc.units] == ["Hello world."]
try:
    import l10n.translate.engine
except ImportError:
    print("engine needs ctranslate2; markup and memory do not")
"""


def test_markup_and_memory_import_without_ctranslate2(tmp_path):
    run = subprocess.run([sys.executable, "-c", WITHOUT_ENGINE, str(tmp_path / "m.sqlite3")],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "engine needs ctranslate2; markup and memory do not\n"
