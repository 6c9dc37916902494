"""Worst-case cost of markup: CPU seconds per 100 KB of input, per hostile shape.

    python bench/hostile.py        # ~1 minute; prints the table, run.py stores it

Each shape is built at about 100 KB (the request size limit) and run through the whole
pipeline with the source language as the target (parse, segment, place, render, structure
check; no model, whose cost grows with words, not with markup). A shape beyond the markup
limits (l10n/markup/limits.py) must be refused early: its row shows the error code and the CPU
time spent before refusing.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from l10n.config import Settings  # noqa: E402
from l10n.errors import ServiceError  # noqa: E402
from l10n.markup.limits import DEFAULT_LIMITS  # noqa: E402
from l10n.translate.article import Article  # noqa: E402
from l10n.translate.engine import Engine  # noqa: E402
from l10n.translate.pipeline import Pipeline  # noqa: E402

BEGIN, END = "<!-- hostile:begin -->", "<!-- hostile:end -->"
SIZE = 100_000
DEPTH = DEFAULT_LIMITS.max_nesting - 1  # the deepest input accepted
WORDS = "The minister met Anton Kulikov in Damascus on Tuesday. "


def _fill(unit: str, head: str = "", tail: str = "") -> str:
    return head + unit * max(1, (SIZE - len(head) - len(tail)) // len(unit)) + tail


def _nested(open_: str, close: str, text: str = "word ") -> str:
    n = SIZE // (len(open_) + len(close) + len(text))
    return open_ * n + text + (text.join([close] * n))


def shapes() -> dict[str, tuple[str, str]]:
    """name → (format, text of about SIZE characters)."""
    return {
        "html: plain paragraphs": ("html", _fill(f"<p>{WORDS * 3}</p>\n")),
        "html: nested inline <b>": ("html", _nested("<b>", "</b>")),
        f"html: nested inline, {DEPTH} deep": ("html", _fill("<b>" * DEPTH + "word. " + "</b>" * DEPTH)),
        "html: nested <div>": ("html", _nested("<div>", "</div>")),
        f"html: nested <div>, {DEPTH} deep": ("html", _fill("<div>" * DEPTH + "Word." + "</div>" * DEPTH)),
        "html: unclosed <b class>": ("html", "".join(f'<b class="c{i}">w ' for i in range(9000))),
        "html: misnested <b><p>": ("html", _fill("<b><p>word</b> text</p>")),
        "html: inline siblings in one sentence": ("html", _fill("<b>w</b> ", "<p>", "</p>")),
        "html: links in one sentence (200)": (
            "html", _fill("<p>" + " ".join(f'<a href="/{i}">word</a>' for i in range(200)) + ".</p>")),
        "html: huge attribute lists": ("html", _fill("<p " + " ".join(
            f'data-a{i}="v"' for i in range(2000)) + ">Word here.</p>")),
        "html: long words": ("html", _fill("<p>" + "x" * 5000 + " </p>")),
        "html: many sentences in one paragraph": ("html", _fill("Go. ", "<p>", "</p>")),
        "html: one sentence across <span>": ("html", _fill("word <i>w</i> ", "<p><span>", "</span>.</p>")),
        "html: foreign content and raw text": (
            "html", _fill("<svg><style>&lt;img&gt;</style></svg><p>Hi <b>you</b>.</p><script>x</script>")),
        "html: comments inside inline": ("html", _fill("<b>a<!-- c -->b</b> ", "<p>", "</p>")),
        "markdown: plain paragraphs": ("markdown", _fill(WORDS * 3 + "\n\n")),
        "markdown: inline <b> (one paragraph)": ("markdown", _fill("<b>w</b> ")),
        "markdown: nested emphasis": ("markdown", _nested("*", "*", "w")),
        "markdown: nested links": ("markdown", _nested("[", "](u)", "w")),
        "markdown: unmatched emphasis markers": ("markdown", _fill("*a _b ")),
        "markdown: unmatched brackets and backticks": ("markdown", _fill("[a `b <c ")),
        "markdown: deep blockquotes": ("markdown", _fill("> ", "", "word\n")),
        "markdown: deep lists": ("markdown", "".join("  " * i + "- item\n" for i in range(400))),
        "text: placeholders and ICU": ("text", _fill(
            "You have {n, plural, one {# item %1$s} other {# items {{name}}}}. ")),
        "text: unbalanced ICU heads": ("text", _fill("{n, plural, one {")),
    }


def run() -> list[dict]:
    settings = Settings()
    pipeline = Pipeline(settings, Engine(settings))
    rows = []
    for name, (fmt, text) in shapes().items():
        started = time.process_time()
        outcome = "ok"
        try:
            pipeline.translate_article(Article(body=text, format=fmt, source="en", targets=("en",)))
        except ServiceError as exc:
            outcome = f"{exc.status} {exc.code}"
        cpu = time.process_time() - started
        rows.append({"shape": name, "format": fmt, "kb": round(len(text) / 1000, 1),
                     "outcome": outcome, "cpu_s": round(cpu, 3),
                     "cpu_s_per_100kb": round(cpu * 100_000 / len(text), 3)})
        print(f"  {name}: {rows[-1]}", file=sys.stderr, flush=True)
    return rows


def table(rows: list[dict]) -> str:
    worst = max(rows, key=lambda r: r["cpu_s_per_100kb"])
    lines = ["| shape | KB | outcome | CPU s | CPU s per 100 KB |", "|---|---|---|---|---|"]
    lines += [f"| {r['shape']} | {r['kb']} | {r['outcome']} | {r['cpu_s']} | {r['cpu_s_per_100kb']} |"
              for r in rows]
    lines += ["", f"Worst case: {worst['cpu_s_per_100kb']} CPU s per 100 KB ({worst['shape']})."]
    return "\n".join(lines)


def write_doc(doc: Path, rows: list[dict]) -> None:
    """The table between the hostile-markup markers of docs/bench.md."""
    text = doc.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    doc.write_text(f"{head}{BEGIN}\n{table(rows)}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    print(table(run()))
