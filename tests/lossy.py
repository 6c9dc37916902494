"""A deliberately lossy engine for tests: the real engine's output, then damaged on purpose."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from l10n.translate.engine import Engine
from l10n.translate.types import Translation


class LossyEngine(Engine):
    """Translates with the real fixture models, then applies `damage(source, text)`."""

    def __init__(self, real: Engine, damage: Callable[[str, str], str]) -> None:
        super().__init__(real.settings, real.store)
        self._loaded = real._loaded  # share the loaded translators
        self.damage = damage

    def translate(self, source: str, target: str, segments: Sequence[str],
                  *, with_alignment: bool = False) -> list[Translation]:
        out = super().translate(source, target, segments, with_alignment=with_alignment)
        return [replace(t, text=self.damage(s, t.text)) for s, t in zip(segments, out)]
