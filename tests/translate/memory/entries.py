"""Memory entries shared by the store, exchange and CLI tests."""

from __future__ import annotations

from l10n.translate.memory import Entry, Memory
from l10n.translate.types import Translation

ALIGNED = Translation("Hallo Welt", ((0, 5), (5, 11)), ((0, 5), (5, 10)), (0, 1))


def machine(text: str, out: str, model: str = "en-de@1.0:m", target: str = "de",
            translation: Translation | None = None) -> Entry:
    return Entry("en", target, text, translation or Translation(out), "2026-03-05T21:30:00+00:00",
                 model)


def sample(memory: Memory) -> list[Entry]:
    """Five entries: machine ones of two pairs and models, two human corrections."""
    memory.add([
        machine("Hello world", "", translation=ALIGNED),
        machine(' <b>Tom & "Jerry"</b>  ', "<b>Tom & „Jerry“</b>"),
        machine("Hello world", "Bonjour le monde", model="en-fr@1.0:m", target="fr"),
        Entry("en", "ru", "Talks continued.", Translation("Переговоры продолжились."),
              "2026-01-02T03:04:05+00:00", reviewer="olga"),
        Entry("en", "de", "Bye", Translation("Tschüss"), "2026-01-02T03:04:05+00:00"),
    ])
    return memory.entries()
