"""Batch runs: translate a folder of articles into every edition, incrementally.

    l10n translate IN_DIR OUT_DIR [--targets ru de ...] [--jobs N]

One module per job: `files` reads and writes the article files (JSON, Markdown with front
matter, HTML), `manifest` remembers what is done, `pool` translates articles (in this process
or in worker processes), `progress` reports, `run` ties them together (docs/batch.md).
"""

from l10n.batch.files import KINDS, load_article
from l10n.batch.run import BatchError, Summary, run

__all__ = ["KINDS", "BatchError", "Summary", "load_article", "run"]
