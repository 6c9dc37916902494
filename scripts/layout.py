"""Print the library's tree, one line per module from its docstring (README "How the code is
laid out"); `--check README.md` fails when the README's copy is stale."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- layout:begin -->", "<!-- layout:end -->"


def summary(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    first = doc.strip().split("\n\n")[0].replace("\n", " ")
    first = first.split(". ")[0].rstrip(".") if first else ""
    return first if len(first) <= 90 else first[:87].rsplit(" ", 1)[0] + "…"


def tree() -> str:
    lines = [f"{'service.py':<28}  # {summary(ROOT / 'service.py')}"]
    for path in sorted((ROOT / "l10n").rglob("*.py")):
        rel = path.relative_to(ROOT)
        if path.name == "__init__.py":
            name = "  " * (len(rel.parts) - 2) + rel.parent.name + "/"
        else:
            name = "  " * (len(rel.parts) - 1) + path.name
        text = summary(path)
        lines.append(f"{name:<28}  # {text}" if text else name)
    return "\n".join(lines)


def block() -> str:
    return f"{BEGIN}\n```text\n{tree()}\n```\n{END}"


def main(argv: list[str]) -> int:
    if argv[:1] == ["--check"]:
        readme = Path(argv[1]).read_text(encoding="utf-8")
        if block() not in readme:
            print("README layout is stale: run `python scripts/layout.py --write README.md`",
                  file=sys.stderr)
            return 1
        return 0
    if argv[:1] == ["--write"]:
        path = Path(argv[1])
        text = path.read_text(encoding="utf-8")
        start, end = text.index(BEGIN), text.index(END) + len(END)
        path.write_text(text[:start] + block() + text[end:], encoding="utf-8")
        return 0
    print(tree())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
