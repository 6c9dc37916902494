"""Batch runs: formats, incremental skips, the memory on edits, failures, interruptions."""

from __future__ import annotations

import fcntl
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import frontmatter
import pytest

from l10n.batch import LOCK, MANIFEST, SUMMARY, BatchError, Done, Manifest, run
from l10n.translate.memory import Memory
from l10n.translate.pipeline import Pipeline
from tests.conftest import ROOT, TARGETS, translate_known


@pytest.fixture(scope="module")
def sentences(corpus) -> list[str]:
    """English corpus sentences every edition knows, plain enough for any article format."""
    return [s for s in corpus["de"] if all(s in corpus[t] for t in TARGETS)
            and s.endswith(".") and 5 < len(s.split()) < 25
            and not any(c in s for c in "&<>\"'*_[]#`")]


@pytest.fixture()
def pipeline(settings, engine, tmp_path) -> Pipeline:
    return Pipeline(settings, engine, memory=Memory(tmp_path / "memory.sqlite3"))


def translate(settings, pipeline, in_dir: Path, out_dir: Path, targets=("de", "fr")):
    stream = io.StringIO()
    summary = run(settings, in_dir, out_dir, targets, stream=stream, pipeline=pipeline)
    return summary, stream.getvalue()


def write_json(path: Path, **article) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"source": "en", **article}, ensure_ascii=False),
                    encoding="utf-8")


def test_json_markdown_and_html_keep_their_format(tmp_path, settings, pipeline, corpus,
                                                  sentences):
    title, lead, caption, s1, s2, s3 = sentences[:6]
    src = tmp_path / "in"
    write_json(src / "news/a.json", id="a", title=title, body=f"{s1} {s2}\n\n{s3}",
               captions=[caption])
    (src / "news/b.md").write_text(
        f"---\nid: b\ntitle: {title}\nlead: {lead}\ncaptions:\n- {caption}\nauthor: Anna Weber\n"
        f"published: 2026-03-05T21:30:00Z\ntags: [city]\nsource: en\n---\n"
        f"## {s1}\n\n{s2} {s3}\n", encoding="utf-8")
    (src / "c.html").write_text(
        f'<!DOCTYPE html>\n<html lang="en"><head><title>{title}</title></head>\n'
        f'<body><h1>{title}</h1>\n<p>{s1} <em>{s2}</em></p></body></html>\n', encoding="utf-8")
    summary, log = translate(settings, pipeline, src, tmp_path / "out")
    assert (summary.articles, summary.translated, summary.failed) == (3, 3, [])
    for t in ("de", "fr"):
        tr = corpus[t]
        edition = json.loads((tmp_path / f"out/{t}/news/a.json").read_text(encoding="utf-8"))
        assert (edition["id"], edition["language"], edition["title"]) == ("a", t, tr[title])
        assert edition["body"] == translate_known(f"{s1} {s2}\n\n{s3}", tr)
        assert edition["captions"] == [tr[caption]]
        md = (tmp_path / f"out/{t}/news/b.md").read_text(encoding="utf-8")
        assert md.startswith(f"---\nid: b\ntitle: {tr[title]}\nlead: {tr[lead]}\n")
        assert md.endswith(f"\n---\n\n## {tr[s1]}\n\n{tr[s2]} {tr[s3]}\n")
        front = frontmatter.loads(md).metadata
        assert front["captions"] == [tr[caption]] and front["author"] == "Anna Weber"
        assert (front["tags"], front["language"]) == (["city"], t)
        assert front["byline"]["author"] == "Anna Weber" and "2026" in front["byline"]["date_line"]
        html = (tmp_path / f"out/{t}/c.html").read_text(encoding="utf-8")
        assert html.startswith(f'<!DOCTYPE html><html lang="{t}"><head><title>{tr[title]}'
                               f'</title></head>\n<body><h1>{tr[title]}</h1>\n'
                               f'<p>{tr[s1]} <em>{tr[s2]}</em></p>')
    assert "[3/3] translated news/b.md (en → de, fr)" in log
    assert not list((tmp_path / "out").rglob("*.tmp"))


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


def test_pending_targets(tmp_path):
    manifest = Manifest(tmp_path)
    manifest.record("a.md", Done("hash", "en", "g1", {"de": "en-de@1.0", "fr": "en-fr@1.0"}))
    for t in ("de", "fr"):
        (tmp_path / t).mkdir()
        (tmp_path / t / "a.md").write_text("x")
    installed = {"de": "en-de@1.0", "fr": "en-fr@1.0", "es": "en-es@1.0"}

    def pending(sha="hash", glossary="g1", targets=("de", "fr"), models=installed):
        return Manifest(tmp_path).pending("a.md", sha, targets, glossary,
                                          lambda s, t: models.get(t), tmp_path)

    assert pending() == []
    assert pending(sha="edited") == ["de", "fr"]
    assert pending(glossary="g2") == ["de", "fr"]
    assert pending(models={**installed, "fr": "en-fr@1.1"}) == ["fr"]  # an upgraded model
    assert pending(targets=("de", "es")) == ["es"]
    (tmp_path / "de/a.md").unlink()  # an output deleted by hand
    assert pending() == ["de"]


