"""Build the labelled language-detection set (bench/data/detect.jsonl.gz) from public texts
installed on a Debian machine: gettext catalogs under /usr/share/locale (UI strings and
`--help` prose; English is each message's msgid) and translated man pages under
/usr/share/man (prose). The committed set is the reference; this script documents how it
was made, and gives the same rows only where the same Debian packages are installed:

    python bench/detect_data.py        # → bench/data/detect.jsonl.gz, bench/data/SOURCES.md

Each row: language, text, length class (short < 40 characters, medium < 200, long),
source, and split ("fit" for calibration, "test" held out), chosen by a hash of the text so
that a row keeps its split when the set is rebuilt. Texts written here (news headlines,
Portuguese/Spanish minimal pairs: bench/detect_written.py) are added as they are.
Catalogs of names (ISO country/language lists, keyboard layouts) are left out: a name such
as "Brasil" does not say which language it is written in. A translation identical to the
msgid, or to the same message in another language, is left out for the same reason, and so
is a paragraph of a translated man page that is the English one left untranslated.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
import subprocess
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parent))
import detect_written

DATA = Path(__file__).resolve().parent / "data"
LOCALES = {"de": ["de"], "fr": ["fr"], "pt": ["pt_BR", "pt"], "es": ["es"], "ru": ["ru"]}
LANGUAGES = ("en", "ru", "de", "fr", "pt", "es")
SKIP = re.compile(r"^(iso_|xkeyboard|Linux-PAM|gtk20-properties)")
PER_CELL = 300
PER_SOURCE = 30  # at most this many rows of one catalog or man page in a cell
_FORMAT = re.compile(r"%(\d+\$)?[-+ #0']*\d*(\.\d+)?(hh|h|ll|l|L|q|j|z|t|I)?[a-zA-Z%]"
                     r"|\$\{\w+\}|\{\w*\}|<[^>]+>|&[a-z]+;")
_TROFF = re.compile(r"\\f(\[\w*\]|\(\w\w|\w)|\\[m*]\[\w*\]|\\\*\(?\w\w?|\\[&|^ e0%]|\\s[-+]?\d")
_OPTION = re.compile(r"(?<!\w)--?\w[\w-]*(=\S*)?|\[[^\]]*\]")
_ENGLISH = frozenset("the is of and to in that it with for are be this by an".split())
_ACCENTS = {":": "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", ",": "\u0327"}
_GLYPHS = {"ss": "ß", "em": "—", "en": "–", "aq": "'", "dq": '"', "lq": '"', "rq": '"', "oq": "'",
           "cq": "'", "bu": "•", "co": "©", "hy": "-", "mi": "-"}


def length_class(text: str) -> str:
    return "short" if len(text) < 40 else "medium" if len(text) < 200 else "long"


def clean(text: str) -> str:
    text = _OPTION.sub(" ", _FORMAT.sub(" ", text)).replace("_", "").replace("&", "")
    return re.sub(r"\s+", " ", text).strip(" :.,;-")


def decides(text: str) -> bool:
    letters = sum(ch.isalpha() for ch in text)
    return letters >= 4 and letters >= 0.6 * len(text.replace(" ", ""))


def catalog_rows() -> list[dict]:
    """Every decided message of every catalog installed in all languages, as rows."""
    by_msgid: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    domains = None
    for locales in LOCALES.values():
        found = {p.name for loc in locales for p in Path(f"/usr/share/locale/{loc}/LC_MESSAGES").glob("*.mo")}
        domains = found if domains is None else domains & found
    for lang, locales in LOCALES.items():
        for domain in sorted(domains or ()):
            if SKIP.match(domain):
                continue
            for loc in locales:
                path = Path(f"/usr/share/locale/{loc}/LC_MESSAGES/{domain}")
                if not path.is_file():
                    continue
                for entry in polib.mofile(str(path)):
                    if entry.msgstr and not entry.msgid_plural:
                        by_msgid[(domain, entry.msgid)].setdefault(lang, entry.msgstr)
                break
    rows = []
    for (domain, msgid), translations in by_msgid.items():
        texts = {"en": clean(msgid)} | {lang: clean(t) for lang, t in translations.items()}
        for lang, text in texts.items():
            others = [t for other, t in texts.items() if other != lang]
            if decides(text) and text not in others:
                rows.append({"language": lang, "text": text, "source": f"mo:{domain[:-3]}"})
    return rows


def _glyphs(line: str) -> str:
    """troff's character escapes (\\(:u, \\[ss], \\(em ...) as the characters they print."""
    def one(match: re.Match) -> str:
        name = match.group(1) or match.group(2)
        if len(name) == 2 and name[0] in _ACCENTS:
            return unicodedata.normalize("NFC", name[1] + _ACCENTS[name[0]])
        return _GLYPHS.get(name, "")
    return re.sub(r"\\\((..)|\\\[(\W?\w+)\]", one, line)


def man_paragraphs(path: Path) -> list[str]:
    raw = subprocess.run(["zcat", str(path)], capture_output=True, text=True, errors="replace").stdout
    paragraphs, current = [], []
    for line in raw.splitlines():
        if line.startswith((".", "'")) or not line.strip():
            if current:
                paragraphs.append(" ".join(current))
            current = []
        else:
            current.append(_TROFF.sub("", _glyphs(line.replace("\\-", "-"))).replace("\\", ""))
    if current:
        paragraphs.append(" ".join(current))
    return [re.sub(r"\s+", " ", p).strip() for p in paragraphs]


