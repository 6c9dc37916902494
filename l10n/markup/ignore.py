"""Elements a caller names as not to be translated (DeepL's `ignore_tags`).

The HTML pipeline already keeps the content of `translate="no"` elements as it is; so each
named element that has no `translate` attribute of its own gets one for the translation, with
a marker, and loses both afterwards. Nothing else in the markup is touched.
"""

from __future__ import annotations

from collections.abc import Iterable

from bs4 import BeautifulSoup, Tag

MARKER = "data-l10n-ignored"


def mark(markup: str, tags: Iterable[str]) -> str:
    names = {t.lower() for t in tags}
    if not names:
        return markup
    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(list(names)):
        if isinstance(tag, Tag) and tag.get("translate") is None:
            tag["translate"] = "no"
            tag[MARKER] = ""
    return str(soup)


def unmark(markup: str) -> str:
    if MARKER not in markup:
        return markup
    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(lambda t: t.has_attr(MARKER)):
        del tag["translate"]
        del tag[MARKER]
    return str(soup)