def test_bad_articles_are_reported_and_the_run_goes_on(tmp_path, settings, pipeline, corpus,
                                                       sentences):
    src, out = tmp_path / "in", tmp_path / "out"
    write_json(src / "good.json", title=sentences[0])
    (src / "broken.json").write_text("{ nope")
    write_json(src / "empty.json", title="")
    (src / "front.md").write_text("---\ntitle: [unclosed\n---\nText.\n")
    (src / "latin1.html").write_bytes("<p>Caf\xe9 society.</p>".encode("latin-1"))
    write_json(src / "wrong.json", title=sentences[1], meta={"published": "yesterday"})
    summary, log = translate(settings, pipeline, src, out)
    errors = {f["article"]: f["error"] for f in summary.failed}
    assert sorted(errors) == ["broken.json", "empty.json", "front.md", "latin1.html",
                              "wrong.json"]
    assert errors["broken.json"].startswith("invalid JSON")
    assert errors["front.md"].startswith("invalid front matter")
    assert errors["latin1.html"] == "not UTF-8 text"
    assert "meta.published" in errors["wrong.json"]
    assert "FAILED broken.json: invalid JSON" in log
    assert summary.translated == 1
    assert json.loads((out / "de/good.json").read_text())["title"] == corpus["de"][sentences[0]]
    assert list(json.loads((out / MANIFEST).read_text())["articles"]) == ["good.json"]
    again, _ = translate(settings, pipeline, src, out)  # failures are retried, not skipped
    assert (again.skipped, len(again.failed)) == (1, 5)


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


def test_output_folder_inside_input_folder_is_not_read_back(tmp_path, settings, pipeline,
                                                            sentences):
    src = tmp_path / "in"
    write_json(src / "a.json", title=sentences[0])
    translate(settings, pipeline, src, src / "editions")
    summary, _ = translate(settings, pipeline, src, src / "editions")
    assert (summary.articles, summary.skipped) == (1, 1)


def test_a_second_run_into_the_same_folder_is_refused(tmp_path, settings, pipeline):
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "in").mkdir()
    with open(out / LOCK, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(BatchError, match="another `l10n translate`"):
            translate(settings, pipeline, tmp_path / "in", out)


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


# ---------------------------------------------------------------- as a process, interrupted
def _articles(folder: Path, sentences: list[str], count: int) -> None:
    for i in range(count):
        body = " ".join(sentences[(i + k) % len(sentences)] for k in range(6))
        write_json(folder / f"{i:02d}.json", title=sentences[i % len(sentences)], body=body)


def _translate_process(src: Path, out: Path, data: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "L10N_DATA_DIR": str(data)}
    return subprocess.Popen([sys.executable, "-m", "l10n.cli", "translate", str(src), str(out),
                             "--targets", "de", "fr", *extra], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _done(out: Path) -> int:
    try:
        return len(json.loads((out / MANIFEST).read_text())["articles"])
    except (OSError, ValueError):
        return 0


def _stop_after_first_article(process: subprocess.Popen, out: Path, signum: int) -> int:
    deadline = time.monotonic() + 120
    while _done(out) == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signum)
    process.communicate(timeout=120)
    return _done(out)


def _editions(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.parent != out}


@pytest.fixture(scope="module")
def reference(tmp_path_factory, sentences) -> tuple[Path, dict[str, bytes]]:
    """An uninterrupted run of 24 articles, and its editions byte for byte."""
    root = tmp_path_factory.mktemp("reference")
    _articles(root / "in", sentences, 24)
    process = _translate_process(root / "in", root / "out", root / "data")
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    return root / "in", _editions(root / "out")


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_killed_run_resumes_to_identical_outputs(tmp_path, reference, jobs):
    src, expected = reference
    out, data = tmp_path / "out", tmp_path / "data"
    killed = _translate_process(src, out, data, "--jobs", jobs)
    done = _stop_after_first_article(killed, out, signal.SIGKILL)
    assert 0 < done < 24, "the run was not killed in the middle: make the articles longer"
    process = _translate_process(src, out, data, "--jobs", jobs)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    assert f"skipped {done} unchanged articles" in stdout
    assert _editions(out) == expected
    assert not list(out.rglob("*.tmp"))


@pytest.mark.slow
def test_sigterm_stops_worker_processes_cleanly_and_the_rerun_completes(tmp_path, reference):
    src, expected = reference
    out, data = tmp_path / "out", tmp_path / "data"
    process = _translate_process(src, out, data, "--jobs", "2")
    done = _stop_after_first_article(process, out, signal.SIGTERM)
    assert process.returncode == 143
    summary = json.loads((out / SUMMARY).read_text())
    assert summary["interrupted"] == "SIGTERM" and summary["translated"] == done < 24
    rerun = _translate_process(src, out, data, "--jobs", "2")
    _, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr
    assert _editions(out) == expected

