"""Fixtures of the batch tests: corpus sentences every edition knows, a pipeline with its own
memory, and one uninterrupted run (as a process) to compare interrupted ones with."""

from __future__ import annotations

from pathlib import Path

import pytest

from l10n.translate.memory import Memory
from l10n.translate.pipeline import Pipeline
from tests.batch.helpers import articles, editions, translate_process
from tests.conftest import TARGETS


@pytest.fixture(scope="module")
def sentences(corpus: dict[str, dict[str, str]]) -> list[str]:
    """English corpus sentences every edition knows, plain enough for any article format."""
    return [s for s in corpus["de"] if all(s in corpus[t] for t in TARGETS)
            and s.endswith(".") and 5 < len(s.split()) < 25
            and not any(c in s for c in "&<>\"'*_[]#`")]


@pytest.fixture()
def pipeline(settings, engine, tmp_path) -> Pipeline:
    return Pipeline(settings, engine, memory=Memory(tmp_path / "memory.sqlite3"))


@pytest.fixture(scope="module")
def reference(tmp_path_factory, sentences) -> tuple[Path, dict[str, bytes]]:
    """An uninterrupted run of 24 articles, and its editions byte for byte."""
    root = tmp_path_factory.mktemp("reference")
    articles(root / "in", sentences, 24)
    process = translate_process(root / "in", root / "out", root / "data")
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    return root / "in", editions(root / "out")
