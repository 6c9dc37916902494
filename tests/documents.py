"""Random documents for property tests: paragraphs of corpus sentences, each sentence with a
random run of its words wrapped in markup. The expected translation of a paragraph is known:
its sentences' memorised translations, whatever the markup."""

from __future__ import annotations

import re

from hypothesis import strategies as st


def plain_sentences(table: dict[str, str]) -> list[str]:
    """Corpus sentences that end like sentences (headlines cannot share a paragraph) and hold
    no markup characters or URLs of their own."""
    return [s for s in table if s[-1] in ".!?" and len(s.split()) > 2
            and not re.search(r"[*_~`\[\]<>&]|https?://", s)][:60]


@st.composite
def paragraphs(draw, sentences: list[str], wraps: st.SearchStrategy[str]):
    """1–3 paragraphs: (markup of each, the corpus sentences each is made of)."""
    out = []
    for _ in range(draw(st.integers(1, 3))):
        chosen = draw(st.lists(st.sampled_from(sentences), min_size=1, max_size=2, unique=True))
        parts = []
        for sentence in chosen:
            words = sentence.split(" ")
            i = draw(st.integers(0, len(words) - 1))
            j = draw(st.integers(i + 1, len(words)))
            parts.append(" ".join(words[:i] + [draw(wraps).format(" ".join(words[i:j]))] + words[j:]))
        out.append((" ".join(parts), chosen))
    return out
