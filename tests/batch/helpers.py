"""Helpers of the batch tests: run in-process and capture the progress log; write articles;
run `l10n translate` as a process and stop it."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from l10n.batch.manifest import MANIFEST
from l10n.batch.run import run
from tests.conftest import ROOT


def translate(settings, pipeline, in_dir: Path, out_dir: Path, targets=("de", "fr")):
    stream = io.StringIO()
    summary = run(settings, in_dir, out_dir, targets, stream=stream, pipeline=pipeline)
    return summary, stream.getvalue()


def write_json(path: Path, **article) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"source": "en", **article}, ensure_ascii=False),
                    encoding="utf-8")


def articles(folder: Path, sentences: list[str], count: int) -> None:
    for i in range(count):
        body = " ".join(sentences[(i + k) % len(sentences)] for k in range(6))
        write_json(folder / f"{i:02d}.json", title=sentences[i % len(sentences)], body=body)


def translate_process(src: Path, out: Path, data: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "L10N_DATA_DIR": str(data)}
    return subprocess.Popen([sys.executable, "-m", "l10n.cli", "translate", str(src), str(out),
                             "--targets", "de", "fr", *extra], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def done_articles(out: Path) -> int:
    try:
        return len(json.loads((out / MANIFEST).read_text())["articles"])
    except (OSError, ValueError):
        return 0


def stop_after_first_article(process: subprocess.Popen, out: Path, signum: int) -> int:
    deadline = time.monotonic() + 120
    while done_articles(out) == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signum)
    process.communicate(timeout=120)
    return done_articles(out)


def editions(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.parent != out}
