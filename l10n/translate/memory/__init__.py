"""The translation memory: a segment translated once is not sent to the engine again.

Newsrooms re-send the same article many times (a fixed typo, one more paragraph); the pipeline
looks every segment up here first and sends only the misses to the engine. `store` is the
SQLite file (docs/memory.md: the key, corrections, concurrency); `exchange` moves entries in
and out as JSONL or TMX (`l10n memory export|import`, l10n/cli/memory.py).
"""

from l10n.translate.memory.store import Count, Entry, Hit, Memory, MemoryFileError, normalise

__all__ = ["Count", "Entry", "Hit", "Memory", "MemoryFileError", "normalise"]
