"""Inline placement on real news articles: tag sequence kept, inline elements left empty.

    python bench/pages.py DIR      # DIR/*.html: article bodies (HTML fragments)

The pages are not in the repository (their text belongs to their publishers). The figures in
docs/bench.md were measured on 15 English news articles from mozilla/readability's test
pages (test/test-pages/<name>/expected.html, the extracted article body): bbc-1, guardian-1,
nytimes-1, nytimes-2, wapo-1, wapo-2, cnn, seattletimes-1, telegraph, herald-sun-1, salon-1,
theverge, yahoo-2, ars-1, citylab-1. Each goes through the pipeline into the five editions
with the fixture models: they memorised a small corpus, so on these sentences their words are
noise, but that is the hard case for placement (no verbatim words, uncertain alignments),
and the structure figures measure the placement code, not the model.

Counted per edition: whether the tag sequence (start tags and their untranslated attributes,
in document order) equals the source's; inline elements that held a word in the source and
hold none in the edition (empty, or punctuation only); segments flagged.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bs4 import BeautifulSoup  # noqa: E402

from l10n.config import Settings  # noqa: E402
from l10n.editions import DEFAULT_TARGETS  # noqa: E402
from l10n.markup.html import INLINE, tag_sequence  # noqa: E402
from l10n.translate.article import Article  # noqa: E402
from l10n.translate.engine import Engine  # noqa: E402
from l10n.translate.pipeline import Pipeline  # noqa: E402

_WORD = re.compile(r"\w")


def _inline(markup: str) -> list[str]:
    """The text of every inline element, in document order."""
    soup = BeautifulSoup("<body>" + markup, "html5lib")
    return [el.get_text() for el in soup.body.find_all(True) if el.name in INLINE]


def measure(pages: list[Path], settings: Settings) -> dict:
    pipeline = Pipeline(settings, Engine(settings))
    editions = same = inline_with_words = emptied = punctuation_only = flagged = words = 0
    started = time.process_time()
    for page in pages:
        source = page.read_text(encoding="utf-8")
        words += len(BeautifulSoup(source, "html5lib").get_text().split())
        before = _inline(source)
        result = pipeline.translate_article(Article(body=source, format="html", source="en",
                                                    targets=DEFAULT_TARGETS))
        for edition in result.editions.values():
            out = edition.get("body")
            editions += 1
            same += tag_sequence(out) == tag_sequence(source)
            after = _inline(out)
            flagged += len(edition.flagged)
            for was, now in zip(before, after):
                if _WORD.search(was):
                    inline_with_words += 1
                    if not now.strip():
                        emptied += 1
                    elif not _WORD.search(now):
                        punctuation_only += 1
    return {"pages": len(pages), "words": words, "editions": editions,
            "tag_sequence_equal": same, "tag_sequence_equal_share": round(same / max(1, editions), 3),
            "inline_elements_with_words": inline_with_words, "emptied": emptied,
            "punctuation_only": punctuation_only, "flagged_segments": flagged,
            "cpu_seconds": round(time.process_time() - started, 1)}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    print(json.dumps(measure(sorted(Path(sys.argv[1]).glob("*.html")), Settings.from_env()),
                     indent=2))
