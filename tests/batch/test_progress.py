"""Progress: tqdm bars on a terminal, failures said in plain words."""

from __future__ import annotations

import io

from l10n.batch.run import run
from tests.batch.helpers import write_json


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bars_on_a_terminal(tmp_path, settings, pipeline, sentences):
    write_json(tmp_path / "in/a.json", title=sentences[0])
    (tmp_path / "in/b.json").write_text("{")
    screen = _Terminal()
    run(settings, tmp_path / "in", tmp_path / "out", ["de"], stream=screen, pipeline=pipeline)
    text = screen.getvalue()
    assert "2/2" in text and "article/s" in text and "seg/s" in text
    assert "FAILED b.json" in text and "[1/2]" not in text
