"""Batch runs: incremental skips, the memory on edits, the summary, the lock, resuming."""

from __future__ import annotations

import fcntl
import io
import json
import signal

import docx
import pytest

from l10n.batch.manifest import MANIFEST
from l10n.batch.run import LOCK, SUMMARY, BatchError
from tests.batch.helpers import (
    editions,
    stop_after_first_article,
    translate,
    translate_process,
    write_json,
)
from tests.conftest import translate_known


def test_unchanged_articles_are_skipped_and_edits_reach_the_engine_only_where_changed(
        tmp_path, settings, pipeline, corpus, sentences):
    src, out = tmp_path / "in", tmp_path / "out"
    for i in range(3):
        write_json(src / f"{i}.json", title=sentences[i], body=" ".join(sentences[3 + 4 * i:7 + 4 * i]))
    first, _ = translate(settings, pipeline, src, out)
    assert (first.translated, first.skipped, first.engine_calls) == (3, 0, 6)
    before = {p: p.read_bytes() for p in out.rglob("*.json") if p.name != SUMMARY}

    again, log = translate(settings, pipeline, src, out)
    assert (again.translated, again.skipped, again.engine_calls, again.segments) == (0, 3, 0, 0)
    assert "skipped 3 unchanged articles" in log
    assert {p: p.read_bytes() for p in before} == before

    edited = sentences[3:6] + [sentences[40]]  # the article's last sentence replaced
    write_json(src / "0.json", title=sentences[0], body=" ".join(edited))
    third, _ = translate(settings, pipeline, src, out)
    assert (third.translated, third.skipped) == (1, 2)
    assert third.engine_segments == 2  # the new sentence, once per target
    assert third.memory_hits == 2 * 4  # title and three kept sentences, per target
    body = json.loads((out / "de/0.json").read_text(encoding="utf-8"))["body"]
    assert body == translate_known(" ".join(edited), corpus["de"])


def test_an_added_target_translates_only_that_target(tmp_path, settings, pipeline, sentences):
    src, out = tmp_path / "in", tmp_path / "out"
    write_json(src / "a.json", title=sentences[0])
    write_json(src / "b.json", title=sentences[1])
    translate(settings, pipeline, src, out, targets=("de",))
    summary, log = translate(settings, pipeline, src, out, targets=("de", "es"))
    assert (summary.translated, summary.engine_calls) == (2, 2)
    assert "(en → es)" in log and "de, es" not in log
    manifest = json.loads((out / MANIFEST).read_text())["articles"]
    assert sorted(manifest["a.json"]["models"]) == ["de", "es"]


def test_summary_json(tmp_path, settings, pipeline, sentences):
    src, out = tmp_path / "in", tmp_path / "out"
    write_json(src / "a.json", title=sentences[0], body=f"{sentences[1]} Qqzx vvbn wwrt.")
    write_json(src / "b.json", title="")
    summary, _ = translate(settings, pipeline, src, out)
    data = json.loads((out / SUMMARY).read_text(encoding="utf-8"))
    assert data["articles"] == 2 and data["translated"] == 1 and data["skipped"] == 0
    assert data["failed"] == [{"article": "b.json", "error": summary.failed[0]["error"]}]
    assert data["segments"] == 2 * 3 and data["engine_segments"] == 2 * 3
    assert data["memory_hits"] == 0 and data["engine_calls"] == 2
    assert data["targets"] == ["de", "fr"] and data["jobs"] == 1
    assert data["interrupted"] is None and data["seconds"] > 0
    assert data["flagged_segments"] == len(data["flagged"]) >= 1  # the gibberish sentence
    assert {"article", "language", "field", "index", "flags"} <= set(data["flagged"][0])
    assert data["demo"] == ["a.json"] and "demo model" in data["notice"]
    edition = json.loads((out / "de/a.json").read_text(encoding="utf-8"))
    assert edition["demo"] is True and "l10n models install" in edition["notice"]


def test_a_second_run_into_the_same_folder_is_refused(tmp_path, settings, pipeline):
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "in").mkdir()
    with open(out / LOCK, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(BatchError, match="another `l10n translate`"):
            translate(settings, pipeline, tmp_path / "in", out)


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_killed_run_resumes_to_identical_outputs(tmp_path, reference, jobs):
    src, expected = reference
    out, data = tmp_path / "out", tmp_path / "data"
    killed = translate_process(src, out, data, "--jobs", jobs)
    done = stop_after_first_article(killed, out, signal.SIGKILL)
    assert 0 < done < 24, "the run was not killed in the middle: make the articles longer"
    process = translate_process(src, out, data, "--jobs", jobs)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    assert f"skipped {done} unchanged articles" in stdout
    assert editions(out) == expected
    assert not list(out.rglob("*.tmp"))


def test_document_files_come_out_in_every_edition_in_their_own_format(tmp_path, settings,
                                                                      pipeline, corpus):
    """A .docx and an .srt among the articles: translated whole, structure kept."""
    from tests.translate.test_documents import PARIS, TALKS, word_file

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "report.docx").write_bytes(word_file())
    (src / "clip.srt").write_text(f"1\n00:00:01,000 --> 00:00:04,000\n{TALKS}\n\n"
                                  f"2\n00:00:05,000 --> 00:00:07,500\n{PARIS}\n", encoding="utf-8")
    summary, _ = translate(settings, pipeline, src, out, targets=("de", "fr"))
    assert summary.failed == [] and summary.translated == 2
    for target in ("de", "fr"):
        subtitles = (out / target / "clip.srt").read_text(encoding="utf-8")
        assert subtitles == (f"1\n00:00:01,000 --> 00:00:04,000\n{corpus[target][TALKS]}\n\n"
                             f"2\n00:00:05,000 --> 00:00:07,500\n{corpus[target][PARIS]}\n")
        word = docx.Document(io.BytesIO((out / target / "report.docx").read_bytes()))
        assert word.paragraphs[0].text == corpus[target][TALKS]
    again, _ = translate(settings, pipeline, src, out, targets=("de", "fr"))
    assert again.skipped == 2  # incremental, like articles
