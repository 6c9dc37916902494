"""Worker processes: SIGTERM stops them cleanly and the rerun completes identically."""

from __future__ import annotations

import json
import signal

import pytest

from l10n.batch.run import SUMMARY
from tests.batch.helpers import editions, stop_after_first_article, translate_process


@pytest.mark.slow
def test_sigterm_stops_worker_processes_cleanly_and_the_rerun_completes(tmp_path, reference):
    src, expected = reference
    out, data = tmp_path / "out", tmp_path / "data"
    process = translate_process(src, out, data, "--jobs", "2")
    done = stop_after_first_article(process, out, signal.SIGTERM)
    assert process.returncode == 143
    summary = json.loads((out / SUMMARY).read_text())
    assert summary["interrupted"] == "SIGTERM" and summary["translated"] == done < 24
    rerun = translate_process(src, out, data, "--jobs", "2")
    _, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr
    assert editions(out) == expected
