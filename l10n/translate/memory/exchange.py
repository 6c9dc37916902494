"""Memory entries in and out: JSONL (every field, one entry a line) and TMX 1.4, the translation
industry's exchange format, for moving a memory between servers and to and from CAT tools.

Exports written before schema version 2 carry a `glossary_version` (JSONL) or an
`x-l10n-glossary` prop (TMX): imports accept and ignore it, as the memory no longer keys on it.
"""

from __future__ import annotations

import json
import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from l10n.atomic import write_atomic
from l10n.editions import LANGUAGES
from l10n.translate.memory.store import (
    Entry,
    Memory,
    MemoryFileError,
    alignment_data,
    now,
    translation_from,
)
from l10n.translate.types import Translation

log = logging.getLogger(__name__)

FORMATS = ("jsonl", "tmx")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TMX_DATE = "%Y%m%dT%H%M%SZ"
_TMX_CODES = {"bpt", "ept", "it", "ph", "ut"}  # TMX inline elements holding native markup


# -- JSONL
def entry_json(entry: Entry) -> dict[str, Any]:
    """An entry as JSON: one line of a JSONL export, and the answer to PUT /v1/memory."""
    data: dict[str, Any] = {"kind": "human" if entry.human else "machine",
                            "source": entry.source, "target": entry.target, "text": entry.text,
                            "translation": entry.translation.text,
                            "created_at": entry.created_at}
    if entry.human:
        return {**data, "reviewer": entry.reviewer}
    return {**data, "model_key": entry.model_key, **alignment_data(entry.translation)}


def entry_from_json(data: Any) -> Entry:
    if not isinstance(data, dict):
        raise MemoryFileError("an entry must be a JSON object")
    kind = data.get("kind")
    if kind not in ("machine", "human"):
        raise MemoryFileError('kind must be "machine" or "human"')
    required = ["source", "target", "text", "translation", "created_at"]
    if kind == "machine":
        required.append("model_key")
    for name in required:
        if not isinstance(data.get(name), str):
            raise MemoryFileError(f"{name} must be a string")
    if not isinstance(data.get("reviewer"), (str, type(None))):
        raise MemoryFileError("reviewer must be a string or null")
    try:
        created_at = _timestamp(data["created_at"])
    except ValueError:
        raise MemoryFileError(
            f"created_at is not an ISO 8601 time: {data['created_at']!r}") from None
    if kind == "human":
        return Entry(data["source"], data["target"], data["text"],
                     Translation(data["translation"]), created_at, reviewer=data.get("reviewer"))
    return Entry(data["source"], data["target"], data["text"],
                 translation_from(data["translation"], data), created_at, data["model_key"])


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
    attribute for (kind, model, alignment) goes into `x-l10n-*` props."""
    sources = {e.source for e in entries}
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(root, "header", {
        "creationtool": "l10n", "creationtoolversion": package_version("l10n"),
        "segtype": "sentence", "o-tmf": "l10n-memory", "adminlang": "en",
        "srclang": sources.pop() if len(sources) == 1 else "*all*", "datatype": "plaintext",
        "creationdate": _tmx_date(now()),
    })
    body = ET.SubElement(root, "body")
    for e in entries:
        tu = ET.SubElement(body, "tu", {"srclang": e.source,
                                        "creationdate": _tmx_date(e.created_at)})
        if e.reviewer:
            tu.set("creationid", e.reviewer)
        props = {"x-l10n-kind": "human" if e.human else "machine"}
        if not e.human:
            props |= {"x-l10n-model": e.model_key or "",
                      "x-l10n-alignment": json.dumps(alignment_data(e.translation))}
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
    stamp = tu.get("creationdate")
    created_at = _from_tmx_date(stamp) if stamp else now()
    if props.get("x-l10n-kind") != "machine":
        return [Entry(source, target, text, Translation(out), created_at,
                      reviewer=tu.get("creationid")) for target, out in others]
    model = props.get("x-l10n-model")
    alignment = json.loads(props.get("x-l10n-alignment") or "{}")
    if not model or not isinstance(alignment, dict):
        raise MemoryFileError("a machine <tu> needs x-l10n-model and an x-l10n-alignment object")
    return [Entry(source, target, text, translation_from(out, alignment), created_at, model)
            for target, out in others]


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
    imported, skipped = memory.add(served), len(entries) - len(served)
    log.info("%s: imported %d entries into %s, skipped %d in languages not served", path,
             imported, memory.path, skipped)
    return imported, skipped


def _timestamp(value: str) -> str:
    """An ISO 8601 time as UTC with seconds (naive times are taken as UTC)."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")
