"""The format registry: one entry per article format, read by the pipeline and the API."""

from __future__ import annotations

import pytest

from l10n.markup import registry


def test_every_format_parses_escapes_and_compares():
    for name, fmt in registry.FORMATS.items():
        assert registry.get(name) is fmt and fmt.description
        document = registry.parse_document("Prices rose. Talks went on.", name, "en")
        assert [u.text for u in document.units] == ["Prices rose.", "Talks went on."]
    assert registry.escaper("html")("a < b") == "a &lt; b"
    assert registry.escaper("markdown")("a < b") == "a < b"
    assert registry.structure("html", "<p>a <b>b</b></p>") == \
        registry.structure("html", "<p>x <b>y</b></p>")
    assert registry.structure("html", "<p>a <b>b</b></p>") != registry.structure("html", "<p>x y</p>")


def test_an_unknown_format_is_a_value_error():
    with pytest.raises(ValueError, match="docx"):
        registry.get("docx")


@pytest.mark.parametrize("fmt, text, chars", [
    ("text", "<b>Prices rose.</b>", 19),  # plain text: every character is text
    ("html", '<p><a href="https://example.org/long/link">Prices rose.</a></p>', 12),
    ("markdown", "**Prices rose.** [Talks](https://example.org/x) went on.", 26),
])
def test_translatable_chars_leave_markup_out(fmt, text, chars):
    assert registry.translatable_chars(text, fmt) == chars
