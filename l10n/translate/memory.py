"""The translation memory: a segment translated once is not sent to the engine again.

Newsrooms re-send the same article many times (a fixed typo, one more paragraph); the pipeline
looks every segment up here first and sends only the misses to the engine. Machine entries are
keyed by (source, target, model key, glossary version, normalised segment), so a model upgrade
or a glossary edit misses instead of serving translations made under other rules. A reviewer's
correction is keyed by (source, target, normalised segment) only: it wins over machine entries
whatever the model or glossary, and the pipeline uses it as written.

Storage is one SQLite file in WAL mode: readers never wait, writers (threads, gunicorn workers)
queue on `busy_timeout`, and every write is one transaction, so a process killed mid-write leaves
the last committed state. `synchronous=NORMAL` means a power cut may lose the latest commits
(they are simply translated again), never the file's consistency.

Entries move between servers and to and from CAT tools as JSONL (every field, one entry a line)
or TMX 1.4, the translation industry's exchange format:

    l10n memory export FILE [--format jsonl|tmx]
    l10n memory import FILE
    l10n memory purge [--pair en-de] [--model KEY | --corrections]
    l10n memory stats
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import threading
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from l10n.atomic import write_atomic
from l10n.config import Settings
from l10n.editions import LANGUAGES
from l10n.translate.engine import Translation

FORMATS = ("jsonl", "tmx")
BUSY_TIMEOUT_MS = 30_000  # a writer waits this long for another one before failing
_CHUNK = 500  # segments per `IN (...)`: well under SQLite's limit on bound variables
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TMX_DATE = "%Y%m%dT%H%M%SZ"
_TMX_CODES = {"bpt", "ept", "it", "ph", "ut"}  # TMX inline elements holding native markup

_TABLES = (
    """CREATE TABLE IF NOT EXISTS machine (
        source TEXT NOT NULL, target TEXT NOT NULL,
        model_key TEXT NOT NULL, glossary_version TEXT NOT NULL,
        segment TEXT NOT NULL,      -- normalised source: the key
        source_text TEXT NOT NULL,  -- as sent to the engine: the spans refer to it
        translation TEXT NOT NULL,
        alignment TEXT NOT NULL,    -- JSON: source_spans, target_spans, alignment
        created_at TEXT NOT NULL,
        PRIMARY KEY (source, target, model_key, glossary_version, segment)
    ) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS human (
        source TEXT NOT NULL, target TEXT NOT NULL,
        segment TEXT NOT NULL, source_text TEXT NOT NULL,
        translation TEXT NOT NULL, reviewer TEXT, created_at TEXT NOT NULL,
        PRIMARY KEY (source, target, segment)
    ) WITHOUT ROWID""",
)
_PUT_MACHINE = ("INSERT OR REPLACE INTO machine (source, target, model_key, glossary_version, "
                "segment, source_text, translation, alignment, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
_PUT_HUMAN = ("INSERT OR REPLACE INTO human (source, target, segment, source_text, translation, "
              "reviewer, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")


class MemoryFileError(ValueError):
    """An import file that is not a memory export (bad JSON line, bad TMX, bad field)."""


@dataclass(frozen=True)
class Hit:
    translation: Translation
    human: bool  # a reviewer's correction: use as written, skip the machine checks


@dataclass(frozen=True)
class Entry:
    """One memory entry as exported, imported and answered by PUT /v1/memory."""

    source: str
    target: str
    text: str  # the source segment
    translation: Translation
    created_at: str  # UTC, ISO 8601, seconds
    model_key: str | None = None  # None: a human correction
    glossary_version: str | None = None
    reviewer: str | None = None

    @property
    def human(self) -> bool:
        return self.model_key is None


@dataclass(frozen=True)
class Count:
    """Entries of one pair made by one model (`model_key` None: human corrections)."""

    pair: str
    model_key: str | None
    entries: int
    newest: str


def normalise(text: str) -> str:
    """The lookup form of a segment: NFC, whitespace runs collapsed to one space, stripped."""
    return " ".join(unicodedata.normalize("NFC", text).split())


class Memory:
    """The memory in one SQLite file; safe to share between threads and processes."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.hits = 0  # cumulative in this process, for metrics
        self.misses = 0
        self._counter_lock = threading.Lock()
        self._local = threading.local()
        with self._transaction() as conn:
            for table in _TABLES:
                conn.execute(table)
            conn.execute("PRAGMA user_version = 1")  # the schema's version, for migrations
        # Opened by the app factory, possibly before gunicorn forks: leave no connection behind.
        self.close()

    @classmethod
    def from_settings(cls, settings: Settings) -> Memory:
        return cls(settings.memory_file)

    # -- connections
    def _connect(self) -> sqlite3.Connection:
        """This thread's connection: SQLite connections must cross neither threads nor forks."""
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            conn = sqlite3.connect(self.path, isolation_level=None)  # transactions: explicit
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            local.conn, local.pid = conn, os.getpid()
        return local.conn

    def close(self) -> None:
        """Close this thread's connection (the last one to close folds the WAL into the file)."""
        conn = self._local.__dict__.pop("conn", None)
        self._local.__dict__.pop("pid", None)
        if conn is not None:
            conn.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it lands or none of it does. IMMEDIATE takes the write
        lock up front, so concurrent writers queue on busy_timeout instead of deadlocking."""
        conn = self._connect()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    # -- what the pipeline uses
    def lookup(self, source: str, target: str, model_key: str, glossary_version: str,
               texts: Sequence[str]) -> dict[str, Hit]:
        """Hits for those `texts` the memory knows, keyed by the text as given.

        A machine entry stored for another spelling of the same normalised segment comes back
        without spans and alignment: those are character offsets into the stored spelling.
        """
        unique = list(dict.fromkeys(texts))
        wanted: dict[str, list[str]] = {}
        for text in unique:
            wanted.setdefault(normalise(text), []).append(text)
        conn = self._connect()
        found: dict[str, Hit] = {}
        human = _select(conn, "SELECT segment, translation FROM human "
                              "WHERE source = ? AND target = ? AND segment IN ({marks})",
                        (source, target), list(wanted))
        for segment, translation in human:
            for text in wanted.pop(segment):
                found[text] = Hit(Translation(translation), human=True)
        machine = _select(conn, "SELECT segment, source_text, translation, alignment FROM machine "
                                "WHERE source = ? AND target = ? AND model_key = ? "
                                "AND glossary_version = ? AND segment IN ({marks})",
                          (source, target, model_key, glossary_version), list(wanted))
        for segment, source_text, translation, alignment in machine:
            full = _translation(translation, json.loads(alignment))
            for text in wanted[segment]:
                found[text] = Hit(full if text == source_text else Translation(translation),
                                  human=False)
        with self._counter_lock:
            self.hits += len(found)
            self.misses += len(unique) - len(found)
        return found

    def store(self, source: str, target: str, model_key: str, glossary_version: str,
              items: Sequence[tuple[str, Translation]]) -> None:
        """Remember engine output for `items` (source text, translation) in one transaction."""
        now = _now()
        self.add([Entry(source, target, text, translation, now, model_key, glossary_version)
                  for text, translation in items])

    # -- human corrections, import, export, maintenance
    def correct(self, source: str, target: str, text: str, translation: str,
                reviewer: str | None = None) -> Entry:
        """Record a reviewer's translation of one segment (a sentence, as the pipeline splits
        articles): it wins over machine entries for every model and glossary version."""
        entry = Entry(source, target, text, Translation(translation), _now(), reviewer=reviewer)
        self.add([entry])
        return entry

    def add(self, entries: Iterable[Entry]) -> int:
        """Write entries in one transaction, replacing those with the same key."""
        machine, human = [], []
        for e in entries:
            if e.human:
                human.append((e.source, e.target, normalise(e.text), e.text, e.translation.text,
                              e.reviewer, e.created_at))
            else:
                machine.append((e.source, e.target, e.model_key, e.glossary_version,
                                normalise(e.text), e.text, e.translation.text,
                                json.dumps(_alignment(e.translation)), e.created_at))
        with self._transaction() as conn:
            conn.executemany(_PUT_MACHINE, machine)
            conn.executemany(_PUT_HUMAN, human)
        return len(machine) + len(human)

    def entries(self) -> list[Entry]:
        """Every entry, machine ones first, from one consistent snapshot."""
        conn = self._connect()
        conn.execute("BEGIN")  # a read transaction: both tables as of the same moment
        try:
            machine = conn.execute(
                "SELECT source, target, source_text, translation, alignment, created_at, "
                "model_key, glossary_version FROM machine ORDER BY source, target, model_key, "
                "glossary_version, segment").fetchall()
            human = conn.execute(
                "SELECT source, target, source_text, translation, created_at, reviewer "
                "FROM human ORDER BY source, target, segment").fetchall()
        finally:
            conn.execute("COMMIT")
        return [Entry(s, t, text, _translation(out, json.loads(al)), at, model, glossary)
                for s, t, text, out, al, at, model, glossary in machine] + \
               [Entry(s, t, text, Translation(out), at, reviewer=reviewer)
                for s, t, text, out, at, reviewer in human]

    def purge(self, pair: tuple[str, str] | None = None, model: str | None = None,
              corrections: bool = False) -> int:
        """Delete machine entries (of `pair`, of `model`: the filters combine) and, only when
        asked, human corrections of `pair`: they cannot be made again by re-translating."""
        pair_sql, params = ("source = ? AND target = ?", list(pair)) if pair else ("1", [])
        model_sql, model_params = ("model_key = ?", [model]) if model else ("1", [])
        with self._transaction() as conn:
            deleted = conn.execute(f"DELETE FROM machine WHERE {pair_sql} AND {model_sql}",
                                   params + model_params).rowcount
            if corrections:
                deleted += conn.execute(f"DELETE FROM human WHERE {pair_sql}", params).rowcount
        return deleted

    def stats(self) -> list[Count]:
        rows = self._connect().execute(
            "SELECT source, target, model_key, COUNT(*), MAX(created_at) FROM machine "
            "GROUP BY source, target, model_key UNION ALL "
            "SELECT source, target, NULL, COUNT(*), MAX(created_at) FROM human "
            "GROUP BY source, target ORDER BY 1, 2, 3").fetchall()
        return [Count(f"{s}-{t}", model, n, newest) for s, t, model, n, newest in rows]


def _select(conn: sqlite3.Connection, query: str, params: tuple, segments: list[str]
            ) -> Iterator[tuple]:
    """Rows of `query` whose `IN ({marks})` is filled chunk by chunk with `segments`."""
    for start in range(0, len(segments), _CHUNK):
        chunk = segments[start:start + _CHUNK]
        yield from conn.execute(query.format(marks=", ".join("?" * len(chunk))),
                                (*params, *chunk)).fetchall()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _alignment(translation: Translation) -> dict[str, list]:
    return {"source_spans": [list(s) for s in translation.source_spans],
            "target_spans": [list(s) for s in translation.target_spans],
            "alignment": list(translation.alignment)}


def _translation(text: str, data: dict[str, Any]) -> Translation:
    """A Translation from `_alignment`'s form; checks the shapes, as imports are untrusted."""
    spans = {}
    for name in ("source_spans", "target_spans"):
        value = data.get(name, [])
        if not isinstance(value, list) or not all(
                isinstance(s, list) and len(s) == 2 and all(type(i) is int for i in s)
                for s in value):
            raise MemoryFileError(f"{name} must be a list of [start, end] integer pairs")
        spans[name] = tuple((s[0], s[1]) for s in value)
    alignment = data.get("alignment", [])
    if not isinstance(alignment, list) or not all(type(i) is int for i in alignment):
        raise MemoryFileError("alignment must be a list of integers")
    return Translation(text, spans["source_spans"], spans["target_spans"], tuple(alignment))


