"""The real-world catalogues of tests/data/catalogs/real/ (see LICENSES.md there), and the
GNU tools they are compared with."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib

REAL = Path(__file__).resolve().parents[1] / "data" / "catalogs" / "real"
CATALOGUES = sorted(REAL.glob("*/*.po"))
IDS = [f"{p.parent.name}/{p.name}" for p in CATALOGUES]
VALID = [p for p in CATALOGUES if p.parent.name != "ihatemoney"]  # msgfmt accepts these
MSGFMT, MSGMERGE, MSGCAT = (shutil.which(tool) for tool in ("msgfmt", "msgmerge", "msgcat"))


def gnu(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def template_of(po: polib.POFile) -> polib.POFile:
    """The template a catalogue was last merged with: its live entries, untranslated."""
    template = polib.POFile()
    template.metadata = {"Content-Type": "text/plain; charset=UTF-8",
                         "POT-Creation-Date": po.metadata.get("POT-Creation-Date", "")}
    for e in po:
        if not e.obsolete:
            template.append(polib.POEntry(
                msgctxt=e.msgctxt, msgid=e.msgid, msgid_plural=e.msgid_plural, msgstr="",
                msgstr_plural=dict.fromkeys(range(2), "") if e.msgid_plural else {},
                flags=[f for f in e.flags if f != "fuzzy"], comment=e.comment,
                occurrences=list(e.occurrences)))
    return template


def entries(po: polib.POFile) -> dict[tuple, tuple]:
    """What msgmerge decides about each entry (obsolete entries without text are not written)."""
    return {(e.msgctxt, e.msgid, e.obsolete): (
        e.msgid_plural, e.msgstr, tuple(sorted(e.msgstr_plural.items())), tuple(sorted(e.flags)),
        None if e.obsolete else e.previous_msgid)
        for e in po if not (e.obsolete and not e.msgstr and not any(e.msgstr_plural.values()))}


def changed_lines(old: str, new: str) -> list[str]:
    import difflib
    return [line for line in difflib.unified_diff(old.splitlines(), new.splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and line[:3] not in ("+++", "---")]
