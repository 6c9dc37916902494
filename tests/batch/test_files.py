"""Article files: JSON, Markdown with front matter and HTML keep their format; files that are
not articles fail alone; the output folder is never read back as input."""

from __future__ import annotations

import json

import frontmatter

from l10n.batch.manifest import MANIFEST
from tests.batch.helpers import translate, write_json
from tests.conftest import translate_known


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


def test_output_folder_inside_input_folder_is_not_read_back(tmp_path, settings, pipeline,
                                                            sentences):
    src = tmp_path / "in"
    write_json(src / "a.json", title=sentences[0])
    translate(settings, pipeline, src, src / "editions")
    summary, _ = translate(settings, pipeline, src, src / "editions")
    assert (summary.articles, summary.skipped) == (1, 1)