def _timestamp(value: str) -> str:
    """An ISO 8601 time as UTC with seconds (naive times are taken as UTC)."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


# -- JSONL
def entry_json(entry: Entry) -> dict[str, Any]:
    """An entry as JSON: one line of a JSONL export, and the answer to PUT /v1/memory."""
    data: dict[str, Any] = {"kind": "human" if entry.human else "machine",
                            "source": entry.source, "target": entry.target, "text": entry.text,
                            "translation": entry.translation.text,
                            "created_at": entry.created_at}
    if entry.human:
        return {**data, "reviewer": entry.reviewer}
    return {**data, "model_key": entry.model_key, "glossary_version": entry.glossary_version,
            **_alignment(entry.translation)}


def entry_from_json(data: Any) -> Entry:
    if not isinstance(data, dict):
        raise MemoryFileError("an entry must be a JSON object")
    kind = data.get("kind")
    if kind not in ("machine", "human"):
        raise MemoryFileError('kind must be "machine" or "human"')
    required = ["source", "target", "text", "translation", "created_at"]
    if kind == "machine":
        required += ["model_key", "glossary_version"]
    for name in required:
        if not isinstance(data.get(name), str):
            raise MemoryFileError(f"{name} must be a string")
    if not isinstance(data.get("reviewer"), (str, type(None))):
        raise MemoryFileError("reviewer must be a string or null")
    try:
        created_at = _timestamp(data["created_at"])
    except ValueError:
        raise MemoryFileError(f"created_at is not an ISO 8601 time: {data['created_at']!r}")
    if kind == "human":
        return Entry(data["source"], data["target"], data["text"],
                     Translation(data["translation"]), created_at, reviewer=data.get("reviewer"))
    return Entry(data["source"], data["target"], data["text"],
                 _translation(data["translation"], data), created_at, data["model_key"],
                 data["glossary_version"])


def to_jsonl(entries: Iterable[Entry]) -> str:
    return "".join(json.dumps(entry_json(e), ensure_ascii=False) + "\n" for e in entries)


def from_jsonl(text: str) -> list[Entry]:
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            entries.append(entry_from_json(json.loads(line)))
        except ValueError as exc:  # json.JSONDecodeError and MemoryFileError alike
            raise MemoryFileError(f"line {number}: {exc}") from None
    return entries


# -- TMX 1.4
def to_tmx(entries: Sequence[Entry]) -> str:
    """A TMX 1.4 document: a `<tu>` per entry, source and target `<tuv>`; what TMX has no
    attribute for (kind, model, glossary version, alignment) goes into `x-l10n-*` props."""
    sources = {e.source for e in entries}
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(root, "header", {
        "creationtool": "l10n", "creationtoolversion": package_version("l10n"),
        "segtype": "sentence", "o-tmf": "l10n-memory", "adminlang": "en",
        "srclang": sources.pop() if len(sources) == 1 else "*all*", "datatype": "plaintext",
        "creationdate": _tmx_date(_now()),
    })
    body = ET.SubElement(root, "body")
    for e in entries:
        tu = ET.SubElement(body, "tu", {"srclang": e.source,
                                        "creationdate": _tmx_date(e.created_at)})
        if e.reviewer:
            tu.set("creationid", e.reviewer)
        props = {"x-l10n-kind": "human" if e.human else "machine"}
        if not e.human:
            props |= {"x-l10n-model": e.model_key, "x-l10n-glossary": e.glossary_version,
                      "x-l10n-alignment": json.dumps(_alignment(e.translation))}
        for name, value in props.items():
            ET.SubElement(tu, "prop", type=name).text = value
        for language, text in ((e.source, e.text), (e.target, e.translation.text)):
            ET.SubElement(ET.SubElement(tu, "tuv", {_XML_LANG: language}), "seg").text = text
    ET.indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
            + ET.tostring(root, encoding="unicode") + "\n")


def from_tmx(data: bytes) -> list[Entry]:
    """Entries of a TMX file, ours or another tool's: a `<tu>` without our props is taken as a
    human translation (reviewer: its creationid), from its source `<tuv>` to each other one."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise MemoryFileError(f"not valid XML: {exc}") from None
    header = root.find("header")
    if root.tag != "tmx" or header is None or root.find("body") is None:
        raise MemoryFileError("not a TMX document (no <tmx>, <header> or <body>)")
    entries = []
    for number, tu in enumerate(root.iter("tu"), 1):
        try:
            entries += _tu_entries(tu, header.get("srclang", ""))
        except ValueError as exc:
            raise MemoryFileError(f"<tu> number {number}: {exc}") from None
    return entries


