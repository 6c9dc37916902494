"""`l10n translate` as users run it (a subprocess): demo models, failures, exit codes."""

from __future__ import annotations

import fcntl
import json

import pytest

from tests.cli.process import l10n
from tests.conftest import ROOT, TARGETS, translate_known

pytestmark = pytest.mark.slow


def test_translate_demo_articles_with_bundled_models(tmp_path, corpus):
    out = tmp_path / "out"
    run = l10n("translate", "examples/articles", str(out), data_dir=tmp_path / "data")
    assert run.returncode == 0, run.stderr
    assert "bundled DEMO models" in run.stderr
    for source in sorted((ROOT / "examples/articles").glob("*.json")):
        article = json.loads(source.read_text(encoding="utf-8"))
        for target in TARGETS:
            edition = json.loads((out / target / source.name).read_text(encoding="utf-8"))
            assert edition["title"] == corpus[target][article["title"]]
            assert edition["body"] == translate_known(article["body"], corpus[target])
            assert edition["captions"] == [corpus[target][c] for c in article["captions"]]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["translated"] == summary["articles"] == 3
    assert summary["engine_calls"] == 3 * len(TARGETS)
    assert not list(out.rglob("*.tmp"))


def test_bad_article_is_reported_and_run_goes_on(tmp_path, corpus):
    articles = tmp_path / "in"
    articles.mkdir()
    (articles / "good.json").write_text(json.dumps({"title": "Now reading", "source": "en"}))
    (articles / "broken.json").write_text("{ nope")
    (articles / "empty.json").write_text(json.dumps({"title": ""}))
    run = l10n("translate", str(articles), str(tmp_path / "out"), "--targets", "de",
               data_dir=tmp_path / "data")
    assert run.returncode == 1
    assert "FAILED broken.json" in run.stdout and "FAILED empty.json" in run.stdout
    good = json.loads((tmp_path / "out/de/good.json").read_text(encoding="utf-8"))
    assert good["title"] == corpus["de"]["Now reading"]
    assert not (tmp_path / "out/de/broken.json").exists()
    summary = json.loads((tmp_path / "out/summary.json").read_text())
    assert summary["translated"] == 1 and len(summary["failed"]) == 2


def test_missing_input_folder(tmp_path):
    run = l10n("translate", str(tmp_path / "nope"), str(tmp_path / "out"), data_dir=tmp_path)
    assert run.returncode == 2 and "not found" in run.stderr


def test_translate_cannot_start(tmp_path):
    (tmp_path / "in").mkdir()
    out = tmp_path / "out"
    out.mkdir()
    data = tmp_path / "data"
    bad_jobs = l10n("translate", str(tmp_path / "in"), str(out), "--jobs", "-1", data_dir=data)
    assert bad_jobs.returncode == 2 and "--jobs" in bad_jobs.stderr
    with open(out / ".l10n-lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        locked = l10n("translate", str(tmp_path / "in"), str(out), "--targets", "de",
                      data_dir=data)
    assert locked.returncode == 2 and "another `l10n translate`" in locked.stderr
    unknown = l10n("translate", str(tmp_path / "in"), str(out), "--targets", "xx",
                   data_dir=data)
    assert unknown.returncode == 2 and "is not one of" in unknown.stderr
