"""Markdown articles through the real fixture engine."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from l10n.markup.registry import structure
from l10n.translate.article import Article
from l10n.translate.pipeline import Pipeline
from tests.conftest import TARGETS
from tests.documents import paragraphs, plain_sentences
from tests.lossy import LossyEngine

SOURCE = """## Volgoretsk council approves new bridge over the Volga

I went to **Paris** last summer. [Read the full report at https://example.org/reports/2026/energy.](https://example.org/reports/2026/energy "report")

- The minister met *Anton Kulikov* in Damascus.
- Prices rose by 7 percent in October.

> Write to the newsroom at newsroom@example.org.

```
make test
```

Run `make test` now.
"""


@pytest.fixture(scope="module")
def editions(settings, engine):
    article = Article(body=SOURCE, format="markdown", source="en", targets=TARGETS)
    return Pipeline(settings, engine).translate_article(article).editions


@pytest.mark.parametrize("target", TARGETS)
def test_structure_and_memorised_text(editions, corpus, target):
    t = corpus[target]
    out = editions[target].get("body").split("\n")
    assert out[0] == "## " + t["Volgoretsk council approves new bridge over the Volga"]
    assert out[1] == ""
    report = t["Read the full report at https://example.org/reports/2026/energy."]
    assert out[2].endswith(f'[{report}](https://example.org/reports/2026/energy "report")')
    assert out[2].replace("**", "").startswith(t["I went to Paris last summer."])
    minister = t["The minister met Anton Kulikov in Damascus."]
    assert out[4].startswith("- ") and out[4][2:].replace("*", "") == minister
    assert out[4].count("*") == 2
    if target != "ru":
        assert "*Anton Kulikov*" in out[4]
    else:
        assert "*Антоном Куликовым*" in out[4]
    assert out[5] == "- " + t["Prices rose by 7 percent in October."]
    assert out[7] == "> " + t["Write to the newsroom at newsroom@example.org."]
    assert out[9:12] == ["```", "make test", "```"]
    assert "`make test`" in out[13]
    assert structure("markdown", SOURCE) == structure("markdown", editions[target].get("body"))


@pytest.mark.parametrize("target, paris", [("ru", "Париж"), ("de", "Paris"), ("es", "París")])
def test_emphasis_follows_its_words(editions, target, paris):
    assert f"**{paris}**" in editions[target].get("body")


def test_markup_injected_by_the_engine_is_flagged(settings, engine):
    """A model that emits Markdown syntax would change the structure: tag_mismatch."""
    noisy = LossyEngine(engine, lambda source, text: text.replace(" ", " **", 1))
    article = Article(body="I went to *Paris* last summer.", format="markdown", source="en",
                      targets=("de",))
    edition = Pipeline(settings, noisy).translate_article(article).editions["de"]
    assert any("tag_mismatch" in s.flags for s in edition.flagged)


# -- property: random Markdown documents built from corpus sentences keep their structure
MARKDOWN_WRAPS = st.sampled_from(["**{}**", "*{}*", "~~{}~~", "[{}](https://example.org/x)"])


@st.composite
def markdown_documents(draw, sentences):
    blocks = [(draw(st.sampled_from(["", "## ", "- ", "> ", "1. "])), text, chosen)
              for text, chosen in draw(paragraphs(sentences, MARKDOWN_WRAPS))]
    return "\n\n".join(m + text for m, text, _ in blocks) + "\n", [(m, c) for m, _, c in blocks]


def _plain(markdown_line: str) -> str:
    return re.sub(r"\*\*|\*|~~|\]\(https://example\.org/x\)|\[", "", markdown_line)


def test_property_structure_and_text_survive(settings, engine, corpus):
    sentences = plain_sentences(corpus["de"])
    pipeline = Pipeline(settings, engine)

    @hsettings(max_examples=40, deadline=None, derandomize=True,  # reproducible in CI
               suppress_health_check=list(HealthCheck))
    @given(markdown_documents(sentences))
    def check(doc):
        source, expected = doc
        editions = pipeline.translate_article(
            Article(body=source, format="markdown", source="en", targets=TARGETS)).editions
        for target in TARGETS:
            out = editions[target].get("body")
            assert structure("markdown", source) == structure("markdown", out)
            lines = out.rstrip("\n").split("\n\n")
            assert [(line[:len(m)], _plain(line[len(m):])) for line, (m, _) in zip(lines, expected)] == \
                [(m, " ".join(corpus[target][s] for s in chosen)) for m, chosen in expected]

    check()
