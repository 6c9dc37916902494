"""Constants and helpers the catalog tests share."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

REPO = Path(__file__).resolve().parents[2]
LOCALES = REPO / "locales"
ROUNDTRIP = Path(__file__).resolve().parents[1] / "data" / "catalogs" / "roundtrip.po"
MSGFMT = shutil.which("msgfmt")
needs_msgfmt = pytest.mark.skipif(MSGFMT is None, reason="GNU gettext (msgfmt) not installed")

PLURAL_FORMS = {  # the publisher's rules, spelled out here independently of the code
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 "
          "&& (n%100<10 || n%100>=20) ? 1 : 2);",
    "de": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "pt": "nplurals=2; plural=(n > 1);",
    "es": "nplurals=2; plural=(n != 1);",
}
LANGUAGE_HEADER = {"ru": "ru", "de": "de", "fr": "fr", "pt": "pt_BR", "es": "es"}


def msgfmt_check(path: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([MSGFMT, "--check", *extra, "-o", os.devnull, str(path)],
                          capture_output=True, text=True)


def entry(po: polib.POFile, msgid: str, msgctxt: str | None = None) -> polib.POEntry:
    found = po.find(msgid, msgctxt=msgctxt) if msgctxt else po.find(msgid)
    assert found is not None, msgid
    return found


def fields(e: polib.POEntry) -> tuple:
    """Everything a round trip must keep of an entry."""
    return (e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, dict(e.msgstr_plural),
            e.tcomment, e.comment, list(e.occurrences), list(e.flags), e.previous_msgctxt,
            e.previous_msgid, e.previous_msgid_plural, e.obsolete)


def write_template(root: Path, strings: list[str]) -> None:
    body = "".join(f'{{# Translators: about {s} #}}<p>{{{{ _("{s}") }}}}</p>\n' for s in strings)
    body += ('{{ ngettext("{count} comment", "{count} comments", n).format(count=n) }}\n'
             '{{ pgettext("button", "Translate") }}\n')
    (root / "l10n" / "web" / "templates" / "page.html").write_text(body, encoding="utf-8")


def translator_saves(path: Path, msgid: str, text: str) -> None:
    """What Poedit does: rewrite the whole file with one entry changed."""
    po = polib.pofile(str(path))
    entry(po, msgid).msgstr = text
    path.write_text(str(po), encoding="utf-8")
