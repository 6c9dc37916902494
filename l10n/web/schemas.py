"""The HTTP API's request and response shapes, independent of Flask.

Parsing turns an untrusted JSON body into a typed request or raises an `InputError` whose code
names the problem (`invalid_json`, `missing_field`, `wrong_type`, `empty_text`,
`unsupported_language`); rendering turns results into plain JSON-ready dicts.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from l10n.config import Settings
from l10n.editions import LANGUAGES, check_language
from l10n.errors import InputError
from l10n.localise.glossary import Glossary, GlossaryError, GlossaryFile
from l10n.localise.languages import autonym, language_name
from l10n.packages import demo
from l10n.packages.store import InstalledModel
from l10n.translate.article import FORMATS, Article
from l10n.translate.detect import Detection
from l10n.translate.pipeline import ArticleResult, edition_data, failure_data, label_data, qa_data
from l10n.web.validate import parse_targets, require_object, require_text


@dataclass(frozen=True)
class TranslateRequest:
    text: str
    source: str
    targets: tuple[str, ...]
    format: str = "text"


def parse_translate(body: Any, settings: Settings) -> TranslateRequest:
    body = require_object(body)
    text = require_text(body, "text", settings)
    source = check_language(body.get("source", "auto"), "source", allow_auto=True)
    fmt = body.get("format", "text")
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r} (one of: {', '.join(FORMATS)})",
                         code="unknown_format", field="format")
    return TranslateRequest(text, source, parse_targets(body, settings), fmt)


def parse_detect(body: Any, settings: Settings) -> str:
    return require_text(require_object(body), "text", settings)


def _in_order(result: ArticleResult, render: Any) -> dict:
    """Editions in the order asked for, a failed one as {"error": {...}}."""
    rendered = {t: render(e) for t, e in result.editions.items()}
    rendered.update({t: failure_data(f) for t, f in result.failed.items()})
    return {t: rendered[t] for t in result.targets}


def render_text_result(result: ArticleResult) -> dict:
    return {
        "source": asdict(result.source),
        "translations": {t: e.get("body") for t, e in result.editions.items()},
        "qa": {t: qa_data(e) for t, e in result.editions.items()},
        "editions": _in_order(result, label_data),
    }


def render_article_result(article: Article, result: ArticleResult) -> dict:
    return {
        "id": article.id, "format": article.format, "source": asdict(result.source),
        "editions": _in_order(result, lambda e: edition_data(article, e)),
    }


def render_detection(found: Detection) -> dict:
    return {
        "language": found.language,
        "confidence": found.confidence,
        "reliable": found.reliable,
        "candidates": [{"language": c, "confidence": p} for c, p in found.candidates],
    }


def render_model(model: InstalledModel) -> dict:
    return {"source": model.source, "target": model.target, "pair": model.pair,
            "version": model.version, "name": model.name, "size_bytes": model.size_bytes,
            "demo": model.demo}


def render_models(models: list[InstalledModel]) -> dict:
    """The installed models, and in plain words when demo models are among them."""
    out: dict[str, Any] = {"models": [render_model(m) for m in models],
                           "demo": any(m.demo for m in models)}
    if out["demo"]:
        pairs = ", ".join(m.pair for m in models if m.demo)
        out["notice"] = f"Demo models installed ({pairs}): translations " + demo.NOTICE + "."
    return out


def parse_display_language(code: str) -> str:
    return check_language(code, "display")


def render_languages(display: str, models: list[InstalledModel]) -> dict:
    """Every supported language named in `display` and in itself, with installed targets."""
    direct = {(m.source, m.target) for m in models}
    listed = render_models(models)
    return {
        "languages": [
            {"code": code, "name": language_name(code, display), "autonym": autonym(code),
             "targets": sorted(t for s, t in direct if s == code),
             "via_english": sorted(t for s, t in direct if s == "en" and t != code
                                   and (code, "en") in direct and (code, t) not in direct)}
            for code in LANGUAGES
        ],
        "pairs": listed["models"],
        **{k: v for k, v in listed.items() if k != "models"},
    }


def replace_glossary(store: GlossaryFile, body: Any) -> Glossary:
    try:
        return store.put(body)
    except GlossaryError as exc:
        raise InputError("invalid glossary: " + "; ".join(exc.errors), code="invalid_glossary")
