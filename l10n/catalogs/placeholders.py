"""Format strings in catalog entries: parsed, validated, compared with their source.

Three syntaxes: Python %-formatting, str.format braces and C printf. An entry is checked in
each syntax its flags name (what msgfmt checks) and in each one its msgid visibly uses even
without a flag (what pofilter's printf and brace checks catch: an unbalanced brace makes
.format() crash whether or not anyone flagged the entry). Which syntaxes are looked for
unflagged depends on the catalog's language: C catalogs are never taken for Python.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass

import polib
from babel.messages.catalog import Message


@dataclass(frozen=True)
class Placeholder:
    token: str  # as written, for reports
    type: str   # the argument type it formats; "" where the format has no types


_PYTHON_DIRECTIVE = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[-#0 +]*(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?"
    r"[hlL]?(?P<conv>.?)")
_PYTHON_TYPES = {**dict.fromkeys("diouxX", "integer"), **dict.fromkeys("eEfFgG", "float"),
                 **dict.fromkeys("sra", "string"), "c": "character"}
_C_DIRECTIVE = re.compile(
    r"%(?:(?P<pos>[1-9]\d*)\$)?[-+ #0']*(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?"
    r"(?P<length>hh|h|ll|l|L|q|j|z|Z|t)?(?P<conv>.?)")
_C_TYPES = {**dict.fromkeys("di", "int"), **dict.fromkeys("ouxX", "unsigned"),
            **dict.fromkeys("eEfFgGaA", "double"), "c": "char", "s": "string",
            "p": "pointer", "n": "count"}
_C_SEEN = re.compile(r"%(?:[1-9]\d*\$)?[-+ #0']*(?:\*|\d+)?(?:\.(?:\*|\d+))?"
                     r"(?:hh|h|ll|l|L|q|j|z|Z|t)?[diouxXeEfFgGaAcsp](?![A-Za-z])")

_BRACE_FIELD = re.compile(r"\{(?:[A-Za-z_]\w*|\d+)(?:[.\[][^{}]*)?(?:![rsa])?(?::[^{}]*)?\}")


def _percent(text: str, directive: re.Pattern[str],
             types: dict[str, str]) -> dict[str | int, Placeholder]:
    """printf-style directives (Python's %-formatting, C): named, positional or numbered."""
    found: dict[str | int, Placeholder] = {}
    styles: set[str] = set()
    index = text.find("%")
    while index != -1:
        match = directive.match(text, index)
        assert match is not None  # every part of the pattern is optional
        conv = match["conv"]
        if conv == "%":
            index = text.find("%", match.end())
            continue
        if conv not in types:
            raise ValueError(f"{match.group(0)!r} is not a valid directive")
        groups = match.groupdict()
        arg_type = types[conv] if not groups.get("length") else f"{groups['length']} {types[conv]}"
        stars = [g for g in ("width", "precision") if groups[g] == "*"]
        if groups.get("name") is not None:
            styles.add("named")
            if stars:
                raise ValueError(f"{match.group(0)!r}: '*' needs positional arguments")
            key: str | int = groups["name"]
            if key in found and found[key].type != arg_type:
                raise ValueError(f"argument {key!r} is formatted as two different types")
        elif groups.get("pos") is not None:
            styles.add("numbered")
            key = int(groups["pos"]) - 1
        else:
            styles.add("positional")
            for _ in stars:
                found[len(found)] = Placeholder("*", types["d"])
            key = len(found)
        found[key] = Placeholder(match.group(0), arg_type)
        index = text.find("%", match.end())
    if len(styles) > 1:
        raise ValueError(f"mixes {' and '.join(sorted(styles))} directives")
    return found


def _brace(text: str) -> dict[str | int, Placeholder]:
    """str.format fields: {name}, {0}, {} (auto-numbered), {name.attr}, nested specs."""
    found: dict[str | int, Placeholder] = {}
    auto = manual = False
    for _, name, spec, _ in string.Formatter().parse(text):  # raises ValueError when broken
        if name is None:
            continue
        key: str | int
        if name == "":
            auto, key = True, sum(isinstance(k, int) for k in found)
        elif name.isdigit():
            manual, key = True, int(name)
        else:
            key = name
        found[key] = Placeholder("{" + name + "}", "")
        if spec and "{" in spec:
            found.update(_brace(spec))
    if auto and manual:
        raise ValueError("mixes automatic {} and numbered {0} fields")
    return found


FORMATS: dict[str, Callable[[str], dict[str | int, Placeholder]]] = {
    "python-format": lambda text: _percent(text, _PYTHON_DIRECTIVE, _PYTHON_TYPES),
    "python-brace-format": _brace,
    "c-format": lambda text: _percent(text, _C_DIRECTIVE, _C_TYPES),
}


def catalog_language(po: polib.POFile) -> str:
    """"c" for a catalog of C strings (any entry flagged c-format), else "python"."""
    return "c" if any("c-format" in e.flags or "no-c-format" in e.flags for e in po) \
        else "python"


def _seen(entry: polib.POEntry, language: str) -> set[str]:
    """The syntaxes an unflagged entry visibly uses: printf directives as the language's
    extractor sees them in the msgid, and brace fields in the msgid or in a translation
    (as pofilter looks for them: `{ref}` typed for `$(ref)` breaks a C string too)."""
    message = Message((entry.msgid, entry.msgid_plural) if entry.msgid_plural else entry.msgid)
    kinds = set()
    if language == "c" and _C_SEEN.search(entry.msgid):
        kinds.add("c-format")
    if language != "c" and message.python_format:
        kinds.add("python-format")
    translations = [entry.msgstr, *entry.msgstr_plural.values()]
    if message.python_brace_format or any(_BRACE_FIELD.search(t) for t in translations):
        kinds.add("python-brace-format")
    return kinds


def format_kinds(entry: polib.POEntry, language: str | None) -> list[str]:
    """The formats an entry's strings are in: its flags (what msgfmt checks), plus with a
    `language` what its extractor would see in the msgid (for entries nobody flagged)."""
    kinds = {kind for kind in FORMATS if kind in entry.flags}
    if language:
        kinds |= _seen(entry, language)
    return [kind for kind in FORMATS if kind in kinds and f"no-{kind}" not in entry.flags]


def mismatches(kind: str, source: str, translation: str, strict: bool) -> list[str]:
    """How `translation`'s placeholders differ from `source`'s. Extra ones are always wrong
    (formatting would fail); missing ones are allowed only when not `strict` (a plural form
    used for a single number may say "one" instead of "{count}", as msgfmt allows)."""
    parse = FORMATS[kind]
    try:
        expected = parse(source)
    except ValueError as exc:
        return [f"the source is not a valid {kind} string: {exc}"]
    try:
        found = parse(translation)
    except ValueError as exc:
        return [f"not a valid {kind} string: {exc}"]
    problems = [f"{found[k].token} is not in the source" for k in found if k not in expected]
    if strict:
        problems += [f"{expected[k].token} is missing" for k in expected if k not in found]
    problems += [f"{found[k].token} does not match {expected[k].token} of the source"
                 for k in found if k in expected and found[k].type != expected[k].type]
    return problems


def words_only(text: str, kinds: list[str]) -> str:
    """`text` with its placeholders blanked out (what is left to translate)."""
    for kind in kinds:
        try:
            placeholders = FORMATS[kind](text).values()
        except ValueError:
            continue
        for placeholder in placeholders:
            text = text.replace(placeholder.token, " ")
    return text