def _tu_entries(tu: ET.Element, srclang: str) -> list[Entry]:
    props = {p.get("type"): p.text or "" for p in tu.findall("prop")}
    tuvs = [(_language(tuv.get(_XML_LANG) or tuv.get("lang") or ""), _seg_text(seg))
            for tuv in tu.findall("tuv") if (seg := tuv.find("seg")) is not None]
    if len(tuvs) < 2:
        return []
    srclang = _language(tu.get("srclang") or srclang)
    first = next((i for i, (language, _) in enumerate(tuvs) if language == srclang), 0)
    (source, text), others = tuvs[first], tuvs[:first] + tuvs[first + 1:]
    created_at = _from_tmx_date(tu.get("creationdate")) if tu.get("creationdate") else _now()
    if props.get("x-l10n-kind") != "machine":
        return [Entry(source, target, text, Translation(out), created_at,
                      reviewer=tu.get("creationid")) for target, out in others]
    model, glossary = props.get("x-l10n-model"), props.get("x-l10n-glossary")
    alignment = json.loads(props.get("x-l10n-alignment") or "{}")
    if not model or glossary is None or not isinstance(alignment, dict):
        raise MemoryFileError("a machine <tu> needs x-l10n-model, x-l10n-glossary and an "
                              "x-l10n-alignment object")
    return [Entry(source, target, text, _translation(out, alignment), created_at, model,
                  glossary) for target, out in others]


