"""How many real UI placeholders protect.py recognises, on the system's gettext catalogs.

    python bench/placeholders.py [/usr/share/locale]

The reference is independent of protect.py's patterns: translators. A token of a message id
(a whitespace-free run holding `%`, `{` or `$`, edge punctuation trimmed) counts as a real
placeholder when it appears verbatim in at least 90% of the message's translations (three at
least) across the installed languages: what translators kept byte for byte is what a program
substitutes. It is recognised when protect.find_spans covers every `%`, `{` and `$` in it.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import polib  # noqa: E402

from l10n.translate.protect import find_spans  # noqa: E402

_TOKEN = re.compile(r"\S*[%{$]\S*")
_EDGES = ".,;:!?()[]\"'«»“”‘’"
_TRIGGERS = "%{$"


def tokens(msgid: str) -> list[tuple[int, int]]:
    out = []
    for m in _TOKEN.finditer(msgid):
        start, end = m.start(), m.end()
        while start < end and msgid[start] in _EDGES and msgid[start] not in _TRIGGERS:
            start += 1
        while end > start and msgid[end - 1] in _EDGES and msgid[end - 2:end] != "}}":
            end -= 1
        if "://" not in msgid[start:end]:
            out.append((start, end))
    return out


def measure(locale_dir: Path) -> dict:
    translations: dict[str, list[str]] = defaultdict(list)
    for mo in locale_dir.glob("*/LC_MESSAGES/*.mo"):
        try:
            for entry in polib.mofile(str(mo)):
                if entry.msgid and entry.msgstr:
                    translations[entry.msgid].append(entry.msgstr)
        except (OSError, ValueError, UnicodeDecodeError):
            continue
    real = recognised = 0
    missed: dict[str, int] = defaultdict(int)
    for msgid, texts in translations.items():
        if len(texts) < 3:
            continue
        spans = find_spans(msgid)
        for start, end in tokens(msgid):
            token = msgid[start:end]
            if sum(token in t for t in texts) < 0.9 * len(texts):
                continue
            real += 1
            covered = {k for s in spans for k in range(s.start, s.end)}
            if all(k in covered for k in range(start, end) if msgid[k] in _TRIGGERS):
                recognised += 1
            else:
                missed[token] += 1
    return {"messages": len(translations), "placeholders": real, "recognised": recognised,
            "share": round(recognised / max(1, real), 4),
            "most_missed": sorted(missed.items(), key=lambda kv: -kv[1])[:15]}


if __name__ == "__main__":
    where = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/locale")
    print(json.dumps(measure(where), indent=1, ensure_ascii=False))
