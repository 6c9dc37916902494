"""Document files through the real pipeline: structure and formatting kept, text translated.

Inputs are corpus sentences of the fixture models, so every translation is known exactly.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import docx
import pytest
from lxml import etree

from l10n.errors import InputError, TooLarge
from l10n.markup import odt
from l10n.translate import documents
from l10n.translate.memory import Memory
from l10n.translate.pipeline import Pipeline

PARIS = "I went to Paris last summer."
TALKS = "Talks continued in Damascus on Friday."
PRICES = "Prices rose by 7 percent in October."
RIGHTS = "All rights reserved."
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture()
def pipeline(settings, engine, tmp_path):
    return Pipeline(settings, engine, memory=Memory(tmp_path / "memory.sqlite3"))


def translate(data: bytes, name: str, pipeline: Pipeline, target: str = "de",
              settings=None) -> documents.TranslatedDocument:
    doc = documents.open_document(data, name, settings or pipeline.settings)
    return documents.translate_document(doc, "en", target, pipeline)


def word_file() -> bytes:
    """A Word document as Word writes it: bold and italic runs, a hyperlink, a table."""
    document = docx.Document()
    document.add_heading(TALKS, level=1)
    paragraph = document.add_paragraph("I went to ")
    paragraph.add_run("Paris").bold = True
    paragraph.add_run(" last ")
    paragraph.add_run("summer").italic = True
    paragraph.add_run(".")
    linked = document.add_paragraph()
    _hyperlink(linked, "https://example.org/prices", PRICES)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = RIGHTS
    table.cell(0, 1).text = "2026"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _hyperlink(paragraph, url: str, text: str) -> None:
    part = paragraph.part
    rel = part.relate_to(url, docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = docx.oxml.OxmlElement("w:hyperlink")
    link.set(docx.oxml.ns.qn("r:id"), rel)
    run = docx.oxml.OxmlElement("w:r")
    props = docx.oxml.OxmlElement("w:rPr")
    underline = docx.oxml.OxmlElement("w:u")
    underline.set(docx.oxml.ns.qn("w:val"), "single")
    props.append(underline)
    run.append(props)
    t = docx.oxml.OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def test_docx_keeps_runs_table_and_hyperlink(pipeline, corpus):
    done = translate(word_file(), "story.docx", pipeline)
    result = docx.Document(io.BytesIO(done.data))
    heading, body, linked = result.paragraphs[:3]
    assert heading.text == corpus["de"][TALKS]
    assert heading.style.name == "Heading 1"
    assert body.text == corpus["de"][PARIS]
    bold = [r.text for r in body.runs if r.bold]
    italic = [r.text for r in body.runs if r.italic]
    assert len(bold) == 1 and bold[0].strip() and bold[0] in corpus["de"][PARIS]
    assert len(italic) == 1 and italic[0].strip()
    links = linked._p.findall(W + "hyperlink")
    assert len(links) == 1
    rel = links[0].get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    assert result.part.rels[rel].target_ref == "https://example.org/prices"
    assert "".join(t.text for t in links[0].iter(W + "t")) == corpus["de"][PRICES]
    assert links[0].find(f"{W}r/{W}rPr/{W}u") is not None  # the link's underline kept
    cells = result.tables[0].rows[0].cells
    assert [c.text for c in cells] == [corpus["de"][RIGHTS], "2026"]
    assert done.segments == 4  # "2026" has no words: it never reaches the engine
    assert {f.part for f in done.flagged} <= {"word/document.xml paragraph 2"}


def test_docx_every_other_part_is_copied_unchanged(pipeline):
    source = word_file()
    done = translate(source, "story.docx", pipeline)
    before, after = zipfile.ZipFile(io.BytesIO(source)), zipfile.ZipFile(io.BytesIO(done.data))
    assert before.namelist() == after.namelist()
    for name in before.namelist():
        if name != "word/document.xml":
            assert before.read(name) == after.read(name), name


def odt_file(body: str) -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3">'
        f'<office:body><office:text>{body}</office:text></office:body>'
        '</office:document-content>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
    return out.getvalue()


def test_odt_keeps_spans_links_and_tables(pipeline, corpus):
    body = ('<text:h text:outline-level="1">' + TALKS + '</text:h>'
            '<text:p text:style-name="P1">I went to <text:span text:style-name="Bold">Paris'
            '</text:span> last summer.</text:p>'
            f'<text:p><text:a xlink:href="https://example.org/p">{PRICES}</text:a></text:p>'
            '<table:table><table:table-row><table:table-cell><text:p>' + RIGHTS +
            '</text:p></table:table-cell></table:table-row></table:table>')
    done = translate(odt_file(body), "story.odt", pipeline, "fr")
    archive = zipfile.ZipFile(io.BytesIO(done.data))
    assert archive.infolist()[0].filename == "mimetype"
    assert archive.infolist()[0].compress_type == zipfile.ZIP_STORED
    root = etree.fromstring(archive.read("content.xml"))
    heading, para, linked, cell = root.iter(*odt.PARAGRAPHS)
    assert "".join(heading.itertext()) == corpus["fr"][TALKS]
    assert heading.get(odt.TEXT + "outline-level") == "1"
    assert "".join(para.itertext()) == corpus["fr"][PARIS]
    assert para.get(odt.STYLE) == "P1"
    spans = para.findall(odt.TEXT + "span")
    assert len(spans) == 1 and spans[0].get(odt.STYLE) == "Bold" and spans[0].text.strip()
    link = linked.find(odt.TEXT + "a")
    assert link.get("{http://www.w3.org/1999/xlink}href") == "https://example.org/p"
    assert "".join(link.itertext()) == corpus["fr"][PRICES]
    assert "".join(cell.itertext()) == corpus["fr"][RIGHTS]


def test_srt_keeps_numbers_and_timing(pipeline, corpus):
    source = (f"1\r\n00:00:01,000 --> 00:00:04,000\r\n{TALKS}\r\n\r\n"
              f"2\r\n00:00:05,500 --> 00:00:08,250\r\n{PARIS}\r\n{PRICES}\r\n")
    done = translate(source.encode(), "news.srt", pipeline, "es")
    es = corpus["es"]
    assert done.data.decode() == (
        f"1\r\n00:00:01,000 --> 00:00:04,000\r\n{es[TALKS]}\r\n\r\n"
        f"2\r\n00:00:05,500 --> 00:00:08,250\r\n{es[PARIS]}\r\n{es[PRICES]}\r\n")


@pytest.mark.parametrize("name, text, expected", [
    ("a.txt", f"\ufeff{TALKS}\n\n{PARIS}\n", "\ufeff{TALKS}\n\n{PARIS}\n"),
    ("a.md", f"# {TALKS}\n\n**{PARIS}**\n", "# {TALKS}\n\n**{PARIS}**\n"),
    ("a.html", f"<html><head><title>{RIGHTS}</title></head><body><p>{TALKS}</p></body></html>",
     "<title>{RIGHTS}</title>"),
])
def test_text_files(pipeline, corpus, name, text, expected):
    out = translate(text.encode(), name, pipeline, "pt").data.decode()
    pt = corpus["pt"]
    assert expected.format(TALKS=pt[TALKS], PARIS=pt[PARIS], RIGHTS=pt[RIGHTS]) in out


UNKNOWN = "Prices rose by 7 percent in October, 2026 and 2027 and 2028 and 1999."
"""Not in the corpus: the fixture model garbles it, and the numbers check notices."""


def test_qa_flags_name_their_place(pipeline):
    source = (f"1\n00:00:01,000 --> 00:00:02,000\n{PRICES}\n\n"
              f"2\n00:00:03,000 --> 00:00:04,000\n{UNKNOWN}\n")
    done = translate(source.encode(), "odd.srt", pipeline)
    assert [(f.part, f.source) for f in done.flagged] == [("cue 2", UNKNOWN)]
    assert "number_mismatch" in done.flagged[0].flags


def _zip(entries: dict[str, bytes], compress=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compress) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_zip_bombs_are_refused_before_unpacking(settings):
    bomb = _zip({"word/document.xml": b"<a/>", "filler.bin": b"\0" * 30_000_000})
    with pytest.raises(TooLarge, match="compressed more than"):
        documents.open_document(bomb, "bomb.docx", settings)
    small = replace(settings, document_max_unpacked=1000)
    with pytest.raises(TooLarge, match="unpacks to"):
        documents.open_document(_zip({"word/document.xml": b"x" * 2000}), "a.docx", small)
    many = _zip({f"{i}.xml": b"" for i in range(30)} | {"word/document.xml": b"<a/>"})
    with pytest.raises(TooLarge, match="zip entries"):
        documents.open_document(many, "a.docx", replace(settings, document_max_entries=20))


def test_entity_declarations_are_refused(settings):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;">]><w:document '
              b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
              b'<w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>')
    with pytest.raises(InputError, match="DOCTYPE"):
        documents.open_document(_zip({"word/document.xml": laughs}), "a.docx", settings)


@pytest.mark.parametrize("name, data, message", [
    ("a.pdf", b"%PDF", "unsupported file format"),
    ("a.docx", b"not a zip", "not a valid Word document"),
    ("a.odt", _zip({"mimetype": b"application/zip"}), "not an OpenDocument text"),
    ("a.srt", b"1\nno timing here\n", "no timing line"),
    ("a.txt", b"\xff\xfe latin", "not UTF-8"),
    ("a.txt", b"", "empty"),
])
def test_bad_files_are_input_errors(settings, name, data, message):
    with pytest.raises(InputError, match=message):
        documents.open_document(data, name, settings)