def _seg_text(seg: ET.Element) -> str:
    """A segment's text without its inline codes: the pipeline keys units on plain text."""
    parts = [seg.text or ""]
    for child in seg:
        if child.tag not in _TMX_CODES:  # <hi> holds text; <bpt>, <ph>... hold markup
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _language(code: str) -> str:
    """A TMX language tag ("de-DE", "pt_BR") → the service's code ("de", "pt")."""
    return code.replace("_", "-").split("-")[0].lower()


def _tmx_date(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(UTC).strftime(_TMX_DATE)


def _from_tmx_date(value: str) -> str:
    moment = datetime.strptime(value, _TMX_DATE).replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


# -- files
def export_file(memory: Memory, path: Path, fmt: str) -> int:
    """Write every entry to `path` atomically: readers see the old file or the whole new one."""
    entries = memory.entries()
    write_atomic(path, to_tmx(entries) if fmt == "tmx" else to_jsonl(entries))
    return len(entries)


def import_file(memory: Memory, path: Path) -> tuple[int, int]:
    """Add the entries of a TMX or JSONL file (told apart by content), in one transaction.

    Entries between languages the service does not serve are skipped; returns (imported,
    skipped)."""
    data = path.read_bytes()
    try:
        if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            entries = from_tmx(data)
        else:
            entries = from_jsonl(data.decode("utf-8-sig"))
    except ValueError as exc:  # MemoryFileError, UnicodeDecodeError
        raise MemoryFileError(f"{path}: {exc}") from None
    served = [e for e in entries
              if e.source != e.target and {e.source, e.target} <= set(LANGUAGES)]
    return memory.add(served), len(entries) - len(served)


# -- command line
def main_memory(argv: Sequence[str] | None = None) -> int:
    """`l10n memory <command>`: export, import, purge, stats (docs/memory.md)."""
    parser = argparse.ArgumentParser(prog="l10n memory",
                                     description="The translation memory (docs/memory.md).")
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="write every entry to FILE (atomically)")
    export.add_argument("file", type=Path)
    export.add_argument("--format", choices=FORMATS,
                        help="default: tmx for a *.tmx FILE, else jsonl")
    imported = commands.add_parser("import", help="add the entries of a JSONL or TMX file")
    imported.add_argument("file", type=Path)
    purge = commands.add_parser("purge", help="delete machine entries: all, or of a pair/model")
    purge.add_argument("--pair", type=_pair, metavar="SRC-TGT", help="e.g. en-de")
    which = purge.add_mutually_exclusive_group()
    which.add_argument("--model", metavar="KEY", help="a model key, as `stats` lists them")
    which.add_argument("--corrections", action="store_true",
                       help="also delete human corrections (of --pair, or all)")
    commands.add_parser("stats", help="entries per pair and model")
    args = parser.parse_args(argv)
    try:
        memory = Memory.from_settings(Settings.from_env())
        try:
            return _run(memory, args)
        finally:
            memory.close()
    except (ValueError, OSError) as exc:  # ConfigError, MemoryFileError, unreadable files
        print(f"l10n memory {args.command}: {exc}", file=sys.stderr)
        return 2
    except sqlite3.Error as exc:
        print(f"l10n memory {args.command}: {exc}", file=sys.stderr)
        return 1


def _run(memory: Memory, args: argparse.Namespace) -> int:
    if args.command == "export":
        fmt = args.format or ("tmx" if args.file.suffix.lower() == ".tmx" else "jsonl")
        count = export_file(memory, args.file, fmt)
        print(f"exported {count} entries to {args.file} ({fmt})")
    elif args.command == "import":
        count, skipped = import_file(memory, args.file)
        print(f"imported {count} entries from {args.file}"
              + (f"; skipped {skipped} in languages the service does not serve" if skipped else ""))
    elif args.command == "purge":
        count = memory.purge(args.pair, args.model, args.corrections)
        print(f"purged {count} entries from {memory.path}")
    else:
        counts = memory.stats()
        for c in counts:
            print(f"{c.pair}\t{c.model_key or 'human corrections'}\t{c.entries}\t{c.newest}")
        print(f"{sum(c.entries for c in counts)} entries in {memory.path} "
              f"({memory.path.stat().st_size / 1e6:.1f} MB)")
    return 0


def _pair(value: str) -> tuple[str, str]:
    source, _, target = value.partition("-")
    if not (source in LANGUAGES and target in LANGUAGES):
        raise argparse.ArgumentTypeError(f"{value!r} is not a pair like en-de")
    return source, target
