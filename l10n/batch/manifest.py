"""`OUT_DIR/.l10n-manifest.json`: the articles whose editions are complete, and what made them.

Per article: the SHA-256 of the file, its source language, the glossary version, and per
target the model that translated it. A run skips an article while all of these still hold and
its output files exist. The file is rewritten atomically after each article's outputs are on
disk, so an interrupted run loses at most the articles in flight.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from l10n.atomic import write_atomic

log = logging.getLogger(__name__)

MANIFEST = ".l10n-manifest.json"


@dataclass(frozen=True)
class Done:
    """What translated an article: the manifest's record of it."""

    sha256: str
    source: str  # the article's source language (detected or given)
    glossary: str  # glossary version: an edit re-renders the article (from the memory)
    models: dict[str, str]  # target → model key (pair, version, folder)


class Manifest:
    """The manifest of one OUT_DIR, read at start, written after every finished article."""

    VERSION = 1

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / MANIFEST
        self.articles: dict[str, Done] = {}
        if self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("version") == self.VERSION:
                    self.articles = {k: Done(**v) for k, v in data["articles"].items()}
            except (ValueError, TypeError, KeyError) as exc:
                log.warning("%s is unreadable (%s): translating every article again",
                            self.path, exc)
                self.articles = {}

    def pending(self, relative: str, sha256: str, targets: Sequence[str], glossary: str,
                model_key: Callable[[str, str], str | None], out_dir: Path) -> list[str]:
        """The targets of an article that need translating (all of them unless it is
        unchanged and was translated by the installed model with this glossary)."""
        done = self.articles.get(relative)
        if done is None or done.sha256 != sha256 or done.glossary != glossary:
            return list(targets)
        return [t for t in targets
                if done.models.get(t) != model_key(done.source, t)
                or not (out_dir / t / relative).is_file()]

    def record(self, relative: str, done: Done) -> None:
        previous = self.articles.get(relative)
        if previous is not None and (previous.sha256, previous.glossary) == (done.sha256,
                                                                             done.glossary):
            done = Done(done.sha256, done.source, done.glossary,
                        {**previous.models, **done.models})
        self.articles[relative] = done
        payload = {"version": self.VERSION,
                   "articles": {k: asdict(v) for k, v in sorted(self.articles.items())}}
        write_atomic(self.path, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
