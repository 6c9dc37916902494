"""Every setting of the service, read from environment variables in one place.

Each variable is documented in the README ("Configuration"). `Settings.from_env()` is called
once per process (by the app factory, the CLI, the benchmarks); everything else receives a
`Settings` value instead of reading the environment itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from l10n.editions import DEFAULT_TARGETS, LANGUAGES
from l10n.resources import shipped


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "l10n"


DEVICES = ("auto", "cpu", "cuda")


class ConfigError(ValueError):
    """A setting has a value the service cannot use."""


@dataclass(frozen=True)
class Settings:
    # Where things live.
    data_dir: Path = field(default_factory=_default_data_dir)
    models_dir: Path | None = None  # default: <data_dir>/models
    memory_path: Path | None = None  # the translation memory; default: <data_dir>/memory.sqlite3
    # Engine (CTranslate2): device, decoding and threading. "auto" device: CUDA when a GPU is
    # visible, else CPU; "auto" compute type: int8 on CPU, int8_float16 (or float16) on CUDA.
    device: str = "auto"  # auto | cpu | cuda
    device_index: int = 0  # which GPU, with device cuda
    beam_size: int = 4
    patience: float = 2.0  # beam search runs on past the first finished hypothesis
    compute_type: str = "auto"
    inter_threads: int = 1
    intra_threads: int = 1
    # Editions of one request translated at once, each on its own translator; 0: one per
    # CPU core divided by intra_threads, so that threads add up to the cores.
    target_workers: int = 0
    max_batch_size: int = 32
    max_input_tokens: int = 200  # longer sentences are split before translation
    # Language detection (calibrated confidences, detect.py): below detect_min_confidence a
    # text is "und"; QA's wrong_language needs another language at detect_flag_confidence.
    detect_min_confidence: float = 0.5
    detect_flag_confidence: float = 0.9
    # Localisation: names glossary (default: glossary/names.tsv, shipped with l10n) and
    # per-edition time zones as "ru=Europe/Moscow,pt=America/Sao_Paulo" (defaults: dates.py).
    glossary: Path | None = None
    timezones: tuple[str, ...] = ()
    # Service.
    default_targets: tuple[str, ...] = DEFAULT_TARGETS
    max_body_bytes: int = 1_000_000  # any request body; larger → 413
    max_chars: int = 100_000  # characters of text in one request; larger → 413
    max_batch_items: int = 100  # texts in one LibreTranslate batch (a `q` list); more → 413
    max_alternatives: int = 3  # the largest LibreTranslate `alternatives` accepted; more → 400
    # Markup shape (l10n/markup/limits.py): deeper or denser input → 413 before parsing costs.
    max_nesting: int = 100  # elements open at once in HTML, nested marks in Markdown
    max_tags_per_segment: int = 200  # inline elements in one sentence
    # Exposure (docs/api.md): API keys, rate limits and quotas, proxies, CORS.
    api_keys_file: Path | None = None  # sha256 hashes of the API keys; unset → no key needed
    rate_limit: str = "600/minute"  # requests per key, or per client address; "off" for none
    char_quota: str = "off"  # characters per key or client, e.g. "2000000/day"
    rate_limit_storage: str = "memory://"  # counters: memory (per process) or redis://host
    trusted_proxies: tuple[str, ...] = ()  # CIDRs whose X-Forwarded-For is believed
    cors_origins: tuple[str, ...] = ()  # origins a browser may call from; none → no CORS
    # Documents (docs/documents.md): files translated whole (DOCX, ODT, HTML, Markdown, TXT,
    # SRT) through /v1/documents, LibreTranslate's /translate_file and DeepL's /v2/document.
    # An upload is at most max_body_bytes; a zip container (DOCX, ODT) may unpack to at most
    # document_max_unpacked bytes in document_max_entries entries, each entry compressed at
    # most document_max_ratio to 1. Translated files are kept document_retention seconds.
    document_max_unpacked: int = 50_000_000
    document_max_entries: int = 2_000
    document_max_ratio: int = 200
    document_retention: int = 86_400
    # Start-up readiness: load every installed model before answering /health with 200.
    preload: bool = False
    # Models from the Argos package index (docs/models.md): where the index is (URL or
    # path), and how long one network read may stall before the download counts as failed.
    model_index: str = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
    download_timeout: float = 30.0
    # Batch runs (docs/batch.md): articles translated at once, each in its own worker process
    # with its own models (intra_threads threads each); 0: one per CPU core.
    batch_jobs: int = 0
    # UI strings (docs/translators.md): the gettext catalogs the pages and /v1/catalogs serve
    # (default: locales/, shipped with l10n).
    locales_dir: Path = field(default_factory=lambda: shipped("locales"))
    # Edition preview (docs/preview.md): where /preview/<id> finds a batch run's editions
    # (relative to the working directory, as `make translate` writes them), and the site
    # whose chrome frames each edition (its name in the copyright line, its first year).
    preview_dir: Path = Path("out/editions")
    # Origins the preview may load an article's images from ("https://cdn.example"); none:
    # only the service's own. A remote image in a body could be a tracking pixel.
    preview_image_sources: tuple[str, ...] = ()
    site_name: str = "Example News"
    site_since: int = 1999
    # Jobs (docs/jobs.md): the job store, the in-process pool and queue, how long ended jobs
    # are kept (seconds), and the signed webhooks: secret, allowed hosts, private addresses.
    jobs_path: Path | None = None  # default: <data_dir>/jobs.sqlite3
    job_workers: int = 1
    job_queue: int = 100
    job_retention: float = 86400.0
    webhook_secret: str = ""  # unset: callbacks are refused
    webhook_hosts: tuple[str, ...] = ()  # host names callbacks may go to; "*" any public host
    webhook_allow_private: bool = False  # loopback/private addresses (tests, an intranet CMS)
    webhook_attempts: int = 5
    webhook_backoff: float = 1.0  # seconds before the first retry, doubled each time

    @property
    def packages_dir(self) -> Path:
        return self.models_dir or self.data_dir / "models"

    @property
    def jobs_file(self) -> Path:
        return self.jobs_path or self.data_dir / "jobs.sqlite3"

    @property
    def memory_file(self) -> Path:
        return self.memory_path or self.data_dir / "memory.sqlite3"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Build settings from `L10N_*` variables; unknown values raise ConfigError."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get("L10N_" + f.name.upper())
            if raw is None or raw == "":
                continue
            try:
                values[f.name] = _parse(str(f.type), raw)  # annotations are strings here
            except ValueError as exc:
                raise ConfigError(f"L10N_{f.name.upper()}={raw!r}: {exc}") from None
        settings = cls(**values)
        unknown = set(settings.default_targets) - set(LANGUAGES)
        if unknown:
            raise ConfigError(f"L10N_DEFAULT_TARGETS: unsupported {sorted(unknown)}")
        if settings.device not in DEVICES:
            raise ConfigError(f"L10N_DEVICE={settings.device!r}: expected one of {', '.join(DEVICES)}")
        if settings.target_workers < 0 or settings.device_index < 0:
            raise ConfigError("L10N_TARGET_WORKERS and L10N_DEVICE_INDEX must be 0 or more")
        glossary = settings.glossary or shipped("glossary/names.tsv")
        if not glossary.is_file():  # names would pass untouched: refuse to start instead
            raise ConfigError(f"L10N_GLOSSARY: no glossary file at {glossary}")
        return settings

    @property
    def workers(self) -> int:
        """Threads translating the editions of one request (L10N_TARGET_WORKERS)."""
        if self.target_workers:
            return self.target_workers
        return max(1, (os.cpu_count() or 1) // max(1, self.intra_threads))


_BOOLEANS = {"1": True, "true": True, "yes": True, "on": True,
             "0": False, "false": False, "no": False, "off": False}


def _parse(type_name: str, raw: str) -> object:
    if type_name.startswith("Path"):
        return Path(raw).expanduser()
    if type_name == "int":
        return int(raw)
    if type_name == "float":
        return float(raw)
    if type_name == "bool":
        if raw.lower() not in _BOOLEANS:
            raise ValueError(f"expected one of {', '.join(_BOOLEANS)}")
        return _BOOLEANS[raw.lower()]
    if type_name.startswith("tuple"):
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return raw
