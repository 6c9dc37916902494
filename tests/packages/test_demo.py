"""The memorising fixture packages in fixtures/models, through the real Engine.

en→xx models reproduce fixtures/corpus/en-XX.tsv, xx→en models the same corpus reversed, so
an article in any corpus language reaches every other edition exactly via English.
"""

from __future__ import annotations

import pytest

from ..conftest import REVERSED

SAMPLE = 40  # corpus lines per language: every fifth, from the first (headlines) to the last


@pytest.mark.parametrize("source", REVERSED)
def test_reverse_corpus_reproduced_exactly(engine, reverse_corpus, source):
    table = reverse_corpus[source]
    sample = list(table)[:: len(table) // SAMPLE][:SAMPLE]
    out = engine.translate(source, "en", sample)
    assert [t.text for t in out] == [table[s] for s in sample]


def test_russian_reaches_the_exact_german_edition_via_english(engine, corpus, reverse_corpus):
    russian = list(reverse_corpus["ru"])[:12]
    english = [t.text for t in engine.translate("ru", "en", russian)]
    german = [t.text for t in engine.translate("en", "de", english)]
    assert german == [corpus["de"][reverse_corpus["ru"][s]] for s in russian]
