"""Catalog figures for `make bench`: how long reading, a one-entry edit, an update with an
unchanged template and a check take on a large catalogue, and how many lines an edit changes.

The catalogue: the real-world ones of tests/data/catalogs/real/ repeated (msgids numbered)
up to about 5,000 entries, the size of a large application's catalogue.

    python bench/catalogs.py       # prints the figures as JSON
"""

from __future__ import annotations

import difflib
import json
import sys
import tempfile
import time
from pathlib import Path

import polib

from l10n.catalogs import check_catalog
from l10n.catalogs.pofile import Document, parse
from l10n.catalogs.workflow import update_text

REAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "catalogs" / "real"
ENTRIES = 5000


def _catalogue() -> str:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ru",
                   "Plural-Forms": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
                                   "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"}
    sources = [e for path in sorted(REAL.glob("*/*.po")) for e in polib.pofile(str(path))
               if not e.obsolete and not e.msgid_plural]
    for n in range(ENTRIES):
        e = sources[n % len(sources)]
        po.append(polib.POEntry(msgid=f"{e.msgid} #{n}", msgstr=e.msgstr, flags=list(e.flags),
                                occurrences=list(e.occurrences), comment=e.comment))
    return str(po)


def _seconds(work, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return round(best, 3)


def figures() -> dict:
    text = _catalogue()
    template = parse(text, "bench")
    for entry in template:
        entry.msgstr, entry.flags = "", [f for f in entry.flags if f != "fuzzy"]

    def edit() -> str:
        document = Document(text)
        document.po[ENTRIES // 2].msgstr = "Отредактировано переводчиком"
        return document.text()
    changed = [line for line in difflib.unified_diff(text.splitlines(), edit().splitlines(),
                                                     lineterm="", n=0)
               if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "messages.po"
        path.write_text(text, encoding="utf-8")
        check = _seconds(lambda: check_catalog(path))
    return {"entries": ENTRIES, "lines": text.count("\n"),
            "polib_read_s": _seconds(lambda: polib.pofile(text)),
            "read_s": _seconds(lambda: Document(text)),
            "one_entry_edit_s": _seconds(edit), "one_entry_edit_changed_lines": len(changed),
            "update_unchanged_template_s": _seconds(lambda: update_text(
                text, template, "nplurals=2; plural=(n != 1);")),
            "check_s": check}


if __name__ == "__main__":
    json.dump(figures(), sys.stdout, indent=2)
    print()