def man_rows() -> list[dict]:
    rows = []
    dirs = {"en": ["/usr/share/man"]} | {lang: [f"/usr/share/man/{loc}" for loc in locs]
                                         for lang, locs in LOCALES.items()}
    translated = sorted({p.name for lang in LOCALES for d in dirs[lang] for p in Path(d).glob("man[158]/*.gz")})
    for lang, roots in dirs.items():
        for root in roots:
            for name in translated:
                for path in sorted(Path(root).glob(f"man[158]/{name}")):
                    for text in man_paragraphs(path):
                        text = clean(text)
                        if len(text) >= 200 and decides(text):
                            rows.append({"language": lang, "text": text[:1200], "source": f"man:{path.stem}"})
    english = {row["text"] for row in rows if row["language"] == "en"}
    return [row for row in rows if row["language"] == "en"
            or (row["text"] not in english and not _english_words(row["text"]))]


def _english_words(text: str) -> bool:
    """A paragraph left in English (another version of the page than the one installed):
    English function words make a tenth of it."""
    words = re.findall(r"\w+", text.lower())
    return sum(word in _ENGLISH for word in words) >= 0.1 * len(words)


def split(text: str) -> str:
    return "fit" if int(hashlib.sha256(text.encode()).hexdigest(), 16) % 2 == 0 else "test"


def sample(rows: list[dict]) -> list[dict]:
    """PER_CELL rows per language and length class, at most PER_SOURCE of one source."""
    cells: dict[tuple[str, str], list[dict]] = defaultdict(list)
    seen = set()
    for row in rows:
        key = (row["language"], row["text"])
        if key not in seen:
            seen.add(key)
            cells[(row["language"], length_class(row["text"]))].append(row)
    chosen = []
    for (lang, cls), candidates in sorted(cells.items()):
        rng = random.Random(f"{lang}/{cls}")
        rng.shuffle(candidates)
        per_source: dict[str, int] = defaultdict(int)
        picked = []
        for row in candidates:
            if per_source[row["source"]] < PER_SOURCE and len(picked) < PER_CELL:
                per_source[row["source"]] += 1
                picked.append(row)
        chosen += picked
    return chosen


def packages_of(sources: set[str]) -> dict[str, str]:
    """The Debian package that installed each row source's catalog or man page (dpkg -S)."""
    paths = {}
    for source in sources:
        kind, name = source.split(":", 1)
        patterns = ([f"locale/*/LC_MESSAGES/{name}.mo"] if kind == "mo"
                    else [f"man/man?/{name}.gz", f"man/*/man?/{name}.gz"])
        path = next((p for pattern in patterns for p in Path("/usr/share").glob(pattern)), None)
        if kind != "written" and path:
            paths[str(path.resolve())] = source  # alternatives: the linked page
    owners = subprocess.run(["dpkg", "-S", *paths], capture_output=True, text=True).stdout
    found = {"written:headline": "(written for this project: bench/detect_written.py, MIT)"}
    found["written:pair"] = found["written:headline"]
    for line in owners.splitlines():
        package, _, path = line.partition(": ")
        if path in paths:
            found[paths[path]] = package.split(":")[0]
    return found


def licence_of(package: str) -> str:
    copyright_file = Path(f"/usr/share/doc/{package}/copyright")
    if not copyright_file.is_file():
        return "see the package"
    names = [line.split(":", 1)[1].strip() for line in copyright_file.read_text(errors="replace").splitlines()
             if line.startswith("License:")]
    return ", ".join(dict.fromkeys(n for n in names if n)) or "see the package"


def write_sources(rows: list[dict]) -> None:
    counts: dict[str, int] = defaultdict(int)
    owner = packages_of({row["source"] for row in rows})
    for row in rows:
        counts[owner.get(row["source"], "?")] += 1
    lines = ["# Sources of detect.jsonl.gz", "",
             "Made by bench/detect_data.py from the gettext catalogs and man pages that these Debian",
             "packages install (Debian 12); each text keeps its package's licence, as Debian's",
             "copyright file states it. The set is measurement data: it is not part of the l10n package.",
             "", "| Debian package | rows | licence(s) |", "|---|---|---|"]
    lines += [f"| {p} | {n} | {licence_of(p)[:120]} |" for p, n in sorted(counts.items(), key=lambda x: -x[1])]
    (DATA / "SOURCES.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    rows = sample(catalog_rows() + man_rows())
    rows += [{"language": lang, "text": text, "source": source}
             for lang, text, source in detect_written.rows()]
    for row in rows:
        row["length"] = length_class(row["text"])
        row["split"] = split(row["text"])
    rows.sort(key=lambda r: (r["language"], r["length"], r["source"], r["text"]))
    DATA.mkdir(exist_ok=True)
    with gzip.GzipFile(DATA / "detect.jsonl.gz", "wb", mtime=0) as out:
        for row in rows:
            out.write((json.dumps(row, ensure_ascii=False) + "\n").encode())
    write_sources(rows)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        counts[(row["language"], row["length"])] += 1
    print(json.dumps({f"{k[0]}/{k[1]}": v for k, v in sorted(counts.items())}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
