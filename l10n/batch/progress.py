"""How a run reports its progress: plain lines for logs and CI, tqdm bars on a terminal.

The caller names the stream (the CLI: standard output); nothing here prints on its own.
"""

from __future__ import annotations

from typing import TextIO

from l10n.batch.pool import Outcome


class Progress:
    """Plain log lines: what a cron job's log or CI shows (not a terminal)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.total = self.count = 0

    def start(self, total: int, skipped: int) -> None:
        self.total = total
        if skipped:
            self.say(f"skipped {skipped} unchanged articles")

    def advance(self, outcome: Outcome) -> None:
        self.count += 1
        if outcome.error is not None:
            self.say(f"FAILED {outcome.relative}: {outcome.error}")
            return
        self.say(f"[{self.count}/{self.total}] translated {outcome.relative} "
                 f"({outcome.done.source if outcome.done else '?'} → "
                 f"{', '.join(outcome.targets)}): {outcome.segments} segments, "
                 f"{outcome.memory_hits} from memory, {outcome.seconds:.1f} s")

    def say(self, line: str) -> None:
        self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        pass


class BarProgress(Progress):
    """tqdm bars on a terminal: articles (with ETA) and segments, each with its rate."""

    def start(self, total: int, skipped: int) -> None:
        from tqdm import tqdm

        super().start(total, skipped)
        tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked after this
        self.articles = tqdm(total=total, unit="article", file=self.stream, position=0,
                             dynamic_ncols=True)
        self.segments = tqdm(unit="seg", file=self.stream, position=1, dynamic_ncols=True)

    def advance(self, outcome: Outcome) -> None:
        self.count += 1
        if outcome.error is not None:
            self.say(f"FAILED {outcome.relative}: {outcome.error}")
        self.articles.update(1)
        self.segments.update(outcome.segments)

    def say(self, line: str) -> None:
        from tqdm import tqdm

        tqdm.write(line, file=self.stream)

    def close(self) -> None:
        if hasattr(self, "articles"):
            self.segments.close()
            self.articles.close()


def progress_for(stream: TextIO) -> Progress:
    return BarProgress(stream) if stream.isatty() else Progress(stream)
