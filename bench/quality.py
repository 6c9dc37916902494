"""Quality figures on the pseudo-language model (`en→qps`, tests/pseudo.py): what the
pipeline does with output of a model that generalises, scored against the rules' reference.

    python bench/quality.py   # alone: updates bench/results.json["quality"] and docs/bench.md

`make bench` runs it too (bench/run.py). Every sentence is generated with a seed the model
was not trained on (pseudo.BENCH_SEED); the scoring is tests/quality.py, which the tests use
on fewer sentences:

- reference: exact match and chrF of the model's output against the rule-based translation;
- placement: unseen HTML sentences with two sibling links each around phrases the rules
  translate contiguously; each link wraps exactly the right words, some of them, or nothing;
- spans: URLs, e-mails, numbers and every placeholder syntax protect.py knows, shown to the
  model as they are (the shipped strategy) and masked as numbered tokens; each span kept
  byte-identical by the model, recovered by protect.check, flagged, or lost silently;
- glossary: names of a test glossary with qps renderings, enforced on free output;
- qa: flags raised on output equal to the clean reference (false positives) per flag.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from l10n.config import Settings  # noqa: E402
from l10n.localise.glossary import COLUMNS, GlossaryFile  # noqa: E402
from l10n.packages import demo  # noqa: E402
from l10n.translate.engine import Engine  # noqa: E402
from l10n.translate.pipeline import Pipeline  # noqa: E402
from tests import pseudo, quality  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"
DOC = ROOT / "docs" / "bench.md"
BEGIN, END = "<!-- quality:begin -->", "<!-- quality:end -->"
SIZES = {"reference": 400, "placement": 300, "spans": 300, "glossary": 200}


def figures(work: Path) -> dict:
    from run import install  # the bench's installer (once per package change)

    started = time.monotonic()
    package = next(p for p in demo.model_files() if p.stem == f"en_{pseudo.CODE}")
    models = install([package], work / "pseudo-models")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), models_dir=models)
        names = Path(tmp) / "none.tsv"
        names.write_text("\t".join(COLUMNS) + "\n", encoding="utf-8")  # a glossary of no names
        pipeline = Pipeline(settings, Engine(settings), glossary=GlossaryFile(names))
        seed = pseudo.BENCH_SEED * 100
        plain = pseudo.Generator(seed).sentences(SIZES["reference"])
        spans = quality.span_sentences(seed + 2, SIZES["spans"])
        out: dict = {
            "model": {"package": package.name, "megabytes": round(package.stat().st_size / 1e6, 1)},
            "reference": quality.reference_scores(pipeline, plain),
            "placement": quality.score_placement(
                pipeline, quality.placement_cases(seed + 1, SIZES["placement"])).shares(),
            "spans": {strategy: quality.score_spans(pipeline, spans, strategy).shares()
                      for strategy in ("as_is", "masked")},
            "glossary": quality.score_glossary(
                pipeline, quality.name_sentences(seed + 3, SIZES["glossary"])),
            "qa": quality.qa_false_positives(pipeline, plain),
        }
    out["seconds"] = round(time.monotonic() - started, 1)
    return out


def table(q: dict) -> str:
    p, g, r = q["placement"], q["glossary"], q["reference"]
    lines = [
        f"Model: `{q['model']['package']}` ({q['model']['megabytes']} MB). Held-out reference: "
        f"{r['exact']:.1%} of {r['sentences']} unseen sentences exact, chrF {r['chrf']}.",
        "",
        "| tag placement (unseen HTML) | elements | exact words | some right words | "
        "empty/punctuation | flagged uncertain | translation exact |",
        "|---|---|---|---|---|---|---|",
        f"| 2 sibling links a sentence | {p['elements']} | {p['exact']:.1%} | "
        f"{p['some_right_words']:.1%} | {p['empty_or_punctuation']:.1%} | "
        f"{p['flagged_uncertain']:.1%} | {p['translation_exact']:.1%} |",
        "",
        "| span strategy (same unseen sentences) | spans | kept | recovered | flagged | "
        "lost silently | sentence exact | chrF |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for strategy, s in q["spans"].items():
        lines.append(
            f"| {strategy.replace('_', ' ')} | {s['spans']} | {s['kept']:.1%} | "
            f"{s['recovered']:.1%} | {s['flagged']:.1%} | {s['lost_silently_count']} | "
            f"{s['translation_exact']:.1%} | {s['translation_chrf']} |")
    kinds = sorted(set().union(*(s["by_kind"] for s in q["spans"].values())))
    lines += ["", "| span kind: kept / recovered / flagged / lost | "
              + " | ".join(q["spans"]) + " |", "|---|" + "---|" * len(q["spans"])]
    for kind in kinds:
        cells = [" / ".join(str(s["by_kind"].get(kind, {}).get(o, 0)) for o in quality.OUTCOMES)
                 for s in q["spans"].values()]
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    rates = ", ".join(f"`{flag}` {rate:.1%}" for flag, rate in q["qa"]["rate"].items()) or "none"
    lines += [
        "",
        f"Glossary: {g['names']} names in {g['sentences']} unseen sentences: "
        f"{g['enforced']:.1%} enforced, {g['flagged']:.1%} flagged, "
        f"{g['missed_silently']:.1%} missed silently; {g['translation_exact']:.1%} of the "
        "sentences exact with the glossary's spellings.",
        "",
        f"QA flags on {q['qa']['clean_segments']} clean outputs (all false positives): {rates}.",
        "",
        f"Measured in {q['seconds']:.0f} s.",
    ]
    return "\n".join(lines)


def write_doc(q: dict) -> None:
    text = DOC.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    DOC.write_text(f"{head}{BEGIN}\n{table(q)}\n{END}{tail}", encoding="utf-8")


def main() -> int:
    sys.path.insert(0, str(ROOT / "bench"))
    q = figures(ROOT / "bench" / "work")
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else {}
    results["quality"] = q
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    write_doc(q)
    print(table(q))
    return 0


if __name__ == "__main__":
    sys.exit(main())
